//! Dev tool: the tokenizer's speed over the manual's indexed text (minimum
//! of 15 runs, which is robust to this VM's noise).
use std::time::{Duration, Instant};
use tantivy::tokenizer::TokenStream;
fn main() {
    let lib = setproc::store::library::Library::embedded();
    let texts: Vec<String> = lib
        .bodies
        .iter()
        .flat_map(|b| setproc::search::index::chunks(b))
        .map(|c| c.text)
        .collect();
    let total: usize = texts.iter().map(|t| t.len()).sum();
    let mut best = [Duration::MAX; 3];
    let mut check = (0usize, 0usize);
    for _ in 0..15 {
        let t = Instant::now();
        let mut n = 0usize;
        for x in &texts {
            let mut inw = false;
            for &b in x.as_bytes() {
                let w = b.is_ascii_alphanumeric();
                n += (w && !inw) as usize;
                inw = w;
            }
        }
        best[0] = best[0].min(t.elapsed());
        let t = Instant::now();
        let mut k = 0usize;
        for x in &texts {
            k += setproc::text::analysis::spans(x).count();
        }
        best[1] = best[1].min(t.elapsed());
        let t = Instant::now();
        let mut an = setproc::text::analysis::stemmed_analyzer();
        let mut m = 0usize;
        for x in &texts {
            let mut s = an.token_stream(x);
            while s.advance() {
                m += s.token().text.len();
            }
        }
        best[2] = best[2].min(t.elapsed());
        check = (k, m);
        let _ = n;
    }
    println!(
        "{total} bytes, {} words ({} stem bytes): byte loop {:?}, spans {:?}, analyzer {:?}",
        check.0, check.1, best[0], best[1], best[2]
    );
}
