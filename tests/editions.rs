//! Editions: which edition a build is, what changed between two, and old
//! numbers that keep working. Tested on the real manual and on a second
//! edition made from it by `editions/next.rs` (a documented, reproducible
//! script of the kinds of change the SET briefings describe).

use std::process::{Command, Output};

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
