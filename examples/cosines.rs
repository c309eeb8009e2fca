//! Prints the best dense cosine for each query (argument or a TSV's first
//! column), to choose the floor below which meaning adds nothing.
fn main() {
    let model = setproc::search::dense::Model::get().expect("model");
    let vecs = setproc::search::dense::builtin_vectors().expect("vectors");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let queries: Vec<String> = if args.len() == 1 && args[0].ends_with(".tsv") {
        std::fs::read_to_string(&args[0])
            .unwrap()
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect()
    } else {
        args
    };
    for q in queries {
        let v = model.embed(&q);
        let n = vecs.nearest(&v);
        let top: Vec<String> = n
            .iter()
            .take(3)
            .map(|x| format!("{:.3}", x.score))
            .collect();
        println!("{}\t{q}", top.join(" "));
    }
}
