//! Bookmarks, the last position and the sections visited, saved in an
//! older edition, placed in this one through the build's id map: a
//! bookmark on B25.8 made in June 2025 is on B26.8 in April 2026, one on a
//! section since removed is on what replaced it (its chapter), and the
//! reader says what moved. None is dropped: on disk, each is rewritten in
//! this edition's terms (a visit this edition cannot place is kept as it
//! was, for the edition that has it).

use crate::edition::map::Now;
use crate::edition::units::fold_phrase;
use crate::edition::{History, IdMap};
use crate::manual::edition::Edition;
use crate::manual::ids::{NodeId, SectionId};
use crate::store::library::Library;
use crate::tui::store::{Bookmark, Saved, Visit};

/// Where a saved id is in this edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placed {
    pub node: NodeId,
    /// What moved, when it did: "B25.8 in June 2025 is B26.8".
    pub moved: Option<String>,
    /// Whether it was placed through the map from an older edition (and
    /// so is saved again in this edition's terms).
    pub mapped: bool,
}

/// The saved bookmarks placed in this edition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Attached {
    pub bookmarks: Vec<NodeId>,
    /// Saved entries of an older edition and their replacement in this
    /// one's terms (applied on the next save).
    pub replaced: Vec<(Bookmark, Bookmark)>,
    /// What moved, per bookmark now at `NodeId`.
    pub moved: Vec<(NodeId, String)>,
}

/// Places `id` (saved with `title` in `edition`) in `lib`. An id of this
/// edition (or of a file that recorded none) is taken as it is; an older
/// edition's goes through the history's map; one of an edition the build
/// knows nothing of (a later one, say) is shown only where this edition
/// has the same id under the same title, and otherwise left for that
/// edition.
pub(super) fn place(
    lib: &Library,
    history: Option<&History>,
    id: &str,
    title: &str,
    edition: Option<&Edition>,
) -> Option<Placed> {
    let node: NodeId = id.parse().ok()?;
    let here = |n: NodeId| lib.index_of(n).is_some();
    let Some(e) = edition.filter(|e| !same_edition(e, &lib.edition)) else {
        return here(node).then_some(Placed {
            node,
            moved: None,
            mapped: false,
        });
    };
    let Some(map) = map_from(history, e) else {
        let title_agrees = lib
            .meta(node)
            .is_some_and(|m| title.is_empty() || fold_phrase(&m.title) == fold_phrase(title));
        return title_agrees.then_some(Placed {
            node,
            moved: None,
            mapped: false,
        });
    };
    let (then, now) = (map.from.label(), lib.edition.label());
    let NodeId::Section(sid) = node else {
        // Parts and groupings keep their ids.
        return here(node).then_some(Placed {
            node,
            moved: None,
            mapped: true,
        });
    };
    let named = if title.is_empty() {
        sid.to_string()
    } else {
        format!("{sid} ({title})")
    };
    let placed = match map.get(sid) {
        Now::Same(n) => Placed {
            node: NodeId::Section(n),
            moved: None,
            mapped: true,
        },
        Now::Moved(n) => Placed {
            node: NodeId::Section(n),
            moved: Some(format!("{named} in {then} is {n} in {now}")),
            mapped: true,
        },
        Now::Removed { near } => {
            let near = near?;
            Placed {
                node: NodeId::Section(near),
                moved: Some(format!(
                    "{named} in {then} was removed in {now}; now on {near}"
                )),
                mapped: true,
            }
        }
    };
    here(placed.node).then_some(placed)
}

/// The history's map from edition `e`: by hash, else by date.
pub(super) fn map_from<'h>(history: Option<&'h History>, e: &Edition) -> Option<&'h IdMap> {
    let maps = &history?.maps;
    maps.iter()
        .find(|m| !e.hash.is_empty() && m.from.hash == e.hash)
        .or_else(|| maps.iter().find(|m| m.from.date == e.date))
}

