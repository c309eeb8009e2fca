pub mod atomic;
pub mod content;
pub mod library;
pub mod lookup;
pub mod paths;
