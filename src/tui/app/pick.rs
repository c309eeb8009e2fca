//! Lists to pick from as you type: the glossary (acronyms both ways, Enter
//! opens the section defining one), the contacts (Enter opens the
//! paragraph giving one) and the history (sections visited, newest first).
//!
//! One window for the three: a line of input over the entries holding
//! every typed word, the selection kept in view.

use super::reattach::{place, place_paragraph};
use super::{Input, Overlay};
use crate::manual::ids::SectionId;
use crate::store::contacts::contacts;
use crate::store::glossary::{self, Source};
use crate::store::lookup::Target;
use crate::tui::App;
use crate::tui::action::Action;

/// Width of a contact's line excerpt in the list.
const EXCERPT: usize = 70;

/// What a pick list lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    Glossary,
    Contacts,
    History,
}

impl PickKind {
    /// What the entries are, for the window's title.
    pub fn noun(self) -> &'static str {
        match self {
            PickKind::Glossary => "acronyms",
            PickKind::Contacts => "contacts",
            PickKind::History => "sections visited",
        }
    }
}

/// One entry of a pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    /// The left column: `LADO`, `0808 800 5000`, `B24.8`.
    pub key: String,
    pub title: String,
    /// The second line: where it is defined, the line quoted, the path.
    pub detail: String,
    pub target: Target,
    /// What the filter looks in, lower case.
    search: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickState {
    pub kind: PickKind,
    pub input: Input,
    pub items: Vec<PickItem>,
    /// Indices into `items` of the entries holding every typed word.
    pub shown: Vec<usize>,
    /// Index into `shown`.
    pub selected: usize,
}

impl PickState {
    pub fn new(kind: PickKind, items: Vec<PickItem>) -> PickState {
        let shown = (0..items.len()).collect();
        PickState {
            kind,
            input: Input::default(),
            items,
            shown,
            selected: 0,
        }
    }

    /// The shown entry at `k`.
    pub fn shown_item(&self, k: usize) -> Option<&PickItem> {
        self.shown.get(k).and_then(|&i| self.items.get(i))
    }

    fn refilter(&mut self) {
        let words: Vec<String> = self
            .input
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.shown = (0..self.items.len())
            .filter(|&i| {
                words
                    .iter()
                    .all(|w| self.items[i].search.contains(w.as_str()))
            })
            .collect();
        self.selected = 0;
    }
}

impl App<'_> {
    pub(super) fn open_pick(&mut self, kind: PickKind) {
        let items = match kind {
            PickKind::Glossary => self.glossary_items(),
            PickKind::Contacts => self.contact_items(),
            PickKind::History => self.history_items(),
        };
        if items.is_empty() {
            self.info(format!("No {} yet", kind.noun()));
            return;
        }
        self.overlay = Overlay::Pick(PickState::new(kind, items));
    }

    fn glossary_items(&self) -> Vec<PickItem> {
        glossary::entries(self.lib)
            .into_iter()
            .filter_map(|e| {
                let node = e.node?;
                let i = self.lib.index_of(node)?;
                let (id, title) = self.node_label(i);
                let how = match e.source {
                    Source::Glossary => "in the glossary",
                    Source::Text => "spelled out in",
                };
                Some(PickItem {
                    search: format!("{} {}", e.short, e.long).to_lowercase(),
                    key: e.short,
                    title: e.long,
                    detail: format!("{how} {id} {title}"),
                    target: Target::Node(node),
                })
            })
            .collect()
    }

    fn contact_items(&self) -> Vec<PickItem> {
        contacts(self.lib)
            .into_iter()
            .map(|c| {
                let place = c.paragraph.map_or(c.node.to_string(), |p| p.to_string());
                let name = c.name.clone().unwrap_or_else(|| "—".to_string());
                PickItem {
                    search: format!("{} {} {} {place} {}", c.value, c.key, name, c.quote)
                        .to_lowercase(),
                    detail: format!("{place}  “{}”", c.excerpt(EXCERPT)),
                    key: c.value.clone(),
                    title: name,
                    target: c.target(),
                }
            })
            .collect()
    }

    fn history_items(&self) -> Vec<PickItem> {
        self.visits_newest_first(&self.earlier_visits)
            .into_iter()
            .filter_map(|v| {
                // An edition the build knows nothing of: shown only where
                // this one has the same id under the same title.
                let e = v.edition.as_ref();
                let node = place(self.lib, self.editions, &v.node, &v.title, e)?.node;
                let i = self.lib.index_of(node)?;
                let para = v
                    .para
                    .as_deref()
                    .and_then(|p| place_paragraph(self.lib, self.editions, p, e, node));
                let m = &self.lib.metas[i];
                let (id, title) = self.node_label(i);
                let key = para.map_or(id, |p: SectionId| p.to_string());
                Some(PickItem {
                    search: format!("{key} {title}").to_lowercase(),
                    detail: m.breadcrumb[..m.breadcrumb.len().saturating_sub(1)].join(" › "),
                    key,
                    title,
                    target: match para {
                        Some(id) => Target::Paragraph { id, node },
                        None => Target::Node(node),
                    },
                })
            })
            .collect()
    }

    pub(super) fn update_pick(&mut self, action: Action) {
        let Overlay::Pick(pick) = &mut self.overlay else {
            return;
        };
        let last = pick.shown.len().saturating_sub(1);
        match action {
            Action::SelectNext => pick.selected = (pick.selected + 1).min(last),
            Action::SelectPrev => pick.selected = pick.selected.saturating_sub(1),
            Action::SelectPageDown => pick.selected = (pick.selected + 10).min(last),
            Action::SelectPageUp => pick.selected = pick.selected.saturating_sub(10),
            Action::OpenSelected | Action::Submit => self.open_picked(),
            Action::Cancel => self.overlay = Overlay::None,
            other => {
                if pick.input.apply(other) {
                    pick.refilter();
                }
            }
        }
    }

    pub(super) fn open_picked(&mut self) {
        let Overlay::Pick(pick) = &self.overlay else {
            return;
        };
        let Some(target) = pick.shown_item(pick.selected).map(|i| i.target) else {
            return;
        };
        self.overlay = Overlay::None;
        self.navigate_target(target);
    }
}
