//! The terminal reader: `setproc` with no command, or `setproc open REF`.
//!
//! This module is the reader's edge: it owns the terminal (raw mode,
//! alternate screen, mouse capture, restored on exit and on panic), turns
//! crossterm events into [`Action`]s through the key table, and performs the
//! [`Effect`]s that `update` queues (clipboard, saving). Everything else is
//! pure and lives in the submodules:
//!
//! - [`action`]: every user intent ([`Action`]) and every outside job
//!   ([`Effect`]);
//! - [`app`]: the state and `update`, one file per mode (reading, contents,
//!   search bar, go-to, lists, help, mouse, saved state);
//! - [`keys`]: the key table (also the `?` help), mapping keys to actions;
//! - [`layout`]: the screen's geometry, shared by `update` and drawing;
//! - [`markdown`]: markdown → wrapped lines with link and paragraph positions;
//! - [`view`]: `draw(frame, &App)`: reads the state, never changes it
//!   (`view/pick` draws the glossary, contacts and history lists);
//!   [`changes_view`] draws what changed since the previous edition;
//! - [`store`]: bookmarks, the last position and the history on disk;
//! - [`meaning`]: the thread that embeds queries for search by meaning.
//!
//! Inside: `action` depends on nothing of the reader's; `keys` only on
//! `action`; `app` never on `view`.
//!
//! May depend on: `manual`, `cite`, `search`, `store`, `text`, `edition`.

pub mod action;
pub mod app;
pub mod changes_view;
pub mod keys;
pub mod layout;
pub mod markdown;
pub mod meaning;
pub mod store;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::search::Engine;
use crate::search::index::SearchIndex;
use crate::store::library::Library;
use crate::store::lookup::Target;

pub use action::{Action, Effect};
pub use app::{App, update};
pub use store::{Saved, Store};

/// How to start the reader.
pub struct Launch<'a> {
    pub lib: &'a Library,
    /// Open here (`setproc open B24.8`); otherwise the last position, or the
    /// contents.
    pub start: Option<Target>,
    /// Where bookmarks and the last position live (default: the user's data
    /// folder).
    pub data_dir: Option<PathBuf>,
    /// Draw the first frame and return (for start-up benchmarks).
    pub first_frame_only: bool,
    /// A first message, e.g. where a drifted citation was sent.
    pub note: Option<String>,
    /// What the build records of earlier editions (re-attaches bookmarks,
    /// marks and lists what changed).
    pub editions: Option<&'a crate::edition::History>,
}

impl<'a> Launch<'a> {
    pub fn new(lib: &'a Library) -> Launch<'a> {
        Launch {
            lib,
            start: None,
            data_dir: None,
            first_frame_only: false,
            note: None,
            editions: None,
        }
    }
}

/// Runs the reader until the user quits.
///
/// `open_index` opens or builds the search index; it is called after the
/// first frame is on screen (with a "Building the search index…" message),
/// so start-up is never blank. If it fails, the reader works without search
/// and says why.
pub fn run(
    lib: &Library,
    start: Option<Target>,
    open_index: impl FnOnce() -> Result<SearchIndex>,
) -> Result<()> {
    run_with(
        Launch {
            start,
            ..Launch::new(lib)
        },
        open_index,
    )
}

/// [`run`] with every option.
pub fn run_with(
    launch: Launch<'_>,
    open_index: impl FnOnce() -> Result<SearchIndex>,
) -> Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; for scripts use `setproc show` or `setproc search`"
        );
    }
    let store = launch.data_dir.clone().map_or_else(Store::user, Store::new);
    let (saved, load_note) = store.load();
    // Declared before `app` so that it outlives the engine that borrows it.
    let index: SearchIndex;
    let mut app = App::with_editions(launch.lib, &saved, launch.start, launch.editions);
    // What moved since the edition the bookmarks were saved in: said once
    // the index is open (the message line is busy until then).
    let moved_note = app.message.take();

    let mut terminal = ratatui::try_init().context("cannot start the terminal reader")?;
    let _restore = Restore;
    install_mouse_panic_hook();
    execute!(io::stdout(), EnableMouseCapture)?;
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));

    app.info("Opening the search index (building it the first time takes a few seconds)…");
    terminal.draw(|f| view::draw(f, &app))?;
    if launch.first_frame_only {
        return Ok(());
    }
    app.message = None;
    match open_index() {
        Ok(idx) => {
            index = idx;
            app.set_search(Box::new(Engine::new(&index)));
            if index.built {
                app.info("Search index built.");
            }
        }
        Err(e) => {
            let msg = format!("Search is unavailable: {e:#}");
            app.search_note = Some(msg.clone());
            app.error(msg);
        }
    }
    let note = match (launch.note, moved_note) {
        (Some(n), Some(m)) => Some(format!("{n} · {}", m.text)),
        (n, m) => n.or(m.map(|m| m.text)),
    };
    if let Some(note) = note {
        app.info(note);
    }
    if let Some(note) = load_note {
        app.error(note);
    }
    // Bookmarks re-attached from an older edition are saved in this one's
    // terms now, not only on quit.
    let mut embedder = meaning::Embedder::start(Box::new(|q: &str| {
        crate::search::dense::Model::get().ok().map(|m| m.embed(q))
    }));
    perform(&mut app, &store, &mut embedder);
    event_loop(&mut terminal, &mut app, &store, &mut embedder)?;
    // The last save (on quit) can only be reported once the screen is back.
    drop(_restore);
    match app.message.take() {
        Some(m) if m.error => anyhow::bail!("{}", m.text),
        _ => Ok(()),
    }
}

