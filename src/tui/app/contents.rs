//! The contents tree: its shape, which entries are open, and moving
//! through it.

use super::Focus;
use crate::manual::ids::NodeId;
use crate::store::library::Library;
use crate::tui::App;
use crate::tui::layout::{self};

/// The contents tree's shape (computed once) and state.
pub struct Tree {
    pub parent: Vec<Option<usize>>,
    pub depth: Vec<usize>,
    pub has_children: Vec<bool>,
    pub expanded: Vec<bool>,
    /// Visible rows: indices into `lib.metas`.
    pub rows: Vec<usize>,
    /// Selected row (index into `rows`).
    pub selected: usize,
    pub offset: usize,
}

impl Tree {
    pub(super) fn new(lib: &Library) -> Tree {
        let n = lib.metas.len();
        // Parents come before children in reading order; a manifest that
        // says otherwise (edited by hand) gets no parent there, so that no
        // walk up the tree can go round in a circle.
        let parent: Vec<Option<usize>> = lib
            .metas
            .iter()
            .enumerate()
            .map(|(i, m)| m.parent.and_then(|p| lib.index_of(p)).filter(|&p| p < i))
            .collect();
        let mut depth = vec![0usize; n];
        let mut has_children = vec![false; n];
        for i in 0..n {
            if let Some(p) = parent[i] {
                has_children[p] = true;
                // Parents come before children in reading order.
                depth[i] = if p < i { depth[p] + 1 } else { 1 };
            }
        }
        let expanded = lib
            .metas
            .iter()
            .map(|m| matches!(m.id, NodeId::Part(_) | NodeId::Group(_)))
            .collect();
        let mut t = Tree {
            parent,
            depth,
            has_children,
            expanded,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
        };
        t.refresh(None);
        t
    }

    /// Recomputes the visible rows, keeping `keep` (a meta index) selected.
    pub(super) fn refresh(&mut self, keep: Option<usize>) {
        let keep = keep.or_else(|| self.rows.get(self.selected).copied());
        self.rows.clear();
        let mut hidden_below: Option<usize> = None;
        for i in 0..self.parent.len() {
            if hidden_below.is_some_and(|d| self.depth[i] > d) {
                continue;
            }
            hidden_below = None;
            self.rows.push(i);
            if self.has_children[i] && !self.expanded[i] {
                hidden_below = Some(self.depth[i]);
            }
        }
        if let Some(r) = keep.and_then(|k| self.rows.iter().position(|&x| x == k)) {
            self.selected = r;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    pub(super) fn reveal(&mut self, node: usize) {
        let mut p = self.parent.get(node).copied().flatten();
        while let Some(i) = p {
            self.expanded[i] = true;
            p = self.parent[i];
        }
        self.refresh(Some(node));
    }

    pub fn selected_node(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }
}

impl App<'_> {
    pub(super) fn keep_tree_selection_visible(&mut self) {
        let h = self.areas().tree.map_or(1, |r| r.height as usize).max(1);
        let t = &mut self.tree;
        if t.selected < t.offset {
            t.offset = t.selected;
        } else if t.selected >= t.offset + h {
            t.offset = t.selected + 1 - h;
        }
        t.offset = t.offset.min(t.rows.len().saturating_sub(h));
    }

    pub(super) fn toggle_tree_show(&mut self) {
        self.show_tree = true;
        if layout::layout(self.width, self.height, true).tree.is_some() {
            self.focus = Focus::Tree;
            self.tree.reveal(self.reader.node);
        } else {
            self.info("The window is too narrow for the contents (60 columns needed)");
        }
    }

    pub(super) fn tree_select(&mut self, row: isize) {
        let last = self.tree.rows.len().saturating_sub(1) as isize;
        self.tree.selected = row.clamp(0, last.max(0)) as usize;
        self.keep_tree_selection_visible();
    }
}

#[cfg(test)]
mod tests {
    use crate::store::library::Library;
    use crate::tui::app::App;
    use crate::tui::store::Saved;

    /// Found by fuzzing the manifest: a node that is its own parent (or
    /// a later node's child) hung the reader as it opened.
    #[test]
    fn a_parent_loop_in_a_manifest_does_not_hang_the_reader() {
        let mut lib = Library::embedded();
        let first = lib.metas[0].id;
        lib.metas[0].parent = Some(first);
        lib.metas[1].parent = Some(lib.metas[5].id);
        let app = App::new(&lib, &Saved::default(), None);
        assert_eq!(app.tree.parent[0], None);
        assert_eq!(app.tree.parent[1], None);
        assert!(app.tree.parent[5].is_some());
    }
}
