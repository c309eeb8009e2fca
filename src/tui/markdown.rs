//! Markdown → wrapped, styled lines for one pane width.
//!
//! The reader has to know exactly where every link and numbered paragraph
//! lands on screen (Tab cycles the links in view, a mouse click follows the
//! link under it, `open A3.4.22` scrolls to that paragraph), so wrapping is
//! done here, with unicode-width, rather than by a widget. The output is plain
//! data ([`Doc`]): no terminal, no ratatui types, so it is cheap to cache per
//! (node, width) and easy to test.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthChar;

use crate::manual::ids::{NodeId, SectionId};
use crate::search::index::anchor_to_id;
use crate::text::markup::terminal_safe;

/// How a piece of text looks. The view maps these to colours; keeping them
/// abstract keeps this module pure and the palette in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SegStyle {
    pub bold: bool,
    pub italic: bool,
    /// 1 for the node's title, 2 for `## Sections`, 3 for sub-headings.
    pub heading: u8,
    /// Index into [`Doc::links`].
    pub link: Option<u32>,
    /// The bold `3.4.22` that opens a numbered paragraph.
    pub para_num: bool,
    /// Bullets, table rules and other furniture.
    pub dim: bool,
    /// The "cited as … → …" note after a stale citation.
    pub note: bool,
    pub code: bool,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub text: String,
    pub style: SegStyle,
}

/// One screen line of a rendered node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLine {
    pub segs: Vec<Seg>,
    /// Index of the markdown block this line belongs to, so a scroll
    /// position survives re-wrapping at another width.
    pub block: u32,
}

impl DocLine {
    /// The line's text without styling.
    pub fn text(&self) -> String {
        self.segs.iter().map(|s| s.text.as_str()).collect()
    }

    /// Display width in columns.
    pub fn width(&self) -> usize {
        self.segs.iter().map(|s| str_width(&s.text)).sum()
    }
}

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another node of the manual, possibly at a paragraph. `node` is
    /// `None` for a bare `#a3-4-5` anchor (the paragraph names its node).
    Node {
        node: Option<NodeId>,
        para: Option<SectionId>,
    },
    /// A web address (or anything else that is not a manual file).
    External(String),
}

/// A place a link occupies on screen: line and column range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub cols: Range<usize>,
}

/// One link of a rendered node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: LinkTarget,
    /// The link text as shown.
    pub text: String,
    /// For a stale citation, where it was meant to go:
    /// "cited as chapter 37 → B36 Historical Abuse".
    pub stale: Option<String>,
    /// Every screen piece of the link, in order (a link may wrap).
    pub spots: Vec<Spot>,
}

impl Link {
    pub fn first_line(&self) -> usize {
        self.spots.first().map_or(0, |s| s.line)
    }
}

/// A numbered paragraph's place: its first line and the line after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub id: SectionId,
    pub start: usize,
    pub end: usize,
}

/// A node rendered for one width.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub width: usize,
    pub lines: Vec<DocLine>,
    pub links: Vec<Link>,
    pub anchors: Vec<Anchor>,
    /// First line of each block (index = block number).
    pub block_starts: Vec<usize>,
}

impl Doc {
    pub fn anchor(&self, id: SectionId) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.id == id)
    }

    /// First line of `block`, or the last line if the block is beyond the end.
    pub fn line_of_block(&self, block: u32) -> usize {
        self.block_starts
            .get(block as usize)
            .copied()
            .unwrap_or(self.lines.len().saturating_sub(1))
    }
}

/// Display width of a string (control characters count as zero; they never
/// get here after `terminal_safe`).
pub fn str_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Parses a link target as written in content files: `B24.md`,
/// `A4.1.md#a4-1-11`, `part-B3.md`, `#a3-4-5`, or a web address.
pub fn parse_href(href: &str) -> LinkTarget {
    let external = || LinkTarget::External(href.to_string());
    if href.contains("://") || href.starts_with("mailto:") {
        return external();
    }
    let (file, anchor) = match href.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (href, None),
    };
    let para = anchor.and_then(anchor_to_id);
    let node = match file.strip_suffix(".md") {
        Some(stem) => match stem.parse::<NodeId>() {
            Ok(n) => Some(n),
            Err(_) => return external(),
        },
        None if file.is_empty() => None,
        None => return external(),
    };
    if node.is_none() && para.is_none() {
        return external();
    }
    LinkTarget::Node { node, para }
}