/// A saved paragraph id in this edition: through the map when it was saved
/// in an older one, and only if it lies in `node`.
pub(super) fn place_paragraph(
    lib: &Library,
    history: Option<&History>,
    para: &str,
    edition: Option<&Edition>,
    node: NodeId,
) -> Option<SectionId> {
    let id: SectionId = para.parse().ok()?;
    let id = match edition.filter(|e| !same_edition(e, &lib.edition)) {
        None => id,
        Some(e) => match map_from(history, e)?.get(id) {
            Now::Same(n) | Now::Moved(n) => n,
            Now::Removed { .. } => return None,
        },
    };
    let k = lib.paragraph_node(id)?;
    (lib.metas[k].id == node).then_some(id)
}

/// Two editions are one when their hashes agree (or, for a record without
/// a hash, their dates).
pub(super) fn same_edition(a: &Edition, b: &Edition) -> bool {
    if a.hash.is_empty() || b.hash.is_empty() {
        a.date == b.date
    } else {
        a.hash == b.hash
    }
}

/// The saved bookmarks this edition shows, in order, without repeats.
pub(super) fn attach_bookmarks(
    lib: &Library,
    history: Option<&History>,
    saved: &Saved,
) -> Attached {
    let mut out = Attached::default();
    for b in &saved.bookmarks {
        let Some(p) = place(lib, history, &b.id, &b.title, b.edition.as_ref()) else {
            continue;
        };
        if p.mapped {
            out.replaced.push((b.clone(), bookmark_of(lib, p.node)));
        }
        if let Some(note) = p.moved {
            out.moved.push((p.node, note));
        }
        if !out.bookmarks.contains(&p.node) {
            out.bookmarks.push(p.node);
        }
    }
    out
}

/// A bookmark of `node` in this edition's terms.
pub(super) fn bookmark_of(lib: &Library, node: NodeId) -> Bookmark {
    Bookmark {
        id: node.to_string(),
        title: lib.meta(node).map(|m| m.title.clone()).unwrap_or_default(),
        edition: (!lib.edition.hash.is_empty()).then(|| lib.edition.clone()),
    }
}

/// Saved visits with those of an older edition rewritten in this one's
/// terms (through the id map); the rest, this edition's own or ones it
/// cannot place, as they were.
pub(super) fn attach_visits(
    lib: &Library,
    history: Option<&History>,
    saved: &[Visit],
) -> Vec<Visit> {
    saved
        .iter()
        .map(
            |v| match place(lib, history, &v.node, &v.title, v.edition.as_ref()) {
                Some(p) if p.mapped => {
                    let para = v
                        .para
                        .as_deref()
                        .and_then(|s| place_paragraph(lib, history, s, v.edition.as_ref(), p.node));
                    visit_of(lib, p.node, para)
                }
                _ => v.clone(),
            },
        )
        .collect()
}

/// A visit of `node` (opened at `para`) in this edition's terms.
pub(super) fn visit_of(lib: &Library, node: NodeId, para: Option<SectionId>) -> Visit {
    let b = bookmark_of(lib, node);
    Visit {
        node: b.id,
        para: para.map(|p| p.to_string()),
        title: b.title,
        edition: b.edition,
    }
}

/// Whether two saved visits are of one section: the same id, in the same
/// edition (a visit that recorded none, as before editions were, is taken
/// as of any).
pub(super) fn same_visit(a: &Visit, b: &Visit) -> bool {
    a.node == b.node
        && match (&a.edition, &b.edition) {
            (Some(x), Some(y)) => same_edition(x, y),
            _ => true,
        }
}

/// The status line's account of what moved: the position first, then up
/// to two bookmarks.
pub(super) fn moved_message(
    position: Option<&str>,
    bookmarks: &[(NodeId, String)],
) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = position {
        parts.push(format!("Your last place: {p}"));
    }
    if !bookmarks.is_empty() {
        let shown: Vec<&str> = bookmarks.iter().take(2).map(|(_, n)| n.as_str()).collect();
        let more = bookmarks.len().saturating_sub(2);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        parts.push(format!(
            "{} bookmark{} moved: {}{tail} (' lists them)",
            bookmarks.len(),
            if bookmarks.len() == 1 { "" } else { "s" },
            shown.join("; ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}
