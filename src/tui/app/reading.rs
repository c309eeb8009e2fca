//! The reader pane: showing a node, history, scrolling, searched words,
//! links, walking section by section or chapter by chapter, and the keys
//! of the reader and contents ([`App::update_main`]).

use std::sync::Arc;

use super::{
    CACHE_MAX, EDITION, Focus, GoToState, HISTORY_MAX, ListKind, Location, Overlay, PickKind,
};
use crate::manual::ids::{Level, NodeId, SectionId};
use crate::store::content::display_title;
use crate::store::lookup::Target;
use crate::text::analysis::{WordStemmer, tokenize};
use crate::tui::App;
use crate::tui::action::{Action, Effect};
use crate::tui::markdown::{self, Doc, LinkTarget, Spot, str_width};

/// The reader pane: the node shown, how it is rendered and what is marked.
pub struct Reader {
    pub node: usize,
    pub doc: Arc<Doc>,
    pub scroll: usize,
    /// The paragraph opened at (highlighted).
    pub para: Option<SectionId>,
    /// Selected link (index into `doc.links`).
    pub link: Option<usize>,
    /// Occurrences of the searched words.
    pub matches: Vec<Spot>,
    pub current_match: Option<usize>,
}

impl App<'_> {
    /// The reader's text width and height. While the window is too small
    /// to show anything, the text keeps its last width (re-wrapping a long
    /// chapter to one column would be wasted work).
    pub(super) fn reader_size(&self) -> (usize, usize) {
        let a = self.areas();
        if a.too_small {
            let w = self.reader.doc.width;
            return (if w == 0 { 80 } else { w }, 1);
        }
        (a.text.width as usize, a.text.height as usize)
    }

    /// The rendered node at a width, from the cache.
    pub(super) fn doc_for(&mut self, node: usize, width: usize) -> Arc<Doc> {
        if let Some(d) = self.cache.get(&(node, width)) {
            return d.clone();
        }
        if self.cache.len() >= CACHE_MAX {
            self.cache.clear();
        }
        let lib = self.lib;
        let titles = |id: NodeId| lib.meta(id).map(|m| m.title.clone());
        let doc = Arc::new(markdown::render(&lib.bodies[node], width, &titles));
        self.cache.insert((node, width), doc.clone());
        doc
    }

    pub(super) fn location(&self) -> Location {
        Location {
            node: self.reader.node,
            scroll: self.reader.scroll,
            block: self
                .reader
                .doc
                .lines
                .get(self.reader.scroll)
                .map_or(0, |l| l.block),
            width: self.reader.doc.width,
            para: self.reader.para,
        }
    }

    /// Shows a node without touching history.
    pub(super) fn show(&mut self, node: usize, para: Option<SectionId>) {
        self.note_visit(node, para);
        let (w, _) = self.reader_size();
        let doc = self.doc_for(node, w);
        self.reader = Reader {
            node,
            doc,
            scroll: 0,
            para,
            link: None,
            matches: Vec::new(),
            current_match: None,
        };
        if let Some(a) = para.and_then(|p| self.reader.doc.anchor(p).copied()) {
            // A line of context above the paragraph.
            self.reader.scroll = a.start.saturating_sub(1);
        }
        self.clamp_scroll();
        self.tree.reveal(node);
        self.keep_tree_selection_visible();
    }

    pub(super) fn show_target(&mut self, t: Target) -> bool {
        match self.lib.index_of(t.node()) {
            Some(i) => {
                self.show(i, t.paragraph());
                true
            }
            None => false,
        }
    }

    /// Goes somewhere new: records it in history and shows it.
    pub(super) fn navigate(&mut self, node: usize, para: Option<SectionId>) {
        if node == self.reader.node && para.is_none() {
            // Already here: no history entry for staying put.
            self.focus = Focus::Reader;
            self.tree.reveal(node);
            self.keep_tree_selection_visible();
            return;
        }
        // Where we were, as we leave it (scrolled since it was recorded).
        let here = self.location();
        if let Some(cur) = self.history.get_mut(self.hist_pos) {
            *cur = here;
        }
        self.show(node, para);
        self.history.truncate(self.hist_pos + 1);
        self.history.push(self.location());
        if self.history.len() > HISTORY_MAX {
            self.history.remove(0);
        }
        self.hist_pos = self.history.len() - 1;
        self.focus = Focus::Reader;
    }

    pub(super) fn navigate_target(&mut self, t: Target) {
        match self.lib.index_of(t.node()) {
            Some(i) => self.navigate(i, t.paragraph()),
            None => self.error(format!("{} is not in this edition of the manual", t.node())),
        }
    }

    pub(super) fn restore(&mut self, loc: Location) {
        self.show(loc.node, loc.para);
        let (w, _) = self.reader_size();
        self.reader.scroll = if loc.width == w {
            loc.scroll
        } else {
            self.reader.doc.line_of_block(loc.block)
        };
        self.clamp_scroll();
        self.focus = Focus::Reader;
    }

    pub(super) fn clamp_scroll(&mut self) {
        let (_, h) = self.reader_size();
        let max = self.reader.doc.lines.len().saturating_sub(h.max(1));
        self.reader.scroll = self.reader.scroll.min(max);
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        self.reader.scroll = self.reader.scroll.saturating_add_signed(delta);
        self.clamp_scroll();
    }

    /// Scrolls the least needed to show `line`.
    pub(super) fn reveal_line(&mut self, line: usize) {
        let (_, h) = self.reader_size();
        let h = h.max(1);
        if line < self.reader.scroll {
            self.reader.scroll = line;
        } else if line >= self.reader.scroll + h {
            self.reader.scroll = line + 1 - h;
        }
        self.clamp_scroll();
    }

    pub(super) fn visible_lines(&self) -> std::ops::Range<usize> {
        let (_, h) = self.reader_size();
        self.reader.scroll..self.reader.scroll + h
    }

    /// Finds the searched words in the rendered node.
    pub(super) fn find_matches(&mut self) {
        self.reader.matches.clear();
        self.reader.current_match = None;
        if self.terms.is_empty() {
            return;
        }
        let stemmer = self.stemmer.get_or_insert_with(WordStemmer::default);
        let mut found = Vec::new();
        for (i, line) in self.reader.doc.lines.iter().enumerate() {
            let text = line.text();
            for t in tokenize(&text) {
                if t.synthetic || !self.terms.contains(&stemmer.stem(&t.text)) {
                    continue;
                }
                let a = str_width(&text[..t.start]);
                let b = a + str_width(&text[t.start..t.end]);
                found.push(Spot {
                    line: i,
                    cols: a..b,
                });
            }
        }
        self.reader.matches = found;
    }

    pub(super) fn step_match(&mut self, forward: bool) {
        let n = self.reader.matches.len();
        if n == 0 {
            self.info("No marked words here: search with /");
            return;
        }
        let next = match self.reader.current_match {
            None => {
                let top = self.reader.scroll;
                if forward {
                    self.reader
                        .matches
                        .iter()
                        .position(|m| m.line >= top)
                        .unwrap_or(0)
                } else {
                    self.reader
                        .matches
                        .iter()
                        .rposition(|m| m.line < top)
                        .unwrap_or(n - 1)
                }
            }
            Some(c) if forward => (c + 1) % n,
            Some(c) => (c + n - 1) % n,
        };
        self.reader.current_match = Some(next);
        let line = self.reader.matches[next].line;
        self.reveal_line(line);
        self.info(format!("match {} of {n}", next + 1));
    }

    pub(super) fn link_visible(&self, i: usize) -> bool {
        let vis = self.visible_lines();
        self.reader
            .doc
            .links
            .get(i)
            .is_some_and(|l| l.spots.iter().any(|s| vis.contains(&s.line)))
    }

    pub(super) fn step_link(&mut self, forward: bool) {
        let links = &self.reader.doc.links;
        if links.is_empty() {
            self.info("No links in this section");
            return;
        }
        let n = links.len();
        let vis = self.visible_lines();
        let next = match self.reader.link.filter(|&i| self.link_visible(i)) {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None if forward => links
                .iter()
                .position(|l| l.first_line() >= vis.start)
                .unwrap_or(0),
            None => links
                .iter()
                .rposition(|l| l.first_line() < vis.end)
                .unwrap_or(n - 1),
        };
        self.reader.link = Some(next);
        let line = self.reader.doc.links[next].first_line();
        self.reveal_line(line);
        let note = self.link_note(next);
        self.info(note);
    }

    /// Where link `i` leads, for the status line.
    pub(super) fn link_note(&self, i: usize) -> String {
        let link = &self.reader.doc.links[i];
        if let Some(stale) = &link.stale {
            return format!("{stale}  (Enter follows)");
        }
        match &link.target {
            LinkTarget::Node { node, para } => {
                let node = node.or_else(|| {
                    para.and_then(|p| self.lib.paragraph_node(p))
                        .map(|k| self.lib.metas[k].id)
                });
                match node.and_then(|n| self.lib.index_of(n)) {
                    Some(k) => {
                        let (id, title) = self.node_label(k);
                        let id = para.map_or(id, |p| p.to_string());
                        format!("→ {id} {title}  (Enter follows)")
                    }
                    None => "→ a section not in this edition".to_string(),
                }
            }
            LinkTarget::External(url) => format!("→ {url}  (Enter copies the address)"),
        }
    }

    pub(super) fn follow_link(&mut self) {
        let Some(i) = self.reader.link.filter(|&i| self.link_visible(i)) else {
            self.info("No link selected: Tab selects the links on screen");
            return;
        };
        let link = self.reader.doc.links[i].clone();
        match link.target {
            LinkTarget::Node { node, para } => {
                let node = node.or_else(|| {
                    para.and_then(|p| self.lib.paragraph_node(p))
                        .map(|k| self.lib.metas[k].id)
                });
                match node.and_then(|n| self.lib.index_of(n)) {
                    Some(k) => {
                        self.terms.clear();
                        self.navigate(k, para);
                        if let Some(note) = link.stale {
                            self.info(format!("Followed a stale citation: {note}"));
                        }
                    }
                    None => self.error(format!(
                        "'{}' points to {}, which is not in this edition",
                        link.text,
                        node.map_or_else(|| "nothing".into(), |n| n.to_string())
                    )),
                }
            }
            LinkTarget::External(url) => {
                let url = crate::text::markup::terminal_safe(&url).into_owned();
                self.effects.push(Effect::Copy(url.clone()));
                self.info(format!("Web link copied to the clipboard: {url}"));
            }
        }
    }

    pub(super) fn walk(&mut self, forward: bool) {
        let cur = self.reader.node;
        let n = self.lib.metas.len();
        let next = if forward {
            (cur + 1 < n).then_some(cur + 1)
        } else {
            cur.checked_sub(1)
        };
        match next {
            Some(i) => self.navigate(i, None),
            None => self.info(if forward {
                "This is the end of the manual"
            } else {
                "This is the start of the manual"
            }),
        }
    }

    pub(super) fn is_chapter(&self, i: usize) -> bool {
        matches!(self.lib.metas[i].id, NodeId::Section(s) if s.level() == Level::Chapter)
    }

    pub(super) fn walk_chapter(&mut self, forward: bool) {
        let cur = self.reader.node;
        let target = if forward {
            (cur + 1..self.lib.metas.len()).find(|&i| self.is_chapter(i))
        } else {
            // The chapter holding the current node, then the one before it.
            let here = (0..=cur)
                .rev()
                .find(|&i| self.is_chapter(i) && self.within(cur, i));
            let before = here.unwrap_or(cur);
            (0..before).rev().find(|&i| self.is_chapter(i))
        };
        match target {
            Some(i) => self.navigate(i, None),
            None => self.info(if forward {
                "No chapter after this one"
            } else {
                "No chapter before this one"
            }),
        }
    }

    /// Whether node `i` is node `anc` or lies inside it.
    pub(super) fn within(&self, i: usize, anc: usize) -> bool {
        let mut p = Some(i);
        while let Some(k) = p {
            if k == anc {
                return true;
            }
            p = self.tree.parent[k];
        }
        false
    }

    pub(super) fn copy_reference(&mut self) {
        let m = &self.lib.metas[self.reader.node];
        let id = match (self.reader.para, m.id) {
            (Some(p), _) => p.to_string(),
            (None, NodeId::Section(s)) => s.to_string(),
            (None, other) => other.to_string(),
        };
        let title = match m.id {
            NodeId::Section(_) => m.title.clone(),
            other => display_title(other, &m.title),
        };
        let page = m.page.map(|p| format!(", p. {p}")).unwrap_or_default();
        let edition = match self.lib.edition.date.as_str() {
            "" => EDITION.to_string(),
            date => format!("SET Procedures, {date}"),
        };
        let text = crate::text::markup::terminal_safe(&format!("{id} {title} ({edition}{page})"))
            .into_owned();
        self.effects.push(Effect::Copy(text.clone()));
        self.info(format!("Copied: {text}"));
    }

    /// The keys of the reader and the contents (no prompt or window open).
    ///
    /// Longer than most functions here on purpose: one short arm per
    /// action, so the whole meaning of the main keys reads in one place.
    pub(super) fn update_main(&mut self, action: Action) {
        let tree_focus = self.focus == Focus::Tree;
        match action {
            // Global commands.
            Action::ShowHelp => self.overlay = Overlay::Help { scroll: 0 },
            Action::ShowChanges => self.show_changes(),
            Action::FocusSearch => {
                self.prev_focus = self.focus;
                self.focus = Focus::Search;
                let s = &mut self.search;
                s.input.cursor = s.input.text.len();
                s.input.replace = !s.input.text.is_empty();
                // Results may be stale if the index opened since.
                if s.results.is_empty() {
                    s.answered.clear();
                    self.run_search();
                }
            }
            Action::GoTo => {
                self.overlay = Overlay::GoTo(GoToState::default());
            }
            Action::ToggleTree => {
                if self.areas().tree.is_some() {
                    self.show_tree = false;
                    if tree_focus {
                        self.focus = Focus::Reader;
                    }
                } else {
                    self.toggle_tree_show();
                }
                self.resize(self.width, self.height);
            }
            Action::FocusTree => {
                if self.areas().tree.is_some() {
                    self.focus = Focus::Tree;
                    self.tree.reveal(self.reader.node);
                    self.keep_tree_selection_visible();
                } else {
                    self.info("The contents are hidden: t shows them");
                }
            }
            Action::FocusReader => self.focus = Focus::Reader,
            Action::ToggleBookmark => self.toggle_bookmark(),
            Action::ShowBookmarks => self.open_list(ListKind::Bookmarks),
            Action::ShowGlossary => self.open_pick(PickKind::Glossary),
            Action::ShowContacts => self.open_pick(PickKind::Contacts),
            Action::ShowHistory => self.open_pick(PickKind::History),
            Action::ShowIncoming => {
                let id = self.lib.metas[self.reader.node].id;
                self.open_list(ListKind::Incoming(id));
            }
            Action::CopyReference => self.copy_reference(),
            Action::Back => {
                if self.hist_pos == 0 {
                    self.info("Nothing to go back to");
                } else {
                    self.history[self.hist_pos] = self.location();
                    self.hist_pos -= 1;
                    let loc = self.history[self.hist_pos];
                    self.restore(loc);
                }
            }
            Action::Forward => {
                if self.hist_pos + 1 >= self.history.len() {
                    self.info("Nothing to go forward to");
                } else {
                    self.history[self.hist_pos] = self.location();
                    self.hist_pos += 1;
                    let loc = self.history[self.hist_pos];
                    self.restore(loc);
                }
            }
            Action::NextSection => self.walk(true),
            Action::PrevSection => self.walk(false),
            Action::NextChapter => self.walk_chapter(true),
            Action::PrevChapter => self.walk_chapter(false),

            // Reader.
            Action::ScrollDown => self.scroll_by(1),
            Action::ScrollUp => self.scroll_by(-1),
            Action::PageDown => {
                let (_, h) = self.reader_size();
                self.scroll_by(h.saturating_sub(2).max(1) as isize);
            }
            Action::PageUp => {
                let (_, h) = self.reader_size();
                self.scroll_by(-(h.saturating_sub(2).max(1) as isize));
            }
            Action::ScrollTop => self.reader.scroll = 0,
            Action::ScrollBottom => {
                self.reader.scroll = usize::MAX;
                self.clamp_scroll();
            }
            Action::NextLink => self.step_link(true),
            Action::PrevLink => self.step_link(false),
            Action::FollowLink => self.follow_link(),
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::Cancel => {
                if self.reader.link.is_some() {
                    self.reader.link = None;
                } else {
                    self.terms.clear();
                    self.reader.matches.clear();
                    self.reader.current_match = None;
                    self.reader.para = None;
                }
            }

            // Contents tree.
            Action::SelectNext => self.tree_select(self.tree.selected as isize + 1),
            Action::SelectPrev => self.tree_select(self.tree.selected as isize - 1),
            Action::SelectPageDown => {
                let h = self.areas().tree.map_or(10, |r| r.height as isize);
                self.tree_select(self.tree.selected as isize + h - 1);
            }
            Action::SelectPageUp => {
                let h = self.areas().tree.map_or(10, |r| r.height as isize);
                self.tree_select(self.tree.selected as isize - h + 1);
            }
            Action::SelectFirst => self.tree_select(0),
            Action::SelectLast => self.tree_select(isize::MAX / 2),
            Action::OpenSelected => {
                if let Some(i) = self.tree.selected_node() {
                    if self.tree.has_children[i] && !self.tree.expanded[i] {
                        self.tree.expanded[i] = true;
                        self.tree.refresh(Some(i));
                    }
                    self.navigate(i, None);
                }
            }
            Action::Expand => {
                if let Some(i) = self.tree.selected_node() {
                    if self.tree.has_children[i] && !self.tree.expanded[i] {
                        self.tree.expanded[i] = true;
                        self.tree.refresh(Some(i));
                    } else if self.tree.has_children[i] {
                        self.tree_select(self.tree.selected as isize + 1);
                    }
                }
            }
            Action::Collapse => {
                if let Some(i) = self.tree.selected_node() {
                    if self.tree.has_children[i] && self.tree.expanded[i] {
                        self.tree.expanded[i] = false;
                        self.tree.refresh(Some(i));
                    } else if let Some(p) = self.tree.parent[i] {
                        self.tree.refresh(Some(p));
                    }
                    self.keep_tree_selection_visible();
                }
            }
            _ => {}
        }
    }
}
