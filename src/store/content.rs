//! The content store: one markdown file per node in `content/`.
//!
//! Every part, grouping, chapter (its introduction) and section becomes
//! `content/<id>.md` ([`NodeId::file_name`]), with YAML front matter (id, title, page,
//! parent, previous/next in reading order) and the body as markdown.
//! Paragraph numbers stay visible and each numbered paragraph carries an
//! anchor (`<a id="a3-4-22">`), so `A3.4.md#a3-4-22` addresses paragraph
//! A3.4.22 in any markdown viewer. Citations are relative links to the cited
//! file and anchor. `content/manifest.json` holds the same facts for
//! programs, and `content/README.md` is a linked contents page.
//!
//! Rendering is pure ([`render`]); [`write_dir`] and [`load_dir`] are the
//! file-system edges.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cite::InlineLink;
use crate::manual::document::{Block, Document, ListItem, Node};
use crate::manual::ids::{NodeId, Part, SectionId};
use crate::store::commit;
use crate::text::markup::escape_block_start;

/// The heading a node is shown with: `24.8 Online Exploitation`,
/// `24. Safeguarding Children…`, `Part B3: Safeguarding Children…`.
pub fn display_title(id: NodeId, title: &str) -> String {
    match id {
        NodeId::Part(p) => format!("Part {p}"),
        NodeId::Group(g) => format!("Part B{g}: {title}"),
        NodeId::Section(s) if s.nums().len() == 1 => format!("{}. {title}", s.number()),
        NodeId::Section(s) => format!("{} {title}", s.number()),
    }
}

/// Metadata of a node as written to front matter and the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: NodeId,
    pub title: String,
    pub page: Option<u32>,
    pub parent: Option<NodeId>,
    pub level: u8,
    pub path: String,
    pub prev: Option<NodeId>,
    pub next: Option<NodeId>,
    /// Titles from the part down to this node.
    pub breadcrumb: Vec<String>,
    /// First and last source line this node covers.
    pub lines: Option<(usize, usize)>,
    /// Numbered paragraphs, in order.
    pub paragraphs: Vec<SectionId>,
    pub in_contents: bool,
}

/// Each node's children (id and title), in reading order.
pub fn children_of(metas: &[Meta]) -> crate::text::hash::FxHashMap<NodeId, Vec<(NodeId, &str)>> {
    let mut children: crate::text::hash::FxHashMap<NodeId, Vec<(NodeId, &str)>> =
        Default::default();
    for m in metas {
        if let Some(p) = m.parent {
            children
                .entry(p)
                .or_default()
                .push((m.id, m.title.as_str()));
        }
    }
    children
}

/// Builds the metadata for every node of a document, in reading order.
pub fn metas(doc: &Document) -> Vec<Meta> {
    let index: BTreeMap<NodeId, usize> = doc
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();
    doc.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut breadcrumb = Vec::new();
            let mut cur = Some(i);
            while let Some(k) = cur {
                let node = &doc.nodes[k];
                breadcrumb.push(display_title(node.id, &node.title));
                cur = node.parent.and_then(|p| index.get(&p).copied());
            }
            breadcrumb.reverse();
            let lines = {
                let mut it = n.source_lines();
                it.next().map(|first| {
                    let (lo, hi) = it.fold((first, first), |(lo, hi), l| (lo.min(l), hi.max(l)));
                    (lo, hi)
                })
            };
            Meta {
                id: n.id,
                title: n.title.clone(),
                page: n.page,
                parent: n.parent,
                level: n.depth,
                path: n.id.file_name(),
                prev: i.checked_sub(1).map(|k| doc.nodes[k].id),
                next: doc.nodes.get(i + 1).map(|x| x.id),
                breadcrumb,
                lines,
                paragraphs: n.paragraphs.iter().map(|p| p.id).collect(),
                in_contents: n.in_contents,
            }
        })
        .collect()
}

