//! The parser against the real manual: the structure the contents list
//! promises, and nothing of the body lost or duplicated.

use std::collections::HashMap;

use setproc::manual::contents::{EntryKind, parse_contents};
use setproc::manual::document::{Block, Document};
use setproc::manual::ids::{NodeId, SectionId};
use setproc::manual::parse::parse;
use setproc::store::library::EMBEDDED_SOURCE;
use setproc::text::markup::{fold_words, normalize_title, plain_inline};

fn doc() -> Document {
    parse(EMBEDDED_SOURCE).expect("the manual parses")
}

fn id(s: &str) -> NodeId {
    s.parse().unwrap()
}

#[test]
fn contents_list_has_the_418_numbered_entries() {
    let c = parse_contents(EMBEDDED_SOURCE).unwrap();
    let numbered: Vec<_> = c.numbered().collect();
    assert_eq!(numbered.len(), 418);
    assert_eq!(
        numbered
            .iter()
            .filter(|e| e.kind == EntryKind::Chapter)
            .count(),
        9 + 46
    );
    let first = numbered[0];
    assert_eq!(
        (first.node, first.title.as_str(), first.page),
        (
            Some(id("A1")),
            "Responding to Concerns of Abuse and Neglect",
            Some(16)
        )
    );
    let last = numbered.last().unwrap();
    assert_eq!(last.node, Some(id("B46")));
    assert_eq!(last.page, Some(620));
    // Titles with a page glued on, tabs and leaders are cleaned.
    let cafcass = numbered
        .iter()
        .find(|e| e.node == Some(id("B2.14")))
        .unwrap();
    assert_eq!(
        cafcass.title,
        "Children and Family Court Advisory and Support Service (CAFCASS)"
    );
    assert_eq!(cafcass.page, Some(197));
}

#[test]
fn every_contents_entry_is_a_node_in_order_with_its_title_and_page() {
    let d = doc();
    let c = parse_contents(EMBEDDED_SOURCE).unwrap();
    let pos: HashMap<NodeId, usize> = d.nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut last = 0;
    for e in c.numbered() {
        let node_id = e.node.unwrap();
        let i = *pos
            .get(&node_id)
            .unwrap_or_else(|| panic!("{node_id} missing"));
        assert!(i > last, "{node_id} out of order");
        last = i;
        assert_eq!(d.nodes[i].title, e.title);
        assert_eq!(d.nodes[i].page, e.page);
        assert!(d.nodes[i].in_contents);
    }
    // Parts and the four groupings, with distinct ids.
    for g in [
        "part-A", "part-B", "part-B1", "part-B2", "part-B3", "part-B4",
    ] {
        assert!(pos.contains_key(&id(g)), "{g}");
    }
    let b1 = &d.nodes[pos[&id("B1")]];
    assert_eq!(b1.parent, Some(id("part-B1")));
    assert_eq!(d.nodes[pos[&id("B14")]].parent, Some(id("part-B2")));
    assert_eq!(d.nodes[pos[&id("B41")]].parent, Some(id("part-B3")));
    assert_eq!(d.nodes[pos[&id("B42")]].parent, Some(id("part-B4")));
    assert_eq!(d.nodes[pos[&id("A3.4")]].parent, Some(id("A3")));
}

/// Every non-blank body line is either a page header or belongs to exactly
/// one node, and its words appear in that node's text in order.
#[test]
fn nothing_is_lost_every_body_line_is_in_exactly_one_section() {
    let d = doc();
    let c = parse_contents(EMBEDDED_SOURCE).unwrap();
    let lines: Vec<&str> = EMBEDDED_SOURCE.lines().collect();
    let mut owner: HashMap<usize, NodeId> = HashMap::new();
    for n in &d.nodes {
        for l in n.source_lines() {
            if let Some(prev) = owner.insert(l, n.id) {
                panic!("line {l} is in both {prev} and {}", n.id);
            }
        }
    }
    let noise: std::collections::HashSet<usize> = d.noise_lines.iter().copied().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate().skip(c.body_start) {
        let no = i + 1;
        if line.trim().is_empty() {
            assert!(
                !owner.contains_key(&no) && !noise.contains(&no),
                "blank line {no} claimed"
            );
            continue;
        }
        match (owner.get(&no), noise.contains(&no)) {
            (Some(n), true) => panic!("line {no} is both noise and in {n}"),
            (None, false) => panic!("line {no} is lost: {line:?}"),
            (None, true) => assert!(
                looks_like_page_header(line),
                "line {no} dropped but is no header: {line:?}"
            ),
            (Some(_), false) => checked += 1,
        }
    }
    assert!(checked > 8000, "only {checked} lines checked");

    // The words of each line appear, in order, in its node's text.
    let texts: HashMap<NodeId, String> = d.nodes.iter().map(|n| (n.id, node_words(n))).collect();
    for (no, node) in &owner {
        let words = words_of(&strip_tags(lines[no - 1]));
        let text = &texts[node];
        assert!(
            text.contains(&words),
            "line {no} ({node}): {words:?} not in its node's text"
        );
    }
}

