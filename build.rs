//! Computes a key for everything the built content and index derive from
//! (the embedded manual, the data files and the code that parses, renders
//! and indexes it), so that an index built by another version of setproc is
//! never mistaken for this one's.

use std::fs;
use std::path::Path;

fn hash_tree(dir: &Path, h: &mut u64) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_tree(&p, h);
        } else if let Ok(bytes) = fs::read(&p) {
            for b in p.to_string_lossy().bytes().chain(bytes) {
                *h ^= u64::from(b);
                *h = h.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
}

fn main() {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for dir in ["src", "data", "source"] {
        println!("cargo:rerun-if-changed={dir}");
        hash_tree(Path::new(dir), &mut h);
    }
    println!("cargo:rustc-env=SETPROC_BUILD_KEY={h:016x}");
}
