//! Citations against the real manual: every form the manual uses, the
//! renumbered ones the issue names, and the totals checked independently.
//!
//! How the totals were checked: a separate regex pass over the raw source
//! lines (not over the parsed blocks) found every "chapter/Ch/section/
//! paragraph/para + number" and every cued bare number ("see 4.4", "in
//! 7.1.1,", "…and 40.2,"), dropped the legal and external ones by its own
//! rules, and matched 525 of the parser's 527 citations by number and line.
//! The other two (39.2 and 39.1 on lines 6070/6074) continue a chain across
//! a page break, which a line-by-line pass cannot see; they were checked by
//! reading. A looser pass (every keyword + number and every dotted number)
//! left 148 candidates the parser does not report, all read and all legal
//! ("section 47 of the Children Act 1989"), external ("Chapter 6, Section 2
//! of the London…"), statistics or dates, plus the one citation inside a
//! section heading (B24.8's title), which is not block text.

use setproc::cite::{Citation, Status, Targets, find_all, inline_links, resolve_text};
use setproc::manual::document::{Block, Document};
use setproc::manual::ids::{NodeId, Part, SectionId};
use setproc::manual::parse::parse;
use setproc::store::library::EMBEDDED_SOURCE;

use Status::{Ok, Stale, Unresolved};

fn doc() -> Document {
    parse(EMBEDDED_SOURCE).expect("the manual parses")
}

fn id(s: &str) -> SectionId {
    s.parse().unwrap()
}

fn source_line(n: usize) -> &'static str {
    EMBEDDED_SOURCE.lines().nth(n - 1).unwrap_or("")
}

/// The text a citation's range refers to.
fn unit_text<'a>(doc: &'a Document, c: &Citation) -> &'a str {
    let node = doc
        .nodes
        .iter()
        .find(|n| n.id == c.from)
        .expect("from is a node");
    match &node.blocks[c.block] {
        Block::Para { text, .. } | Block::Heading { text, .. } => text,
        Block::List { items } => &items[c.item].text,
        Block::Table { rows, .. } => {
            let width = rows.iter().map(Vec::len).max().unwrap_or(1);
            &rows[c.item / width][c.item % width]
        }
    }
}

/// The citations on one source line.
fn on_line(all: &[Citation], line: usize) -> Vec<&Citation> {
    all.iter().filter(|c| c.line == line).collect()
}

/// The one citation on `line` whose text is `text`.
fn cite<'a>(all: &'a [Citation], line: usize, text: &str) -> &'a Citation {
    let found: Vec<_> = on_line(all, line)
        .into_iter()
        .filter(|c| c.text == text)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "line {line}: {text:?} in {:#?}",
        on_line(all, line)
    );
    found[0]
}

fn check(c: &Citation, cited: &str, status: Status, suggestion: Option<&str>) {
    assert_eq!(
        (
            c.cited.as_str(),
            c.status,
            c.suggestion.map(|s| s.to_string())
        ),
        (cited, status, suggestion.map(str::to_string)),
        "{c:#?}"
    );
}

#[test]
fn totals_match_the_independent_count() {
    let all = find_all(&doc());
    assert_eq!(all.len(), 527);
    let count = |s| all.iter().filter(|c| c.status == s).count();
    assert_eq!((count(Ok), count(Stale), count(Unresolved)), (434, 71, 22));
}

