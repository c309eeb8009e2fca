//! The manual's vocabulary: acronyms and the other names its terms go by.
//!
//! People search the manual with the words they know, and those are often
//! not the manual's words: an acronym ("LADO") where the text spells the
//! name out, or the reverse; an old or colloquial name ("sexting", "serious
//! case review", "Clare's Law") where the manual uses the current one. The
//! search engine uses this module to widen a query with those other names.
//!
//! Everything here is read from the manual itself where it can be, so that a
//! new edition brings its own vocabulary with it:
//!
//! - the glossary (Appendix 5, "A guide to the acronyms used in these
//!   procedures"), which the parser turns into table blocks;
//! - acronyms the body defines inline, as "Full Name (ACR)" or
//!   "ACR (Full Name)", accepted only when the acronym's letters can be read
//!   off the words of the full name (see [`initials_match`]);
//! - old and colloquial names the manual states itself ("… (formerly known
//!   as sexting)", "often referred to as 'Clare's Law'", "… was replaced by
//!   …"), see [`mine_aliases`].
//!
//! On top of that comes a small, hand-checked data file of national
//! terminology changes (`data/terminology.tsv`), each entry with its public
//! source, for the changes the manual does not spell out.
//!
//! The module is pure: it reads a [`Document`] and strings, and never panics.

pub mod thesaurus;

use crate::text::hash::FxHashMap as HashMap;
use crate::text::hash::FxHashSet as HashSet;
use std::rc::Rc;

use crate::manual::document::{Block, Document, Node};
use crate::manual::ids::NodeId;
use crate::text::markup::{normalize_title, plain_inline};

/// The national terminology changes shipped with setproc.
pub const TERMINOLOGY_TSV: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/terminology.tsv"));

/// Where an acronym's expansion comes from.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcronymSource {
    /// The manual's own glossary (Appendix 5). A two-word entry also gives
    /// its parts when each spells its share of the name: `SET CAMHS` gives
    /// `SET` (Southend, Essex and Thurrock) and `CAMHS`, which is what
    /// people type.
    Glossary,
    /// Defined in the body; `line` is the 1-based source line where the
    /// paragraph, list item or heading holding the first definition starts.
    Inline { line: usize },
}

/// An acronym and the name it stands for.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Acronym {
    /// As the manual writes it: `LADO`, `DfE`, `OASys`, `SET CAMHS`.
    pub short: String,
    pub long: String,
    pub source: AcronymSource,
}

/// Another name for one of the manual's terms: an old, colloquial or
/// regional name, or the national name for something the manual calls
/// differently.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The other name, as a searcher might type it ("sexting").
    pub term: String,
    /// What the manual (or current national guidance) calls it.
    pub means: String,
    /// Where the pairing is stated: `manual line 10149`, or the public
    /// document cited in the data file.
    pub source: String,
}

/// All the manual's acronyms and aliases.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default)]
pub struct Vocabulary {
    /// Glossary entries first, in glossary order, then inline definitions
    /// in reading order. Short forms are unique (case-insensitively).
    pub acronyms: Vec<Acronym>,
    /// Aliases mined from the manual in reading order, then the data file's.
    /// A pair both state (plurals, case and apostrophes aside) is kept once,
    /// with the manual as its source.
    pub aliases: Vec<Alias>,
    /// The node holding the glossary (the manual's acronym list).
    pub glossary_node: Option<NodeId>,
    /// Normalised keys of the entries, built on first lookup (a query
    /// looks up several phrases; normalising every entry each time cost
    /// more than the search itself).
    #[serde(skip)]
    keys: std::sync::OnceLock<Keys>,
}

#[derive(Debug, Clone, Default)]
struct Keys {
    /// `phrase_key` of each acronym's long form → acronym index.
    long: HashMap<String, usize>,
    /// `match_words` of each alias term.
    alias_words: Vec<Vec<String>>,
    /// The first word of each long form (its `phrase_key`).
    first_words: HashSet<String>,
}

