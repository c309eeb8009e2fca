//! Key bindings as data.
//!
//! One table maps (mode, key, modifiers) to an [`Action`]. The event loop
//! looks keys up in it and the `?` screen and the status line hints are
//! generated from it, so what the help says is always what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Everywhere, even while typing.
    Any,
    /// The contents tree and the reader (no prompt or window open).
    Main,
    /// The contents tree has the keyboard.
    Tree,
    /// The reader has the keyboard.
    Reader,
    /// Typing in the search bar, results showing.
    Search,
    /// The go-to prompt.
    GoTo,
    /// A list window: bookmarks, references.
    List,
    /// A list filtered as you type: glossary, contacts, history.
    Pick,
    /// The key help.
    Help,
    /// One section's changes since the previous edition.
    Diff,
}

impl Mode {
    /// Heading of this mode's section in the help.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Any => "Anywhere",
            Mode::Main => "Reading and contents",
            Mode::Tree => "Contents",
            Mode::Reader => "Reader",
            Mode::Search => "Search bar",
            Mode::GoTo => "Go to",
            Mode::List => "Bookmarks, references and changes",
            Mode::Pick => "Glossary, contacts and history",
            Mode::Help => "This help",
            Mode::Diff => "What changed in a section",
        }
    }

    /// Modes whose bindings also apply in this one, after its own.
    fn fallbacks(self) -> &'static [Mode] {
        match self {
            Mode::Tree | Mode::Reader => &[Mode::Main, Mode::Any],
            Mode::Any => &[],
            _ => &[Mode::Any],
        }
    }

    /// Whether unbound printable keys are typed text.
    fn takes_text(self) -> bool {
        matches!(self, Mode::Search | Mode::GoTo | Mode::Pick)
    }
}

/// One key binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub mode: Mode,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
}

const fn b(mode: Mode, code: KeyCode, action: Action) -> Binding {
    Binding {
        mode,
        code,
        mods: KeyModifiers::NONE,
        action,
    }
}

const fn ctrl(mode: Mode, c: char, action: Action) -> Binding {
    Binding {
        mode,
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
        action,
    }
}

const fn alt(mode: Mode, code: KeyCode, action: Action) -> Binding {
    Binding {
        mode,
        code,
        mods: KeyModifiers::ALT,
        action,
    }
}

use Action as A;
use KeyCode as K;
use Mode as M;

