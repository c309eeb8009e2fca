//! The reader's saved state: bookmarks, the last position and the sections
//! visited, as JSON in the user's data folder
//! (`$XDG_DATA_HOME/setproc/reader.json`).
//!
//! Saved data is never lost: writes go to a temporary file that is renamed
//! into place (a crash leaves the old file or the new one, never half), and a
//! file that can't be parsed is moved aside (`reader.json.corrupt-<time>`)
//! before starting empty, with a message saying where it went. Every save
//! re-reads the file and applies only this reader's changes, so two readers
//! open at once, or a later edition's bookmarks, are never undone.

use std::fs;
use std::io;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::manual::edition::Edition;
use crate::store::atomic::{self, Durability};

/// Format version written to the file. Version 2 added `history` (the
/// sections visited) and gave bookmarks, the last position and each visit
/// their title and edition, so a later edition can re-attach them through
/// its id map. Version 1's files (bookmarks as bare ids, no history) still
/// read; a setproc that writes version 1 would drop what 2 added, so it
/// leaves a version 2 file alone.
pub const VERSION: u32 = 2;
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
    /// The node's title when saved, and the edition it was read in: a
    /// later edition re-attaches the position through its id map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<Edition>,
}

/// A bookmark: the node's id, its title and the edition it was made in,
/// so that a later edition can re-attach it through its id map. Version
/// 1 files hold a bare id (`"B24.8"`), read as one without title or
/// edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BookmarkOnDisk")]
pub struct Bookmark {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<Edition>,
}

impl Bookmark {
    /// A bookmark of `id` alone (no title, no edition), as version 1 saved.
    pub fn bare(id: impl Into<String>) -> Bookmark {
        Bookmark {
            id: id.into(),
            title: String::new(),
            edition: None,
        }
    }
}

/// Either form a bookmark has had on disk.
#[derive(Deserialize)]
#[serde(untagged)]
enum BookmarkOnDisk {
    Bare(String),
    Full {
        id: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        edition: Option<Edition>,
    },
}

impl From<BookmarkOnDisk> for Bookmark {
    fn from(b: BookmarkOnDisk) -> Bookmark {
        match b {
            BookmarkOnDisk::Bare(id) => Bookmark::bare(id),
            BookmarkOnDisk::Full { id, title, edition } => Bookmark { id, title, edition },
        }
    }
}

/// A section visited, for the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// Node id (`B24.8`, `part-B3`).
    pub node: String,
    /// The paragraph it was opened at, if any.
    #[serde(default)]
    pub para: Option<String>,
    /// The node's title when visited, and the edition it was read in (as
    /// for bookmarks: a later edition re-attaches the visit through its id
    /// map). Absent in visits saved before they were recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<Edition>,
}

impl Visit {
    /// A visit of `node` alone (no paragraph, title or edition).
    pub fn bare(node: impl Into<String>) -> Visit {
        Visit {
            node: node.into(),
            para: None,
            title: String::new(),
            edition: None,
        }
    }
}

