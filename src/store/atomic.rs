//! Atomic file writes: a temporary file in the same folder, renamed into
//! place, so a reader (or a crash) sees the old file or the new one, never
//! half of either.
//!
//! Generated files (content/, the index) can be rebuilt, so they skip the
//! flush to disk; what the user saved (bookmarks) is flushed before the
//! rename, because it cannot be rebuilt.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How hard to try to keep the bytes across a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Rename only: enough for files a build can make again.
    Regenerable,
    /// Flush the file to disk before the rename: for the user's own data.
    Durable,
}

/// Writes `bytes` to `path` atomically. On error the temporary file is
/// removed and `path` is untouched.
pub fn write(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The process id keeps two writers of the same file apart.
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durability == Durability::Durable {
            f.sync_all()?;
        }
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        fs::write(&path, b"old").unwrap();
        write(&path, b"new", Durability::Durable).unwrap();
        write(&path, b"newer", Durability::Regenerable).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"newer");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // Renaming a file over a non-empty folder fails.
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), b"x").unwrap();
        assert!(write(&path, b"new", Durability::Durable).is_err());
        assert_eq!(fs::read(path.join("keep")).unwrap(), b"x");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
