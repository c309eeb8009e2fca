//! Text analysis shared by the index and the query side: how the manual's
//! text and a user's query become terms.
//!
//! One tokenizer serves both, so they can never disagree:
//! - words are runs of letters and digits, lower-cased, with common accents
//!   folded (`café` → `cafe`);
//! - a possessive `'s` is dropped (`children's` → `children`) and other
//!   apostrophes join (`don't` → `dont`);
//! - statutory section references meet however they are written: `s47`,
//!   `S.47`, `s 47` and `section 47` all carry the term `s47` (at the
//!   number's position, so phrases still line up). A dotted number
//!   (`section 3.6`) is the manual's own numbering and is left alone.
//!
//! Stemming (English, Porter 2) is a separate step. Prefix search does not
//! use the stemmed terms (a stemmed index holds `privat`, so it cannot tell
//! what `priv` completes to): the index keeps the manual's unstemmed words
//! beside it (`words.txt`), completions are looked up there and stemmed.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::text::hash::FxHashMap;

/// Registered name of the stemmed analyzer.
pub const STEMMED: &str = "set_en_stem";
/// Characters of a stem kept as its "root".
pub const ROOT_LEN: usize = 5;

/// The first [`ROOT_LEN`] characters of a stem: a coarser match than Porter
/// stemming that joins derivations it keeps apart (`violent`/`violence`,
/// `marry`/`marriage`, `pregnant`/`pregnancy`). Used as a weak signal only.
pub fn root(stem: &str) -> &str {
    match stem.char_indices().nth(ROOT_LEN) {
        Some((i, _)) => &stem[..i],
        None => stem,
    }
}

/// One token of analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    /// Lower-cased, folded text (not stemmed).
    pub text: String,
    /// Byte range in the input.
    pub start: usize,
    pub end: usize,
    pub position: usize,
    /// Added by analysis (the `s47` of `section 47`), not typed.
    pub synthetic: bool,
}

/// Splits text into tokens (see the module docs for the rules).
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = spans(text)
        .enumerate()
        .map(|(position, (start, end))| {
            let mut word = String::with_capacity(end - start);
            fold_into(&text[start..end], &mut word);
            Tok {
                text: word,
                start,
                end,
                position,
                synthetic: false,
            }
        })
        .collect();
    add_section_refs(text, &mut toks);
    toks
}

/// The byte ranges of the words of `text`, without allocating: runs of
/// letters and digits, joined across an inner apostrophe (`don't`), with a
/// possessive `'s` left out. [`fold_into`] turns a range into its token.
pub fn spans(text: &str) -> Spans<'_> {
    Spans { text, pos: 0 }
}

/// Iterator of [`spans`].
pub struct Spans<'a> {
    text: &'a str,
    pos: usize,
}

impl Spans<'_> {
    /// The char at byte `i` and its length (ASCII without decoding).
    fn char_at(&self, i: usize) -> (char, usize) {
        let b = self.text.as_bytes()[i];
        if b < 0x80 {
            (b as char, 1)
        } else {
            let c = self.text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        }
    }
}

/// What each byte is to [`Spans`]: a separator (ASCII, not a letter,
/// digit or apostrophe), a word byte (ASCII letter or digit), or a byte
/// that needs a closer look (an apostrophe, or part of a non-ASCII char).
const SEP: u8 = 0;
const WORD: u8 = 1;
const BYTE_CLASS: [u8; 256] = {
    let mut t = [2u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if (b as u8).is_ascii_alphanumeric() {
            WORD
        } else if b as u8 == b'\'' {
            2
        } else {
            SEP
        };
        b += 1;
    }
    t
};

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut i = self.pos;
        // To the start of the next word: runs of separators in a tight
        // loop (a table lookup a byte), anything else looked at.
        loop {
            while i < len && BYTE_CLASS[bytes[i] as usize] == SEP {
                i += 1;
            }
            if i >= len {
                self.pos = len;
                return None;
            }
            let b = bytes[i];
            if b < 0x80 {
                if b != b'\'' {
                    break;
                }
                i += 1;
                continue;
            }
            let (c, n) = self.char_at(i);
            if c.is_alphanumeric() {
                break;
            }
            i += n;
        }
        let start = i;
        let mut end = i;
        loop {
            let run = i;
            while i < len && BYTE_CLASS[bytes[i] as usize] == WORD {
                i += 1;
            }
            if i > run {
                end = i;
            }
            if i >= len {
                break;
            }
            let b = bytes[i];
            if b < 0x80 && b != b'\'' {
                // The common word end: ASCII space or punctuation.
                break;
            }
            let (c, n) = self.char_at(i);
            if c.is_alphanumeric() {
                i += n;
                end = i;
                continue;
            }
            if c == '\'' || c == '’' {
                let mut rest = self.text[i + n..].chars();
                let next = rest.next();
                let after = rest.next();
                if matches!(next, Some('s' | 'S')) && after.is_none_or(|a| !a.is_alphanumeric()) {
                    // Possessive: the word ends before it; skip the "'s".
                    self.pos = i + n + 1;
                    return Some((start, end));
                }
                if next.is_some_and(char::is_alphanumeric) {
                    i += n;
                    continue;
                }
            }
            break;
        }
        self.pos = i.max(end);
        Some((start, end))
    }
}

