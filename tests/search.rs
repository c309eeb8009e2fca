//! Search against the real manual: quality on the shared evaluation queries,
//! the analysis rules (acronyms, old terms, typos, prefixes, statute
//! numbers), and robustness on malformed input.

use std::sync::OnceLock;

use proptest::prelude::*;
use setproc::search::eval;
use setproc::search::index::{self, SearchIndex};
use setproc::search::{Engine, Lexicon, Meaning, Options, is_english_word};
use setproc::store::library::Library;

fn index() -> &'static SearchIndex {
    static IDX: OnceLock<SearchIndex> = OnceLock::new();
    IDX.get_or_init(|| index::build_in_ram(&Library::embedded(), "test").expect("index builds"))
}

fn top(query: &str, n: usize) -> Vec<String> {
    let mut e = Engine::new(index());
    e.search(
        query,
        Options {
            limit: n,
            as_you_type: false,
            meaning: Meaning::IfReady,
        },
    )
    .into_iter()
    .map(|h| h.id.to_string())
    .collect()
}

/// hit@1 and hit@3 of a query file, and the misses for the message.
fn quality(text: &str) -> (f64, f64, Vec<String>) {
    let cases = eval::parse_cases(text).unwrap();
    assert!(cases.len() >= 50);
    let mut e = Engine::new(index());
    let outcomes: Vec<eval::Outcome> = cases
        .iter()
        .map(|c| {
            let ids: Vec<String> = e
                .search(&c.query, Options::default())
                .iter()
                .map(|h| h.id.to_string())
                .collect();
            eval::score(c, &ids)
        })
        .collect();
    let r = eval::report(outcomes);
    let misses: Vec<String> = r
        .outcomes
        .iter()
        .filter(|o| o.rank != Some(1))
        .map(|o| {
            format!(
                "{:?} {} (want {:?}, got {:?})",
                o.rank, o.query, o.acceptable, o.top
            )
        })
        .collect();
    (r.overall.hit_at_1, r.overall.hit_at_3, misses)
}

#[test]
fn meets_the_quality_targets_on_the_shared_queries() {
    let (h1, h3, misses) = quality(include_str!("data/eval-queries.tsv"));
    assert!(h1 >= 0.85, "hit@1 {h1:.3}; not first: {misses:#?}");
    assert!(h3 >= 0.95, "hit@3 {h3:.3}; not first: {misses:#?}");
}

/// A second set, written by reading the manual without looking at the
/// search's results (tests/data/README.md): a guard against gains that only
/// fit the shared queries.
#[test]
fn holds_up_on_the_development_queries() {
    let (h1, h3, misses) = quality(include_str!("data/dev-queries.tsv"));
    assert!(h1 >= 0.75, "hit@1 {h1:.3}; not first: {misses:#?}");
    assert!(h3 >= 0.85, "hit@3 {h3:.3}; not first: {misses:#?}");
}

#[test]
fn acronyms_expand_both_ways_and_the_glossary_does_not_win() {
    let lado = top("LADO", 3);
    assert!(lado.iter().any(|id| id.starts_with("A7.")), "{lado:?}");
    assert_ne!(
        lado[0], "B46",
        "the acronym list outranks the sections using it"
    );
    let long = top("local authority designated officer", 3);
    assert!(long.iter().any(|id| id.starts_with("A7.")), "{long:?}");
    // An acronym that is also a word expands only in capitals.
    let v: &dyn Lexicon = &index().vocabulary;
    assert!(v.expand_acronym("SEND").is_some());
    assert!(v.expand_acronym("send").is_none());
    assert!(v.expand_acronym("lado").is_some());
}

#[test]
fn old_terms_find_the_current_ones() {
    assert_eq!(top("sexting", 1), ["B25.4"]);
    let h = top("serious case review", 3);
    assert!(h.iter().any(|id| id.starts_with("B15")), "{h:?}");
    let m = top("munchausen by proxy", 3);
    assert!(m.iter().all(|id| id.starts_with("B19")), "{m:?}");
}

