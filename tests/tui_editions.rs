//! The reader on a build that records an earlier edition: the contents
//! marks what changed, `w` lists the changes and opens one with its
//! changes shown, and bookmarks saved in the old edition are where their
//! sections went. Whole-screen snapshots (ratatui's TestBackend) of the
//! made April 2026 edition (`editions/next.rs`) over June 2025.

#[path = "editions/next.rs"]
mod next;

use std::sync::OnceLock;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use setproc::edition::{self, History};
use setproc::manual::ids::NodeId;
use setproc::store::library::{EMBEDDED_SOURCE, Library};
use setproc::tui::action::Action;
use setproc::tui::app::{App, Overlay};
use setproc::tui::store::{Bookmark, Saved};
use setproc::tui::view;

fn april() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        Library::from_source(&next::next_edition(EMBEDDED_SOURCE), "april-2026.txt").unwrap()
    })
}

fn history() -> &'static History {
    static H: OnceLock<History> = OnceLock::new();
    H.get_or_init(|| {
        let (d, map) = edition::diff(&Library::embedded(), april());
        History::after(&d, map, None)
    })
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t.backend().to_string()
}

fn id(s: &str) -> NodeId {
    s.parse().unwrap()
}

#[test]
fn the_contents_marks_what_changed_and_w_lists_it() {
    let mut app = App::with_editions(april(), &Saved::default(), None, Some(history()));
    app.update(Action::Resize(100, 30));
    let s = screen(&app, 100, 30);
    // Part A and its chapters 1–3 hold changes; chapter 4 does not.
    assert!(s.contains("▸ ◦ 1. Responding"), "{s}");
    assert!(s.contains("▸   4. Child Protection"), "{s}");
    insta::assert_snapshot!("editions_contents", s);

    app.update(Action::ShowChanges);
    let Overlay::List(list) = &app.overlay else {
        panic!("no list")
    };
    assert_eq!(
        list.items.len(),
        4 + 30 + 5 + 1,
        "the script's changes: {:?}",
        next::CHANGES
    );
    assert_eq!(list.items[0].id, "A1.3");
    insta::assert_snapshot!("editions_what_changed", screen(&app, 100, 30));

    // Enter opens the section with its changes shown; Esc leaves the section.
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id, id("A1.3"));
    assert!(matches!(app.overlay, Overlay::Diff(_)));
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("[-all professionals,-]")
            && s.contains("{+working with adults who are parents or carers,+}"),
        "{s}"
    );
    insta::assert_snapshot!("editions_a1_3_changes", s);
    app.update(Action::Cancel);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.lib.metas[app.reader.node].id, id("A1.3"));
}

#[test]
fn a_removed_section_opens_where_it_stood_and_a_renumbered_one_says_so() {
    let mut app = App::with_editions(april(), &Saved::default(), None, Some(history()));
    app.update(Action::Resize(100, 30));
    app.update(Action::ShowChanges);
    for _ in 0..3 {
        app.update(Action::SelectNext);
    }
    // The fourth change: A3.7, removed; it opens its chapter.
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id, id("A3"));
    let s = screen(&app, 100, 30);
    assert!(s.contains("A3.7 removed since June 2025"), "{s}");
    // w goes back to the list at the same change; the next is renumbered.
    app.update(Action::ShowChanges);
    let Overlay::List(list) = &app.overlay else {
        panic!("no list")
    };
    assert_eq!(list.selected, 3);
    app.update(Action::SelectNext);
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id, id("A3.7"));
    assert!(screen(&app, 100, 30).contains("was A3.8 in June 2025"));
}

#[test]
fn bookmarks_saved_in_the_old_edition_are_listed_where_they_went() {
    let june = Library::embedded().edition;
    let saved = Saved {
        version: 2,
        bookmarks: vec![Bookmark {
            id: "B25.8".into(),
            title: "Impact on Children".into(),
            edition: Some(june),
        }],
        last: None,
        history: Vec::new(),
    };
    let mut app = App::with_editions(april(), &saved, None, Some(history()));
    app.update(Action::Resize(100, 30));
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("1 bookmark moved: B25.8 (Impact on Children) in June 2025 is B26.8"),
        "{s}"
    );
    app.update(Action::ShowBookmarks);
    insta::assert_snapshot!("editions_bookmark_moved", screen(&app, 100, 30));
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id, id("B26.8"));
}

#[test]
fn without_an_earlier_edition_w_says_how_to_get_one() {
    let mut app = App::new(april(), &Saved::default(), None);
    app.update(Action::Resize(100, 30));
    app.update(Action::ShowChanges);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.message.unwrap().text.contains("--previous"));
}

#[test]
fn go_to_takes_an_old_editions_number() {
    let mut app = App::with_editions(april(), &Saved::default(), None, Some(history()));
    app.update(Action::Resize(100, 30));
    app.update(Action::GoTo);
    for c in "B25.8@June 2025".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Submit);
    assert_eq!(app.lib.metas[app.reader.node].id, id("B26.8"));
    assert_eq!(
        app.message.unwrap().text,
        "B25.8 in June 2025 is B26.8 in April 2026"
    );
}