/// Every key binding, in the order the help lists them.
pub const BINDINGS: &[Binding] = &[
    ctrl(M::Any, 'c', A::Quit),
    // Reading and contents.
    b(M::Main, K::Char('/'), A::FocusSearch),
    b(M::Main, K::Char('g'), A::GoTo),
    b(M::Main, K::Backspace, A::Back),
    b(M::Main, K::Char('b'), A::Back),
    alt(M::Main, K::Left, A::Back),
    b(M::Main, K::Char('f'), A::Forward),
    alt(M::Main, K::Right, A::Forward),
    b(M::Main, K::Char(']'), A::NextSection),
    b(M::Main, K::Char('['), A::PrevSection),
    b(M::Main, K::Char('}'), A::NextChapter),
    b(M::Main, K::Char('{'), A::PrevChapter),
    b(M::Main, K::Char('t'), A::ToggleTree),
    b(M::Main, K::Char('r'), A::ShowIncoming),
    b(M::Main, K::Char('m'), A::ToggleBookmark),
    b(M::Main, K::Char('\''), A::ShowBookmarks),
    b(M::Main, K::Char('a'), A::ShowGlossary),
    b(M::Main, K::Char('c'), A::ShowContacts),
    b(M::Main, K::Char('L'), A::ShowHistory),
    b(M::Main, K::Char('y'), A::CopyReference),
    b(M::Main, K::Char('w'), A::ShowChanges),
    b(M::Main, K::Char('?'), A::ShowHelp),
    b(M::Main, K::F(1), A::ShowHelp),
    b(M::Main, K::Char('q'), A::Quit),
    // Reader.
    b(M::Reader, K::Down, A::ScrollDown),
    b(M::Reader, K::Char('j'), A::ScrollDown),
    b(M::Reader, K::Up, A::ScrollUp),
    b(M::Reader, K::Char('k'), A::ScrollUp),
    b(M::Reader, K::PageDown, A::PageDown),
    b(M::Reader, K::Char(' '), A::PageDown),
    b(M::Reader, K::PageUp, A::PageUp),
    b(M::Reader, K::Home, A::ScrollTop),
    b(M::Reader, K::End, A::ScrollBottom),
    b(M::Reader, K::Tab, A::NextLink),
    b(M::Reader, K::BackTab, A::PrevLink),
    b(M::Reader, K::Enter, A::FollowLink),
    b(M::Reader, K::Char('n'), A::NextMatch),
    b(M::Reader, K::Char('N'), A::PrevMatch),
    b(M::Reader, K::Esc, A::Cancel),
    b(M::Reader, K::Left, A::FocusTree),
    b(M::Reader, K::Char('h'), A::FocusTree),
    // Contents.
    b(M::Tree, K::Down, A::SelectNext),
    b(M::Tree, K::Char('j'), A::SelectNext),
    b(M::Tree, K::Up, A::SelectPrev),
    b(M::Tree, K::Char('k'), A::SelectPrev),
    b(M::Tree, K::PageDown, A::SelectPageDown),
    b(M::Tree, K::PageUp, A::SelectPageUp),
    b(M::Tree, K::Home, A::SelectFirst),
    b(M::Tree, K::End, A::SelectLast),
    b(M::Tree, K::Enter, A::OpenSelected),
    b(M::Tree, K::Right, A::Expand),
    b(M::Tree, K::Char('l'), A::Expand),
    b(M::Tree, K::Left, A::Collapse),
    b(M::Tree, K::Char('h'), A::Collapse),
    b(M::Tree, K::Tab, A::FocusReader),
    b(M::Tree, K::Esc, A::FocusReader),
    // Search bar.
    b(M::Search, K::Enter, A::Submit),
    b(M::Search, K::Down, A::SelectNext),
    ctrl(M::Search, 'n', A::SelectNext),
    b(M::Search, K::Up, A::SelectPrev),
    ctrl(M::Search, 'p', A::SelectPrev),
    b(M::Search, K::PageDown, A::SelectPageDown),
    b(M::Search, K::PageUp, A::SelectPageUp),
    b(M::Search, K::Backspace, A::DeleteBack),
    ctrl(M::Search, 'w', A::DeleteWord),
    ctrl(M::Search, 'u', A::ClearInput),
    b(M::Search, K::Left, A::CursorLeft),
    b(M::Search, K::Right, A::CursorRight),
    b(M::Search, K::Home, A::CursorStart),
    ctrl(M::Search, 'a', A::CursorStart),
    b(M::Search, K::End, A::CursorEnd),
    ctrl(M::Search, 'e', A::CursorEnd),
    b(M::Search, K::Esc, A::Cancel),
    // Go to.
    b(M::GoTo, K::Enter, A::Submit),
    b(M::GoTo, K::Tab, A::Complete),
    b(M::GoTo, K::Down, A::SelectNext),
    ctrl(M::GoTo, 'n', A::SelectNext),
    b(M::GoTo, K::Up, A::SelectPrev),
    ctrl(M::GoTo, 'p', A::SelectPrev),
    b(M::GoTo, K::Backspace, A::DeleteBack),
    ctrl(M::GoTo, 'w', A::DeleteWord),
    ctrl(M::GoTo, 'u', A::ClearInput),
    b(M::GoTo, K::Left, A::CursorLeft),
    b(M::GoTo, K::Right, A::CursorRight),
    b(M::GoTo, K::Home, A::CursorStart),
    b(M::GoTo, K::End, A::CursorEnd),
    b(M::GoTo, K::Esc, A::Cancel),
    // Lists.
    b(M::List, K::Enter, A::OpenSelected),
    b(M::List, K::Down, A::SelectNext),
    b(M::List, K::Char('j'), A::SelectNext),
    b(M::List, K::Up, A::SelectPrev),
    b(M::List, K::Char('k'), A::SelectPrev),
    b(M::List, K::PageDown, A::SelectPageDown),
    b(M::List, K::PageUp, A::SelectPageUp),
    b(M::List, K::Home, A::SelectFirst),
    b(M::List, K::End, A::SelectLast),
    b(M::List, K::Char('d'), A::DeleteSelected),
    b(M::List, K::Delete, A::DeleteSelected),
    b(M::List, K::Esc, A::Cancel),
    b(M::List, K::Char('q'), A::Cancel),
    // Glossary, contacts and history.
    b(M::Pick, K::Enter, A::OpenSelected),
    b(M::Pick, K::Down, A::SelectNext),
    ctrl(M::Pick, 'n', A::SelectNext),
    b(M::Pick, K::Up, A::SelectPrev),
    ctrl(M::Pick, 'p', A::SelectPrev),
    b(M::Pick, K::PageDown, A::SelectPageDown),
    b(M::Pick, K::PageUp, A::SelectPageUp),
    b(M::Pick, K::Backspace, A::DeleteBack),
    ctrl(M::Pick, 'w', A::DeleteWord),
    ctrl(M::Pick, 'u', A::ClearInput),
    b(M::Pick, K::Left, A::CursorLeft),
    b(M::Pick, K::Right, A::CursorRight),
    b(M::Pick, K::Home, A::CursorStart),
    b(M::Pick, K::End, A::CursorEnd),
    b(M::Pick, K::Esc, A::Cancel),
    // Help.
    b(M::Help, K::Down, A::ScrollDown),
    b(M::Help, K::Char('j'), A::ScrollDown),
    b(M::Help, K::Up, A::ScrollUp),
    b(M::Help, K::Char('k'), A::ScrollUp),
    b(M::Help, K::PageDown, A::PageDown),
    b(M::Help, K::Char(' '), A::PageDown),
    b(M::Help, K::PageUp, A::PageUp),
    b(M::Help, K::Home, A::ScrollTop),
    b(M::Help, K::End, A::ScrollBottom),
    b(M::Help, K::Esc, A::Cancel),
    b(M::Help, K::Char('q'), A::Cancel),
    b(M::Help, K::Char('?'), A::Cancel),
    // A section's changes.
    b(M::Diff, K::Down, A::ScrollDown),
    b(M::Diff, K::Char('j'), A::ScrollDown),
    b(M::Diff, K::Up, A::ScrollUp),
    b(M::Diff, K::Char('k'), A::ScrollUp),
    b(M::Diff, K::PageDown, A::PageDown),
    b(M::Diff, K::Char(' '), A::PageDown),
    b(M::Diff, K::PageUp, A::PageUp),
    b(M::Diff, K::Home, A::ScrollTop),
    b(M::Diff, K::End, A::ScrollBottom),
    b(M::Diff, K::Char('w'), A::ShowChanges),
    b(M::Diff, K::Esc, A::Cancel),
    b(M::Diff, K::Char('q'), A::Cancel),
];