/// Renders a node's body as markdown (no front matter): its heading, its
/// blocks with `links` applied, and for parts, groupings and chapters a
/// linked list of what they contain.
pub fn render(node: &Node, children: &[(NodeId, &str)], links: &[InlineLink]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        escape_heading(&display_title(node.id, &node.title))
    );
    for (bi, block) in node.blocks.iter().enumerate() {
        let linked = |item: usize, text: &str| -> String {
            apply_links(
                text,
                links.iter().filter(|l| l.block == bi && l.item == item),
            )
        };
        match block {
            Block::Para { number, text, .. } => {
                if let Some(id) = number {
                    let _ = write!(out, "<a id=\"{}\"></a>**{}** ", id.anchor(), id.number());
                }
                // Consecutive source lines (addresses) keep their breaks.
                let body = linked(0, text).replace('\n', "\\\n");
                out.push_str(&escape_block_start(&body, number.is_none()));
                out.push_str("\n\n");
            }
            Block::List { items } => {
                for ((k, item), depth) in items.iter().enumerate().zip(list_depths(items)) {
                    let indent = "  ".repeat(depth as usize);
                    let text = linked(k, &item.text);
                    match &item.marker {
                        Some(m) => {
                            let _ =
                                writeln!(out, "{indent}- {}\\. {text}", m.trim_end_matches('.'));
                        }
                        None => {
                            let _ = writeln!(out, "{indent}- {}", escape_block_start(&text, true));
                        }
                    }
                }
                out.push('\n');
            }
            Block::Heading { text, .. } => {
                let _ = writeln!(out, "### {}\n", escape_heading(text));
            }
            Block::Table { rows, .. } => render_table(&mut out, rows, linked),
        }
    }
    if !children.is_empty() {
        let label = match node.id {
            NodeId::Section(_) => "Sections",
            _ => "Chapters",
        };
        let _ = writeln!(out, "## {label}\n");
        for (id, title) in children {
            let _ = writeln!(
                out,
                "- [{}]({})",
                escape_link_text(&display_title(*id, title)),
                id.file_name()
            );
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A table as a markdown pipe table, its first row the header; `linked`
/// applies the citations of cell `row * width + column`.
fn render_table(out: &mut String, rows: &[Vec<String>], linked: impl Fn(usize, &str) -> String) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for (r, row) in rows.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let cell = row.get(c).map(String::as_str).unwrap_or("");
            let cell = linked(r * width + c, cell);
            let _ = write!(out, " {} |", cell.replace('|', "\\|"));
        }
        out.push('\n');
        if r == 0 {
            out.push('|');
            for _ in 0..width {
                out.push_str(" --- |");
            }
            out.push('\n');
        }
    }
    out.push('\n');
}

fn apply_links<'a>(text: &str, links: impl Iterator<Item = &'a InlineLink>) -> String {
    let mut links: Vec<&InlineLink> = links.collect();
    if links.is_empty() {
        return text.to_string();
    }
    links.sort_by_key(|l| l.range.start);
    let mut out = String::with_capacity(text.len() + 64 * links.len());
    let mut pos = 0;
    for l in links {
        if l.range.start < pos || l.range.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..l.range.start]);
        let _ = write!(
            out,
            "[{}]({}",
            escape_link_text(&text[l.range.clone()]),
            l.href
        );
        if let Some(t) = &l.title {
            let _ = write!(out, " \"{}\"", t.replace('"', "'"));
        }
        out.push(')');
        pos = l.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Link text must not contain unbalanced brackets.
fn escape_link_text(s: &str) -> String {
    s.replace('[', "\\[").replace(']', "\\]")
}

fn escape_heading(s: &str) -> String {
    s.replace('\n', " ")
}

/// The depth each item of a list is rendered at: relative to the list's
/// shallowest item, and never more than one level below the item before.
pub fn list_depths(items: &[ListItem]) -> impl Iterator<Item = u8> + '_ {
    let base = items.iter().map(|i| i.depth).min().unwrap_or(0);
    let mut prev = 0u8;
    items.iter().enumerate().map(move |(k, item)| {
        let depth = (item.depth - base).min(if k == 0 { 0 } else { prev + 1 });
        prev = depth;
        depth
    })
}

