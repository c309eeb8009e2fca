//! An export as markdown: the node and everything under it in reading
//! order, one heading each (levels following the tree), with the stamp
//! under the title and at the end.

use std::fmt::Write as _;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{node_anchor, stamp};
use crate::manual::ids::{NodeId, anchor_to_id};
use crate::store::content::display_title;
use crate::store::library::Library;

/// What an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The exported node's heading ("24.8 Online Exploitation").
    pub title: String,
    /// Every node in it, in reading order.
    pub nodes: Vec<NodeId>,
    pub stamp: String,
    pub markdown: String,
}

/// Exports `root` and all below it from `lib`, stamped with `date`.
pub fn export(lib: &Library, root: NodeId, date: &str) -> Option<Export> {
    let root_meta = lib.meta(root)?;
    let nodes: Vec<NodeId> = lib
        .metas
        .iter()
        .filter(|m| lib.is_within(m.id, root))
        .map(|m| m.id)
        .collect();
    let stamp = stamp(&lib.edition, date);
    let title = display_title(root, &root_meta.title);
    let mut out = String::new();
    for (k, &id) in nodes.iter().enumerate() {
        let m = lib.meta(id)?;
        let level = (m.level.saturating_sub(root_meta.level) + 1).min(6) as usize;
        let _ = writeln!(
            out,
            "<a id=\"{}\"></a>\n\n{} {}\n",
            node_anchor(id),
            "#".repeat(level),
            display_title(id, &m.title).replace('\n', " ")
        );
        if k == 0 {
            let _ = writeln!(out, "> {stamp}\n");
        }
        let body = lib.body(id)?;
        let body = body.split_once('\n').map_or("", |(_, rest)| rest);
        let body = shift_headings(body, level - 1);
        out.push_str(relink(&body, &nodes).trim());
        out.push_str("\n\n");
    }
    let _ = writeln!(out, "---\n\n{stamp}.");
    Some(Export {
        title,
        nodes,
        stamp,
        markdown: out,
    })
}

/// Headings one level deeper per `by` (a sub-heading of a section inside
/// an exported chapter sits under the section's heading).
fn shift_headings(body: &str, by: usize) -> String {
    body.lines()
        .map(|l| {
            let hashes = l.bytes().take_while(|&b| b == b'#').count();
            if hashes > 0 && l[hashes..].starts_with(' ') {
                format!("{}{}", "#".repeat((hashes + by).min(6)), &l[hashes..])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every link of `md` rewritten for a single file: a citation of a node in
/// the export links to its anchor in the file; one of a node outside is
/// plain text; a web, mail or phone link is its text with the address
/// written out (for paper).
pub fn relink(md: &str, inside: &[NodeId]) -> String {
    let mut out = String::with_capacity(md.len());
    let mut pos = 0;
    let mut depth = 0;
    let mut current: Option<(std::ops::Range<usize>, String, LinkType)> = None;
    for (ev, range) in Parser::new_ext(md, Options::ENABLE_TABLES).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                depth += 1;
                if depth == 1 {
                    current = Some((range, dest_url.to_string(), link_type));
                }
            }
            Event::End(TagEnd::Link) => {
                depth -= 1;
                if depth > 0 {
                    continue;
                }
                let Some((range, dest, kind)) = current.take() else {
                    continue;
                };
                if range.start < pos {
                    continue;
                }
                out.push_str(&md[pos..range.start]);
                out.push_str(&rewrite(&md[range.clone()], &dest, kind, inside));
                pos = range.end;
            }
            _ => {}
        }
    }
    out.push_str(&md[pos..]);
    out
}

/// One link, rewritten (see [`relink`]).
fn rewrite(source: &str, dest: &str, kind: LinkType, inside: &[NodeId]) -> String {
    let text = match kind {
        LinkType::Autolink | LinkType::Email => dest.to_string(),
        _ => source
            .strip_prefix('[')
            .and_then(|s| s.rfind("](").map(|i| &s[..i]))
            .unwrap_or(source)
            .to_string(),
    };
    if let Some(target) = in_file_target(dest, inside) {
        return format!("[{text}](#{target})");
    }
    let address = dest
        .strip_prefix("mailto:")
        .or_else(|| dest.strip_prefix("tel:"))
        .unwrap_or(dest);
    let external = ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|p| dest.starts_with(p));
    if external && !text.contains(address) {
        format!("{text} ({address})")
    } else {
        text
    }
}

/// The anchor in the file a content link (`B24.8.md#b24-8-3`, `B19.md`)
/// lands on, if its node is in the export.
fn in_file_target(dest: &str, inside: &[NodeId]) -> Option<String> {
    let (file, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    let node: NodeId = file.strip_suffix(".md")?.parse().ok()?;
    if !inside.contains(&node) {
        return None;
    }
    if !fragment.is_empty() && anchor_to_id(fragment).is_some() {
        return Some(fragment.to_ascii_lowercase());
    }
    Some(node_anchor(node))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<NodeId> {
        v.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn links_point_into_the_file_or_become_text() {
        let inside = ids(&["B24", "B24.8"]);
        let md = "See [Part B, chapter 24](B24.md \"cited\") and [24.8.3](B24.8.md#b24-8-3), \
                  not [chapter 19](B19.md), [the Hideout](http://thehideout.org.uk/), \
                  <https://www.gov.uk/x> and [email us](mailto:help@example.org).";
        assert_eq!(
            relink(md, &inside),
            "See [Part B, chapter 24](#b24) and [24.8.3](#b24-8-3), \
             not chapter 19, the Hideout (http://thehideout.org.uk/), \
             https://www.gov.uk/x and email us (help@example.org)."
        );
    }

    #[test]
    fn headings_shift_under_their_node() {
        assert_eq!(
            shift_headings("### Sub\n\ntext #1\n## Sections", 2),
            "##### Sub\n\ntext #1\n#### Sections"
        );
    }
}
