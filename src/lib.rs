//! setproc: an offline, searchable reference to the Southend, Essex and
//! Thurrock (SET) Safeguarding and Child Protection Procedures.
//!
//! Data flows one way:
//! `source text → parse → Document → content/ markdown → index → search / resolve → CLI and TUI`.

pub mod analysis;
pub mod atomic;
pub mod cache_dir;
pub mod cite;
pub mod cli;
pub mod content;
pub mod contents;
pub mod document;
pub mod eval;
pub mod ids;
pub mod index;
pub mod library;
pub mod lookup;
pub mod parse;
pub mod paths;
pub mod scoring;
pub mod search;
pub mod tape;
pub mod terms;
pub mod text;
pub mod thesaurus;
pub mod trace;
pub mod tui;
