//! The sections visited, for the history list: this session's visits,
//! newest first, before those of earlier sessions (kept with the bookmarks
//! in the saved state), each section once. Each visit records its title and
//! edition, so a later edition re-attaches it as it does bookmarks
//! (`reattach`).

use super::reattach::{same_visit, visit_of};
use crate::manual::ids::SectionId;
use crate::tui::App;
use crate::tui::store::Visit;

/// Visits kept on disk.
const HISTORY_KEEP: usize = 200;

impl App<'_> {
    /// Notes that the node at `node` was shown (opened at `para`).
    pub(super) fn note_visit(&mut self, node: usize, para: Option<SectionId>) {
        let id = self.lib.metas[node].id;
        match self.visits.last_mut() {
            // Scrolling back to the same section is no new visit.
            Some(last) if last.0 == id => last.1 = para.or(last.1),
            _ => self.visits.push((id, para)),
        }
    }

    /// This session's visits since the last save, newest first, then
    /// `earlier` (as saved), each section once, at most [`HISTORY_KEEP`].
    pub fn visits_newest_first(&self, earlier: &[Visit]) -> Vec<Visit> {
        let session = self
            .visits
            .iter()
            .rev()
            .map(|(node, para)| visit_of(self.lib, *node, *para));
        let mut out: Vec<Visit> = Vec::new();
        for v in session.chain(earlier.iter().cloned()) {
            if out.len() == HISTORY_KEEP {
                break;
            }
            if !out.iter().any(|o| same_visit(o, &v)) {
                out.push(v);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use crate::store::library::Library;
    use crate::store::lookup::Target;
    use crate::tui::action::Action;
    use crate::tui::app::App;
    use crate::tui::store::{Saved, Visit};

    fn lib() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(Library::embedded)
    }

    fn visit(node: &str) -> Visit {
        Visit::bare(node)
    }

    fn open(app: &mut App, id: &str) {
        app.update(Action::Open(Target::Node(id.parse().unwrap())));
    }

    fn nodes(history: &[Visit]) -> Vec<&str> {
        history.iter().map(|v| v.node.as_str()).collect()
    }

    #[test]
    fn visits_are_kept_newest_first_once_each_and_merged_with_other_readers() {
        let on_disk = Saved {
            history: vec![visit("B24.8"), visit("B99.9"), visit("A1")],
            ..Saved::default()
        };
        let mut one = App::new(lib(), &on_disk, None);
        let mut two = App::new(lib(), &on_disk, None);
        one.update(Action::Resize(100, 30));
        open(&mut one, "A3.4");
        open(&mut one, "B24.8");
        open(&mut one, "A3.4");
        // Back and forward are visits too; staying put is not.
        one.update(Action::Back);
        open(&mut one, "B24.8");
        let saved = one.merge_saved(on_disk.clone());
        // The start (the contents) and this session's sections come first;
        // an id this edition lacks (B99.9) is kept for the edition that has it.
        assert_eq!(
            nodes(&saved.history),
            ["B24.8", "A3.4", "part-A", "B99.9", "A1"]
        );
        one.synced_with(&saved);
        // A second reader, open at the same time, adds its own on top and
        // keeps the first reader's.
        open(&mut two, "B35.3");
        let both = two.merge_saved(saved.clone());
        assert_eq!(
            nodes(&both.history),
            ["B35.3", "part-A", "B24.8", "A3.4", "B99.9", "A1"]
        );
        // Saving again without new visits changes nothing.
        assert_eq!(one.merge_saved(both.clone()).history, both.history);
    }

    #[test]
    fn at_most_two_hundred_are_kept() {
        let earlier: Vec<Visit> = lib()
            .metas
            .iter()
            .take(300)
            .map(|m| visit(&m.id.to_string()))
            .collect();
        let app = App::new(lib(), &Saved::default(), None);
        assert_eq!(app.visits_newest_first(&earlier).len(), super::HISTORY_KEEP);
    }
}
