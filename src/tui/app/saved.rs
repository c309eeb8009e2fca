//! What the reader keeps between runs: bookmarks and the last position,
//! and merging them with what other readers saved.

use crate::manual::ids::{NodeId, SectionId};
use crate::store::library::Library;
use crate::tui::App;
use crate::tui::store::{Position, Saved};

/// The saved bookmarks this edition has, in order, without repeats.
pub(super) fn known_bookmarks(lib: &Library, saved: &Saved) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::new();
    for id in saved
        .bookmarks
        .iter()
        .filter_map(|s| s.parse::<NodeId>().ok())
    {
        if lib.index_of(id).is_some() && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

impl App<'_> {
    /// The state worth keeping across runs, as if nothing were on disk.
    pub fn saved(&self) -> Saved {
        Saved {
            version: crate::tui::store::VERSION,
            bookmarks: self.bookmarks.iter().map(|b| b.to_string()).collect(),
            last: Some(self.position()),
            history: self.visits_newest_first(&self.earlier_visits),
        }
    }

    /// `on_disk` with this reader's changes applied: bookmarks it added or
    /// removed since the last sync, and its position. Bookmarks another
    /// reader added, or that this edition does not know, are kept.
    pub fn merge_saved(&self, on_disk: Saved) -> Saved {
        let removed: Vec<NodeId> = self
            .synced
            .iter()
            .filter(|b| !self.bookmarks.contains(b))
            .copied()
            .collect();
        let mut bookmarks: Vec<String> = on_disk
            .bookmarks
            .into_iter()
            .filter(|s| !s.parse::<NodeId>().is_ok_and(|id| removed.contains(&id)))
            .collect();
        // Only what this reader added since the last sync: a bookmark it
        // merely still shows may have been removed by another reader.
        for b in self.bookmarks.iter().filter(|b| !self.synced.contains(b)) {
            let known = bookmarks
                .iter()
                .any(|s| s.parse::<NodeId>().is_ok_and(|id| id == *b));
            if !known {
                bookmarks.push(b.to_string());
            }
        }
        Saved {
            version: crate::tui::store::VERSION,
            bookmarks,
            last: Some(self.position()),
            history: self.visits_newest_first(&on_disk.history),
        }
    }

    /// Takes in what was written: bookmarks other readers added appear here.
    pub fn synced_with(&mut self, written: &Saved) {
        self.bookmarks = known_bookmarks(self.lib, written);
        self.synced = self.bookmarks.clone();
        self.earlier_visits = written.history.clone();
        self.visits.clear();
    }

    pub(super) fn position(&self) -> Position {
        let m = &self.lib.metas[self.reader.node];
        let block = self
            .reader
            .doc
            .lines
            .get(self.reader.scroll)
            .map_or(0, |l| l.block);
        Position {
            node: m.id.to_string(),
            para: self.reader.para.map(|p| p.to_string()),
            block,
        }
    }

    pub(super) fn resolve_position(&self, p: &Position) -> Option<(usize, Option<SectionId>, u32)> {
        let node = self.lib.index_of(p.node.parse().ok()?)?;
        let para = p.para.as_deref().and_then(|s| s.parse().ok());
        Some((node, para, p.block))
    }
}
