//! Resolving what a user typed as a reference (`B24.8`, `a3.4.22`,
//! `Part B chapter 24`) to a node or paragraph, and suggesting the nearest
//! ids when there is none.

use crate::cite;
use crate::manual::ids::{Level, NodeId, SectionId};
use crate::store::library::Library;

/// What a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A part, grouping, chapter or section.
    Node(NodeId),
    /// A numbered paragraph, inside `node`.
    Paragraph { id: SectionId, node: NodeId },
}

impl Target {
    /// The node to open for this target.
    pub fn node(&self) -> NodeId {
        match self {
            Target::Node(n) | Target::Paragraph { node: n, .. } => *n,
        }
    }

    pub fn paragraph(&self) -> Option<SectionId> {
        match self {
            Target::Paragraph { id, .. } => Some(*id),
            Target::Node(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// A well-formed id that the manual does not have.
    #[error("no {kind} {wanted}{}", nearest_suffix(.nearest))]
    NotFound {
        kind: &'static str,
        wanted: String,
        nearest: Vec<String>,
    },
    /// Text that is neither an id nor a citation.
    #[error("'{0}' is not a section id or citation (try B24.8, A3.4.22 or \"Part B chapter 24\")")]
    Unrecognised(String),
}

/// What was typed, as one line for a message: a pasted paragraph's line
/// breaks would otherwise split the error (found by fuzzing).
fn one_line(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nearest_suffix(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!("; nearest: {}", nearest.join(", "))
    }
}

/// Resolves `input` against the library: an id (any case, parts and
/// groupings as `part-B3`), a paragraph id, or a citation as written in the
/// manual. Citations whose number drifted resolve to the section their
/// title names.
pub fn lookup(lib: &Library, input: &str) -> Result<Target, LookupError> {
    lookup_with_note(lib, input).map(|(t, _)| t)
}

/// [`lookup`], with a note when a citation's number no longer matches its
/// title ("cited as B37 (now …); the title matches B36 Historical Abuse").
pub fn lookup_with_note(
    lib: &Library,
    input: &str,
) -> Result<(Target, Option<String>), LookupError> {
    // "A3.4.22." or "B24.8," copied from a sentence.
    let trimmed = input.trim().trim_end_matches(TRAILING);
    if let Ok(node) = trimmed.parse::<NodeId>() {
        return resolve_id(lib, node).map(|t| (t, None));
    }
    if let Some(err) = malformed_id(lib, trimmed) {
        return Err(err);
    }
    let targets = lib.targets();
    let citations = cite::resolve_text(targets, trimmed, None);
    let Some(c) = citations.first() else {
        return Err(LookupError::Unrecognised(one_line(trimmed)));
    };
    let note = cite::stale_note(targets, c);
    match c.destination() {
        Some(dest) => resolve_id(lib, NodeId::Section(dest)).map(|t| (t, note)),
        // The number is not in the manual and no title says where it went.
        None => match c.cited.parse::<NodeId>() {
            Ok(node) => resolve_id(lib, node)
                .map(|t| (t, None))
                .map_err(|e| with_other_part(lib, e, node, trimmed)),
            Err(_) => Err(LookupError::Unrecognised(one_line(trimmed))),
        },
    }
}

/// Input shaped like an id that no id can be: a part the manual lacks
/// (`part-B9`, `Part Z chapter 1`) or too many numbers (`A3.4.22.1`).
fn malformed_id(lib: &Library, input: &str) -> Option<LookupError> {
    let lower = input.to_ascii_lowercase();
    let parts = || {
        lib.metas
            .iter()
            .filter(|m| matches!(m.id, NodeId::Part(_) | NodeId::Group(..)))
            .map(|m| m.id.to_string())
            .collect()
    };
    // `part-B9`, not `part-time`.
    if lower.strip_prefix("part-").is_some_and(is_part_name) {
        return Some(LookupError::NotFound {
            kind: "part",
            wanted: input[5..].to_ascii_uppercase(),
            nearest: parts(),
        });
    }
    // "Part Z …": a citation's part letter must be one the manual has.
    let mut words = lower.split(|c: char| !c.is_ascii_alphanumeric());
    while let Some(w) = words.next() {
        if w == "part" {
            let next = words.find(|w| !w.is_empty()).unwrap_or("");
            if is_part_name(next) && !next.starts_with(['a', 'b']) {
                return Some(LookupError::NotFound {
                    kind: "part",
                    wanted: next.to_ascii_uppercase(),
                    nearest: parts(),
                });
            }
        }
    }
    // `A3.4.22.1`: ids go three numbers deep at most (also inside
    // "para A3.4.22.1 of the manual").
    input
        .split_whitespace()
        .map(|t| t.trim_end_matches(TRAILING))
        .find_map(|t| too_deep(lib, t))
}

/// Punctuation that comes along when an id is copied from a sentence.
const TRAILING: [char; 4] = ['.', ',', ';', ':'];

/// A part's name in lower case: one letter, maybe a digit ("z", "b3"), not
/// a word such as "of" or "time".
fn is_part_name(s: &str) -> bool {
    matches!(s.as_bytes(), [l] | [l, b'0'..=b'9'] if l.is_ascii_lowercase())
}

fn too_deep(lib: &Library, token: &str) -> Option<LookupError> {
    let mut chars = token.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    let nums: Vec<&str> = chars.as_str().split('.').collect();
    let id_shaped = matches!(letter, 'A' | 'B')
        && nums.len() > 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !id_shaped {
        return None;
    }
    let head = format!("{letter}{}", nums[..3].join("."));
    let nearest = match head.parse::<NodeId>() {
        Ok(id) if resolve_id(lib, id).is_ok() => vec![head],
        _ => Vec::new(),
    };
    Some(LookupError::NotFound {
        kind: "paragraph",
        wanted: token.to_ascii_uppercase(),
        nearest,
    })
}

fn has_nearest(e: &LookupError) -> bool {
    matches!(e, LookupError::NotFound { nearest, .. } if !nearest.is_empty())
}

/// A bare "section 24.99" was read as Part A; when Part A has nothing near
/// it, the nearest ids in Part B are the better suggestion.
fn with_other_part(lib: &Library, err: LookupError, node: NodeId, input: &str) -> LookupError {
    let explicit = input.to_ascii_lowercase().contains("part");
    let NodeId::Section(id) = node else {
        return err;
    };
    if has_nearest(&err) || explicit {
        return err;
    }
    let other = match id.part() {
        crate::manual::ids::Part::A => crate::manual::ids::Part::B,
        crate::manual::ids::Part::B => crate::manual::ids::Part::A,
    };
    match crate::manual::ids::SectionId::new(other, id.nums())
        .map(|o| resolve_id(lib, NodeId::Section(o)))
    {
        Some(Err(e)) if has_nearest(&e) => e,
        _ => err,
    }
}

fn resolve_id(lib: &Library, node: NodeId) -> Result<Target, LookupError> {
    if lib.index_of(node).is_some() {
        return Ok(Target::Node(node));
    }
    if let NodeId::Section(id) = node {
        if id.level() == Level::Paragraph {
            if let Some(i) = lib.paragraph_node(id) {
                return Ok(Target::Paragraph {
                    id,
                    node: lib.metas[i].id,
                });
            }
            let known: Vec<SectionId> = lib.paragraph_ids().collect();
            return Err(LookupError::NotFound {
                kind: "paragraph",
                wanted: id.to_string(),
                nearest: nearest(id, &known),
            });
        }
        let known: Vec<SectionId> = lib.section_ids().collect();
        let kind = if id.level() == Level::Chapter {
            "chapter"
        } else {
            "section"
        };
        return Err(LookupError::NotFound {
            kind,
            wanted: id.to_string(),
            nearest: nearest(id, &known),
        });
    }
    Err(LookupError::NotFound {
        kind: "part",
        wanted: node.to_string(),
        nearest: vec!["part-A".into(), "part-B".into(), "part-B1".into()],
    })
}

/// Up to three known ids closest to `wanted`: its numeric neighbours at the
/// same level under the same parent, and ids one typo away
/// (`B24.20` → `B24.2`, `B24.13`).
pub fn nearest(wanted: SectionId, known: &[SectionId]) -> Vec<String> {
    let text = wanted.to_string();
    let same_level = || {
        known
            .iter()
            .filter(move |k| k.level() == wanted.level() && k.part() == wanted.part())
    };
    let siblings: Vec<SectionId> = same_level()
        .filter(|k| k.parent() == wanted.parent())
        .copied()
        .collect();
    // A digit too many or too few (`B24.20` for `B24.2`).
    let mut picks: Vec<SectionId> = siblings
        .iter()
        .filter(|k| {
            let s = k.to_string();
            s.len().abs_diff(text.len()) == 1 && edit_distance(&s, &text) == 1
        })
        .copied()
        .collect();
    // The numeric neighbours under the same parent.
    let last = |k: &SectionId| *k.nums().last().unwrap_or(&0);
    let n = last(&wanted);
    picks.extend(
        siblings
            .iter()
            .filter(|k| last(k) < n)
            .max_by_key(|k| last(k)),
    );
    picks.extend(
        siblings
            .iter()
            .filter(|k| last(k) > n)
            .min_by_key(|k| last(k)),
    );
    if picks.is_empty() {
        // Nothing under that parent: any id one typo away, else the parent.
        picks.extend(same_level().filter(|k| edit_distance(&k.to_string(), &text) == 1));
        picks.extend(wanted.parent().filter(|p| known.contains(p)));
    }
    picks.sort();
    picks.dedup();
    picks.truncate(3);
    picks.into_iter().map(|k| k.to_string()).collect()
}

/// Levenshtein distance over chars, for short strings.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<SectionId> {
        v.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn nearest_ids_are_typos_and_neighbours() {
        let known = ids(&["B24", "B24.1", "B24.2", "B24.12", "B24.13", "B25", "B25.1"]);
        assert_eq!(
            nearest("B24.20".parse().unwrap(), &known),
            ["B24.2", "B24.13"]
        );
        assert_eq!(
            nearest("B24.7".parse().unwrap(), &known),
            ["B24.2", "B24.12"]
        );
        assert_eq!(nearest("B26".parse().unwrap(), &known), ["B25"]);
        assert_eq!(
            nearest("B9.1".parse().unwrap(), &known),
            Vec::<String>::new()
        );
        assert_eq!(nearest("B25.2".parse().unwrap(), &known), ["B25.1"]);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("B24.20", "B24.2"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    /// Found by fuzzing: text pasted with line breaks came back in a
    /// two-line error.
    #[test]
    fn an_unrecognised_input_is_echoed_on_one_line() {
        let lib = crate::store::library::Library::embedded();
        let err = lookup(&lib, "12.1J18 Selection\nof candidates -\r\n short").unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains(['\n', '\r']), "{msg}");
        assert!(
            msg.contains("'12.1J18 Selection of candidates - short'"),
            "{msg}"
        );
    }
}
