//! The reader's whole state and the one function that changes it.
//!
//! Everything the screen shows comes from [`App`]; every user intent is an
//! [`Action`]; [`update`] applies one action to the state and does nothing
//! else: no terminal, no disk, no clipboard. What must happen outside (copy
//! to the clipboard, save bookmarks) is queued as an [`Effect`] for the event
//! loop. That keeps the reader testable key by key without a terminal, and
//! lets a benchmark drive it exactly as a user would.

mod changes;
mod contents;
mod goto;
mod help;
mod history;
mod input;
mod lists;
mod mouse;
mod pick;
mod reading;
mod reattach;
mod saved;
mod search_bar;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::action::{Action, Effect};
use super::keys::Mode;
use super::layout::{self, Areas};
use super::markdown::Doc;
use super::store::Saved;
use crate::manual::ids::{NodeId, SectionId};
use crate::store::content::display_title;
use crate::store::library::Library;
use crate::store::lookup::Target;
use crate::text::analysis::WordStemmer;
use reattach::{Attached, attach_bookmarks, attach_visits, moved_message};

pub use changes::{Changes, DiffState, Mark, summary as changes_summary};
pub use contents::Tree;
pub use goto::{Candidate, GoToState};
pub use input::Input;
pub use lists::{ListItem, ListKind, ListState};
pub use pick::{PickItem, PickKind, PickState};
pub use reading::Reader;
pub use search_bar::{Search, SearchState};

/// The edition named in copied references when the library records none.
pub const EDITION: &str = "SET Procedures, June 2025";
/// Rows one search result takes on screen.
pub const RESULT_ROWS: usize = 4;
/// Results asked of the engine per keystroke.
pub const RESULT_LIMIT: usize = 20;
const HISTORY_MAX: usize = 500;
/// Longest query or id typed (a query is a few words; this bounds the work).
const MAX_INPUT: usize = 200;
const CACHE_MAX: usize = 64;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Reader,
    Search,
}

/// A window over the reader or tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    GoTo(GoToState),
    List(ListState),
    /// The glossary, contacts or history, filtered as you type.
    Pick(PickState),
    /// One section's changes since the previous edition.
    Diff(DiffState),
}

/// A message in the status line until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// A place in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Index into `lib.metas`.
    pub node: usize,
    pub scroll: usize,
    /// The block at the top, to restore at another width.
    pub block: u32,
    pub width: usize,
    pub para: Option<SectionId>,
}

/// The reader's whole state. Everything drawn comes from here.
pub struct App<'a> {
    pub lib: &'a Library,
    search_fn: Option<Box<dyn Search + 'a>>,
    /// Why search is unavailable, if it is.
    pub search_note: Option<String>,
    pub width: u16,
    pub height: u16,
    pub show_tree: bool,
    pub focus: Focus,
    /// Where focus returns when the search bar is left.
    prev_focus: Focus,
    pub overlay: Overlay,
    pub tree: Tree,
    pub reader: Reader,
    pub search: SearchState,
    /// Stems of the words last searched for, marked in the reader.
    pub terms: HashSet<String>,
    pub history: Vec<Location>,
    pub hist_pos: usize,
    pub bookmarks: Vec<NodeId>,
    /// The bookmarks as last read from or written to disk: what this reader
    /// changed is the difference, and only that is applied when saving.
    synced: Vec<NodeId>,
    /// Sections shown since the history was last saved, oldest first.
    visits: Vec<(NodeId, Option<SectionId>)>,
    /// The history as last read from or written to disk, newest first.
    earlier_visits: Vec<super::store::Visit>,
    /// What the build records of earlier editions: its id map re-attaches
    /// bookmarks, the last position and visits saved in them.
    pub editions: Option<&'a crate::edition::History>,
    /// Saved bookmarks of an older edition, placed in this one.
    attached: Attached,
    /// What changed since the previous edition, when the build records it.
    pub changes: Option<Changes>,
    pub message: Option<Message>,
    effects: Vec<Effect>,
    pub quit: bool,
    cache: HashMap<(usize, usize), Arc<Doc>>,
    stemmer: Option<WordStemmer>,
}

