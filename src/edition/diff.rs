//! What changed between two editions, section by section: each chapter
//! and section of the new edition (and each removed one, at its old place)
//! with a [`Status`], its old and new numbers, its titles and a word-level
//! diff of its text.
//!
//! A chapter whose number changed with all its sections is one entry: its
//! sections, renumbered with it and otherwise unchanged, are `folded` into
//! it (listed only on request); a section of such a chapter that also
//! changed keeps an entry of its own.

use serde::{Deserialize, Serialize};

use crate::edition::map::{IdMap, Move};
use crate::edition::matching::{Matching, match_units};
use crate::edition::units::{Para, Unit, fold_phrase, units, units_of_document};
use crate::edition::words::{WordDiff, diff_words};
use crate::manual::edition::Edition;
use crate::manual::ids::SectionId;
use crate::manual::parse::{ParseError, parse};
use crate::store::library::Library;

/// What happened to a chapter or section between two editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Unchanged,
    /// Same number; the title, the text or the paragraph numbering differs.
    Changed,
    /// Another number (or, for a chapter, another grouping of Part B);
    /// `changed` says whether its title or text changed too.
    Renumbered,
    Added,
    Removed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Changed => "changed",
            Status::Renumbered => "renumbered",
            Status::Added => "added",
            Status::Removed => "removed",
        }
    }
}

/// One chapter or section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub status: Status,
    pub old: Option<SectionId>,
    pub new: Option<SectionId>,
    /// The new title (the old one for a removed unit).
    pub title: String,
    /// The old title, when it differs.
    pub old_title: Option<String>,
    /// Whether the title, text or paragraph numbering changed.
    pub changed: bool,
    pub words_added: usize,
    pub words_removed: usize,
    /// The word diff of the text, in context.
    #[serde(default)]
    pub words: WordDiff,
    /// The Part B grouping a chapter left and joined, when it moved.
    #[serde(default)]
    pub moved: Option<(String, String)>,
    /// Paragraphs whose number within the section changed (old, new).
    #[serde(default)]
    pub paragraphs: Vec<(SectionId, SectionId)>,
    /// A section renumbered with its chapter and otherwise unchanged.
    #[serde(default)]
    pub folded: bool,
    /// Where it stands, as a heading: "Part A", "Part B3: Safeguarding
    /// Children Practice Guidance".
    #[serde(default)]
    pub part: String,
}

impl Entry {
    /// The id to show: the new one, or the old for a removed unit.
    pub fn id(&self) -> SectionId {
        self.new
            .or(self.old)
            .expect("an entry has an old or a new id")
    }

    /// Whether it is worth listing (not unchanged, not folded).
    pub fn is_news(&self) -> bool {
        self.status != Status::Unchanged && !self.folded
    }
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub old_edition: Edition,
    pub new_edition: Edition,
    /// New reading order; removed units at their old place.
    pub entries: Vec<Entry>,
}

impl Diff {
    /// How many listed entries have each status (folded ones apart).
    pub fn count(&self, status: Status) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status == status && !e.folded)
            .count()
    }

    pub fn folded(&self) -> usize {
        self.entries.iter().filter(|e| e.folded).count()
    }

    /// The entry for a unit of the new edition.
    pub fn entry_for_new(&self, id: SectionId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.new == Some(id))
    }
}

/// One edition as compared: its identity and its units.
#[derive(Debug, Clone)]
pub struct Side {
    pub edition: Edition,
    pub units: Vec<Unit>,
}

impl Side {
    pub fn of_library(lib: &Library) -> Side {
        Side {
            edition: lib.edition.clone(),
            units: units(lib),
        }
    }

    /// A source text, parsed but with its citations left unresolved: they
    /// are not words, and resolving them was most of a comparison's time.
    pub fn of_source(source: &str) -> Result<Side, ParseError> {
        let doc = parse(source)?;
        Ok(Side {
            edition: Edition::of(source),
            units: units_of_document(&doc),
        })
    }
}

/// Compares two loaded editions (reading both at once).
pub fn diff(old: &Library, new: &Library) -> (Diff, IdMap) {
    let (o, n) = std::thread::scope(|s| {
        let o = s.spawn(|| Side::of_library(old));
        let n = Side::of_library(new);
        (o.join().expect("reading an edition does not panic"), n)
    });
    diff_sides(&o, &n)
}

