//! The fuzz targets: one function per parser that reads outside text,
//! taking arbitrary bytes and checking what must hold for any input.
//!
//! Shared by the AFL++ binaries (`fuzz/src/bin/*.rs`, run with `cargo afl
//! fuzz`, see `RELIABILITY.md`) and by `tests/fuzz_corpus.rs`, which replays
//! the committed corpus and every crash found as an ordinary `cargo test`.
//! A panic anywhere is a finding; so is a broken invariant (asserted here).
//!
//! Inputs are read as UTF-8 with invalid bytes replaced, as setproc reads
//! none of these as raw bytes (a source that is not UTF-8 is refused before
//! parsing; the saved-state and manifest readers see bytes, and get them).

use std::sync::OnceLock;

use setproc::cite;
use setproc::manual::contents::parse_contents;
use setproc::manual::ids::{NodeId, Part};
use setproc::manual::parse::parse;
use setproc::search::index::{SearchIndex, build_in_ram};
use setproc::search::{Engine, Meaning, Options};
use setproc::store::content::{self, Manifest};
use setproc::store::library::{EMBEDDED_SOURCE, Library};
use setproc::store::lookup;
use setproc::tui::action::Action;
use setproc::tui::store::{Bookmark, Visit};
use setproc::tui::{App, Saved, Store, update};

/// A target: arbitrary bytes in, a panic on a finding.
pub type Target = fn(&[u8]);

/// Every target, by name (the corpus folder and the AFL binary share it).
pub const TARGETS: &[(&str, Target)] = &[
    ("contents", contents),
    ("body", body),
    ("cite", cite),
    ("lookup", lookup),
    ("search", search),
    ("saved", saved),
    ("manifest", manifest),
];

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

pub fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(Library::embedded)
}

fn index() -> &'static SearchIndex {
    static IDX: OnceLock<SearchIndex> = OnceLock::new();
    IDX.get_or_init(|| {
        let mut idx = build_in_ram(library(), "fuzz").expect("the manual indexes");
        idx.dense = setproc::search::dense::builtin_vectors();
        idx
    })
}

/// The manual up to its body: its title page and contents list.
pub fn contents_list() -> &'static str {
    static HEAD: OnceLock<&'static str> = OnceLock::new();
    HEAD.get_or_init(|| {
        let c = parse_contents(EMBEDDED_SOURCE).expect("the manual's contents list parses");
        let end = EMBEDDED_SOURCE
            .split_inclusive('\n')
            .take(c.body_start)
            .map(str::len)
            .sum();
        &EMBEDDED_SOURCE[..end]
    })
}

