//! Wrapping styled pieces of text to a width, by unicode width, keeping
//! words whole where they fit.

use unicode_width::UnicodeWidthChar;

use super::{Seg, SegStyle};

/// A piece of inline text waiting to be wrapped.
pub(super) type Piece = (String, SegStyle);

/// A word for wrapping: fragments (a word can change style mid-way, as in
/// `**3.4.22**` or `(see [x](y))`), its width, and the style of the space
/// before it.
pub(super) struct Word {
    pub(super) frags: Vec<Seg>,
    pub(super) width: usize,
    pub(super) space: Option<SegStyle>,
    pub(super) hard_break: bool,
}

/// Splits pieces into words. A hard break becomes a marker word.
pub(super) fn words(pieces: &[Piece]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut cur: Option<Word> = None;
    let mut pending_space: Option<SegStyle> = None;
    for (text, style) in pieces {
        if text == "\n" && style.code {
            // Hard break marker (see `HARD_BREAK`).
            if let Some(w) = cur.take() {
                out.push(w);
            }
            out.push(Word {
                frags: Vec::new(),
                width: 0,
                space: None,
                hard_break: true,
            });
            pending_space = None;
            continue;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                if let Some(w) = cur.take() {
                    out.push(w);
                }
                if pending_space.is_none() {
                    pending_space = Some(*style);
                }
                continue;
            }
            let w = cur.get_or_insert_with(|| Word {
                frags: Vec::new(),
                width: 0,
                space: pending_space.take(),
                hard_break: false,
            });
            match w.frags.last_mut() {
                Some(seg) if seg.style == *style => seg.text.push(c),
                _ => w.frags.push(Seg {
                    text: c.to_string(),
                    style: *style,
                }),
            }
            w.width += c.width().unwrap_or(0);
        }
    }
    if let Some(w) = cur.take() {
        out.push(w);
    }
    out
}

/// A hard line break travels through the pieces as this (a newline can't
/// otherwise appear: text is split on whitespace).
pub(super) const HARD_BREAK: (&str, SegStyle) = (
    "\n",
    SegStyle {
        bold: false,
        italic: false,
        heading: 0,
        link: None,
        para_num: false,
        dim: false,
        note: false,
        code: true,
    },
);

pub(super) fn push_seg(line: &mut Vec<Seg>, text: &str, style: SegStyle) {
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => line.push(Seg {
            text: text.to_string(),
            style,
        }),
    }
}

/// Greedy word wrap of `pieces` to `width` columns (at least one). Words
/// longer than a line are broken between characters.
pub fn wrap(pieces: &[Piece], width: usize) -> Vec<Vec<Seg>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Seg>> = Vec::new();
    let mut line: Vec<Seg> = Vec::new();
    let mut used = 0usize;
    for word in words(pieces) {
        if word.hard_break {
            lines.push(std::mem::take(&mut line));
            used = 0;
            continue;
        }
        if used > 0 && used + 1 + word.width <= width {
            let space_style = word.space.unwrap_or_default();
            // Only a space inside one link keeps the link's style, so
            // underlines don't bridge two different things.
            let keep = space_style.link.is_some()
                && word.frags.first().map(|f| f.style.link) == Some(space_style.link);
            let style = if keep {
                space_style
            } else {
                SegStyle::default()
            };
            push_seg(&mut line, " ", style);
            used += 1;
        } else if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if word.width <= width - used {
            for f in &word.frags {
                push_seg(&mut line, &f.text, f.style);
            }
            used += word.width;
            continue;
        }
        // Too long for any line: break it by characters.
        for f in &word.frags {
            for c in f.text.chars() {
                let cw = c.width().unwrap_or(0);
                if used > 0 && used + cw > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                let mut buf = [0u8; 4];
                push_seg(&mut line, c.encode_utf8(&mut buf), f.style);
                used += cw;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
