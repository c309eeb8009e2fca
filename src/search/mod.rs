//! Full-text search: what the user typed → ranked sections with the best
//! paragraph and a highlighted snippet.
//!
//! The pipeline, each step general (nothing here knows any particular
//! query):
//! 1. [`parse_query`] (pure): words, quoted phrases, and whether the last
//!    word is still being typed. Anything malformed (unbalanced quotes,
//!    operators, `:`, `*`) is read as plain words.
//! 2. expansion, per word: its English stem; typo corrections for words that
//!    are neither in the manual nor English; completions of an unfinished
//!    last word; the manual's acronyms both ways; old terms the manual or the
//!    terminology file maps to current ones.
//! 3. one tantivy query over paragraphs ("chunks", each carrying its
//!    section's title, which weighs more than the text); a bonus for the
//!    share of the query's ideas a paragraph covers, for quoted phrases and
//!    for query words standing together. A section scores by its best
//!    paragraph plus a little for its other matching ones.
//! 4. snippets from the best paragraph only (cheap: a few hundred bytes).
//!
//! A query that is just an id (`B24.8`, `A3.4.22`) skips all this and
//! returns that section, so a number typed into the search box works.
//!
//! The files: `query` (reading what was typed), `expand` (concepts and
//! their alternatives), `rank` (the tantivy query and its scoring),
//! `docs` (reading the index's documents), `snippet`, `lexicon`,
//! [`scoring`] (a query wrapper tantivy lacks), [`eval`] (search quality),
//! and [`index`] (the tantivy index: schema, documents, build, open).
//!
//! May depend on: `manual`, `store`, `terms`, `text`, `trace`.

mod docs;
pub mod eval;
mod expand;
pub mod index;
mod lexicon;
mod query;
mod rank;
pub mod scoring;
mod snippet;

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::{DocAddress, Searcher};

use crate::manual::ids::{NodeId, SectionId};
use crate::text::analysis::{WordStemmer, is_stopword};
use index::{Fields, SearchIndex};
use query::fold;
use rank::is_pointer_list;

pub use lexicon::{Lexicon, NoLexicon};
pub use query::{ParsedQuery, is_english_word, parse_query};
pub use snippet::Highlighter;

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: NodeId,
    pub title: String,
    /// Part › grouping › chapter, as displayed.
    pub breadcrumb: String,
    pub score: f32,
    /// The paragraph that matched best, if the section has numbered ones.
    pub paragraph: Option<SectionId>,
    /// Plain text around the best match.
    pub snippet: String,
    /// Byte ranges of matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// Search options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub limit: usize,
    /// Treat the last word as unfinished (search as you type).
    pub as_you_type: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limit: 10,
            as_you_type: false,
        }
    }
}

/// How much each signal counts. Defaults were set on the shared evaluation
/// queries, in coarse steps, to avoid fitting them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// A match in the section's title says more than one in the text.
    pub title: f32,
    pub text: f32,
    /// Alternatives weigh less than what was typed.
    pub typo: f32,
    pub prefix: f32,
    pub expansion: f32,
    /// Adjacent query words standing together in the text.
    pub phrase: f32,
    /// A section's best paragraph.
    pub best_chunk: f32,
    /// Per query concept found, its rarity (IDF) times this: rewards
    /// covering more of the query over repeating one word.
    pub coverage: f32,
    /// Matching on stem roots only (`violent` for `violence`).
    pub root: f32,
    /// A section's other matching paragraphs.
    pub other_chunks: f32,
    /// Words a question implies ("how long" → days, within).
    pub intent: f32,
    /// The manual's word for an everyday word ("dad" → father).
    pub everyday: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            title: 1.5,
            text: 1.0,
            typo: 0.8,
            prefix: 0.7,
            expansion: 0.9,
            phrase: 0.3,
            best_chunk: 1.0,
            coverage: 2.0,
            root: 0.3,
            other_chunks: 0.0,
            intent: 0.5,
            everyday: 0.7,
        }
    }
}

/// Paragraphs fetched before they are grouped into sections.
const CHUNK_CANDIDATES: usize = 120;
/// The weight of a narrative word ("think", "brought") next to a topic word.
const NARRATIVE: f32 = 0.3;
/// A two-word phrase in at least this many paragraphs is the manual's own
/// term ("social care"), whose words are not re-read as everyday words.
const COMMON_PHRASE: usize = 5;

/// A search session over one index: holds the stemmer and caches.
pub struct Engine<'a> {
    idx: &'a SearchIndex,
    searcher: Searcher,
    vocab: &'a dyn Lexicon,
    stemmer: WordStemmer,
    /// Stems sharing a root, by stem.
    root_cache: HashMap<String, Vec<String>>,
    /// [`Engine::phrase_df`] answers (typing repeats the same pairs).
    phrase_cache: HashMap<(String, String), usize>,
    /// Per segment, the `node_ord` fast-field column.
    ord_columns: Vec<Option<tantivy::columnar::Column<u64>>>,
    pub weights: Weights,
}

impl<'a> Engine<'a> {
    /// An engine using the vocabulary stored with the index.
    pub fn new(idx: &'a SearchIndex) -> Engine<'a> {
        Engine::with_lexicon(idx, &idx.vocabulary)
    }

    /// An engine with another lexicon (e.g. [`NoLexicon`] to measure what
    /// the vocabulary adds).
    pub fn with_lexicon(idx: &'a SearchIndex, vocab: &'a dyn Lexicon) -> Engine<'a> {
        Engine {
            idx,
            searcher: idx.reader.searcher(),
            vocab,
            stemmer: WordStemmer::default(),
            ord_columns: Vec::new(),
            root_cache: HashMap::new(),
            phrase_cache: HashMap::new(),
            weights: Weights::default(),
        }
    }

