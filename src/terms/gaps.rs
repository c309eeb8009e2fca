//! The glossary's gaps, a report for the manual's editors: acronyms the
//! text uses often but never spells out, and glossary entries the text
//! never uses.
//!
//! "Defined" means what the search already knows ([`Vocabulary`]): an
//! entry of Appendix 5, or a "Full Name (ACR)" in the text. So NSPCC,
//! spelled out only in the text, is no gap; RSPCA, used three times and
//! never spelled out, is. Pure: it reads the vocabulary and each node's
//! plain text.

use super::{Acronym, AcronymSource, Vocabulary, match_words};
use crate::manual::ids::NodeId;
use crate::text::hash::FxHashMap as HashMap;
use crate::text::hash::FxHashSet as HashSet;

/// Uses that make an undefined acronym worth reporting.
pub const OFTEN: usize = 3;

/// How often a word or phrase is used, and in which nodes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Usage {
    pub count: usize,
    /// Each node using it, in reading order, with its count there.
    pub nodes: Vec<(NodeId, usize)>,
}

impl Usage {
    fn add(&mut self, node: NodeId, n: usize) {
        if n == 0 {
            return;
        }
        self.count += n;
        match self.nodes.last_mut() {
            Some((last, k)) if *last == node => *k += n,
            _ => self.nodes.push((node, n)),
        }
    }
}

/// An acronym used [`OFTEN`] or more times that no definition covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undefined {
    /// As the text most often writes it.
    pub short: String,
    pub usage: Usage,
}

/// A glossary entry whose short form the text (outside the glossary) never
/// uses; `long_form` counts its full name instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    pub short: String,
    pub long: String,
    pub long_form: Usage,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gaps {
    /// Most used first.
    pub undefined: Vec<Undefined>,
    /// In glossary order.
    pub unused: Vec<Unused>,
}

/// The gaps of `vocab` over `texts` (each node's plain text, in reading
/// order; the glossary's own node is skipped), reporting undefined
/// acronyms used at least `often` times.
pub fn gaps(vocab: &Vocabulary, texts: &[(NodeId, String)], often: usize) -> Gaps {
    let texts: Vec<&(NodeId, String)> = texts
        .iter()
        .filter(|(id, _)| Some(*id) != vocab.glossary_node)
        .collect();
    let counts = count_acronyms(&texts);
    let defined: HashSet<String> = vocab
        .acronyms
        .iter()
        .map(|a| a.short.to_uppercase())
        .collect();
    let lower_words = lower_case_words(&texts);
    let mut undefined: Vec<Undefined> = counts
        .tokens
        .into_iter()
        .filter(|(key, t)| {
            t.usage.count >= often
                && !defined.contains(key)
                && !lower_words.contains(&key.to_lowercase())
                && !is_roman_numeral(key)
        })
        .map(|(_, t)| Undefined {
            short: t.spelling(),
            usage: t.usage,
        })
        .collect();
    undefined.sort_by(|a, b| {
        b.usage
            .count
            .cmp(&a.usage.count)
            .then_with(|| a.short.cmp(&b.short))
    });

    // Words for matching full names, made once and only when needed.
    let mut words_of: Option<Vec<(NodeId, Vec<String>)>> = None;
    let mut unused = Vec::new();
    for a in glossary_entries(vocab) {
        let used = match a.short.split_once(' ') {
            Some(_) => texts.iter().any(|(_, t)| contains_phrase(t, &a.short)),
            None => counts.used.contains(&a.short.to_uppercase()),
        };
        if !used {
            unused.push(Unused {
                short: a.short.clone(),
                long: a.long.clone(),
                long_form: phrase_usage(
                    words_of.get_or_insert_with(|| {
                        texts.iter().map(|(n, t)| (*n, match_words(t))).collect()
                    }),
                    &a.long,
                ),
            });
        }
    }
    Gaps { undefined, unused }
}

/// The glossary's own entries: not the parts split off a two-word entry
/// (`SET` and `CAMHS` of `SET CAMHS`), which the glossary does not list.
fn glossary_entries(vocab: &Vocabulary) -> Vec<&Acronym> {
    let glossary: Vec<&Acronym> = vocab
        .acronyms
        .iter()
        .filter(|a| a.source == AcronymSource::Glossary)
        .collect();
    let parts: HashSet<&str> = glossary
        .iter()
        .filter(|a| a.short.contains(' '))
        .flat_map(|a| a.short.split(' '))
        .collect();
    glossary
        .into_iter()
        .filter(|a| a.short.contains(' ') || !parts.contains(a.short.as_str()))
        .collect()
}