#[test]
fn the_issue_examples() {
    let d = doc();
    let all = find_all(&d);
    // "Part B, chapter 37, Historical abuse" now lives in chapter 36.
    let c = cite(&all, 2898, "Part B, chapter 37, Historical abuse");
    check(c, "B37", Stale, Some("B36"));
    assert_eq!(c.target, Some(id("B37")));
    assert_eq!(c.cited_title.as_deref(), Some("Historical abuse"));
    // "section 3.6, Referrals to the police" in Part A is now 3.5.
    let c = cite(&all, 1460, "section 3.6, Referrals to the police");
    check(c, "A3.6", Stale, Some("A3.5"));
    assert_eq!(c.from, NodeId::Section(id("A3.4")));
    // A paragraph id is a real target.
    let c = cite(&all, 1306, "Part A, chapter 4.1.11, Pre-birth conferences");
    check(c, "A4.1.11", Ok, None);
    assert!(
        d.nodes
            .iter()
            .any(|n| n.paragraphs.iter().any(|p| p.id == id("A4.1.11")))
    );
    check(cite(&all, 521, "Part B3 Chapter 20"), "B20", Ok, None);
    check(cite(&all, 858, "Part B Ch 24"), "B24", Ok, None);
    check(
        cite(
            &all,
            582,
            "Part B, chapter 19, Fabricated or induced illness",
        ),
        "B19",
        Ok,
        None,
    );
    // "…and chapter 38, Children visiting custodial settings": part from the
    // citation before it; the title now belongs to chapter 37.
    check(
        cite(
            &all,
            4467,
            "Part B, chapter 36, Children living away from home",
        ),
        "B36",
        Stale,
        Some("B35"),
    );
    check(
        cite(
            &all,
            4467,
            "chapter 38, Children visiting custodial settings",
        ),
        "B38",
        Stale,
        Some("B37"),
    );
    // A chain of chapter and section.
    check(
        cite(&all, 10965, "Part A, chapter 2, Referral and assessment"),
        "A2",
        Ok,
        None,
    );
    check(
        cite(&all, 10965, "section 2.2, Referral criteria"),
        "A2.2",
        Unresolved,
        None,
    );
}

