//! Phone numbers, e-mail addresses and web addresses in a line of English
//! text, and the name each belongs to as the sentence gives it ("the NSPCC
//! Child Protection Helpline (0808 800 5000)", "call the RSPCA's … line:
//! 0300 1234 999").
//!
//! Phone numbers are UK numbers in the forms people write them: `0808 800
//! 5000`, `020 7008 1500`, `01375 652802`, `0303 003 11 11`, `(02392)
//! 722712`, `+44 (0) 20 7008 1500`, `03030031111`, Childline's `0800 1111`;
//! a local number only after a label (`Fax: 725803`); 999, 101, 111 and 112
//! only where the text calls them (`call 999`, `via 101`, `999 for
//! emergency`). A time such as `0800-2200hrs` is not a number.
//!
//! Hand-written rather than a regular expression: the rules above (what
//! may come before and after, which lengths) read more plainly as code,
//! and the tests check the result against an independent regex pass over
//! the whole manual.

/// What a contact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Phone,
    Fax,
    Email,
    Web,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Phone => "phone",
            Kind::Fax => "fax",
            Kind::Email => "e-mail",
            Kind::Web => "web",
        }
    }
}

/// A contact found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// As written.
    pub value: String,
    /// For comparing: a phone's digits (`+44 (0)` as `0`), an address in
    /// lower case without `http://`, `www.`, `mailto:` or a final `/`.
    pub key: String,
    /// Byte range of `value` in the line.
    pub start: usize,
    pub end: usize,
    /// Who or what it belongs to, as the sentence names it.
    pub name: Option<String>,
}

/// Every contact in `line`, in order, each with the name before it.
pub fn find_contacts(line: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    found.extend(phones(line));
    found.extend(emails(line));
    found.extend(webs(line, &found));
    found.sort_by_key(|f| f.start);
    // The same contact twice in a line ("GOV.UK (www.gov.uk)") once.
    let mut seen: Vec<(Kind, String)> = Vec::new();
    found.retain(|f| {
        let k = (f.kind, f.key.clone());
        let new = !seen.contains(&k);
        seen.push(k);
        new
    });
    let mut prev: Option<(usize, Option<String>)> = None;
    for f in &mut found {
        f.name = name_for(line, f.start, prev.as_ref());
        prev = Some((f.end, f.name.clone()));
    }
    found
}

// ---------------------------------------------------------------------------
// Phone numbers

/// Numbers that are called by their three digits.
const SHORT_NUMBERS: &[&str] = &["999", "101", "111", "112"];
/// Words after which a short number is one to call.
const CALL_WORDS: &[&str] = &[
    "call", "calling", "dial", "dialling", "ring", "phone", "phoning", "via", "on",
];

fn phones(line: &str) -> Vec<Found> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = (b[i] == b'0' || b[i] == b'+' || b[i].is_ascii_digit())
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b',')));
        if !starts {
            i += 1;
            continue;
        }
        match phone_at(line, i) {
            Some(f) => {
                i = f.end;
                out.push(f);
            }
            None => {
                // Past this run of digits.
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
        }
    }
    out
}

/// The number starting at byte `i` (a digit or `+`), if it is one.
fn phone_at(line: &str, i: usize) -> Option<Found> {
    let b = line.as_bytes();
    let (mut start, end, digits) = scan_number(b, i);
    // Ends at a word boundary: `0800-2200hrs` is a time.
    if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let key = if let Some(rest) = digits.strip_prefix("44").filter(|_| b[i] == b'+') {
        format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
    } else {
        digits.clone()
    };
    let label = label_before(&line[..i]);
    let national =
        key.starts_with('0') && (key.len() == 10 || key.len() == 11 || is_freephone_short(&key));
    let local = !key.starts_with('0') && (6..=8).contains(&key.len()) && label.is_some();
    let short = SHORT_NUMBERS.contains(&key.as_str()) && is_called(line, i, end);
    if !(national || local || short) {
        return None;
    }
    // `(02392) 722712`: the bracket belongs to the number.
    if i > 0 && b[i - 1] == b'(' && line[i..end].contains(')') {
        start = i - 1;
    }
    Some(Found {
        kind: if label == Some(Kind::Fax) {
            Kind::Fax
        } else {
            Kind::Phone
        },
        value: line[start..end].to_string(),
        key,
        start,
        end,
        name: None,
    })
}

