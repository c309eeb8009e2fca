//! The manual's own contents list, parsed.
//!
//! The first ~450 lines of the source are the printed contents: every part,
//! grouping, chapter and section with its title and page. The body parser
//! uses it as the reference structure (each entry must be found in the body,
//! in order), and `setproc toc` reports its titles and pages verbatim.
//! Like mdBook's `SUMMARY.md` parser this is a pure `&str -> Result` function.

use crate::manual::ids::{NodeId, Part, SectionId};

/// What a contents entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Part,
    Group,
    Chapter,
    Section,
    /// A title without a number (the manual has one: "Working with foreign
    /// authorities", a sub-heading of B41.9).
    Unnumbered,
}

/// One line of the contents list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// `None` only for [`EntryKind::Unnumbered`].
    pub node: Option<NodeId>,
    pub title: String,
    pub page: Option<u32>,
    /// 1-based line in the source text.
    pub line: usize,
}

impl Entry {
    pub fn section(&self) -> Option<SectionId> {
        self.node.and_then(|n| n.section())
    }
}

/// The parsed contents list and where the body starts.
#[derive(Debug, Clone)]
pub struct Contents {
    pub entries: Vec<Entry>,
    /// 0-based index of the first body line (the line after the list).
    pub body_start: usize,
}

impl Contents {
    /// Entries that carry a chapter or section number.
    pub fn numbered(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Chapter | EntryKind::Section))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentsError {
    #[error("no 'Contents' heading found in the source text")]
    NoContentsHeading,
    #[error("line {line}: contents entry before any 'PART' line: {text:?}")]
    NoPart { line: usize, text: String },
    #[error("the contents list has no entries")]
    Empty,
}

/// Parses the contents list at the start of `source`.
///
/// The list runs from the line `Contents` to the first line without a page
/// number (the body's own `PART A` heading).
pub fn parse_contents(source: &str) -> Result<Contents, ContentsError> {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim().eq_ignore_ascii_case("contents"))
        .ok_or(ContentsError::NoContentsHeading)?;
    let mut entries = Vec::new();
    let mut part: Option<Part> = None;
    let mut body_start = lines.len();
    for (i, raw) in lines.iter().enumerate().skip(start + 1) {
        let line_no = i + 1;
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let Some((label, page)) = split_page(text) else {
            body_start = i;
            break;
        };
        let entry = classify(label, page, line_no, &mut part)?;
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(ContentsError::Empty);
    }
    Ok(Contents {
        entries,
        body_start,
    })
}

/// Splits `"1.4 Definitions of child abuse.....21"` into the label and page.
/// Returns `None` when the line does not end in a page number.
fn split_page(text: &str) -> Option<(&str, u32)> {
    let digits_start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let page: u32 = text[digits_start..].parse().ok()?;
    let label = text[..digits_start].trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    // A page number is always separated from the title ("Timescales\t71",
    // "Recording.....72", "(CAFCASS) 197"); "Act 2004" at the end of a bare
    // title would have no separator left after trimming a real page.
    let sep = &text[label.len()..digits_start];
    if label.is_empty() || sep.is_empty() {
        return None;
    }
    Some((label, page))
}

fn classify(
    label: &str,
    page: u32,
    line: usize,
    part: &mut Option<Part>,
) -> Result<Entry, ContentsError> {
    let entry = |kind, node, title: &str| Entry {
        kind,
        node,
        title: clean_title(title),
        page: Some(page),
        line,
    };
    if let Some(rest) = strip_prefix_ci(label, "PART ") {
        let rest = rest.trim();
        let (name, title) = match rest.split_once(':') {
            Some((n, t)) => (n.trim(), t.trim()),
            None => (rest, ""),
        };
        let mut chars = name.chars();
        let letter = chars.next().and_then(Part::from_letter);
        let group = chars.as_str().parse::<u8>().ok();
        match (letter, group) {
            (Some(p), None) if chars.as_str().is_empty() => {
                *part = Some(p);
                return Ok(entry(EntryKind::Part, Some(NodeId::Part(p)), title));
            }
            (Some(Part::B), Some(g @ 1..=4)) => {
                *part = Some(Part::B);
                return Ok(entry(EntryKind::Group, Some(NodeId::Group(g)), title));
            }
            _ => {}
        }
    }
    if let Some((nums, title)) = split_number(label) {
        let p = part.ok_or_else(|| ContentsError::NoPart {
            line,
            text: label.to_string(),
        })?;
        if let Some(id) = SectionId::new(p, &nums) {
            let kind = if nums.len() == 1 {
                EntryKind::Chapter
            } else {
                EntryKind::Section
            };
            return Ok(entry(kind, Some(NodeId::Section(id)), title));
        }
    }
    Ok(entry(EntryKind::Unnumbered, None, label))
}

