//! Shell completions and the man page: generated from the clap definition,
//! so these tests check that what they generate works in the real tools
//! (bash parses and completes with the script; the roff names every
//! subcommand, and renders where `man` is installed).

use std::io::Write;
use std::process::{Command, Stdio};

const SUBCOMMANDS: &[&str] = &[
    "open",
    "build",
    "toc",
    "show",
    "search",
    "refs",
    "resolve",
    "eval",
    "completions",
    "man",
    "glossary",
    "contacts",
];

fn setproc(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(args)
        .output()
        .expect("run setproc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

fn bash_available() -> bool {
    Command::new("bash").arg("--version").output().is_ok()
}

/// The words bash's completion function offers for `line` (the last word
/// being completed), with the script sourced.
fn complete(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("setproc.bash");
    std::fs::write(&path, script).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n_setproc setproc '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len().saturating_sub(2)],
    );
    let mut child = Command::new("bash")
        .arg("--norc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(program.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "bash failed on the completion script");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_parses_and_completes_subcommands_and_flags() {
    if !bash_available() {
        eprintln!("bash not installed: skipped");
        return;
    }
    let (code, script) = setproc(&["completions", "bash"]);
    assert_eq!(code, 0);
    let mut check = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    assert!(
        check.wait().unwrap().success(),
        "bash -n rejects the script"
    );

    let subcommands = complete(&script, &["setproc", "s"]);
    assert!(
        subcommands.contains(&"search".to_string()),
        "{subcommands:?}"
    );
    assert!(subcommands.contains(&"show".to_string()), "{subcommands:?}");
    assert!(!subcommands.contains(&"toc".to_string()), "{subcommands:?}");

    let flags = complete(&script, &["setproc", "search", "--"]);
    for flag in ["--json", "--limit", "--explain", "--content"] {
        assert!(
            flags.contains(&flag.to_string()),
            "{flag} missing: {flags:?}"
        );
    }
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = setproc(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(script.contains("setproc"), "{shell}");
        assert!(
            script.contains("search"),
            "{shell} script lacks subcommands"
        );
    }
    let (code, _) = setproc(&["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_man_page_names_every_subcommand_and_renders() {
    let (code, roff) = setproc(&["man"]);
    assert_eq!(code, 0);
    assert!(roff.contains(".TH setproc"), "no title header");
    for sub in SUBCOMMANDS {
        assert!(
            roff.contains(&format!("\nsetproc\\-{sub}(1)\n")),
            "the man page does not name {sub}"
        );
    }
    // Rendered by the real `man` where it is installed.
    if Command::new("man").arg("--version").output().is_ok() {
        let mut child = Command::new("man")
            .args(["-l", "-"])
            .env("MANPAGER", "cat")
            .env("COLUMNS", "80")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(roff.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        assert!(
            text.contains("SUBCOMMANDS") || text.contains("SUBCOMMAND"),
            "{text}"
        );
    }
}
