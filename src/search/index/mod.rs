//! The tantivy search index: its schema, how a library becomes documents,
//! and building/opening it safely on disk.
//!
//! One document per numbered paragraph (and per run of unnumbered text
//! before a section's first one), carrying its section's id and title: a
//! section is scored by its best paragraph, and a hit names that paragraph.
//! (Scoring whole sections as well was measured and added nothing once
//! paragraphs carry the title, at twice the indexing time.)
//!
//! Each build lives in `<root>/<key>/`, where the key hashes everything the
//! index derives from. A build is written to a temporary folder and renamed
//! into place, so a reader in another terminal never sees half an index and
//! keeps using the one it opened; an index that is missing, corrupt or from
//! other content is simply built again.

mod build;
pub mod cache_dir;
mod documents;
mod schema;
mod sidecar;
pub mod tape;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::manual::ids::SectionId;
use crate::store::library::Library;
use crate::terms::Vocabulary;
use build::{Filled, create_and_fill, nanos};
use schema::{fields_of, register_tokenizers};
use sidecar::{NODES, PARAGRAPHS, VOCABULARY, WORDS, node_infos, paragraph_lines};

pub use build::{Feed, Nodes, PendingBuild, build_dir, start};
pub use documents::{Chunk, Searchable, chunks, searchable, searchable_in, searchable_of};
pub use schema::{Fields, schema};
pub use sidecar::{NodeInfo, Words};

/// Bump when the schema or the way documents are made changes.
pub const INDEX_SCHEMA: u32 = 10;
const MARKER: &str = "setproc-index.json";

/// What a built index records about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub schema: u32,
    pub key: String,
    pub content_hash: String,
    /// Sections with searchable text.
    pub sections: u64,
    /// Documents (paragraphs).
    pub paragraphs: u64,
}

impl Marker {
    fn new(key: &str, lib: &Library, filled: &Filled) -> Marker {
        Marker {
            schema: INDEX_SCHEMA,
            key: key.to_string(),
            content_hash: lib.content_hash().to_string(),
            sections: filled.sections,
            paragraphs: filled.paragraphs,
        }
    }
}

/// The key naming the index of a content folder's library.
pub fn key_for(lib: &Library) -> String {
    format!("v{INDEX_SCHEMA}-{}", lib.content_hash())
}

/// The key naming the index of the manual embedded in this binary: a hash
/// of the source text, data files and code (computed at compile time), so
/// a search needs no parsing to find its index.
pub fn embedded_key() -> String {
    format!("v{INDEX_SCHEMA}-b{}", env!("SETPROC_BUILD_KEY"))
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("search index {0} is not usable: {1}")]
    Invalid(PathBuf, String),
    /// The manual to index could not be read.
    #[error("{0}")]
    Source(String),
    /// The indexing thread panicked.
    #[error("the search index build stopped unexpectedly")]
    Stopped,
}

impl SearchIndex {
    /// Part › grouping › chapter of the node at `ord` (its ancestors'
    /// titles).
    pub fn breadcrumb(&self, ord: usize) -> String {
        let mut titles: Vec<&str> = Vec::new();
        let mut cur = self.nodes.get(ord).and_then(|n| n.parent);
        // Bounded by the tree's depth; the count guards a malformed file.
        while let Some(p) = cur.filter(|_| titles.len() < 8) {
            let Some(node) = self.nodes.get(p as usize) else {
                break;
            };
            titles.push(&node.title);
            cur = node.parent;
        }
        titles.reverse();
        titles.join(" › ")
    }
}

/// An open index.
pub struct SearchIndex {
    /// Every node's display facts, in reading order.
    pub nodes: Vec<NodeInfo>,
    /// The manual's words, read from disk on first use.
    words: std::sync::OnceLock<Words>,
    /// [`paragraph_lines`], read from disk on first use.
    paragraphs: std::sync::OnceLock<String>,
    /// The files those two are read from, opened with the index.
    held: Held,
    /// The manual's acronyms and old terms, for query expansion.
    pub vocabulary: Vocabulary,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Where it lives (`None` for an index in memory).
    pub dir: Option<PathBuf>,
    pub marker: Marker,
    /// Whether this call built it.
    pub built: bool,
    /// The vectors of the same content, for search by meaning (`None`:
    /// by words only). Attached by whoever opens the index.
    pub dense: Option<std::sync::Arc<crate::search::dense::UnitVectors>>,
}

