//! The reader end to end: the real binary in a real terminal (tmux), driven
//! the way a user would: search "private fostering", open the first result,
//! follow a cross-reference, go back, open an acronym's definition from the
//! glossary, a number's paragraph from the contacts and a section from the
//! history, quit. The screen is checked after each
//! step by polling `tmux capture-pane` (no fixed sleeps).
//!
//! Skips, saying why, only when tmux is not installed. Set
//! `SETPROC_E2E_BIN` to drive another build of the binary.

#[path = "editions/next.rs"]
mod next;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use setproc::manual::ids::NodeId;
use setproc::store::library::Library;
use setproc::tui::markdown::{LinkTarget, render};

/// A private tmux server (its own socket, in the test's temporary folder),
/// killed when dropped.
struct Tmux {
    socket: std::path::PathBuf,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status.success());
    }

    fn type_text(&self, text: &str) {
        assert!(
            self.cmd(&["send-keys", "-t", "e2e", "-l", text])
                .status
                .success()
        );
    }

    fn pane(&self, format: &str) -> String {
        let out = self.cmd(&["display-message", "-p", "-t", "e2e", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Polls the screen until `ok` holds, or fails with the last screen.
    fn wait_for(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The id at the start of the status line (second line from the bottom).
fn status_id(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines
        .len()
        .checked_sub(2)
        .and_then(|i| lines.get(i))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("")
        .to_string()
}

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether the test must be skipped, saying why: tmux is not installed.
fn skipped_without_tmux() -> bool {
    if have_tmux() {
        return false;
    }
    // CI installs tmux (.ci/run); there a missing tmux is a failure.
    assert!(std::env::var_os("CI").is_none(), "tmux is required in CI");
    eprintln!("SKIPPED tui_e2e: tmux is not installed (apt-get install tmux)");
    true
}

#[test]
fn search_open_follow_and_come_back() {
    if skipped_without_tmux() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let Session {
        tmux,
        data,
        status_file,
    } = launch(home.path(), &[]);

    // Start-up: the contents (the index may need building first).
    let s = tmux.wait_for("the contents", Duration::from_secs(120), |s| {
        s.contains("Part A") && s.contains("press / to search") || tmux.pane("#{pane_dead}") == "1"
    });
    assert_eq!(tmux.pane("#{pane_dead}"), "0", "setproc exited:\n{s}");

    // Search as you type, then open the first result.
    tmux.keys(&["/"]);
    tmux.type_text("private fostering");
    tmux.wait_for("results", Duration::from_secs(20), |s| {
        s.contains("▶ B35.3")
    });
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("B35.3 opened", Duration::from_secs(10), |s| {
        status_id(s) == "B35.3"
    });
    assert!(s.contains("Private fostering"), "{s}");

    // Follow a cross-reference: the first link of B35.3 (once citations
    // are linked), else the chapter's list of sections.
    let lib = Library::embedded();
    let here: NodeId = "B35.3".parse().unwrap();
    let links = render(lib.body(here).unwrap(), 80, &|_| None).links;
    let cross_refs: Vec<String> = links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Node { node: Some(n), .. } => Some(n.to_string()),
            _ => None,
        })
        .collect();
    let from = if cross_refs.is_empty() {
        eprintln!(
            "note: B35.3 has no linked citations yet; following a link from chapter B35 instead"
        );
        tmux.keys(&["g"]);
        tmux.type_text("B35");
        tmux.keys(&["Enter"]);
        tmux.wait_for("B35 opened", Duration::from_secs(10), |s| {
            status_id(s) == "B35"
        });
        "B35"
    } else {
        "B35.3"
    };
    tmux.keys(&["Tab"]);
    tmux.wait_for("a link selected", Duration::from_secs(10), |s| {
        s.contains("(Enter follows)")
    });
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("the cited section", Duration::from_secs(10), |s| {
        let id = status_id(s);
        !id.is_empty() && id != from
    });
    let landed = status_id(&s);
    if from == "B35.3" {
        assert!(
            cross_refs.contains(&landed),
            "followed to {landed}, links are {cross_refs:?}"
        );
    } else {
        assert!(landed.starts_with("B35."), "followed to {landed}");
    }

    // Back.
    tmux.keys(&["BSpace"]);
    tmux.wait_for("back where we were", Duration::from_secs(10), |s| {
        status_id(s) == from
    });

    // The glossary: type to filter, Enter opens where the acronym is
    // defined (LADO: the acronym guide, B46).
    tmux.keys(&["a"]);
    tmux.wait_for("the glossary", Duration::from_secs(20), |s| {
        s.contains("Glossary:")
    });
    tmux.type_text("designated officer");
    tmux.wait_for("LADO", Duration::from_secs(10), |s| {
        s.contains("Glossary: 1 of") && s.contains("LADO")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("B46 opened", Duration::from_secs(10), |s| {
        status_id(s) == "B46"
    });

    // The contacts: Enter opens the paragraph giving the number.
    tmux.keys(&["c"]);
    tmux.wait_for("the contacts", Duration::from_secs(20), |s| {
        s.contains("Contacts:")
    });
    tmux.type_text("rspca");
    tmux.wait_for("the RSPCA's line", Duration::from_secs(10), |s| {
        s.contains("0300 1234 999")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("B41.3 opened", Duration::from_secs(10), |s| {
        status_id(s) == "B41.3"
    });

    // The history, newest first: B41.3, B46, … ; the second is B46.
    tmux.keys(&["L"]);
    let s = tmux.wait_for("the history", Duration::from_secs(10), |s| {
        s.contains("History:")
    });
    // (Opened at a paragraph, an entry shows it: B41.3.6.)
    let b41 = s.find(" B41.3").expect("B41.3 in the history");
    let b46 = s.find(" B46 ").expect("B46 in the history");
    assert!(b41 < b46, "newest first:\n{s}");
    tmux.keys(&["Down", "Enter"]);
    tmux.wait_for("B46 again", Duration::from_secs(10), |s| {
        status_id(s) == "B46" && !s.contains("History:")
    });

    quit(&tmux, &status_file);
    // The last position and the history were saved.
    let saved = std::fs::read_to_string(data.join("setproc").join("reader.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["last"]["node"], "B46", "{saved}");
    let history: Vec<&str> = saved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["node"].as_str().unwrap())
        .collect();
    assert_eq!(history[..3], ["B46", "B41.3", from], "{saved}");
}

/// A new edition opened where the old one left off: the reader built
/// from the made April 2026 edition (with June 2025 as its previous),
/// started with bookmarks and a last position saved in June 2025, lands on
/// the renumbered section and says so; `'` lists the moved bookmark, `w`
/// what changed, Enter shows a section's changes; on quit the saved state
/// (bookmarks, last position and history) is in April 2026's terms.
#[test]
fn a_new_edition_keeps_old_bookmarks_and_shows_what_changed() {
    if skipped_without_tmux() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let source = home.path().join("april-2026.txt");
    std::fs::write(
        &source,
        next::next_edition(setproc::store::library::EMBEDDED_SOURCE),
    )
    .unwrap();
    let content = home.path().join("april-2026");
    let built = Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(["build", "--previous", "builtin", "--source"])
        .arg(&source)
        .arg("--content")
        .arg(&content)
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let june = setproc::manual::edition::Edition::of(setproc::store::library::EMBEDDED_SOURCE);
    let edition = serde_json::to_string(&june).unwrap();
    let state = home.path().join("data").join("setproc");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(
        state.join("reader.json"),
        format!(
            r#"{{"version": 2,
  "bookmarks": [{{"id": "B25.8", "title": "Impact on Children", "edition": {edition}}}],
  "last": {{"node": "B25.4", "para": "B25.4.5", "block": 7, "title": "Youth Produced Sexual Imagery", "edition": {edition}}},
  "history": [{{"node": "B25.8", "title": "Impact on Children", "edition": {edition}}}]}}"#
        ),
    )
    .unwrap();
    let Session {
        tmux, status_file, ..
    } = launch(home.path(), &["--content", content.to_str().unwrap()]);

    // Where June 2025 left off, renumbered, and said so.
    let s = tmux.wait_for("the last place", Duration::from_secs(120), |s| {
        status_id(s) == "B26.4" || tmux.pane("#{pane_dead}") == "1"
    });
    assert_eq!(tmux.pane("#{pane_dead}"), "0", "setproc exited:\n{s}");
    assert!(s.contains("April 2026 edition"), "{s}");
    let s = tmux.wait_for("what moved", Duration::from_secs(20), |s| {
        s.contains("Your last place: B25.4")
    });
    assert!(s.contains("is B26.4 in April 2026"), "{s}");

    tmux.keys(&["'"]);
    let s = tmux.wait_for("the bookmark", Duration::from_secs(10), |s| {
        s.contains("B26.8   Impact on Children")
    });
    assert!(
        s.contains("B25.8 (Impact on Children) in June 2025 is B26.8"),
        "{s}"
    );
    // Each Esc is seen alone before the next key (Esc then a key at once
    // reads as Alt and that key).
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list closed", Duration::from_secs(10), |s| {
        !s.contains("Bookmarks (Enter opens")
    });

    tmux.keys(&["w"]);
    tmux.wait_for("the list of changes", Duration::from_secs(10), |s| {
        s.contains("What changed since June 2025")
    });
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("A1.3's changes", Duration::from_secs(10), |s| {
        s.contains("What changed in A1.3 since June 2025")
    });
    assert!(s.contains("[-all professionals,-]"), "{s}");
    assert_eq!(status_id(&s), "A1.3");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the changes closed", Duration::from_secs(10), |s| {
        !s.contains("What changed in A1.3")
    });

    quit(&tmux, &status_file);
    let saved = std::fs::read_to_string(state.join("reader.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(v["bookmarks"][0]["id"], "B26.8", "{saved}");
    assert_eq!(
        v["bookmarks"][0]["edition"]["date"], "April 2026",
        "{saved}"
    );
    assert_eq!(v["last"]["edition"]["date"], "April 2026", "{saved}");
    // The June 2025 visit is kept in April 2026's terms too.
    let visits = v["history"].as_array().unwrap();
    assert!(
        visits
            .iter()
            .any(|h| h["node"] == "B26.8" && h["edition"]["date"] == "April 2026"),
        "{saved}"
    );
    assert!(!visits.iter().any(|h| h["node"] == "B25.8"), "{saved}");
}

/// setproc running in a private tmux server, 100×30.
struct Session {
    tmux: Tmux,
    /// Its `XDG_DATA_HOME` (bookmarks and the last position).
    data: std::path::PathBuf,
    /// Where its exit status is written when it ends.
    status_file: std::path::PathBuf,
}

/// Starts setproc (with `args`) in a tmux pane, its data and cache folders
/// in `home`.
fn launch(home: &Path, args: &[&str]) -> Session {
    let bin = env!("CARGO_BIN_EXE_setproc").to_string();
    let data = home.join("data");
    let cache = home.join("cache");
    let conf = home.join("tmux.conf");
    // No status bar (the pane is the whole 100×30), and keep the pane after
    // the program exits so its exit status can be read.
    std::fs::write(&conf, "set -g status off\nset -g remain-on-exit on\n").unwrap();
    let tmux = Tmux {
        socket: home.join("tmux.sock"),
    };
    // The exit status goes to a file: tmux versions differ in reporting it.
    let status_file = home.join("status");
    let args: Vec<String> = args.iter().map(|a| shell_quote(Path::new(a))).collect();
    let command = format!(
        "env XDG_DATA_HOME={} XDG_CACHE_HOME={} TERM=xterm-256color {} {}; echo $? > {}",
        shell_quote(&data),
        shell_quote(&cache),
        shell_quote(Path::new(&bin)),
        args.join(" "),
        shell_quote(&status_file)
    );
    let started = tmux.cmd(&[
        "-f",
        conf.to_str().unwrap(),
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    Session {
        tmux,
        data,
        status_file,
    }
}

/// Quits with `q`: the process ends cleanly (exit status 0).
fn quit(tmux: &Tmux, status_file: &Path) {
    tmux.keys(&["q"]);
    let start = Instant::now();
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(status_file)
            && s.ends_with('\n')
        {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "setproc did not quit:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.trim(), "0", "{}", tmux.screen());
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}
