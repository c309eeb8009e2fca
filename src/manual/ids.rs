//! Identifiers for the manual's numbered units.
//!
//! The manual numbers everything within a part: chapter `24`, section `24.8`,
//! paragraph `24.8.3`. Prefixed with the part letter these become the canonical
//! ids used everywhere in setproc (`B24`, `B24.8`, `B24.8.3`). Parts and Part B's
//! four groupings are not numbered units; they get ids of their own
//! (`part-A`, `part-B1`, …) so that they can never clash with chapters B1–B4.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One of the manual's two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    A,
    B,
}

impl Part {
    pub fn letter(self) -> char {
        match self {
            Part::A => 'A',
            Part::B => 'B',
        }
    }

    pub fn from_letter(c: char) -> Option<Part> {
        match c.to_ascii_uppercase() {
            'A' => Some(Part::A),
            'B' => Some(Part::B),
            _ => None,
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// What a [`SectionId`] names, by the depth of its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Chapter,
    Section,
    Paragraph,
}

/// A chapter (`B24`), section (`B24.8`) or paragraph (`A3.4.22`) id.
///
/// Ordering is the manual's reading order within a part (numeric, not textual:
/// `A3.10` comes after `A3.9`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionId {
    part: Part,
    nums: [u16; 3],
    len: u8,
}

impl SectionId {
    /// Builds an id from a part and one to three numbers. Returns `None` for
    /// an empty or over-long number path, or a zero component.
    pub fn new(part: Part, nums: &[u16]) -> Option<SectionId> {
        if nums.is_empty() || nums.len() > 3 || nums.contains(&0) {
            return None;
        }
        let mut arr = [0u16; 3];
        arr[..nums.len()].copy_from_slice(nums);
        Some(SectionId {
            part,
            nums: arr,
            len: nums.len() as u8,
        })
    }

    pub fn chapter(part: Part, n: u16) -> SectionId {
        SectionId::new(part, &[n.max(1)]).expect("one non-zero number")
    }

    pub fn part(&self) -> Part {
        self.part
    }

    /// The number path, e.g. `[3, 4, 22]` for `A3.4.22`.
    pub fn nums(&self) -> &[u16] {
        &self.nums[..self.len as usize]
    }

    pub fn level(&self) -> Level {
        match self.len {
            1 => Level::Chapter,
            2 => Level::Section,
            _ => Level::Paragraph,
        }
    }

    /// The chapter this id belongs to (itself for a chapter).
    pub fn chapter_id(&self) -> SectionId {
        SectionId::chapter(self.part, self.nums[0])
    }

    /// The id one level up (`A3.4.22` → `A3.4` → `A3`), `None` for a chapter.
    pub fn parent(&self) -> Option<SectionId> {
        if self.len <= 1 {
            None
        } else {
            SectionId::new(self.part, &self.nums[..self.len as usize - 1])
        }
    }

    /// The number as the manual prints it, without the part: `3.4.22`.
    pub fn number(&self) -> String {
        let mut out = String::with_capacity(8);
        let _ = self.write_number(&mut out, '.'); // a String takes any write
        out
    }

    /// The numbers joined by `sep`, written without allocating (ids are
    /// formatted tens of thousands of times in a build).
    fn write_number(&self, out: &mut impl fmt::Write, sep: char) -> fmt::Result {
        let sep = u8::try_from(sep).unwrap_or(b'.');
        out.write_str(IdText::new(None, self.nums(), sep).as_str())
    }

    /// `A3.4.22` as text on the stack: what `Display` and serde write
    /// (without the formatting machinery, which was most of the cost).
    fn text(&self) -> IdText {
        IdText::new(Some(self.part.letter() as u8), self.nums(), b'.')
    }

    /// A fragment identifier safe in HTML and every markdown viewer:
    /// `A3.4.22` → `a3-4-22`.
    pub fn anchor(&self) -> String {
        let mut out = String::with_capacity(10);
        out.push(self.part.letter().to_ascii_lowercase());
        let _ = self.write_number(&mut out, '-'); // a String takes any write
        out
    }

