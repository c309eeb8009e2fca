//! Which edition of the manual a text is: the date its title page prints
//! ("June 2025") and a hash of the whole text.
//!
//! The procedures are reissued every year or two and practitioners are told
//! to dispose of old copies, so every build records its edition: the
//! manifest stores it, `setproc --version` and the reader's header show it,
//! and saved bookmarks carry it so that a later edition can re-attach them.
//! The date is what people say; the hash tells two printings of the same
//! month apart.

use std::hash::Hasher;

use serde::{Deserialize, Serialize};

use crate::text::hash::FxBuild;

/// An edition's identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edition {
    /// As the title page prints it: "June 2025"; empty when it has none.
    pub date: String,
    /// Hash of the source text (16 hex digits); empty when unknown (a
    /// content folder written before editions were recorded).
    pub hash: String,
}

impl Edition {
    /// The edition of a source text.
    pub fn of(source: &str) -> Edition {
        Edition {
            date: title_date(source).unwrap_or_default(),
            hash: text_hash(source),
        }
    }

    /// The date as people say it, or a stand-in when the title page had none.
    pub fn label(&self) -> &str {
        if self.date.is_empty() {
            "undated edition"
        } else {
            &self.date
        }
    }

    /// The first eight digits of the hash: enough to tell editions apart on
    /// screen.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..8).unwrap_or(&self.hash)
    }

    /// "June 2025 (text 1a2b3c4d…)": the date and the full hash.
    pub fn describe(&self) -> String {
        if self.hash.is_empty() {
            return self.label().to_string();
        }
        format!("{} (text {})", self.label(), self.hash)
    }

    /// Whether `name` names this edition: its date (any case, spacing) or
    /// its hash (in full or the first eight digits or more).
    pub fn is_named(&self, name: &str) -> bool {
        let name = name.trim();
        let squash = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        (!self.date.is_empty() && squash(name) == squash(&self.date))
            || (name.len() >= 8
                && !self.hash.is_empty()
                && self.hash.starts_with(&name.to_ascii_lowercase()))
    }
}

/// The month and year the title page prints (`[June 2025]`), looked for
/// before the contents list.
pub fn title_date(source: &str) -> Option<String> {
    source
        .lines()
        .take_while(|l| !l.trim().eq_ignore_ascii_case("contents"))
        .take(200)
        .find_map(month_year)
}

/// The months as the manual (and an export's stamp) write them.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "June 2025" from a line holding a month name followed by a year.
fn month_year(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).find_map(|w| {
        let month = MONTHS.iter().find(|m| m.eq_ignore_ascii_case(w[0]))?;
        let year_ok = w[1].len() == 4 && w[1].bytes().all(|b| b.is_ascii_digit());
        year_ok.then(|| format!("{month} {}", w[1]))
    })
}

/// The source text's hash: the Fx hash (fast: a word at a time) of its
/// bytes, as 16 hex digits. Stable across runs and machines.
pub fn text_hash(source: &str) -> String {
    let mut h = std::hash::BuildHasher::build_hasher(&FxBuild);
    h.write(source.as_bytes());
    h.write_u8(0xff);
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_page_date_is_found_before_the_contents() {
        let src = "\n**SOUTHEND,\nESSEX**\n\n[June 2025]\n\nContents\n\nPART A\t15\n";
        assert_eq!(title_date(src).as_deref(), Some("June 2025"));
        assert_eq!(
            title_date("[april 2026]\nContents\n").unwrap(),
            "April 2026"
        );
        // A date after the contents heading is not the title page's.
        assert_eq!(title_date("Contents\nMay 2019 updates\n"), None);
        assert_eq!(title_date("June 25\nContents\n"), None);
    }

    #[test]
    fn editions_differ_by_text_and_are_named_by_date_or_hash() {
        let a = Edition::of("[June 2025]\nContents\nx");
        let b = Edition::of("[June 2025]\nContents\ny");
        assert_eq!(a.date, "June 2025");
        assert_eq!(a.hash.len(), 16);
        assert_ne!(a.hash, b.hash, "same date, other text");
        assert!(a.is_named("june  2025"));
        assert!(a.is_named(&a.hash[..8]));
        assert!(!a.is_named(&b.hash));
        assert!(!a.is_named("June"));
        assert_eq!(a.short_hash().len(), 8);
        assert!(a.describe().starts_with("June 2025 (text "));
        assert_eq!(Edition::default().label(), "undated edition");
    }
}
