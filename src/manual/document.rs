//! The parsed manual: a tree of parts, groupings, chapters and sections, each
//! holding the blocks of text that belong to it.
//!
//! This is the one in-memory model everything downstream reads: the content
//! writer, the indexer, the citation resolver and the reader. Every block
//! remembers the source lines it came from, which is how the "nothing is lost"
//! guarantee is checked.

use serde::Serialize;

use crate::manual::ids::{NodeId, SectionId};

/// The whole manual.
#[derive(Debug, Clone)]
pub struct Document {
    /// Every node in reading order (parts, groupings, chapters, sections).
    pub nodes: Vec<Node>,
    /// Source lines dropped as running page headers (1-based).
    pub noise_lines: Vec<usize>,
    /// What the parser could not reconcile, for `setproc build` to report.
    pub warnings: Vec<Warning>,
}

/// A part, grouping, chapter or section.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: NodeId,
    pub title: String,
    /// Page in the printed manual, from the contents list.
    pub page: Option<u32>,
    pub parent: Option<NodeId>,
    /// Depth in the tree: parts are 0.
    pub depth: u8,
    /// 1-based source line of the heading, if the body has one.
    pub line: Option<usize>,
    /// Whether the manual's contents list names this node.
    pub in_contents: bool,
    pub blocks: Vec<Block>,
    /// Numbered paragraphs, in order, as spans over `blocks`.
    pub paragraphs: Vec<Paragraph>,
}

impl Node {
    pub fn section_id(&self) -> Option<SectionId> {
        self.id.section()
    }

    /// All source lines this node accounts for: its heading and its blocks.
    pub fn source_lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.line
            .into_iter()
            .chain(self.blocks.iter().flat_map(|b| b.lines()))
    }
}

/// A numbered paragraph: the block that carries its number and the unnumbered
/// blocks (lists, follow-on text) up to the next number or sub-heading.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Paragraph {
    pub id: SectionId,
    /// Index of the first block.
    pub start: usize,
    /// One past the last block.
    pub end: usize,
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// Nesting depth, 0 for the outermost level.
    pub depth: u8,
    /// An explicit marker kept from the text (`3.`), `None` for a bullet.
    pub marker: Option<String>,
    /// Inline markdown.
    pub text: String,
    pub lines: Vec<usize>,
}

/// A block of body text. Text is inline markdown (emphasis, links) exactly as
/// the manual has it, with dead links already reduced to their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Para {
        number: Option<SectionId>,
        text: String,
        lines: Vec<usize>,
    },
    List {
        items: Vec<ListItem>,
    },
    /// An unnumbered sub-heading inside a section ("Multi-agency checks").
    Heading {
        text: String,
        line: usize,
    },
    Table {
        rows: Vec<Vec<String>>,
        lines: Vec<usize>,
    },
}

impl Block {
    /// Every source line the block was made from (1-based).
    pub fn lines(&self) -> Vec<usize> {
        match self {
            Block::Para { lines, .. } | Block::Table { lines, .. } => lines.clone(),
            Block::Heading { line, .. } => vec![*line],
            Block::List { items } => items.iter().flat_map(|i| i.lines.iter().copied()).collect(),
        }
    }
}

/// Something the build reports instead of silently dropping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based source line, when there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}
