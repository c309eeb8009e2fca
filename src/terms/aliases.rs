//! Old and colloquial names the manual states itself ("… (formerly known as
//! sexting)", "often referred to as 'Clare's Law'", "… was replaced by …"):
//! the cue phrases, and reading the term and what it names on either side.

use super::acronyms::SMALL_WORDS;
use super::phrase_key;
/// Which side of a cue names the old or colloquial term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// "X (formerly known as Y)", "X, often referred to as Y": Y is the
    /// other name, X the manual's.
    OtherAfter,
    /// "X was replaced by Y", "X will now be known as Y": X is the old name.
    CurrentAfter,
    /// "A and B have been merged to create C": A and B are old names.
    Merged,
}

/// The phrasings in which the manual names its terms' other names. The
/// qualifier matters: a bare "known as" or "referred to as" usually
/// introduces a definition, not another name.
pub(super) const CUES: &[(&str, Direction)] = &[
    ("formerly known as", Direction::OtherAfter),
    ("previously known as", Direction::OtherAfter),
    ("formerly called", Direction::OtherAfter),
    ("previously called", Direction::OtherAfter),
    ("may be known as", Direction::OtherAfter),
    ("sometimes also known as", Direction::OtherAfter),
    ("also known as", Direction::OtherAfter),
    ("sometimes known as", Direction::OtherAfter),
    ("often known as", Direction::OtherAfter),
    ("commonly known as", Direction::OtherAfter),
    ("otherwise known as", Direction::OtherAfter),
    ("also called", Direction::OtherAfter),
    ("sometimes called", Direction::OtherAfter),
    ("often called", Direction::OtherAfter),
    ("commonly called", Direction::OtherAfter),
    ("often be referred to as", Direction::OtherAfter),
    ("often referred to as", Direction::OtherAfter),
    ("sometimes referred to as", Direction::OtherAfter),
    ("generally referred to as", Direction::OtherAfter),
    ("commonly referred to as", Direction::OtherAfter),
    ("usually referred to as", Direction::OtherAfter),
    ("also referred to as", Direction::OtherAfter),
    ("in some areas referred to as", Direction::OtherAfter),
    ("replacing the term", Direction::OtherAfter),
    ("(formerly ", Direction::OtherAfter),
    ("(previously ", Direction::OtherAfter),
    ("now be known as", Direction::CurrentAfter),
    ("now known as", Direction::CurrentAfter),
    ("was replaced by", Direction::CurrentAfter),
    ("were replaced by", Direction::CurrentAfter),
    ("has been replaced by", Direction::CurrentAfter),
    ("have been replaced by", Direction::CurrentAfter),
    // Only with "in this procedure" and the like after the term, see
    // `own_term_follows`: the manual stating its own word for something.
    ("referred to as", Direction::CurrentAfter),
    ("merged to create", Direction::Merged),
    ("merged to form", Direction::Merged),
    ("merged into", Direction::Merged),
];

/// What the other side of an alias refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Antecedent {
    Phrase(String),
    /// "This is sometimes known as …": the nearest heading above.
    Heading,
    /// "This section … (replacing the term …)": the section's title.
    Node,
}

/// Whether a cue found in the text is really one: "referred to as" only
/// before the manual's own term, "(formerly " not as "(formerly known".
fn cue_applies(cue: &str, after: &str, rest: &str) -> bool {
    if cue == "referred to as" && !own_term_follows(rest) {
        return false;
    }
    !((cue == "(formerly " || cue == "(previously ")
        && ["known", "called"].iter().any(|w| after.starts_with(w)))
}

/// What the text before a cue names: the section itself ("replacing the
/// term" in a sentence about it), a whole heading before a parenthetical,
/// or the phrase just before the cue.
fn antecedent_for(cue: &str, before: &str, heading: bool) -> Option<Antecedent> {
    if cue == "replacing the term" && sentence_is_about_this_section(before) {
        Some(Antecedent::Node)
    } else if heading && before.trim_end().ends_with('(') {
        let whole = before.trim_end().trim_end_matches('(');
        Some(Antecedent::Phrase(tidy_phrase(strip_numbering(whole))))
    } else {
        antecedent_before(before)
    }
}

