//! Cross-references: the manual's citations of itself, found and resolved.
//!
//! STUB: being written (see the cross-references issue). The types and
//! function signatures below are the contract the rest of setproc uses.

use serde::{Deserialize, Serialize};

use crate::content::InlineLink;
use crate::document::Document;
use crate::ids::{NodeId, SectionId};

/// How a citation's number relates to its cited title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The number exists and the title, if any, matches.
    Ok,
    /// The number's title does not match (or the number no longer exists)
    /// and another section matches the cited title: see `suggestion`.
    Stale,
    /// Neither the number nor the title leads anywhere.
    Unresolved,
}

/// One citation in the manual's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The node whose text holds the citation.
    pub from: NodeId,
    /// 1-based line of the citation in the source text.
    pub line: usize,
    /// The citation as written ("Part B, chapter 37, Historical abuse").
    pub text: String,
    /// The id as written, normalised ("B37"), even if it does not exist.
    pub cited: String,
    /// The cited title as written, if any ("Historical abuse").
    pub cited_title: Option<String>,
    /// The id the number resolves to, if that id exists.
    pub target: Option<SectionId>,
    pub status: Status,
    /// For stale citations, the section whose title matches.
    pub suggestion: Option<SectionId>,
    /// Where the citation sits, for linking: block index in `from`, item
    /// (list item, or table cell `row * columns + column`; 0 otherwise) and
    /// byte range in that text.
    pub block: usize,
    pub item: usize,
    pub start: usize,
    pub end: usize,
}

impl Citation {
    /// Where a reader following the citation should land.
    pub fn destination(&self) -> Option<SectionId> {
        match self.status {
            Status::Ok => self.target,
            Status::Stale => self.suggestion,
            Status::Unresolved => None,
        }
    }
}

/// Finds and resolves every citation in the document, in reading order.
pub fn find_all(_doc: &Document) -> Vec<Citation> {
    Vec::new()
}

/// The links to draw over each node's text: one `Vec` per node, in
/// `doc.nodes` order.
pub fn inline_links(doc: &Document, citations: &[Citation]) -> Vec<Vec<InlineLink>> {
    let _ = citations;
    vec![Vec::new(); doc.nodes.len()]
}
