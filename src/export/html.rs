//! An export as one standalone HTML page: the markdown rendered (headings,
//! paragraphs, lists, tables, emphasis, links), its stylesheet inside, a
//! print stylesheet that repeats the stamp at the foot of every page, and
//! nothing fetched from anywhere.
//!
//! Rendered by hand from pulldown-cmark's events: its own HTML writer
//! needs a crate this offline build does not have, and the manual's
//! markdown uses a small, known part of the language. Raw HTML in the
//! text is escaped, except the paragraph anchors setproc itself writes.

use std::fmt::Write as _;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::markdown::Export;

const STYLE: &str = "\
body{font-family:Georgia,'Times New Roman',serif;line-height:1.5;color:#111;\
max-width:46rem;margin:2rem auto;padding:0 1rem}\
h1,h2,h3,h4,h5,h6{font-family:Arial,Helvetica,sans-serif;line-height:1.25}\
a{color:#0645ad}\
strong.para,a[id]+strong{white-space:nowrap}\
blockquote.stamp{border:1px solid #888;background:#f4f4f4;margin:1rem 0;padding:.5rem .8rem;font-size:.9rem}\
table{border-collapse:collapse;margin:1rem 0}\
th,td{border:1px solid #999;padding:.25rem .5rem;vertical-align:top;text-align:left}\
.page-stamp{display:none}\
@media print{\
@page{margin:2cm 2cm 2.5cm}\
body{max-width:none;margin:0;padding:0;font-size:11pt}\
a{color:inherit;text-decoration:none}\
h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid}\
p,li,tr,blockquote{break-inside:avoid;page-break-inside:avoid}\
blockquote.stamp{background:none}\
.page-stamp{display:block;position:fixed;bottom:0;left:0;right:0;font-size:8pt;color:#444;\
border-top:1px solid #999;padding-top:2pt;background:#fff}\
}";

/// The export as a complete HTML document.
pub fn page(e: &Export) -> String {
    let mut out = String::with_capacity(e.markdown.len() * 2);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&e.title)
    );
    let _ = writeln!(out, "<div class=\"page-stamp\">{}</div>", escape(&e.stamp));
    out.push_str(&body(&e.markdown));
    out.push_str("</body>\n</html>\n");
    out
}

/// The markdown as HTML (the inside of `<body>`).
pub fn body(md: &str) -> String {
    let mut out = String::with_capacity(md.len() * 2);
    let mut cells: Vec<Alignment> = Vec::new();
    let mut cell = 0usize;
    let mut in_head = false;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(tag) => start(&mut out, tag, &mut cells, &mut cell, &mut in_head),
            Event::End(tag) => end(&mut out, tag, &mut in_head, &mut cell),
            Event::Text(t) => out.push_str(&escape(&t)),
            Event::Code(t) => {
                let _ = write!(out, "<code>{}</code>", escape(&t));
            }
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&html_or_text(&h)),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            _ => {}
        }
    }
    out
}

fn start(
    out: &mut String,
    tag: Tag,
    cells: &mut Vec<Alignment>,
    cell: &mut usize,
    in_head: &mut bool,
) {
    match tag {
        Tag::Paragraph => out.push_str("<p>"),
        Tag::Heading { level, .. } => {
            let _ = write!(out, "<h{}>", level_number(level));
        }
        Tag::BlockQuote(_) => out.push_str("<blockquote class=\"stamp\">\n"),
        Tag::List(Some(n)) => {
            let _ = writeln!(out, "<ol start=\"{n}\">");
        }
        Tag::List(None) => out.push_str("<ul>\n"),
        Tag::Item => out.push_str("<li>"),
        Tag::Emphasis => out.push_str("<em>"),
        Tag::Strong => out.push_str("<strong>"),
        Tag::Strikethrough => out.push_str("<del>"),
        Tag::Link {
            dest_url, title, ..
        } => {
            let _ = write!(out, "<a href=\"{}\"", escape(&dest_url));
            if !title.is_empty() {
                let _ = write!(out, " title=\"{}\"", escape(&title));
            }
            out.push('>');
        }
        Tag::Table(aligns) => {
            *cells = aligns;
            out.push_str("<table>\n");
        }
        Tag::TableHead => {
            *in_head = true;
            *cell = 0;
            out.push_str("<thead><tr>");
        }
        Tag::TableRow => {
            *cell = 0;
            out.push_str("<tr>");
        }
        Tag::TableCell => {
            let name = if *in_head { "th" } else { "td" };
            let align = match cells.get(*cell) {
                Some(Alignment::Center) => " style=\"text-align:center\"",
                Some(Alignment::Right) => " style=\"text-align:right\"",
                _ => "",
            };
            let _ = write!(out, "<{name}{align}>");
        }
        Tag::CodeBlock(_) => out.push_str("<pre><code>"),
        _ => {}
    }
}

fn end(out: &mut String, tag: TagEnd, in_head: &mut bool, cell: &mut usize) {
    match tag {
        TagEnd::Paragraph => out.push_str("</p>\n"),
        TagEnd::Heading(level) => {
            let _ = writeln!(out, "</h{}>", level_number(level));
        }
        TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
        TagEnd::List(true) => out.push_str("</ol>\n"),
        TagEnd::List(false) => out.push_str("</ul>\n"),
        TagEnd::Item => out.push_str("</li>\n"),
        TagEnd::Emphasis => out.push_str("</em>"),
        TagEnd::Strong => out.push_str("</strong>"),
        TagEnd::Strikethrough => out.push_str("</del>"),
        TagEnd::Link => out.push_str("</a>"),
        TagEnd::Table => out.push_str("</tbody></table>\n"),
        TagEnd::TableHead => {
            *in_head = false;
            out.push_str("</tr></thead><tbody>\n");
        }
        TagEnd::TableRow => out.push_str("</tr>\n"),
        TagEnd::TableCell => {
            out.push_str(if *in_head { "</th>" } else { "</td>" });
            *cell += 1;
        }
        TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
        _ => {}
    }
}

fn level_number(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The anchors setproc writes (`<a id="a3-4-22">`, `</a>`) as they are;
/// any other HTML in the text shown as text.
fn html_or_text(h: &str) -> String {
    let t = h.trim();
    let anchor = t
        .strip_prefix("<a id=\"")
        .and_then(|r| r.strip_suffix("\">").or_else(|| r.strip_suffix("\"></a>")))
        .is_some_and(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if anchor || t == "</a>" {
        h.to_string()
    } else {
        escape(h)
    }
}

/// Text safe in HTML content and attribute values; control characters
/// (other than line breaks and tabs) dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_manuals_markdown_and_escapes_the_rest() {
        let md = "## 3.4 Strategy\n\n<a id=\"a3-4-22\"></a>**3.4.22** A *s47* [link](#b24) & <script>x</script>\n\n\
                  - one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n";
        let html = body(md);
        assert!(html.contains("<h2>3.4 Strategy</h2>"), "{html}");
        assert!(
            html.contains("<a id=\"a3-4-22\"></a><strong>3.4.22</strong> A <em>s47</em> <a href=\"#b24\">link</a> &amp; &lt;script&gt;x&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>"
            ),
            "{html}"
        );
        assert_eq!(escape("\u{1b}[31m\"a\""), "[31m&quot;a&quot;");
    }
}
