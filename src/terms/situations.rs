//! The situations each section answers, in practitioners' everyday words
//! (`data/situations.tsv`): "teenage girl in care keeps going missing at
//! night" for the chapter on children missing from care. Search reads them
//! as words (their own field, weighing less than the manual's text) and by
//! meaning (a unit each), so that a situation described the way one would
//! tell a colleague finds the section whose words differ.
//!
//! They were written by reading every section, never from any query set
//! (tests/data/README.md). Each line records a fingerprint of its
//! section's text as it was read: a line whose section has changed since
//! is not used (a new edition's rewritten section must not inherit an old
//! description), and `tests/situations.rs` fails until it is re-read and
//! stamped again (`cargo run --example situations -- stamp`).
//!
//! The file: `ID<TAB>fingerprint<TAB>situation`, one situation a line,
//! `#` comments; the fingerprint is 16 hex digits, or `-` for a line not
//! yet stamped (used, and reported by the test).

use crate::manual::ids::NodeId;
use crate::text::hash::FxHashMap;

/// The file as shipped.
pub const SITUATIONS_TSV: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/situations.tsv"));

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Situation {
    pub node: NodeId,
    /// The section's text fingerprint when the line was written.
    pub fingerprint: Option<u64>,
    pub text: String,
}

/// The situations, by section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Situations {
    pub lines: Vec<Situation>,
    by_node: FxHashMap<NodeId, Vec<usize>>,
}

/// A line that is not `ID<TAB>fingerprint<TAB>situation`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("situations line {line}: {message}")]
pub struct SituationsError {
    pub line: usize,
    pub message: String,
}

impl Situations {
    /// The file built into the binary.
    pub fn builtin() -> Situations {
        // Its shape is checked by a test; a bad line here would be a bug
        // in the shipped file, not user input.
        Situations::parse(SITUATIONS_TSV).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Result<Situations, SituationsError> {
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |m: &str| SituationsError {
                line: i + 1,
                message: m.to_string(),
            };
            let mut cols = line.splitn(3, '\t');
            let (Some(id), Some(fp), Some(text)) = (cols.next(), cols.next(), cols.next()) else {
                return Err(err("expected ID<TAB>fingerprint<TAB>situation"));
            };
            let node: NodeId = id.trim().parse().map_err(|_| err("not a section id"))?;
            let fingerprint = match fp.trim() {
                "-" => None,
                hex => Some(u64::from_str_radix(hex, 16).map_err(|_| err("bad fingerprint"))?),
            };
            let text = text.trim();
            if text.is_empty() {
                return Err(err("empty situation"));
            }
            lines.push(Situation {
                node,
                fingerprint,
                text: text.to_string(),
            });
        }
        let mut by_node: FxHashMap<NodeId, Vec<usize>> = FxHashMap::default();
        for (i, s) in lines.iter().enumerate() {
            by_node.entry(s.node).or_default().push(i);
        }
        Ok(Situations { lines, by_node })
    }

    /// The lines for `node`, in file order.
    pub fn of(&self, node: NodeId) -> impl Iterator<Item = &Situation> {
        self.by_node
            .get(&node)
            .into_iter()
            .flatten()
            .map(|&i| &self.lines[i])
    }

    /// The file's text again, `stamp` giving a line a new fingerprint
    /// (or `None` to keep its own; for `examples/situations.rs stamp`).
    pub fn to_tsv(&self, header: &str, stamp: impl Fn(&Situation) -> Option<u64>) -> String {
        let mut out = String::from(header);
        for s in &self.lines {
            let fp = stamp(s).or(s.fingerprint);
            let fp = fp.map_or("-".to_string(), |f| format!("{f:016x}"));
            out.push_str(&format!("{}\t{fp}\t{}\n", s.node, s.text));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_by_section() {
        let s = Situations::parse(
            "# c\nA3.4\t-\tfirst\nB24\t00000000000000ff\tsecond\nA3.4\t-\tthird\n",
        )
        .unwrap();
        let a: Vec<&str> = s
            .of("A3.4".parse().unwrap())
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(a, ["first", "third"]);
        assert_eq!(
            s.of("B24".parse().unwrap()).next().unwrap().fingerprint,
            Some(255)
        );
        assert_eq!(s.of("B25".parse().unwrap()).count(), 0);
        let round = s.to_tsv("# c\n", |_| None);
        assert_eq!(Situations::parse(&round).unwrap(), s);
    }

    #[test]
    fn malformed_lines_are_errors_with_their_line() {
        assert_eq!(Situations::parse("A3.4\tonly two\n").unwrap_err().line, 1);
        assert_eq!(Situations::parse("\nZZ\t-\tx\n").unwrap_err().line, 2);
        assert!(Situations::parse("A3.4\tnothex\tx\n").is_err());
    }
}