/// Every `(other name, what it names)` pair that `text` states. `heading`
/// says the text is a heading or table cell, where a parenthetical names
/// everything before it.
pub fn mine_aliases(text: &str, heading: bool) -> Vec<(String, Antecedent)> {
    let lower = text.to_ascii_lowercase();
    // Every cue contains one of these words; most text contains none, and
    // searching it for each cue in turn was most of the mining time.
    const CUE_WORDS: &[&str] = &[
        "known",
        "called",
        "referred",
        "replac",
        "formerly",
        "previously",
        "merged",
    ];
    if !CUE_WORDS.iter().any(|w| lower.contains(w)) {
        return Vec::new();
    }
    let mut used: Vec<std::ops::Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for &(cue, direction) in CUES {
        for (at, _) in lower.match_indices(cue) {
            let range = at..at + cue.len();
            if used
                .iter()
                .any(|r| r.start < range.end && range.start < r.end)
            {
                continue;
            }
            // Cues are words: "(previously " must not be "(previously known".
            if !starts_word(&lower, at) || !ends_word(&lower, range.end) {
                continue;
            }
            let after = &text[range.end..];
            let Some((other, rest)) = phrase_after(after) else {
                continue;
            };
            if !cue_applies(cue, after, rest) {
                continue;
            }
            let before = &text[..at];
            if direction == Direction::Merged {
                // "A and the B have been merged to create C": each of A, B.
                let subject = last_clause(strip_auxiliaries(before));
                for part in subject.split(" and the ") {
                    out.push((tidy_phrase(part), Antecedent::Phrase(other.clone())));
                }
                used.push(range);
                continue;
            }
            let Some(antecedent) = antecedent_for(cue, before, heading) else {
                continue;
            };
            used.push(range);
            match (direction, antecedent) {
                (Direction::CurrentAfter, Antecedent::Phrase(old)) => {
                    out.push((old, Antecedent::Phrase(other)))
                }
                (Direction::CurrentAfter, _) => {}
                (_, a) => out.push((other, a)),
            }
        }
    }
    out.retain(|(term, means)| {
        plausible_term(term)
            && match means {
                Antecedent::Phrase(p) => plausible_term(p) && phrase_key(p) != phrase_key(term),
                _ => true,
            }
    });
    out
}

