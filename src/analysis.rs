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
//! Stemming (English, Porter 2) is a separate step so that the index can
//! keep an unstemmed copy of the text for prefix search: a stemmed index
//! cannot complete `privat` to `private` (it holds `privat`).

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

/// Registered name of the stemmed analyzer.
pub const STEMMED: &str = "set_en_stem";
/// Registered name of the unstemmed analyzer.
pub const PLAIN: &str = "set_plain";
/// Registered name of the stem-prefix analyzer.
pub const ROOT: &str = "set_root";
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
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut position = 0;
    while let Some(&(start, c)) = chars.peek() {
        if !c.is_alphanumeric() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                push_folded(&mut word, c);
                end = i + c.len_utf8();
                chars.next();
            } else if c == '\'' || c == '’' {
                // Apostrophe inside a word: look at what follows.
                let rest = &text[i + c.len_utf8()..];
                let next = rest.chars().next();
                let after = rest.chars().nth(1);
                let possessive =
                    matches!(next, Some('s' | 'S')) && after.is_none_or(|a| !a.is_alphanumeric());
                if possessive {
                    chars.next();
                    chars.next();
                    break;
                } else if next.is_some_and(char::is_alphanumeric) {
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        toks.push(Tok {
            text: word,
            start,
            end,
            position,
            synthetic: false,
        });
        position += 1;
    }
    add_section_refs(text, &mut toks);
    toks
}

/// `s 47`, `s.47`, `section 47` → an extra `s47` token at the number.
fn add_section_refs(text: &str, toks: &mut Vec<Tok>) {
    let mut extra = Vec::new();
    for w in toks.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if !(a.text == "s" || a.text == "section") || !b.text.bytes().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let gap = &text[a.end..b.start];
        if gap.len() > 2 || !gap.chars().all(|c| c == ' ' || c == '.') {
            continue;
        }
        // `section 3.6` is the manual's numbering, not a statute's.
        let after = &text[b.end..];
        if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
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

/// What a token becomes after splitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// As split: lower case, folded.
    Plain,
    /// Its English stem.
    Stem,
    /// The [`root`] of its stem.
    Root,
}

/// The tokenizer as tantivy sees it, producing one [`Form`] of each word.
#[derive(Clone)]
pub struct SetTokenizer {
    form: Form,
    stemmer: Option<WordStemmer>,
}

impl SetTokenizer {
    pub fn new(form: Form) -> SetTokenizer {
        SetTokenizer {
            form,
            stemmer: (form != Form::Plain).then(WordStemmer::default),
        }
    }

    fn transform(&mut self, word: String) -> String {
        let Some(stemmer) = self.stemmer.as_mut() else {
            return word;
        };
        let stem = stemmer.stem(&word);
        match self.form {
            Form::Root => root(&stem).to_string(),
            _ => stem,
        }
    }
}

/// Tokens computed up front (the section-reference rule looks ahead).
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for SetTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = tokenize(text)
            .into_iter()
            .map(|t| Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position,
                text: self.transform(t.text),
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, index: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// The stemmed analyzer (for title, breadcrumb and text fields).
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(SetTokenizer::new(Form::Stem))
}

/// The stem-root analyzer (see [`root`]).
pub fn root_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(SetTokenizer::new(Form::Root))
}

/// The unstemmed analyzer (for prefix and exact-word search).
pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(SetTokenizer::new(Form::Plain))
}

/// English stems of single words, reusing one stemmer and remembering
/// every stem it made (the manual has ~15,000 distinct words but ~220,000
/// running words; stemming each occurrence afresh dominated indexing and
/// snippet time).
#[derive(Clone)]
pub struct WordStemmer {
    analyzer: TextAnalyzer,
    cache: std::collections::HashMap<String, String>,
}

impl Default for WordStemmer {
    fn default() -> Self {
        WordStemmer {
            analyzer: TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            cache: std::collections::HashMap::new(),
        }
    }
}

impl WordStemmer {
    /// The stem of an already tokenized (lower-case) word.
    pub fn stem(&mut self, word: &str) -> String {
        self.stem_ref(word).to_string()
    }

    /// The stem, borrowed from the memo (no allocation once known).
    pub fn stem_ref(&mut self, word: &str) -> &str {
        if self.cache.contains_key(word) {
            return &self.cache[word];
        }
        let stem = {
            let mut stream = self.analyzer.token_stream(word);
            match stream.next() {
                Some(t) => t.text.clone(),
                None => word.to_string(),
            }
        };
        // Bounded: a long-lived reader sees endless typed prefixes.
        if self.cache.len() > 100_000 {
            self.cache.clear();
        }
        self.cache.insert(word.to_string(), stem);
        &self.cache[word]
    }
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
    fn the_tokenizer_produces_each_form() {
        let mut forms = |form| {
            let mut a = TextAnalyzer::from(SetTokenizer::new(form));
            let mut stream = a.token_stream("Violence towards fostering");
            let mut out = Vec::new();
            while let Some(t) = stream.next() {
                out.push(t.text.clone());
            }
            out
        };
        assert_eq!(forms(Form::Plain), ["violence", "towards", "fostering"]);
        assert_eq!(forms(Form::Stem), ["violenc", "toward", "foster"]);
        assert_eq!(forms(Form::Root), ["viole", "towar", "foste"]);
    }

    #[test]
    fn stems() {
        let mut st = WordStemmer::default();
        assert_eq!(st.stem("fostering"), "foster");
        assert_eq!(st.stem("private"), "privat");
    }
}
