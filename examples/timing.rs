//! Dev tool: where `setproc build` spends its CPU, phase by phase, each
//! run alone on one thread (minimum of 9 runs: robust to this VM's noise).
use std::time::{Duration, Instant};

use setproc::store::library::{EMBEDDED_SOURCE, Library};

fn best<T>(label: &str, mut f: impl FnMut() -> T) -> T {
    let mut min = Duration::MAX;
    let mut out = None;
    for _ in 0..9 {
        let t = Instant::now();
        let v = f();
        min = min.min(t.elapsed());
        out = Some(v);
    }
    println!("{label:>28} {:7.2} ms", min.as_secs_f64() * 1e3);
    out.expect("ran")
}

fn main() {
    let doc = best("parse", || {
        setproc::manual::parse::parse(EMBEDDED_SOURCE).unwrap()
    });
    best("metas", || setproc::store::content::metas(&doc));
    let targets = best("cite targets", || {
        setproc::cite::Targets::from_document(&doc)
    });
    let cites = best("cite find", || setproc::cite::find_all_in(&targets, &doc));
    best("cite links", || {
        setproc::cite::inline_links_in(&targets, &doc, &cites)
    });
    let lib = best("library (all of the above)", || {
        Library::from_document(doc.clone(), "x")
    });
    best("vocabulary", || {
        setproc::terms::Vocabulary::from_document(&doc)
    });
    let _ = lib.vocabulary();
    best("content hash", || {
        Library::from_document(doc.clone(), "x")
            .content_hash()
            .len()
    });
    best("render_files", || lib.render_files());
    let nodes: Vec<_> = best("searchable_in (chunks)", || {
        setproc::search::index::searchable_in(&doc).collect::<Vec<_>>()
    });
    best("words count", || {
        setproc::search::index::Words::count(nodes.iter().flat_map(|n| {
            std::iter::once(n.title.as_str()).chain(n.chunks.iter().map(|c| c.text.as_str()))
        }))
    });
    best("index in RAM (whole)", || {
        setproc::search::index::build_in_ram(&lib, "k").unwrap()
    });
}
