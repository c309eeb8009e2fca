//! Which chapter or section of the old edition each one of the new is:
//! matched by what they say, not by their numbers, so a renumbered
//! section is found where it went and a number reused for other text is
//! not taken for the old one.
//!
//! Chapters first, then sections inside each matched pair of chapters,
//! then the sections left over anywhere (a section moved to another
//! chapter). At each level, in order of confidence:
//!
//! 1. the same number and the same title;
//! 2. the same title, where only one unmatched unit on each side has it;
//! 3. the most similar text (shared three-word runs), above a threshold.
//!
//! What is left unmatched was removed (old) or added (new).

use crate::edition::units::{Unit, similarity};
use crate::text::hash::FxHashMap as HashMap;

/// Text this alike (Dice over three-word runs) is the same unit.
const SAME_TEXT: f64 = 0.5;
/// Sections in different chapters need more to be taken for one another…
const MOVED_TEXT: f64 = 0.6;
/// … unless their titles are the same.
const MOVED_TEXT_SAME_TITLE: f64 = 0.3;

/// The pairing of two editions' units (indices into each side's units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching {
    pub new_of_old: Vec<Option<usize>>,
    pub old_of_new: Vec<Option<usize>>,
}

impl Matching {
    fn new(old: usize, new: usize) -> Matching {
        Matching {
            new_of_old: vec![None; old],
            old_of_new: vec![None; new],
        }
    }

    fn pair(&mut self, o: usize, n: usize) {
        self.new_of_old[o] = Some(n);
        self.old_of_new[n] = Some(o);
    }

    fn free(&self, o: usize, n: usize) -> bool {
        self.new_of_old[o].is_none() && self.old_of_new[n].is_none()
    }
}

/// Matches the units of two editions (each in reading order).
pub fn match_units(old: &[Unit], new: &[Unit]) -> Matching {
    let mut m = Matching::new(old.len(), new.len());
    let old_ch: Vec<usize> = (0..old.len()).filter(|&i| old[i].is_chapter()).collect();
    let new_ch: Vec<usize> = (0..new.len()).filter(|&i| new[i].is_chapter()).collect();
    let old_kids = children(old);
    let new_kids = children(new);
    // Chapters: compared by all they hold.
    let sig = |units: &[Unit], kids: &HashMap<usize, Vec<usize>>, c: usize| -> Vec<u64> {
        let mut all = units[c].shingles.clone();
        for &k in kids.get(&c).map(Vec::as_slice).unwrap_or(&[]) {
            all.extend_from_slice(&units[k].shingles);
            all.push(crate::edition::units::word_key(&units[k].title_key).unwrap_or(0));
        }
        all.sort_unstable();
        all.dedup();
        all
    };
    match_level(&mut m, old, new, &old_ch, &new_ch, SAME_TEXT, &|o, n| {
        similarity(&sig(old, &old_kids, o), &sig(new, &new_kids, n))
    });
    // Sections, inside each pair of matched chapters.
    for &oc in &old_ch {
        let Some(nc) = m.new_of_old[oc] else { continue };
        let os = old_kids.get(&oc).cloned().unwrap_or_default();
        let ns = new_kids.get(&nc).cloned().unwrap_or_default();
        match_level(&mut m, old, new, &os, &ns, SAME_TEXT, &|o, n| {
            similarity(&old[o].shingles, &new[n].shingles)
        });
    }
    // Sections left anywhere: moved between chapters.
    let os: Vec<usize> = (0..old.len())
        .filter(|&i| !old[i].is_chapter() && m.new_of_old[i].is_none())
        .collect();
    let ns: Vec<usize> = (0..new.len())
        .filter(|&i| !new[i].is_chapter() && m.old_of_new[i].is_none())
        .collect();
    let mut candidates = Vec::new();
    for &o in &os {
        for &n in &ns {
            let s = similarity(&old[o].shingles, &new[n].shingles);
            let need = if old[o].title_key == new[n].title_key {
                MOVED_TEXT_SAME_TITLE
            } else {
                MOVED_TEXT
            };
            if s >= need {
                candidates.push((s, o, n));
            }
        }
    }
    greedy(&mut m, candidates);
    m
}

