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

mod stem;
mod tokenizer;
mod words;

pub use stem::WordStemmer;
pub use tokenizer::{STEMMED_TITLE, SetTokenStream, SetTokenizer, WordCounts, stemmed_analyzer};
pub use words::{is_narrative, is_stopword, is_unindexed};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analysis::stem::DIGITS;
    use crate::text::analysis::stem::OVERSTEMMED;
    use crate::text::analysis::stem::SECTION_WORD;
    use crate::text::analysis::stem::UNINDEXED;
    use tantivy::tokenizer::{TextAnalyzer, TokenStream};

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
    fn long_and_short_words_go_through_the_memo_alike() {
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
