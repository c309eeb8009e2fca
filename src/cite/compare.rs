//! Comparing a cited title with a title of the manual: normalised words,
//! tolerant of a title cut short and of mild rewording.

use std::borrow::Cow;

use super::keywords::{PROSE_START, TRAILING_JOINERS, is_one_of};
/// A title match: its score and the words it matched against.
#[derive(Debug, Clone)]
pub(super) struct Match<'a> {
    pub(super) score: f64,
    pub(super) words: Cow<'a, [String]>,
}

impl Match<'_> {
    pub(super) const NONE: Match<'static> = Match {
        score: 0.0,
        words: Cow::Borrowed(&[]),
    };
}

/// The length of `title` that a reader would call the cited title, given the
/// title it matched: prose that ran on after the last matching word ("…
/// Referral and Assessment and follow this link for more information") is
/// left out, unless it is a single word that may belong to the title
/// ("Parents with Learning Difficulties").
pub(super) fn trim_to_match(title: &str, matched: &[String]) -> usize {
    if matched.is_empty() {
        return title.len();
    }
    // Words with their byte ends, split as normalize_title splits.
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in title
        .char_indices()
        .chain(std::iter::once((title.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            words.push((title[s..i].to_lowercase(), i));
        }
    }
    let Some(last) = words
        .iter()
        .rposition(|(w, _)| matched.iter().any(|m| word_eq(w, m)))
    else {
        return title.len();
    };
    let trailing = &words[last + 1..];
    let content = trailing
        .iter()
        .filter(|(w, _)| !STOPWORDS.contains(&w.as_str()))
        .count();
    let joins = trailing
        .first()
        .is_some_and(|(w, _)| is_one_of(w, TRAILING_JOINERS) || is_one_of(w, PROSE_START));
    if trailing.is_empty() || (content < 2 && !joins) {
        return title.len();
    }
    let mut end = words[last].1;
    // Keep a parenthesis the kept words opened ("Hospitals (specialist)").
    let open = title[..end].matches('(').count() > title[..end].matches(')').count();
    if open && title[end..].starts_with(')') {
        end += 1;
    }
    end
}

/// Words that carry no meaning in a title comparison.
pub(super) const STOPWORDS: &[&str] = &[
    "a", "an", "and", "or", "the", "of", "to", "in", "for", "on", "at", "by", "with", "from", "s",
    "as",
];

/// A title's content words: lower case, split at anything but letters and
/// digits (so punctuation, "/" and markdown emphasis drop out), stopwords
/// (including "and", so "&" and "and" compare equal) dropped.
///
/// This runs over every paragraph's text, so it avoids the markdown parser
/// that [`crate::text::markup::normalize_title`] uses; the two agree on titles.
pub(super) fn content_words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// Two words that are the same for title matching: equal, or sharing a
/// stem of five letters ("child"/"children", "parental"/"parenting",
/// "resolution"/"resolving"), or a plural.
pub(super) fn word_eq(a: &str, b: &str) -> bool {
    // Every rule below needs the same first letter; most pairs differ there.
    if a.as_bytes().first() != b.as_bytes().first() {
        return false;
    }
    if a == b {
        return true;
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    if common >= 5 {
        return true;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| rest == "s" || rest == "es")
}

/// Whether two word lists are the same, word for word.
pub(super) fn same_words(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| word_eq(x, y))
}

/// How well a cited title (content words) matches a target title, from 0 to
/// 1: 1 for the same title, a little less for a title cut short (a prefix)
/// or a run of the target's words ("Fabricated or induced illness"), else a
/// word-overlap measure capped at 0.9 that needs two shared words.
pub(super) fn score(cited: &[String], target: &[String]) -> f64 {
    if cited.is_empty() || target.is_empty() {
        return 0.0;
    }
    // Every rule needs shared words; most candidates have none.
    let m = cited
        .iter()
        .filter(|c| target.iter().any(|t| word_eq(c, t)))
        .count();
    if m < cited.len().min(2) {
        return 0.0;
    }
    let same = same_words;
    if same(cited, target) {
        return 1.0;
    }
    if cited.len() < target.len() && same(cited, &target[..cited.len()]) {
        return 0.97;
    }
    if cited.len() >= 2 && target.windows(cited.len()).any(|w| same(cited, w)) {
        return 0.95;
    }
    let mt = target
        .iter()
        .filter(|t| cited.iter().any(|c| word_eq(c, t)))
        .count();
    if m < 2 {
        return 0.0;
    }
    0.9 * (0.5 * m as f64 / cited.len() as f64 + 0.5 * mt as f64 / target.len() as f64)
}
