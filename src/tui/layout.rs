//! The screen's geometry: where the search bar, contents, reader, status
//! line and windows go for a given size. Pure, and shared by drawing
//! ([`super::view`]) and by `update` (paging and mouse clicks need the same
//! rectangles), so neither depends on the other.

use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};

/// Smallest screen with a usable layout.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// Below this width the contents tree is hidden.
pub const TREE_MIN_WIDTH: u16 = 60;

/// Where everything goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub full: Rect,
    pub too_small: bool,
    /// The search bar (top line).
    pub search: Rect,
    /// Between the search bar and the status line.
    pub body: Rect,
    /// The contents list (without its border column), if shown.
    pub tree: Option<Rect>,
    /// The reader or results pane.
    pub main: Rect,
    /// The reader's text (inside a gutter on the left and a margin on the right).
    pub text: Rect,
    pub status: Rect,
}

/// The layout for a `w`×`h` screen.
pub fn layout(w: u16, h: u16, show_tree: bool) -> Areas {
    let full = Rect::new(0, 0, w, h);
    if w < MIN_WIDTH || h < MIN_HEIGHT {
        return Areas {
            full,
            too_small: true,
            ..Areas::default()
        };
    }
    let status_h = if h >= 12 { 2 } else { 1 };
    let search = Rect::new(0, 0, w, 1);
    let body = Rect::new(0, 1, w, h - 1 - status_h);
    let status = Rect::new(0, h - status_h, w, status_h);
    let (tree, main) = if show_tree && w >= TREE_MIN_WIDTH {
        let tw = (w / 3).clamp(24, 42);
        (
            Some(Rect::new(0, body.y, tw - 1, body.height)),
            Rect::new(tw, body.y, w - tw, body.height),
        )
    } else {
        (None, body)
    };
    let text = Rect::new(
        main.x + 2,
        main.y,
        main.width.saturating_sub(3).max(1),
        main.height,
    );
    Areas {
        full,
        too_small: false,
        search,
        body,
        tree,
        main,
        text,
        status,
    }
}

/// The window of a list overlay with `n` items (two rows each).
pub fn overlay_rect(body: Rect, n: usize) -> Rect {
    let w = body.width.saturating_sub(4).min(90);
    let h = ((n * 2 + 2) as u16)
        .min(body.height.saturating_sub(2))
        .max(3.min(body.height));
    centered(body, w, h)
}

/// A list overlay's window (`items` entries, `selected` chosen), its
/// inside, and the first item shown (the selection stays in view). Shared with mouse handling.
pub fn list_layout(body: Rect, items: usize, selected: usize) -> (Rect, Rect, usize) {
    let r = overlay_rect(body, items);
    let inner = Block::default().borders(Borders::ALL).inner(r);
    let rows = (inner.height as usize / 2).max(1);
    (r, inner, selected.saturating_sub(rows - 1))
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A pick list's window (glossary, contacts, history): as tall as the
/// body allows, whatever the filter leaves; its inside; the rows of
/// entries below the input line; and the first entry shown (the selection
/// stays in view). Shared with mouse handling.
pub fn pick_layout(body: Rect, selected: usize) -> (Rect, Rect, Rect, usize) {
    let w = body.width.saturating_sub(4).min(100);
    let h = body.height.saturating_sub(2).max(3.min(body.height));
    let r = centered(body, w, h);
    let inner = Block::default().borders(Borders::ALL).inner(r);
    let list = Rect::new(
        inner.x,
        inner.y.saturating_add(1).min(inner.y + inner.height),
        inner.width,
        inner.height.saturating_sub(1),
    );
    let rows = (list.height as usize / 2).max(1);
    (r, inner, list, selected.saturating_sub(rows - 1))
}
