//! Finding the manual's contents entries in the body, in order: chapter,
//! section and grouping headings, and sections the contents list leaves
//! out.

use std::borrow::Cow;

use super::blocks::heading_like;
use crate::manual::contents::{Contents, Entry, EntryKind, split_number};
use crate::manual::document::Warning;
use crate::manual::ids::{NodeId, Part, SectionId};
use crate::text::hash::FxHashMap as HashMap;
use crate::text::hash::FxHashSet as HashSet;
use crate::text::markup::{clean_inline, normalize_title};

/// Where a node's heading sits in the body.
#[derive(Debug, Clone)]
pub(super) struct Anchor {
    pub(super) node: NodeId,
    /// 0-based line index.
    pub(super) idx: usize,
    pub(super) title: String,
    pub(super) page: Option<u32>,
    pub(super) in_contents: bool,
}

/// How well a heading in the body matches a title in the contents list.
pub(super) fn titles_match(body: &str, contents: &str) -> bool {
    let a = normalize_title(body);
    let b = normalize_title(contents);
    if a.is_empty() || b.is_empty() {
        return a == b;
    }
    if a == b || a.starts_with(&b) || b.starts_with(&a) {
        return true;
    }
    // Tolerate small wording drift ("Ashworth, Broadmoor" vs "Ashworth,
    // Broadmoor and"): most words shared.
    let wa: HashSet<&str> = a.split(' ').collect();
    let wb: HashSet<&str> = b.split(' ').collect();
    let shared = wa.intersection(&wb).count();
    shared * 4 >= wa.len().max(wb.len()) * 3
}

/// The number path at the start of a body line, if it reads like a chapter or
/// section heading (`"11. Resolving…"`, `"10.3 Unallocated…"`).
pub(super) fn heading_number(line: &str) -> Option<(Vec<u16>, &str)> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    split_number(line)
}

/// A leading paragraph number (`"- 3.4.22 text"`, `"3.4.22 text"`, `"2.12.12"`).
pub(super) fn paragraph_number(line: &str) -> Option<([u16; 3], &str)> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    let mut nums = [0u16; 3];
    let mut rest = t;
    for (k, slot) in nums.iter_mut().enumerate() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 3 {
            return None;
        }
        *slot = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        if k < 2 {
            rest = rest.strip_prefix('.')?;
        }
    }
    if rest.is_empty() {
        return Some((nums, rest));
    }
    // "3.4.22 text"; also tolerate a trailing dot ("3.4.22. text").
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    if rest.starts_with(char::is_whitespace) {
        Some((nums, rest.trim_start()))
    } else {
        None
    }
}

/// The chapter number of a line that belongs inside a chapter: a section
/// heading or a numbered paragraph.
pub(super) fn inner_chapter_number(line: &str) -> Option<u16> {
    if let Some((nums, _)) = paragraph_number(line) {
        return Some(nums[0]);
    }
    match heading_number(line) {
        Some((nums, _)) if nums.len() == 2 => Some(nums[0]),
        _ => None,
    }
}

pub(super) fn is_part_line(line: &str, part: Part) -> bool {
    let t = line.trim();
    // `get`, not slicing: the line may have a multi-byte character there.
    t.len() == 6
        && t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("PART "))
        && t.ends_with(part.letter())
}

pub(super) fn group_heading(line: &str) -> Option<(u8, &str)> {
    let rest = line.trim().strip_prefix("PART B")?;
    let (n, title) = rest.split_once(':')?;
    let g: u8 = n.parse().ok()?;
    Some((g, title.trim()))
}