impl PartialEq for Vocabulary {
    fn eq(&self, other: &Vocabulary) -> bool {
        self.acronyms == other.acronyms
            && self.aliases == other.aliases
            && self.glossary_node == other.glossary_node
    }
}

impl Eq for Vocabulary {}

/// A malformed line in a terminology file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    #[error(
        "terminology line {line}: expected 3 tab-separated columns (old term, current term, source), found {found}"
    )]
    Columns { line: usize, found: usize },
    #[error("terminology line {line}: the {column} column is empty")]
    EmptyField { line: usize, column: &'static str },
    #[error("terminology line {line}: '{term}' is already listed on line {first}")]
    Duplicate {
        line: usize,
        term: String,
        first: usize,
    },
}

impl Vocabulary {
    /// Reads the glossary, the inline acronym definitions and the stated
    /// aliases from `doc`, and adds the shipped terminology file.
    pub fn from_document(doc: &Document) -> Vocabulary {
        let segments = segments(doc);
        let mut acronyms = glossary(doc);
        let known: HashSet<String> = acronyms.iter().map(|a| a.short.to_lowercase()).collect();
        acronyms.extend(
            inline_acronyms(&segments)
                .into_iter()
                .filter(|a| !known.contains(&a.short.to_lowercase())),
        );

        let mut aliases = Vec::new();
        let mut seen = HashSet::default();
        for seg in &segments {
            for (term, means) in mine_aliases(&seg.text, seg.heading) {
                let means = match means {
                    Antecedent::Phrase(p) => p,
                    Antecedent::Heading => match &seg.context {
                        Some(c) => c.to_string(),
                        None => continue,
                    },
                    Antecedent::Node => match &seg.node_title {
                        Some(c) => c.to_string(),
                        None => continue,
                    },
                };
                push_alias(
                    &mut aliases,
                    &mut seen,
                    Alias {
                        term,
                        means,
                        source: format!("manual line {}", seg.line),
                    },
                );
            }
        }
        // The shipped file is checked by the test suite; should it ever be
        // malformed, the manual's own vocabulary still stands.
        for alias in parse_terminology_tsv(TERMINOLOGY_TSV).unwrap_or_default() {
            push_alias(&mut aliases, &mut seen, alias);
        }
        let glossary_node = doc.nodes.iter().find(|n| is_glossary(n)).map(|n| n.id);
        Vocabulary {
            acronyms,
            aliases,
            glossary_node,
            keys: std::sync::OnceLock::new(),
        }
    }

    /// The acronym a query token stands for, if any.
    ///
    /// A token typed exactly as the manual writes the acronym, or in
    /// capitals (`DFE` for `DfE`), always expands. Typed any other way
    /// (`lado`, `Send`) it expands only when it is not also an ordinary word
    /// by `is_common_word` (called with the lower-case token): `send` and
    /// `nice` stay words, `lado`, `marac` and `cdop` expand. A plural
    /// (`LADOs`) finds its singular.
    pub fn expand_acronym(
        &self,
        token_as_typed: &str,
        is_common_word: &dyn Fn(&str) -> bool,
    ) -> Option<&Acronym> {
        let token = token_as_typed.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        if token.is_empty() {
            return None;
        }
        self.lookup(token, is_common_word).or_else(|| {
            let singular = token
                .strip_suffix("'s")
                .or_else(|| token.strip_suffix('s'))
                .filter(|s| s.len() >= 2 && s.chars().all(|c| !c.is_lowercase()))?;
            self.lookup(singular, is_common_word)
        })
    }

    fn lookup(&self, token: &str, is_common_word: &dyn Fn(&str) -> bool) -> Option<&Acronym> {
        let acronym = self
            .acronyms
            .iter()
            .find(|a| a.short == token)
            .or_else(|| {
                self.acronyms
                    .iter()
                    .find(|a| a.short.eq_ignore_ascii_case(token))
            })?;
        let capitals = token.chars().all(|c| !c.is_lowercase());
        if acronym.short == token || capitals || !is_common_word(&token.to_lowercase()) {
            Some(acronym)
        } else {
            None
        }
    }

