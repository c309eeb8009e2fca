//! The reader's whole state and the one function that changes it.
//!
//! Everything the screen shows comes from [`App`]; every user intent is an
//! [`Action`]; [`update`] applies one action to the state and does nothing
//! else: no terminal, no disk, no clipboard. What must happen outside (copy
//! to the clipboard, save bookmarks) is queued as an [`Effect`] for the event
//! loop. That keeps the reader testable key by key without a terminal, and
//! lets a benchmark drive it exactly as a user would.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::manual::ids::{Level, NodeId, SectionId};
use crate::search::Hit;
use crate::store::content::display_title;
use crate::store::library::Library;
use crate::store::lookup::{self, Target};
use crate::text::analysis::{WordStemmer, is_stopword, tokenize};

use super::action::{Action, Effect};
use super::keys::Mode;
use super::layout::{self, Areas};
use super::markdown::{self, Doc, LinkTarget, Spot, str_width};
use super::store::{Position, Saved};

/// The edition named in copied references.
pub const EDITION: &str = "SET Procedures, June 2025";
/// Rows one search result takes on screen.
pub const RESULT_ROWS: usize = 4;
/// Results asked of the engine per keystroke.
pub const RESULT_LIMIT: usize = 20;
const HISTORY_MAX: usize = 500;
/// Longest query or id typed (a query is a few words; this bounds the work).
const MAX_INPUT: usize = 200;
const CACHE_MAX: usize = 64;

/// Anything that answers a query with ranked hits: the real engine, or a
/// fake in tests.
pub trait Search {
    fn search(&mut self, query: &str) -> Vec<Hit>;
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
            },
        )
    }
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Reader,
    Search,
}

/// A line of text being edited, with a cursor (byte offset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub text: String,
    pub cursor: usize,
    /// Typing replaces the whole text (it is shown selected), as in a
    /// browser's address bar after focusing it.
    pub replace: bool,
}

impl Input {
    fn apply(&mut self, action: Action) -> bool {
        let before = self.text.clone();
        let replace = std::mem::take(&mut self.replace);
        match action {
            Action::Input(c) => {
                if replace {
                    self.text.clear();
                    self.cursor = 0;
                }
                if self.text.chars().count() >= MAX_INPUT {
                    return false;
                }
                let c = if c.is_control() { ' ' } else { c };
                self.text.insert(self.cursor, c);
                self.cursor += c.len_utf8();
            }
            Action::DeleteBack => {
                if replace {
                    self.text.clear();
                    self.cursor = 0;
                } else if let Some(c) = self.text[..self.cursor].chars().next_back() {
                    self.cursor -= c.len_utf8();
                    self.text.remove(self.cursor);
                }
            }
            Action::DeleteWord => {
                let head = self.text[..self.cursor].trim_end();
                let start = head.rfind(' ').map_or(0, |i| i + 1);
                self.text.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            Action::ClearInput => {
                self.text.clear();
                self.cursor = 0;
            }
            Action::CursorLeft => {
                if let Some(c) = self.text[..self.cursor].chars().next_back() {
                    self.cursor -= c.len_utf8();
                }
            }
            Action::CursorRight => {
                if let Some(c) = self.text[self.cursor..].chars().next() {
                    self.cursor += c.len_utf8();
                }
            }
            Action::CursorStart => self.cursor = 0,
            Action::CursorEnd => self.cursor = self.text.len(),
            _ => self.replace = replace,
        }
        self.text != before
    }

    fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
        self.replace = false;
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

/// What a list overlay lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bookmarks,
    /// Sections citing `NodeId`.
    Incoming(NodeId),
}

/// One entry of a list overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListState {
    pub kind: ListKind,
    pub items: Vec<ListItem>,
    pub selected: usize,
}

/// A window over the reader or tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help { scroll: usize },
    GoTo(GoToState),
    List(ListState),
}

/// A message in the status line until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// A place in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Index into `lib.metas`.
    pub node: usize,
    pub scroll: usize,
    /// The block at the top, to restore at another width.
    pub block: u32,
    pub width: usize,
    pub para: Option<SectionId>,
}

/// The contents tree's shape (computed once) and state.
pub struct Tree {
    pub parent: Vec<Option<usize>>,
    pub depth: Vec<usize>,
    pub has_children: Vec<bool>,
    pub expanded: Vec<bool>,
    /// Visible rows: indices into `lib.metas`.
    pub rows: Vec<usize>,
    /// Selected row (index into `rows`).
    pub selected: usize,
    pub offset: usize,
}

impl Tree {
    fn new(lib: &Library) -> Tree {
        let n = lib.metas.len();
        let parent: Vec<Option<usize>> = lib
            .metas
            .iter()
            .map(|m| m.parent.and_then(|p| lib.index_of(p)))
            .collect();
        let mut depth = vec![0usize; n];
        let mut has_children = vec![false; n];
        for i in 0..n {
            if let Some(p) = parent[i] {
                has_children[p] = true;
                // Parents come before children in reading order.
                depth[i] = if p < i { depth[p] + 1 } else { 1 };
            }
        }
        let expanded = lib
            .metas
            .iter()
            .map(|m| matches!(m.id, NodeId::Part(_) | NodeId::Group(_)))
            .collect();
        let mut t = Tree {
            parent,
            depth,
            has_children,
            expanded,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
        };
        t.refresh(None);
        t
    }

