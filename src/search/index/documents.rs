//! How the manual becomes documents: one per numbered paragraph (and per
//! run of unnumbered text before a section's first one), each carrying its
//! section's id and title, with its text as plain words.

use crate::manual::document::{Block, Document, Node};
use crate::manual::ids::anchor_to_id;
use crate::manual::ids::{NodeId, SectionId};
use crate::store::content;
use crate::store::library::Library;
use crate::text::markup::{inline_text, markdown_to_text, push_inline_text};

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
    pub(super) fn new(ord: usize, id: NodeId, title: &str, body: &str) -> Searchable {
        Searchable::from_chunks(ord, id, title, chunks(body))
    }

    pub(super) fn from_chunks(
        ord: usize,
        id: NodeId,
        title: &str,
        mut chunks: Vec<Chunk>,
    ) -> Searchable {
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
pub(super) fn searchable_node(ord: usize, n: &Node) -> Option<Searchable> {
    n.id.section()?;
    Some(Searchable::from_chunks(ord, n.id, &n.title, node_chunks(n)))
}

/// See [`searchable_in`]: a paragraph's chunk runs from its number to the
/// next; a sub-heading joins the text after it.
pub(super) fn node_chunks(node: &Node) -> Vec<Chunk> {
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
pub(super) fn push_para_text(out: &mut String, text: &str) {
    push_inline_replacing(out, text, '\n', "\\\n");
}

/// The plain text of `text` with `from` written as `to` (as the markdown
/// writes it), appended to `out`; no copy when `from` is not there.
pub(super) fn push_inline_replacing(out: &mut String, text: &str, from: char, to: &str) {
    if text.contains(from) {
        out.push_str(&inline_text(&text.replace(from, to)));
    } else {
        push_inline_text(out, text);
    }
}

/// The plain text of an unnumbered block, as [`markdown_to_text`] gives it.
pub(super) fn block_text(block: &Block, out: &mut String) {
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
