//! One section, chapter or part as a single self-contained file, for
//! trainers and for printing: `setproc export REF [--format md|html]`.
//!
//! The file keeps the manual's paragraph numbers (each an anchor), turns
//! citations into links to the file itself where the cited section is in
//! the export (and into plain text where it is not, so every link resolves
//! inside the file), writes web addresses out for paper, and carries a
//! stamp naming the edition and the date, with the reminder to check that
//! it is still the current one. The HTML has its stylesheet inside (a
//! print one too) and fetches nothing.
//!
//! - [`markdown`]: the export as markdown (also what the HTML is made from);
//! - [`html`]: markdown → a standalone HTML page.
//!
//! Pure: the caller supplies the date and writes the file.
//!
//! May depend on: `manual`, `store`, `text`.

pub mod html;
pub mod markdown;

use crate::manual::edition::Edition;
use crate::manual::ids::NodeId;

/// The stamp every export carries.
pub fn stamp(edition: &Edition, date: &str) -> String {
    format!(
        "SET Safeguarding and Child Protection Procedures, {} edition, exported {date}: \
         check that this is still the current edition",
        edition.label()
    )
}

/// The anchor a node's heading gets in an export: `b24-8`, `part-b3`.
pub fn node_anchor(id: NodeId) -> String {
    match id {
        NodeId::Section(s) => s.anchor(),
        other => other.to_string().to_ascii_lowercase(),
    }
}

/// A date as the stamp writes it ("7 December 2026"), from days since
/// 1970-01-01 (the civil-from-days algorithm: no calendar crate needed for
/// one date).
pub fn date_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{day} {} {year}",
        crate::manual::edition::MONTHS[(month - 1) as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_anchors() {
        assert_eq!(date_from_days(0), "1 January 1970");
        assert_eq!(date_from_days(20_454), "1 January 2026");
        assert_eq!(date_from_days(20_513), "1 March 2026");
        assert_eq!(date_from_days(19_782), "29 February 2024");
        assert_eq!(node_anchor("part-B3".parse().unwrap()), "part-b3");
        assert_eq!(node_anchor("B24.8".parse().unwrap()), "b24-8");
    }
}
