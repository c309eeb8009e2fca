//! The citation scanner's tokens: words, numbers (dotted or not),
//! whitespace and punctuation, by byte offset.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Letters and digits starting with a letter ("chapter", "s47", "B3"),
    /// or digits glued to letters ("7a", "9.30am").
    Word,
    /// Digits, possibly dotted ("24", "4.1.11").
    Num,
    /// A run of whitespace; `true` if it holds a line break.
    Space(bool),
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn tokenize(text: &str) -> Vec<Tok> {
    // By byte offset, decoding one char at a time (collecting the chars
    // first cost 16 bytes a char of every text scanned).
    let at = |i: usize| text.get(i..).and_then(|t| t.chars().next());
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut toks = Vec::with_capacity(text.len() / 4);
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        let kind = if c.is_whitespace() {
            let mut newline = false;
            while let Some(c) = at(i).filter(|c| c.is_whitespace()) {
                newline |= c == '\n';
                i += c.len_utf8();
            }
            Kind::Space(newline)
        } else if c.is_ascii_digit() {
            loop {
                match at(i) {
                    Some(c) if c.is_ascii_digit() => i += 1,
                    Some('.') if at(i + 1).is_some_and(|c| c.is_ascii_digit()) => i += 1,
                    _ => break,
                }
            }
            // Digits glued to letters ("7a", "141H", "9.30am") are a word.
            if at(i).is_some_and(is_word) {
                loop {
                    match at(i) {
                        Some(c) if is_word(c) => i += c.len_utf8(),
                        Some('.') if at(i + 1).is_some_and(is_word) => i += 1,
                        _ => break,
                    }
                }
                Kind::Word
            } else {
                Kind::Num
            }
        } else if is_word(c) {
            while let Some(c) = at(i).filter(|&c| is_word(c)) {
                i += c.len_utf8();
            }
            Kind::Word
        } else {
            i += c.len_utf8();
            Kind::Punct(c)
        };
        toks.push(Tok {
            kind,
            start,
            end: i,
        });
    }
    toks
}