/// Leaves the terminal as it was, whatever way `run` ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

/// ratatui's panic hook restores raw mode and the screen; mouse capture
/// has to be switched off too, or the shell gets mouse escape codes.
fn install_mouse_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        prev(info);
    }));
}

/// Turns a terminal event into actions for `app`'s current mode.
pub fn actions_for(app: &App, ev: &Event) -> Vec<Action> {
    match ev {
        Event::Key(k) if k.kind == KeyEventKind::Press => {
            keys::action_for(app.mode(), *k).into_iter().collect()
        }
        Event::Resize(w, h) => vec![Action::Resize(*w, *h)],
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => vec![Action::Click {
                col: m.column,
                row: m.row,
            }],
            MouseEventKind::ScrollDown => vec![Action::Wheel {
                col: m.column,
                row: m.row,
                down: true,
            }],
            MouseEventKind::ScrollUp => vec![Action::Wheel {
                col: m.column,
                row: m.row,
                down: false,
            }],
            _ => Vec::new(),
        },
        Event::Paste(s) => s
            .chars()
            .filter(|c| !c.is_control())
            .map(Action::Input)
            .collect(),
        _ => Vec::new(),
    }
}

fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    store: &Store,
    embedder: &mut meaning::Embedder,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    loop {
        terminal.draw(|f| view::draw(f, app))?;
        // Wait for a key; while a query's vector is being made, wake up
        // for it too.
        let ready = !embedder.busy() || event::poll(Duration::from_millis(10))?;
        if ready {
            let ev = event::read()?;
            handle(app, &ev, store, embedder);
            // Apply everything already queued before drawing again, so a
            // burst of keys (or a resize storm) costs one frame.
            while !app.quit && event::poll(Duration::ZERO)? {
                let ev = event::read()?;
                handle(app, &ev, store, embedder);
            }
        }
        while let Some((query, vector)) = embedder.take() {
            app.give_vector(&query, vector);
            update(app, Action::MeaningReady);
        }
        if app.quit {
            return Ok(());
        }
    }
}

fn handle(app: &mut App, ev: &Event, store: &Store, embedder: &mut meaning::Embedder) {
    for action in actions_for(app, ev) {
        update(app, action);
    }
    perform(app, store, embedder);
}

/// Carries out the effects `update` queued.
pub fn perform(app: &mut App, store: &Store, embedder: &mut meaning::Embedder) {
    for effect in app.take_effects() {
        match effect {
            Effect::Embed(query) => embedder.request(query),
            Effect::Copy(text) => {
                let mut out = io::stdout();
                let ok = execute!(
                    out,
                    crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
                )
                .and_then(|_| out.flush());
                if let Err(e) = ok {
                    app.error(format!("Could not copy to the clipboard: {e}"));
                }
            }
            Effect::SaveState => match store.update(|on_disk| app.merge_saved(on_disk)) {
                Ok(written) => {
                    app.synced_with(&written.saved);
                    if let Some(moved) = written.moved_aside {
                        app.error(format!(
                            "{} was damaged; it was moved to {}",
                            store.path().display(),
                            moved.display()
                        ));
                    }
                }
                Err(e) => app.error(format!(
                    "Could not save bookmarks to {}: {e}",
                    store.path().display()
                )),
            },
        }
    }
}
