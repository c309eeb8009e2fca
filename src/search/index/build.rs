//! Building an index on disk: tantivy's single-segment writer on the
//! setproc-feed thread's documents, in a temporary folder renamed into
//! place, with the files beside it written while tantivy indexes.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::{Index, SingleSegmentIndexWriter, TantivyDocument};

use super::SearchIndex;
use super::documents::{Searchable, searchable};
use super::schema::Fields;
use super::schema::{register_tokenizers, schema, settings};
use super::sidecar::{NODES, PARAGRAPHS, VOCABULARY, WORDS, Words, node_infos, paragraph_lines};
use super::tape::{Recorder, RepeatedTitles, Tapes};
use super::{IndexError, MARKER, Marker, guarded, open_dir};
use crate::store::atomic::{self, Durability::Regenerable};
use crate::store::library::Library;
use crate::text::analysis::{STEMMED, STEMMED_TITLE};

/// A new index in `dir`, holding the documents of `nodes`.
pub(super) fn create_and_fill(
    dir: impl tantivy::Directory,
    nodes: impl Iterator<Item = Searchable>,
) -> Result<(Index, Fields, Filled), IndexError> {
    let empty = create(dir)?;
    let fields = empty.fields;
    let (index, filled) = empty.fill(nodes)?;
    Ok((index, fields, filled))
}

/// A new, empty index with its writer, ready for documents.
pub(super) struct Empty {
    pub(super) fields: Fields,
    pub(super) writer: SingleSegmentIndexWriter,
    pub(super) tapes: Tapes,
}

/// The memory budget given to tantivy's segment writer. Its only use
/// there is to size the term hash table (a third of the budget, as a power
/// of two): tantivy's `IndexWriter` takes at least 15 MB, which meant a
/// 4 MB table for the manual's ~12,000 terms, and a cache miss on every
/// token indexed. This gives 32,768 slots (256 KB); the table doubles
/// itself when half full, so a larger text still fits.
pub(super) const SEGMENT_BUDGET: usize = 1_000_000;

pub(super) fn create(dir: impl tantivy::Directory) -> Result<Empty, IndexError> {
    let (schema, fields) = schema();
    // The analyzers first: the segment writer takes them when it is made.
    let tapes = Tapes::default();
    let tokenizers = tantivy::tokenizer::TokenizerManager::default();
    tokenizers.register(STEMMED, tapes.player());
    tokenizers.register(STEMMED_TITLE, RepeatedTitles::analyzer());
    // One segment, written on one thread of ours: a search over two
    // segments did ~15% more work (p99 0.82 → 0.70 ms when merged), and
    // two indexing threads were slower in `setproc build` on 2 cores.
    // tantivy's single-segment writer (public, though hidden from its
    // docs) has none of `IndexWriter`'s machinery for indexes that grow:
    // no 10,000-slot channel, merge threads or segment updater.
    let writer = Index::builder()
        .schema(schema)
        .settings(settings())
        .tokenizers(tokenizers)
        .single_segment_index_writer(dir, SEGMENT_BUDGET)?;
    Ok(Empty {
        fields,
        writer,
        tapes,
    })
}

/// What writing the documents gave.
pub(super) struct Filled {
    pub(super) sections: u64,
    pub(super) paragraphs: u64,
    pub(super) words: Words,
}

