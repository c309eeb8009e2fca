//! The JSON contract: README's "JSON output" table describes every
//! `--json` output once, and this test holds each command's real output to
//! it. Each row's `{a, b, c}` names the fields of the output (an object, or
//! each element of an array) exactly: a field the table does not name, or
//! a named one missing, fails. "`x` is `{…}`" / "`x` are `{…}`" names the
//! fields of the objects found under `x`, wherever they are. Every command
//! with a `--json` flag must have a row, and every row a run here.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use clap::CommandFactory;
use serde_json::Value;

const README: &str = include_str!("../README.md");

/// How each row of the table is run: (the row's command, the arguments).
const RUNS: &[(&str, &[&str])] = &[
    ("toc --json", &["toc", "--json"]),
    ("show REF --json", &["show", "B24.8", "--json"]),
    ("show REF --json", &["show", "A3.4.22", "--json"]),
    ("search … --json", &["search", "LADO", "--json"]),
    ("refs --json", &["refs", "B36", "--incoming", "--json"]),
    (
        "resolve TEXT --json",
        &["resolve", "Part B, chapter 37, Historical abuse", "--json"],
    ),
    (
        "eval FILE --json",
        &["eval", "tests/data/eval-queries.tsv", "--json"],
    ),
    ("glossary [TERM] --json", &["glossary", "--json"]),
    ("glossary --gaps --json", &["glossary", "--gaps", "--json"]),
    ("contacts [QUERY] --json", &["contacts", "--json"]),
    // The built-in manual against the committed content folder (one
    // edition: every entry, unchanged, with all its fields).
    (
        "diff OLD NEW --json",
        &["diff", "builtin", "content", "--json"],
    ),
];

/// A row of the table: its top-level fields and the nested ones by key.
struct Shape {
    fields: BTreeSet<String>,
    nested: BTreeMap<String, BTreeSet<String>>,
}

/// The table's rows: command → its description.
fn table() -> Vec<(String, String)> {
    let start = README.find("| Command | Shape |").expect("the JSON table");
    README[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').splitn(2, " | ").collect();
            (
                cells[0].trim().trim_matches('`').to_string(),
                cells[1].trim().to_string(),
            )
        })
        .collect()
}

/// `{id, kind ("section"/"paragraph"), title}` → id, kind, title.
fn field_names(braces: &str) -> BTreeSet<String> {
    let mut depth = 0;
    let mut out = BTreeSet::new();
    let mut cur = String::new();
    for c in braces.chars().chain([',']) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                let name: String = cur
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
                cur.clear();
            }
            _ if depth == 0 => cur.push(c),
            _ => {}
        }
    }
    out
}

/// The first `` `{…}` `` of a description, or the shape it refers to.
fn shape(description: &str, rows: &[(String, String)]) -> Shape {
    let description = if description.contains("of the same objects") {
        // `resolve`: "array of the same objects" as `refs`.
        rows.iter()
            .find(|(c, _)| c == "refs --json")
            .map(|(_, d)| d.as_str())
            .unwrap()
    } else {
        description
    };
    let open = description.find("`{").expect("a `{…}` of fields");
    let close = description[open..].find("}`").unwrap() + open;
    let fields = field_names(&description[open + 2..close]);
    let nested_re = regex::Regex::new(r"`(\w+)` (?:is|are) `\{([^}]*)\}`").unwrap();
    let nested = nested_re
        .captures_iter(description)
        .map(|c| (c[1].to_string(), field_names(&c[2])))
        .collect();
    Shape { fields, nested }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// Checks every object under a documented nested key, at any depth.
fn check_nested(v: &Value, shape: &Shape, at: &str, checked: &mut usize) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                if let Some(want) = shape.nested.get(k) {
                    let objects: Vec<&Value> = match child {
                        Value::Array(a) => a.iter().filter(|x| x.is_object()).collect(),
                        Value::Object(_) => vec![child],
                        _ => Vec::new(),
                    };
                    for obj in objects {
                        assert_eq!(&keys(obj), want, "{at}: `{k}` holds {obj}");
                        *checked += 1;
                    }
                }
                check_nested(child, shape, at, checked);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| check_nested(x, shape, at, checked)),
        _ => {}
    }
}

#[test]
fn every_json_output_is_exactly_as_the_readme_describes() {
    let rows = table();
    assert!(rows.len() >= 9, "{} rows", rows.len());
    let mut nested_checked = 0;
    for (command, description) in &rows {
        let runs: Vec<&[&str]> = RUNS
            .iter()
            .filter(|(c, _)| c == command)
            .map(|(_, a)| *a)
            .collect();
        assert!(!runs.is_empty(), "README row `{command}` has no run here");
        let shape = shape(description, &rows);
        for args in runs {
            let out = Command::new(env!("CARGO_BIN_EXE_setproc"))
                .args(args)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            let items: Vec<&Value> = match &v {
                Value::Array(a) => {
                    assert!(
                        description.starts_with("array"),
                        "{command}: an array, the README says otherwise"
                    );
                    a.iter().collect()
                }
                other => vec![other],
            };
            assert!(!items.is_empty(), "{args:?} gave nothing to check");
            for item in items {
                assert_eq!(keys(item), shape.fields, "{args:?}: {item}");
            }
            check_nested(&v, &shape, command, &mut nested_checked);
        }
    }
    // show's paragraph `section`, the gaps' `undefined`, `unused` and
    // `sections`, diff's `sections`: nested shapes were really looked at.
    assert!(nested_checked > 10, "{nested_checked}");
}

#[test]
fn every_command_with_json_has_a_row() {
    let rows = table();
    for sub in setproc::cli::Cli::command().get_subcommands() {
        if sub.get_arguments().any(|a| a.get_id() == "json") {
            let name = sub.get_name();
            assert!(
                rows.iter().any(|(c, _)| c.split(' ').next() == Some(name)),
                "`setproc {name} --json` is not in README's JSON table"
            );
        }
    }
}

#[test]
fn the_field_reader_reads_annotations_and_nesting() {
    assert_eq!(
        field_names(r#"id, kind ("section"/"paragraph"), title"#),
        ["id", "kind", "title"].map(String::from).into()
    );
    let s = shape("object: `{a, b}`; `b` are `{c, d}` in order", &[]);
    assert_eq!(s.fields, ["a", "b"].map(String::from).into());
    assert_eq!(s.nested["b"], ["c", "d"].map(String::from).into());
}
