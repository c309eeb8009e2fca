//! Tokens made ahead of tantivy's indexing thread, and played back on it.
//!
//! Tantivy indexes on one thread, and tokenizing (finding words, folding,
//! stemming, counting) was a third of that thread's work while the other
//! core sat idle once the content files were written. So the thread that
//! makes the documents also tokenizes their text, with the very same
//! tokenizer, onto a `Tape` per text; the analyzer registered for the
//! index's text field plays the tapes back, in the order the documents were
//! added.
//!
//! Each tape carries the length and a hash of its text, and is played only
//! for that text: should tantivy ever ask for a text out of turn, the text
//! is tokenized on the spot instead (same tokens, only slower), and
//! [`Tapes::missed`] counts it.
//!
//! Kept because it pays: without the tapes (tantivy's thread tokenizing
//! for itself, the feeding thread only counting words) the whole-process
//! `setproc build` took 13–15 ms longer (98.3 → 111.6 and 83.0 → 98.3 ms
//! medians, 21 alternating rounds each, 2026-12-07).

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::text::analysis::{SetTokenizer, WordCounts};
use crate::text::hash::FxBuild;

/// One text's tokens.
#[derive(Debug, Default)]
struct Tape {
    text_len: usize,
    text_hash: u64,
    /// The tokens' texts (stems), one after another.
    stems: String,
    tokens: Vec<Recorded>,
}

/// A token; its text is `stems[previous token's stem_end..stem_end]`.
#[derive(Debug, Clone, Copy)]
struct Recorded {
    from: u32,
    to: u32,
    position: u32,
    stem_end: u32,
}

fn fingerprint(text: &str) -> (usize, u64) {
    let mut h = FxBuild.build_hasher();
    h.write(text.as_bytes());
    (text.len(), h.finish())
}

/// The queue of tapes between the recording and the playing thread.
#[derive(Clone, Default)]
pub struct Tapes {
    queue: Arc<Mutex<VecDeque<Tape>>>,
    missed: Arc<AtomicUsize>,
}

impl Tapes {
    /// The analyzer that plays these tapes back (register it for the field
    /// whose texts are recorded).
    pub fn player(&self) -> TextAnalyzer {
        TextAnalyzer::from(Player {
            tapes: self.clone(),
            fallback: SetTokenizer::default(),
        })
    }

    /// Texts tantivy asked for that had no tape waiting.
    pub fn missed(&self) -> usize {
        self.missed.load(Ordering::Relaxed)
    }

    /// Tapes recorded but not played.
    pub fn unplayed(&self) -> usize {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Tokenizes texts onto tapes, counting their words.
pub struct Recorder {
    counts: WordCounts,
    tapes: Tapes,
}

impl Recorder {
    pub fn new(tapes: &Tapes) -> Recorder {
        Recorder {
            counts: WordCounts::default(),
            tapes: tapes.clone(),
        }
    }

    /// Counts the words of `text` as one more text, recording nothing.
    pub fn count(&mut self, text: &str) {
        let mut stream = self.counts.token_stream(text);
        while stream.advance() {}
    }

    /// The words of every text recorded or counted.
    pub fn finish(self) -> WordCounts {
        self.counts
    }

    /// Records `text`'s tokens; call it just before adding the document
    /// that holds the text.
    pub fn record(&mut self, text: &str) {
        let (text_len, text_hash) = fingerprint(text);
        let mut tape = Tape {
            text_len,
            text_hash,
            stems: String::with_capacity(text.len()),
            tokens: Vec::with_capacity(text.len() / 5),
        };
        let mut stream = self.counts.token_stream(text);
        while let Some((from, to, position)) = stream.next_into(&mut tape.stems) {
            tape.tokens.push(Recorded {
                from: from as u32,
                to: to as u32,
                position: position as u32,
                stem_end: tape.stems.len() as u32,
            });
        }
        drop(stream);
        self.tapes
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(tape);
    }
}

/// The analyzer side: see the module docs.
#[derive(Clone)]
struct Player {
    tapes: Tapes,
    fallback: SetTokenizer,
}

/// The player's stream: a tape, or the text tokenized on the spot. (An
/// enum, not a boxed stream: tantivy boxes the analyzer's stream already,
/// and a second box cost a virtual call per token.)
pub enum PlayerStream<'a> {
    Tape(Playback),
    Spot(crate::text::analysis::SetTokenStream<'a>),
}

impl TokenStream for PlayerStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            PlayerStream::Tape(p) => p.advance(),
            PlayerStream::Spot(s) => s.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            PlayerStream::Tape(p) => p.token(),
            PlayerStream::Spot(s) => s.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            PlayerStream::Tape(p) => p.token_mut(),
            PlayerStream::Spot(s) => s.token_mut(),
        }
    }
}

