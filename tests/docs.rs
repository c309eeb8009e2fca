//! The README stays true: its key table is the reader's key table, and CI
//! runs the test command it gives.

const README: &str = include_str!("../README.md");
const CI: &str = include_str!("../.ci/run");

#[test]
fn readme_shows_the_readers_keys_as_bound() {
    let table = setproc::tui::keys::markdown();
    assert!(
        README.contains(table.trim()),
        "README's key table is out of date; paste `cargo run --example keys_table`"
    );
}

#[test]
fn readme_gives_the_two_set_up_commands_and_ci_runs_the_test_one() {
    assert!(README.contains("\n    cargo run --release\n"));
    assert!(README.contains("\n    cargo test\n"));
    assert!(
        CI.lines().any(|l| l.trim() == "cargo test"),
        "CI must run the README's test command"
    );
}