/// One acronym's uses, and how it was spelled.
#[derive(Default)]
struct Tally {
    usage: Usage,
    /// Spelling → uses, in order of first use.
    spellings: Vec<(String, usize)>,
}

impl Tally {
    /// The commonest spelling; the first on a tie.
    fn spelling(&self) -> String {
        let mut best: Option<&(String, usize)> = None;
        for s in &self.spellings {
            if best.is_none_or(|b| s.1 > b.1) {
                best = Some(s);
            }
        }
        best.map(|b| b.0.clone()).unwrap_or_default()
    }
}

struct Counts {
    /// Upper-case key → its tally.
    tokens: HashMap<String, Tally>,
    /// Every word starting with a capital, in capitals and singular:
    /// a glossary entry is used if it is here (`Ofsted` uses `OFSTED`).
    used: HashSet<String>,
}

fn count_acronyms(texts: &[&(NodeId, String)]) -> Counts {
    let mut tokens: HashMap<String, Tally> = HashMap::default();
    let mut used: HashSet<String> = HashSet::default();
    for (node, text) in texts {
        for word in words(text) {
            if word.starts_with(char::is_uppercase) {
                let upper = word.to_uppercase();
                let singular = upper
                    .strip_suffix("'S")
                    .or_else(|| upper.strip_suffix('S'))
                    .filter(|s| s.len() >= 2);
                if let Some(s) = singular {
                    used.insert(s.to_string());
                }
                used.insert(upper);
            }
            let Some(short) = acronym_word(word) else {
                continue;
            };
            let tally = tokens.entry(short.to_uppercase()).or_default();
            tally.usage.add(*node, 1);
            match tally.spellings.iter_mut().find(|(s, _)| *s == short) {
                Some((_, n)) => *n += 1,
                None => tally.spellings.push((short.to_string(), 1)),
            }
        }
    }
    used.extend(tokens.keys().cloned());
    Counts { tokens, used }
}

/// The words of `text`: letters, digits, `&`, `-` and apostrophes. Web and
/// e-mail addresses are skipped: the `uk` of `www.nspcc.org.uk` is no word,
/// and the `GOV` of `GOV.UK` no acronym.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .filter(|t| !is_address(t))
        .flat_map(|t| {
            t.split(|c: char| !(c.is_alphanumeric() || matches!(c, '&' | '-' | '\'' | '\u{2019}')))
        })
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// `www.x.org.uk`, `GOV.UK`, `help@nspcc.org.uk`, `https://…`: a dot
/// between letters, an `@`, or a `/` between letters.
fn is_address(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    let between = |sep: char| {
        t.match_indices(sep).any(|(i, _)| {
            t[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && t[i + 1..].chars().next().is_some_and(char::is_alphabetic)
        })
    };
    t.contains('@') || between('.') || between('/')
}

/// An acronym as used in running text: `LADO`, `DfE`, `OASys`, `C-SPOC`,
/// plurals and possessives made singular (`LADOs`, `RSPCA's`). Capitals
/// must outnumber small letters (`McDonald` and `Multi-Agency` are words).
/// A hyphenated word counts whole only when every part is in capitals
/// (`C-SPOC`); otherwise its first acronym-shaped part (`MARAC-led`).
fn acronym_word(word: &str) -> Option<&str> {
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word)
        .trim_end_matches(['\'', '\u{2019}']);
    if word.contains('-') && !word.split('-').all(|p| !p.chars().any(char::is_lowercase)) {
        return word.split('-').find_map(acronym_word);
    }
    let singular = word
        .strip_suffix('s')
        .filter(|s| s.chars().all(|c| !c.is_lowercase()))
        .unwrap_or(word);
    let upper = singular.chars().filter(|c| c.is_uppercase()).count();
    let lower = singular.chars().filter(|c| c.is_lowercase()).count();
    let ok = (2..=10).contains(&singular.chars().count())
        && singular.chars().next().is_some_and(char::is_uppercase)
        && upper >= 2
        && upper > lower
        && singular
            .chars()
            .all(|c| c.is_alphabetic() || c == '&' || c == '-');
    ok.then_some(singular)
}

/// Every word the text writes in lower case: a capitalised one of these
/// (`NOT`, `MUST`) is emphasis, not an acronym.
fn lower_case_words(texts: &[&(NodeId, String)]) -> HashSet<String> {
    let mut out = HashSet::default();
    for (_, t) in texts {
        for w in words(t) {
            if w.chars().all(|c| c.is_lowercase()) && !out.contains(w) {
                out.insert(w.to_string());
            }
        }
    }
    out
}

