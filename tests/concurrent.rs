//! Several processes at once: one rebuilds a content folder in a loop,
//! alternating between two editions, while four others search it and a
//! reader (in tmux) keeps searching and opening results. For the whole run
//! (60 s; `SETPROC_CONCURRENT_SECS` to change): no search fails, none
//! comes back empty, every result list is one edition's reference answer,
//! and the reader answers every search.

mod support;

use std::fs;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use setproc::store::library::EMBEDDED_SOURCE;
use support::{Home, Term, env_number, status_id};

const QUERIES: &[&str] = &[
    "private fostering",
    "LADO",
    "strategy discussion timescales",
    "breast flattening",
    "privat fostring",
    "section 47",
];

/// The ids a search lists, best first.
fn ids(out: &[u8]) -> Result<Vec<String>, String> {
    let v: Value = serde_json::from_slice(out).map_err(|e| e.to_string())?;
    Ok(v.as_array()
        .ok_or("not an array")?
        .iter()
        .map(|h| h["id"].as_str().unwrap_or("?").to_string())
        .collect())
}

#[test]
fn searches_and_the_reader_keep_working_while_the_folder_is_rebuilt() {
    let secs = env_number("SETPROC_CONCURRENT_SECS", 60);
    let home = Arc::new(Home::new());
    let sources = [home.path().join("a.txt"), home.path().join("b.txt")];
    fs::write(&sources[0], EMBEDDED_SOURCE).unwrap();
    // The second edition differs in many files, not in what is searched.
    fs::write(
        &sources[1],
        EMBEDDED_SOURCE.replace("practitioners", "professionals"),
    )
    .unwrap();
    let dir = home.path().join("content").to_string_lossy().into_owned();
    let build = |k: usize| {
        let src = sources[k].to_string_lossy().into_owned();
        home.run(&["build", "--source", &src, "--content", &dir])
    };
    // Reference answers: each query over each edition, built alone.
    let mut reference: Vec<Vec<Vec<String>>> = Vec::new();
    for k in 0..2 {
        let b = build(k);
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
        reference.push(
            QUERIES
                .iter()
                .map(|q| {
                    let out = home.run(&["--content", &dir, "search", q, "--json"]);
                    assert!(out.status.success(), "{q}");
                    let hits = ids(&out.stdout).unwrap();
                    assert!(!hits.is_empty(), "{q}");
                    hits
                })
                .collect(),
        );
    }
    let reference = Arc::new(reference);
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let (builds, searches) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));

    let mut threads = Vec::new();
    {
        let (home, stop, failures, builds) =
            (home.clone(), stop.clone(), failures.clone(), builds.clone());
        let (sources, dir) = (sources.clone(), dir.clone());
        threads.push(std::thread::spawn(move || {
            let mut k = 1;
            while !stop.load(Ordering::Relaxed) {
                let src = sources[k].to_string_lossy().into_owned();
                let out = home.run(&["build", "--source", &src, "--content", &dir]);
                if !out.status.success() {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("build: {}", String::from_utf8_lossy(&out.stderr)));
                }
                builds.fetch_add(1, Ordering::Relaxed);
                k = 1 - k;
            }
        }));
    }
    for worker in 0..4 {
        let (home, stop, failures, searches, reference) = (
            home.clone(),
            stop.clone(),
            failures.clone(),
            searches.clone(),
            reference.clone(),
        );
        let dir = dir.clone();
        threads.push(std::thread::spawn(move || {
            let mut n = worker;
            while !stop.load(Ordering::Relaxed) {
                let q = n % QUERIES.len();
                let out = home.run(&["--content", &dir, "search", QUERIES[q], "--json"]);
                let verdict = match ids(&out.stdout) {
                    _ if !out.status.success() => Err(format!(
                        "exit {:?}: {}",
                        out.status.code(),
                        String::from_utf8_lossy(&out.stderr)
                    )),
                    Ok(hits) if hits.is_empty() => Err("no results".into()),
                    Ok(hits) if !reference.iter().any(|r| r[q] == hits) => {
                        Err(format!("results {hits:?}"))
                    }
                    Ok(_) => Ok(()),
                    Err(e) => Err(e),
                };
                if let Err(e) = verdict {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("search {:?}: {e}", QUERIES[q]));
                }
                searches.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }

    let reader_answers = if support::tmux_or_skip("the reader under concurrent rebuilds") {
        reader_loop(
            &home,
            &dir,
            Duration::from_secs(secs),
            &reference,
            &failures,
        )
    } else {
        std::thread::sleep(Duration::from_secs(secs));
        0
    };
    // A loaded machine builds slowly (the second edition embeds what it
    // changed): run on, up to three times as long, until three rebuilds
    // have raced the searches.
    let overtime = std::time::Instant::now();
    while builds.load(Ordering::Relaxed) < 3 && overtime.elapsed() < Duration::from_secs(2 * secs) {
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    let (builds, searches) = (
        builds.load(Ordering::Relaxed),
        searches.load(Ordering::Relaxed),
    );
    eprintln!(
        "concurrent: {secs} s, {builds} builds, {searches} searches, {reader_answers} reader \
         searches answered, {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
    assert!(builds >= 3 && searches >= 20, "too little happened");
}

/// The reader, for `span`: search, open the first result (it must be a
/// reference answer's first), again. Returns how many searches it answered.
fn reader_loop(
    home: &Home,
    dir: &str,
    span: Duration,
    reference: &[Vec<Vec<String>>],
    failures: &Mutex<Vec<String>>,
) -> usize {
    let term = Term::start(home.path(), &home.shell_line(&["--content", dir]), None);
    let ready = term.wait_for(Duration::from_secs(180), |s| {
        s.contains("press / to search")
    });
    assert!(ready.is_ok(), "the reader did not start: {ready:?}");
    let start = Instant::now();
    let mut answered = 0;
    while start.elapsed() < span {
        let q = answered % QUERIES.len();
        let firsts: Vec<&str> = reference.iter().map(|r| r[q][0].as_str()).collect();
        term.keys(&["/"]);
        term.keys(&["C-u"]);
        term.type_text(QUERIES[q]);
        let want = format!("▶ {}", firsts[0]);
        let listed = term.wait_for(Duration::from_secs(20), |s| {
            firsts.iter().any(|f| s.contains(&format!("▶ {f}")))
        });
        if let Err(s) = listed {
            let msg = format!("reader: no '{want}' for {:?}:\n{s}", QUERIES[q]);
            failures.lock().unwrap().push(msg);
            break;
        }
        term.keys(&["Enter"]);
        let opened = term.wait_for(Duration::from_secs(20), |s| {
            firsts.contains(&status_id(s).as_str())
        });
        if let Err(s) = opened {
            let msg = format!("reader: {:?} did not open {want}:\n{s}", QUERIES[q]);
            failures.lock().unwrap().push(msg);
            break;
        }
        answered += 1;
    }
    assert!(!term.dead(), "the reader ended: {}", term.screen());
    term.keys(&["q"]);
    answered
}
