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

pub mod cache_dir;
pub mod tape;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, ReloadPolicy, SingleSegmentIndexWriter, TantivyDocument};

use crate::manual::document::{Block, Document, Node};
use crate::manual::ids::{NodeId, SectionId};
use crate::search::index::tape::{Recorder, RepeatedTitles, Tapes};
use crate::store::atomic::{self, Durability::Regenerable};
use crate::store::content;
use crate::store::library::Library;
use crate::terms::Vocabulary;
use crate::text::analysis::WordCounts;
use crate::text::analysis::{self, STEMMED, STEMMED_TITLE};
use crate::text::hash::FxHashMap;
use crate::text::markup::{inline_text, markdown_to_text, push_inline_text};

/// Bump when the schema or the way documents are made changes.
pub const INDEX_SCHEMA: u32 = 10;
const MARKER: &str = "setproc-index.json";

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The node id (`B24.8`). Stored, not indexed: a search for an id
    /// finds its documents by `node_ord` (terms for 3,600 ids were an
    /// eighth of the index's build).
    pub node: Field,
    /// The paragraph id, or empty for unnumbered text (stored only).
    pub para: Field,
    /// The node's position in reading order (a fast field: ranking reads it
    /// for every candidate without touching the document store).
    pub node_ord: Field,
    /// The section's display title (`24.8 Online Exploitation`).
    pub title: Field,
    /// The paragraph's plain text (stored, for snippets).
    pub text: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let (titles, stemmed) = (analysed(STEMMED_TITLE), analysed(STEMMED));
    let fields = Fields {
        node: b.add_text_field("node", STORED),
        para: b.add_text_field("para", STORED),
        node_ord: b.add_u64_field("node_ord", FAST),
        title: b.add_text_field("title", titles),
        text: b.add_text_field("text", stemmed.set_stored()),
    };
    (b.build(), fields)
}

/// The index's settings: the doc store (paragraph texts, read for snippets)
/// uncompressed. The manual's text is 1.4 MB; compressing it cost the build
/// ~25 M instructions and every snippet a block decompression.
fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        ..tantivy::IndexSettings::default()
    }
}

fn register_tokenizers(index: &Index) {
    for name in [STEMMED, STEMMED_TITLE] {
        index
            .tokenizers()
            .register(name, analysis::stemmed_analyzer());
    }
}

/// One searchable piece of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub para: Option<SectionId>,
    /// Plain text (sub-headings included, markup removed).
    pub text: String,
}

/// Splits a node's markdown body into chunks: one per numbered paragraph
/// (from its anchor to the next), with a sub-heading joining the paragraph
/// after it, and one for unnumbered text before the first paragraph. The
/// heading line and the trailing list of children are not text.
pub fn chunks(body: &str) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut cur: Option<(Option<SectionId>, String)> = None;
    let mut pending_heading = String::new();
    let mut lines = body.lines();
    // Skip the node's own heading.
    if body.starts_with("# ") {
        lines.next();
    }
    let flush = |cur: &mut Option<(Option<SectionId>, String)>, out: &mut Vec<Chunk>| {
        if let Some((para, md)) = cur.take() {
            let text = markdown_to_text(&md).trim().to_string();
            if !text.is_empty() || para.is_some() {
                out.push(Chunk { para, text });
            }
        }
    };
    for line in lines {
        if line.starts_with("## ") {
            break;
        }
        if let Some(anchor) = line.strip_prefix("<a id=\"") {
            flush(&mut cur, &mut out);
            let para = anchor.split('"').next().and_then(anchor_to_id);
            let mut md = std::mem::take(&mut pending_heading);
            md.push_str(line);
            md.push('\n');
            cur = Some((para, md));
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            // A sub-heading belongs with the paragraph it introduces.
            pending_heading.push_str(h);
            pending_heading.push_str("\n\n");
            continue;
        }
        if line.trim().is_empty() && !pending_heading.is_empty() {
            continue;
        }
        let (_, md) = cur.get_or_insert_with(|| (None, String::new()));
        if !pending_heading.is_empty() {
            md.push_str(&std::mem::take(&mut pending_heading));
        }
        md.push_str(line);
        md.push('\n');
    }
    if !pending_heading.is_empty() {
        let (_, md) = cur.get_or_insert_with(|| (None, String::new()));
        md.push_str(&pending_heading);
    }
    flush(&mut cur, &mut out);
    out
}