pub(super) fn starts_word(s: &str, at: usize) -> bool {
    s[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
        || s[at..].starts_with('(')
}

pub(super) fn ends_word(s: &str, end: usize) -> bool {
    s[..end].ends_with(' ') || s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// "(referred to as the designated safeguarding lead in this procedure)":
/// the manual naming its own term, not just describing something.
pub(super) fn own_term_follows(rest: &str) -> bool {
    let rest = rest.trim_start().to_ascii_lowercase();
    [
        "in this ",
        "in these ",
        "throughout this ",
        "throughout these ",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
}

pub(super) fn sentence_is_about_this_section(before: &str) -> bool {
    let sentence = before.rsplit(". ").next().unwrap_or(before);
    let sentence = strip_numbering(sentence.trim_start_matches(['-', ' ']))
        .trim_start()
        .to_ascii_lowercase();
    ["this section", "this chapter", "this procedure"]
        .iter()
        .any(|p| sentence.starts_with(p))
}

/// Words that begin a phrase's boundary when read backwards: verbs and
/// prepositions that introduce a noun phrase ("including …", "make a …").
pub(super) const BACK_STOPS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "as",
    "such",
    "including",
    "include",
    "includes",
    "by",
    "from",
    "to",
    "with",
    "make",
    "makes",
    "made",
    "describe",
    "describes",
    "described",
    "use",
    "used",
    "called",
    "into",
    "under",
    "about",
    "between",
    "within",
    "e.g.",
    "i.e.",
    "means",
    "where",
    "when",
    "whether",
    "if",
    "than",
    "via",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "should",
    "must",
    "designate",
];

/// Words that end a phrase read forwards.
pub(super) const FORWARD_STOPS: &[&str] = &[
    "and",
    "or",
    "which",
    "that",
    "who",
    "whom",
    "is",
    "are",
    "was",
    "were",
    "be",
    "can",
    "may",
    "will",
    "should",
    "must",
    "in",
    "throughout",
    "for",
    "to",
    "with",
    "by",
    "from",
    "as",
    "when",
    "where",
    "if",
    "but",
    "within",
    "under",
];

/// Auxiliaries and adverbs between a subject and a cue ("… which *are*
/// sometimes referred to as", "CRB checks *will* now be known as").
pub(super) const AUXILIARIES: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "can",
    "may",
    "will",
    "have",
    "has",
    "had",
    "also",
    "now",
    "often",
    "sometimes",
    "generally",
    "commonly",
    "usually",
    "could",
    "would",
    "might",
];

/// Words that point back rather than name something.
pub(super) const ANAPHORS: &[&str] = &["this", "these", "it", "they", "those"];

/// Words that are never a term on their own.
pub(super) const NOT_TERMS: &[&str] = &[
    "another",
    "other",
    "others",
    "one",
    "it",
    "this",
    "that",
    "these",
    "those",
    "them",
    "they",
    "which",
    "what",
    "above",
    "below",
    "something",
    "anything",
    "such",
    "them",
    "there",
    "here",
];

/// The thing named just before a cue, read backwards from its end.
pub(super) fn antecedent_before(before: &str) -> Option<Antecedent> {
    let mut s = before
        .trim_end()
        .trim_end_matches(['(', ',', '-', ' '])
        .trim_end();
    // A quoted antecedent is taken whole ("… designate 'a particular
    // officer, or team of officers' (previously called …)").
    if let Some(q) = quoted_at_end(s) {
        return Some(Antecedent::Phrase(tidy_phrase(q)));
    }
    s = strip_auxiliaries(s);
    let (head, last) = split_last_word(s);
    let last_lower = last.to_ascii_lowercase();
    if ["which", "that", "who"].contains(&last_lower.as_str()) {
        // A relative clause: the antecedent is what comes before it.
        let head = head.trim_end();
        let head = head.strip_suffix(" and").unwrap_or(head);
        return noun_phrase(head.trim_end().trim_end_matches(',')).map(Antecedent::Phrase);
    }
    // "This", "These meetings", "It" at a sentence start point back to the
    // heading.
    let clause = last_clause(s);
    let words: Vec<&str> = clause.split_whitespace().collect();
    if let Some(first) = words.first()
        && words.len() <= 2
        && ANAPHORS.contains(&first.to_ascii_lowercase().as_str())
    {
        return Some(Antecedent::Heading);
    }
    noun_phrase(s).map(Antecedent::Phrase)
}

/// "which are sometimes" → "which"; "CRB checks will" → "CRB checks".
pub(super) fn strip_auxiliaries(mut s: &str) -> &str {
    s = s.trim_end();
    loop {
        let (head, last) = split_last_word(s);
        if AUXILIARIES.contains(&last.to_ascii_lowercase().as_str()) {
            s = head.trim_end();
        } else {
            return s;
        }
    }
}

pub(super) fn split_last_word(s: &str) -> (&str, &str) {
    match s.rfind(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => ("", s),
    }
}

/// The text within quotes at the end of `s`, if `s` ends with a closing quote.
pub(super) fn quoted_at_end(s: &str) -> Option<&str> {
    let q = s.chars().next_back().filter(|c| *c == '\'' || *c == '"')?;
    let body = &s[..s.len() - 1];
    // The opening quote: the last one at a word start.
    let open = body
        .char_indices()
        .filter(|&(i, c)| {
            c == q
                && body[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|p| !p.is_alphanumeric())
        })
        .map(|(i, _)| i)
        .next_back()?;
    Some(&body[open + 1..])
}

/// The last clause of `s`: after the last sentence end, semicolon, colon,
/// comma or unmatched bracket.
pub(super) fn last_clause(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let next_space = bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
        let boundary = match b {
            b'(' | b')' | b'!' | b'?' => true,
            b'.' | b';' | b':' | b',' => next_space,
            _ => false,
        };
        if boundary {
            start = i + 1;
        }
    }
    s[start..].trim()
}

