//! Prints the reader's key table as markdown (pasted into the README).
fn main() {
    print!("{}", setproc::tui::keys::markdown());
}