/// Compares two editions.
pub fn diff_sides(old: &Side, new: &Side) -> (Diff, IdMap) {
    let (ou, nu) = (&old.units, &new.units);
    let m = match_units(ou, nu);
    let mut entries: Vec<(usize, Entry)> = Vec::new(); // (new unit index, entry)
    for (n, nunit) in nu.iter().enumerate() {
        let e = match m.old_of_new[n] {
            Some(o) => paired(ou, nu, &m, o, n),
            None => one_sided(Status::Added, nunit),
        };
        entries.push((n, e));
    }
    let entries = with_removed(entries, ou, &m);
    let map = id_map(old, new, &m);
    let diff = Diff {
        old_edition: old.edition.clone(),
        new_edition: new.edition.clone(),
        entries,
    };
    (diff, map)
}

fn one_sided(status: Status, u: &Unit) -> Entry {
    let (old, new) = match status {
        Status::Removed => (Some(u.id), None),
        _ => (None, Some(u.id)),
    };
    Entry {
        status,
        old,
        new,
        title: u.title.clone(),
        old_title: None,
        changed: false,
        words_added: if status == Status::Added { u.len() } else { 0 },
        words_removed: if status == Status::Removed {
            u.len()
        } else {
            0
        },
        words: WordDiff::default(),
        moved: None,
        paragraphs: Vec::new(),
        folded: false,
        part: part_heading(u),
    }
}

/// "Part A", or the grouping: "Part B3: …".
fn part_heading(u: &Unit) -> String {
    u.group
        .clone()
        .unwrap_or_else(|| format!("Part {}", u.id.part()))
}

/// The entry for a matched pair.
fn paired(ou: &[Unit], nu: &[Unit], m: &Matching, o: usize, n: usize) -> Entry {
    let (a, b) = (&ou[o], &nu[n]);
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let title_changed = squash(&a.title) != squash(&b.title);
    let words = diff_words(a.words(), b.words());
    let paragraphs = renumbered_paragraphs(a, b);
    let changed = title_changed || !words.is_empty() || !paragraphs.is_empty();
    let moved = match (&a.group, &b.group) {
        (Some(x), Some(y)) if a.is_chapter() && fold_phrase(x) != fold_phrase(y) => {
            Some((x.clone(), y.clone()))
        }
        _ => None,
    };
    let status = if a.id != b.id || moved.is_some() {
        Status::Renumbered
    } else if changed {
        Status::Changed
    } else {
        Status::Unchanged
    };
    // Renumbered only because its chapter was, as the chapter's entry says.
    let folded = status == Status::Renumbered
        && !changed
        && !a.is_chapter()
        && a.id.nums()[1] == b.id.nums()[1]
        && a.id.chapter_id() != b.id.chapter_id()
        && chapters_paired(ou, nu, m, a.id.chapter_id(), b.id.chapter_id());
    Entry {
        status,
        old: Some(a.id),
        new: Some(b.id),
        title: b.title.clone(),
        old_title: title_changed.then(|| a.title.clone()),
        changed,
        words_added: words.added,
        words_removed: words.removed,
        words,
        moved,
        paragraphs,
        folded,
        part: part_heading(b),
    }
}

fn chapters_paired(ou: &[Unit], nu: &[Unit], m: &Matching, a: SectionId, b: SectionId) -> bool {
    let oc = ou.iter().position(|u| u.id == a);
    let nc = nu.iter().position(|u| u.id == b);
    matches!((oc, nc), (Some(o), Some(n)) if m.new_of_old[o] == Some(n))
}

/// Paragraphs whose number within their section changed (a paragraph
/// inserted before them, say): matched by their words.
fn renumbered_paragraphs(a: &Unit, b: &Unit) -> Vec<(SectionId, SectionId)> {
    para_pairs(a, b)
        .into_iter()
        .filter_map(|(x, y)| {
            let y = y?;
            (x.nums().last() != y.nums().last()).then_some((x, y))
        })
        .collect()
}

/// Each old paragraph of a matched pair of units and the new one it is:
/// the same words first (in order), then, between those, paragraphs in the
/// same place, or the most alike.
pub fn para_pairs(a: &Unit, b: &Unit) -> Vec<(SectionId, Option<SectionId>)> {
    use similar::{Algorithm, DiffOp, capture_diff_slices};
    let fp = |u: &Unit, p: &Para| -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = crate::text::hash::FxBuild.build_hasher();
        for k in u.para_keys(p) {
            h.write_u64(*k);
        }
        h.finish()
    };
    let af: Vec<u64> = a.paras.iter().map(|p| fp(a, p)).collect();
    let bf: Vec<u64> = b.paras.iter().map(|p| fp(b, p)).collect();
    let mut out: Vec<(SectionId, Option<SectionId>)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &af, &bf) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    out.push((a.paras[old_index + k].id, Some(b.paras[new_index + k].id)));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for k in 0..old_len {
                    out.push((a.paras[old_index + k].id, None));
                }
            }
            DiffOp::Insert { .. } => {}
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let olds = &a.paras[old_index..old_index + old_len];
                let news = &b.paras[new_index..new_index + new_len];
                out.extend(pair_edited(a, olds, b, news));
            }
        }
    }
    out
}