/// `a3-4-22` → `A3.4.22`.
pub fn anchor_to_id(anchor: &str) -> Option<SectionId> {
    let mut chars = anchor.chars();
    let part = chars.next()?.to_ascii_uppercase();
    format!("{part}{}", chars.as_str().replace('-', "."))
        .parse()
        .ok()
}

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

/// One node's searchable text: what a search result can name.
#[derive(Debug, Clone, PartialEq)]
pub struct Searchable {
    /// Position in reading order.
    pub ord: u64,
    pub id: NodeId,
    /// As displayed: `24.8 Online Exploitation`.
    pub title: String,
    pub chunks: Vec<Chunk>,
}

impl Searchable {
    fn new(ord: usize, id: NodeId, title: &str, body: &str) -> Searchable {
        Searchable::from_chunks(ord, id, title, chunks(body))
    }

    fn from_chunks(ord: usize, id: NodeId, title: &str, mut chunks: Vec<Chunk>) -> Searchable {
        // A section that is only a heading ("24.8 Online Exploitation see
        // Part B chapter 25") is still found by its title and id.
        if chunks.is_empty() {
            chunks.push(Chunk {
                para: None,
                text: String::new(),
            });
        }
        Searchable {
            ord: ord as u64,
            id,
            title: content::display_title(id, title),
            chunks,
        }
    }
}

/// The searchable sections of a library, from their markdown.
pub fn searchable(lib: &Library) -> impl Iterator<Item = Searchable> + '_ {
    lib.metas
        .iter()
        .zip(&lib.bodies)
        .enumerate()
        .filter(|(_, (m, _))| m.id.section().is_some())
        .map(|(ord, (m, body))| Searchable::new(ord, m.id, &m.title, body))
}

/// The same sections straight from the parsed manual, before citations
/// are found, so that `setproc build` can start indexing as soon as the
/// manual is parsed. A node's chunks are made from its blocks, giving the
/// text [`chunks`] finds in its markdown without writing the markdown and
/// parsing it back. tests/index.rs holds the two equal over the built-in
/// manual, and `setproc build` takes this route for that text only.
pub fn searchable_in(doc: &Document) -> impl Iterator<Item = Searchable> + '_ {
    doc.nodes
        .iter()
        .enumerate()
        .filter_map(|(ord, n)| searchable_node(ord, n))
}

/// [`searchable_in`], owning the document (for a thread that outlives
/// the borrow).
pub fn searchable_of(doc: std::sync::Arc<Document>) -> impl Iterator<Item = Searchable> + Send {
    (0..doc.nodes.len()).filter_map(move |ord| searchable_node(ord, &doc.nodes[ord]))
}

/// The node at `ord` as [`searchable_in`] gives it: `None` for a part or
/// grouping, which has no text of its own.
fn searchable_node(ord: usize, n: &Node) -> Option<Searchable> {
    n.id.section()?;
    Some(Searchable::from_chunks(ord, n.id, &n.title, node_chunks(n)))
}

