//! The mouse: clicks on entries, results and links, and the wheel.

use ratatui::layout::Rect;

use super::{Focus, Overlay, RESULT_ROWS};
use crate::tui::App;
use crate::tui::action::Action;
use crate::tui::layout::{self};

impl App<'_> {
    pub(super) fn click(&mut self, col: u16, row: u16) {
        let a = self.areas();
        let inside = |r: Rect| {
            col >= r.x
                && col < r.x.saturating_add(r.width)
                && row >= r.y
                && row < r.y.saturating_add(r.height)
        };
        if !matches!(self.overlay, Overlay::None) {
            self.click_window(a.body, row, &inside);
            return;
        }
        if inside(a.search) {
            self.update_main(Action::FocusSearch);
            return;
        }
        if let Some(t) = a.tree.filter(|t| inside(*t)) {
            let r = self.tree.offset + (row - t.y) as usize;
            if r < self.tree.rows.len() {
                let i = self.tree.rows[r];
                self.tree.selected = r;
                self.focus = Focus::Tree;
                let depth = self.tree.depth[i] as u16;
                // The ▸/▾ arrow toggles; the title opens.
                let arrow = t.x + 2 * depth;
                if self.tree.has_children[i] && col <= arrow + 1 {
                    self.tree.expanded[i] = !self.tree.expanded[i];
                    self.tree.refresh(Some(i));
                } else {
                    self.navigate(i, None);
                }
            }
            return;
        }
        if inside(a.main) {
            if self.showing_results() {
                let k = self.search.offset + ((row - a.main.y) as usize / RESULT_ROWS);
                if k < self.search.results.len() {
                    self.search.selected = k;
                    self.open_result(k);
                }
                return;
            }
            self.focus = Focus::Reader;
            if inside(a.text) {
                let line = self.reader.scroll + (row - a.text.y) as usize;
                let c = (col - a.text.x) as usize;
                let hit = self.reader.doc.links.iter().position(|l| {
                    l.spots
                        .iter()
                        .any(|s| s.line == line && s.cols.contains(&c))
                });
                if let Some(i) = hit {
                    self.reader.link = Some(i);
                    self.follow_link();
                }
            }
        }
    }

    /// A click while a window is open: on a list's entry it opens that
    /// entry; outside the window it closes it (as anywhere in the others).
    fn click_window(&mut self, body: Rect, row: u16, inside: &dyn Fn(Rect) -> bool) {
        match &self.overlay {
            Overlay::List(list) => {
                let (r, inner, offset) = layout::list_layout(body, list.items.len(), list.selected);
                if inside(inner) {
                    let k = offset + ((row - inner.y) / 2) as usize;
                    if k < list.items.len() {
                        if let Overlay::List(l) = &mut self.overlay {
                            l.selected = k;
                        }
                        self.open_list_item();
                    }
                } else if !inside(r) {
                    self.overlay = Overlay::None;
                }
            }
            Overlay::Pick(pick) => {
                let (r, _, list, offset) = layout::pick_layout(body, pick.selected);
                if inside(list) {
                    let k = offset + ((row - list.y) / 2) as usize;
                    if k < pick.shown.len() {
                        if let Overlay::Pick(p) = &mut self.overlay {
                            p.selected = k;
                        }
                        self.open_picked();
                    }
                } else if !inside(r) {
                    self.overlay = Overlay::None;
                }
            }
            _ => self.overlay = Overlay::None,
        }
    }

    pub(super) fn wheel(&mut self, col: u16, row: u16, down: bool) {
        let a = self.areas();
        let step: isize = if down { 3 } else { -3 };
        match &mut self.overlay {
            Overlay::Help { scroll } => {
                *scroll = scroll.saturating_add_signed(step);
                return;
            }
            Overlay::Diff(d) => {
                d.scroll = d.scroll.saturating_add_signed(step);
                return;
            }
            Overlay::List(l) => {
                l.selected = l
                    .selected
                    .saturating_add_signed(step.signum())
                    .min(l.items.len().saturating_sub(1));
                return;
            }
            Overlay::Pick(p) => {
                p.selected = p
                    .selected
                    .saturating_add_signed(step.signum())
                    .min(p.shown.len().saturating_sub(1));
                return;
            }
            _ => {}
        }
        let in_tree = a.tree.is_some_and(|t| {
            col >= t.x && col < t.x + t.width && row >= t.y && row < t.y + t.height
        });
        if in_tree {
            let h = a.tree.map_or(1, |t| t.height as usize);
            let max = self.tree.rows.len().saturating_sub(h);
            self.tree.offset = self.tree.offset.saturating_add_signed(step).min(max);
        } else if self.showing_results() {
            let n = self.search.results.len();
            self.search.selected = self
                .search
                .selected
                .saturating_add_signed(step.signum())
                .min(n.saturating_sub(1));
            self.keep_result_visible();
        } else {
            self.scroll_by(step);
        }
    }
}
