//! Dev tool: runs the eval queries in a loop (for profiling search).
//! `latency N [weight=value ...]`
fn main() {
    let lib = setproc::store::library::Library::embedded();
    let idx = setproc::search::index::build_in_ram(&lib, "k").unwrap();
    let qs: Vec<String> = include_str!("../tests/data/eval-queries.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(String::from)
        .collect();
    let mut e = setproc::search::Engine::new(&idx);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(20);
    for kv in args.iter().skip(1) {
        let (k, v) = kv.split_once('=').unwrap();
        let v: f32 = v.parse().unwrap();
        let w = &mut e.weights;
        match k {
            "root" => w.root = v,
            "coverage" => w.coverage = v,
            "phrase" => w.phrase = v,
            _ => panic!("{k}"),
        }
    }
    for q in &qs {
        e.search(q, Default::default());
    }
    let mut times = Vec::new();
    for _ in 0..n {
        for q in &qs {
            let t = std::time::Instant::now();
            std::hint::black_box(e.search(q, Default::default()));
            times.push(t.elapsed());
        }
    }
    let mut ex = Vec::new();
    for _ in 0..n {
        for q in &qs {
            let t = std::time::Instant::now();
            std::hint::black_box(e.explain(q, Default::default()));
            ex.push(t.elapsed());
        }
    }
    for q in &qs {
        let t = std::time::Instant::now();
        e.explain(q, Default::default());
        let d = t.elapsed();
        if d.as_micros() > 80 {
            eprintln!("  slow analysis {:?}: {:?}", q, d);
        }
    }
    ex.sort();
    eprintln!(
        "explain (query analysis only): p50 {:.0} µs p99 {:.0}",
        ex[ex.len() / 2].as_secs_f64() * 1e6,
        ex[ex.len() * 99 / 100].as_secs_f64() * 1e6
    );
    times.sort();
    let p = |x: f64| times[((times.len() - 1) as f64 * x) as usize].as_secs_f64() * 1e6;
    eprintln!(
        "p50 {:.0} µs  p90 {:.0}  p99 {:.0}  max {:.0}",
        p(0.5),
        p(0.9),
        p(0.99),
        p(1.0)
    );
}
#[allow(dead_code)]
fn unused() {}
