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
//! [`gaps`] reports where the two fall short for the manual's editors:
//! acronyms used often and never defined, glossary entries never used.
//!
//! On top of that comes a small, hand-checked data file of national
//! terminology changes (`data/terminology.tsv`), each entry with its public
//! source, for the changes the manual does not spell out.
//!
//! The module is pure: it reads a [`Document`] and strings, and never panics.
//!
//! May depend on: `manual`, `text`.

mod acronyms;
mod aliases;
pub mod gaps;
mod glossary;
mod segments;
pub mod situations;
mod terminology;
pub mod thesaurus;

use crate::manual::document::Document;
use crate::manual::ids::NodeId;
use crate::text::hash::FxHashMap as HashMap;
use crate::text::hash::FxHashSet as HashSet;
use acronyms::inline_acronyms;
use glossary::{glossary, is_glossary};
use segments::segments;

pub use acronyms::{find_inline_acronyms, initials_match};
pub use aliases::{Antecedent, mine_aliases};
pub use terminology::{TERMINOLOGY_TSV, parse_terminology_tsv};

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

// ---------------------------------------------------------------------------
// Text the miners read
// ---------------------------------------------------------------------------
// The glossary
// ---------------------------------------------------------------------------
// Inline acronym definitions
// ---------------------------------------------------------------------------
// Aliases stated in the text
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
