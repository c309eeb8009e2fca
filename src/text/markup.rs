//! Small, pure text helpers shared by the parser, the content writer and the
//! search: inline markdown clean-up, title normalisation, plain-text
//! extraction and terminal-safe output.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Cleans one line of the manual's inline markdown: dead links `[text](#)`
/// become their text (the PDF's internal links lead nowhere), real links
/// stay, runs of whitespace collapse to one space.
pub fn clean_inline(s: &str) -> String {
    let s = s.trim();
    if !s.contains("](#)") && !s.contains("  ") && !s.contains('\u{a0}') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(end) = rest.find("](#)") {
        match link_text_start(&rest[..end]) {
            Some(open) => {
                out.push_str(&rest[..open]);
                out.push_str(&rest[open + 1..end]);
            }
            None => out.push_str(&rest[..end + 1]),
        }
        rest = &rest[end + 4..];
    }
    out.push_str(rest);
    collapse_spaces(&out)
}

/// Index of the `[` that opens the link text ending at the end of `s`,
/// honouring nested and escaped brackets.
fn link_text_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        match bytes[i] {
            b']' if !escaped => depth += 1,
            b'[' if !escaped => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c == ' ' || c == '\u{a0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A title reduced for comparison: plain text, lower case, `&` read as
/// "and", punctuation dropped, single spaces.
pub fn normalize_title(s: &str) -> String {
    fold_words(&plain_inline(s))
}

/// Plain text reduced to lower-case words separated by single spaces, with
/// `&` read as "and".
pub fn fold_words(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len());
    for word in plain
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        if word == "&" {
            out.push_str("and");
        } else {
            for c in word.chars() {
                if c == '&' {
                    continue;
                }
                out.extend(c.to_lowercase());
            }
        }
    }
    out.replace("  ", " ")
}

/// Keeps a line of prose from being read as markdown block syntax
/// (`1. ` or `1) ` ordered list, `# ` heading, `> ` quote, `+ ` bullet).
pub fn escape_block_start(s: &str, escape_numbers: bool) -> String {
    let t = s.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if escape_numbers && digits > 0 && digits <= 9 && t[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &t[..digits], &t[digits..]);
    }
    if t.starts_with(['#', '>', '+', '=', '|']) || t.starts_with("- ") || t.starts_with("* ") {
        return format!("\\{t}");
    }
    t.to_string()
}

/// The plain text of inline markdown: emphasis and link syntax removed,
/// escapes resolved. Hard line breaks become newlines.
pub fn plain_inline(md: &str) -> String {
    let classes = classes_in(md.as_bytes());
    if classes & MARKUP == 0 {
        return md.to_string();
    }
    // Most of the manual's sentences hold a full stop or a dash and nothing
    // markdown would act on: what the parser would give, without parsing it
    // (parsing was a third of mining the vocabulary).
    if classes & INLINE == 0
        && let Some(plain) = plain_line_start(md)
    {
        return plain.to_string();
    }
    plain_inline_parsed(md)
}

/// Byte classes for the scans of [`plain_inline`] and [`plain_line`]
/// (bytes, not chars: every byte sought is ASCII).
const INLINE: u8 = 1;
const MARKUP: u8 = 2;

const CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let inline = b"[*_\\`<&\n\r\0";
    let mut i = 0;
    while i < inline.len() {
        t[inline[i] as usize] |= INLINE;
        i += 1;
    }
    let markup = b"[*_\\`<&#>).+-=|";
    let mut i = 0;
    while i < markup.len() {
        t[markup[i] as usize] |= MARKUP;
        i += 1;
    }
    t
};

/// The classes of every byte of `bytes`, or-ed: a table lookup a byte
/// without a branch (a byte-by-byte `match` was a visible share of a
/// build). Unrolling it by hand, eight bytes a step, saved 0.6 ms of a
/// ~90 ms build (three alternating runs of 61 rounds; 0.2 % of its
/// instructions): not kept.
fn classes_in(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |all, &b| all | CLASSES[b as usize])
}

/// `md` as its own plain text, if it is one line with no inline syntax and
/// no block syntax at its start (a test holds this to the parser's answer
/// over the whole manual and random text).
fn plain_line(md: &str) -> Option<&str> {
    if classes_in(md.as_bytes()) & INLINE != 0 {
        return None;
    }
    plain_line_start(md)
}

/// [`plain_line`] once `md` is known to hold no inline syntax.
fn plain_line_start(md: &str) -> Option<&str> {
    let t = md.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if t.starts_with(['#', '>', '+', '=', '|', '-', '~'])
        || (digits > 0 && t[digits..].starts_with(['.', ')']))
    {
        return None;
    }
    Some(t.trim_end_matches([' ', '\t']))
}

/// The plain text [`markdown_to_text`] makes of inline markdown standing
/// as a paragraph of its own: as [`plain_inline`], with raw HTML dropped.
pub fn inline_text(md: &str) -> String {
    if let Some(plain) = plain_line(md) {
        return plain.to_string();
    }
    parsed_inline(md, false)
}