/// `"1. Responding…"` → `([1], "Responding…")`, `"7.5\tDisciplinary"` →
/// `([7, 5], "Disciplinary")`. At most two numbers (the contents list stops
/// at sections).
pub(crate) fn split_number(label: &str) -> Option<(Vec<u16>, &str)> {
    let bytes = label.as_bytes();
    let mut i = 0;
    let mut nums = Vec::new();
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 3 {
            return None;
        }
        nums.push(label[start..i].parse().ok()?);
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            if i < bytes.len() && bytes[i].is_ascii_digit() && nums.len() < 2 {
                continue;
            }
        } else if nums.len() == 1 {
            // A chapter needs its dot ("1. Title"); "2014 Act" is no entry.
            return None;
        }
        break;
    }
    let rest = &label[i..];
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    Some((nums, rest.trim()))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// Collapses internal whitespace (tabs in the PDF's columns) to single spaces.
pub(crate) fn clean_title(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Title page\n\nContents\n\nPART A\t15\n1. Responding to Concerns.....\t16\n1.1 Introduction\t16\n\n7.5\tDisciplinary process\t132\nPART B\t\t157\n2.14 Children and Family Court Advisory and Support Service (CAFCASS) 197\t\nPART B2: Learning and Improvement Framework.....\t330\n14. Principles for Learning and Improvement\t330\nWorking with foreign authorities.....\t607\n\nPART A\n\n1. Responding to Concerns\n";

    #[test]
    fn parses_entries_titles_and_pages() {
        let c = parse_contents(SAMPLE).unwrap();
        let got: Vec<(String, &str, Option<u32>)> = c
            .entries
            .iter()
            .map(|e| {
                (
                    e.node.map(|n| n.to_string()).unwrap_or_default(),
                    e.title.as_str(),
                    e.page,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("part-A".into(), "", Some(15)),
                ("A1".into(), "Responding to Concerns", Some(16)),
                ("A1.1".into(), "Introduction", Some(16)),
                ("A7.5".into(), "Disciplinary process", Some(132)),
                ("part-B".into(), "", Some(157)),
                (
                    "B2.14".into(),
                    "Children and Family Court Advisory and Support Service (CAFCASS)",
                    Some(197)
                ),
                (
                    "part-B2".into(),
                    "Learning and Improvement Framework",
                    Some(330)
                ),
                (
                    "B14".into(),
                    "Principles for Learning and Improvement",
                    Some(330)
                ),
                ("".into(), "Working with foreign authorities", Some(607)),
            ]
        );
        assert_eq!(c.entries[3].line, 9);
        // The body starts at the bare "PART A" line (0-based index 15).
        assert_eq!(c.body_start, 15);
    }

    #[test]
    fn split_number_needs_a_separator() {
        assert_eq!(split_number("1. Title"), Some((vec![1], "Title")));
        assert_eq!(split_number("24.13 NRM"), Some((vec![24, 13], "NRM")));
        assert_eq!(split_number("2014 Act"), None);
        assert_eq!(split_number("3.4.22 text"), None);
        assert_eq!(split_number("1.Title"), None);
    }

    #[test]
    fn missing_heading_is_an_error() {
        assert_eq!(
            parse_contents("no list here").unwrap_err(),
            ContentsError::NoContentsHeading
        );
    }
}
