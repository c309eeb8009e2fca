//! The reader's saved state: bookmarks and the last position, as JSON in the
//! user's data folder (`$XDG_DATA_HOME/setproc/reader.json`).
//!
//! Saved data is never lost: writes go to a temporary file that is renamed
//! into place (a crash leaves the old file or the new one, never half), and a
//! file that can't be read is copied aside (`reader.json.corrupt-<time>`)
//! before starting empty, with a message saying where the copy is.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Format version written to the file.
pub const VERSION: u32 = 1;
const FILE: &str = "reader.json";

/// Where the reader was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Node id (`B24.8`, `part-B3`).
    pub node: String,
    /// A highlighted paragraph, if the reader was opened at one.
    #[serde(default)]
    pub para: Option<String>,
    /// The markdown block at the top of the screen.
    #[serde(default)]
    pub block: u32,
}

/// Everything saved. Ids are strings so that one unknown to a later edition
/// is skipped rather than making the whole file unreadable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub bookmarks: Vec<String>,
    #[serde(default)]
    pub last: Option<Position>,
}

/// The saved-state file in one folder (injectable for tests).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The store in the user's data folder.
    pub fn user() -> Store {
        Store::new(crate::paths::data_dir())
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Reads the saved state. A missing file is an empty state; a file that
    /// can't be parsed is kept as a backup and the message says so.
    pub fn load(&self) -> (Saved, Option<String>) {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (Saved::default(), None),
            Err(e) => {
                return (
                    Saved::default(),
                    Some(format!(
                        "Could not read {}: {e}; bookmarks start empty",
                        path.display()
                    )),
                );
            }
        };
        match serde_json::from_slice::<Saved>(&bytes) {
            Ok(s) => (s, None),
            Err(e) => {
                let backup = self.backup_path();
                let msg = match fs::write(&backup, &bytes) {
                    Ok(()) => format!(
                        "{} was damaged ({e}); a copy is in {}; starting with no bookmarks",
                        path.display(),
                        backup.display()
                    ),
                    Err(werr) => format!(
                        "{} was damaged ({e}) and could not be copied aside ({werr}); it will not be overwritten",
                        path.display()
                    ),
                };
                (Saved::default(), Some(msg))
            }
        }
    }

    fn backup_path(&self) -> PathBuf {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        self.dir.join(format!("{FILE}.corrupt-{nanos}"))
    }

    /// Writes the state atomically: temporary file, flush to disk, rename.
    pub fn save(&self, saved: &Saved) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let json = serde_json::to_vec_pretty(saved).map_err(io::Error::other)?;
        write_atomic(&self.path(), &json)
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
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

    fn sample() -> Saved {
        Saved {
            version: VERSION,
            bookmarks: vec!["B24.8".into(), "A3.4".into()],
            last: Some(Position {
                node: "A3.4".into(),
                para: Some("A3.4.22".into()),
                block: 12,
            }),
        }
    }

    #[test]
    fn round_trips_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("nested"));
        assert_eq!(store.load(), (Saved::default(), None));
        store.save(&sample()).unwrap();
        assert_eq!(store.load(), (sample(), None));
        let names: Vec<String> = fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [FILE]);
    }

    #[test]
    fn a_corrupt_file_is_kept_as_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        fs::write(store.path(), b"{\"bookmarks\": [\"B24.8\"").unwrap();
        let (saved, msg) = store.load();
        assert_eq!(saved, Saved::default());
        let msg = msg.unwrap();
        assert!(msg.contains("damaged") && msg.contains("corrupt-"), "{msg}");
        let backups: Vec<PathBuf> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(backups.len(), 1);
        assert_eq!(
            fs::read(&backups[0]).unwrap(),
            b"{\"bookmarks\": [\"B24.8\""
        );
        // Saving afterwards replaces the damaged file; the backup stays.
        store.save(&sample()).unwrap();
        assert_eq!(store.load().0, sample());
        assert!(backups[0].exists());
    }

    #[test]
    fn unknown_fields_and_missing_ones_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        fs::write(store.path(), br#"{"bookmarks":["B1"],"future":true}"#).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(msg, None);
        assert_eq!(saved.bookmarks, ["B1"]);
    }
}
