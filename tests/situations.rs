//! The shipped situations and vectors belong to the shipped manual: every
//! situation names a section that exists and was stamped against its
//! current text, and `content/vectors.bin` holds exactly the units the
//! built-in manual makes today. A change to the manual, the situations or
//! the unit rules fails here until the lines are re-read and stamped
//! (`cargo run --example situations -- check`) and the vectors rebuilt
//! (`cargo run --release -- build`).

use std::collections::HashMap;

use setproc::search::dense::{self, units, units::fingerprint};
use setproc::search::index::searchable;
use setproc::store::library::Library;
use setproc::terms::situations::Situations;

#[test]
fn every_situation_was_stamped_against_its_sections_current_text() {
    let lib = Library::embedded();
    let now: HashMap<_, _> = searchable(&lib).map(|s| (s.id, fingerprint(&s))).collect();
    let situations = Situations::parse(setproc::terms::situations::SITUATIONS_TSV).unwrap();
    assert!(situations.lines.len() > 1000, "{}", situations.lines.len());
    let mut wrong = Vec::new();
    for line in &situations.lines {
        match (now.get(&line.node), line.fingerprint) {
            (Some(n), Some(f)) if *n == f => {}
            (None, _) => wrong.push(format!("{}: no such section", line.node)),
            (Some(_), None) => wrong.push(format!("{}: not stamped", line.node)),
            (Some(_), Some(_)) => wrong.push(format!("{}: text changed since", line.node)),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} lines: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
    // Situations cover the manual broadly, not a favoured few chapters.
    let covered = situations
        .lines
        .iter()
        .map(|l| l.node)
        .collect::<std::collections::HashSet<_>>();
    assert!(
        covered.len() * 10 >= now.len() * 7,
        "{} of {}",
        covered.len(),
        now.len()
    );
}

#[test]
fn the_shipped_vectors_are_the_built_in_manuals_units() {
    let lib = Library::embedded();
    let vectors = dense::builtin_vectors().expect("content/vectors.bin parses");
    assert!(vectors.made_for(lib.content_hash()));
    let units = units(&lib, &Situations::builtin());
    assert!(units.len() > 3000, "{}", units.len());
    assert!(
        vectors.fits(&units),
        "content/vectors.bin is stale: run `cargo run --release -- build`"
    );
}