/// Edited paragraphs between unchanged ones: one for one in place when
/// the counts agree, else each old one with the new one sharing most of
/// its words (at least half).
fn pair_edited(
    a: &Unit,
    olds: &[Para],
    b: &Unit,
    news: &[Para],
) -> Vec<(SectionId, Option<SectionId>)> {
    if olds.len() == news.len() {
        return olds
            .iter()
            .zip(news)
            .map(|(x, y)| (x.id, Some(y.id)))
            .collect();
    }
    let set = |u: &Unit, p: &Para| -> Vec<u64> {
        let mut v = u.para_keys(p).to_vec();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut taken = vec![false; news.len()];
    olds.iter()
        .map(|x| {
            let xs = set(a, x);
            let best = news
                .iter()
                .enumerate()
                .filter(|(k, _)| !taken[*k])
                .map(|(k, y)| (crate::edition::units::similarity(&xs, &set(b, y)), k))
                .max_by(|p, q| p.0.total_cmp(&q.0));
            match best {
                Some((s, k)) if s >= 0.5 => {
                    taken[k] = true;
                    (x.id, Some(news[k].id))
                }
                _ => (x.id, None),
            }
        })
        .collect()
}

/// The entries with removed units put back at their old place: after the
/// entry of the last unit before them that is still there.
fn with_removed(entries: Vec<(usize, Entry)>, ou: &[Unit], m: &Matching) -> Vec<Entry> {
    let mut removed_after: Vec<Vec<Entry>> = vec![Vec::new(); m.old_of_new.len() + 1];
    for (o, u) in ou.iter().enumerate() {
        if m.new_of_old[o].is_some() {
            continue;
        }
        let anchor = (0..o).rev().find_map(|p| m.new_of_old[p]);
        // Slot 0 is "before everything"; slot n + 1 is after new unit n.
        let slot = anchor.map_or(0, |n| n + 1);
        removed_after[slot].push(one_sided(Status::Removed, u));
    }
    let mut out = std::mem::take(&mut removed_after[0]);
    for (n, e) in entries {
        out.push(e);
        out.append(&mut removed_after[n + 1]);
    }
    out
}

/// The id map: every chapter, section and paragraph of the old edition
/// whose number is not the same in the new, and where it went.
fn id_map(old: &Side, new: &Side, m: &Matching) -> IdMap {
    let (ou, nu) = (&old.units, &new.units);
    let mut moves = Vec::new();
    for (o, a) in ou.iter().enumerate() {
        match m.new_of_old[o] {
            Some(n) => {
                let b = &nu[n];
                if a.id != b.id {
                    moves.push(Move::to(a.id, b.id, &a.title));
                }
                for (x, y) in para_pairs(a, b) {
                    match y {
                        Some(y) if y != x => moves.push(Move::to(x, y, "")),
                        Some(_) => {}
                        None => moves.push(Move::gone(x, Some(b.id), "")),
                    }
                }
            }
            None => {
                let near = nearest_surviving(ou, nu, m, o);
                moves.push(Move::gone(a.id, near, &a.title));
                for p in &a.paras {
                    moves.push(Move::gone(p.id, near, ""));
                }
            }
        }
    }
    IdMap {
        from: old.edition.clone(),
        to: new.edition.clone(),
        moves,
    }
}

/// Where a removed unit's readers are best sent: its chapter's new place
/// if the chapter is still there, else the last unit before it that is.
fn nearest_surviving(ou: &[Unit], nu: &[Unit], m: &Matching, o: usize) -> Option<SectionId> {
    let chapter = ou[o].id.chapter_id();
    if let Some(c) = ou.iter().position(|u| u.id == chapter)
        && let Some(n) = m.new_of_old[c]
    {
        return Some(nu[n].id);
    }
    (0..o).rev().find_map(|p| m.new_of_old[p]).map(|n| nu[n].id)
}
