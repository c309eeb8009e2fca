//! Finding citations in one text: a part, a unit word, a number and the
//! cited title after it, chains of numbers, and bare numbers with a cue;
//! citations of other documents rejected by their shape (see the module
//! doc of [`crate::cite`]).

use super::keywords::{Keyword, is_one_of, keyword};
use super::title::Title;
use super::tokens::{Kind, Tok, tokenize};
use crate::manual::ids::{Part, SectionId};
/// What the scanner accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// The manual's text: a bare number counts only with a cue ("see 4.4").
    Manual,
    /// A reader's query: bare numbers ("3.6") and ids ("B36") count too.
    Free,
}

/// A citation as the scanner reads it, before its part is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Raw {
    /// The part as written ("Part B3" → B), if any.
    pub(super) part: Option<Part>,
    pub(super) nums: Vec<u16>,
    /// Where the citation starts ("Part", the keyword or the number).
    pub(super) start: usize,
    pub(super) number_end: usize,
    pub(super) title: Option<Title>,
}

/// A citation found by the scanner, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) id: SectionId,
    pub(super) explicit_part: bool,
    pub(super) start: usize,
    pub(super) number_end: usize,
    pub(super) title: Option<Title>,
}

pub(super) struct Scanner<'a> {
    pub(super) text: &'a str,
    pub(super) toks: Vec<Tok>,
    pub(super) mode: Mode,
}

/// Finds the citations in one text. Citations without a part take the part
/// of the citation before them in the same sentence, else `part`.
pub(super) fn scan(text: &str, part: Part, mode: Mode) -> Vec<Found> {
    // Every citation has a number; most texts have none.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    // In the manual's text a citation also has a keyword or a dotted number
    // ("see 4.4"); texts with only other numbers (dates, phone numbers,
    // statutes' "s47") need no tokenizing.
    if mode != Mode::Free && !may_cite(text) {
        return Vec::new();
    }
    let sc = Scanner {
        text,
        toks: tokenize(text),
        mode,
    };
    let mut raw: Vec<Raw> = Vec::new();
    let mut i = 0;
    while i < sc.toks.len() {
        match sc.citation_at(i, &mut raw) {
            Some(next) => i = next.max(i + 1),
            None => i += 1,
        }
    }
    // Parts: explicit, else inherited within the sentence, else the text's.
    let mut out = Vec::with_capacity(raw.len());
    let mut current = part;
    let mut prev_end = 0;
    for r in raw {
        if sentence_break(&text[prev_end.min(r.start)..r.start]) {
            current = part;
        }
        let p = r.part.unwrap_or(current);
        current = p;
        prev_end = r
            .number_end
            .max(r.title.as_ref().map_or(0, |t| t.start + t.cuts[0]));
        if let Some(id) = SectionId::new(p, &r.nums) {
            out.push(Found {
                id,
                explicit_part: r.part.is_some(),
                start: r.start,
                number_end: r.number_end,
                title: r.title,
            });
        }
    }
    out
}

/// A quick, permissive test for a possible citation: a dotted number or a
/// citation keyword.
pub(super) fn may_cite(text: &str) -> bool {
    let b = text.as_bytes();
    if b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
    {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    [
        "chapter",
        "section",
        "part",
        "ch ",
        "ch.",
        "paragraph",
        "para",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// Whether the text between two citations ends one sentence and starts
/// another (". See", a line break).
pub(super) fn sentence_break(between: &str) -> bool {
    let b = between.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'\n'
            || (matches!(c, b'.' | b'?' | b'!')
                && b.get(i + 1).is_some_and(u8::is_ascii_whitespace)
                && between[i + 1..]
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '('))
    })
}

