//! Drawing: `draw(frame, &App)` and the layout it uses.
//!
//! Nothing here changes state or decides anything; it turns the [`App`] into
//! cells. [`layout`] is shared with `update` (paging and mouse clicks need
//! the same geometry). Every size works, down to 1×1: rectangles are
//! clamped to the frame, and below a usable size the screen is one line
//! saying so.

mod pick;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::search::Hit;
use crate::store::content::display_title;
use crate::text::markup::terminal_safe;

use super::app::{App, Focus, Input, ListKind, Overlay, RESULT_ROWS};
use super::keys;
use super::layout::{Areas, centered, layout, list_layout};
use super::markdown::{self, Doc, SegStyle, str_width};

// The palette: colours that read on dark and light backgrounds.
pub(super) const ACCENT: Color = Color::Cyan;
const LINK: Color = Color::Blue;
const STALE: Color = Color::Yellow;

fn seg_style(s: SegStyle, doc: &Doc) -> Style {
    let mut st = Style::default();
    if s.bold {
        st = st.add_modifier(Modifier::BOLD);
    }
    if s.italic {
        st = st.add_modifier(Modifier::ITALIC);
    }
    match s.heading {
        1 => st = st.fg(ACCENT).add_modifier(Modifier::BOLD),
        2 => st = st.fg(ACCENT),
        3 => st = st.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        _ => {}
    }
    if s.para_num {
        st = st.fg(ACCENT);
    }
    if s.dim {
        st = st.add_modifier(Modifier::DIM);
    }
    if let Some(i) = s.link {
        let stale = doc.links.get(i as usize).is_some_and(|l| l.stale.is_some());
        st = st
            .fg(if stale { STALE } else { LINK })
            .add_modifier(Modifier::UNDERLINED);
        if s.note {
            st = st
                .remove_modifier(Modifier::UNDERLINED)
                .add_modifier(Modifier::ITALIC);
        }
    }
    st
}

/// Draws the whole screen from the state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let a = layout(area.width, area.height, app.show_tree);
    if a.too_small {
        // The longest message that fits.
        let msg = [
            "Window too small for setproc: make it at least 20×5",
            "Window too small (20×5 needed)",
            "Too small",
            "…",
        ]
        .into_iter()
        .find(|m| str_width(m) <= area.width as usize)
        .unwrap_or("");
        let row = Rect::new(area.x, area.y, area.width, area.height.min(1));
        frame.render_widget(Line::from(msg), row);
        return;
    }
    draw_search_bar(frame, app, a.search);
    if let Some(t) = a.tree {
        draw_tree(frame, app, t);
        let border = Rect::new(t.x + t.width, t.y, 1, t.height);
        frame.render_widget(
            Block::default()
                .borders(Borders::RIGHT)
                .border_style(Style::default().add_modifier(Modifier::DIM)),
            border,
        );
    }
    if app.showing_results() {
        draw_results(frame, app, a.main);
    } else {
        draw_reader(frame, app, &a);
    }
    draw_status(frame, app, a.status);
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => draw_help(frame, a.body, *scroll),
        Overlay::GoTo(_) => draw_goto(frame, app, a.body),
        Overlay::List(_) => draw_list(frame, app, a.body),
        Overlay::Pick(_) => pick::draw_pick(frame, app, a.body),
        Overlay::Diff(_) => super::changes_view::draw_diff(frame, app, a.body),
    }
}

