//! The vocabulary read from the real manual: its glossary, its inline
//! acronym definitions and the other names it gives its terms.

use std::sync::OnceLock;

use setproc::manual::document::Document;
use setproc::manual::parse::parse;
use setproc::store::library::EMBEDDED_SOURCE;
use setproc::terms::{
    AcronymSource, TERMINOLOGY_TSV, Vocabulary, initials_match, parse_terminology_tsv,
};

fn vocab() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let doc = parse(EMBEDDED_SOURCE).expect("the embedded manual parses");
        Vocabulary::from_document(&doc)
    })
}

/// A stand-in for the search engine's word list: a few ordinary English
/// words that are also acronyms in the manual.
fn common_word(w: &str) -> bool {
    [
        "send", "nice", "who", "set", "aim", "dash", "asset", "jar", "rag", "me",
    ]
    .contains(&w)
}

fn long_of(short: &str) -> String {
    let v = vocab();
    v.expand_acronym(short, &common_word)
        .unwrap_or_else(|| panic!("{short} is not defined"))
        .long
        .clone()
}

fn means(term: &str) -> Vec<String> {
    vocab()
        .aliases
        .iter()
        .filter(|a| a.term.eq_ignore_ascii_case(term))
        .map(|a| a.means.clone())
        .collect()
}

fn mined() -> impl Iterator<Item = &'static setproc::terms::Alias> {
    vocab()
        .aliases
        .iter()
        .filter(|a| a.source.starts_with("manual line "))
}

#[test]
fn the_glossary_is_read_whole() {
    let glossary: Vec<&str> = vocab()
        .acronyms
        .iter()
        .filter(|a| a.source == AcronymSource::Glossary)
        .map(|a| a.short.as_str())
        .collect();
    // Appendix 5 has 51 rows (ADCS … YOI before the page break, SET CAMHS …
    // YJS after it); "SET CAMHS" also yields "SET" and "CAMHS".
    assert_eq!(glossary.len(), 51 + 2, "{glossary:?}");
    for short in [
        "ADCS",
        "LADO",
        "MARAC",
        "CDOP",
        "FGM",
        "SEND",
        "SET CAMHS",
        "YOI",
        "YJS",
    ] {
        assert!(glossary.contains(&short), "{short} missing");
    }
    assert_eq!(long_of("LADO"), "Local authority designated officer");
    assert_eq!(long_of("MARAC"), "Multi-agency Risk Assessment Conference");
    assert_eq!(long_of("CDOP"), "Child Death Overview Panel");
    assert_eq!(long_of("FGM"), "Female Genital Mutilation");
    assert_eq!(long_of("NRM"), "National Referral Mechanism");
    // The parenthetical is an alias, not part of the name; "The" is dropped.
    assert_eq!(long_of("NPCC"), "National Police Chiefs Council");
    assert_eq!(long_of("CPS"), "Crown Prosecution Service");
}

#[test]
fn odd_glossary_short_forms() {
    let v = vocab();
    assert_eq!(v.expand_acronym("DfE", &common_word).unwrap().short, "DfE");
    assert_eq!(v.expand_acronym("DFE", &common_word).unwrap().short, "DfE");
    assert_eq!(v.expand_acronym("dfe", &common_word).unwrap().short, "DfE");
    assert_eq!(
        v.expand_acronym("OASYS", &common_word).unwrap().long,
        "Offender Assessment System"
    );
    assert_eq!(
        long_of("SET CAMHS"),
        "Southend, Essex and Thurrock Child and Adolescent Mental Health Service"
    );
    assert_eq!(
        long_of("CAMHS"),
        "Child and Adolescent Mental Health Service"
    );
    assert_eq!(long_of("SET"), "Southend, Essex and Thurrock");
    // "set" is an ordinary word.
    assert!(v.expand_acronym("set", &common_word).is_none());
}

#[test]
fn acronyms_typed_in_lower_case() {
    let v = vocab();
    assert!(v.expand_acronym("send", &common_word).is_none());
    assert!(v.expand_acronym("Send", &common_word).is_none());
    assert_eq!(
        long_of("SEND"),
        "Special Educational Needs and Disabilities"
    );
    assert!(v.expand_acronym("nice", &common_word).is_none());
    assert!(v.expand_acronym("NICE", &common_word).is_some());
    assert!(v.expand_acronym("who", &common_word).is_none());
    for token in ["lado", "marac", "cdop", "Lado", "LADOs"] {
        assert!(v.expand_acronym(token, &common_word).is_some(), "{token}");
    }
}

