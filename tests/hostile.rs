//! Hostile sources for `setproc build --source`: escape sequences,
//! controls, bidi overrides, other line endings, a BOM, invalid UTF-8,
//! very long lines, a very large file, duplicate ids, and the manual cut
//! short. Each must give a usable build (with warnings) or a one-line
//! error, never a panic; and nothing written to the terminal by `show`,
//! `search`, `toc`, `refs` or the reader may carry a control character
//! from the content (every byte is scanned).
//!
//! The outcomes are printed (`-- --nocapture`) and listed in
//! RELIABILITY.md. Long cases by hand:
//!
//!     SETPROC_HOSTILE_CUTS=100 SETPROC_HOSTILE_BIG=1 cargo test --test hostile -- --nocapture

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use setproc::store::library::{EMBEDDED_SOURCE, Library};
use support::{Home, Rng, Term, control_in, env_number, foreign_escape, status_id};

/// A sentence of the manual (in chapter B1's introduction) that the
/// payloads are put after.
const ANCHOR: &str = "Effective safeguarding systems are child centred.";

/// What a terminal would act on, with a visible word before each.
const ESCAPES: &str = "PWNED \u{1b}]0;TITLE\u{7} RED\u{1b}[31m \u{1b}[2J LINK\u{1b}]8;;http://example.invalid\u{1b}\\x\u{1b}]8;;\u{1b}\\ CSI\u{9b}2J";
const CONTROLS: &str = "PWNED NUL\u{0}SOH\u{1}BS\u{8}VT\u{b}FF\u{c}CR\rDEL\u{7f}NEL\u{85}";
const BIDI: &str = "PWNED \u{202e}DESREVER\u{202c} \u{2066}ISOLATE\u{2069} \u{202a}LRE\u{202c}";

fn inject(payload: &str) -> Vec<u8> {
    assert!(EMBEDDED_SOURCE.contains(ANCHOR));
    EMBEDDED_SOURCE
        .replacen(ANCHOR, &format!("{ANCHOR} {payload} end."), 1)
        .into_bytes()
}

/// The cases, by name: the source's bytes.
fn cases() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = vec![
        ("ANSI and OSC escapes".into(), inject(ESCAPES)),
        ("NUL, C0 and C1 controls".into(), inject(CONTROLS)),
        ("bidi overrides and isolates".into(), inject(BIDI)),
        (
            "CRLF line endings".into(),
            EMBEDDED_SOURCE.replace('\n', "\r\n").into_bytes(),
        ),
        (
            "a UTF-8 byte-order mark".into(),
            format!("\u{feff}{EMBEDDED_SOURCE}").into_bytes(),
        ),
    ];
    let mut invalid = inject("PWNED");
    let at = invalid.windows(5).position(|w| w == b"PWNED").unwrap();
    invalid.splice(at..at, [0xff, 0xfe, 0xc3, b' ', 0xe2, 0x80]);
    out.push(("invalid UTF-8".into(), invalid));
    let words = "PWNED child ".repeat(100_000 / 12 + 1);
    out.push(("a 100,000-character line of words".into(), inject(&words)));
    out.push((
        "a 100,000-character line without a space".into(),
        inject(&format!("PWNED {}", "x".repeat(100_000))),
    ));
    // Two entries for 24.8, and an entry whose title carries escapes.
    let entry = "24.8 Online Exploitation see Part B chapter 25, Online forms of abuse\t443\n";
    let dup = EMBEDDED_SOURCE.replacen(
        entry,
        &format!("{entry}{entry}24.8 Something Else\t444\n"),
        1,
    );
    assert_ne!(dup, EMBEDDED_SOURCE);
    out.push(("duplicate contents-list ids".into(), dup.into_bytes()));
    let title = "24.8 Online Exploitation";
    let titled =
        EMBEDDED_SOURCE.replace(title, "24.8 Online \u{1b}]0;PWNED\u{7}Exploitation\u{202e}");
    out.push(("escapes in a contents title".into(), titled.into_bytes()));
    out
}

/// A build's outcome in one line.
enum Outcome {
    Built { warnings: usize },
    Refused(String),
}

