//! Editions: what changed between two editions of the manual, and old
//! numbers that keep working after a renumbering.
//!
//! The procedures are reissued every year or two; each edition rewrites
//! chapters, adds and removes sections and renumbers whole chapters
//! ("Chapter 24 … is now Chapter 25"), and every bookmark, case note or
//! slide citing an old number silently points at the wrong section. This
//! stage compares two loaded editions by what their text says:
//!
//! - [`units`]: each chapter and section as words (paragraph numbers left
//!   out) and paragraphs;
//! - [`matching`]: which old unit each new one is (number, title, text);
//! - [`words`]: word-level diffs, with counts;
//! - [`diff`]: a status per chapter and section, in reading order;
//! - [`report`]: the diff as text, a markdown briefing and JSON;
//! - [`map`]: the id map kept beside a build (`editions.json`), and
//!   `ID@EDITION` references resolved through it.
//!
//! Pure except [`map::History`]'s reading and writing of its file.
//!
//! May depend on: `manual`, `cite`, `store`, `text`.

pub mod diff;
pub mod map;
pub mod matching;
pub mod report;
pub mod units;
pub mod words;

pub use diff::{Diff, Entry, Side, Status, diff, diff_sides};
pub use map::{History, IdMap, lookup_at};