/// `II`, `IV`, `XIV`: list numbering, not acronyms.
fn is_roman_numeral(s: &str) -> bool {
    const NUMERALS: &[&str] = &[
        "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XVI",
        "XVII", "XVIII", "XIX", "XX",
    ];
    NUMERALS.contains(&s)
}

/// Whether `text` holds `phrase` as whole words (case as written).
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Uses of a full name, whatever its case, plural or punctuation.
fn phrase_usage(texts: &[(NodeId, Vec<String>)], phrase: &str) -> Usage {
    let want = match_words(phrase);
    let mut usage = Usage::default();
    if want.is_empty() {
        return usage;
    }
    for (node, got) in texts {
        let n = got.windows(want.len()).filter(|w| *w == want).count();
        usage.add(*node, n);
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(s: &str) -> NodeId {
        s.parse().unwrap()
    }

    fn vocab() -> Vocabulary {
        Vocabulary {
            acronyms: vec![
                Acronym {
                    short: "LADO".into(),
                    long: "Local Authority Designated Officer".into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "DARA".into(),
                    long: "Domestic Abuse Risk Assessment".into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "SET CAMHS".into(),
                    long: "Southend, Essex and Thurrock Child and Adolescent Mental Health Service"
                        .into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "CAMHS".into(),
                    long: "Child and Adolescent Mental Health Service".into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "OFSTED".into(),
                    long: "Office for Standards in Education".into(),
                    source: AcronymSource::Glossary,
                },
                Acronym {
                    short: "NSPCC".into(),
                    long: "National Society for the Prevention of Cruelty to Children".into(),
                    source: AcronymSource::Inline { line: 7 },
                },
            ],
            glossary_node: Some(node("B46")),
            ..Vocabulary::default()
        }
    }

    #[test]
    fn finds_undefined_acronyms_and_unused_entries() {
        let texts = vec![
            (
                node("A1"),
                "Tell the LADO. The RSPCA's inspector and the RSPCA. NOT this. \
                 Call the NSPCC. Refer to CAMHS. A domestic abuse risk assessment."
                    .to_string(),
            ),
            (
                node("A2"),
                "The RSPCA again; the UK twice, the UK. Do not wait. II and III. \
                 Ofsted inspects; see www.gov.uk or GOV.UK, or mail a@b.org.uk."
                    .to_string(),
            ),
            (node("B46"), "DARA SET CAMHS RSPCA UK".to_string()),
        ];
        let g = gaps(&vocab(), &texts, 3);
        let shorts: Vec<&str> = g.undefined.iter().map(|u| u.short.as_str()).collect();
        // NOT is emphasis ("not" is a word here); the glossary's own text
        // does not count; UK is used twice only.
        assert_eq!(shorts, ["RSPCA"]);
        assert_eq!(g.undefined[0].usage.count, 3);
        assert_eq!(
            g.undefined[0].usage.nodes,
            vec![(node("A1"), 2), (node("A2"), 1)]
        );
        // At two uses, UK too: the `uk` of an address is not the word
        // "uk", and GOV.UK is an address, not two acronyms.
        let two: Vec<String> = gaps(&vocab(), &texts, 2)
            .undefined
            .into_iter()
            .map(|u| u.short)
            .collect();
        assert_eq!(two, ["RSPCA", "UK"]);

        // DARA is never used (its long form is, once); SET CAMHS neither,
        // but CAMHS, a part of it, is not an entry of its own; OFSTED is
        // used as the text writes it, "Ofsted".
        let unused: Vec<&str> = g.unused.iter().map(|u| u.short.as_str()).collect();
        assert_eq!(unused, ["DARA", "SET CAMHS"]);
        assert_eq!(g.unused[0].long_form.count, 1);
        assert_eq!(g.unused[0].long_form.nodes, vec![(node("A1"), 1)]);
    }

    #[test]
    fn acronym_words() {
        assert_eq!(acronym_word("LADOs"), Some("LADO"));
        assert_eq!(acronym_word("RSPCA's"), Some("RSPCA"));
        assert_eq!(acronym_word("DfE"), Some("DfE"));
        assert_eq!(acronym_word("OASys"), Some("OASys"));
        assert_eq!(acronym_word("C-SPOC"), Some("C-SPOC"));
        assert_eq!(acronym_word("MARAC-led"), Some("MARAC"));
        assert_eq!(acronym_word("Multi-Agency"), None);
        assert_eq!(acronym_word("McDonald"), None);
        assert_eq!(acronym_word("A"), None);
        assert_eq!(acronym_word("S47"), None);
    }

    #[test]
    fn phrases_are_whole_words() {
        assert!(contains_phrase("see SET CAMHS.", "SET CAMHS"));
        assert!(!contains_phrase("see SET CAMHSX", "SET CAMHS"));
    }
}
