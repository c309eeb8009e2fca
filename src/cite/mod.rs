//! Cross-references: the manual's citations of itself, found and resolved.
//!
//! The manual cites itself hundreds of times ("see Part B, chapter 19,
//! Fabricated or induced illness", "See Part B3 Chapter 20", "(see section
//! 3.6, Referrals to the police)"). It has been renumbered several times and
//! many citations still carry old numbers, so a reader who follows the number
//! blindly lands on the wrong page. This module
//!
//! 1. **finds** citations in block text (`scan`): an optional part ("Part
//!    A", "Part B3", "part a."), a unit word ("chapter", "Ch", "section",
//!    "paragraph", plurals), a number of one to three levels, and the cited
//!    title that follows it; chains ("chapter 3, …, chapter 4, …", "section
//!    40.1, … and 40.2, …", "sections 6.8.1 to 6.8.5"); and bare numbers that
//!    a cue marks as references ("see 4.4", "in 21.2, Child registered…",
//!    "38.1.6 above");
//! 2. **rejects** citations of other documents by their shape rather than by
//!    a list of exceptions: the manual's sections are always numbered
//!    `chapter.section`, so "section 47" or "paragraph 40" (one number) is a
//!    statute or another publication; a number followed by "of …" (other than
//!    "of these procedures") or directly by "(" ("section 17(10)") belongs to
//!    the document named after it; a chapter without a part that sits next
//!    to a year ("Chapter 5 Working Together to Safeguard Children 2023") is
//!    a chapter of that dated publication;
//! 3. **resolves** each citation against [`Targets`] (chapter, section and
//!    paragraph ids with their titles and sub-headings) by comparing the cited
//!    title with the title at the cited number and, when that fails, with
//!    every other title: [`Status::Ok`], [`Status::Stale`] (with the section
//!    the title now belongs to) or [`Status::Unresolved`]. A number that
//!    exists but whose cited title matches neither it nor anything else is
//!    unresolved too (`target` still names it): the reader cannot tell which
//!    of the two the author meant ("section 2.2, Referral criteria" names no
//!    heading of the manual).
//!
//! Titles are compared after normalising case, punctuation and "and"/"&",
//! tolerating a title cut short (a prefix or run of the real one) and mild
//! rewording (shared word stems). The number's own title needs less to
//! count as a match than another title needs to override it, because the
//! number is evidence too.
//!
//! Everything here is pure; [`find_all`] and [`inline_links`] feed the
//! content writer, [`resolve_text`] serves `setproc resolve TEXT`.

use std::borrow::Cow;
use std::collections::BTreeMap;

// Keyed by the manual's own ids and words, never by untrusted input at
// scale: the fast hash of `analysis::FxBuild`, not SipHash (which was
// ~3% of a build).
type HashMap<K, V> = std::collections::HashMap<K, V, crate::text::analysis::FxBuild>;

use serde::{Deserialize, Serialize};

use crate::manual::document::{Block, Document};
use crate::manual::ids::{Level, NodeId, Part, SectionId};
use crate::store::content::{InlineLink, path_for};

/// How a citation's number relates to its cited title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The number exists and the title, if any, matches.
    Ok,
    /// The number's title does not match (or the number no longer exists)
    /// and another section matches the cited title: see `suggestion`.
    Stale,
    /// Neither the number nor the title leads anywhere.
    Unresolved,
}

/// One citation in the manual's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The node whose text holds the citation.
    pub from: NodeId,
    /// The numbered paragraph holding it, if any (`A3.4.22`).
    #[serde(default)]
    pub paragraph: Option<SectionId>,
    /// 1-based line of the citation in the source text.
    pub line: usize,
    /// The citation as written ("Part B, chapter 37, Historical abuse").
    pub text: String,
    /// The id as written, normalised ("B37"), even if it does not exist.
    pub cited: String,
    /// The cited title as written, if any ("Historical abuse").
    pub cited_title: Option<String>,
    /// The id the number resolves to, if that id exists.
    pub target: Option<SectionId>,
    pub status: Status,
    /// For stale citations, the section whose title matches.
    pub suggestion: Option<SectionId>,
    /// Where the citation sits, for linking: block index in `from`, item
    /// (list item, or table cell `row * columns + column`; 0 otherwise) and
    /// byte range in that text.
    pub block: usize,
    pub item: usize,
    pub start: usize,
    pub end: usize,
}

