//! The fuzz corpus, replayed as an ordinary test: every input in
//! `fuzz/corpus/<target>/` (seeds from the real manual, and what AFL++
//! kept as new coverage) and `fuzz/regressions/<target>/` (every crash
//! found, kept after its fix) runs through the same target functions the
//! fuzzer runs (`fuzz/targets.rs`), without instrumentation.
//!
//! The seeds are written from the manual by
//! `cargo test --test fuzz_corpus -- --ignored write_seeds`.

#[allow(dead_code)] // the seeder and the replay use different parts
#[path = "../fuzz/targets.rs"]
mod targets;

use std::fs;
use std::path::{Path, PathBuf};

use setproc::store::library::EMBEDDED_SOURCE;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(fuzz_dir().join(kind).join(target)) else {
            continue;
        };
        out.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    out.sort();
    out
}

fn replay(target: &str) {
    let (_, run) = targets::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target");
    let files = inputs(target);
    assert!(
        files.len() >= 5,
        "fuzz/corpus/{target} has {} inputs; seed it (see this file's docs)",
        files.len()
    );
    for path in &files {
        let data = fs::read(path).unwrap();
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} fails", path.display());
    }
}

#[test]
fn contents_corpus() {
    replay("contents");
}

#[test]
fn body_corpus() {
    replay("body");
}

#[test]
fn cite_corpus() {
    replay("cite");
}

#[test]
fn lookup_corpus() {
    replay("lookup");
}

#[test]
fn search_corpus() {
    replay("search");
}

#[test]
fn saved_corpus() {
    replay("saved");
}

#[test]
fn manifest_corpus() {
    replay("manifest");
}

/// The checks themselves catch what they should: a control character on
/// screen is a finding, plain text is not.
#[test]
fn printable_check_catches_escapes_and_bidi_overrides() {
    targets::assert_printable("Private fostering › B35.3", "plain");
    for bad in ["\u{1b}[31mred", "\u{202e}evil", "bell\u{7}", "\u{9b}2J"] {
        let caught = std::panic::catch_unwind(|| targets::assert_printable(bad, "test"));
        assert!(caught.is_err(), "{bad:?} passed");
    }
}