    /// Whether `self` is `other` or lies inside it (`B24.8.3` is within `B24`).
    pub fn is_within(&self, other: &SectionId) -> bool {
        self.part == other.part
            && self.len >= other.len
            && self.nums[..other.len as usize] == other.nums[..other.len as usize]
    }
}

/// An id's text: a letter and up to three numbers of up to five digits.
struct IdText {
    bytes: [u8; 18],
    len: usize,
}

impl IdText {
    fn new(letter: Option<u8>, nums: &[u16], sep: u8) -> IdText {
        let mut t = IdText {
            bytes: [0; 18],
            len: 0,
        };
        if let Some(l) = letter {
            t.push(l);
        }
        for (i, &n) in nums.iter().enumerate() {
            if i > 0 {
                t.push(sep);
            }
            let mut digits = [0u8; 5];
            let (mut n, mut k) = (n, digits.len());
            loop {
                k -= 1;
                digits[k] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            for &d in &digits[k..] {
                t.push(d);
            }
        }
        t
    }

    fn push(&mut self, b: u8) {
        self.bytes[self.len] = b;
        self.len += 1;
    }

    fn as_str(&self) -> &str {
        // Only ASCII letters, digits and separators are pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().as_str())
    }
}

impl fmt::Debug for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// Why a string is not a section id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a section id (expected e.g. A1.4, B24.8 or A3.4.22)")]
pub struct IdError(pub String);

impl FromStr for SectionId {
    type Err = IdError;

    /// Accepts `B24.8`, `b24.8`, `B 24.8`, `B24.8.` (a trailing dot, as in the
    /// manual's chapter headings) and surrounding whitespace.
    fn from_str(s: &str) -> Result<SectionId, IdError> {
        let err = || IdError(s.to_string());
        let t = s.trim();
        let mut chars = t.chars();
        let part = chars.next().and_then(Part::from_letter).ok_or_else(err)?;
        let rest = chars.as_str().trim_start();
        let rest = rest.strip_suffix('.').unwrap_or(rest);
        if rest.is_empty() {
            return Err(err());
        }
        let mut nums = Vec::with_capacity(3);
        for piece in rest.split('.') {
            if piece.is_empty() || piece.len() > 4 || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            nums.push(piece.parse::<u16>().map_err(|_| err())?);
        }
        SectionId::new(part, &nums).ok_or_else(err)
    }
}

impl Serialize for SectionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text().as_str())
    }
}

impl<'de> Deserialize<'de> for SectionId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SectionId, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Any node of the contents tree: a part, one of Part B's groupings, or a
/// numbered chapter/section.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeId {
    /// `part-A`, `part-B`.
    Part(Part),
    /// Part B's groupings B1–B4: `part-B1` … `part-B4`.
    Group(u8),
    Section(SectionId),
}

/// The id an anchor names: `a3-4-22` → `A3.4.22` (the inverse of
/// [`SectionId::anchor`]).
pub fn anchor_to_id(anchor: &str) -> Option<SectionId> {
    let mut chars = anchor.chars();
    let part = chars.next()?.to_ascii_uppercase();
    format!("{part}{}", chars.as_str().replace('-', "."))
        .parse()
        .ok()
}

impl NodeId {
    /// File name of the node's markdown inside the content folder:
    /// `B24.8` → `B24.8.md`, `part-B3` → `part-B3.md`.
    ///
    /// This is the documented, stable contract for other tools: a paragraph is
    /// `<section file>#<anchor>` (see [`SectionId::anchor`]).
    pub fn file_name(&self) -> String {
        format!("{self}.md")
    }