/// Appends the token form of one word (lower case, accents folded, inner
/// apostrophes dropped) to `out`.
pub fn fold_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_alphanumeric() {
            push_folded(out, c);
        }
    }
}

/// `s 47`, `s.47`, `section 47` → an extra `s47` token at the number.
fn add_section_refs(text: &str, toks: &mut Vec<Tok>) {
    let mut extra = Vec::new();
    for w in toks.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if !(a.text == "s" || a.text == "section")
            || !is_statute_number(text, a.end, b.start, b.end, &b.text)
        {
            continue;
        }
        extra.push(Tok {
            text: format!("s{}", b.text),
            start: a.start,
            end: b.end,
            position: b.position,
            synthetic: true,
        });
    }
    if !extra.is_empty() {
        toks.extend(extra);
        toks.sort_by_key(|t| (t.position, t.synthetic));
    }
}

fn push_folded(word: &mut String, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
        return;
    }
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => {
            word.extend(other.to_lowercase());
            return;
        }
    };
    word.push(folded);
}

/// Registered name of the title field's analyzer: the same analysis as
/// [`STEMMED`], registered apart because a build gives the two fields
/// different analyzers (the text field's plays back tokens made ahead,
/// see [`crate::search::index::tape`]; the title field's replays a repeated title).
pub const STEMMED_TITLE: &str = "set_en_stem_title";

/// The tokenizer as tantivy sees it: the words' English stems. It streams:
/// one token buffer, reused, and stems from a memo (indexing the manual
/// tokenizes ~250,000 words).
#[derive(Clone, Default)]
pub struct SetTokenizer {
    stemmer: WordStemmer,
}

/// The same tokens, counting the words of each text they come from: every
/// word (folded, not stemmed) with the number of texts it occurred in.
/// Counting while tokenizing for the index costs one array update a word;
/// counting afterwards meant tokenizing the whole manual a second time.
pub struct WordCounts {
    /// Its memo numbers each distinct folded word: the index into `df`.
    stemmer: WordStemmer,
    df: Vec<u32>,
    /// The text each word was last counted in.
    last: Vec<u32>,
    texts: u32,
}

impl Default for WordCounts {
    fn default() -> WordCounts {
        WordCounts {
            stemmer: WordStemmer {
                bounded: false,
                ..WordStemmer::default()
            },
            df: Vec::new(),
            last: Vec::new(),
            texts: 0,
        }
    }
}

impl WordCounts {
    /// A memo with room for the words of a text of `bytes` bytes (growing
    /// its tables as the words came, a doubling at a time, showed in a
    /// build's profile).
    pub fn for_text(bytes: usize) -> WordCounts {
        let mut c = WordCounts::default();
        // The manual: 1.4 MB, ~16,000 words as written, ~13,000 folded.
        let words = (bytes / 80).clamp(1024, 1 << 20);
        let s = &mut c.stemmer;
        s.written_short.reserve(words);
        s.cache.reserve(words);
        s.at.reserve(words);
        s.text.reserve(words * 12);
        c.df.reserve(words);
        c.last.reserve(words);
        c
    }

