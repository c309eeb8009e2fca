fn main() {
    let t = std::time::Instant::now();
    let lib = setproc::library::Library::embedded();
    eprintln!("library {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let files = lib.render_files();
    let st = setproc::content::write_dir(std::path::Path::new("/tmp/content"), &files).unwrap();
    eprintln!("write {:?} {:?}", t.elapsed(), st);
}
