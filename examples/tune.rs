//! Dev tool: evaluates search weights on an eval TSV without rebuilding.
//! `cargo run --release --example tune -- ../shared/eval/queries.tsv node=0.5 best_chunk=2`
//! Fusion: `k=`, `lexical=`, `dense=` (0: words only), `depth=`, `floor=`,
//! `told=`, `told_long=`, `told_terms=` (situations by their words);
//! `lexical=0` ranks by meaning alone.
use setproc::search::eval;
use setproc::search::{Engine, NoLexicon, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = std::fs::read_to_string(&args[0]).unwrap();
    let cases = eval::parse_cases(&text).unwrap();
    let lib = setproc::store::library::Library::embedded();
    let mut idx = setproc::search::index::build_in_ram(&lib, "tune").unwrap();
    idx.dense = setproc::search::dense::builtin_vectors();
    let _ = NoLexicon;
    if args.iter().any(|a| a == "situations=0") {
        let v = idx.dense.take().unwrap();
        idx.dense = Some(std::sync::Arc::new(
            v.without(setproc::search::dense::UnitKind::Situation),
        ));
    }
    let mut engine = Engine::new(&idx);
    for kv in args[1..].iter().filter(|a| *a != "situations=0") {
        let (k, v) = kv.split_once('=').unwrap();
        let v: f32 = v.parse().unwrap();
        let w = &mut engine.weights;
        match k {
            "title" => w.title = v,
            "text" => w.text = v,
            "typo" => w.typo = v,
            "prefix" => w.prefix = v,
            "expansion" => w.expansion = v,
            "phrase" => w.phrase = v,
            "coverage" => w.coverage = v,
            "root" => w.root = v,
            "other_chunks" => w.other_chunks = v,
            "intent" => w.intent = v,
            "everyday" => w.everyday = v,
            "best_chunk" => w.best_chunk = v,
            "k" => w.fusion.k = v,
            "lexical" => w.fusion.lexical = v,
            "dense" => w.fusion.dense = v,
            "long" => w.fusion.dense_long = v,
            "depth" => w.fusion.dense_depth = v as usize,
            "floor" => w.fusion.min_cosine = v,
            "told" => w.fusion.told = v,
            "told_long" => w.fusion.told_long = v,
            "told_terms" => w.fusion.told_terms = v as usize,
            _ => panic!("{k}"),
        }
    }
    let outcomes: Vec<eval::Outcome> = cases
        .iter()
        .map(|c| {
            let ids: Vec<String> = engine
                .search(&c.query, Options::default())
                .iter()
                .map(|h| h.id.to_string())
                .collect();
            eval::score(c, &ids)
        })
        .collect();
    let r = eval::report(outcomes);
    println!(
        "all h1 {:.3} h3 {:.3} mrr {:.3}",
        r.overall.hit_at_1, r.overall.hit_at_3, r.overall.mrr
    );
    for (k, m) in &r.by_kind {
        println!("  {k:<11} h1 {:.3} h3 {:.3}", m.hit_at_1, m.hit_at_3);
    }
    if std::env::var_os("MISSES").is_some() {
        for o in r.outcomes.iter().filter(|o| o.rank != Some(1)) {
            println!(
                "  {:?} {} want {:?} got {:?}",
                o.rank, o.query, o.acceptable, o.top
            );
        }
    }
}
