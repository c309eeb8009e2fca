//! `setproc --version`: the program's version and the edition of the
//! manual it reads (the built-in one, or `--content DIR`'s), so a trainer
//! can check which edition a copy of setproc holds.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::manual::edition::Edition;
use crate::store::{content, library};

/// The text after "setproc " for `--version`: "0.1.0 (manual: June 2025
/// edition, text 1a2b…)". `args` are the process's arguments: only
/// when they ask for the version is a `--content` folder's manifest read.
pub(super) fn version_text(args: &[OsString]) -> String {
    let asked = args.iter().any(|a| a == "--version" || a == "-V");
    let edition = if asked {
        match content_arg(args) {
            Some(dir) => content::load_manifest(&dir)
                .map(|m| m.edition)
                .map_err(|e| e.to_string()),
            None => Ok(embedded()),
        }
    } else {
        // Not shown: no reason to hash the text.
        Ok(Edition::default())
    };
    match edition {
        Ok(e) if e.hash.is_empty() && e.date.is_empty() => {
            format!(
                "{} (manual: edition not recorded)",
                env!("CARGO_PKG_VERSION")
            )
        }
        Ok(e) => format!(
            "{} (manual: {} edition, text {})",
            env!("CARGO_PKG_VERSION"),
            e.label(),
            e.hash
        ),
        Err(why) => format!("{} (manual: {why})", env!("CARGO_PKG_VERSION")),
    }
}

/// The built-in manual's edition.
pub fn embedded() -> Edition {
    Edition::of(library::EMBEDDED_SOURCE)
}

/// The folder `--content DIR` or `--content=DIR` names, if any.
fn content_arg(args: &[OsString]) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--content" {
            return it.next().map(PathBuf::from);
        }
        if let Some(v) = a.to_str().and_then(|s| s.strip_prefix("--content=")) {
            return Some(PathBuf::from(v));
        }
    }
    None
}
