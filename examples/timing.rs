//! Dev tool: where `setproc build` spends its time.
use std::time::Instant;
fn main() {
    let src = setproc::library::EMBEDDED_SOURCE;
    for _ in 0..3 {
        let t = Instant::now();
        let doc = setproc::parse::parse(src).unwrap();
        let t1 = t.elapsed();
        let cites = setproc::cite::find_all(&doc);
        let t2 = t.elapsed();
        let lib = setproc::library::Library::from_document(doc, "x");
        let t3 = t.elapsed();
        let _ = lib.vocabulary();
        let t4 = t.elapsed();
        let _ = lib.content_hash();
        let t5 = t.elapsed();
        let files = lib.render_files();
        let t6 = t.elapsed();
        let idx = setproc::index::build_in_ram(&lib, "k").unwrap();
        let t7 = t.elapsed();
        println!(
            "parse {:?} cite {:?} library(cite+render) {:?} vocab {:?} hash {:?} files {:?} index {:?} ({} {} {})",
            t1,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            t5 - t4,
            t6 - t5,
            t7 - t6,
            cites.len(),
            files.files.len(),
            idx.marker.paragraphs
        );
    }
}
