//! The PDF's running page headers ("PART A: 1. Responding…", a repeated
//! chapter title, "B4: Appendices"): which body lines are noise.

use std::borrow::Cow;

use super::locate::{Anchor, group_heading, heading_number};
use crate::manual::contents::Contents;
use crate::manual::ids::{NodeId, Part};
use crate::text::hash::FxHashMap as HashMap;
use crate::text::hash::FxHashSet as HashSet;
use crate::text::markup::normalize_title;

/// Marks running page headers: lines that repeat a part, grouping or chapter
/// title but are not that node's real heading.
pub(super) fn find_noise(
    contents: &Contents,
    lines: &[Cow<'_, str>],
    anchors: &[Anchor],
) -> Vec<bool> {
    let anchored: HashSet<usize> = anchors.iter().map(|a| a.idx).collect();
    // Chapter titles by (part, number) from the contents list.
    let mut chapter_titles: HashMap<(Part, u16), String> = HashMap::default();
    for e in contents.numbered() {
        if let Some(id) = e.section().filter(|id| id.nums().len() == 1) {
            chapter_titles.insert((id.part(), id.nums()[0]), normalize_title(&e.title));
        }
    }
    // The part each line is in, from the anchors.
    let mut part_at = vec![Part::A; lines.len()];
    let mut current = Part::A;
    let mut next_anchor = anchors.iter().peekable();
    for (i, slot) in part_at.iter_mut().enumerate() {
        while let Some(a) = next_anchor.peek() {
            if a.idx > i {
                break;
            }
            if let NodeId::Part(p) = a.node {
                current = p;
            }
            next_anchor.next();
        }
        *slot = current;
    }
    let mut noise = vec![false; lines.len()];
    for i in contents.body_start..lines.len() {
        if anchored.contains(&i) {
            continue;
        }
        let l = lines[i].trim();
        let is_noise = l.starts_with("PART A: ")
            || group_heading(l).is_some()
            || (l.len() > 4
                && l.starts_with('B')
                && l.as_bytes()[1].is_ascii_digit()
                && l[2..].starts_with(": "))
            || appendix_header(l, &chapter_titles)
            || heading_number(l).is_some_and(|(nums, t)| {
                nums.len() == 1
                    && chapter_titles
                        .get(&(part_at[i], nums[0]))
                        .is_some_and(|ct| normalize_title(t) == *ct)
            });
        noise[i] = is_noise;
    }
    noise
}

/// "Appendix 1: Links to relevant legislation", the appendices' running
/// header (the chapter title without its number).
pub(super) fn appendix_header(line: &str, chapter_titles: &HashMap<(Part, u16), String>) -> bool {
    line.starts_with("Appendix ") && {
        let l = normalize_title(line);
        chapter_titles
            .iter()
            .any(|((p, _), t)| *p == Part::B && *t == l)
    }
}
