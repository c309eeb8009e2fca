//! What two editions are compared by: every chapter and section as a
//! [`Unit`] with its title, its words (paragraph numbers left out, so a
//! renumbering is not a rewording) and its numbered paragraphs as spans of
//! those words.
//!
//! Units are read from the rendered markdown of a [`Library`], so an
//! edition given as source text and the same edition given as a content
//! folder compare equal.

use std::hash::{BuildHasher, Hasher};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::edition::words::Words;
use crate::manual::document::Document;
use crate::manual::ids::{NodeId, SectionId};
use crate::store::content::{self, Meta, display_title};
use crate::store::library::Library;
use crate::text::hash::FxBuild;
use crate::text::hash::FxHashMap as HashMap;

/// A chapter or section of one edition.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: SectionId,
    /// Index of its node in the library's reading order.
    pub index: usize,
    pub title: String,
    /// The title folded for comparison (lower case, letters and digits).
    pub title_key: String,
    /// The Part B grouping its chapter sits in ("Part B2: Learning and
    /// Improvement Framework"); `None` in Part A.
    pub group: Option<String>,
    /// The text's words as printed, in order, one space apart.
    pub text: String,
    /// Each word's byte span in `text`.
    pub spans: Vec<(u32, u32)>,
    /// Each word folded (lower case, letters and digits only): what is
    /// compared, so case and punctuation alone are not a change.
    pub keys: Vec<u64>,
    /// The numbered paragraphs, as spans of `words`.
    pub paras: Vec<Para>,
    /// Hashes of the text's three-word runs, sorted and without repeats:
    /// what similarity is measured on.
    pub shingles: Vec<u64>,
}

/// A numbered paragraph of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub id: SectionId,
    /// Its words: words `start..end` of the unit.
    pub start: usize,
    pub end: usize,
}

impl Unit {
    /// Whether this is a chapter (`B24`) rather than a section (`B24.8`).
    pub fn is_chapter(&self) -> bool {
        self.id.nums().len() == 1
    }

    /// The keys of one paragraph's words.
    pub fn para_keys(&self, p: &Para) -> &[u64] {
        &self.keys[p.start..p.end]
    }

    /// How many words it has.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Its words, for a word diff.
    pub fn words(&self) -> Words<'_> {
        Words {
            text: &self.text,
            spans: &self.spans,
            keys: &self.keys,
        }
    }

    /// Word `i` as printed.
    pub fn word(&self, i: usize) -> &str {
        self.words().run(i..i + 1)
    }
}

/// Every chapter and section of `lib`, in reading order.
pub fn units(lib: &Library) -> Vec<Unit> {
    units_of(&lib.metas, |i| {
        std::borrow::Cow::Borrowed(lib.bodies[i].as_str())
    })
}

/// Every chapter and section of a parsed source text, in reading order:
/// as [`units`] of its library, without resolving its citations first
/// (their links are not words; tests/editions.rs holds the two equal).
pub fn units_of_document(doc: &Document) -> Vec<Unit> {
    let metas = content::metas(doc);
    let children = content::children_of(&metas);
    units_of(&metas, |i| {
        let node = &doc.nodes[i];
        let kids = children.get(&node.id).map(Vec::as_slice).unwrap_or(&[]);
        std::borrow::Cow::Owned(content::render(node, kids, &[]))
    })
}

/// The units of nodes described by `metas`, whose markdown `body(i)` gives.
fn units_of<'a>(metas: &[Meta], body: impl Fn(usize) -> std::borrow::Cow<'a, str>) -> Vec<Unit> {
    let by_id: HashMap<NodeId, &Meta> = metas.iter().map(|m| (m.id, m)).collect();
    metas
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let id = m.id.section().filter(|s| s.nums().len() <= 2)?;
            // A section's grouping is its chapter's.
            let chapter = by_id.get(&NodeId::Section(id.chapter_id()));
            let group = match chapter.and_then(|c| c.parent) {
                Some(g @ NodeId::Group(_)) => by_id.get(&g).map(|gm| display_title(g, &gm.title)),
                _ => None,
            };
            Some(unit(id, i, &m.title, group, &body(i)))
        })
        .collect()
}

/// One unit from its node's markdown body.
pub fn unit(id: SectionId, index: usize, title: &str, group: Option<String>, body: &str) -> Unit {
    let mut u = Unit {
        id,
        index,
        title: title.to_string(),
        title_key: fold_phrase(title),
        group,
        text: String::new(),
        spans: Vec::new(),
        keys: Vec::new(),
        paras: Vec::new(),
        shingles: Vec::new(),
    };
    // One pass over the markdown: text gathered until a block ends (words
    // may be split across emphasis), a paragraph anchor starting the next
    // paragraph's words.
    let mut buf = String::new();
    let mut open: Option<(SectionId, usize)> = None;
    for ev in Parser::new_ext(own_text(body), Options::ENABLE_TABLES) {
        match ev {
            Event::Text(t) | Event::Code(t) => buf.push_str(&t),
            Event::InlineHtml(h) | Event::Html(h) => {
                let Some(p) = paragraph_anchor(&h) else {
                    continue;
                };
                u.push_words(&mut buf, open);
                if let Some((id, start)) = open.take() {
                    u.paras.push(Para {
                        id,
                        start,
                        end: u.len(),
                    });
                }
                open = Some((p, u.len()));
            }
            // Blocks and line breaks separate words; emphasis and links
            // do not.
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {}
            Event::Start(_) | Event::End(_) | Event::SoftBreak | Event::HardBreak => {
                buf.push(' ');
            }
            _ => {}
        }
    }
    u.push_words(&mut buf, open);
    if let Some((id, start)) = open {
        u.paras.push(Para {
            id,
            start,
            end: u.len(),
        });
    }
    u.shingles = shingles(&u.keys);
    u
}

