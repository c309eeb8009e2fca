//! Latency benchmarks: `cargo bench --bench search`.
//!
//! A plain harness (no criterion) because the figures we care about are
//! percentiles over many different queries, not the mean of one:
//! - in-process search latency (p50, p99) including snippets, for the
//!   evaluation queries by words alone and with meaning (the query's
//!   vector made, then cached), the sentence model's embedding of each
//!   query on its own, and every prefix of them typed one letter at a
//!   time (search as you type), beside a plain scan of the text for each
//!   query's longest word in the same run (the drift baseline);
//! - whole-process `setproc search` against `rg -i` on the same text, and
//!   `setproc build` against `cat` of the source, run alternately in the
//!   same session so that machine drift affects both alike.
//!
//! Set `BENCH_QUICK=1` for a fast smoke run.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use setproc::search::index;
use setproc::search::{Engine, Meaning, Options};
use setproc::store::library::Library;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} n={:<6} p50 {:>9.1} µs   p99 {:>9.1} µs   max {:>9.1} µs",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e6,
    );
}

fn run(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("command runs");
    let d = t.elapsed();
    assert!(status.code().is_some(), "{cmd:?} was killed");
    d
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let queries: Vec<String> = include_str!("../tests/data/eval-queries.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect();

    let lib = Library::embedded();
    let root = tempfile::tempdir().expect("temp dir");
    let mut idx = index::build_dir(root.path(), "bench", &lib, true).expect("index builds");
    idx.dense = setproc::search::dense::builtin_vectors();
    let mut engine = Engine::new(&idx);
    let reps = if quick { 2 } else { 20 };

    // Warm up caches (word list, stemmer, doc store blocks).
    for q in &queries {
        engine.search(q, Options::default());
    }
    let mut full = Vec::new();
    for _ in 0..reps {
        for q in &queries {
            let t = Instant::now();
            let hits = engine.search(q, Options::default());
            full.push(t.elapsed());
            std::hint::black_box(hits);
        }
    }
    report("search, eval queries, meaning (vector cached)", full);

    let words_only = Options {
        meaning: Meaning::Off,
        ..Options::default()
    };
    let mut words = Vec::new();
    for _ in 0..reps {
        for q in &queries {
            let t = Instant::now();
            let hits = engine.search(q, words_only);
            words.push(t.elapsed());
            std::hint::black_box(hits);
        }
    }
    report("search, eval queries, words only", words);

    let model = setproc::search::dense::Model::get().expect("model loads");
    let mut embeds = Vec::new();
    for _ in 0..reps.min(5) {
        for q in &queries {
            let t = Instant::now();
            std::hint::black_box(model.embed(q));
            embeds.push(t.elapsed());
        }
    }
    report("embed a query (the sentence model)", embeds);

    let mut typed = Vec::new();
    for _ in 0..reps.min(5) {
        for q in &queries {
            for (i, _) in q.char_indices().skip(1) {
                let t = Instant::now();
                let hits = engine.search(
                    &q[..i],
                    Options {
                        limit: 10,
                        as_you_type: true,
                        meaning: Meaning::IfReady,
                    },
                );
                typed.push(t.elapsed());
                std::hint::black_box(hits);
            }
        }
    }
    report("search as you type, every prefix", typed);

    // Baseline in the same run, for drift: one scan of the lower-cased text
    // for each query's longest word (what a Ctrl-F does, without ranking).
    let text = setproc::store::library::EMBEDDED_SOURCE.to_lowercase();
    let mut scans = Vec::new();
    for _ in 0..reps {
        for q in &queries {
            let word = q
                .split_whitespace()
                .max_by_key(|w| w.len())
                .unwrap_or("")
                .to_lowercase();
            let t = Instant::now();
            let n = text.matches(word.as_str()).count();
            scans.push(t.elapsed());
            std::hint::black_box(n);
        }
    }
    report("baseline: scan the text for the longest word", scans);

    // Whole processes, alternating with the baseline.
    let exe = env!("CARGO_BIN_EXE_setproc");
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/source/set-procedures-june-2025.txt"
    );
    let rg = Command::new("rg").arg("--version").output().is_ok();
    let rounds = if quick { 3 } else { 31 };
    // Make sure the on-disk index exists before timing one-shot searches.
    let _ = Command::new(exe).args(["search", "warm up"]).output();
    for q in [
        "private fostering",
        "strategy discussion timescales",
        "LADO",
        "teenage girl keeps running away from the care home at night",
    ] {
        let (mut ours, mut words, mut base) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            ours.push(run(Command::new(exe).args(["search", q])));
            words.push(run(Command::new(exe).args(["search", "--words-only", q])));
            if rg {
                base.push(run(Command::new("rg").args(["-i", q, source])));
            }
        }
        let base_ms = if rg {
            format!("{:.1} ms", median(base).as_secs_f64() * 1e3)
        } else {
            "rg not installed".into()
        };
        println!(
            "one-shot `setproc search {q:?}`: median {:.1} ms (--words-only {:.1} ms)   `rg -i` same text: {base_ms}",
            median(ours).as_secs_f64() * 1e3,
            median(words).as_secs_f64() * 1e3
        );
    }

    let content = tempfile::tempdir().expect("temp dir");
    let c = content.path().join("content");
    let c = c.to_str().expect("utf-8 path");
    let build_rounds = if quick { 2 } else { 31 };
    let (mut builds, mut cats) = (Vec::new(), Vec::new());
    for _ in 0..build_rounds {
        builds.push(run(Command::new(exe).args(["build", "--content", c])));
        cats.push(run(Command::new("cat").arg(source)));
    }
    println!(
        "`setproc build` (parse + content/ + index): median {:.1} ms   `cat` of the source: {:.1} ms",
        median(builds).as_secs_f64() * 1e3,
        median(cats).as_secs_f64() * 1e3
    );
}
