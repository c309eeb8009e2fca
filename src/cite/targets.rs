//! What a citation can point at, and judging one citation against it: the
//! number's own title first, then every other title.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Status;
use super::compare::{Match, content_words, same_words, score, trim_to_match};
use super::title::{Strength, Title};
use super::units::text_units;
use crate::manual::document::{Block, Document};
use crate::manual::ids::{Level, NodeId, SectionId};
use crate::text::hash::FxHashMap as HashMap;
// ---------------------------------------------------------------------------
// Targets and title matching
// ---------------------------------------------------------------------------

/// What a citation can point at: chapter and section ids with their titles,
/// numbered paragraphs with the node that holds them, and the unnumbered
/// sub-headings that citations sometimes name instead of a title.
///
/// Built from a [`Document`] ([`Targets::from_document`]) or from the
/// library's metadata ([`Targets::from_nodes`], which has no sub-headings or
/// paragraph text, so paragraph titles can only match their section's title).
#[derive(Debug, Clone, Default)]
pub struct Targets {
    sections: BTreeMap<SectionId, Entry>,
    paragraphs: HashMap<SectionId, ParaInfo>,
    headings: Vec<Heading>,
    /// Indices into `headings` by the node they sit in.
    headings_in: HashMap<NodeId, Vec<usize>>,
    /// Which titles hold a word like a given one, built on first need: a
    /// cited title is compared only with titles sharing a word, not with
    /// all ~900 (that scan was most of the manual's resolution time).
    candidates: std::sync::OnceLock<CandidateIndex>,
}

/// Entries are sections (in `sections` order), then headings.
#[derive(Debug, Clone, Default)]
pub(super) struct CandidateIndex {
    pub(super) sections: Vec<SectionId>,
    pub(super) by_key: HashMap<String, Vec<u32>>,
}

/// Keys under which `word_eq` words meet: the five-letter prefix, the word,
/// and the word without a plural ending. Two words that `word_eq` calls the
/// same share a key (the index may over-select; `score` decides).
pub(super) fn word_keys(w: &str) -> impl Iterator<Item = String> + '_ {
    let prefix = w
        .char_indices()
        .nth(5)
        .map(|(i, _)| &w[..i])
        .filter(|_| w.len() >= 5);
    let prefix = prefix.or((w.chars().count() == 5).then_some(w));
    [
        prefix.map(|p| format!("5:{p}")),
        Some(w.to_string()),
        w.strip_suffix('s')
            .filter(|r| !r.is_empty())
            .map(str::to_string),
        w.strip_suffix("es")
            .filter(|r| !r.is_empty())
            .map(str::to_string),
    ]
    .into_iter()
    .flatten()
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) title: String,
    pub(super) words: Vec<String>,
}

#[derive(Debug, Clone)]
pub(super) struct ParaInfo {
    pub(super) node: NodeId,
    /// The sub-heading above the paragraph in its node, if any.
    pub(super) heading: Option<usize>,
    /// The paragraph's text, lists included, `None` when built from
    /// metadata. Its opening often serves as its title ("Pre-birth
    /// conferences should always be convened…"), and a cited title may name
    /// what it covers ("section 2.11.29, Screening and searching pupils"
    /// names one of its bullets). Kept as text and split into words only
    /// when a citation needs it: few do, and splitting the whole manual
    /// would cost more than the rest of resolution.
    pub(super) text: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct Heading {
    pub(super) node: NodeId,
    pub(super) text: String,
    pub(super) words: Vec<String>,
    /// The first numbered paragraph after the heading in its node.
    pub(super) next_para: Option<SectionId>,
}

/// What resolution decided for one citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Judged {
    pub(super) status: Status,
    pub(super) target: Option<SectionId>,
    pub(super) suggestion: Option<SectionId>,
    /// Length of the cited title kept (a cut of the captured run), `None`
    /// when the citation has no title or a weak one was dropped.
    pub(super) title_len: Option<usize>,
}

/// A title match at least this good settles a citation.
pub(super) const STRONG: f64 = 0.7;
/// At the cited number, a partial match this good still confirms it (old
/// titles are often reworded: "Professional conflict resolution" for
/// "Resolving Professional Disagreements") unless another title matches
/// strongly.
pub(super) const WEAK: f64 = 0.4;