/// The note shown after a stale citation: the first clause of its title
/// attribute ("cited as chapter 37"), then where following it leads.
fn stale_note(
    title: &str,
    target: &LinkTarget,
    titles: &dyn Fn(NodeId) -> Option<String>,
) -> String {
    let cited = title.split(';').next().unwrap_or(title).trim();
    let dest = match target {
        LinkTarget::Node {
            node: Some(n),
            para,
        } => {
            let id = para.map_or_else(|| n.to_string(), |p| p.to_string());
            match titles(*n) {
                Some(t) => format!("{id} {t}"),
                None => id,
            }
        }
        LinkTarget::Node {
            node: None,
            para: Some(p),
        } => p.to_string(),
        _ => String::new(),
    };
    let cited = terminal_safe(cited);
    if dest.is_empty() {
        cited.into_owned()
    } else {
        format!("{cited} → {}", terminal_safe(&dest))
    }
}

/// The inline form of a stale note: without the "(now …)" aside, which the
/// status line shows when the link is selected.
fn short_note(note: &str) -> String {
    match (note.find(" (now "), note.find(" → ")) {
        (Some(a), Some(b)) if a < b => {
            let close = note[a..b].rfind(')').map_or(b, |c| a + c + 1);
            format!("{}{}", &note[..a], &note[close..])
        }
        _ => note.to_string(),
    }
}

/// A piece of inline text waiting to be wrapped.
type Piece = (String, SegStyle);

/// A word for wrapping: fragments (a word can change style mid-way, as in
/// `**3.4.22**` or `(see [x](y))`), its width, and the style of the space
/// before it.
struct Word {
    frags: Vec<Seg>,
    width: usize,
    space: Option<SegStyle>,
    hard_break: bool,
}

/// Splits pieces into words. A hard break becomes a marker word.
fn words(pieces: &[Piece]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut cur: Option<Word> = None;
    let mut pending_space: Option<SegStyle> = None;
    for (text, style) in pieces {
        if text == "\n" && style.code {
            // Hard break marker (see `HARD_BREAK`).
            if let Some(w) = cur.take() {
                out.push(w);
            }
            out.push(Word {
                frags: Vec::new(),
                width: 0,
                space: None,
                hard_break: true,
            });
            pending_space = None;
            continue;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                if let Some(w) = cur.take() {
                    out.push(w);
                }
                if pending_space.is_none() {
                    pending_space = Some(*style);
                }
                continue;
            }
            let w = cur.get_or_insert_with(|| Word {
                frags: Vec::new(),
                width: 0,
                space: pending_space.take(),
                hard_break: false,
            });
            match w.frags.last_mut() {
                Some(seg) if seg.style == *style => seg.text.push(c),
                _ => w.frags.push(Seg {
                    text: c.to_string(),
                    style: *style,
                }),
            }
            w.width += c.width().unwrap_or(0);
        }
    }
    if let Some(w) = cur.take() {
        out.push(w);
    }
    out
}

/// A hard line break travels through the pieces as this (a newline can't
/// otherwise appear: text is split on whitespace).
const HARD_BREAK: (&str, SegStyle) = (
    "\n",
    SegStyle {
        bold: false,
        italic: false,
        heading: 0,
        link: None,
        para_num: false,
        dim: false,
        note: false,
        code: true,
    },
);

fn push_seg(line: &mut Vec<Seg>, text: &str, style: SegStyle) {
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => line.push(Seg {
            text: text.to_string(),
            style,
        }),
    }
}