/// Writes the seed inputs of every target from the real manual.
#[test]
#[ignore = "writes fuzz/corpus; run by hand when the targets change"]
fn write_seeds() {
    let lib = targets::library();
    let mut seeds: Vec<(&str, String, Vec<u8>)> = Vec::new();
    let mut add = |target: &'static str, name: String, bytes: Vec<u8>| {
        seeds.push((target, name, bytes));
    };

    // The contents list whole, and a part of it.
    let head = targets::contents_list();
    add("contents", "whole".into(), head.as_bytes().to_vec());
    let lines: Vec<&str> = head.lines().collect();
    for (k, chunk) in lines.chunks(60).enumerate().take(6) {
        let text = format!("Contents\n{}\n", chunk.join("\n"));
        add("contents", format!("part-{k}"), text.into_bytes());
    }

    // Stretches of the body, each under its part's heading.
    let body: Vec<&str> = EMBEDDED_SOURCE[head.len()..].lines().collect();
    let step = body.len() / 16;
    for k in 0..16 {
        let from = k * step;
        let part_b = body[..from].contains(&"PART B");
        let heading = if part_b { "PART A\nPART B" } else { "PART A" };
        let text = format!("{heading}\n{}\n", body[from..from + 120].join("\n"));
        add("body", format!("stretch-{k:02}"), text.into_bytes());
    }

    // Citations as the manual writes them, alone and in their sentence.
    let mut cited: Vec<&str> = lib.citations.iter().map(|c| c.text.as_str()).collect();
    cited.sort();
    cited.dedup();
    for (k, c) in cited.iter().step_by(cited.len() / 24 + 1).enumerate() {
        add("cite", format!("citation-{k:02}"), c.as_bytes().to_vec());
        add("lookup", format!("citation-{k:02}"), c.as_bytes().to_vec());
    }
    for (k, c) in lib.citations.iter().step_by(97).take(12).enumerate() {
        let sentence = lib.bodies[lib.index_of(c.from).unwrap()]
            .lines()
            .find(|l| l.contains(&c.text))
            .unwrap_or(&c.text);
        add(
            "cite",
            format!("sentence-{k:02}"),
            sentence.as_bytes().to_vec(),
        );
    }

    // Ids as typed.
    for (k, s) in [
        "B24.8",
        "a3.4.22",
        "part-B3",
        "Part B chapter 24",
        "B24.20",
        "A3.4.22.1",
        "part b ch 37, historical abuse",
        "3.6",
        "Part A, section 3.2",
        "b35",
    ]
    .iter()
    .enumerate()
    {
        add("lookup", format!("id-{k:02}"), s.as_bytes().to_vec());
    }

    // Queries from the two evaluation sets.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["eval-queries.tsv", "dev-queries.tsv"] {
        let tsv = fs::read_to_string(root.join("tests/data").join(file)).unwrap();
        for (k, line) in tsv.lines().skip(1).step_by(3).enumerate() {
            let q = line.split('\t').next().unwrap();
            let stem = file.trim_end_matches("-queries.tsv");
            add("search", format!("{stem}-{k:02}"), q.as_bytes().to_vec());
        }
    }
    add(
        "search",
        "phrase".into(),
        b"\"strategy discussion\" timescales".to_vec(),
    );
    add("search", "statute".into(), b"s47 S.47 section 47".to_vec());

    // Saved state: sound, older, newer, damaged; version 2 as each branch
    // that made it wrote it (history with bare ids; titled bookmarks of an
    // edition) and as joined (both, visits titled, one of another edition).
    for (k, s) in [
        r#"{"version":1,"bookmarks":["B24.8","A3.4"],"last":{"node":"A3.4","para":"A3.4.22","block":12}}"#,
        r#"{"bookmarks":["B1","part-B3","Z9"],"future":true}"#,
        r#"{"version":99,"bookmarks":["B24.8"]}"#,
        r#"{"bookmarks": ["B24.8""#,
        r#"{"version":1,"bookmarks":[],"last":{"node":"B24","block":4294967295}}"#,
        r#"{"version":2,"bookmarks":["B24.8"],"last":{"node":"A3.4","para":null,"block":3},"history":[{"node":"B24.8","para":"B24.8.3"},{"node":"B99.9","para":null},{"node":"A1","para":null}]}"#,
        r#"{"version":2,"bookmarks":[{"id":"B25.8","title":"Impact on Children","edition":{"date":"June 2025","hash":"4bad3f6c62cf0a25"}}],"last":{"node":"B25.4","para":"B25.4.5","block":7,"title":"Youth Produced Sexual Imagery","edition":{"date":"April 2026","hash":"9233368e48b763d1"}}}"#,
        r#"{"version":2,"bookmarks":["A3.4",{"id":"B26.8","title":"Impact on Children","edition":{"date":"April 2026","hash":"9233368e48b763d1"}}],"last":{"node":"A3.4","block":0},"history":[{"node":"B26.8","para":"B26.8.2","title":"Impact on Children","edition":{"date":"April 2026","hash":"9233368e48b763d1"}},{"node":"B24.8","title":"Online Exploitation","edition":{"date":"June 2025","hash":"4bad3f6c62cf0a25"}},{"node":"part-B3"}]}"#,
    ]
    .iter()
    .enumerate()
    {
        add("saved", format!("state-{k}"), s.as_bytes().to_vec());
    }

    // A manifest of the first nodes of the real one (so it names the two
    // files the target writes beside it), and a content file.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("content/manifest.json")).unwrap())
            .unwrap();
    let mut small = manifest.clone();
    let keep = |id: &serde_json::Value| ["part-A", "A3.4"].contains(&id.as_str().unwrap_or(""));
    let nodes: Vec<serde_json::Value> = manifest["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| keep(&n["id"]))
        .cloned()
        .collect();
    small["nodes"] = nodes.into();
    small["citations"] = manifest["citations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["from"] == "A3.4")
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let vocabulary = &manifest["vocabulary"];
    small["vocabulary"] = serde_json::json!({
        "acronyms": vocabulary["acronyms"].as_array().unwrap()[..3],
        "aliases": vocabulary["aliases"].as_array().unwrap()[..3],
        "glossary_node": vocabulary["glossary_node"],
    });
    let small_text = serde_json::to_string_pretty(&small).unwrap();
    add(
        "manifest",
        "two-nodes".into(),
        small_text.clone().into_bytes(),
    );
    // Refused ones: another schema, no nodes, a path out of the folder,
    // and a parent that loops.
    let mut variant = |name: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let mut m = small.clone();
        change(&mut m);
        add(
            "manifest",
            name.into(),
            serde_json::to_vec_pretty(&m).unwrap(),
        );
    };
    variant("schema-2", &|m| m["schema"] = 2.into());
    variant("no-nodes", &|m| m["nodes"] = serde_json::json!([]));
    variant("path-out", &|m| m["nodes"][0]["path"] = "../A3.4.md".into());
    variant("parent-loop", &|m| {
        m["nodes"][0]["parent"] = "part-A".into()
    });
    add(
        "manifest",
        "content-file".into(),
        fs::read(root.join("content/A3.4.md")).unwrap(),
    );

    for (target, name, bytes) in seeds {
        let dir = fuzz_dir().join("corpus").join(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("seed-{name}")), bytes).unwrap();
    }
}