/// Finds every contents entry's heading in the body, in order.
pub(super) fn locate(
    contents: &Contents,
    lines: &[Cow<'_, str>],
    warnings: &mut Vec<Warning>,
) -> Vec<Anchor> {
    let mut l = Locator {
        lines,
        anchors: Vec::new(),
        cursor: contents.body_start,
        warnings,
    };
    for entry in &contents.entries {
        match (entry.kind, entry.node) {
            (EntryKind::Part, Some(NodeId::Part(p))) => l.part(entry, p),
            (EntryKind::Group, Some(NodeId::Group(g))) => l.group(entry, g),
            (EntryKind::Chapter, Some(NodeId::Section(id))) => l.chapter(entry, id),
            (EntryKind::Section, Some(NodeId::Section(id))) => l.section(entry, id),
            _ => l.unnumbered(entry),
        }
    }
    let mut anchors = l.anchors;
    anchors.sort_by_key(|a| a.idx);
    add_unlisted_sections(contents, lines, &mut anchors, warnings);
    anchors
}

/// Walks the body once, entry by entry: each is looked for after the one
/// before it.
struct Locator<'l, 'w> {
    lines: &'l [Cow<'l, str>],
    anchors: Vec<Anchor>,
    /// The line after the last entry found.
    cursor: usize,
    warnings: &'w mut Vec<Warning>,
}

impl Locator<'_, '_> {
    fn find_from(&self, from: usize, pred: &dyn Fn(&str) -> bool) -> Option<usize> {
        (from..self.lines.len()).find(|&i| pred(&self.lines[i]))
    }

    /// Records the entry's heading at line `idx` and moves past it.
    fn found(&mut self, node: NodeId, idx: usize, title: String, page: Option<u32>, listed: bool) {
        self.anchors.push(Anchor {
            node,
            idx,
            title,
            page,
            in_contents: listed,
        });
        self.cursor = idx + 1;
    }

    fn missing(&mut self, entry: &Entry, what: String) {
        self.warnings.push(Warning {
            line: Some(entry.line),
            message: format!("contents entry {what} not found in the body"),
        });
    }

    fn part(&mut self, entry: &Entry, p: Part) {
        match self.find_from(self.cursor, &|l| is_part_line(l, p)) {
            Some(i) => self.found(NodeId::Part(p), i, format!("Part {p}"), entry.page, true),
            None => self.missing(entry, format!("'PART {p}'")),
        }
        // Part B opens with grouping B1, which the contents list omits.
        if p == Part::B
            && let Some(i) = self.find_from(self.cursor, &|l| group_heading(l).is_some())
            && let Some((1, title)) = group_heading(&self.lines[i])
        {
            self.found(NodeId::Group(1), i, title.to_string(), None, false);
        }
    }

    fn group(&mut self, entry: &Entry, g: u8) {
        let is_group = |l: &str| group_heading(l).is_some_and(|(n, _)| n == g);
        match self.find_from(self.cursor, &is_group) {
            Some(i) => self.found(NodeId::Group(g), i, entry.title.clone(), entry.page, true),
            None => self.missing(entry, format!("'PART B{g}'")),
        }
    }

    fn chapter(&mut self, entry: &Entry, id: SectionId) {
        let n = id.nums()[0];
        let is_heading = |l: &str| {
            heading_number(l).is_some_and(|(nums, t)| nums == [n] && titles_match(t, &entry.title))
        };
        let Some(first) = self.find_from(self.cursor, &is_heading) else {
            return self.missing(entry, format!("{id} '{}'", entry.title));
        };
        // The chapter's first numbered line; its real heading is the last
        // occurrence of the title before that line (earlier ones are page
        // headers of the previous chapter's last page).
        let first_child = self.find_from(first + 1, &|l| inner_chapter_number(l) == Some(n));
        let idx = match first_child {
            Some(limit) => (first..limit)
                .rev()
                .find(|&i| is_heading(&self.lines[i]))
                .unwrap_or(first),
            None => first,
        };
        self.found(
            NodeId::Section(id),
            idx,
            entry.title.clone(),
            entry.page,
            true,
        );
    }

