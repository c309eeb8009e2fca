//! The go-to prompt: completing ids and titles, opening what was typed.

use super::{Input, Overlay};
use crate::manual::ids::NodeId;
use crate::store::content::display_title;
use crate::store::lookup::Target;
use crate::tui::App;
use crate::tui::action::Action;

/// One go-to completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub title: String,
    pub target: Target,
}

/// The go-to prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoToState {
    pub input: Input,
    pub candidates: Vec<Candidate>,
    /// The highlighted candidate, once the user moves to one.
    pub selected: Option<usize>,
}

impl App<'_> {
    pub(super) fn goto_candidates(&self, input: &str) -> Vec<Candidate> {
        let q = input.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        const MAX: usize = 8;
        let mut ranked: Vec<(u8, usize, Candidate)> = Vec::new();
        for (i, m) in self.lib.metas.iter().enumerate() {
            let id = m.id.to_string();
            let lid = id.to_lowercase();
            let title = m.title.to_lowercase();
            let rank = if lid == q {
                0
            } else if lid.starts_with(&q) {
                1
            } else if title.starts_with(&q) {
                2
            } else if q.split_whitespace().all(|w| {
                title
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|t| t.starts_with(w))
            }) {
                3
            } else {
                continue;
            };
            let (shown, t) = self.node_label(i);
            ranked.push((
                rank,
                i,
                Candidate {
                    id: shown,
                    title: t,
                    target: Target::Node(m.id),
                },
            ));
        }
        // Paragraph ids once the typing looks like one (two dots).
        if q.matches('.').count() >= 2 {
            for p in self.lib.paragraph_ids() {
                let s = p.to_string();
                if s.to_lowercase().starts_with(&q)
                    && let Some(k) = self.lib.paragraph_node(p)
                {
                    let m = &self.lib.metas[k];
                    ranked.push((
                        if s.to_lowercase() == q { 0 } else { 1 },
                        k,
                        Candidate {
                            id: s,
                            title: format!("in {}", display_title(m.id, &m.title)),
                            target: Target::Paragraph { id: p, node: m.id },
                        },
                    ));
                }
                if ranked.len() > 200 {
                    break;
                }
            }
        }
        ranked.sort_by_key(|(r, i, c)| (*r, *i, c.id.len()));
        ranked.into_iter().take(MAX).map(|(_, _, c)| c).collect()
    }

    pub(super) fn submit_goto(&mut self) {
        let Overlay::GoTo(g) = &self.overlay else {
            return;
        };
        let g = g.clone();
        if let Some(c) = g.selected.and_then(|i| g.candidates.get(i)) {
            self.overlay = Overlay::None;
            self.navigate_target(c.target);
            return;
        }
        let input = g.input.text.trim();
        if input.is_empty() {
            self.overlay = Overlay::None;
            return;
        }
        // `B24.8@June 2025`: an older edition's number, through the id map.
        match crate::edition::lookup_at(self.lib, self.editions, input) {
            Ok((t, note)) => {
                self.overlay = Overlay::None;
                self.navigate_target(t);
                if let Some(note) = note {
                    self.info(note);
                }
            }
            Err(e) => {
                let looks_like_id = input.parse::<NodeId>().is_ok() || input.contains('@');
                match g.candidates.first() {
                    Some(c) if !looks_like_id => {
                        self.overlay = Overlay::None;
                        self.navigate_target(c.target);
                    }
                    // Keep the prompt so the id can be corrected.
                    _ => self.error(e.to_string()),
                }
            }
        }
    }

    pub(super) fn update_goto(&mut self, action: Action) {
        let Overlay::GoTo(g) = &mut self.overlay else {
            return;
        };
        match action {
            Action::Cancel => self.overlay = Overlay::None,
            Action::Submit => self.submit_goto(),
            Action::SelectNext | Action::SelectPrev => {
                let n = g.candidates.len();
                if n > 0 {
                    g.selected = Some(match (g.selected, action == Action::SelectNext) {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    });
                }
            }
            Action::Complete => {
                let pick = g.selected.unwrap_or(0);
                if let Some(c) = g.candidates.get(pick).cloned() {
                    g.input.set(&c.id);
                    let cands = self.goto_candidates(&c.id);
                    if let Overlay::GoTo(g) = &mut self.overlay {
                        g.selected = cands.iter().position(|x| x.id == c.id);
                        g.candidates = cands;
                    }
                }
            }
            _ => {
                if g.input.apply(action) {
                    let text = g.input.text.clone();
                    let cands = self.goto_candidates(&text);
                    if let Overlay::GoTo(g) = &mut self.overlay {
                        g.candidates = cands;
                        g.selected = None;
                    }
                }
            }
        }
    }
}