/// Modifiers that matter for matching: Shift is part of the character
/// itself for printable keys (`N`, `?`, `}`), and some terminals report it,
/// some don't.
fn normalise(code: KeyCode, mods: KeyModifiers) -> (KeyCode, KeyModifiers) {
    let mut m = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
        m.remove(KeyModifiers::SHIFT);
    }
    (code, m)
}

/// The action a key means in `mode`, if any.
pub fn action_for(mode: Mode, key: KeyEvent) -> Option<Action> {
    let (code, mods) = normalise(key.code, key.modifiers);
    let modes = std::iter::once(mode).chain(mode.fallbacks().iter().copied());
    for m in modes {
        if let Some(bnd) = BINDINGS
            .iter()
            .find(|bnd| bnd.mode == m && bnd.code == code && bnd.mods == mods)
        {
            return Some(bnd.action);
        }
    }
    match code {
        KeyCode::Char(c)
            if mode.takes_text() && !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// A key as the help shows it.
pub fn key_name(bnd: &Binding) -> String {
    let key = match bnd.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Delete".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if bnd.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{key}")
    } else if bnd.mods.contains(KeyModifiers::ALT) {
        format!("Alt-{key}")
    } else {
        key
    }
}

/// What an action does in a mode, for the help: a few actions mean
/// something more specific in one place.
pub fn describe_in(mode: Mode, action: Action) -> &'static str {
    match (mode, action) {
        (M::Reader, A::Cancel) => "unselect the link, then clear marks",
        (M::Search, A::Cancel) => "leave the search",
        (M::Search, A::Submit) => "open the selected result",
        (M::GoTo, A::Submit) => "open what was typed (or the chosen entry)",
        (M::GoTo | M::List | M::Pick | M::Help, A::Cancel) => "close",
        (M::Pick, A::OpenSelected) => "open its section (where defined, given or read)",
        (M::Diff, A::Cancel) => "close, back to the section",
        (M::Diff, A::ShowChanges) => "back to the list of changes",
        _ => describe(action),
    }
}

