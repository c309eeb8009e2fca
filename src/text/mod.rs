pub mod analysis;
pub mod markup;
