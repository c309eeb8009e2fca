//! Old numbers that keep working: where each chapter, section and
//! paragraph of an older edition is in this one, kept beside a build in
//! `editions.json`, and `ID@EDITION` references resolved through it.
//!
//! `setproc build --source NEW --previous OLD` (or with the previous build
//! found in the content folder) writes the map from OLD to NEW, and every
//! map OLD's own build held, carried on to NEW, so a bookmark made three
//! editions ago still lands. A reference typed, linked or bookmarked in an
//! old edition's terms resolves with a note, as a stale citation does:
//! "B24.8 in June 2025 is B25.8 in April 2026".

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::edition::diff::Diff;
use crate::manual::edition::Edition;
use crate::manual::ids::{NodeId, SectionId};
use crate::store::library::Library;
use crate::store::lookup::{self, LookupError, Target};
use crate::text::hash::FxHashMap as HashMap;

/// One old id whose number is not the same in the new edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub old: SectionId,
    /// Its new id; `None` when it was removed.
    pub new: Option<SectionId>,
    /// For a removed one: where its readers are best sent (its chapter, or
    /// what stood before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<SectionId>,
    /// Its old title (chapters and sections; empty for paragraphs).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
}

impl Move {
    pub fn to(old: SectionId, new: SectionId, title: &str) -> Move {
        Move {
            old,
            new: Some(new),
            near: None,
            title: title.to_string(),
        }
    }

    pub fn gone(old: SectionId, near: Option<SectionId>, title: &str) -> Move {
        Move {
            old,
            new: None,
            near,
            title: title.to_string(),
        }
    }
}

/// Where an old id is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Now {
    /// The same number.
    Same(SectionId),
    Moved(SectionId),
    /// Removed; readers are best sent to `near`.
    Removed {
        near: Option<SectionId>,
    },
}

/// The ids of one edition in another's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMap {
    pub from: Edition,
    pub to: Edition,
    /// Only ids whose number changed; every other id is the same.
    pub moves: Vec<Move>,
}

impl IdMap {
    /// Where `old` (an id of `from`) is in `to`.
    pub fn get(&self, old: SectionId) -> Now {
        match self.moves.iter().find(|m| m.old == old) {
            None => Now::Same(old),
            Some(Move { new: Some(n), .. }) => Now::Moved(*n),
            Some(Move { near, .. }) => Now::Removed { near: *near },
        }
    }

    /// The old title recorded for `old`, if any.
    pub fn old_title(&self, old: SectionId) -> Option<&str> {
        self.moves
            .iter()
            .find(|m| m.old == old && !m.title.is_empty())
            .map(|m| m.title.as_str())
    }

    /// This map (from → to) followed by `next` (to → next.to).
    pub fn then(&self, next: &IdMap) -> IdMap {
        let mut moves: Vec<Move> = Vec::new();
        let mut seen: HashMap<SectionId, ()> = HashMap::default();
        let through = |id: SectionId| next.get(id);
        for m in &self.moves {
            seen.insert(m.old, ());
            let now = match m.new {
                Some(n) => through(n),
                None => Now::Removed {
                    near: m.near.and_then(|x| match through(x) {
                        Now::Same(y) | Now::Moved(y) => Some(y),
                        Now::Removed { near } => near,
                    }),
                },
            };
            moves.extend(moved(m.old, now, &m.title));
        }
        for m in &next.moves {
            if !seen.contains_key(&m.old) {
                moves.push(m.clone());
            }
        }
        IdMap {
            from: self.from.clone(),
            to: next.to.clone(),
            moves,
        }
    }
}

fn moved(old: SectionId, now: Now, title: &str) -> Option<Move> {
    match now {
        Now::Same(n) | Now::Moved(n) if n == old => None,
        Now::Same(n) | Now::Moved(n) => Some(Move::to(old, n, title)),
        Now::Removed { near } => Some(Move::gone(old, near, title)),
    }
}

/// What a build keeps about earlier editions (`editions.json` beside the
/// manifest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub schema: u32,
    /// The edition this history belongs to (the build's).
    pub edition: Edition,
    /// From each earlier edition to this one, latest first.
    pub maps: Vec<IdMap>,
    /// What changed since the edition before this one (only what changed).
    pub changes: Option<Diff>,
}

pub const FILE: &str = "editions.json";
pub const SCHEMA: u32 = 1;

impl History {
    /// The history of a build whose previous edition was diffed as `diff`
    /// with `map`, carrying on the maps the previous build held.
    pub fn after(diff: &Diff, map: IdMap, previous: Option<&History>) -> History {
        let mut maps = vec![map.clone()];
        for older in previous.map(|h| h.maps.as_slice()).unwrap_or(&[]) {
            if older.from != map.from && older.from != map.to {
                maps.push(older.then(&map));
            }
        }
        let mut changes = diff.clone();
        changes.entries.retain(|e| e.is_news());
        History {
            schema: SCHEMA,
            edition: diff.new_edition.clone(),
            maps,
            changes: Some(changes),
        }
    }

    /// The map from the edition `name` names (a date such as "June 2025",
    /// or a hash), if this build has one.
    pub fn map_from(&self, name: &str) -> Option<&IdMap> {
        self.maps.iter().find(|m| m.from.is_named(name))
    }

