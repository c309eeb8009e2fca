//! A ranked section as a result: its best paragraph (by the words, or by
//! meaning when the words did not find it), a snippet with the matched
//! words, and what found it.

use std::collections::{BTreeSet, HashSet};

use tantivy::DocAddress;

use super::dense::{Nearest, UnitKind};
use super::expand::{Concept, Origin};
use super::{Engine, Highlighter, Hit};
use crate::text::analysis::{is_stopword, tokenize};

/// Sections this near the top of the meaning's ranking count as found by
/// meaning in `found_by`.
const MEANING_RANKS: usize = 10;

/// Where the meaning layer placed a section.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Placed {
    /// Its rank and best unit by meaning.
    pub(super) near: Option<(usize, Nearest)>,
    /// Its rank by its situation lines' words.
    pub(super) told: Option<usize>,
}

impl Engine<'_> {
    /// The result for the section at `ord`: `words` is its best paragraph
    /// by the words, `meaning` where the meaning layer placed it.
    pub(super) fn hit(
        &mut self,
        ord: usize,
        score: f32,
        words: Option<DocAddress>,
        placed: Placed,
        highlight: &Highlighter,
        concepts: &[Concept],
    ) -> Hit {
        let meaning = placed.near;
        let doc = words.or_else(|| self.meaning_doc(ord, meaning.map(|m| m.1)));
        let (paragraph, text) = match doc {
            Some(addr) => self.chunk_of(addr),
            None => (None, String::new()),
        };
        let (snippet, highlights) = highlight.snippet(&text, &mut self.stemmer, 220);
        let info = &self.idx.nodes[ord];
        let mut found_by = match words {
            Some(_) => self.origins_in(concepts, &info.title.clone(), &text),
            None => Vec::new(),
        };
        if let Some((_, near)) = meaning.filter(|m| m.0 < MEANING_RANKS) {
            found_by.push("meaning");
            let kind = self
                .idx
                .dense
                .as_ref()
                .and_then(|d| d.keys.get(near.unit))
                .map(|k| k.kind);
            if kind == Some(UnitKind::Situation) {
                found_by.push("situation");
            }
        }
        if placed.told.is_some_and(|r| r < MEANING_RANKS) && !found_by.contains(&"situation") {
            found_by.push("situation");
        }
        Hit {
            id: info.id,
            title: info.title.clone(),
            breadcrumb: self.idx.breadcrumb(ord),
            score,
            paragraph,
            snippet,
            highlights,
            found_by,
        }
    }

    /// The paragraph a section found by meaning alone is shown at: its best
    /// unit's paragraph, else its opening.
    fn meaning_doc(&mut self, ord: usize, near: Option<Nearest>) -> Option<DocAddress> {
        let para = near
            .and_then(|n| self.idx.dense.as_ref()?.keys.get(n.unit).copied())
            .and_then(|k| k.para);
        if let Some(doc) = para.and_then(|p| self.paragraph_doc(p)) {
            return Some(doc);
        }
        self.docs_of(ord).into_iter().next()
    }

    /// Which kinds of alternative (typed words, acronyms, old terms…) have
    /// every word in the section's title or best paragraph.
    fn origins_in(&mut self, concepts: &[Concept], title: &str, text: &str) -> Vec<&'static str> {
        let present: HashSet<String> = tokenize(title)
            .into_iter()
            .chain(tokenize(text))
            .map(|t| self.stemmer.stem(&t.text))
            .collect();
        let mut origins: BTreeSet<Origin> = BTreeSet::new();
        for a in concepts.iter().flat_map(|c| &c.alternatives) {
            let mut words = a.words.iter().filter(|w| !is_stopword(w)).peekable();
            if words.peek().is_none() {
                continue;
            }
            if words.all(|w| present.contains(self.stemmer.stem_ref(w))) {
                origins.insert(a.origin);
            }
        }
        origins.into_iter().map(Origin::label).collect()
    }
}
