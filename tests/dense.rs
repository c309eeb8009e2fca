//! The sentence model against the reference implementation
//! (`tests/data/minilm-reference.json`, made by
//! `scripts/model/reference.py` with sentence-transformers and the fp32
//! weights): the same token ids, and vectors within int8's rounding.

use serde::Deserialize;
use setproc::search::dense::{MODEL_ID, Model};

#[derive(Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    ids: Vec<u32>,
    embedding: Vec<f32>,
}

fn reference() -> Reference {
    let text = include_str!("data/minilm-reference.json");
    serde_json::from_str(text).expect("reference file")
}

#[test]
fn the_tokenizer_gives_the_reference_ids() {
    let model = Model::get().expect("model loads");
    for case in reference().cases {
        let ids = model.tokens.encode(&case.text, model.encoder.max_len);
        assert_eq!(ids, case.ids, "{:?}", case.text);
    }
}

#[test]
fn vectors_match_the_reference_within_int8_rounding() {
    let model = Model::get().expect("model loads");
    let mut worst = 1.0f32;
    for case in reference().cases {
        let v = model.embed(&case.text);
        assert_eq!(v.len(), case.embedding.len());
        let cos: f32 = v.iter().zip(&case.embedding).map(|(a, b)| a * b).sum();
        assert!(cos > 0.995, "{:?}: cosine {cos}", case.text);
        worst = worst.min(cos);
    }
    eprintln!("worst cosine to the fp32 reference: {worst:.5}");
}

#[test]
fn the_model_id_names_these_weights() {
    let weights = include_bytes!("../data/model/minilm-l6-v2.int8.safetensors");
    let hash = format!("{:016x}", setproc::text::hash::fx_hash(weights));
    assert!(MODEL_ID.ends_with(&hash), "MODEL_ID should end with {hash}");
}
