//! The text the miners read: each piece of the manual as plain text, with
//! the title that anaphora in it ("This is sometimes known as …") refer to.

use std::rc::Rc;

use crate::manual::document::{Block, Document, Node};
use crate::manual::ids::NodeId;
use crate::text::hash::FxHashMap as HashMap;
use crate::text::markup::{normalize_title, plain_inline};
/// One piece of the manual's text, as plain text, with what anaphora in it
/// ("This is sometimes known as …") can refer to.
pub(super) struct Segment {
    pub(super) text: String,
    pub(super) line: usize,
    /// A heading or table cell: a parenthetical names the whole text before it.
    pub(super) heading: bool,
    /// The nearest sub-heading above, else the nearest non-generic title.
    /// (Shared, not copied: every segment of a node holds the same ones.)
    pub(super) context: Option<Rc<str>>,
    /// The nearest non-generic title of the node (for "This section …").
    pub(super) node_title: Option<Rc<str>>,
}

/// Titles too generic to say what "this" refers to.
pub(super) const GENERIC_TITLES: &[&str] = &[
    "introduction",
    "definition",
    "definitions",
    "overview",
    "purpose",
    "scope",
    "background",
    "general",
    "summary",
    "context",
    "principles",
    "key points",
];

pub(super) fn segments(doc: &Document) -> Vec<Segment> {
    let by_id: HashMap<NodeId, &Node> = doc.nodes.iter().map(|n| (n.id, n)).collect();
    let mut out = Vec::new();
    for node in &doc.nodes {
        let node_title: Option<Rc<str>> = meaningful_title(node, &by_id).map(Rc::from);
        if let Some(line) = node.line {
            out.push(Segment {
                text: plain(&node.title),
                line,
                heading: true,
                context: None,
                node_title: None,
            });
        }
        let mut context = node_title.clone();
        for block in &node.blocks {
            let mut push = |text: &str, line: usize, heading: bool, context: &Option<Rc<str>>| {
                out.push(Segment {
                    text: plain(text),
                    line,
                    heading,
                    context: context.clone(),
                    node_title: node_title.clone(),
                })
            };
            match block {
                Block::Para { text, lines, .. } => {
                    push(text, lines.first().copied().unwrap_or(0), false, &context);
                }
                Block::Heading { text, line } => {
                    push(text, *line, true, &context);
                    context = Some(Rc::from(plain(text)));
                }
                Block::List { items } => {
                    // A PDF line break can start an item with the previous
                    // item's parenthetical ("(In some areas referred to as
                    // …)"); read the two together.
                    let mut prev: Option<&str> = None;
                    for item in items {
                        let line = item.lines.first().copied().unwrap_or(0);
                        match prev {
                            Some(p) if item.text.trim_start().starts_with('(') => {
                                push(&format!("{p} {}", item.text), line, false, &context);
                            }
                            _ => push(&item.text, line, false, &context),
                        }
                        prev = Some(&item.text);
                    }
                }
                Block::Table { rows, lines } => {
                    for (r, row) in rows.iter().enumerate() {
                        let line = lines.get(r).or(lines.first()).copied().unwrap_or(0);
                        for cell in row {
                            push(cell, line, true, &context);
                        }
                    }
                }
            }
        }
    }
    out
}

pub(super) fn meaningful_title(node: &Node, by_id: &HashMap<NodeId, &Node>) -> Option<String> {
    let mut current = Some(node);
    while let Some(n) = current {
        let title = plain(&n.title);
        if !GENERIC_TITLES.contains(&normalize_title(&title).as_str()) && n.section_id().is_some() {
            return Some(title);
        }
        current = n.parent.and_then(|p| by_id.get(&p).copied());
    }
    None
}

/// Plain text with typographic quotes, dashes and spaces made ASCII, so the
/// miners need to know only one spelling of each.
pub(super) fn plain(md: &str) -> String {
    let p = plain_inline(md);
    // Most text has nothing to normalise.
    if p.bytes().all(|b| b.is_ascii() && b != b'\n' && b != b'\t') {
        return p;
    }
    p.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{a0}' | '\n' | '\t' => ' ',
            c => c,
        })
        .collect()
}
