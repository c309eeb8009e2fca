//! Whole-screen snapshots of the reader (ratatui's TestBackend), one per
//! screen and state, on the real embedded manual and an in-memory index.
//! Plus: no size, however small, and no sequence of actions panics.

use std::sync::OnceLock;

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use setproc::cite::{Citation, Status};
use setproc::manual::ids::NodeId;
use setproc::search::Engine;
use setproc::search::index::{SearchIndex, build_in_ram};
use setproc::store::library::Library;
use setproc::store::lookup::{self, Target};
use setproc::tui::action::Action;
use setproc::tui::app::{App, Overlay};
use setproc::tui::{Saved, view};

fn lib() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(Library::embedded)
}

fn index() -> &'static SearchIndex {
    static IDX: OnceLock<SearchIndex> = OnceLock::new();
    IDX.get_or_init(|| build_in_ram(lib(), "tui-views").expect("index builds"))
}

/// The library with a stale citation added to B35.3: "Part B, chapter 37,
/// Historical abuse" (chapter 37 is now Children Visiting Custodial
/// Settings; the title names B36).
fn stale_lib() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        let mut l = lib().clone();
        let from: NodeId = "B35.3".parse().unwrap();
        let i = l.index_of(from).unwrap();
        let body = &mut l.bodies[i];
        let at = body.find("<a id=\"b35-3-2\"></a>").unwrap();
        body.insert_str(
            at,
            "For abuse that happened long ago see [Part B, chapter 37, Historical abuse](B36.md \"cited as chapter 37; the title matches B36 Historical Abuse\").\n\n",
        );
        l.citations.push(Citation {
            from,
            paragraph: None,
            line: 1,
            text: "Part B, chapter 37, Historical abuse".into(),
            cited: "B37".into(),
            cited_title: Some("Historical abuse".into()),
            target: Some("B37".parse().unwrap()),
            status: Status::Stale,
            suggestion: Some("B36".parse().unwrap()),
            block: 1,
            item: 0,
            start: 0,
            end: 10,
        });
        l
    })
}

fn app_on(lib: &'static Library, w: u16, h: u16) -> App<'static> {
    let mut app = App::new(lib, &Saved::default(), None);
    app.set_search(Box::new(Engine::new(index())));
    app.update(Action::Resize(w, h));
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t.backend().to_string()
}

fn open(app: &mut App, reference: &str) {
    let t = lookup::lookup(app.lib, reference).unwrap();
    app.update(Action::Open(t));
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(Action::Input(c));
    }
}

#[test]
fn contents_at_start() {
    let app = app_on(lib(), 100, 30);
    let s = screen(&app, 100, 30);
    assert!(s.contains("Part A"));
    insta::assert_snapshot!("contents", s);
}

#[test]
fn reader_opened_at_a_paragraph() {
    let t = lookup::lookup(lib(), "A3.4.22").unwrap();
    let mut app = App::new(lib(), &Saved::default(), Some(t));
    app.set_search(Box::new(Engine::new(index())));
    app.update(Action::Resize(100, 30));
    let s = screen(&app, 100, 30);
    assert!(s.contains("3.4.22"), "{s}");
    assert!(s.contains('▌'), "the paragraph is marked");
    insta::assert_snapshot!("reader_a3_4_22", s);
}

#[test]
fn reader_full_width_without_contents() {
    let mut app = app_on(lib(), 80, 24);
    open(&mut app, "B24.8");
    app.update(Action::ToggleTree);
    let s = screen(&app, 80, 24);
    insta::assert_snapshot!("reader_b24_8_full_width", s);
}

#[test]
fn search_results_for_private_fostering() {
    let mut app = app_on(lib(), 100, 30);
    app.update(Action::FocusSearch);
    type_text(&mut app, "private fostering");
    assert_eq!(app.search.results[0].id.to_string(), "B35.3");
    let s = screen(&app, 100, 30);
    insta::assert_snapshot!("results_private_fostering", s);

    // Enter opens the best paragraph with the words marked.
    app.update(Action::Submit);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "B35.3");
    assert!(!app.reader.matches.is_empty());
    insta::assert_snapshot!("result_opened", screen(&app, 100, 30));
}

