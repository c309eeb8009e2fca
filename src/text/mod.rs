//! Language, not the manual: how text becomes words and back.
//!
//! - [`analysis`]: tokenizing, folding and stemming shared by the index and
//!   the query side (and tantivy's tokenizer adapter for them);
//! - [`markup`]: inline markdown clean-up, title normalisation, plain text,
//!   terminal-safe output, sorted word lists;
//! - [`hash`]: the fast hash of the manual's own maps;
//! - [`contacts`]: phone numbers, e-mail and web addresses in a line, and
//!   the name each belongs to.
//!
//! May depend on: nothing else in setproc (the bottom of the pipeline).

pub mod analysis;
pub mod contacts;
pub mod hash;
pub mod markup;
