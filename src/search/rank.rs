//! Ranking: the tantivy query built from a query's concepts (BM25 over
//! paragraphs, the title weighing more, bonuses for coverage, phrases and
//! words standing together) and the rarity each concept counts for.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Term};

use super::expand::{Alternative, Concept};
use super::query::{ParsedQuery, fold};
use super::scoring::PlusConst;
use super::{COMMON_PHRASE, Engine};
use crate::text::analysis::is_stopword;
use crate::text::analysis::{self};

/// Sections that point elsewhere ("Further information" reading lists,
/// contact lists): they mention many topics in passing, so a section about
/// the topic should rank above them.
pub(super) fn is_pointer_list(display_title: &str) -> bool {
    let t = display_title
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
        .as_bytes();
    // Compared in place: this runs for every scored section, per keystroke.
    let starts = |p: &str| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let ends =
        |p: &str| t.len() >= p.len() && t[t.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes());
    starts("further information") || starts("further reading") || ends("contacts")
}

/// The ranking by words: sections with their scores, best first, and
/// each one's best paragraph (score and document).
pub(super) struct Lexical {
    pub(super) ranked: Vec<(usize, f32)>,
    pub(super) best_chunk: HashMap<usize, (f32, DocAddress)>,
}

/// Paragraphs fetched before they are grouped into sections.
const CHUNK_CANDIDATES: usize = 120;