/// YAML front matter. Values are JSON literals, which YAML reads as-is, so
/// quoting and escaping are never in doubt.
pub fn front_matter(meta: &Meta) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "id: {}", j(&meta.id));
    let _ = writeln!(out, "title: {}", j(&meta.title));
    let _ = writeln!(out, "page: {}", j(&meta.page));
    let _ = writeln!(out, "parent: {}", j(&meta.parent));
    let _ = writeln!(out, "level: {}", meta.level);
    let _ = writeln!(out, "prev: {}", j(&meta.prev));
    let _ = writeln!(out, "next: {}", j(&meta.next));
    let _ = writeln!(out, "breadcrumb: {}", j(&meta.breadcrumb));
    let _ = writeln!(out, "source_lines: {}", j(&meta.lines.map(|(a, b)| [a, b])));
    out.push_str("---\n\n");
    out
}

/// A value as a JSON literal (valid YAML too).
fn j<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Splits a content file into its front matter and markdown body.
pub fn split_front_matter(file: &str) -> (&str, &str) {
    if let Some(rest) = file.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        let body = &rest[end + 5..];
        return (&rest[..end], body.strip_prefix('\n').unwrap_or(body));
    }
    ("", file)
}

/// What `content/manifest.json` holds: enough for programs to use the build
/// without parsing markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of this file.
    pub schema: u32,
    /// Hash of every file's bytes; changes whenever the content does.
    pub content_hash: String,
    pub source: String,
    pub nodes: Vec<Meta>,
    pub citations: Vec<crate::cite::Citation>,
    pub vocabulary: crate::terms::Vocabulary,
    pub warnings: Vec<String>,
    /// The edition built (its title-page date and text hash); empty in a
    /// folder written before editions were recorded.
    #[serde(default)]
    pub edition: crate::manual::edition::Edition,
}

pub const MANIFEST: &str = "manifest.json";
pub const MANIFEST_SCHEMA: u32 = 1;

/// One rendered content folder, in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// `(file name, bytes)` in a stable order; manifest last.
    pub files: Vec<(String, String)>,
}

/// Writes `rendered` into `dir` as one change ([`commit`]): only files
/// whose bytes changed are written, and a build killed at any moment
/// leaves the folder reading as the old build or the new one, never a mix.
/// Two builds into one folder take turns.
///
/// Only setproc's own files are touched: `dir` must be missing, empty, or a
/// folder an earlier build wrote (it holds a manifest). Markdown files the
/// previous manifest listed and this build no longer makes are removed;
/// anything else in the folder is left alone.
pub fn write_dir(dir: &Path, rendered: &Rendered) -> Result<WriteStats, WriteError> {
    write_dir_with(dir, rendered, &[])
}

/// [`write_dir`], with `extra` files (name, bytes: the search vectors)
/// replaced in the same commit, so that a reader never finds them from
/// another build than the markdown beside them.
pub fn write_dir_with(
    dir: &Path,
    rendered: &Rendered,
    extra: &[(&str, &[u8])],
) -> Result<WriteStats, WriteError> {
    let io = |e: io::Error| WriteError::Io(dir.to_path_buf(), e);
    // Two nodes with one id would write one file twice, and the manifest
    // would name a hash the file no longer has: refused before anything
    // is written (the parser gives each id once; this holds it to that).
    let mut names = std::collections::HashSet::new();
    if let Some((name, _)) = rendered
        .files
        .iter()
        .find(|(n, _)| !names.insert(n.as_str()))
    {
        return Err(WriteError::Duplicate(dir.to_path_buf(), name.clone()));
    }
    fs::create_dir_all(dir).map_err(io)?;
    let _turn = commit::lock(dir).map_err(io)?;
    // A build killed after its commit is completed first: what it wrote
    // is the previous build.
    commit::recover(dir).map_err(io)?;
    let previous = match previous_paths(dir, rendered) {
        Some(paths) => paths,
        None => {
            let empty = fs::read_dir(dir)
                .map_err(io)?
                .flatten()
                .all(|e| commit::is_own_file(&e.file_name().to_string_lossy()));
            if !empty {
                return Err(WriteError::NotContent(dir.to_path_buf()));
            }
            Vec::new()
        }
    };
    let wanted: std::collections::HashSet<&str> =
        rendered.files.iter().map(|(n, _)| n.as_str()).collect();
    let changed: Vec<(&str, &[u8])> = rendered
        .files
        .iter()
        .map(|(name, body)| (name.as_str(), body.as_bytes()))
        .chain(extra.iter().copied())
        .filter(|(name, body)| fs::read(dir.join(name)).map_or(true, |old| old != *body))
        .collect();
    let retired: Vec<String> = previous
        .into_iter()
        .filter(|p| is_plain_file_name(p) && p.ends_with(".md") && !wanted.contains(p.as_str()))
        .filter(|p| dir.join(p).exists())
        .collect();
    commit::replace_files(dir, &changed, &retired).map_err(io)?;
    Ok(WriteStats {
        written: changed.len(),
        removed: retired.len(),
    })
}