    pub fn section(&self) -> Option<SectionId> {
        match self {
            NodeId::Section(id) => Some(*id),
            _ => None,
        }
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Part(p) => write!(f, "part-{p}"),
            NodeId::Group(n) => write!(f, "part-B{n}"),
            NodeId::Section(id) => fmt::Display::fmt(id, f),
        }
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl FromStr for NodeId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<NodeId, IdError> {
        let t = s.trim();
        if let Some(rest) = t
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("part-"))
            .map(|_| &t[5..])
        {
            let mut chars = rest.chars();
            let part = chars.next().and_then(Part::from_letter);
            return match (part, chars.as_str()) {
                (Some(p), "") => Ok(NodeId::Part(p)),
                (Some(Part::B), n) => match n.parse::<u8>() {
                    Ok(g @ 1..=4) => Ok(NodeId::Group(g)),
                    _ => Err(IdError(s.to_string())),
                },
                _ => Err(IdError(s.to_string())),
            };
        }
        t.parse().map(NodeId::Section)
    }
}

impl Serialize for NodeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            NodeId::Section(id) => id.serialize(s),
            _ => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> SectionId {
        s.parse().unwrap()
    }

    #[test]
    fn ids_are_written_as_the_manual_prints_them() {
        for (nums, text) in [
            (&[1u16][..], "A1"),
            (&[3, 4, 22][..], "A3.4.22"),
            (&[10, 100, 9][..], "A10.100.9"),
            (&[65535, 65535, 65535][..], "A65535.65535.65535"),
        ] {
            let id = SectionId::new(Part::A, nums).unwrap();
            assert_eq!(id.to_string(), text);
            assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
            if nums.iter().all(|&n| n < 1000) {
                assert_eq!(text.parse::<SectionId>().unwrap(), id);
            }
        }
        assert_eq!(id("B24.6.3").anchor(), "b24-6-3");
        assert_eq!(id("B24.6.3").number(), "24.6.3");
        assert_eq!(
            serde_json::to_string(&NodeId::Section(id("B24"))).unwrap(),
            "\"B24\""
        );
    }

    #[test]
    fn parses_and_prints_canonical_ids() {
        for s in ["A1.4", "B24.8", "A3.4.22", "B46", "B24.13"] {
            assert_eq!(id(s).to_string(), s);
        }
        assert_eq!(id("b24.8").to_string(), "B24.8");
        assert_eq!(id(" B 24.8 ").to_string(), "B24.8");
        assert_eq!(id("B24.").to_string(), "B24");
    }

    #[test]
    fn rejects_non_ids() {
        for s in [
            "",
            "C1.2",
            "B",
            "B24..8",
            "B24.8.1.2",
            "B0",
            "Bx",
            "24.8",
            "B24.8a",
            "B99999",
        ] {
            assert!(s.parse::<SectionId>().is_err(), "{s:?} should not parse");
        }
    }

    #[test]
    fn levels_parents_and_chapters() {
        assert_eq!(id("A3.4.22").level(), Level::Paragraph);
        assert_eq!(id("A3.4.22").parent(), Some(id("A3.4")));
        assert_eq!(id("A3.4").parent(), Some(id("A3")));
        assert_eq!(id("A3").parent(), None);
        assert_eq!(id("B24.8.3").chapter_id(), id("B24"));
        assert!(id("B24.8.3").is_within(&id("B24")));
        assert!(!id("B2.4").is_within(&id("B24")));
    }

    #[test]
    fn orders_numerically_in_reading_order() {
        let mut v = [id("A3.10"), id("A3.9"), id("B1"), id("A3"), id("A10")];
        v.sort();
        let s: Vec<String> = v.iter().map(|i| i.to_string()).collect();
        assert_eq!(s, ["A3", "A3.9", "A3.10", "A10", "B1"]);
    }

    #[test]
    fn anchors_are_fragment_safe() {
        assert_eq!(id("A3.4.22").anchor(), "a3-4-22");
        assert_eq!(id("B24").anchor(), "b24");
    }

    #[test]
    fn node_ids_do_not_clash_with_chapters() {
        assert_eq!("part-B1".parse::<NodeId>().unwrap(), NodeId::Group(1));
        assert_eq!("PART-a".parse::<NodeId>().unwrap(), NodeId::Part(Part::A));
        assert_eq!("B1".parse::<NodeId>().unwrap(), NodeId::Section(id("B1")));
        assert!("part-B5".parse::<NodeId>().is_err());
        assert_eq!(NodeId::Group(3).to_string(), "part-B3");
    }
}
