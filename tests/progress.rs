//! Progress bars: drawn on a terminal for work longer than half a second
//! (`setproc build` of a source whose text differs embeds what changed
//! for search by meaning, seconds in a test build), never when output is
//! piped.

use std::process::Command;

const SOURCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/source/set-procedures-june-2025.txt"
);

/// A build of an edition whose text differs from the built-in one in 12
/// lines (so a dozen paragraphs are embedded anew), into `dir/out`.
fn build_args(dir: &std::path::Path) -> Vec<String> {
    let source = dir.join("edition.txt");
    let text = std::fs::read_to_string(SOURCE)
        .unwrap()
        .replace("practitioners", "professionals");
    std::fs::write(&source, text).unwrap();
    vec![
        "build".into(),
        "--source".into(),
        source.display().to_string(),
        "--content".into(),
        dir.join("out").display().to_string(),
    ]
}

#[test]
fn piped_output_has_no_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(build_args(tmp.path()))
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("built "), "{err}");
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(!err.contains("parsing the manual"), "{err}");
}

#[test]
fn a_terminal_sees_the_build_progress() {
    // `script` runs the command in a pseudo-terminal and records it.
    if Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "script is required in CI");
        eprintln!("SKIPPED: script (util-linux) is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let command = std::iter::once(env!("CARGO_BIN_EXE_setproc").to_string())
        .chain(build_args(tmp.path()))
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    // A step of the build was drawn (and redrawn in place), then cleared
    // before the report.
    assert!(
        [
            "parsing the manual",
            "linking citations",
            "writing the content",
            "embedding for search by meaning"
        ]
        .iter()
        .any(|step| screen.contains(step)),
        "{screen:?}"
    );
    assert!(screen.contains("/6"), "{screen:?}");
    assert!(screen.contains("built "), "{screen:?}");
}
