//! The manual's glossary (Appendix 5, "A guide to the acronyms used in these
//! procedures"), read from the table blocks the parser made of it.

use super::aliases::strip_leading_article;
use super::segments::plain;
use super::{Acronym, AcronymSource, initials_match};
use crate::manual::document::{Block, Document, Node};
use crate::text::markup::normalize_title;
/// The glossary is the appendix titled "A guide to the acronyms used in
/// these procedures".
pub(super) fn is_glossary(node: &Node) -> bool {
    normalize_title(&node.title).contains("guide to the acronyms")
}

pub(super) fn glossary(doc: &Document) -> Vec<Acronym> {
    let mut out: Vec<Acronym> = Vec::new();
    let nodes = doc.nodes.iter().filter(|n| is_glossary(n));
    for node in nodes {
        for block in &node.blocks {
            let Block::Table { rows, .. } = block else {
                continue;
            };
            for row in rows {
                let [short, long, ..] = row.as_slice() else {
                    continue;
                };
                let short = plain(short).trim().to_string();
                let long = clean_long(&plain(long));
                if !looks_like_glossary_short(&short) || long.is_empty() {
                    continue;
                }
                let mut entries = vec![(short.clone(), long.clone())];
                entries.extend(split_compound(&short, &long));
                for (s, l) in entries {
                    if !out.iter().any(|a| a.short.eq_ignore_ascii_case(&s)) {
                        out.push(Acronym {
                            short: s,
                            long: l,
                            source: AcronymSource::Glossary,
                        });
                    }
                }
            }
        }
    }
    out
}

/// A glossary short form: one or two words, each with at least two capitals
/// (`LADO`, `DfE`, `OASys`, `SET CAMHS`).
pub(super) fn looks_like_glossary_short(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w.len() <= 12
                && w.chars().filter(|c| c.is_uppercase()).count() >= 2
                && w.chars()
                    .all(|c| c.is_alphanumeric() || c == '&' || c == '-')
        })
}

/// A long form without a leading article or a trailing parenthetical ("The
/// Crown Prosecution Service", "National Police Chiefs Council (formerly
/// …)"): the parenthetical is an alias, which the alias miner picks up.
pub(super) fn clean_long(s: &str) -> String {
    let mut s = s.trim();
    if s.ends_with(')')
        && let Some(open) = s.rfind('(')
        && open > 0
    {
        s = s[..open].trim_end();
    }
    strip_leading_article(s).to_string()
}

/// "SET CAMHS" = "Southend, Essex and Thurrock Child and Adolescent Mental
/// Health Service" also defines "SET" and "CAMHS", which is what people type.
pub(super) fn split_compound(short: &str, long: &str) -> Vec<(String, String)> {
    let parts: Vec<&str> = short.split_whitespace().collect();
    let [first, second] = parts.as_slice() else {
        return Vec::new();
    };
    let words: Vec<&str> = long.split_whitespace().collect();
    for k in 1..words.len() {
        let head = words[..k].join(" ");
        let tail = words[k..].join(" ");
        if initials_match(first, &head) && initials_match(second, &tail) {
            let head = head
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            return vec![(first.to_string(), head), (second.to_string(), tail)];
        }
    }
    Vec::new()
}
