//! `setproc refs` and `setproc resolve`: the manual's citations, judged.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{Failure, stdout};
use crate::manual::ids::NodeId;
use crate::store::library::Library;
use crate::store::lookup::{self, Target};
use crate::text::markup::terminal_safe;

/// One row of `setproc refs --json`.
#[derive(Serialize)]
pub(super) struct RefRow<'a> {
    pub(super) from: NodeId,
    /// The numbered paragraph holding the citation, if any.
    pub(super) paragraph: Option<crate::manual::ids::SectionId>,
    pub(super) line: usize,
    pub(super) text: &'a str,
    pub(super) cited: &'a str,
    pub(super) cited_title: Option<&'a str>,
    pub(super) target: Option<crate::manual::ids::SectionId>,
    pub(super) status: crate::cite::Status,
    pub(super) suggestion: Option<crate::manual::ids::SectionId>,
    /// Where a reader following it lands (the suggestion when stale).
    pub(super) destination: Option<crate::manual::ids::SectionId>,
    pub(super) note: Option<String>,
}

pub(super) fn ref_row<'a>(
    targets: &crate::cite::Targets,
    c: &'a crate::cite::Citation,
) -> RefRow<'a> {
    RefRow {
        from: c.from,
        paragraph: c.paragraph,
        line: c.line,
        text: &c.text,
        cited: &c.cited,
        cited_title: c.cited_title.as_deref(),
        target: c.target,
        status: c.status,
        suggestion: c.suggestion,
        destination: c.destination(),
        note: crate::cite::stale_note(targets, c).or_else(|| unresolved_note(targets, c)),
    }
}

pub(super) fn unresolved_note(
    targets: &crate::cite::Targets,
    c: &crate::cite::Citation,
) -> Option<String> {
    if c.status != crate::cite::Status::Unresolved {
        return None;
    }
    Some(match c.target.and_then(|t| targets.title(t)) {
        Some(t) => format!("{} is '{t}', and no section has the cited title", c.cited),
        None if c.target.is_some() => {
            format!("{} exists, but no section has the cited title", c.cited)
        }
        None => format!(
            "there is no {} in the manual, and no title says where it went",
            c.cited
        ),
    })
}

/// The human line for a citation: where, what, and what is wrong with it.
pub(super) fn ref_line(row: &RefRow) -> String {
    use crate::cite::Status;
    let text = terminal_safe(row.text);
    match (row.status, &row.note) {
        (Status::Ok, _) => format!(
            "line {}: {} → {}  '{text}'",
            row.line,
            row.from,
            row.destination.map(|d| d.to_string()).unwrap_or_default()
        ),
        (_, Some(note)) => format!(
            "line {}: {}: '{text}': {}",
            row.line,
            row.from,
            terminal_safe(note)
        ),
        (_, None) => format!(
            "line {}: {}: '{text}': {:?}",
            row.line, row.from, row.status
        ),
    }
}

pub(super) fn refs(
    lib: &Library,
    reference: Option<&str>,
    json: bool,
    stale: bool,
    incoming: bool,
) -> Result<ExitCode> {
    use crate::cite::Status;
    let targets = lib.targets();
    let scope = match reference {
        None => None,
        Some(r) => Some(match lookup::lookup(lib, r) {
            Ok(t) => t,
            Err(e) => return Err(Failure::NotFound(e.to_string()).into()),
        }),
    };
    // A citation is "in" a target when its id lies within it (citations of
    // B24.8.3 are citations of B24 and of part-B3 too).
    let within = |id: Option<crate::manual::ids::SectionId>, t: &Target| match (id, t) {
        (Some(id), Target::Paragraph { id: p, .. }) => id == *p,
        (Some(id), Target::Node(NodeId::Section(s))) => id.is_within(s),
        (Some(id), Target::Node(ancestor)) => {
            let holder = lib
                .index_of(NodeId::Section(id))
                .or_else(|| lib.paragraph_node(id))
                .map(|i| lib.metas[i].id);
            holder.is_some_and(|h| lib.is_within(h, *ancestor))
        }
        (None, _) => false,
    };
    let rows: Vec<RefRow> = lib
        .citations
        .iter()
        .filter(|c| !stale || c.status != Status::Ok)
        .filter(|c| match &scope {
            None => true,
            Some(t) if incoming => within(c.destination(), t),
            Some(t) => match (c.from, t) {
                (_, Target::Paragraph { id, .. }) => c.paragraph == Some(*id),
                (NodeId::Section(f), Target::Node(_)) => within(Some(f), t),
                (from, _) => lib.is_within(from, t.node()),
            },
        })
        .map(|c| ref_row(targets, c))
        .collect();
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            writeln!(out, "{}", ref_line(r))?;
        }
        if stale && reference.is_none() {
            let (s, u) = rows.iter().fold((0, 0), |(s, u), r| match r.status {
                Status::Stale => (s + 1, u),
                _ => (s, u + 1),
            });
            writeln!(
                out,
                "\n{} of {} citations need attention: {s} stale (the title names another section), {u} unresolved",
                rows.len(),
                lib.citations.len()
            )?;
        }
    }
    out.flush()?;
    if rows.is_empty() {
        let what = if stale {
            "stale citations"
        } else {
            "citations"
        };
        return Err(Failure::NotFound(format!(
            "no {what} {}",
            reference.map(|r| format!("for {r}")).unwrap_or_default()
        ))
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn resolve(lib: &Library, text: &str, json: bool) -> Result<ExitCode> {
    let targets = lib.targets();
    let found = crate::cite::resolve_text(targets, text, None);
    let rows: Vec<RefRow> = found.iter().map(|c| ref_row(targets, c)).collect();
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            let dest = r
                .destination
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into());
            let status = serde_json::to_value(r.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match &r.note {
                Some(n) => writeln!(out, "{dest}\t{status}\t{}", terminal_safe(n))?,
                None => writeln!(out, "{dest}\t{status}")?,
            }
        }
    }
    out.flush()?;
    if rows.iter().any(|r| r.destination.is_some()) {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Failure::NotFound(format!(
            "'{text}' is not a citation of the manual that resolves"
        ))
        .into())
    }
}
