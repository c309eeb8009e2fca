//! `setproc contacts` on the real manual, checked by a second method: an
//! independent regular-expression pass over the raw source text (not the
//! markdown the finder reads) must find no phone number, e-mail or web
//! address that `contacts` misses, except the few read by hand and listed
//! here with the reason; and every contact `contacts` gives must be written
//! in the source as it says (nothing invented).

use std::collections::BTreeSet;
use std::process::{Command, Output};

use regex::Regex;
use serde_json::Value;
use setproc::store::contacts::{Contact, contacts};
use setproc::store::library::{EMBEDDED_SOURCE, Library};
use setproc::text::contacts::Kind;

fn setproc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn all() -> Vec<Contact> {
    contacts(&Library::embedded())
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Numbers the regex pass finds that are not numbers to call, read by
/// hand: (text around it in the source, the number, why).
const NOT_CONTACTS: &[(&str, &str, &str)] = &[
    ("hours of 0800-2200hrs", "08002200", "a time of day"),
    (
        "NHS Direct/111",
        "111",
        "the name of a service, no number to call",
    ),
];

/// UK phone numbers as the regex pass sees them: `+44 (0)` or a leading 0
/// (maybe bracketed), then digits, spaces, brackets and hyphens, 8 to 11
/// digits in all; the three-digit service numbers; local numbers after a
/// label. The contents list's lines ("6.8 A child moving during s47
/// enquiries<TAB>112") end in page numbers, not phone numbers: skipped.
fn regex_phones(text: &str) -> Vec<(usize, String)> {
    let contents_line = Regex::new(r"(?m)^.*\t[0-9]+$").unwrap();
    let pages: Vec<std::ops::Range<usize>> =
        contents_line.find_iter(text).map(|m| m.range()).collect();
    let in_contents = |at: usize| pages.iter().any(|r| r.contains(&at));
    let national = Regex::new(r"(?:\+44\s?\(0\)\s?|\(?\b0)[0-9][0-9 ()\-]{5,14}[0-9]").unwrap();
    let short = Regex::new(r"\b(999|101|111|112)\b").unwrap();
    let local = Regex::new(r"(?i)\b(?:tel|fax)\b[:.]?\s*([1-9][0-9]{5,7})\b").unwrap();
    let mut out = Vec::new();
    for m in national.find_iter(text) {
        let mut d = digits(m.as_str());
        if m.as_str().starts_with("+44") {
            d = format!("0{}", &d[3..]);
        }
        if (8..=11).contains(&d.len()) && !in_contents(m.start()) {
            out.push((m.start(), d));
        }
    }
    for c in short.captures_iter(text).chain(local.captures_iter(text)) {
        let m = c.get(1).unwrap();
        if !in_contents(m.start()) {
            out.push((m.start(), m.as_str().to_string()));
        }
    }
    out
}

fn excluded(text: &str, at: usize, number: &str) -> bool {
    NOT_CONTACTS.iter().any(|(around, n, _)| {
        *n == number
            && text
                .match_indices(around)
                .any(|(i, _)| i <= at && at < i + around.len())
    })
}

#[test]
fn every_phone_number_in_the_source_is_found_with_its_section() {
    let found = all();
    let keys: BTreeSet<&str> = found
        .iter()
        .filter(|c| matches!(c.kind, Kind::Phone | Kind::Fax))
        .map(|c| c.key.as_str())
        .collect();
    let mut checked = BTreeSet::new();
    let mut missed = Vec::new();
    let mut excused = 0;
    for (at, number) in regex_phones(EMBEDDED_SOURCE) {
        if excluded(EMBEDDED_SOURCE, at, &number) {
            excused += 1;
            continue;
        }
        checked.insert(number.clone());
        if !keys.contains(number.as_str()) {
            let line = EMBEDDED_SOURCE[..at].lines().count();
            missed.push(format!("line {line}: {number}"));
        }
    }
    assert!(missed.is_empty(), "missed: {missed:#?}");
    // Every exclusion is still there to excuse something.
    assert_eq!(excused, NOT_CONTACTS.len());
    // The pass is not vacuous: the manual gives 51 different numbers.
    assert!(checked.len() >= 50, "{}", checked.len());
    // …and contacts finds nothing the regex pass does not.
    let extra: Vec<&&str> = keys.iter().filter(|k| !checked.contains(**k)).collect();
    assert!(extra.is_empty(), "found by contacts only: {extra:?}");
}

#[test]
fn every_email_and_web_address_in_the_source_is_found() {
    let found = all();
    let keys: BTreeSet<String> = found.iter().map(|c| c.key.to_lowercase()).collect();
    let email = Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").unwrap();
    // Up to a space, bracket, `>` (of `<https://…>`) or `\` (of `\(www…\)`).
    let web = Regex::new(r"(?i)\b(?:https?://|www\.)[^\s)\]>\\]+").unwrap();
    let bare = Regex::new(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org\.uk|org|co\.uk)\b").unwrap();
    let mut missed = Vec::new();
    let mut emails = 0;
    for m in email.find_iter(EMBEDDED_SOURCE) {
        emails += 1;
        if !keys.contains(&m.as_str().to_lowercase()) {
            missed.push(m.as_str().to_string());
        }
    }
    let mut webs = 0;
    for m in web
        .find_iter(EMBEDDED_SOURCE)
        .chain(bare.find_iter(EMBEDDED_SOURCE))
    {
        // Inside an e-mail address: counted above.
        let before = EMBEDDED_SOURCE[..m.start()].chars().next_back();
        if matches!(before, Some('@' | '.' | '/')) {
            continue;
        }
        webs += 1;
        let key = m.as_str().to_lowercase();
        let key = key.trim_end_matches(['.', ',', ';', ':']);
        let key = key
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/');
        if !keys.contains(key) {
            missed.push(m.as_str().to_string());
        }
    }
    assert!(missed.is_empty(), "missed: {missed:#?}");
    assert!(
        emails >= 15 && webs >= 60,
        "{emails} e-mails, {webs} web addresses"
    );
}

#[test]
fn nothing_is_invented_and_each_has_a_section() {
    let lib = Library::embedded();
    let found = contacts(&lib);
    for c in &found {
        assert!(
            EMBEDDED_SOURCE.contains(&c.value),
            "{} is not in the source",
            c.value
        );
        assert!(c.quote.contains(&c.value), "{c:?}");
        assert!(lib.meta(c.node).is_some());
        if let Some(p) = c.paragraph {
            assert!(lib.meta(c.node).unwrap().paragraphs.contains(&p), "{c:?}");
        }
    }
    // Names, where the text gives them.
    let named = |value: &str, name: &str| {
        assert!(
            found
                .iter()
                .any(|c| c.value == value && c.name.as_deref() == Some(name)),
            "{value} is not named {name}"
        );
    };
    named("0800 1111", "Childline");
    named("0300 1234 999", "RSPCA");
    named("020 3197 2886", "East London Family Court");
    named("01235 517 700", "Baptist Church");
    named("(02392) 722712", "NPFS Eastern Area Portsmouth");
    named("0808 800 2222", "Family Lives");
}

#[test]
fn the_command_filters_and_says_where() {
    let o = setproc(&["contacts", "RSPCA", "--json"]);
    assert!(o.status.success());
    let rows: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["value"], "0300 1234 999");
    assert_eq!(rows[0]["normalised"], "03001234999");
    assert_eq!(rows[0]["kind"], "phone");
    assert_eq!(rows[0]["section"], "B41.3");
    assert_eq!(rows[0]["paragraph"], "B41.3.6");
    assert!(
        rows[0]["quote"]
            .as_str()
            .unwrap()
            .contains("call the RSPCA's national cruelty and advice line: 0300 1234 999")
    );
    // Digits match however grouped; every word must match.
    let o = setproc(&["contacts", "08088005000"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with("phone")).count() >= 5,
        "{text}"
    );
    assert!(text.contains("(A1.7.3)"), "{text}");
    let o = setproc(&["contacts", "no-such-helpline"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no contact matching"));
}
