//! Source text → [`Document`]: the manual's body split into its numbered
//! chapters, sections and paragraphs.
//!
//! The text was converted from a PDF, so the body carries the PDF's running
//! page headers ("PART A: 1. Responding…", "PART B3: …", a repeated chapter
//! title, "B4: Appendices") and splits paragraphs and lists wherever a page
//! ended. The parser
//!
//! 1. reads the manual's own contents list ([`crate::manual::contents`]) and finds
//!    every entry in the body, in order. A Part B chapter title also serves
//!    as a page header, sometimes a few lines *before* the real chapter start
//!    (inside the previous chapter's last section), so a chapter starts at the
//!    last occurrence of its title before its first numbered line;
//! 2. drops every other header line as noise;
//! 3. turns the lines of each section into blocks (numbered paragraphs,
//!    lists with their nesting, sub-headings, tables), joining text that a
//!    page break split.
//!
//! It is a pure function; everything it cannot reconcile becomes a
//! [`Warning`] rather than being dropped.

mod blocks;
mod headers;
mod locate;

use std::borrow::Cow;

use crate::manual::contents::{ContentsError, parse_contents};
use crate::manual::document::{Block, Document, Node, Paragraph, Warning};
use crate::manual::ids::{NodeId, Part, SectionId};
use crate::text::hash::FxHashMap as HashMap;
use crate::text::markup::is_unprintable;
use blocks::BlockBuilder;
use headers::find_noise;
use locate::{Anchor, locate};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("contents list")]
    Contents(#[from] ContentsError),
    #[error("the body has no 'PART A' heading: is this the SET procedures text?")]
    NoBody,
}

/// Parses the whole source text (contents list and body).
pub fn parse(source: &str) -> Result<Document, ParseError> {
    let contents = parse_contents(source)?;
    let lines: Vec<Cow<'_, str>> = source.lines().map(sanitize_line).collect();
    let mut warnings = Vec::new();
    let anchors = locate(&contents, &lines, &mut warnings);
    if !anchors.iter().any(|a| a.node == NodeId::Part(Part::A)) {
        return Err(ParseError::NoBody);
    }
    let noise = find_noise(&contents, &lines, &anchors);
    let nodes = build_nodes(&lines, &anchors, &noise, &mut warnings);
    let noise_lines = noise
        .iter()
        .enumerate()
        .filter(|(_, n)| **n)
        .map(|(i, _)| i + 1)
        .collect();
    check_paragraphs(&nodes, &mut warnings);
    Ok(Document {
        nodes,
        noise_lines,
        warnings,
    })
}

/// Removes control characters (tabs survive: they separate table cells)
/// and bidi controls, which would reorder the text on a terminal.
fn sanitize_line(line: &str) -> Cow<'_, str> {
    // Fast path over bytes; 0xC2 may start a C1 control (U+0080–U+009F)
    // and 0xE2 a bidi control, so lines with those are looked at closer.
    // A table lookup a byte: this runs over the whole manual before
    // anything else can start.
    const SUSPECT: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = (b < 0x20 && b != b'\t' as usize) || b == 0x7f || b == 0xc2 || b == 0xe2;
            b += 1;
        }
        t
    };
    let bytes = line.as_bytes();
    // 0xE2 starts curly quotes and dashes too: only a bidi control counts.
    let suspect = |(i, b): (usize, &u8)| {
        SUSPECT[*b as usize]
            && (*b != 0xe2
                || matches!(
                    (bytes.get(i + 1), bytes.get(i + 2)),
                    (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
                ))
    };
    if !bytes.iter().enumerate().any(suspect) {
        return Cow::Borrowed(line.trim_end());
    }
    Cow::Owned(
        line.chars()
            .filter(|c| *c == '\t' || !is_unprintable(*c))
            .collect::<String>()
            .trim_end()
            .to_string(),
    )
}

/// Cuts the body into nodes at the anchors and builds each node's blocks.
fn build_nodes(
    lines: &[Cow<'_, str>],
    anchors: &[Anchor],
    noise: &[bool],
    warnings: &mut Vec<Warning>,
) -> Vec<Node> {
    let mut nodes: Vec<Node> = Vec::with_capacity(anchors.len());
    let mut stack: Vec<(NodeId, u8)> = Vec::new();
    for (k, a) in anchors.iter().enumerate() {
        let rank = match a.node {
            NodeId::Part(_) => 0,
            NodeId::Group(_) => 1,
            NodeId::Section(id) => 1 + id.nums().len() as u8,
        };
        while stack.last().is_some_and(|(_, r)| *r >= rank) {
            stack.pop();
        }
        let parent = stack.last().map(|(id, _)| *id);
        let depth = stack.len() as u8;
        stack.push((a.node, rank));
        let end = anchors.get(k + 1).map_or(lines.len(), |n| n.idx);
        let mut builder = BlockBuilder::new(a.node, warnings);
        for i in a.idx + 1..end {
            if noise[i] {
                builder.noise();
            } else {
                builder.line(i + 1, &lines[i]);
            }
        }
        let blocks = builder.finish();
        let paragraphs = paragraph_spans(&blocks);
        nodes.push(Node {
            id: a.node,
            title: a.title.clone(),
            page: a.page,
            parent,
            depth,
            line: Some(a.idx + 1),
            in_contents: a.in_contents,
            blocks,
            paragraphs,
        });
    }
    nodes
}

/// Groups blocks into numbered paragraphs: a numbered block and what follows
/// it up to the next number or sub-heading.
fn paragraph_spans(blocks: &[Block]) -> Vec<Paragraph> {
    let mut spans: Vec<Paragraph> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Para {
                number: Some(id), ..
            } => spans.push(Paragraph {
                id: *id,
                start: i,
                end: i + 1,
            }),
            Block::Heading { .. } => {}
            _ => {
                if let Some(last) = spans.last_mut()
                    && last.end == i
                {
                    last.end = i + 1;
                }
            }
        }
    }
    spans
}

