//! What the content writer needs from citations: the links to draw over
//! each node's text.

use std::ops::Range;

use super::{Citation, Targets, stale_note};
use crate::manual::document::Document;
use crate::manual::ids::NodeId;
use crate::text::hash::FxHashMap as HashMap;

/// A link to put over a byte range of one block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineLink {
    /// Index of the block in its node.
    pub block: usize,
    /// For lists: the item; for other blocks 0.
    pub item: usize,
    /// Byte range in the block's (or item's) text.
    pub range: Range<usize>,
    /// Relative href, e.g. `B36.md` or `A4.1.md#a4-1-11`.
    pub href: String,
    /// Link title (tooltip), used to flag stale citations.
    pub title: Option<String>,
}

/// The links to draw over each node's text: one `Vec` per node, in
/// `doc.nodes` order. Ok citations link to their target, stale ones to the
/// suggestion (with a tooltip saying so), unresolved ones not at all.
pub fn inline_links(doc: &Document, citations: &[Citation]) -> Vec<Vec<InlineLink>> {
    inline_links_in(&Targets::from_document(doc), doc, citations)
}

/// [`inline_links`] against targets already built from `doc`.
pub fn inline_links_in(
    targets: &Targets,
    doc: &Document,
    citations: &[Citation],
) -> Vec<Vec<InlineLink>> {
    let index: HashMap<NodeId, usize> = doc
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();
    let mut out = vec![Vec::new(); doc.nodes.len()];
    for c in citations {
        let (Some(dest), Some(&ni)) = (c.destination(), index.get(&c.from)) else {
            continue;
        };
        let Some(href) = targets.href(dest) else {
            continue;
        };
        if c.start >= c.end {
            continue;
        }
        out[ni].push(InlineLink {
            block: c.block,
            item: c.item,
            range: c.start..c.end,
            href,
            title: stale_note(targets, c),
        });
    }
    for links in &mut out {
        links.sort_by_key(|l| (l.block, l.item, l.range.start));
        // Links must never overlap; the scanner does not produce overlapping
        // citations, but the contract is cheap to guarantee here.
        let mut kept: Vec<InlineLink> = Vec::with_capacity(links.len());
        for l in links.drain(..) {
            let overlaps = kept.last().is_some_and(|p| {
                p.block == l.block && p.item == l.item && p.range.end > l.range.start
            });
            if !overlaps {
                kept.push(l);
            }
        }
        *links = kept;
    }
    out
}
