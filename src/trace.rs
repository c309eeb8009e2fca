//! Phase timings for `setproc build`, on stderr when `SETPROC_TRACE` is set:
//! how BENCHMARKS.md tells which step of a build is waiting on which (the
//! index is written on its own thread while the content is rendered).

use std::sync::OnceLock;
use std::time::Instant;

/// Prints `label` with the milliseconds since the first mark and the
/// thread, if tracing is on. Costs one check when off.
pub fn mark(label: &str) {
    static START: OnceLock<(Instant, bool)> = OnceLock::new();
    let (start, on) =
        START.get_or_init(|| (Instant::now(), std::env::var_os("SETPROC_TRACE").is_some()));
    if *on {
        eprintln!(
            "{:8.2} ms  {:?}  {label}",
            start.elapsed().as_secs_f64() * 1e3,
            std::thread::current().id()
        );
    }
}
