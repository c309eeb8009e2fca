//! Writes the test suite's second edition of the manual (April 2026, made
//! from the June 2025 text by `tests/editions/next.rs`) to stdout:
//!
//!     cargo run --example next_edition > /tmp/set-april-2026.txt
//!     cargo run --example next_edition -- --list   # the changes it makes

#[path = "../tests/editions/next.rs"]
mod next;

use std::io::Write;

fn main() {
    let mut out = std::io::stdout().lock();
    let text = if std::env::args().any(|a| a == "--list") {
        next::CHANGES.join("\n") + "\n"
    } else {
        next::next_edition(setproc::store::library::EMBEDDED_SOURCE)
    };
    // Quiet on a closed pipe, like setproc.
    let _ = out.write_all(text.as_bytes());
}
