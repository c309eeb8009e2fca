//! `setproc build`: content/ and the index from the source text.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};

use super::progress::{Progress, on_terminal};
use crate::edition::History;
use crate::manual::document::Document;
use crate::manual::edition::Edition;
use crate::search::index::{Feed, IndexError, Marker, PendingBuild};
use crate::store::content::WriteStats;
use crate::store::library::{EMBEDDED_NAME, EMBEDDED_SOURCE, Library};
use crate::store::{content, paths};
use crate::text::markup::terminal_safe;

/// Warnings printed unless `--all-warnings`: a new edition's handful in
/// full, while a source far from the manual's layout (the hostile 50 MB
/// file gave 226,356) does not bury the summary.
const WARNINGS_SHOWN: usize = 200;

pub(super) fn build(
    source: Option<PathBuf>,
    content_dir: Option<PathBuf>,
    previous: Option<String>,
    all_warnings: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    crate::trace::mark("start");
    let read;
    let (text, source_name) = match &source {
        Some(path) => {
            read = read_source(path)?;
            (read.as_str(), path.display().to_string())
        }
        None => (EMBEDDED_SOURCE, EMBEDDED_NAME.to_string()),
    };
    // The built-in manual's index is found by the binary's build key (so a
    // search needs no parsing); another source's by its content hash.
    let embedded_key =
        (source.is_none() && content_dir.is_none()).then(crate::search::index::embedded_key);
    let dir = content_dir.unwrap_or_else(paths::default_content_dir);
    // Read before the folder is rewritten: it may hold the previous edition.
    let edition = Edition::of(text);
    let previous = super::editions::previous_of(previous.as_deref(), &dir, &edition)?;
    let root = paths::default_index_root();
    // A step more when the build compares itself with the edition it replaces.
    let steps = 6 + u64::from(previous.is_some());
    let progress = Progress::new(steps, "parsing the manual", on_terminal());
    let library = OnceLock::new();
    let written = std::thread::scope(|s| {
        // The index's thread starts first: it makes the index while this
        // thread parses.
        let started = crate::search::index::start(s, &root);
        let (doc, pending) =
            parse_and_feed(text, &source_name, &edition, started, &library, &progress)?;
        // Meanwhile this thread finds the citations, renders the content files
        // and writes them, and mines the vocabulary the index folder needs.
        let lib = library.get_or_init(|| {
            Library::from_shared(doc.clone(), &source_name).with_edition(edition.clone())
        });
        crate::trace::mark("library: citations linked, markdown rendered");
        let key = embedded_key
            .clone()
            .unwrap_or_else(|| crate::search::index::key_for(lib));
        anyhow::Ok(write_out(lib, &dir, previous, pending, &key, &progress))
    })?;
    progress.finish();
    let stats = written.stats?;
    let (index_dir, marker) = written.index?;
    let lib = library
        .get()
        .ok_or_else(|| anyhow!("the manual was not loaded"))?;
    if let Some(said) = &written.said {
        eprintln!("{}", terminal_safe(said));
    }
    if written.embedded > 0 {
        eprintln!(
            "embedded {} paragraphs, headings and situations for search by meaning",
            written.embedded
        );
    }
    print_warnings(
        lib,
        if all_warnings {
            usize::MAX
        } else {
            WARNINGS_SHOWN
        },
    )?;
    report(
        lib,
        &dir,
        &stats,
        &index_dir,
        &marker,
        started,
        source.is_some(),
    )?;
    // The process ends now: freeing the library's many allocations one by
    // one took ~7 M instructions (2 ms), for memory the OS takes back whole.
    std::mem::forget(library);
    Ok(ExitCode::SUCCESS)
}

