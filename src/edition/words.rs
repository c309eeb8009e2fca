//! The word-level diff of two texts: how many words were added and
//! removed, and the changes with a few words of context either side, as a
//! briefing or the reader shows them.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// Words of unchanged text kept either side of a change.
pub const CONTEXT: usize = 6;

/// One run of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Piece {
    /// Unchanged words (context).
    Same(String),
    /// Unchanged words left out.
    Gap,
    Removed(String),
    Added(String),
}

/// A word diff: counts and the changes in context.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordDiff {
    pub added: usize,
    pub removed: usize,
    pub pieces: Vec<Piece>,
}

impl WordDiff {
    pub fn is_empty(&self) -> bool {
        self.added == 0 && self.removed == 0
    }
}

/// A text as words: one string of the words one space apart, each word's
/// byte span in it, and each word's folded key (what is compared).
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    pub text: &'a str,
    pub spans: &'a [(u32, u32)],
    pub keys: &'a [u64],
}

impl<'a> Words<'a> {
    /// Words `r` as they stand in the text (one space apart).
    pub fn run(&self, r: std::ops::Range<usize>) -> &'a str {
        if r.is_empty() {
            return "";
        }
        &self.text[self.spans[r.start].0 as usize..self.spans[r.end - 1].1 as usize]
    }
}

/// The diff of two texts: words compare by key, so case and punctuation
/// alone are no change.
pub fn diff_words(old: Words, new: Words) -> WordDiff {
    let (old_keys, new_keys) = (old.keys, new.keys);
    if old_keys == new_keys {
        return WordDiff::default();
    }
    // Bounded: a pathological pair of long texts gives a coarser diff, not
    // a stalled command.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, old_keys, new_keys, Some(deadline));
    let runs = merge_stray(runs_of(&ops));
    let mut d = WordDiff::default();
    let last = runs.len().saturating_sub(1);
    for (k, r) in runs.into_iter().enumerate() {
        if r.equal {
            same(&mut d.pieces, old, r.old, k == 0, k == last);
            continue;
        }
        d.removed += r.old.len();
        d.added += r.new.len();
        if !r.old.is_empty() {
            d.pieces.push(Piece::Removed(old.run(r.old).to_string()));
        }
        if !r.new.is_empty() {
            d.pieces.push(Piece::Added(new.run(r.new).to_string()));
        }
    }
    d
}

/// Equal words between two changes, this few or fewer, read as part of
/// one change: a rewritten sentence that happens to keep "the" and "child"
/// is one replacement, not five.
const STRAY: usize = 2;

/// A run of the diff: equal words, or a change (words removed and added).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    equal: bool,
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
}

fn runs_of(ops: &[DiffOp]) -> Vec<Run> {
    ops.iter()
        .map(|op| {
            let (o, n) = (op.old_range(), op.new_range());
            Run {
                equal: matches!(op, DiffOp::Equal { .. }),
                old: o,
                new: n,
            }
        })
        .collect()
}

/// Joins changes separated by [`STRAY`] equal words or fewer (and
/// neighbouring changes) into one.
fn merge_stray(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (k, r) in runs.iter().enumerate() {
        let between_changes = r.equal
            && r.old.len() <= STRAY
            && k > 0
            && runs.get(k + 1).is_some_and(|next| !next.equal);
        let absorb = !r.equal || between_changes;
        match out.last_mut() {
            Some(prev) if absorb && !prev.equal => {
                prev.old.end = r.old.end;
                prev.new.end = r.new.end;
            }
            _ => out.push(Run {
                equal: !absorb,
                ..r.clone()
            }),
        }
    }
    out
}

/// Unchanged words: all of them when short, else the context either side
/// of the changes around them and a gap.
fn same(out: &mut Vec<Piece>, words: Words, r: std::ops::Range<usize>, first: bool, last: bool) {
    let head = if first { 0 } else { CONTEXT };
    let tail = if last { 0 } else { CONTEXT };
    if r.len() <= head + tail {
        out.push(Piece::Same(words.run(r).to_string()));
        return;
    }
    if head > 0 {
        out.push(Piece::Same(words.run(r.start..r.start + head).to_string()));
    }
    out.push(Piece::Gap);
    if tail > 0 {
        out.push(Piece::Same(words.run(r.end - tail..r.end).to_string()));
    }
}

/// The diff as one line of text, git's `--word-diff` style:
/// `… unchanged [-removed-]{+added+} …`.
pub fn inline(pieces: &[Piece]) -> String {
    let mut out: Vec<String> = Vec::new();
    for p in pieces {
        out.push(match p {
            Piece::Same(t) => t.clone(),
            Piece::Gap => "…".to_string(),
            Piece::Removed(t) => format!("[-{t}-]"),
            Piece::Added(t) => format!("{{+{t}+}}"),
        });
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::units::word_key;

    /// A text's words, spans and keys (words one space apart in `s`).
    fn words(s: &str) -> (Vec<(u32, u32)>, Vec<u64>) {
        let mut spans = Vec::new();
        let mut at = 0;
        for w in s.split(' ') {
            spans.push((at as u32, (at + w.len()) as u32));
            at += w.len() + 1;
        }
        let keys = s.split(' ').map(|w| word_key(w).unwrap()).collect();
        (spans, keys)
    }

    fn diff(a: &str, b: &str) -> WordDiff {
        let (asp, ak) = words(a);
        let (bsp, bk) = words(b);
        let w = |text, spans, keys| Words { text, spans, keys };
        diff_words(w(a, &asp, &ak), w(b, &bsp, &bk))
    }

    #[test]
    fn counts_and_shows_words_in_context() {
        let d = diff(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
            "one two three four five six SEVEN-ish eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
        );
        assert_eq!((d.added, d.removed), (2, 1));
        assert_eq!(
            inline(&d.pieces),
            "one two three four five six [-seven-] {+SEVEN-ish+} eight nine ten eleven twelve thirteen fourteen fifteen {+sixteen+}"
        );
    }

    #[test]
    fn a_rewritten_sentence_is_one_change_not_a_scatter() {
        let d = diff(
            "A supportive response to the child is of prime importance here",
            "Any professional who sees the child self-harm should act today here",
        );
        assert_eq!(
            inline(&d.pieces),
            "[-A supportive response to the child is of prime importance-] {+Any professional who sees the child self-harm should act today+} here"
        );
        assert_eq!((d.added, d.removed), (10, 10));
    }

    #[test]
    fn case_and_punctuation_are_no_change_and_long_runs_are_cut() {
        assert!(diff("The Child, aged 12.", "the child aged 12").is_empty());
        let long: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
        let d = diff(&long.join(" "), &format!("{} extra", long.join(" ")));
        assert_eq!((d.added, d.removed), (1, 0));
        assert_eq!(d.pieces[0], Piece::Gap);
        assert_eq!(inline(&d.pieces), "… w34 w35 w36 w37 w38 w39 {+extra+}");
    }
}
