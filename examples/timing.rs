use std::time::Instant;
fn main() {
    let src = setproc::library::EMBEDDED_SOURCE;
    for _ in 0..3 {
        let t = Instant::now();
        let doc = setproc::parse::parse(src).unwrap();
        let t1 = t.elapsed();
        let v = setproc::terms::Vocabulary::from_document(&doc);
        let t2 = t.elapsed();
        let lib = setproc::library::Library::from_document(doc, "x");
        let t3 = t.elapsed();
        let idx = setproc::index::build_in_ram(&lib, "k").unwrap();
        let t4 = t.elapsed();
        println!(
            "parse {:?} vocab {:?} library(incl vocab) {:?} index {:?} ({} {})",
            t1,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            v.acronyms.len(),
            idx.marker.paragraphs
        );
    }
}