/// The word list and paragraph files, opened with the index and read on
/// first use through these handles: a rebuild in another process may
/// remove the folder meanwhile, and (as with the index's own files, which
/// are mapped) what is open stays readable.
#[derive(Default)]
struct Held {
    words: Option<fs::File>,
    paragraphs: Option<fs::File>,
}

impl Held {
    fn open(dir: &Path) -> Held {
        Held {
            words: fs::File::open(dir.join(WORDS)).ok(),
            paragraphs: fs::File::open(dir.join(PARAGRAPHS)).ok(),
        }
    }

    fn read(file: &Option<fs::File>) -> Option<String> {
        let mut reader: &fs::File = file.as_ref()?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut reader, &mut text).ok()?;
        Some(text)
    }
}

impl SearchIndex {
    /// The manual's words (loaded from the index folder on first use; an
    /// unreadable file just means no completions or corrections).
    pub fn words(&self) -> &Words {
        self.words.get_or_init(|| {
            Held::read(&self.held.words)
                .map(Words::from_text)
                .unwrap_or_default()
        })
    }

    /// The position of the node holding paragraph `p`.
    pub fn paragraph_node(&self, p: SectionId) -> Option<usize> {
        let lines = self
            .paragraphs
            .get_or_init(|| Held::read(&self.held.paragraphs).unwrap_or_default());
        let id = p.to_string();
        lines.lines().position(|l| l.split(' ').any(|q| q == id))
    }
}

/// Builds an index for `lib` in memory (no files at all).
pub fn build_in_ram(lib: &Library, key: &str) -> Result<SearchIndex, IndexError> {
    let (index, fields, filled) =
        create_and_fill(tantivy::directory::RamDirectory::create(), searchable(lib))?;
    let marker = Marker::new(key, lib, &filled);
    let reader = open_reader(&index)?;
    Ok(SearchIndex {
        words: std::sync::OnceLock::from(filled.words),
        paragraphs: std::sync::OnceLock::from(paragraph_lines(lib)),
        held: Held::default(),
        nodes: node_infos(lib),
        vocabulary: lib.vocabulary().clone(),
        index,
        reader,
        fields,
        dir: None,
        marker,
        built: true,
        dense: None,
    })
}

fn open_reader(index: &Index) -> Result<IndexReader, IndexError> {
    Ok(index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .doc_store_cache_num_blocks(64)
        .try_into()?)
}

/// Opens `<root>/<key>` if it is a sound index of the same content; else
/// builds it (see the module docs). `lib` is only called when a build is
/// needed, so a one-shot search never parses the manual.
pub fn open_or_build(
    root: &Path,
    key: &str,
    lib: &dyn Fn() -> Result<Library, IndexError>,
) -> Result<SearchIndex, IndexError> {
    let dir = root.join(key);
    match open_dir(&dir, key) {
        Ok(idx) => return Ok(idx),
        Err(_) if dir.exists() => {
            // Corrupt or from other content: move it aside (a reader that
            // has it open keeps its files) and build again.
            let trash = root.join(format!(".trash-{}-{}", std::process::id(), nanos()));
            let _ = fs::rename(&dir, &trash);
            let _ = fs::remove_dir_all(&trash);
        }
        Err(_) => {}
    }
    build_dir(root, key, &lib()?, false)
}

thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without printing it. Tantivy may
/// panic (rather than return an error) on a damaged index file; for setproc
/// that only means "rebuild the index", never a crash or a stack trace.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(|g| g.get()) {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.ok()
}

/// Opens an existing index folder and checks it is the one wanted.
pub fn open_dir(dir: &Path, key: &str) -> Result<SearchIndex, IndexError> {
    guarded(|| open_dir_unguarded(dir, key)).unwrap_or_else(|| {
        Err(IndexError::Invalid(
            dir.to_path_buf(),
            "damaged index files".into(),
        ))
    })
}

/// Removes an index folder found damaged while in use, so that the next
/// open builds it again.
pub fn discard(dir: &Path) {
    if let Some(root) = dir.parent() {
        let trash = root.join(format!(".trash-{}-{}", std::process::id(), nanos()));
        let _ = fs::rename(dir, &trash);
        let _ = fs::remove_dir_all(&trash);
    }
}