/// Each chapter's sections (unit indices), by the chapter's unit index.
fn children(units: &[Unit]) -> HashMap<usize, Vec<usize>> {
    let mut by_id: HashMap<crate::manual::ids::SectionId, usize> = HashMap::default();
    let mut out: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, u) in units.iter().enumerate() {
        if u.is_chapter() {
            by_id.insert(u.id, i);
        } else if let Some(&c) = by_id.get(&u.id.chapter_id()) {
            out.entry(c).or_default().push(i);
        }
    }
    out
}

/// The three passes over one set of candidates on each side: number and
/// title, unique title, then text at least `threshold` alike.
fn match_level(
    m: &mut Matching,
    old: &[Unit],
    new: &[Unit],
    os: &[usize],
    ns: &[usize],
    threshold: f64,
    alike: &dyn Fn(usize, usize) -> f64,
) {
    let last = |u: &Unit| *u.id.nums().last().unwrap_or(&0);
    for &o in os {
        if let Some(&n) = ns.iter().find(|&&n| {
            m.old_of_new[n].is_none()
                && last(&old[o]) == last(&new[n])
                && old[o].title_key == new[n].title_key
        }) {
            m.pair(o, n);
        }
    }
    let unmatched_old: Vec<usize> = os
        .iter()
        .copied()
        .filter(|&o| m.new_of_old[o].is_none())
        .collect();
    let unmatched_new: Vec<usize> = ns
        .iter()
        .copied()
        .filter(|&n| m.old_of_new[n].is_none())
        .collect();
    let count = |side: &[usize], units: &[Unit], key: &str| {
        side.iter().filter(|&&i| units[i].title_key == key).count()
    };
    for &o in &unmatched_old {
        let key = &old[o].title_key;
        if key.is_empty()
            || count(&unmatched_old, old, key) != 1
            || count(&unmatched_new, new, key) != 1
        {
            continue;
        }
        if let Some(&n) = unmatched_new.iter().find(|&&n| new[n].title_key == *key) {
            m.pair(o, n);
        }
    }
    let mut candidates = Vec::new();
    for &o in os.iter().filter(|&&o| m.new_of_old[o].is_none()) {
        for &n in ns.iter().filter(|&&n| m.old_of_new[n].is_none()) {
            let s = alike(o, n);
            if s >= threshold {
                candidates.push((s, o, n));
            }
        }
    }
    greedy(m, candidates);
}

/// Pairs the most alike first, each unit once.
fn greedy(m: &mut Matching, mut candidates: Vec<(f64, usize, usize)>) {
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, o, n) in candidates {
        if m.free(o, n) {
            m.pair(o, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::units::unit;

    fn u(id: &str, title: &str, text: &str) -> Unit {
        unit(
            id.parse().unwrap(),
            0,
            title,
            None,
            &format!("# {title}\n\n{text}"),
        )
    }

    const T1: &str =
        "Children who go missing from home or care are at risk of harm and exploitation.";
    const T2: &str =
        "A strategy discussion decides whether enquiries under section 47 should begin.";
    const T3: &str =
        "Private fostering arrangements must be notified to the local authority in advance.";

    #[test]
    fn a_removed_section_does_not_take_the_next_ones_number() {
        let old = vec![
            u("A3", "Enquiries", ""),
            u("A3.1", "Missing", T1),
            u("A3.2", "Strategy", T2),
            u("A3.3", "Fostering", T3),
        ];
        // A3.2 removed; A3.3 is now A3.2, retitled.
        let new = vec![
            u("A3", "Enquiries", ""),
            u("A3.1", "Missing", T1),
            u("A3.2", "Private fostering", T3),
        ];
        let m = match_units(&old, &new);
        assert_eq!(m.new_of_old, [Some(0), Some(1), None, Some(2)]);
    }

    #[test]
    fn a_chapter_is_found_by_what_it_holds_under_another_number_and_title() {
        let old = vec![
            u("B25", "Online based forms of abuse", ""),
            u("B25.1", "Introduction", T1),
            u("B25.2", "Response", T2),
        ];
        let new = vec![
            u("B25", "Child-on-child abuse", ""),
            u("B25.1", "Introduction", T3),
            u("B26", "Online forms of abuse", ""),
            u("B26.1", "Introduction", T1),
            u("B26.2", "Response", T2),
        ];
        let m = match_units(&old, &new);
        assert_eq!(m.new_of_old, [Some(2), Some(3), Some(4)]);
        assert_eq!(m.old_of_new[0], None);
        assert_eq!(m.old_of_new[1], None);
    }
}
