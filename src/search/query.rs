//! Reading what was typed: words, quoted phrases and an unfinished last
//! word ([`parse_query`], pure), ages, and questions about time.

use std::sync::OnceLock;

use crate::text::analysis::{self};

/// Ages typed as "15 year old" or "aged 15": (position of the number, words
/// the age spans, the manual's band it falls under: 13, 16 or 18).
pub(super) fn age_bands(words: &[String]) -> Vec<(usize, usize, Option<u32>)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Ok(age) = w.parse::<u32>() else { continue };
        let year = |k: usize| {
            words
                .get(k)
                .is_some_and(|y| matches!(y.as_str(), "year" | "years" | "yr" | "yrs"))
        };
        let len = if year(i + 1) && words.get(i + 2).is_some_and(|o| o == "old") {
            3
        } else if i > 0 && words[i - 1] == "aged" {
            1
        } else {
            continue;
        };
        if !(1..=25).contains(&age) {
            continue;
        }
        let band = [13, 16, 18].into_iter().find(|b| age < *b);
        out.push((i, len, band));
    }
    out
}

/// A query as typed, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// Words outside quotes, in order, as typed (case kept).
    pub words: Vec<String>,
    /// Quoted phrases, each as its words (lower case).
    pub phrases: Vec<Vec<String>>,
    /// Whether the last word could still be growing (no space or quote
    /// after it).
    pub open_end: bool,
}

/// Splits a raw query into words and quoted phrases (pure, never fails).
///
/// Quotes pair up left to right; an unpaired quote is ignored. Punctuation
/// and operators (`AND`, `:`, `*`, `-`) are separators.
pub fn parse_query(raw: &str) -> ParsedQuery {
    // Bound the work: a query is a few words; 10 kB of text is searched by
    // its first 64 words.
    const MAX_WORDS: usize = 64;
    let quote_count = raw.matches('"').count();
    let usable_quotes = quote_count - quote_count % 2;
    let mut q = ParsedQuery::default();
    let mut in_quote = false;
    let mut seen = 0;
    let mut segment_start = 0;
    let mut segments: Vec<(bool, &str)> = Vec::new();
    for (i, c) in raw.char_indices() {
        if c == '"' {
            if seen < usable_quotes {
                segments.push((in_quote, &raw[segment_start..i]));
                in_quote = !in_quote;
                segment_start = i + 1;
            }
            seen += 1;
        }
    }
    segments.push((in_quote, &raw[segment_start..]));
    for (quoted, seg) in segments {
        let mut toks: Vec<String> = Vec::new();
        for t in analysis::tokenize(seg) {
            if t.synthetic {
                // "section 47" / "S.47": one word, as the index has it.
                toks.truncate(toks.len().saturating_sub(2));
            }
            toks.push(seg[t.start..t.end].to_string());
        }
        if quoted {
            let words: Vec<String> = toks.iter().map(|w| fold(w)).collect();
            if !words.is_empty() {
                q.phrases.push(words);
            }
        } else {
            q.words.extend(toks);
        }
    }
    q.words.truncate(MAX_WORDS);
    q.phrases.truncate(8);
    for p in &mut q.phrases {
        p.truncate(MAX_WORDS);
    }
    let last = raw.chars().last();
    q.open_end = !q.words.is_empty()
        && last.is_some_and(char::is_alphanumeric)
        && quote_count.is_multiple_of(2);
    q
}

/// A typed word as the index holds it (lower case, folded, possessive off;
/// `section 47` → `s47`).
pub(super) fn fold(word: &str) -> String {
    let toks = analysis::tokenize(word);
    if let Some(t) = toks.iter().find(|t| t.synthetic) {
        return t.text.clone();
    }
    toks.into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join("")
}

/// Real English words, to tell them apart from typos. Words in this list
/// are never "corrected" even when the manual does not use them.
pub fn is_english_word(word: &str) -> bool {
    // A binary search over the embedded, sorted list as it is: splitting
    // 63,000 lines up front cost more than a whole one-shot search.
    static WORDS: OnceLock<&'static str> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let all = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/words-en-gb.txt"));
        // Skip the comment header.
        let body = all
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.len() + 1)
            .sum::<usize>();
        &all[body.min(all.len())..]
    });
    !word.is_empty() && crate::text::markup::find_line(words, word).is_some()
}

/// Whether lower-case query words ask "how long", "how soon", "how
/// quickly", "by when" or "when must/should".
pub(super) fn asks_about_time(words: &[String]) -> bool {
    words.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            ("how", "long" | "soon" | "quickly" | "fast" | "often")
                | ("by", "when")
                | ("when", "must" | "should")
        )
    }) || words.iter().any(|w| {
        matches!(
            w.as_str(),
            "timescale" | "timescales" | "deadline" | "deadlines"
        )
    })
}

/// The first occurrence of `needle` as a run in `hay` (both stems).
pub(super) fn find_seq(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}
