//! The analysis as tantivy sees it: [`SetTokenizer`] streams one token
//! buffer, reused, with stems from the memo; [`WordCounts`] streams the same
//! tokens while counting each word's texts for `words.txt`.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::stem::{DIGITS, SECTION_WORD, UNINDEXED, WordStemmer, Written};
use super::{Spans, spans, statute_gap};

/// Registered name of the title field's analyzer: the same analysis as
/// [`super::STEMMED`], registered apart because a build gives the two fields
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
    /// `text`'s tokens, as [`SetTokenizer`] gives them; `text` counts as
    /// one more text.
    pub fn token_stream<'a>(&'a mut self, text: &'a str) -> SetTokenStream<'a> {
        self.texts += 1;
        SetTokenStream::new(text, MemoRef::Counting(self))
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
pub(super) enum MemoRef<'a> {
    Own(&'a mut WordStemmer),
    Counting(&'a mut WordCounts),
}

impl MemoRef<'_> {
    pub(super) fn stemmer(&mut self) -> &mut WordStemmer {
        match self {
            MemoRef::Own(s) => s,
            MemoRef::Counting(c) => &mut c.stemmer,
        }
    }

    /// [`WordStemmer::written_at`], counting the word when counting.
    pub(super) fn written_at(&mut self, text: &str, start: usize, end: usize) -> Written {
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
    pub(super) fn new(text: &'a str, memo: MemoRef<'a>) -> SetTokenStream<'a> {
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

/// The analyzer of the index's text fields.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(SetTokenizer::default())
}
