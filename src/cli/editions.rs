//! `setproc diff OLD NEW` and what `setproc build --previous OLD` adds: the
//! comparison of two editions and the history (id map and changes) kept
//! beside a build.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::{Format, stdout};
use crate::edition::{self, History, report};
use crate::store::library::{EMBEDDED_NAME, EMBEDDED_SOURCE, Library};
use crate::text::markup::terminal_safe;

/// The word that names the manual built into setproc where an edition is
/// expected.
pub const BUILTIN: &str = "builtin";

/// An edition named on the command line: `builtin`, a content folder
/// (written by `setproc build`) or a source text.
pub(super) fn load_edition(arg: &str) -> Result<Library> {
    if arg == BUILTIN {
        return Ok(Library::embedded());
    }
    let path = Path::new(arg);
    if path.is_dir() {
        return Library::load(path).with_context(|| {
            format!("{arg} is a folder but not a setproc build (its manifest.json)")
        });
    }
    let text = std::fs::read_to_string(path).with_context(|| {
        format!("cannot read {arg} (give a source text, a content folder or `{BUILTIN}`)")
    })?;
    if text == EMBEDDED_SOURCE {
        return Ok(Library::embedded());
    }
    Library::from_source(&text, arg)
        .map_err(anyhow::Error::new)
        .with_context(|| format!("{arg} is not the SET procedures text"))
}

/// An edition to compare: as [`load_edition`], but a source text is
/// only parsed (its citations are not needed to compare it).
fn load_side(arg: &str) -> Result<edition::Side> {
    let path = Path::new(arg);
    if arg != BUILTIN && path.is_dir() {
        return Ok(edition::Side::of_library(&load_edition(arg)?));
    }
    let read;
    let text = if arg == BUILTIN {
        EMBEDDED_SOURCE
    } else {
        read = std::fs::read_to_string(path).with_context(|| {
            format!("cannot read {arg} (give a source text, a content folder or `{BUILTIN}`)")
        })?;
        &read
    };
    edition::Side::of_source(text)
        .map_err(anyhow::Error::new)
        .with_context(|| format!("{arg} is not the SET procedures text"))
}

/// Both editions, read at once (each is a parse of ~600 pages).
fn load_both(old: &str, new: &str) -> Result<(edition::Side, edition::Side)> {
    std::thread::scope(|s| {
        let o = s.spawn(|| load_side(old));
        let n = load_side(new)?;
        let o = o
            .join()
            .map_err(|_| anyhow::anyhow!("reading {old} failed"))??;
        Ok((o, n))
    })
}

pub(super) fn diff(
    old: &str,
    new: &str,
    json: bool,
    format: Format,
    all: bool,
) -> Result<ExitCode> {
    let (o, n) = load_both(old, new)?;
    let (d, _) = edition::diff_sides(&o, &n);
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &report::json(&d, all))?;
        writeln!(out)?;
    } else {
        let text = match format {
            Format::Md => report::markdown(&d),
            Format::Text => report::text(&d, all),
        };
        write!(out, "{}", terminal_safe(&text))?;
    }
    out.flush()?;
    // The units' many small allocations go back to the OS whole.
    std::mem::forget((o, n));
    Ok(ExitCode::SUCCESS)
}

/// The edition a build replaces: `--previous OLD` if given, else the
/// build already in the content folder when it is another edition.
pub(super) fn previous_of(
    previous: Option<&str>,
    dir: &Path,
    new_edition: &crate::manual::edition::Edition,
) -> Result<Option<(Library, Option<History>)>> {
    let (lib, history_dir): (Library, Option<PathBuf>) = match previous {
        Some(p) => {
            let lib = load_edition(p)?;
            let dir = Path::new(p).is_dir().then(|| PathBuf::from(p));
            (lib, dir)
        }
        None => match crate::store::content::load_manifest(dir) {
            // Only a build that recorded its edition, and another one.
            Ok(m) if !m.edition.hash.is_empty() && m.edition.hash != new_edition.hash => {
                (Library::load(dir)?, Some(dir.to_path_buf()))
            }
            _ => return Ok(None),
        },
    };
    if lib.edition.hash == new_edition.hash {
        if previous.is_some() {
            bail!("--previous names the same edition as the one being built");
        }
        return Ok(None);
    }
    let history = match history_dir {
        Some(d) => History::load(&d).map_err(anyhow::Error::msg)?,
        None => None,
    };
    Ok(Some((lib, history)))
}

/// The history a build keeps of the edition it replaces: the file
/// (`editions.json`, name and bytes) to commit with the build's own files,
/// so that a build killed at any moment leaves the folder as the old build
/// with its history or the new one with its own, and the line that says
/// what it recorded.
pub(super) fn history_file(
    previous: (Library, Option<History>),
    lib: &Library,
) -> ((String, String), String) {
    let (old, older) = previous;
    let (d, map) = edition::diff(&old, lib);
    let history = History::after(&d, map, older.as_ref());
    let said = format!(
        "editions: compared with {} ({}): {}; old numbers resolve as ID@{}",
        old.edition.label(),
        if old.source_name == EMBEDDED_NAME {
            BUILTIN
        } else {
            &old.source_name
        },
        report::summary(&d),
        old.edition.label()
    );
    ((edition::map::FILE.to_string(), history.to_json()), said)
}

/// The history kept beside the build in `content_dir` (none for the
/// built-in manual, or for a folder without one). A damaged file matters
/// only when `reference` asks for an older edition (`…@EDITION`); a
/// history left by a build of another edition is ignored.
pub(super) fn history(
    content_dir: Option<&Path>,
    lib: &Library,
    reference: &str,
) -> Result<Option<History>> {
    let Some(dir) = content_dir else {
        return Ok(None);
    };
    match History::load(dir) {
        Ok(Some(h)) if h.edition == lib.edition => Ok(Some(h)),
        Ok(_) => Ok(None),
        Err(e) if reference.contains('@') => bail!(e),
        Err(_) => Ok(None),
    }
}
