//! A disk that fills up during a build or a save: a clear one-line error,
//! and the previous build and the saved bookmarks left as they were.
//!
//! Two ways to run out of room: a file-size limit on the process
//! (`prlimit --fsize`, with SIGXFSZ ignored so writes fail with EFBIG:
//! needs no privileges), and a real full file system (a small tmpfs,
//! mounted when the tests run as root; skipped, saying so, otherwise).

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use setproc::store::library::{EMBEDDED_SOURCE, Library};
use support::{Home, Term, status_id};

/// Runs `setproc ARGS` in `home`, its file size limited to `limit` bytes.
fn limited(home: &Home, limit: u64, args: &[&str]) -> Output {
    let line = home.shell_line(args).replacen(
        "exec env",
        &format!("exec prlimit --fsize={limit} -- env"),
        1,
    );
    Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; {line}"))
        .output()
        .expect("sh runs")
}

fn one_line_error(out: &Output, says: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("setproc: ") && err.contains(says), "{err}");
    err
}

fn editions(home: &Home) -> [PathBuf; 2] {
    let a = home.path().join("a.txt");
    let b = home.path().join("b.txt");
    fs::write(&a, EMBEDDED_SOURCE).unwrap();
    fs::write(
        &b,
        EMBEDDED_SOURCE.replace("practitioners", "professionals"),
    )
    .unwrap();
    [a, b]
}

fn build_args(source: &Path, dir: &Path) -> Vec<String> {
    vec![
        "build".into(),
        "--source".into(),
        source.to_string_lossy().into_owned(),
        "--content".into(),
        dir.to_string_lossy().into_owned(),
    ]
}

/// Whether `dir` holds exactly the build of `source`, and nothing half-done.
fn assert_is_build_of(dir: &Path, source: &Path) {
    let want = Library::from_source(&fs::read_to_string(source).unwrap(), "x").unwrap();
    let got = Library::load(dir).expect("the previous build still loads");
    assert_eq!(got.bodies, want.bodies, "the folder changed");
    let stray: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "left behind: {stray:?}");
}

#[test]
fn a_build_that_runs_out_of_room_fails_in_one_line_and_keeps_the_old_build() {
    let home = Home::new();
    let [a, b] = editions(&home);
    let dir = home.path().join("content");
    let ok = home.run(
        &build_args(&a, &dir)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(ok.status.success());
    // 20 KB: most content files fit, the manifest (~500 KB) does not.
    let args = build_args(&b, &dir);
    let out = limited(
        &home,
        20_000,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let err = one_line_error(&out, "too large");
    eprintln!("full disk (file-size limit), build: {}", err.trim());
    assert_is_build_of(&dir, &a);
}

#[test]
fn a_save_that_runs_out_of_room_says_so_and_keeps_the_saved_bookmarks() {
    if !support::tmux_or_skip("full disk, reader") {
        return;
    }
    let home = Home::new();
    // The index exists first (its build is not what is tested here).
    assert!(home.run(&["search", "LADO"]).status.success());
    let saved = home.reader_json();
    fs::create_dir_all(saved.parent().unwrap()).unwrap();
    let before = br#"{"version":1,"bookmarks":["B24.8","A3.4"],"last":null}"#;
    fs::write(&saved, before).unwrap();
    let line = home.shell_line(&["open", "B35.3"]).replacen(
        "exec env",
        "exec prlimit --fsize=40 -- env",
        1,
    );
    let term = Term::start(home.path(), &format!("trap '' XFSZ; {line}"), None);
    let message = bookmark_not_saved(&term);
    assert!(message.contains("too large"), "{message}");
    eprintln!("full disk (file-size limit), save: {}", message.trim());
    assert_eq!(fs::read(&saved).unwrap(), before);
    let others: Vec<String> = fs::read_dir(saved.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(others, ["reader.json"], "a temporary file was left");
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: PathBuf, bytes: u64) -> Option<Tmpfs> {
        fs::create_dir_all(&at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(&at)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(Tmpfs(at))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` until a write fails.
/// In a reader opened at B35.3: bookmarks it, returns the line saying
/// the save failed, and quits.
fn bookmark_not_saved(term: &Term) -> String {
    let ready = term.wait_for(Duration::from_secs(180), |s| status_id(s) == "B35.3");
    assert!(ready.is_ok(), "{ready:?}");
    term.keys(&["m"]);
    let said = term.wait_for(Duration::from_secs(20), |s| s.contains("Could not save"));
    let screen = said.unwrap_or_else(|s| panic!("no error shown:\n{s}"));
    let message = screen
        .lines()
        .find(|l| l.contains("Could not save"))
        .unwrap()
        .to_string();
    term.keys(&["q"]);
    assert!(
        term.wait_for(Duration::from_secs(10), |_| term.dead())
            .is_ok()
            || term.dead()
    );
    message
}

fn fill(dir: &Path) {
    let chunk = vec![b'x'; 64 * 1024];
    let mut f = fs::File::create(dir.join("filler")).unwrap();
    use std::io::Write;
    while f.write_all(&chunk).is_ok() {}
    let mut small = fs::File::create(dir.join("filler2")).unwrap();
    while small.write_all(b"x").is_ok() {}
}

#[test]
fn a_full_file_system_fails_builds_and_saves_in_one_line_and_keeps_both() {
    let home = Home::new();
    let [a, b] = editions(&home);
    let Some(disk) = Tmpfs::mount(home.path().join("disk"), 8 << 20) else {
        eprintln!("SKIPPED the tmpfs case: mounting needs root (the file-size limit cases ran)");
        return;
    };
    // The saved state lives on the small disk too.
    fs::create_dir_all(disk.0.join("data/setproc")).unwrap();
    std::os::unix::fs::symlink(disk.0.join("data"), home.data()).unwrap();
    let before = br#"{"version":1,"bookmarks":["B24.8"],"last":null}"#;
    fs::write(home.reader_json(), before).unwrap();
    assert!(home.run(&["search", "LADO"]).status.success());
    let dir = disk.0.join("content");
    let ok = home.run(
        &build_args(&a, &dir)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    fill(&disk.0);
    let args = build_args(&b, &dir);
    let out = home.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let err = one_line_error(&out, "No space left");
    eprintln!("full disk (tmpfs), build: {}", err.trim());
    assert_is_build_of(&dir, &a);

    if !support::tmux_or_skip("full disk, reader") {
        return;
    }
    let term = Term::start(home.path(), &home.shell_line(&["open", "B35.3"]), None);
    let message = bookmark_not_saved(&term);
    assert!(message.contains("No space left"), "{message}");
    eprintln!("full disk (tmpfs), save: {}", message.trim());
    drop(term);
    assert_eq!(fs::read(home.reader_json()).unwrap(), before);
}