fn build(home: &Home, source: &Path, dir: &Path) -> (Outcome, Output) {
    let out = home.run(&[
        "build",
        "--source",
        &source.to_string_lossy(),
        "--content",
        &dir.to_string_lossy(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "a panic:\n{err}");
    assert_no_control("build's stderr", &out.stderr);
    let outcome = match out.status.code() {
        Some(0) => Outcome::Built {
            warnings: warnings_of(&err),
        },
        Some(2) => {
            assert_eq!(err.lines().count(), 1, "not one line:\n{err}");
            assert!(err.starts_with("setproc: "), "{err}");
            Outcome::Refused(err.trim().to_string())
        }
        other => panic!("exit {other:?}:\n{err}"),
    };
    (outcome, out)
}

fn assert_no_control(what: &str, bytes: &[u8]) {
    if let Some(found) = control_in(bytes) {
        panic!("{what}: {found}");
    }
}

/// The commands that print content, over a build: every byte scanned.
fn read_everything(home: &Home, dir: &Path, section: Option<&str>) {
    let dir = dir.to_string_lossy().into_owned();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["toc"],
        vec!["refs"],
        vec!["refs", "--stale"],
        vec!["search", "PWNED"],
        vec!["search", "child centred"],
        vec!["search", "PWNED", "--explain"],
    ];
    if let Some(s) = section {
        runs.extend([
            vec!["show", s],
            vec!["show", s, "--format", "text"],
            vec!["refs", s],
            vec!["resolve", "Part B chapter 24"],
        ]);
    }
    for args in runs {
        let mut full = vec!["--content", dir.as_str()];
        full.extend(&args);
        let out = home.run(&full);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{args:?}: exit {code:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_no_control(&format!("{args:?} stdout"), &out.stdout);
        assert_no_control(&format!("{args:?} stderr"), &out.stderr);
    }
}

/// The node whose text holds the payload's marker word.
fn marked_node(source: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(source);
    let lib = Library::from_source(&text, "hostile").ok()?;
    let i = lib.bodies.iter().position(|b| b.contains("PWNED"))?;
    Some(lib.metas[i].id.to_string())
}

#[test]
fn hostile_sources_build_or_refuse_in_one_line_and_never_reach_the_terminal() {
    let home = Home::new();
    let mut report = Vec::new();
    for (k, (name, bytes)) in cases().into_iter().enumerate() {
        let source = home.path().join(format!("case-{k}.txt"));
        fs::write(&source, &bytes).unwrap();
        let dir = home.path().join(format!("content-{k}"));
        let (outcome, _) = build(&home, &source, &dir);
        let line = match outcome {
            Outcome::Built { warnings } => {
                let section = marked_node(&bytes);
                read_everything(&home, &dir, section.as_deref());
                format!("built ({warnings} warnings); payload in {section:?}; output clean")
            }
            Outcome::Refused(msg) => format!("refused: {msg}"),
        };
        eprintln!("hostile | {name} | {line}");
        report.push(line);
    }
    // The escapes reached a section (so the scan above had something to
    // find), and only invalid UTF-8 is refused.
    assert!(report[0].contains("Some(\"B1\")"), "{}", report[0]);
    let refused: Vec<&String> = report.iter().filter(|l| l.starts_with("refused")).collect();
    assert!(refused.len() <= 1, "{refused:?}");
}

#[test]
fn the_manual_cut_short_anywhere_builds_or_refuses_in_one_line() {
    let cuts = env_number("SETPROC_HOSTILE_CUTS", 6);
    let (mut rng, seed) = Rng::from_env();
    eprintln!("cuts: {cuts}, SETPROC_SEED={seed}");
    let home = Home::new();
    let (mut built, mut refused) = (0, 0);
    for k in 0..cuts {
        let mut at = rng.below(EMBEDDED_SOURCE.len() as u64) as usize;
        while !EMBEDDED_SOURCE.is_char_boundary(at) {
            at -= 1;
        }
        let source = home.path().join("cut.txt");
        fs::write(&source, &EMBEDDED_SOURCE[..at]).unwrap();
        let dir = home.path().join(format!("cut-{k}"));
        match build(&home, &source, &dir).0 {
            Outcome::Built { warnings } => {
                built += 1;
                eprintln!("cut at byte {at}: built, {warnings} warnings");
                read_everything(&home, &dir, None);
            }
            Outcome::Refused(msg) => {
                refused += 1;
                eprintln!("cut at byte {at}: {msg}");
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }
    eprintln!("cuts: {built} built, {refused} refused in one line, 0 panics");
}

#[test]
fn a_50_megabyte_source_builds_or_refuses_in_one_line() {
    if env_number("SETPROC_HOSTILE_BIG", 0) == 0 {
        eprintln!("SKIPPED the 50 MB source: set SETPROC_HOSTILE_BIG=1 (takes minutes)");
        return;
    }
    let home = Home::new();
    // The manual, then its body again and again: every section repeated.
    let body_at = EMBEDDED_SOURCE.find("\nPART A\n").unwrap();
    let mut big = EMBEDDED_SOURCE.to_string();
    while big.len() < 50_000_000 {
        big.push_str(&EMBEDDED_SOURCE[body_at..]);
    }
    let source = home.path().join("big.txt");
    fs::write(&source, &big).unwrap();
    let dir = home.path().join("content");
    let start = std::time::Instant::now();
    let line = match build(&home, &source, &dir).0 {
        Outcome::Built { warnings } => {
            read_everything(&home, &dir, Some("B24.8"));
            format!("built, {warnings} warnings")
        }
        Outcome::Refused(msg) => msg,
    };
    eprintln!(
        "hostile | a {} MB file | {line} in {:.1} s",
        big.len() / 1_000_000,
        start.elapsed().as_secs_f64()
    );
}

/// The reader, on a build whose text carries every kind of payload: the
/// raw bytes it writes to its terminal hold its own drawing and nothing
/// from the content. The same check over the plain manual first shows it
/// finds nothing there to begin with.
#[test]
fn the_reader_writes_no_control_character_from_the_content() {
    if !support::tmux_or_skip("hostile reader") {
        return;
    }
    let home = Home::new();
    let source = home.path().join("all.txt");
    fs::write(&source, inject(&format!("{ESCAPES} {CONTROLS} {BIDI}"))).unwrap();
    let dir = home.path().join("content");
    assert!(matches!(
        build(&home, &source, &dir).0,
        Outcome::Built { .. }
    ));
    let dir = dir.to_string_lossy().into_owned();
    for (what, args) in [
        ("the manual", vec!["open", "B1"]),
        (
            "the hostile build",
            vec!["--content", dir.as_str(), "open", "B1"],
        ),
    ] {
        let raw = home.path().join("raw");
        let term = Term::start(home.path(), &home.shell_line(&args), Some(&raw));
        let opened = term.wait_for(Duration::from_secs(180), |s| status_id(s) == "B1");
        assert!(opened.is_ok(), "{what}: {opened:?}");
        if what == "the hostile build" {
            let s = term.wait_for(Duration::from_secs(10), |s| s.contains("PWNED"));
            assert!(s.is_ok(), "the payload is not on screen: {s:?}");
        }
        // Search for it too: the results list shows the snippet.
        term.keys(&["/"]);
        term.type_text("PWNED child centred");
        let results = term.wait_for(Duration::from_secs(20), |s| s.contains("▶ "));
        assert!(results.is_ok(), "{what}: no results: {results:?}");
        term.keys(&["Escape"]);
        // Seen closed before `q`: an Escape and a `q` read together are
        // Alt+q, which the reader (rightly) does not take for quit.
        let closed = term.wait_for(Duration::from_secs(20), |s| !s.contains("▶ "));
        assert!(
            closed.is_ok(),
            "{what}: the results did not close: {closed:?}"
        );
        term.keys(&["q"]);
        let quit = term.wait_for(Duration::from_secs(10), |_| term.dead());
        assert!(quit.is_ok() || term.dead(), "{what}: did not quit");
        drop(term);
        let bytes = fs::read(&raw).unwrap();
        assert!(
            bytes.len() > 1000,
            "{what}: only {} bytes captured",
            bytes.len()
        );
        if let Some(found) = foreign_escape(&bytes) {
            panic!("{what}: the reader wrote {found}");
        }
        eprintln!(
            "hostile | reader on {what} | {} bytes written, none foreign",
            bytes.len()
        );
    }
}

/// The count the build's summary gives: "… paragraphs from X (N warnings)".
fn warnings_of(err: &str) -> usize {
    err.lines()
        .find_map(|l| {
            let l = l.strip_prefix("built ")?;
            let n = l.rsplit_once(" (")?.1.strip_suffix(" warnings)")?;
            n.parse().ok()
        })
        .unwrap_or_else(|| panic!("no summary in {err}"))
}
