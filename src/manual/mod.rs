pub mod contents;
pub mod document;
pub mod ids;
pub mod parse;
