//! The phone numbers, e-mail and web addresses the manual gives, for
//! `setproc contacts` and the reader's contacts list: each with the name it
//! belongs to, its section and numbered paragraph, and the line it is
//! quoted from.
//!
//! Read from each node's markdown, line by line ([`find_contacts`] finds
//! them in a line), so the built-in manual and a `--content` folder give
//! the same list. What the sentence does not name is named by the lines
//! around it: a table row by its first cell, a line of an address by the
//! top of the address ("East London Family Court / … / Tel: 020 3197
//! 2886"), else the sub-heading above.

use crate::manual::ids::{NodeId, SectionId, anchor_to_id};
use crate::store::library::Library;
use crate::store::lookup::Target;
use crate::text::contacts::{Found, Kind, find_contacts};
use crate::text::markup::inline_text;

/// Longest line taken for a line of an address or list, not prose.
const SHORT_LINE: usize = 80;

/// A contact the manual gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub kind: Kind,
    /// As written: `0808 800 5000`, `help@nspcc.org.uk`, `www.setdab.org`.
    pub value: String,
    /// For comparing and dialling: digits, or the address in lower case.
    pub key: String,
    /// Who or what it belongs to, as the text names it.
    pub name: Option<String>,
    pub node: NodeId,
    /// The numbered paragraph holding it.
    pub paragraph: Option<SectionId>,
    /// The line it is on, as plain text (a link's address, not shown in
    /// plain text, follows in angle brackets).
    pub quote: String,
}

impl Contact {
    /// Where the reader opens it: the paragraph, else the section.
    pub fn target(&self) -> Target {
        match self.paragraph {
            Some(id) => Target::Paragraph {
                id,
                node: self.node,
            },
            None => Target::Node(self.node),
        }
    }

    /// Whether every query word (lower case) is in its value, name, section
    /// or line; a word of digits matches the digits however grouped.
    pub fn matches(&self, query_words: &[String]) -> bool {
        let hay = format!(
            "{} {} {} {} {}",
            self.value,
            self.name.as_deref().unwrap_or(""),
            self.node,
            self.paragraph.map(|p| p.to_string()).unwrap_or_default(),
            self.quote
        )
        .to_lowercase();
        query_words.iter().all(|w| {
            hay.contains(w.as_str())
                || (w.chars().all(|c| c.is_ascii_digit()) && self.key.contains(w.as_str()))
        })
    }

    /// The part of the quote around the value, at most `width` characters,
    /// with an ellipsis where cut.
    pub fn excerpt(&self, width: usize) -> String {
        let Some(at) = self.quote.find(&self.value) else {
            return cut(&self.quote, 0, width);
        };
        let before = self.quote[..at].chars().count();
        let len = self.value.chars().count();
        let start = before.saturating_sub(width.saturating_sub(len) / 2);
        cut(&self.quote, start, width)
    }
}

/// `width` characters of `s` from character `start`, marked where cut.
fn cut(s: &str, start: usize, width: usize) -> String {
    let total = s.chars().count();
    let start = start.min(total.saturating_sub(width));
    let mut out: String = s.chars().skip(start).take(width).collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if start + width < total {
        out.push('…');
    }
    out
}

/// Every contact in the manual, in reading order.
pub fn contacts(lib: &Library) -> Vec<Contact> {
    lib.metas
        .iter()
        .zip(&lib.bodies)
        .flat_map(|(m, body)| contacts_in(m.id, body))
        .collect()
}

/// One line of a block, as read.
struct Line {
    plain: String,
    found: Vec<Found>,
}