/// [`inline_text`] appended to `out` (no new string for a plain line).
pub fn push_inline_text(out: &mut String, md: &str) {
    match plain_line(md) {
        Some(plain) => out.push_str(plain),
        None => out.push_str(&parsed_inline(md, false)),
    }
}

/// [`plain_inline`] by the markdown parser.
fn plain_inline_parsed(md: &str) -> String {
    parsed_inline(md, true)
}

/// The text of inline markdown by the markdown parser, raw HTML kept or
/// dropped.
fn parsed_inline(md: &str, keep_html: bool) -> String {
    let mut out = String::with_capacity(md.len());
    // Inline text only: never let it start a list, heading or quote.
    let md = escape_block_start(md, true);
    for ev in Parser::new(&md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Html(h) | Event::InlineHtml(h) if keep_html => out.push_str(&h),
            _ => {}
        }
    }
    out
}

/// Markdown as plain text: headings and paragraphs separated by blank
/// lines, list items bulleted and indented, table cells separated by ` | `,
/// anchors and link targets dropped.
pub fn markdown_to_text(md: &str) -> String {
    use pulldown_cmark::Options;
    let mut out = String::with_capacity(md.len());
    let mut depth = 0usize;
    let mut first_cell = true;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    while !out.ends_with("\n\n") {
                        out.push('\n');
                    }
                }
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(depth.saturating_sub(1)));
                out.push_str("• ");
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                out.push_str(if depth > 0 { "" } else { "\n\n" });
            }
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => first_cell = true,
            Event::Start(Tag::TableCell) => {
                if !first_cell {
                    out.push_str(" | ");
                }
                first_cell = false;
            }
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::Table) => out.push('\n'),
            _ => {}
        }
    }
    let trimmed = out.trim_end().to_string();
    trimmed + "\n"
}

/// Binary search over a sorted text of lines for the line whose first
/// field (up to a tab, or the whole line) is `key`, without splitting the
/// text first. Returns the byte range of the line. Lines must be sorted by
/// that field in byte order.
pub fn find_line<'a>(sorted: &'a str, key: &str) -> Option<&'a str> {
    let start = lower_bound_line(sorted, key);
    let line = sorted[start..].lines().next()?;
    (first_field(line) == key).then_some(line)
}

/// Byte offset of the first line whose first field is `>= key`.
pub fn lower_bound_line(sorted: &str, key: &str) -> usize {
    let bytes = sorted.as_bytes();
    let (mut lo, mut hi) = (0usize, bytes.len());
    // Invariant: lines starting before `lo` are < key; `hi` is a line
    // start (or the end) whose line is >= key.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // The start of the line holding `mid`.
        let line_start = bytes[..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line_start = line_start.max(lo);
        let line_end = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| line_start + i);
        let field = first_field(&sorted[line_start..line_end]);
        if field < key {
            lo = (line_end + 1).min(bytes.len());
        } else {
            hi = line_start;
        }
    }
    lo
}

fn first_field(line: &str) -> &str {
    line.split('\t').next().unwrap_or(line)
}

