//! The on-disk index: built on first use, reused after, rebuilt when
//! missing or corrupt, and safe for a reader while another process rebuilds.

use std::fs;
use std::sync::OnceLock;

use setproc::search::index::{self, SearchIndex};
use setproc::search::{Engine, Options};
use setproc::store::library::Library;

fn lib() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(Library::embedded)
}

fn first_hit(idx: &SearchIndex, q: &str) -> String {
    Engine::new(idx)
        .search(q, Options::default())
        .first()
        .map(|h| h.id.to_string())
        .unwrap_or_default()
}

/// A way to damage an index folder.
type Corruption = Box<dyn Fn(&std::path::Path)>;

#[test]
fn built_on_first_use_then_reused_then_rebuilt_when_deleted_or_corrupt() {
    let root = tempfile::tempdir().unwrap();
    let key = "v-test";
    let make = || Ok(lib().clone());
    let first = index::open_or_build(root.path(), key, &make).unwrap();
    assert!(first.built);
    assert_eq!(first_hit(&first, "private fostering"), "B35.3");
    drop(first);

    let again = index::open_or_build(root.path(), key, &make).unwrap();
    assert!(!again.built, "a sound index is reused");
    drop(again);

    // Deleted: rebuilt.
    fs::remove_dir_all(root.path().join(key)).unwrap();
    let rebuilt = index::open_or_build(root.path(), key, &make).unwrap();
    assert!(rebuilt.built);
    drop(rebuilt);

    // Corrupt in several ways: each time rebuilt and searchable.
    let corruptions: Vec<Corruption> = vec![
        Box::new(|d| fs::write(d.join("meta.json"), b"{ not json").unwrap()),
        Box::new(|d| fs::write(d.join("setproc-index.json"), b"").unwrap()),
        Box::new(|d| {
            for e in fs::read_dir(d).unwrap().flatten() {
                if e.path().extension().is_some_and(|x| x == "store") {
                    fs::write(e.path(), b"garbage").unwrap();
                }
            }
        }),
        Box::new(|d| {
            for e in fs::read_dir(d).unwrap().flatten() {
                if e.path().extension().is_some_and(|x| x == "term") {
                    fs::remove_file(e.path()).unwrap();
                }
            }
        }),
        Box::new(|d| fs::remove_file(d.join("nodes.json")).unwrap()),
    ];
    for (i, corrupt) in corruptions.iter().enumerate() {
        corrupt(&root.path().join(key));
        let idx = index::open_or_build(root.path(), key, &make)
            .unwrap_or_else(|e| panic!("corruption {i}: {e}"));
        assert!(idx.built, "corruption {i} went unnoticed");
        assert_eq!(
            first_hit(&idx, "private fostering"),
            "B35.3",
            "corruption {i}"
        );
    }
}

#[test]
fn a_reader_keeps_working_while_another_rebuilds() {
    let root = tempfile::tempdir().unwrap();
    let key = "v-test";
    let reader = index::build_dir(root.path(), key, lib(), false).unwrap();
    let before = first_hit(&reader, "female genital mutilation");
    // Another process rebuilds the same index (as `setproc build` does).
    let other = index::build_dir(root.path(), key, lib(), true).unwrap();
    assert_eq!(first_hit(&other, "female genital mutilation"), before);
    // The first reader's files were replaced under it; it still answers.
    assert_eq!(first_hit(&reader, "female genital mutilation"), before);
    assert_eq!(before, "B39.3");
    // No temporary folders are left behind.
    let names: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [key]);
}

#[test]
fn an_unwritable_place_falls_back_to_memory() {
    let idx = index::build_in_ram(lib(), "ram").unwrap();
    assert!(idx.dir.is_none());
    assert_eq!(first_hit(&idx, "young carers"), "B30");
}

#[test]
fn indexing_from_the_parsed_manual_gives_the_same_documents_as_from_its_markdown() {
    // `setproc build` indexes straight from the parse, before citations are
    // linked; a content folder is indexed from its markdown. Same text.
    let doc = setproc::manual::parse::parse(setproc::store::library::EMBEDDED_SOURCE).unwrap();
    let from_doc: Vec<index::Searchable> = index::searchable_in(&doc).collect();
    let from_markdown: Vec<index::Searchable> = index::searchable(lib()).collect();
    assert_eq!(from_doc.len(), 418);
    assert_eq!(from_doc, from_markdown);
}

#[test]
fn words_counted_while_indexing_match_a_count_of_the_indexed_text() {
    let idx = index::build_in_ram(lib(), "words").unwrap();
    let nodes: Vec<index::Searchable> = index::searchable(lib()).collect();
    let expected = index::Words::count(nodes.iter().flat_map(|n| {
        std::iter::once(n.title.as_str()).chain(n.chunks.iter().map(|c| c.text.as_str()))
    }));
    assert!(expected.len() > 5_000, "{} words", expected.len());
    assert_eq!(idx.words(), &expected);
    // A word of a title only, and one of the text.
    assert!(idx.words().doc_freq("fostering") > 10);
    assert_eq!(
        idx.words().doc_freq("safeguarding"),
        expected.doc_freq("safeguarding")
    );
}
