//! A line of text being edited (search bar, go-to prompt), with a cursor
//! and the editing actions.

use super::MAX_INPUT;
use crate::tui::action::Action;

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
    pub(super) fn apply(&mut self, action: Action) -> bool {
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

    pub(super) fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
        self.replace = false;
    }
}