#[test]
fn typos_are_corrected_but_real_words_are_not() {
    assert_eq!(top("bulying", 1), ["B32"]);
    assert_eq!(top("privat fostering", 1), ["B35.3"]);
    let mut e = Engine::new(index());
    // "kids" is English (and the manual's "children" comes from the
    // everyday-words list), never a typo of a manual word.
    let kids = e.explain("kids", Options::default());
    assert!(
        !kids
            .concat()
            .iter()
            .any(|w| w == "kid" || w == "kits" || w == "kin"),
        "{kids:?}"
    );
    assert!(is_english_word("cousin") && is_english_word("arms"));
    let arms = e.explain("arms", Options::default());
    assert_eq!(arms, vec![vec!["arms".to_string()]]);
}

#[test]
fn the_last_word_completes_while_typing() {
    let mut e = Engine::new(index());
    let hits = e.search(
        "private fost",
        Options {
            limit: 3,
            as_you_type: true,
            meaning: Meaning::IfReady,
        },
    );
    assert_eq!(hits[0].id.to_string(), "B35.3");
    let hits = e.search(
        "modern sla",
        Options {
            limit: 3,
            as_you_type: true,
            meaning: Meaning::IfReady,
        },
    );
    assert!(hits.iter().any(|h| h.id.to_string() == "B24.5"), "{hits:?}");
}

#[test]
fn statute_section_numbers_meet_however_written() {
    let a = top("s47 enquiries", 5);
    let b = top("S.47 enquiries", 5);
    let c = top("section 47 enquiries", 5);
    assert_eq!(a, b);
    assert!(
        a.iter().filter(|id| c.contains(id)).count() >= 3,
        "{a:?} vs {c:?}"
    );
}

#[test]
fn quoted_phrases_must_match_and_results_carry_snippets() {
    let mut e = Engine::new(index());
    let hits = e.search("\"transfer in conference\"", Options::default());
    assert!(!hits.is_empty());
    for h in &hits {
        let text = h.snippet.to_lowercase();
        assert!(!h.highlights.is_empty(), "{h:?}");
        for &(a, b) in &h.highlights {
            assert!(text.is_char_boundary(a) && b <= text.len());
        }
    }
    assert_eq!(hits[0].id.to_string(), "A6.6");
    assert!(
        hits[0]
            .paragraph
            .is_some_and(|p| p.to_string().starts_with("A6.6."))
    );
}

#[test]
fn malformed_queries_never_fail() {
    let mut e = Engine::new(index());
    let long = "abuse ".repeat(2000);
    for q in [
        "\"unbalanced",
        "AND OR",
        ":",
        "*",
        "!!!",
        "",
        "   ",
        "\"\"",
        "a:b*c?",
        "(((",
        "NOT",
        "-",
        "\u{0}\u{1b}[31m",
        long.as_str(),
        "ü ß 中文",
    ] {
        let hits = e.search(q, Options::default());
        assert!(hits.len() <= 10, "{q:?}");
    }
    assert!(e.search("!!! ***", Options::default()).is_empty());
    assert!(
        !e.search("\"unbalanced fostering", Options::default())
            .is_empty()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn random_strings_are_searched_without_panicking(q in "\\PC{0,40}") {
        let mut e = Engine::new(index());
        let hits = e.search(&q, Options { limit: 5, as_you_type: true, meaning: Meaning::IfReady });
        prop_assert!(hits.len() <= 5);
        for h in hits {
            for (a, b) in h.highlights {
                prop_assert!(a <= b && b <= h.snippet.len());
            }
        }
    }
}

#[test]
fn an_id_typed_as_a_query_finds_that_section() {
    assert_eq!(top("B24.8", 5), ["B24.8"]);
    assert_eq!(top(" b35.3 ", 5), ["B35.3"]);
    let mut e = Engine::new(index());
    let hits = e.search("a3.4.22", Options::default());
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id.to_string(), "A3.4");
    assert_eq!(
        hits[0].paragraph.map(|p| p.to_string()).as_deref(),
        Some("A3.4.22")
    );
    assert!(
        hits[0].snippet.starts_with("3.4.22 "),
        "{}",
        hits[0].snippet
    );
    // Ids the manual lacks are searched as words, not an error.
    assert!(top("B99.1", 5).iter().all(|id| id != "B99.1"));
}