impl<'a> App<'a> {
    /// A reader over `lib`, restoring `saved` (bookmarks, last position),
    /// opened at `start` if given. Size it with `Action::Resize` before
    /// drawing; search is off until [`App::set_search`].
    pub fn new(lib: &'a Library, saved: &Saved, start: Option<Target>) -> App<'a> {
        App::with_editions(lib, saved, start, None)
    }

    /// [`App::new`] for a build that records earlier editions: bookmarks and
    /// the last position saved in one of them are re-attached through the
    /// id map, and the status line says what moved.
    pub fn with_editions(
        lib: &'a Library,
        saved: &Saved,
        start: Option<Target>,
        editions: Option<&'a crate::edition::History>,
    ) -> App<'a> {
        let tree = Tree::new(lib);
        let attached = attach_bookmarks(lib, editions, saved);
        let bookmarks = attached.bookmarks.clone();
        let mut app = App {
            lib,
            search_fn: None,
            search_note: None,
            width: 80,
            height: 24,
            show_tree: true,
            focus: Focus::Tree,
            prev_focus: Focus::Tree,
            overlay: Overlay::None,
            tree,
            reader: Reader {
                node: 0,
                doc: Arc::new(Doc::default()),
                scroll: 0,
                para: None,
                link: None,
                matches: Vec::new(),
                current_match: None,
            },
            search: SearchState::default(),
            terms: HashSet::new(),
            history: Vec::new(),
            hist_pos: 0,
            synced: bookmarks.clone(),
            bookmarks,
            visits: Vec::new(),
            earlier_visits: attach_visits(lib, editions, &saved.history),
            editions,
            attached,
            changes: editions.and_then(|h| Changes::of(lib, h)),
            message: None,
            effects: Vec::new(),
            quit: false,
            cache: HashMap::new(),
            stemmer: None,
        };
        let last = saved.last.as_ref().and_then(|p| app.resolve_position(p));
        let moved_position = last
            .as_ref()
            .and_then(|l| l.moved.clone())
            .filter(|_| start.is_none());
        match (start, last) {
            (Some(t), _) => {
                app.show_target(t);
                app.focus = Focus::Reader;
            }
            (
                None,
                Some(saved::Resumed {
                    node, para, block, ..
                }),
            ) => {
                app.show(node, para);
                if let Some(block) = block {
                    app.reader.scroll = app.reader.doc.line_of_block(block);
                }
                app.clamp_scroll();
                app.focus = Focus::Reader;
            }
            (None, None) => app.show(0, None),
        }
        app.history = vec![app.location()];
        if let Some(m) = moved_message(moved_position.as_deref(), &app.attached.moved) {
            app.info(m);
            // Written in this edition's terms at once, not only on quit.
            app.effects.push(Effect::SaveState);
        }
        app
    }

    /// Plugs in search (the index may be opened after the first frame).
    pub fn set_search(&mut self, search: Box<dyn Search + 'a>) {
        self.search_fn = Some(search);
        self.search_note = None;
    }

    /// Whether search is available.
    pub fn has_search(&self) -> bool {
        self.search_fn.is_some()
    }

    /// Takes the queued effects.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// What the keys mean right now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Overlay::Help { .. } => Mode::Help,
            Overlay::GoTo(_) => Mode::GoTo,
            Overlay::List(_) => Mode::List,
            Overlay::Pick(_) => Mode::Pick,
            Overlay::Diff(_) => Mode::Diff,
            Overlay::None => match self.focus {
                Focus::Tree => Mode::Tree,
                Focus::Reader => Mode::Reader,
                Focus::Search => Mode::Search,
            },
        }
    }

    /// Where everything goes on the current screen.
    pub fn areas(&self) -> Areas {
        layout::layout(self.width, self.height, self.show_tree)
    }

    /// Whether the main pane shows search results instead of the reader.
    pub fn showing_results(&self) -> bool {
        self.focus == Focus::Search && !self.search.input.text.trim().is_empty()
    }

    /// Shows `text` on the status line.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Shows `text` on the status line as an error.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// The node's label as the status line and lists show it.
    pub fn node_label(&self, i: usize) -> (String, String) {
        let m = &self.lib.metas[i];
        match m.id {
            NodeId::Section(s) => (s.to_string(), m.title.clone()),
            other => (other.to_string(), display_title(other, &m.title)),
        }
    }

    /// Applies one action. See [`update`].
    pub fn update(&mut self, action: Action) {
        if !matches!(
            action,
            Action::Resize(..) | Action::Wheel { .. } | Action::MeaningReady
        ) {
            self.message = None;
        }
        match action {
            Action::Resize(w, h) => self.resize(w, h),
            Action::Quit => {
                self.effects.push(Effect::SaveState);
                self.quit = true;
            }
            Action::Click { col, row } => self.click(col, row),
            Action::Wheel { col, row, down } => self.wheel(col, row, down),
            Action::Open(t) => self.navigate_target(t),
            Action::MeaningReady => self.merge_meaning(),
            _ => match self.mode() {
                Mode::Help => self.update_help(action),
                Mode::GoTo => self.update_goto(action),
                Mode::List => self.update_list(action),
                Mode::Pick => self.update_pick(action),
                Mode::Diff => self.update_diff(action),
                Mode::Search => self.update_search(action),
                _ => self.update_main(action),
            },
        }
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.width = w;
        self.height = h;
        let (tw, _) = self.reader_size();
        if tw != self.reader.doc.width {
            let block = self
                .reader
                .doc
                .lines
                .get(self.reader.scroll)
                .map_or(0, |l| l.block);
            let doc = self.doc_for(self.reader.node, tw);
            self.reader.doc = doc;
            self.reader.scroll = self.reader.doc.line_of_block(block);
            self.find_matches();
        }
        self.clamp_scroll();
        self.keep_tree_selection_visible();
        self.keep_result_visible();
        if self.focus == Focus::Tree && self.areas().tree.is_none() {
            self.focus = Focus::Reader;
        }
    }
}

