//! Editions: which edition a build is, what changed between two, and old
//! numbers that keep working. Tested on the real manual and on a second
//! edition made from it by `editions/next.rs` (a documented, reproducible
//! script of the kinds of change the SET briefings describe).

#[path = "editions/next.rs"]
mod next;
#[path = "editions/other.rs"]
mod other;

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

/// The made edition written to a file, for the binary.
fn next_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set-april-2026.txt");
    std::fs::write(&path, next_text()).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

fn diff_json(args: &[&str]) -> Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.push("--json");
    let o = setproc(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// (status, old, new) of every entry that is not `unchanged`.
fn news(d: &Value) -> Vec<(String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("-").to_string();
    d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] != "unchanged")
        .map(|e| (s(&e["status"]), s(&e["old"]), s(&e["new"])))
        .collect()
}

#[test]
fn the_manual_diffed_with_itself_is_all_unchanged() {
    let content = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    // The source and the committed content folder are one edition.
    let d = diff_json(&["builtin", content]);
    let sections = d["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 418, "55 chapters and 363 sections");
    for e in sections {
        assert_eq!(e["status"], "unchanged", "{e}");
        assert_eq!(e["old"], e["new"]);
        assert_eq!(
            (e["words_added"].as_u64(), e["words_removed"].as_u64()),
            (Some(0), Some(0))
        );
        assert_eq!(e["changed"], false);
        assert_eq!(e["old_title"], Value::Null);
    }
    assert_eq!(
        (d["old_edition"].as_str(), d["new_edition"].as_str()),
        (Some("June 2025"), Some("June 2025"))
    );
}

#[test]
fn diff_reports_every_scripted_change_with_its_status_and_ids_and_nothing_else() {
    let (_dir, next) = next_file();
    let d = diff_json(&["builtin", &next]);
    let t = |s: &str, o: &str, n: &str| (s.to_string(), o.to_string(), n.to_string());
    let mut want = vec![
        t("changed", "A1.3", "A1.3"),
        t("changed", "A2.3", "A2.3"),
        t("changed", "A3.4", "A3.4"),
        // Removed, at its old place; the sections after it move up.
        t("removed", "A3.7", "-"),
        t("renumbered", "A3.8", "A3.7"),
        t("renumbered", "A3.9", "A3.8"),
        t("renumbered", "A3.10", "A3.9"),
        t("renumbered", "A3.11", "A3.10"),
        t("added", "-", "B13.8"),
        // Moved from Part B2 to the end of Part B1; once, as a chapter.
        t("renumbered", "B16", "B14"),
        t("renumbered", "B14", "B15"),
        t("renumbered", "B15", "B16"),
        t("changed", "B17.10", "B17.10"),
        t("added", "-", "B25"),
        t("added", "-", "B25.1"),
        t("added", "-", "B25.2"),
        t("added", "-", "B25.3"),
        t("renumbered", "B25", "B26"),
        // Renumbered with its chapter, and reworded: an entry of its own.
        t("renumbered", "B25.4", "B26.4"),
    ];
    for c in 26..=46 {
        want.push(t("renumbered", &format!("B{c}"), &format!("B{}", c + 1)));
    }
    assert_eq!(
        news(&d),
        want,
        "the script's changes:\n{}",
        next::CHANGES.join("\n")
    );
    // Counts: 4 changed, 30 renumbered, 5 added, 1 removed; the other
    // 246 listed are unchanged (137 sections renumbered with their chapter
    // are folded into it).
    let sections = d["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 4 + 30 + 5 + 1 + 246);
    let entry = |old: &str| sections.iter().find(|e| e["old"] == old).unwrap().clone();
    let a23 = entry("A2.3");
    assert_eq!(
        a23["title"],
        "Thresholds for referrals to children's social care"
    );
    assert_eq!(
        a23["old_title"],
        "Local authority children's social care - thresholds for referrals"
    );
    assert_eq!(
        (a23["words_added"].as_u64(), a23["words_removed"].as_u64()),
        (Some(0), Some(0))
    );
    let b25 = entry("B25");
    assert_eq!(
        (b25["title"].as_str(), b25["old_title"].as_str()),
        (
            Some("Online Forms of Abuse"),
            Some("Online based forms of abuse")
        )
    );
    assert_eq!(b25["changed"], true);
    let b254 = entry("B25.4");
    assert_eq!(
        (
            b254["changed"].as_bool(),
            b254["words_added"].as_u64(),
            b254["words_removed"].as_u64()
        ),
        (Some(true), Some(16), Some(0))
    );
    let b16 = entry("B16");
    assert_eq!(b16["changed"], false, "moved, not edited");
    let a13 = entry("A1.3");
    assert_eq!(
        (a13["words_added"].as_u64(), a13["words_removed"].as_u64()),
        (Some(10), Some(8))
    );
    let a37 = entry("A3.7");
    assert_eq!(a37["new"], Value::Null);
    assert!(a37["words_removed"].as_u64().unwrap() > 100);
    // With --all: every section of both editions exactly once.
    let all = diff_json(&["builtin", &next, "--all"]);
    let all = all["sections"].as_array().unwrap();
    assert_eq!(all.len(), sections.len() + 137);
    for (lib, side) in [(june(), "old"), (next_lib(), "new")] {
        for id in lib.section_ids() {
            let n = all
                .iter()
                .filter(|e| e[side] == id.to_string().as_str())
                .count();
            assert_eq!(n, 1, "{side} {id}");
        }
    }
    let folded = all.iter().find(|e| e["old"] == "B25.8").unwrap();
    assert_eq!(
        (folded["status"].as_str(), folded["new"].as_str()),
        (Some("renumbered"), Some("B26.8"))
    );
}

#[test]
fn the_briefing_has_a_table_per_part_in_the_manuals_style() {
    let (_dir, next) = next_file();
    let o = setproc(&["diff", "builtin", &next, "--format", "md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.starts_with(
        "# SET Safeguarding and Child Protection Procedures – April 2026 updated chapters"
    ));
    for part in [
        "## Part A",
        "## Part B1: General Practice Guidance",
        "## Part B2: Learning and Improvement Framework",
        "## Part B3: Safeguarding Children Practice Guidance",
        "## Part B4: Appendices",
    ] {
        assert!(
            md.contains(&format!(
                "{part}\n\n| SET Chapter | Title | Update and impact on practice |"
            )),
            "{part}"
        );
    }
    for row in [
        "| Chapter 3 section 3.7 | Visually recorded interviews/Achieving best evidence | Section removed. |",
        "| Chapter 13 section 13.8 | Criminal Behaviour Orders | New section added. |",
        "| Chapter 25 | Child-on-Child Abuse | New chapter. |",
        "| Chapter 26 (was 25) | Online Forms of Abuse | Renumbered: this chapter was B25 and is now B26. Retitled (was “Online based forms of abuse”). |",
    ] {
        assert!(md.contains(row), "missing {row}");
    }
    assert!(md.contains("| Chapter 14 (was 16) | Supervision | Moved from Part B2: Learning and Improvement Framework to Part B1: General Practice Guidance."));
    assert!(md.contains("“Initial Grading and Attendance Procedure” became “Risk Assessment and Attendance Policy (2026),”"));
    // Unchanged sections are not in a briefing.
    assert!(!md.contains("| Chapter 24 section 24.8 "));
    // The text form says the same.
    let text = stdout(&setproc(&["diff", "builtin", &next]));
    assert!(
        text.contains("renumbered  B16 → B14      Supervision"),
        "{text}"
    );
    assert!(text.contains("[-Initial Grading and Attendance Procedure-] {+Risk Assessment and Attendance Policy (2026),+}"));
}

#[test]
fn diff_of_what_is_not_an_edition_is_a_one_line_error() {
    let o = setproc(&["diff", "builtin", "/nonexistent/edition.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot read /nonexistent/edition.txt"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "not the manual\n").unwrap();
    let o = setproc(&["diff", junk.to_str().unwrap(), "builtin"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not the SET procedures text"),
        "{}",
        stderr(&o)
    );
}

/// A third edition (May 2027) from the April 2026 text: A3.10 Recording
/// (June 2025's A3.11) removed, nothing renumbered.
fn may_2027(april: &str) -> String {
    let lines: Vec<&str> = april.lines().collect();
    let body = lines.iter().rposition(|l| l.trim() == "PART A").unwrap();
    let heading = (body..lines.len())
        .find(|&i| lines[i].starts_with("3.10 Recording"))
        .unwrap();
    let next = (heading..lines.len())
        .find(|&i| lines[i].starts_with("4. Child Protection Conferences"))
        .unwrap();
    let mut out: Vec<&str> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let contents_entry = i < body && l.starts_with("3.10 Recording");
        if contents_entry || (heading..next).contains(&i) {
            continue;
        }
        out.push(l);
    }
    out.join("\n").replace("[April 2026]", "[May 2027]") + "\n"
}

fn show_json(dir: &std::path::Path, reference: &str) -> (Option<i32>, Value, String) {
    let o = setproc(&[
        "--content",
        dir.to_str().unwrap(),
        "show",
        reference,
        "--json",
    ]);
    let v = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
    (o.status.code(), v, stderr(&o))
}

/// `show REF --json` in `dir` finds `id`, with `note`.
fn assert_resolves(dir: &std::path::Path, reference: &str, id: &str, note: &str) {
    let (code, v, err) = show_json(dir, reference);
    assert_eq!(code, Some(0), "{reference}: {err}");
    assert_eq!(
        (v["id"].as_str(), v["note"].as_str()),
        (Some(id), Some(note)),
        "{reference}"
    );
}

#[test]
fn old_numbers_resolve_through_the_id_map_with_a_note_across_editions() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("set");
    let (_t, next) = next_file();
    let d = dir.to_str().unwrap();
    let o = setproc(&["build", "--content", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !dir.join("editions.json").exists(),
        "the first build has no earlier edition"
    );
    // The next edition into the same folder: the build found there is the
    // previous one.
    let o = setproc(&["build", "--source", &next, "--content", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("editions: compared with June 2025"),
        "{}",
        stderr(&o)
    );
    for (reference, id, note) in [
        (
            "B25.8@June 2025",
            "B26.8",
            "B25.8 in June 2025 is B26.8 in April 2026",
        ),
        (
            "b16@june 2025",
            "B14",
            "B16 in June 2025 is B14 in April 2026",
        ),
        (
            "A3.8@June 2025",
            "A3.7",
            "A3.8 in June 2025 is A3.7 in April 2026",
        ),
        (
            "A3.4.22@June 2025",
            "A3.4.23",
            "A3.4.22 in June 2025 is A3.4.23 in April 2026",
        ),
        (
            "B24.8@June 2025",
            "B24.8",
            "B24.8 in June 2025 is still B24.8 in April 2026",
        ),
        (
            "A3.7@June 2025",
            "A3",
            "A3.7 (Visually recorded interviews/Achieving best evidence) in June 2025 was removed in April 2026; showing A3, where it stood",
        ),
        (
            "Part B, chapter 25, Online forms of abuse@June 2025",
            "B26",
            "B25 in June 2025 is B26 in April 2026",
        ),
    ] {
        assert_resolves(&dir, reference, id, note);
    }
    // The edition's own numbers need no note; an edition it does not know
    // is not found.
    let (_, v, _) = show_json(&dir, "A3.7@April 2026");
    assert_eq!(
        (v["title"].as_str(), v["note"].as_str()),
        (Some("Paediatric assessment"), None)
    );
    let (code, _, err) = show_json(&dir, "B24.8@May 2019");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("knows no edition 'May 2019'") && err.contains("June 2025"),
        "{err}"
    );
    let o = setproc(&["--content", d, "show", "B25.8@June 2025"]);
    assert!(stderr(&o).starts_with("note: B25.8 in June 2025 is B26.8 in April 2026"));
    assert!(stdout(&o).starts_with("# 26.8 Impact on Children"));

    // A third edition: June 2025's numbers still land, through both maps.
    let third = home.path().join("may-2027.txt");
    std::fs::write(&third, may_2027(&next_text())).unwrap();
    let o = setproc(&["build", "--source", third.to_str().unwrap(), "--content", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (reference, id, note) in [
        (
            "B25.8@June 2025",
            "B26.8",
            "B25.8 in June 2025 is B26.8 in May 2027",
        ),
        (
            "A3.4.22@June 2025",
            "A3.4.23",
            "A3.4.22 in June 2025 is A3.4.23 in May 2027",
        ),
        (
            "A3.11@June 2025",
            "A3",
            "A3.11 (Recording) in June 2025 was removed in May 2027; showing A3, where it stood",
        ),
        (
            "A3.10@April 2026",
            "A3",
            "A3.10 (Recording) in April 2026 was removed in May 2027; showing A3, where it stood",
        ),
        (
            "A3.9@April 2026",
            "A3.9",
            "A3.9 in April 2026 is still A3.9 in May 2027",
        ),
    ] {
        assert_resolves(&dir, reference, id, note);
    }
}

#[test]
fn build_previous_names_the_edition_replaced() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("fresh");
    let (_t, next) = next_file();
    let d = dir.to_str().unwrap();
    let o = setproc(&[
        "build",
        "--source",
        &next,
        "--content",
        d,
        "--previous",
        "builtin",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, v, _) = show_json(&dir, "B46@June 2025");
    assert_eq!(v["id"], "B47");
    // The history holds what changed, for the reader.
    let h: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("editions.json")).unwrap()).unwrap();
    assert_eq!(h["edition"]["date"], "April 2026");
    assert_eq!(h["maps"][0]["from"]["date"], "June 2025");
    let listed = h["changes"]["entries"].as_array().unwrap().len();
    assert_eq!(listed, 4 + 30 + 5 + 1);
    // The same edition twice is a mistake worth saying.
    let o = setproc(&[
        "build",
        "--source",
        &next,
        "--content",
        d,
        "--previous",
        &next,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("same edition"), "{}", stderr(&o));
}

/// The history a build of the made edition with `--previous builtin`
/// keeps, made in memory.
fn history() -> &'static setproc::edition::History {
    static H: OnceLock<setproc::edition::History> = OnceLock::new();
    H.get_or_init(|| {
        let (d, map) = setproc::edition::diff(june(), next_lib());
        setproc::edition::History::after(&d, map, None)
    })
}

#[test]
fn bookmarks_and_the_last_position_from_the_old_edition_land_in_the_new() {
    use setproc::tui::app::App;
    use setproc::tui::store::{Bookmark, Position, Saved, Visit};
    let june_ed = Some(june().edition.clone());
    let mark = |id: &str, title: &str| Bookmark {
        id: id.into(),
        title: title.into(),
        edition: june_ed.clone(),
    };
    let saved = Saved {
        version: 2,
        bookmarks: vec![
            mark("B25.8", "Impact on Children"),
            mark(
                "A3.7",
                "Visually recorded interviews/Achieving best evidence",
            ),
            mark(
                "B24.8",
                "Online Exploitation see Part B chapter 25, Online forms of abuse",
            ),
            // Version 1: no edition; taken as this edition's.
            Bookmark::bare("A3.4"),
            // An edition this build knows nothing of, whose B26.8 is
            // something else: kept on disk, not shown.
            Bookmark {
                id: "B26.8".into(),
                title: "Not this section".into(),
                edition: Some(setproc::manual::edition::Edition {
                    date: "May 2031".into(),
                    hash: "0123456789abcdef".into(),
                }),
            },
        ],
        last: Some(Position {
            node: "B25.4".into(),
            para: Some("B25.4.5".into()),
            block: 9,
            title: "Youth Produced Sexual Imagery".into(),
            edition: june_ed.clone(),
        }),
        // Visits are re-attached as bookmarks are.
        history: vec![
            Visit {
                node: "B25.8".into(),
                para: Some("B25.8.2".into()),
                title: "Impact on Children".into(),
                edition: june_ed.clone(),
            },
            Visit {
                node: "B26.8".into(),
                para: None,
                title: "Not this section".into(),
                edition: Some(setproc::manual::edition::Edition {
                    date: "May 2031".into(),
                    hash: "0123456789abcdef".into(),
                }),
            },
            Visit::bare("A3.4"),
        ],
    };
    let mut app = App::with_editions(next_lib(), &saved, None, Some(history()));
    app.update(setproc::tui::Action::Resize(100, 30));
    let id = |s: &str| -> setproc::manual::ids::NodeId { s.parse().unwrap() };
    assert_eq!(
        app.bookmarks,
        vec![id("B26.8"), id("A3"), id("B24.8"), id("A3.4")]
    );
    // The last position: the same section and paragraph, renumbered.
    assert_eq!(app.lib.metas[app.reader.node].id, id("B26.4"));
    assert_eq!(app.reader.para, Some("B26.4.5".parse().unwrap()));
    let msg = app.message.clone().unwrap().text;
    assert!(msg.starts_with("Your last place: B25.4 (Youth Produced Sexual Imagery) in June 2025 is B26.4 in April 2026"), "{msg}");
    assert!(msg.contains("2 bookmarks moved: B25.8 (Impact on Children) in June 2025 is B26.8 in April 2026; A3.7 (Visually recorded interviews/Achieving best evidence) in June 2025 was removed in April 2026; now on A3"), "{msg}");
    // It is saved in the new edition's terms at once; nothing is dropped.
    assert!(
        app.take_effects()
            .contains(&setproc::tui::Effect::SaveState)
    );
    let written = app.merge_saved(saved.clone());
    let on_disk: Vec<(String, String)> = written
        .bookmarks
        .iter()
        .map(|b| {
            (
                b.id.clone(),
                b.edition.as_ref().map_or("-".into(), |e| e.date.clone()),
            )
        })
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        on_disk,
        [
            pair("B26.8", "April 2026"),
            pair("A3", "April 2026"),
            pair("B24.8", "April 2026"),
            pair("A3.4", "-"),
            pair("B26.8", "May 2031"),
        ]
    );
    assert_eq!(written.bookmarks[0].title, "Impact on Children");
    // The history: this session's place first, then June 2025's visit in
    // April 2026's terms (its paragraph too), the unknown edition's kept
    // as it was, the one without an edition as it was.
    let visits: Vec<(String, Option<String>, String)> = written
        .history
        .iter()
        .map(|v| {
            (
                v.node.clone(),
                v.para.clone(),
                v.edition.as_ref().map_or("-".into(), |e| e.date.clone()),
            )
        })
        .collect();
    let visit =
        |n: &str, p: Option<&str>, e: &str| (n.to_string(), p.map(String::from), e.to_string());
    assert_eq!(
        visits,
        [
            visit("B26.4", Some("B26.4.5"), "April 2026"),
            visit("B26.8", Some("B26.8.2"), "April 2026"),
            visit("B26.8", None, "May 2031"),
            visit("A3.4", None, "-"),
        ]
    );
    assert_eq!(written.history[1].title, "Impact on Children");
    let last = written.last.unwrap();
    assert_eq!(
        (last.node.as_str(), last.edition.unwrap().date.as_str()),
        ("B26.4", "April 2026")
    );
    // The bookmark list says what moved.
    app.update(setproc::tui::Action::ShowBookmarks);
    let setproc::tui::app::Overlay::List(list) = &app.overlay else {
        panic!("no list")
    };
    assert!(
        list.items[0]
            .detail
            .starts_with("B25.8 (Impact on Children) in June 2025 is B26.8 in April 2026 · Part B"),
        "{}",
        list.items[0].detail
    );
    // The history list shows what this edition can place: not the unknown
    // edition's B26.8, whose title is another section's.
    app.update(setproc::tui::Action::Cancel);
    app.update(setproc::tui::Action::ShowHistory);
    let setproc::tui::app::Overlay::Pick(pick) = &app.overlay else {
        panic!("no history list")
    };
    let keys: Vec<&str> = pick.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["B26.4.5", "B26.8.2", "A3.4"]);
    // Read again (as the next start would), nothing moves any more.
    let again_saved = app.merge_saved(saved);
    let again = App::with_editions(next_lib(), &again_saved, None, Some(history()));
    assert_eq!(again.bookmarks, app.bookmarks);
    assert_eq!(again.message, None);
    assert_eq!(
        again.merge_saved(again_saved.clone()).history,
        again_saved.history
    );
}

#[test]
fn an_edition_made_differently_is_read_by_what_it_says_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set-october-2026.txt");
    std::fs::write(&path, other::october_2026(EMBEDDED_SOURCE)).unwrap();
    let october = path.to_str().unwrap();
    let d = diff_json(&["builtin", october]);
    let t = |s: &str, o: &str, n: &str| (s.to_string(), o.to_string(), n.to_string());
    let mut want = vec![
        // A paragraph removed: the rest of A2.1 renumbered.
        t("changed", "A2.1", "A2.1"),
        t("added", "-", "A6"),
        t("added", "-", "A6.1"),
        t("added", "-", "A6.2"),
    ];
    for c in 6..=9 {
        want.push(t("renumbered", &format!("A{c}"), &format!("A{}", c + 1)));
    }
    want.push(t("changed", "B12.2", "B12.2"));
    // Moved from Part B3 to the end of Part B2.
    want.push(t("renumbered", "B22", "B17"));
    for c in 17..=21 {
        want.push(t("renumbered", &format!("B{c}"), &format!("B{}", c + 1)));
    }
    // A section inserted in a renumbered chapter: those after it each move.
    want.push(t("added", "-", "B22.3"));
    for s in 3..=7 {
        want.push(t(
            "renumbered",
            &format!("B21.{s}"),
            &format!("B22.{}", s + 1),
        ));
    }
    want.push(t("changed", "B34.5", "B34.5"));
    want.push(t("removed", "B35.11", "-"));
    assert_eq!(news(&d), want);
    let sections = d["sections"].as_array().unwrap();
    let entry = |old: &str| sections.iter().find(|e| e["old"] == old).unwrap().clone();
    assert_eq!(
        entry("B12.2")["old_title"],
        "Induction and supervision of newly appointed staff"
    );
    let b345 = entry("B34.5");
    assert!(
        b345["words_added"].as_u64().unwrap() >= 25
            && b345["words_removed"].as_u64().unwrap() >= 40,
        "{b345}"
    );
    assert_eq!(entry("A2.1")["words_removed"], 17);

    // Its old numbers, through the map a build keeps.
    let home = tempfile::tempdir().unwrap();
    let content = home.path().join("october");
    let o = setproc(&[
        "build",
        "--source",
        october,
        "--content",
        content.to_str().unwrap(),
        "--previous",
        "builtin",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (reference, id) in [
        ("A6.1@June 2025", "A7.1"),
        ("A2.1.4@June 2025", "A2.1.3"),
        ("B22@June 2025", "B17"),
        ("B22.1.3@June 2025", "B17.1.3"),
        ("B21.3@June 2025", "B22.4"),
        ("B21.2@June 2025", "B22.2"),
        ("B35.11@June 2025", "B35"),
    ] {
        let (code, v, err) = show_json(&content, reference);
        assert_eq!(
            (code, v["id"].as_str()),
            (Some(0), Some(id)),
            "{reference}: {err}"
        );
    }
}

#[test]
fn a_source_text_compares_as_its_built_library_does() {
    use setproc::edition::units::{units, units_of_document};
    for (text, lib) in [
        (EMBEDDED_SOURCE.to_string(), june()),
        (next_text(), next_lib()),
    ] {
        let doc = setproc::manual::parse::parse(&text).unwrap();
        let (a, b) = (units_of_document(&doc), units(lib));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((x.id, &x.title, &x.group), (y.id, &y.title, &y.group));
            assert_eq!((&x.text, &x.spans), (&y.text, &y.spans), "{}", x.id);
            assert_eq!(x.paras, y.paras, "{}", x.id);
        }
        // Paragraph numbers are not words; every paragraph has its span.
        let paras: usize = a.iter().map(|u| u.paras.len()).sum();
        assert_eq!(paras, lib.paragraph_ids().count());
    }
}
