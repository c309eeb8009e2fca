//! The `setproc` binary: see `setproc --help`.

/// mimalloc rather than the system allocator: `setproc build` makes and
/// frees ~500,000 small strings, and glibc's malloc/free were 14% of its
/// instructions (callgrind: 810 M → 757 M for a whole build with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    setproc::cli::main()
}