#[test]
fn links_selected() {
    let mut app = app_on(lib(), 100, 30);
    open(&mut app, "B24");
    app.update(Action::NextLink);
    app.update(Action::NextLink);
    assert_eq!(app.reader.link, Some(1));
    insta::assert_snapshot!("link_selected", screen(&app, 100, 30));
}

#[test]
fn stale_citation_marker_and_incoming_references() {
    let mut app = app_on(stale_lib(), 100, 30);
    open(&mut app, "B35.3");
    app.update(Action::NextLink);
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("cited as chapter 37 → B36 Historical Abuse"),
        "{s}"
    );
    insta::assert_snapshot!("stale_citation", s);
    app.update(Action::FollowLink);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "B36");

    // B36 is cited by B35.3: `r` lists it and opens it at the link.
    app.update(Action::ShowIncoming);
    let Overlay::List(list) = &app.overlay else {
        panic!("no references list");
    };
    let k = list
        .items
        .iter()
        .position(|i| i.id == "B35.3")
        .expect("B35.3 cites B36");
    insta::assert_snapshot!("incoming_references", screen(&app, 100, 30));
    for _ in 0..k {
        app.update(Action::SelectNext);
    }
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "B35.3");
    let link = &app.reader.doc.links[app.reader.link.expect("the citing link is selected")];
    assert!(link.text.contains("Historical abuse"), "{link:?}");
}

#[test]
fn help_screen() {
    let mut app = app_on(lib(), 100, 30);
    app.update(Action::ShowHelp);
    let s = screen(&app, 100, 30);
    assert!(s.contains("Keys"));
    insta::assert_snapshot!("help", s);
}

#[test]
fn go_to_prompt_with_completions() {
    let mut app = app_on(lib(), 100, 30);
    app.update(Action::GoTo);
    type_text(&mut app, "B24.1");
    insta::assert_snapshot!("goto", screen(&app, 100, 30));
}

#[test]
fn tiny_terminals() {
    let app = app_on(lib(), 10, 3);
    insta::assert_snapshot!("tiny_10x3", screen(&app, 10, 3));
    for (w, h) in [(1, 1), (2, 2), (10, 3), (20, 5), (59, 24), (80, 24)] {
        let mut app = app_on(lib(), w, h);
        open(&mut app, "A3.4.22");
        screen(&app, w, h);
        app.update(Action::ShowHelp);
        screen(&app, w, h);
    }
}

