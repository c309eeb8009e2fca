//! List windows: bookmarks and the sections citing this one.

use super::Overlay;
use crate::manual::ids::NodeId;
use crate::store::lookup::Target;
use crate::tui::App;
use crate::tui::action::{Action, Effect};
use crate::tui::markdown::LinkTarget;

/// What a list overlay lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bookmarks,
    /// Sections citing `NodeId`.
    Incoming(NodeId),
    /// What changed since the previous edition.
    Changes,
}

/// One entry of a list overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListState {
    pub kind: ListKind,
    pub items: Vec<ListItem>,
    pub selected: usize,
}

impl App<'_> {
    pub(super) fn toggle_bookmark(&mut self) {
        let id = self.lib.metas[self.reader.node].id;
        if let Some(k) = self.bookmarks.iter().position(|b| *b == id) {
            self.bookmarks.remove(k);
            self.info(format!("Removed the bookmark on {id}"));
        } else {
            self.bookmarks.push(id);
            self.info(format!("Bookmarked {id}: ' lists bookmarks"));
        }
        self.effects.push(Effect::SaveState);
    }

    pub(super) fn bookmark_items(&self) -> Vec<ListItem> {
        self.bookmarks
            .iter()
            .filter_map(|b| self.lib.index_of(*b))
            .map(|i| {
                let (id, title) = self.node_label(i);
                let mut detail = self.lib.metas[i].breadcrumb.join(" › ");
                // Re-attached from an older edition: say from where.
                if let Some((_, moved)) = self
                    .attached
                    .moved
                    .iter()
                    .find(|(n, _)| *n == self.lib.metas[i].id)
                {
                    detail = format!("{moved} · {detail}");
                }
                ListItem {
                    id,
                    title,
                    detail,
                    target: Target::Node(self.lib.metas[i].id),
                }
            })
            .collect()
    }

    /// Citations whose destination lies in the current node.
    pub(super) fn incoming_items(&self) -> Vec<ListItem> {
        let here = self.reader.node;
        let mut items: Vec<ListItem> = Vec::new();
        for c in &self.lib.citations {
            let Some(dest) = c.destination() else {
                continue;
            };
            let dest_node = self
                .lib
                .index_of(NodeId::Section(dest))
                .or_else(|| self.lib.paragraph_node(dest))
                .or_else(|| {
                    dest.parent()
                        .and_then(|p| self.lib.index_of(NodeId::Section(p)))
                });
            if !dest_node.is_some_and(|d| self.within(d, here)) {
                continue;
            }
            let Some(from) = self.lib.index_of(c.from) else {
                continue;
            };
            let (id, title) = self.node_label(from);
            let stale = if c.status == crate::cite::Status::Stale {
                format!(" (cited as {})", c.cited)
            } else {
                String::new()
            };
            let detail =
                crate::text::markup::terminal_safe(&format!("“{}”{stale}", c.text)).into_owned();
            items.push(ListItem {
                id,
                title,
                detail,
                target: Target::Node(c.from),
            });
        }
        items
    }

    pub(super) fn open_list(&mut self, kind: ListKind) {
        let items = match kind {
            ListKind::Bookmarks => self.bookmark_items(),
            ListKind::Incoming(_) => self.incoming_items(),
            ListKind::Changes => self.change_items(),
        };
        if items.is_empty() {
            let id = self.lib.metas[self.reader.node].id;
            self.info(match kind {
                ListKind::Bookmarks => {
                    "No bookmarks yet: m bookmarks the section you are reading".to_string()
                }
                ListKind::Incoming(_) => format!("No section cites {id}"),
                ListKind::Changes => "Nothing changed since the previous edition".to_string(),
            });
            return;
        }
        self.overlay = Overlay::List(ListState {
            kind,
            items,
            selected: 0,
        });
    }

    pub(super) fn open_list_item(&mut self) {
        let Overlay::List(list) = &self.overlay else {
            return;
        };
        let Some(item) = list.items.get(list.selected).cloned() else {
            return;
        };
        let (kind, selected) = (list.kind, list.selected);
        self.overlay = Overlay::None;
        self.navigate_target(item.target);
        match kind {
            ListKind::Incoming(cited) => self.select_link_into(cited),
            ListKind::Changes => self.open_change(selected),
            ListKind::Bookmarks => {}
        }
    }

    /// Selects the first link that leads into `cited` (after opening a
    /// citing section from the references list).
    pub(super) fn select_link_into(&mut self, cited: NodeId) {
        let Some(cited) = self.lib.index_of(cited) else {
            return;
        };
        let found = self.reader.doc.links.iter().position(|l| match &l.target {
            LinkTarget::Node { node, para } => node
                .and_then(|n| self.lib.index_of(n))
                .or_else(|| para.and_then(|p| self.lib.paragraph_node(p)))
                .is_some_and(|k| self.within(k, cited)),
            LinkTarget::External(_) => false,
        });
        if let Some(i) = found {
            self.reader.link = Some(i);
            let line = self.reader.doc.links[i].first_line();
            let (_, h) = self.reader_size();
            self.reader.scroll = line.saturating_sub(h / 3);
            self.clamp_scroll();
        }
    }

    pub(super) fn update_list(&mut self, action: Action) {
        let Overlay::List(list) = &mut self.overlay else {
            return;
        };
        let n = list.items.len();
        let last = n.saturating_sub(1);
        match action {
            Action::SelectNext => list.selected = (list.selected + 1).min(last),
            Action::SelectPrev => list.selected = list.selected.saturating_sub(1),
            Action::SelectPageDown => list.selected = (list.selected + 10).min(last),
            Action::SelectPageUp => list.selected = list.selected.saturating_sub(10),
            Action::SelectFirst => list.selected = 0,
            Action::SelectLast => list.selected = last,
            Action::OpenSelected => self.open_list_item(),
            Action::DeleteSelected if list.kind == ListKind::Bookmarks && n > 0 => {
                let item = list.items.remove(list.selected);
                list.selected = list.selected.min(list.items.len().saturating_sub(1));
                let empty = list.items.is_empty();
                self.bookmarks.retain(|b| Target::Node(*b) != item.target);
                self.effects.push(Effect::SaveState);
                self.info(format!("Removed the bookmark on {}", item.id));
                if empty {
                    self.overlay = Overlay::None;
                }
            }
            Action::Cancel => self.overlay = Overlay::None,
            _ => {}
        }
    }
}