/// Text fit for a terminal: control characters (escape sequences, bells,
/// carriage returns) and bidi controls (which reorder what follows them:
/// the "Trojan Source" trick) are replaced; tabs become spaces.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_unprintable(c) && c != '\n') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' => '\n',
                '\t' => ' ',
                c if is_unprintable(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// A character that acts on a terminal rather than printing: a C0 or C1
/// control, or a bidi control.
pub fn is_unprintable(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidi embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069): invisible, they reverse or reorder the text after them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every inline text of the manual: titles, paragraphs, list items,
    /// sub-headings and table cells.
    fn manual_inline_texts() -> Vec<String> {
        use crate::manual::document::Block;
        let doc = crate::manual::parse::parse(crate::store::library::EMBEDDED_SOURCE).unwrap();
        let mut out = Vec::new();
        for n in &doc.nodes {
            out.push(n.title.clone());
            for b in &n.blocks {
                match b {
                    Block::Para { text, .. } | Block::Heading { text, .. } => {
                        out.push(text.clone())
                    }
                    Block::List { items } => out.extend(items.iter().map(|i| i.text.clone())),
                    Block::Table { rows, .. } => out.extend(rows.iter().flatten().cloned()),
                }
            }
        }
        out
    }

    #[test]
    fn plain_lines_are_what_the_parser_would_make_of_them_over_the_manual() {
        let texts = manual_inline_texts();
        let mut unparsed = 0;
        for t in &texts {
            if let Some(fast) = plain_line(t) {
                unparsed += 1;
                assert_eq!(fast, plain_inline_parsed(t), "{t:?}");
            }
        }
        // The shortcut is taken for most of them, or it is not worth having.
        assert!(unparsed * 2 > texts.len(), "{unparsed} of {}", texts.len());
    }

    proptest::proptest! {
        #[test]
        fn plain_lines_are_what_the_parser_would_make_of_them(
            t in "[ a-z0-9.,;:()'\"!?#>+=|~*_\\`<&\\[\\]\t\u{a0}-]{0,24}"
        ) {
            if let Some(fast) = plain_line(&t) {
                proptest::prop_assert_eq!(fast, plain_inline_parsed(&t));
            }
        }
    }

    #[test]
    fn terminal_safe_replaces_escapes_and_bidi_controls() {
        assert_eq!(
            terminal_safe("a\u{1b}[31mb\u{202e}c\u{2066}d\te\nf"),
            "a\u{fffd}[31mb\u{fffd}c\u{fffd}d e\nf"
        );
        // Right-to-left text itself is fine; only the controls go.
        assert_eq!(terminal_safe("שלום"), "שלום");
        assert!(matches!(
            terminal_safe("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn byte_classes_are_the_syntax_bytes() {
        for b in 0..=255u8 {
            let inline = matches!(
                b,
                b'[' | b'*' | b'_' | b'\\' | b'`' | b'<' | b'&' | b'\n' | b'\r' | b'\0'
            );
            let markup = matches!(
                b,
                b'[' | b'*'
                    | b'_'
                    | b'\\'
                    | b'`'
                    | b'<'
                    | b'&'
                    | b'#'
                    | b'>'
                    | b')'
                    | b'.'
                    | b'+'
                    | b'-'
                    | b'='
                    | b'|'
            );
            assert_eq!(CLASSES[b as usize] & INLINE != 0, inline, "{b}");
            assert_eq!(CLASSES[b as usize] & MARKUP != 0, markup, "{b}");
        }
        assert_eq!(classes_in(b"plain words only, here"), 0);
        assert_eq!(classes_in(b"0123456789 and then a full stop."), MARKUP);
        assert_eq!(classes_in(b"a line\nbreak"), INLINE);
    }

    #[test]
    fn dead_links_become_text_real_links_stay() {
        assert_eq!(
            clean_inline("see [Working Together](#) (2023)"),
            "see Working Together (2023)"
        );
        assert_eq!(
            clean_inline("[United Nations \\(UNCRC\\)](#). Next"),
            "United Nations \\(UNCRC\\). Next"
        );
        assert_eq!(
            clean_inline("[Hideout](http://thehideout.org.uk/) and [x](#)"),
            "[Hideout](http://thehideout.org.uk/) and x"
        );
        assert_eq!(
            clean_inline("[\\), Odd | Text](#) rest"),
            "\\), Odd | Text rest"
        );
        assert_eq!(clean_inline("no link](#) here"), "no link] here");
    }

    #[test]
    fn titles_normalise() {
        assert_eq!(
            normalize_title("Sharing Information & Consent"),
            "sharing information and consent"
        );
        assert_eq!(
            normalize_title("[Children Act 2004](#)"),
            "children act 2004"
        );
        assert_eq!(
            normalize_title("Unaccompanied Asylum Seeking Children:"),
            "unaccompanied asylum seeking children"
        );
        assert_eq!(
            normalize_title("Children’s Workforce"),
            "children s workforce"
        );
    }

    #[test]
    fn prose_that_looks_like_block_syntax_is_escaped() {
        assert_eq!(escape_block_start("1. Not a list", true), "1\\. Not a list");
        assert_eq!(
            escape_block_start("# not a heading", true),
            "\\# not a heading"
        );
        assert_eq!(plain_inline("1) That the person"), "1) That the person");
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(plain_inline("**Stage One:** Direct"), "Stage One: Direct");
        assert_eq!(plain_inline("a [link](http://x) \\(b\\)"), "a link (b)");
    }

    #[test]
    fn markdown_as_plain_text() {
        let md = "# 3.4 Title\n\n<a id=\"a3-4-1\"></a>**3.4.1** Text [link](B1.md).\n\n- One\n  - Two\n\n| a | b |\n| --- | --- |\n| c | d |\n";
        assert_eq!(
            markdown_to_text(md),
            "3.4 Title\n\n3.4.1 Text link.\n\n• One\n  • Two\n\na | b\nc | d\n"
        );
    }

    #[test]
    fn binary_search_over_sorted_lines() {
        let text = "apple\t3\nbanana\t1\ncherry\t2\ncherrypie\t5\n";
        assert_eq!(find_line(text, "banana"), Some("banana\t1"));
        assert_eq!(find_line(text, "cherry"), Some("cherry\t2"));
        assert_eq!(find_line(text, "apple"), Some("apple\t3"));
        assert_eq!(find_line(text, "cherrypie"), Some("cherrypie\t5"));
        assert_eq!(find_line(text, "blueberry"), None);
        assert_eq!(find_line(text, "zzz"), None);
        assert_eq!(find_line("", "a"), None);
        assert_eq!(&text[lower_bound_line(text, "ch")..][..6], "cherry");
        let words = "a\nab\nb\n";
        assert_eq!(find_line(words, "ab"), Some("ab"));
        assert_eq!(find_line(words, "b"), Some("b"));
    }

    #[test]
    fn terminal_output_has_no_control_characters() {
        let s = terminal_safe("red \u{1b}[31m bell \u{7} cr \r tab\t");
        assert!(!s.chars().any(|c| c.is_control()));
        assert_eq!(terminal_safe("plain"), "plain");
    }
}