    /// The acronym whose full name is `phrase_words` (case, punctuation, a
    /// leading "the" and plural endings ignored): `["local", "authority",
    /// "designated", "officers"]` → `LADO`.
    pub fn acronym_for_phrase(&self, phrase_words: &[&str]) -> Option<&Acronym> {
        // Most word runs start with no long form's first word: reject them
        // before normalising the whole run.
        let first = phrase_words.iter().find(|w| !match_words(w).is_empty())?;
        let first = match_words(first);
        if first[0] != "the" && !self.keys().first_words.contains(&first[0]) {
            return None;
        }
        let phrase = phrase_key(&phrase_words.join(" "));
        if phrase.is_empty() {
            return None;
        }
        self.keys().long.get(&phrase).map(|&i| &self.acronyms[i])
    }

    fn keys(&self) -> &Keys {
        self.keys.get_or_init(|| {
            let mut long = HashMap::default();
            for (i, a) in self.acronyms.iter().enumerate() {
                // The first acronym with a long form wins, as a scan would.
                long.entry(phrase_key(&a.long)).or_insert(i);
            }
            let first_words = long
                .keys()
                .filter_map(|k| k.split(' ').next().map(str::to_string))
                .collect();
            Keys {
                long,
                alias_words: self.aliases.iter().map(|a| match_words(&a.term)).collect(),
                first_words,
            }
        })
    }

    /// The aliases whose term occurs in the query as whole words
    /// ("what is sexting" → sexting; "peer-on-peer abuse" matches
    /// "peer on peer abuse"; plural endings and apostrophes ignored).
    pub fn aliases_for(&self, query_lower: &str) -> Vec<&Alias> {
        let query = match_words(query_lower);
        self.aliases
            .iter()
            .zip(&self.keys().alias_words)
            .filter(|(_, term)| {
                !term.is_empty() && query.windows(term.len()).any(|w| w == term.as_slice())
            })
            .map(|(a, _)| a)
            .collect()
    }
}

fn push_alias(aliases: &mut Vec<Alias>, seen: &mut HashSet<(String, String)>, alias: Alias) {
    let key = (phrase_key(&alias.term), phrase_key(&alias.means));
    if key.0.is_empty() || key.1.is_empty() || key.0 == key.1 {
        return;
    }
    if seen.insert(key) {
        aliases.push(alias);
    }
}