/// Childline's `0800 1111`: freephone numbers of four digits.
fn is_freephone_short(key: &str) -> bool {
    key.len() == 8 && (key.starts_with("0800") || key.starts_with("0808"))
}

/// The extent of a written number from `i`: digits in groups separated by
/// one space or hyphen, an area code in brackets (`(02392) 722712`), and
/// `+44 (0)`. Returns (start, end, its digits).
fn scan_number(b: &[u8], i: usize) -> (usize, usize, String) {
    let mut digits = String::new();
    let mut j = i;
    if b[j] == b'+' {
        j += 1;
    }
    let mut end = j;
    while j < b.len() {
        let c = b[j];
        if c.is_ascii_digit() {
            digits.push(c as char);
            j += 1;
            end = j;
        } else if (c == b' ' || c == b'-') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
            j += 1;
        } else if c == b' ' && b[j + 1..].starts_with(b"(0)") && digits == "44" {
            // `+44 (0) 20 …`: the bracketed 0 is dropped when dialling.
            j += 4;
        } else if c == b')' && b[j + 1..].starts_with(b" ") && is_area_code(b, i, j) {
            j += 1;
        } else {
            break;
        }
        if digits.len() > 13 {
            break;
        }
    }
    (i, end, digits)
}

/// Whether the `)` at `close` ends an area code opened just before `i`.
fn is_area_code(b: &[u8], i: usize, close: usize) -> bool {
    i > 0 && b[i - 1] == b'(' && b[i..close].iter().all(u8::is_ascii_digit)
}

/// The label just before a number (`Tel:`, `Fax:`, `Tel.`, `phone:`).
fn label_before(before: &str) -> Option<Kind> {
    let t =
        before.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '(' | '-'));
    let word = t
        .rsplit(|c: char| !c.is_alphanumeric() && c != '-')
        .next()?
        .to_lowercase();
    match word.as_str() {
        "fax" | "facsimile" => Some(Kind::Fax),
        "tel" | "telephone" | "phone" | "freephone" | "helpline" | "textphone" | "number" => {
            Some(Kind::Phone)
        }
        _ => None,
    }
}

/// Whether a three-digit number at `i..end` is one to call: after a
/// calling word, or followed by "for emergency" or "(non-emergency)".
fn is_called(line: &str, i: usize, end: usize) -> bool {
    let before = line[..i].trim_end().to_lowercase();
    let prev = before.rsplit(|c: char| !c.is_alphanumeric()).next();
    let after = line[end..].trim_start().to_lowercase();
    prev.is_some_and(|w| CALL_WORDS.contains(&w))
        || after.starts_with("for emergenc")
        || after.starts_with("(non-emergency)")
        || after.starts_with("(emergency)")
}

// ---------------------------------------------------------------------------
// E-mail and web addresses

fn emails(line: &str) -> Vec<Found> {
    let b = line.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    let mut out = Vec::new();
    for (at, _) in line.match_indices('@') {
        let mut s = at;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let (user, host) = (&line[s..at], &line[at + 1..e]);
        if user.is_empty() || !is_domain(host) {
            continue;
        }
        out.push(Found {
            kind: Kind::Email,
            value: line[s..e].to_string(),
            key: line[s..e].to_lowercase(),
            start: s,
            end: e,
            name: None,
        });
    }
    out
}

/// Endings of the web addresses the manual gives.
const SUFFIXES: &[&str] = &[
    ".uk", ".org", ".com", ".net", ".gov", ".info", ".eu", ".int", ".io",
];

/// `nspcc.org.uk`: labels of letters, digits and hyphens, a known ending.
fn is_domain(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    host.contains('.')
        && SUFFIXES.iter().any(|s| lower.ends_with(s))
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
}

