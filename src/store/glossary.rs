//! The glossary of a loaded manual, for `setproc glossary` and the
//! reader's glossary list: every acronym the search knows (Appendix 5 and
//! "Full Name (ACR)" in the text) with the section that defines it, found
//! either way round (`LADO` ↔ "Local Authority Designated Officer"), and
//! the editors' gaps report over the manual's text.
//!
//! The acronyms themselves are mined by [`crate::terms`]; this file only
//! places them in the loaded manual, so it works the same for the built-in
//! manual and a `--content` folder (whose manifest carries them).

use crate::manual::ids::NodeId;
use crate::store::library::Library;
use crate::store::lookup::edit_distance;
use crate::terms::AcronymSource;
use crate::terms::gaps::{self, Gaps};
use crate::text::markup::markdown_to_text;

/// Where an entry is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The manual's acronym guide (Appendix 5).
    Glossary,
    /// Spelled out in the text: "Full Name (ACR)" or "ACR (Full Name)".
    Text,
}

/// One acronym and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// As the manual writes it: `LADO`, `DfE`, `SET CAMHS`.
    pub short: String,
    pub long: String,
    pub source: Source,
    /// The section defining it (the glossary's, for its entries).
    pub node: Option<NodeId>,
    /// 1-based source line of a definition in the text.
    pub line: Option<usize>,
}

impl Entry {
    /// Whether every word of `query` (lower case) is in the short or long
    /// form: what the reader's list filters by as you type.
    pub fn matches(&self, query_words: &[String]) -> bool {
        let hay = format!("{} {}", self.short, self.long).to_lowercase();
        query_words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// Every acronym of the manual, alphabetically (case aside).
pub fn entries(lib: &Library) -> Vec<Entry> {
    let vocab = lib.vocabulary();
    let mut out: Vec<Entry> = vocab
        .acronyms
        .iter()
        .map(|a| match a.source {
            AcronymSource::Glossary => Entry {
                short: a.short.clone(),
                long: a.long.clone(),
                source: Source::Glossary,
                node: vocab.glossary_node,
                line: None,
            },
            AcronymSource::Inline { line } => Entry {
                short: a.short.clone(),
                long: a.long.clone(),
                source: Source::Text,
                node: node_at_line(lib, line),
                line: Some(line),
            },
        })
        .collect();
    out.sort_by_cached_key(|e| (e.short.to_lowercase(), e.short.clone()));
    out
}

/// What `setproc glossary TERM` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// TERM is an acronym or the full name of one (plurals, case and a
    /// leading "the" aside).
    Exact(Entry),
    /// Entries holding every word of TERM.
    Partial(Vec<Entry>),
    /// Nothing: the acronyms nearest in spelling.
    Nothing { nearest: Vec<String> },
}

/// Looks `term` up both ways: as an acronym, then as a full name, then as
/// words in either.
pub fn find(lib: &Library, term: &str) -> Found {
    let vocab = lib.vocabulary();
    let term = term.trim();
    let words: Vec<&str> = term.split_whitespace().collect();
    // Asked for by name, so an acronym that is also a word (`SEND`) counts.
    let exact = vocab
        .expand_acronym(term, &|_| false)
        .or_else(|| vocab.acronym_for_phrase(&words));
    let all = entries(lib);
    if let Some(a) = exact
        && let Some(e) = all.iter().find(|e| e.short == a.short)
    {
        return Found::Exact(e.clone());
    }
    let query: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let partial: Vec<Entry> = all.iter().filter(|e| e.matches(&query)).cloned().collect();
    if !partial.is_empty() {
        return Found::Partial(partial);
    }
    let wanted = term.to_uppercase();
    let mut near: Vec<(usize, &str)> = all
        .iter()
        .map(|e| {
            (
                edit_distance(&wanted, &e.short.to_uppercase()),
                e.short.as_str(),
            )
        })
        .filter(|(d, _)| *d <= 2.max(wanted.chars().count() / 3))
        .collect();
    near.sort();
    Found::Nothing {
        nearest: near
            .into_iter()
            .take(3)
            .map(|(_, s)| s.to_string())
            .collect(),
    }
}

/// The gaps report ([`gaps::gaps`]) over the manual's text.
pub fn gaps(lib: &Library) -> Gaps {
    let texts: Vec<(NodeId, String)> = lib
        .metas
        .iter()
        .zip(&lib.bodies)
        .map(|(m, b)| (m.id, markdown_to_text(b)))
        .collect();
    gaps::gaps(lib.vocabulary(), &texts, gaps::OFTEN)
}

/// The innermost node whose source lines hold `line`.
pub fn node_at_line(lib: &Library, line: usize) -> Option<NodeId> {
    lib.metas
        .iter()
        .filter_map(|m| m.lines.map(|(a, b)| (m.id, a, b)))
        .filter(|&(_, a, b)| a <= line && line <= b)
        .min_by_key(|&(_, a, b)| b - a)
        .map(|(id, _, _)| id)
}
