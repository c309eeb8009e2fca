//! Markdown (pulldown-cmark events) → a [`Doc`]: headings, paragraphs,
//! lists, tables and links laid out for one width, with where each link
//! and numbered paragraph lands.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::wrap::{HARD_BREAK, Piece, push_seg, wrap};
use super::{
    Anchor, Doc, DocLine, Link, Seg, SegStyle, Spot, parse_href, short_note, stale_note, str_width,
};
use crate::manual::ids::{NodeId, SectionId, anchor_to_id};
use crate::text::markup::terminal_safe;

/// A list being rendered: its next number (`None` for bullets).
pub(super) struct ListCtx {
    pub(super) next: Option<u64>,
    /// Hanging indent of this list's current item.
    pub(super) indent: usize,
}

/// Table being collected: rows of cells of pieces; the first row is the header.
#[derive(Default)]
pub(super) struct TableCtx {
    pub(super) rows: Vec<Vec<Vec<Piece>>>,
}

pub(super) struct Renderer<'t> {
    pub(super) width: usize,
    pub(super) titles: &'t dyn Fn(NodeId) -> Option<String>,
    pub(super) doc: Doc,
    pub(super) pieces: Vec<Piece>,
    pub(super) style_stack: Vec<SegStyle>,
    pub(super) lists: Vec<ListCtx>,
    /// Marker of a list item whose first line is not out yet.
    pub(super) item_marker: Option<String>,
    /// Hanging indent of the current list item's text.
    pub(super) item_indent: usize,
    pub(super) pending_anchor: Option<SectionId>,
    pub(super) heading_lines: Vec<usize>,
    pub(super) block: u32,
    pub(super) table: Option<TableCtx>,
    /// Index of the link being collected and its text so far.
    pub(super) link: Option<(u32, String)>,
    /// The note of the stale citation being collected, shown after it.
    pub(super) pending_stale: Option<String>,
}

impl<'t> Renderer<'t> {
    pub(super) fn style(&self) -> SegStyle {
        self.style_stack.last().copied().unwrap_or_default()
    }

    pub(super) fn push_style(&mut self, f: impl FnOnce(&mut SegStyle)) {
        let mut s = self.style();
        f(&mut s);
        self.style_stack.push(s);
    }

    pub(super) fn pop_style(&mut self) {
        self.style_stack.pop();
    }

    pub(super) fn text(&mut self, t: &str) {
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
    pub(super) fn begin_block(&mut self, blank: bool) {
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

    pub(super) fn push_line(&mut self, segs: Vec<Seg>) {
        self.doc.lines.push(DocLine {
            segs,
            block: self.block,
        });
    }

    /// Wraps the pending inline text and emits it with the current list
    /// indentation (marker on the first line, hanging indent after).
    pub(super) fn flush(&mut self) {
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

    pub(super) fn start_item(&mut self) {
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

    pub(super) fn end_table(&mut self) {
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
            self.table_as_lines(&table, dim);
        } else {
            self.table_as_grid(&table, ncols, &natural, avail, dim);
        }
    }

    fn table_as_lines(&mut self, table: &TableCtx, dim: SegStyle) {
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
    }

    /// Columns fitted to `avail`, cells wrapped in them, the header ruled off.
    fn table_as_grid(
        &mut self,
        table: &TableCtx,
        ncols: usize,
        natural: &[usize],
        avail: usize,
        dim: SegStyle,
    ) {
        let widths = fit_columns(natural, avail);
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
pub(super) fn fit_columns(natural: &[usize], avail: usize) -> Vec<usize> {
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
        pending_stale: None,
    };
    r.doc.block_starts.push(0);
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        r.event(ev);
    }
    r.flush();
    finish(r)
}

impl Renderer<'_> {
    /// One markdown event. Longer than most on purpose: one short arm per
    /// event kind, the longer ones in methods, so the whole mapping reads in
    /// one place.
    fn event(&mut self, ev: Event<'_>) {
        let r = self;
        match ev {
            Event::Start(Tag::Paragraph) => {
                if r.lists.is_empty() {
                    r.begin_block(true);
                } else {
                    r.flush();
                }
            }
            Event::End(TagEnd::Paragraph) => r.flush(),
            Event::Start(Tag::Heading { level, .. }) => r.start_heading(level),
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
            Event::End(TagEnd::Item) => r.end_item(),
            Event::Start(Tag::Strong) => r.push_style(|s| s.bold = true),
            Event::Start(Tag::Emphasis) => r.push_style(|s| s.italic = true),
            Event::End(TagEnd::Strong) | Event::End(TagEnd::Emphasis) => r.pop_style(),
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => r.start_link(&dest_url, &title),
            Event::End(TagEnd::Link) => r.end_link(),
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
            Event::Rule => r.rule(),
            _ => {}
        }
    }

    fn start_heading(&mut self, level: HeadingLevel) {
        self.begin_block(true);
        self.heading_lines.push(self.doc.lines.len());
        let h = match level {
            HeadingLevel::H1 => 1,
            HeadingLevel::H2 => 2,
            _ => 3,
        };
        self.push_style(|s| {
            s.heading = h;
            s.bold = true;
        });
    }

    fn end_item(&mut self) {
        self.flush();
        if let Some(m) = self.item_marker.take() {
            // An empty item still shows its marker.
            let pad = self.item_indent.saturating_sub(str_width(&m));
            let dim = SegStyle {
                dim: true,
                ..SegStyle::default()
            };
            self.push_line(vec![
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

    fn start_link(&mut self, dest_url: &str, title: &str) {
        let target = parse_href(dest_url);
        let idx = self.doc.links.len() as u32;
        self.pending_stale = (!title.is_empty()).then(|| stale_note(title, &target, self.titles));
        self.doc.links.push(Link {
            target,
            text: String::new(),
            stale: self.pending_stale.clone(),
            spots: Vec::new(),
        });
        self.link = Some((idx, String::new()));
        self.push_style(|s| s.link = Some(idx));
    }

    /// The link's text is known; a stale citation gets its note after it.
    fn end_link(&mut self) {
        if let Some((idx, text)) = self.link.take() {
            self.doc.links[idx as usize].text = text;
            if let Some(note) = self.pending_stale.take() {
                let style = SegStyle {
                    note: true,
                    italic: true,
                    ..self.style()
                };
                let note = format!(" [⚠ {}]", short_note(&note));
                match &mut self.table {
                    Some(t) => {
                        if let Some(cell) = t.rows.last_mut().and_then(|row| row.last_mut()) {
                            cell.push((note, style));
                        }
                    }
                    None => self.pieces.push((note, style)),
                }
            }
        }
        self.pop_style();
    }

    fn rule(&mut self) {
        self.begin_block(true);
        let rule = "─".repeat(self.width.min(40));
        self.push_line(vec![Seg {
            text: rule,
            style: SegStyle {
                dim: true,
                ..SegStyle::default()
            },
        }]);
    }
}

/// Link spots and paragraph extents, once all lines are known.
pub(super) fn finish(r: Renderer<'_>) -> Doc {
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
