//! The situations each section answers (`data/situations.tsv`), matched
//! by their words: a third ranking beside the manual's words and meaning.
//!
//! A practitioner tells a situation in words the manual does not use
//! ("made me promise not to tell", "closed the case"), and a situation line
//! written for the section often uses the same everyday words. The meaning
//! layer already compares a query with those lines, but a sentence's
//! vector blurs the one or two words that decide it; matched by words
//! (BM25 over the lines, a section scoring its best line) they count
//! exactly. Measured on the shared and dev sets (BENCHMARKS.md, "Search by
//! meaning"). Only the lines the index's vectors were made with take
//! part: a line written for a section's earlier text is not this text's
//! description (see [`crate::search::dense::units`]).

use crate::manual::ids::NodeId;
use crate::search::dense::{UnitKind, UnitVectors};
use crate::terms::situations::Situations;
use crate::text::analysis::{WordStemmer, fold_into, is_stopword, spans, tokenize};
use crate::text::hash::{FxHashMap, FxHashSet, fx_hash};

/// BM25's term-frequency saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The situation lines, indexed by stem.
#[derive(Debug, Default)]
pub struct SituationWords {
    /// Each line's section and length in terms.
    lines: Vec<(NodeId, u16)>,
    /// Stem → its number.
    terms: FxHashMap<String, u32>,
    /// By term number: the lines holding it, with how often.
    postings: Vec<Vec<(u32, u8)>>,
    average: f32,
}

/// A text's terms (a query's, or a section title's): folded, stemmed,
/// without stopwords, each once.
pub fn terms(text: &str, stemmer: &mut WordStemmer) -> Vec<String> {
    let mut seen = FxHashSet::default();
    tokenize(text)
        .into_iter()
        .filter(|t| !is_stopword(&t.text) && t.text.chars().any(char::is_alphabetic))
        .map(|t| stemmer.stem(&t.text))
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

impl SituationWords {
    /// The lines of `situations` that `vectors` were made with.
    pub fn of(
        situations: &Situations,
        vectors: &UnitVectors,
        stemmer: &mut WordStemmer,
    ) -> SituationWords {
        let live: FxHashSet<(NodeId, u64)> = vectors
            .keys
            .iter()
            .filter(|k| k.kind == UnitKind::Situation)
            .map(|k| (k.node, k.text))
            .collect();
        let lines = situations
            .lines
            .iter()
            .filter(|l| live.contains(&(l.node, fx_hash(l.text.as_bytes()))))
            .map(|l| (l.node, l.text.as_str()));
        SituationWords::new(lines, stemmer)
    }

    /// Indexes `(section, line)` pairs. Made once per search session,
    /// on the first query long enough to use it: the manual's 1,208 lines
    /// take 2.7–3.0 ms warm, 7 ms cold (quick profile, a loaded 2-core
    /// machine), mostly stemming ~2,500 distinct words. Each word is
    /// looked up once: with a String per token and the stopword list
    /// scanned per token, the same lines took 3.6–7.8 ms.
    pub fn new<'t>(
        lines: impl Iterator<Item = (NodeId, &'t str)>,
        stemmer: &mut WordStemmer,
    ) -> SituationWords {
        let mut out = SituationWords::default();
        let mut total = 0usize;
        let mut word = String::new();
        let mut ids: Vec<u32> = Vec::new();
        // Each distinct word's term (None: a stopword), so that the
        // stopword list and the stemmer see a word once, not per use.
        let mut known: FxHashMap<String, Option<u32>> = FxHashMap::default();
        for (node, text) in lines {
            let n = out.lines.len() as u32;
            ids.clear();
            for (start, end) in spans(text) {
                word.clear();
                fold_into(&text[start..end], &mut word);
                let id = match known.get(word.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = (!is_stopword(&word)).then(|| out.term(stemmer.stem_ref(&word)));
                        known.insert(word.clone(), id);
                        id
                    }
                };
                ids.extend(id);
            }
            total += ids.len();
            out.lines
                .push((node, ids.len().min(usize::from(u16::MAX)) as u16));
            ids.sort_unstable();
            for run in ids.chunk_by(|a, b| a == b) {
                let tf = run.len().min(usize::from(u8::MAX)) as u8;
                out.postings[run[0] as usize].push((n, tf));
            }
        }
        out.average = total as f32 / out.lines.len().max(1) as f32;
        out
    }

    /// The number of `stem`, given one if new.
    fn term(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.terms.get(stem) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.terms.insert(stem.to_string(), id);
        self.postings.push(Vec::new());
        id
    }

    /// Sections by their best line's BM25 score for `terms`, best first.
    /// A line must share at least `min_terms` of them (one, for a query of
    /// one term): a single shared word ("child", "worried") says little.
    pub fn rank(&self, terms: &[String], min_terms: usize) -> Vec<(NodeId, f32)> {
        let n = self.lines.len() as f32;
        let need = min_terms.min(terms.len()).max(1);
        let mut per_line: FxHashMap<u32, (f32, usize)> = FxHashMap::default();
        for term in terms {
            let Some(&id) = self.terms.get(term) else {
                continue;
            };
            let post = &self.postings[id as usize];
            let df = post.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(line, tf) in post {
                let len = f32::from(self.lines[line as usize].1);
                let tf = f32::from(tf);
                let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.average));
                let e = per_line.entry(line).or_default();
                e.0 += idf * norm;
                e.1 += 1;
            }
        }
        let mut best: FxHashMap<NodeId, f32> = FxHashMap::default();
        for (line, (score, matched)) in per_line {
            if matched < need {
                continue;
            }
            let node = self.lines[line as usize].0;
            let e = best.entry(node).or_insert(score);
            *e = e.max(score);
        }
        let mut out: Vec<(NodeId, f32)> = best.into_iter().collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> NodeId {
        s.parse().unwrap()
    }

    #[test]
    fn the_line_sharing_the_rarer_words_wins() {
        let mut st = WordStemmer::default();
        let w = SituationWords::new(
            [
                (id("A1.6"), "can i promise a child i will keep a secret"),
                (
                    id("B11.2"),
                    "social care closed the case but i am still worried",
                ),
                (id("B17.4"), "the child is worried about dad"),
            ]
            .into_iter(),
            &mut st,
        );
        assert_eq!(w.lines.len(), 3);
        let q = terms("She made me promise to keep it secret", &mut st);
        let r = w.rank(&q, 2);
        assert_eq!(r[0].0, id("A1.6"));
        // "worried" alone is one shared term: not enough.
        let q = terms("worried about the case closing", &mut st);
        let r = w.rank(&q, 2);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, id("B11.2"));
    }

    #[test]
    fn nothing_shared_gives_nothing() {
        let mut st = WordStemmer::default();
        let w = SituationWords::new([(id("A1.6"), "keep a secret")].into_iter(), &mut st);
        assert!(w.rank(&terms("zzqqxx", &mut st), 1).is_empty());
        assert!(w.rank(&[], 1).is_empty());
    }
}

