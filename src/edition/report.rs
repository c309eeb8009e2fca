//! A [`Diff`] for people and programs: plain text for the terminal, a
//! markdown briefing in the manual's own style (a table per part of
//! chapter, title and what changed, like the SET "May 2019 updated
//! chapters" briefing, ready for a trainer), and the JSON contract of
//! `setproc diff --json`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::edition::diff::{Diff, Entry, Status};
use crate::edition::words::{Piece, inline};
use crate::manual::ids::SectionId;

/// One entry of `setproc diff --json`: exactly these fields, ids as
/// strings, null where there is none.
#[derive(Debug, Serialize)]
pub struct JsonEntry<'a> {
    pub status: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
    pub title: &'a str,
    pub old_title: Option<&'a str>,
    pub changed: bool,
    pub words_added: usize,
    pub words_removed: usize,
}

/// `setproc diff --json`.
#[derive(Debug, Serialize)]
pub struct JsonDiff<'a> {
    pub old_edition: &'a str,
    pub new_edition: &'a str,
    pub sections: Vec<JsonEntry<'a>>,
}

/// The JSON view: every chapter and section, unchanged ones included;
/// sections folded into their renumbered chapter only when `all`.
pub fn json(diff: &Diff, all: bool) -> JsonDiff<'_> {
    JsonDiff {
        old_edition: diff.old_edition.label(),
        new_edition: diff.new_edition.label(),
        sections: diff
            .entries
            .iter()
            .filter(|e| all || !e.folded)
            .map(|e| JsonEntry {
                status: e.status.as_str(),
                old: e.old.map(|i| i.to_string()),
                new: e.new.map(|i| i.to_string()),
                title: &e.title,
                old_title: e.old_title.as_deref(),
                changed: e.changed,
                words_added: e.words_added,
                words_removed: e.words_removed,
            })
            .collect(),
    }
}

/// The counts line: "4 changed, 30 renumbered, 5 added, 1 removed; 384
/// unchanged".
pub fn summary(diff: &Diff) -> String {
    let mut parts: Vec<String> = [
        Status::Changed,
        Status::Renumbered,
        Status::Added,
        Status::Removed,
    ]
    .iter()
    .map(|s| format!("{} {}", diff.count(*s), s.as_str()))
    .collect();
    let last = format!("{} unchanged", diff.count(Status::Unchanged));
    parts.push(last);
    let mut out = parts.join(", ");
    if diff.folded() > 0 {
        let _ = write!(
            out,
            " (and {} sections renumbered with their chapters)",
            diff.folded()
        );
    }
    out
}

/// What changed, one line per chapter or section (and the changed words
/// under it), grouped by part. `all` lists unchanged and folded ones too.
pub fn text(diff: &Diff, all: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "What changed from {} to {}\n{}",
        diff.old_edition.describe(),
        diff.new_edition.describe(),
        summary(diff)
    );
    let mut part = "";
    for e in diff.entries.iter().filter(|e| all || e.is_news()) {
        if e.part != part {
            part = &e.part;
            let _ = writeln!(out, "\n{part}");
        }
        let ids = match (e.old, e.new) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            _ => e.id().to_string(),
        };
        let _ = writeln!(out, "  {:<11} {ids:<14} {}", e.status.as_str(), e.title);
        for line in details(e) {
            let _ = writeln!(out, "  {:<11} {:<14} {line}", "", "");
        }
    }
    out
}

/// What to say under an entry: a title that changed, a move between
/// groupings, paragraphs renumbered, the changed words.
fn details(e: &Entry) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = &e.old_title {
        out.push(format!("title was: {t}"));
    }
    if let Some((from, to)) = &e.moved {
        out.push(format!("moved from {from} to {to}"));
    }
    if let Some(p) = paragraph_span(&e.paragraphs) {
        out.push(format!("paragraphs renumbered: {p}"));
    }
    match e.status {
        Status::Added if e.words_added > 0 => out.push(format!("new: {} words", e.words_added)),
        Status::Removed => out.push(format!("removed: {} words", e.words_removed)),
        _ if !e.words.is_empty() => {
            out.push(format!(
                "{} words added, {} removed: {}",
                e.words_added,
                e.words_removed,
                inline(&e.words.pieces)
            ));
        }
        _ => {}
    }
    out
}

/// "3.4.5–3.4.12 → 3.4.6–3.4.13" for a run of renumbered paragraphs.
fn paragraph_span(p: &[(SectionId, SectionId)]) -> Option<String> {
    let (first, last) = (p.first()?, p.last()?);
    Some(if p.len() == 1 {
        format!("{} → {}", first.0.number(), first.1.number())
    } else {
        format!(
            "{}–{} → {}–{}",
            first.0.number(),
            last.0.number(),
            first.1.number(),
            last.1.number()
        )
    })
}