fn open_dir_unguarded(dir: &Path, key: &str) -> Result<SearchIndex, IndexError> {
    let marker_path = dir.join(MARKER);
    let marker: Marker = fs::read_to_string(&marker_path)
        .map_err(|e| IndexError::Io(marker_path.clone(), e))
        .and_then(|t| {
            serde_json::from_str(&t)
                .map_err(|e| IndexError::Invalid(dir.to_path_buf(), e.to_string()))
        })?;
    if marker.key != key || marker.schema != INDEX_SCHEMA {
        return Err(IndexError::Invalid(
            dir.to_path_buf(),
            "built from other content".into(),
        ));
    }
    let mmap = MmapDirectory::open(dir)
        .map_err(|e| IndexError::Invalid(dir.to_path_buf(), e.to_string()))?;
    let index = Index::open(mmap)?;
    register_tokenizers(&index);
    let fields = fields_of(&index.schema())
        .ok_or_else(|| IndexError::Invalid(dir.to_path_buf(), "unexpected schema".into()))?;
    let reader = open_reader(&index)?;
    let docs = reader.searcher().num_docs();
    if docs != marker.paragraphs {
        return Err(IndexError::Invalid(
            dir.to_path_buf(),
            format!("{docs} documents, expected {}", marker.paragraphs),
        ));
    }
    // Prove the files are readable: one query and one stored document.
    probe(&index, &reader, &fields).map_err(|e| IndexError::Invalid(dir.to_path_buf(), e))?;
    let nodes_path = dir.join(NODES);
    let nodes: Vec<NodeInfo> = fs::read_to_string(&nodes_path)
        .map_err(|e| IndexError::Io(nodes_path.clone(), e))
        .and_then(|t| {
            serde_json::from_str(&t)
                .map_err(|e| IndexError::Invalid(dir.to_path_buf(), e.to_string()))
        })?;
    let vocab_path = dir.join(VOCABULARY);
    let vocabulary: Vocabulary = fs::read_to_string(&vocab_path)
        .map_err(|e| IndexError::Io(vocab_path.clone(), e))
        .and_then(|t| {
            serde_json::from_str(&t)
                .map_err(|e| IndexError::Invalid(dir.to_path_buf(), e.to_string()))
        })?;
    Ok(SearchIndex {
        words: std::sync::OnceLock::new(),
        paragraphs: std::sync::OnceLock::new(),
        held: Held::open(dir),
        nodes,
        vocabulary,
        index,
        reader,
        fields,
        dir: Some(dir.to_path_buf()),
        marker,
        built: false,
        dense: None,
    })
}

fn probe(index: &Index, reader: &IndexReader, f: &Fields) -> Result<(), String> {
    use tantivy::collector::TopDocs;
    let _ = index;
    let searcher = reader.searcher();
    let _ = f;
    let q = tantivy::query::AllQuery;
    let top = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| e.to_string())?;
    let (_, addr) = top.first().ok_or("no paragraphs")?;
    let _: TantivyDocument = searcher.doc(*addr).map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manual::ids::anchor_to_id;

    #[test]
    fn chunks_follow_paragraph_anchors_and_headings() {
        let body = "# 3.4 Strategy\n\nIntro text.\n\n<a id=\"a3-4-1\"></a>**3.4.1** First.\n\n- item\n\n### Timing\n\n<a id=\"a3-4-2\"></a>**3.4.2** Second.\n\n## Sections\n\n- [x](x.md)\n";
        let c = chunks(body);
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[0],
            Chunk {
                para: None,
                text: "Intro text.".into()
            }
        );
        assert_eq!(c[1].para, Some("A3.4.1".parse().unwrap()));
        assert_eq!(c[1].text, "3.4.1 First.\n\n• item");
        assert_eq!(c[2].text, "Timing\n\n3.4.2 Second.");
    }

    #[test]
    fn words_count_paragraphs_and_complete_prefixes() {
        let w = Words::count(["Private fostering, private.", "Fostering"]);
        assert_eq!(w.doc_freq("private"), 1);
        assert_eq!(w.doc_freq("fostering"), 2);
        assert_eq!(w.doc_freq("foster"), 0);
        let p: Vec<&str> = w.with_prefix("fo").map(|(w, _)| w).collect();
        assert_eq!(p, ["fostering"]);
        assert_eq!(Words::from_text(w.to_text().to_string()), w);
    }

    #[test]
    fn anchors_map_back_to_ids() {
        assert_eq!(anchor_to_id("a3-4-22"), Some("A3.4.22".parse().unwrap()));
        assert_eq!(anchor_to_id("b24"), Some("B24".parse().unwrap()));
        assert_eq!(anchor_to_id("zz"), None);
    }
}
