//! A node's lines → blocks: paragraphs joined across page breaks, lists
//! with their nesting, sub-headings and tables.

use super::locate::paragraph_number;
use crate::manual::document::{Block, ListItem, Warning};
use crate::manual::ids::{NodeId, Part, SectionId};
use crate::text::markup::clean_inline;

/// The kind of one body line.
#[derive(Debug)]
pub(super) enum LineKind<'a> {
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

pub(super) fn classify(line: &str) -> LineKind<'_> {
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
pub(super) fn heading_like(text: &str) -> bool {
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
pub(super) fn ends_open(text: &str) -> bool {
    let t = text.trim_end();
    !t.is_empty() && !t.ends_with(['.', ':', ';', '?', '!', '"', '\''])
}

/// Builds one node's blocks from its lines.
pub(super) struct BlockBuilder<'w> {
    pub(super) node: NodeId,
    pub(super) blocks: Vec<Block>,
    /// Blank lines (or page headers) since the last content line.
    pub(super) gap: bool,
    /// A page header since the last content line.
    pub(super) crossed_page: bool,
    /// A text line held back until we know whether it is a sub-heading
    /// (it needs a blank line after it).
    pub(super) pending_heading: Option<(usize, String)>,
    pub(super) warnings: &'w mut Vec<Warning>,
}

impl<'w> BlockBuilder<'w> {
    pub(super) fn new(node: NodeId, warnings: &'w mut Vec<Warning>) -> Self {
        BlockBuilder {
            node,
            blocks: Vec::new(),
            gap: true,
            crossed_page: false,
            pending_heading: None,
            warnings,
        }
    }

    pub(super) fn noise(&mut self) {
        self.gap = true;
        self.crossed_page = true;
    }

    pub(super) fn line(&mut self, no: usize, raw: &str) {
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

    pub(super) fn numbered(&mut self, no: usize, nums: [u16; 3], text: &str) {
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

    pub(super) fn item(&mut self, no: usize, depth: u8, marker: Option<&str>, text: &str) {
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

    pub(super) fn row(&mut self, no: usize, row: &str) {
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

    pub(super) fn text(&mut self, no: usize, text: &str) {
        if self.gap && heading_like(text) && !self.continues_previous(text) {
            self.pending_heading = Some((no, clean_inline(text)));
            return;
        }
        self.push_text(no, text, false);
    }

    /// Whether `text` continues the previous block across a page break or
    /// a PDF line split.
    pub(super) fn continues_previous(&self, text: &str) -> bool {
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

    pub(super) fn last_text(&self) -> Option<&str> {
        match self.blocks.last()? {
            Block::Para { text, .. } => Some(text),
            Block::List { items } => items.last().map(|i| i.text.as_str()),
            _ => None,
        }
    }

    pub(super) fn push_text(&mut self, no: usize, text: &str, after_pending: bool) {
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

    pub(super) fn finish(mut self) -> Vec<Block> {
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
pub(super) fn normalize_nesting(items: &mut [ListItem]) {
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
pub(super) enum MarkerStyle {
    Letter,
    Roman,
}

/// The enumeration style at the start of an item: `a.`/`(a)` or
/// `i.`/`(iv)`.
pub(super) fn marker_style(text: &str) -> Option<MarkerStyle> {
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
pub(super) fn clean_cell(cell: &str) -> String {
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

pub(super) fn is_html_tag(s: &str) -> bool {
    let inner = s.trim_start_matches('<').trim_start_matches('/');
    ["ul", "li", "ol", "br", "p"]
        .iter()
        .any(|t| inner.starts_with(t) && inner[t.len()..].starts_with([' ', '>', '/']))
}
