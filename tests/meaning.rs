//! Search by meaning against the real manual and the shipped model: it
//! finds a section whose words differ from the query's, raises quality on
//! the evaluation sets without lowering it for any kind of query the words
//! handled, and stays silent on nonsense (a miss is still reported).

use std::sync::OnceLock;

use setproc::search::index::{self, SearchIndex};
use setproc::search::{Engine, Meaning, Options, eval};
use setproc::store::library::Library;
use setproc::text::analysis::tokenize;

fn index() -> &'static SearchIndex {
    static IDX: OnceLock<SearchIndex> = OnceLock::new();
    IDX.get_or_init(|| {
        let mut idx = index::build_in_ram(&Library::embedded(), "test").expect("index builds");
        idx.dense = setproc::search::dense::builtin_vectors();
        assert!(idx.dense.is_some(), "content/vectors.bin parses");
        idx
    })
}

fn opts(meaning: Meaning) -> Options {
    Options {
        limit: 10,
        as_you_type: false,
        meaning,
    }
}

#[test]
fn a_situation_told_in_other_words_finds_its_section() {
    let query = "kid never has a coat and is always starving";
    let lib = Library::embedded();
    // None of the query's telling words is in the section's text...
    let body = lib.body("A1.4".parse().unwrap()).unwrap().to_lowercase();
    let words: Vec<String> = tokenize(&body).into_iter().map(|t| t.text).collect();
    for w in ["kid", "coat", "starving"] {
        assert!(!words.iter().any(|x| x == w), "A1.4 says {w}");
    }
    // ...so the words alone rank it lower, and meaning puts it first.
    let mut e = Engine::new(index());
    let by_words = e.search(query, opts(Meaning::Off));
    assert_ne!(by_words[0].id.to_string(), "A1.4");
    let hits = e.search(query, opts(Meaning::Embed));
    assert_eq!(
        hits[0].id.to_string(),
        "A1.4",
        "{:?}",
        hits.iter().map(|h| h.id.to_string()).collect::<Vec<_>>()
    );
    assert!(
        hits[0].found_by.contains(&"meaning"),
        "{:?}",
        hits[0].found_by
    );
    // It shows the paragraph that answers (neglect: food and clothing).
    assert!(hits[0].paragraph.is_some() && !hits[0].snippet.is_empty());
}

#[test]
fn nonsense_and_off_topic_queries_get_nothing_from_meaning() {
    let mut e = Engine::new(index());
    let ids = |hits: Vec<setproc::search::Hit>| {
        hits.into_iter()
            .map(|h| h.id.to_string())
            .collect::<Vec<_>>()
    };
    // Whatever the words make of them (a typo's correction, say), meaning
    // adds nothing: its nearest sections are below the floor.
    for q in [
        "zzqqxx",
        "asdf qwer",
        "how do I bake bread",
        "football results",
        "\u{1b}[31m\u{202e}zzqq",
    ] {
        let words = ids(e.search(q, opts(Meaning::Off)));
        let both = ids(e.search(q, opts(Meaning::Embed)));
        assert_eq!(both, words, "{q}");
    }
    // So a miss is still reported as one.
    assert!(e.search("zzqqxx", opts(Meaning::Embed)).is_empty());
}

#[test]
fn long_and_malformed_queries_are_embedded_safely() {
    let mut e = Engine::new(index());
    // 10 kB: the model reads its first 256 tokens; search stays bounded.
    let long = "a child was hurt at home and the school noticed bruises ".repeat(180);
    assert!(long.len() > 10_000);
    let hits = e.search(&long, opts(Meaning::Embed));
    assert!(!hits.is_empty() && hits.len() <= 10);
    for q in [
        "\"unbalanced",
        "AND OR NOT",
        ":::",
        "\u{0}\u{7}\u{1b}",
        "👶🏽 with a bruise",
        "   ",
    ] {
        let hits = e.search(q, opts(Meaning::Embed));
        assert!(hits.len() <= 10, "{q}");
        for h in hits {
            assert!(
                h.highlights
                    .iter()
                    .all(|&(a, b)| a <= b && b <= h.snippet.len())
            );
        }
    }
    let m = setproc::search::dense::Model::get().unwrap();
    let v = m.embed(&long);
    let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-3, "{norm}");
}

/// hit@1 of a query file, by words alone and with meaning.
fn both(text: &str) -> (eval::Report, eval::Report) {
    let cases = eval::parse_cases(text).unwrap();
    let mut e = Engine::new(index());
    let mut run = |m: Meaning| {
        eval::report(
            cases
                .iter()
                .map(|c| {
                    let ids: Vec<String> = e
                        .search(&c.query, opts(m))
                        .iter()
                        .map(|h| h.id.to_string())
                        .collect();
                    eval::score(c, &ids)
                })
                .collect(),
        )
    };
    (run(Meaning::Off), run(Meaning::Embed))
}

#[test]
fn meaning_raises_quality_and_costs_no_kind_of_query() {
    for (name, text, floor) in [
        ("shared", include_str!("data/eval-queries.tsv"), 0.92),
        ("dev", include_str!("data/dev-queries.tsv"), 0.9),
    ] {
        let (words, hybrid) = both(text);
        let h1 = hybrid.overall.hit_at_1;
        assert!(h1 >= floor, "{name}: hit@1 {h1}");
        assert!(
            h1 >= words.overall.hit_at_1,
            "{name}: {h1} < {}",
            words.overall.hit_at_1
        );
        assert!(
            hybrid.overall.hit_at_3 >= words.overall.hit_at_3,
            "{name} hit@3"
        );
        assert!(hybrid.overall.mrr > words.overall.mrr, "{name} MRR");
        // Paraphrases are what meaning is for...
        let p = |r: &eval::Report| r.by_kind["paraphrase"].hit_at_1;
        assert!(
            p(&hybrid) > p(&words),
            "{name}: paraphrase {} vs {}",
            p(&hybrid),
            p(&words)
        );
        // ...and no kind the words served (acronyms, old terms, typos)
        // loses a right answer from its top three.
        for (kind, m) in &words.by_kind {
            let h3 = hybrid.by_kind[kind].hit_at_3;
            assert!(
                h3 >= m.hit_at_3,
                "{name} {kind}: hit@3 {h3} < {}",
                m.hit_at_3
            );
        }
    }
}

#[test]
fn a_query_naming_a_sections_title_finds_it_first_when_the_words_do() {
    // Every section whose title has at least two words beside its number
    // and stopwords, searched by that title: where the words alone rank it
    // first, words and meaning together must too (meaning may reorder a
    // query told in other words, not one that names a section).
    let idx = index();
    let mut e = Engine::new(idx);
    let lib = Library::embedded();
    let (mut named, mut held) = (0, 0);
    for id in lib.section_ids() {
        let Some(meta) = lib.meta(setproc::manual::ids::NodeId::Section(id)) else {
            continue;
        };
        let title = meta.title.clone();
        let words = tokenize(&title)
            .into_iter()
            .filter(|t| t.text.chars().any(char::is_alphabetic))
            .count();
        if words < 3 {
            continue;
        }
        let first = |hits: Vec<setproc::search::Hit>| hits.first().map(|h| h.id.to_string());
        if first(e.search(&title, opts(Meaning::Off))) != Some(id.to_string()) {
            continue;
        }
        named += 1;
        let both = first(e.search(&title, opts(Meaning::Embed)));
        assert_eq!(both, Some(id.to_string()), "'{title}'");
        held += 1;
    }
    assert!(named > 100, "only {named} titles checked");
    assert_eq!(held, named);
}