#[cfg(test)]
mod on_the_manual {
    use super::*;

    /// The shipped lines, as the built-in vectors hold them.
    fn shipped(st: &mut WordStemmer) -> SituationWords {
        let vectors = crate::search::dense::builtin_vectors().expect("the built-in vectors");
        SituationWords::of(&Situations::builtin(), &vectors, st)
    }

    #[test]
    fn every_shipped_line_is_live_and_ranks_its_section() {
        let mut st = WordStemmer::default();
        let words = shipped(&mut st);
        let all = Situations::builtin();
        // The built-in vectors were made with every line of the file.
        assert_eq!(words.lines.len(), all.lines.len());
        // Told in other words than any line, the sections come first.
        for (query, want) in [
            ("a girl made me promise I would keep it secret", "A1.6"),
            ("self harming and begs me not to tell mum", "B34"),
            (
                "a boy keeps going missing from his care home overnight",
                "B20",
            ),
        ] {
            let r = words.rank(&terms(query, &mut st), 2);
            let top: Vec<String> = r.iter().take(3).map(|x| x.0.to_string()).collect();
            assert!(top.iter().any(|t| t.starts_with(want)), "{query}: {top:?}");
        }
    }

    #[test]
    fn lines_for_other_text_take_no_part() {
        let mut st = WordStemmer::default();
        let vectors = crate::search::dense::builtin_vectors().expect("the built-in vectors");
        let mut other = Situations::builtin();
        let first = other.lines[0].node;
        for l in other.lines.iter_mut().filter(|l| l.node == first) {
            l.text.push_str(" (rewritten)");
        }
        let kept = SituationWords::of(&other, &vectors, &mut st);
        let dropped = other.lines.iter().filter(|l| l.node == first).count();
        assert!(dropped > 0);
        assert_eq!(kept.lines.len(), other.lines.len() - dropped);
        assert!(kept.lines.iter().all(|l| l.0 != first));
    }
}