/// No character that would act on a terminal rather than print: C0/C1
/// controls (escape sequences) and bidi embeddings, overrides and isolates.
pub fn assert_printable(s: &str, what: &str) {
    if let Some(c) = s
        .chars()
        .find(|c| (c.is_control() && *c != '\n') || is_bidi_control(*c))
    {
        panic!("{what}: {c:?} reaches the terminal in {s:?}");
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The contents-list parser on any text: entries lie within it.
pub fn contents(data: &[u8]) {
    let s = text(data);
    if let Ok(c) = parse_contents(&s) {
        let lines = s.lines().count();
        assert!(c.body_start <= lines + 1, "body starts past the end");
        for e in &c.entries {
            assert!(e.line >= 1 && e.line <= lines, "entry line {}", e.line);
        }
    }
}

/// The body parser, behind the manual's real contents list (so that the
/// fuzzer spends its time on the body), then everything a build makes of
/// the document: citations, links, markdown, the content files, and the
/// reader's rendering of each node (no control character survives).
pub fn body(data: &[u8]) {
    let source = format!("{}{}", contents_list(), text(data));
    let Ok(doc) = parse(&source) else { return };
    let lib = Library::from_document(doc, "fuzz");
    let files = lib.render_files();
    assert_eq!(files.files.len(), lib.metas.len() + 2);
    for (m, body) in lib.metas.iter().zip(&lib.bodies) {
        assert_eq!(lib.index_of(m.id).map(|i| &lib.metas[i].id), Some(&m.id));
        // The nodes the fuzzed text actually filled (the rest are headings).
        if body.len() > 200 {
            let doc = setproc::tui::markdown::render(body, 60, &|_| None);
            for line in &doc.lines {
                for seg in &line.segs {
                    assert_printable(&seg.text, "reader line");
                }
            }
        }
    }
    for c in &lib.citations {
        assert!(c.start <= c.end, "citation range {}..{}", c.start, c.end);
    }
}

/// The citation scanner and resolver on free text, as `setproc resolve`
/// and `show` read it, in each part.
pub fn cite(data: &[u8]) {
    let s = text(data);
    let targets = library().targets();
    for part in [None, Some(Part::A), Some(Part::B)] {
        for c in cite::resolve_text(targets, &s, part) {
            assert!(
                c.start <= c.end && c.end <= s.len(),
                "range outside the text"
            );
            assert!(s.is_char_boundary(c.start) && s.is_char_boundary(c.end));
            if let Some(d) = c.destination() {
                assert!(targets.contains(d), "destination {d} is not in the manual");
            }
            let _ = cite::stale_note(targets, &c);
        }
    }
}

/// A typed reference: `setproc show`/`open` and the reader's go-to prompt
/// (typed, completed with Tab, opened with Enter).
pub fn lookup(data: &[u8]) {
    let s = text(data);
    let lib = library();
    match lookup::lookup_with_note(lib, &s) {
        Ok((t, _)) => assert!(lib.index_of(t.node()).is_some(), "{:?}", t.node()),
        Err(e) => assert!(!e.to_string().contains('\n'), "two-line error: {e}"),
    }
    let mut app = App::new(lib, &Saved::default(), None);
    update(&mut app, Action::Resize(80, 24));
    update(&mut app, Action::GoTo);
    for c in s.chars().take(200) {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Complete);
    update(&mut app, Action::Submit);
    draw(&app);
}

/// A query: analysed, expanded and run over the built-in manual, as typed
/// (the last word unfinished, by words) and as submitted (embedded by the
/// sentence model too); snippets and highlights are sound and results are
/// sections of the manual.
pub fn search(data: &[u8]) {
    let s = text(data);
    let idx = index();
    let mut engine = Engine::new(idx);
    for as_you_type in [false, true] {
        let hits = engine.search(
            &s,
            Options {
                limit: 5,
                as_you_type,
                meaning: if as_you_type {
                    Meaning::IfReady
                } else {
                    Meaning::Embed
                },
            },
        );
        for h in hits {
            assert!(library().index_of(h.id).is_some(), "{}", h.id);
            assert!(h.score.is_finite());
            for (a, b) in &h.highlights {
                assert!(a <= b && *b <= h.snippet.len(), "highlight {a}..{b}");
                assert!(h.snippet.is_char_boundary(*a) && h.snippet.is_char_boundary(*b));
            }
        }
    }
    let _ = engine.explain(&s, Options::default());
}

/// The saved-state file as found on disk: loaded (a damaged one moved
/// aside, bytes intact), restored into the reader (its bookmarks and
/// history lists drawn), merged as the reader saves (every bookmark and,
/// short of the history's cap, every visit kept), then updated with a
/// bookmark and a visit in this edition's terms, which must be there when
/// read back along with all that was there before.
pub fn saved(data: &[u8]) {
    let dir = scratch_dir();
    let store = Store::new(dir.path());
    std::fs::write(store.path(), data).expect("scratch file");
    let (saved, note) = store.load();
    if let Some(note) = &note {
        assert!(!note.contains('\n'), "two-line message: {note}");
        if !store.path().exists() {
            // Moved aside: the damaged bytes survive untouched.
            let backup = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .find(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
                .expect("a damaged file is moved aside");
            assert_eq!(std::fs::read(backup.path()).unwrap(), data);
        }
    }
    let lib = library();
    let mut app = App::new(lib, &saved, None);
    update(&mut app, Action::Resize(60, 20));
    update(&mut app, Action::ShowBookmarks);
    draw(&app);
    update(&mut app, Action::Cancel);
    update(&mut app, Action::ShowHistory);
    draw(&app);
    let merged = app.merge_saved(saved.clone());
    for b in &saved.bookmarks {
        assert!(
            merged.bookmarks.iter().any(|m| m.id == b.id),
            "bookmark {} lost",
            b.id
        );
    }
    if saved.history.len() < 150 {
        for v in &saved.history {
            assert!(
                merged.history.iter().any(|m| m.node == v.node),
                "visit {} lost",
                v.node
            );
        }
    }
    let b24 = Bookmark {
        id: "B24.8".into(),
        title: lib.meta("B24.8".parse().unwrap()).unwrap().title.clone(),
        edition: Some(lib.edition.clone()),
    };
    let visit = Visit {
        node: "A3.4".into(),
        para: Some("A3.4.22".into()),
        title: "Strategy meeting/discussion".into(),
        edition: Some(lib.edition.clone()),
    };
    let written = store.update(|mut s| {
        s.bookmarks.push(b24.clone());
        s.history.insert(0, visit.clone());
        s
    });
    match written {
        Ok(_) => {
            let back = store.load().0;
            assert!(back.bookmarks.contains(&b24));
            assert_eq!(back.history.first(), Some(&visit));
            // Nothing that was there before is lost by a save.
            for b in &saved.bookmarks {
                assert!(back.bookmarks.contains(b), "bookmark {} lost", b.id);
            }
            assert!(back.history.ends_with(&saved.history), "history lost");
        }
        // Only a file this setproc must not overwrite refuses a save.
        Err(_) => assert_eq!(std::fs::read(store.path()).unwrap(), data),
    }
}

/// A content folder's manifest and front matter: a folder holding this
/// manifest (and two real content files) loads or is refused in one line;
/// and any manifest that parses, with its nodes' bodies, makes a library
/// that can be listed, looked up, shown and written out again.
pub fn manifest(data: &[u8]) {
    let s = text(data);
    let (front, body) = content::split_front_matter(&s);
    assert!(front.len() + body.len() <= s.len());
    let dir = scratch_dir();
    std::fs::write(dir.path().join(content::MANIFEST), data).expect("scratch file");
    let real = library();
    for id in ["A3.4", "part-A"] {
        let i = real.index_of(id.parse().unwrap()).unwrap();
        let file = format!(
            "{}{}\n",
            content::front_matter(&real.metas[i]),
            real.bodies[i]
        );
        std::fs::write(dir.path().join(&real.metas[i].path), file).expect("scratch file");
    }
    if let Err(e) = Library::load(dir.path()) {
        assert!(!e.to_string().contains('\n'), "two-line error: {e}");
    }
    // Past the hash check: the manifest as if its files matched it.
    let Ok(manifest) = serde_json::from_slice::<Manifest>(data) else {
        return;
    };
    let bodies = manifest
        .nodes
        .iter()
        .map(|m| real.body(m.id).unwrap_or(body).to_string())
        .collect();
    let lib = Library::from_manifest(manifest, bodies);
    let _ = lib.content_hash();
    let _ = lib.render_files();
    for m in lib.metas.iter().take(50) {
        let _ = lookup::lookup(&lib, &m.id.to_string());
        let _ = lib.is_within(m.id, NodeId::Part(Part::A));
        for p in m.paragraphs.iter().take(5) {
            let _ = lib.paragraph_markdown(*p);
        }
    }
    if lib.metas.is_empty() {
        return;
    }
    let mut app = App::new(&lib, &Saved::default(), None);
    update(&mut app, Action::Resize(70, 20));
    update(&mut app, Action::SelectNext);
    update(&mut app, Action::OpenSelected);
    draw(&app);
}

/// Draws the reader once, as the terminal would.
fn draw(app: &App) {
    let backend = ratatui::backend::TestBackend::new(80, 24);
    let mut terminal = ratatui::Terminal::new(backend).expect("test terminal");
    terminal
        .draw(|f| setproc::tui::view::draw(f, app))
        .expect("draws");
    for cell in terminal.backend().buffer().content() {
        assert_printable(cell.symbol(), "screen cell");
    }
}

/// A fresh folder in memory where there is one (`/dev/shm`), so the file
/// targets do not wait on a disk.
fn scratch_dir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).expect("scratch folder")
    } else {
        tempfile::tempdir().expect("scratch folder")
    }
}
