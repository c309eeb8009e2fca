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

pub mod eval;
pub mod index;
pub mod scoring;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::manual::ids::{NodeId, SectionId};
use crate::search::index::{Fields, SearchIndex};
use crate::search::scoring::PlusConst;
use crate::store::lookup::edit_distance;
use crate::terms::thesaurus;
use crate::text::analysis::{self, WordStemmer, is_stopword};
use crate::text::hash::{FxHashMap, FxHashSet};

/// What search needs to know about the manual's vocabulary: its acronyms
/// and the old or colloquial terms it maps to current ones.
pub trait Lexicon {
    /// The long form of an acronym as typed (case matters: an acronym that
    /// is also an ordinary word expands only in capitals).
    fn expand_acronym(&self, typed: &str) -> Option<String>;
    /// The acronym of a long form given as lower-case words.
    fn acronym_for_phrase(&self, words: &[&str]) -> Option<String>;
    /// `(old term, current term)` pairs whose old term occurs in the
    /// lower-case query.
    fn aliases_in(&self, query: &str) -> Vec<(String, String)>;
    /// The glossary node (an acronym list), ranked below the sections that
    /// use its terms.
    fn glossary_node(&self) -> Option<NodeId>;
    /// `(old term, current term)` pairs whose old term contains `word`
    /// (for a word the manual does not use: "munchausen").
    fn aliases_containing(&self, word: &str) -> Vec<(String, String)> {
        let _ = word;
        Vec::new()
    }
}

/// A lexicon that knows nothing (plain BM25 with stemming).
pub struct NoLexicon;

impl Lexicon for NoLexicon {
    fn expand_acronym(&self, _: &str) -> Option<String> {
        None
    }
    fn acronym_for_phrase(&self, _: &[&str]) -> Option<String> {
        None
    }
    fn aliases_in(&self, _: &str) -> Vec<(String, String)> {
        Vec::new()
    }
    fn glossary_node(&self) -> Option<NodeId> {
        None
    }
}

/// The manual's own vocabulary: its glossary, inline acronyms and the old
/// terms it (or the terminology file) maps to current ones.
impl Lexicon for crate::terms::Vocabulary {
    fn expand_acronym(&self, typed: &str) -> Option<String> {
        self.expand_acronym(typed, &is_english_word)
            .map(|a| a.long.clone())
    }
    fn acronym_for_phrase(&self, words: &[&str]) -> Option<String> {
        Self::acronym_for_phrase(self, words).map(|a| a.short.clone())
    }
    fn aliases_in(&self, query: &str) -> Vec<(String, String)> {
        self.aliases_for(query)
            .into_iter()
            .map(|a| (a.term.clone(), a.means.clone()))
            .collect()
    }
    fn glossary_node(&self) -> Option<NodeId> {
        self.glossary_node
    }
    fn aliases_containing(&self, word: &str) -> Vec<(String, String)> {
        self.aliases
            .iter()
            .filter(|a| analysis::tokenize(&a.term).iter().any(|t| t.text == word))
            .map(|a| (a.term.clone(), a.means.clone()))
            .collect()
    }
}

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

/// Ages typed as "15 year old" or "aged 15": (position of the number, words
/// the age spans, the manual's band it falls under: 13, 16 or 18).
fn age_bands(words: &[String]) -> Vec<(usize, usize, Option<u32>)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Ok(age) = w.parse::<u32>() else { continue };
        let year = |k: usize| {
            words
                .get(k)
                .is_some_and(|y| matches!(y.as_str(), "year" | "years" | "yr" | "yrs"))
        };
        let len = if year(i + 1) && words.get(i + 2).is_some_and(|o| o == "old") {
            3
        } else if i > 0 && words[i - 1] == "aged" {
            1
        } else {
            continue;
        };
        if !(1..=25).contains(&age) {
            continue;
        }
        let band = [13, 16, 18].into_iter().find(|b| age < *b);
        out.push((i, len, band));
    }
    out
}

