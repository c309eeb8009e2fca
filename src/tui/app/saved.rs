//! What the reader keeps between runs: bookmarks, the last position and
//! the sections visited, and merging them with what other readers saved.

use super::reattach::{attach_bookmarks, attach_visits, bookmark_of, place, place_paragraph};
use crate::manual::ids::{NodeId, SectionId};
use crate::tui::App;
use crate::tui::store::{Bookmark, Position, Saved};

impl App<'_> {
    /// The state worth keeping across runs, as if nothing were on disk.
    pub fn saved(&self) -> Saved {
        Saved {
            version: crate::tui::store::VERSION,
            bookmarks: self
                .bookmarks
                .iter()
                .map(|b| bookmark_of(self.lib, *b))
                .collect(),
            last: Some(self.position()),
            history: self.visits_newest_first(&self.earlier_visits),
        }
    }

    /// `on_disk` with this reader's changes applied: bookmarks it added or
    /// removed since the last sync, and its position. Bookmarks another
    /// reader added, or that this edition does not know, are kept; those
    /// of an older edition that this one re-attached are rewritten in its
    /// terms.
    pub fn merge_saved(&self, on_disk: Saved) -> Saved {
        let removed: Vec<NodeId> = self
            .synced
            .iter()
            .filter(|b| !self.bookmarks.contains(b))
            .copied()
            .collect();
        let mut bookmarks: Vec<Bookmark> = Vec::new();
        for b in on_disk.bookmarks {
            let b = match self.attached.replaced.iter().find(|(old, _)| *old == b) {
                Some((_, new)) => new.clone(),
                None => b,
            };
            let gone = self.is_ours(&b) && removed.iter().any(|r| r.to_string() == b.id);
            let repeat = bookmarks
                .iter()
                .any(|x| x.id == b.id && self.is_ours(x) && self.is_ours(&b));
            if !gone && !repeat {
                bookmarks.push(b);
            }
        }
        // Only what this reader added since the last sync: a bookmark it
        // merely still shows may have been removed by another reader.
        for b in self.bookmarks.iter().filter(|b| !self.synced.contains(b)) {
            let known = bookmarks
                .iter()
                .any(|x| self.is_ours(x) && x.id == b.to_string());
            if !known {
                bookmarks.push(bookmark_of(self.lib, *b));
            }
        }
        Saved {
            version: crate::tui::store::VERSION,
            bookmarks,
            last: Some(self.position()),
            history: self.visits_newest_first(&attach_visits(
                self.lib,
                self.editions,
                &on_disk.history,
            )),
        }
    }

    /// Whether a saved bookmark is in this edition's terms (or recorded no
    /// edition, as version 1 files did).
    fn is_ours(&self, b: &Bookmark) -> bool {
        b.edition.as_ref().is_none_or(|e| *e == self.lib.edition)
    }

    /// Takes in what was written: bookmarks other readers added appear here.
    pub fn synced_with(&mut self, written: &Saved) {
        self.bookmarks = attach_bookmarks(self.lib, self.editions, written).bookmarks;
        self.synced = self.bookmarks.clone();
        self.earlier_visits = attach_visits(self.lib, self.editions, &written.history);
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
            title: m.title.clone(),
            edition: bookmark_of(self.lib, m.id).edition,
        }
    }

    /// Where a saved position is in this edition, and what moved if it was
    /// saved in an older one.
    pub(super) fn resolve_position(&self, p: &Position) -> Option<Resumed> {
        let placed = place(
            self.lib,
            self.editions,
            &p.node,
            &p.title,
            p.edition.as_ref(),
        )?;
        let node = self.lib.index_of(placed.node)?;
        let para = p.para.as_deref().and_then(|s| {
            place_paragraph(self.lib, self.editions, s, p.edition.as_ref(), placed.node)
        });
        // The block is the old edition's: when the place moved, start at
        // its paragraph (or the top) rather than somewhere else.
        let block = placed.moved.is_none().then_some(p.block);
        Some(Resumed {
            node,
            para,
            block,
            moved: placed.moved,
        })
    }
}

/// A saved position placed in this edition.
pub(super) struct Resumed {
    /// Index into `lib.metas`.
    pub node: usize,
    pub para: Option<SectionId>,
    /// The block to show at the top, when the place did not move.
    pub block: Option<u32>,
    /// What moved, when it did.
    pub moved: Option<String>,
}
