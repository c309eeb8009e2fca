//! setproc: an offline, searchable reference to the Southend, Essex and
//! Thurrock (SET) Safeguarding and Child Protection Procedures.
//!
//! Data flows one way:
//! `source text → parse → Document → content/ markdown → index → search / resolve → CLI and TUI`.

pub mod cite;
pub mod content;
pub mod contents;
pub mod document;
pub mod ids;
pub mod library;
pub mod parse;
pub mod terms;
pub mod text;
pub mod cli;
pub mod lookup;
pub mod paths;
pub mod analysis;
pub mod index;
pub mod search;
pub mod eval;
pub mod tui;
pub mod thesaurus;