/// What an action does, for the help.
pub fn describe(action: Action) -> &'static str {
    match action {
        A::ScrollDown => "scroll down a line",
        A::ScrollUp => "scroll up a line",
        A::PageDown => "scroll down a screen",
        A::PageUp => "scroll up a screen",
        A::ScrollTop => "to the top",
        A::ScrollBottom => "to the end",
        A::NextLink => "select the next link",
        A::PrevLink => "select the previous link",
        A::FollowLink => "follow the selected link",
        A::NextMatch => "next searched word",
        A::PrevMatch => "previous searched word",
        A::SelectNext => "next entry",
        A::SelectPrev => "previous entry",
        A::SelectPageDown => "a page of entries down",
        A::SelectPageUp => "a page of entries up",
        A::SelectFirst => "first entry",
        A::SelectLast => "last entry",
        A::OpenSelected => "open the selected entry",
        A::Expand => "expand (or step in)",
        A::Collapse => "collapse (or step out)",
        A::DeleteSelected => "remove the selected bookmark",
        A::Back => "back (like a browser)",
        A::Forward => "forward",
        A::NextSection => "next section in reading order",
        A::PrevSection => "previous section",
        A::NextChapter => "next chapter",
        A::PrevChapter => "previous chapter",
        A::Open(_) => "open",
        A::ToggleTree => "show or hide the contents",
        A::FocusTree => "go to the contents",
        A::FocusReader => "go to the reader",
        A::FocusSearch => "search as you type",
        A::GoTo => "go to a number or citation (B24.8, A3.4.22, part b chapter 24)",
        A::Input(_) => "type",
        A::DeleteBack => "delete a character",
        A::DeleteWord => "delete a word",
        A::ClearInput => "clear",
        A::CursorLeft => "cursor left",
        A::CursorRight => "cursor right",
        A::CursorStart => "cursor to the start",
        A::CursorEnd => "cursor to the end",
        A::Submit => "open the selected result / what was typed",
        A::Complete => "complete the id",
        A::Cancel => "close / clear marks",
        A::ToggleBookmark => "bookmark this section (or remove the bookmark)",
        A::ShowBookmarks => "list bookmarks",
        A::ShowIncoming => "list the sections that cite this one",
        A::ShowGlossary => "the glossary: acronyms both ways (type to filter)",
        A::ShowContacts => "phone numbers, e-mail and web addresses (type to filter)",
        A::ShowHistory => "the sections visited, newest first",
        A::CopyReference => "copy the reference (id, title, page)",
        A::ShowChanges => "list what changed since the previous edition",
        A::ShowHelp => "this help",
        A::Click { .. } => "click",
        A::Wheel { .. } => "scroll",
        A::Resize(..) => "resize",
        A::MeaningReady => "merge the results found by meaning",
        A::Quit => "quit",
    }
}