    /// `text`'s tokens, as [`SetTokenizer`] gives them; `text` counts as
    /// one more text.
    pub fn token_stream<'a>(&'a mut self, text: &'a str) -> SetTokenStream<'a> {
        self.texts += 1;
        SetTokenStream::new(text, MemoRef::Counting(self))
    }

    /// Learns the words of `text` (folds and stems them into the memo)
    /// without counting them: a word counts only in a text it is
    /// tokenized in.
    pub fn learn(&mut self, text: &str) {
        for (a, b) in spans(text) {
            self.stemmer.written_at(text, a, b);
        }
    }

    /// Each word seen, with its number of texts.
    pub fn into_counts(self) -> impl Iterator<Item = (String, u32)> {
        let df = self.df;
        self.stemmer
            .cache
            .into_iter()
            .filter_map(move |(w, id)| df.get(id as usize).map(|&n| (w, n)))
            .filter(|(_, n)| *n > 0)
    }
}

impl Tokenizer for SetTokenizer {
    type TokenStream<'a> = SetTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SetTokenStream<'a> {
        SetTokenStream::new(text, MemoRef::Own(&mut self.stemmer))
    }
}

/// The memo a stream uses, held for the stream's life.
enum MemoRef<'a> {
    Own(&'a mut WordStemmer),
    Counting(&'a mut WordCounts),
}

impl MemoRef<'_> {
    fn stemmer(&mut self) -> &mut WordStemmer {
        match self {
            MemoRef::Own(s) => s,
            MemoRef::Counting(c) => &mut c.stemmer,
        }
    }

    /// [`WordStemmer::written_at`], counting the word when counting.
    fn written_at(&mut self, text: &str, start: usize, end: usize) -> Written {
        match self {
            MemoRef::Own(s) => s.written_at(text, start, end),
            MemoRef::Counting(c) => {
                let WordCounts {
                    stemmer,
                    df,
                    last,
                    texts,
                } = &mut **c;
                let w = stemmer.written_at(text, start, end);
                let id = w.id as usize;
                if id >= df.len() {
                    df.resize(id + 1, 0);
                    last.resize(id + 1, 0);
                }
                if last[id] != *texts {
                    last[id] = *texts;
                    df[id] += 1;
                }
                w
            }
        }
    }
}

/// [`SetTokenizer`]'s stream.
pub struct SetTokenStream<'a> {
    text: &'a str,
    spans: Spans<'a>,
    memo: MemoRef<'a>,
    token: Token,
    position: usize,
    /// The span of a preceding `s`/`section` (a statute number may follow).
    section_word: Option<(usize, usize)>,
    /// A synthetic `s47` to emit after its number: (start, end, position).
    pending: Option<(usize, usize, usize, String)>,
}

impl<'a> SetTokenStream<'a> {
    fn new(text: &'a str, memo: MemoRef<'a>) -> SetTokenStream<'a> {
        SetTokenStream {
            text,
            spans: spans(text),
            memo,
            token: Token::default(),
            position: 0,
            section_word: None,
            pending: None,
        }
    }

    /// The next token: its offsets and position, its stem appended to
    /// `stem` (what [`TokenStream::advance`] puts in the token, for a
    /// caller that keeps stems elsewhere: one copy a token fewer).
    pub fn next_into(&mut self, stem: &mut String) -> Option<(usize, usize, usize)> {
        if let Some((a, b, pos, word)) = self.pending.take() {
            stem.push_str(self.memo.stemmer().stem_ref(&word));
            return Some((a, b, pos));
        }
        let (a, b, w) = loop {
            let (a, b) = self.spans.next()?;
            // Folded and stemmed in one memo lookup of the word as written.
            let w = self.memo.written_at(self.text, a, b);
            if w.flags & UNINDEXED == 0 {
                break (a, b, w);
            }
            // Its position stays taken, so phrases keep their gaps.
            self.section_word = None;
            self.position += 1;
        };
        if let Some((sa, sb)) = self.section_word.take()
            && w.flags & DIGITS != 0
            && statute_gap(self.text, sb, a, b)
        {
            let number = self.memo.stemmer().word_of(w.id);
            self.pending = Some((sa, b, self.position, format!("s{number}")));
        }
        if w.flags & SECTION_WORD != 0 {
            self.section_word = Some((a, b));
        }
        stem.push_str(self.memo.stemmer().stem_of(w.id));
        let position = self.position;
        self.position += 1;
        Some((a, b, position))
    }
}

