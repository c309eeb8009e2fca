pub mod analysis;
pub mod hash;
pub mod markup;
