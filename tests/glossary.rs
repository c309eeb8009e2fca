//! `setproc glossary` on the real manual: acronyms both ways with where
//! each is defined, and the editors' gaps report.

use std::process::{Command, Output};

use serde_json::Value;
use setproc::store::glossary::{self, Found, Source};
use setproc::store::library::{EMBEDDED_SOURCE, Library};

fn setproc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let o = setproc(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn an_acronym_and_its_full_name_find_each_other() {
    let by_short = json(&["glossary", "LADO", "--json"]);
    assert_eq!(by_short.as_array().unwrap().len(), 1, "{by_short}");
    let long = by_short[0]["long"].as_str().unwrap();
    assert!(long.eq_ignore_ascii_case("Local Authority Designated Officer"));
    assert_eq!(by_short[0]["source"], "glossary");
    assert_eq!(by_short[0]["section"], "B46");

    let by_long = json(&["glossary", "Local Authority Designated Officer", "--json"]);
    assert_eq!(by_long, by_short);
    // Case, a plural and a leading "the" aside.
    let plural = json(&[
        "glossary",
        "the",
        "local",
        "authority",
        "designated",
        "officers",
        "--json",
    ]);
    assert_eq!(plural, by_short);

    // The text output says the same on one line.
    let o = setproc(&["glossary", "lado"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("LADO  Local authority designated officer  (B46, glossary)"));
}

#[test]
fn acronyms_defined_in_the_text_say_where() {
    let nspcc = json(&["glossary", "NSPCC", "--json"]);
    assert_eq!(nspcc[0]["source"], "text");
    let line = nspcc[0]["line"].as_u64().unwrap() as usize;
    let source_line = EMBEDDED_SOURCE.lines().nth(line - 1).unwrap();
    assert!(
        source_line.contains("National Society for the Prevention of Cruelty to Children (NSPCC)"),
        "{source_line}"
    );
    // The section named holds that line.
    let lib = Library::embedded();
    let id = nspcc[0]["section"].as_str().unwrap();
    let (a, b) = lib.meta(id.parse().unwrap()).unwrap().lines.unwrap();
    assert!(a <= line && line <= b, "{id} covers {a}..{b}, not {line}");
    let by_name = json(&[
        "glossary",
        "National Society for the Prevention of Cruelty to Children",
        "--json",
    ]);
    assert_eq!(by_name, nspcc);
}

#[test]
fn every_entry_is_placed_where_it_is_defined() {
    let lib = Library::embedded();
    let entries = glossary::entries(&lib);
    assert!(entries.len() > 100, "{}", entries.len());
    let lines: Vec<&str> = EMBEDDED_SOURCE.lines().collect();
    for e in &entries {
        let node = e
            .node
            .unwrap_or_else(|| panic!("{} has no section", e.short));
        match e.source {
            Source::Glossary => assert_eq!(node.to_string(), "B46", "{}", e.short),
            Source::Text => {
                let line = e.line.unwrap();
                let (a, b) = lib.meta(node).unwrap().lines.unwrap();
                assert!(a <= line && line <= b, "{}: {node} {a}..{b}", e.short);
                // `line` starts the paragraph holding the definition (the
                // PDF's text may break it with a blank line).
                assert!(
                    lines[line - 1..]
                        .iter()
                        .take(8)
                        .any(|l| l.contains(&e.short)),
                    "{} at {line}",
                    e.short
                );
            }
        }
    }
    let shorts: Vec<String> = entries.iter().map(|e| e.short.to_lowercase()).collect();
    assert!(shorts.is_sorted(), "alphabetical");
    // Words of either form find entries; a near miss suggests.
    let Found::Partial(found) = glossary::find(&lib, "mental health") else {
        panic!("no partial match")
    };
    assert!(found.iter().any(|e| e.short == "CAMHS"), "{found:?}");
    assert_eq!(
        glossary::find(&lib, "LADDO"),
        Found::Nothing {
            nearest: vec!["LADO".into()]
        }
    );
}

#[test]
fn unknown_terms_exit_1_with_the_nearest() {
    let o = setproc(&["glossary", "MARAK"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("nearest: MARAC"), "{err}");
    assert!(o.stdout.is_empty());
    // --gaps takes no term.
    assert_eq!(
        setproc(&["glossary", "LADO", "--gaps"]).status.code(),
        Some(2)
    );
}

/// Occurrences of `word` in the source as a whole word, possessives
/// included: an independent count for the report's.
fn count_in_source(word: &str) -> usize {
    EMBEDDED_SOURCE
        .match_indices(word)
        .filter(|(i, _)| {
            let before = EMBEDDED_SOURCE[..*i].chars().next_back();
            let after = EMBEDDED_SOURCE[i + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
                || after == Some('\'')
        })
        .count()
}

#[test]
fn gaps_report_undefined_acronyms_and_unused_entries_with_counts() {
    let report = json(&["glossary", "--gaps", "--json"]);
    let undefined = report["undefined"].as_array().unwrap();
    let find = |s: &str| undefined.iter().find(|u| u["short"] == s);
    // RSPCA: used three times, never spelled out.
    let rspca = find("RSPCA").expect("RSPCA is a gap");
    assert_eq!(rspca["count"], 3);
    assert_eq!(count_in_source("RSPCA"), 3);
    assert_eq!(rspca["sections"][0]["id"], "B41.3");
    // NSPCC is spelled out only in the text: no gap.
    assert!(find("NSPCC").is_none());
    assert!(count_in_source("NSPCC") >= 3);

    // No gap is an acronym the glossary command knows; every count is 3
    // or more and is the sum of its sections'.
    let known = json(&["glossary", "--json"]);
    for u in undefined {
        let short = u["short"].as_str().unwrap();
        assert!(
            !known
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["short"].as_str().unwrap().eq_ignore_ascii_case(short)),
            "{short} is defined"
        );
        let count = u["count"].as_u64().unwrap();
        assert!(count >= 3, "{u}");
        let sum: u64 = u["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["count"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, count, "{u}");
    }
    // Unused entries are glossary entries, and their short form is indeed
    // nowhere but in the glossary's own table row.
    let unused = report["unused"].as_array().unwrap();
    assert!(!unused.is_empty());
    for u in unused {
        let short = u["short"].as_str().unwrap();
        let entry = known
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["short"] == short)
            .unwrap();
        assert_eq!(entry["source"], "glossary", "{short}");
        assert_eq!(count_in_source(short), 1, "{short} is used");
    }
    // The text report says the same.
    let text = String::from_utf8(setproc(&["glossary", "--gaps"]).stdout).unwrap();
    let row = text.lines().find(|l| l.trim_start().starts_with("RSPCA "));
    let row: Vec<&str> = row.expect("an RSPCA row").split_whitespace().collect();
    assert_eq!(row, ["RSPCA", "3", "B41.3", "(3)"]);
}

#[test]
fn a_content_folder_gives_the_same_glossary_gaps_and_contacts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let dir = dir.to_str().unwrap();
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/source/set-procedures-june-2025.txt"
    );
    let built = Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(["build", "--source", source, "--content", dir])
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .output()
        .unwrap();
    assert!(built.status.success());
    for args in [
        &["glossary", "--json"][..],
        &["glossary", "--gaps", "--json"],
        &["contacts", "--json"],
    ] {
        let with_dir: Vec<&str> = ["--content", dir]
            .into_iter()
            .chain(args.iter().copied())
            .collect();
        assert_eq!(json(&with_dir), json(args), "{args:?}");
    }
}