impl Empty {
    /// Writes the documents into the index. This thread tokenizes their text,
    /// counting the manual's words (into `counts`, which may know some words
    /// already), and an indexing thread plays the tokens back into tantivy's
    /// segment writer (see [`crate::search::index::tape`]): the two share the work.
    pub(super) fn fill(
        self,
        nodes: impl Iterator<Item = Searchable>,
    ) -> Result<(Index, Filled), IndexError> {
        let Empty {
            fields,
            writer,
            tapes,
        } = self;
        let mut recorder = Recorder::new(&tapes);
        let (send, batches) = std::sync::mpsc::channel::<Vec<TantivyDocument>>();
        std::thread::scope(|scope| {
            let indexing = std::thread::Builder::new()
                .name("setproc-index".into())
                .spawn_scoped(scope, move || {
                    let mut writer = writer;
                    for batch in batches {
                        for doc in batch {
                            writer.add_document(doc)?;
                        }
                    }
                    crate::trace::mark("index: documents added");
                    Ok::<Index, IndexError>(writer.finalize()?)
                })
                .map_err(|_| IndexError::Stopped)?;
            // Each node's chunks go to the indexing thread as soon as they
            // are made (making them all first left that thread idle for
            // ~10 ms), a node's documents as one batch.
            let mut titles: Vec<String> = Vec::new();
            let mut paragraphs = 0u64;
            for node in nodes {
                let id_text = node.id.to_string();
                let mut batch = Vec::with_capacity(node.chunks.len());
                for c in &node.chunks {
                    let mut doc = TantivyDocument::default();
                    doc.add_text(fields.node, &id_text);
                    doc.add_u64(fields.node_ord, node.ord);
                    doc.add_text(
                        fields.para,
                        c.para.map(|p| p.to_string()).unwrap_or_default(),
                    );
                    doc.add_text(fields.title, &node.title);
                    doc.add_text(fields.text, &c.text);
                    recorder.record(&c.text);
                    batch.push(doc);
                    paragraphs += 1;
                }
                if send.send(batch).is_err() {
                    // The indexing thread stopped: its error is reported
                    // when it is joined.
                    break;
                }
                titles.push(node.title);
            }
            drop(send);
            crate::trace::mark("index: documents queued");
            // Every text is tokenized (and counted) by now, so the word list
            // is made while the indexing thread catches up. Each title counts
            // once, as its own text.
            for title in &titles {
                recorder.count(title);
            }
            let words = Words::from_counts(recorder.finish().into_counts());
            let index = indexing.join().map_err(|_| IndexError::Stopped)??;
            crate::trace::mark("index: committed");
            // A miss was tokenized on the spot: correct, only slower.
            debug_assert_eq!((tapes.missed(), tapes.unplayed()), (0, 0));
            // The tapes are played: an index kept open (built in memory)
            // analyses any later text with the plain analyzers.
            register_tokenizers(&index);
            Ok((
                index,
                Filled {
                    sections: titles.len() as u64,
                    paragraphs,
                    words,
                },
            ))
        })
    }
}

/// Builds the index for `lib` into a temporary folder under `root`,
/// renames it to `<root>/<key>` and opens it. With `replace`, an existing
/// folder for `key` is replaced (an explicit `setproc build`); without, a
/// folder that appeared meanwhile (another process built the same content)
/// is kept and used.
pub fn build_dir(
    root: &Path,
    key: &str,
    lib: &Library,
    replace: bool,
) -> Result<SearchIndex, IndexError> {
    let (dir, _) = std::thread::scope(|s| {
        // The library is parsed already: nothing to learn first.
        let (pending, feed) = start(s, root)?;
        feed.send(Box::new(searchable(lib)));
        pending.finish(lib, key, replace)
    })?;
    let mut idx = open_dir(&dir, key)?;
    idx.built = true;
    Ok(idx)
}

/// An index being written, on its own thread, into a temporary folder;
/// [`PendingBuild::finish`] completes it once the library is ready.
pub struct PendingBuild<'scope> {
    root: PathBuf,
    tmp: PathBuf,
    writing: std::thread::ScopedJoinHandle<'scope, Result<Filled, IndexError>>,
}

/// The documents for a build begun before they were made.
pub type Nodes<'scope> = Box<dyn Iterator<Item = Searchable> + Send + 'scope>;

/// Hands a [`start`]ed build its documents. Dropped unsent (the manual
/// did not parse), the build stops: see [`PendingBuild::abandon`].
pub struct Feed<'scope>(std::sync::mpsc::SyncSender<Nodes<'scope>>);

impl<'scope> Feed<'scope> {
    pub fn send(self, nodes: Nodes<'scope>) {
        // A build thread that is gone has its error to report at `finish`.
        let _ = self.0.send(nodes);
    }
}

/// Starts a build in a new temporary folder under `root`, on a thread of
/// `scope`, before its documents exist: the index and its writer are made
/// while the caller parses, and wait for the documents to come through
/// the returned [`Feed`]. (Folding and stemming the source's words ahead
/// of the documents, on this otherwise idle thread, was measured on
/// 2026-12-07 and saved nothing: −2.0 and +2.9 ms in two alternating runs
/// of 41 builds; taken out.)
pub fn start<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    root: &Path,
) -> Result<(PendingBuild<'scope>, Feed<'scope>), IndexError> {
    fs::create_dir_all(root).map_err(|e| IndexError::Io(root.to_path_buf(), e))?;
    let tmp = root.join(format!(".build-{}-{}", std::process::id(), nanos()));
    fs::create_dir_all(&tmp).map_err(|e| IndexError::Io(tmp.clone(), e))?;
    let dir = tmp.clone();
    let (feed, nodes) = std::sync::mpsc::sync_channel::<Nodes<'scope>>(1);
    let work = move || {
        let cache = crate::search::index::cache_dir::CacheDirectory::open(&dir)
            .map_err(|e| IndexError::Invalid(dir.clone(), e.to_string()))?;
        // A panic on this thread is an error to report in one line, not a
        // message and a backtrace.
        guarded(|| {
            let empty = create(cache)?;
            let nodes = nodes.recv().map_err(|_| IndexError::Stopped)?;
            empty.fill(nodes).map(|(_, filled)| filled)
        })
        .unwrap_or(Err(IndexError::Stopped))
    };
    // Named, so that a profile tells this thread from the main one.
    let writing = std::thread::Builder::new()
        .name("setproc-feed".into())
        .spawn_scoped(scope, work)
        .map_err(|e| IndexError::Io(tmp.clone(), e))?;
    Ok((
        PendingBuild {
            root: root.to_path_buf(),
            tmp,
            writing,
        },
        Feed(feed),
    ))
}