    /// Reads `editions.json` from a content folder: `None` when there is
    /// none (a build with no previous edition).
    pub fn load(dir: &Path) -> Result<Option<History>, String> {
        let path = dir.join(FILE);
        // Through a build's commit still being applied, as the markdown
        // beside it is read: else a build killed half-way through moving
        // its files showed one build's markdown with the other's history.
        let text = match crate::store::commit::read(dir, FILE) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let h: History = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is damaged ({e}); rebuild with --previous",
                path.display()
            )
        })?;
        if h.schema != SCHEMA {
            return Err(format!(
                "{} has format {} (this setproc reads {SCHEMA})",
                path.display(),
                h.schema
            ));
        }
        Ok(Some(h))
    }

    /// As written into a content folder (pretty JSON), by the build it
    /// belongs to and in the same commit as its files.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the history serialises") + "\n"
    }
}

/// Why an `ID@EDITION` reference did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AtError {
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error("this build knows no edition '{name}' (it is {current}{known})")]
    UnknownEdition {
        name: String,
        current: String,
        known: String,
    },
    #[error(
        "'{0}' is not an id or citation; before @ give one (B24.8@June 2025, A3.4.22@June 2025)"
    )]
    NotAnId(String),
}

/// Resolves what a user typed, which may name an older edition's id:
/// `B24.8@June 2025` (the date as the title page prints it, or the first
/// eight or more digits of the text hash). Without `@`, as
/// [`lookup::lookup_with_note`].
pub fn lookup_at(
    lib: &Library,
    history: Option<&History>,
    input: &str,
) -> Result<(Target, Option<String>), AtError> {
    let Some((reference, edition)) = input.rsplit_once('@') else {
        return Ok(lookup::lookup_with_note(lib, input)?);
    };
    let (reference, edition) = (reference.trim(), edition.trim());
    if lib.edition.is_named(edition) {
        return Ok(lookup::lookup_with_note(lib, reference)?);
    }
    let map = history.and_then(|h| h.map_from(edition)).ok_or_else(|| {
        let older: Vec<String> = history
            .map(|h| h.maps.iter().map(|m| m.from.label().to_string()).collect())
            .unwrap_or_default();
        AtError::UnknownEdition {
            name: edition.to_string(),
            current: lib.edition.label().to_string(),
            known: if older.is_empty() {
                "; it records no earlier edition".to_string()
            } else {
                format!("; earlier editions it maps: {}", older.join(", "))
            },
        }
    })?;
    let id = old_number(lib, reference).ok_or_else(|| AtError::NotAnId(reference.to_string()))?;
    let (then, now) = (map.from.label(), lib.edition.label());
    let (found, note) = match map.get(id) {
        Now::Same(n) => (n, format!("{id} in {then} is still {n} in {now}")),
        Now::Moved(n) => (n, format!("{id} in {then} is {n} in {now}")),
        Now::Removed { near } => {
            let title = map
                .old_title(id)
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            let near = near.ok_or_else(|| LookupError::NotFound {
                kind: "section",
                wanted: format!("{id}@{then}"),
                nearest: Vec::new(),
            })?;
            (
                near,
                format!(
                    "{id}{title} in {then} was removed in {now}; showing {near}, where it stood"
                ),
            )
        }
    };
    let target = lookup::lookup(lib, &NodeId::Section(found).to_string())?;
    Ok((target, Some(note)))
}

/// The number a reference gives: an id (`B24.8`), or the number a
/// citation cites ("Part B, chapter 25, Online forms of abuse" → `B25`),
/// taken as written, since it is the old edition's.
fn old_number(lib: &Library, reference: &str) -> Option<SectionId> {
    let trimmed = reference.trim_end_matches(['.', ',', ';', ':']);
    if let Ok(id) = trimmed.parse() {
        return Some(id);
    }
    crate::cite::resolve_text(lib.targets(), trimmed, None)
        .first()
        .and_then(|c| c.cited.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid(s: &str) -> SectionId {
        s.parse().unwrap()
    }

    fn ed(d: &str) -> Edition {
        Edition {
            date: d.into(),
            hash: format!("{:0>16}", d.len()),
        }
    }

    #[test]
    fn maps_compose_across_editions() {
        let a_b = IdMap {
            from: ed("2025"),
            to: ed("2026"),
            moves: vec![
                Move::to(sid("B24.8"), sid("B25.8"), "Online Exploitation"),
                Move::gone(sid("A3.7"), Some(sid("A3")), "Interviews"),
            ],
        };
        let b_c = IdMap {
            from: ed("2026"),
            to: ed("2027"),
            moves: vec![
                Move::to(sid("B25.8"), sid("B26.8"), ""),
                Move::to(sid("A3"), sid("A4"), ""),
                Move::to(sid("B1"), sid("B2"), ""),
            ],
        };
        let a_c = a_b.then(&b_c);
        assert_eq!(a_c.get(sid("B24.8")), Now::Moved(sid("B26.8")));
        assert_eq!(
            a_c.get(sid("A3.7")),
            Now::Removed {
                near: Some(sid("A4"))
            }
        );
        assert_eq!(a_c.get(sid("B1")), Now::Moved(sid("B2")));
        assert_eq!(a_c.get(sid("A9.1")), Now::Same(sid("A9.1")));
        assert_eq!(a_c.old_title(sid("A3.7")), Some("Interviews"));
        assert_eq!(
            (a_c.from.date.as_str(), a_c.to.date.as_str()),
            ("2025", "2027")
        );
    }
}
