//! Acronyms the body defines inline, as "Full Name (ACR)" or "ACR (Full
//! Name)": accepted only when the acronym's letters can be read off the
//! words of the full name ([`initials_match`]).

use super::aliases::strip_leading_article;
use super::segments::Segment;
use super::{Acronym, AcronymSource, phrase_key};
use crate::text::hash::FxHashMap as HashMap;
/// Words that may stand in a long form without giving the acronym a letter
/// ("Department *for* Education" gives one, "Child *and* Family Court
/// Advisory *and* Support Service" gives one of two).
pub(super) const SMALL_WORDS: &[&str] = &[
    "of", "and", "the", "for", "in", "on", "to", "a", "an", "&", "with", "by", "at", "or", "from",
];

/// Whether the acronym `short` can be read off the words of `long`: each
/// word, in order, gives the next one or more letters (its initial, then
/// later letters of the same word: `OASys` ← Offender Assessment *Sys*tem),
/// or is skipped if it is a small word or the second half of a hyphenated
/// word (`CEOP` ← … and *On*-line Protection). Only a lower-case letter of
/// the acronym may come from inside a word, as in `OASys` and `PoISA`; and
/// at least two words, and at least half as many words as letters, must
/// give letters. Otherwise case, `&` and `-` in the acronym are ignored.
pub fn initials_match(short: &str, long: &str) -> bool {
    let letters: Vec<Letter> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| Letter {
            c: c.to_ascii_lowercase(),
            lower: c.is_lowercase(),
        })
        .collect();
    let words = long_words(long);
    match match_from(&words, &letters) {
        Some(contributing) => contributing >= 2 && 2 * contributing >= letters.len(),
        None => false,
    }
}

/// A letter of an acronym: lower-cased, remembering whether it was written
/// in lower case.
#[derive(Debug, Clone, Copy)]
pub(super) struct Letter {
    pub(super) c: char,
    pub(super) lower: bool,
}

/// A word of a candidate long form.
pub(super) struct LongWord {
    /// Lower-case letters and digits only.
    pub(super) core: String,
    /// May be left out of the initials.
    pub(super) skippable: bool,
}

pub(super) fn long_words(long: &str) -> Vec<LongWord> {
    let mut out = Vec::new();
    for word in long.split_whitespace() {
        for (i, part) in word.split(['-', '/']).enumerate() {
            let core: String = part
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if core.is_empty() && part != "&" {
                continue;
            }
            let skippable = i > 0 || part == "&" || SMALL_WORDS.contains(&core.as_str());
            out.push(LongWord { core, skippable });
        }
    }
    out
}

/// The most words that can give letters when `words` spell exactly
/// `letters`, the first word giving the first letter; `None` if they cannot.
pub(super) fn match_from(words: &[LongWord], letters: &[Letter]) -> Option<usize> {
    let (n, m) = (words.len(), letters.len());
    if n == 0 || m == 0 {
        return None;
    }
    // best[i][j]: most contributing words when words[i..] spell letters[j..].
    let mut best = vec![vec![None::<usize>; m + 1]; n + 1];
    best[n][m] = Some(0);
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let mut b = None;
            if words[i].skippable {
                b = best[i + 1][j];
            }
            for k in letters_given(&words[i].core, &letters[j..]) {
                if let Some(rest) = best[i + 1][j + k] {
                    b = b.max(Some(rest + 1));
                }
            }
            best[i][j] = b;
        }
    }
    // The first word must give the first letter.
    letters_given(&words[0].core, letters)
        .into_iter()
        .filter_map(|k| best[1][k].map(|r| r + 1))
        .max()
}

/// How many of `letters` (from the first) `word` can give: its initial must
/// be the first letter; further letters, written in lower case in the
/// acronym, must follow in order in the word.
pub(super) fn letters_given(word: &str, letters: &[Letter]) -> Vec<usize> {
    let mut chars = word.chars();
    let mut out = Vec::new();
    match (chars.next(), letters.first()) {
        (Some(c), Some(l)) if c == l.c => out.push(1),
        _ => return out,
    }
    let rest: Vec<char> = chars.collect();
    let mut pos = 0;
    for (k, l) in letters.iter().enumerate().skip(1) {
        if !l.lower {
            break;
        }
        match rest[pos..].iter().position(|&c| c == l.c) {
            Some(p) => {
                pos += p + 1;
                out.push(k + 1);
            }
            None => break,
        }
    }
    out
}

/// An acronym-shaped token: 2–10 characters, starting with a capital, at
/// least two capitals, letters (and `&`, `-`) only. A plural (`LADOs`,
/// `IDVA's`) is returned singular, with `true`.
pub(super) fn acronym_token(s: &str) -> Option<(String, bool)> {
    let s = s.trim();
    let singular = s.strip_suffix("'s").or_else(|| {
        s.strip_suffix('s')
            .filter(|b| b.chars().all(|c| !c.is_lowercase()))
    });
    let plural = singular.is_some();
    let s = singular.unwrap_or(s);
    let ok = (2..=10).contains(&s.chars().count())
        && s.chars().next().is_some_and(|c| c.is_uppercase())
        && s.chars().filter(|c| c.is_uppercase()).count() >= 2
        && s.chars().all(|c| c.is_alphabetic() || c == '&' || c == '-')
        && !s.ends_with(['&', '-']);
    ok.then(|| (s.to_string(), plural))
}