#[test]
fn every_paragraph_id_typed_as_a_query_finds_its_section() {
    // The index holds no terms for ids: a paragraph is found through the
    // node that holds it, which is not always its parent section (under a
    // heading the contents list lacks).
    let lib = Library::embedded();
    let mut e = Engine::new(index());
    let mut elsewhere = 0;
    for p in lib.paragraph_ids() {
        let node = lib.metas[lib.paragraph_node(p).unwrap()].id;
        if node.section() != p.parent() {
            elsewhere += 1;
        }
        let hits = e.search(&p.to_string(), Options::default());
        assert_eq!(hits.len(), 1, "{p}");
        assert_eq!(hits[0].id, node, "{p}");
        assert_eq!(hits[0].paragraph, Some(p), "{p}");
    }
    assert!(lib.paragraph_ids().count() > 3000);
    // Such paragraphs are among those found (75 today).
    assert!(elsewhere > 0);
}

#[test]
fn phrases_keep_the_gaps_of_words_the_index_leaves_out() {
    let mut e = Engine::new(index());
    // "in" is not indexed, its position is: the phrase still needs a word
    // between "child" and "need".
    let hits = e.search("\"child in need\"", Options::default());
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .any(|h| h.snippet.to_lowercase().contains("child in need")),
        "{:?}",
        hits.iter().map(|h| &h.snippet).collect::<Vec<_>>()
    );
    // A phrase of such words only asks for nothing, and fails no search.
    assert!(e.search("\"of the\"", Options::default()).is_empty());
    assert!(
        !e.search("\"of the\" neglect", Options::default())
            .is_empty()
    );
}

#[test]
fn a_section_that_is_only_a_heading_is_found_by_its_title() {
    // "24.8 Online Exploitation see Part B chapter 25" has no body text.
    assert!(top("online exploitation", 3).contains(&"B24.8".to_string()));
}

#[test]
fn large_limits_are_honoured() {
    assert!(top("child", 200).len() > 150);
}

#[test]
fn a_word_inside_the_manuals_own_phrase_keeps_its_sense() {
    let mut e = Engine::new(index());
    // Alone, "care" is the everyday word for "looked after"…
    let alone = e.explain("she lives in care", Options::default()).concat();
    assert!(alone.iter().any(|a| a == "looked after"), "{alone:?}");
    // …but not in "social care", a phrase the manual uses everywhere.
    let phrase = e
        .explain("social care closed the case", Options::default())
        .concat();
    assert!(!phrase.iter().any(|a| a == "looked after"), "{phrase:?}");
}

#[test]
fn renamed_terms_match_when_the_manual_puts_words_between() {
    // "indecent images (photographs or pseudo-photographs) of children".
    assert!(top("child pornography", 3).contains(&"B25.9".to_string()));
}

#[test]
fn narrative_words_do_not_outweigh_the_topic() {
    // "brought" and "boy" are rarer in the manual than "knife"; the
    // section on weapons must still be among the first results.
    let hits = top("year 9 boy brought a knife into school", 5);
    assert!(hits.iter().any(|id| id.starts_with("B28.")), "{hits:?}");
}

#[test]
fn ages_meet_the_manuals_age_bands() {
    let mut e = Engine::new(index());
    let q = e
        .explain("a 15 year old is pregnant", Options::default())
        .concat();
    assert!(q.iter().any(|a| a == "under 16"), "{q:?}");
    let q = e.explain("aged 12", Options::default()).concat();
    assert!(q.iter().any(|a| a == "under 13"), "{q:?}");
    // "year" and "old" are part of the age, not words to search.
    let q = e.explain("15 year old", Options::default());
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(top("15 year old pupil is pregnant", 1), ["B27.2"]);
}

#[test]
fn arms_are_not_the_armed_forces() {
    let hits = top("teenager cutting her arms", 3);
    assert!(hits.iter().all(|id| id != "B2.19"), "{hits:?}");
    assert!(hits.iter().any(|id| id.starts_with("B34.")), "{hits:?}");
}
