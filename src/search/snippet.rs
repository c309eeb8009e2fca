//! Snippets: the best paragraph's text around the query's words, with the
//! byte ranges to highlight.

use std::collections::HashMap;

use super::Engine;
use super::expand::Concept;
use crate::text::analysis::{self, WordStemmer, is_stopword};
use crate::text::hash::{FxHashMap, FxHashSet};

impl Engine<'_> {
    /// Stems whose occurrences a snippet highlights.
    pub(super) fn highlight_stems(
        &mut self,
        concepts: &[Concept],
        phrases: &[Vec<String>],
    ) -> HashMap<String, f32> {
        // Each stem weighs as much as the rarest concept it serves, so that
        // a snippet shows the telling word ("methadone") rather than the
        // common one ("parents").
        let mut weights: HashMap<String, f32> = HashMap::new();
        for c in concepts {
            let idf = self.concept_idf(c);
            for a in &c.alternatives {
                for w in &a.words {
                    if !is_stopword(w) {
                        let e = weights.entry(self.stemmer.stem(w)).or_default();
                        *e = e.max(idf);
                    }
                }
            }
        }
        for p in phrases {
            for w in p {
                if !is_stopword(w) {
                    weights.entry(self.stemmer.stem(w)).or_insert(1.0);
                }
            }
        }
        weights
    }
}
/// Finds a query's words in result text: built once per query from the
/// wanted stems and their weights, used for every result's snippet.
pub struct Highlighter {
    ids: FxHashMap<String, usize>,
    weight: Vec<f32>,
    /// First three letters of each stem (a word can only match a stem it
    /// starts like: stems are prefixes of their words, near enough).
    heads: FxHashSet<[char; 3]>,
}

pub(super) fn head(w: &str) -> [char; 3] {
    let mut h = ['\0'; 3];
    for (slot, c) in h.iter_mut().zip(w.chars()) {
        *slot = c;
    }
    h
}

impl Highlighter {
    pub fn new(stems: &HashMap<String, f32>) -> Highlighter {
        Highlighter {
            ids: stems
                .keys()
                .enumerate()
                .map(|(i, k)| (k.clone(), i))
                .collect(),
            weight: stems.values().copied().collect(),
            heads: stems.keys().map(|k| head(k)).collect(),
        }
    }

    /// A window of about `width` bytes of `text` around the densest cluster
    /// of matching words, with the matches' byte ranges (relative to the
    /// snippet).
    pub fn snippet(
        &self,
        text: &str,
        stemmer: &mut WordStemmer,
        width: usize,
    ) -> (String, Vec<(usize, usize)>) {
        snippet_with(self, text, stemmer, width)
    }

    /// Byte ranges of the words of `text` whose stem is wanted, with the
    /// stem's id. A word is only stemmed when its first three letters could
    /// match.
    pub(super) fn find_matches(
        &self,
        text: &str,
        stemmer: &mut WordStemmer,
    ) -> Vec<(usize, usize, usize)> {
        let mut word = String::new();
        let mut out = Vec::new();
        for (a, b) in analysis::spans(text) {
            let mut h = ['\0'; 3];
            let mut n = 0;
            for c in text[a..b].chars().filter(|c| c.is_alphanumeric()) {
                if n == 3 {
                    break;
                }
                if c.is_ascii() {
                    h[n] = c.to_ascii_lowercase();
                    n += 1;
                } else {
                    word.clear();
                    analysis::fold_into(c.encode_utf8(&mut [0; 4]), &mut word);
                    for f in word.chars().take(3 - n) {
                        h[n] = f;
                        n += 1;
                    }
                }
            }
            if !self.heads.contains(&h) {
                continue;
            }
            word.clear();
            analysis::fold_into(&text[a..b], &mut word);
            if let Some(id) = self.ids.get(stemmer.stem_ref(&word)) {
                out.push((a, b, *id));
            }
        }
        out
    }
}

/// A snippet of about `width` bytes of `text` around the window with the
/// most of the query's words, white space collapsed, with the byte ranges
/// of the matches in it.
pub(super) fn snippet_with(
    hl: &Highlighter,
    text: &str,
    stemmer: &mut WordStemmer,
    width: usize,
) -> (String, Vec<(usize, usize)>) {
    let matches = hl.find_matches(text, stemmer);
    let best = best_window(&hl.weight, &matches, width);
    let (start, end) = snippet_bounds(text, best, width);
    collapse(text, start, end, &matches)
}

/// Where the window holding the most weight of distinct query words starts
/// (a repeat counts a little): two pointers over the matches, counts per
/// word.
fn best_window(weight: &[f32], matches: &[(usize, usize, usize)], width: usize) -> usize {
    let mut best = (0usize, 0f32);
    let mut counts = vec![0u32; weight.len()];
    let mut score = 0f32;
    let mut j = 0;
    for i in 0..matches.len() {
        while j < matches.len() && matches[j].1 <= matches[i].0 + width {
            let k = matches[j].2;
            score += if counts[k] == 0 {
                weight[k]
            } else {
                0.1 * weight[k]
            };
            counts[k] += 1;
            j += 1;
        }
        if score > best.1 {
            best = (matches[i].0, score);
        }
        let k = matches[i].2;
        counts[k] -= 1;
        score -= if counts[k] == 0 {
            weight[k]
        } else {
            0.1 * weight[k]
        };
    }
    best.0
}

/// The snippet's byte range: from a little before the best window, at word
/// boundaries.
fn snippet_bounds(text: &str, best: usize, width: usize) -> (usize, usize) {
    let mut start = best.saturating_sub(width / 4);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    // Start at a word boundary.
    if start > 0
        && let Some(sp) = text[start..].find(char::is_whitespace)
        && sp < 30
    {
        start += sp + 1;
    }
    let mut end = (start + width).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len()
        && let Some(sp) = text[..end].rfind(char::is_whitespace)
        && sp > start
    {
        end = sp;
    }
    (start, end)
}

/// `text[start..end]` with runs of white space collapsed, carrying the
/// matches' offsets along; "…" where it was cut.
fn collapse(
    text: &str,
    start: usize,
    end: usize,
    matches: &[(usize, usize, usize)],
) -> (String, Vec<(usize, usize)>) {
    let mut snippet = String::with_capacity(end - start + 8);
    if start > 0 {
        snippet.push('…');
    }
    let mut inside = matches
        .iter()
        .filter(|m| m.0 >= start && m.1 <= end)
        .peekable();
    let mut highlights = Vec::new();
    let mut open: Option<usize> = None;
    let mut in_space = true;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        if open.is_none() && inside.peek().is_some_and(|m| m.0 == at) {
            open = Some(snippet.len());
        }
        if c.is_whitespace() {
            if !in_space {
                snippet.push(' ');
            }
            in_space = true;
        } else {
            snippet.push(c);
            in_space = false;
        }
        if let (Some(from), Some(m)) = (open, inside.peek())
            && at + c.len_utf8() == m.1
        {
            highlights.push((from, snippet.len()));
            open = None;
            inside.next();
        }
    }
    if snippet.ends_with(' ') {
        snippet.pop();
    }
    if end < text.len() {
        snippet.push('…');
    }
    (snippet, highlights)
}
