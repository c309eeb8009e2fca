//! Times the sentence model: load, and one embedding per text given (or a
//! few typical queries); then the nearest sections among the built-in
//! manual's vectors.
//!
//!     cargo run --release --example embed -- "baby with a bruise"

use std::time::Instant;

fn main() {
    let t = Instant::now();
    let model = setproc::search::dense::Model::get().expect("model");
    println!("load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let texts = if args.is_empty() {
        vec![
            "baby with a bruise".to_string(),
            "my neighbour's kid is always hungry and dirty".to_string(),
            "what should a teacher do if a pupil says she is being hit at home".to_string(),
        ]
    } else {
        args
    };
    for text in &texts {
        let mut times = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            std::hint::black_box(model.embed(text));
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let n = model.tokens.encode(text, 256).len();
        println!("{n:>4} tokens: median {:.2} ms  {text:?}", times[10]);
    }
    let vectors = setproc::search::dense::builtin_vectors().expect("vectors");
    let v = model.embed(&texts[0]);
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(vectors.nearest(&v));
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "nearest over {} units: median {:.3} ms, p99 {:.3} ms",
        vectors.keys.len(),
        times[100],
        times[198]
    );
}