impl Citation {
    /// Where a reader following the citation should land.
    pub fn destination(&self) -> Option<SectionId> {
        match self.status {
            Status::Ok => self.target,
            Status::Stale => self.suggestion,
            Status::Unresolved => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------

/// Finds and resolves every citation in the document, in reading order.
pub fn find_all(doc: &Document) -> Vec<Citation> {
    find_all_in(&Targets::from_document(doc), doc)
}

/// [`find_all`] against targets already built from `doc`.
pub fn find_all_in(targets: &Targets, doc: &Document) -> Vec<Citation> {
    let mut out = Vec::new();
    for node in &doc.nodes {
        let part = node_part(node.id);
        for (bi, block) in node.blocks.iter().enumerate() {
            for unit in text_units(block) {
                for found in scan(unit.text, part, Mode::Manual) {
                    let judged = targets.judge(found.id, found.title.as_ref());
                    let mut c = build_citation(
                        node.id,
                        bi,
                        &unit,
                        unit.line_at(found.start),
                        &found,
                        judged,
                    );
                    c.paragraph = node
                        .paragraphs
                        .iter()
                        .find(|p| (p.start..p.end).contains(&bi))
                        .map(|p| p.id);
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The links to draw over each node's text: one `Vec` per node, in
/// `doc.nodes` order. Ok citations link to their target, stale ones to the
/// suggestion (with a tooltip saying so), unresolved ones not at all.
pub fn inline_links(doc: &Document, citations: &[Citation]) -> Vec<Vec<InlineLink>> {
    inline_links_in(&Targets::from_document(doc), doc, citations)
}

/// [`inline_links`] against targets already built from `doc`.
pub fn inline_links_in(
    targets: &Targets,
    doc: &Document,
    citations: &[Citation],
) -> Vec<Vec<InlineLink>> {
    let index: HashMap<NodeId, usize> = doc
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();
    let mut out = vec![Vec::new(); doc.nodes.len()];
    for c in citations {
        let (Some(dest), Some(&ni)) = (c.destination(), index.get(&c.from)) else {
            continue;
        };
        let Some(href) = targets.href(dest) else {
            continue;
        };
        if c.start >= c.end {
            continue;
        }
        out[ni].push(InlineLink {
            block: c.block,
            item: c.item,
            range: c.start..c.end,
            href,
            title: stale_note(targets, c),
        });
    }
    for links in &mut out {
        links.sort_by_key(|l| (l.block, l.item, l.range.start));
        // Links must never overlap; the scanner does not produce overlapping
        // citations, but the contract is cheap to guarantee here.
        let mut kept: Vec<InlineLink> = Vec::with_capacity(links.len());
        for l in links.drain(..) {
            let overlaps = kept.last().is_some_and(|p| {
                p.block == l.block && p.item == l.item && p.range.end > l.range.start
            });
            if !overlaps {
                kept.push(l);
            }
        }
        *links = kept;
    }
    out
}

/// The tooltip for a stale citation: what the number now is and where the
/// cited title lives ("cited as B37 (now Children Visiting Custodial
/// Settings); the title matches B36 Historical Abuse").
pub fn stale_note(targets: &Targets, c: &Citation) -> Option<String> {
    if c.status != Status::Stale {
        return None;
    }
    let sugg = c.suggestion?;
    let now = match c.target.and_then(|t| targets.title(t)) {
        Some(t) => format!("cited as {} (now {t})", c.cited),
        None if c.target.is_some() => format!("cited as {}", c.cited),
        None => format!("cited as {}, which is not in the manual", c.cited),
    };
    Some(match targets.title(sugg) {
        Some(t) => format!("{now}; the title matches {sugg} {t}"),
        None => format!("{now}; the title matches {sugg}"),
    })
}

/// Parses and resolves free text such as "Part B chapter 24", "Part A,
/// section 3.2", "part b ch 37, historical abuse", "3.6" or "B36".
///
/// A citation without a part takes `default_part`; when that is `None` it is
/// tried in both parts and the better resolution wins (Part A on a tie).
/// Locations are relative to `text`: `line` counts its lines from 1, `block`
/// and `item` are 0, `from` is the part.
pub fn resolve_text(targets: &Targets, text: &str, default_part: Option<Part>) -> Vec<Citation> {
    let unit = TextUnit {
        item: 0,
        text,
        lines: LineMap::Free,
    };
    let from = NodeId::Part(default_part.unwrap_or(Part::A));
    let mut out = Vec::new();
    for found in scan(text, default_part.unwrap_or(Part::A), Mode::Free) {
        let mut best = (found.clone(), targets.judge(found.id, found.title.as_ref()));
        if default_part.is_none() && !found.explicit_part {
            let other = Part::B;
            if let Some(id) = SectionId::new(other, found.id.nums()) {
                let alt = Found {
                    id,
                    ..found.clone()
                };
                let judged = targets.judge(id, alt.title.as_ref());
                if rank(judged.status) < rank(best.1.status) {
                    best = (alt, judged);
                }
            }
        }
        let (found, judged) = best;
        out.push(build_citation(
            from,
            0,
            &unit,
            unit.line_at(found.start),
            &found,
            judged,
        ));
    }
    out
}

/// Lower is better.
fn rank(s: Status) -> u8 {
    match s {
        Status::Ok => 0,
        Status::Stale => 1,
        Status::Unresolved => 2,
    }
}

fn node_part(id: NodeId) -> Part {
    match id {
        NodeId::Part(p) => p,
        NodeId::Group(_) => Part::B,
        NodeId::Section(s) => s.part(),
    }
}

fn build_citation(
    from: NodeId,
    block: usize,
    unit: &TextUnit<'_>,
    line: usize,
    found: &Found,
    judged: Judged,
) -> Citation {
    let end = match (&found.title, judged.title_len) {
        (Some(t), Some(len)) => t.start + len,
        _ => found.number_end,
    };
    let cited_title = match (&found.title, judged.title_len) {
        (Some(t), Some(len)) => Some(unit.text[t.start..t.start + len].to_string()),
        _ => None,
    };
    Citation {
        from,
        paragraph: None,
        line,
        text: unit.text[found.start..end].to_string(),
        cited: found.id.to_string(),
        cited_title,
        target: judged.target,
        status: judged.status,
        suggestion: judged.suggestion,
        block,
        item: unit.item,
        start: found.start,
        end,
    }
}

// ---------------------------------------------------------------------------
// Where text lives: blocks, items, cells and their source lines
// ---------------------------------------------------------------------------

/// One searchable text of a block with what is needed to locate a citation.
struct TextUnit<'a> {
    item: usize,
    text: &'a str,
    lines: LineMap<'a>,
}

enum LineMap<'a> {
    /// Source lines joined into one text (a paragraph or list item).
    Joined(&'a [usize]),
    /// A single source line.
    Single(usize),
    /// Free text given to [`resolve_text`]: count its own lines.
    Free,
}

impl TextUnit<'_> {
    /// The 1-based source line holding byte `pos` of the text.
    ///
    /// The parser joins consecutive source lines with '\n' and lines split
    /// by a page break with ' '. When every join is a '\n' the mapping is
    /// exact. A ' ' join cannot be told from an ordinary space, so otherwise
    /// the line is estimated by the position's share of the text (assuming
    /// equally long lines); the integration test measures how often this
    /// lands on the right line.
    fn line_at(&self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        match self.lines {
            LineMap::Single(l) => l,
            LineMap::Free => 1 + self.text[..pos].matches('\n').count(),
            LineMap::Joined(lines) => {
                let Some(&last) = lines.last() else {
                    return 0;
                };
                let breaks = self.text.matches('\n').count();
                if lines.len() == breaks + 1 {
                    return lines[self.text[..pos].matches('\n').count()];
                }
                let idx = pos * lines.len() / self.text.len().max(1);
                lines.get(idx).copied().unwrap_or(last)
            }
        }
    }
}

/// The texts of a block: a paragraph's or heading's text, each list item,
/// each table cell.
fn text_units(block: &Block) -> Vec<TextUnit<'_>> {
    match block {
        Block::Para { text, lines, .. } => vec![TextUnit {
            item: 0,
            text,
            lines: LineMap::Joined(lines),
        }],
        Block::Heading { text, line } => vec![TextUnit {
            item: 0,
            text,
            lines: LineMap::Single(*line),
        }],
        Block::List { items } => items
            .iter()
            .enumerate()
            .map(|(k, i)| TextUnit {
                item: k,
                text: &i.text,
                lines: LineMap::Joined(&i.lines),
            })
            .collect(),
        Block::Table { rows, lines } => {
            let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let row_lines = table_row_lines(rows.len(), lines);
            let mut units = Vec::new();
            for (r, row) in rows.iter().enumerate() {
                let line = row_lines.get(r).copied().unwrap_or(0);
                for (c, cell) in row.iter().enumerate() {
                    units.push(TextUnit {
                        item: r * width + c,
                        text: cell,
                        lines: LineMap::Single(line),
                    });
                }
            }
            units
        }
    }
}

/// The source line of each table row.
///
/// Every row comes from one line, but when a table runs over a page break
/// the parser drops the repeated header row while keeping its line, so a
/// table can have more lines than rows. A dropped header always follows a
/// page break, which shows as a gap in the line numbers (blank lines, the
/// running header); the widest gaps are taken to hold the dropped headers.
fn table_row_lines(rows: usize, lines: &[usize]) -> Vec<usize> {
    let extra = lines.len().saturating_sub(rows);
    if extra == 0 {
        return lines.to_vec();
    }
    let mut gaps: Vec<(usize, usize)> = (1..lines.len())
        .map(|i| (lines[i].saturating_sub(lines[i - 1]), i))
        .filter(|(gap, _)| *gap > 1)
        .collect();
    // Widest first; among equals the later one (headers repeat page after page).
    gaps.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let dropped: Vec<usize> = gaps.iter().take(extra).map(|(_, i)| *i).collect();
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(_, l)| *l)
        .collect()
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
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
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

fn tokenize(text: &str) -> Vec<Tok> {
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

// ---------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------

/// What the scanner accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The manual's text: a bare number counts only with a cue ("see 4.4").
    Manual,
    /// A reader's query: bare numbers ("3.6") and ids ("B36") count too.
    Free,
}

/// How firmly the text after a number reads as a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
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
struct Title {
    start: usize,
    /// Candidate lengths in bytes, longest first: the whole run, then the
    /// run cut before each word that usually starts prose ("Referral and
    /// assessment is followed" → "Referral and assessment").
    cuts: Vec<usize>,
    /// The title text (`text[start..start + cuts[0]]`).
    text: String,
    strength: Strength,
}

/// A citation as the scanner reads it, before its part is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Raw {
    /// The part as written ("Part B3" → B), if any.
    part: Option<Part>,
    nums: Vec<u16>,
    /// Where the citation starts ("Part", the keyword or the number).
    start: usize,
    number_end: usize,
    title: Option<Title>,
}

/// A citation found by the scanner, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    id: SectionId,
    explicit_part: bool,
    start: usize,
    number_end: usize,
    title: Option<Title>,
}

/// What a citation is of: `Section` and `Paragraph` need a dotted number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyword {
    Chapter,
    Section,
}

fn keyword(word: &str) -> Option<Keyword> {
    const CHAPTER: &[&str] = &["chapter", "chapters", "ch"];
    const SECTION: &[&str] = &[
        "section",
        "sections",
        "paragraph",
        "paragraphs",
        "para",
        "paras",
    ];
    let is = |list: &[&str]| list.iter().any(|k| k.eq_ignore_ascii_case(word));
    if is(CHAPTER) {
        Some(Keyword::Chapter)
    } else if is(SECTION) {
        Some(Keyword::Section)
    } else {
        None
    }
}

/// Words after a number that never start a title: prose goes on instead
/// ("Chapter 15 for details", "section 26.2.2 above in the light").
const NO_TITLE_START: &[&str] = &[
    "for", "of", "in", "to", "and", "or", "which", "who", "as", "is", "are", "will", "should",
    "must", "may", "can", "within", "on", "at", "by", "with", "from", "under", "where", "when",
    "if", "that", "also", "see", "has", "have", "was", "were", "be", "this", "these", "it", "they",
    "there", "but", "so", "then", "sets", "states", "provides", "requires", "places", "etc", "had",
    "would",
];

/// Words at which a captured title may be cut because prose usually starts
/// there ("… Referral and assessment is followed", "… Information Sharing
/// for further guidance"). Only candidates: the longer title wins unless a
/// cut matches clearly better.
const PROSE_START: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "will",
    "would",
    "should",
    "shall",
    "must",
    "may",
    "can",
    "could",
    "which",
    "who",
    "whose",
    "whenever",
    "when",
    "where",
    "while",
    "if",
    "as",
    "that",
    "rather",
    "including",
    "regarding",
    "provides",
    "sets",
    "procedure",
    "procedures",
    "for",
    "has",
    "have",
    "had",
    "also",
    "however",
    "whether",
];

/// Words a title does not end with: they join it to what follows.
const TRAILING_JOINERS: &[&str] = &[
    "and",
    "or",
    "including",
    "see",
    "also",
    "the",
    "in",
    "with",
    "to",
    "of",
    "a",
];

const MAX_TITLE_WORDS: usize = 20;

struct Scanner<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    mode: Mode,
}

