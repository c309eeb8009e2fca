//! What changed since the previous edition, in the reader: which entries
//! of the contents to mark, the "what changed" list (`w`), and the window
//! showing one section's changes.
//!
//! All of it comes from the build's history (`editions.json`), made by
//! `setproc build --previous OLD`; a build without one has nothing to mark.

use super::{ListItem, ListKind, ListState, Overlay};
use crate::edition::map::Now;
use crate::edition::{Entry, History, Status};
use crate::manual::ids::NodeId;
use crate::store::library::Library;
use crate::store::lookup::Target;
use crate::tui::App;
use crate::tui::action::Action;

/// How a contents entry changed since the previous edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The entry itself: added, changed or renumbered.
    Own(Status),
    /// Something inside it (collapsed entries still show it).
    Within,
}

/// The changes since the previous edition, as the reader uses them.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// The previous edition's date ("June 2025").
    pub since: String,
    /// Each change, in reading order (removed sections at their old place).
    pub entries: Vec<Entry>,
    /// Per contents entry (index into `lib.metas`), its mark.
    pub marks: Vec<Option<Mark>>,
    /// Where each entry opens: its section, or for a removed one the place
    /// it stood.
    pub targets: Vec<Option<NodeId>>,
}

impl Changes {
    /// The changes a history records, placed in `lib`.
    pub fn of(lib: &Library, history: &History) -> Option<Changes> {
        let diff = history.changes.as_ref()?;
        let map = history.maps.first();
        let mut marks: Vec<Option<Mark>> = vec![None; lib.metas.len()];
        let mut targets = Vec::with_capacity(diff.entries.len());
        for e in &diff.entries {
            let target = match (e.new, e.old) {
                (Some(n), _) => Some(NodeId::Section(n)),
                (None, Some(o)) => match map.map(|m| m.get(o)) {
                    Some(Now::Removed { near: Some(n) }) => Some(NodeId::Section(n)),
                    _ => None,
                },
                (None, None) => None,
            };
            targets.push(target.filter(|t| lib.index_of(*t).is_some()));
            let Some(i) = e.new.and_then(|n| lib.index_of(NodeId::Section(n))) else {
                continue;
            };
            marks[i] = Some(Mark::Own(e.status));
            // Its chapter, grouping and part show that something inside
            // changed.
            let mut up = lib.metas[i].parent;
            while let Some(p) = up.and_then(|p| lib.index_of(p)) {
                if marks[p].is_none() {
                    marks[p] = Some(Mark::Within);
                }
                up = lib.metas[p].parent;
            }
        }
        Some(Changes {
            since: diff.old_edition.label().to_string(),
            entries: diff.entries.clone(),
            marks,
            targets,
        })
    }
}

/// The window showing one entry's changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffState {
    /// Index into [`Changes::entries`].
    pub entry: usize,
    pub scroll: usize,
}

impl App<'_> {
    /// The "what changed" list: every change since the previous edition.
    pub(super) fn change_items(&self) -> Vec<ListItem> {
        let Some(c) = &self.changes else {
            return Vec::new();
        };
        c.entries
            .iter()
            .zip(&c.targets)
            .map(|(e, t)| ListItem {
                id: e.id().to_string(),
                title: e.title.clone(),
                detail: summary(e, &c.since),
                target: Target::Node(t.unwrap_or(self.lib.metas[0].id)),
            })
            .collect()
    }

    pub(super) fn show_changes(&mut self) {
        if self.changes.is_none() {
            self.info(
                "This build records no earlier edition: build it with setproc build --previous OLD",
            );
            return;
        }
        self.open_list(ListKind::Changes);
    }

    /// Opens a change from the list: its section, with the change shown.
    pub(super) fn open_change(&mut self, k: usize) {
        self.overlay = Overlay::Diff(DiffState {
            entry: k,
            scroll: 0,
        });
    }

    /// Keys in the window of one section's changes.
    pub(super) fn update_diff(&mut self, action: Action) {
        let Overlay::Diff(d) = &mut self.overlay else {
            return;
        };
        match action {
            Action::ScrollDown => d.scroll += 1,
            Action::ScrollUp => d.scroll = d.scroll.saturating_sub(1),
            Action::PageDown => d.scroll += 10,
            Action::PageUp => d.scroll = d.scroll.saturating_sub(10),
            Action::ScrollTop => d.scroll = 0,
            Action::ScrollBottom => d.scroll = usize::MAX / 2,
            // Back to the list, at the same entry.
            Action::ShowChanges => {
                let selected = d.entry;
                self.open_list(ListKind::Changes);
                if let Overlay::List(ListState { selected: s, .. }) = &mut self.overlay {
                    *s = selected;
                }
            }
            Action::Cancel => self.overlay = Overlay::None,
            _ => {}
        }
    }
}

/// One line on what happened: "renumbered from B25.4 · 16 words added".
pub fn summary(e: &Entry, since: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (e.status, e.old, e.new) {
        (Status::Added, ..) => parts.push(format!("new since {since}")),
        (Status::Removed, Some(o), _) => parts.push(format!("{o} removed since {since}")),
        (Status::Renumbered, Some(o), Some(n)) if o != n => {
            parts.push(format!("was {o} in {since}"));
        }
        _ => {}
    }
    if let Some((from, _)) = &e.moved {
        parts.push(format!("moved from {from}"));
    }
    if e.old_title.is_some() {
        parts.push("retitled".to_string());
    }
    if !e.paragraphs.is_empty() {
        parts.push("paragraphs renumbered".to_string());
    }
    if !e.words.is_empty() {
        parts.push(format!(
            "{} words added, {} removed",
            e.words_added, e.words_removed
        ));
    }
    if parts.is_empty() {
        parts.push(e.status.as_str().to_string());
    }
    parts.join(" · ")
}