fn webs(line: &str, emails_and_phones: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut pos = 0;
    for token in line.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"'))
    {
        let start = pos + (token.as_ptr() as usize - line[pos..].as_ptr() as usize);
        pos = start + token.len();
        let t = token.trim_end_matches(['.', ',', ';', ':', '\'', '!', '?']);
        if t.is_empty() || t.contains('@') {
            continue;
        }
        let lower = t.to_ascii_lowercase();
        let bare = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        let host = bare.split('/').next().unwrap_or("");
        let addressed = bare.len() != lower.len() || host.starts_with("www.");
        if !is_domain(host) || !(addressed || is_bare_domain(t)) {
            continue;
        }
        let end = start + t.len();
        if emails_and_phones
            .iter()
            .any(|f| f.start < end && start < f.end)
        {
            continue;
        }
        let key = bare
            .strip_prefix("www.")
            .unwrap_or(bare)
            .trim_end_matches('/');
        out.push(Found {
            kind: Kind::Web,
            value: t.to_string(),
            key: key.to_string(),
            start,
            end,
            name: None,
        });
    }
    out
}

/// `nationaldahelpline.org.uk` or `GOV.UK` standing alone: two or more
/// labels, not a file name or an abbreviation (`e.g.`).
fn is_bare_domain(t: &str) -> bool {
    let labels: Vec<&str> = t.trim_end_matches('/').split('.').collect();
    labels.len() >= 2 && labels.iter().all(|l| l.len() >= 2)
}

// ---------------------------------------------------------------------------
// Names

/// Words naming what a contact is, not whose it is.
const LABELS: &[&str] = &[
    "tel",
    "telephone",
    "phone",
    "fax",
    "email",
    "e-mail",
    "mail",
    "website",
    "web",
    "freephone",
    "textphone",
    "number",
    "contact",
    "call",
    "ring",
    "dial",
    "or",
    "and",
    "via",
    "on",
];
/// Capitalised words that name no organisation.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "there",
    "it",
    "they",
    "if",
    "in",
    "for",
    "to",
    "alternatively",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "tel",
    "fax",
    "email",
    "e-mail",
    "phone",
    "telephone",
    "website",
    "contact",
    "call",
    "see",
    "further",
    "useful",
    "contacts",
];
/// Small words that may stand inside a name ("Church *of* England").
const JOINERS: &[&str] = &["of", "and", "for", "the", "in", "&", "on", "to"];
/// Abbreviations whose full stop ends no sentence.
const ABBREVIATIONS: &[&str] = &[
    "tel", "no", "st", "dr", "e.g", "i.e", "nb", "etc", "mr", "mrs",
];

/// The name a contact at `start` belongs to: the nearest name before it in
/// its sentence (after the previous contact), else the previous contact's
/// when it is in the same sentence.
fn name_for(line: &str, start: usize, prev: Option<&(usize, Option<String>)>) -> Option<String> {
    let sentence = sentence_start(&line[..start]);
    let window = &line[prev.map_or(0, |p| p.0).max(sentence)..start];
    // Inside brackets ("Family Lives (0808 800 2222)"): what stands before.
    let bracket = open_bracket(window).filter(|&o| o > 0);
    let head = &window[..bracket.unwrap_or(window.len())];
    let name = bracket
        .and_then(|_| capitalised_run(head, true))
        // "the RSPCA's national cruelty and advice line: 0300 1234 999"
        .or_else(|| capitalised_run(head, false))
        // "a free textphone service (0800 056 0566)"
        .or_else(|| bracket.and_then(|_| noun_phrase(head)));
    name.or_else(|| prev.filter(|p| p.0 >= sentence).and_then(|p| p.1.clone()))
}