/// One real citation of each form the manual uses: (line, text, cited, status, suggestion).
#[rustfmt::skip]
const FORMS: &[(usize, &str, &str, Status, Option<&str>)] = &[
    // Part, keyword, number, title after a comma.
    (582, "Part B, chapter 19, Fabricated or induced illness", "B19", Ok, None),
    // No comma, no title.
    (643, "Part B chapter 28", "B28", Ok, None),
    // Sub-part names.
    (521, "Part B3 Chapter 20", "B20", Ok, None),
    (4653, "Part B3 chapter 24 Safeguarding Trafficked and Exploited Children", "B24", Ok, None),
    // "Ch".
    (858, "Part B Ch 24", "B24", Ok, None),
    // Lower case throughout.
    (1227, "part a, chapter 3.2, immediate protection", "A3.2", Ok, None),
    // "Part A.," and "Part A:", colons before titles.
    (12455, "Part A., chapter 1, Responding to concerns of abuse and neglect", "A1", Ok, None),
    (10172, "Part A: Chapter 7: Allegations against staff or volunteers and people in a position of trust who work with children", "A7", Ok, None),
    (10132, "Part A Chapter 1: Responding to concerns of abuse and neglect", "A1", Ok, None),
    // Title after a plain space.
    (733, "Part A, chapter 3.4 strategy meeting/discussion", "A3.4", Ok, None),
    (10817, "Part A, Chapter 2 Referral and Assessment", "A2", Ok, None),
    // Title running on into prose: the citation stops with the title.
    (738, "Part A, chapter 2, Referral and assessment", "A2", Ok, None),
    (12244, "Part A, Chapter 2 Referral and Assessment", "A2", Ok, None),
    (8558, "chapter 3 Information Sharing", "B3", Ok, None),
    // A title cut short by a comma.
    (1536, "Part B, chapter 20, Children missing from care", "B20", Ok, None),
    // Reworded titles that still fit the number.
    (1268, "Part B, chapter 40.2, Parental mental illness", "B40.2", Ok, None),
    (2550, "Part B, chapter 11, Professional conflict resolution", "B11", Ok, None),
    (12554, "Part B, chapter 38, Children visiting psychiatric wards and facilities", "B38", Ok, None),
    // "chapter" with a section or paragraph number.
    (1286, "Part A, chapter 3.4, Strategy meeting/discussion", "A3.4", Ok, None),
    (1306, "Part A, chapter 4.1.11, Pre-birth conferences", "A4.1.11", Ok, None),
    // "section" with a paragraph number; the title is the sub-heading above it.
    (5532, "Part A, section 4.7.2, local authority children's social care report", "A4.7.2", Ok, None),
    // Part implied by the text the citation sits in.
    (1460, "section 3.6, Referrals to the police", "A3.6", Stale, Some("A3.5")),
    (4565, "Chapter 13", "B13", Ok, None),
    (4826, "section 3.3", "B3.3", Ok, None),
    // ...which may be the wrong part: the title finds the right one.
    (745, "Chapter 11 Resolving Professional Disagreements", "A11", Stale, Some("B11")),
    // A full stop between number and title.
    (2125, "part a, chapter 6. Children and families moving across local authority boundaries", "A6", Ok, None),
    (1415, "section 3.8. Visually recorded interviews/Achieving Best Evidence", "A3.8", Stale, Some("A3.7")),
    (11497, "section 2.20. The secure estate for children", "B2.20", Stale, Some("B2.18")),
    // Chains: chapter then section, keyword or bare number, comma or "and".
    (9202, "Part B, chapter 35, Children Living Away from Home", "B35", Ok, None),
    (9202, "section 35.2, Private fostering", "B35.2", Stale, Some("B35.3")),
    (2125, "6.4 case responsibility", "A6.4", Ok, None),
    (6063, "40.2, Parenting capacity and mental illness", "B40.2", Ok, None),
    (9903, "Chapter 3, Child protection s47 enquiries", "A3", Ok, None),
    (2009, "4.12, Complaints by children and/or parents", "A4.12", Ok, None),
    // A chain across a page break.
    (6070, "Part B, section 39.3, Safeguarding children at risk of abuse through female genital mutilation (FGM)", "B39.3", Ok, None),
    // Plural keyword, "and" and "to" ranges, "of these procedures".
    (4685, "sections 2.23.15", "B2.23.15", Ok, None),
    (4685, "2.23.16", "B2.23.16", Ok, None),
    (2576, "sections 6.8.1", "A6.8.1", Ok, None),
    (2576, "6.8.5", "A6.8.5", Ok, None),
    (7727, "sections 39.1", "B39.1", Ok, None),
    (7727, "39.2", "B39.2", Ok, None),
    // Bare numbers after a cue.
    (1007, "2.4.4", "A2.4.4", Ok, None),
    (1877, "4.4", "A4.4", Ok, None),
    (2149, "5.5", "A5.5", Ok, None),
    (2753, "7.1.1", "A7.1.1", Ok, None),
    (3080, "7.4.21", "A7.4.21", Ok, None),
    (11864, "38.1.6", "B38.1.6", Unresolved, None),
    (5612, "7.4.16 below, The child's independent advocate", "B7.4.16", Ok, None),
    (11515, "35.9 Hospitals (specialist)", "B35.9", Ok, None),
    (11545, "35.7 Hospitals", "B35.7", Stale, Some("B35.8")),
    // "below, <prose>": no title.
    (2420, "6.4.2", "A6.4.2", Ok, None),
    // A number that no longer exists, found by its title.
    (2524, "Part B, chapter 36.8, Hospitals (specialist)", "B36.8", Stale, Some("B35.9")),
    // A title that is a sub-heading: the paragraph after it.
    (11162, "section 2.25.11, NSPCC", "B2.25.11", Stale, Some("B2.23.12")),
    (6515, "12.1.18 Selection of candidates - short listing", "B12.1.18", Stale, Some("B12.1.19")),
    (6505, "12.1.30 below, Disclosure and barring service checks", "B12.1.30", Stale, Some("B12.1.31")),
    // A title naming what a paragraph covers (one of its bullets).
    (10779, "section 2.11.29, Screening and searching pupils", "B2.11.29", Ok, None),
    // In a table cell.
    (8111, "section 39.2", "B39.2", Ok, None),
];

#[test]
fn every_citation_form() {
    let all = find_all(&doc());
    for &(line, text, cited, status, suggestion) in FORMS {
        check(cite(&all, line, text), cited, status, suggestion);
    }
    // The table cell is addressed as row * columns + column.
    let cell = cite(&all, 8111, "section 39.2");
    assert_eq!((cell.item % 2, cell.item / 2), (1, 17));
}