/// Parses the source and hands the index's thread its documents: made
/// from the parsed blocks for the built-in manual, else from the library
/// (made here first, into `library`). A source that does not parse stops
/// the index's thread.
fn parse_and_feed<'s>(
    text: &str,
    source_name: &str,
    edition: &Edition,
    started: Result<(PendingBuild<'s>, Feed<'s>), IndexError>,
    library: &'s OnceLock<Library>,
    progress: &Progress,
) -> Result<(Arc<Document>, Result<PendingBuild<'s>, IndexError>)> {
    let doc = match crate::manual::parse::parse(text) {
        Ok(doc) => Arc::new(doc),
        Err(e) => {
            if let Ok((pending, feed)) = started {
                drop(feed);
                pending.abandon();
            }
            return Err(anyhow::Error::new(e)
                .context(format!("{source_name} is not the SET procedures text")));
        }
    };
    crate::trace::mark("parsed");
    progress.step("linking citations, rendering markdown");
    // The index (the longest step) is fed as soon as the built-in manual
    // is parsed, from the parsed blocks: tests/index.rs holds that route
    // to the markdown one for this text. Another text (a new edition)
    // may hold what the two read differently (block syntax on a
    // continuation line, a citation in code), so its index is made from
    // its markdown, as the index of its content folder would be.
    if text != EMBEDDED_SOURCE {
        let _ = library
            .set(Library::from_shared(doc.clone(), source_name).with_edition(edition.clone()));
    }
    let pending = started.map(|(pending, feed)| {
        let nodes: crate::search::index::Nodes = match library.get() {
            Some(lib) => Box::new(crate::search::index::searchable(lib)),
            None => Box::new(crate::search::index::searchable_of(doc.clone())),
        };
        feed.send(nodes);
        pending
    });
    Ok((doc, pending))
}

/// A source text, which must be UTF-8.
fn read_source(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| not_utf8(path, &e))
}

/// What [`write_out`] did.
struct Written {
    stats: Result<WriteStats, content::WriteError>,
    index: Result<(PathBuf, Marker), IndexError>,
    /// What the build recorded of the edition it replaces, to say.
    said: Option<String>,
    /// Units embedded anew for search by meaning.
    embedded: usize,
}

/// Once the library is made: the vocabulary the index folder needs, the
/// vectors for search by meaning, the content folder (with the vectors and
/// the history of the edition it replaces in the same commit, so they
/// never disagree), then the index, finished on its thread.
fn write_out(
    lib: &Library,
    dir: &Path,
    previous: Option<(Library, Option<History>)>,
    pending: Result<PendingBuild<'_>, IndexError>,
    key: &str,
    progress: &Progress,
) -> Written {
    progress.step("mining the vocabulary");
    let _ = lib.vocabulary();
    crate::trace::mark("vocabulary mined");
    let mut files = lib.render_files();
    let said = previous.map(|p| {
        progress.step("comparing with the previous edition");
        let (file, said) = super::editions::history_file(p, lib);
        // Before the manifest, which comes last.
        let at = files.files.len().saturating_sub(1);
        files.files.insert(at, file);
        crate::trace::mark("previous edition compared");
        said
    });
    // Vectors before the commit, and in it: a reader never finds the
    // markdown of one build beside the vectors of another.
    progress.step("embedding for search by meaning");
    let (vectors, embedded) = vectors_for(lib, progress);
    crate::trace::mark("vectors made");
    progress.step("writing the content folder");
    let extra: Vec<(&str, &[u8])> = vectors
        .as_deref()
        .map(|v| (crate::search::dense::VECTORS_FILE, v))
        .into_iter()
        .collect();
    let stats = content::write_dir_with(dir, &files, &extra);
    crate::trace::mark("content written");
    progress.step("finishing the search index");
    let index = pending.and_then(|p| p.finish(lib, key, true));
    crate::trace::mark("index finished");
    progress.step("done");
    Written {
        stats,
        index,
        said,
        embedded,
    }
}