/// Where the sentence holding the end of `before` starts.
fn sentence_start(before: &str) -> usize {
    let b = before.as_bytes();
    let mut i = b.len();
    while i > 1 {
        i -= 1;
        if matches!(b[i - 1], b'.' | b'?' | b'!' | b';') && b[i] == b' ' {
            let word = before[..i - 1]
                .rsplit(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or("")
                .to_lowercase();
            if b[i - 1] != b'.' || !ABBREVIATIONS.contains(&word.as_str()) {
                return i + 1;
            }
        }
    }
    0
}

/// The last `(` in `s` not closed after it.
fn open_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(i),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A run of capitalised words in `s`: the last one of two or more words
/// or an acronym ("Foreign and Commonwealth Office which offers assistance
/// to British nationals"), else the last ("Childline"); "Refugee
/// Council's" gives "Refugee Council". It reaches back over up to three
/// lower-case words to a capitalised one ("NSPCC national 24 hour Child
/// Protection Helpline"). With `adjacent`, only a run ending `s`. None
/// when a postcode follows it: "London SE1 2LP Tel:" is an address.
fn capitalised_run(s: &str, adjacent: bool) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '(' | ')' | '"' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let trailing_labels = words
        .iter()
        .rev()
        .take_while(|w| LABELS.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
        .count();
    let words = &words[..words.len() - trailing_labels];
    let runs = runs(words);
    let &(first, last) = if adjacent {
        runs.last().filter(|r| r.1 + 1 == words.len())?
    } else {
        let strong =
            |r: &&(usize, usize)| r.1 > r.0 || words[r.0].chars().all(|c| !c.is_lowercase());
        runs.iter().rev().find(strong).or(runs.last())?
    };
    if words[last + 1..].iter().any(|w| is_postcode_part(w)) {
        return None;
    }
    // "Forced marriage - …": a sentence's capital, not a name.
    let ordinary = |w: &str| w.chars().skip(1).all(char::is_lowercase);
    if first == 0
        && last == 0
        && ordinary(words[0])
        && words
            .get(1)
            .is_some_and(|w| w.starts_with(char::is_lowercase))
    {
        return None;
    }
    // "the NSPCC national 24 hour Child Protection Helpline".
    let lower = |w: &str| {
        w.chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let first = (2..=4)
        .find(|&k| {
            first >= k
                && is_cap(words[first - k])
                && words[first - k + 1..first].iter().all(|w| lower(w))
        })
        .map_or(first, |k| first - k);
    let name = words[first..=last].join(" ");
    let name = name.trim_end_matches(['.', '\'']);
    let name = name
        .strip_suffix("'s")
        .or_else(|| name.strip_suffix("\u{2019}s"))
        .unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

/// A word that may start a name: a capital, letters only, not a weekday,
/// a label or a sentence's opening word.
fn is_cap(w: &str) -> bool {
    let w = w.trim_end_matches(['.', '\'']);
    w.starts_with(|c: char| c.is_uppercase())
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '&' | '\u{2019}'))
        && !NOT_NAMES.contains(&w.to_lowercase().as_str())
}

/// The maximal runs of capitalised words (joined by "of", "and" …), as
/// (first, last) word indices, in order.
fn runs(words: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_cap(words[i]) {
            i += 1;
            continue;
        }
        let first = i;
        let mut last = i;
        i += 1;
        while i < words.len() {
            if is_cap(words[i]) {
                last = i;
                i += 1;
            } else if JOINERS.contains(&words[i]) && words.get(i + 1).is_some_and(|w| is_cap(w)) {
                last = i + 1;
                i += 2;
            } else {
                break;
            }
        }
        out.push((first, last));
    }
    out
}

/// `SE1`, `2LP`, `HP14`: letters and digits together.
fn is_postcode_part(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_uppercase())
}