/// The help screen's lines: a heading per mode, then one line per action
/// with all its keys. Generated from [`BINDINGS`].
pub fn help_lines() -> Vec<(Option<&'static str>, String, &'static str)> {
    const ORDER: [Mode; 10] = [
        M::Main,
        M::Reader,
        M::Tree,
        M::Search,
        M::GoTo,
        M::List,
        M::Pick,
        M::Diff,
        M::Help,
        M::Any,
    ];
    let mut out = Vec::new();
    for mode in ORDER {
        out.push((Some(mode.title()), String::new(), ""));
        let mut seen: Vec<Action> = Vec::new();
        for bnd in BINDINGS.iter().filter(|x| x.mode == mode) {
            if seen.contains(&bnd.action) {
                continue;
            }
            seen.push(bnd.action);
            let keys: Vec<String> = BINDINGS
                .iter()
                .filter(|x| x.mode == mode && x.action == bnd.action)
                .map(key_name)
                .collect();
            out.push((None, keys.join(" "), describe_in(mode, bnd.action)));
        }
        if mode == M::Main {
            out.push((
                None,
                "mouse".into(),
                "wheel scrolls; click entries, results and links",
            ));
            out.push((
                None,
                "setproc open B24.8".into(),
                "start at a number (or A3.4.22, 'part b chapter 24')",
            ));
        }
    }
    out
}

/// The key table as markdown, for the README (generated like the help,
/// so the two can't disagree).
pub fn markdown() -> String {
    let mut out = String::new();
    for (heading, keys, desc) in help_lines() {
        match heading {
            Some(h) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("**{h}**\n\n| Keys | |\n| --- | --- |\n"));
            }
            None => {
                let keys: Vec<String> = if keys.contains("setproc") {
                    vec![format!("`{keys}`")]
                } else {
                    keys.split(' ').map(|k| format!("`{k}`")).collect()
                };
                out.push_str(&format!("| {} | {desc} |\n", keys.join(" ")));
            }
        }
    }
    out
}

