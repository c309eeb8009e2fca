//! Drawing the pick lists (glossary, contacts, history): the typed filter
//! on the first line, then two lines an entry, the selection reversed.
//! Reads the state only, like the rest of the view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

use super::{Entry, draw_entry, draw_prompt, popup};
use crate::text::markup::terminal_safe;
use crate::tui::app::{App, Overlay, PickKind};
use crate::tui::layout::pick_layout;

pub(super) fn draw_pick(frame: &mut Frame, app: &App, body: Rect) {
    let Overlay::Pick(pick) = &app.overlay else {
        return;
    };
    let (r, inner, list, offset) = pick_layout(body, pick.selected);
    let what = match pick.kind {
        PickKind::Glossary => "Glossary",
        PickKind::Contacts => "Contacts",
        PickKind::History => "History",
    };
    let title = format!(
        "{what}: {} of {} {} (type to filter, Enter opens)",
        pick.shown.len(),
        pick.items.len(),
        pick.kind.noun()
    );
    popup(frame, r, &title);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    draw_prompt(frame, &pick.input, inner);
    if pick.shown.is_empty() {
        if list.height > 0 {
            let msg = format!(
                "  Nothing holds “{}”",
                terminal_safe(pick.input.text.trim())
            );
            frame.render_widget(
                Line::styled(msg, Style::default().add_modifier(Modifier::DIM)),
                Rect::new(list.x, list.y, list.width, 1),
            );
        }
        return;
    }
    let key_width = match pick.kind {
        PickKind::Contacts => 16,
        _ => 10,
    };
    let rows = (list.height as usize / 2).max(1);
    for (k, item) in (offset..pick.shown.len())
        .filter_map(|k| pick.shown_item(k).map(|i| (k, i)))
        .take(rows)
    {
        let entry = Entry {
            key: &format!("{:<key_width$} ", item.key),
            title: &item.title,
            detail: &format!("  {}", item.detail),
            selected: k == pick.selected,
        };
        draw_entry(frame, list, list.y + ((k - offset) * 2) as u16, &entry);
    }
}
