//! `setproc toc` and `setproc show`: the contents and one section or
//! paragraph, as text, markdown or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{Failure, Format, stdout};
use crate::manual::ids::NodeId;
use crate::store::library::Library;
use crate::store::lookup::Target;
use crate::store::{content, paths};
use crate::text::markup::terminal_safe;

/// One row of `setproc toc --json`.
#[derive(Serialize)]
pub(super) struct TocRow<'a> {
    pub(super) id: NodeId,
    pub(super) title: &'a str,
    pub(super) page: Option<u32>,
    pub(super) parent: Option<NodeId>,
    pub(super) level: u8,
    pub(super) path: &'a str,
}

pub(super) fn toc(lib: &Library, json: bool) -> Result<ExitCode> {
    let mut out = stdout();
    if json {
        let rows: Vec<TocRow> = lib
            .metas
            .iter()
            .map(|m| TocRow {
                id: m.id,
                title: &m.title,
                page: m.page,
                parent: m.parent,
                level: m.level,
                path: &m.path,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for m in &lib.metas {
            let indent = "  ".repeat(m.level as usize);
            let page = m.page.map(|p| format!("  (p. {p})")).unwrap_or_default();
            let label = match m.id {
                NodeId::Section(s) => format!("{:<8}{}", s.to_string(), m.title),
                other => content::display_title(other, &m.title),
            };
            writeln!(out, "{indent}{}{page}", terminal_safe(&label))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `setproc show --json`.
#[derive(Serialize)]
pub(super) struct ShowJson<'a> {
    /// The id asked for: a node, or a paragraph.
    pub(super) id: String,
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    pub(super) page: Option<u32>,
    /// The content file holding it (for a paragraph, with its anchor).
    pub(super) path: String,
    pub(super) markdown: &'a str,
    /// The section a paragraph belongs to.
    pub(super) section: Option<SectionRef<'a>>,
    pub(super) parent: Option<NodeId>,
    pub(super) prev: Option<NodeId>,
    pub(super) next: Option<NodeId>,
    pub(super) breadcrumb: &'a [String],
    pub(super) paragraphs: Vec<String>,
    /// When REF was a citation whose number drifted: where it was sent and
    /// why ("cited as B37 (now …); the title matches B36 Historical Abuse").
    pub(super) note: Option<String>,
}

#[derive(Serialize)]
pub(super) struct SectionRef<'a> {
    pub(super) id: NodeId,
    pub(super) title: &'a str,
}

pub(super) fn show(
    lib: &Library,
    content_dir: Option<&std::path::Path>,
    reference: &str,
    json: bool,
    format: Format,
) -> Result<ExitCode> {
    // `B24.8@June 2025`: an older edition's number, through the id map.
    let history = super::editions::history(content_dir, lib, reference)?;
    let (target, note) = match crate::edition::lookup_at(lib, history.as_ref(), reference) {
        Ok(found) => found,
        Err(e) => return Err(Failure::NotFound(e.to_string()).into()),
    };
    let node = target.node();
    let meta = lib.meta(node).expect("lookup returns known nodes");
    let body = lib.body(node).expect("lookup returns known nodes");
    let dir = content_dir
        .map(PathBuf::from)
        .unwrap_or_else(paths::default_content_dir);
    let file = dir.join(&meta.path).display().to_string();
    let (id, kind, markdown, path) = match target {
        Target::Node(_) => (node.to_string(), "section", body, file),
        Target::Paragraph { id, .. } => {
            let md = lib.paragraph_markdown(id).unwrap_or(body);
            (
                id.to_string(),
                "paragraph",
                md,
                format!("{file}#{}", id.anchor()),
            )
        }
    };
    let mut out = stdout();
    if json {
        let doc = ShowJson {
            id,
            kind,
            title: &meta.title,
            page: meta.page,
            path,
            markdown,
            section: target.paragraph().map(|_| SectionRef {
                id: node,
                title: &meta.title,
            }),
            parent: meta.parent,
            prev: meta.prev,
            next: meta.next,
            breadcrumb: &meta.breadcrumb,
            paragraphs: meta.paragraphs.iter().map(|p| p.to_string()).collect(),
            note,
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        if let Some(note) = &note {
            // On stderr: stdout stays the section alone, for pipes.
            eprintln!("note: {}", terminal_safe(note));
        }
        if let Target::Paragraph { id, .. } = target {
            writeln!(
                out,
                "{id} in {}",
                terminal_safe(&content::display_title(node, &meta.title))
            )?;
            writeln!(out)?;
        }
        let text = match format {
            Format::Md => markdown.to_string(),
            Format::Text => crate::text::markup::markdown_to_text(markdown),
        };
        writeln!(out, "{}", terminal_safe(text.trim_end()))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
