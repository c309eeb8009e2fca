//! Where citations are looked for: the texts of a block (paragraph,
//! heading, list item, table cell) and the source line of each position.

use crate::manual::document::Block;
/// One searchable text of a block with what is needed to locate a citation.
pub(super) struct TextUnit<'a> {
    pub(super) item: usize,
    pub(super) text: &'a str,
    pub(super) lines: LineMap<'a>,
}

pub(super) enum LineMap<'a> {
    /// Source lines joined into one text (a paragraph or list item).
    Joined(&'a [usize]),
    /// A single source line.
    Single(usize),
    /// Free text given to [`resolve_text`]: count its own lines.
    Free,
}

impl TextUnit<'_> {
    /// The 1-based source line holding byte `pos` of the text.
    ///
    /// The parser joins consecutive source lines with '\n' and lines split
    /// by a page break with ' '. When every join is a '\n' the mapping is
    /// exact. A ' ' join cannot be told from an ordinary space, so otherwise
    /// the line is estimated by the position's share of the text (assuming
    /// equally long lines); the integration test measures how often this
    /// lands on the right line.
    pub(super) fn line_at(&self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        match self.lines {
            LineMap::Single(l) => l,
            LineMap::Free => 1 + self.text[..pos].matches('\n').count(),
            LineMap::Joined(lines) => {
                let Some(&last) = lines.last() else {
                    return 0;
                };
                let breaks = self.text.matches('\n').count();
                if lines.len() == breaks + 1 {
                    return lines[self.text[..pos].matches('\n').count()];
                }
                let idx = pos * lines.len() / self.text.len().max(1);
                lines.get(idx).copied().unwrap_or(last)
            }
        }
    }
}

/// The texts of a block: a paragraph's or heading's text, each list item,
/// each table cell.
pub(super) fn text_units(block: &Block) -> Vec<TextUnit<'_>> {
    match block {
        Block::Para { text, lines, .. } => vec![TextUnit {
            item: 0,
            text,
            lines: LineMap::Joined(lines),
        }],
        Block::Heading { text, line } => vec![TextUnit {
            item: 0,
            text,
            lines: LineMap::Single(*line),
        }],
        Block::List { items } => items
            .iter()
            .enumerate()
            .map(|(k, i)| TextUnit {
                item: k,
                text: &i.text,
                lines: LineMap::Joined(&i.lines),
            })
            .collect(),
        Block::Table { rows, lines } => {
            let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let row_lines = table_row_lines(rows.len(), lines);
            let mut units = Vec::new();
            for (r, row) in rows.iter().enumerate() {
                let line = row_lines.get(r).copied().unwrap_or(0);
                for (c, cell) in row.iter().enumerate() {
                    units.push(TextUnit {
                        item: r * width + c,
                        text: cell,
                        lines: LineMap::Single(line),
                    });
                }
            }
            units
        }
    }
}

/// The source line of each table row.
///
/// Every row comes from one line, but when a table runs over a page break
/// the parser drops the repeated header row while keeping its line, so a
/// table can have more lines than rows. A dropped header always follows a
/// page break, which shows as a gap in the line numbers (blank lines, the
/// running header); the widest gaps are taken to hold the dropped headers.
pub(super) fn table_row_lines(rows: usize, lines: &[usize]) -> Vec<usize> {
    let extra = lines.len().saturating_sub(rows);
    if extra == 0 {
        return lines.to_vec();
    }
    let mut gaps: Vec<(usize, usize)> = (1..lines.len())
        .map(|i| (lines[i].saturating_sub(lines[i - 1]), i))
        .filter(|(gap, _)| *gap > 1)
        .collect();
    // Widest first; among equals the later one (headers repeat page after page).
    gaps.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let dropped: Vec<usize> = gaps.iter().take(extra).map(|(_, i)| *i).collect();
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(_, l)| *l)
        .collect()
}