    /// Recomputes the visible rows, keeping `keep` (a meta index) selected.
    fn refresh(&mut self, keep: Option<usize>) {
        let keep = keep.or_else(|| self.rows.get(self.selected).copied());
        self.rows.clear();
        let mut hidden_below: Option<usize> = None;
        for i in 0..self.parent.len() {
            if hidden_below.is_some_and(|d| self.depth[i] > d) {
                continue;
            }
            hidden_below = None;
            self.rows.push(i);
            if self.has_children[i] && !self.expanded[i] {
                hidden_below = Some(self.depth[i]);
            }
        }
        if let Some(r) = keep.and_then(|k| self.rows.iter().position(|&x| x == k)) {
            self.selected = r;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn reveal(&mut self, node: usize) {
        let mut p = self.parent.get(node).copied().flatten();
        while let Some(i) = p {
            self.expanded[i] = true;
            p = self.parent[i];
        }
        self.refresh(Some(node));
    }

    pub fn selected_node(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }
}

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

/// The reader's whole state. Everything drawn comes from here.
pub struct App<'a> {
    pub lib: &'a Library,
    search_fn: Option<Box<dyn Search + 'a>>,
    /// Why search is unavailable, if it is.
    pub search_note: Option<String>,
    pub width: u16,
    pub height: u16,
    pub show_tree: bool,
    pub focus: Focus,
    /// Where focus returns when the search bar is left.
    prev_focus: Focus,
    pub overlay: Overlay,
    pub tree: Tree,
    pub reader: Reader,
    pub search: SearchState,
    /// Stems of the words last searched for, marked in the reader.
    pub terms: HashSet<String>,
    pub history: Vec<Location>,
    pub hist_pos: usize,
    pub bookmarks: Vec<NodeId>,
    /// The bookmarks as last read from or written to disk: what this reader
    /// changed is the difference, and only that is applied when saving.
    synced: Vec<NodeId>,
    pub message: Option<Message>,
    effects: Vec<Effect>,
    pub quit: bool,
    cache: HashMap<(usize, usize), Arc<Doc>>,
    stemmer: Option<WordStemmer>,
}

/// The saved bookmarks this edition has, in order, without repeats.
fn known_bookmarks(lib: &Library, saved: &Saved) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::new();
    for id in saved
        .bookmarks
        .iter()
        .filter_map(|s| s.parse::<NodeId>().ok())
    {
        if lib.index_of(id).is_some() && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

impl<'a> App<'a> {
    /// A reader over `lib`, restoring `saved` (bookmarks, last position),
    /// opened at `start` if given. Size it with `Action::Resize` before
    /// drawing; search is off until [`App::set_search`].
    pub fn new(lib: &'a Library, saved: &Saved, start: Option<Target>) -> App<'a> {
        let tree = Tree::new(lib);
        let bookmarks = known_bookmarks(lib, saved);
        let mut app = App {
            lib,
            search_fn: None,
            search_note: None,
            width: 80,
            height: 24,
            show_tree: true,
            focus: Focus::Tree,
            prev_focus: Focus::Tree,
            overlay: Overlay::None,
            tree,
            reader: Reader {
                node: 0,
                doc: Arc::new(Doc::default()),
                scroll: 0,
                para: None,
                link: None,
                matches: Vec::new(),
                current_match: None,
            },
            search: SearchState::default(),
            terms: HashSet::new(),
            history: Vec::new(),
            hist_pos: 0,
            synced: bookmarks.clone(),
            bookmarks,
            message: None,
            effects: Vec::new(),
            quit: false,
            cache: HashMap::new(),
            stemmer: None,
        };
        let last = saved.last.as_ref().and_then(|p| app.resolve_position(p));
        match (start, last) {
            (Some(t), _) => {
                app.show_target(t);
                app.focus = Focus::Reader;
            }
            (None, Some((node, para, block))) => {
                app.show(node, para);
                let line = app.reader.doc.line_of_block(block);
                app.reader.scroll = line;
                app.clamp_scroll();
                app.focus = Focus::Reader;
            }
            (None, None) => app.show(0, None),
        }
        app.history = vec![app.location()];
        app
    }

    /// Plugs in search (the index may be opened after the first frame).
    pub fn set_search(&mut self, search: Box<dyn Search + 'a>) {
        self.search_fn = Some(search);
        self.search_note = None;
    }

    /// Whether search is available.
    pub fn has_search(&self) -> bool {
        self.search_fn.is_some()
    }

    /// Takes the queued effects.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// What the keys mean right now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Overlay::Help { .. } => Mode::Help,
            Overlay::GoTo(_) => Mode::GoTo,
            Overlay::List(_) => Mode::List,
            Overlay::None => match self.focus {
                Focus::Tree => Mode::Tree,
                Focus::Reader => Mode::Reader,
                Focus::Search => Mode::Search,
            },
        }
    }

    /// Where everything goes on the current screen.
    pub fn areas(&self) -> Areas {
        layout::layout(self.width, self.height, self.show_tree)
    }

    /// Whether the main pane shows search results instead of the reader.
    pub fn showing_results(&self) -> bool {
        self.focus == Focus::Search && !self.search.input.text.trim().is_empty()
    }

    /// The state worth keeping across runs, as if nothing were on disk.
    pub fn saved(&self) -> Saved {
        Saved {
            version: super::store::VERSION,
            bookmarks: self.bookmarks.iter().map(|b| b.to_string()).collect(),
            last: Some(self.position()),
        }
    }

    /// `on_disk` with this reader's changes applied: bookmarks it added or
    /// removed since the last sync, and its position. Bookmarks another
    /// reader added, or that this edition does not know, are kept.
    pub fn merge_saved(&self, on_disk: Saved) -> Saved {
        let removed: Vec<NodeId> = self
            .synced
            .iter()
            .filter(|b| !self.bookmarks.contains(b))
            .copied()
            .collect();
        let mut bookmarks: Vec<String> = on_disk
            .bookmarks
            .into_iter()
            .filter(|s| !s.parse::<NodeId>().is_ok_and(|id| removed.contains(&id)))
            .collect();
        // Only what this reader added since the last sync: a bookmark it
        // merely still shows may have been removed by another reader.
        for b in self.bookmarks.iter().filter(|b| !self.synced.contains(b)) {
            let known = bookmarks
                .iter()
                .any(|s| s.parse::<NodeId>().is_ok_and(|id| id == *b));
            if !known {
                bookmarks.push(b.to_string());
            }
        }
        Saved {
            version: super::store::VERSION,
            bookmarks,
            last: Some(self.position()),
        }
    }

    /// Takes in what was written: bookmarks other readers added appear here.
    pub fn synced_with(&mut self, written: &Saved) {
        self.bookmarks = known_bookmarks(self.lib, written);
        self.synced = self.bookmarks.clone();
    }

    fn position(&self) -> Position {
        let m = &self.lib.metas[self.reader.node];
        let block = self
            .reader
            .doc
            .lines
            .get(self.reader.scroll)
            .map_or(0, |l| l.block);
        Position {
            node: m.id.to_string(),
            para: self.reader.para.map(|p| p.to_string()),
            block,
        }
    }

    fn resolve_position(&self, p: &Position) -> Option<(usize, Option<SectionId>, u32)> {
        let node = self.lib.index_of(p.node.parse().ok()?)?;
        let para = p.para.as_deref().and_then(|s| s.parse().ok());
        Some((node, para, p.block))
    }

    /// The reader's text width and height. While the window is too small
    /// to show anything, the text keeps its last width (re-wrapping a long
    /// chapter to one column would be wasted work).
    fn reader_size(&self) -> (usize, usize) {
        let a = self.areas();
        if a.too_small {
            let w = self.reader.doc.width;
            return (if w == 0 { 80 } else { w }, 1);
        }
        (a.text.width as usize, a.text.height as usize)
    }

    /// The rendered node at a width, from the cache.
    fn doc_for(&mut self, node: usize, width: usize) -> Arc<Doc> {
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

    fn location(&self) -> Location {
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
    fn show(&mut self, node: usize, para: Option<SectionId>) {
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

    fn show_target(&mut self, t: Target) -> bool {
        match self.lib.index_of(t.node()) {
            Some(i) => {
                self.show(i, t.paragraph());
                true
            }
            None => false,
        }
    }

    /// Goes somewhere new: records it in history and shows it.
    fn navigate(&mut self, node: usize, para: Option<SectionId>) {
        if node == self.reader.node && para.is_none() {
            // Already here: no history entry for staying put.
            self.focus = Focus::Reader;
            self.tree.reveal(node);
            self.keep_tree_selection_visible();
            return;
        }
        if let Some(cur) = self.history.get_mut(self.hist_pos) {
            *cur = Location {
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
            };
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

    fn navigate_target(&mut self, t: Target) {
        match self.lib.index_of(t.node()) {
            Some(i) => self.navigate(i, t.paragraph()),
            None => self.error(format!("{} is not in this edition of the manual", t.node())),
        }
    }

    fn restore(&mut self, loc: Location) {
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

    fn clamp_scroll(&mut self) {
        let (_, h) = self.reader_size();
        let max = self.reader.doc.lines.len().saturating_sub(h.max(1));
        self.reader.scroll = self.reader.scroll.min(max);
    }

    fn scroll_by(&mut self, delta: isize) {
        self.reader.scroll = self.reader.scroll.saturating_add_signed(delta);
        self.clamp_scroll();
    }

    /// Scrolls the least needed to show `line`.
    fn reveal_line(&mut self, line: usize) {
        let (_, h) = self.reader_size();
        let h = h.max(1);
        if line < self.reader.scroll {
            self.reader.scroll = line;
        } else if line >= self.reader.scroll + h {
            self.reader.scroll = line + 1 - h;
        }
        self.clamp_scroll();
    }

    fn visible_lines(&self) -> std::ops::Range<usize> {
        let (_, h) = self.reader_size();
        self.reader.scroll..self.reader.scroll + h
    }

    /// Shows `text` on the status line.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Shows `text` on the status line as an error.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    fn keep_tree_selection_visible(&mut self) {
        let h = self.areas().tree.map_or(1, |r| r.height as usize).max(1);
        let t = &mut self.tree;
        if t.selected < t.offset {
            t.offset = t.selected;
        } else if t.selected >= t.offset + h {
            t.offset = t.selected + 1 - h;
        }
        t.offset = t.offset.min(t.rows.len().saturating_sub(h));
    }

    fn keep_result_visible(&mut self) {
        let rows = (self.areas().main.height as usize / RESULT_ROWS).max(1);
        let s = &mut self.search;
        if s.selected < s.offset {
            s.offset = s.selected;
        } else if s.selected >= s.offset + rows {
            s.offset = s.selected + 1 - rows;
        }
    }

    /// The node's label as the status line and lists show it.
    pub fn node_label(&self, i: usize) -> (String, String) {
        let m = &self.lib.metas[i];
        match m.id {
            NodeId::Section(s) => (s.to_string(), m.title.clone()),
            other => (other.to_string(), display_title(other, &m.title)),
        }
    }

    fn run_search(&mut self) {
        let q = self.search.input.text.clone();
        if q == self.search.answered {
            return;
        }
        self.search.answered = q.clone();
        self.search.selected = 0;
        self.search.offset = 0;
        self.search.results = match (&mut self.search_fn, q.trim().is_empty()) {
            (_, true) => Vec::new(),
            (Some(f), false) => f.search(&q),
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

    fn open_result(&mut self, i: usize) {
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
    fn stems_of(&mut self, query: &str, hit: &Hit) -> HashSet<String> {
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

    /// Finds the searched words in the rendered node.
    fn find_matches(&mut self) {
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

    fn step_match(&mut self, forward: bool) {
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

    fn link_visible(&self, i: usize) -> bool {
        let vis = self.visible_lines();
        self.reader
            .doc
            .links
            .get(i)
            .is_some_and(|l| l.spots.iter().any(|s| vis.contains(&s.line)))
    }

    fn step_link(&mut self, forward: bool) {
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
    fn link_note(&self, i: usize) -> String {
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

    fn follow_link(&mut self) {
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

    fn walk(&mut self, forward: bool) {
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

    fn is_chapter(&self, i: usize) -> bool {
        matches!(self.lib.metas[i].id, NodeId::Section(s) if s.level() == Level::Chapter)
    }

    fn walk_chapter(&mut self, forward: bool) {
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
    fn within(&self, i: usize, anc: usize) -> bool {
        let mut p = Some(i);
        while let Some(k) = p {
            if k == anc {
                return true;
            }
            p = self.tree.parent[k];
        }
        false
    }

    fn copy_reference(&mut self) {
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
        let text = crate::text::markup::terminal_safe(&format!("{id} {title} ({EDITION}{page})"))
            .into_owned();
        self.effects.push(Effect::Copy(text.clone()));
        self.info(format!("Copied: {text}"));
    }

    fn toggle_bookmark(&mut self) {
        let id = self.lib.metas[self.reader.node].id;
        if let Some(k) = self.bookmarks.iter().position(|b| *b == id) {
            self.bookmarks.remove(k);
            self.info(format!("Removed the bookmark on {id}"));
        } else {
            self.bookmarks.push(id);
            self.info(format!("Bookmarked {id}: ' lists bookmarks"));
        }
        self.effects.push(Effect::SaveState);
    }

    fn bookmark_items(&self) -> Vec<ListItem> {
        self.bookmarks
            .iter()
            .filter_map(|b| self.lib.index_of(*b))
            .map(|i| {
                let (id, title) = self.node_label(i);
                let crumbs = self.lib.metas[i].breadcrumb.join(" › ");
                ListItem {
                    id,
                    title,
                    detail: crumbs,
                    target: Target::Node(self.lib.metas[i].id),
                }
            })
            .collect()
    }

    /// Citations whose destination lies in the current node.
    fn incoming_items(&self) -> Vec<ListItem> {
        let here = self.reader.node;
        let mut items: Vec<ListItem> = Vec::new();
        for c in &self.lib.citations {
            let Some(dest) = c.destination() else {
                continue;
            };
            let dest_node = self
                .lib
                .index_of(NodeId::Section(dest))
                .or_else(|| self.lib.paragraph_node(dest))
                .or_else(|| {
                    dest.parent()
                        .and_then(|p| self.lib.index_of(NodeId::Section(p)))
                });
            if !dest_node.is_some_and(|d| self.within(d, here)) {
                continue;
            }
            let Some(from) = self.lib.index_of(c.from) else {
                continue;
            };
            let (id, title) = self.node_label(from);
            let stale = if c.status == crate::cite::Status::Stale {
                format!(" (cited as {})", c.cited)
            } else {
                String::new()
            };
            let detail =
                crate::text::markup::terminal_safe(&format!("“{}”{stale}", c.text)).into_owned();
            items.push(ListItem {
                id,
                title,
                detail,
                target: Target::Node(c.from),
            });
        }
        items
    }

    fn open_list(&mut self, kind: ListKind) {
        let items = match kind {
            ListKind::Bookmarks => self.bookmark_items(),
            ListKind::Incoming(_) => self.incoming_items(),
        };
        if items.is_empty() {
            let id = self.lib.metas[self.reader.node].id;
            self.info(match kind {
                ListKind::Bookmarks => {
                    "No bookmarks yet: m bookmarks the section you are reading".to_string()
                }
                ListKind::Incoming(_) => format!("No section cites {id}"),
            });
            return;
        }
        self.overlay = Overlay::List(ListState {
            kind,
            items,
            selected: 0,
        });
    }

    fn open_list_item(&mut self) {
        let Overlay::List(list) = &self.overlay else {
            return;
        };
        let Some(item) = list.items.get(list.selected).cloned() else {
            return;
        };
        let kind = list.kind;
        self.overlay = Overlay::None;
        self.navigate_target(item.target);
        if let ListKind::Incoming(cited) = kind {
            self.select_link_into(cited);
        }
    }

    /// Selects the first link that leads into `cited` (after opening a
    /// citing section from the references list).
    fn select_link_into(&mut self, cited: NodeId) {
        let Some(cited) = self.lib.index_of(cited) else {
            return;
        };
        let found = self.reader.doc.links.iter().position(|l| match &l.target {
            LinkTarget::Node { node, para } => node
                .and_then(|n| self.lib.index_of(n))
                .or_else(|| para.and_then(|p| self.lib.paragraph_node(p)))
                .is_some_and(|k| self.within(k, cited)),
            LinkTarget::External(_) => false,
        });
        if let Some(i) = found {
            self.reader.link = Some(i);
            let line = self.reader.doc.links[i].first_line();
            let (_, h) = self.reader_size();
            self.reader.scroll = line.saturating_sub(h / 3);
            self.clamp_scroll();
        }
    }

    fn goto_candidates(&self, input: &str) -> Vec<Candidate> {
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

    fn submit_goto(&mut self) {
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
        match lookup::lookup_with_note(self.lib, input) {
            Ok((t, note)) => {
                self.overlay = Overlay::None;
                self.navigate_target(t);
                if let Some(note) = note {
                    self.info(note);
                }
            }
            Err(e) => {
                let looks_like_id = input.parse::<NodeId>().is_ok();
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

    /// Applies one action. See [`update`].
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..) | Action::Wheel { .. }) {
            self.message = None;
        }
        match action {
            Action::Resize(w, h) => self.resize(w, h),
            Action::Quit => {
                self.effects.push(Effect::SaveState);
                self.quit = true;
            }
            Action::Click { col, row } => self.click(col, row),
            Action::Wheel { col, row, down } => self.wheel(col, row, down),
            Action::Open(t) => self.navigate_target(t),
            _ => match self.mode() {
                Mode::Help => self.update_help(action),
                Mode::GoTo => self.update_goto(action),
                Mode::List => self.update_list(action),
                Mode::Search => self.update_search(action),
                _ => self.update_main(action),
            },
        }
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.width = w;
        self.height = h;
        let (tw, _) = self.reader_size();
        if tw != self.reader.doc.width {
            let block = self
                .reader
                .doc
                .lines
                .get(self.reader.scroll)
                .map_or(0, |l| l.block);
            let doc = self.doc_for(self.reader.node, tw);
            self.reader.doc = doc;
            self.reader.scroll = self.reader.doc.line_of_block(block);
            self.find_matches();
        }
        self.clamp_scroll();
        self.keep_tree_selection_visible();
        self.keep_result_visible();
        if self.focus == Focus::Tree && self.areas().tree.is_none() {
            self.focus = Focus::Reader;
        }
    }

    fn update_help(&mut self, action: Action) {
        let Overlay::Help { scroll } = &mut self.overlay else {
            return;
        };
        let len = super::keys::help_lines().len();
        match action {
            Action::ScrollDown => *scroll += 1,
            Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll += 10,
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::ScrollTop => *scroll = 0,
            Action::ScrollBottom => *scroll = len,
            Action::Cancel | Action::ShowHelp => self.overlay = Overlay::None,
            _ => {}
        }
        if let Overlay::Help { scroll } = &mut self.overlay {
            *scroll = (*scroll).min(len.saturating_sub(1));
        }
    }

    fn update_goto(&mut self, action: Action) {
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

    fn update_list(&mut self, action: Action) {
        let Overlay::List(list) = &mut self.overlay else {
            return;
        };
        let n = list.items.len();
        let last = n.saturating_sub(1);
        match action {
            Action::SelectNext => list.selected = (list.selected + 1).min(last),
            Action::SelectPrev => list.selected = list.selected.saturating_sub(1),
            Action::SelectPageDown => list.selected = (list.selected + 10).min(last),
            Action::SelectPageUp => list.selected = list.selected.saturating_sub(10),
            Action::SelectFirst => list.selected = 0,
            Action::SelectLast => list.selected = last,
            Action::OpenSelected => self.open_list_item(),
            Action::DeleteSelected if list.kind == ListKind::Bookmarks && n > 0 => {
                let item = list.items.remove(list.selected);
                list.selected = list.selected.min(list.items.len().saturating_sub(1));
                let empty = list.items.is_empty();
                self.bookmarks.retain(|b| Target::Node(*b) != item.target);
                self.effects.push(Effect::SaveState);
                self.info(format!("Removed the bookmark on {}", item.id));
                if empty {
                    self.overlay = Overlay::None;
                }
            }
            Action::Cancel => self.overlay = Overlay::None,
            _ => {}
        }
    }

    fn update_search(&mut self, action: Action) {
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

    fn update_main(&mut self, action: Action) {
        let tree_focus = self.focus == Focus::Tree;
        match action {
            // Global commands.
            Action::ShowHelp => self.overlay = Overlay::Help { scroll: 0 },
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

    fn toggle_tree_show(&mut self) {
        self.show_tree = true;
        if layout::layout(self.width, self.height, true).tree.is_some() {
            self.focus = Focus::Tree;
            self.tree.reveal(self.reader.node);
        } else {
            self.info("The window is too narrow for the contents (60 columns needed)");
        }
    }

    fn tree_select(&mut self, row: isize) {
        let last = self.tree.rows.len().saturating_sub(1) as isize;
        self.tree.selected = row.clamp(0, last.max(0)) as usize;
        self.keep_tree_selection_visible();
    }

    fn click(&mut self, col: u16, row: u16) {
        let a = self.areas();
        let inside = |r: ratatui::layout::Rect| {
            col >= r.x
                && col < r.x.saturating_add(r.width)
                && row >= r.y
                && row < r.y.saturating_add(r.height)
        };
        match &self.overlay {
            Overlay::None => {}
            Overlay::List(list) => {
                let (r, inner, offset) =
                    layout::list_layout(a.body, list.items.len(), list.selected);
                if inside(inner) {
                    let k = offset + ((row - inner.y) / 2) as usize;
                    if k < list.items.len() {
                        if let Overlay::List(l) = &mut self.overlay {
                            l.selected = k;
                        }
                        self.open_list_item();
                    }
                } else if !inside(r) {
                    self.overlay = Overlay::None;
                }
                return;
            }
            _ => {
                self.overlay = Overlay::None;
                return;
            }
        }
        if inside(a.search) {
            self.update_main(Action::FocusSearch);
            return;
        }
        if let Some(t) = a.tree.filter(|t| inside(*t)) {
            let r = self.tree.offset + (row - t.y) as usize;
            if r < self.tree.rows.len() {
                let i = self.tree.rows[r];
                self.tree.selected = r;
                self.focus = Focus::Tree;
                let depth = self.tree.depth[i] as u16;
                // The ▸/▾ arrow toggles; the title opens.
                let arrow = t.x + 2 * depth;
                if self.tree.has_children[i] && col <= arrow + 1 {
                    self.tree.expanded[i] = !self.tree.expanded[i];
                    self.tree.refresh(Some(i));
                } else {
                    self.navigate(i, None);
                }
            }
            return;
        }
        if inside(a.main) {
            if self.showing_results() {
                let k = self.search.offset + ((row - a.main.y) as usize / RESULT_ROWS);
                if k < self.search.results.len() {
                    self.search.selected = k;
                    self.open_result(k);
                }
                return;
            }
            self.focus = Focus::Reader;
            if inside(a.text) {
                let line = self.reader.scroll + (row - a.text.y) as usize;
                let c = (col - a.text.x) as usize;
                let hit = self.reader.doc.links.iter().position(|l| {
                    l.spots
                        .iter()
                        .any(|s| s.line == line && s.cols.contains(&c))
                });
                if let Some(i) = hit {
                    self.reader.link = Some(i);
                    self.follow_link();
                }
            }
        }
    }

    fn wheel(&mut self, col: u16, row: u16, down: bool) {
        let a = self.areas();
        let step: isize = if down { 3 } else { -3 };
        match &mut self.overlay {
            Overlay::Help { scroll } => {
                *scroll = scroll.saturating_add_signed(step);
                return;
            }
            Overlay::List(l) => {
                l.selected = l
                    .selected
                    .saturating_add_signed(step.signum())
                    .min(l.items.len().saturating_sub(1));
                return;
            }
            _ => {}
        }
        let in_tree = a.tree.is_some_and(|t| {
            col >= t.x && col < t.x + t.width && row >= t.y && row < t.y + t.height
        });
        if in_tree {
            let h = a.tree.map_or(1, |t| t.height as usize);
            let max = self.tree.rows.len().saturating_sub(h);
            self.tree.offset = self.tree.offset.saturating_add_signed(step).min(max);
        } else if self.showing_results() {
            let n = self.search.results.len();
            self.search.selected = self
                .search
                .selected
                .saturating_add_signed(step.signum())
                .min(n.saturating_sub(1));
            self.keep_result_visible();
        } else {
            self.scroll_by(step);
        }
    }
}

/// Applies one action to the state: pure state manipulation. Side effects
/// are queued ([`App::take_effects`]).
pub fn update(app: &mut App<'_>, action: Action) {
    app.update(action);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn lib() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(Library::embedded)
    }

    fn app() -> App<'static> {
        let mut a = App::new(lib(), &Saved::default(), None);
        a.update(Action::Resize(100, 30));
        a
    }

    fn current(a: &App) -> String {
        a.lib.metas[a.reader.node].id.to_string()
    }

    fn id(s: &str) -> NodeId {
        s.parse().unwrap()
    }

    #[test]
    fn starts_at_the_contents_with_chapters_visible() {
        let a = app();
        assert_eq!(a.focus, Focus::Tree);
        assert_eq!(current(&a), "part-A");
        let shown: Vec<String> = a
            .tree
            .rows
            .iter()
            .map(|&i| a.lib.metas[i].id.to_string())
            .collect();
        assert!(shown.contains(&"A3".to_string()));
        assert!(shown.contains(&"B24".to_string()));
        assert!(
            !shown.contains(&"A3.4".to_string()),
            "sections start collapsed"
        );
    }

    #[test]
    fn opens_at_a_paragraph_with_it_highlighted_and_on_screen() {
        let t = lookup::lookup(lib(), "A3.4.22").unwrap();
        let mut a = App::new(lib(), &Saved::default(), Some(t));
        a.update(Action::Resize(100, 30));
        assert_eq!(current(&a), "A3.4");
        let p: SectionId = "A3.4.22".parse().unwrap();
        assert_eq!(a.reader.para, Some(p));
        let anchor = a.reader.doc.anchor(p).unwrap();
        assert!(a.visible_lines().contains(&anchor.start));
        assert_eq!(a.focus, Focus::Reader);
    }

    #[test]
    fn walking_history_back_and_forward() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24.8"))));
        a.update(Action::NextSection);
        assert_eq!(current(&a), "B24.9");
        a.update(Action::NextChapter);
        assert_eq!(current(&a), "B25");
        a.update(Action::PrevChapter);
        assert_eq!(current(&a), "B24");
        a.update(Action::Back);
        assert_eq!(current(&a), "B25");
        a.update(Action::Back);
        a.update(Action::Back);
        assert_eq!(current(&a), "B24.8");
        a.update(Action::Forward);
        assert_eq!(current(&a), "B24.9");
        // A new step drops the forward history.
        a.update(Action::PrevSection);
        a.update(Action::Forward);
        assert_eq!(current(&a), "B24.8");
        assert_eq!(a.message.as_ref().unwrap().text, "Nothing to go forward to");
    }

    #[test]
    fn tab_selects_links_on_screen_and_enter_follows() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24"))));
        a.update(Action::NextLink);
        assert_eq!(a.reader.link, Some(0));
        a.update(Action::NextLink);
        a.update(Action::PrevLink);
        assert_eq!(a.reader.link, Some(0));
        a.update(Action::FollowLink);
        assert_eq!(current(&a), "B24.1");
        a.update(Action::Back);
        assert_eq!(current(&a), "B24");
    }

    #[test]
    fn search_as_you_type_with_a_fake_engine() {
        let mut a = app();
        let hits = |q: &str| -> Vec<Hit> {
            if q.is_empty() {
                return Vec::new();
            }
            vec![Hit {
                id: "B35.3".parse().unwrap(),
                title: "35.3 Private Fostering".into(),
                breadcrumb: "Part B".into(),
                score: 1.0,
                paragraph: None,
                snippet: format!("about {q}"),
                highlights: vec![(6, 6 + q.len())],
            }]
        };
        a.set_search(Box::new(hits));
        a.update(Action::FocusSearch);
        assert_eq!(a.mode(), Mode::Search);
        for c in "private fostering".chars() {
            a.update(Action::Input(c));
        }
        assert_eq!(a.search.results.len(), 1);
        assert!(a.showing_results());
        a.update(Action::Submit);
        assert_eq!(current(&a), "B35.3");
        assert_eq!(a.focus, Focus::Reader);
        assert!(!a.reader.matches.is_empty(), "searched words are marked");
        a.update(Action::NextMatch);
        assert!(a.message.as_ref().unwrap().text.starts_with("match"));
        // Esc from search returns to where focus was.
        a.update(Action::FocusSearch);
        a.update(Action::Cancel);
        assert_eq!(a.focus, Focus::Reader);
    }

    #[test]
    fn go_to_ids_citations_and_bad_ids() {
        let mut a = app();
        a.update(Action::GoTo);
        for c in "b24.8".chars() {
            a.update(Action::Input(c));
        }
        let Overlay::GoTo(g) = &a.overlay else {
            panic!()
        };
        assert_eq!(g.candidates[0].id, "B24.8");
        a.update(Action::Submit);
        assert_eq!(current(&a), "B24.8");

        a.update(Action::GoTo);
        for c in "B24.20".chars() {
            a.update(Action::Input(c));
        }
        a.update(Action::Submit);
        let m = a.message.clone().unwrap();
        assert!(m.error && m.text.contains("nearest"), "{m:?}");
        assert_eq!(a.mode(), Mode::GoTo, "the prompt stays to fix the id");
        a.update(Action::Cancel);

        a.update(Action::GoTo);
        for c in "online exploitation".chars() {
            a.update(Action::Input(c));
        }
        a.update(Action::Submit);
        assert_eq!(current(&a), "B24.8");
    }

    #[test]
    fn bookmarks_and_copy_queue_effects() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24.8"))));
        a.take_effects();
        a.update(Action::ToggleBookmark);
        assert_eq!(a.bookmarks, vec![id("B24.8")]);
        assert_eq!(a.take_effects(), vec![Effect::SaveState]);
        a.update(Action::CopyReference);
        let eff = a.take_effects();
        let Effect::Copy(text) = &eff[0] else {
            panic!()
        };
        assert!(text.starts_with("B24.8 Online Exploitation"), "{text}");
        assert!(
            text.ends_with("(SET Procedures, June 2025, p. 443)"),
            "{text}"
        );
        a.update(Action::Open(Target::Node(id("A1"))));
        a.update(Action::ShowBookmarks);
        a.update(Action::OpenSelected);
        assert_eq!(current(&a), "B24.8");
        assert_eq!(a.saved().bookmarks, ["B24.8"]);
    }

    #[test]
    fn tree_follows_the_reader_and_collapses() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("B24.8"))));
        let sel = a.tree.selected_node().unwrap();
        assert_eq!(a.lib.metas[sel].id, id("B24.8"));
        a.update(Action::FocusTree);
        a.update(Action::Collapse); // to the parent
        a.update(Action::Collapse); // fold it
        assert_eq!(a.lib.metas[a.tree.selected_node().unwrap()].id, id("B24"));
        assert!(
            !a.tree
                .rows
                .iter()
                .any(|&i| a.lib.metas[i].id == id("B24.8"))
        );
    }

    #[test]
    fn tiny_and_changing_sizes_keep_state_sane() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("A3.4"))));
        for (w, h) in [
            (1, 1),
            (2, 2),
            (10, 3),
            (80, 24),
            (0, 0),
            (300, 100),
            (59, 20),
        ] {
            a.update(Action::Resize(w, h));
            a.update(Action::PageDown);
            a.update(Action::NextLink);
            a.update(Action::Click {
                col: w / 2,
                row: h / 2,
            });
            assert_eq!((a.width, a.height), (w, h));
            assert!(a.reader.node < lib().metas.len());
            assert!(
                a.reader.scroll <= a.reader.doc.lines.len(),
                "{w}x{h}: scroll {} of {} lines",
                a.reader.scroll,
                a.reader.doc.lines.len()
            );
        }
        // Back to a usable size, the reader has text again.
        a.update(Action::Resize(100, 30));
        assert!(!a.reader.doc.lines.is_empty());
    }

    #[test]
    fn clicks_open_tree_entries_and_follow_links() {
        let mut a = app();
        let t = a.areas().tree.unwrap();
        // The second row of the contents is chapter A1.
        a.update(Action::Click {
            col: t.x + 10,
            row: t.y + 1,
        });
        assert_eq!(current(&a), "A1");
        a.update(Action::Open(Target::Node(id("B24"))));
        let l = a.reader.doc.links[0].spots[0].clone();
        let text = a.areas().text;
        a.update(Action::Click {
            col: text.x + l.cols.start as u16,
            row: text.y + (l.line - a.reader.scroll) as u16,
        });
        assert_eq!(current(&a), "B24.1");
        a.update(Action::Wheel {
            col: text.x,
            row: text.y,
            down: true,
        });
    }

    #[test]
    fn the_last_position_and_bookmarks_come_back() {
        let mut a = app();
        a.update(Action::Open(Target::Node(id("A3.4"))));
        a.update(Action::PageDown);
        a.update(Action::ToggleBookmark);
        let saved = a.saved();
        let top = a.reader.doc.lines[a.reader.scroll].block;
        let mut b = App::new(lib(), &saved, None);
        b.update(Action::Resize(100, 30));
        assert_eq!(current(&b), "A3.4");
        assert_eq!(b.reader.doc.lines[b.reader.scroll].block, top);
        assert_eq!(b.bookmarks, vec![id("A3.4")]);
        // Ids a later edition lacks are dropped, not fatal.
        let odd = Saved {
            bookmarks: vec!["B99.9".into(), "nonsense".into()],
            last: Some(Position {
                node: "B99".into(),
                para: None,
                block: 3,
            }),
            ..Saved::default()
        };
        let c = App::new(lib(), &odd, None);
        assert!(c.bookmarks.is_empty());
        assert_eq!(current(&c), "part-A");
    }

    #[test]
    fn saving_merges_with_other_readers_and_keeps_unknown_bookmarks() {
        let on_disk = Saved {
            bookmarks: vec!["A3.4".into(), "B99.9".into()],
            ..Saved::default()
        };
        // Two readers start from the same file.
        let mut one = App::new(lib(), &on_disk, None);
        let mut two = App::new(lib(), &on_disk, None);
        assert_eq!(one.bookmarks, vec![id("A3.4")]);
        one.update(Action::Open(Target::Node(id("B24.8"))));
        one.update(Action::ToggleBookmark);
        let after_one = one.merge_saved(on_disk.clone());
        assert_eq!(after_one.bookmarks, ["A3.4", "B99.9", "B24.8"]);
        // The second removes A3.4 without knowing about B24.8.
        two.update(Action::Open(Target::Node(id("A3.4"))));
        two.update(Action::ToggleBookmark);
        let after_two = two.merge_saved(after_one);
        assert_eq!(after_two.bookmarks, ["B99.9", "B24.8"]);
        assert_eq!(after_two.last.as_ref().unwrap().node, "A3.4");
        two.synced_with(&after_two);
        assert_eq!(two.bookmarks, vec![id("B24.8")]);
        // The other order: `one` still shows A3.4, which `two` removed;
        // saving `one` (on quit, say) must not bring it back.
        let after_one_again = one.merge_saved(after_two);
        assert_eq!(after_one_again.bookmarks, ["B99.9", "B24.8"]);
    }

    #[test]
    fn input_editing() {
        let mut i = Input::default();
        for c in "abc def".chars() {
            i.apply(Action::Input(c));
        }
        i.apply(Action::DeleteWord);
        assert_eq!(i.text, "abc ");
        i.apply(Action::CursorStart);
        i.apply(Action::Input('x'));
        assert_eq!(i.text, "xabc ");
        i.replace = true;
        i.apply(Action::Input('y'));
        assert_eq!(i.text, "y");
    }
}
