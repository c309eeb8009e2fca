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
//!
//! May depend on: `manual`, `text`. Never on the content writer (`store`):
//! the writer asks citations for [`links`](inline_links), not the reverse.

mod compare;
mod keywords;
mod links;
mod scan;
mod targets;
mod title;
mod tokens;
mod units;

use serde::{Deserialize, Serialize};

use crate::manual::document::Document;
use crate::manual::ids::{NodeId, Part, SectionId};
use scan::{Found, Mode, scan};
use targets::Judged;
use units::{LineMap, TextUnit, text_units};

pub use links::{InlineLink, inline_links, inline_links_in};
pub use targets::Targets;

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

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use super::{compare::*, scan::*, targets::*, tokens::*, units::*};

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
    use crate::manual::document::{Block, ListItem, Node, Paragraph};

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