/// Removes complete bracketed groups: "Scheme (DVDS) assessment" → "Scheme
/// assessment".
pub(super) fn without_parentheticals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut pending = String::new();
    for c in s.chars() {
        match c {
            '(' => {
                depth += 1;
                pending.push(c);
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    pending.clear();
                } else {
                    pending.push(c);
                }
            }
            c if depth > 0 => pending.push(c),
            c => out.push(c),
        }
    }
    // An unclosed bracket stays: it is a clause boundary.
    out.push_str(&pending);
    out
}

/// The noun phrase that ends `s`: the last clause, cut at the last verb or
/// preposition that introduces it. A proper name of two or more capitalised
/// words inside it is preferred ("make a Domestic Violence Disclosure Scheme
/// (DVDS) assessment" → "Domestic Violence Disclosure Scheme").
pub(super) fn noun_phrase(s: &str) -> Option<String> {
    let s = strip_trailing_reference(&without_parentheticals(s));
    let clause = last_clause(&s);
    let words: Vec<&str> = clause.split_whitespace().collect();
    let start = words
        .iter()
        .rposition(|w| BACK_STOPS.contains(&w.to_ascii_lowercase().as_str()))
        .map_or(0, |i| i + 1);
    let words = &words[start..];
    if words.is_empty() {
        return None;
    }
    if let Some(name) = last_proper_name(words) {
        return Some(name);
    }
    // A single capitalised word keeps the words after it ("CRB checks").
    if let Some(i) = words.iter().rposition(|w| is_capitalised(w))
        && i > 0
        && words.len() - i <= 3
        && !is_article(words[i])
    {
        return Some(tidy_phrase(&words[i..].join(" ")));
    }
    let phrase = tidy_phrase(&words.join(" "));
    (phrase.split_whitespace().count() <= 8).then_some(phrase)
}

/// "… threshold in 7.1.1" → "… threshold".
pub(super) fn strip_trailing_reference(s: &str) -> String {
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while let Some(last) = words.last() {
        let is_number = last.chars().any(|c| c.is_ascii_digit())
            && last.chars().all(|c| c.is_ascii_digit() || c == '.');
        if !is_number {
            break;
        }
        words.pop();
        if let Some(prep) = words.last()
            && ["in", "at", "see", "para", "paragraph", "section"]
                .contains(&prep.to_ascii_lowercase().as_str())
        {
            words.pop();
        }
    }
    words.join(" ")
}

pub(super) fn is_capitalised(w: &str) -> bool {
    w.trim_start_matches(['\'', '"'])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase())
}

pub(super) fn is_article(w: &str) -> bool {
    ["the", "a", "an"].contains(&w.to_ascii_lowercase().as_str())
}

