//! The search bar: searching as you type, the results, opening one.

use std::collections::HashSet;

use super::{Focus, Input, RESULT_LIMIT, RESULT_ROWS};
use crate::search::Hit;
use crate::text::analysis::{WordStemmer, is_stopword, tokenize};
use crate::tui::App;
use crate::tui::action::{Action, Effect};

/// Anything that answers a query with ranked hits: the real engine, or a
/// fake in tests.
pub trait Search {
    fn search(&mut self, query: &str) -> Vec<Hit>;
    /// The text to embed when a vector for `query` would add to its
    /// results (the meaning layer is on and does not have it yet).
    fn needs_vector(&mut self, _query: &str) -> Option<String> {
        None
    }
    /// The vector of a text [`Search::needs_vector`] asked for.
    fn give_vector(&mut self, _text: &str, _vector: Vec<f32>) {}
}

impl<F: FnMut(&str) -> Vec<Hit>> Search for F {
    fn search(&mut self, query: &str) -> Vec<Hit> {
        self(query)
    }
}

impl Search for crate::search::Engine<'_> {
    fn search(&mut self, query: &str) -> Vec<Hit> {
        crate::search::Engine::search(
            self,
            query,
            crate::search::Options {
                limit: RESULT_LIMIT,
                as_you_type: true,
                meaning: crate::search::Meaning::IfReady,
            },
        )
    }

    fn needs_vector(&mut self, query: &str) -> Option<String> {
        let missing = self.has_meaning()
            && self
                .query_vector(query, crate::search::Meaning::IfReady)
                .is_none();
        missing.then(|| self.meaning_text(query))
    }

    fn give_vector(&mut self, text: &str, vector: Vec<f32>) {
        self.remember_vector(text, vector);
    }
}

/// The search bar and its results.
#[derive(Default)]
pub struct SearchState {
    pub input: Input,
    pub results: Vec<Hit>,
    pub selected: usize,
    /// First result shown.
    pub offset: usize,
    /// The query `results` answer.
    pub answered: String,
}

impl App<'_> {
    pub(super) fn keep_result_visible(&mut self) {
        let rows = (self.areas().main.height as usize / RESULT_ROWS).max(1);
        let s = &mut self.search;
        if s.selected < s.offset {
            s.offset = s.selected;
        } else if s.selected >= s.offset + rows {
            s.offset = s.selected + 1 - rows;
        }
    }

    pub(super) fn run_search(&mut self) {
        let q = self.search.input.text.clone();
        if q == self.search.answered {
            return;
        }
        self.search.answered = q.clone();
        self.search.selected = 0;
        self.search.offset = 0;
        self.search.results = match (&mut self.search_fn, q.trim().is_empty()) {
            (_, true) => Vec::new(),
            (Some(f), false) => {
                // The words' results now; the meaning's when its vector
                // is made (Action::MeaningReady).
                if let Some(text) = f.needs_vector(&q) {
                    self.effects.push(Effect::Embed(text));
                }
                f.search(&q)
            }
            (None, false) => Vec::new(),
        };
        if self.search_fn.is_none() && !q.trim().is_empty() {
            let note = self
                .search_note
                .clone()
                .unwrap_or_else(|| "The search index is still opening…".into());
            self.info(note);
        }
    }

    /// A vector has come for `text` (what [`Search::needs_vector`] asked
    /// to embed): give it to the search ([`Action::MeaningReady`] then
    /// merges it into the results shown).
    pub fn give_vector(&mut self, text: &str, vector: Vec<f32>) {
        if let Some(f) = &mut self.search_fn {
            f.give_vector(text, vector);
        }
    }

    pub(super) fn merge_meaning(&mut self) {
        let q = self.search.input.text.clone();
        let Some(f) = &mut self.search_fn else {
            return;
        };
        if q != self.search.answered || q.trim().is_empty() || f.needs_vector(&q).is_some() {
            return;
        }
        // A result the user moved to stays chosen; untouched, the choice
        // is the new best.
        let selected = match self.search.selected {
            0 => None,
            i => self.search.results.get(i).map(|h| h.id),
        };
        self.search.results = f.search(&q);
        self.search.selected = selected
            .and_then(|id| self.search.results.iter().position(|h| h.id == id))
            .unwrap_or(0);
        self.keep_result_visible();
    }

    pub(super) fn open_result(&mut self, i: usize) {
        let Some(hit) = self.search.results.get(i).cloned() else {
            self.info("No results: try other words");
            return;
        };
        let Some(node) = self.lib.index_of(hit.id) else {
            self.error(format!("{} is not in this edition of the manual", hit.id));
            return;
        };
        self.terms = self.stems_of(&self.search.input.text.clone(), &hit);
        self.navigate(node, hit.paragraph);
        self.find_matches();
        // Start stepping from the best paragraph.
        let from = self
            .reader
            .para
            .and_then(|p| self.reader.doc.anchor(p))
            .map_or(0, |a| a.start);
        self.reader.current_match = self.reader.matches.iter().position(|m| m.line >= from);
        let n = self.reader.matches.len();
        if n > 0 {
            self.info(format!("{n} matches here: n / N to step through them"));
        }
    }

    /// Stems of the query's words and of the words the engine highlighted
    /// (which include completions of an unfinished last word).
    pub(super) fn stems_of(&mut self, query: &str, hit: &Hit) -> HashSet<String> {
        let stemmer = self.stemmer.get_or_insert_with(WordStemmer::default);
        let mut out = HashSet::new();
        let mut words: Vec<String> = tokenize(query)
            .into_iter()
            .filter(|t| !t.synthetic)
            .map(|t| t.text)
            .collect();
        for &(a, b) in &hit.highlights {
            if let Some(s) = hit.snippet.get(a..b) {
                words.extend(tokenize(s).into_iter().map(|t| t.text));
            }
        }
        for w in words {
            if !is_stopword(&w) && !w.is_empty() {
                out.insert(stemmer.stem(&w));
            }
        }
        out
    }

    pub(super) fn update_search(&mut self, action: Action) {
        let n = self.search.results.len();
        match action {
            Action::Cancel => {
                self.focus = self.prev_focus;
                if self.focus == Focus::Search {
                    self.focus = Focus::Reader;
                }
            }
            Action::Submit | Action::OpenSelected => {
                if self.search.input.text.trim().is_empty() {
                    self.focus = self.prev_focus;
                } else {
                    self.open_result(self.search.selected);
                }
            }
            Action::SelectNext => {
                self.search.selected = (self.search.selected + 1).min(n.saturating_sub(1))
            }
            Action::SelectPrev => self.search.selected = self.search.selected.saturating_sub(1),
            Action::SelectPageDown => {
                self.search.selected = (self.search.selected + 5).min(n.saturating_sub(1))
            }
            Action::SelectPageUp => self.search.selected = self.search.selected.saturating_sub(5),
            Action::SelectFirst => self.search.selected = 0,
            Action::SelectLast => self.search.selected = n.saturating_sub(1),
            _ => {
                if self.search.input.apply(action) {
                    self.run_search();
                }
            }
        }
        self.keep_result_visible();
    }
}
