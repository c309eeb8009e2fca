//! The source tree keeps its shape: each folder imports only the stages
//! before it in the pipeline, and the reader's state never imports its
//! drawing. README's "How it works" states the same table; this test is
//! what keeps the two true.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What each top-level module may import (besides itself), in pipeline
/// order: `source text → parse → Document → content/ → index → search /
/// resolve → CLI and TUI`.
const ALLOWED: &[(&str, &[&str])] = &[
    ("trace", &[]),
    ("text", &[]),
    ("manual", &["text"]),
    ("cite", &["manual", "text"]),
    ("terms", &["manual", "text"]),
    ("store", &["manual", "cite", "terms", "text"]),
    ("search", &["manual", "store", "terms", "text", "trace"]),
    ("edition", &["manual", "cite", "store", "text"]),
    ("export", &["manual", "store", "text"]),
    (
        "tui",
        &["manual", "cite", "search", "store", "text", "edition"],
    ),
    (
        "cli",
        &[
            "manual", "cite", "search", "store", "terms", "text", "trace", "tui", "edition",
            "export",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// A file's production code: before its `#[cfg(test)]` module, without
/// comments.
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`, in both
/// `crate::a::b` and `crate::{a::b, c}` forms.
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group only: `a::b`, `c::{d, e}`.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            out.insert(first_segment(&item));
        } else {
            out.insert(first_segment(rest));
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

/// The first path segment of `a::b::c` (or of `self`, `a as b`).
fn first_segment(item: &str) -> String {
    item.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn each_folder_imports_only_earlier_stages() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src()).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == top)
            .unwrap_or_else(|| panic!("{} is in no stage of ALLOWED", rel.display()))
            .1;
        for r in crate_refs(&code_of(f)) {
            if r != top && !allowed.contains(&r.as_str()) {
                wrong.push(format!("{} imports crate::{r}", rel.display()));
            }
        }
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files read");
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_readers_state_knows_nothing_of_drawing_or_keys_of_state() {
    let tui = src().join("tui");
    let mut app_files = Vec::new();
    rust_files(&tui.join("app"), &mut app_files);
    for f in &app_files {
        let code = code_of(f);
        assert!(
            !code.contains("tui::view") && !code.contains("super::view"),
            "{} imports the view",
            f.display()
        );
    }
    let keys = code_of(&tui.join("keys.rs"));
    assert!(!keys.contains("app::"), "keys.rs names App's module");
    let action = code_of(&tui.join("action.rs"));
    for other in ["app::", "view::", "keys::"] {
        assert!(!action.contains(other), "action.rs names {other}");
    }
}

#[test]
fn the_reference_reader_finds_both_import_forms() {
    let refs = crate_refs("use crate::{manual::ids::X, text::{a, b}};\nlet x = crate::store::y;");
    let want: BTreeSet<String> = ["manual", "text", "store"].map(String::from).into();
    assert_eq!(refs, want);
}

#[test]
fn every_folder_says_what_it_holds_and_may_depend_on() {
    for (m, _) in ALLOWED {
        let dir = src().join(m);
        if !dir.is_dir() {
            continue;
        }
        let text = fs::read_to_string(dir.join("mod.rs")).unwrap();
        assert!(text.starts_with("//!"), "{m}/mod.rs has no module doc");
        let doc: String = text.lines().take_while(|l| l.starts_with("//!")).collect();
        assert!(
            doc.contains("May depend on"),
            "{m}/mod.rs does not say what it may depend on"
        );
    }
}

#[test]
fn the_readme_map_names_every_folder_and_file_of_each_stage() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let map = &readme[readme
        .find("| Folder | Holds | May import |")
        .expect("the map")..];
    let map = &map[..map.find("\n\n").unwrap_or(map.len())];
    for (m, allowed) in ALLOWED {
        let row = map
            .lines()
            .find(|l| l.starts_with(&format!("| `{m}/`")) || l.starts_with(&format!("| `{m}.rs`")))
            .unwrap_or_else(|| panic!("README's map has no row for {m}"));
        for dep in *allowed {
            assert!(
                row.contains(&format!("`{dep}`")),
                "README: {m} may import {dep}, the row does not say so"
            );
        }
        let dir = src().join(m);
        if dir.is_dir() {
            let mut files = Vec::new();
            rust_files(&dir, &mut files);
            for f in files {
                let name = f.file_stem().unwrap().to_string_lossy().to_string();
                if name != "mod" {
                    assert!(
                        row.contains(&format!("`{name}")),
                        "README's row for {m} does not name {name}"
                    );
                }
            }
        }
    }
}