#[test]
fn full_names_find_their_acronyms() {
    let v = vocab();
    let find = |phrase: &str| {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        v.acronym_for_phrase(&words).map(|a| a.short.as_str())
    };
    assert_eq!(find("local authority designated officer"), Some("LADO"));
    assert_eq!(find("Local Authority Designated Officers"), Some("LADO"));
    assert_eq!(find("child death overview panel"), Some("CDOP"));
    assert_eq!(find("child sexual exploitation"), Some("CSE"));
    assert_eq!(find("organised criminal groups"), Some("OCG"));
    assert_eq!(find("the crown prosecution service"), Some("CPS"));
    assert_eq!(find("child death"), None);
}

#[test]
fn inline_definitions_are_mined() {
    let v = vocab();
    let inline = |short: &str| {
        v.acronyms
            .iter()
            .find(|a| a.short == short)
            .filter(|a| matches!(a.source, AcronymSource::Inline { .. }))
            .map(|a| a.long.as_str())
    };
    assert_eq!(inline("CSE"), Some("Child Sexual Exploitation"));
    assert_eq!(inline("CCE"), Some("Child Criminal Exploitation"));
    assert_eq!(inline("OCG"), Some("Organised Criminal Group"));
    assert_eq!(inline("EHE"), Some("Electively Home Educated"));
    assert_eq!(inline("MASH"), Some("Multi-Agency Safeguarding Hub"));
    assert_eq!(
        inline("NSPCC"),
        Some("National Society for the Prevention of Cruelty to Children")
    );
    assert_eq!(inline("DVDS"), Some("Domestic Violence Disclosure Scheme"));
    // Plurals are defined singular.
    assert_eq!(inline("ICB"), Some("Integrated Care Board"));
    assert_eq!(
        inline("IDVA"),
        Some("Independent Domestic Violence Advisor")
    );
    // The glossary wins over an inline definition of the same acronym.
    assert!(inline("NRM").is_none());
    assert!(inline("LADO").is_none());
    let line = v.acronyms.iter().find(|a| a.short == "OCG").unwrap().source;
    assert_eq!(line, AcronymSource::Inline { line: 10475 });
}

#[test]
fn inline_acronyms_are_not_junk() {
    let v = vocab();
    let mut seen = std::collections::HashSet::new();
    for a in &v.acronyms {
        assert!(
            seen.insert(a.short.to_lowercase()),
            "{} defined twice",
            a.short
        );
        if matches!(a.source, AcronymSource::Inline { .. }) {
            assert!(
                initials_match(&a.short, &a.long),
                "{} = {}",
                a.short,
                a.long
            );
            assert!(
                a.long.split_whitespace().count() >= 2,
                "{} = {}",
                a.short,
                a.long
            );
        }
    }
    // "(UK)", "(NB …)", "(STORM system)" define nothing; MOSOVO's letters do
    // not fit "Sexual and Violent Offender Management Teams".
    for short in ["UK", "NB", "STORM", "MOSOVO", "HO", "DH"] {
        assert!(
            v.expand_acronym(short, &common_word).is_none(),
            "{short} = {:?}",
            v.expand_acronym(short, &common_word)
        );
    }
    let inline = v
        .acronyms
        .iter()
        .filter(|a| matches!(a.source, AcronymSource::Inline { .. }))
        .count();
    assert!((60..=120).contains(&inline), "{inline} inline acronyms");
}