/// Actions a user might press, for the random walk.
fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::ScrollDown),
        Just(Action::PageDown),
        Just(Action::ScrollBottom),
        Just(Action::NextLink),
        Just(Action::PrevLink),
        Just(Action::FollowLink),
        Just(Action::Back),
        Just(Action::Forward),
        Just(Action::NextSection),
        Just(Action::PrevChapter),
        Just(Action::NextChapter),
        Just(Action::ToggleTree),
        Just(Action::FocusTree),
        Just(Action::SelectNext),
        Just(Action::SelectLast),
        Just(Action::OpenSelected),
        Just(Action::Collapse),
        Just(Action::Expand),
        Just(Action::FocusSearch),
        Just(Action::GoTo),
        Just(Action::ShowHelp),
        Just(Action::ShowBookmarks),
        Just(Action::ToggleBookmark),
        Just(Action::ShowIncoming),
        Just(Action::ShowGlossary),
        Just(Action::ShowContacts),
        Just(Action::ShowHistory),
        Just(Action::Cancel),
        Just(Action::Submit),
        Just(Action::Complete),
        Just(Action::DeleteBack),
        Just(Action::NextMatch),
        "[a-z0-9. ]".prop_map(|s| Action::Input(s.chars().next().unwrap())),
        (0u16..120, 0u16..50).prop_map(|(col, row)| Action::Click { col, row }),
        (0u16..120, 0u16..50, any::<bool>()).prop_map(|(col, row, down)| Action::Wheel {
            col,
            row,
            down
        }),
        (0u16..160, 0u16..60).prop_map(|(w, h)| Action::Resize(w, h)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any size, any sequence of actions: no panic, and the state stays
    /// drawable.
    #[test]
    fn never_panics(actions in proptest::collection::vec(any_action(), 1..40)) {
        let mut app = App::new(stale_lib(), &Saved::default(), Some(Target::Node("B35.3".parse().unwrap())));
        app.set_search(Box::new(|q: &str| {
            // A small fake engine: any query finds B24.8 and B35.3.
            let mk = |id: &str| setproc::search::Hit {
                id: id.parse().unwrap(),
                title: id.into(),
                breadcrumb: String::new(),
                score: 1.0,
                paragraph: None,
                snippet: format!("…{q}…"),
                highlights: vec![(3, 3 + q.len())],
                found_by: vec!["words"],
            };
            vec![mk("B24.8"), mk("B35.3")]
        }));
        let (mut w, mut h) = (80u16, 24u16);
        app.update(Action::Resize(w, h));
        for a in actions {
            if let Action::Resize(nw, nh) = a {
                w = nw;
                h = nh;
            }
            app.update(a);
            if app.quit {
                break;
            }
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| view::draw(f, &app)).unwrap();
        }
    }
}

#[test]
fn glossary_list_filters_as_you_type_and_opens_the_definition() {
    let mut app = app_on(lib(), 100, 30);
    app.update(Action::ShowGlossary);
    let Overlay::Pick(pick) = &app.overlay else {
        panic!("no glossary list");
    };
    let all = pick.items.len();
    assert!(all > 100, "{all}");
    type_text(&mut app, "designated officer");
    let Overlay::Pick(pick) = &app.overlay else {
        panic!()
    };
    assert_eq!(pick.shown_item(0).unwrap().key, "LADO");
    assert!(pick.shown.len() < all);
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("LADO") && s.contains("Local authority designated officer"),
        "{s}"
    );
    insta::assert_snapshot!("glossary_list", s);
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "B46");
    assert_eq!(app.overlay, Overlay::None);
    // Both ways: the acronym finds its full name.
    app.update(Action::ShowGlossary);
    type_text(&mut app, "nspcc");
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "B2.23");
}

#[test]
fn contacts_list_filters_and_opens_the_paragraph() {
    let mut app = app_on(lib(), 100, 30);
    app.update(Action::ShowContacts);
    type_text(&mut app, "rspca");
    let Overlay::Pick(pick) = &app.overlay else {
        panic!("no contacts list");
    };
    assert_eq!(pick.shown.len(), 1);
    assert_eq!(pick.shown_item(0).unwrap().key, "0300 1234 999");
    let s = screen(&app, 100, 30);
    insta::assert_snapshot!("contacts_list", s);
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "B41.3");
    assert_eq!(app.reader.para.unwrap().to_string(), "B41.3.6");
}

#[test]
fn history_list_newest_first_and_enter_opens() {
    let mut app = app_on(lib(), 100, 30);
    for r in ["B24.8", "A3.4.22", "B35.3"] {
        open(&mut app, r);
    }
    app.update(Action::ShowHistory);
    let Overlay::Pick(pick) = &app.overlay else {
        panic!("no history list");
    };
    let keys: Vec<&str> = pick.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["B35.3", "A3.4.22", "B24.8", "part-A"]);
    insta::assert_snapshot!("history_list", screen(&app, 100, 30));
    app.update(Action::SelectNext);
    app.update(Action::OpenSelected);
    assert_eq!(app.lib.metas[app.reader.node].id.to_string(), "A3.4");
    assert_eq!(app.reader.para.unwrap().to_string(), "A3.4.22");
}
