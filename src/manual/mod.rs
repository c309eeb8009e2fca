//! What the manual is: its ids, its own contents list, the parsed
//! [`document::Document`] and the parser that makes it from the source text.
//!
//! - [`ids`]: `SectionId` (`A3.4.22`) and `NodeId` (adds `part-A`, `part-B3`);
//! - [`contents`]: the printed contents list, `&str → Result<Contents>`;
//! - [`edition`]: which edition a text is (its title-page date and a hash);
//! - [`parse`]: the body → `Document` (page headers dropped, split paragraphs
//!   joined, lists, sub-headings, tables; every body line accounted for);
//! - [`document`]: the tree everything downstream reads.
//!
//! Pure: no files, no terminal. May depend on: `text`.

pub mod contents;
pub mod document;
pub mod edition;
pub mod ids;
pub mod parse;
