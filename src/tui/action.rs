//! What the reader can be asked to do ([`Action`]) and what it asks the
//! event loop to do for it ([`Effect`]). Keys and the mouse map to
//! actions; only [`super::app::update`] gives them meaning, so this module
//! depends on nothing else of the reader's.

use crate::store::lookup::Target;

/// Every user intent. Keys ([`super::keys`]) and the mouse map to these;
/// [`super::app::update`] gives each its meaning in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // Reading.
    /// One line down in the reader (or help).
    ScrollDown,
    ScrollUp,
    /// One screen down.
    PageDown,
    PageUp,
    /// Top of the section.
    ScrollTop,
    ScrollBottom,
    /// Select the next link on screen (scrolling to it if it is below).
    NextLink,
    PrevLink,
    /// Follow the selected link.
    FollowLink,
    /// Jump to the next occurrence of the searched words in this section.
    NextMatch,
    PrevMatch,

    // Lists: the contents tree, search results, bookmarks, references, go-to
    // completions.
    SelectNext,
    SelectPrev,
    SelectPageDown,
    SelectPageUp,
    SelectFirst,
    SelectLast,
    /// Open the selected contents entry, result, bookmark or reference.
    OpenSelected,
    /// Expand the selected contents entry (or step into it).
    Expand,
    /// Collapse it (or step out to its parent).
    Collapse,
    /// Remove the selected bookmark.
    DeleteSelected,

    // Moving around the manual.
    /// Back in history, like a browser.
    Back,
    Forward,
    /// Next node in reading order.
    NextSection,
    PrevSection,
    NextChapter,
    PrevChapter,
    /// Open a target (the start position, or a test).
    Open(Target),

    // Panes.
    /// Show or hide the contents tree.
    ToggleTree,
    FocusTree,
    FocusReader,

    // Text input (search bar and go-to prompt).
    /// Focus the search bar.
    FocusSearch,
    /// Open the go-to prompt.
    GoTo,
    /// A typed character.
    Input(char),
    DeleteBack,
    DeleteWord,
    ClearInput,
    CursorLeft,
    CursorRight,
    CursorStart,
    CursorEnd,
    /// Enter in a prompt: open what it names.
    Submit,
    /// Complete the go-to prompt to the selected candidate.
    Complete,
    /// Esc: leave the prompt, close the overlay, clear marks.
    Cancel,

    // Other commands.
    ToggleBookmark,
    ShowBookmarks,
    /// List the sections that cite this one.
    ShowIncoming,
    /// List the manual's acronyms, filtered as you type.
    ShowGlossary,
    /// List the phone numbers, e-mail and web addresses it gives.
    ShowContacts,
    /// List the sections visited, newest first.
    ShowHistory,
    /// Copy "B24.8 Title (SET Procedures, June 2025, p. 443)".
    CopyReference,
    /// List what changed since the previous edition (and, from a section's
    /// changes, back to that list).
    ShowChanges,
    ShowHelp,

    // Mouse and terminal.
    Click {
        col: u16,
        row: u16,
    },
    Wheel {
        col: u16,
        row: u16,
        down: bool,
    },
    Resize(u16, u16),
    /// A query's vector has come from the embedding thread: merge what
    /// the meaning layer finds into the results shown.
    MeaningReady,
    Quit,
}

/// Work for the event loop: things `update` must not do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Write bookmarks and the last position to disk.
    SaveState,
    /// Make the vector of this text (a query's [`crate::search::Engine::meaning_text`]),
    /// off the keystroke's path.
    Embed(String),
}