/// See [`searchable_in`]: a paragraph's chunk runs from its number to the
/// next; a sub-heading joins the text after it.
fn node_chunks(node: &Node) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur: Option<(Option<SectionId>, String)> = None;
    let mut pending = String::new();
    let flush = |cur: &mut Option<(Option<SectionId>, String)>, out: &mut Vec<Chunk>| {
        if let Some((para, text)) = cur.take() {
            let text = text.trim();
            if !text.is_empty() || para.is_some() {
                out.push(Chunk {
                    para,
                    text: text.to_string(),
                });
            }
        }
    };
    for block in &node.blocks {
        match block {
            Block::Heading { text, .. } => {
                push_inline_replacing(&mut pending, text, '\n', " ");
                pending.push_str("\n\n");
            }
            Block::Para {
                number: Some(id),
                text,
                ..
            } => {
                flush(&mut cur, &mut out);
                let mut t = std::mem::take(&mut pending);
                t.push_str(&id.number());
                t.push(' ');
                let before = t.len();
                push_para_text(&mut t, text);
                if t.len() == before {
                    t.pop();
                }
                t.push_str("\n\n");
                cur = Some((Some(*id), t));
            }
            other => {
                let (_, t) = cur.get_or_insert_with(|| (None, String::new()));
                t.push_str(&std::mem::take(&mut pending));
                block_text(other, t);
            }
        }
    }
    if !pending.is_empty() {
        cur.get_or_insert_with(|| (None, String::new()))
            .1
            .push_str(&pending);
    }
    flush(&mut cur, &mut out);
    out
}

/// A paragraph's plain text: its line breaks are hard breaks, as in its
/// markdown.
fn push_para_text(out: &mut String, text: &str) {
    push_inline_replacing(out, text, '\n', "\\\n");
}

/// The plain text of `text` with `from` written as `to` (as the markdown
/// writes it), appended to `out`; no copy when `from` is not there.
fn push_inline_replacing(out: &mut String, text: &str, from: char, to: &str) {
    if text.contains(from) {
        out.push_str(&inline_text(&text.replace(from, to)));
    } else {
        push_inline_text(out, text);
    }
}

