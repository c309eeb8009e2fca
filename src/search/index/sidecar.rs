//! The files beside the index: every node's display facts (`nodes.json`),
//! the manual's words for completions and corrections (`words.txt`), which
//! node holds each paragraph (`paragraphs.txt`) and the vocabulary.

use serde::{Deserialize, Serialize};

use crate::manual::ids::NodeId;
use crate::store::content;
use crate::store::library::Library;
use crate::text::analysis::{self};
use crate::text::hash::FxHashMap;

/// What a result shows of a section, kept beside the index so that a
/// search never loads the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    pub id: NodeId,
    /// As displayed: `24.8 Online Exploitation`.
    pub title: String,
    /// Position of the parent node (the breadcrumb is made from these).
    pub parent: Option<u32>,
    pub page: Option<u32>,
}

pub(super) const NODES: &str = "nodes.json";

pub(super) const WORDS: &str = "words.txt";

pub(super) const PARAGRAPHS: &str = "paragraphs.txt";

/// The manual's words as written (lower case, unstemmed) with the number of
/// paragraphs each occurs in: for completing an unfinished word, telling a
/// typo from a word the manual uses, and finding corrections. Kept as the
/// sorted `word<TAB>count` text it is stored as, searched in place: a
/// one-shot search needs a few lookups, not 7,000 parsed entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    text: String,
}

impl Words {
    /// Counts each word once per text.
    pub fn count<'a>(texts: impl IntoIterator<Item = &'a str>) -> Words {
        Words::from_counts(Words::counts(texts))
    }

    /// Each word of `texts` with the number of texts it occurs in.
    pub(super) fn counts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<(String, u32)> {
        // Word ids, their document frequencies, and the text each was last
        // seen in (to count it once per text without a set per text).
        let mut ids: FxHashMap<String, usize> = Default::default();
        let mut df: Vec<u32> = Vec::new();
        let mut last: Vec<usize> = Vec::new();
        let mut word = String::new();
        for (ti, text) in texts.into_iter().enumerate() {
            for (a, b) in analysis::spans(text) {
                word.clear();
                analysis::fold_into(&text[a..b], &mut word);
                let id = match ids.get(word.as_str()) {
                    Some(&id) => id,
                    None => {
                        ids.insert(word.clone(), df.len());
                        df.push(0);
                        last.push(usize::MAX);
                        df.len() - 1
                    }
                };
                if last[id] != ti {
                    last[id] = ti;
                    df[id] += 1;
                }
            }
        }
        ids.into_iter().map(|(w, id)| (w, df[id])).collect()
    }

    /// Words from each word's number of texts (each word once).
    pub(super) fn from_counts(counts: impl IntoIterator<Item = (String, u32)>) -> Words {
        let mut sorted: Vec<(String, u32)> = counts.into_iter().collect();
        sorted.sort_unstable();
        let mut text = String::with_capacity(sorted.len() * 12);
        for (w, df) in &sorted {
            text.push_str(w);
            text.push('\t');
            text.push_str(&df.to_string());
            text.push('\n');
        }
        Words { text }
    }

    pub fn len(&self) -> usize {
        self.text.lines().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn doc_freq(&self, word: &str) -> u32 {
        crate::text::markup::find_line(&self.text, word)
            .and_then(|l| l.split_once('\t'))
            .and_then(|(_, df)| df.parse().ok())
            .unwrap_or(0)
    }

    /// Words starting with `prefix`, in alphabetical order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let start = crate::text::markup::lower_bound_line(&self.text, prefix);
        self.text[start..]
            .lines()
            .filter_map(|l| {
                let (w, df) = l.split_once('\t')?;
                Some((w, df.parse().unwrap_or(0)))
            })
            .take_while(move |(w, _)| w.starts_with(prefix))
    }

    pub(super) fn to_text(&self) -> &str {
        &self.text
    }

    pub(super) fn from_text(text: String) -> Words {
        Words { text }
    }
}

pub(super) const VOCABULARY: &str = "vocabulary.json";

pub(super) fn node_infos(lib: &Library) -> Vec<NodeInfo> {
    lib.metas
        .iter()
        .map(|m| NodeInfo {
            id: m.id,
            title: content::display_title(m.id, &m.title),
            parent: m.parent.and_then(|p| lib.index_of(p)).map(|i| i as u32),
            page: m.page,
        })
        .collect()
}

/// Which node holds each numbered paragraph, as kept beside the index: a
/// line per node in reading order, its paragraph ids separated by spaces.
/// A paragraph id typed as a search is looked up here (the index holds no
/// terms for ids); only that reads it, so a search for words never does.
pub(super) fn paragraph_lines(lib: &Library) -> String {
    let mut out = String::new();
    for m in &lib.metas {
        for (i, p) in m.paragraphs.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&p.to_string());
        }
        out.push('\n');
    }
    out
}
