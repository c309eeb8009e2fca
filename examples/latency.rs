//! Dev tool: runs the eval queries in a loop (for profiling search).
fn main() {
    let lib = setproc::library::Library::embedded();
    let idx = setproc::index::build_in_ram(&lib, "k").unwrap();
    let qs: Vec<String> = include_str!("../tests/data/eval-queries.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(String::from)
        .collect();
    let mut e = setproc::search::Engine::new(&idx);
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let t = std::time::Instant::now();
    for _ in 0..n {
        for q in &qs {
            std::hint::black_box(e.search(q, Default::default()));
        }
    }
    eprintln!(
        "{:.1} µs/query",
        t.elapsed().as_secs_f64() * 1e6 / (n * qs.len()) as f64
    );
}