/// Parses a terminology file: `old_term<TAB>current_term<TAB>source` per
/// line; blank lines and lines starting with `#` are comments. An old term
/// may appear only once (case-insensitively).
pub fn parse_terminology_tsv(text: &str) -> Result<Vec<Alias>, TermsError> {
    let mut out = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if cols.len() != 3 {
            return Err(TermsError::Columns {
                line,
                found: cols.len(),
            });
        }
        for (col, name) in cols.iter().zip(["old term", "current term", "source"]) {
            if col.is_empty() {
                return Err(TermsError::EmptyField { line, column: name });
            }
        }
        let key = phrase_key(cols[0]);
        if let Some(&first) = first_seen.get(&key) {
            return Err(TermsError::Duplicate {
                line,
                term: cols[0].to_string(),
                first,
            });
        }
        first_seen.insert(key, line);
        out.push(Alias {
            term: cols[0].to_string(),
            means: cols[1].to_string(),
            source: cols[2].to_string(),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Text the miners read

/// One piece of the manual's text, as plain text, with what anaphora in it
/// ("This is sometimes known as …") can refer to.
struct Segment {
    text: String,
    line: usize,
    /// A heading or table cell: a parenthetical names the whole text before it.
    heading: bool,
    /// The nearest sub-heading above, else the nearest non-generic title.
    /// (Shared, not copied: every segment of a node holds the same ones.)
    context: Option<Rc<str>>,
    /// The nearest non-generic title of the node (for "This section …").
    node_title: Option<Rc<str>>,
}

/// Titles too generic to say what "this" refers to.
const GENERIC_TITLES: &[&str] = &[
    "introduction",
    "definition",
    "definitions",
    "overview",
    "purpose",
    "scope",
    "background",
    "general",
    "summary",
    "context",
    "principles",
    "key points",
];

fn segments(doc: &Document) -> Vec<Segment> {
    let by_id: HashMap<NodeId, &Node> = doc.nodes.iter().map(|n| (n.id, n)).collect();
    let mut out = Vec::new();
    for node in &doc.nodes {
        let node_title: Option<Rc<str>> = meaningful_title(node, &by_id).map(Rc::from);
        if let Some(line) = node.line {
            out.push(Segment {
                text: plain(&node.title),
                line,
                heading: true,
                context: None,
                node_title: None,
            });
        }
        let mut context = node_title.clone();
        for block in &node.blocks {
            let mut push = |text: &str, line: usize, heading: bool, context: &Option<Rc<str>>| {
                out.push(Segment {
                    text: plain(text),
                    line,
                    heading,
                    context: context.clone(),
                    node_title: node_title.clone(),
                })
            };
            match block {
                Block::Para { text, lines, .. } => {
                    push(text, lines.first().copied().unwrap_or(0), false, &context);
                }
                Block::Heading { text, line } => {
                    push(text, *line, true, &context);
                    context = Some(Rc::from(plain(text)));
                }
                Block::List { items } => {
                    // A PDF line break can start an item with the previous
                    // item's parenthetical ("(In some areas referred to as
                    // …)"); read the two together.
                    let mut prev: Option<&str> = None;
                    for item in items {
                        let line = item.lines.first().copied().unwrap_or(0);
                        match prev {
                            Some(p) if item.text.trim_start().starts_with('(') => {
                                push(&format!("{p} {}", item.text), line, false, &context);
                            }
                            _ => push(&item.text, line, false, &context),
                        }
                        prev = Some(&item.text);
                    }
                }
                Block::Table { rows, lines } => {
                    for (r, row) in rows.iter().enumerate() {
                        let line = lines.get(r).or(lines.first()).copied().unwrap_or(0);
                        for cell in row {
                            push(cell, line, true, &context);
                        }
                    }
                }
            }
        }
    }
    out
}

fn meaningful_title(node: &Node, by_id: &HashMap<NodeId, &Node>) -> Option<String> {
    let mut current = Some(node);
    while let Some(n) = current {
        let title = plain(&n.title);
        if !GENERIC_TITLES.contains(&normalize_title(&title).as_str()) && n.section_id().is_some() {
            return Some(title);
        }
        current = n.parent.and_then(|p| by_id.get(&p).copied());
    }
    None
}

/// Plain text with typographic quotes, dashes and spaces made ASCII, so the
/// miners need to know only one spelling of each.
fn plain(md: &str) -> String {
    let p = plain_inline(md);
    // Most text has nothing to normalise.
    if p.bytes().all(|b| b.is_ascii() && b != b'\n' && b != b'\t') {
        return p;
    }
    p.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{a0}' | '\n' | '\t' => ' ',
            c => c,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The glossary

/// The glossary is the appendix titled "A guide to the acronyms used in
/// these procedures".
fn is_glossary(node: &Node) -> bool {
    normalize_title(&node.title).contains("guide to the acronyms")
}

fn glossary(doc: &Document) -> Vec<Acronym> {
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
fn looks_like_glossary_short(s: &str) -> bool {
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
fn clean_long(s: &str) -> String {
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
fn split_compound(short: &str, long: &str) -> Vec<(String, String)> {
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

// ---------------------------------------------------------------------------
// Inline acronym definitions

/// Words that may stand in a long form without giving the acronym a letter
/// ("Department *for* Education" gives one, "Child *and* Family Court
/// Advisory *and* Support Service" gives one of two).
const SMALL_WORDS: &[&str] = &[
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
struct Letter {
    c: char,
    lower: bool,
}

/// A word of a candidate long form.
struct LongWord {
    /// Lower-case letters and digits only.
    core: String,
    /// May be left out of the initials.
    skippable: bool,
}

fn long_words(long: &str) -> Vec<LongWord> {
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
fn match_from(words: &[LongWord], letters: &[Letter]) -> Option<usize> {
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
fn letters_given(word: &str, letters: &[Letter]) -> Vec<usize> {
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
fn acronym_token(s: &str) -> Option<(String, bool)> {
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
fn tidy_long(s: &str) -> String {
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
fn long_form_before(before: &str, short: &str) -> Option<String> {
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
struct Variant {
    /// [`phrase_key`] of the long form: singular and plural share it.
    key: String,
    long: String,
    line: usize,
    count: usize,
}

fn inline_acronyms(segments: &[Segment]) -> Vec<Acronym> {
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
fn singular_phrase(long: &str) -> String {
    match long.rsplit_once(' ') {
        Some((head, last)) => format!("{head} {}", singular_word(last)),
        None => singular_word(long),
    }
}

/// English plurals are irregular enough that "-ses" ("viruses", "houses")
/// is left alone rather than guessed at.
fn singular_word(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
        format!("{stem}y")
    } else if ["ses", "ss", "us", "is"].iter().any(|e| w.ends_with(e)) {
        w.to_string()
    } else {
        w.strip_suffix('s').unwrap_or(w).to_string()
    }
}

// ---------------------------------------------------------------------------
// Aliases stated in the text

/// Which side of a cue names the old or colloquial term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
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
const CUES: &[(&str, Direction)] = &[
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
            if cue == "referred to as" && !own_term_follows(rest) {
                continue;
            }
            if (cue == "(formerly " || cue == "(previously ")
                && ["known", "called"].iter().any(|w| after.starts_with(w))
            {
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
            let antecedent =
                if cue == "replacing the term" && sentence_is_about_this_section(before) {
                    Some(Antecedent::Node)
                } else if heading && before.trim_end().ends_with('(') {
                    let whole = before.trim_end().trim_end_matches('(');
                    Some(Antecedent::Phrase(tidy_phrase(strip_numbering(whole))))
                } else {
                    antecedent_before(before)
                };
            let Some(antecedent) = antecedent else {
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

fn starts_word(s: &str, at: usize) -> bool {
    s[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
        || s[at..].starts_with('(')
}

fn ends_word(s: &str, end: usize) -> bool {
    s[..end].ends_with(' ') || s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// "(referred to as the designated safeguarding lead in this procedure)":
/// the manual naming its own term, not just describing something.
fn own_term_follows(rest: &str) -> bool {
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

fn sentence_is_about_this_section(before: &str) -> bool {
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
const BACK_STOPS: &[&str] = &[
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
const FORWARD_STOPS: &[&str] = &[
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
const AUXILIARIES: &[&str] = &[
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
const ANAPHORS: &[&str] = &["this", "these", "it", "they", "those"];

/// Words that are never a term on their own.
const NOT_TERMS: &[&str] = &[
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
fn antecedent_before(before: &str) -> Option<Antecedent> {
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
fn strip_auxiliaries(mut s: &str) -> &str {
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

fn split_last_word(s: &str) -> (&str, &str) {
    match s.rfind(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => ("", s),
    }
}

/// The text within quotes at the end of `s`, if `s` ends with a closing quote.
fn quoted_at_end(s: &str) -> Option<&str> {
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
fn last_clause(s: &str) -> &str {
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
fn without_parentheticals(s: &str) -> String {
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
fn noun_phrase(s: &str) -> Option<String> {
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
fn strip_trailing_reference(s: &str) -> String {
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

fn is_capitalised(w: &str) -> bool {
    w.trim_start_matches(['\'', '"'])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase())
}

fn is_article(w: &str) -> bool {
    ["the", "a", "an"].contains(&w.to_ascii_lowercase().as_str())
}

/// The last run of two or more capitalised words (small words allowed
/// between capitalised ones), without a leading article.
fn last_proper_name(words: &[&str]) -> Option<String> {
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
fn phrase_after(after: &str) -> Option<(String, &str)> {
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

fn next_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// Leading articles and trailing punctuation off, single spaces.
fn tidy_phrase(s: &str) -> String {
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

fn strip_numbering(s: &str) -> &str {
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

fn strip_leading_article(s: &str) -> &str {
    for a in ["The ", "the "] {
        if let Some(rest) = s.strip_prefix(a) {
            return rest.trim_start();
        }
    }
    s
}

/// A term worth keeping: some letters, not a list, not a pronoun, not a
/// sentence.
fn plausible_term(s: &str) -> bool {
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

// ---------------------------------------------------------------------------
// Matching

/// Words for matching: lower case, apostrophes dropped, hyphens and other
/// punctuation as spaces, a plural "s" dropped.
fn match_words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| {
            let w: String = w
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            stem(w)
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn stem(w: String) -> String {
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w
    }
}

/// A phrase reduced for equality: [`match_words`] without a leading "the".
fn phrase_key(s: &str) -> String {
    let words = match_words(s);
    let skip = usize::from(words.first().is_some_and(|w| w == "the"));
    words[skip..].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_follow_the_words() {
        assert!(initials_match("CSE", "Child Sexual Exploitation"));
        assert!(initials_match("OCG", "Organised Criminal Group"));
        assert!(initials_match(
            "UASC",
            "unaccompanied asylum seeking children"
        ));
        assert!(initials_match("DfE", "Department for Education"));
        assert!(initials_match("OASys", "Offender Assessment System"));
        assert!(initials_match(
            "MARAC",
            "Multi-agency Risk Assessment Conference"
        ));
        // Every word must be accounted for.
        assert!(!initials_match(
            "CEOP",
            "Child Exploitation and On-line Protection Centre"
        ));
        assert!(initials_match(
            "CEOP",
            "Child Exploitation and On-line Protection"
        ));
        assert!(initials_match(
            "CAFCASS",
            "Children and Family Court Advisory and Support Service"
        ));
        assert!(initials_match(
            "NSPCC",
            "National Society for the Prevention of Cruelty to Children"
        ));
        assert!(initials_match("B&B", "Bed and breakfast"));
        assert!(initials_match(
            "C-SPOC",
            "Children's Single Point of Contact"
        ));
    }

    #[test]
    fn initials_reject_junk() {
        assert!(!initials_match("UK", "International Social Services"));
        assert!(!initials_match(
            "MOSOVO",
            "Sexual and Violent Offender Management Teams"
        ));
        // One word may not give most of the letters.
        assert!(!initials_match("SARC", "Sarcophagus"));
        assert!(!initials_match("ABCD", "Abcd Dog"));
        assert!(!initials_match("", "Anything"));
        assert!(!initials_match("AB", ""));
    }

    #[test]
    fn finds_both_inline_forms() {
        let found = find_inline_acronyms(
            "Concerns about Child Sexual Exploitation (CSE) and the Integrated Care Boards (ICBs). \
             Refer to CAIT (Child Abuse Investigation Team) now. Ignore (UK) and (NB this).",
        );
        assert_eq!(
            found,
            vec![
                ("CSE".into(), "Child Sexual Exploitation".into()),
                ("ICB".into(), "Integrated Care Board".into()),
                ("CAIT".into(), "Child Abuse Investigation Team".into()),
            ]
        );
        let dashed = find_inline_acronyms(
            "Adult Sexual Abuse Investigation Teams (ASAIT - previously known as SOIT)",
        );
        assert_eq!(dashed[0].0, "ASAIT");
    }

    #[test]
    fn inline_acronyms_do_not_cross_sentences() {
        assert!(find_inline_acronyms("See the Act. Sexual Exploitation (CSE)").is_empty());
    }

    fn phrases(text: &str, heading: bool) -> Vec<(String, String)> {
        mine_aliases(text, heading)
            .into_iter()
            .map(|(t, a)| {
                let a = match a {
                    Antecedent::Phrase(p) => p,
                    Antecedent::Heading => "<heading>".into(),
                    Antecedent::Node => "<node>".into(),
                };
                (t, a)
            })
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn mines_parenthetical_old_names() {
        assert_eq!(
            phrases("Non-recent abuse (may be known as historical abuse)", true),
            vec![pair("historical abuse", "Non-recent abuse")]
        );
        assert_eq!(
            phrases(
                "Sharing information is essential. Child Safeguarding Practice Reviews (formerly known as Serious Case Reviews (SCRs)) show",
                false
            ),
            vec![pair(
                "Serious Case Reviews",
                "Child Safeguarding Practice Reviews"
            )]
        );
        assert_eq!(
            phrases(
                "advice from thirtyone:eight (formerly the Churches' Child Protection Advisory Service (CCPAS)).",
                false
            ),
            vec![pair(
                "Churches' Child Protection Advisory Service",
                "thirtyone:eight"
            )]
        );
    }

    #[test]
    fn mines_referred_to_as_phrasings() {
        assert_eq!(
            phrases(
                "The team will also make a Domestic Violence Disclosure Scheme (DVDS) assessment, often referred to as 'Clare's Law', on all incidents.",
                false
            ),
            vec![pair("Clare's Law", "Domestic Violence Disclosure Scheme")]
        );
        assert_eq!(
            phrases(
                "The harm can be significant. This can often be referred to as peer on peer abuse and can also take place online.",
                false
            ),
            vec![pair("peer on peer abuse", "<heading>")]
        );
        assert_eq!(
            phrases(
                "In human smuggling, often referred to as Organised Immigration Crime, immigrants pay",
                false
            ),
            vec![pair("Organised Immigration Crime", "human smuggling")]
        );
        assert_eq!(
            phrases(
                "concerns (including allegations that do not meet the harm threshold in 7.1.1, which are sometimes referred to as 'low level concerns') are shared",
                false
            ),
            vec![pair(
                "low level concerns",
                "allegations that do not meet the harm threshold"
            )]
        );
    }

    #[test]
    fn mines_replacements_and_the_manuals_own_terms() {
        assert_eq!(
            phrases(
                "The Criminal Records Bureau and the Independent Safeguarding Authority have now been merged to create the Disclosure and Barring Service and as a result CRB checks will now be known as DBS checks.",
                false
            ),
            vec![
                pair("CRB checks", "DBS checks"),
                pair("Criminal Records Bureau", "Disclosure and Barring Service"),
                pair(
                    "Independent Safeguarding Authority",
                    "Disclosure and Barring Service"
                ),
            ]
        );
        assert_eq!(
            phrases(
                ". Homes and Communities Agency was replaced by Homes England and Regulator of Social Housing",
                false
            ),
            vec![pair(
                "Homes and Communities Agency",
                "Homes England and Regulator of Social Housing"
            )]
        );
        assert_eq!(
            phrases(
                "The nominated teacher or SET Child Exploitation Champion (referred to as the designated safeguarding lead in this procedure) should",
                false
            ),
            vec![pair(
                "SET Child Exploitation Champion",
                "designated safeguarding lead"
            )]
        );
        assert_eq!(
            phrases(
                "This section relates to adults who pose a risk, or potential risk, of harm to children (replacing the term \"Schedule 1\" offender).",
                false
            ),
            vec![pair("Schedule 1 offender", "<node>")]
        );
    }

    #[test]
    fn ignores_definitions_lists_and_pronouns() {
        // A bare "known as" defines; it does not rename.
        assert!(
            phrases(
                "A person subject to the requirements is known as a 'relevant offender'.",
                false
            )
            .is_empty()
        );
        assert!(phrases("local protocols in place referred to as \"step down procedures\" or family group conference processes", false).is_empty());
        // A quoted list is not a term.
        assert!(phrases("designate 'a particular officer, or team of officers' (previously called Local Authority Designated Officers (LADOs) to:", false).is_empty());
        // "the above" names nothing.
        assert!(phrases("Note: the above will be referred to as local Partnerships throughout these procedures", false).is_empty());
        // No panics on fragments.
        for s in [
            "(",
            "(formerly ",
            "known as",
            "also known as '",
            "x (previously",
            "merged into",
            "'",
        ] {
            let _ = phrases(s, false);
            let _ = phrases(s, true);
        }
    }

    proptest::proptest! {
        #[test]
        fn miners_never_panic(text in "\\PC{0,120}") {
            let _ = mine_aliases(&text, false);
            let _ = mine_aliases(&text, true);
            let _ = find_inline_acronyms(&text);
            let _ = parse_terminology_tsv(&text);
        }

        #[test]
        fn miners_never_panic_near_cues(
            parts in proptest::collection::vec(
                "(formerly known as |also known as |\\(previously |replacing the term |merged into |often referred to as |referred to as |'|\"|\\(|\\)|ABC|Child Abuse |é|’| |, |\\. |which are |This )",
                0..12,
            )
        ) {
            let text = parts.concat();
            let _ = mine_aliases(&text, false);
            let _ = mine_aliases(&text, true);
            let _ = find_inline_acronyms(&text);
        }
    }

    #[test]
    fn tsv_parses_and_reports_lines() {
        let ok = "# comment\n\nsexting\tsharing nudes\tUKCIS 2020\n";
        let aliases = parse_terminology_tsv(ok).unwrap();
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].term, "sexting");
        assert_eq!(aliases[0].source, "UKCIS 2020");

        assert_eq!(
            parse_terminology_tsv("# c\na\tb\n"),
            Err(TermsError::Columns { line: 2, found: 2 })
        );
        assert_eq!(
            parse_terminology_tsv("a\t\tsrc\n"),
            Err(TermsError::EmptyField {
                line: 1,
                column: "current term"
            })
        );
        assert_eq!(
            parse_terminology_tsv("Sexting\tx\ts\n\nsexting\ty\ts\n"),
            Err(TermsError::Duplicate {
                line: 3,
                term: "sexting".into(),
                first: 1
            })
        );
        let err = parse_terminology_tsv("a\tb\tc\td\n").unwrap_err();
        assert!(err.to_string().contains("line 1"));
    }

    #[test]
    fn the_shipped_terminology_file_parses() {
        let aliases = parse_terminology_tsv(TERMINOLOGY_TSV).unwrap();
        assert!(
            (15..=40).contains(&aliases.len()),
            "{} entries",
            aliases.len()
        );
    }

    fn vocab() -> Vocabulary {
        Vocabulary {
            acronyms: vec![
                Acronym {
                    short: "SEND".into(),
                    long: "Special Educational Needs and Disabilities".into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "DfE".into(),
                    long: "Department for Education".into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "LADO".into(),
                    long: "Local authority designated officer".into(),
                    source: AcronymSource::Glossary,
                },
            ],
            aliases: vec![Alias {
                term: "peer on peer abuse".into(),
                means: "child on child abuse".into(),
                source: "test".into(),
            }],
            glossary_node: None,
            keys: std::sync::OnceLock::new(),
        }
    }

    fn common(w: &str) -> bool {
        ["send", "nice", "who"].contains(&w)
    }

    #[test]
    fn acronym_case_rule() {
        let v = vocab();
        assert!(v.expand_acronym("send", &common).is_none());
        assert!(v.expand_acronym("Send", &common).is_none());
        assert_eq!(v.expand_acronym("SEND", &common).unwrap().short, "SEND");
        assert_eq!(v.expand_acronym("lado", &common).unwrap().short, "LADO");
        assert_eq!(v.expand_acronym("LADOs", &common).unwrap().short, "LADO");
        assert_eq!(v.expand_acronym("DFE", &common).unwrap().short, "DfE");
        assert_eq!(v.expand_acronym("dfe", &common).unwrap().short, "DfE");
        assert!(v.expand_acronym("", &common).is_none());
        assert!(v.expand_acronym("(", &common).is_none());
    }

    #[test]
    fn reverse_lookup_and_aliases() {
        let v = vocab();
        let words = ["local", "authority", "designated", "officers"];
        assert_eq!(v.acronym_for_phrase(&words).unwrap().short, "LADO");
        assert!(v.acronym_for_phrase(&["local", "authority"]).is_none());
        assert!(v.acronym_for_phrase(&[]).is_none());
        assert_eq!(v.aliases_for("what is peer-on-peer abuse?").len(), 1);
        assert!(v.aliases_for("peer abuse").is_empty());
        assert!(v.aliases_for("").is_empty());
    }
}