/// The files the manifest already in `dir` lists, if `dir` holds a setproc
/// build (its manifest reads as one: a folder with any other
/// `manifest.json` is not touched). None to remove when it is the very
/// manifest about to be written: a rebuild of the same manual, with
/// nothing to parse.
fn previous_paths(dir: &Path, rendered: &Rendered) -> Option<Vec<String>> {
    let old = fs::read(dir.join(MANIFEST)).ok()?;
    let new = rendered.files.iter().find(|(n, _)| n == MANIFEST);
    if new.is_some_and(|(_, b)| b.as_bytes() == old) {
        return Some(Vec::new());
    }
    let manifest: Manifest = serde_json::from_slice(&old).ok()?;
    Some(manifest.nodes.into_iter().map(|n| n.path).collect())
}

/// Whether a manifest's `path` names a file directly in its folder. A
/// manifest is data: it never sends a read or a delete elsewhere.
fn is_plain_file_name(path: &str) -> bool {
    !path.contains(['/', '\\']) && !path.starts_with('.')
}

/// Why [`write_dir`] refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{0} is not a setproc content folder (no readable {MANIFEST}) and is not empty; \
         choose a new or empty folder"
    )]
    NotContent(PathBuf),
    #[error("cannot write to {0}: {1}")]
    Io(PathBuf, io::Error),
    #[error("not written to {0}: two sections of the source would both be {1}")]
    Duplicate(PathBuf, String),
}

/// How many files a [`write_dir`] changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub removed: usize,
}

/// Reads just the manifest of a content folder.
pub fn load_manifest(dir: &Path) -> Result<Manifest, LoadError> {
    let path = dir.join(MANIFEST);
    let bytes = commit::read(dir, MANIFEST).map_err(|e| LoadError::Io(path.clone(), e))?;
    serde_json::from_slice(&bytes).map_err(|e| LoadError::Manifest(path, e.to_string()))
}

/// Reads a content folder back: the manifest and every node's markdown body.
pub fn load_dir(dir: &Path) -> Result<(Manifest, Vec<String>), LoadError> {
    let manifest_path = dir.join(MANIFEST);
    let manifest = load_manifest(dir)?;
    if manifest.schema != MANIFEST_SCHEMA {
        return Err(LoadError::Manifest(
            manifest_path,
            format!(
                "schema {} (this setproc reads {MANIFEST_SCHEMA})",
                manifest.schema
            ),
        ));
    }
    if manifest.nodes.is_empty() {
        return Err(LoadError::Manifest(
            manifest_path,
            "it lists no sections".into(),
        ));
    }
    let view = commit::View::open(dir).map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
    let mut bodies = Vec::with_capacity(manifest.nodes.len());
    for meta in &manifest.nodes {
        if !is_plain_file_name(&meta.path) {
            return Err(LoadError::Manifest(
                manifest_path,
                format!("bad file name '{}'", meta.path),
            ));
        }
        let path = dir.join(&meta.path);
        let file = view
            .read(&meta.path)
            .and_then(|b| String::from_utf8(b).map_err(io::Error::other))
            .map_err(|e| LoadError::Io(path.clone(), e))?;
        // Files end with a newline that the body itself does not have.
        let body = split_front_matter(&file).1;
        bodies.push(body.strip_suffix('\n').unwrap_or(body).to_string());
    }
    Ok((manifest, bodies))
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, io::Error),
    #[error("{0} is not a setproc manifest: {1}")]
    Manifest(PathBuf, String),
    #[error(
        "the files in {0} do not match its manifest (edited by hand, or a build is still \
         writing them); run setproc build again"
    )]
    Mismatch(PathBuf),
}