impl Engine<'_> {
    /// Ranks sections by the query's words: the tantivy query over
    /// paragraphs, each section scored by its best paragraph (and a little
    /// for its others), the acronym list and reading lists weighed down.
    pub(super) fn lexical(
        &mut self,
        q: &ParsedQuery,
        concepts: &[Concept],
        limit: usize,
    ) -> Lexical {
        let empty = Lexical {
            ranked: Vec::new(),
            best_chunk: HashMap::new(),
        };
        // Adjacent content words, for the proximity bonus.
        let content: Vec<String> = q
            .words
            .iter()
            .map(|w| fold(w))
            .filter(|w| !w.is_empty() && !is_stopword(w))
            .collect();
        let adjacent: Vec<Vec<String>> = content.windows(2).map(|w| w.to_vec()).collect();
        if concepts.is_empty() && q.phrases.is_empty() {
            return empty;
        }
        let chunk_q = self.build(concepts, &q.phrases, &adjacent);
        let searcher = self.searcher.clone();
        let chunk_hits = searcher
            .search(
                &*chunk_q,
                &TopDocs::with_limit(CHUNK_CANDIDATES.max(limit * 8)).order_by_score(),
            )
            .unwrap_or_default();
        let wt = self.weights;
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
        let glossary = self.vocab.glossary_node();
        let nodes = &self.idx.nodes;
        let mut ranked: Vec<(usize, f32)> = best_chunk
            .iter()
            .filter(|(ord, _)| **ord < nodes.len())
            .map(|(&ord, &(s, _))| {
                // The best paragraph, and a little for the section's other
                // matching paragraphs (a section about the query, not one
                // line).
                let rest = chunk_sum.get(&ord).copied().unwrap_or(0.0) - s;
                let score = wt.best_chunk * s + wt.other_chunks * rest;
                // The acronym list names every term; the sections using
                // the term are the better answer.
                let prior = if glossary == Some(nodes[ord].id) {
                    0.25
                } else if is_pointer_list(&nodes[ord].title) {
                    0.6
                } else {
                    1.0
                };
                (ord, score * prior)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Lexical { ranked, best_chunk }
    }

    /// Rarity of a concept: the IDF of its most common alternative word.
    pub(super) fn concept_idf(&mut self, c: &Concept) -> f32 {
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
    pub(super) fn phrase_df(&mut self, a: &str, b: &str) -> usize {
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

    /// A run of words as the terms a phrase query needs: each word's stem
    /// at its offset, leaving out the words the index leaves out (their
    /// offsets stay skipped, as their positions are in the index).
    pub(super) fn phrase_terms(&mut self, words: &[String], field: Field) -> Vec<(usize, Term)> {
        words
            .iter()
            .enumerate()
            .filter(|(_, w)| !analysis::is_unindexed(w))
            .map(|(i, w)| (i, Term::from_field_text(field, self.stemmer.stem_ref(w))))
            .collect()
    }

    /// The tantivy query for one alternative on one (stemmed) field.
    pub(super) fn alt_query(&mut self, alt: &Alternative, field: Field) -> Option<Box<dyn Query>> {
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

    /// Builds the query for one document kind: a clause per concept, one
    /// per pair of words standing together, and the quoted phrases, which
    /// must match.
    pub(super) fn build(
        &mut self,
        concepts: &[Concept],
        phrases: &[Vec<String>],
        adjacent: &[Vec<String>],
    ) -> Box<dyn Query> {
        let f = *self.fields();
        let fields = [(f.title, self.weights.title), (f.text, self.weights.text)];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut any_should = false;
        for c in concepts {
            if let Some(q) = self.concept_query(c, &fields) {
                clauses.push((Occur::Should, q));
                any_should = true;
            }
        }
        // Words standing together, as typed.
        for pair in adjacent {
            for &(field, w) in &fields {
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
        for p in phrases {
            if let Some(q) = self.phrase_query(p, &fields) {
                clauses.push((Occur::Must, q));
                any_should = true;
            }
        }
        if !any_should {
            // Nothing searchable: match nothing rather than everything.
            return Box::new(tantivy::query::EmptyQuery);
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// One concept: per field its best alternative (not their sum), words
    /// of the same root, and its rarity added on top, so that covering more
    /// of the query beats repeating one word. `None` when nothing of it
    /// can match.
    fn concept_query(&mut self, c: &Concept, fields: &[(Field, f32)]) -> Option<Box<dyn Query>> {
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for &(field, w) in fields {
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
        if per_field.is_empty() {
            return None;
        }
        if self.weights.root > 0.0
            && let Some(roots) = self.root_query(c, fields)
        {
            per_field.push(roots);
        }
        let concept: Box<dyn Query> = if per_field.len() == 1 {
            per_field.pop().expect("one element")
        } else {
            Box::new(BooleanQuery::new(
                per_field.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        let add = self.weights.coverage * self.concept_idf(c) * c.weight;
        Some(Box::new(PlusConst::new(concept, add)))
    }

    /// Other words of the same root as a concept's words (`violence` for
    /// `violent`), from the index's own term list.
    fn root_query(&mut self, c: &Concept, fields: &[(Field, f32)]) -> Option<Box<dyn Query>> {
        let mut roots: Vec<Box<dyn Query>> = Vec::new();
        for a in c
            .alternatives
            .iter()
            .filter(|a| a.origin != super::expand::Origin::Completion && a.words.len() == 1)
        {
            let stem = self.stemmer.stem(&a.words[0]);
            for other in self.same_root(&stem) {
                for &(field, fw) in fields {
                    let t = Term::from_field_text(field, &other);
                    roots.push(Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)),
                        a.weight * fw,
                    )));
                }
            }
        }
        (!roots.is_empty())
            .then(|| Box::new(BoostQuery::new(best_of(roots), self.weights.root)) as Box<dyn Query>)
    }

    /// A quoted phrase, in the title or the text. `None` for a phrase of
    /// only words such as "the": nothing to require.
    fn phrase_query(&mut self, p: &[String], fields: &[(Field, f32)]) -> Option<Box<dyn Query>> {
        let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, w) in fields {
            let terms = self.phrase_terms(p, field);
            if terms.is_empty() {
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
        (!either.is_empty()).then(|| Box::new(BooleanQuery::new(either)) as Box<dyn Query>)
    }
}

/// The best-scoring of several alternatives (a lone one needs no wrapper:
/// each union of posting lists costs a buffer).
pub(super) fn best_of(mut alts: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if alts.len() == 1 {
        alts.pop().expect("one element")
    } else {
        Box::new(DisjunctionMaxQuery::new(alts))
    }
}
