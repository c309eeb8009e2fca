//! Source text → [`Document`]: the manual's body split into its numbered
//! chapters, sections and paragraphs.
//!
//! The text was converted from a PDF, so the body carries the PDF's running
//! page headers ("PART A: 1. Responding…", "PART B3: …", a repeated chapter
//! title, "B4: Appendices") and splits paragraphs and lists wherever a page
//! ended. The parser
//!
//! 1. reads the manual's own contents list ([`crate::manual::contents`]) and finds
//!    every entry in the body, in order. A Part B chapter title also serves
//!    as a page header, sometimes a few lines *before* the real chapter start
//!    (inside the previous chapter's last section), so a chapter starts at the
//!    last occurrence of its title before its first numbered line;
//! 2. drops every other header line as noise;
//! 3. turns the lines of each section into blocks (numbered paragraphs,
//!    lists with their nesting, sub-headings, tables), joining text that a
//!    page break split.
//!
//! It is a pure function; everything it cannot reconcile becomes a
//! [`Warning`] rather than being dropped.

use crate::text::hash::FxHashMap as HashMap;
use crate::text::hash::FxHashSet as HashSet;
use std::borrow::Cow;

use crate::manual::contents::{Contents, ContentsError, EntryKind, parse_contents, split_number};
use crate::manual::document::{Block, Document, ListItem, Node, Paragraph, Warning};
use crate::manual::ids::{NodeId, Part, SectionId};
use crate::text::markup::{clean_inline, normalize_title};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("contents list")]
    Contents(#[from] ContentsError),
    #[error("the body has no 'PART A' heading: is this the SET procedures text?")]
    NoBody,
}

/// Parses the whole source text (contents list and body).
pub fn parse(source: &str) -> Result<Document, ParseError> {
    let contents = parse_contents(source)?;
    let lines: Vec<Cow<'_, str>> = source.lines().map(sanitize_line).collect();
    let mut warnings = Vec::new();
    let anchors = locate(&contents, &lines, &mut warnings);
    if !anchors.iter().any(|a| a.node == NodeId::Part(Part::A)) {
        return Err(ParseError::NoBody);
    }
    let noise = find_noise(&contents, &lines, &anchors);
    let nodes = build_nodes(&lines, &anchors, &noise, &mut warnings);
    let noise_lines = noise
        .iter()
        .enumerate()
        .filter(|(_, n)| **n)
        .map(|(i, _)| i + 1)
        .collect();
    check_paragraphs(&nodes, &mut warnings);
    Ok(Document {
        nodes,
        noise_lines,
        warnings,
    })
}

/// Removes control characters (tabs survive: they separate table cells).
fn sanitize_line(line: &str) -> Cow<'_, str> {
    // Fast path over bytes; 0xC2 may start a C1 control (U+0080–U+009F), so
    // lines with it take the slow path too. A table lookup a byte: this
    // runs over the whole manual before anything else can start.
    const SUSPECT: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = (b < 0x20 && b != b'\t' as usize) || b == 0x7f || b == 0xc2;
            b += 1;
        }
        t
    };
    if !line.bytes().any(|c| SUSPECT[c as usize]) {
        return Cow::Borrowed(line.trim_end());
    }
    Cow::Owned(
        line.chars()
            .filter(|c| *c == '\t' || !c.is_control())
            .collect::<String>()
            .trim_end()
            .to_string(),
    )
}

/// Where a node's heading sits in the body.
#[derive(Debug, Clone)]
struct Anchor {
    node: NodeId,
    /// 0-based line index.
    idx: usize,
    title: String,
    page: Option<u32>,
    in_contents: bool,
}

/// How well a heading in the body matches a title in the contents list.
fn titles_match(body: &str, contents: &str) -> bool {
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
fn heading_number(line: &str) -> Option<(Vec<u16>, &str)> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    split_number(line)
}

