//! Reading the index's documents: an id typed as the query, the documents
//! of a node, the node and text of a paragraph.

use std::collections::HashMap;

use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::{Engine, Highlighter, Hit};
use crate::manual::ids::{NodeId, SectionId};

impl Engine<'_> {
    /// A query that is just an id (`B24.8`, `a3.4.22`): that section (at
    /// that paragraph), so typing a number in the search box works like
    /// go-to. `None` when the text is not an id the index has.
    pub(super) fn id_hit(&mut self, raw: &str) -> Option<Hit> {
        let id: NodeId = raw.trim().parse().ok()?;
        let addr = match id {
            NodeId::Section(p) if p.level() == crate::manual::ids::Level::Paragraph => {
                self.paragraph_doc(p)?
            }
            _ => {
                let section = id.section()?;
                let ord = self
                    .idx
                    .nodes
                    .iter()
                    .position(|n| n.id.section() == Some(section))?;
                // The section's first chunk: its opening.
                self.docs_of(ord).into_iter().next()?
            }
        };
        let ord = self.node_ord(addr)?;
        let info = self.idx.nodes.get(ord)?.clone();
        let (paragraph, text) = self.chunk_of(addr);
        let (snippet, highlights) =
            Highlighter::new(&HashMap::new()).snippet(&text, &mut self.stemmer, 220);
        Some(Hit {
            id: info.id,
            breadcrumb: self.idx.breadcrumb(ord),
            title: info.title,
            score: 1.0,
            paragraph,
            snippet,
            highlights,
            found_by: vec!["id"],
        })
    }

    /// The documents of the node at `ord`, in order (found by the fast
    /// field: the index holds no term for ids, which only this needs).
    pub(super) fn docs_of(&mut self, ord: usize) -> Vec<DocAddress> {
        let readers = self.searcher.segment_readers().len();
        let mut out = Vec::new();
        for seg in 0..readers {
            let max = self.searcher.segment_reader(seg as u32).max_doc();
            for doc in 0..max {
                let addr = DocAddress::new(seg as u32, doc);
                if self.node_ord(addr) == Some(ord) {
                    out.push(addr);
                }
            }
        }
        out
    }

    /// The document of paragraph `p`, in the node that holds it.
    pub(super) fn paragraph_doc(&mut self, p: SectionId) -> Option<DocAddress> {
        let ord = self.idx.paragraph_node(p)?;
        self.docs_of(ord)
            .into_iter()
            .find(|&a| self.chunk_of(a).0 == Some(p))
    }

    /// The node position of a document, from the fast field.
    pub(super) fn node_ord(&mut self, addr: DocAddress) -> Option<usize> {
        let seg = addr.segment_ord as usize;
        if self.ord_columns.len() <= seg {
            self.ord_columns = self
                .searcher
                .segment_readers()
                .iter()
                .map(|r| r.fast_fields().u64("node_ord").ok())
                .collect();
        }
        let col = self.ord_columns.get(seg)?.as_ref()?;
        col.first(addr.doc_id).map(|v| v as usize)
    }

    /// A chunk's paragraph id and text (one document-store read).
    pub(super) fn chunk_of(&self, addr: DocAddress) -> (Option<SectionId>, String) {
        let f = self.fields();
        let Ok(doc) = self.searcher.doc::<TantivyDocument>(addr) else {
            return (None, String::new());
        };
        let get = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        (
            get(f.para).and_then(|p| p.parse().ok()),
            get(f.text).unwrap_or_default(),
        )
    }
}
