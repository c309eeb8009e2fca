//! Editions: which edition a build is, what changed between two, and old
//! numbers that keep working. Tested on the real manual and on a second
//! edition made from it by `editions/next.rs` (a documented, reproducible
//! script of the kinds of change the SET briefings describe).

#[path = "editions/next.rs"]
mod next;

use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;
use setproc::manual::edition::Edition;
use setproc::store::library::{EMBEDDED_SOURCE, Library};

fn setproc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn the_edition_is_the_title_page_date_and_a_text_hash() {
    let e = Edition::of(EMBEDDED_SOURCE);
    assert_eq!(e.date, "June 2025");
    assert_eq!(Library::embedded().edition, e);
    let o = setproc(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o).trim(),
        format!(
            "setproc {} (manual: June 2025 edition, text {})",
            env!("CARGO_PKG_VERSION"),
            e.hash
        )
    );
    // The committed content folder records it, and reads back with it.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["edition"]["date"], "June 2025");
    assert_eq!(manifest["edition"]["hash"], e.hash.as_str());
    assert_eq!(Library::load(&dir).unwrap().edition, e);
    let o = setproc(&["--content", dir.to_str().unwrap(), "--version"]);
    assert!(stdout(&o).contains(&e.hash), "{}", stderr(&o));
}

/// The April 2026 edition `editions/next.rs` makes, parsed.
fn next_lib() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| Library::from_source(&next_text(), "april-2026.txt").unwrap())
}

fn next_text() -> String {
    next::next_edition(EMBEDDED_SOURCE)
}

fn june() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(Library::embedded)
}

#[test]
fn the_made_edition_parses_like_the_real_one() {
    let new = next_lib();
    let old = june();
    assert_eq!(new.edition.date, "April 2026");
    assert_ne!(new.edition.hash, old.edition.hash);
    assert_eq!(next_text(), next_text(), "reproducible");
    // The same four warnings the June 2025 text gives (their line numbers
    // moved): nothing the script did confused the parser.
    let strip = |w: &String| {
        // Without line numbers: "line 12969" → "line".
        let words: Vec<&str> = w.split(' ').collect();
        let kept: Vec<&str> = (0..words.len())
            .filter(|&i| i == 0 || words[i - 1] != "line")
            .map(|i| words[i])
            .collect();
        kept.join(" ")
    };
    let warnings: Vec<String> = new.warnings.iter().map(strip).collect();
    assert_eq!(warnings, old.warnings.iter().map(strip).collect::<Vec<_>>());
    let count = |lib: &Library, n: usize| lib.section_ids().filter(|s| s.nums().len() == n).count();
    // One chapter inserted; one section removed, one added, three with the
    // new chapter.
    assert_eq!((count(old, 1), count(old, 2)), (55, 363));
    assert_eq!(
        (count(new, 1), count(new, 2)),
        (56, 366),
        "the script's changes:\n{}",
        next::CHANGES.join("\n")
    );
    let title = |lib: &Library, id: &str| lib.meta(id.parse().unwrap()).unwrap().title.clone();
    assert_eq!(title(new, "B14"), "Supervision");
    assert_eq!(title(new, "B25"), "Child-on-Child Abuse");
    assert_eq!(title(new, "B26"), "Online Forms of Abuse");
    assert_eq!(title(new, "B47"), title(old, "B46"));
    assert_eq!(title(new, "A3.7"), title(old, "A3.8"));
    assert_eq!(title(new, "B13.8"), "Criminal Behaviour Orders");
    let group = |lib: &Library, id: &str| lib.meta(id.parse().unwrap()).unwrap().parent;
    assert_eq!(group(new, "B14"), Some("part-B1".parse().unwrap()));
    assert_eq!(group(old, "B16"), Some("part-B2".parse().unwrap()));
    // The inserted paragraph pushed the rest of A3.4 along.
    let para = |lib: &Library, id: &str| {
        lib.paragraph_markdown(id.parse().unwrap())
            .unwrap()
            .split_once("** ")
            .unwrap()
            .1
            .to_string()
    };
    assert_eq!(para(new, "A3.4.6"), para(old, "A3.4.5"));
    assert!(
        para(new, "A3.4.5")
            .starts_with("A strategy meeting/discussion should take place within one working day")
    );
}
