//! Replacing many files of a folder as one change: the new files are
//! staged beside the old ones, a journal naming them is written (the
//! commit), then each is renamed into place and the journal removed.
//!
//! Each file's own rename is atomic ([`crate::store::atomic`]), but a build
//! rewrites hundreds of files: killed half-way, the folder would hold some
//! new files and some old. With the journal, a folder is at any moment the
//! old build (no journal: stray staged files are ignored) or the new one
//! (a journal: its staged files are the truth, and [`read`] reads through
//! it). The next build rolls a left-over journal forward before anything
//! else, as SQLite replays a hot journal when it next opens a database.
//!
//! Content folders can be rebuilt, so nothing here is flushed to disk: this
//! is about crashes and kills, not power cuts.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::atomic::{self, Durability};

/// The journal's file name: its presence means "the staged files named
/// inside are the folder's content".
pub const JOURNAL: &str = ".setproc-commit.json";
/// Staged files end with this (`.<name>.<build>.staged`).
const STAGED: &str = ".staged";

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Journal {
    /// Tells this change's staged files from another's.
    build: String,
    /// Files to move into place, in order (the manifest last).
    replace: Vec<String>,
    /// Files to remove once those are in place.
    remove: Vec<String>,
}

fn staged_path(dir: &Path, name: &str, build: &str) -> PathBuf {
    dir.join(format!(".{name}.{build}{STAGED}"))
}

/// Whether `name` is one of this module's own files (a journal, the
/// journal's temporary file while it is written, or a staged file, any of
/// them possibly left by a killed build): a folder holding nothing else is
/// as good as empty.
pub fn is_own_file(name: &str) -> bool {
    let journal_temp = name
        .strip_prefix(&format!(".{JOURNAL}."))
        .is_some_and(|rest| rest.ends_with(".tmp"));
    name == JOURNAL || journal_temp || (name.starts_with('.') && name.ends_with(STAGED))
}

/// Writes `files` (name, bytes) into `dir` and removes `remove`, all as one
/// change: after a crash at any point, the folder reads as before or as
/// after. A journal left by an earlier, interrupted change is completed
/// first. The caller holds [`lock`].
pub fn replace_files(dir: &Path, files: &[(&str, &[u8])], remove: &[String]) -> io::Result<()> {
    recover(dir)?;
    if files.is_empty() && remove.is_empty() {
        return Ok(());
    }
    let journal = Journal {
        build: format!("{}-{}", std::process::id(), nanos()),
        replace: files.iter().map(|(n, _)| n.to_string()).collect(),
        remove: remove.to_vec(),
    };
    let staged = files
        .iter()
        .try_for_each(|(name, bytes)| fs::write(staged_path(dir, name, &journal.build), bytes));
    let committed = staged.and_then(|()| {
        let json = serde_json::to_vec(&journal).map_err(io::Error::other)?;
        atomic::write(&dir.join(JOURNAL), &json, Durability::Regenerable)
    });
    if let Err(e) = committed {
        // Not committed: the folder is still the old one; tidy up.
        for (name, _) in files {
            let _ = fs::remove_file(staged_path(dir, name, &journal.build));
        }
        return Err(e);
    }
    apply(dir, &journal)
}

/// Waits for, then holds, `dir`'s turn to change (a lock on the folder
/// itself, released when the returned handle is dropped or the process
/// ends, however it ends). [`replace_files`] and [`recover`] need it.
pub fn lock(dir: &Path) -> io::Result<fs::File> {
    let handle = fs::File::open(dir)?;
    handle.lock()?;
    Ok(handle)
}

/// Completes a change a killed process left committed, and removes staged
/// files no journal names (a change killed before its commit). Returns
/// whether a journal was rolled forward.
pub fn recover(dir: &Path) -> io::Result<bool> {
    let journal = read_journal(dir)?;
    if let Some(j) = &journal {
        apply(dir, j)?;
    }
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name != JOURNAL && is_own_file(&name) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    Ok(journal.is_some())
}

/// Moves a committed change's staged files into place, removes what it
/// retires, then the journal. Each step may already have been done by an
/// earlier, interrupted run.
fn apply(dir: &Path, j: &Journal) -> io::Result<()> {
    let gone = |r: io::Result<()>| match r {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    };
    for name in &j.replace {
        gone(fs::rename(staged_path(dir, name, &j.build), dir.join(name)))?;
    }
    for name in &j.remove {
        gone(fs::remove_file(dir.join(name)))?;
    }
    gone(fs::remove_file(dir.join(JOURNAL)))
}

