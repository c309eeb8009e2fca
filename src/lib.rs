//! setproc: an offline, searchable reference to the Southend, Essex and
//! Thurrock (SET) Safeguarding and Child Protection Procedures.
//!
//! Data flows one way:
//! `source text → parse → Document → content/ markdown → index → search / resolve → CLI and TUI`.

pub mod cite;
pub mod cli;
pub mod edition;
pub mod export;
pub mod manual;
pub mod search;
pub mod store;
pub mod terms;
pub mod text;
pub mod trace;
pub mod tui;