/// The contacts in one node's markdown.
pub fn contacts_in(node: NodeId, body: &str) -> Vec<Contact> {
    let mut out: Vec<Contact> = Vec::new();
    let mut para: Option<SectionId> = None;
    let mut heading: Option<String> = None;
    let mut block: Vec<Line> = Vec::new();
    for raw in body.lines() {
        let t = raw.trim();
        if t.is_empty() {
            block.clear();
            continue;
        }
        if t.starts_with('#') {
            // Sub-headings ("### Royal Marines") may name what follows; a
            // node's own title ("# 45. …") names no one.
            let level = t.bytes().take_while(|&c| c == b'#').count();
            heading = (level >= 3).then(|| inline_text(t[level..].trim()));
            para = None;
            block.clear();
            continue;
        }
        if let Some(id) = leading_anchor(t) {
            para = Some(id);
        }
        let (plain, mut found) = read_line(t);
        // A line of an address or a list, not a sentence of prose, may be
        // named by the sub-heading above.
        let short = plain.chars().count() <= SHORT_LINE;
        for f in &mut found {
            if f.name.is_none() {
                f.name = name_from_block(&block).or_else(|| heading.clone().filter(|_| short));
            }
        }
        for f in &found {
            let quote = if plain.contains(&f.value) {
                plain.clone()
            } else {
                format!("{plain} <{}>", f.value)
            };
            let c = Contact {
                kind: f.kind,
                value: f.value.clone(),
                key: f.key.clone(),
                name: f.name.clone(),
                node,
                paragraph: para,
                quote,
            };
            let repeat = out
                .iter()
                .any(|o| o.key == c.key && o.kind == c.kind && o.name == c.name);
            if !repeat {
                out.push(c);
            }
        }
        block.push(Line { plain, found });
    }
    out
}

/// A line's plain text and its contacts, named as far as the line allows:
/// a table row's by its first cell; a link's address (`[text](https://…)`)
/// by the sentence around the link.
fn read_line(t: &str) -> (String, Vec<Found>) {
    if t.starts_with('|') {
        let cells: Vec<String> = t
            .trim_matches('|')
            .split(" | ")
            .map(|c| inline_text(c.trim()))
            .collect();
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            return (String::new(), Vec::new());
        }
        let plain = cells.join(" | ");
        let mut found = find_contacts(&plain);
        let first = cells.first().map_or(0, String::len);
        for f in &mut found {
            if f.start > first {
                f.name = Some(cells[0].clone());
            }
        }
        return (plain, found);
    }
    let md = strip_list_marker(t.trim_end_matches('\\').trim_end());
    let plain = inline_text(md);
    let mut found = find_contacts(&plain);
    for (text, target) in links_out(md) {
        let target = target
            .strip_prefix("mailto:")
            .or_else(|| target.strip_prefix("tel:"))
            .unwrap_or(target);
        for mut f in find_contacts(target) {
            if found.iter().all(|g| g.key != f.key) {
                f.name = link_name(text);
                f.start = plain.len();
                f.end = plain.len();
                found.push(f);
            }
        }
    }
    (plain, found)
}

/// `- item`, `* item`, `3\. item` → `item`.
fn strip_list_marker(t: &str) -> &str {
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return rest;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = t[digits..].strip_prefix("\\. ")
    {
        return rest;
    }
    t
}

/// The paragraph a line starts (`<a id="b45-1-2"></a>**45.1.2** …`).
fn leading_anchor(t: &str) -> Option<SectionId> {
    let rest = strip_list_marker(t).strip_prefix("<a id=\"")?;
    anchor_to_id(&rest[..rest.find('"')?])
}

/// The line's links that leave the manual (`https://…`, `mailto:…`,
/// `tel:…`), as (text, target); links between sections (`B2.md`) are not
/// contacts.
fn links_out(md: &str) -> Vec<(&str, &str)> {
    md.match_indices("](")
        .filter_map(|(i, _)| {
            let rest = &md[i + 2..];
            let target = &rest[..rest.find(')')?];
            let text = &md[md[..i].rfind('[')? + 1..i];
            let external = ["http://", "https://", "www.", "mailto:", "tel:"]
                .iter()
                .any(|p| target.starts_with(p));
            external.then_some((text, target))
        })
        .collect()
}