/// The plain text of an unnumbered block, as [`markdown_to_text`] gives it.
fn block_text(block: &Block, out: &mut String) {
    match block {
        Block::Para { text, .. } => {
            push_para_text(out, text);
            out.push_str("\n\n");
        }
        Block::List { items } => {
            for (item, depth) in items.iter().zip(content::list_depths(items)) {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                for _ in 0..depth {
                    out.push_str("  ");
                }
                out.push_str("• ");
                match &item.marker {
                    Some(m) => out.push_str(&inline_text(&format!(
                        "{}\\. {}",
                        m.trim_end_matches('.'),
                        item.text
                    ))),
                    None => push_inline_text(out, &item.text),
                }
            }
            while !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        Block::Table { rows, .. } => {
            let width = rows.iter().map(Vec::len).max().unwrap_or(1);
            for row in rows {
                for c in 0..width {
                    if c > 0 {
                        out.push_str(" | ");
                    }
                    if let Some(cell) = row.get(c) {
                        push_inline_replacing(out, cell, '|', "\\|");
                    }
                }
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Heading { .. } => {}
    }
}

/// A new index in `dir`, holding the documents of `nodes`.
fn create_and_fill(
    dir: impl tantivy::Directory,
    nodes: impl Iterator<Item = Searchable>,
) -> Result<(Index, Fields, Filled), IndexError> {
    let empty = create(dir)?;
    let fields = empty.fields;
    let (index, filled) = empty.fill(WordCounts::default(), nodes)?;
    Ok((index, fields, filled))
}

/// A new, empty index with its writer, ready for documents.
struct Empty {
    fields: Fields,
    writer: SingleSegmentIndexWriter,
    tapes: Tapes,
}

/// The memory budget given to tantivy's segment writer. Its only use
/// there is to size the term hash table (a third of the budget, as a power
/// of two): tantivy's `IndexWriter` takes at least 15 MB, which meant a
/// 4 MB table for the manual's ~12,000 terms, and a cache miss on every
/// token indexed. This gives 32,768 slots (256 KB); the table doubles
/// itself when half full, so a larger text still fits.
const SEGMENT_BUDGET: usize = 1_000_000;

fn create(dir: impl tantivy::Directory) -> Result<Empty, IndexError> {
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
struct Filled {
    sections: u64,
    paragraphs: u64,
    words: Words,
}

impl Empty {
    /// Writes the documents into the index. This thread tokenizes their text,
    /// counting the manual's words (into `counts`, which may know some words
    /// already), and an indexing thread plays the tokens back into tantivy's
    /// segment writer (see [`crate::search::index::tape`]): the two share the work.
    fn fill(
        self,
        counts: WordCounts,
        nodes: impl Iterator<Item = Searchable>,
    ) -> Result<(Index, Filled), IndexError> {
        let Empty {
            fields,
            writer,
            tapes,
        } = self;
        let mut recorder = Recorder::with_counts(&tapes, counts);
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

/// What a result shows of a section, kept beside the index so that a
/// search never loads the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    pub id: NodeId,
    /// As displayed: `24.8 Online Exploitation`.
    pub title: String,
    /// Position of the parent node (the breadcrumb is made from these).
    pub parent: Option<u32>,
    pub page: Option<u32>,
}

const NODES: &str = "nodes.json";
const WORDS: &str = "words.txt";
const PARAGRAPHS: &str = "paragraphs.txt";

/// The manual's words as written (lower case, unstemmed) with the number of
/// paragraphs each occurs in: for completing an unfinished word, telling a
/// typo from a word the manual uses, and finding corrections. Kept as the
/// sorted `word<TAB>count` text it is stored as, searched in place: a
/// one-shot search needs a few lookups, not 7,000 parsed entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    text: String,
}

impl Words {
    /// Counts each word once per text.
    pub fn count<'a>(texts: impl IntoIterator<Item = &'a str>) -> Words {
        Words::from_counts(Words::counts(texts))
    }

    /// Each word of `texts` with the number of texts it occurs in.
    fn counts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<(String, u32)> {
        // Word ids, their document frequencies, and the text each was last
        // seen in (to count it once per text without a set per text).
        let mut ids: FxHashMap<String, usize> = Default::default();
        let mut df: Vec<u32> = Vec::new();
        let mut last: Vec<usize> = Vec::new();
        let mut word = String::new();
        for (ti, text) in texts.into_iter().enumerate() {
            for (a, b) in analysis::spans(text) {
                word.clear();
                analysis::fold_into(&text[a..b], &mut word);
                let id = match ids.get(word.as_str()) {
                    Some(&id) => id,
                    None => {
                        ids.insert(word.clone(), df.len());
                        df.push(0);
                        last.push(usize::MAX);
                        df.len() - 1
                    }
                };
                if last[id] != ti {
                    last[id] = ti;
                    df[id] += 1;
                }
            }
        }
        ids.into_iter().map(|(w, id)| (w, df[id])).collect()
    }

    /// Words from each word's number of texts (each word once).
    fn from_counts(counts: impl IntoIterator<Item = (String, u32)>) -> Words {
        let mut sorted: Vec<(String, u32)> = counts.into_iter().collect();
        sorted.sort_unstable();
        let mut text = String::with_capacity(sorted.len() * 12);
        for (w, df) in &sorted {
            text.push_str(w);
            text.push('\t');
            text.push_str(&df.to_string());
            text.push('\n');
        }
        Words { text }
    }

    pub fn len(&self) -> usize {
        self.text.lines().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn doc_freq(&self, word: &str) -> u32 {
        crate::text::markup::find_line(&self.text, word)
            .and_then(|l| l.split_once('\t'))
            .and_then(|(_, df)| df.parse().ok())
            .unwrap_or(0)
    }

    /// Words starting with `prefix`, in alphabetical order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let start = crate::text::markup::lower_bound_line(&self.text, prefix);
        self.text[start..]
            .lines()
            .filter_map(|l| {
                let (w, df) = l.split_once('\t')?;
                Some((w, df.parse().unwrap_or(0)))
            })
            .take_while(move |(w, _)| w.starts_with(prefix))
    }

    fn to_text(&self) -> &str {
        &self.text
    }

    fn from_text(text: String) -> Words {
        Words { text }
    }
}

const VOCABULARY: &str = "vocabulary.json";

fn node_infos(lib: &Library) -> Vec<NodeInfo> {
    lib.metas
        .iter()
        .map(|m| NodeInfo {
            id: m.id,
            title: content::display_title(m.id, &m.title),
            parent: m.parent.and_then(|p| lib.index_of(p)).map(|i| i as u32),
            page: m.page,
        })
        .collect()
}

/// Which node holds each numbered paragraph, as kept beside the index: a
/// line per node in reading order, its paragraph ids separated by spaces.
/// A paragraph id typed as a search is looked up here (the index holds no
/// terms for ids); only that reads it, so a search for words never does.
fn paragraph_lines(lib: &Library) -> String {
    let mut out = String::new();
    for m in &lib.metas {
        for (i, p) in m.paragraphs.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&p.to_string());
        }
        out.push('\n');
    }
    out
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
}

impl SearchIndex {
    /// The manual's words (loaded from the index folder on first use; an
    /// unreadable file just means no completions or corrections).
    pub fn words(&self) -> &Words {
        self.words.get_or_init(|| {
            self.dir
                .as_ref()
                .and_then(|d| fs::read_to_string(d.join(WORDS)).ok())
                .map(Words::from_text)
                .unwrap_or_default()
        })
    }

    /// The position of the node holding paragraph `p`.
    pub fn paragraph_node(&self, p: SectionId) -> Option<usize> {
        let lines = self.paragraphs.get_or_init(|| {
            self.dir
                .as_ref()
                .and_then(|d| fs::read_to_string(d.join(PARAGRAPHS)).ok())
                .unwrap_or_default()
        });
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
        nodes: node_infos(lib),
        vocabulary: lib.vocabulary().clone(),
        index,
        reader,
        fields,
        dir: None,
        marker,
        built: true,
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
        nodes,
        vocabulary,
        index,
        reader,
        fields,
        dir: Some(dir.to_path_buf()),
        marker,
        built: false,
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

fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |name: &str| schema.get_field(name).ok();
    Some(Fields {
        node: f("node")?,
        para: f("para")?,
        node_ord: f("node_ord")?,
        title: f("title")?,
        text: f("text")?,
    })
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
        let (pending, feed) = start(s, root, "")?;
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
/// and the words of `source` (the text being parsed meanwhile) are learnt,
/// until the documents come through the returned [`Feed`].
pub fn start<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    root: &Path,
    source: &'scope str,
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
            let (counts, sent) = learn_words(source, &nodes);
            let nodes = match sent {
                Some(n) => n,
                None => nodes.recv().map_err(|_| IndexError::Stopped)?,
            };
            empty.fill(counts, nodes).map(|(_, filled)| filled)
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

/// The words of `source`, folded and stemmed into a counting memo while
/// the documents are not there yet (while the main thread parses, this
/// core is otherwise idle; the documents' words are then found, not
/// stemmed). Stops early when the documents come.
fn learn_words<'scope>(
    source: &str,
    nodes: &std::sync::mpsc::Receiver<Nodes<'scope>>,
) -> (WordCounts, Option<Nodes<'scope>>) {
    let mut counts = WordCounts::for_text(source.len());
    let mut rest = source;
    while !rest.is_empty() {
        match nodes.try_recv() {
            Ok(n) => {
                crate::trace::mark(&format!(
                    "learnt {} of {} bytes",
                    source.len() - rest.len(),
                    source.len()
                ));
                return (counts, Some(n));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => break,
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
        // About 16 KB at a time, cut after a line.
        let cut = match rest.get(16_384..).and_then(|r| r.find('\n')) {
            Some(i) => 16_384 + i + 1,
            None => rest.len(),
        };
        counts.learn(&rest[..cut]);
        rest = &rest[cut..];
    }
    (counts, None)
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
fn collect_garbage(root: &Path, keep: &str) {
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

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