/// Everything saved. Ids are strings so that one unknown to a later edition
/// is skipped rather than making the whole file unreadable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub bookmarks: Vec<Bookmark>,
    #[serde(default)]
    pub last: Option<Position>,
    /// Sections visited, newest first, each once.
    #[serde(default)]
    pub history: Vec<Visit>,
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
        Store::new(crate::store::paths::data_dir())
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Reads the saved state. A missing file is an empty state. A file that
    /// can't be parsed is moved aside (`reader.json.corrupt-<time>`) and the
    /// message says where; a file that can't be read at all is left alone,
    /// and [`Store::update`] will refuse to overwrite it.
    pub fn load(&self) -> (Saved, Option<String>) {
        match self.read() {
            Ok((saved, None)) => (saved, None),
            Ok((saved, Some(backup))) => (
                saved,
                Some(format!(
                    "{} was damaged; it was moved to {}; starting with no bookmarks",
                    self.path().display(),
                    backup.display()
                )),
            ),
            Err(e) => (
                Saved::default(),
                Some(format!("{e}; bookmarks made now will not be saved")),
            ),
        }
    }

    /// The state on disk, and where a damaged file was moved to.
    fn read(&self) -> io::Result<(Saved, Option<PathBuf>)> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Saved::default(), None)),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot read {}: {e}", path.display()),
                ));
            }
        };
        match serde_json::from_slice::<Saved>(&bytes) {
            // A newer setproc's file may hold what this one cannot write back.
            Ok(s) if s.version > VERSION => Err(io::Error::other(format!(
                "{} was written by a newer setproc (format {}); it will not be overwritten",
                path.display(),
                s.version
            ))),
            Ok(s) => Ok((s, None)),
            Err(_) => {
                // Moved, not copied: the damaged bytes survive untouched and
                // the next save starts a fresh file.
                let backup = self.backup_path();
                fs::rename(&path, &backup).map_err(|e| {
                    io::Error::new(
                        e.kind(),
                        format!(
                            "{} is damaged and could not be moved aside ({e}); it will not be overwritten",
                            path.display()
                        ),
                    )
                })?;
                Ok((Saved::default(), Some(backup)))
            }
        }
    }

    fn backup_path(&self) -> PathBuf {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        self.dir.join(format!("{FILE}.corrupt-{nanos}"))
    }

    /// Re-reads the file, lets `change` edit what is on disk, and writes the
    /// result atomically (temporary file, flush to disk, rename).
    ///
    /// Reading first means two readers open at once do not undo each other's
    /// bookmarks, and entries this edition does not know are kept. A file
    /// that exists but cannot be read is never overwritten.
    pub fn update(&self, change: impl FnOnce(Saved) -> Saved) -> io::Result<Updated> {
        let (on_disk, moved_aside) = self.read()?;
        fs::create_dir_all(&self.dir)?;
        let mut saved = change(on_disk);
        saved.version = VERSION;
        let json = serde_json::to_vec_pretty(&saved).map_err(io::Error::other)?;
        atomic::write(&self.path(), &json, Durability::Durable)?;
        Ok(Updated { saved, moved_aside })
    }

    /// Replaces the whole state (tests and first runs).
    pub fn save(&self, saved: &Saved) -> io::Result<()> {
        self.update(|_| saved.clone()).map(drop)
    }
}

