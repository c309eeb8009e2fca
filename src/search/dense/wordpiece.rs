//! BERT's uncased WordPiece tokenizer: text → the token ids the sentence
//! model was trained on.
//!
//! The same steps as the reference (Hugging Face `tokenizers`' BERT
//! normalizer, pre-tokenizer and WordPiece model), written out because the
//! model needs only these ~150 lines of that crate's ~40,000 (and its C
//! dependencies): drop control characters and map white space to spaces,
//! put spaces round CJK ideographs, decompose (NFD) and drop non-spacing
//! marks, lower-case, split at white space and punctuation, then cut each
//! word into the longest pieces the vocabulary knows (`##` marking a piece
//! inside a word). `tests/data/minilm-reference.json` holds the reference's
//! ids for awkward texts (accents, ligatures, CJK, emoji, controls, bidi
//! overrides, over-long words), and a test compares them.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use super::DenseError;
use crate::text::hash::FxHashMap;

/// A word longer than this (in chars) is one unknown token.
const MAX_WORD_CHARS: usize = 100;

/// The vocabulary and its special tokens.
#[derive(Debug, Clone)]
pub struct WordPiece {
    /// Borrowed from the vocabulary built into the binary: a `String` per
    /// token (30,522) made loading the model 3.8–7.4 ms; borrowed, 1.0–1.4 ms.
    ids: FxHashMap<&'static str, u32>,
    unk: u32,
    cls: u32,
    sep: u32,
}

impl WordPiece {
    /// Reads a `vocab.txt`: one token a line, its id its line number.
    pub fn from_vocab(text: &'static str) -> Result<WordPiece, DenseError> {
        let mut ids: FxHashMap<&'static str, u32> = FxHashMap::default();
        ids.reserve(text.len() / 8);
        for (i, t) in text.lines().enumerate() {
            ids.insert(t, i as u32);
        }
        let special = |t: &str| {
            ids.get(t)
                .copied()
                .ok_or_else(|| DenseError::Model(format!("vocabulary has no {t}")))
        };
        Ok(WordPiece {
            unk: special("[UNK]")?,
            cls: special("[CLS]")?,
            sep: special("[SEP]")?,
            ids,
        })
    }

    /// The ids of `text` between `[CLS]` and `[SEP]`, at most `max_len` in
    /// all (longer texts are cut, as the model was trained).
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let room = max_len.saturating_sub(2);
        let mut out = Vec::with_capacity(room.min(64) + 2);
        out.push(self.cls);
        let normal = normalize(text);
        for word in pre_tokenize(&normal) {
            if out.len() > room {
                break;
            }
            self.push_word(word, &mut out);
        }
        out.truncate(room + 1);
        out.push(self.sep);
        out
    }

    /// One word's pieces, greedily longest first; a word that cannot be
    /// cut into known pieces is one `[UNK]`.
    fn push_word(&self, word: &str, out: &mut Vec<u32>) {
        if word.chars().count() > MAX_WORD_CHARS {
            out.push(self.unk);
            return;
        }
        let start_len = out.len();
        let mut piece = String::with_capacity(word.len() + 2);
        let mut start = 0;
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                piece.clear();
                if start > 0 {
                    piece.push_str("##");
                }
                piece.push_str(&word[start..end]);
                if let Some(&id) = self.ids.get(piece.as_str()) {
                    found = Some(id);
                    break;
                }
                // Back one char, not one byte.
                end = word[..end].char_indices().last().map_or(start, |(i, _)| i);
            }
            match found {
                Some(id) => {
                    out.push(id);
                    start = end;
                }
                None => {
                    out.truncate(start_len);
                    out.push(self.unk);
                    return;
                }
            }
        }
    }
}

/// The BERT normalizer: controls dropped, white space as spaces, CJK
/// ideographs spaced, accents stripped, lower case.
pub fn normalize(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if is_whitespace(c) {
            clean.push(' ');
        } else if is_cjk(c) {
            clean.push(' ');
            clean.push(c);
            clean.push(' ');
        } else {
            clean.push(c);
        }
    }
    clean
        .nfd()
        .filter(|&c| c.general_category() != unicode_properties::GeneralCategory::NonspacingMark)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words and lone punctuation marks, in order.
fn pre_tokenize(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(is_whitespace);
        let first = rest.chars().next()?;
        let len = if is_punctuation(first) {
            first.len_utf8()
        } else {
            rest.find(|c: char| is_whitespace(c) || is_punctuation(c))
                .unwrap_or(rest.len())
        };
        let (word, tail) = rest.split_at(len);
        rest = tail;
        Some(word)
    })
}

fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Unicode's "other" characters (controls, format characters such as bidi
/// overrides, unassigned), but not the white space controls.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.general_category_group() == GeneralCategoryGroup::Other
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// The CJK ideograph blocks BERT spaces out.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B820..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> WordPiece {
        let vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nfoster\n##ing\nchild\n,\n'\ns\n";
        WordPiece::from_vocab(vocab).unwrap()
    }

    #[test]
    fn words_are_cut_into_the_longest_known_pieces() {
        let wp = toy();
        assert_eq!(
            wp.encode("Fostering, child's", 16),
            [2, 4, 5, 7, 6, 8, 9, 3]
        );
        // Unknown pieces make the whole word unknown.
        assert_eq!(wp.encode("fosterx child", 16), [2, 1, 6, 3]);
        // Cut at the length the model allows, keeping [CLS] and [SEP].
        assert_eq!(wp.encode("child child child", 4), [2, 6, 6, 3]);
        assert_eq!(wp.encode("", 4), [2, 3]);
    }

    #[test]
    fn normalizing_strips_accents_controls_and_case() {
        assert_eq!(normalize("Café\u{202e}\tNAÏVE\u{7}"), "cafe naive");
        assert_eq!(normalize("中文"), " 中  文 ");
        let words: Vec<&str> = pre_tokenize("a.b  (c)—d").collect();
        assert_eq!(words, ["a", ".", "b", "(", "c", ")", "—", "d"]);
    }

    #[test]
    fn a_vocabulary_without_its_special_tokens_is_refused() {
        assert!(WordPiece::from_vocab("a\nb\n").is_err());
    }
}
