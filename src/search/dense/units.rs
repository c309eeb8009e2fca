//! What is embedded: one unit per numbered paragraph (and per run of
//! unnumbered text) prefixed with its chapter's and section's titles, one
//! per section that is only a heading, one per chapter that is only a list
//! of sections (its title and theirs: without it, a chapter such as B34
//! "Self-harm" could never be found by meaning), and one per situation a
//! section answers (`data/situations.tsv`, see [`crate::terms::situations`]).
//! A section's dense score is its best unit's.

use crate::manual::ids::{NodeId, SectionId};
use crate::search::index::{Searchable, searchable};
use crate::store::library::Library;
use crate::terms::situations::Situations;

/// What a unit's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// A numbered paragraph, or text before a section's first one.
    Text,
    /// A section with no text: its titles alone.
    Heading,
    /// A chapter with no text of its own: its title and its sections'.
    Outline,
    /// A situation the section answers, in everyday words.
    Situation,
}

/// One embedded text.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub node: NodeId,
    pub para: Option<SectionId>,
    pub kind: UnitKind,
    pub text: String,
}

/// The units of a library, in reading order (a section's situations after
/// its text).
pub fn units(lib: &Library, situations: &Situations) -> Vec<Unit> {
    let mut out = Vec::new();
    for s in searchable(lib) {
        let head = head(lib, s.id);
        push_text_units(&mut out, &s, &head, lib);
        let now = fingerprint(&s);
        // A line written for other text (the section has changed since) is
        // not this text's description.
        for line in situations
            .of(s.id)
            .filter(|l| l.fingerprint.is_none_or(|f| f == now))
        {
            out.push(Unit {
                node: s.id,
                para: None,
                kind: UnitKind::Situation,
                text: line.text.clone(),
            });
        }
    }
    out
}

/// What a unit's text starts with: its section's title after its
/// chapter's ("Domestic Abuse > Impact on children"), or a chapter's own.
pub fn head(lib: &Library, id: NodeId) -> String {
    let Some(meta) = lib.meta(id) else {
        return String::new();
    };
    let chapter = meta
        .parent
        .filter(|p| p.section().is_some())
        .and_then(|p| lib.meta(p))
        .map(|m| m.title.as_str());
    match chapter {
        Some(c) => format!("{c} > {}", meta.title),
        None => meta.title.clone(),
    }
}

/// A fingerprint of a section's text, as its situations record it.
pub fn fingerprint(s: &Searchable) -> u64 {
    let mut all = String::new();
    for c in &s.chunks {
        all.push_str(&c.text);
        all.push('\n');
    }
    crate::text::hash::fx_hash(all.as_bytes())
}

fn push_text_units(out: &mut Vec<Unit>, s: &Searchable, head: &str, lib: &Library) {
    let has_text = s.chunks.iter().any(|c| !c.text.is_empty());
    if !has_text {
        let children: Vec<&str> = lib
            .metas
            .iter()
            .filter(|m| m.parent == Some(s.id))
            .map(|m| m.title.as_str())
            .collect();
        let (kind, text) = if children.is_empty() {
            (UnitKind::Heading, head.to_string())
        } else {
            (
                UnitKind::Outline,
                format!("{head}: {}", children.join("; ")),
            )
        };
        out.push(Unit {
            node: s.id,
            para: None,
            kind,
            text,
        });
        return;
    }
    for c in s.chunks.iter().filter(|c| !c.text.is_empty()) {
        // The paragraph's own number says nothing of its meaning.
        let body = match c.para {
            Some(p) => c
                .text
                .strip_prefix(p.number().as_str())
                .unwrap_or(&c.text)
                .trim_start(),
            None => c.text.as_str(),
        };
        out.push(Unit {
            node: s.id,
            para: c.para,
            kind: UnitKind::Text,
            text: format!("{head}: {body}"),
        });
    }
}