/// The vectors file for `lib` and how many units had to be embedded
/// (none for the built-in manual, whose vectors ship with it; about two
/// minutes for a whole new edition); `None` if the model cannot load
/// (search is then by words only, and the build says so).
fn vectors_for(
    lib: &Library,
    progress: &Progress,
) -> (Option<std::borrow::Cow<'static, [u8]>>, usize) {
    let say = |done: usize, todo: usize| {
        if done.is_multiple_of(25) || done == todo {
            progress.say(&format!(
                "embedding for search by meaning: {done} of {todo}"
            ));
        }
    };
    match crate::search::dense::vectors_for(lib, &say) {
        Ok((bytes, embedded)) => (Some(bytes), embedded),
        Err(e) => {
            eprintln!("setproc: {e}; search will be by words only");
            (None, 0)
        }
    }
}

/// Says where a source stops being UTF-8 text: line and byte.
fn not_utf8(path: &Path, e: &std::string::FromUtf8Error) -> anyhow::Error {
    let at = e.utf8_error().valid_up_to();
    let line = 1 + e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count();
    anyhow!(
        "{} is not UTF-8 text: line {line} has bytes that are not (at byte {at}); \
         convert it to UTF-8 first",
        path.display()
    )
}

/// The parser's warnings on stderr, the first `shown` of them, then how
/// many more there are.
fn print_warnings(lib: &Library, shown: usize) -> Result<()> {
    let mut err = io::stderr().lock();
    for line in warning_lines(&lib.warnings, shown) {
        writeln!(err, "{line}")?;
    }
    Ok(())
}

/// The lines [`print_warnings`] writes.
fn warning_lines(warnings: &[String], shown: usize) -> impl Iterator<Item = String> + '_ {
    let more = warnings.len().saturating_sub(shown);
    warnings
        .iter()
        .take(shown)
        .map(|w| format!("warning: {}", terminal_safe(w)))
        .chain((more > 0).then(|| {
            format!("warning: … and {more} more (setproc build --all-warnings shows them all)")
        }))
}

/// What the build made, on stderr: counts, where, how long.
fn report(
    lib: &Library,
    dir: &Path,
    stats: &WriteStats,
    index_dir: &Path,
    marker: &Marker,
    started: Instant,
    other_source: bool,
) -> Result<()> {
    let mut err = io::stderr().lock();
    let chapters = lib.section_ids().filter(|s| s.nums().len() == 1).count();
    let sections = lib.section_ids().filter(|s| s.nums().len() == 2).count();
    let paragraphs = lib.paragraph_ids().count();
    writeln!(
        err,
        "built {chapters} chapters, {sections} sections, {paragraphs} paragraphs from {} ({} warnings)\n\
         edition: {}\n\
         content: {} ({} files written, {} removed)\n\
         index:   {} ({} sections, {} paragraphs)\n\
         took {} ms",
        lib.source_name,
        lib.warnings.len(),
        terminal_safe(&lib.edition.describe()),
        dir.display(),
        stats.written,
        stats.removed,
        index_dir.display(),
        marker.sections,
        marker.paragraphs,
        started.elapsed().as_millis()
    )?;
    if other_source && lib.source_name != EMBEDDED_NAME {
        writeln!(
            err,
            "read this build with: setproc --content {} …",
            dir.display()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_warnings_are_cut_with_a_count_of_the_rest() {
        let w: Vec<String> = (0..205).map(|i| format!("line {i}: odd")).collect();
        let lines: Vec<String> = warning_lines(&w, WARNINGS_SHOWN).collect();
        assert_eq!(lines.len(), WARNINGS_SHOWN + 1);
        assert_eq!(lines[0], "warning: line 0: odd");
        assert_eq!(
            lines[WARNINGS_SHOWN],
            "warning: … and 5 more (setproc build --all-warnings shows them all)"
        );
        // A few are shown whole, and --all-warnings shows all.
        assert_eq!(warning_lines(&w[..4], WARNINGS_SHOWN).count(), 4);
        assert_eq!(warning_lines(&w, usize::MAX).count(), 205);
    }
}
