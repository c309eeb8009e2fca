//! `setproc contacts [QUERY]`: the phone numbers, e-mail and web addresses
//! the manual gives, each with the name it belongs to, its section and the
//! line it is quoted from.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{Failure, stdout};
use crate::manual::ids::{NodeId, SectionId};
use crate::store::contacts::{self, Contact};
use crate::store::library::Library;
use crate::text::contacts::Kind;
use crate::text::markup::terminal_safe;

/// Characters of the quoted line shown around a contact in the text output.
const EXCERPT: usize = 100;

/// One element of `setproc contacts --json`.
#[derive(Serialize)]
struct ContactJson<'a> {
    kind: Kind,
    value: &'a str,
    normalised: &'a str,
    name: Option<&'a str>,
    section: NodeId,
    paragraph: Option<SectionId>,
    quote: &'a str,
}

pub(super) fn contacts(lib: &Library, query: &str, json: bool) -> Result<ExitCode> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let found: Vec<Contact> = contacts::contacts(lib)
        .into_iter()
        .filter(|c| c.matches(&words))
        .collect();
    if found.is_empty() {
        return Err(Failure::NotFound(format!("no contact matching '{}'", query.trim())).into());
    }
    let mut out = stdout();
    if json {
        let rows: Vec<ContactJson> = found
            .iter()
            .map(|c| ContactJson {
                kind: c.kind,
                value: &c.value,
                normalised: &c.key,
                name: c.name.as_deref(),
                section: c.node,
                paragraph: c.paragraph,
                quote: &c.quote,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for c in &found {
            let place = c.paragraph.map_or(c.node.to_string(), |p| p.to_string());
            writeln!(
                out,
                "{:<6} {}  {}  ({place})",
                c.kind.label(),
                terminal_safe(&c.value),
                terminal_safe(c.name.as_deref().unwrap_or("—")),
            )?;
            writeln!(out, "       “{}”", terminal_safe(&c.excerpt(EXCERPT)))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
