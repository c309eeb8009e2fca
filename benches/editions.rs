//! Editions benchmark: `cargo bench --bench editions`.
//!
//! `setproc diff` of two whole editions (the June 2025 text and the April
//! 2026 edition `tests/editions/next.rs` makes from it), as a whole
//! process, in the three forms it is asked for (text, `--json`, `--format
//! md`), each run alternately with `cat` of the two sources (the baseline:
//! reading the texts at all). Medians; target ≤ 200 ms.
//!
//! Set `BENCH_QUICK=1` for a fast smoke run.

#[path = "../tests/editions/next.rs"]
mod next;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use setproc::store::library::EMBEDDED_SOURCE;

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

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let rounds = if quick { 3 } else { 31 };
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("set-june-2025.txt");
    let new = dir.path().join("set-april-2026.txt");
    std::fs::write(&old, EMBEDDED_SOURCE).expect("write");
    std::fs::write(&new, next::next_edition(EMBEDDED_SOURCE)).expect("write");
    let bin = env!("CARGO_BIN_EXE_setproc");
    let forms: [(&str, &[&str]); 4] = [
        ("text", &[]),
        ("--json", &["--json"]),
        ("--format md", &["--format", "md"]),
        ("builtin NEW --json", &["--json"]),
    ];
    // Warm the page cache and the binary.
    run(Command::new(bin).arg("diff").arg(&old).arg(&new));
    for (name, extra) in forms {
        let (mut ours, mut cats) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let mut cmd = Command::new(bin);
            cmd.arg("diff");
            if name.starts_with("builtin") {
                cmd.arg("builtin");
            } else {
                cmd.arg(&old);
            }
            cmd.arg(&new).args(extra);
            ours.push(run(&mut cmd));
            cats.push(run(Command::new("cat").arg(&old).arg(&new)));
        }
        let m = median(ours);
        println!(
            "`setproc diff` {name} (two whole editions, whole process, {rounds} runs): median {}   `cat` of the two sources: {}   target ≤ 200 ms: {}",
            ms(m),
            ms(median(cats)),
            if m <= Duration::from_millis(200) {
                "✔"
            } else {
                "✘"
            }
        );
    }
}