impl TokenStream for SetTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let mut text = std::mem::take(&mut self.token.text);
        text.clear();
        let next = self.next_into(&mut text);
        let t = &mut self.token;
        t.text = text;
        let Some((a, b, position)) = next else {
            return false;
        };
        t.offset_from = a;
        t.offset_to = b;
        t.position = position;
        t.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Whether the word at `start..end` (folded: `word`) is a statute number
/// after an `s`/`section` ending at `prev_end`: digits, separated by at most
/// a space or dot, and not the manual's own dotted numbering (`3.6`).
fn is_statute_number(text: &str, prev_end: usize, start: usize, end: usize, word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|c| c.is_ascii_digit())
        && statute_gap(text, prev_end, start, end)
}

/// [`is_statute_number`] once the word is known to be digits.
fn statute_gap(text: &str, prev_end: usize, start: usize, end: usize) -> bool {
    let gap = &text[prev_end..start];
    let after = &text[end..];
    gap.len() <= 2
        && gap.chars().all(|c| c == ' ' || c == '.')
        && !(after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The analyzer of the index's text fields.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(SetTokenizer::default())
}

/// English stems of single words, reusing one stemmer and remembering
/// every stem it made (the manual has ~15,000 distinct words but ~220,000
/// running words; stemming each occurrence afresh dominated indexing and
/// snippet time).
#[derive(Clone)]
pub struct WordStemmer {
    stemmer: frostem::Stemmer,
    /// Folded word → its number (one hash lookup per known word).
    cache: FxHashMap<String, u32>,
    /// By number: where the folded word and its stem lie in `text`. One
    /// arena rather than two `String`s a word: the indexer reads a stem per
    /// running word, and pointers to scattered strings were cache misses.
    at: Vec<Stored>,
    text: String,
    /// Word as written (`Children's`) → what the tokenizer needs of it:
    /// the indexer's one lookup per running word.
    written: FxHashMap<String, Written>,
    /// The same for words of up to 15 bytes, keyed by [`short_key`].
    written_short: FxHashMap<[u64; 2], Written>,
    /// The last short word seen in each of [`HOT_SLOTS`] slots: the
    /// commonest words answered from 24 KB that stay in the L1 cache (the
    /// table above is ~800 KB; its cache misses were half of a lookup).
    /// A key of zeros is no word (a key holds its length).
    hot: Box<[([u64; 2], Written)]>,
    bounded: bool,
}

const HOT_SLOTS: usize = 1024;

fn hot_slot(key: [u64; 2]) -> usize {
    let h = (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 54) as usize
}

/// A folded word and its stem: `text[start..start + word]`, then the stem
/// right after it.
#[derive(Clone, Copy)]
struct Stored {
    start: u32,
    word: u32,
    stem: u32,
}

/// What the memo knows of a word as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    /// The folded word's number.
    id: u32,
    /// [`UNINDEXED`], [`SECTION_WORD`], [`DIGITS`].
    flags: u8,
}

/// The word is left out of the index ([`is_unindexed`]).
const UNINDEXED: u8 = 1;
/// `s` or `section`: a statute number may follow.
const SECTION_WORD: u8 = 2;
/// All digits.
const DIGITS: u8 = 4;

fn flags_of(word: &str) -> u8 {
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
fn short_key(word: &str) -> Option<[u64; 2]> {
    let b = word.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..b.len()].copy_from_slice(b);
    key[15] = b.len() as u8;
    Some(split_key(key))
}

fn split_key(key: [u8; 16]) -> [u64; 2] {
    let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = key;
    [
        u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        u64::from_le_bytes([i, j, k, l, m, n, o, p]),
    ]
}

