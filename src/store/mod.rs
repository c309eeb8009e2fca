//! The manual as files and as loaded: the markdown of `content/`, the
//! loaded [`library::Library`], what a typed reference finds in it, and
//! where files live.
//!
//! - [`content`]: rendering a node as markdown with front matter, and the
//!   content folder (written atomically, read back);
//! - [`library`]: the loaded manual, from the source or a content folder;
//! - [`lookup`]: what a user typed (`B24.8`, `part b chapter 24`) → a node or
//!   paragraph, with the nearest ids when there is none;
//! - [`contacts`]: the phone numbers, e-mail and web addresses it gives,
//!   each with its name, section and the line it is quoted from;
//! - [`glossary`]: the manual's acronyms placed in it (the section defining
//!   each), looked up either way, and the editors' gaps report;
//! - [`paths`]: where content, index and saved state live;
//! - [`atomic`]: file writes that leave the old file or the new, never half;
//! - [`commit`]: many files replaced as one change (a build of `content/`).
//!
//! May depend on: `manual`, `cite`, `terms`, `text`.

pub mod atomic;
pub mod commit;
pub mod contacts;
pub mod content;
pub mod glossary;
pub mod library;
pub mod lookup;
pub mod paths;