    fn fields(&self) -> &Fields {
        &self.idx.fields
    }

    /// Searches; never fails on user input (malformed queries are words).
    /// How a query is understood: for each thing searched for, the words
    /// that count as a match (as typed first, then stems' alternatives:
    /// acronyms, old terms, everyday words, completions, corrections).
    pub fn explain(&mut self, raw: &str, opts: Options) -> Vec<Vec<String>> {
        let q = parse_query(raw);
        let mut out: Vec<Vec<String>> = self
            .concepts(&q, opts)
            .into_iter()
            .map(|c| {
                c.alternatives
                    .into_iter()
                    .map(|a| a.words.join(" "))
                    .collect()
            })
            .collect();
        out.extend(
            q.phrases
                .iter()
                .map(|p| vec![format!("\"{}\"", p.join(" "))]),
        );
        out
    }

    pub fn search(&mut self, raw: &str, opts: Options) -> Vec<Hit> {
        if let Some(hit) = self.id_hit(raw) {
            return vec![hit];
        }
        let q = parse_query(raw);
        let concepts = self.concepts(&q, opts);
        // Adjacent content words, for the proximity bonus.
        let content: Vec<String> = q
            .words
            .iter()
            .map(|w| fold(w))
            .filter(|w| !w.is_empty() && !is_stopword(w))
            .collect();
        let adjacent: Vec<Vec<String>> = content.windows(2).map(|w| w.to_vec()).collect();
        if concepts.is_empty() && q.phrases.is_empty() {
            return Vec::new();
        }
        let chunk_q = self.build(&concepts, &q.phrases, &adjacent);
        let searcher = self.searcher.clone();
        let chunk_hits = searcher
            .search(
                &*chunk_q,
                &TopDocs::with_limit(CHUNK_CANDIDATES.max(opts.limit * 8)).order_by_score(),
            )
            .unwrap_or_default();

        let wt = self.weights;
        // Scores by node position (read from a fast field, not the store).
        let mut scores: HashMap<usize, f32> = HashMap::new();
        let mut best_chunk: HashMap<usize, (f32, DocAddress)> = HashMap::new();
        let mut chunk_sum: HashMap<usize, f32> = HashMap::new();
        for (s, addr) in &chunk_hits {
            if let Some(ord) = self.node_ord(*addr) {
                let e = best_chunk.entry(ord).or_insert((*s, *addr));
                if *s > e.0 {
                    *e = (*s, *addr);
                }
                *chunk_sum.entry(ord).or_default() += *s;
            }
        }
        for (ord, (s, _)) in &best_chunk {
            // The best paragraph, and a little for the section's other
            // matching paragraphs (a section about the query, not one line).
            let rest = chunk_sum.get(ord).copied().unwrap_or(0.0) - s;
            *scores.entry(*ord).or_default() += wt.best_chunk * s + wt.other_chunks * rest;
        }
        let glossary = self.vocab.glossary_node();
        let nodes = &self.idx.nodes;
        let mut ranked: Vec<(usize, f32)> = scores
            .into_iter()
            .filter(|(ord, _)| *ord < nodes.len())
            .map(|(ord, s)| {
                // The acronym list names every term; the sections using the
                // term are the better answer.
                let prior = if glossary == Some(nodes[ord].id) {
                    0.25
                } else if is_pointer_list(&nodes[ord].title) {
                    0.6
                } else {
                    1.0
                };
                (ord, s * prior)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(opts.limit);
        let highlight = Highlighter::new(&self.highlight_stems(&concepts, &q.phrases));
        ranked
            .into_iter()
            .map(|(ord, score)| {
                let info = &self.idx.nodes[ord];
                let (paragraph, text) = match best_chunk.get(&ord) {
                    Some((_, addr)) => self.chunk_of(*addr),
                    None => (None, String::new()),
                };
                let (snippet, highlights) = highlight.snippet(&text, &mut self.stemmer, 220);
                Hit {
                    id: info.id,
                    title: info.title.clone(),
                    breadcrumb: self.idx.breadcrumb(ord),
                    score,
                    paragraph,
                    snippet,
                    highlights,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_words_and_phrases() {
        let q = parse_query(r#"strategy "child protection" conf"#);
        assert_eq!(q.words, ["strategy", "conf"]);
        assert_eq!(
            q.phrases,
            [vec!["child".to_string(), "protection".to_string()]]
        );
        assert!(q.open_end);
        let q = parse_query("private fostering ");
        assert!(!q.open_end);
    }

    #[test]
    fn malformed_queries_are_plain_words() {
        let q = parse_query(r#"AND OR "unbalanced : * -x"#);
        assert_eq!(q.words, ["AND", "OR", "unbalanced", "x"]);
        assert!(q.phrases.is_empty());
        assert_eq!(parse_query("!!! ::: ***"), ParsedQuery::default());
        let long = "word ".repeat(2500);
        assert_eq!(parse_query(&long).words.len(), 64);
    }

    #[test]
    fn english_words_are_known() {
        for w in ["kids", "cousin", "arms", "fostering"] {
            assert!(is_english_word(w), "{w}");
        }
        for w in ["privat", "bulying", "carrers", "imunity"] {
            assert!(!is_english_word(w), "{w}");
        }
    }

    #[test]
    fn snippets_centre_on_matches() {
        let mut st = WordStemmer::default();
        let stems: HashMap<String, f32> = [("foster".to_string(), 1.0)].into();
        let text = format!(
            "{} private fostering arrangement {}",
            "x ".repeat(200),
            "y ".repeat(200)
        );
        let (s, h) = Highlighter::new(&stems).snippet(&text, &mut st, 80);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(h.len(), 1);
        assert_eq!(&s[h[0].0..h[0].1], "fostering");
    }
}