/// Finds the citations in one text. Citations without a part take the part
/// of the citation before them in the same sentence, else `part`.
fn scan(text: &str, part: Part, mode: Mode) -> Vec<Found> {
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
fn may_cite(text: &str) -> bool {
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
fn sentence_break(between: &str) -> bool {
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

/// Whether `word` is one of `list` (ASCII case ignored).
fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

impl<'a> Scanner<'a> {
    fn s(&self, k: usize) -> &'a str {
        self.toks.get(k).map_or("", |t| &self.text[t.start..t.end])
    }

    fn kind(&self, k: usize) -> Option<Kind> {
        self.toks.get(k).map(|t| t.kind)
    }

    fn is_word(&self, k: usize, w: &str) -> bool {
        self.kind(k) == Some(Kind::Word) && self.s(k).eq_ignore_ascii_case(w)
    }

    fn is_punct(&self, k: usize, set: &[char]) -> bool {
        matches!(self.kind(k), Some(Kind::Punct(c)) if set.contains(&c))
    }

    /// Skips whitespace that stays on the same line.
    fn skip_space(&self, k: usize) -> usize {
        if self.kind(k) == Some(Kind::Space(false)) {
            k + 1
        } else {
            k
        }
    }

    /// The previous word before `k`, skipping spaces and opening brackets.
    fn prev_word(&self, k: usize) -> Option<usize> {
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
    fn number(&self, k: usize) -> Option<Vec<u16>> {
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
    fn part_at(&self, k: usize) -> Option<(Part, usize)> {
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
    fn starts_citation(&self, k: usize) -> bool {
        if self.part_at(k).is_some() {
            return true;
        }
        self.kind(k) == Some(Kind::Word)
            && keyword(self.s(k)).is_some()
            && self
                .number(self.skip_space(self.skip_abbrev_dot(k + 1)))
                .is_some()
    }

    fn skip_abbrev_dot(&self, k: usize) -> usize {
        if self.is_punct(k, &['.']) { k + 1 } else { k }
    }

    /// Tries to read a citation (and the chain that follows it) at `i`,
    /// pushing what it finds; returns the token index to continue from.
    fn citation_at(&self, i: usize, out: &mut Vec<Raw>) -> Option<usize> {
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
    fn keyword_citation(
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
    fn id_citation(&self, k: usize, out: &mut Vec<Raw>) -> Option<usize> {
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
    fn cued(&self, k: usize, depth: usize) -> bool {
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
    fn number_citation(
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
    fn chained_number(
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
    fn external(&self, n: usize, nums: &[u16], unit: Option<Keyword>, explicit_part: bool) -> bool {
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

    fn external_chain_end(&self, n: usize) -> usize {
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

    fn is_year(&self, k: usize) -> bool {
        self.kind(k) == Some(Kind::Num)
            && self.s(k).len() == 4
            && self
                .s(k)
                .parse::<u16>()
                .is_ok_and(|y| (1900..=2099).contains(&y))
    }

    fn clause_end(&self, k: usize) -> bool {
        match self.kind(k) {
            Some(Kind::Punct(c)) => matches!(c, '.' | ';' | '(' | ')' | ',' | ':'),
            Some(Kind::Space(true)) => true,
            _ => false,
        }
    }

    fn year_in_clause_before(&self, n: usize) -> bool {
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

    fn year_in_clause_after(&self, n: usize) -> bool {
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

    /// The title after the number at `n`, with the token index after it.
    fn title_after(&self, n: usize) -> Option<(Title, usize)> {
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
        let title_start = k;
        // Run to the end of the title.
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
        // Trim joiners and dangling punctuation at the end.
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
        let start = self.toks[title_start].start;
        let end = self.toks[end_tok].end;
        if end <= start {
            return None;
        }
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
        Some((
            Title {
                start,
                text: self.text[start..end].to_string(),
                cuts,
                strength,
            },
            end_tok + 1,
        ))
    }

    /// A short parenthetical inside a title ("Hospitals (specialist)",
    /// "Conferencing (MARAC)"): the index of its ')' if it closes within a
    /// few words and holds no number or new citation.
    fn parenthetical_end(&self, open: usize) -> Option<usize> {
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

// ---------------------------------------------------------------------------
// Targets and title matching
// ---------------------------------------------------------------------------

/// What a citation can point at: chapter and section ids with their titles,
/// numbered paragraphs with the node that holds them, and the unnumbered
/// sub-headings that citations sometimes name instead of a title.
///
/// Built from a [`Document`] ([`Targets::from_document`]) or from the
/// library's metadata ([`Targets::from_nodes`], which has no sub-headings or
/// paragraph text, so paragraph titles can only match their section's title).
#[derive(Debug, Clone, Default)]
pub struct Targets {
    sections: BTreeMap<SectionId, Entry>,
    paragraphs: HashMap<SectionId, ParaInfo>,
    headings: Vec<Heading>,
    /// Indices into `headings` by the node they sit in.
    headings_in: HashMap<NodeId, Vec<usize>>,
    /// Which titles hold a word like a given one, built on first need: a
    /// cited title is compared only with titles sharing a word, not with
    /// all ~900 (that scan was most of the manual's resolution time).
    candidates: std::sync::OnceLock<CandidateIndex>,
}

/// Entries are sections (in `sections` order), then headings.
#[derive(Debug, Clone, Default)]
struct CandidateIndex {
    sections: Vec<SectionId>,
    by_key: HashMap<String, Vec<u32>>,
}

/// Keys under which `word_eq` words meet: the five-letter prefix, the word,
/// and the word without a plural ending. Two words that `word_eq` calls the
/// same share a key (the index may over-select; `score` decides).
fn word_keys(w: &str) -> impl Iterator<Item = String> + '_ {
    let prefix = w
        .char_indices()
        .nth(5)
        .map(|(i, _)| &w[..i])
        .filter(|_| w.len() >= 5);
    let prefix = prefix.or((w.chars().count() == 5).then_some(w));
    [
        prefix.map(|p| format!("5:{p}")),
        Some(w.to_string()),
        w.strip_suffix('s')
            .filter(|r| !r.is_empty())
            .map(str::to_string),
        w.strip_suffix("es")
            .filter(|r| !r.is_empty())
            .map(str::to_string),
    ]
    .into_iter()
    .flatten()
}

#[derive(Debug, Clone)]
struct Entry {
    title: String,
    words: Vec<String>,
}

#[derive(Debug, Clone)]
struct ParaInfo {
    node: NodeId,
    /// The sub-heading above the paragraph in its node, if any.
    heading: Option<usize>,
    /// The paragraph's text, lists included, `None` when built from
    /// metadata. Its opening often serves as its title ("Pre-birth
    /// conferences should always be convened…"), and a cited title may name
    /// what it covers ("section 2.11.29, Screening and searching pupils"
    /// names one of its bullets). Kept as text and split into words only
    /// when a citation needs it: few do, and splitting the whole manual
    /// would cost more than the rest of resolution.
    text: Option<String>,
}

#[derive(Debug, Clone)]
struct Heading {
    node: NodeId,
    text: String,
    words: Vec<String>,
    /// The first numbered paragraph after the heading in its node.
    next_para: Option<SectionId>,
}

/// What resolution decided for one citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Judged {
    status: Status,
    target: Option<SectionId>,
    suggestion: Option<SectionId>,
    /// Length of the cited title kept (a cut of the captured run), `None`
    /// when the citation has no title or a weak one was dropped.
    title_len: Option<usize>,
}

/// A title match at least this good settles a citation.
const STRONG: f64 = 0.7;
/// At the cited number, a partial match this good still confirms it (old
/// titles are often reworded: "Professional conflict resolution" for
/// "Resolving Professional Disagreements") unless another title matches
/// strongly.
const WEAK: f64 = 0.4;

impl Targets {
    /// Every chapter, section, paragraph and sub-heading of a document.
    pub fn from_document(doc: &Document) -> Targets {
        let mut t = Targets::default();
        for node in &doc.nodes {
            if let Some(id) = node.section_id() {
                t.add_section(id, &node.title);
            }
            let mut node_headings: Vec<(usize, usize)> = Vec::new(); // (block, heading index)
            for (bi, block) in node.blocks.iter().enumerate() {
                if let Block::Heading { text, .. } = block {
                    let next_para = node.paragraphs.iter().find(|p| p.start > bi).map(|p| p.id);
                    node_headings.push((bi, t.headings.len()));
                    t.headings_in
                        .entry(node.id)
                        .or_default()
                        .push(t.headings.len());
                    t.headings.push(Heading {
                        node: node.id,
                        text: text.clone(),
                        words: content_words(text),
                        next_para,
                    });
                }
            }
            for p in &node.paragraphs {
                let heading = node_headings
                    .iter()
                    .rev()
                    .find(|(bi, _)| *bi < p.start)
                    .map(|(_, h)| *h);
                let text: Vec<&str> = node
                    .blocks
                    .get(p.start..p.end)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|b| text_units(b).into_iter().map(|u| u.text))
                    .collect();
                t.paragraphs.entry(p.id).or_insert(ParaInfo {
                    node: node.id,
                    heading,
                    text: Some(text.join(" ")),
                });
            }
        }
        t
    }

    /// From node metadata: `(id, title, numbered paragraphs)` per node, as
    /// the library's manifest holds them.
    pub fn from_nodes<'a, I>(nodes: I) -> Targets
    where
        I: IntoIterator<Item = (NodeId, &'a str, &'a [SectionId])>,
    {
        let mut t = Targets::default();
        for (id, title, paragraphs) in nodes {
            if let Some(s) = id.section() {
                t.add_section(s, title);
            }
            for p in paragraphs {
                t.paragraphs.entry(*p).or_insert(ParaInfo {
                    node: id,
                    heading: None,
                    text: None,
                });
            }
        }
        t
    }

    fn candidate_index(&self) -> &CandidateIndex {
        self.candidates.get_or_init(|| {
            let mut index = CandidateIndex::default();
            let mut add = |e: u32, words: &[String]| {
                for w in words {
                    for key in word_keys(w) {
                        let v = index.by_key.entry(key).or_default();
                        if v.last() != Some(&e) {
                            v.push(e);
                        }
                    }
                }
            };
            let mut e = 0u32;
            let mut sections = Vec::with_capacity(self.sections.len());
            for (id, entry) in &self.sections {
                sections.push(*id);
                add(e, &entry.words);
                e += 1;
            }
            for h in &self.headings {
                add(e, &h.words);
                e += 1;
            }
            index.sections = sections;
            index
        })
    }

    fn add_section(&mut self, id: SectionId, title: &str) {
        self.sections.insert(
            id,
            Entry {
                title: title.to_string(),
                words: content_words(title),
            },
        );
    }

    /// Whether `id` is a chapter, section or numbered paragraph.
    pub fn contains(&self, id: SectionId) -> bool {
        self.sections.contains_key(&id) || self.paragraphs.contains_key(&id)
    }

    /// The title of a chapter or section, or for a paragraph the sub-heading
    /// above it, if any.
    pub fn title(&self, id: SectionId) -> Option<&str> {
        if let Some(e) = self.sections.get(&id) {
            return Some(&e.title);
        }
        let h = self.paragraphs.get(&id)?.heading?;
        self.headings.get(h).map(|h| h.text.as_str())
    }

    /// The node whose file holds `id`: itself for a chapter or section, the
    /// holding node for a paragraph.
    pub fn node_of(&self, id: SectionId) -> Option<NodeId> {
        if self.sections.contains_key(&id) {
            return Some(NodeId::Section(id));
        }
        self.paragraphs.get(&id).map(|p| p.node)
    }

    /// The relative link to `id` in the content folder: `B36.md`, or for a
    /// paragraph `A4.1.md#a4-1-11`.
    pub fn href(&self, id: SectionId) -> Option<String> {
        let node = self.node_of(id)?;
        Some(match id.level() {
            Level::Paragraph => format!("{}#{}", path_for(node), id.anchor()),
            _ => path_for(node),
        })
    }

    /// Resolves one number with an optional cited title (as written); the
    /// title is compared as given, without cutting it short.
    pub fn resolve(
        &self,
        cited: SectionId,
        title: Option<&str>,
    ) -> (Status, Option<SectionId>, Option<SectionId>) {
        let title = title.filter(|t| !t.trim().is_empty()).map(|t| Title {
            start: 0,
            cuts: vec![t.len()],
            text: t.to_string(),
            strength: Strength::Strong,
        });
        let j = self.judge(cited, title.as_ref());
        (j.status, j.target, j.suggestion)
    }

    fn judge(&self, cited: SectionId, title: Option<&Title>) -> Judged {
        let exists = self.contains(cited);
        let target = exists.then_some(cited);
        let by_number = Judged {
            status: if exists {
                Status::Ok
            } else {
                Status::Unresolved
            },
            target,
            suggestion: None,
            title_len: None,
        };
        let Some(title) = title else {
            return by_number;
        };
        // Score every cut; keep the longest unless a shorter one is clearly
        // better.
        struct Reading<'a> {
            eval: f64,
            own: Match<'a>,
            alt: Option<(Match<'a>, SectionId)>,
            cut: usize,
        }
        let mut best: Option<Reading<'_>> = None;
        for &cut in &title.cuts {
            let Some(text) = title.text.get(..cut) else {
                continue;
            };
            let words = content_words(text);
            if words.is_empty() || (title.strength == Strength::Dot && words.len() < 2) {
                continue;
            }
            let own = if exists {
                self.own_match(cited, &words)
            } else {
                Match::NONE
            };
            let alt = if own.score < STRONG {
                self.best_alternative(cited, &words)
            } else {
                None
            };
            let eval = own.score.max(alt.as_ref().map_or(0.0, |a| a.0.score));
            if best.as_ref().is_none_or(|b| eval > b.eval + 0.05) {
                best = Some(Reading {
                    eval,
                    own,
                    alt,
                    cut,
                });
            }
        }
        let Some(Reading { own, alt, cut, .. }) = best else {
            return by_number;
        };
        let text = &title.text[..cut];
        let keep = |status, suggestion, with: &Match<'_>| Judged {
            status,
            target,
            suggestion,
            title_len: Some(trim_to_match(text, &with.words)),
        };
        let needed = if title.strength == Strength::Dot {
            STRONG
        } else {
            WEAK
        };
        match alt {
            _ if own.score >= STRONG => keep(Status::Ok, None, &own),
            Some((m, id)) if m.score >= STRONG && m.score > own.score => {
                keep(Status::Stale, Some(id), &m)
            }
            _ if own.score >= needed => keep(Status::Ok, None, &own),
            // The cited title leads nowhere; claim only its shortest reading.
            _ if title.strength == Strength::Strong => Judged {
                status: Status::Unresolved,
                target,
                suggestion: None,
                title_len: title.cuts.last().copied(),
            },
            // A weak title that matches nothing was probably prose.
            _ => by_number,
        }
    }

    /// How well `words` match what the manual has at `cited`: its title, its
    /// sub-headings, or for a paragraph the heading above it and its opening.
    fn own_match<'a>(&'a self, cited: SectionId, words: &[String]) -> Match<'a> {
        let mut best = Match::NONE;
        let mut consider = |target: &'a [String]| {
            let s = score(words, target);
            if s > best.score {
                best = Match {
                    score: s,
                    words: Cow::Borrowed(target),
                };
            }
        };
        if let Some(e) = self.sections.get(&cited) {
            consider(&e.words);
            for &h in self
                .headings_in
                .get(&NodeId::Section(cited))
                .into_iter()
                .flatten()
            {
                consider(&self.headings[h].words);
            }
            return best;
        }
        let Some(p) = self.paragraphs.get(&cited) else {
            return best;
        };
        if let Some(e) = p.node.section().and_then(|n| self.sections.get(&n)) {
            consider(&e.words);
        }
        if let Some(h) = p.heading {
            consider(&self.headings[h].words);
        }
        match &p.text {
            Some(text) => {
                let body = content_words(text);
                // The paragraph's opening words can be its title.
                if body.len() >= words.len() && same_words(words, &body[..words.len()]) {
                    best = Match {
                        score: 1.0,
                        words: Cow::Owned(body[..words.len()].to_vec()),
                    };
                } else if best.score < STRONG && words.len() >= 2 {
                    // A phrase of its text, when nothing better matched.
                    if let Some(w) = body.windows(words.len()).find(|w| same_words(words, w)) {
                        best = Match {
                            score: 0.9,
                            words: Cow::Owned(w.to_vec()),
                        };
                    }
                }
            }
            // Without its heading and text a paragraph's title cannot be
            // checked: accept it unless another title matches strongly.
            None if best.score < WEAK => {
                best = Match {
                    score: WEAK,
                    words: Cow::Borrowed(&[]),
                }
            }
            None => {}
        }
        best
    }

    /// The best-matching title elsewhere: chapter and section titles first,
    /// then sub-headings (a paragraph citation lands on the paragraph after
    /// the heading). Ties go to the same part, the same level, the nearest
    /// chapter number, then reading order.
    fn best_alternative<'a>(
        &'a self,
        cited: SectionId,
        words: &[String],
    ) -> Option<(Match<'a>, SectionId)> {
        type Key = (f64, u8, u8, u8, i32);
        let mut best: Option<(Key, Match<'a>, SectionId)> = None;
        let mut consider = |s: f64, kind_rank: u8, id: SectionId, target: &'a [String]| {
            if id == cited || s < WEAK {
                return;
            }
            let key = (
                s,
                kind_rank,
                u8::from(id.part() == cited.part()),
                u8::from(id.level() == cited.level()),
                -(i32::from(id.nums()[0]) - i32::from(cited.nums()[0])).abs(),
            );
            if best
                .as_ref()
                .is_none_or(|(k, ..)| key.partial_cmp(k) == Some(std::cmp::Ordering::Greater))
            {
                best = Some((
                    key,
                    Match {
                        score: s,
                        words: Cow::Borrowed(target),
                    },
                    id,
                ));
            }
        };
        // Only titles sharing enough words can score: count, per entry, the
        // cited words it has a match for.
        let index = self.candidate_index();
        let mut hits: HashMap<u32, usize> = HashMap::default();
        for w in words {
            let mut seen: Vec<u32> = Vec::new();
            for key in word_keys(w) {
                for &e in index.by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                    if !seen.contains(&e) {
                        seen.push(e);
                        *hits.entry(e).or_default() += 1;
                    }
                }
            }
        }
        let need = words.len().min(2);
        let mut candidates: Vec<u32> = hits
            .into_iter()
            .filter(|&(_, n)| n >= need)
            .map(|(e, _)| e)
            .collect();
        candidates.sort_unstable();
        let n_sections = index.sections.len() as u32;
        for &e in candidates.iter().filter(|&&e| e < n_sections) {
            let id = index.sections[e as usize];
            let entry = &self.sections[&id];
            consider(score(words, &entry.words), 1, id, &entry.words);
        }
        for h in candidates
            .iter()
            .filter(|&&e| e >= n_sections)
            .map(|&e| &self.headings[(e - n_sections) as usize])
        {
            let id = match (cited.level(), h.next_para, h.node.section()) {
                (Level::Paragraph, Some(p), _) => p,
                (_, _, Some(n)) => n,
                (_, Some(p), None) => p,
                _ => continue,
            };
            // Headings inside the cited section are the number's own.
            if id.is_within(&cited) || (cited.is_within(&id) && cited.level() != Level::Paragraph) {
                continue;
            }
            consider(score(words, &h.words) * 0.98, 0, id, &h.words);
        }
        best.map(|(_, m, id)| (m, id))
    }
}

/// A title match: its score and the words it matched against.
#[derive(Debug, Clone)]
struct Match<'a> {
    score: f64,
    words: Cow<'a, [String]>,
}

impl Match<'_> {
    const NONE: Match<'static> = Match {
        score: 0.0,
        words: Cow::Borrowed(&[]),
    };
}

/// The length of `title` that a reader would call the cited title, given the
/// title it matched: prose that ran on after the last matching word ("…
/// Referral and Assessment and follow this link for more information") is
/// left out, unless it is a single word that may belong to the title
/// ("Parents with Learning Difficulties").
fn trim_to_match(title: &str, matched: &[String]) -> usize {
    if matched.is_empty() {
        return title.len();
    }
    // Words with their byte ends, split as normalize_title splits.
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in title
        .char_indices()
        .chain(std::iter::once((title.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            words.push((title[s..i].to_lowercase(), i));
        }
    }
    let Some(last) = words
        .iter()
        .rposition(|(w, _)| matched.iter().any(|m| word_eq(w, m)))
    else {
        return title.len();
    };
    let trailing = &words[last + 1..];
    let content = trailing
        .iter()
        .filter(|(w, _)| !STOPWORDS.contains(&w.as_str()))
        .count();
    let joins = trailing
        .first()
        .is_some_and(|(w, _)| is_one_of(w, TRAILING_JOINERS) || is_one_of(w, PROSE_START));
    if trailing.is_empty() || (content < 2 && !joins) {
        return title.len();
    }
    let mut end = words[last].1;
    // Keep a parenthesis the kept words opened ("Hospitals (specialist)").
    let open = title[..end].matches('(').count() > title[..end].matches(')').count();
    if open && title[end..].starts_with(')') {
        end += 1;
    }
    end
}

/// Words that carry no meaning in a title comparison.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "or", "the", "of", "to", "in", "for", "on", "at", "by", "with", "from", "s",
    "as",
];

/// A title's content words: lower case, split at anything but letters and
/// digits (so punctuation, "/" and markdown emphasis drop out), stopwords
/// (including "and", so "&" and "and" compare equal) dropped.
///
/// This runs over every paragraph's text, so it avoids the markdown parser
/// that [`crate::text::markup::normalize_title`] uses; the two agree on titles.
fn content_words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// Two words that are the same for title matching: equal, or sharing a
/// stem of five letters ("child"/"children", "parental"/"parenting",
/// "resolution"/"resolving"), or a plural.
fn word_eq(a: &str, b: &str) -> bool {
    // Every rule below needs the same first letter; most pairs differ there.
    if a.as_bytes().first() != b.as_bytes().first() {
        return false;
    }
    if a == b {
        return true;
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    if common >= 5 {
        return true;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| rest == "s" || rest == "es")
}

/// Whether two word lists are the same, word for word.
fn same_words(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| word_eq(x, y))
}

/// How well a cited title (content words) matches a target title, from 0 to
/// 1: 1 for the same title, a little less for a title cut short (a prefix)
/// or a run of the target's words ("Fabricated or induced illness"), else a
/// word-overlap measure capped at 0.9 that needs two shared words.
fn score(cited: &[String], target: &[String]) -> f64 {
    if cited.is_empty() || target.is_empty() {
        return 0.0;
    }
    // Every rule needs shared words; most candidates have none.
    let m = cited
        .iter()
        .filter(|c| target.iter().any(|t| word_eq(c, t)))
        .count();
    if m < cited.len().min(2) {
        return 0.0;
    }
    let same = same_words;
    if same(cited, target) {
        return 1.0;
    }
    if cited.len() < target.len() && same(cited, &target[..cited.len()]) {
        return 0.97;
    }
    if cited.len() >= 2 && target.windows(cited.len()).any(|w| same(cited, w)) {
        return 0.95;
    }
    let mt = target
        .iter()
        .filter(|t| cited.iter().any(|c| word_eq(c, t)))
        .count();
    if m < 2 {
        return 0.0;
    }
    0.9 * (0.5 * m as f64 / cited.len() as f64 + 0.5 * mt as f64 / target.len() as f64)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-vector reading `tokenize` replaced: the two must agree.
    fn tokenize_by_chars(text: &str) -> Vec<Tok> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = |k: usize| chars.get(k).map(|&(_, c)| c);
        let offset = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let mut toks = Vec::new();
        let mut k = 0;
        while let Some(c) = at(k) {
            let start = k;
            let kind = if c.is_whitespace() {
                let mut newline = false;
                while let Some(c) = at(k).filter(|c| c.is_whitespace()) {
                    newline |= c == '\n';
                    k += 1;
                }
                Kind::Space(newline)
            } else if c.is_ascii_digit() {
                while at(k).is_some_and(|c| c.is_ascii_digit())
                    || (at(k) == Some('.') && at(k + 1).is_some_and(|c| c.is_ascii_digit()))
                {
                    k += 1;
                }
                // Digits glued to letters ("7a", "141H", "9.30am") are a word.
                if at(k).is_some_and(is_word) {
                    while at(k).is_some_and(is_word)
                        || (at(k) == Some('.') && at(k + 1).is_some_and(is_word))
                    {
                        k += 1;
                    }
                    Kind::Word
                } else {
                    Kind::Num
                }
            } else if is_word(c) {
                while at(k).is_some_and(is_word) {
                    k += 1;
                }
                Kind::Word
            } else {
                k += 1;
                Kind::Punct(c)
            };
            toks.push(Tok {
                kind,
                start: offset(start),
                end: offset(k),
            });
        }
        toks
    }

    fn kinds(toks: &[Tok]) -> Vec<(Kind, usize, usize)> {
        toks.iter().map(|t| (t.kind, t.start, t.end)).collect()
    }

    #[test]
    fn tokens_agree_with_the_char_vector_reading() {
        let doc = crate::manual::parse::parse(crate::store::library::EMBEDDED_SOURCE).unwrap();
        let mut n = 0;
        for node in &doc.nodes {
            for b in &node.blocks {
                if let crate::manual::document::Block::Para { text, .. } = b {
                    assert_eq!(
                        kinds(&tokenize(text)),
                        kinds(&tokenize_by_chars(text)),
                        "{text}"
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 2000);
    }

    proptest::proptest! {
        #[test]
        fn tokens_agree_on_random_text(t in "[ a-zA-Z0-9._,;:()\n\té’–-]{0,40}") {
            proptest::prop_assert_eq!(kinds(&tokenize(&t)), kinds(&tokenize_by_chars(&t)));
        }
    }
    use crate::manual::document::{ListItem, Node, Paragraph};

    fn id(s: &str) -> SectionId {
        s.parse().unwrap()
    }

    /// A small manual: the titles the examples need, with old and new numbers.
    fn targets() -> Targets {
        let titles: &[(&str, &str)] = &[
            ("A1", "Responding to Concerns of Abuse and Neglect"),
            ("A1.4", "Definitions of child abuse and neglect"),
            ("A1.5", "Potential risk of harm to an unborn child"),
            ("A2", "Referral and Assessment"),
            ("A2.1", "Referral"),
            ("A2.2", "Assessment"),
            ("A3.4", "Strategy meeting/discussion"),
            ("A3.5", "Referrals to the police"),
            ("A3.6", "Involving parents, family members and children"),
            (
                "A3.7",
                "Visually recorded interviews/Achieving best evidence",
            ),
            ("A3.8", "Paediatric assessment"),
            ("A4", "Child Protection Conferences"),
            ("A4.1", "Child protection conferences"),
            ("A4.5", "Exclusion of family members from a conference"),
            (
                "A6",
                "Children and Families moving across Local Authority boundaries",
            ),
            ("A6.4", "Case responsibility"),
            ("B3", "Sharing information"),
            ("B5", "Working with interpreters/communication facilitators"),
            ("B11", "Resolving Professional Disagreements"),
            (
                "B19",
                "Perplexing Presentations, (PP) Fabricated or Induced Illness (FII) and Medically Unexplained Symptoms (MUS)",
            ),
            ("B20", "Children Missing from Care, Home and Education"),
            (
                "B24",
                "Safeguarding Children from Exploitation and Trafficking",
            ),
            ("B35", "Children Living Away from Home"),
            ("B35.9", "Hospitals (specialist)"),
            ("B36", "Historical Abuse"),
            ("B37", "Children Visiting Custodial Settings"),
            (
                "B38",
                "Children Visiting Mental Health Wards and Facilities",
            ),
            ("B39.1", "Honour based abuse"),
            ("B39.2", "Forced marriage of a child"),
            ("B40.1", "Parents who Misuse Substances"),
            ("B40.2", "Parenting Capacity and Mental Illness"),
        ];
        let paras = [id("A4.1.11")];
        let nodes: Vec<(NodeId, &str, &[SectionId])> = titles
            .iter()
            .map(|(i, t)| {
                let p: &[SectionId] = if *i == "A4.1" { &paras } else { &[] };
                (NodeId::Section(id(i)), *t, p)
            })
            .collect();
        Targets::from_nodes(nodes)
    }

    /// Scans and resolves `text` as if it sat in `part`.
    fn cite(text: &str, part: Part) -> Vec<(String, String, Status, Option<String>)> {
        let t = targets();
        scan(text, part, Mode::Manual)
            .into_iter()
            .map(|f| {
                let j = t.judge(f.id, f.title.as_ref());
                let end = match (&f.title, j.title_len) {
                    (Some(ti), Some(len)) => ti.start + len,
                    _ => f.number_end,
                };
                (
                    text[f.start..end].to_string(),
                    f.id.to_string(),
                    j.status,
                    j.suggestion.map(|s| s.to_string()),
                )
            })
            .collect()
    }

    fn one(text: &str, part: Part) -> (String, String, Status, Option<String>) {
        let v = cite(text, part);
        assert_eq!(v.len(), 1, "{text:?} → {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn the_issue_examples() {
        let (t, c, s, sg) = one(
            "see Part B, chapter 19, Fabricated or induced illness.",
            Part::A,
        );
        assert_eq!(
            (t.as_str(), c.as_str(), s, sg),
            (
                "Part B, chapter 19, Fabricated or induced illness",
                "B19",
                Status::Ok,
                None
            )
        );
        assert_eq!(one("(See Part B3 Chapter 20)", Part::A).1, "B20");
        assert_eq!(
            one("(See Part B Ch 24) For information", Part::A).0,
            "Part B Ch 24"
        );
        let (t, c, s, sg) = one("(see section 3.6, Referrals to the police) and", Part::A);
        assert_eq!(
            (t.as_str(), c.as_str(), s, sg.as_deref()),
            (
                "section 3.6, Referrals to the police",
                "A3.6",
                Status::Stale,
                Some("A3.5")
            )
        );
        let (_, c, s, sg) = one(
            "employer should be informed. See Part B, chapter 37, Historical abuse.",
            Part::A,
        );
        assert_eq!(
            (c.as_str(), s, sg.as_deref()),
            ("B37", Status::Stale, Some("B36"))
        );
        let (t, c, s, _) = one(
            "See Part A, chapter 4.1.11, Pre-birth conferences.",
            Part::A,
        );
        assert_eq!(
            (t.as_str(), c.as_str(), s),
            (
                "Part A, chapter 4.1.11, Pre-birth conferences",
                "A4.1.11",
                Status::Ok
            )
        );
    }

    #[test]
    fn chains_inherit_the_part_within_a_sentence() {
        let v = cite(
            "see Part B, chapter 36, Children living away from home and chapter 38, Children visiting custodial settings. This",
            Part::A,
        );
        let got: Vec<_> = v
            .iter()
            .map(|(_, c, s, sg)| (c.as_str(), *s, sg.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("B36", Status::Stale, Some("B35")),
                ("B38", Status::Stale, Some("B37"))
            ]
        );
        assert_eq!(v[1].0, "chapter 38, Children visiting custodial settings");

        let v = cite(
            "(see Part B, section 40.1, Parents who misuse substances and 40.2, Parenting capacity and mental illness)",
            Part::A,
        );
        let got: Vec<_> = v
            .iter()
            .map(|(t, c, s, _)| (t.as_str(), c.as_str(), *s))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Part B, section 40.1, Parents who misuse substances",
                    "B40.1",
                    Status::Ok
                ),
                (
                    "40.2, Parenting capacity and mental illness",
                    "B40.2",
                    Status::Ok
                )
            ]
        );

        let v = cite(
            "Part A, chapter 2, Referral and assessment, section 2.2, Referral criteria, which provides",
            Part::B,
        );
        assert_eq!(v[0].1, "A2");
        assert_eq!(v[1].1, "A2.2");
        // "Referral criteria" is no title of the manual's: unresolved.
        assert_eq!(v[1].2, Status::Unresolved);
        assert_eq!(v[1].0, "section 2.2, Referral criteria");

        // A new sentence falls back to the part of the text.
        let v = cite(
            "in line with Part A, chapter 2, Referral and assessment. See also section 39.2, Forced marriage of a child",
            Part::B,
        );
        assert_eq!(v[1].1, "B39.2");
    }

    #[test]
    fn ranges_and_lists_of_numbers() {
        let v = cite("in sections 6.8.1 to 6.8.5 above", Part::A);
        assert_eq!(
            v.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(),
            ["A6.8.1", "A6.8.5"]
        );
        let v = cite("see sections 2.25.14 and 2.25.15.", Part::B);
        assert_eq!(
            v.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(),
            ["B2.25.14", "B2.25.15"]
        );
        assert!(v.iter().all(|c| c.2 == Status::Unresolved));
        let v = cite(
            "(see part a, chapter 6. Children and families moving across local authority boundaries, 6.4 case responsibility)",
            Part::A,
        );
        let got: Vec<_> = v
            .iter()
            .map(|(t, c, s, _)| (t.as_str(), c.as_str(), *s))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "part a, chapter 6. Children and families moving across local authority boundaries",
                    "A6",
                    Status::Ok
                ),
                ("6.4 case responsibility", "A6.4", Status::Ok)
            ]
        );
    }

    #[test]
    fn legal_and_external_citations_are_not_manual_citations() {
        for text in [
            "under section 47 of the Children Act 1989",
            "Section 11 of the Children Act 2004 places a duty",
            "Section 17 (10) states that a child",
            "Section 17(1) of the Children Act 1989 states",
            "(Section 17 Children Act 1989)",
            "Section 322 of the Education Act 1996",
            "As set out in Chapter 6, Section 2 of the London Safeguarding Children Procedures.",
            "(see Chapter 6, Section 5 of the London Procedures)",
            "(see paragraphs 33 to 37).",
            "Chapter 5 of Working Together to Safeguard Children 2023 sets out",
            "Working Together 2023, Chapter 2 Paragraph 40 sets out",
            "(as outlined in Chapter 5 Working Together to Safeguard Children 2023)",
            "(set out in Chapter 2: Multi-agency safeguarding arrangements of Working Together 2023)",
            "under the Care Act 2014 statutory guidance on Integration chapter 16",
            "review para 4.3 of Regulations and Guidance Volume 2 (2011)",
            "Sections 12 to 15 (Child Safeguarding Practice Review Panel)",
            "s47 enquiries and s.11 duties",
            "estimated that 1.6 million females",
            "Monday to Friday 9.30am to 4.30pm",
            "aged 16 to 74 (27.6%) had been",
        ] {
            assert!(
                cite(text, Part::A).is_empty(),
                "{text:?} → {:?}",
                cite(text, Part::A)
            );
        }
        // "of these procedures" is the manual itself.
        assert_eq!(
            cite(
                "included in sections 39.1 and 39.2 of these procedures.",
                Part::B
            )
            .len(),
            2
        );
    }

    #[test]
    fn bare_numbers_need_a_cue() {
        assert_eq!(one("See 2.4.4 for details", Part::A).1, "A2.4.4");
        assert_eq!(one("their representative (see 4.4)", Part::A).1, "A4.4");
        assert_eq!(one("Refer to 5.5 for guidance", Part::A).1, "A5.5");
        assert_eq!(
            one("the threshold in 7.1.1, which are", Part::A).1,
            "A7.1.1"
        );
        let (t, c, s, _) = one(
            "in conjunction with 35.9 Hospitals (specialist) below.",
            Part::B,
        );
        assert_eq!(
            (t.as_str(), c.as_str(), s),
            ("35.9 Hospitals (specialist)", "B35.9", Status::Ok)
        );
        assert!(cite("In 2.5 hours", Part::A).is_empty());
        assert!(cite("the 4.4 rule", Part::A).is_empty());
    }

    #[test]
    fn title_forms() {
        // Cut short by a comma, lower-cased, reworded, run on into prose.
        assert_eq!(
            one(
                "Part B, chapter 20, Children missing from care, home",
                Part::A
            )
            .2,
            Status::Ok
        );
        assert_eq!(
            one(
                "See Part A, chapter 3.4 strategy meeting/discussion.",
                Part::A
            )
            .2,
            Status::Ok
        );
        assert_eq!(
            one(
                "see Part B, chapter 40.2, Parental mental illness)",
                Part::A
            )
            .2,
            Status::Ok
        );
        assert_eq!(
            one(
                "See Part B, chapter 11, professional conflict resolution",
                Part::A
            )
            .2,
            Status::Ok
        );
        let (t, _, s, _) = one(
            "the referral process outlined in Part A, chapter 2, Referral and assessment is followed.",
            Part::A,
        );
        assert_eq!(
            (t.as_str(), s),
            ("Part A, chapter 2, Referral and assessment", Status::Ok)
        );
        let (t, _, s, _) = one(
            "See chapter 3 Information Sharing for further guidance.",
            Part::B,
        );
        assert_eq!(
            (t.as_str(), s),
            ("chapter 3 Information Sharing", Status::Ok)
        );
        // A number that no longer exists, found by its title.
        let (_, c, s, sg) = one(
            "(see also part B, chapter 36.8, hospitals (specialist))",
            Part::A,
        );
        assert_eq!(
            (c.as_str(), s, sg.as_deref()),
            ("B36.8", Status::Stale, Some("B35.9"))
        );
        // Old numbers with reworded titles.
        let (_, _, s, sg) = one(
            "See Part A, chapter 1.4 Potential risk to an unborn child.",
            Part::A,
        );
        assert_eq!((s, sg.as_deref()), (Status::Stale, Some("A1.5")));
        let (_, _, s, sg) = one(
            "See section 3.8. Visually recorded interviews/Achieving Best Evidence.",
            Part::A,
        );
        assert_eq!((s, sg.as_deref()), (Status::Stale, Some("A3.7")));
        // In the wrong part: the title finds the right one.
        let (_, c, s, sg) = one(
            "follow guidance in Chapter 11 Resolving Professional Disagreements.",
            Part::A,
        );
        assert_eq!(
            (c.as_str(), s, sg.as_deref()),
            ("A11", Status::Stale, Some("B11"))
        );
        // A sentence after a citation is not its title.
        let (t, _, s, _) = one("See section 4.5. The family should be told.", Part::A);
        assert_eq!((t.as_str(), s), ("section 4.5", Status::Ok));
        // No title: prose follows.
        assert_eq!(
            one("See Part B Chapter 24 for details on", Part::A).0,
            "Part B Chapter 24"
        );
    }

    #[test]
    fn part_forms() {
        assert_eq!(
            one(
                "See Part A., chapter 1, Responding to concerns of abuse and neglect.",
                Part::B
            )
            .1,
            "A1"
        );
        assert_eq!(
            one(
                "refer to Part A: Chapter 1: Responding to concerns of abuse and neglect",
                Part::B
            )
            .1,
            "A1"
        );
        assert_eq!(
            one("see part a, chapter 3.4, strategy meeting", Part::B).1,
            "A3.4"
        );
        assert!(cite("See Part B, General Practice Guidance.", Part::A).is_empty());
        assert!(
            cite(
                "refer to PART B2: Learning and Improvement Framework",
                Part::A
            )
            .is_empty()
        );
    }

    #[test]
    fn free_text_resolution() {
        let t = targets();
        let r = resolve_text(&t, "part b ch 37, historical abuse", None);
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].status, r[0].suggestion),
            (Status::Stale, Some(id("B36")))
        );
        let r = resolve_text(&t, "Part B chapter 24", None);
        assert_eq!((r[0].status, r[0].target), (Status::Ok, Some(id("B24"))));
        let r = resolve_text(&t, "3.5", None);
        assert_eq!(r[0].target, Some(id("A3.5")));
        let r = resolve_text(&t, "chapter 38", None);
        assert_eq!(r[0].target, Some(id("B38")), "tried in both parts");
        let r = resolve_text(&t, "B36", Some(Part::A));
        assert_eq!(r[0].target, Some(id("B36")));
        let r = resolve_text(&t, "a3.6 referrals to the police", None);
        assert_eq!(r[0].suggestion, Some(id("A3.5")));
    }

    #[test]
    fn resolve_compares_titles() {
        let t = targets();
        assert_eq!(t.resolve(id("B36"), Some("Historical abuse")).0, Status::Ok);
        assert_eq!(
            t.resolve(id("B37"), Some("Historical abuse")),
            (Status::Stale, Some(id("B37")), Some(id("B36")))
        );
        assert_eq!(t.resolve(id("B99"), None), (Status::Unresolved, None, None));
        assert_eq!(
            t.resolve(id("A3.5"), Some("REFERRALS TO THE POLICE.")).0,
            Status::Ok
        );
    }

    #[test]
    fn title_scores() {
        let w = |s: &str| content_words(s);
        assert_eq!(
            score(
                &w("Sharing Information & Consent"),
                &w("sharing information and consent")
            ),
            1.0
        );
        assert!(
            score(
                &w("Allegations against staff"),
                &w("Allegations against staff, volunteers and people")
            ) > STRONG
        );
        assert!(
            score(
                &w("Children visiting custodial settings"),
                &w("Children Visiting Mental Health Wards and Facilities")
            ) < WEAK
        );
        assert!(
            score(
                &w("Parental mental illness"),
                &w("Parenting Capacity and Mental Illness")
            ) >= STRONG
        );
        assert!(
            word_eq("child", "children")
                && word_eq("referral", "referrals")
                && !word_eq("abuse", "abusive")
        );
    }

    fn doc() -> Document {
        let para = |n: Option<&str>, text: &str, lines: Vec<usize>| Block::Para {
            number: n.map(id),
            text: text.into(),
            lines,
        };
        let node = |i: &str, title: &str, blocks: Vec<Block>, paragraphs: Vec<Paragraph>| Node {
            id: i.parse().unwrap(),
            title: title.into(),
            page: None,
            parent: None,
            depth: 1,
            line: Some(1),
            in_contents: true,
            blocks,
            paragraphs,
        };
        Document {
            nodes: vec![
                node(
                    "A4.1",
                    "Child protection conferences",
                    vec![
                        Block::Heading {
                            text: "Pre-birth conferences".into(),
                            line: 10,
                        },
                        para(
                            Some("A4.1.11"),
                            "Pre-birth conferences should always be convened.",
                            vec![11],
                        ),
                    ],
                    vec![Paragraph {
                        id: id("A4.1.11"),
                        start: 1,
                        end: 2,
                    }],
                ),
                node(
                    "B36",
                    "Historical Abuse",
                    vec![
                        para(
                            None,
                            "Text. See Part B, chapter 37, Historical abuse.",
                            vec![20],
                        ),
                        para(
                            None,
                            "First line\nsee section 4.1.11 and\nmore",
                            vec![30, 31, 32],
                        ),
                        Block::List {
                            items: vec![ListItem {
                                depth: 0,
                                marker: None,
                                text: "see Part A, chapter 4.1.11, Pre-birth conferences".into(),
                                lines: vec![40],
                            }],
                        },
                        Block::Table {
                            rows: vec![
                                vec!["h".into(), "h2".into()],
                                vec!["a".into(), "see Part B, chapter 99".into()],
                            ],
                            lines: vec![50, 53, 54],
                        },
                    ],
                    vec![],
                ),
                node(
                    "B37",
                    "Children Visiting Custodial Settings",
                    vec![],
                    vec![],
                ),
            ],
            noise_lines: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn finds_locates_and_links() {
        let d = doc();
        let cs = find_all(&d);
        let got: Vec<_> = cs
            .iter()
            .map(|c| (c.cited.as_str(), c.status, c.line, c.block, c.item))
            .collect();
        assert_eq!(
            got,
            [
                ("B37", Status::Stale, 20, 0, 0),
                ("B4.1.11", Status::Unresolved, 31, 1, 0),
                ("A4.1.11", Status::Ok, 40, 2, 0),
                ("B99", Status::Unresolved, 54, 3, 3),
            ]
        );
        let c = &cs[0];
        assert_eq!(&d.nodes[1].blocks[0].lines(), &[20]);
        assert_eq!(c.text, "Part B, chapter 37, Historical abuse");
        assert_eq!(c.cited_title.as_deref(), Some("Historical abuse"));
        let links = inline_links(&d, &cs);
        assert_eq!(links.len(), 3);
        assert_eq!(links[1].len(), 2);
        assert_eq!(links[1][0].href, "B36.md");
        assert_eq!(
            links[1][0].title.as_deref(),
            Some(
                "cited as B37 (now Children Visiting Custodial Settings); the title matches B36 Historical Abuse"
            )
        );
        assert_eq!(links[1][1].href, "A4.1.md#a4-1-11");
        assert_eq!(links[1][1].title, None);
        if let Block::Para { text, .. } = &d.nodes[1].blocks[0] {
            assert_eq!(
                &text[links[1][0].range.clone()],
                "Part B, chapter 37, Historical abuse"
            );
        }
    }

    #[test]
    fn table_rows_skip_dropped_headers() {
        assert_eq!(table_row_lines(3, &[1, 2, 3]), [1, 2, 3]);
        // The header repeated at 8110 after a page break was dropped.
        assert_eq!(
            table_row_lines(4, &[8088, 8089, 8094, 8110, 8111]),
            [8088, 8089, 8094, 8111]
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_ranges_are_sane(s in "\\PC{0,200}", t in "(Part [AaBb][1-4]?[.,:]? ?)?(chapter|Ch|section|see|paragraphs?|and|,)? ?[0-9]{1,4}(\\.[0-9]{0,3}){0,4}[ ,.(]?\\PC{0,40}") {
            let targets = targets();
            for text in [s.as_str(), t.as_str(), &format!("{s} {t} {s}")] {
                for part in [Part::A, Part::B] {
                    let found = scan(text, part, Mode::Manual);
                    let mut prev_start = 0;
                    for f in &found {
                        proptest::prop_assert!(prev_start <= f.start && f.start < f.number_end);
                        proptest::prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.number_end));
                        if let Some(ti) = &f.title {
                            for c in &ti.cuts {
                                proptest::prop_assert!(text.is_char_boundary(ti.start + c));
                            }
                        }
                        prev_start = f.start;
                    }
                }
                for c in resolve_text(&targets, text, None) {
                    proptest::prop_assert!(c.start <= c.end && c.end <= text.len());
                    proptest::prop_assert_eq!(&text[c.start..c.end], c.text.as_str());
                }
                // The same text in every kind of block of a document.
                let mut d = doc();
                d.nodes[1].blocks = vec![
                    Block::Para { number: None, text: text.to_string(), lines: vec![7, 9] },
                    Block::Heading { text: text.to_string(), line: 3 },
                    Block::List {
                        items: vec![ListItem { depth: 0, marker: None, text: text.to_string(), lines: vec![] }],
                    },
                    Block::Table { rows: vec![vec![], vec![text.to_string()]], lines: vec![5] },
                ];
                let cs = find_all(&d);
                let links = inline_links(&d, &cs);
                proptest::prop_assert_eq!(links.len(), d.nodes.len());
                for c in &cs {
                    proptest::prop_assert_eq!(&text[c.start..c.end], c.text.as_str());
                }
            }
        }
    }
}