impl Targets {
    /// Every chapter, section, paragraph and sub-heading of a document.
    pub fn from_document(doc: &Document) -> Targets {
        let mut t = Targets::default();
        for node in &doc.nodes {
            if let Some(id) = node.section_id() {
                t.add_section(id, &node.title);
            }
            let mut node_headings: Vec<(usize, usize)> = Vec::new(); // (block, heading index)
            for (bi, block) in node.blocks.iter().enumerate() {
                if let Block::Heading { text, .. } = block {
                    let next_para = node.paragraphs.iter().find(|p| p.start > bi).map(|p| p.id);
                    node_headings.push((bi, t.headings.len()));
                    t.headings_in
                        .entry(node.id)
                        .or_default()
                        .push(t.headings.len());
                    t.headings.push(Heading {
                        node: node.id,
                        text: text.clone(),
                        words: content_words(text),
                        next_para,
                    });
                }
            }
            for p in &node.paragraphs {
                let heading = node_headings
                    .iter()
                    .rev()
                    .find(|(bi, _)| *bi < p.start)
                    .map(|(_, h)| *h);
                let text: Vec<&str> = node
                    .blocks
                    .get(p.start..p.end)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|b| text_units(b).into_iter().map(|u| u.text))
                    .collect();
                t.paragraphs.entry(p.id).or_insert(ParaInfo {
                    node: node.id,
                    heading,
                    text: Some(text.join(" ")),
                });
            }
        }
        t
    }

    /// From node metadata: `(id, title, numbered paragraphs)` per node, as
    /// the library's manifest holds them.
    pub fn from_nodes<'a, I>(nodes: I) -> Targets
    where
        I: IntoIterator<Item = (NodeId, &'a str, &'a [SectionId])>,
    {
        let mut t = Targets::default();
        for (id, title, paragraphs) in nodes {
            if let Some(s) = id.section() {
                t.add_section(s, title);
            }
            for p in paragraphs {
                t.paragraphs.entry(*p).or_insert(ParaInfo {
                    node: id,
                    heading: None,
                    text: None,
                });
            }
        }
        t
    }

    pub(super) fn candidate_index(&self) -> &CandidateIndex {
        self.candidates.get_or_init(|| {
            let mut index = CandidateIndex::default();
            let mut add = |e: u32, words: &[String]| {
                for w in words {
                    for key in word_keys(w) {
                        let v = index.by_key.entry(key).or_default();
                        if v.last() != Some(&e) {
                            v.push(e);
                        }
                    }
                }
            };
            let mut e = 0u32;
            let mut sections = Vec::with_capacity(self.sections.len());
            for (id, entry) in &self.sections {
                sections.push(*id);
                add(e, &entry.words);
                e += 1;
            }
            for h in &self.headings {
                add(e, &h.words);
                e += 1;
            }
            index.sections = sections;
            index
        })
    }

    pub(super) fn add_section(&mut self, id: SectionId, title: &str) {
        self.sections.insert(
            id,
            Entry {
                title: title.to_string(),
                words: content_words(title),
            },
        );
    }

    /// Whether `id` is a chapter, section or numbered paragraph.
    pub fn contains(&self, id: SectionId) -> bool {
        self.sections.contains_key(&id) || self.paragraphs.contains_key(&id)
    }

    /// The title of a chapter or section, or for a paragraph the sub-heading
    /// above it, if any.
    pub fn title(&self, id: SectionId) -> Option<&str> {
        if let Some(e) = self.sections.get(&id) {
            return Some(&e.title);
        }
        let h = self.paragraphs.get(&id)?.heading?;
        self.headings.get(h).map(|h| h.text.as_str())
    }

    /// The node whose file holds `id`: itself for a chapter or section, the
    /// holding node for a paragraph.
    pub fn node_of(&self, id: SectionId) -> Option<NodeId> {
        if self.sections.contains_key(&id) {
            return Some(NodeId::Section(id));
        }
        self.paragraphs.get(&id).map(|p| p.node)
    }

    /// The relative link to `id` in the content folder: `B36.md`, or for a
    /// paragraph `A4.1.md#a4-1-11`.
    pub fn href(&self, id: SectionId) -> Option<String> {
        let node = self.node_of(id)?;
        Some(match id.level() {
            Level::Paragraph => format!("{}#{}", node.file_name(), id.anchor()),
            _ => node.file_name(),
        })
    }

    /// Resolves one number with an optional cited title (as written); the
    /// title is compared as given, without cutting it short.
    pub fn resolve(
        &self,
        cited: SectionId,
        title: Option<&str>,
    ) -> (Status, Option<SectionId>, Option<SectionId>) {
        let title = title.filter(|t| !t.trim().is_empty()).map(|t| Title {
            start: 0,
            cuts: vec![t.len()],
            text: t.to_string(),
            strength: Strength::Strong,
        });
        let j = self.judge(cited, title.as_ref());
        (j.status, j.target, j.suggestion)
    }

    pub(super) fn judge(&self, cited: SectionId, title: Option<&Title>) -> Judged {
        let exists = self.contains(cited);
        let target = exists.then_some(cited);
        let by_number = Judged {
            status: if exists {
                Status::Ok
            } else {
                Status::Unresolved
            },
            target,
            suggestion: None,
            title_len: None,
        };
        let Some(title) = title else {
            return by_number;
        };
        // Score every cut; keep the longest unless a shorter one is clearly
        // better.
        struct Reading<'a> {
            eval: f64,
            own: Match<'a>,
            alt: Option<(Match<'a>, SectionId)>,
            cut: usize,
        }
        let mut best: Option<Reading<'_>> = None;
        for &cut in &title.cuts {
            let Some(text) = title.text.get(..cut) else {
                continue;
            };
            let words = content_words(text);
            if words.is_empty() || (title.strength == Strength::Dot && words.len() < 2) {
                continue;
            }
            let own = if exists {
                self.own_match(cited, &words)
            } else {
                Match::NONE
            };
            let alt = if own.score < STRONG {
                self.best_alternative(cited, &words)
            } else {
                None
            };
            let eval = own.score.max(alt.as_ref().map_or(0.0, |a| a.0.score));
            if best.as_ref().is_none_or(|b| eval > b.eval + 0.05) {
                best = Some(Reading {
                    eval,
                    own,
                    alt,
                    cut,
                });
            }
        }
        let Some(Reading { own, alt, cut, .. }) = best else {
            return by_number;
        };
        let text = &title.text[..cut];
        let keep = |status, suggestion, with: &Match<'_>| Judged {
            status,
            target,
            suggestion,
            title_len: Some(trim_to_match(text, &with.words)),
        };
        let needed = if title.strength == Strength::Dot {
            STRONG
        } else {
            WEAK
        };
        match alt {
            _ if own.score >= STRONG => keep(Status::Ok, None, &own),
            Some((m, id)) if m.score >= STRONG && m.score > own.score => {
                keep(Status::Stale, Some(id), &m)
            }
            _ if own.score >= needed => keep(Status::Ok, None, &own),
            // The cited title leads nowhere; claim only its shortest reading.
            _ if title.strength == Strength::Strong => Judged {
                status: Status::Unresolved,
                target,
                suggestion: None,
                title_len: title.cuts.last().copied(),
            },
            // A weak title that matches nothing was probably prose.
            _ => by_number,
        }
    }

    /// How well `words` match what the manual has at `cited`: its title, its
    /// sub-headings, or for a paragraph the heading above it and its opening.
    pub(super) fn own_match<'a>(&'a self, cited: SectionId, words: &[String]) -> Match<'a> {
        let mut best = Match::NONE;
        let mut consider = |target: &'a [String]| {
            let s = score(words, target);
            if s > best.score {
                best = Match {
                    score: s,
                    words: Cow::Borrowed(target),
                };
            }
        };
        if let Some(e) = self.sections.get(&cited) {
            consider(&e.words);
            for &h in self
                .headings_in
                .get(&NodeId::Section(cited))
                .into_iter()
                .flatten()
            {
                consider(&self.headings[h].words);
            }
            return best;
        }
        let Some(p) = self.paragraphs.get(&cited) else {
            return best;
        };
        if let Some(e) = p.node.section().and_then(|n| self.sections.get(&n)) {
            consider(&e.words);
        }
        if let Some(h) = p.heading {
            consider(&self.headings[h].words);
        }
        match &p.text {
            Some(text) => {
                let body = content_words(text);
                // The paragraph's opening words can be its title.
                if body.len() >= words.len() && same_words(words, &body[..words.len()]) {
                    best = Match {
                        score: 1.0,
                        words: Cow::Owned(body[..words.len()].to_vec()),
                    };
                } else if best.score < STRONG && words.len() >= 2 {
                    // A phrase of its text, when nothing better matched.
                    if let Some(w) = body.windows(words.len()).find(|w| same_words(words, w)) {
                        best = Match {
                            score: 0.9,
                            words: Cow::Owned(w.to_vec()),
                        };
                    }
                }
            }
            // Without its heading and text a paragraph's title cannot be
            // checked: accept it unless another title matches strongly.
            None if best.score < WEAK => {
                best = Match {
                    score: WEAK,
                    words: Cow::Borrowed(&[]),
                }
            }
            None => {}
        }
        best
    }

    /// The best-matching title elsewhere: chapter and section titles first,
    /// then sub-headings (a paragraph citation lands on the paragraph after
    /// the heading). Ties go to the same part, the same level, the nearest
    /// chapter number, then reading order.
    pub(super) fn best_alternative<'a>(
        &'a self,
        cited: SectionId,
        words: &[String],
    ) -> Option<(Match<'a>, SectionId)> {
        type Key = (f64, u8, u8, u8, i32);
        let mut best: Option<(Key, Match<'a>, SectionId)> = None;
        let mut consider = |s: f64, kind_rank: u8, id: SectionId, target: &'a [String]| {
            if id == cited || s < WEAK {
                return;
            }
            let key = (
                s,
                kind_rank,
                u8::from(id.part() == cited.part()),
                u8::from(id.level() == cited.level()),
                -(i32::from(id.nums()[0]) - i32::from(cited.nums()[0])).abs(),
            );
            if best
                .as_ref()
                .is_none_or(|(k, ..)| key.partial_cmp(k) == Some(std::cmp::Ordering::Greater))
            {
                best = Some((
                    key,
                    Match {
                        score: s,
                        words: Cow::Borrowed(target),
                    },
                    id,
                ));
            }
        };
        // Only titles sharing enough words can score: count, per entry, the
        // cited words it has a match for.
        let index = self.candidate_index();
        let mut hits: HashMap<u32, usize> = HashMap::default();
        for w in words {
            let mut seen: Vec<u32> = Vec::new();
            for key in word_keys(w) {
                for &e in index.by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                    if !seen.contains(&e) {
                        seen.push(e);
                        *hits.entry(e).or_default() += 1;
                    }
                }
            }
        }
        let need = words.len().min(2);
        let mut candidates: Vec<u32> = hits
            .into_iter()
            .filter(|&(_, n)| n >= need)
            .map(|(e, _)| e)
            .collect();
        candidates.sort_unstable();
        let n_sections = index.sections.len() as u32;
        for &e in candidates.iter().filter(|&&e| e < n_sections) {
            let id = index.sections[e as usize];
            let entry = &self.sections[&id];
            consider(score(words, &entry.words), 1, id, &entry.words);
        }
        for h in candidates
            .iter()
            .filter(|&&e| e >= n_sections)
            .map(|&e| &self.headings[(e - n_sections) as usize])
        {
            let id = match (cited.level(), h.next_para, h.node.section()) {
                (Level::Paragraph, Some(p), _) => p,
                (_, _, Some(n)) => n,
                (_, Some(p), None) => p,
                _ => continue,
            };
            // Headings inside the cited section are the number's own.
            if id.is_within(&cited) || (cited.is_within(&id) && cited.level() != Level::Paragraph) {
                continue;
            }
            consider(score(words, &h.words) * 0.98, 0, id, &h.words);
        }
        best.map(|(_, m, id)| (m, id))
    }
}