#[test]
fn the_manuals_own_old_names_are_mined() {
    assert_eq!(
        means("sexting")[0],
        "Youth Produced Sexual Imagery or sharing of nude/semi-nude images"
    );
    assert_eq!(means("historical abuse"), ["Non-recent abuse"]);
    assert_eq!(means("peer on peer abuse"), ["Children Harming Others"]);
    assert_eq!(
        means("Clare's Law"),
        ["Domestic Violence Disclosure Scheme"]
    );
    assert_eq!(
        means("Serious Case Reviews"),
        ["Child Safeguarding Practice Reviews"]
    );
    assert_eq!(
        means("Association of Chief Police Officers"),
        ["National Police Chiefs Council"]
    );
    assert_eq!(means("CRB checks"), ["DBS checks"]);
    assert_eq!(
        means("Criminal Records Bureau"),
        ["Disclosure and Barring Service"]
    );
    assert_eq!(
        means("low level concerns"),
        ["allegations that do not meet the harm threshold"]
    );
    assert_eq!(means("family group meetings"), ["Family Group Conferences"]);
    assert_eq!(means("Pharaonic Circumcision"), ["Infibulation"]);
    assert_eq!(
        means("Schedule 1 offender")[0],
        "Individuals who pose a risk of harm to children"
    );

    let sexting = vocab()
        .aliases
        .iter()
        .find(|a| a.term == "sexting")
        .unwrap();
    assert_eq!(sexting.source, "manual line 10149");
}

#[test]
fn mined_aliases_are_not_junk() {
    let all: Vec<_> = mined().collect();
    assert!(
        (15..=40).contains(&all.len()),
        "{} mined aliases",
        all.len()
    );
    for a in &all {
        for side in [&a.term, &a.means] {
            assert!(!side.contains(','), "{a:?}");
            assert!(side.split_whitespace().count() <= 12, "{a:?}");
            assert!(
                side.chars().filter(|c| c.is_alphabetic()).count() >= 3,
                "{a:?}"
            );
        }
        let lower = a.term.to_lowercase();
        assert!(
            !["another", "the above", "above", "strategy meetings"].contains(&lower.as_str()),
            "{a:?}"
        );
    }
    // A bare "known as" / "referred to as" defines, it does not rename.
    for term in [
        "relevant offender",
        "step down procedures",
        "PCR",
        "home authority",
    ] {
        assert!(means(term).is_empty(), "{term}: {:?}", means(term));
    }
    // "previously called Local Authority Designated Officers" renames a
    // quoted list, which is no term.
    assert!(means("Local Authority Designated Officers").is_empty());
}

#[test]
fn the_data_file_is_included() {
    let file = parse_terminology_tsv(TERMINOLOGY_TSV).unwrap();
    assert!((15..=30).contains(&file.len()), "{} entries", file.len());
    let v = vocab();
    // Each entry is there, unless the manual states the same pair itself
    // ("Serious Case Reviews" → "Child Safeguarding Practice Reviews").
    let key = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .map(|w| w.trim_end_matches('s').to_string())
            .collect()
    };
    for entry in &file {
        assert!(
            v.aliases
                .iter()
                .any(|a| key(&a.term) == key(&entry.term) && key(&a.means) == key(&entry.means)),
            "{entry:?}"
        );
        assert!(entry.source.len() >= 10, "{entry:?} needs a citable source");
    }
    assert_eq!(
        means("sexting").len(),
        2,
        "the manual's and the data file's"
    );
}

#[test]
fn aliases_match_queries_by_whole_words() {
    let v = vocab();
    let terms =
        |q: &str| -> Vec<&str> { v.aliases_for(q).iter().map(|a| a.term.as_str()).collect() };
    let sexting = terms("what to do about sexting in school");
    assert!(
        sexting.iter().filter(|t| **t == "sexting").count() == 2,
        "{sexting:?}"
    );
    assert!(terms("peer-on-peer abuse").contains(&"peer on peer abuse"));
    assert!(terms("clares law disclosure").contains(&"Clare's Law"));
    assert!(terms("serious case review").contains(&"Serious Case Reviews"));
    // Whole words only: "sextings" is a plural, "textsexting" is not a word match.
    assert!(terms("textsexting").is_empty());
}

#[test]
fn an_empty_document_has_only_the_data_file() {
    let doc = Document {
        nodes: Vec::new(),
        noise_lines: Vec::new(),
        warnings: Vec::new(),
    };
    let v = Vocabulary::from_document(&doc);
    assert!(v.acronyms.is_empty());
    assert_eq!(
        v.aliases.len(),
        parse_terminology_tsv(TERMINOLOGY_TSV).unwrap().len()
    );
}

/// Prints the whole vocabulary: `cargo test --test terms_manual -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let v = vocab();
    for a in &v.acronyms {
        println!("ACR\t{}\t{}\t{:?}", a.short, a.long, a.source);
    }
    for a in &v.aliases {
        println!("ALIAS\t{}\t=>\t{}\t[{}]", a.term, a.means, a.source);
    }
}