impl Unit {
    /// Moves the words gathered in `buf` into the unit; the first of a
    /// paragraph's words is dropped when it is the paragraph's number
    /// ("**3.4.22** text").
    fn push_words(&mut self, buf: &mut String, open: Option<(SectionId, usize)>) {
        self.text.reserve(buf.len());
        for t in buf.split_whitespace() {
            if let Some((id, start)) = open
                && self.len() == start
                && t == id.number()
            {
                continue;
            }
            if let Some(k) = word_key(t) {
                if !self.text.is_empty() {
                    self.text.push(' ');
                }
                let at = self.text.len() as u32;
                self.text.push_str(t);
                self.spans.push((at, self.text.len() as u32));
                self.keys.push(k);
            }
        }
        buf.clear();
    }
}

/// The paragraph an anchor opens (`<a id="a3-4-22">`), if it is one.
fn paragraph_anchor(html: &str) -> Option<SectionId> {
    let id = html.trim().strip_prefix("<a id=\"")?.split('"').next()?;
    crate::manual::ids::anchor_to_id(id)
}

/// A node's own text: without its heading (compared as the title) and
/// without the list of its sections or chapters (compared as units of
/// their own).
fn own_text(body: &str) -> &str {
    let body = match body.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => rest,
        _ => body,
    };
    let end = ["\n## Sections\n", "\n## Chapters\n"]
        .iter()
        .filter_map(|m| body.find(m))
        .min()
        .unwrap_or(body.len());
    &body[..end]
}

/// A word folded for comparison: its letters and digits in lower case,
/// hashed; `None` for a word of punctuation alone (a bullet, a dash).
pub fn word_key(word: &str) -> Option<u64> {
    let mut h = FxBuild.build_hasher();
    let mut any = false;
    for c in word.chars().filter(|c| c.is_alphanumeric()) {
        for l in c.to_lowercase() {
            h.write_u32(l as u32);
        }
        any = true;
    }
    any.then(|| h.finish())
}

/// A phrase folded for comparison: its words' letters and digits, lower
/// case, one space apart.
pub fn fold_phrase(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Hashes of every run of three keys (of the one or two there are, for a
/// very short text), sorted, without repeats.
fn shingles(keys: &[u64]) -> Vec<u64> {
    let mut out: Vec<u64> = if keys.len() < 3 {
        if keys.is_empty() {
            Vec::new()
        } else {
            vec![mix(keys)]
        }
    } else {
        keys.windows(3).map(mix).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn mix(keys: &[u64]) -> u64 {
    let mut h = FxBuild.build_hasher();
    for k in keys {
        h.write_u64(*k);
    }
    h.finish()
}

/// How alike two sorted sets of shingles are: twice the shared ones over
/// both sizes (Dice), 0 to 1.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid(s: &str) -> SectionId {
        s.parse().unwrap()
    }

    const BODY: &str = "# 3.4 Strategy meeting/discussion\n\nIntro text.\n\n\
        <a id=\"a3-4-1\"></a>**3.4.1** Whenever children's social care acts:\n\n\
        - Share information\n- Agree — the conduct\n\n\
        <a id=\"a3-4-2\"></a>**3.4.2** A [Part B, chapter 24](B24.md \"cited\") link.\n\n\
        ## Sections\n\n- [3.4.1 Not words](x.md)\n";

    #[test]
    fn words_leave_out_headings_numbers_links_and_child_lists() {
        let u = unit(sid("A3.4"), 7, "Strategy meeting/discussion", None, BODY);
        assert_eq!(
            u.text,
            "Intro text. Whenever children's social care acts: Share information Agree the conduct A Part B, chapter 24 link."
        );
        assert_eq!(u.keys.len(), u.len());
        assert_eq!(u.title_key, "strategy meetingdiscussion");
        let ids: Vec<String> = u.paras.iter().map(|p| p.id.to_string()).collect();
        assert_eq!(ids, ["A3.4.1", "A3.4.2"]);
        assert_eq!(u.word(u.paras[1].start), "A");
        assert_eq!(u.paras[1].end, u.len());
    }

    #[test]
    fn case_and_punctuation_fold_away_and_renumbering_does_not_show() {
        let renumbered = BODY
            .replace("3.4", "3.5")
            .replace("a3-4", "a3-5")
            .replace("Intro text.", "INTRO — Text")
            .replace("social care", "Social Care,");
        let a = unit(sid("A3.4"), 0, "T", None, BODY);
        let b = unit(sid("A3.5"), 0, "T", None, &renumbered);
        assert_eq!(a.keys, b.keys);
        assert_eq!(similarity(&a.shingles, &b.shingles), 1.0);
        let other = unit(
            sid("A3.4"),
            0,
            "T",
            None,
            "# x\n\nSomething else entirely here.",
        );
        assert!(similarity(&a.shingles, &other.shingles) < 0.1);
        assert_eq!(word_key("—"), None);
        assert_eq!(word_key("Children’s"), word_key("childrens"));
    }
}