/// [`short_key`] of `text[start..end]`, read as two whole words from the
/// text when 16 bytes follow `start` (no copy: a `memcpy` call a word was
/// a visible cost of indexing).
fn short_key_at(text: &str, start: usize, end: usize) -> Option<[u64; 2]> {
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
const OVERSTEMMED: &[&str] = &["armed"];

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

    /// A word as written (a span of [`spans`]) folded, and its stem.
    pub fn fold_and_stem(&mut self, written: &str) -> (&str, &str) {
        let w = self.written_at(written, 0, written.len());
        (self.word_of(w.id), self.stem_of(w.id))
    }

    /// The folded word numbered `id`.
    fn word_of(&self, id: u32) -> &str {
        let s = self.at[id as usize];
        &self.text[s.start as usize..(s.start + s.word) as usize]
    }

    /// The stem of the folded word numbered `id`.
    fn stem_of(&self, id: u32) -> &str {
        let s = self.at[id as usize];
        let from = (s.start + s.word) as usize;
        &self.text[from..from + s.stem as usize]
    }

    /// What the memo knows of the word `text[start..end]` (a span of
    /// [`spans`]); its number is stable for the memo's life when unbounded.
    fn written_at(&mut self, text: &str, start: usize, end: usize) -> Written {
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

    fn remember(&mut self, slot: usize, key: [u64; 2], w: Written) {
        if self.hot.is_empty() {
            self.hot = vec![([0, 0], Written { id: 0, flags: 0 }); HOT_SLOTS].into_boxed_slice();
        }
        self.hot[slot] = (key, w);
    }

    /// Bounded: a long-lived reader sees endless typed prefixes, and new
    /// ways of writing known words. (A counting memo is not: its numbers
    /// must hold, and a build's words are bounded by its text.)
    fn bound(&mut self) {
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

    fn stem_index(&mut self, word: &str) -> u32 {
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

/// Words that carry a story, not a topic ("I still think…", "he brought…",
/// "made me promise"): rare in the manual, so their rarity would otherwise
/// outweigh the words that name what the query is about. Still searched,
/// with less weight.
pub fn is_narrative(w: &str) -> bool {
    const NARRATIVE: &[&str] = &[
        "think",
        "thinks",
        "thought",
        "still",
        "made",
        "make",
        "makes",
        "brought",
        "bring",
        "brings",
        "let",
        "lets",
        "really",
        "anyone",
        "anybody",
        "anything",
        "everyone",
        "everything",
        "tried",
        "try",
        "tries",
        "trying",
        "seem",
        "seems",
        "seemed",
        "feel",
        "feels",
        "felt",
        "know",
        "knows",
        "knew",
        "want",
        "wants",
        "wanted",
        "going",
        "went",
        "goes",
        "come",
        "came",
        "comes",
        "put",
        "take",
        "took",
        "takes",
        "saying",
        "said",
        "says",
        "thing",
        "things",
        "lot",
        "bit",
        "today",
        "yesterday",
        "now",
        "again",
        "ever",
        "got",
        "getting",
        "won't",
        "wont",
        "can't",
        "cant",
        "didn't",
        "didnt",
        "doesn't",
        "doesnt",
    ];
    NARRATIVE.contains(&w)
}

/// The commonest function words, which the index leaves out: two in five
/// of the manual's running words (the index was a third larger with them),
/// and each a [`is_stopword`], so never searched for as a term. Their
/// positions still count: `child in need` is indexed as `child` at 0 and
/// `need` at 2, and a phrase query skips the gap the same way.
pub fn is_unindexed(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "and"
            | "to"
            | "of"
            | "a"
            | "an"
            | "in"
            | "or"
            | "be"
            | "is"
            | "are"
            | "for"
            | "with"
            | "that"
            | "this"
            | "their"
            | "as"
            | "by"
            | "on"
            | "it"
            | "from"
            | "at"
    )
}

/// Words that carry no meaning on their own in a query. Kept in the index
/// (phrases need them) but not searched as terms.
pub fn is_stopword(w: &str) -> bool {
    const STOP: &[&str] = &[
        "a",
        "about",
        "after",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "ours",
        "she",
        "should",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "also",
        "must",
        "may",
        "might",
        "shall",
        "i'm",
        "im",
        "ive",
        "just",
        "get",
        "got",
        "keeps",
        "keep",
        "being",
        "someone",
        "something",
    ];
    STOP.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_are_lowercased_folded_and_possessives_dropped() {
        assert_eq!(
            words("Children's Social-Care"),
            ["children", "social", "care"]
        );
        assert_eq!(words("don't CAFÉ"), ["dont", "cafe"]);
        assert_eq!(words("parents’ views"), ["parents", "views"]);
    }

    #[test]
    fn statutory_section_references_meet() {
        for q in ["s47", "S.47", "s 47", "section 47"] {
            assert!(words(q).contains(&"s47".to_string()), "{q}: {:?}", words(q));
        }
        // The manual's own dotted numbers are not statutes.
        assert!(!words("see section 3.6").contains(&"s3".to_string()));
        // The synthetic token shares the number's position.
        let t = tokenize("section 47 enquiries");
        let s47 = t.iter().find(|t| t.text == "s47").unwrap();
        assert!(s47.synthetic);
        assert_eq!(s47.position, 1);
        assert_eq!(
            t.iter().find(|t| t.text == "enquiries").unwrap().position,
            2
        );
    }

    #[test]
    fn spans_and_tokens_agree() {
        let s = "It's the children's don't-care Café, s.47 ’tis parents’ x";
        let words: Vec<&str> = spans(s).map(|(a, b)| &s[a..b]).collect();
        assert_eq!(
            words,
            [
                "It", "the", "children", "don't", "care", "Café", "s", "47", "tis", "parents", "x"
            ]
        );
        assert_eq!(tokenize("It's")[0].text, "it");
    }

    #[test]
    fn offsets_point_into_the_input() {
        let s = "Private fostering’s rules";
        for t in tokenize(s) {
            assert!(s[t.start..t.end].to_lowercase().starts_with(&t.text[..1]));
        }
    }

    #[test]
    fn roots_join_derivations() {
        let mut st = WordStemmer::default();
        for (a, b) in [
            ("violent", "violence"),
            ("marry", "marriage"),
            ("pregnant", "pregnancy"),
        ] {
            assert_eq!(root(&st.stem(a)), root(&st.stem(b)), "{a}/{b}");
        }
        assert_eq!(root("abc"), "abc");
    }

    #[test]
    fn the_index_tokenizer_streams_stems_like_tokenize() {
        let text = "Violence towards fostering; section 47 and S.47 (see section 3.6) children's";
        let mut a = stemmed_analyzer();
        let mut stream = a.token_stream(text);
        let mut streamed = Vec::new();
        while let Some(t) = stream.next() {
            streamed.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        let mut st = WordStemmer::default();
        let expected: Vec<(String, usize, usize, usize)> = tokenize(text)
            .into_iter()
            .filter(|t| !is_unindexed(&t.text))
            .map(|t| (st.stem(&t.text), t.position, t.start, t.end))
            .collect();
        assert_eq!(streamed, expected);
        assert!(streamed.iter().filter(|t| t.0 == "s47").count() == 2);
        assert!(!streamed.iter().any(|t| t.0 == "and"));
    }

    #[test]
    fn unindexed_words_keep_their_positions_and_are_stopwords() {
        let mut a = stemmed_analyzer();
        let mut stream = a.token_stream("The child in need of a plan");
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), t.position));
        }
        let want = [("child", 1), ("need", 3), ("plan", 6)];
        let want: Vec<(String, usize)> = want.iter().map(|(w, p)| (w.to_string(), *p)).collect();
        assert_eq!(got, want);
        // Never searched for as a term, so a query cannot miss them.
        for w in [
            "the", "and", "to", "of", "a", "an", "in", "or", "be", "is", "are",
        ] {
            assert!(is_unindexed(w) && is_stopword(w), "{w}");
        }
        for w in [
            "for", "with", "that", "this", "their", "as", "by", "on", "it", "from", "at",
        ] {
            assert!(is_unindexed(w) && is_stopword(w), "{w}");
        }
        assert!(!is_unindexed("after") && !is_unindexed("child"));
    }

    /// The spans as first written, a char at a time: what the table-driven
    /// [`Spans`] must agree with.
    fn reference_spans(text: &str) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = |k: usize| chars.get(k).map(|&(_, c)| c);
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !chars[k].1.is_alphanumeric() {
                k += 1;
                continue;
            }
            let start = chars[k].0;
            let mut end = start;
            while k < chars.len() {
                let c = chars[k].1;
                if c.is_alphanumeric() {
                    end = chars[k].0 + c.len_utf8();
                    k += 1;
                } else if (c == '\'' || c == '’')
                    && matches!(at(k + 1), Some('s' | 'S'))
                    && at(k + 2).is_none_or(|a| !a.is_alphanumeric())
                {
                    k += 2;
                    break;
                } else if (c == '\'' || c == '’') && at(k + 1).is_some_and(char::is_alphanumeric)
                {
                    k += 1;
                } else {
                    break;
                }
            }
            out.push((start, end));
        }
        out
    }

    #[test]
    fn spans_agree_with_the_char_by_char_reading() {
        for t in [
            "Children's social care (s.47) – don't; Parents’ rights; it's",
            "café naïve 'quoted' ''x'' a's' end's",
            "",
            "'''",
            "x'",
        ] {
            assert_eq!(spans(t).collect::<Vec<_>>(), reference_spans(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn spans_agree_on_random_text(t in "[ a-zA-Z0-9.,;'’sSé\u{a0}–-]{0,40}") {
            proptest::prop_assert_eq!(spans(&t).collect::<Vec<_>>(), reference_spans(&t));
        }
    }

    #[test]
    fn stems_are_tantivys_for_every_word_of_the_manual() {
        use tantivy::tokenizer::{Language, RawTokenizer, Stemmer};
        let mut tantivys = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut ours = WordStemmer::default();
        let text = crate::store::library::EMBEDDED_SOURCE;
        let mut words: Vec<String> = spans(text)
            .map(|(a, b)| {
                let mut w = String::new();
                fold_into(&text[a..b], &mut w);
                w
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        assert!(words.len() > 5_000, "{}", words.len());
        for w in words.iter().filter(|w| !OVERSTEMMED.contains(&w.as_str())) {
            let mut stream = tantivys.token_stream(w);
            let want = stream.next().map(|t| t.text.clone()).unwrap_or_default();
            assert_eq!(ours.stem_ref(w), want, "{w}");
        }
    }

    #[test]
    fn short_keys_read_in_place_match_copied_ones() {
        let t = "abcdefghijklmnopqrstuvwxyz0123456789";
        for a in 0..t.len() {
            for b in a..=t.len().min(a + 17) {
                assert_eq!(short_key_at(t, a, b), short_key(&t[a..b]), "{a}..{b}");
            }
        }
        let text = "Children's café – s.47 supervisionorderapplication x";
        for (a, b) in spans(text) {
            assert_eq!(short_key_at(text, a, b), short_key(&text[a..b]));
        }
    }

    #[test]
    fn the_memo_keeps_words_stems_and_flags_apart() {
        let mut st = WordStemmer::default();
        let text = "The Children section 47 fostering the";
        let got: Vec<(String, String, u8)> = spans(text)
            .map(|(a, b)| {
                let w = st.written_at(text, a, b);
                (
                    st.word_of(w.id).to_string(),
                    st.stem_of(w.id).to_string(),
                    w.flags,
                )
            })
            .collect();
        let want = [
            ("the", "the", UNINDEXED),
            ("children", "children", 0),
            ("section", "section", SECTION_WORD),
            ("47", "47", DIGITS),
            ("fostering", "foster", 0),
            ("the", "the", UNINDEXED),
        ];
        let want: Vec<(String, String, u8)> = want
            .iter()
            .map(|(w, s, f)| (w.to_string(), s.to_string(), *f))
            .collect();
        assert_eq!(got, want);
        // Both spellings of a word share its number.
        let a = st.written_at("The", 0, 3);
        assert_eq!(a, st.written_at(text, 0, 3));
        assert_eq!(st.stem_ref("armed"), "armed");
    }

    #[test]
    fn short_keys_are_distinct_and_long_words_have_none() {
        assert_ne!(short_key("ab"), short_key("ba"));
        assert_ne!(short_key("a"), short_key("a\0"));
        assert!(short_key("fifteen-letters").is_some());
        assert_eq!(short_key("responsibilities"), None);
        // Both kinds of word go through the memo alike.
        let mut st = WordStemmer::default();
        assert_eq!(st.fold_and_stem("Responsibilities").1, "respons");
        assert_eq!(st.fold_and_stem("Children's").0, "childrens");
    }

    #[test]
    fn stems() {
        let mut st = WordStemmer::default();
        assert_eq!(st.stem("fostering"), "foster");
        assert_eq!(st.stem("private"), "privat");
    }
}