impl PendingBuild<'_> {
    /// Stops a build whose documents never came, removing its folder.
    pub fn abandon(self) {
        let _ = self.writing.join();
        let _ = fs::remove_dir_all(&self.tmp);
    }

    /// Waits for the documents, writes what a search needs beside them
    /// (from `lib`, the library they were made from), and renames the
    /// folder to `<root>/<key>`. Returns that folder and its marker.
    pub fn finish(
        self,
        lib: &Library,
        key: &str,
        replace: bool,
    ) -> Result<(PathBuf, Marker), IndexError> {
        let PendingBuild { root, tmp, writing } = self;
        let write = |name: &str, bytes: &[u8]| {
            atomic::write(&tmp.join(name), bytes, Regenerable)
                .map_err(|e| IndexError::Io(tmp.clone(), e))
        };
        // What comes from the library is written while the documents are
        // still being indexed; the word list and the marker after.
        let beside = || {
            let vocabulary =
                serde_json::to_string(lib.vocabulary()).expect("vocabulary serialises");
            write(VOCABULARY, vocabulary.as_bytes())?;
            let nodes = serde_json::to_string(&node_infos(lib)).expect("nodes serialise");
            write(NODES, nodes.as_bytes())?;
            write(PARAGRAPHS, paragraph_lines(lib).as_bytes())
        };
        let written = beside();
        let result = writing
            .join()
            .unwrap_or(Err(IndexError::Stopped))
            .and_then(|filled| {
                written?;
                write(WORDS, filled.words.to_text().as_bytes())?;
                // The marker last: its presence says the folder is complete.
                let marker = Marker::new(key, lib, &filled);
                let json = serde_json::to_string_pretty(&marker).expect("marker serialises");
                write(MARKER, json.as_bytes())?;
                Ok(marker)
            });
        crate::trace::mark("index: files beside it written");
        let marker = match result {
            Ok(m) => m,
            Err(e) => {
                let _ = fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        let dir = root.join(key);
        if replace && dir.exists() {
            // A rebuild: the old folder goes (readers that have it open keep
            // their files until they close them).
            let trash = root.join(format!(".trash-{}-{}", std::process::id(), nanos()));
            let _ = fs::rename(&dir, &trash);
            let _ = fs::remove_dir_all(&trash);
        }
        if let Err(e) = fs::rename(&tmp, &dir) {
            let _ = fs::remove_dir_all(&tmp);
            // Another process finishing the same build first is fine (theirs
            // is used); anything else leaves no index to report.
            if !dir.join(MARKER).is_file() {
                return Err(IndexError::Io(dir, e));
            }
        }
        crate::trace::mark("index: renamed into place");
        collect_garbage(&root, key);
        Ok((dir, marker))
    }
}

/// Removes index folders of other builds (keeping the newest other one, in
/// case two setproc versions alternate) and abandoned temporary folders.
pub(super) fn collect_garbage(root: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let now = SystemTime::now();
    let mut others: Vec<(SystemTime, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        let modified = e.metadata().and_then(|m| m.modified()).unwrap_or(now);
        let age = now.duration_since(modified).unwrap_or_default();
        if name.starts_with(".build-") || name.starts_with(".trash-") {
            if age.as_secs() > 600 {
                let _ = fs::remove_dir_all(&path);
            }
        } else if name != keep && path.join(MARKER).exists() {
            others.push((modified, path));
        }
    }
    others.sort();
    others.reverse();
    for (_, path) in others.into_iter().skip(1) {
        let _ = fs::remove_dir_all(path);
    }
}

pub(super) fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}