fn draw_search_bar(frame: &mut Frame, app: &App, r: Rect) {
    let input = &app.search.input;
    let focused = app.focus == Focus::Search && app.overlay == Overlay::None;
    let label = Span::styled(
        " Search: ",
        Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
    );
    let mut spans = vec![label];
    let query = terminal_safe(&input.text).into_owned();
    if focused {
        let style = if input.replace {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        spans.push(Span::styled(query.clone(), style));
        let before = query.get(..input.cursor).map_or(0, str_width);
        let x = (r.x as usize + 9 + before).min(u16::MAX as usize) as u16;
        if x < r.x + r.width {
            frame.set_cursor_position((x, r.y));
        }
    } else if query.is_empty() {
        let hint = if app.has_search() {
            "press / to search, g to go to a number, ? for all keys"
        } else {
            "opening the search index…"
        };
        spans.push(Span::styled(
            hint,
            Style::default().add_modifier(Modifier::DIM),
        ));
    } else {
        spans.push(Span::styled(
            query,
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    let used: usize = spans.iter().map(|s| str_width(&s.content)).sum();
    let title = edition_titles(app)
        .into_iter()
        .find(|t| used + str_width(t) + 2 <= r.width as usize);
    if let Some(title) = title {
        let pad = r.width as usize - used - str_width(&title);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(
            title,
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    frame.render_widget(Line::from(spans), r);
}

/// The header's right end, longest first: the edition read, its hash
/// telling two printings of one month apart.
fn edition_titles(app: &App) -> Vec<String> {
    let e = &app.lib.edition;
    let date = terminal_safe(e.label()).into_owned();
    let h = e.short_hash();
    if h.is_empty() {
        return vec![format!("SET Procedures ({date}) "), format!("{date} ")];
    }
    vec![
        format!("SET Procedures ({date} edition, {h}) "),
        format!("{date} edition · {h} "),
        format!("{date} · {h} "),
        format!("{date} "),
    ]
}

fn draw_tree(frame: &mut Frame, app: &App, r: Rect) {
    let t = &app.tree;
    let focused = app.focus == Focus::Tree && app.overlay == Overlay::None;
    for (row, &i) in t
        .rows
        .iter()
        .enumerate()
        .skip(t.offset)
        .take(r.height as usize)
    {
        let m = &app.lib.metas[i];
        let indent = "  ".repeat(t.depth[i]);
        let arrow = match (t.has_children[i], t.expanded[i]) {
            (true, true) => "▾ ",
            (true, false) => "▸ ",
            _ => "  ",
        };
        let label = terminal_safe(&display_title(m.id, &m.title)).into_owned();
        let mut style = Style::default();
        if i == app.reader.node {
            style = style.fg(ACCENT).add_modifier(Modifier::BOLD);
        }
        if row == t.selected {
            style = if focused {
                style.add_modifier(Modifier::REVERSED)
            } else {
                style.add_modifier(Modifier::UNDERLINED)
            };
        }
        let mut spans = vec![
            Span::raw(indent),
            Span::styled(arrow, Style::default().add_modifier(Modifier::DIM)),
        ];
        // Changed since the previous edition, when the build says.
        spans.extend(super::changes_view::tree_mark(app, i));
        spans.push(Span::styled(label, style));
        let line = Line::from(spans);
        let y = r.y + (row - t.offset) as u16;
        frame.render_widget(line, Rect::new(r.x, y, r.width, 1));
    }
}

fn draw_reader(frame: &mut Frame, app: &App, a: &Areas) {
    let rd = &app.reader;
    let doc = &rd.doc;
    let para = rd.para.and_then(|p| doc.anchor(p)).map(|x| x.start..x.end);
    let link = rd.link.and_then(|i| doc.links.get(i));
    let gutter = Style::default().fg(STALE);
    for k in 0..a.text.height as usize {
        let i = rd.scroll + k;
        let Some(line) = doc.lines.get(i) else {
            break;
        };
        let y = a.text.y + k as u16;
        if para.as_ref().is_some_and(|p| p.contains(&i)) {
            frame.render_widget(Span::styled("▌", gutter), Rect::new(a.main.x, y, 1, 1));
        }
        let selected: Vec<std::ops::Range<usize>> = link
            .map(|l| {
                l.spots
                    .iter()
                    .filter(|s| s.line == i)
                    .map(|s| s.cols.clone())
                    .collect()
            })
            .unwrap_or_default();
        let marks: Vec<(std::ops::Range<usize>, bool)> = rd
            .matches
            .iter()
            .enumerate()
            .filter(|(_, m)| m.line == i)
            .map(|(n, m)| (m.cols.clone(), Some(n) == rd.current_match))
            .collect();
        let spans = styled_line(line, doc, &selected, &marks);
        frame.render_widget(Line::from(spans), Rect::new(a.text.x, y, a.text.width, 1));
    }
}

/// A document line as spans, with the selected link and search matches
/// laid over the base styles.
fn styled_line(
    line: &markdown::DocLine,
    doc: &Doc,
    selected: &[std::ops::Range<usize>],
    marks: &[(std::ops::Range<usize>, bool)],
) -> Vec<Span<'static>> {
    if selected.is_empty() && marks.is_empty() {
        return line
            .segs
            .iter()
            .map(|s| Span::styled(s.text.clone(), seg_style(s.style, doc)))
            .collect();
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut buf = String::new();
    let mut cur: Option<Style> = None;
    let mut col = 0usize;
    for seg in &line.segs {
        let base = seg_style(seg.style, doc);
        for c in seg.text.chars() {
            let mut st = base;
            if let Some((_, current)) = marks.iter().find(|(r, _)| r.contains(&col)) {
                st = st
                    .bg(if *current {
                        Color::LightRed
                    } else {
                        Color::Yellow
                    })
                    .fg(Color::Black);
            }
            if selected.iter().any(|r| r.contains(&col)) {
                st = st.add_modifier(Modifier::REVERSED);
            }
            if cur != Some(st) {
                if let Some(s) = cur {
                    spans.push(Span::styled(std::mem::take(&mut buf), s));
                }
                cur = Some(st);
            }
            buf.push(c);
            col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    if let Some(s) = cur {
        spans.push(Span::styled(buf, s));
    }
    spans
}

fn draw_results(frame: &mut Frame, app: &App, r: Rect) {
    let s = &app.search;
    let x = r.x + 1;
    let w = r.width.saturating_sub(2);
    if s.results.is_empty() {
        let msg = match (&app.search_note, app.has_search()) {
            (Some(note), _) => note.clone(),
            (None, false) => "The search index is still opening…".to_string(),
            (None, true) => format!("No results for “{}”", terminal_safe(s.input.text.trim())),
        };
        frame.render_widget(Line::from(msg), Rect::new(x, r.y, w, 1.min(r.height)));
        return;
    }
    let rows = (r.height as usize / RESULT_ROWS).max(1);
    for (k, hit) in s.results.iter().enumerate().skip(s.offset).take(rows) {
        let y = r.y + ((k - s.offset) * RESULT_ROWS) as u16;
        if y >= r.y + r.height {
            break;
        }
        let selected = k == s.selected;
        frame.render_widget(result_head(app, hit, selected), Rect::new(x, y, w, 1));
        // The snippet, wrapped to two lines, matches marked.
        let pieces = snippet_pieces(hit);
        let indent = 9u16;
        let sw = w.saturating_sub(indent).max(1) as usize;
        for (n, segs) in markdown::wrap(&pieces, sw)
            .into_iter()
            .take(RESULT_ROWS - 2)
            .enumerate()
        {
            let yy = y + 1 + n as u16;
            if yy >= r.y + r.height {
                break;
            }
            let spans: Vec<Span> = segs
                .into_iter()
                .map(|sg| {
                    let st = if sg.style.bold {
                        Style::default().bg(Color::Yellow).fg(Color::Black)
                    } else {
                        Style::default()
                    };
                    Span::styled(sg.text, st)
                })
                .collect();
            frame.render_widget(
                Line::from(spans),
                Rect::new(x + indent.min(w), yy, sw as u16, 1),
            );
        }
    }
}

/// A result's first line: id, title, paragraph and breadcrumb.
fn result_head(app: &App, hit: &Hit, selected: bool) -> Line<'static> {
    let title = app
        .lib
        .meta(hit.id)
        .map(|m| m.title.clone())
        .unwrap_or_else(|| hit.title.clone());
    let mut head = vec![
        Span::styled(
            if selected { "▶ " } else { "  " },
            Style::default().fg(ACCENT),
        ),
        Span::styled(
            format!("{:<7}", hit.id.to_string()),
            Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            terminal_safe(&title).into_owned(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
    ];
    if let Some(p) = hit.paragraph {
        head.push(Span::styled(
            format!("  ¶ {p}"),
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    head.push(Span::styled(
        format!("  {}", terminal_safe(&hit.breadcrumb)),
        Style::default().add_modifier(Modifier::DIM),
    ));
    let head_style = if selected {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
    };
    Line::from(head).style(head_style)
}

/// A result's snippet as pieces for wrapping, the matched words marked.
fn snippet_pieces(hit: &Hit) -> Vec<(String, SegStyle)> {
    let mark = SegStyle {
        bold: true,
        ..SegStyle::default()
    };
    let mut pieces: Vec<(String, SegStyle)> = Vec::new();
    let mut pos = 0;
    for &(a, b) in &hit.highlights {
        if a < pos
            || b > hit.snippet.len()
            || !hit.snippet.is_char_boundary(a)
            || !hit.snippet.is_char_boundary(b)
        {
            continue;
        }
        pieces.push((
            terminal_safe(&hit.snippet[pos..a]).into_owned(),
            SegStyle::default(),
        ));
        pieces.push((terminal_safe(&hit.snippet[a..b]).into_owned(), mark));
        pos = b;
    }
    pieces.push((
        terminal_safe(&hit.snippet[pos.min(hit.snippet.len())..]).into_owned(),
        SegStyle::default(),
    ));
    pieces
}

fn draw_status(frame: &mut Frame, app: &App, r: Rect) {
    let bar = Style::default().add_modifier(Modifier::REVERSED);
    let i = app.reader.node;
    let m = &app.lib.metas[i];
    let (id, title) = app.node_label(i);
    let mut left = match m.id {
        crate::manual::ids::NodeId::Section(_) => format!(" {id}  {}", terminal_safe(&title)),
        // Parts and groupings: the title says it all.
        _ => format!(" {}", terminal_safe(&title)),
    };
    if let Some(p) = app.reader.para {
        left.push_str(&format!("  ¶ {p}"));
    }
    if let Some(p) = m.page {
        left.push_str(&format!("  p. {p}"));
    }
    let crumbs = &m.breadcrumb[..m.breadcrumb.len().saturating_sub(1)];
    if !crumbs.is_empty() {
        left.push_str(&format!("  ·  {}", terminal_safe(&crumbs.join(" › "))));
    }
    let doc = &app.reader.doc;
    let pos = if doc.lines.len() <= app.areas().text.height as usize {
        "All".to_string()
    } else if app.reader.scroll == 0 {
        "Top".to_string()
    } else if app.reader.scroll + app.areas().text.height as usize >= doc.lines.len() {
        "End".to_string()
    } else {
        format!("{}%", app.reader.scroll * 100 / doc.lines.len().max(1))
    };
    let star = if app.bookmarks.contains(&m.id) {
        "★ "
    } else {
        ""
    };
    let right = format!(" {star}{pos} ");
    let lw = (r.width as usize).saturating_sub(str_width(&right));
    let left = truncate(&left, lw);
    let pad = lw.saturating_sub(str_width(&left));
    let line1 = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(right),
    ])
    .style(bar);
    // The message or key hints: on the second line, or instead of the
    // first when there is only one.
    let line2 = match &app.message {
        Some(msg) => {
            let st = if msg.error {
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
            } else {
                Style::default().fg(STALE)
            };
            Line::from(Span::styled(format!(" {}", terminal_safe(&msg.text)), st))
        }
        None => {
            let mut spans = Vec::new();
            for (k, label) in keys::hints(app.mode()) {
                spans.push(Span::styled(
                    format!(" {k}"),
                    Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
                ));
                spans.push(Span::raw(format!(" {label} ")));
            }
            Line::from(spans)
        }
    };
    if r.height >= 2 {
        frame.render_widget(line1, Rect::new(r.x, r.y, r.width, 1));
        frame.render_widget(line2, Rect::new(r.x, r.y + 1, r.width, 1));
    } else if app.message.is_some() {
        frame.render_widget(line2, r);
    } else {
        frame.render_widget(line1, r);
    }
}

/// `s` cut to `w` columns, with an ellipsis if cut.
fn truncate(s: &str, w: usize) -> String {
    if str_width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    if w > 0 {
        out.push('…');
    }
    out
}

pub(super) fn popup(frame: &mut Frame, r: Rect, title: &str) -> Rect {
    frame.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {title} "),
        Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

fn draw_help(frame: &mut Frame, body: Rect, scroll: usize) {
    let r = centered(body, 96, body.height);
    let inner = popup(frame, r, "Keys (Esc closes)");
    let mut lines: Vec<Line> = Vec::new();
    for (heading, keys, desc) in keys::help_lines() {
        match heading {
            Some(h) => {
                if !lines.is_empty() {
                    lines.push(Line::raw(""));
                }
                lines.push(Line::styled(
                    h,
                    Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
                ));
            }
            None => lines.push(Line::from(vec![
                Span::styled(
                    format!("  {keys:<22}"),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(desc),
            ])),
        }
    }
    let scroll = scroll.min(lines.len().saturating_sub(1));
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// A prompt's line of input ("> text") on the first row of `inner`, with
/// the cursor.
pub(super) fn draw_prompt(frame: &mut Frame, input: &Input, inner: Rect) {
    let text = terminal_safe(&input.text).into_owned();
    frame.render_widget(
        Line::from(vec![
            Span::styled("> ", Style::default().fg(ACCENT)),
            Span::raw(text.clone()),
        ]),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let before = text.get(..input.cursor).map_or(0, str_width);
    let cx = (inner.x as usize + 2 + before).min(u16::MAX as usize) as u16;
    if cx < inner.x + inner.width {
        frame.set_cursor_position((cx, inner.y));
    }
}

fn draw_goto(frame: &mut Frame, app: &App, body: Rect) {
    let Overlay::GoTo(g) = &app.overlay else {
        return;
    };
    let h = (g.candidates.len() as u16 + 3).min(body.height);
    let r = centered(body, body.width.saturating_sub(4).min(80), h);
    let inner = popup(
        frame,
        r,
        "Go to: an id (B24.8, A3.4.22), a citation or a title",
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    draw_prompt(frame, &g.input, inner);
    for (k, c) in g.candidates.iter().enumerate() {
        let y = inner.y + 1 + k as u16;
        if y >= inner.y + inner.height {
            break;
        }
        let st = if g.selected == Some(k) {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        let line = Line::from(vec![
            Span::styled(
                format!("  {:<10}", c.id),
                Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
            ),
            Span::raw(terminal_safe(&c.title).into_owned()),
        ])
        .style(st);
        frame.render_widget(line, Rect::new(inner.x, y, inner.width, 1));
    }
}

fn draw_list(frame: &mut Frame, app: &App, body: Rect) {
    let Overlay::List(list) = &app.overlay else {
        return;
    };
    let (r, _, offset) = list_layout(body, list.items.len(), list.selected);
    let title = match list.kind {
        ListKind::Bookmarks => "Bookmarks (Enter opens, d removes)".to_string(),
        ListKind::Incoming(id) => format!("Sections citing {id} (Enter opens)"),
        ListKind::Changes => match &app.changes {
            Some(c) => format!(
                "What changed since {} (Enter opens with the changes)",
                c.since
            ),
            None => "What changed".to_string(),
        },
    };
    let inner = popup(frame, r, &title);
    let rows = (inner.height as usize / 2).max(1);
    for (k, item) in list.items.iter().enumerate().skip(offset).take(rows) {
        let entry = Entry {
            key: &format!("{:<8}", item.id),
            title: &item.title,
            detail: &format!("         {}", item.detail),
            selected: k == list.selected,
        };
        draw_entry(frame, inner, inner.y + ((k - offset) * 2) as u16, &entry);
    }
}

/// An entry of a list window, as drawn.
pub(super) struct Entry<'a> {
    /// The left column, padded.
    pub key: &'a str,
    pub title: &'a str,
    /// The second row, indented.
    pub detail: &'a str,
    pub selected: bool,
}

/// An entry on row `y` of `area`: its key and title (reversed when
/// selected), and its detail dimmed on the row below when there is room.
pub(super) fn draw_entry(frame: &mut Frame, area: Rect, y: u16, e: &Entry) {
    if y >= area.y + area.height {
        return;
    }
    let st = if e.selected {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(
                format!(" {}", terminal_safe(e.key)),
                Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
            ),
            Span::raw(terminal_safe(e.title).into_owned()),
        ])
        .style(st),
        Rect::new(area.x, y, area.width, 1),
    );
    if y + 1 < area.y + area.height {
        frame.render_widget(
            Line::styled(
                format!(" {}", terminal_safe(e.detail)),
                Style::default().add_modifier(Modifier::DIM),
            ),
            Rect::new(area.x, y + 1, area.width, 1),
        );
    }
}
