//! The `setproc` binary: see `setproc --help`.

fn main() -> std::process::ExitCode {
    setproc::cli::main()
}