fn looks_like_page_header(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("PART A: ")
        || t.starts_with("PART B")
        || (t.len() > 3
            && t.starts_with('B')
            && t[1..].starts_with(|c: char| c.is_ascii_digit())
            && t[2..].starts_with(": "))
        || t.starts_with("Appendix ")
        || t.split_once(". ")
            .is_some_and(|(n, _)| n.parse::<u16>().is_ok())
}

/// Removes the HTML list wrappers of table cells (autolinks stay).
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map(|e| i + e + 1);
        match tag_end {
            Some(e) if !rest[i..e].contains("://") && !rest[i..e].contains('@') => {
                rest = &rest[e..]
            }
            _ => {
                out.push('<');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn words_of(s: &str) -> String {
    // Link targets are not text; dead links keep only their text.
    let s = setproc::text::markup::clean_inline(s);
    normalize_title(&s)
}

fn node_words(n: &setproc::manual::document::Node) -> String {
    let mut parts = vec![n.title.clone()];
    if let NodeId::Section(s) = n.id {
        parts.push(s.number());
    }
    for b in &n.blocks {
        match b {
            Block::Para { number, text, .. } => {
                if let Some(id) = number {
                    parts.push(id.number());
                }
                parts.push(text.clone());
            }
            Block::List { items } => {
                for i in items {
                    parts.push(format!(
                        "{} {}",
                        i.marker.clone().unwrap_or_default(),
                        i.text
                    ));
                }
            }
            Block::Heading { text, .. } => parts.push(text.clone()),
            Block::Table { rows, .. } => parts.extend(rows.iter().map(|r| r.join(" "))),
        }
    }
    // Headings in the source carry the body's wording, which may differ
    // from the contents list's title; include the heading line itself.
    let heading = n
        .line
        .map(|l| EMBEDDED_SOURCE.lines().nth(l - 1).unwrap_or("").to_string());
    parts.extend(heading);
    let plain: Vec<String> = parts.iter().map(|p| plain_inline(p)).collect();
    fold_words(&plain.join(" \n "))
}

#[test]
fn a_chapter_title_repeated_as_page_header_does_not_start_the_chapter_early() {
    let d = doc();
    let b11 = d.nodes.iter().find(|n| n.id == id("B11")).unwrap();
    // "11. Resolving Professional Disagreements" first appears at line 6418
    // inside B10.3; the chapter starts at 6436.
    assert_eq!(b11.line, Some(6436));
    let b103 = d.nodes.iter().find(|n| n.id == id("B10.3")).unwrap();
    let p = b103
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Para {
                number: Some(n),
                text,
                ..
            } if *n == "B10.3.2".parse::<SectionId>().unwrap() => Some(text.clone()),
            _ => None,
        })
        .unwrap();
    // The paragraph the page header split is joined again.
    assert!(p.ends_with("as well as family members, when a social worker will be allocated to a case and any routine and emergency professional contact arrangements, pending allocation."), "{p}");
}

