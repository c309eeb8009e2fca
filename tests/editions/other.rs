//! A third kind of edition (October 2026), made from the June 2025 text
//! with other changes than `next.rs` makes, in other places: a check that
//! `setproc diff` reads what the text says rather than fitting one script.
//!
//! 1. the title page: June 2025 → October 2026;
//! 2. a chapter inserted in Part A: A6 Working with Interpreters (two
//!    sections), so A6–A9 become A7–A10 (running headers too);
//! 3. a paragraph removed: A2.1.3, so A2.1.4 … become A2.1.3 …;
//! 4. a title changed: B12.2 "… newly appointed staff" → "… new staff";
//! 5. a paragraph rewritten whole: B34.5.1;
//! 6. the last section of a chapter removed: B35.11 Foreign Exchange Visits;
//! 7. a chapter without sections moved between groupings: B22 Socially
//!    excluded and isolated children from Part B3 to the end of Part B2,
//!    now B17 (B17–B21 become B18–B22);
//! 8. a section inserted in the middle of a renumbered chapter: B22.3
//!    (in June 2025's B21), so its 21.3–21.7 become 22.4–22.8.

use super::next::Text;

/// The October 2026 edition made from `june_2025`.
pub fn october_2026(june_2025: &str) -> String {
    let mut t = Text::new(june_2025);
    t.replace_once("[June 2025]", "[October 2026]");
    let n = t.replace_line_starts(
        "12.2 Induction and supervision of newly appointed staff",
        "12.2 Induction and supervision of new staff",
    );
    assert_eq!(n, 2, "B12.2: the contents line and the heading");
    let body = t.body();
    let at = t.find(body, |l| l.starts_with("34.5.1 "));
    t.lines[at] = "34.5.1 Any professional who learns that a child is self-harming should talk \
                   calmly with the child, agree what happens next, and seek advice from the \
                   designated safeguarding lead the same day."
        .to_string();
    let at = t.find(body, |l| l.starts_with("- 2.1.3 Each SET local authority"));
    t.lines.remove(at);
    remove_b35_11(&mut t);
    move_b22_to_b2(&mut t);
    t.renumber_with(
        &|n: &[u16]| match n {
            [2, 1, p] if *p >= 4 => Some(vec![2, 1, p - 1]),
            [c, rest @ ..] if *c >= 6 => Some([&[c + 1][..], rest].concat()),
            _ => None,
        },
        &|n: &[u16]| match n {
            [22, rest @ ..] => Some([&[17][..], rest].concat()),
            [21, s, rest @ ..] if *s >= 3 => Some([&[22, s + 1][..], rest].concat()),
            [c @ 17..=21, rest @ ..] => Some([&[c + 1][..], rest].concat()),
            _ => None,
        },
    );
    insert_b22_3(&mut t);
    insert_a6(&mut t);
    t.lines.join("\n") + "\n"
}

fn remove_b35_11(t: &mut Text) {
    let c = t.contents();
    let at = t.find(c, |l| l.starts_with("35.11 Foreign Exchange Visits"));
    t.lines.remove(at);
    let body_b = t.body_part_b();
    let start = t.find(body_b, |l| l.starts_with("35.11 Foreign Exchange Visits"));
    let end = t.chapter_start(start, 36);
    t.lines.drain(start..end);
}

/// Chapter 22 (its contents entry and body) to the end of Part B2; its
/// running headers name its new grouping.
fn move_b22_to_b2(t: &mut Text) {
    let cb = t.contents_part_b();
    let start = t.find(cb, |l| l.starts_with("22. Socially excluded"));
    let end = t.find(start, |l| l.starts_with("23. "));
    let entries: Vec<String> = t.lines.drain(start..end).collect();
    let at = t.find(cb, |l| l.starts_with("PART B3:"));
    t.lines.splice(at..at, entries);
    let b3 = "PART B3: Safeguarding Children Practice Guidance";
    let body_b = t.body_part_b();
    let start = t.chapter_start(body_b, 22);
    let end = t.chapter_start(start + 1, 23);
    let block: Vec<String> = t
        .lines
        .drain(start..end)
        .map(|l| {
            if l.trim() == b3 {
                "PART B2: Learning and Improvement Framework".to_string()
            } else {
                l
            }
        })
        .collect();
    let at = t.find(body_b, |l| l.trim() == b3);
    t.lines.splice(at..at, block);
}

fn insert_b22_3(t: &mut Text) {
    let cb = t.contents_part_b();
    let at = t.find(cb, |l| l.starts_with("22.4 Children with poor"));
    t.insert_lines(at, &["22.3 Children at risk of missing education\t415"]);
    let body_b = t.body_part_b();
    let at = t.find(body_b, |l| l.starts_with("22.4 Children with poor"));
    t.insert_lines(
        at,
        &[
            "22.3 Children at risk of missing education",
            "",
            "- 22.3.1 Schools must tell the local authority when a pupil has been absent for ten consecutive school days without explanation, and agree with it the enquiries each will make.",
            "",
        ],
    );
}

fn insert_a6(t: &mut Text) {
    let c = t.contents();
    let at = t.find(c, |l| l.starts_with("7. Children and Families moving"));
    t.insert_lines(
        at,
        &[
            "6. Working with Interpreters\t103",
            "6.1 Introduction\t103",
            "6.2 Booking an interpreter\t103",
        ],
    );
    let body = t.body();
    let at = t.chapter_start(body, 7);
    t.insert_lines(
        at,
        &[
            "6. Working with Interpreters",
            "",
            "6.1 Introduction",
            "",
            "- 6.1.1 Children and families whose first language is not English must be offered an independent, qualified interpreter for every assessment, interview and meeting about the child.",
            "",
            "6.2 Booking an interpreter",
            "",
            "- 6.2.1 Family members, and children in particular, must never be used as interpreters in child protection work.",
            "",
        ],
    );
}
