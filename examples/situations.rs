//! Keeps `data/situations.tsv` honest about the text its lines were
//! written for (see `src/terms/situations.rs`).
//!
//!     cargo run --example situations -- check          # what needs reading
//!     cargo run --example situations -- stamp          # stamp new lines
//!     cargo run --example situations -- stamp B24 A3.4 # re-read: restamp
//!
//! `stamp` without ids stamps only lines not yet stamped (`-`); a section
//! whose text has changed keeps its old stamp, and so stays unused, until
//! someone has re-read it and names it.

use setproc::manual::ids::NodeId;
use setproc::search::dense::units::fingerprint;
use setproc::search::index::searchable;
use setproc::store::library::Library;
use setproc::terms::situations::Situations;
use std::collections::HashMap;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/situations.tsv");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = std::fs::read_to_string(FILE).expect("data/situations.tsv");
    let situations = Situations::parse(&text).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let lib = Library::embedded();
    let now: HashMap<NodeId, u64> = searchable(&lib).map(|s| (s.id, fingerprint(&s))).collect();
    match args.first().map(String::as_str) {
        Some("stamp") => {
            let named: Vec<NodeId> = args[1..]
                .iter()
                .map(|a| a.parse().unwrap_or_else(|_| panic!("not an id: {a}")))
                .collect();
            let header: String = text
                .lines()
                .take_while(|l| l.starts_with('#'))
                .map(|l| format!("{l}\n"))
                .collect();
            let out = situations.to_tsv(&header, |line| {
                let fresh = line.fingerprint.is_none() || named.contains(&line.node);
                fresh.then(|| now.get(&line.node).copied()).flatten()
            });
            setproc::store::atomic::write(
                std::path::Path::new(FILE),
                out.as_bytes(),
                setproc::store::atomic::Durability::Durable,
            )
            .expect("write");
            eprintln!("stamped; rebuild the vectors: cargo run --release -- build");
        }
        _ => {
            let mut stale = 0;
            for line in &situations.lines {
                match (now.get(&line.node), line.fingerprint) {
                    (None, _) => println!("{}: no such section", line.node),
                    (Some(_), None) => println!("{}: not stamped", line.node),
                    (Some(n), Some(f)) if *n != f => println!("{}: text changed", line.node),
                    _ => continue,
                }
                stale += 1;
            }
            println!("{} lines, {stale} to read", situations.lines.len());
        }
    }
}