/// A stable 64-bit FNV-1a hash, for content and index keys. (std's hasher
/// is not stable across releases.)
pub fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The linked contents page, `content/README.md`.
pub fn readme(metas: &[Meta]) -> String {
    let mut out = String::from(
        "# SET Safeguarding and Child Protection Procedures (June 2025)\n\n\
         Generated by `setproc build` from the manual's text: one file per part, \
         grouping, chapter introduction and section, named `<id>.md` \
         (for example `B24.8.md`); paragraph `A3.4.22` is `A3.4.md#a3-4-22`. \
         Do not edit by hand.\n\n",
    );
    for m in metas {
        let indent = "  ".repeat(m.level as usize);
        let _ = writeln!(
            out,
            "{indent}- [{}]({})",
            escape_link_text(&display_title(m.id, &m.title)),
            m.path
        );
    }
    out
}

/// The part a node belongs to, if any.
pub fn part_of(id: NodeId) -> Option<Part> {
    match id {
        NodeId::Part(p) => Some(p),
        NodeId::Group(_) => Some(Part::B),
        NodeId::Section(s) => Some(s.part()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manual::document::{ListItem, Paragraph};

    fn sid(s: &str) -> SectionId {
        s.parse().unwrap()
    }

    fn node(blocks: Vec<Block>) -> Node {
        Node {
            id: NodeId::Section(sid("A3.4")),
            title: "Strategy meeting/discussion".into(),
            page: Some(58),
            parent: Some(NodeId::Section(sid("A3"))),
            depth: 2,
            line: Some(1),
            in_contents: true,
            paragraphs: vec![Paragraph {
                id: sid("A3.4.22"),
                start: 0,
                end: 2,
            }],
            blocks,
        }
    }

    #[test]
    fn renders_numbered_paragraphs_with_anchors_and_nested_lists() {
        let n = node(vec![
            Block::Para {
                number: Some(sid("A3.4.22")),
                text: "A s47 enquiry may run concurrently:".into(),
                lines: vec![2],
            },
            Block::List {
                items: vec![
                    ListItem {
                        depth: 0,
                        marker: None,
                        text: "One".into(),
                        lines: vec![3],
                    },
                    ListItem {
                        depth: 1,
                        marker: None,
                        text: "Nested".into(),
                        lines: vec![4],
                    },
                    ListItem {
                        depth: 0,
                        marker: Some("3.".into()),
                        text: "Third".into(),
                        lines: vec![5],
                    },
                ],
            },
        ]);
        let md = render(&n, &[], &[]);
        assert_eq!(
            md,
            "# 3.4 Strategy meeting/discussion\n\n\
             <a id=\"a3-4-22\"></a>**3.4.22** A s47 enquiry may run concurrently:\n\n\
             - One\n  - Nested\n- 3\\. Third\n"
        );
    }

    #[test]
    fn links_replace_their_ranges() {
        let n = node(vec![Block::Para {
            number: None,
            text: "see Part B, chapter 37, Historical abuse.".into(),
            lines: vec![2],
        }]);
        let link = InlineLink {
            block: 0,
            item: 0,
            range: 4..40,
            href: "B36.md".into(),
            title: Some("cited as chapter 37".into()),
        };
        let md = render(&n, &[], &[link]);
        assert!(
            md.contains(
                "see [Part B, chapter 37, Historical abuse](B36.md \"cited as chapter 37\")."
            ),
            "{md}"
        );
    }

    #[test]
    fn one_file_named_twice_is_refused_before_anything_is_written() {
        let dir = std::env::temp_dir().join(format!("setproc-dup-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let rendered = Rendered {
            files: vec![
                ("B1.1.md".into(), "# one\n".into()),
                ("B1.1.md".into(), "# two\n".into()),
            ],
        };
        let e = write_dir(&dir, &rendered).unwrap_err();
        assert!(
            matches!(e, WriteError::Duplicate(_, ref n) if n == "B1.1.md"),
            "{e}"
        );
        assert!(!e.to_string().contains('\n'));
        assert!(!dir.exists(), "nothing written");
    }

    #[test]
    fn front_matter_round_trips_through_split() {
        let file = "---\nid: \"B24.8\"\n---\n\n# Body\n";
        assert_eq!(split_front_matter(file), ("id: \"B24.8\"", "# Body\n"));
    }
}
