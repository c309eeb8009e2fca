//! `setproc export REF [--format md|html] [-o FILE]`: a section, chapter
//! or part as one self-contained file (see [`crate::export`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::{Failure, stdout};
use crate::export::{date_from_days, html, markdown};
use crate::store::atomic::{self, Durability};
use crate::store::library::Library;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Html,
}

pub(super) fn export(
    lib: &Library,
    content_dir: Option<&Path>,
    reference: &str,
    format: Option<ExportFormat>,
    output: Option<PathBuf>,
) -> Result<ExitCode> {
    let history = super::editions::history(content_dir, lib, reference)?;
    let (target, note) = crate::edition::lookup_at(lib, history.as_ref(), reference)
        .map_err(|e| Failure::NotFound(e.to_string()))?;
    if let Some(n) = note {
        eprintln!("note: {}", crate::text::markup::terminal_safe(&n));
    }
    // A paragraph is exported with its section, where its number makes sense.
    let root = target.node();
    let e = markdown::export(lib, root, &today())
        .ok_or_else(|| Failure::NotFound(format!("no section {root}")))?;
    let format = format.unwrap_or(match output.as_deref().and_then(Path::extension) {
        Some(ext) if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") => {
            ExportFormat::Html
        }
        _ => ExportFormat::Md,
    });
    let text = match format {
        ExportFormat::Md => e.markdown.clone(),
        ExportFormat::Html => html::page(&e),
    };
    match output {
        Some(path) => {
            atomic::write(&path, text.as_bytes(), Durability::Durable)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let paragraphs: usize = e
                .nodes
                .iter()
                .filter_map(|n| lib.meta(*n))
                .map(|m| m.paragraphs.len())
                .sum();
            eprintln!(
                "exported {root} ({} sections, {paragraphs} paragraphs) to {}",
                e.nodes.len(),
                path.display()
            );
        }
        None => {
            let mut out = stdout();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Today's date for the stamp ("7 December 2026", UTC).
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_from_days((secs / 86_400) as i64)
}
