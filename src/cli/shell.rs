//! `setproc completions SHELL` and `setproc man`: the shell completion
//! scripts and the manual page, generated from the clap definition so they
//! can never drift from the command line.
//!
//! Ids are not completed (`setproc show B24.<Tab>`): clap's dynamic
//! completion, which would ask setproc for them at <Tab>, is still behind
//! clap_complete's `unstable-dynamic` feature, and a static list of the
//! manual's 3,500 ids in every script would go stale with the next edition.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use super::Cli;

pub(super) fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "setproc", &mut out);
    write_all(&out)
}

pub(super) fn man() -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    write_all(&out)
}

fn write_all(bytes: &[u8]) -> Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
