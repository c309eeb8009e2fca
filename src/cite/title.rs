//! Reading the cited title after a citation's number: where it starts, how
//! firmly it reads as a title, and where it may be cut short.

use super::keywords::{MAX_TITLE_WORDS, NO_TITLE_START, PROSE_START, TRAILING_JOINERS, is_one_of};
use super::scan::Scanner;
use super::tokens::Kind;
/// How firmly the text after a number reads as a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strength {
    /// After ", " ": " or " - ": the manual's own citation style.
    Strong,
    /// After a plain space ("chapter 7 Allegations against staff"): kept if
    /// it matches something, dropped if not.
    Weak,
    /// After a full stop ("section 3.8. Visually recorded…"): as likely the
    /// next sentence, so kept only on a strong match.
    Dot,
}

/// A cited title: where it starts and the lengths it may be cut to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Title {
    pub(super) start: usize,
    /// Candidate lengths in bytes, longest first: the whole run, then the
    /// run cut before each word that usually starts prose ("Referral and
    /// assessment is followed" → "Referral and assessment").
    pub(super) cuts: Vec<usize>,
    /// The title text (`text[start..start + cuts[0]]`).
    pub(super) text: String,
    pub(super) strength: Strength,
}

impl Scanner<'_> {
    /// Where a title may start after the number at `n` (past a separator
    /// such as ", " or ": "), and how firmly what follows reads as one.
    fn title_start(&self, n: usize) -> Option<(usize, Strength)> {
        let mut k = n + 1;
        let mut strength = Strength::Weak;
        let mut separated = false;
        // Separators: ", " ": " " - " ". " and runs of them (",. ").
        for _ in 0..4 {
            k = self.skip_space(k);
            match self.kind(k) {
                Some(Kind::Punct(',' | ':' | '-' | '–' | '—')) => {
                    strength = Strength::Strong;
                    separated = true;
                    k += 1;
                }
                Some(Kind::Punct('.')) => {
                    if strength != Strength::Strong {
                        strength = Strength::Dot;
                    }
                    separated = true;
                    k += 1;
                }
                _ => break,
            }
        }
        // "see 7.4.16 below, The child's independent advocate".
        if self.is_word(k, "above") || self.is_word(k, "below") {
            k = self.skip_space(k + 1);
            // A title may follow ("below, The child's independent advocate")
            // or prose may go on ("below, regardless of whether"): weak.
            if self.is_punct(k, &[',']) {
                strength = Strength::Weak;
                k = self.skip_space(k + 1);
            } else {
                return None;
            }
        }
        // A separator must be followed by a space, and the title by a word.
        if k == n + 1 && !separated {
            return None;
        }
        if !matches!(self.kind(k - 1), Some(Kind::Space(false)))
            && !matches!(self.kind(k - 1), Some(Kind::Punct(',' | ':')))
        {
            return None;
        }
        if self.kind(k) != Some(Kind::Word)
            || !self.s(k).chars().next().is_some_and(char::is_alphabetic)
        {
            return None;
        }
        if is_one_of(self.s(k), NO_TITLE_START) || self.starts_citation(k) {
            return None;
        }
        Some((k, strength))
    }

    /// The title after the number at `n`, with the token index after it.
    pub(super) fn title_after(&self, n: usize) -> Option<(Title, usize)> {
        let (title_start, strength) = self.title_start(n)?;
        let last_word = self.title_run(title_start)?;
        let end_tok = self.trim_title_end(title_start, last_word);
        let start = self.toks[title_start].start;
        let end = self.toks[end_tok].end;
        if end <= start {
            return None;
        }
        Some((
            Title {
                start,
                text: self.text[start..end].to_string(),
                cuts: self.title_cuts(title_start, end_tok, strength),
                strength,
            },
            end_tok + 1,
        ))
    }

    /// The last token of the title run starting at token `k`: up to a line
    /// break, a number, a new citation or punctuation that ends a title.
    fn title_run(&self, k: usize) -> Option<usize> {
        let mut last_word = k; // last token included
        let mut words = 0;
        let mut j = k;
        while j < self.toks.len() {
            match self.kind(j)? {
                Kind::Space(true) => break,
                Kind::Space(false) => {}
                Kind::Num => break,
                Kind::Word => {
                    let w = self.s(j);
                    if self.starts_citation(j)
                        || w.eq_ignore_ascii_case("above")
                        || w.eq_ignore_ascii_case("below")
                        || words >= MAX_TITLE_WORDS
                    {
                        break;
                    }
                    words += 1;
                    last_word = j;
                }
                Kind::Punct('(') => match self.parenthetical_end(j) {
                    Some(close) => {
                        last_word = close;
                        j = close;
                    }
                    None => break,
                },
                Kind::Punct('.') => {
                    // A full stop ends the title unless inside a word ("e.g").
                    if !matches!(self.kind(j + 1), Some(Kind::Word)) {
                        break;
                    }
                }
                Kind::Punct(c) => {
                    if matches!(
                        c,
                        ';' | ')'
                            | ']'
                            | '['
                            | '*'
                            | '?'
                            | '!'
                            | '"'
                            | '|'
                            | ','
                            | '\\'
                            | '“'
                            | '”'
                    ) {
                        break;
                    }
                    // '/', '-', '&', '\'', ':', '–' stay inside a title.
                    if !matches!(c, ':') {
                        last_word = j;
                    }
                }
            }
            j += 1;
        }
        Some(last_word)
    }

    /// The title's last token once joiners and dangling punctuation are
    /// trimmed from its end.
    fn trim_title_end(&self, title_start: usize, last_word: usize) -> usize {
        let mut end_tok = last_word;
        while end_tok > title_start {
            let keep = match self.kind(end_tok) {
                Some(Kind::Word) => !is_one_of(self.s(end_tok), TRAILING_JOINERS),
                Some(Kind::Punct(c)) => matches!(c, ')' | '\''),
                _ => false,
            };
            if keep {
                break;
            }
            end_tok -= 1;
        }
        end_tok
    }

    /// The lengths the title from `title_start` to `end_tok` may be cut
    /// to, longest first: the whole run, then before each word that usually
    /// starts prose.
    fn title_cuts(&self, title_start: usize, end_tok: usize, strength: Strength) -> Vec<usize> {
        let start = self.toks[title_start].start;
        let end = self.toks[end_tok].end;
        let mut cuts = vec![end - start];
        // After a full stop the run is taken whole or not at all: cutting
        // the next sentence short would find a "title" in most of them.
        let cut_points = if strength == Strength::Dot {
            0..0
        } else {
            title_start + 1..end_tok + 1
        };
        for t in cut_points.rev() {
            if self.kind(t) == Some(Kind::Word) && is_one_of(self.s(t), PROSE_START) {
                // Cut before the word, dropping the space before it.
                let cut_end = self.toks[t].start;
                let cut = self.text[start..cut_end].trim_end().len();
                if cut > 0 && !cuts.contains(&cut) {
                    cuts.push(cut);
                }
            }
        }
        cuts.sort_unstable_by(|a, b| b.cmp(a));
        cuts
    }

    /// A short parenthetical inside a title ("Hospitals (specialist)",
    /// "Conferencing (MARAC)"): the index of its ')' if it closes within a
    /// few words and holds no number or new citation.
    pub(super) fn parenthetical_end(&self, open: usize) -> Option<usize> {
        let mut words = 0;
        for j in open + 1..self.toks.len().min(open + 12) {
            match self.kind(j)? {
                Kind::Punct(')') => return (words > 0).then_some(j),
                Kind::Word => {
                    if self.is_word(j, "see") || self.starts_citation(j) {
                        return None;
                    }
                    words += 1;
                }
                Kind::Space(false) | Kind::Punct('/' | '-' | '&' | '\'') => {}
                _ => return None,
            }
        }
        None
    }
}
