//! Expansion: each word typed becomes a concept with its alternatives:
//! stems, corrections of typos, completions of an unfinished word, the
//! manual's acronyms both ways, old and everyday terms, words of one root.

use std::collections::HashMap;

use super::query::{age_bands, asks_about_time, find_seq, fold};
use super::{COMMON_PHRASE, Engine, NARRATIVE, Options, ParsedQuery, is_english_word};
use crate::store::lookup::edit_distance;
use crate::terms::thesaurus;
use crate::text::analysis::{self, is_stopword};

/// One thing the user asked for, with the ways it may appear in the text.
#[derive(Debug, Clone)]
pub(super) struct Concept {
    pub(super) alternatives: Vec<Alternative>,
    /// How much the concept counts: less for words that tell a story
    /// rather than name a topic ([`analysis::is_narrative`]).
    pub(super) weight: f32,
}

impl Concept {
    pub(super) fn new(alternatives: Vec<Alternative>) -> Concept {
        Concept {
            alternatives,
            weight: 1.0,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Alternative {
    /// Unstemmed words (one for a term, several for a phrase).
    pub(super) words: Vec<String>,
    pub(super) weight: f32,
    /// Where it came from: what `search --explain` says found a hit.
    pub(super) origin: Origin,
}

/// Where an alternative came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// What was typed (and its stem).
    Typed,
    /// An acronym's long form, or the acronym of a long form typed.
    Acronym,
    /// The current name of an old term, as the manual or the
    /// terminology file states it.
    OldTerm,
    /// The manual's word for an everyday one.
    Everyday,
    /// Words a question implies ("how long" → days).
    Question,
    /// The manual's age band for an age ("15 year old" → under 16).
    Age,
    /// A completion of the unfinished last word.
    Completion,
    /// A correction of a word that is not in the manual or English.
    Typo,
}

impl Origin {
    /// The name `search --explain` and `--json`'s `found_by` use.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Typed => "words",
            Origin::Acronym => "acronym",
            Origin::OldTerm => "old term",
            Origin::Everyday => "everyday word",
            Origin::Question => "question",
            Origin::Age => "age band",
            Origin::Completion => "completion",
            Origin::Typo => "typo",
        }
    }
}

impl Alternative {
    fn new(words: Vec<String>, weight: f32, origin: Origin) -> Alternative {
        Alternative {
            words,
            weight,
            origin,
        }
    }
}

/// A query's words being turned into concepts: which words a concept
/// already covers.
struct Typed {
    /// The words typed, folded.
    lower: Vec<String>,
    covered: Vec<bool>,
    concepts: Vec<Concept>,
}

impl Typed {
    /// Adds a concept that covers `len` words from `at`.
    fn push(&mut self, c: Concept, at: usize, len: usize) {
        self.concepts.push(c);
        for c in self.covered.iter_mut().skip(at).take(len) {
            *c = true;
        }
    }
}

