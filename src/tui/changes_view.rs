//! Drawing what changed since the previous edition: the marks in the
//! contents tree and the window showing one section's changes (removed
//! words struck through in red, added ones underlined in green, each also
//! bracketed, `[-…-]` and `{+…+}`, for screens without colour).
//!
//! Like [`super::view`], it reads the state and never changes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Mark, Overlay, changes_summary};
use super::layout::centered;
use super::markdown::{self, SegStyle};
use crate::edition::Status;
use crate::edition::words::Piece;
use crate::text::markup::terminal_safe;

const ADDED: Color = Color::Green;
const REMOVED: Color = Color::Red;
const MARKED: Color = Color::Yellow;

/// The two columns before a contents entry's title when the build records
/// an earlier edition: `+` new, `•` changed or renumbered, `◦` something
/// inside changed; blank otherwise. `None` when there is nothing to mark.
pub fn tree_mark(app: &App, i: usize) -> Option<Span<'static>> {
    let c = app.changes.as_ref()?;
    let (glyph, style) = match c.marks.get(i).copied().flatten() {
        Some(Mark::Own(Status::Added)) => ("+ ", Style::default().fg(ADDED)),
        Some(Mark::Own(_)) => ("• ", Style::default().fg(MARKED)),
        Some(Mark::Within) => (
            "◦ ",
            Style::default().fg(MARKED).add_modifier(Modifier::DIM),
        ),
        None => ("  ", Style::default()),
    };
    Some(Span::styled(glyph, style))
}

/// The window with one section's changes, over the reader.
pub fn draw_diff(frame: &mut Frame, app: &App, body: Rect) {
    let (Overlay::Diff(d), Some(c)) = (&app.overlay, &app.changes) else {
        return;
    };
    let Some(e) = c.entries.get(d.entry) else {
        return;
    };
    let w = body.width.saturating_sub(4).min(100);
    let width = w.saturating_sub(2).max(1) as usize;
    let lines = diff_lines(e, &c.since, width);
    // As tall as what it shows, up to the whole body.
    let h = (lines.len() as u16).saturating_add(2).min(body.height);
    let r = centered(body, w, h);
    frame.render_widget(Clear, r);
    let title = format!(
        " What changed in {} since {} (Esc closes, w lists all) ",
        e.id(),
        c.since
    );
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        terminal_safe(&title).into_owned(),
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let scroll = d.scroll.min(lines.len().saturating_sub(1));
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// The window's lines: the section, what happened, and its words.
fn diff_lines(e: &crate::edition::Entry, since: &str, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = vec![
        Line::styled(
            terminal_safe(&format!("{} {}", e.id(), e.title)).into_owned(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Line::raw(terminal_safe(&changes_summary(e, since)).into_owned()),
    ];
    if let Some(t) = &e.old_title {
        lines.push(Line::raw(format!("Title was: {}", terminal_safe(t))));
    }
    lines.push(Line::raw(""));
    lines.extend(word_lines(&e.words.pieces, width));
    if e.words.pieces.is_empty() {
        let what = match e.status {
            Status::Added => "The whole section is new.",
            Status::Removed => "The section was removed.",
            _ => "Its text is unchanged.",
        };
        lines.push(Line::styled(
            what,
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    lines
}

/// The word diff wrapped to `width`: each change bracketed and coloured.
fn word_lines(pieces: &[Piece], width: usize) -> Vec<Line<'static>> {
    // Carried through wrapping as styles: italic = removed, bold = added.
    let removed = SegStyle {
        italic: true,
        ..SegStyle::default()
    };
    let added = SegStyle {
        bold: true,
        ..SegStyle::default()
    };
    let plain = SegStyle::default();
    let mut parts: Vec<(String, SegStyle)> = Vec::new();
    for p in pieces {
        let (text, style) = match p {
            Piece::Same(t) => (t.clone(), plain),
            Piece::Gap => ("…".to_string(), plain),
            Piece::Removed(t) => (format!("[-{t}-]"), removed),
            Piece::Added(t) => (format!("{{+{t}+}}"), added),
        };
        parts.push((terminal_safe(&text).into_owned() + " ", style));
    }
    markdown::wrap(&parts, width)
        .into_iter()
        .map(|segs| {
            Line::from(
                segs.into_iter()
                    .map(|s| {
                        let st = if s.style.italic {
                            Style::default()
                                .fg(REMOVED)
                                .add_modifier(Modifier::CROSSED_OUT)
                        } else if s.style.bold {
                            Style::default()
                                .fg(ADDED)
                                .add_modifier(Modifier::UNDERLINED)
                        } else {
                            Style::default()
                        };
                        Span::styled(s.text, st)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}
