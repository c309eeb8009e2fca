//! English stems of single words (Porter 2, by frostem) with a memo of
//! every word and stem seen, and what the tokenizer needs of each word as
//! written.
//!
//! Speed, measured (2026-12-07, whole-process `setproc build`, alternating
//! runs): the memo itself is what makes indexing affordable (a stem per
//! running word otherwise). Two layers once in front of it, a table keyed
//! by the bytes of words of up to 15 bytes and a 1,024-slot cache of the
//! commonest, were taken out: they saved 2.5–9.7 ms (median 4.9 ms over
//! seven runs of 21–61 rounds) of a ~90 ms build, 1.2 % of its
//! instructions, for ninety lines of bit masks.

use super::fold_into;
use super::words::is_unindexed;
use crate::text::hash::FxHashMap;

/// English stems of single words, reusing one stemmer and remembering
/// every stem it made (the manual has ~15,000 distinct words but ~220,000
/// running words; stemming each occurrence afresh dominated indexing and
/// snippet time).
#[derive(Clone)]
pub struct WordStemmer {
    pub(super) stemmer: frostem::Stemmer,
    /// Folded word → its number (one hash lookup per known word).
    pub(super) cache: FxHashMap<String, u32>,
    /// By number: where the folded word and its stem lie in `text`. One
    /// arena rather than two `String`s a word: the indexer reads a stem per
    /// running word, and pointers to scattered strings were cache misses.
    pub(super) at: Vec<Stored>,
    pub(super) text: String,
    /// Word as written (`Children's`) → what the tokenizer needs of it:
    /// the indexer's one lookup per running word.
    pub(super) written: FxHashMap<String, Written>,
    pub(super) bounded: bool,
}

/// A folded word and its stem: `text[start..start + word]`, then the stem
/// right after it.
#[derive(Clone, Copy)]
pub(super) struct Stored {
    pub(super) start: u32,
    pub(super) word: u32,
    pub(super) stem: u32,
}

/// What the memo knows of a word as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    /// The folded word's number.
    pub(super) id: u32,
    /// [`UNINDEXED`], [`SECTION_WORD`], [`DIGITS`].
    pub(super) flags: u8,
}

/// The word is left out of the index ([`is_unindexed`]).
pub(super) const UNINDEXED: u8 = 1;

/// `s` or `section`: a statute number may follow.
pub(super) const SECTION_WORD: u8 = 2;

/// All digits.
pub(super) const DIGITS: u8 = 4;

pub(super) fn flags_of(word: &str) -> u8 {
    let mut f = 0;
    if is_unindexed(word) {
        f |= UNINDEXED;
    }
    if word == "s" || word == "section" {
        f |= SECTION_WORD;
    }
    if !word.is_empty() && word.bytes().all(|c| c.is_ascii_digit()) {
        f |= DIGITS;
    }
    f
}

impl Default for WordStemmer {
    fn default() -> Self {
        WordStemmer {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            cache: std::collections::HashMap::default(),
            at: Vec::new(),
            text: String::new(),
            written: std::collections::HashMap::default(),
            bounded: true,
        }
    }
}

/// Words Porter stemming folds into another word's stem although they mean
/// something else here: "armed" (the Armed Forces, armed police) is not
/// "arm"/"arms" (a child cutting her arms). Kept whole.
pub(super) const OVERSTEMMED: &[&str] = &["armed"];

impl WordStemmer {
    /// The stem of an already tokenized (lower-case) word.
    pub fn stem(&mut self, word: &str) -> String {
        self.stem_ref(word).to_string()
    }

    /// The stem, borrowed from the memo (no allocation once known).
    pub fn stem_ref(&mut self, word: &str) -> &str {
        let i = self.stem_index(word);
        self.stem_of(i)
    }

    /// A word as written (a span of [`super::spans`]) folded, and its stem.
    pub fn fold_and_stem(&mut self, written: &str) -> (&str, &str) {
        let w = self.written_at(written, 0, written.len());
        (self.word_of(w.id), self.stem_of(w.id))
    }

    /// The folded word numbered `id`.
    pub(super) fn word_of(&self, id: u32) -> &str {
        let s = self.at[id as usize];
        &self.text[s.start as usize..(s.start + s.word) as usize]
    }

    /// The stem of the folded word numbered `id`.
    pub(super) fn stem_of(&self, id: u32) -> &str {
        let s = self.at[id as usize];
        let from = (s.start + s.word) as usize;
        &self.text[from..from + s.stem as usize]
    }

    /// What the memo knows of the word `text[start..end]` (a span of
    /// [`spans`]); its number is stable for the memo's life when unbounded.
    pub(super) fn written_at(&mut self, text: &str, start: usize, end: usize) -> Written {
        let written = &text[start..end];
        if let Some(&w) = self.written.get(written) {
            return w;
        }
        self.bound();
        let mut word = String::with_capacity(written.len());
        fold_into(written, &mut word);
        let w = Written {
            id: self.stem_index(&word),
            flags: flags_of(&word),
        };
        self.written.insert(written.to_string(), w);
        w
    }

    /// Bounded: a long-lived reader sees endless typed prefixes, and new
    /// ways of writing known words. (A counting memo is not: its numbers
    /// must hold, and a build's words are bounded by its text.)
    pub(super) fn bound(&mut self) {
        if self.bounded && (self.at.len() > 100_000 || self.written.len() > 100_000) {
            self.cache.clear();
            self.at.clear();
            self.text.clear();
            self.written.clear();
        }
    }

    pub(super) fn stem_index(&mut self, word: &str) -> u32 {
        if let Some(&i) = self.cache.get(word) {
            return i;
        }
        self.bound();
        let start = self.text.len();
        self.text.push_str(word);
        if OVERSTEMMED.contains(&word) {
            self.text.push_str(word);
        } else {
            let stem = self.stemmer.stem(word);
            self.text.push_str(&stem);
        }
        let i = self.at.len() as u32;
        self.at.push(Stored {
            start: start as u32,
            word: word.len() as u32,
            stem: (self.text.len() - start - word.len()) as u32,
        });
        self.cache.insert(word.to_string(), i);
        i
    }
}
