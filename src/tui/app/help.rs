//! The key help window.

use super::Overlay;
use crate::tui::App;
use crate::tui::action::Action;

impl App<'_> {
    pub(super) fn update_help(&mut self, action: Action) {
        let Overlay::Help { scroll } = &mut self.overlay else {
            return;
        };
        let len = crate::tui::keys::help_lines().len();
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
}
