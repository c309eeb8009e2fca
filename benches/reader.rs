//! Reader benchmarks: `cargo bench --bench reader`.
//!
//! - start-up: process start to the first frame drawn, whole process, in a
//!   pseudo-terminal (`script`), with `SETPROC_FIRST_FRAME_ONLY=1` making
//!   the reader exit right after its first frame; the same `script` running
//!   `true` is the baseline (the difference is setproc's own time);
//! - typing: from a keystroke in the search bar to the redrawn frame
//!   (update + search as you type + draw to a 100×30 `TestBackend`), for
//!   every character of every evaluation query;
//! - the glossary, contacts and history lists: opening one → frame, and a
//!   keystroke of filter → frame.
//!
//! Set `BENCH_QUICK=1` for a fast smoke run.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use setproc::search::Engine;
use setproc::search::index;
use setproc::store::library::Library;
use setproc::tui::{Action, App, Saved, update, view};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn run(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success(), "{cmd:?} failed");
    t.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let queries: Vec<String> = include_str!("../tests/data/eval-queries.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect();

    // Keystroke → frame, in process.
    let lib = Library::embedded();
    let root = tempfile::tempdir().expect("temp dir");
    let idx = index::build_dir(root.path(), "bench", &lib, true).expect("index builds");
    let mut app = App::new(&lib, &Saved::default(), None);
    app.set_search(Box::new(Engine::new(&idx)));
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    update(&mut app, Action::Resize(100, 30));
    term.draw(|f| view::draw(f, &app)).expect("draw");
    let mut keys = Vec::new();
    let rounds = if quick { 1 } else { 3 };
    for _ in 0..rounds {
        for q in &queries {
            update(&mut app, Action::FocusSearch);
            update(&mut app, Action::ClearInput);
            for c in q.chars() {
                let t = Instant::now();
                update(&mut app, Action::Input(c));
                term.draw(|f| view::draw(f, &app)).expect("draw");
                keys.push(t.elapsed());
            }
            update(&mut app, Action::Cancel);
        }
    }
    keys.sort();
    println!(
        "keystroke → redrawn frame (search as you type, 100×30): n={} p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        keys.len(),
        percentile(&keys, 0.5).as_secs_f64() * 1e3,
        percentile(&keys, 0.99).as_secs_f64() * 1e3,
        keys.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );

    // The glossary, contacts and history lists: opening one (finding its
    // entries in the manual) → frame, and a keystroke of filter → frame.
    for m in lib.metas.iter().step_by(20) {
        update(
            &mut app,
            Action::Open(setproc::store::lookup::Target::Node(m.id)),
        );
    }
    for (name, action, typed) in [
        ("glossary", Action::ShowGlossary, "officer"),
        ("contacts", Action::ShowContacts, "nspcc"),
        ("history", Action::ShowHistory, "b2"),
    ] {
        let (mut open, mut key) = (Vec::new(), Vec::new());
        for _ in 0..if quick { 3 } else { 30 } {
            let t = Instant::now();
            update(&mut app, action);
            term.draw(|f| view::draw(f, &app)).expect("draw");
            open.push(t.elapsed());
            for c in typed.chars() {
                let t = Instant::now();
                update(&mut app, Action::Input(c));
                term.draw(|f| view::draw(f, &app)).expect("draw");
                key.push(t.elapsed());
            }
            update(&mut app, Action::Cancel);
        }
        open.sort();
        key.sort();
        println!(
            "{name} list: open → frame p50 {:.2} ms  p99 {:.2} ms; filter keystroke → frame p50 {:.2} ms  p99 {:.2} ms",
            percentile(&open, 0.5).as_secs_f64() * 1e3,
            percentile(&open, 0.99).as_secs_f64() * 1e3,
            percentile(&key, 0.5).as_secs_f64() * 1e3,
            percentile(&key, 0.99).as_secs_f64() * 1e3,
        );
    }

    // Start-up, whole process, in a pseudo-terminal.
    let exe = env!("CARGO_BIN_EXE_setproc");
    if Command::new("script").arg("--version").output().is_err() {
        println!("start-up: `script` (util-linux) is not installed; skipped");
        return;
    }
    let data = tempfile::tempdir().expect("temp dir");
    let script = |cmd: &str| {
        let mut c = Command::new("script");
        c.args(["-qfec", cmd, "/dev/null"])
            .env("SETPROC_FIRST_FRAME_ONLY", "1")
            .env("XDG_DATA_HOME", data.path())
            .env("TERM", "xterm-256color")
            .env("COLUMNS", "100")
            .env("LINES", "30");
        c
    };
    let n = if quick { 3 } else { 21 };
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..n {
        ours.push(run(&mut script(exe)));
        base.push(run(&mut script("true")));
    }
    let (o, b) = (median(ours), median(base));
    println!(
        "start → first frame: `script setproc` median {:.1} ms, `script true` {:.1} ms → setproc {:.1} ms",
        o.as_secs_f64() * 1e3,
        b.as_secs_f64() * 1e3,
        (o.saturating_sub(b)).as_secs_f64() * 1e3
    );
}