#[test]
fn paragraphs_are_numbered_and_split_numbers_rejoin_their_text() {
    let d = doc();
    let all: Vec<SectionId> = d
        .nodes
        .iter()
        .flat_map(|n| n.paragraphs.iter().map(|p| p.id))
        .collect();
    assert!(all.len() > 3000, "{}", all.len());
    let node_of = |p: &str| {
        let pid: SectionId = p.parse().unwrap();
        d.nodes
            .iter()
            .find(|n| n.paragraphs.iter().any(|x| x.id == pid))
            .map(|n| n.id)
    };
    assert_eq!(node_of("A3.4.22"), Some(id("A3.4")));
    assert_eq!(node_of("B24.6.3"), Some(id("B24.6")));
    // A heading numbered like a section but absent from the contents list
    // ("3.5 Initiating a s47 enquiry", over paragraphs 3.4.20–) stays inside A3.4.
    assert_eq!(node_of("A3.4.20"), Some(id("A3.4")));
    // "2.12.12" stands alone on its line, its text on the next.
    let b212 = d.nodes.iter().find(|n| n.id == id("B2.12")).unwrap();
    let text = b212
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Para {
                number: Some(n),
                text,
                ..
            } if n.to_string() == "B2.12.12" => Some(text.clone()),
            _ => None,
        })
        .unwrap();
    assert!(
        text.starts_with("Integrated Care Boards are the major commissioners"),
        "{text}"
    );
}

#[test]
fn the_build_reports_what_it_could_not_reconcile() {
    let d = doc();
    let msgs: Vec<String> = d.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("Working with foreign authorities")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("3.5 Initiating a s47 enquiry")),
        "{msgs:?}"
    );
}

#[test]
fn dead_links_become_text_and_real_urls_stay_links() {
    let d = doc();
    let all_text: String = d
        .nodes
        .iter()
        .flat_map(|n| n.blocks.iter())
        .flat_map(|b| match b {
            Block::Para { text, .. } => vec![text.clone()],
            Block::List { items } => items.iter().map(|i| i.text.clone()).collect(),
            _ => vec![],
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!all_text.contains("](#)"));
    assert!(all_text.contains("](http://thehideout.org.uk/)"));
}

mod damaged_sources {
    use super::*;
    use proptest::prelude::*;

    // Lines shaped like the manual's own (headings, page headers, numbers)
    // but with multi-byte characters where the parser looks at bytes.
    const ODD_LINES: &[&str] = &[
        "PAR€",
        "PART é",
        "B€: Appendices",
        "B4: ",
        "24.é Online",
        "3.4.€ A s47",
        "- 3.é.22",
        "PART A: 1. Responding…",
        "\u{7}\u{1b}[2J",
        "",
        "11. Resolving Professional Disagreements",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// A damaged or edited source gives a document or an error, never a
        /// panic.
        #[test]
        fn parsing_never_panics(
            edits in proptest::collection::vec(
                (any::<bool>(), 0usize..20_000, 0usize..ODD_LINES.len()),
                1..30,
            ),
            cut in 0usize..1_000_000,
        ) {
            let mut lines: Vec<&str> = EMBEDDED_SOURCE.lines().collect();
            for (structural, at, odd) in edits {
                if structural {
                    // Just before a part or heading line, where the parser
                    // is searching when it meets the odd line.
                    let marks: Vec<usize> = (0..lines.len())
                        .filter(|&i| {
                            let l = lines[i].trim_start();
                            l.starts_with("PART") || l.starts_with(|c: char| c.is_ascii_digit())
                        })
                        .collect();
                    lines.insert(marks[at % marks.len()], ODD_LINES[odd]);
                } else {
                    let at = at % lines.len();
                    lines[at] = ODD_LINES[odd];
                }
            }
            let text = lines.join("\n");
            let mut end = cut.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let _ = parse(&text);
            let _ = parse(&text[..end]);
        }
    }
}

#[test]
fn a_body_repeated_gives_each_id_once() {
    // The hostile 50 MB case in small: the body three times over. Headings
    // the contents list lacks become sections once; their repeats (and
    // every repeat of a listed heading) are sub-headings, so no two nodes
    // share an id (and so a file in content/).
    let body_at = EMBEDDED_SOURCE.find("\nPART A\n").unwrap();
    let mut text = EMBEDDED_SOURCE.to_string();
    for _ in 0..2 {
        text.push_str(&EMBEDDED_SOURCE[body_at..]);
    }
    let d = parse(&text).expect("the repeated manual parses");
    let mut seen: HashMap<NodeId, usize> = HashMap::new();
    for n in &d.nodes {
        *seen.entry(n.id).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).collect();
    assert!(twice.is_empty(), "ids given twice: {twice:?}");
    // The repeats did make new sections once (B1.1 is not in the list).
    assert!(seen.contains_key(&id("B1.1")));
    assert!(
        d.warnings
            .iter()
            .any(|w| w.message.contains("kept as a sub-heading"))
    );
}