/// The words before a bracket back to a small word or punctuation
/// ("local domestic abuse services (…)"), at most five.
fn noun_phrase(s: &str) -> Option<String> {
    let t = s.trim_end();
    let clause = &t[t.rfind([',', ';', ':', '.', ')']).map_or(0, |i| i + 1)..];
    let words: Vec<&str> = clause.split_whitespace().collect();
    let stop = |w: &&str| {
        JOINERS.contains(w)
            || matches!(
                *w,
                "a" | "an" | "is" | "are" | "be" | "or" | "via" | "call" | "contact"
            )
    };
    let tail: Vec<&str> = words
        .iter()
        .rev()
        .take_while(|w| !stop(w))
        .take(5)
        .copied()
        .collect();
    let name: Vec<&str> = tail.into_iter().rev().collect();
    (!name.is_empty()).then(|| name.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(line: &str) -> Vec<(Kind, String, Option<String>)> {
        find_contacts(line)
            .into_iter()
            .map(|f| (f.kind, f.value, f.name))
            .collect()
    }

    fn one(kind: Kind, value: &str, name: Option<&str>) -> (Kind, String, Option<String>) {
        (kind, value.to_string(), name.map(str::to_string))
    }

    #[test]
    fn uk_numbers_in_their_written_forms() {
        for (text, key) in [
            ("on 0808 800 5000.", "08088005000"),
            ("on 020 7008 1500", "02070081500"),
            ("phone: 01375 652802 or", "01375652802"),
            ("(0303 003 11 11)", "03030031111"),
            ("Tel: (02392) 547542.", "02392547542"),
            ("fcdo +44 (0) 20 7008 1500.", "02070081500"),
            ("tel:03030031111", "03030031111"),
            ("Childline (0800 1111)", "08001111"),
            ("0845 2626 786", "08452626786"),
        ] {
            let f = find_contacts(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].key, key, "{text}");
            assert_eq!(&text[f[0].start..f[0].end], f[0].value);
        }
        assert_eq!(
            find_contacts("Tel: (02392) 547542.")[0].value,
            "(02392) 547542"
        );
    }

    #[test]
    fn not_numbers() {
        for text in [
            "between the hours of 0800-2200hrs to",
            "in 2023, 10 000 children",
            "section 2.23.15 and 2.23.16",
            "SP2 0AG",
            "NHS Direct/111, ambulance trusts",
            "a 0.5 chance",
            "dated 01/02/2023",
        ] {
            assert_eq!(find_contacts(text), vec![], "{text}");
        }
    }

    #[test]
    fn short_and_local_numbers_where_the_text_calls_them() {
        let f = values("Referral to Essex Police via 101 (non-emergency) or 999 for emergency");
        let nums: Vec<&str> = f.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(nums, ["101", "999"]);
        assert_eq!(values("Fax: 725803"), vec![one(Kind::Fax, "725803", None)]);
        assert_eq!(find_contacts("Fax: (02392) 725083")[0].kind, Kind::Fax);
        assert_eq!(find_contacts("Tel: (02392) 722712")[0].kind, Kind::Phone);
        assert!(values("in 725803 cases").is_empty());
    }

    #[test]
    fn names_from_the_sentence() {
        assert_eq!(
            values(
                "the NSPCC national 24 hour Child Protection Helpline (0808 800 5000) and Childline (0800 1111) can be offered"
            ),
            vec![
                one(
                    Kind::Phone,
                    "0808 800 5000",
                    Some("NSPCC national 24 hour Child Protection Helpline")
                ),
                one(Kind::Phone, "0800 1111", Some("Childline")),
            ]
        );
        assert_eq!(
            values("call the RSPCA's national cruelty and advice line: 0300 1234 999."),
            vec![one(Kind::Phone, "0300 1234 999", Some("RSPCA"))]
        );
        assert_eq!(
            values("The Refugee Council's advice line is: 0808 196 7272."),
            vec![one(Kind::Phone, "0808 196 7272", Some("Refugee Council"))]
        );
        assert_eq!(
            values(
                "CTAC can be contacted at free phone number: 0808 800 5000, Monday to Friday 9.30am to 4.30pm or email help@nspcc.org.uk. For more"
            ),
            vec![
                one(Kind::Phone, "0808 800 5000", Some("CTAC")),
                one(Kind::Email, "help@nspcc.org.uk", Some("CTAC")),
            ]
        );
        assert_eq!(
            values(
                "local domestic abuse services (information on local services can be found via: www.setdab.org), the National Domestic Abuse Helpline (nationaldahelpline.org.uk, Tel. 0808 2000 247)"
            ),
            vec![
                one(
                    Kind::Web,
                    "www.setdab.org",
                    Some("local domestic abuse services")
                ),
                one(
                    Kind::Web,
                    "nationaldahelpline.org.uk",
                    Some("National Domestic Abuse Helpline")
                ),
                one(
                    Kind::Phone,
                    "0808 2000 247",
                    Some("National Domestic Abuse Helpline")
                ),
            ]
        );
        // A label alone names nothing: the caller looks around the line.
        assert_eq!(
            values("Tel: 020 3197 2886"),
            vec![one(Kind::Phone, "020 3197 2886", None)]
        );
    }

    #[test]
    fn addresses() {
        assert_eq!(
            values(
                "Forced marriage - GOV.UK (www.gov.uk). See https://uk.churchofjesuschrist.org/."
            ),
            vec![
                one(Kind::Web, "GOV.UK", None),
                one(Kind::Web, "https://uk.churchofjesuschrist.org/", None),
            ]
        );
        assert_eq!(
            find_contacts("mail FGMEnquiries@homeoffice.gov.uk.")[0].key,
            "fgmenquiries@homeoffice.gov.uk"
        );
        assert!(find_contacts("e.g. the report.pdf, i.e. this").is_empty());
    }
}