    fn section(&mut self, entry: &Entry, id: SectionId) {
        let nums = id.nums().to_vec();
        let numbered = |l: &str| heading_number(l).is_some_and(|(n, _)| n == nums);
        let Some(first) = self.find_from(self.cursor, &numbered) else {
            return self.missing(entry, format!("{id} '{}'", entry.title));
        };
        let matching = self.find_from(first, &|l| {
            heading_number(l).is_some_and(|(n, t)| n == nums && titles_match(t, &entry.title))
        });
        let idx = match matching {
            Some(i) => i,
            None => {
                let body_title = heading_number(&self.lines[first])
                    .map(|(_, t)| t)
                    .unwrap_or("");
                self.warnings.push(Warning {
                    line: Some(first + 1),
                    message: format!(
                        "heading '{} {}' differs from the contents list's {id} '{}'",
                        id.number(),
                        body_title,
                        entry.title
                    ),
                });
                first
            }
        };
        self.found(
            NodeId::Section(id),
            idx,
            entry.title.clone(),
            entry.page,
            true,
        );
    }

    /// An unnumbered contents entry: a sub-heading in the body.
    fn unnumbered(&mut self, entry: &Entry) {
        let found = self.find_from(self.cursor, &|l| {
            normalize_title(l) == normalize_title(&entry.title)
        });
        self.warnings.push(Warning {
            line: Some(entry.line),
            message: match found {
                Some(i) => format!(
                    "contents entry '{}' has no number; it is a sub-heading at line {}",
                    entry.title,
                    i + 1
                ),
                None => format!(
                    "contents entry '{}' has no number and is not in the body",
                    entry.title
                ),
            },
        });
    }
}

/// Body headings numbered like a section but absent from the contents list.
/// A new number becomes a section of its own (once: a number seen already
/// is treated as listed); a number the contents list gives to another
/// heading, or that an earlier unlisted heading took, stays a sub-heading where it is (its paragraphs
/// carry the surrounding section's numbers), and both are reported.
pub(super) fn add_unlisted_sections(
    contents: &Contents,
    lines: &[Cow<'_, str>],
    anchors: &mut Vec<Anchor>,
    warnings: &mut Vec<Warning>,
) {
    let anchored: HashSet<usize> = anchors.iter().map(|a| a.idx).collect();
    let mut known: HashMap<SectionId, String> = anchors
        .iter()
        .filter_map(|a| a.node.section().map(|s| (s, a.title.clone())))
        .collect();
    let blank = |i: usize| lines.get(i).is_none_or(|l| l.trim().is_empty());
    let mut added = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(contents.body_start) {
        if anchored.contains(&i) || !blank(i + 1) || (i > 0 && !blank(i - 1)) {
            continue;
        }
        let Some((nums, title)) = heading_number(line) else {
            continue;
        };
        if nums.len() != 2 || !heading_like(title) {
            continue;
        }
        // The part is that of the closest anchor above.
        let Some(above) = anchors.iter().rev().find(|a| a.idx < i) else {
            continue;
        };
        let part = match above.node {
            NodeId::Part(p) => p,
            NodeId::Group(_) => Part::B,
            NodeId::Section(s) => s.part(),
        };
        let Some(id) = SectionId::new(part, &nums) else {
            continue;
        };
        let heading = line.trim();
        match known.get(&id) {
            Some(listed) => warnings.push(Warning {
                line: Some(i + 1),
                message: format!(
                    "heading '{heading}' is not in the contents list ({id} is '{listed}'); kept as a sub-heading of {}",
                    above.node
                ),
            }),
            None => {
                warnings.push(Warning {
                    line: Some(i + 1),
                    message: format!("heading '{heading}' is not in the contents list; it becomes section {id}"),
                });
                // Known from here on: the same number again (a body
                // repeated) is a sub-heading, not a second section with
                // this id, whose file would overwrite the first's.
                known.insert(id, clean_inline(title));
                added.push(Anchor {
                    node: NodeId::Section(id),
                    idx: i,
                    title: clean_inline(title),
                    page: None,
                    in_contents: false,
                });
            }
        }
    }
    if !added.is_empty() {
        anchors.extend(added);
        anchors.sort_by_key(|a| a.idx);
    }
}