/// Short key hints for the status line in `mode`: (keys, label).
pub fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    let wanted: &[(Action, &str)] = match mode {
        M::Tree => &[
            (A::OpenSelected, "open"),
            (A::FocusSearch, "search"),
            (A::GoTo, "go to"),
            (A::ToggleTree, "hide contents"),
            (A::ShowHelp, "keys"),
            (A::Quit, "quit"),
        ],
        M::Reader => &[
            (A::FocusSearch, "search"),
            (A::GoTo, "go to"),
            (A::NextLink, "links"),
            (A::FollowLink, "follow"),
            (A::Back, "back"),
            (A::NextSection, "next"),
            (A::ToggleTree, "contents"),
            (A::ShowHelp, "keys"),
            (A::Quit, "quit"),
        ],
        M::Search => &[
            (A::SelectNext, "choose"),
            (A::Submit, "open"),
            (A::Cancel, "leave search"),
        ],
        M::GoTo => &[
            (A::Complete, "complete"),
            (A::Submit, "open"),
            (A::Cancel, "cancel"),
        ],
        M::List => &[
            (A::OpenSelected, "open"),
            (A::SelectNext, "choose"),
            (A::Cancel, "close"),
        ],
        M::Pick => &[
            (A::OpenSelected, "open"),
            (A::SelectNext, "choose"),
            (A::Cancel, "close"),
        ],
        M::Help => &[(A::ScrollDown, "scroll"), (A::Cancel, "close")],
        M::Diff => &[
            (A::ScrollDown, "scroll"),
            (A::ShowChanges, "list"),
            (A::Cancel, "close"),
        ],
        M::Main | M::Any => &[],
    };
    wanted
        .iter()
        .filter_map(|(action, label)| {
            let modes = std::iter::once(mode)
                .chain(mode.fallbacks().iter().copied())
                .collect::<Vec<_>>();
            let keys: Vec<String> = modes
                .iter()
                .flat_map(|m| {
                    BINDINGS
                        .iter()
                        .filter(move |x| x.mode == *m && x.action == *action)
                })
                .take(1)
                .map(key_name)
                .collect();
            (!keys.is_empty()).then(|| (keys.join("/"), *label))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, mods, KeyEventKind::Press)
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for (i, x) in BINDINGS.iter().enumerate() {
            for y in &BINDINGS[i + 1..] {
                assert!(
                    !(x.mode == y.mode && x.code == y.code && x.mods == y.mods),
                    "{:?} {:?} bound twice",
                    x.mode,
                    x.code
                );
            }
        }
    }

    #[test]
    fn keys_mean_what_the_issue_says() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            action_for(M::Reader, key(K::Char('j'), none)),
            Some(A::ScrollDown)
        );
        assert_eq!(action_for(M::Reader, key(K::Tab, none)), Some(A::NextLink));
        assert_eq!(
            action_for(M::Reader, key(K::BackTab, KeyModifiers::SHIFT)),
            Some(A::PrevLink)
        );
        assert_eq!(
            action_for(M::Reader, key(K::Backspace, none)),
            Some(A::Back)
        );
        assert_eq!(
            action_for(M::Tree, key(K::Char('}'), KeyModifiers::SHIFT)),
            Some(A::NextChapter)
        );
        assert_eq!(
            action_for(M::Reader, key(K::Char('N'), KeyModifiers::SHIFT)),
            Some(A::PrevMatch)
        );
        assert_eq!(
            action_for(M::Reader, key(K::Char('q'), none)),
            Some(A::Quit)
        );
        assert_eq!(
            action_for(M::Search, key(K::Char('q'), none)),
            Some(A::Input('q'))
        );
        assert_eq!(
            action_for(M::Search, key(K::Char('c'), KeyModifiers::CONTROL)),
            Some(A::Quit)
        );
        assert_eq!(
            action_for(M::Search, key(K::Char('n'), KeyModifiers::CONTROL)),
            Some(A::SelectNext)
        );
        assert_eq!(
            action_for(M::Search, key(K::Backspace, none)),
            Some(A::DeleteBack)
        );
        assert_eq!(
            action_for(M::GoTo, key(K::Char('B'), KeyModifiers::SHIFT)),
            Some(A::Input('B'))
        );
        assert_eq!(action_for(M::Help, key(K::Char('/'), none)), None);
        assert_eq!(
            action_for(M::Tree, key(K::Char('a'), none)),
            Some(A::ShowGlossary)
        );
        assert_eq!(
            action_for(M::Reader, key(K::Char('L'), KeyModifiers::SHIFT)),
            Some(A::ShowHistory)
        );
        // In a pick list, letters filter.
        assert_eq!(
            action_for(M::Pick, key(K::Char('q'), none)),
            Some(A::Input('q'))
        );
    }

    #[test]
    fn help_lists_every_binding() {
        let lines = help_lines();
        let text: String = lines.iter().map(|(_, k, d)| format!("{k} {d}\n")).collect();
        for bnd in BINDINGS {
            assert!(
                text.contains(&key_name(bnd)),
                "{:?} missing from help",
                bnd.code
            );
            assert!(text.contains(describe_in(bnd.mode, bnd.action)));
        }
        assert!(!hints(M::Reader).is_empty());
        assert!(markdown().contains("| `Tab` | select the next link |"));
    }
}