/// Every "Full Name (ACR)" and "ACR (Full Name)" in `text` whose letters
/// match, as `(short, long)`.
pub fn find_inline_acronyms(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (open, _) in text.match_indices('(') {
        let after = &text[open + 1..];
        let Some(close) = after.find(')') else {
            continue;
        };
        let inside = &after[..close];
        let before = &text[..open];

        // "Full Name (ACR)", also "(ACR - previously known as …)", "(ACR, …)".
        let head = inside
            .split([',', ';'])
            .next()
            .unwrap_or("")
            .split(" - ")
            .next()
            .unwrap_or("");
        if let Some((short, plural)) = acronym_token(head) {
            if let Some(long) = long_form_before(before, &short) {
                let long = if plural { singular_phrase(&long) } else { long };
                out.push((short, long));
            }
            continue;
        }

        // "ACR (Full Name)".
        let Some(prev) = before.trim_end().rsplit(char::is_whitespace).next() else {
            continue;
        };
        if before.ends_with(char::is_whitespace)
            && let Some((short, plural)) = acronym_token(prev)
            && inside.split_whitespace().count() >= 2
            && initials_match(&short, inside)
        {
            let long = tidy_long(strip_leading_article(inside.trim()));
            out.push((short, if plural { singular_phrase(&long) } else { long }));
        }
    }
    out
}

/// A long form as found, tidied: no leading punctuation, no possessive
/// ending ("Domestic Violence Protection Notice's (DVPN)"), and a hyphen the
/// PDF split from its word rejoined ("Multi- Agency").
pub(super) fn tidy_long(s: &str) -> String {
    let s = s
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches([',', ' ']);
    let s = s.strip_suffix("'s").unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '-' && prev.is_alphabetic() && chars.peek() == Some(&' ') {
            chars.next();
        }
        prev = c;
    }
    out
}

/// The shortest run of words ending `before` that spells `short`.
pub(super) fn long_form_before(before: &str, short: &str) -> Option<String> {
    // A long form does not cross a sentence or a bracket.
    let start = before
        .rfind(['.', ';', ':', '(', ')', '!', '?', '"'])
        .map_or(0, |i| i + 1);
    let clause = before[start..].trim();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let letters = short.chars().filter(|c| c.is_alphanumeric()).count();
    let earliest = words.len().saturating_sub(2 * letters + 4);
    for s in (earliest..words.len()).rev() {
        let first = words[s].trim_start_matches(|c: char| !c.is_alphanumeric());
        if first.is_empty() || SMALL_WORDS.contains(&first.to_lowercase().as_str()) {
            continue;
        }
        let candidate = words[s..].join(" ");
        if initials_match(short, &candidate) {
            return Some(tidy_long(&candidate));
        }
    }
    None
}

/// One way the manual spells out an acronym.
pub(super) struct Variant {
    /// [`phrase_key`] of the long form: singular and plural share it.
    pub(super) key: String,
    pub(super) long: String,
    pub(super) line: usize,
    pub(super) count: usize,
}

pub(super) fn inline_acronyms(segments: &[Segment]) -> Vec<Acronym> {
    // Lower-case short form → (short form as first written, its variants),
    // kept in order of first definition.
    let mut found: HashMap<String, (String, Vec<Variant>)> = HashMap::default();
    let mut order: Vec<String> = Vec::new();
    for seg in segments {
        for (short, long) in find_inline_acronyms(&seg.text) {
            let key = phrase_key(&long);
            let entry = found.entry(short.to_lowercase()).or_insert_with(|| {
                order.push(short.to_lowercase());
                (short.clone(), Vec::new())
            });
            match entry.1.iter_mut().find(|v| v.key == key) {
                Some(v) => {
                    v.count += 1;
                    // Show the singular.
                    if long.len() < v.long.len() {
                        v.long = long;
                    }
                }
                None => entry.1.push(Variant {
                    key,
                    long,
                    line: seg.line,
                    count: 1,
                }),
            }
        }
    }
    order
        .into_iter()
        .filter_map(|k| {
            let (short, variants) = found.remove(&k)?;
            // The most often used expansion; the first on a tie.
            let best = variants
                .into_iter()
                .enumerate()
                .max_by_key(|(i, v)| (v.count, std::cmp::Reverse(*i)))?
                .1;
            Some(Acronym {
                short,
                long: best.long,
                source: AcronymSource::Inline { line: best.line },
            })
        })
        .collect()
}

/// The long form of a plural acronym made singular ("Integrated Care
/// Boards (ICBs)" defines `ICB`, "Integrated Care Board").
pub(super) fn singular_phrase(long: &str) -> String {
    match long.rsplit_once(' ') {
        Some((head, last)) => format!("{head} {}", singular_word(last)),
        None => singular_word(long),
    }
}

/// English plurals are irregular enough that "-ses" ("viruses", "houses")
/// is left alone rather than guessed at.
pub(super) fn singular_word(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
        format!("{stem}y")
    } else if ["ses", "ss", "us", "is"].iter().any(|e| w.ends_with(e)) {
        w.to_string()
    } else {
        w.strip_suffix('s').unwrap_or(w).to_string()
    }
}