/// The last run of two or more capitalised words (small words allowed
/// between capitalised ones), without a leading article.
pub(super) fn last_proper_name(words: &[&str]) -> Option<String> {
    let mut end = words.len();
    while end > 0 {
        // Find the end of a run.
        while end > 0 && !is_capitalised(words[end - 1]) {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        let mut start = end - 1;
        while start > 0 {
            let w = words[start - 1];
            if is_capitalised(w) {
                start -= 1;
            } else if SMALL_WORDS.contains(&w.to_ascii_lowercase().as_str())
                && start >= 2
                && is_capitalised(words[start - 2])
            {
                start -= 2;
            } else {
                break;
            }
        }
        let run: Vec<&str> = words[start..end]
            .iter()
            .copied()
            .skip_while(|w| is_article(w))
            .collect();
        if run.len() >= 2 {
            return Some(tidy_phrase(&run.join(" ")));
        }
        end = start;
    }
    None
}

/// The name that follows a cue, and the text after it. A quoted name is
/// taken whole (plus one following noun: "'brown envelope' material"); a
/// capitalised one runs while words are capitalised (small words allowed
/// between); otherwise up to a clause word or punctuation.
pub(super) fn phrase_after(after: &str) -> Option<(String, &str)> {
    let mut s = after.trim_start();
    if let Some(rest) = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .or_else(|| s.strip_prefix("a "))
        .or_else(|| s.strip_prefix("an "))
    {
        s = rest.trim_start();
    }
    let first = s.chars().next()?;
    if first == '\'' || first == '"' {
        let body = &s[1..];
        let close = body
            .char_indices()
            .find(|&(i, c)| {
                c == first
                    && body[i + 1..]
                        .chars()
                        .next()
                        .is_none_or(|n| !n.is_alphanumeric())
            })
            .map(|(i, _)| i)?;
        let mut phrase = body[..close].to_string();
        let mut rest = &body[close + 1..];
        if rest.starts_with(' ') {
            let (word, tail) = next_word(rest);
            let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !bare.is_empty()
                && bare.chars().all(|c| c.is_lowercase())
                && !FORWARD_STOPS.contains(&bare)
            {
                phrase.push(' ');
                phrase.push_str(bare);
                rest = tail;
            }
        }
        return Some((tidy_phrase(&phrase), rest));
    }
    let capitalised = first.is_uppercase();
    let mut taken: Vec<&str> = Vec::new();
    let mut rest = s;
    loop {
        let (word, tail) = next_word(rest);
        if word.is_empty() {
            break;
        }
        // A trailing apostrophe is a possessive ("Churches' Child …").
        let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let opens = word.starts_with('(');
        if opens || bare.is_empty() {
            break;
        }
        let lower = bare.to_ascii_lowercase();
        if capitalised {
            if is_capitalised(bare) {
                // keep going
            } else if SMALL_WORDS.contains(&lower.as_str()) && is_capitalised(next_word(tail).0) {
                // a small word inside a name
            } else if !FORWARD_STOPS.contains(&lower.as_str())
                && taken.last().is_some_and(|w| is_capitalised(w))
                && bare.chars().all(|c| c.is_lowercase())
            {
                // one trailing noun: "Gillick Competency test", "DBS checks"
                taken.push(bare);
                rest = tail;
                break;
            } else {
                break;
            }
        } else if FORWARD_STOPS.contains(&lower.as_str()) || taken.len() >= 6 {
            break;
        }
        taken.push(bare);
        rest = tail;
        if bare != word {
            break; // punctuation ends the phrase
        }
    }
    if taken.is_empty() {
        return None;
    }
    Some((tidy_phrase(&taken.join(" ")), rest))
}

pub(super) fn next_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// Leading articles and trailing punctuation off, single spaces.
pub(super) fn tidy_phrase(s: &str) -> String {
    let s = s
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .trim_matches(['\'', '"']);
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while words.first().is_some_and(|w| {
        is_article(w)
            || ["in", "on", "for", "of", "this", "these"].contains(&w.to_ascii_lowercase().as_str())
    }) {
        words.remove(0);
    }
    words.join(" ")
}

pub(super) fn strip_numbering(s: &str) -> &str {
    let t = s.trim_start();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    if end > 0 && t[end..].starts_with(' ') {
        t[end..].trim_start()
    } else {
        t
    }
}

pub(super) fn strip_leading_article(s: &str) -> &str {
    for a in ["The ", "the "] {
        if let Some(rest) = s.strip_prefix(a) {
            return rest.trim_start();
        }
    }
    s
}

/// A term worth keeping: some letters, not a list, not a pronoun, not a
/// sentence.
pub(super) fn plausible_term(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && !s.contains(',')
        && !words.is_empty()
        && words.len() <= 12
        && (words.len() > 1 || !NOT_TERMS.contains(&words[0].to_ascii_lowercase().as_str()))
        && !s.to_ascii_lowercase().ends_with(" etc")
        // "the above", "the following": a pointer to nearby text.
        && !words
            .last()
            .is_some_and(|w| ["above", "below", "following"].contains(&w.to_ascii_lowercase().as_str()))
}