/// Sections that point elsewhere ("Further information" reading lists,
/// contact lists): they mention many topics in passing, so a section about
/// the topic should rank above them.
fn is_pointer_list(display_title: &str) -> bool {
    let t = display_title
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
        .as_bytes();
    // Compared in place: this runs for every scored section, per keystroke.
    let starts = |p: &str| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let ends =
        |p: &str| t.len() >= p.len() && t[t.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes());
    starts("further information") || starts("further reading") || ends("contacts")
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

/// A query as typed, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// Words outside quotes, in order, as typed (case kept).
    pub words: Vec<String>,
    /// Quoted phrases, each as its words (lower case).
    pub phrases: Vec<Vec<String>>,
    /// Whether the last word could still be growing (no space or quote
    /// after it).
    pub open_end: bool,
}

/// Splits a raw query into words and quoted phrases (pure, never fails).
///
/// Quotes pair up left to right; an unpaired quote is ignored. Punctuation
/// and operators (`AND`, `:`, `*`, `-`) are separators.
pub fn parse_query(raw: &str) -> ParsedQuery {
    // Bound the work: a query is a few words; 10 kB of text is searched by
    // its first 64 words.
    const MAX_WORDS: usize = 64;
    let quote_count = raw.matches('"').count();
    let usable_quotes = quote_count - quote_count % 2;
    let mut q = ParsedQuery::default();
    let mut in_quote = false;
    let mut seen = 0;
    let mut segment_start = 0;
    let mut segments: Vec<(bool, &str)> = Vec::new();
    for (i, c) in raw.char_indices() {
        if c == '"' {
            if seen < usable_quotes {
                segments.push((in_quote, &raw[segment_start..i]));
                in_quote = !in_quote;
                segment_start = i + 1;
            }
            seen += 1;
        }
    }
    segments.push((in_quote, &raw[segment_start..]));
    for (quoted, seg) in segments {
        let mut toks: Vec<String> = Vec::new();
        for t in analysis::tokenize(seg) {
            if t.synthetic {
                // "section 47" / "S.47": one word, as the index has it.
                toks.truncate(toks.len().saturating_sub(2));
            }
            toks.push(seg[t.start..t.end].to_string());
        }
        if quoted {
            let words: Vec<String> = toks.iter().map(|w| fold(w)).collect();
            if !words.is_empty() {
                q.phrases.push(words);
            }
        } else {
            q.words.extend(toks);
        }
    }
    q.words.truncate(MAX_WORDS);
    q.phrases.truncate(8);
    for p in &mut q.phrases {
        p.truncate(MAX_WORDS);
    }
    let last = raw.chars().last();
    q.open_end = !q.words.is_empty()
        && last.is_some_and(char::is_alphanumeric)
        && quote_count.is_multiple_of(2);
    q
}

/// A typed word as the index holds it (lower case, folded, possessive off;
/// `section 47` → `s47`).
fn fold(word: &str) -> String {
    let toks = analysis::tokenize(word);
    if let Some(t) = toks.iter().find(|t| t.synthetic) {
        return t.text.clone();
    }
    toks.into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join("")
}

/// Real English words, to tell them apart from typos. Words in this list
/// are never "corrected" even when the manual does not use them.
pub fn is_english_word(word: &str) -> bool {
    // A binary search over the embedded, sorted list as it is: splitting
    // 63,000 lines up front cost more than a whole one-shot search.
    static WORDS: OnceLock<&'static str> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let all = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/words-en-gb.txt"));
        // Skip the comment header.
        let body = all
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.len() + 1)
            .sum::<usize>();
        &all[body.min(all.len())..]
    });
    !word.is_empty() && crate::text::markup::find_line(words, word).is_some()
}

/// One thing the user asked for, with the ways it may appear in the text.
#[derive(Debug, Clone)]
struct Concept {
    alternatives: Vec<Alternative>,
    /// How much the concept counts: less for words that tell a story
    /// rather than name a topic ([`analysis::is_narrative`]).
    weight: f32,
}