/// What [`Store::update`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    pub saved: Saved,
    /// A damaged file found on disk was moved here before writing.
    pub moved_aside: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Saved {
        Saved {
            version: VERSION,
            bookmarks: vec![Bookmark::bare("B24.8"), Bookmark::bare("A3.4")],
            last: Some(Position {
                node: "A3.4".into(),
                para: Some("A3.4.22".into()),
                block: 12,
                title: "Strategy meeting/discussion".into(),
                edition: Some(Edition {
                    date: "June 2025".into(),
                    hash: "4bad3f6c62cf0a25".into(),
                }),
            }),
            history: vec![Visit {
                node: "B24.8".into(),
                para: Some("B24.8.3".into()),
                title: "Online Exploitation".into(),
                edition: None,
            }],
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
    fn a_file_that_cannot_be_read_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        // A folder where the file should be: reading fails, but not with
        // "not found" (works the same when the tests run as root).
        fs::create_dir(store.path()).unwrap();
        fs::write(store.path().join("inside"), b"keep").unwrap();
        let (saved, msg) = store.load();
        assert_eq!(saved, Saved::default());
        assert!(msg.unwrap().contains("will not be saved"));
        assert!(store.save(&sample()).is_err());
        assert_eq!(fs::read(store.path().join("inside")).unwrap(), b"keep");
    }

    #[test]
    fn updates_apply_to_what_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store.save(&sample()).unwrap();
        let written = store
            .update(|mut s| {
                s.bookmarks.push(Bookmark::bare("Z9"));
                s
            })
            .unwrap();
        let ids: Vec<&str> = written
            .saved
            .bookmarks
            .iter()
            .map(|b| b.id.as_str())
            .collect();
        assert_eq!(ids, ["B24.8", "A3.4", "Z9"]);
        assert_eq!(written.moved_aside, None);
        assert_eq!(store.load().0, written.saved);
        // Damaged while a reader was open: moved aside, and said so.
        fs::write(store.path(), b"{oops").unwrap();
        let again = store.update(|s| s).unwrap();
        assert!(again.moved_aside.is_some_and(|p| p.exists()));
    }

    #[test]
    fn a_newer_format_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let newer = br#"{"version": 99, "bookmarks": ["B24.8"], "tags": {"B24.8": "x"}}"#;
        fs::write(store.path(), newer).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(saved, Saved::default());
        assert!(msg.unwrap().contains("newer setproc"));
        assert!(store.save(&sample()).is_err());
        assert_eq!(fs::read(store.path()).unwrap(), newer);
    }

    #[test]
    fn a_version_1_file_loads_with_an_empty_history() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        fs::write(store.path(), br#"{"version":1,"bookmarks":["B1"]}"#).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(msg, None);
        assert_eq!(saved.bookmarks, [Bookmark::bare("B1")]);
        assert!(saved.history.is_empty());
        let written = store.update(|s| s).unwrap();
        assert_eq!(written.saved.version, VERSION);
    }

    #[test]
    fn unknown_fields_and_missing_ones_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        fs::write(store.path(), br#"{"bookmarks":["B1"],"future":true}"#).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(msg, None);
        assert_eq!(saved.bookmarks, [Bookmark::bare("B1")]);
    }

    #[test]
    fn version_1_bare_ids_read_and_version_2_keeps_title_and_edition() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let v1 =
            br#"{"version":1,"bookmarks":["B24.8"],"last":{"node":"A3.4","para":null,"block":3}}"#;
        fs::write(store.path(), v1).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(msg, None);
        assert_eq!(saved.bookmarks, [Bookmark::bare("B24.8")]);
        assert_eq!(saved.last.as_ref().unwrap().edition, None);
        let june = Edition {
            date: "June 2025".into(),
            hash: "4bad3f6c62cf0a25".into(),
        };
        let full = Bookmark {
            id: "B25.8".into(),
            title: "Impact on Children".into(),
            edition: Some(june),
        };
        store
            .update(|mut s| {
                s.bookmarks.push(full.clone());
                s
            })
            .unwrap();
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"version\": 2"), "{text}");
        assert!(text.contains("\"title\": \"Impact on Children\""), "{text}");
        assert!(text.contains("\"date\": \"June 2025\""), "{text}");
        assert_eq!(store.load().0.bookmarks, [Bookmark::bare("B24.8"), full]);
    }

    /// Version 2 as each of the two branches that made it wrote it before
    /// they were joined (history with bare-id bookmarks; titled bookmarks
    /// without history) reads whole, and is written back with nothing lost.
    #[test]
    fn both_earlier_shapes_of_version_2_read_and_keep_everything() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let history_only =
            br#"{"version":2,"bookmarks":["B1"],"last":{"node":"A3.4","para":null,"block":2},
            "history":[{"node":"B24.8","para":"B24.8.3"},{"node":"A1","para":null}]}"#;
        fs::write(store.path(), history_only).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(msg, None);
        assert_eq!(saved.bookmarks, [Bookmark::bare("B1")]);
        let nodes: Vec<&str> = saved.history.iter().map(|v| v.node.as_str()).collect();
        assert_eq!(nodes, ["B24.8", "A1"]);
        assert_eq!(saved.history[0].para.as_deref(), Some("B24.8.3"));
        assert_eq!(saved.history[0].edition, None);
        assert_eq!(store.update(|s| s).unwrap().saved, saved);

        let titled = br#"{"version":2,"bookmarks":[{"id":"B25.8","title":"Impact on Children",
            "edition":{"date":"June 2025","hash":"4bad3f6c62cf0a25"}}],
            "last":{"node":"A3.4","block":2,"title":"Strategy meeting/discussion"}}"#;
        fs::write(store.path(), titled).unwrap();
        let (saved, msg) = store.load();
        assert_eq!(msg, None);
        assert_eq!(saved.bookmarks[0].title, "Impact on Children");
        assert!(saved.history.is_empty());
        assert_eq!(store.update(|s| s).unwrap().saved, saved);

        // The joined form: a visit keeps its title and edition too.
        let mut both = saved;
        both.history.push(Visit {
            node: "B25.8".into(),
            para: Some("B25.8.2".into()),
            title: "Impact on Children".into(),
            edition: both.bookmarks[0].edition.clone(),
        });
        store.save(&both).unwrap();
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"history\""), "{text}");
        assert_eq!(store.load(), (both, None));
    }
}
