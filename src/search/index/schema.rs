//! The index's schema: its fields, its settings and the analyzers each
//! text field uses (registered again on every open: tantivy does not store
//! them).

use tantivy::Index;

use crate::text::analysis::{self, STEMMED, STEMMED_TITLE};

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The node id (`B24.8`). Stored, not indexed: a search for an id
    /// finds its documents by `node_ord` (terms for 3,600 ids were an
    /// eighth of the index's build).
    pub node: Field,
    /// The paragraph id, or empty for unnumbered text (stored only).
    pub para: Field,
    /// The node's position in reading order (a fast field: ranking reads it
    /// for every candidate without touching the document store).
    pub node_ord: Field,
    /// The section's display title (`24.8 Online Exploitation`).
    pub title: Field,
    /// The paragraph's plain text (stored, for snippets).
    pub text: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let (titles, stemmed) = (analysed(STEMMED_TITLE), analysed(STEMMED));
    let fields = Fields {
        node: b.add_text_field("node", STORED),
        para: b.add_text_field("para", STORED),
        node_ord: b.add_u64_field("node_ord", FAST),
        title: b.add_text_field("title", titles),
        text: b.add_text_field("text", stemmed.set_stored()),
    };
    (b.build(), fields)
}

/// The index's settings: the doc store (paragraph texts, read for snippets)
/// uncompressed. The manual's text is 1.4 MB; compressing it cost the build
/// ~25 M instructions and every snippet a block decompression.
pub(super) fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        ..tantivy::IndexSettings::default()
    }
}

pub(super) fn register_tokenizers(index: &Index) {
    for name in [STEMMED, STEMMED_TITLE] {
        index
            .tokenizers()
            .register(name, analysis::stemmed_analyzer());
    }
}

pub(super) fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |name: &str| schema.get_field(name).ok();
    Some(Fields {
        node: f("node")?,
        para: f("para")?,
        node_ord: f("node_ord")?,
        title: f("title")?,
        text: f("text")?,
    })
}