#[test]
fn legal_and_external_citations_are_not_found() {
    let all = find_all(&doc());
    for line in [
        554,   // section 47 of the Children Act 1989
        869,   // assessed under section 47 of the Children Act 1989
        1000,  // (Section 17 Children Act 1989)
        13008, // Section 17 (10) states that a child
        13033, // Section 322 of the Education Act 1996
        13041, // Section 47(1) of the Children Act 1989
        2344,  // Chapter 6, Section 2 of the London Safeguarding Children Procedures
        2363,  // (see Chapter 6, Section 5 of the London Procedures)
        3284,  // Chapter 5 of Working Together to Safeguard Children 2023
        4349,  // as outlined in Chapter 5 Working Together to Safeguard Children 2023
        6010,  // Working Together 2023, Chapter 2 Paragraph 40
        6097,  // Chapter 2: Multi-agency safeguarding arrangements of Working Together 2023
        10289, // Care Act 2014 statutory guidance … chapter 16
        1841,  // para 4.3 of Regulations and Guidance Volume 2
        4110,  // (see paragraphs 33 to 37)
        5982,  // Sections 12 to 15 (Child Safeguarding Practice Review Panel)
        7666,  // 1.6 million females
        7667,  // (27.6%)
    ] {
        assert!(
            on_line(&all, line).is_empty(),
            "line {line}: {:#?}",
            on_line(&all, line)
        );
    }
}