/// The committed journal in `dir`, if any. One that does not parse was not
/// written by setproc (journals are written atomically): it is an error,
/// never guessed at.
fn read_journal(dir: &Path) -> io::Result<Option<Journal>> {
    let path = dir.join(JOURNAL);
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is damaged: {e}", path.display()),
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads `name` from `dir` as the folder now stands: through a committed
/// change still being applied (or left by a killed build), else the file
/// itself. Never writes, so any reader may call it.
pub fn read(dir: &Path, name: &str) -> io::Result<Vec<u8>> {
    View::open(dir)?.read(name)
}

/// A folder as it stands, for reading many of its files: the journal is
/// read once.
#[derive(Debug)]
pub struct View<'a> {
    dir: &'a Path,
    journal: Option<Journal>,
}

impl<'a> View<'a> {
    pub fn open(dir: &'a Path) -> io::Result<View<'a>> {
        Ok(View {
            dir,
            journal: read_journal(dir)?,
        })
    }

    /// See [`read`].
    pub fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        if let Some(j) = &self.journal
            && j.replace.iter().any(|n| n == name)
        {
            match fs::read(staged_path(self.dir, name, &j.build)) {
                // Renamed into place since: the file itself is the new one.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                other => return other,
            }
        }
        fs::read(self.dir.join(name))
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn recovery_removes_a_journal_half_written_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "old").unwrap();
        // What atomic::write leaves when killed before its rename.
        let temp = format!(".{JOURNAL}.4242.tmp");
        fs::write(dir.path().join(&temp), "").unwrap();
        assert!(is_own_file(&temp) && !is_own_file(".a.md.tmp"));
        assert!(!recover(dir.path()).unwrap());
        assert_eq!(names(dir.path()), ["a.md"]);
    }

    #[test]
    fn replaces_and_removes_leaving_only_the_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "old a").unwrap();
        fs::write(dir.path().join("gone.md"), "old").unwrap();
        replace_files(
            dir.path(),
            &[("a.md", b"new a"), ("b.md", b"new b")],
            &["gone.md".into()],
        )
        .unwrap();
        assert_eq!(names(dir.path()), ["a.md", "b.md"]);
        assert_eq!(read(dir.path(), "a.md").unwrap(), b"new a");
    }

    /// A change killed after its commit, at every step of applying it:
    /// read through the journal it is the new folder, and recovery ends
    /// with exactly the new files.
    #[test]
    fn a_committed_change_reads_as_new_at_every_step_and_rolls_forward() {
        let files: &[(&str, &[u8])] = &[("a.md", b"new a"), ("manifest.json", b"new m")];
        for done in 0..=3 {
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join("a.md"), "old a").unwrap();
            fs::write(dir.path().join("manifest.json"), "old m").unwrap();
            fs::write(dir.path().join("gone.md"), "old").unwrap();
            let j = Journal {
                build: "7-1".into(),
                replace: files.iter().map(|(n, _)| n.to_string()).collect(),
                remove: vec!["gone.md".into()],
            };
            for (name, bytes) in files {
                fs::write(staged_path(dir.path(), name, &j.build), bytes).unwrap();
            }
            fs::write(dir.path().join(JOURNAL), serde_json::to_vec(&j).unwrap()).unwrap();
            // Killed after `done` renames.
            for (name, _) in &files[..done.min(2)] {
                fs::rename(
                    staged_path(dir.path(), name, &j.build),
                    dir.path().join(name),
                )
                .unwrap();
            }
            if done == 3 {
                fs::remove_file(dir.path().join("gone.md")).unwrap();
            }
            assert_eq!(read(dir.path(), "a.md").unwrap(), b"new a", "step {done}");
            assert_eq!(read(dir.path(), "manifest.json").unwrap(), b"new m");
            assert!(recover(dir.path()).unwrap());
            assert_eq!(names(dir.path()), ["a.md", "manifest.json"], "step {done}");
            assert_eq!(fs::read(dir.path().join("a.md")).unwrap(), b"new a");
        }
    }

    #[test]
    fn staged_files_without_a_commit_are_ignored_then_removed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "old a").unwrap();
        fs::write(staged_path(dir.path(), "a.md", "9-9"), "half").unwrap();
        assert_eq!(read(dir.path(), "a.md").unwrap(), b"old a");
        assert!(is_own_file(".a.md.9-9.staged"));
        assert!(!recover(dir.path()).unwrap());
        assert_eq!(names(dir.path()), ["a.md"]);
    }

    #[test]
    fn a_failed_stage_leaves_the_old_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "old a").unwrap();
        // A staged name that cannot be created (its folder is missing).
        let err = replace_files(dir.path(), &[("a.md", b"new"), ("no/b.md", b"x")], &[]);
        assert!(err.is_err());
        assert_eq!(names(dir.path()), ["a.md"]);
        assert_eq!(read(dir.path(), "a.md").unwrap(), b"old a");
    }
}
