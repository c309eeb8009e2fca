//! AFL++ target `search`: see `fuzz/targets.rs`.

#[allow(dead_code)] // each binary uses one target
#[path = "../../targets.rs"]
mod targets;

fn main() {
    // Once before the fork server starts: the manual is parsed (and
    // indexed) here, not in every forked run.
    targets::search(b"");
    afl::fuzz!(|data: &[u8]| targets::search(data));
}