/// A leading paragraph number (`"- 3.4.22 text"`, `"3.4.22 text"`, `"2.12.12"`).
fn paragraph_number(line: &str) -> Option<([u16; 3], &str)> {
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
fn inner_chapter_number(line: &str) -> Option<u16> {
    if let Some((nums, _)) = paragraph_number(line) {
        return Some(nums[0]);
    }
    match heading_number(line) {
        Some((nums, _)) if nums.len() == 2 => Some(nums[0]),
        _ => None,
    }
}

fn is_part_line(line: &str, part: Part) -> bool {
    let t = line.trim();
    // `get`, not slicing: the line may have a multi-byte character there.
    t.len() == 6
        && t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("PART "))
        && t.ends_with(part.letter())
}

fn group_heading(line: &str) -> Option<(u8, &str)> {
    let rest = line.trim().strip_prefix("PART B")?;
    let (n, title) = rest.split_once(':')?;
    let g: u8 = n.parse().ok()?;
    Some((g, title.trim()))
}

/// Finds every contents entry's heading in the body, in order.
fn locate(contents: &Contents, lines: &[Cow<'_, str>], warnings: &mut Vec<Warning>) -> Vec<Anchor> {
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut cursor = contents.body_start;
    let mut part = Part::A;
    let find_from = |from: usize, pred: &dyn Fn(&str) -> bool| -> Option<usize> {
        (from..lines.len()).find(|&i| pred(&lines[i]))
    };
    for entry in &contents.entries {
        let page = entry.page;
        match (entry.kind, entry.node) {
            (EntryKind::Part, Some(NodeId::Part(p))) => {
                part = p;
                match find_from(cursor, &|l| is_part_line(l, p)) {
                    Some(i) => {
                        anchors.push(Anchor {
                            node: NodeId::Part(p),
                            idx: i,
                            title: format!("Part {p}"),
                            page,
                            in_contents: true,
                        });
                        cursor = i + 1;
                    }
                    None => warnings.push(Warning {
                        line: Some(entry.line),
                        message: format!("contents entry 'PART {p}' not found in the body"),
                    }),
                }
                // Part B opens with grouping B1, which the contents list omits.
                if p == Part::B
                    && let Some(i) = find_from(cursor, &|l| group_heading(l).is_some())
                    && let Some((1, title)) = group_heading(&lines[i])
                {
                    anchors.push(Anchor {
                        node: NodeId::Group(1),
                        idx: i,
                        title: title.to_string(),
                        page: None,
                        in_contents: false,
                    });
                    cursor = i + 1;
                }
            }
            (EntryKind::Group, Some(NodeId::Group(g))) => {
                part = Part::B;
                match find_from(cursor, &|l| group_heading(l).is_some_and(|(n, _)| n == g)) {
                    Some(i) => {
                        anchors.push(Anchor {
                            node: NodeId::Group(g),
                            idx: i,
                            title: entry.title.clone(),
                            page,
                            in_contents: true,
                        });
                        cursor = i + 1;
                    }
                    None => warnings.push(Warning {
                        line: Some(entry.line),
                        message: format!("contents entry 'PART B{g}' not found in the body"),
                    }),
                }
            }
            (EntryKind::Chapter, Some(NodeId::Section(id))) => {
                let n = id.nums()[0];
                let is_heading = |l: &str| {
                    heading_number(l)
                        .is_some_and(|(nums, t)| nums == [n] && titles_match(t, &entry.title))
                };
                let first = find_from(cursor, &is_heading);
                let Some(first) = first else {
                    warnings.push(Warning {
                        line: Some(entry.line),
                        message: format!(
                            "contents entry {id} '{}' not found in the body",
                            entry.title
                        ),
                    });
                    continue;
                };
                // The chapter's first numbered line; its real heading is the
                // last occurrence of the title before that line (earlier ones
                // are page headers of the previous chapter's last page).
                let first_child = find_from(first + 1, &|l| inner_chapter_number(l) == Some(n));
                let idx = match first_child {
                    Some(limit) => (first..limit)
                        .rev()
                        .find(|&i| is_heading(&lines[i]))
                        .unwrap_or(first),
                    None => first,
                };
                anchors.push(Anchor {
                    node: NodeId::Section(id),
                    idx,
                    title: entry.title.clone(),
                    page,
                    in_contents: true,
                });
                cursor = idx + 1;
            }
            (EntryKind::Section, Some(NodeId::Section(id))) => {
                let nums = id.nums().to_vec();
                let numbered = |l: &str| heading_number(l).is_some_and(|(n, _)| n == nums);
                let Some(first) = find_from(cursor, &numbered) else {
                    warnings.push(Warning {
                        line: Some(entry.line),
                        message: format!(
                            "contents entry {id} '{}' not found in the body",
                            entry.title
                        ),
                    });
                    continue;
                };
                let matching = find_from(first, &|l| {
                    heading_number(l)
                        .is_some_and(|(n, t)| n == nums && titles_match(t, &entry.title))
                });
                let idx = match matching {
                    Some(i) => i,
                    None => {
                        let body_title =
                            heading_number(&lines[first]).map(|(_, t)| t).unwrap_or("");
                        warnings.push(Warning {
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
                anchors.push(Anchor {
                    node: NodeId::Section(id),
                    idx,
                    title: entry.title.clone(),
                    page,
                    in_contents: true,
                });
                cursor = idx + 1;
            }
            _ => {
                // An unnumbered contents entry: a sub-heading in the body.
                let found = find_from(cursor, &|l| {
                    normalize_title(l) == normalize_title(&entry.title)
                });
                warnings.push(Warning {
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
    }
    let _ = part;
    anchors.sort_by_key(|a| a.idx);
    add_unlisted_sections(contents, lines, &mut anchors, warnings);
    anchors
}

/// Body headings numbered like a section but absent from the contents list.
/// A new number becomes a section of its own; a number the contents list
/// gives to another heading stays a sub-heading where it is (its paragraphs
/// carry the surrounding section's numbers), and both are reported.
fn add_unlisted_sections(
    contents: &Contents,
    lines: &[Cow<'_, str>],
    anchors: &mut Vec<Anchor>,
    warnings: &mut Vec<Warning>,
) {
    let anchored: HashSet<usize> = anchors.iter().map(|a| a.idx).collect();
    let known: HashMap<SectionId, String> = anchors
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

/// Marks running page headers: lines that repeat a part, grouping or chapter
/// title but are not that node's real heading.
fn find_noise(contents: &Contents, lines: &[Cow<'_, str>], anchors: &[Anchor]) -> Vec<bool> {
    let anchored: HashSet<usize> = anchors.iter().map(|a| a.idx).collect();
    // Chapter titles by (part, number) from the contents list.
    let mut chapter_titles: HashMap<(Part, u16), String> = HashMap::default();
    for e in contents.numbered() {
        if let Some(id) = e.section().filter(|id| id.nums().len() == 1) {
            chapter_titles.insert((id.part(), id.nums()[0]), normalize_title(&e.title));
        }
    }
    // The part each line is in, from the anchors.
    let mut part_at = vec![Part::A; lines.len()];
    let mut current = Part::A;
    let mut next_anchor = anchors.iter().peekable();
    for (i, slot) in part_at.iter_mut().enumerate() {
        while let Some(a) = next_anchor.peek() {
            if a.idx > i {
                break;
            }
            if let NodeId::Part(p) = a.node {
                current = p;
            }
            next_anchor.next();
        }
        *slot = current;
    }
    let mut noise = vec![false; lines.len()];
    for i in contents.body_start..lines.len() {
        if anchored.contains(&i) {
            continue;
        }
        let l = lines[i].trim();
        let is_noise = l.starts_with("PART A: ")
            || group_heading(l).is_some()
            || (l.len() > 4
                && l.starts_with('B')
                && l.as_bytes()[1].is_ascii_digit()
                && l[2..].starts_with(": "))
            || appendix_header(l, &chapter_titles)
            || heading_number(l).is_some_and(|(nums, t)| {
                nums.len() == 1
                    && chapter_titles
                        .get(&(part_at[i], nums[0]))
                        .is_some_and(|ct| normalize_title(t) == *ct)
            });
        noise[i] = is_noise;
    }
    noise
}

/// "Appendix 1: Links to relevant legislation", the appendices' running
/// header (the chapter title without its number).
fn appendix_header(line: &str, chapter_titles: &HashMap<(Part, u16), String>) -> bool {
    line.starts_with("Appendix ") && {
        let l = normalize_title(line);
        chapter_titles
            .iter()
            .any(|((p, _), t)| *p == Part::B && *t == l)
    }
}

/// Cuts the body into nodes at the anchors and builds each node's blocks.
fn build_nodes(
    lines: &[Cow<'_, str>],
    anchors: &[Anchor],
    noise: &[bool],
    warnings: &mut Vec<Warning>,
) -> Vec<Node> {
    let mut nodes: Vec<Node> = Vec::with_capacity(anchors.len());
    let mut stack: Vec<(NodeId, u8)> = Vec::new();
    for (k, a) in anchors.iter().enumerate() {
        let rank = match a.node {
            NodeId::Part(_) => 0,
            NodeId::Group(_) => 1,
            NodeId::Section(id) => 1 + id.nums().len() as u8,
        };
        while stack.last().is_some_and(|(_, r)| *r >= rank) {
            stack.pop();
        }
        let parent = stack.last().map(|(id, _)| *id);
        let depth = stack.len() as u8;
        stack.push((a.node, rank));
        let end = anchors.get(k + 1).map_or(lines.len(), |n| n.idx);
        let mut builder = BlockBuilder::new(a.node, warnings);
        for i in a.idx + 1..end {
            if noise[i] {
                builder.noise();
            } else {
                builder.line(i + 1, &lines[i]);
            }
        }
        let blocks = builder.finish();
        let paragraphs = paragraph_spans(&blocks);
        nodes.push(Node {
            id: a.node,
            title: a.title.clone(),
            page: a.page,
            parent,
            depth,
            line: Some(a.idx + 1),
            in_contents: a.in_contents,
            blocks,
            paragraphs,
        });
    }
    nodes
}

/// Groups blocks into numbered paragraphs: a numbered block and what follows
/// it up to the next number or sub-heading.
fn paragraph_spans(blocks: &[Block]) -> Vec<Paragraph> {
    let mut spans: Vec<Paragraph> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Para {
                number: Some(id), ..
            } => spans.push(Paragraph {
                id: *id,
                start: i,
                end: i + 1,
            }),
            Block::Heading { .. } => {}
            _ => {
                if let Some(last) = spans.last_mut()
                    && last.end == i
                {
                    last.end = i + 1;
                }
            }
        }
    }
    spans
}

/// Reports paragraph numbers that occur twice or sit outside their chapter.
fn check_paragraphs(nodes: &[Node], warnings: &mut Vec<Warning>) {
    let mut seen: HashMap<SectionId, usize> = HashMap::default();
    for node in nodes {
        let Some(sec) = node.section_id() else {
            continue;
        };
        for p in &node.paragraphs {
            let line = node.blocks[p.start].lines().first().copied();
            if let Some(prev) = seen.insert(p.id, line.unwrap_or(0)) {
                warnings.push(Warning {
                    line,
                    message: format!(
                        "paragraph {} is numbered twice (first at line {prev})",
                        p.id
                    ),
                });
            }
            if p.id.chapter_id() != sec.chapter_id() {
                warnings.push(Warning {
                    line,
                    message: format!("paragraph {} sits in {sec}, outside its chapter", p.id),
                });
            }
        }
    }
}

/// The kind of one body line.
#[derive(Debug)]
enum LineKind<'a> {
    Blank,
    Numbered {
        nums: [u16; 3],
        text: &'a str,
    },
    Item {
        depth: u8,
        marker: Option<&'a str>,
        text: &'a str,
    },
    Row(&'a str),
    Text(&'a str),
}

fn classify(line: &str) -> LineKind<'_> {
    if line.trim().is_empty() {
        return LineKind::Blank;
    }
    if let Some((nums, text)) = paragraph_number(line) {
        return LineKind::Numbered { nums, text };
    }
    if line.contains('\t') {
        return LineKind::Row(line);
    }
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    let depth = u8::from(indent > 0);
    if let Some(text) = t.strip_prefix("- ").or_else(|| (t == "-").then_some("")) {
        return LineKind::Item {
            depth,
            marker: None,
            text: text.trim(),
        };
    }
    // "1. Parents are given…": an ordered list item (chapter headings and
    // their page-header copies never reach here).
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && t[digits..].starts_with(". ") {
        return LineKind::Item {
            depth,
            marker: Some(&t[..digits + 1]),
            text: t[digits + 2..].trim(),
        };
    }
    LineKind::Text(t)
}

/// Whether a text line reads like a sub-heading ("Multi-agency checks").
fn heading_like(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    !t.is_empty()
        && t.chars().count() <= 90
        && words <= 12
        && t.chars().next().is_some_and(|c| c.is_uppercase() || c == '*' || c == '[')
        && !t.ends_with(['.', ',', ';', ':', '?', '!', '—', '-', '–'])
        && !t.contains("](")
        // Sentences and contact lines, not headings.
        && !t.contains('@')
        && t.bytes().filter(u8::is_ascii_digit).count() < 5
        && ![" should ", " must ", " means "].iter().any(|w| t.contains(w))
}

/// Whether text ends mid-sentence, so that what follows a page break
/// continues it.
fn ends_open(text: &str) -> bool {
    let t = text.trim_end();
    !t.is_empty() && !t.ends_with(['.', ':', ';', '?', '!', '"', '\''])
}

/// Builds one node's blocks from its lines.
struct BlockBuilder<'w> {
    node: NodeId,
    blocks: Vec<Block>,
    /// Blank lines (or page headers) since the last content line.
    gap: bool,
    /// A page header since the last content line.
    crossed_page: bool,
    /// A text line held back until we know whether it is a sub-heading
    /// (it needs a blank line after it).
    pending_heading: Option<(usize, String)>,
    warnings: &'w mut Vec<Warning>,
}

impl<'w> BlockBuilder<'w> {
    fn new(node: NodeId, warnings: &'w mut Vec<Warning>) -> Self {
        BlockBuilder {
            node,
            blocks: Vec::new(),
            gap: true,
            crossed_page: false,
            pending_heading: None,
            warnings,
        }
    }

    fn noise(&mut self) {
        self.gap = true;
        self.crossed_page = true;
    }

    fn line(&mut self, no: usize, raw: &str) {
        let kind = classify(raw);
        if matches!(kind, LineKind::Blank) {
            self.gap = true;
            return;
        }
        // A held-back short line followed directly by another line is
        // ordinary text (an address, a label), not a sub-heading.
        if let Some((hno, htext)) = self.pending_heading.take() {
            if self.gap {
                self.blocks.push(Block::Heading {
                    text: htext,
                    line: hno,
                });
            } else {
                self.push_text(hno, &htext, true);
            }
        }
        match kind {
            LineKind::Blank => {}
            LineKind::Numbered { nums, text } => self.numbered(no, nums, text),
            LineKind::Item {
                depth,
                marker,
                text,
            } => self.item(no, depth, marker, text),
            LineKind::Row(row) => self.row(no, row),
            LineKind::Text(text) => self.text(no, text),
        }
        self.gap = false;
        self.crossed_page = false;
    }

    fn numbered(&mut self, no: usize, nums: [u16; 3], text: &str) {
        let part = match self.node {
            NodeId::Part(p) => p,
            NodeId::Group(_) => Part::B,
            NodeId::Section(id) => id.part(),
        };
        let id = SectionId::new(part, &nums);
        if id.is_none() {
            self.warnings.push(Warning {
                line: Some(no),
                message: format!("paragraph number {nums:?} is not valid"),
            });
        }
        self.blocks.push(Block::Para {
            number: id,
            text: clean_inline(text),
            lines: vec![no],
        });
    }

    fn item(&mut self, no: usize, depth: u8, marker: Option<&str>, text: &str) {
        let item = ListItem {
            depth,
            marker: marker.map(str::to_string),
            text: clean_inline(text),
            lines: vec![no],
        };
        if let Some(Block::List { items }) = self.blocks.last_mut() {
            items.push(item);
        } else {
            self.blocks.push(Block::List { items: vec![item] });
        }
    }

    fn row(&mut self, no: usize, row: &str) {
        let cells: Vec<String> = row.split('\t').map(clean_cell).collect();
        if let Some(Block::Table { rows, lines }) = self.blocks.last_mut() {
            // A table split by a page break repeats its header row.
            let repeated_header = rows.first() == Some(&cells) && self.crossed_page;
            if !repeated_header {
                rows.push(cells);
            }
            lines.push(no);
            return;
        }
        self.blocks.push(Block::Table {
            rows: vec![cells],
            lines: vec![no],
        });
    }

    fn text(&mut self, no: usize, text: &str) {
        if self.gap && heading_like(text) && !self.continues_previous(text) {
            self.pending_heading = Some((no, clean_inline(text)));
            return;
        }
        self.push_text(no, text, false);
    }

    /// Whether `text` continues the previous block across a page break or
    /// a PDF line split.
    fn continues_previous(&self, text: &str) -> bool {
        let Some(prev) = self.last_text() else {
            return false;
        };
        if prev.is_empty() {
            // A paragraph number on a line of its own ("2.12.12").
            return true;
        }
        if !ends_open(prev) {
            return false;
        }
        let lower = text.chars().next().is_some_and(|c| c.is_lowercase());
        lower || (prev.chars().count() >= 100 && !heading_like(text))
    }

    fn last_text(&self) -> Option<&str> {
        match self.blocks.last()? {
            Block::Para { text, .. } => Some(text),
            Block::List { items } => items.last().map(|i| i.text.as_str()),
            _ => None,
        }
    }

    fn push_text(&mut self, no: usize, text: &str, after_pending: bool) {
        let cleaned = clean_inline(text);
        let join = !after_pending && self.gap && self.continues_previous(text);
        let same_para = !self.gap || after_pending;
        match self.blocks.last_mut() {
            Some(Block::Para { text: t, lines, .. }) if join || same_para => {
                if t.is_empty() {
                    *t = cleaned;
                } else if join {
                    t.push(' ');
                    t.push_str(&cleaned);
                } else {
                    // Consecutive lines (addresses, labels) keep their breaks.
                    t.push('\n');
                    t.push_str(&cleaned);
                }
                lines.push(no);
            }
            Some(Block::List { items }) if join => {
                let item = items.last_mut().expect("lists are never empty");
                item.text.push(' ');
                item.text.push_str(&cleaned);
                item.lines.push(no);
            }
            _ => self.blocks.push(Block::Para {
                number: None,
                text: cleaned,
                lines: vec![no],
            }),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        if let Some((no, text)) = self.pending_heading.take() {
            self.blocks.push(Block::Heading { text, line: no });
        }
        for block in &mut self.blocks {
            if let Block::List { items } = block {
                normalize_nesting(items);
            }
        }
        self.blocks
    }
}

/// Undoes the PDF converter's habit of indenting every item of a list but
/// the first: an indented item is nested only under an item that introduces
/// it (ends with a colon), or when it switches marker style (`a.` → `i.`).
fn normalize_nesting(items: &mut [ListItem]) {
    let mut nest_open = false;
    let mut parent_marker: Option<MarkerStyle> = None;
    for item in items.iter_mut() {
        if item.depth == 0 {
            let t = item.text.trim_end_matches('*').trim_end();
            nest_open = t.ends_with(':') || t.ends_with(" -") || t.ends_with('–');
            parent_marker = marker_style(&item.text);
            continue;
        }
        let switches_style =
            parent_marker.is_some_and(|p| marker_style(&item.text).is_some_and(|m| m != p));
        if !(nest_open || switches_style) {
            item.depth = 0;
        } else {
            nest_open = true;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerStyle {
    Letter,
    Roman,
}

/// The enumeration style at the start of an item: `a.`/`(a)` or
/// `i.`/`(iv)`.
fn marker_style(text: &str) -> Option<MarkerStyle> {
    let t = text.trim_start_matches('(');
    let end = t.find(['.', ')'])?;
    let m = &t[..end];
    if m.is_empty() || m.len() > 4 || !m.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    if m.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) && m != "v" && m != "x" {
        Some(MarkerStyle::Roman)
    } else if m.len() == 1 {
        Some(MarkerStyle::Letter)
    } else {
        None
    }
}

/// A table cell without the PDF converter's HTML list wrappers.
fn clean_cell(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        match rest[start..].find('>') {
            Some(end) if is_html_tag(&rest[start..start + end + 1]) => {
                rest = &rest[start + end + 1..];
            }
            _ => {
                out.push('<');
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    clean_inline(out.trim())
}

fn is_html_tag(s: &str) -> bool {
    let inner = s.trim_start_matches('<').trim_start_matches('/');
    ["ul", "li", "ol", "br", "p"]
        .iter()
        .any(|t| inner.starts_with(t) && inner[t.len()..].starts_with([' ', '>', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_numbers() {
        assert_eq!(
            paragraph_number("- 3.4.22 A s47"),
            Some(([3, 4, 22], "A s47"))
        );
        assert_eq!(
            paragraph_number("3.4.22 A s47"),
            Some(([3, 4, 22], "A s47"))
        );
        assert_eq!(paragraph_number("2.12.12"), Some(([2, 12, 12], "")));
        assert_eq!(paragraph_number("3.4 Strategy"), None);
        assert_eq!(paragraph_number("1.5 million children"), None);
        assert_eq!(paragraph_number("2023.1.1x"), None);
    }

    #[test]
    fn classifies_lines() {
        assert!(matches!(
            classify(" - nested"),
            LineKind::Item { depth: 1, .. }
        ));
        assert!(matches!(classify("- top"), LineKind::Item { depth: 0, .. }));
        assert!(matches!(
            classify("3. Malicious: there is"),
            LineKind::Item {
                marker: Some("3."),
                ..
            }
        ));
        assert!(matches!(classify("a\tb"), LineKind::Row(_)));
        assert!(matches!(classify("Plain text."), LineKind::Text(_)));
    }

    #[test]
    fn heading_heuristics() {
        assert!(heading_like("Multi-agency checks"));
        assert!(heading_like("Section 11"));
        assert!(!heading_like("Contact details shown above."));
        assert!(!heading_like("or"));
    }

    #[test]
    fn title_matching_tolerates_links_case_and_truncation() {
        assert!(titles_match("[Children Act 2004](#)", "Children Act 2004"));
        assert!(titles_match(
            "Unaccompanied Asylum Seeking Children:",
            "Unaccompanied Asylum Seeking Children"
        ));
        assert!(!titles_match(
            "Initiating a s47 enquiry",
            "Referrals to the police"
        ));
    }

    fn items(spec: &[(u8, &str)]) -> Vec<ListItem> {
        spec.iter()
            .map(|(d, t)| ListItem {
                depth: *d,
                marker: None,
                text: t.to_string(),
                lines: vec![],
            })
            .collect()
    }

    #[test]
    fn list_nesting_is_kept_only_where_the_text_nests() {
        let mut l = items(&[
            (0, "Share information"),
            (1, "Agree the conduct"),
            (1, "Decide"),
        ]);
        normalize_nesting(&mut l);
        assert_eq!(l.iter().map(|i| i.depth).collect::<Vec<_>>(), [0, 0, 0]);

        let mut l = items(&[
            (0, "Take basic details:"),
            (1, "Name"),
            (1, "Address"),
            (0, "Discuss"),
        ]);
        normalize_nesting(&mut l);
        assert_eq!(l.iter().map(|i| i.depth).collect::<Vec<_>>(), [0, 1, 1, 0]);

        let mut l = items(&[
            (0, "a. Are informed that"),
            (1, "i. An order"),
            (1, "ii. Police"),
            (0, "b. Have cause"),
        ]);
        normalize_nesting(&mut l);
        assert_eq!(l.iter().map(|i| i.depth).collect::<Vec<_>>(), [0, 1, 1, 0]);
    }

    #[test]
    fn table_cells_lose_html_wrappers() {
        assert_eq!(
            clean_cell("<ul style=\"list-style-type: none\"> • 30% of all • Domestic</ul>"),
            "• 30% of all • Domestic"
        );
        assert_eq!(clean_cell("a < b"), "a < b");
    }
}