impl<'a> Scanner<'a> {
    pub(super) fn s(&self, k: usize) -> &'a str {
        self.toks.get(k).map_or("", |t| &self.text[t.start..t.end])
    }

    pub(super) fn kind(&self, k: usize) -> Option<Kind> {
        self.toks.get(k).map(|t| t.kind)
    }

    pub(super) fn is_word(&self, k: usize, w: &str) -> bool {
        self.kind(k) == Some(Kind::Word) && self.s(k).eq_ignore_ascii_case(w)
    }

    pub(super) fn is_punct(&self, k: usize, set: &[char]) -> bool {
        matches!(self.kind(k), Some(Kind::Punct(c)) if set.contains(&c))
    }

    /// Skips whitespace that stays on the same line.
    pub(super) fn skip_space(&self, k: usize) -> usize {
        if self.kind(k) == Some(Kind::Space(false)) {
            k + 1
        } else {
            k
        }
    }

    /// The previous word before `k`, skipping spaces and opening brackets.
    pub(super) fn prev_word(&self, k: usize) -> Option<usize> {
        let mut j = k;
        while j > 0 {
            j -= 1;
            match self.kind(j) {
                Some(Kind::Space(false)) | Some(Kind::Punct('(')) => continue,
                Some(Kind::Word) => return Some(j),
                _ => return None,
            }
        }
        None
    }

    /// The number components of a `Num` token, if it can be a manual number
    /// (one to three components of up to three digits, none zero).
    pub(super) fn number(&self, k: usize) -> Option<Vec<u16>> {
        if self.kind(k) != Some(Kind::Num) {
            return None;
        }
        let parts: Vec<&str> = self.s(k).split('.').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 3) {
            return None;
        }
        let nums: Option<Vec<u16>> = parts.iter().map(|p| p.parse::<u16>().ok()).collect();
        nums.filter(|n| !n.contains(&0))
    }

    /// "Part A", "part b", "Part B3" at `k`: the part and the token after it.
    pub(super) fn part_at(&self, k: usize) -> Option<(Part, usize)> {
        if !self.is_word(k, "part") {
            return None;
        }
        let j = self.skip_space(k + 1);
        let w = self.s(j);
        if self.kind(j) != Some(Kind::Word) {
            return None;
        }
        let mut cs = w.chars();
        let part = cs.next().and_then(Part::from_letter)?;
        let rest = cs.as_str();
        let ok = rest.is_empty() || (part == Part::B && matches!(rest, "1" | "2" | "3" | "4"));
        ok.then_some((part, j + 1))
    }

    /// Whether a citation starts at `k` (used to end titles).
    pub(super) fn starts_citation(&self, k: usize) -> bool {
        if self.part_at(k).is_some() {
            return true;
        }
        self.kind(k) == Some(Kind::Word)
            && keyword(self.s(k)).is_some()
            && self
                .number(self.skip_space(self.skip_abbrev_dot(k + 1)))
                .is_some()
    }

    pub(super) fn skip_abbrev_dot(&self, k: usize) -> usize {
        if self.is_punct(k, &['.']) { k + 1 } else { k }
    }

    /// Tries to read a citation (and the chain that follows it) at `i`,
    /// pushing what it finds; returns the token index to continue from.
    pub(super) fn citation_at(&self, i: usize, out: &mut Vec<Raw>) -> Option<usize> {
        let kind = self.kind(i)?;
        match kind {
            Kind::Word => {
                if let Some((part, after)) = self.part_at(i) {
                    // "Part A, chapter 2", "Part A. chapter 1", "Part B3 Chapter 20".
                    let mut j = after;
                    // "Part A, ", "Part A: ", "Part A., ".
                    while j < after + 2 && self.is_punct(j, &['.', ',', ':']) {
                        j += 1;
                    }
                    j = self.skip_space(j);
                    if self.kind(j) == Some(Kind::Word) && keyword(self.s(j)).is_some() {
                        return self.keyword_citation(j, Some(part), self.toks[i].start, out);
                    }
                    if self.number(j).is_some() {
                        return self.number_citation(j, None, Some(part), self.toks[i].start, out);
                    }
                    return None;
                }
                if keyword(self.s(i)).is_some() {
                    return self.keyword_citation(i, None, self.toks[i].start, out);
                }
                if self.mode == Mode::Free {
                    return self.id_citation(i, out);
                }
                None
            }
            Kind::Num => {
                let nums = self.number(i)?;
                if nums.len() < 2 || !self.cued(i, nums.len()) {
                    return None;
                }
                self.number_citation(i, None, None, self.toks[i].start, out)
            }
            _ => None,
        }
    }

    /// "chapter 24", "Ch 24", "ch. 24", "sections 26.2.2 and 26.2.3".
    pub(super) fn keyword_citation(
        &self,
        k: usize,
        part: Option<Part>,
        start: usize,
        out: &mut Vec<Raw>,
    ) -> Option<usize> {
        let unit = keyword(self.s(k))?;
        let n = self.skip_space(self.skip_abbrev_dot(k + 1));
        // "Chapter: 5" does not occur; a colon after the keyword is no citation.
        self.number(n)?;
        self.number_citation(n, Some(unit), part, start, out)
    }

    /// In free text, "B36", "a3.5", "B24.8.3".
    pub(super) fn id_citation(&self, k: usize, out: &mut Vec<Raw>) -> Option<usize> {
        let w = self.s(k);
        let mut cs = w.chars();
        let part = cs.next().and_then(Part::from_letter)?;
        let digits = cs.as_str();
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut nums = vec![digits.parse::<u16>().ok()?];
        let mut end_tok = k;
        if self.is_punct(k + 1, &['.'])
            && let Some(more) = self.number(k + 2)
        {
            nums.extend(more);
            end_tok = k + 2;
        }
        if nums.len() > 3 || nums.contains(&0) {
            return None;
        }
        let number_end = self.toks[end_tok].end;
        let title = self.title_after(end_tok);
        let next = title.as_ref().map_or(end_tok + 1, |(_, next)| *next);
        out.push(Raw {
            part: Some(part),
            nums,
            start: self.toks[k].start,
            number_end,
            title: title.map(|(t, _)| t),
        });
        Some(next)
    }

    /// Whether a bare dotted number at `k` is marked as a reference: after
    /// "see", "see also", "refer to" always; after "in", "at", "with" when it
    /// has three levels or a title, "above" or "below" follows (a two-level
    /// number there could be a decimal: "in 1.5 hours").
    pub(super) fn cued(&self, k: usize, depth: usize) -> bool {
        if self.mode == Mode::Free {
            return true;
        }
        let Some(p) = self.prev_word(k) else {
            return false;
        };
        let word = self.s(p);
        let before = self.prev_word(p).map_or("", |q| self.s(q));
        let strong = is_one_of(word, &["see"])
            || (is_one_of(word, &["also"]) && is_one_of(before, &["see"]))
            || (is_one_of(word, &["to"]) && is_one_of(before, &["refer", "referred"]));
        if strong {
            return true;
        }
        if !is_one_of(word, &["in", "at", "with"]) {
            return false;
        }
        if depth >= 3 {
            return true;
        }
        let j = self.skip_space(k + 1);
        let next = self.s(j);
        self.is_punct(j, &[','])
            || next.eq_ignore_ascii_case("above")
            || next.eq_ignore_ascii_case("below")
            || (self.kind(j) == Some(Kind::Word)
                && next.chars().next().is_some_and(char::is_uppercase))
    }

    /// The number at `n` and what follows it: exclusions, title, chain.
    pub(super) fn number_citation(
        &self,
        n: usize,
        unit: Option<Keyword>,
        part: Option<Part>,
        start: usize,
        out: &mut Vec<Raw>,
    ) -> Option<usize> {
        let nums = self.number(n)?;
        if self.external(n, &nums, unit, part.is_some()) {
            // Skip a whole external chain such as "Chapter 6, Section 2".
            return Some(self.external_chain_end(n));
        }
        let title = self.title_after(n);
        let mut next = title.as_ref().map_or(n + 1, |(_, next)| *next);
        let depth = nums.len();
        out.push(Raw {
            part,
            nums,
            start,
            number_end: self.toks[n].end,
            title: title.map(|(t, _)| t),
        });
        // Chains: "…, 39.2, Forced marriage", "… and 40.2, …", "6.8.1 to 6.8.5".
        while let Some((m, chain_nums)) = self.chained_number(next, depth, unit) {
            if self.external(m, &chain_nums, unit, part.is_some()) {
                break;
            }
            let title = self.title_after(m);
            next = title.as_ref().map_or(m + 1, |(_, next)| *next);
            out.push(Raw {
                part,
                nums: chain_nums,
                start: self.toks[m].start,
                number_end: self.toks[m].end,
                title: title.map(|(t, _)| t),
            });
        }
        Some(next)
    }

    /// A bare number continuing a chain at `k`: a connector (",", ";", "&",
    /// "and", "or", "to") then a number of the manual's shape. Returns its
    /// token index and components.
    pub(super) fn chained_number(
        &self,
        k: usize,
        head_depth: usize,
        unit: Option<Keyword>,
    ) -> Option<(usize, Vec<u16>)> {
        let mut j = self.skip_space(k);
        let mut punct = false;
        if self.is_punct(j, &[',', ';', '&']) {
            punct = true;
            j = self.skip_space(j + 1);
        }
        let word = is_one_of(self.s(j), &["and", "or", "to"]) && self.kind(j) == Some(Kind::Word);
        if word {
            j = self.skip_space(j + 1);
        }
        let nums = self.number(j)?;
        // A one-number link only continues a list of chapters joined by a
        // word ("chapters 3 and 4"); after a bare comma it is a count.
        let shape_ok =
            nums.len() >= 2 || (head_depth == 1 && unit == Some(Keyword::Chapter) && word);
        ((punct || word) && shape_ok).then_some((j, nums))
    }

    /// Whether the number at `n` cites another document (see the module
    /// documentation for the rules).
    pub(super) fn external(
        &self,
        n: usize,
        nums: &[u16],
        unit: Option<Keyword>,
        explicit_part: bool,
    ) -> bool {
        // The manual's sections and paragraphs always have dotted numbers.
        if unit == Some(Keyword::Section) && nums.len() == 1 {
            return true;
        }
        // "section 17(10)", "section 47(1)": a statute's subsection.
        if self.is_punct(n + 1, &['(']) {
            return true;
        }
        // "27.6%": a quantity.
        if self.is_punct(n + 1, &['%']) {
            return true;
        }
        // "… of the Children Act 1989", "of Working Together" (but "of these
        // procedures" is the manual itself).
        let j = self.skip_space(n + 1);
        if self.is_word(j, "of") {
            let k = self.skip_space(j + 1);
            if !(self.is_word(k, "these") || self.is_word(k, "this")) {
                return true;
            }
        }
        if unit == Some(Keyword::Chapter) && nums.len() == 1 {
            // "Chapter 6, Section 2 …", "Chapter 2 Paragraph 40": another
            // document's numbering (the manual would write 6.2).
            let mut k = self.skip_space(n + 1);
            if self.is_punct(k, &[',']) {
                k = self.skip_space(k + 1);
            }
            if self.kind(k) == Some(Kind::Word)
                && keyword(self.s(k)) == Some(Keyword::Section)
                && self
                    .number(self.skip_space(k + 1))
                    .is_some_and(|m| m.len() == 1)
            {
                return true;
            }
            // A chapter with no part next to a year is a chapter of that
            // dated publication.
            if !explicit_part && (self.year_in_clause_before(n) || self.year_in_clause_after(n)) {
                return true;
            }
        }
        false
    }

    pub(super) fn external_chain_end(&self, n: usize) -> usize {
        let mut k = self.skip_space(n + 1);
        if self.is_punct(k, &[',']) {
            k = self.skip_space(k + 1);
        }
        if self.kind(k) == Some(Kind::Word) && keyword(self.s(k)).is_some() {
            let m = self.skip_space(k + 1);
            if self.number(m).is_some() {
                return m + 1;
            }
        }
        n + 1
    }

    pub(super) fn is_year(&self, k: usize) -> bool {
        self.kind(k) == Some(Kind::Num)
            && self.s(k).len() == 4
            && self
                .s(k)
                .parse::<u16>()
                .is_ok_and(|y| (1900..=2099).contains(&y))
    }

    pub(super) fn clause_end(&self, k: usize) -> bool {
        match self.kind(k) {
            Some(Kind::Punct(c)) => matches!(c, '.' | ';' | '(' | ')' | ',' | ':'),
            Some(Kind::Space(true)) => true,
            _ => false,
        }
    }

    pub(super) fn year_in_clause_before(&self, n: usize) -> bool {
        // Back from the keyword before the number to the clause start.
        let mut k = n;
        while k > 0 {
            k -= 1;
            if self.clause_end(k) || self.is_word(k, "see") || self.is_word(k, "refer") {
                return false;
            }
            if self.is_year(k) {
                return true;
            }
        }
        false
    }

    pub(super) fn year_in_clause_after(&self, n: usize) -> bool {
        // Past the separator that introduces the title ("Chapter 2: …").
        let mut from = self.skip_space(n + 1);
        if self.is_punct(from, &[',', ':', '-']) {
            from += 1;
        }
        (from..self.toks.len())
            .take_while(|&k| !self.clause_end(k))
            .take(40)
            .any(|k| self.is_year(k))
    }
}