/// The words of a term as the tokenizer reads them.
fn words_of(text: &str) -> Vec<String> {
    analysis::tokenize(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

impl Engine<'_> {
    pub(super) fn known(&self, word: &str) -> bool {
        self.idx.words().doc_freq(word) > 0
    }

    /// Words in the manual that start with `prefix`, most frequent first.
    pub(super) fn completions(&self, prefix: &str, max: usize) -> Vec<String> {
        let mut v: Vec<(&str, u32)> = self.idx.words().with_prefix(prefix).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(max);
        v.into_iter().map(|(w, _)| w.to_string()).collect()
    }

    /// Words of the manual one edit from `word` (two for words of eight
    /// letters or more), closest and most common first.
    pub(super) fn corrections(&self, word: &str) -> Vec<String> {
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

    /// Turns a parsed query into concepts with their alternatives: first
    /// what spans several words (ages, old terms, acronyms typed in full, a
    /// question about time, everyday phrases), then each word not yet
    /// covered.
    pub(super) fn concepts(&mut self, q: &ParsedQuery, opts: Options) -> Vec<Concept> {
        let lower: Vec<String> = q.words.iter().map(|w| fold(w)).collect();
        let mut t = Typed {
            covered: vec![false; lower.len()],
            lower,
            concepts: Vec::new(),
        };
        self.age_concepts(&mut t);
        self.alias_concepts(&mut t);
        self.long_form_concepts(&mut t);
        if asks_about_time(&t.lower) {
            t.concepts.push(self.time_concept());
        }
        let mut everyday = self.everyday_concepts(&mut t);
        for (i, typed) in q.words.iter().enumerate() {
            if t.covered[i] {
                continue;
            }
            let word = &t.lower[i];
            let last = i + 1 == t.lower.len();
            if word.is_empty() || (is_stopword(word) && !(last && q.open_end && opts.as_you_type)) {
                continue;
            }
            let unfinished = last && q.open_end;
            let extra = everyday.remove(&i).unwrap_or_default();
            let c = self.word_concept(typed, word, extra, unfinished, opts);
            t.concepts.push(c);
        }
        t.concepts
    }

    /// Ages: the manual speaks in bands ("under 16", "under 13").
    fn age_concepts(&mut self, t: &mut Typed) {
        for (at, len, band) in age_bands(&t.lower) {
            let mut alts = vec![Alternative::new(
                vec![t.lower[at].clone()],
                1.0,
                Origin::Typed,
            )];
            if let Some(b) = band {
                alts.push(Alternative::new(
                    vec!["under".into(), b.to_string()],
                    self.weights.expansion,
                    Origin::Age,
                ));
            }
            t.push(Concept::new(alts), at, len);
        }
    }

    /// Old terms that cover several words ("serious case review"), matched
    /// on the whole query.
    fn alias_concepts(&mut self, t: &mut Typed) {
        let joined = t.lower.join(" ");
        for (term, means) in self.vocab.aliases_in(&joined) {
            let alias_words = words_of(&term);
            let hay = self.stem_all(&t.lower);
            let needle = self.stem_all(&alias_words);
            if let Some(start) = find_seq(&hay, &needle) {
                let len = alias_words.len();
                // The current term counts as much as the old one typed.
                let alts = vec![
                    Alternative::new(alias_words, 1.0, Origin::Typed),
                    Alternative::new(words_of(&means), 1.0, Origin::OldTerm),
                ];
                t.push(Concept::new(alts), start, len);
            }
        }
    }

    /// Long forms of acronyms typed in full also match the acronym.
    fn long_form_concepts(&mut self, t: &mut Typed) {
        let n = t.lower.len();
        for i in 0..n {
            for len in (2..=6).rev() {
                if i + len > n || t.covered[i..i + len].iter().any(|c| *c) {
                    continue;
                }
                let words: Vec<&str> = t.lower[i..i + len].iter().map(String::as_str).collect();
                if let Some(acr) = self.vocab.acronym_for_phrase(&words) {
                    let alts = vec![
                        Alternative::new(
                            words.iter().map(|w| w.to_string()).collect(),
                            1.0,
                            Origin::Typed,
                        ),
                        Alternative::new(vec![fold(&acr)], self.weights.expansion, Origin::Acronym),
                    ];
                    t.push(Concept::new(alts), i, len);
                }
            }
        }
    }

    /// A question about time ("how long", "how soon", "when must") is
    /// answered by a timescale: give those words a voice.
    fn time_concept(&self) -> Concept {
        let words = [
            "within",
            "hours",
            "days",
            "weeks",
            "months",
            "years",
            "timescales",
        ];
        Concept::new(
            words
                .iter()
                .map(|w| {
                    Alternative::new(vec![w.to_string()], self.weights.intent, Origin::Question)
                })
                .collect(),
        )
    }

    /// Everyday words → the manual's words. A longer entry is a concept of
    /// its own; a one-word entry's alternatives are returned by the word's
    /// position, to join that word's concept.
    fn everyday_concepts(&mut self, t: &mut Typed) -> HashMap<usize, Vec<Alternative>> {
        let n = t.lower.len();
        let lower = &t.lower;
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
                .map(|w| Alternative::new(words_of(w), self.weights.everyday, Origin::Everyday))
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
                t.concepts.push(Concept::new(alternatives));
            }
        }
        everyday
    }

    /// One word's concept: the word, its acronym's long form, everyday
    /// alternatives (`extra`), and for a word the manual never uses, the old
    /// names and title acronyms it may be part of; completions if it is
    /// unfinished, corrections if it is a typo.
    fn word_concept(
        &mut self,
        typed: &str,
        word: &str,
        extra: Vec<Alternative>,
        unfinished: bool,
        opts: Options,
    ) -> Concept {
        let mut alts = vec![Alternative::new(vec![word.to_string()], 1.0, Origin::Typed)];
        if let Some(long) = self.vocab.expand_acronym(typed) {
            alts.push(Alternative::new(
                words_of(&long),
                self.weights.expansion,
                Origin::Acronym,
            ));
        }
        alts.extend(extra);
        let known = self.known(word);
        if !known {
            // A word the manual never uses may be part of an old name
            // ("munchausen") or an acronym it never spells out ("UASC").
            let named = self.vocab.aliases_in(word).into_iter();
            for (_, means) in named.chain(self.vocab.aliases_containing(word)) {
                alts.push(Alternative::new(
                    words_of(&means),
                    self.weights.expansion,
                    Origin::OldTerm,
                ));
            }
            let capitals = typed.chars().all(|c| c.is_ascii_uppercase());
            if capitals && let Some(words) = self.acronym_from_titles(typed) {
                alts.push(Alternative::new(
                    words,
                    self.weights.expansion,
                    Origin::Acronym,
                ));
            }
        }
        if unfinished && (opts.as_you_type || !known) && word.chars().count() >= 2 {
            for c in self.completions(word, 10) {
                if c != word {
                    alts.push(Alternative::new(
                        vec![c],
                        self.weights.prefix,
                        Origin::Completion,
                    ));
                }
            }
        }
        let has_completions = alts.iter().any(|a| a.origin == Origin::Completion);
        if !known && !has_completions && word.chars().count() >= 4 && !is_english_word(word) {
            for c in self.corrections(word) {
                alts.push(Alternative::new(vec![c], self.weights.typo, Origin::Typo));
            }
        }
        let mut c = Concept::new(alts);
        if analysis::is_narrative(word) {
            c.weight = NARRATIVE;
        }
        c
    }

    pub(super) fn stem_all(&mut self, words: &[String]) -> Vec<String> {
        words.iter().map(|w| self.stemmer.stem(w)).collect()
    }

    /// Stems in the index that share `stem`'s root but differ from it
    /// (at most a few, the most common first).
    pub(super) fn same_root(&mut self, stem: &str) -> Vec<String> {
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

    /// Titles whose consecutive words' initials spell `letters` (an acronym
    /// the manual never spells out, such as `UASC` for "Unaccompanied Asylum
    /// Seeking Children"); the words, lower case. Small words may be skipped.
    pub(super) fn acronym_from_titles(&self, letters: &str) -> Option<Vec<String>> {
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
}
