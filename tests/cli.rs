//! The command line, driven as another tool would: JSON contracts, exit
//! codes (0 found, 1 not found, 2 error), one-line errors, quiet pipes.

use std::io::Read;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use setproc::manual::contents::parse_contents;
use setproc::store::library::{EMBEDDED_SOURCE, Library};
use setproc::store::lookup;

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
fn toc_json_lists_every_contents_entry_with_ids_titles_and_pages() {
    let o = setproc(&["toc", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let contents = parse_contents(EMBEDDED_SOURCE).unwrap();
    let numbered: Vec<_> = contents.numbered().collect();
    assert_eq!(numbered.len(), 418);
    for e in numbered {
        let id = e.node.unwrap().to_string();
        let row = rows
            .iter()
            .find(|r| r["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(row["title"], e.title.as_str(), "{id}");
        assert_eq!(row["page"], e.page.unwrap(), "{id}");
        assert!(row["level"].is_u64() && row.get("parent").is_some(), "{id}");
    }
    // Reading order: A1 before A1.1 before A2 before B1; parents exist.
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let pos = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    assert!(pos("A1") < pos("A1.1") && pos("A1.11") < pos("A2") && pos("A9.5") < pos("B1"));
    for r in &rows {
        if let Some(p) = r["parent"].as_str() {
            assert!(pos(p) < pos(r["id"].as_str().unwrap()));
        }
    }
    assert_eq!(rows[0]["id"], "part-A");
    assert_eq!(rows[0]["parent"], Value::Null);
}

#[test]
fn every_toc_id_and_paragraph_resolves() {
    let lib = Library::embedded();
    for m in &lib.metas {
        let t = lookup::lookup(&lib, &m.id.to_string()).unwrap();
        assert_eq!(t.node(), m.id);
        let lower = lookup::lookup(&lib, &m.id.to_string().to_lowercase()).unwrap();
        assert_eq!(lower.node(), m.id);
    }
    let mut n = 0;
    for p in lib.paragraph_ids() {
        let t = lookup::lookup(&lib, &p.to_string()).unwrap();
        assert_eq!(t.paragraph(), Some(p));
        assert!(
            lib.paragraph_markdown(p)
                .unwrap()
                .contains(&format!("**{}**", p.number()))
        );
        n += 1;
    }
    assert!(n > 3000);
}

#[test]
fn show_prints_sections_and_paragraphs_as_json_and_text() {
    let o = setproc(&["show", "b24.8", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["id"], "B24.8");
    assert_eq!(v["page"], 443);
    assert!(
        v["title"]
            .as_str()
            .unwrap()
            .starts_with("Online Exploitation")
    );
    assert!(v["path"].as_str().unwrap().ends_with("B24.8.md"));
    assert!(v["markdown"].as_str().unwrap().starts_with("# 24.8 "));

    let o = setproc(&["show", "A3.4.22", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["kind"], "paragraph");
    assert_eq!(v["section"]["id"], "A3.4");
    assert!(v["path"].as_str().unwrap().ends_with("A3.4.md#a3-4-22"));
    assert!(
        v["markdown"]
            .as_str()
            .unwrap()
            .contains("**3.4.22** A s47 enquiry may run concurrently")
    );

    let o = setproc(&["show", "A3.4.22", "--format", "text"]);
    let text = stdout(&o);
    assert!(
        text.starts_with("A3.4.22 in 3.4 Strategy meeting/discussion"),
        "{text}"
    );
    assert!(!text.contains("<a id") && !text.contains("**"), "{text}");
}

#[test]
fn unknown_refs_name_the_nearest_ids_and_exit_1() {
    let o = setproc(&["show", "B24.20"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "setproc: no section B24.20; nearest: B24.2, B24.13\n"
    );
    let o = setproc(&["show", "A3.4.99"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("setproc: no paragraph A3.4.99; nearest: A3.4."),
        "{}",
        stderr(&o)
    );
    let o = setproc(&["show", "not a reference at all"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(setproc(&["show"]).status.code(), Some(2));
    assert_eq!(setproc(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        setproc(&["search", "x", "--limit", "many"]).status.code(),
        Some(2)
    );
    let help = setproc(&["show", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("Examples:"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Outputs larger than a pipe's buffer (64 KiB), so the writer is still
    // writing when the reader goes away; JSON goes through serde_json.
    for args in [&["refs"][..], &["refs", "--json"], &["toc", "--json"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_setproc"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        out.read_exact(&mut first).unwrap();
        drop(out);
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(status.success(), "{args:?}: {status:?} {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn search_finds_reports_misses_and_never_echoes_control_characters() {
    let o = setproc(&["search", "private", "fostering", "--json", "--limit", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hits: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0]["id"], "B35.3");
    for key in [
        "id",
        "title",
        "breadcrumb",
        "score",
        "paragraph",
        "snippet",
        "highlights",
    ] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }
    let o = setproc(&["search", "zzqqxx"]);
    assert_eq!(o.status.code(), Some(1));
    let o = setproc(&["search", "\u{1b}[31mzzqqxx\u{7}"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !stderr(&o).chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        stderr(&o)
    );
    for q in ["AND OR", "\"unbalanced", ":", "*"] {
        let o = setproc(&["search", q]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{q}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn another_build_is_read_with_content_dir() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let c = content.to_str().unwrap();
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/source/set-procedures-june-2025.txt"
    );
    let o = setproc(&["build", "--source", source, "--content", c]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("built 55 chapters, 363 sections"),
        "{}",
        stderr(&o)
    );
    assert!(content.join("B24.8.md").is_file() && content.join("manifest.json").is_file());
    let o = setproc(&["--content", c, "show", "B24.8", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["path"].as_str().unwrap().starts_with(c));
    let o = setproc(&["--content", c, "search", "young carers", "--json"]);
    let hits: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(hits[0]["id"], "B30");
    let o = setproc(&["--content", "/nonexistent/setproc", "show", "B1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn another_texts_index_reads_its_text_as_its_content_folder_does() {
    // A new edition may hold what the parsed blocks and the markdown read
    // differently (here: a citation in code, block syntax on a line that
    // continues a paragraph). Its index must be the one its content folder
    // would give, whoever builds it.
    let anchor = "7.4.19 A final Management Planning meeting/discussion";
    assert!(EMBEDDED_SOURCE.contains(anchor));
    let edited = EMBEDDED_SOURCE.replacen(
        anchor,
        "Address line one\n> Floor 2\n\n7.4.19 A final `see Part B chapter 25` Management Planning meeting/discussion",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("edited.txt");
    std::fs::write(&source, &edited).unwrap();
    let content = dir.path().join("content");
    let o = setproc(&[
        "build",
        "--source",
        source.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let index_dir = err
        .lines()
        .find_map(|l| l.strip_prefix("index:"))
        .and_then(|l| l.trim().split(" (").next())
        .map(std::path::PathBuf::from)
        .unwrap();
    let key = index_dir.file_name().unwrap().to_str().unwrap().to_string();
    let built = setproc::search::index::open_dir(&index_dir, &key).unwrap();
    let from_folder =
        setproc::search::index::build_in_ram(&Library::load(&content).unwrap(), "folder").unwrap();
    assert_eq!(built.marker.paragraphs, from_folder.marker.paragraphs);
    assert_eq!(built.words(), from_folder.words());
}

#[test]
fn a_damaged_content_folder_is_an_error_not_the_built_in_manual() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let c = content.to_str().unwrap();
    let o = setproc(&["build", "--content", c]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A hash no index has been built for, and a section file gone: the
    // index must be built from this folder, which cannot be read.
    let manifest = content.join("manifest.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    m["content_hash"] = format!("damaged-{}", std::process::id()).into();
    std::fs::write(&manifest, m.to_string()).unwrap();
    std::fs::remove_file(content.join("B24.8.md")).unwrap();
    let o = setproc(&["--content", c, "search", "online exploitation"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("B24.8.md"), "{}", stderr(&o));
}

#[test]
fn refs_that_cannot_exist_say_so_and_suggest() {
    for (input, message) in [
        ("Part Z chapter 1", "no part Z; nearest: part-A, part-B"),
        ("part-B9", "no part B9; nearest: part-A, part-B"),
        ("A3.4.22.1", "no paragraph A3.4.22.1; nearest: A3.4.22"),
        (
            "see para A3.4.22.1.",
            "no paragraph A3.4.22.1; nearest: A3.4.22",
        ),
        ("part-time", "is not a section id or citation"),
        // A bare number with nothing near it in Part A: Part B's neighbours.
        ("section 24.99", "no section B24.99; nearest: B24.9"),
    ] {
        let o = setproc(&["show", input]);
        assert_eq!(o.status.code(), Some(1), "{input}: {}", stdout(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(message), "{input}: {err}");
    }
}

#[test]
fn a_drifted_citation_is_shown_with_a_note() {
    // Punctuation copied with an id does not matter.
    let o = setproc(&["show", "A3.4.22."]);
    assert!(stdout(&o).starts_with("A3.4.22 in 3.4"), "{}", stdout(&o));
    let o = setproc(&["show", "Part B, chapter 37, Historical abuse"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("# 36. Historical Abuse"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("cited as B37"), "{}", stderr(&o));
    let o = setproc(&["show", "Part B, chapter 37, Historical abuse", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["id"], "B36");
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("the title matches B36")
    );
}

#[test]
fn refs_of_a_paragraph_are_only_that_paragraphs() {
    let o = setproc(&["refs", "A3.4.22", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["paragraph"] == "A3.4.22"), "{rows:?}");
    let section: Vec<Value> =
        serde_json::from_str(&stdout(&setproc(&["refs", "A3.4", "--json"]))).unwrap();
    assert!(section.len() > rows.len());
}

#[test]
fn hand_edited_manifests_fail_cleanly_or_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let c = content.to_str().unwrap();
    assert!(setproc(&["build", "--content", c]).status.success());
    let manifest = content.join("manifest.json");
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();

    // Parents that loop: the folder no longer matches its manifest, which
    // is refused in one line (a library with such parents is fuzzed, and
    // its lookups end: fuzz/targets.rs).
    let mut m = original.clone();
    assert_eq!(m["nodes"][0]["id"], "part-A");
    m["nodes"][0]["parent"] = "A1".into();
    std::fs::write(&manifest, m.to_string()).unwrap();
    let o = setproc(&["--content", c, "refs", "part-B", "--incoming"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("do not match its manifest"),
        "{}",
        stderr(&o)
    );

    // No sections, or a path out of the folder: one line, exit 2.
    for (field, value) in [
        ("nodes", Value::Array(vec![])),
        ("path", "../../etc/passwd".into()),
    ] {
        let mut m = original.clone();
        if field == "nodes" {
            m["nodes"] = value;
        } else {
            m["nodes"][0]["path"] = value;
        }
        std::fs::write(&manifest, m.to_string()).unwrap();
        let o = setproc(&["--content", c, "show", "A1"]);
        assert_eq!(o.status.code(), Some(2), "{field}");
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
}
