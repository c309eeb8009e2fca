//! Everyday words → the manual's words (`data/everyday-terms.tsv`).
//!
//! People search in plain English ("dad", "ring", "pub"); the procedures
//! use the professional register ("father", "telephone", "licensed
//! premises"). The entries are matched on word stems as ordered
//! subsequences of the query (up to two other words between), so "asking
//! strangers for money" finds the entry "asking for money". Parsing and
//! matching are pure.

use std::sync::OnceLock;

use crate::text::analysis::{self, WordStemmer, is_stopword};

/// The shipped file.
pub const EVERYDAY_TSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/everyday-terms.tsv"
));

/// One entry: the everyday words and what the manual calls them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub everyday: String,
    /// The everyday words that must match (lower case, small words dropped).
    pub words: Vec<String>,
    /// Their stems, made when a query first could match the entry (stemming
    /// all entries up front was most of a one-shot search's start-up).
    key: OnceLock<Vec<String>>,
    /// Manual terms, most specific first.
    pub manual: Vec<String>,
    /// 1-based line in the file.
    pub line: usize,
}

impl Entry {
    /// Stems of the everyday words.
    pub fn key(&self, stemmer: &mut WordStemmer) -> &[String] {
        self.key
            .get_or_init(|| self.words.iter().map(|w| stemmer.stem(w)).collect())
    }
}

/// The first three characters: a word and its stem share them (stems are
/// prefixes of their words, but for a final y → i).
fn head(w: &str) -> &str {
    w.char_indices().nth(3).map_or(w, |(i, _)| &w[..i])
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("everyday-terms line {line}: {message}")]
pub struct ThesaurusError {
    pub line: usize,
    pub message: String,
}

/// Parses the file format (see the file's header).
pub fn parse(text: &str) -> Result<Vec<Entry>, ThesaurusError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let err = |message: &str| ThesaurusError {
            line,
            message: message.to_string(),
        };
        let (everyday, manual) = t
            .split_once('\t')
            .ok_or_else(|| err("expected everyday<TAB>manual"))?;
        let manual: Vec<String> = manual
            .split(';')
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty())
            .collect();
        let words: Vec<String> = analysis::tokenize(everyday)
            .into_iter()
            .filter(|t| !t.synthetic && !is_stopword(&t.text))
            .map(|t| t.text)
            .collect();
        if words.is_empty() || manual.is_empty() {
            return Err(err("empty everyday words or manual terms"));
        }
        out.push(Entry {
            everyday: everyday.trim().to_string(),
            words,
            key: OnceLock::new(),
            manual,
            line,
        });
    }
    Ok(out)
}

/// The shipped entries (the file is checked by the test suite).
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| parse(EVERYDAY_TSV).unwrap_or_default())
}

/// A match of an entry in a query: the positions of the matched words (in
/// the stem list given) and the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'a> {
    pub positions: Vec<usize>,
    pub entry: &'a Entry,
}

/// Entries whose key occurs in the query (its content words, lower case,
/// and their `stems`, in order) as a subsequence with at most two words
/// between its words. Longer keys win over shorter ones they contain.
pub fn find<'a>(
    entries: &'a [Entry],
    words: &[String],
    stems: &[String],
    stemmer: &mut WordStemmer,
) -> Vec<Match<'a>> {
    let heads: Vec<&str> = words.iter().map(|w| head(w)).collect();
    let mut found: Vec<Match<'a>> = Vec::new();
    for e in entries {
        // Cheap test first: no query word starts like the entry's first.
        if !heads.contains(&head(&e.words[0])) {
            continue;
        }
        let key = e.key(stemmer);
        'start: for s in 0..stems.len() {
            if stems[s] != key[0] {
                continue;
            }
            let mut positions = vec![s];
            let mut at = s;
            for k in &key[1..] {
                let next = (at + 1..stems.len().min(at + 4)).find(|&j| &stems[j] == k);
                match next {
                    Some(j) => {
                        positions.push(j);
                        at = j;
                    }
                    None => continue 'start,
                }
            }
            found.push(Match {
                positions,
                entry: e,
            });
            break;
        }
    }
    // Drop matches whose words are all inside a longer match.
    let keep: Vec<bool> = found
        .iter()
        .map(|m| {
            !found.iter().any(|o| {
                o.positions.len() > m.positions.len()
                    && m.positions.iter().all(|p| o.positions.contains(p))
            })
        })
        .collect();
    found
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(m, _)| m)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_in<'a>(entries: &'a [Entry], q: &str) -> Vec<Match<'a>> {
        let mut st = WordStemmer::default();
        let words: Vec<String> = analysis::tokenize(q)
            .into_iter()
            .filter(|t| !is_stopword(&t.text))
            .map(|t| t.text)
            .collect();
        let stems: Vec<String> = words.iter().map(|w| st.stem(w)).collect();
        find(entries, &words, &stems, &mut st)
    }

    #[test]
    fn the_shipped_file_parses() {
        let e = parse(EVERYDAY_TSV).unwrap();
        assert!(e.len() > 150, "{}", e.len());
        assert!(e.iter().all(|x| !x.manual.is_empty()));
    }

    #[test]
    fn matches_on_stems_with_gaps_and_prefers_longer_keys() {
        let entries = parse("ring\ttelephone\nasking for money\tbegging\nforced to marry\tforced marriage\nmarry\tmarriage\n").unwrap();
        let m = find_in(&entries, "neighbour rings about it");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].entry.manual, ["telephone"]);
        let m = find_in(&entries, "children asking strangers for money");
        assert_eq!(m[0].entry.manual, ["begging"]);
        assert_eq!(m[0].positions, [1, 3]);
        let m = find_in(&entries, "girl forced to marry");
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].entry.manual, ["forced marriage"]);
    }

    #[test]
    fn malformed_lines_are_reported() {
        assert_eq!(parse("no tab here").unwrap_err().line, 1);
        assert_eq!(parse("# c\n\nword\t ; \n").unwrap_err().line, 3);
    }
}
