//! Markdown → wrapped, styled lines for one pane width.
//!
//! The reader has to know exactly where every link and numbered paragraph
//! lands on screen (Tab cycles the links in view, a mouse click follows the
//! link under it, `open A3.4.22` scrolls to that paragraph), so wrapping is
//! done here, with unicode-width, rather than by a widget. The output is plain
//! data ([`Doc`]): no terminal, no ratatui types, so it is cheap to cache per
//! (node, width) and easy to test.

mod render;
mod wrap;

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use crate::manual::ids::{NodeId, SectionId, anchor_to_id};
use crate::text::markup::terminal_safe;

pub use render::render;
pub use wrap::wrap;

/// How a piece of text looks. The view maps these to colours; keeping them
/// abstract keeps this module pure and the palette in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SegStyle {
    pub bold: bool,
    pub italic: bool,
    /// 1 for the node's title, 2 for `## Sections`, 3 for sub-headings.
    pub heading: u8,
    /// Index into [`Doc::links`].
    pub link: Option<u32>,
    /// The bold `3.4.22` that opens a numbered paragraph.
    pub para_num: bool,
    /// Bullets, table rules and other furniture.
    pub dim: bool,
    /// The "cited as … → …" note after a stale citation.
    pub note: bool,
    pub code: bool,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub text: String,
    pub style: SegStyle,
}

/// One screen line of a rendered node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLine {
    pub segs: Vec<Seg>,
    /// Index of the markdown block this line belongs to, so a scroll
    /// position survives re-wrapping at another width.
    pub block: u32,
}

impl DocLine {
    /// The line's text without styling.
    pub fn text(&self) -> String {
        self.segs.iter().map(|s| s.text.as_str()).collect()
    }

    /// Display width in columns.
    pub fn width(&self) -> usize {
        self.segs.iter().map(|s| str_width(&s.text)).sum()
    }
}

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another node of the manual, possibly at a paragraph. `node` is
    /// `None` for a bare `#a3-4-5` anchor (the paragraph names its node).
    Node {
        node: Option<NodeId>,
        para: Option<SectionId>,
    },
    /// A web address (or anything else that is not a manual file).
    External(String),
}

/// A place a link occupies on screen: line and column range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub cols: Range<usize>,
}

/// One link of a rendered node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: LinkTarget,
    /// The link text as shown.
    pub text: String,
    /// For a stale citation, where it was meant to go:
    /// "cited as chapter 37 → B36 Historical Abuse".
    pub stale: Option<String>,
    /// Every screen piece of the link, in order (a link may wrap).
    pub spots: Vec<Spot>,
}

impl Link {
    pub fn first_line(&self) -> usize {
        self.spots.first().map_or(0, |s| s.line)
    }
}

/// A numbered paragraph's place: its first line and the line after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub id: SectionId,
    pub start: usize,
    pub end: usize,
}

/// A node rendered for one width.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub width: usize,
    pub lines: Vec<DocLine>,
    pub links: Vec<Link>,
    pub anchors: Vec<Anchor>,
    /// First line of each block (index = block number).
    pub block_starts: Vec<usize>,
}

impl Doc {
    pub fn anchor(&self, id: SectionId) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.id == id)
    }

    /// First line of `block`, or the last line if the block is beyond the end.
    pub fn line_of_block(&self, block: u32) -> usize {
        self.block_starts
            .get(block as usize)
            .copied()
            .unwrap_or(self.lines.len().saturating_sub(1))
    }
}

/// Display width of a string (control characters count as zero; they never
/// get here after `terminal_safe`).
pub fn str_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Parses a link target as written in content files: `B24.md`,
/// `A4.1.md#a4-1-11`, `part-B3.md`, `#a3-4-5`, or a web address.
pub fn parse_href(href: &str) -> LinkTarget {
    let external = || LinkTarget::External(href.to_string());
    if href.contains("://") || href.starts_with("mailto:") {
        return external();
    }
    let (file, anchor) = match href.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (href, None),
    };
    let para = anchor.and_then(anchor_to_id);
    let node = match file.strip_suffix(".md") {
        Some(stem) => match stem.parse::<NodeId>() {
            Ok(n) => Some(n),
            Err(_) => return external(),
        },
        None if file.is_empty() => None,
        None => return external(),
    };
    if node.is_none() && para.is_none() {
        return external();
    }
    LinkTarget::Node { node, para }
}