impl Concept {
    fn new(alternatives: Vec<Alternative>) -> Concept {
        Concept {
            alternatives,
            weight: 1.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Alternative {
    /// Unstemmed words (one for a term, several for a phrase).
    words: Vec<String>,
    weight: f32,
    /// A completion of an unfinished word.
    completion: bool,
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

    fn known(&self, word: &str) -> bool {
        self.idx.words().doc_freq(word) > 0
    }

    /// Words in the manual that start with `prefix`, most frequent first.
    fn completions(&self, prefix: &str, max: usize) -> Vec<String> {
        let mut v: Vec<(&str, u32)> = self.idx.words().with_prefix(prefix).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(max);
        v.into_iter().map(|(w, _)| w.to_string()).collect()
    }

    /// Words of the manual one edit from `word` (two for words of eight
    /// letters or more), closest and most common first.
    fn corrections(&self, word: &str) -> Vec<String> {
        let len = word.chars().count();
        let max_dist = if len >= 8 { 2 } else { 1 };
        // Candidates share the first letter (typos rarely hit it), which
        // keeps the scan to a slice of the word list.
        let Some(first) = word.chars().next() else {
            return Vec::new();
        };
        let mut buf = [0; 4];
        let first: &str = first.encode_utf8(&mut buf);
        let mut cands: Vec<(usize, u32, &str)> = self
            .idx
            .words()
            .with_prefix(first)
            .filter(|(w, _)| {
                w.len().abs_diff(len) <= max_dist && !w.bytes().any(|b| b.is_ascii_digit())
            })
            .filter_map(|(w, df)| {
                let d = edit_distance(w, word);
                (d <= max_dist).then_some((d, df, w))
            })
            .collect();
        cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        cands.truncate(3);
        cands.into_iter().map(|c| c.2.to_string()).collect()
    }

    /// Turns a parsed query into concepts with their alternatives.
    fn concepts(&mut self, q: &ParsedQuery, opts: Options) -> Vec<Concept> {
        let mut concepts = Vec::new();
        let lower: Vec<String> = q.words.iter().map(|w| fold(w)).collect();
        let n = q.words.len();
        // Old terms and expansions that cover several words ("serious case
        // review") are matched on the whole query first.
        let joined = lower.join(" ");
        let mut covered = vec![false; n];
        // Ages: the manual speaks in bands ("under 16", "under 13").
        for (at, len, band) in age_bands(&lower) {
            let mut alts = vec![Alternative {
                words: vec![lower[at].clone()],
                weight: 1.0,
                completion: false,
            }];
            if let Some(b) = band {
                alts.push(Alternative {
                    words: vec!["under".into(), b.to_string()],
                    weight: self.weights.expansion,
                    completion: false,
                });
            }
            concepts.push(Concept::new(alts));
            for c in covered.iter_mut().skip(at).take(len) {
                *c = true;
            }
        }
        for (term, means) in self.vocab.aliases_in(&joined) {
            let alias_words: Vec<String> = analysis::tokenize(&term)
                .into_iter()
                .map(|t| t.text)
                .collect();
            let hay = self.stem_all(&lower);
            let needle = self.stem_all(&alias_words);
            if let Some(start) = find_seq(&hay, &needle) {
                let means: Vec<String> = analysis::tokenize(&means)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                // The current term counts as much as the old one typed.
                let mut alts = vec![Alternative {
                    words: alias_words.clone(),
                    weight: 1.0,
                    completion: false,
                }];
                alts.push(Alternative {
                    words: means,
                    weight: 1.0,
                    completion: false,
                });
                concepts.push(Concept::new(alts));
                for c in covered.iter_mut().skip(start).take(alias_words.len()) {
                    *c = true;
                }
            }
        }
        // Long forms of acronyms typed in full also match the acronym.
        for i in 0..n {
            for len in (2..=6).rev() {
                if i + len > n || covered[i..i + len].iter().any(|c| *c) {
                    continue;
                }
                let words: Vec<&str> = lower[i..i + len].iter().map(String::as_str).collect();
                if let Some(acr) = self.vocab.acronym_for_phrase(&words) {
                    concepts.push(Concept::new(vec![
                        Alternative {
                            words: words.iter().map(|w| w.to_string()).collect(),
                            weight: 1.0,
                            completion: false,
                        },
                        Alternative {
                            words: vec![fold(&acr)],
                            weight: self.weights.expansion,
                            completion: false,
                        },
                    ]));
                    for c in covered.iter_mut().skip(i).take(len) {
                        *c = true;
                    }
                }
            }
        }
        // A question about time ("how long", "how soon", "when must") is
        // answered by a timescale: give those words a voice.
        if asks_about_time(&lower) {
            let alternatives = [
                "within",
                "hours",
                "days",
                "weeks",
                "months",
                "years",
                "timescales",
            ]
            .iter()
            .map(|w| Alternative {
                words: vec![w.to_string()],
                weight: self.weights.intent,
                completion: false,
            })
            .collect();
            concepts.push(Concept::new(alternatives));
        }
        // Everyday words → the manual's words. A one-word entry adds
        // alternatives to that word; a longer one is a concept of its own.
        let content_idx: Vec<usize> = (0..n)
            .filter(|&i| !lower[i].is_empty() && !is_stopword(&lower[i]))
            .collect();
        let content_words: Vec<String> = content_idx.iter().map(|&i| lower[i].clone()).collect();
        let stems: Vec<String> = content_words.iter().map(|w| self.stemmer.stem(w)).collect();
        let mut everyday: HashMap<usize, Vec<Alternative>> = HashMap::new();
        for m in thesaurus::find(
            thesaurus::entries(),
            &content_words,
            &stems,
            &mut self.stemmer,
        ) {
            let alternatives: Vec<Alternative> = m
                .entry
                .manual
                .iter()
                .map(|t| Alternative {
                    words: analysis::tokenize(t).into_iter().map(|t| t.text).collect(),
                    weight: self.weights.everyday,
                    completion: false,
                })
                .collect();
            if m.positions.len() == 1 {
                let at = content_idx[m.positions[0]];
                // "care" means "looked after" alone, not in "social care":
                // a word inside a phrase the manual often uses keeps its
                // sense there.
                let in_phrase = [at.checked_sub(1).map(|b| (b, at)), Some((at, at + 1))]
                    .into_iter()
                    .flatten()
                    .filter(|&(a, b)| b < n && !is_stopword(&lower[a]) && !is_stopword(&lower[b]))
                    .any(|(a, b)| self.phrase_df(&lower[a], &lower[b]) >= COMMON_PHRASE);
                if !in_phrase {
                    everyday.entry(at).or_default().extend(alternatives);
                }
            } else {
                concepts.push(Concept::new(alternatives));
            }
        }
        for (i, typed) in q.words.iter().enumerate() {
            if covered[i] {
                continue;
            }
            let word = &lower[i];
            let last = i + 1 == n;
            if word.is_empty() || (is_stopword(word) && !(last && q.open_end && opts.as_you_type)) {
                continue;
            }
            let mut alts = vec![Alternative {
                words: vec![word.clone()],
                weight: 1.0,
                completion: false,
            }];
            if let Some(long) = self.vocab.expand_acronym(typed) {
                let long: Vec<String> = analysis::tokenize(&long)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                alts.push(Alternative {
                    words: long,
                    weight: self.weights.expansion,
                    completion: false,
                });
            }
            alts.extend(everyday.remove(&i).unwrap_or_default());
            let known = self.known(word);
            if !known {
                // A word the manual never uses may be part of an old name
                // ("munchausen") or an acronym it never spells out ("UASC").
                for (term, means) in self.vocab.aliases_in(word) {
                    let _ = term;
                    alts.push(Alternative {
                        words: analysis::tokenize(&means)
                            .into_iter()
                            .map(|t| t.text)
                            .collect(),
                        weight: self.weights.expansion,
                        completion: false,
                    });
                }
                for (term, means) in self.vocab.aliases_containing(word) {
                    let _ = term;
                    alts.push(Alternative {
                        words: analysis::tokenize(&means)
                            .into_iter()
                            .map(|t| t.text)
                            .collect(),
                        weight: self.weights.expansion,
                        completion: false,
                    });
                }
                let capitals = typed.chars().all(|c| c.is_ascii_uppercase());
                if capitals && let Some(words) = self.acronym_from_titles(typed) {
                    alts.push(Alternative {
                        words,
                        weight: self.weights.expansion,
                        completion: false,
                    });
                }
            }
            let unfinished = last && q.open_end && (opts.as_you_type || !known);
            if unfinished && word.chars().count() >= 2 {
                for c in self.completions(word, 10) {
                    if c != *word {
                        alts.push(Alternative {
                            words: vec![c],
                            weight: self.weights.prefix,
                            completion: true,
                        });
                    }
                }
            }
            let has_completions = alts.iter().any(|a| a.completion);
            if !known && !has_completions && word.chars().count() >= 4 && !is_english_word(word) {
                for c in self.corrections(word) {
                    alts.push(Alternative {
                        words: vec![c],
                        weight: self.weights.typo,
                        completion: false,
                    });
                }
            }
            let mut c = Concept::new(alts);
            if analysis::is_narrative(word) {
                c.weight = NARRATIVE;
            }
            concepts.push(c);
        }
        concepts
    }

    /// Rarity of a concept: the IDF of its most common alternative word.
    fn concept_idf(&mut self, c: &Concept) -> f32 {
        let n = self.searcher.num_docs().max(1) as f32;
        let text = self.fields().text;
        let mut df = 0u64;
        for a in &c.alternatives {
            // A phrase is as rare as its rarest (indexed) word.
            let phrase_df = self
                .phrase_terms(&a.words, text)
                .iter()
                .map(|(_, t)| self.searcher.doc_freq(t).unwrap_or(0))
                .min()
                .unwrap_or(0);
            df = df.max(phrase_df);
        }
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// How many paragraphs hold `a b` as a phrase.
    fn phrase_df(&mut self, a: &str, b: &str) -> usize {
        let key = (a.to_string(), b.to_string());
        if let Some(&n) = self.phrase_cache.get(&key) {
            return n;
        }
        let f = self.fields().text;
        let terms = vec![
            Term::from_field_text(f, &self.stemmer.stem(a)),
            Term::from_field_text(f, &self.stemmer.stem(b)),
        ];
        // A phrase is no commoner than its rarer word: skip the positions
        // when that settles it.
        let rarer = terms
            .iter()
            .map(|t| self.searcher.doc_freq(t).unwrap_or(0))
            .min()
            .unwrap_or(0);
        let n = if rarer < COMMON_PHRASE as u64 {
            rarer as usize
        } else {
            self.searcher
                .search(&PhraseQuery::new(terms), &tantivy::collector::Count)
                .unwrap_or(0)
        };
        if self.phrase_cache.len() > 10_000 {
            self.phrase_cache.clear();
        }
        self.phrase_cache.insert(key, n);
        n
    }

    fn stem_all(&mut self, words: &[String]) -> Vec<String> {
        words.iter().map(|w| self.stemmer.stem(w)).collect()
    }

    /// A run of words as the terms a phrase query needs: each word's stem
    /// at its offset, leaving out the words the index leaves out (their
    /// offsets stay skipped, as their positions are in the index).
    fn phrase_terms(&mut self, words: &[String], field: Field) -> Vec<(usize, Term)> {
        words
            .iter()
            .enumerate()
            .filter(|(_, w)| !analysis::is_unindexed(w))
            .map(|(i, w)| (i, Term::from_field_text(field, self.stemmer.stem_ref(w))))
            .collect()
    }

    /// The tantivy query for one alternative on one (stemmed) field.
    fn alt_query(&mut self, alt: &Alternative, field: Field) -> Option<Box<dyn Query>> {
        let terms = self.phrase_terms(&alt.words, field);
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms[0].1.clone(),
                IndexRecordOption::WithFreqs,
            ))),
            // Longer names are often written with words between
            // ("indecent images (photographs or pseudo-photographs) of
            // children"): allow more room as the phrase grows.
            _ => {
                let slop = if alt.words.len() >= 3 { 4 } else { 1 };
                Some(Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)))
            }
        }
    }

    /// Builds the query for one document kind.
    fn build(
        &mut self,
        concepts: &[Concept],
        phrases: &[Vec<String>],
        adjacent: &[Vec<String>],
    ) -> Box<dyn Query> {
        let f = *self.fields();
        let w = self.weights;
        let field_set = [(f.title, w.title), (f.text, w.text)];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut any_should = false;
        for c in concepts {
            // Per field, the best alternative counts (not their sum).
            let mut per_field: Vec<Box<dyn Query>> = Vec::new();
            for &(field, w) in &field_set {
                let mut alts: Vec<Box<dyn Query>> = Vec::new();
                for a in &c.alternatives {
                    if let Some(q) = self.alt_query(a, field) {
                        alts.push(Box::new(BoostQuery::new(q, a.weight)));
                    }
                }
                if !alts.is_empty() {
                    per_field.push(Box::new(BoostQuery::new(best_of(alts), w * c.weight)));
                }
            }
            if !per_field.is_empty() {
                if self.weights.root > 0.0 {
                    // Other words of the same root (`violence` for
                    // `violent`), from the index's own term list.
                    let mut roots: Vec<Box<dyn Query>> = Vec::new();
                    for a in c
                        .alternatives
                        .iter()
                        .filter(|a| !a.completion && a.words.len() == 1)
                    {
                        let stem = self.stemmer.stem(&a.words[0]);
                        for other in self.same_root(&stem) {
                            for &(field, fw) in &field_set {
                                let t = Term::from_field_text(field, &other);
                                roots.push(Box::new(BoostQuery::new(
                                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)),
                                    a.weight * fw,
                                )));
                            }
                        }
                    }
                    if !roots.is_empty() {
                        per_field
                            .push(Box::new(BoostQuery::new(best_of(roots), self.weights.root)));
                    }
                }
                // Each concept found adds its rarity: covering more of the
                // query beats repeating one word.
                let concept: Box<dyn Query> = if per_field.len() == 1 {
                    per_field.pop().expect("one element")
                } else {
                    Box::new(BooleanQuery::new(
                        per_field.into_iter().map(|q| (Occur::Should, q)).collect(),
                    ))
                };
                let add = self.weights.coverage * self.concept_idf(c) * c.weight;
                clauses.push((Occur::Should, Box::new(PlusConst::new(concept, add))));
                any_should = true;
            }
        }
        // Words standing together, as typed.
        for pair in adjacent {
            for &(field, w) in &field_set {
                let terms = self.phrase_terms(pair, field);
                if terms.len() < 2 {
                    // A word the index leaves out: the other is a concept.
                    continue;
                }
                let pq = PhraseQuery::new_with_offset_and_slop(terms, 2);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(pq), self.weights.phrase * w)),
                ));
            }
        }
        // Quoted phrases must match (in the title or the text).
        for p in phrases {
            let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for &(field, w) in &field_set {
                let terms = self.phrase_terms(p, field);
                if terms.is_empty() {
                    // Only words such as "the": nothing to require.
                    continue;
                }
                let q: Box<dyn Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(
                        terms[0].1.clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new_with_offset(terms))
                };
                either.push((Occur::Should, Box::new(BoostQuery::new(q, w * 1.5))));
            }
            if !either.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
                any_should = true;
            }
        }
        if !any_should {
            // Nothing searchable: match nothing rather than everything.
            return Box::new(tantivy::query::EmptyQuery);
        }
        Box::new(BooleanQuery::new(clauses))
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

    /// A query that is just an id (`B24.8`, `a3.4.22`): that section (at
    /// that paragraph), so typing a number in the search box works like
    /// go-to. `None` when the text is not an id the index has.
    fn id_hit(&mut self, raw: &str) -> Option<Hit> {
        let id: NodeId = raw.trim().parse().ok()?;
        let addr = match id {
            NodeId::Section(p) if p.level() == crate::manual::ids::Level::Paragraph => {
                self.paragraph_doc(p)?
            }
            _ => {
                let section = id.section()?;
                let ord = self
                    .idx
                    .nodes
                    .iter()
                    .position(|n| n.id.section() == Some(section))?;
                // The section's first chunk: its opening.
                self.docs_of(ord).into_iter().next()?
            }
        };
        let ord = self.node_ord(addr)?;
        let info = self.idx.nodes.get(ord)?.clone();
        let (paragraph, text) = self.chunk_of(addr);
        let (snippet, highlights) =
            Highlighter::new(&HashMap::new()).snippet(&text, &mut self.stemmer, 220);
        Some(Hit {
            id: info.id,
            breadcrumb: self.idx.breadcrumb(ord),
            title: info.title,
            score: 1.0,
            paragraph,
            snippet,
            highlights,
        })
    }

    /// Stems in the index that share `stem`'s root but differ from it
    /// (at most a few, the most common first).
    fn same_root(&mut self, stem: &str) -> Vec<String> {
        if let Some(v) = self.root_cache.get(stem) {
            return v.clone();
        }
        let root = analysis::root(stem).to_string();
        let mut found: Vec<(u32, String)> = Vec::new();
        if root.chars().count() == analysis::ROOT_LEN {
            let f = self.fields().text;
            let mut upper = root.as_bytes().to_vec();
            upper.push(0xff);
            for seg in self.searcher.segment_readers() {
                let Ok(inv) = seg.inverted_index(f) else {
                    continue;
                };
                let Ok(mut stream) = inv
                    .terms()
                    .range()
                    .ge(root.as_bytes())
                    .lt(&upper)
                    .into_stream()
                else {
                    continue;
                };
                while stream.advance() {
                    if let Ok(t) = std::str::from_utf8(stream.key())
                        && t != stem
                    {
                        found.push((stream.value().doc_freq, t.to_string()));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        let v: Vec<String> = found.into_iter().take(4).map(|(_, t)| t).collect();
        self.root_cache.insert(stem.to_string(), v.clone());
        v
    }

    /// The documents of the node at `ord`, in order (found by the fast
    /// field: the index holds no term for ids, which only this needs).
    fn docs_of(&mut self, ord: usize) -> Vec<DocAddress> {
        let readers = self.searcher.segment_readers().len();
        let mut out = Vec::new();
        for seg in 0..readers {
            let max = self.searcher.segment_reader(seg as u32).max_doc();
            for doc in 0..max {
                let addr = DocAddress::new(seg as u32, doc);
                if self.node_ord(addr) == Some(ord) {
                    out.push(addr);
                }
            }
        }
        out
    }

    /// The document of paragraph `p`, in the node that holds it.
    fn paragraph_doc(&mut self, p: SectionId) -> Option<DocAddress> {
        let ord = self.idx.paragraph_node(p)?;
        self.docs_of(ord)
            .into_iter()
            .find(|&a| self.chunk_of(a).0 == Some(p))
    }

    /// The node position of a document, from the fast field.
    fn node_ord(&mut self, addr: DocAddress) -> Option<usize> {
        let seg = addr.segment_ord as usize;
        if self.ord_columns.len() <= seg {
            self.ord_columns = self
                .searcher
                .segment_readers()
                .iter()
                .map(|r| r.fast_fields().u64("node_ord").ok())
                .collect();
        }
        let col = self.ord_columns.get(seg)?.as_ref()?;
        col.first(addr.doc_id).map(|v| v as usize)
    }

    /// A chunk's paragraph id and text (one document-store read).
    fn chunk_of(&self, addr: DocAddress) -> (Option<SectionId>, String) {
        let f = self.fields();
        let Ok(doc) = self.searcher.doc::<TantivyDocument>(addr) else {
            return (None, String::new());
        };
        let get = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        (
            get(f.para).and_then(|p| p.parse().ok()),
            get(f.text).unwrap_or_default(),
        )
    }

    /// Titles whose consecutive words' initials spell `letters` (an acronym
    /// the manual never spells out, such as `UASC` for "Unaccompanied Asylum
    /// Seeking Children"); the words, lower case. Small words may be skipped.
    fn acronym_from_titles(&self, letters: &str) -> Option<Vec<String>> {
        let want: Vec<char> = letters.chars().map(|c| c.to_ascii_lowercase()).collect();
        // Two letters match too many titles by chance.
        if !(3..=6).contains(&want.len()) {
            return None;
        }
        for node in &self.idx.nodes {
            let title = node.title.as_str();
            // Word spans, without allocating: most titles fail at once.
            let words: Vec<(usize, usize)> = analysis::spans(title).collect();
            let first = |i: usize| {
                title[words[i].0..]
                    .chars()
                    .next()
                    .map(|c| c.to_ascii_lowercase())
            };
            for start in 0..words.len() {
                if first(start) != Some(want[0]) {
                    continue;
                }
                let (mut k, mut end) = (0, start);
                while end < words.len() && k < want.len() {
                    if first(end) == Some(want[k]) {
                        k += 1;
                    } else {
                        let (a, b) = words[end];
                        if !(end > start && is_stopword(&title[a..b].to_lowercase())) {
                            break;
                        }
                    }
                    end += 1;
                }
                if k == want.len() {
                    let (a, _) = words[start];
                    let (_, b) = words[end - 1];
                    return Some(
                        analysis::tokenize(&title[a..b])
                            .into_iter()
                            .map(|t| t.text)
                            .collect(),
                    );
                }
            }
        }
        None
    }

    /// Stems whose occurrences a snippet highlights.
    fn highlight_stems(
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

/// The best-scoring of several alternatives (a lone one needs no wrapper:
/// each union of posting lists costs a buffer).
fn best_of(mut alts: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if alts.len() == 1 {
        alts.pop().expect("one element")
    } else {
        Box::new(DisjunctionMaxQuery::new(alts))
    }
}

/// Whether lower-case query words ask "how long", "how soon", "how
/// quickly", "by when" or "when must/should".
fn asks_about_time(words: &[String]) -> bool {
    words.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            ("how", "long" | "soon" | "quickly" | "fast" | "often")
                | ("by", "when")
                | ("when", "must" | "should")
        )
    }) || words.iter().any(|w| {
        matches!(
            w.as_str(),
            "timescale" | "timescales" | "deadline" | "deadlines"
        )
    })
}

/// The first occurrence of `needle` as a run in `hay` (both stems).
fn find_seq(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
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

fn head(w: &str) -> [char; 3] {
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
    fn find_matches(&self, text: &str, stemmer: &mut WordStemmer) -> Vec<(usize, usize, usize)> {
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

fn snippet_with(
    hl: &Highlighter,
    text: &str,
    stemmer: &mut WordStemmer,
    width: usize,
) -> (String, Vec<(usize, usize)>) {
    let weight = &hl.weight;
    let matches = hl.find_matches(text, stemmer);
    // The window holding the most weight of distinct query words (a repeat
    // counts a little): two pointers over the matches, counts per word.
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
    let mut start = best.0.saturating_sub(width / 4);
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
    // Collapse runs of white space, carrying the matches' offsets along.
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
