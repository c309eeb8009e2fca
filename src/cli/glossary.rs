//! `setproc glossary [TERM]` and `setproc glossary --gaps`: the manual's
//! acronyms both ways, with where each is defined, and the editors' report
//! of acronyms used but never defined and entries never used.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{Failure, stdout};
use crate::manual::ids::NodeId;
use crate::store::glossary::{self, Entry, Found, Source};
use crate::store::library::Library;
use crate::terms::gaps::Usage;
use crate::text::markup::terminal_safe;

/// Sections listed per line of the text report before "… and N more".
const SECTIONS_SHOWN: usize = 8;

/// One element of `setproc glossary --json`.
#[derive(Serialize)]
struct EntryJson<'a> {
    short: &'a str,
    long: &'a str,
    source: Source,
    section: Option<NodeId>,
    title: Option<&'a str>,
    line: Option<usize>,
}

pub(super) fn glossary(lib: &Library, term: &str, json: bool) -> Result<ExitCode> {
    let shown = if term.trim().is_empty() {
        glossary::entries(lib)
    } else {
        match glossary::find(lib, term) {
            Found::Exact(e) => vec![e],
            Found::Partial(found) => found,
            Found::Nothing { nearest } => {
                let near = if nearest.is_empty() {
                    String::new()
                } else {
                    format!("; nearest: {}", nearest.join(", "))
                };
                return Err(Failure::NotFound(format!(
                    "no acronym or full name matching '{}'{near}",
                    term.trim()
                ))
                .into());
            }
        }
    };
    let mut out = stdout();
    if json {
        let rows: Vec<EntryJson> = shown.iter().map(|e| entry_json(lib, e)).collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        let width = shown
            .iter()
            .map(|e| e.short.chars().count())
            .max()
            .unwrap_or(0);
        for e in &shown {
            let place = match (e.node, e.line) {
                (Some(n), Some(l)) => format!("{n}, line {l}"),
                (Some(n), None) => format!("{n}, glossary"),
                (None, Some(l)) => format!("line {l}"),
                (None, None) => "glossary".to_string(),
            };
            writeln!(
                out,
                "{:<width$}  {}  ({place})",
                terminal_safe(&e.short),
                terminal_safe(&e.long)
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn entry_json<'a>(lib: &'a Library, e: &'a Entry) -> EntryJson<'a> {
    EntryJson {
        short: &e.short,
        long: &e.long,
        source: e.source,
        section: e.node,
        title: e.node.and_then(|n| lib.meta(n)).map(|m| m.title.as_str()),
        line: e.line,
    }
}

/// `setproc glossary --gaps --json`.
#[derive(Serialize)]
struct GapsJson<'a> {
    undefined: Vec<UndefinedJson<'a>>,
    unused: Vec<UnusedJson<'a>>,
}

#[derive(Serialize)]
struct UndefinedJson<'a> {
    short: &'a str,
    count: usize,
    sections: Vec<SectionCount>,
}

#[derive(Serialize)]
struct UnusedJson<'a> {
    short: &'a str,
    long: &'a str,
    long_form_count: usize,
    sections: Vec<SectionCount>,
}

#[derive(Serialize)]
struct SectionCount {
    id: NodeId,
    count: usize,
}

fn sections(u: &Usage) -> Vec<SectionCount> {
    u.nodes
        .iter()
        .map(|&(id, count)| SectionCount { id, count })
        .collect()
}

pub(super) fn gaps(lib: &Library, json: bool) -> Result<ExitCode> {
    let g = glossary::gaps(lib);
    let mut out = stdout();
    if json {
        let doc = GapsJson {
            undefined: g
                .undefined
                .iter()
                .map(|u| UndefinedJson {
                    short: &u.short,
                    count: u.usage.count,
                    sections: sections(&u.usage),
                })
                .collect(),
            unused: g
                .unused
                .iter()
                .map(|u| UnusedJson {
                    short: &u.short,
                    long: &u.long,
                    long_form_count: u.long_form.count,
                    sections: sections(&u.long_form),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Acronyms used {} or more times and never spelled out ({}):",
        crate::terms::gaps::OFTEN,
        g.undefined.len()
    )?;
    let width = g
        .undefined
        .iter()
        .map(|u| u.short.chars().count())
        .chain(g.unused.iter().map(|u| u.short.chars().count()))
        .max()
        .unwrap_or(0);
    for u in &g.undefined {
        writeln!(
            out,
            "  {:<width$} {:>4}  {}",
            terminal_safe(&u.short),
            u.usage.count,
            where_used(&u.usage)
        )?;
    }
    writeln!(
        out,
        "\nGlossary entries the text never uses ({}):",
        g.unused.len()
    )?;
    for u in &g.unused {
        let long = match u.long_form.count {
            0 => "full name not used either".to_string(),
            n => format!("full name used {n}× in {}", where_used(&u.long_form)),
        };
        writeln!(
            out,
            "  {:<width$}  {} — {long}",
            terminal_safe(&u.short),
            terminal_safe(&u.long)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// "B41.3 (3), A1.2 (1), … and 12 more".
fn where_used(u: &Usage) -> String {
    let mut parts: Vec<String> = u
        .nodes
        .iter()
        .take(SECTIONS_SHOWN)
        .map(|(id, n)| format!("{id} ({n})"))
        .collect();
    if u.nodes.len() > SECTIONS_SHOWN {
        parts.push(format!("… and {} more", u.nodes.len() - SECTIONS_SHOWN));
    }
    parts.join(", ")
}