/// Reports paragraph numbers that occur twice or sit outside their chapter.
fn check_paragraphs(nodes: &[Node], warnings: &mut Vec<Warning>) {
    let mut seen: HashMap<SectionId, usize> = HashMap::default();
    for node in nodes {
        let Some(sec) = node.section_id() else {
            continue;
        };
        for p in &node.paragraphs {
            let line = node.blocks[p.start].lines().first().copied();
            if let Some(prev) = seen.insert(p.id, line.unwrap_or(0)) {
                warnings.push(Warning {
                    line,
                    message: format!(
                        "paragraph {} is numbered twice (first at line {prev})",
                        p.id
                    ),
                });
            }
            if p.id.chapter_id() != sec.chapter_id() {
                warnings.push(Warning {
                    line,
                    message: format!("paragraph {} sits in {sec}, outside its chapter", p.id),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::blocks::{LineKind, classify, clean_cell, heading_like, normalize_nesting};
    use super::locate::{paragraph_number, titles_match};
    use crate::manual::document::ListItem;

    #[test]
    fn paragraph_numbers() {
        assert_eq!(
            paragraph_number("- 3.4.22 A s47"),
            Some(([3, 4, 22], "A s47"))
        );
        assert_eq!(
            paragraph_number("3.4.22 A s47"),
            Some(([3, 4, 22], "A s47"))
        );
        assert_eq!(paragraph_number("2.12.12"), Some(([2, 12, 12], "")));
        assert_eq!(paragraph_number("3.4 Strategy"), None);
        assert_eq!(paragraph_number("1.5 million children"), None);
        assert_eq!(paragraph_number("2023.1.1x"), None);
    }

    #[test]
    fn classifies_lines() {
        assert!(matches!(
            classify(" - nested"),
            LineKind::Item { depth: 1, .. }
        ));
        assert!(matches!(classify("- top"), LineKind::Item { depth: 0, .. }));
        assert!(matches!(
            classify("3. Malicious: there is"),
            LineKind::Item {
                marker: Some("3."),
                ..
            }
        ));
        assert!(matches!(classify("a\tb"), LineKind::Row(_)));
        assert!(matches!(classify("Plain text."), LineKind::Text(_)));
    }

    #[test]
    fn heading_heuristics() {
        assert!(heading_like("Multi-agency checks"));
        assert!(heading_like("Section 11"));
        assert!(!heading_like("Contact details shown above."));
        assert!(!heading_like("or"));
    }

    #[test]
    fn title_matching_tolerates_links_case_and_truncation() {
        assert!(titles_match("[Children Act 2004](#)", "Children Act 2004"));
        assert!(titles_match(
            "Unaccompanied Asylum Seeking Children:",
            "Unaccompanied Asylum Seeking Children"
        ));
        assert!(!titles_match(
            "Initiating a s47 enquiry",
            "Referrals to the police"
        ));
    }

    fn items(spec: &[(u8, &str)]) -> Vec<ListItem> {
        spec.iter()
            .map(|(d, t)| ListItem {
                depth: *d,
                marker: None,
                text: t.to_string(),
                lines: vec![],
            })
            .collect()
    }

    #[test]
    fn list_nesting_is_kept_only_where_the_text_nests() {
        let mut l = items(&[
            (0, "Share information"),
            (1, "Agree the conduct"),
            (1, "Decide"),
        ]);
        normalize_nesting(&mut l);
        assert_eq!(l.iter().map(|i| i.depth).collect::<Vec<_>>(), [0, 0, 0]);

        let mut l = items(&[
            (0, "Take basic details:"),
            (1, "Name"),
            (1, "Address"),
            (0, "Discuss"),
        ]);
        normalize_nesting(&mut l);
        assert_eq!(l.iter().map(|i| i.depth).collect::<Vec<_>>(), [0, 1, 1, 0]);

        let mut l = items(&[
            (0, "a. Are informed that"),
            (1, "i. An order"),
            (1, "ii. Police"),
            (0, "b. Have cause"),
        ]);
        normalize_nesting(&mut l);
        assert_eq!(l.iter().map(|i| i.depth).collect::<Vec<_>>(), [0, 1, 1, 0]);
    }

    #[test]
    fn table_cells_lose_html_wrappers() {
        assert_eq!(
            clean_cell("<ul style=\"list-style-type: none\"> • 30% of all • Domestic</ul>"),
            "• 30% of all • Domestic"
        );
        assert_eq!(clean_cell("a < b"), "a < b");
    }

    #[test]
    fn lines_lose_controls_and_bidi_overrides_but_keep_quotes_and_tabs() {
        use super::sanitize_line;
        use std::borrow::Cow;
        assert_eq!(
            sanitize_line("“Quoted” – dash\tcell  "),
            "“Quoted” – dash\tcell"
        );
        assert!(matches!(sanitize_line("“Quoted” – dash"), Cow::Borrowed(_)));
        assert_eq!(
            sanitize_line("a\u{1b}[31mb\u{202e}c\u{2067}d\u{85}e\r"),
            "a[31mbcde"
        );
    }
}