/// Every stale and unresolved citation, each read against the manual:
/// (line, cited, status, text, suggestion).
#[rustfmt::skip]
const NOT_OK: &[(usize, &str, Status, &str, Option<&str>)] = &[
    (745, "A11", Stale, "Chapter 11 Resolving Professional Disagreements", Some("B11")),
    (1244, "A1.4", Stale, "Part A, chapter 1.4 Potential risk to an unborn child", Some("A1.5")),
    (1415, "A3.8", Stale, "section 3.8. Visually recorded interviews/Achieving Best Evidence", Some("A3.7")),
    (1460, "A3.6", Stale, "section 3.6, Referrals to the police", Some("A3.5")),
    (2524, "B36.8", Stale, "Part B, chapter 36.8, Hospitals (specialist)", Some("B35.9")),
    (2614, "B36.8", Stale, "part B, chapter 36.8, hospitals (specialist)", Some("B35.9")),
    (2898, "B37", Stale, "Part B, chapter 37, Historical abuse", Some("B36")),
    (3057, "A7.7", Stale, "Part A, chapter 7.7, Substantiated allegations and referral to the DBS", Some("A7.8")),
    (3764, "B2.25.14", Unresolved, "sections 2.25.14", None),
    (3764, "B2.25.15", Unresolved, "2.25.15", None),
    (4467, "B36", Stale, "Part B, chapter 36, Children living away from home", Some("B35")),
    (4467, "B38", Stale, "chapter 38, Children visiting custodial settings", Some("B37")),
    (4470, "B39", Stale, "Part B, chapter 39, Children visiting mental health wards and facilities", Some("B38")),
    (4486, "B2.20.10", Unresolved, "2.20.10", None),
    (4743, "B2.25.26", Unresolved, "section 2.25.26", None),
    (4777, "B39.5", Stale, "Part B, section 39.5, Spirit possession or witchcraft", Some("B39.6")),
    (4945, "B39.5", Stale, "Part B, section 39.5, Spirit possession or witchcraft", Some("B39.6")),
    (6505, "B12.1.30", Stale, "12.1.30 below, Disclosure and barring service checks", Some("B12.1.31")),
    (6515, "B12.1.18", Stale, "12.1.18 Selection of candidates - short listing", Some("B12.1.19")),
    (6879, "B13.2.25", Unresolved, "section 13.2.25", None),
    (7982, "B17.18", Stale, "section 17.18, Abusive partners /children", Some("B17.17")),
    (8340, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (9189, "A2", Stale, "Part A, chapter 2, Responding to concerns of abuse and neglect", Some("A1")),
    (9191, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (9201, "B35.3", Stale, "35.3, Residential care", Some("B35.4")),
    (9202, "B35.2", Stale, "section 35.2, Private fostering", Some("B35.3")),
    (9229, "B36", Stale, "Part B, chapter 36, Children living away from home", Some("B35")),
    (9229, "B36.2", Stale, "section 36.2, Private fostering", Some("B35.3")),
    (9281, "B2.2", Unresolved, "section 2.2, Referral criteria", None),
    (9295, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (9883, "B7", Stale, "Part B, chapter 7, Best practice for the implementation of child protection plans", Some("B8")),
    (9985, "B24.19", Unresolved, "section 24.19", None),
    (10134, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (10142, "A2.2", Unresolved, "section 2.2: Referral criteria", None),
    (10388, "B27", Stale, "Part B, chapter 27, Safeguarding sexually active children", Some("B26")),
    (10391, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (10395, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (10395, "B27", Stale, "Part B, chapter 27, Safeguarding sexually active children", Some("B26")),
    (10396, "B27", Stale, "Part B, chapter 27, Safeguarding sexually active children", Some("B26")),
    (10419, "A1.1", Stale, "section 1.1, The concept of significant harm", Some("A1.2")),
    (10459, "A1.3.13", Unresolved, "Part A section 1.3.13", None),
    (10779, "B33", Stale, "Part B, chapter 33, Bullying", Some("B32")),
    (10947, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (10964, "B32", Stale, "Part B, chapter 32, Children harming others", Some("B31")),
    (10965, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (10977, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11142, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11144, "B36.1", Stale, "Part B, section 36.1, Private fostering", Some("B35.3")),
    (11162, "B2.25.11", Stale, "section 2.25.11, NSPCC", Some("B2.23.12")),
    (11188, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (11221, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11248, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11272, "B2.25.11", Stale, "section 2.25.11, NSPCC", Some("B2.23.12")),
    (11300, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (11306, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11385, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11400, "B2.25.11", Stale, "section 2.25.11, NSPCC", Some("B2.23.12")),
    (11428, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11443, "B2.25.11", Stale, "section 2.25.11, NSPCC", Some("B2.23.12")),
    (11463, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (11467, "B35.3", Stale, "Part B, section 35.3, Residential care", Some("B35.4")),
    (11497, "B2.20", Stale, "section 2.20. The secure estate for children", Some("B2.18")),
    (11545, "B35.7", Stale, "35.7 Hospitals", Some("B35.8")),
    (11578, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11588, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11620, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11841, "B40.2", Stale, "section 40.2, Forced marriage of a child", Some("B39.2")),
    (11845, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11864, "B38.1.6", Unresolved, "38.1.6", None),
    (11889, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (11948, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (11998, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (12012, "A2.2", Unresolved, "section 2.2, Referral criteria", None),
    (12048, "B4.3.12", Unresolved, "4.03.12", None),
    (12048, "B40.3.13", Unresolved, "40.3.13", None),
    (12050, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12106, "B2.2", Unresolved, "section 2.2, Referral criteria", None),
    (12317, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12337, "B2.25.21", Stale, "section 2.25.21, Churches", Some("B2.23.22")),
    (12343, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12366, "B35.2", Stale, "section 35.2, Private fostering", Some("B35.3")),
    (12455, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12504, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12550, "A2.2", Unresolved, "section 2.2,. Referral criteria", None),
    (12566, "B35.3", Stale, "section 35.3, Residential care", Some("B35.4")),
    (12570, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12599, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12661, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12685, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12706, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12731, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12944, "A1.1", Stale, "section 1.1, Concept of significant harm", Some("A1.2")),
    (12945, "B32", Stale, "Part B, chapter 32, Children harming others", Some("B31")),
];

#[test]
fn stale_and_unresolved_citations_are_the_ones_verified_by_reading() {
    let all = find_all(&doc());
    let got: Vec<_> = all
        .iter()
        .filter(|c| c.status != Ok)
        .map(|c| {
            (
                c.line,
                c.cited.as_str(),
                c.status,
                c.text.as_str(),
                c.suggestion.map(|s| s.to_string()),
            )
        })
        .collect();
    let want: Vec<_> = NOT_OK
        .iter()
        .map(|&(l, c, s, t, g)| (l, c, s, t, g.map(str::to_string)))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn locations_point_at_the_citation_text() {
    let d = doc();
    let all = find_all(&d);
    let mut off_line = Vec::new();
    for c in &all {
        let text = unit_text(&d, c);
        assert_eq!(&text[c.start..c.end], c.text, "{c:#?}");
        let node = d.nodes.iter().find(|n| n.id == c.from).unwrap();
        assert!(node.blocks[c.block].lines().contains(&c.line), "{c:#?}");
        // The line is exact unless the block joined lines split by a page
        // break, where it is estimated; the estimate misses once (39.2 on
        // line 6070, reported as 6074).
        let head: String = c.text.chars().take(12).collect();
        if !source_line(c.line).contains(&head) {
            off_line.push((c.line, c.text.clone()));
        }
    }
    assert!(off_line.len() <= 1, "{off_line:#?}");
}

#[test]
fn links_follow_ok_and_stale_citations_only() {
    let d = doc();
    let all = find_all(&d);
    let links = inline_links(&d, &all);
    assert_eq!(links.len(), d.nodes.len());
    let total: usize = links.iter().map(Vec::len).sum();
    assert_eq!(total, all.iter().filter(|c| c.status != Unresolved).count());
    let files: std::collections::HashSet<String> =
        d.nodes.iter().map(|n| n.id.file_name()).collect();
    for node_links in &links {
        for w in node_links.windows(2) {
            let same_text = w[0].block == w[1].block && w[0].item == w[1].item;
            assert!(!same_text || w[0].range.end <= w[1].range.start, "{w:#?}");
        }
        for l in node_links {
            let file = l.href.split('#').next().unwrap();
            assert!(files.contains(file), "{l:#?}");
        }
    }
    let i = d
        .nodes
        .iter()
        .position(|n| n.id == NodeId::Section(id("A7.3")))
        .unwrap();
    let l = links[i]
        .iter()
        .find(|l| l.href == "B36.md")
        .expect("the chapter 37 citation links to B36");
    assert_eq!(
        l.title.as_deref(),
        Some(
            "cited as B37 (now Children Visiting Custodial Settings); the title matches B36 Historical Abuse"
        )
    );
    // A paragraph target links to its section's file and anchor.
    let i = d
        .nodes
        .iter()
        .position(|n| n.id == NodeId::Section(id("A2.6")))
        .unwrap();
    assert!(
        links[i].iter().any(|l| l.href == "A4.1.md#a4-1-11"),
        "{:#?}",
        links[i]
    );
}

#[test]
fn free_text_resolves_like_the_manual() {
    let d = doc();
    let t = Targets::from_document(&d);
    let one = |text: &str, part: Option<Part>| {
        let r = resolve_text(&t, text, part);
        assert_eq!(r.len(), 1, "{text:?}: {r:#?}");
        r.into_iter().next().unwrap()
    };
    let c = one("Part B chapter 24", None);
    assert_eq!((c.status, c.target), (Ok, Some(id("B24"))));
    let c = one("Part A, section 3.2", None);
    assert_eq!((c.status, c.target), (Ok, Some(id("A3.2"))));
    let c = one("part b ch 37, historical abuse", None);
    assert_eq!((c.status, c.suggestion), (Stale, Some(id("B36"))));
    let c = one("section 3.6, Referrals to the police", Some(Part::A));
    assert_eq!((c.status, c.suggestion), (Stale, Some(id("A3.5"))));
    let c = one("chapter 38, children visiting custodial settings", None);
    assert_eq!((c.status, c.suggestion), (Stale, Some(id("B37"))));
    let c = one("B36", None);
    assert_eq!((c.status, c.target), (Ok, Some(id("B36"))));
    assert!(resolve_text(&t, "section 47 of the Children Act 1989", None).is_empty());
    // From metadata alone (no sub-headings or paragraph text) the same
    // numbers resolve.
    let metas = setproc::store::content::metas(&d);
    let light = Targets::from_nodes(
        metas
            .iter()
            .map(|m| (m.id, m.title.as_str(), m.paragraphs.as_slice())),
    );
    let c = resolve_text(&light, "Part B, chapter 37, Historical abuse", None).remove(0);
    assert_eq!((c.status, c.suggestion), (Stale, Some(id("B36"))));
    let c = resolve_text(
        &light,
        "Part A, chapter 4.1.11, Pre-birth conferences",
        None,
    )
    .remove(0);
    assert_eq!((c.status, c.target), (Ok, Some(id("A4.1.11"))));
}
