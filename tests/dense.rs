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

#[test]
fn a_text_repeated_in_a_source_is_embedded_once() {
    use setproc::search::dense::{Unit, UnitKind, UnitVectors, builtin_vectors};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let model = Model::get().expect("the model loads");
    let unit = |node: &str, text: &str| Unit {
        node: node.parse().unwrap(),
        para: None,
        kind: UnitKind::Text,
        text: text.to_string(),
    };
    let repeated = "Further information: see the local safeguarding partnership website";
    let units = vec![
        unit("A1.1", repeated),
        unit("A1.2", "A child who is hungry at school every day"),
        unit("A1.3", repeated),
        unit("B24.8", repeated),
    ];
    let calls = AtomicUsize::new(0);
    let builtin = builtin_vectors();
    let (v, _) = UnitVectors::build(&units, "test", model, builtin.as_deref(), &|_, _| {
        calls.fetch_add(1, Ordering::Relaxed);
    });
    // Two distinct texts, neither in the built-in vectors: two embeddings.
    assert_eq!(calls.load(Ordering::Relaxed), 2);
    assert_eq!(v.keys.len(), 4);
    // The copies got the same vector, and it is the text's own.
    let q = model.embed(repeated);
    let near = v.nearest(&q);
    let top: Vec<String> = near.iter().take(3).map(|n| n.node.to_string()).collect();
    for id in ["A1.1", "A1.3", "B24.8"] {
        assert!(top.contains(&id.to_string()), "{id} not among {top:?}");
    }
    assert!(near[0].score > 0.95 && (near[0].score - near[2].score).abs() < 1e-6);
}