/// Applies one action to the state: pure state manipulation. Side effects
/// are queued ([`App::take_effects`]).
pub fn update(app: &mut App<'_>, action: Action) {
    app.update(action);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Hit;
    use crate::store::lookup;
    use crate::tui::store::{Bookmark, Position};

    fn ids(s: &Saved) -> Vec<&str> {
        s.bookmarks.iter().map(|b| b.id.as_str()).collect()
    }
    use std::sync::OnceLock;

    fn lib() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(Library::embedded)
    }

    fn app() -> App<'static> {
        let mut a = App::new(lib(), &Saved::default(), None);
        a.update(Action::Resize(100, 30));
        a
    }

    fn current(a: &App) -> String {
        a.lib.metas[a.reader.node].id.to_string()
    }

    fn id(s: &str) -> NodeId {
        s.parse().unwrap()
    }

    #[test]
    fn starts_at_the_contents_with_chapters_visible() {
        let a = app();
        assert_eq!(a.focus, Focus::Tree);
        assert_eq!(current(&a), "part-A");
        let shown: Vec<String> = a
            .tree
            .rows
            .iter()
            .map(|&i| a.lib.metas[i].id.to_string())
            .collect();
        assert!(shown.contains(&"A3".to_string()));
        assert!(shown.contains(&"B24".to_string()));
        assert!(
            !shown.contains(&"A3.4".to_string()),
            "sections start collapsed"
        );
    }

    #[test]
    fn opens_at_a_paragraph_with_it_highlighted_and_on_screen() {
        let t = lookup::lookup(lib(), "A3.4.22").unwrap();
        let mut a = App::new(lib(), &Saved::default(), Some(t));
        a.update(Action::Resize(100, 30));
        assert_eq!(current(&a), "A3.4");
        let p: SectionId = "A3.4.22".parse().unwrap();
        assert_eq!(a.reader.para, Some(p));
        let anchor = a.reader.doc.anchor(p).unwrap();
        assert!(a.visible_lines().contains(&anchor.start));
        assert_eq!(a.focus, Focus::Reader);
    }

    #[test]
    fn walking_history_back_and_forward() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24.8"))));
        a.update(Action::NextSection);
        assert_eq!(current(&a), "B24.9");
        a.update(Action::NextChapter);
        assert_eq!(current(&a), "B25");
        a.update(Action::PrevChapter);
        assert_eq!(current(&a), "B24");
        a.update(Action::Back);
        assert_eq!(current(&a), "B25");
        a.update(Action::Back);
        a.update(Action::Back);
        assert_eq!(current(&a), "B24.8");
        a.update(Action::Forward);
        assert_eq!(current(&a), "B24.9");
        // A new step drops the forward history.
        a.update(Action::PrevSection);
        a.update(Action::Forward);
        assert_eq!(current(&a), "B24.8");
        assert_eq!(a.message.as_ref().unwrap().text, "Nothing to go forward to");
    }

    #[test]
    fn tab_selects_links_on_screen_and_enter_follows() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24"))));
        a.update(Action::NextLink);
        assert_eq!(a.reader.link, Some(0));
        a.update(Action::NextLink);
        a.update(Action::PrevLink);
        assert_eq!(a.reader.link, Some(0));
        a.update(Action::FollowLink);
        assert_eq!(current(&a), "B24.1");
        a.update(Action::Back);
        assert_eq!(current(&a), "B24");
    }

    #[test]
    fn search_as_you_type_with_a_fake_engine() {
        let mut a = app();
        let hits = |q: &str| -> Vec<Hit> {
            if q.is_empty() {
                return Vec::new();
            }
            vec![Hit {
                id: "B35.3".parse().unwrap(),
                title: "35.3 Private Fostering".into(),
                breadcrumb: "Part B".into(),
                score: 1.0,
                paragraph: None,
                snippet: format!("about {q}"),
                highlights: vec![(6, 6 + q.len())],
                found_by: vec!["words"],
            }]
        };
        a.set_search(Box::new(hits));
        a.update(Action::FocusSearch);
        assert_eq!(a.mode(), Mode::Search);
        for c in "private fostering".chars() {
            a.update(Action::Input(c));
        }
        assert_eq!(a.search.results.len(), 1);
        assert!(a.showing_results());
        a.update(Action::Submit);
        assert_eq!(current(&a), "B35.3");
        assert_eq!(a.focus, Focus::Reader);
        assert!(!a.reader.matches.is_empty(), "searched words are marked");
        a.update(Action::NextMatch);
        assert!(a.message.as_ref().unwrap().text.starts_with("match"));
        // Esc from search returns to where focus was.
        a.update(Action::FocusSearch);
        a.update(Action::Cancel);
        assert_eq!(a.focus, Focus::Reader);
    }

    #[test]
    fn go_to_ids_citations_and_bad_ids() {
        let mut a = app();
        a.update(Action::GoTo);
        for c in "b24.8".chars() {
            a.update(Action::Input(c));
        }
        let Overlay::GoTo(g) = &a.overlay else {
            panic!()
        };
        assert_eq!(g.candidates[0].id, "B24.8");
        a.update(Action::Submit);
        assert_eq!(current(&a), "B24.8");

        a.update(Action::GoTo);
        for c in "B24.20".chars() {
            a.update(Action::Input(c));
        }
        a.update(Action::Submit);
        let m = a.message.clone().unwrap();
        assert!(m.error && m.text.contains("nearest"), "{m:?}");
        assert_eq!(a.mode(), Mode::GoTo, "the prompt stays to fix the id");
        a.update(Action::Cancel);

        a.update(Action::GoTo);
        for c in "online exploitation".chars() {
            a.update(Action::Input(c));
        }
        a.update(Action::Submit);
        assert_eq!(current(&a), "B24.8");
    }

    #[test]
    fn bookmarks_and_copy_queue_effects() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24.8"))));
        a.take_effects();
        a.update(Action::ToggleBookmark);
        assert_eq!(a.bookmarks, vec![id("B24.8")]);
        assert_eq!(a.take_effects(), vec![Effect::SaveState]);
        a.update(Action::CopyReference);
        let eff = a.take_effects();
        let Effect::Copy(text) = &eff[0] else {
            panic!()
        };
        assert!(text.starts_with("B24.8 Online Exploitation"), "{text}");
        assert!(
            text.ends_with("(SET Procedures, June 2025, p. 443)"),
            "{text}"
        );
        a.update(Action::Open(Target::Node(id("A1"))));
        a.update(Action::ShowBookmarks);
        a.update(Action::OpenSelected);
        assert_eq!(current(&a), "B24.8");
        assert_eq!(ids(&a.saved()), ["B24.8"]);
        assert!(
            a.saved().bookmarks[0]
                .title
                .starts_with("Online Exploitation")
        );
        assert_eq!(
            a.saved().bookmarks[0].edition.as_ref(),
            Some(&lib().edition)
        );
    }

    #[test]
    fn tree_follows_the_reader_and_collapses() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24.8"))));
        let sel = a.tree.selected_node().unwrap();
        assert_eq!(a.lib.metas[sel].id, id("B24.8"));
        a.update(Action::FocusTree);
        a.update(Action::Collapse); // to the parent
        a.update(Action::Collapse); // fold it
        assert_eq!(a.lib.metas[a.tree.selected_node().unwrap()].id, id("B24"));
        assert!(
            !a.tree
                .rows
                .iter()
                .any(|&i| a.lib.metas[i].id == id("B24.8"))
        );
    }

    #[test]
    fn tiny_and_changing_sizes_keep_state_sane() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("A3.4"))));
        for (w, h) in [
            (1, 1),
            (2, 2),
            (10, 3),
            (80, 24),
            (0, 0),
            (300, 100),
            (59, 20),
        ] {
            a.update(Action::Resize(w, h));
            a.update(Action::PageDown);
            a.update(Action::NextLink);
            a.update(Action::Click {
                col: w / 2,
                row: h / 2,
            });
            assert_eq!((a.width, a.height), (w, h));
            assert!(a.reader.node < lib().metas.len());
            assert!(
                a.reader.scroll <= a.reader.doc.lines.len(),
                "{w}x{h}: scroll {} of {} lines",
                a.reader.scroll,
                a.reader.doc.lines.len()
            );
        }
        // Back to a usable size, the reader has text again.
        a.update(Action::Resize(100, 30));
        assert!(!a.reader.doc.lines.is_empty());
    }

    #[test]
    fn clicks_open_tree_entries_and_follow_links() {
        let mut a = app();
        let t = a.areas().tree.unwrap();
        // The second row of the contents is chapter A1.
        a.update(Action::Click {
            col: t.x + 10,
            row: t.y + 1,
        });
        assert_eq!(current(&a), "A1");
        a.update(Action::Open(Target::Node(id("B24"))));
        let l = a.reader.doc.links[0].spots[0].clone();
        let text = a.areas().text;
        a.update(Action::Click {
            col: text.x + l.cols.start as u16,
            row: text.y + (l.line - a.reader.scroll) as u16,
        });
        assert_eq!(current(&a), "B24.1");
        a.update(Action::Wheel {
            col: text.x,
            row: text.y,
            down: true,
        });
    }

    #[test]
    fn the_last_position_and_bookmarks_come_back() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("A3.4"))));
        a.update(Action::PageDown);
        a.update(Action::ToggleBookmark);
        let saved = a.saved();
        let top = a.reader.doc.lines[a.reader.scroll].block;
        let mut b = App::new(lib(), &saved, None);
        b.update(Action::Resize(100, 30));
        assert_eq!(current(&b), "A3.4");
        assert_eq!(b.reader.doc.lines[b.reader.scroll].block, top);
        assert_eq!(b.bookmarks, vec![id("A3.4")]);
        // Ids a later edition lacks are dropped, not fatal.
        let odd = Saved {
            bookmarks: vec![Bookmark::bare("B99.9"), Bookmark::bare("nonsense")],
            last: Some(Position {
                node: "B99".into(),
                para: None,
                block: 3,
                title: String::new(),
                edition: None,
            }),
            ..Saved::default()
        };
        let c = App::new(lib(), &odd, None);
        assert!(c.bookmarks.is_empty());
        assert_eq!(current(&c), "part-A");
    }

    #[test]
    fn saving_merges_with_other_readers_and_keeps_unknown_bookmarks() {
        let on_disk = Saved {
            bookmarks: vec![Bookmark::bare("A3.4"), Bookmark::bare("B99.9")],
            ..Saved::default()
        };
        // Two readers start from the same file.
        let mut one = App::new(lib(), &on_disk, None);
        let mut two = App::new(lib(), &on_disk, None);
        assert_eq!(one.bookmarks, vec![id("A3.4")]);
        one.update(Action::Open(Target::Node(id("B24.8"))));
        one.update(Action::ToggleBookmark);
        let after_one = one.merge_saved(on_disk.clone());
        assert_eq!(ids(&after_one), ["A3.4", "B99.9", "B24.8"]);
        // The second removes A3.4 without knowing about B24.8.
        two.update(Action::Open(Target::Node(id("A3.4"))));
        two.update(Action::ToggleBookmark);
        let after_two = two.merge_saved(after_one);
        assert_eq!(ids(&after_two), ["B99.9", "B24.8"]);
        assert_eq!(after_two.last.as_ref().unwrap().node, "A3.4");
        two.synced_with(&after_two);
        assert_eq!(two.bookmarks, vec![id("B24.8")]);
        // The other order: `one` still shows A3.4, which `two` removed;
        // saving `one` (on quit, say) must not bring it back.
        let after_one_again = one.merge_saved(after_two);
        assert_eq!(ids(&after_one_again), ["B99.9", "B24.8"]);
    }

    #[test]
    fn input_editing() {
        let mut i = Input::default();
        for c in "abc def".chars() {
            i.apply(Action::Input(c));
        }
        i.apply(Action::DeleteWord);
        assert_eq!(i.text, "abc ");
        i.apply(Action::CursorStart);
        i.apply(Action::Input('x'));
        assert_eq!(i.text, "xabc ");
        i.replace = true;
        i.apply(Action::Input('y'));
        assert_eq!(i.text, "y");
    }
}
