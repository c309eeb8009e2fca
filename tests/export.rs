//! `setproc export`: a section, chapter or part as one file. For A3, B24.8
//! and part-B4, as markdown and HTML: every paragraph of the source is
//! there (number, anchor and words), every link resolves inside the file,
//! nothing is fetched, and the stamp names the edition.

use std::process::{Command, Output};

use pulldown_cmark::{Event, Parser, Tag};
use setproc::manual::ids::NodeId;
use setproc::store::library::Library;
use setproc::text::markup::markdown_to_text;

fn setproc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_setproc"))
        .args(args)
        .output()
        .expect("the binary runs")
}

const STAMP_HEAD: &str =
    "SET Safeguarding and Child Protection Procedures, June 2025 edition, exported ";
const STAMP_TAIL: &str = ": check that this is still the current edition";

/// The export of `reference` in `format`, written with -o.
fn export(reference: &str, format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("out.{format}"));
    let o = setproc(&[
        "export",
        reference,
        "--format",
        format,
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(file).unwrap()
}

/// Words as compared: what an export adds for paper (a web address in
/// brackets after a link's text) and the bullets and cell rules of plain
/// text left out.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !(w.starts_with('(') && (w.contains("http") || w.contains('@'))))
        .filter(|w| !matches!(*w, "•" | "|"))
        .map(str::to_string)
        .collect()
}

/// The text of the file from paragraph `anchor` to the next anchor,
/// heading or rule.
fn segment<'a>(file: &'a str, anchor: &str) -> &'a str {
    let open = format!("<a id=\"{anchor}\"></a>");
    let start = file
        .find(&open)
        .unwrap_or_else(|| panic!("no anchor {anchor}"))
        + open.len();
    let rest = &file[start..];
    let end = ["<a id=\"", "\n#", "\n---", "<h", "<hr"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

fn html_text(html: &str) -> String {
    // Block tags separate words; inline ones (a, strong, em) do not.
    const BLOCK: [&str; 10] = ["p", "li", "br", "h", "td", "th", "tr", "div", "ul", "ol"];
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let name: String = rest[i + 1..end]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if BLOCK.iter().any(|b| name.starts_with(b)) {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn check(lib: &Library, reference: &str, format: &str) -> usize {
    let file = export(reference, format);
    let root: NodeId = reference.parse().unwrap();
    // The stamp, at the top and the foot.
    let at = file.find(STAMP_HEAD).expect("the stamp");
    assert!(file[at..].contains(STAMP_TAIL), "{reference} {format}");
    assert!(
        file.matches(STAMP_HEAD).count() >= 2,
        "{reference} {format}"
    );
    // Every paragraph: its anchor, its number and its words.
    let mut n = 0;
    for m in lib.metas.iter().filter(|m| lib.is_within(m.id, root)) {
        assert!(
            file.contains(&format!(
                "<a id=\"{}\"></a>",
                setproc::export::node_anchor(m.id)
            )),
            "{}",
            m.id
        );
        for p in &m.paragraphs {
            let seg = segment(&file, &p.anchor());
            let (got, number) = match format {
                "md" => (markdown_to_text(seg), format!("**{}**", p.number())),
                _ => (html_text(seg), format!("<strong>{}</strong>", p.number())),
            };
            assert!(seg.starts_with(&number), "{p}: {seg}");
            let want = markdown_to_text(lib.paragraph_markdown(*p).unwrap());
            assert_eq!(
                words(&got),
                words(&want),
                "{reference} {format}: paragraph {p}"
            );
            n += 1;
        }
    }
    // Every link leads to an anchor in the file.
    let targets: Vec<String> = match format {
        "md" => Parser::new(&file)
            .filter_map(|e| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect(),
        _ => file
            .split("href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect(),
    };
    for t in &targets {
        let id = t
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{reference} {format}: link out of the file: {t}"));
        assert!(
            file.contains(&format!("id=\"{id}\"")),
            "{reference} {format}: #{id} is nowhere"
        );
    }
    if format == "html" {
        assert!(file.starts_with("<!DOCTYPE html>"));
        assert!(file.contains("@media print{"), "a print stylesheet");
        for fetch in ["<script", "<link", "src=", "@import", "url(", "http"] {
            let in_head = &file[..file.find("<body>").unwrap()];
            assert!(!in_head.contains(fetch), "{reference}: {fetch} in the head");
        }
        assert!(!file.contains("<script") && !file.contains(" src="));
    }
    n
}

#[test]
fn a3_b24_8_and_part_b4_export_whole_linked_and_stamped() {
    let lib = Library::embedded();
    for format in ["md", "html"] {
        // A3: 11 sections; B24.8: a title only; part-B4: five appendices.
        let a3 = check(&lib, "A3", format);
        let b248 = check(&lib, "B24.8", format);
        let b4 = check(&lib, "part-B4", format);
        let count = |root: &str| -> usize {
            let root: NodeId = root.parse().unwrap();
            lib.metas
                .iter()
                .filter(|m| lib.is_within(m.id, root))
                .map(|m| m.paragraphs.len())
                .sum()
        };
        assert_eq!(
            (a3, b248, b4),
            (count("A3"), count("B24.8"), count("part-B4"))
        );
        assert!(a3 > 100 && b4 > 40, "{a3} {b4}");
    }
}

#[test]
fn citations_inside_the_export_link_to_it_and_outside_ones_are_text() {
    let md = export("A3", "md");
    // A3.4 cites Part B chapter 19 (outside) and A3 sections (inside).
    assert!(md.contains("](#a3-"), "in-file links");
    assert!(
        !md.contains(".md)") && !md.contains(".md#"),
        "no links to content files"
    );
    let b = export("part-B", "md");
    assert!(
        b.contains("(http://thehideout.org.uk/)"),
        "web addresses written out for paper"
    );
}

#[test]
fn export_errors_are_one_line() {
    let o = setproc(&["export", "B24.20"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nearest: B24.2"));
    let o = setproc(&["export", "A3", "-o", "/nonexistent-dir/x.html"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("setproc: cannot write /nonexistent-dir/x.html"),
        "{err}"
    );
    // The format follows the file's extension.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.html");
    assert!(
        setproc(&["export", "B24.8", "-o", f.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        std::fs::read_to_string(f)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}