impl Tokenizer for Player {
    type TokenStream<'a> = PlayerStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PlayerStream<'a> {
        let (len, hash) = fingerprint(text);
        let tape = {
            let mut queue = self
                .tapes
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // A tape not matching stays at the front: a text asked for out
            // of turn is tokenized on the spot, and the next in turn finds
            // its tape. (Should tantivy ever skip a text, every later text
            // would be tokenized on the spot: slower, never wrong.)
            match queue.front() {
                Some(t) if t.text_len == len && t.text_hash == hash => queue.pop_front(),
                _ => None,
            }
        };
        match tape {
            Some(tape) => PlayerStream::Tape(Playback {
                tape,
                next: 0,
                token: Token::default(),
            }),
            None => {
                self.tapes.missed.fetch_add(1, Ordering::Relaxed);
                PlayerStream::Spot(self.fallback.token_stream(text))
            }
        }
    }
}

pub struct Playback {
    tape: Tape,
    next: usize,
    token: Token,
}

impl TokenStream for Playback {
    fn advance(&mut self) -> bool {
        let Some(r) = self.tape.tokens.get(self.next) else {
            return false;
        };
        let stem_start = match self.next {
            0 => 0,
            n => self.tape.tokens[n - 1].stem_end as usize,
        };
        self.next += 1;
        let t = &mut self.token;
        t.offset_from = r.from as usize;
        t.offset_to = r.to as usize;
        t.position = r.position as usize;
        t.position_length = 1;
        t.text.clear();
        t.text
            .push_str(&self.tape.stems[stem_start..r.stem_end as usize]);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The analyzer for the title field while indexing. A section's title is
/// on the document of each of its paragraphs, one after another, so its
/// tokens are kept from the last document and replayed while the title is
/// the same (418 titles tokenized instead of 3,170).
#[derive(Clone, Default)]
pub struct RepeatedTitles {
    tokenizer: SetTokenizer,
    last: Option<String>,
    tokens: Vec<Token>,
}

impl RepeatedTitles {
    pub fn analyzer() -> TextAnalyzer {
        TextAnalyzer::from(RepeatedTitles::default())
    }
}

impl Tokenizer for RepeatedTitles {
    type TokenStream<'a> = Replay<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Replay<'a> {
        if self.last.as_deref() != Some(text) {
            self.tokens.clear();
            let mut stream = self.tokenizer.token_stream(text);
            while stream.advance() {
                self.tokens.push(stream.token().clone());
            }
            drop(stream);
            self.last = Some(text.to_string());
        }
        Replay {
            tokens: &mut self.tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// [`RepeatedTitles`]' stream.
pub struct Replay<'a> {
    tokens: &'a mut [Token],
    next: usize,
    /// What `token` gives before the first `advance`.
    none: Token,
}

impl TokenStream for Replay<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => &self.tokens[i],
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) => &mut self.tokens[i],
            None => &mut self.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = analyzer.token_stream(text);
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn played_tokens_are_the_tokenizers_and_words_are_counted() {
        let tapes = Tapes::default();
        let mut rec = Recorder::new(&tapes);
        let a = "Children's social care (s.47 enquiries) – Section 47";
        let b = "Fostering; fostering.";
        rec.record(a);
        rec.record(b);
        let direct = crate::text::analysis::stemmed_analyzer();
        assert_eq!(tokens(tapes.player(), a), tokens(direct.clone(), a));
        assert_eq!(tokens(tapes.player(), b), tokens(direct, b));
        assert_eq!((tapes.missed(), tapes.unplayed()), (0, 0));
        let counts: std::collections::HashMap<String, u32> = rec.finish().into_counts().collect();
        assert_eq!(counts.get("fostering"), Some(&1));
        assert_eq!(counts.get("children"), Some(&1));
    }

    #[test]
    fn repeated_titles_replay_the_tokenizers_tokens() {
        let direct = crate::text::analysis::stemmed_analyzer();
        let mut titles = RepeatedTitles::analyzer();
        for t in [
            "24.8 Online Exploitation",
            "24.8 Online Exploitation",
            "3.5 Section 47 Enquiries",
            "3.5 Section 47 Enquiries",
            "",
            "24.8 Online Exploitation",
        ] {
            assert_eq!(tokens(titles.clone(), t), tokens(direct.clone(), t), "{t}");
            let mut s = titles.token_stream(t);
            let mut n = 0;
            while s.advance() {
                n += 1;
            }
            assert_eq!(n, tokens(direct.clone(), t).len());
        }
    }

    #[test]
    fn a_text_out_of_turn_is_tokenized_on_the_spot() {
        let tapes = Tapes::default();
        let mut rec = Recorder::new(&tapes);
        rec.record("first text");
        let other = tokens(tapes.player(), "another text");
        assert_eq!(other.len(), 2);
        assert_eq!((tapes.missed(), tapes.unplayed()), (1, 1));
        assert_eq!(tokens(tapes.player(), "first text")[0].0, "first");
        assert_eq!(tapes.unplayed(), 0);
    }
}
