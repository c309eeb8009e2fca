//! English stems of single words (Porter 2, by frostem) with a memo of
//! every word and stem seen, and what the tokenizer needs of each word as
//! written.

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
    /// The same for words of up to 15 bytes, keyed by [`short_key`].
    pub(super) written_short: FxHashMap<[u64; 2], Written>,
    /// The last short word seen in each of [`HOT_SLOTS`] slots: the
    /// commonest words answered from 24 KB that stay in the L1 cache (the
    /// table above is ~800 KB; its cache misses were half of a lookup).
    /// A key of zeros is no word (a key holds its length).
    pub(super) hot: Box<[([u64; 2], Written)]>,
    pub(super) bounded: bool,
}

pub(super) const HOT_SLOTS: usize = 1024;

pub(super) fn hot_slot(key: [u64; 2]) -> usize {
    let h = (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 54) as usize
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
            written_short: std::collections::HashMap::default(),
            hot: Box::default(),
            bounded: true,
        }
    }
}

/// A word of up to 15 bytes as one number: its bytes, and its length in
/// the top byte (so that no two words share a key).
pub(super) fn short_key(word: &str) -> Option<[u64; 2]> {
    let b = word.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..b.len()].copy_from_slice(b);
    key[15] = b.len() as u8;
    Some(split_key(key))
}

pub(super) fn split_key(key: [u8; 16]) -> [u64; 2] {
    let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = key;
    [
        u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        u64::from_le_bytes([i, j, k, l, m, n, o, p]),
    ]
}

/// [`short_key`] of `text[start..end]`, read as two whole words from the
/// text when 16 bytes follow `start` (no copy: a `memcpy` call a word was
/// a visible cost of indexing).
pub(super) fn short_key_at(text: &str, start: usize, end: usize) -> Option<[u64; 2]> {
    let len = end - start;
    if len > 15 {
        return None;
    }
    let Some(window) = text.as_bytes().get(start..start + 16) else {
        return short_key(&text[start..end]);
    };
    let mut key = [0u8; 16];
    key.copy_from_slice(window);
    let [lo, hi] = split_key(key);
    let lo_mask = if len >= 8 {
        !0
    } else {
        (1u64 << (8 * len)) - 1
    };
    let hi_mask = if len <= 8 {
        0
    } else {
        (1u64 << (8 * (len - 8))) - 1
    };
    Some([lo & lo_mask, (hi & hi_mask) | ((len as u64) << 56)])
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
        // Most words fit in 15 bytes: keyed by value, they are found
        // without hashing a string or comparing one through a pointer.
        let short = short_key_at(text, start, end);
        let written = &text[start..end];
        let slot = short.map(hot_slot);
        if let (Some(k), Some(i)) = (short, slot)
            && let Some((key, w)) = self.hot.get(i)
            && *key == k
        {
            return *w;
        }
        let known = match short {
            Some(k) => self.written_short.get(&k),
            None => self.written.get(written),
        };
        if let Some(&w) = known {
            if let (Some(k), Some(i)) = (short, slot) {
                self.remember(i, k, w);
            }
            return w;
        }
        self.bound();
        let mut word = String::with_capacity(written.len());
        fold_into(written, &mut word);
        let w = Written {
            id: self.stem_index(&word),
            flags: flags_of(&word),
        };
        match short {
            Some(k) => self.written_short.insert(k, w),
            None => self.written.insert(written.to_string(), w),
        };
        if let (Some(k), Some(i)) = (short, slot) {
            self.remember(i, k, w);
        }
        w
    }

    pub(super) fn remember(&mut self, slot: usize, key: [u64; 2], w: Written) {
        if self.hot.is_empty() {
            self.hot = vec![([0, 0], Written { id: 0, flags: 0 }); HOT_SLOTS].into_boxed_slice();
        }
        self.hot[slot] = (key, w);
    }

    /// Bounded: a long-lived reader sees endless typed prefixes, and new
    /// ways of writing known words. (A counting memo is not: its numbers
    /// must hold, and a build's words are bounded by its text.)
    pub(super) fn bound(&mut self) {
        let written = self.written.len() + self.written_short.len();
        if self.bounded && (self.at.len() > 100_000 || written > 100_000) {
            self.cache.clear();
            self.at.clear();
            self.text.clear();
            self.written.clear();
            self.written_short.clear();
            self.hot = Box::default();
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