/// The briefing: a heading, what was compared, and a table per part of
/// chapter, title and what changed, in the manual's reading order.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# SET Safeguarding and Child Protection Procedures – {} updated chapters\n",
        diff.new_edition.label()
    );
    let _ = writeln!(
        out,
        "What changed since the {} edition: {}.\n",
        diff.old_edition.label(),
        summary(diff)
    );
    let _ = writeln!(
        out,
        "Compared: {} and {}. Dispose of any copies of the previous edition.",
        diff.old_edition.describe(),
        diff.new_edition.describe()
    );
    let mut part = "";
    for e in diff.entries.iter().filter(|e| e.is_news()) {
        if e.part != part {
            part = &e.part;
            let _ = writeln!(
                out,
                "\n## {}\n\n| SET Chapter | Title | Update and impact on practice |\n| --- | --- | --- |",
                cell(part)
            );
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&chapter_label(e)),
            cell(&e.title),
            cell(&impact(e))
        );
    }
    out
}

/// "Chapter 1 section 1.3", "Chapter 26 (was 25)", as the briefings cite.
fn chapter_label(e: &Entry) -> String {
    let label = |id: SectionId| match id.nums() {
        [c] => format!("Chapter {c}"),
        [c, _] => format!("Chapter {c} section {}", id.number()),
        _ => id.number(),
    };
    match (e.old, e.new) {
        (Some(a), Some(b)) if a != b => {
            let was = if a.chapter_id() == b.chapter_id() || a.nums().len() == 1 {
                a.number()
            } else {
                format!("chapter {}", a.number())
            };
            format!("{} (was {was})", label(b))
        }
        _ => label(e.id()),
    }
}

/// The "Update and impact on practice" cell.
fn impact(e: &Entry) -> String {
    let mut said: Vec<String> = Vec::new();
    match e.status {
        Status::Added if e.id().nums().len() == 1 => said.push("New chapter.".into()),
        Status::Added => said.push("New section added.".into()),
        Status::Removed if e.id().nums().len() == 1 => said.push("Chapter removed.".into()),
        Status::Removed => said.push("Section removed.".into()),
        Status::Renumbered => {
            let (a, b) = (e.old.map(|i| i.to_string()), e.new.map(|i| i.to_string()));
            if let Some((from, to)) = &e.moved {
                said.push(format!("Moved from {from} to {to}."));
            }
            if a != b {
                let what = if e.id().nums().len() == 1 {
                    "chapter"
                } else {
                    "section"
                };
                said.push(format!(
                    "Renumbered: this {what} was {} and is now {}.",
                    a.unwrap_or_default(),
                    b.unwrap_or_default()
                ));
            }
        }
        Status::Changed | Status::Unchanged => {}
    }
    if let Some(t) = &e.old_title {
        said.push(format!("Retitled (was “{t}”)."));
    }
    if let Some(p) = paragraph_span(&e.paragraphs) {
        said.push(format!("Paragraphs renumbered ({p})."));
    }
    if matches!(e.status, Status::Changed | Status::Renumbered) {
        if e.words.is_empty() {
            if e.status == Status::Renumbered && !e.changed {
                said.push("Text unchanged.".into());
            }
        } else {
            said.push(format!(
                "Wording updated ({} words added, {} removed){}",
                e.words_added,
                e.words_removed,
                quoted_changes(&e.words.pieces)
            ));
        }
    }
    said.join(" ")
}

/// The first few changes, quoted: ": “a” became “b”; added “c”."
fn quoted_changes(pieces: &[Piece]) -> String {
    const MAX: usize = 3;
    const LEN: usize = 160;
    let q = |t: &str| -> String {
        let t = if t.chars().count() <= LEN {
            t.to_string()
        } else {
            t.chars().take(LEN).collect::<String>() + "…"
        };
        format!("“{t}”")
    };
    let mut bits: Vec<String> = Vec::new();
    let mut k = 0;
    while k < pieces.len() {
        match (&pieces[k], pieces.get(k + 1)) {
            (Piece::Removed(a), Some(Piece::Added(b))) => {
                bits.push(format!("{} became {}", q(a), q(b)));
                k += 1;
            }
            (Piece::Removed(a), _) => bits.push(format!("removed {}", q(a))),
            (Piece::Added(b), _) => bits.push(format!("added {}", q(b))),
            _ => {}
        }
        k += 1;
    }
    if bits.is_empty() {
        return ".".to_string();
    }
    let more = bits.len() > MAX;
    bits.truncate(MAX);
    format!(": {}{}", bits.join("; "), if more { "; …" } else { "." })
}

/// Text safe in a markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