/// A link's text as the name of where it leads, up to a colon, bracket or
/// dash ("National referral mechanism guidance: adult … - GOV.UK").
fn link_name(text_md: &str) -> Option<String> {
    let text = inline_text(text_md);
    let end = [text.find(':'), text.find('('), text.find(" - ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(text.len());
    let name = text[..end].trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The name the lines above give a contact the sentence does not name: the
/// top of the address it ends (the first line after the previous contact,
/// past a lead-in such as "Useful contacts:"), or the previous contact's
/// name when it directly follows one.
fn name_from_block(block: &[Line]) -> Option<String> {
    let last_contact = block.iter().rposition(|l| !l.found.is_empty());
    let from = last_contact.map_or(0, |k| k + 1);
    let candidates = &block[from..];
    if candidates.is_empty() {
        let prev = &block[last_contact?];
        return prev.found.last().and_then(|f| f.name.clone());
    }
    candidates
        .iter()
        .map(|l| l.plain.trim())
        .find(|p| !p.ends_with(':') && is_name_line(p))
        .map(str::to_string)
}

/// A short line that could be a name, not a sentence of prose.
fn is_name_line(p: &str) -> bool {
    !p.is_empty()
        && p.chars().count() <= SHORT_LINE
        && !p.contains(". ")
        && p.starts_with(|c: char| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(s: &str) -> NodeId {
        s.parse().unwrap()
    }

    fn named(body: &str) -> Vec<(String, Option<String>)> {
        contacts_in(node("B45"), body)
            .into_iter()
            .map(|c| (c.value, c.name))
            .collect()
    }

    fn pair(v: &str, n: &str) -> (String, Option<String>) {
        (v.to_string(), Some(n.to_string()))
    }

    #[test]
    fn addresses_lists_and_tables_name_their_contacts() {
        let body = "### Royal Navy\n\n\
            <a id=\"b45-1-2\"></a>**45.1.2** Refer to the Area Officer, NPFS:\n\n\
            - NPFS Eastern Area Portsmouth\n- (02392) 722712\n- Fax: 725803\n\n\
            ### Royal Marines\n\n\
            <a id=\"b45-1-3\"></a>**45.1.3** Notify SO3 at Portsmouth. Tel: (02392) 547542.\n\n\
            <a id=\"b45-1-4\"></a>**45.1.4** Useful contacts:\\\nEast London Family Court\\\n\
            11 Westferry Circus\\\nTel: 020 3197 2886\\\nfamily@justice.gov.uk\\\nHome Office\\\n\
            FGMEnquiries@homeoffice.gov.uk\n\n\
            ### Faith groups\n\n\
            | Organisation | Telephone Number | Website |\n| --- | --- | --- |\n\
            | Baptist Church | 01235 517 700 | www.baptist.org.uk |\n";
        assert_eq!(
            named(body),
            vec![
                pair("(02392) 722712", "NPFS Eastern Area Portsmouth"),
                pair("725803", "NPFS Eastern Area Portsmouth"),
                pair("(02392) 547542", "Royal Marines"),
                pair("020 3197 2886", "East London Family Court"),
                pair("family@justice.gov.uk", "East London Family Court"),
                pair("FGMEnquiries@homeoffice.gov.uk", "Home Office"),
                pair("01235 517 700", "Baptist Church"),
                pair("www.baptist.org.uk", "Baptist Church"),
            ]
        );
        let all = contacts_in(node("B45"), body);
        assert_eq!(all[0].paragraph.unwrap().to_string(), "B45.1.2");
        assert_eq!(all[1].kind, Kind::Fax);
        assert_eq!(
            all[2].quote,
            "45.1.3 Notify SO3 at Portsmouth. Tel: (02392) 547542."
        );
        assert_eq!(all[6].paragraph, None, "a sub-heading ends the paragraph");
    }

    #[test]
    fn link_addresses_count_and_are_quoted() {
        let body = "Contact the NSPCC ([0303 003 11 11](tel:03030031111)) or read the \
                    [guidance](https://www.gov.uk/guidance.pdf) or see [Part B](B2.md).";
        let all = contacts_in(node("B2"), body);
        let values: Vec<&str> = all.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(
            values,
            ["0303 003 11 11", "https://www.gov.uk/guidance.pdf"]
        );
        assert_eq!(all[1].name.as_deref(), Some("guidance"));
        assert!(all[1].quote.ends_with("<https://www.gov.uk/guidance.pdf>"));
    }

    #[test]
    fn filters_and_excerpts() {
        let c = &contacts_in(
            node("A1.7"),
            "<a id=\"a1-7-3\"></a>**1.7.3** If there is a risk that the member of the public will disengage, the NSPCC Child Protection Helpline (0808 800 5000) can be offered.",
        )[0];
        assert_eq!(c.target().paragraph().unwrap().to_string(), "A1.7.3");
        let q = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_lowercase).collect() };
        assert!(c.matches(&q("nspcc helpline")));
        assert!(c.matches(&q("08088005000")));
        assert!(c.matches(&q("a1.7.3")));
        assert!(!c.matches(&q("nspcc childline")));
        let e = c.excerpt(40);
        assert!(e.contains("0808 800 5000") && e.starts_with('…'), "{e}");
        assert!(e.chars().count() <= 42, "{e}");
    }
}
