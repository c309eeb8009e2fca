//! What search needs to know of the manual's vocabulary ([`Lexicon`]), and
//! the manual's own [`crate::terms::Vocabulary`] as one.

use super::is_english_word;
use crate::manual::ids::NodeId;
use crate::text::analysis::{self};

/// What search needs to know about the manual's vocabulary: its acronyms
/// and the old or colloquial terms it maps to current ones.
pub trait Lexicon {
    /// The long form of an acronym as typed (case matters: an acronym that
    /// is also an ordinary word expands only in capitals).
    fn expand_acronym(&self, typed: &str) -> Option<String>;
    /// The acronym of a long form given as lower-case words.
    fn acronym_for_phrase(&self, words: &[&str]) -> Option<String>;
    /// `(old term, current term)` pairs whose old term occurs in the
    /// lower-case query.
    fn aliases_in(&self, query: &str) -> Vec<(String, String)>;
    /// The glossary node (an acronym list), ranked below the sections that
    /// use its terms.
    fn glossary_node(&self) -> Option<NodeId>;
    /// `(old term, current term)` pairs whose old term contains `word`
    /// (for a word the manual does not use: "munchausen").
    fn aliases_containing(&self, word: &str) -> Vec<(String, String)> {
        let _ = word;
        Vec::new()
    }
}

/// A lexicon that knows nothing (plain BM25 with stemming).
pub struct NoLexicon;

impl Lexicon for NoLexicon {
    fn expand_acronym(&self, _: &str) -> Option<String> {
        None
    }
    fn acronym_for_phrase(&self, _: &[&str]) -> Option<String> {
        None
    }
    fn aliases_in(&self, _: &str) -> Vec<(String, String)> {
        Vec::new()
    }
    fn glossary_node(&self) -> Option<NodeId> {
        None
    }
}

/// The manual's own vocabulary: its glossary, inline acronyms and the old
/// terms it (or the terminology file) maps to current ones.
impl Lexicon for crate::terms::Vocabulary {
    fn expand_acronym(&self, typed: &str) -> Option<String> {
        self.expand_acronym(typed, &is_english_word)
            .map(|a| a.long.clone())
    }
    fn acronym_for_phrase(&self, words: &[&str]) -> Option<String> {
        Self::acronym_for_phrase(self, words).map(|a| a.short.clone())
    }
    fn aliases_in(&self, query: &str) -> Vec<(String, String)> {
        self.aliases_for(query)
            .into_iter()
            .map(|a| (a.term.clone(), a.means.clone()))
            .collect()
    }
    fn glossary_node(&self) -> Option<NodeId> {
        self.glossary_node
    }
    fn aliases_containing(&self, word: &str) -> Vec<(String, String)> {
        self.aliases
            .iter()
            .filter(|a| analysis::tokenize(&a.term).iter().any(|t| t.text == word))
            .map(|a| (a.term.clone(), a.means.clone()))
            .collect()
    }
}