/// The note shown after a stale citation: the first clause of its title
/// attribute ("cited as chapter 37"), then where following it leads.
fn stale_note(
    title: &str,
    target: &LinkTarget,
    titles: &dyn Fn(NodeId) -> Option<String>,
) -> String {
    let cited = title.split(';').next().unwrap_or(title).trim();
    let dest = match target {
        LinkTarget::Node {
            node: Some(n),
            para,
        } => {
            let id = para.map_or_else(|| n.to_string(), |p| p.to_string());
            match titles(*n) {
                Some(t) => format!("{id} {t}"),
                None => id,
            }
        }
        LinkTarget::Node {
            node: None,
            para: Some(p),
        } => p.to_string(),
        _ => String::new(),
    };
    let cited = terminal_safe(cited);
    if dest.is_empty() {
        cited.into_owned()
    } else {
        format!("{cited} → {}", terminal_safe(&dest))
    }
}

/// The inline form of a stale note: without the "(now …)" aside, which the
/// status line shows when the link is selected.
fn short_note(note: &str) -> String {
    match (note.find(" (now "), note.find(" → ")) {
        (Some(a), Some(b)) if a < b => {
            let close = note[a..b].rfind(')').map_or(b, |c| a + c + 1);
            format!("{}{}", &note[..a], &note[close..])
        }
        _ => note.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_titles(_: NodeId) -> Option<String> {
        None
    }

    fn texts(doc: &Doc) -> Vec<String> {
        doc.lines.iter().map(DocLine::text).collect()
    }

    #[test]
    fn wraps_words_within_width_and_breaks_long_words() {
        let pieces = vec![("aaa bbb ccc dddddddddd e".to_string(), SegStyle::default())];
        let lines: Vec<String> = wrap(&pieces, 7)
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(lines, ["aaa bbb", "ccc", "ddddddd", "ddd e"]);
    }

    #[test]
    fn list_items_hang_under_their_text() {
        let md = "- one two three four\n  - nested item text\n- 3\\. numbered\n";
        let doc = render(md, 12, &no_titles);
        assert_eq!(
            texts(&doc),
            [
                "• one two",
                "  three four",
                "  ◦ nested",
                "    item",
                "    text",
                "• 3.",
                "  numbered"
            ]
        );
    }

    #[test]
    fn anchors_and_paragraph_numbers() {
        let md = "# 3.4 Title\n\n<a id=\"a3-4-1\"></a>**3.4.1** First paragraph.\n\n- item\n\n<a id=\"a3-4-2\"></a>**3.4.2** Second.\n\n### Sub\n\nTail.";
        let doc = render(md, 40, &no_titles);
        let t = texts(&doc);
        assert_eq!(t[0], "3.4 Title");
        let a1 = doc.anchor("A3.4.1".parse().unwrap()).unwrap();
        let a2 = doc.anchor("A3.4.2".parse().unwrap()).unwrap();
        assert_eq!(t[a1.start], "3.4.1 First paragraph.");
        assert_eq!(a1.end, a2.start - 1, "the list belongs to 3.4.1");
        assert_eq!(t[a2.start], "3.4.2 Second.");
        assert_eq!(a2.end, a2.start + 1, "stops before the sub-heading");
        assert!(doc.lines[a1.start].segs[0].style.para_num);
    }

    #[test]
    fn links_record_where_they_land_even_when_wrapped() {
        let md = "see [Part B, chapter 24](B24.md) and [x](A4.1.md#a4-1-11).";
        let doc = render(md, 14, &no_titles);
        assert_eq!(texts(&doc), ["see Part B,", "chapter 24 and", "x."]);
        let l = &doc.links[0];
        assert_eq!(
            l.target,
            LinkTarget::Node {
                node: Some("B24".parse().unwrap()),
                para: None
            }
        );
        assert_eq!(l.text, "Part B, chapter 24");
        assert_eq!(
            l.spots,
            [
                Spot {
                    line: 0,
                    cols: 4..11
                },
                Spot {
                    line: 1,
                    cols: 0..10
                }
            ]
        );
        assert_eq!(
            doc.links[1].target,
            LinkTarget::Node {
                node: Some("A4.1".parse().unwrap()),
                para: Some("A4.1.11".parse().unwrap())
            }
        );
    }

    #[test]
    fn stale_citations_carry_a_note() {
        let md = "see [Part B, chapter 37, Historical abuse](B36.md \"cited as chapter 37; the title matches B36 Historical Abuse\").";
        let titles = |id: NodeId| (id.to_string() == "B36").then(|| "Historical Abuse".to_string());
        let doc = render(md, 200, &titles);
        let l = &doc.links[0];
        assert_eq!(
            l.stale.as_deref(),
            Some("cited as chapter 37 → B36 Historical Abuse")
        );
        assert!(texts(&doc)[0].contains("[⚠ cited as chapter 37 → B36 Historical Abuse]"));
        // The cite module's wording: the "(now …)" aside is for the status line.
        let md = "[Part B, chapter 37](B36.md \"cited as B37 (now Children Visiting Custodial Settings); the title matches B36 Historical Abuse\")";
        let doc = render(md, 200, &titles);
        assert_eq!(
            doc.links[0].stale.as_deref(),
            Some("cited as B37 (now Children Visiting Custodial Settings) → B36 Historical Abuse")
        );
        assert_eq!(
            texts(&doc)[0],
            "Part B, chapter 37 [⚠ cited as B37 → B36 Historical Abuse]"
        );
    }

    #[test]
    fn tables_fit_the_width() {
        let md =
            "| Acronym | Meaning |\n| --- | --- |\n| LADO | Local Authority Designated Officer |\n";
        let doc = render(md, 30, &no_titles);
        for l in &doc.lines {
            assert!(l.width() <= 30, "{:?}", l.text());
        }
        assert!(texts(&doc)[0].starts_with("Acronym │ Meaning"));
    }

    #[test]
    fn renders_the_real_a3_4() {
        let lib = crate::store::library::Library::embedded();
        let node: NodeId = "A3.4".parse().unwrap();
        let body = lib.body(node).unwrap();
        let titles = |id: NodeId| lib.meta(id).map(|m| m.title.clone());
        for width in [40usize, 77, 120] {
            let doc = render(body, width, &titles);
            let t = texts(&doc);
            assert_eq!(t[0], "3.4 Strategy meeting/discussion");
            for l in &t {
                assert!(str_width(l) <= width, "{width}: {l:?}");
            }
            // Every numbered paragraph of the section has its first line.
            let meta = lib.meta(node).unwrap();
            assert_eq!(doc.anchors.len(), meta.paragraphs.len());
            for (a, id) in doc.anchors.iter().zip(&meta.paragraphs) {
                assert_eq!(a.id, *id);
                assert!(
                    t[a.start].starts_with(&id.number()),
                    "{id} at {:?}",
                    t[a.start]
                );
                assert!(a.end > a.start);
            }
            // 3.4.2's bullets hang under their text.
            let a2 = doc.anchor("A3.4.2".parse().unwrap()).unwrap();
            let list: Vec<&String> = t[a2.start..a2.end]
                .iter()
                .skip_while(|l| !l.is_empty())
                .skip(1)
                .collect();
            assert!(list.len() >= 8, "{list:?}");
            assert!(
                list.iter()
                    .all(|l| l.starts_with("• ") || l.starts_with("  ")),
                "{list:?}"
            );
            // Links (if the content has any) sit where their text is.
            for link in &doc.links {
                for s in &link.spots {
                    let line = &t[s.line];
                    let shown: String =
                        line.chars().skip(s.cols.start).take(s.cols.len()).collect();
                    assert!(!shown.trim().is_empty());
                }
            }
        }
    }

    #[test]
    fn chapter_contents_are_links_to_the_sections() {
        let md = "# 24. Title\n\n## Sections\n\n- [24.1 Introduction](B24.1.md)\n- [24.2 Legislation](B24.2.md)\n";
        let doc = render(md, 60, &no_titles);
        assert_eq!(
            texts(&doc),
            [
                "24. Title",
                "",
                "Sections",
                "",
                "• 24.1 Introduction",
                "• 24.2 Legislation"
            ]
        );
        assert_eq!(doc.links.len(), 2);
        assert_eq!(
            doc.links[1].spots,
            [Spot {
                line: 5,
                cols: 2..18
            }]
        );
    }

    #[test]
    fn external_and_odd_hrefs() {
        assert_eq!(
            parse_href("http://x.org"),
            LinkTarget::External("http://x.org".into())
        );
        assert_eq!(
            parse_href("#a3-4-5"),
            LinkTarget::Node {
                node: None,
                para: Some("A3.4.5".parse().unwrap())
            }
        );
        assert_eq!(
            parse_href("part-B3.md"),
            LinkTarget::Node {
                node: Some(NodeId::Group(3)),
                para: None
            }
        );
        assert!(matches!(parse_href("notes.txt"), LinkTarget::External(_)));
    }

    #[test]
    fn control_characters_never_reach_the_screen() {
        let doc = render("bad \u{1b}[31m text \u{7}", 40, &no_titles);
        assert!(!texts(&doc).concat().chars().any(char::is_control));
    }

    #[test]
    fn any_width_renders_without_panicking() {
        let md = "# T\n\n<a id=\"a1-1-1\"></a>**1.1.1** 漢字 wide [link](B1.md) text\n\n| a | b |\n| --- | --- |\n| c | d |\n";
        for w in 0..30 {
            let doc = render(md, w, &no_titles);
            for l in &doc.lines {
                assert!(l.width() <= w.max(2), "width {w}: {:?}", l.text());
            }
        }
    }
}