/// Greedy word wrap of `pieces` to `width` columns (at least one). Words
/// longer than a line are broken between characters.
pub fn wrap(pieces: &[Piece], width: usize) -> Vec<Vec<Seg>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Seg>> = Vec::new();
    let mut line: Vec<Seg> = Vec::new();
    let mut used = 0usize;
    for word in words(pieces) {
        if word.hard_break {
            lines.push(std::mem::take(&mut line));
            used = 0;
            continue;
        }
        if used > 0 && used + 1 + word.width <= width {
            let space_style = word.space.unwrap_or_default();
            // Only a space inside one link keeps the link's style, so
            // underlines don't bridge two different things.
            let keep = space_style.link.is_some()
                && word.frags.first().map(|f| f.style.link) == Some(space_style.link);
            let style = if keep {
                space_style
            } else {
                SegStyle::default()
            };
            push_seg(&mut line, " ", style);
            used += 1;
        } else if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if word.width <= width - used {
            for f in &word.frags {
                push_seg(&mut line, &f.text, f.style);
            }
            used += word.width;
            continue;
        }
        // Too long for any line: break it by characters.
        for f in &word.frags {
            for c in f.text.chars() {
                let cw = c.width().unwrap_or(0);
                if used > 0 && used + cw > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                let mut buf = [0u8; 4];
                push_seg(&mut line, c.encode_utf8(&mut buf), f.style);
                used += cw;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A list being rendered: its next number (`None` for bullets).
struct ListCtx {
    next: Option<u64>,
    /// Hanging indent of this list's current item.
    indent: usize,
}

/// Table being collected: rows of cells of pieces; the first row is the header.
#[derive(Default)]
struct TableCtx {
    rows: Vec<Vec<Vec<Piece>>>,
}

struct Renderer<'t> {
    width: usize,
    titles: &'t dyn Fn(NodeId) -> Option<String>,
    doc: Doc,
    pieces: Vec<Piece>,
    style_stack: Vec<SegStyle>,
    lists: Vec<ListCtx>,
    /// Marker of a list item whose first line is not out yet.
    item_marker: Option<String>,
    /// Hanging indent of the current list item's text.
    item_indent: usize,
    pending_anchor: Option<SectionId>,
    heading_lines: Vec<usize>,
    block: u32,
    table: Option<TableCtx>,
    /// Index of the link being collected and its text so far.
    link: Option<(u32, String)>,
}

impl<'t> Renderer<'t> {
    fn style(&self) -> SegStyle {
        self.style_stack.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, f: impl FnOnce(&mut SegStyle)) {
        let mut s = self.style();
        f(&mut s);
        self.style_stack.push(s);
    }

    fn pop_style(&mut self) {
        self.style_stack.pop();
    }

    fn text(&mut self, t: &str) {
        let safe = terminal_safe(t);
        if let Some((_, text)) = &mut self.link {
            text.push_str(&safe);
        }
        if let Some(table) = &mut self.table {
            if let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push((
                    safe.into_owned(),
                    self.style_stack.last().copied().unwrap_or_default(),
                ));
            }
            return;
        }
        let style = self.style();
        self.pieces.push((safe.into_owned(), style));
    }

    /// Starts a new block: a blank line first unless inside a list or at the top.
    fn begin_block(&mut self, blank: bool) {
        self.block += 1;
        if blank && self.doc.lines.last().is_some_and(|l| !l.segs.is_empty()) {
            self.push_line(Vec::new());
        }
        let at = self.doc.lines.len();
        let b = self.block as usize;
        if self.doc.block_starts.len() <= b {
            self.doc.block_starts.resize(b + 1, at);
        }
        self.doc.block_starts[b] = at;
    }

    fn push_line(&mut self, segs: Vec<Seg>) {
        self.doc.lines.push(DocLine {
            segs,
            block: self.block,
        });
    }

    /// Wraps the pending inline text and emits it with the current list
    /// indentation (marker on the first line, hanging indent after).
    fn flush(&mut self) {
        if self.pieces.iter().all(|(t, _)| t.trim().is_empty()) {
            // Nothing to show yet; a pending list marker waits for its text.
            self.pieces.clear();
            return;
        }
        let pieces = std::mem::take(&mut self.pieces);
        let indent = if self.lists.is_empty() {
            0
        } else {
            self.item_indent
        };
        let avail = self.width.saturating_sub(indent).max(1);
        let first = self.doc.lines.len();
        if let Some(anchor) = self.pending_anchor.take() {
            self.doc.anchors.push(Anchor {
                id: anchor,
                start: first,
                end: first,
            });
        }
        let marker = self.item_marker.take();
        for (i, segs) in wrap(&pieces, avail).into_iter().enumerate() {
            let mut line = Vec::with_capacity(segs.len() + 1);
            if indent > 0 {
                match (&marker, i) {
                    (Some(m), 0) => {
                        let pad = indent.saturating_sub(str_width(m));
                        push_seg(&mut line, &" ".repeat(pad), SegStyle::default());
                        push_seg(
                            &mut line,
                            m,
                            SegStyle {
                                dim: true,
                                ..SegStyle::default()
                            },
                        );
                    }
                    _ => push_seg(&mut line, &" ".repeat(indent), SegStyle::default()),
                }
            }
            line.extend(segs);
            self.push_line(line);
        }
    }

    fn start_item(&mut self) {
        self.flush();
        let depth = self.lists.len().saturating_sub(1);
        let marker = match self.lists.last_mut().and_then(|l| l.next.as_mut()) {
            Some(n) => {
                let m = format!("{n}. ");
                *n += 1;
                m
            }
            None => match depth {
                0 => "• ".to_string(),
                1 => "◦ ".to_string(),
                _ => "▪ ".to_string(),
            },
        };
        self.item_indent = 2 * depth + str_width(&marker);
        if let Some(l) = self.lists.last_mut() {
            l.indent = self.item_indent;
        }
        self.item_marker = Some(marker);
        // Each item is a block of its own for scroll-keeping.
        self.begin_block(false);
    }

    fn end_table(&mut self) {
        let Some(table) = self.table.take() else {
            return;
        };
        let ncols = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let sep = 3; // " │ "
        let avail = self.width.saturating_sub(sep * (ncols - 1));
        let natural: Vec<usize> = (0..ncols)
            .map(|c| {
                table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| cell.iter().map(|(t, _)| str_width(t)).sum::<usize>())
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let dim = SegStyle {
            dim: true,
            ..SegStyle::default()
        };
        if avail < 6 * ncols {
            // Too narrow for a grid: each cell on its own lines, rows ruled off.
            for (r, row) in table.rows.iter().enumerate() {
                if r > 0 {
                    self.push_line(vec![Seg {
                        text: "─".repeat(self.width.clamp(1, 40)),
                        style: dim,
                    }]);
                }
                for cell in row {
                    let pieces: Vec<Piece> = if r == 0 {
                        cell.iter()
                            .map(|(t, s)| (t.clone(), SegStyle { bold: true, ..*s }))
                            .collect()
                    } else {
                        cell.clone()
                    };
                    for segs in wrap(&pieces, self.width) {
                        self.push_line(segs);
                    }
                }
            }
            return;
        }
        let widths = fit_columns(&natural, avail);
        for (r, row) in table.rows.iter().enumerate() {
            let cells: Vec<Vec<Vec<Seg>>> = (0..ncols)
                .map(|c| {
                    let cell = row.get(c).cloned().unwrap_or_default();
                    let pieces: Vec<Piece> = if r == 0 {
                        cell.into_iter()
                            .map(|(t, s)| (t, SegStyle { bold: true, ..s }))
                            .collect()
                    } else {
                        cell
                    };
                    wrap(&pieces, widths[c])
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for i in 0..height {
                let mut line: Vec<Seg> = Vec::new();
                for (c, cell) in cells.iter().enumerate() {
                    if c > 0 {
                        push_seg(&mut line, " │ ", dim);
                    }
                    let segs = cell.get(i).cloned().unwrap_or_default();
                    let w: usize = segs.iter().map(|s| str_width(&s.text)).sum();
                    for s in segs {
                        push_seg(&mut line, &s.text, s.style);
                    }
                    if c + 1 < ncols {
                        push_seg(
                            &mut line,
                            &" ".repeat(widths[c].saturating_sub(w)),
                            SegStyle::default(),
                        );
                    }
                }
                self.push_line(line);
            }
            if r == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.push_line(vec![Seg {
                    text: rule.join("─┼─"),
                    style: dim,
                }]);
            }
        }
    }
}

/// Column widths that fit `avail`: every column gets its natural width if
/// all fit; otherwise narrow columns keep theirs and the wide ones share
/// what is left equally.
fn fit_columns(natural: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0usize; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = avail;
    loop {
        let share = left / open.len().max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&c| natural[c] <= share);
        if fits.is_empty() {
            for (k, &c) in wide.iter().enumerate() {
                // Spread the remainder over the first columns.
                widths[c] = (share + usize::from(k < left % wide.len().max(1))).max(1);
            }
            break;
        }
        for &c in &fits {
            widths[c] = natural[c];
            left -= natural[c];
        }
        open = wide;
        if open.is_empty() {
            break;
        }
    }
    widths
}

/// Renders a node's markdown for a pane `width` columns wide.
///
/// `titles` names nodes for the notes on stale citations.
pub fn render(md: &str, width: usize, titles: &dyn Fn(NodeId) -> Option<String>) -> Doc {
    let width = width.max(1);
    let mut r = Renderer {
        width,
        titles,
        doc: Doc {
            width,
            ..Doc::default()
        },
        pieces: Vec::new(),
        style_stack: Vec::new(),
        lists: Vec::new(),
        item_marker: None,
        item_indent: 0,
        pending_anchor: None,
        heading_lines: Vec::new(),
        block: 0,
        table: None,
        link: None,
    };
    r.doc.block_starts.push(0);
    let mut pending_stale: Option<String> = None;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Paragraph) => {
                if r.lists.is_empty() {
                    r.begin_block(true);
                } else {
                    r.flush();
                }
            }
            Event::End(TagEnd::Paragraph) => r.flush(),
            Event::Start(Tag::Heading { level, .. }) => {
                r.begin_block(true);
                r.heading_lines.push(r.doc.lines.len());
                let h = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                r.push_style(|s| {
                    s.heading = h;
                    s.bold = true;
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                r.flush();
                r.pop_style();
            }
            Event::Start(Tag::List(start)) => {
                if r.lists.is_empty() {
                    r.begin_block(true);
                } else {
                    // Text of the parent item goes out before its sub-list.
                    r.flush();
                }
                r.lists.push(ListCtx {
                    next: start,
                    indent: 0,
                });
            }
            Event::End(TagEnd::List(_)) => {
                r.flush();
                r.lists.pop();
                r.item_indent = r.lists.last().map_or(0, |l| l.indent);
            }
            Event::Start(Tag::Item) => r.start_item(),
            Event::End(TagEnd::Item) => {
                r.flush();
                if let Some(m) = r.item_marker.take() {
                    // An empty item still shows its marker.
                    let pad = r.item_indent.saturating_sub(str_width(&m));
                    let dim = SegStyle {
                        dim: true,
                        ..SegStyle::default()
                    };
                    r.push_line(vec![
                        Seg {
                            text: " ".repeat(pad),
                            style: SegStyle::default(),
                        },
                        Seg {
                            text: m,
                            style: dim,
                        },
                    ]);
                }
            }
            Event::Start(Tag::Strong) => r.push_style(|s| s.bold = true),
            Event::Start(Tag::Emphasis) => r.push_style(|s| s.italic = true),
            Event::End(TagEnd::Strong) | Event::End(TagEnd::Emphasis) => r.pop_style(),
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let target = parse_href(&dest_url);
                let idx = r.doc.links.len() as u32;
                pending_stale = (!title.is_empty()).then(|| stale_note(&title, &target, r.titles));
                r.doc.links.push(Link {
                    target,
                    text: String::new(),
                    stale: pending_stale.clone(),
                    spots: Vec::new(),
                });
                r.link = Some((idx, String::new()));
                r.push_style(|s| s.link = Some(idx));
            }
            Event::End(TagEnd::Link) => {
                if let Some((idx, text)) = r.link.take() {
                    r.doc.links[idx as usize].text = text;
                    if let Some(note) = pending_stale.take() {
                        let style = SegStyle {
                            note: true,
                            italic: true,
                            ..r.style()
                        };
                        let note = format!(" [⚠ {}]", short_note(&note));
                        match &mut r.table {
                            Some(t) => {
                                if let Some(cell) = t.rows.last_mut().and_then(|row| row.last_mut())
                                {
                                    cell.push((note, style));
                                }
                            }
                            None => r.pieces.push((note, style)),
                        }
                    }
                }
                r.pop_style();
            }
            Event::Text(t) => {
                // The paragraph number right after an anchor.
                if r.pending_anchor.is_some() && r.pieces.is_empty() && r.style().bold {
                    r.push_style(|s| s.para_num = true);
                    r.text(&t);
                    r.pop_style();
                } else {
                    r.text(&t);
                }
            }
            Event::Code(t) => {
                r.push_style(|s| s.code = true);
                r.text(&t);
                r.pop_style();
            }
            Event::SoftBreak => r.text(" "),
            Event::HardBreak => {
                if r.table.is_none() {
                    r.pieces.push((HARD_BREAK.0.to_string(), HARD_BREAK.1));
                } else {
                    r.text(" ");
                }
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if let Some(rest) = h.trim().strip_prefix("<a id=\"") {
                    let anchor = rest.split('"').next().unwrap_or("");
                    if let Some(id) = anchor_to_id(anchor) {
                        r.pending_anchor = Some(id);
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                r.begin_block(true);
                r.table = Some(TableCtx::default());
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = &mut r.table {
                    t.rows.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(row) = r.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            Event::End(TagEnd::Table) => r.end_table(),
            Event::Start(Tag::BlockQuote(_)) | Event::Start(Tag::CodeBlock(_)) => {
                r.begin_block(true)
            }
            Event::End(TagEnd::BlockQuote(_)) | Event::End(TagEnd::CodeBlock) => r.flush(),
            Event::Rule => {
                r.begin_block(true);
                let rule = "─".repeat(width.min(40));
                r.push_line(vec![Seg {
                    text: rule,
                    style: SegStyle {
                        dim: true,
                        ..SegStyle::default()
                    },
                }]);
            }
            _ => {}
        }
    }
    r.flush();
    finish(r)
}

/// Link spots and paragraph extents, once all lines are known.
fn finish(r: Renderer<'_>) -> Doc {
    let heading_lines = r.heading_lines;
    let mut doc = r.doc;
    for (i, line) in doc.lines.iter().enumerate() {
        let mut col = 0;
        for seg in &line.segs {
            let w = str_width(&seg.text);
            if let Some(link) = seg
                .style
                .link
                .and_then(|idx| doc.links.get_mut(idx as usize))
            {
                match link.spots.last_mut() {
                    Some(s) if s.line == i && s.cols.end == col => s.cols.end = col + w,
                    _ => link.spots.push(Spot {
                        line: i,
                        cols: col..col + w,
                    }),
                }
            }
            col += w;
        }
    }
    // A paragraph runs to the next paragraph or heading, blank lines off.
    let n = doc.anchors.len();
    for k in 0..n {
        let start = doc.anchors[k].start;
        let next_anchor = doc.anchors.get(k + 1).map_or(doc.lines.len(), |a| a.start);
        let next_heading = heading_lines
            .iter()
            .copied()
            .find(|&h| h > start)
            .unwrap_or(doc.lines.len());
        let mut end = next_anchor
            .min(next_heading)
            .max(start + 1)
            .min(doc.lines.len());
        while end > start + 1 && doc.lines[end - 1].segs.is_empty() {
            end -= 1;
        }
        doc.anchors[k].end = end;
    }
    doc.block_starts.truncate(r.block as usize + 1);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_titles(_: NodeId) -> Option<String> {
        None
    }

    fn texts(doc: &Doc) -> Vec<String> {
        doc.lines.iter().map(DocLine::text).collect()
    }

    #[test]
    fn wraps_words_within_width_and_breaks_long_words() {
        let pieces = vec![("aaa bbb ccc dddddddddd e".to_string(), SegStyle::default())];
        let lines: Vec<String> = wrap(&pieces, 7)
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(lines, ["aaa bbb", "ccc", "ddddddd", "ddd e"]);
    }

    #[test]
    fn list_items_hang_under_their_text() {
        let md = "- one two three four\n  - nested item text\n- 3\\. numbered\n";
        let doc = render(md, 12, &no_titles);
        assert_eq!(
            texts(&doc),
            [
                "• one two",
                "  three four",
                "  ◦ nested",
                "    item",
                "    text",
                "• 3.",
                "  numbered"
            ]
        );
    }

    #[test]
    fn anchors_and_paragraph_numbers() {
        let md = "# 3.4 Title\n\n<a id=\"a3-4-1\"></a>**3.4.1** First paragraph.\n\n- item\n\n<a id=\"a3-4-2\"></a>**3.4.2** Second.\n\n### Sub\n\nTail.";
        let doc = render(md, 40, &no_titles);
        let t = texts(&doc);
        assert_eq!(t[0], "3.4 Title");
        let a1 = doc.anchor("A3.4.1".parse().unwrap()).unwrap();
        let a2 = doc.anchor("A3.4.2".parse().unwrap()).unwrap();
        assert_eq!(t[a1.start], "3.4.1 First paragraph.");
        assert_eq!(a1.end, a2.start - 1, "the list belongs to 3.4.1");
        assert_eq!(t[a2.start], "3.4.2 Second.");
        assert_eq!(a2.end, a2.start + 1, "stops before the sub-heading");
        assert!(doc.lines[a1.start].segs[0].style.para_num);
    }

    #[test]
    fn links_record_where_they_land_even_when_wrapped() {
        let md = "see [Part B, chapter 24](B24.md) and [x](A4.1.md#a4-1-11).";
        let doc = render(md, 14, &no_titles);
        assert_eq!(texts(&doc), ["see Part B,", "chapter 24 and", "x."]);
        let l = &doc.links[0];
        assert_eq!(
            l.target,
            LinkTarget::Node {
                node: Some("B24".parse().unwrap()),
                para: None
            }
        );
        assert_eq!(l.text, "Part B, chapter 24");
        assert_eq!(
            l.spots,
            [
                Spot {
                    line: 0,
                    cols: 4..11
                },
                Spot {
                    line: 1,
                    cols: 0..10
                }
            ]
        );
        assert_eq!(
            doc.links[1].target,
            LinkTarget::Node {
                node: Some("A4.1".parse().unwrap()),
                para: Some("A4.1.11".parse().unwrap())
            }
        );
    }

    #[test]
    fn stale_citations_carry_a_note() {
        let md = "see [Part B, chapter 37, Historical abuse](B36.md \"cited as chapter 37; the title matches B36 Historical Abuse\").";
        let titles = |id: NodeId| (id.to_string() == "B36").then(|| "Historical Abuse".to_string());
        let doc = render(md, 200, &titles);
        let l = &doc.links[0];
        assert_eq!(
            l.stale.as_deref(),
            Some("cited as chapter 37 → B36 Historical Abuse")
        );
        assert!(texts(&doc)[0].contains("[⚠ cited as chapter 37 → B36 Historical Abuse]"));
        // The cite module's wording: the "(now …)" aside is for the status line.
        let md = "[Part B, chapter 37](B36.md \"cited as B37 (now Children Visiting Custodial Settings); the title matches B36 Historical Abuse\")";
        let doc = render(md, 200, &titles);
        assert_eq!(
            doc.links[0].stale.as_deref(),
            Some("cited as B37 (now Children Visiting Custodial Settings) → B36 Historical Abuse")
        );
        assert_eq!(
            texts(&doc)[0],
            "Part B, chapter 37 [⚠ cited as B37 → B36 Historical Abuse]"
        );
    }

    #[test]
    fn tables_fit_the_width() {
        let md =
            "| Acronym | Meaning |\n| --- | --- |\n| LADO | Local Authority Designated Officer |\n";
        let doc = render(md, 30, &no_titles);
        for l in &doc.lines {
            assert!(l.width() <= 30, "{:?}", l.text());
        }
        assert!(texts(&doc)[0].starts_with("Acronym │ Meaning"));
    }

    #[test]
    fn renders_the_real_a3_4() {
        let lib = crate::store::library::Library::embedded();
        let node: NodeId = "A3.4".parse().unwrap();
        let body = lib.body(node).unwrap();
        let titles = |id: NodeId| lib.meta(id).map(|m| m.title.clone());
        for width in [40usize, 77, 120] {
            let doc = render(body, width, &titles);
            let t = texts(&doc);
            assert_eq!(t[0], "3.4 Strategy meeting/discussion");
            for l in &t {
                assert!(str_width(l) <= width, "{width}: {l:?}");
            }
            // Every numbered paragraph of the section has its first line.
            let meta = lib.meta(node).unwrap();
            assert_eq!(doc.anchors.len(), meta.paragraphs.len());
            for (a, id) in doc.anchors.iter().zip(&meta.paragraphs) {
                assert_eq!(a.id, *id);
                assert!(
                    t[a.start].starts_with(&id.number()),
                    "{id} at {:?}",
                    t[a.start]
                );
                assert!(a.end > a.start);
            }
            // 3.4.2's bullets hang under their text.
            let a2 = doc.anchor("A3.4.2".parse().unwrap()).unwrap();
            let list: Vec<&String> = t[a2.start..a2.end]
                .iter()
                .skip_while(|l| !l.is_empty())
                .skip(1)
                .collect();
            assert!(list.len() >= 8, "{list:?}");
            assert!(
                list.iter()
                    .all(|l| l.starts_with("• ") || l.starts_with("  ")),
                "{list:?}"
            );
            // Links (if the content has any) sit where their text is.
            for link in &doc.links {
                for s in &link.spots {
                    let line = &t[s.line];
                    let shown: String =
                        line.chars().skip(s.cols.start).take(s.cols.len()).collect();
                    assert!(!shown.trim().is_empty());
                }
            }
        }
    }

    #[test]
    fn chapter_contents_are_links_to_the_sections() {
        let md = "# 24. Title\n\n## Sections\n\n- [24.1 Introduction](B24.1.md)\n- [24.2 Legislation](B24.2.md)\n";
        let doc = render(md, 60, &no_titles);
        assert_eq!(
            texts(&doc),
            [
                "24. Title",
                "",
                "Sections",
                "",
                "• 24.1 Introduction",
                "• 24.2 Legislation"
            ]
        );
        assert_eq!(doc.links.len(), 2);
        assert_eq!(
            doc.links[1].spots,
            [Spot {
                line: 5,
                cols: 2..18
            }]
        );
    }

    #[test]
    fn external_and_odd_hrefs() {
        assert_eq!(
            parse_href("http://x.org"),
            LinkTarget::External("http://x.org".into())
        );
        assert_eq!(
            parse_href("#a3-4-5"),
            LinkTarget::Node {
                node: None,
                para: Some("A3.4.5".parse().unwrap())
            }
        );
        assert_eq!(
            parse_href("part-B3.md"),
            LinkTarget::Node {
                node: Some(NodeId::Group(3)),
                para: None
            }
        );
        assert!(matches!(parse_href("notes.txt"), LinkTarget::External(_)));
    }

    #[test]
    fn control_characters_never_reach_the_screen() {
        let doc = render("bad \u{1b}[31m text \u{7}", 40, &no_titles);
        assert!(!texts(&doc).concat().chars().any(char::is_control));
    }

    #[test]
    fn any_width_renders_without_panicking() {
        let md = "# T\n\n<a id=\"a1-1-1\"></a>**1.1.1** 漢字 wide [link](B1.md) text\n\n| a | b |\n| --- | --- |\n| c | d |\n";
        for w in 0..30 {
            let doc = render(md, w, &no_titles);
            for l in &doc.lines {
                assert!(l.width() <= w.max(2), "width {w}: {:?}", l.text());
            }
        }
    }
}
