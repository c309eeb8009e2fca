//! The command line: argument parsing (clap) and one function per command.
//!
//! This is the binary's edge: errors are `anyhow`, data goes to stdout and
//! messages to stderr, and exit codes follow ripgrep: 0 found, 1 not found,
//! 2 error or usage. A closed pipe (`setproc toc | head`) ends quietly.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::manual::ids::NodeId;
use crate::store::content;
use crate::store::library::{EMBEDDED_NAME, Library};
use crate::store::lookup::{self, LookupError, Target};
use crate::store::paths;
use crate::text::markup::terminal_safe;

const EXAMPLES: &str = "\
Examples:
  setproc                         open the reader (builds the index on first use)
  setproc open B24.8              open the reader at section B24.8
  setproc show A3.4.22            print paragraph A3.4.22
  setproc show 'Part B chapter 24' --json
  setproc search private fostering
  setproc toc --json
  setproc refs --stale            citations whose number no longer matches their title
  setproc build                   write content/ and the search index

Exit codes: 0 found, 1 not found, 2 error or usage.";

#[derive(Debug, Parser)]
#[command(
    name = "setproc",
    version,
    about = "Offline, searchable SET Safeguarding and Child Protection Procedures (June 2025)",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Use the build in this content folder (written by `setproc build
    /// --content DIR`) instead of the manual built into setproc.
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the reader at a section, paragraph or citation.
    #[command(
        after_help = "Examples:\n  setproc open B24.8\n  setproc open A3.4.22\n  setproc open 'Part B chapter 24'"
    )]
    Open {
        /// A section id (B24.8), paragraph id (A3.4.22) or citation.
        #[arg(required = true, num_args = 1..)]
        reference: Vec<String>,
    },
    /// Parse the manual, write the content folder and build the search index.
    #[command(
        after_help = "Examples:\n  setproc build\n  setproc build --source new-edition.txt --content ~/set-2026"
    )]
    Build {
        /// The procedures as text (default: the copy built into setproc).
        #[arg(long, value_name = "FILE")]
        source: Option<PathBuf>,
    },
    /// Print the contents: parts, groupings, chapters and sections.
    #[command(
        after_help = "Examples:\n  setproc toc\n  setproc toc --json | jq '.[] | select(.level == 1)'"
    )]
    Toc {
        /// A JSON array in reading order: id, title, page, parent, level, path.
        #[arg(long)]
        json: bool,
    },
    /// Print a section, chapter introduction or paragraph.
    #[command(
        after_help = "Examples:\n  setproc show B24.8\n  setproc show a3.4.22\n  setproc show 'Part A, section 3.2' --format text\n  setproc show B24.8 --json"
    )]
    Show {
        /// A section id (B24.8), paragraph id (A3.4.22) or a citation as
        /// written in the manual ("Part B chapter 24").
        #[arg(required = true, num_args = 1..)]
        reference: Vec<String>,
        /// A JSON object: id, title, page, path, markdown, breadcrumb, …
        #[arg(long)]
        json: bool,
        /// Markdown as stored, or plain text.
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
    },
    /// Search the manual: the best sections first, with the paragraph that
    /// matched and a snippet.
    #[command(
        after_help = "Examples:\n  setproc search private fostering\n  setproc search '\"strategy discussion\" timescales' --limit 3\n  setproc search LADO --json"
    )]
    Search {
        /// Words to look for; "quoted phrases" must match as phrases.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// How many results (at most; 1 to 500).
        #[arg(long, short = 'n', default_value_t = 10,
              value_parser = clap::value_parser!(u16).range(1..=500))]
        limit: u16,
        /// A JSON array: id, title, breadcrumb, score, paragraph, snippet,
        /// highlights (byte ranges in snippet).
        #[arg(long)]
        json: bool,
        /// Show how the query was understood (expansions, corrections).
        #[arg(long)]
        explain: bool,
    },
    /// List the manual's citations of itself: outgoing from a section, the
    /// sections citing it, or (with --stale) those whose number no longer
    /// matches their title.
    #[command(
        after_help = "Examples:\n  setproc refs --stale            the maintainer's report for the whole manual\n  setproc refs B24.8              what B24.8 cites\n  setproc refs B36 --incoming     which sections cite B36\n  setproc refs --json | jq '.[] | select(.status != \"ok\")'"
    )]
    Refs {
        /// A section, chapter or paragraph (all citations without it).
        reference: Option<String>,
        /// A JSON array: from, line, text, cited, target, status, suggestion.
        #[arg(long)]
        json: bool,
        /// Only stale and unresolved citations.
        #[arg(long)]
        stale: bool,
        /// Citations leading into REF instead of out of it.
        #[arg(long, requires = "reference")]
        incoming: bool,
    },
    /// Resolve a citation as written to the id it leads to, with its status.
    #[command(
        after_help = "Examples:\n  setproc resolve 'Part B, chapter 37, Historical abuse'\n  setproc resolve 'see section 3.6, Referrals to the police' --json"
    )]
    Resolve {
        /// The citation text.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// A JSON array of the citations found.
        #[arg(long)]
        json: bool,
    },
    /// Measure search quality on a TSV of queries and acceptable ids.
    #[command(
        after_help = "Examples:\n  setproc eval ../shared/eval/queries.tsv\n  setproc eval queries.tsv --json"
    )]
    Eval {
        /// `query<TAB>id,id<TAB>kind` lines (header optional).
        file: PathBuf,
        /// The full report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Text,
}

/// An error that maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Nothing matched: exit 1, with a message.
    #[error("{0}")]
    NotFound(String),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            if let Some(Failure::NotFound(msg)) = e.downcast_ref::<Failure>() {
                eprintln!("setproc: {}", terminal_safe(msg));
                return ExitCode::from(1);
            }
            // One line: the error and its causes.
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("setproc: {}", terminal_safe(&msg.join(": ")));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    // serde_json wraps the writer's error in its own type.
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| {
                c.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        None => {
            let lib = load(&cli.content)?;
            let launch = crate::tui::Launch {
                // For the start-up benchmark (BENCHMARKS.md): draw the
                // first frame, then exit.
                first_frame_only: std::env::var_os("SETPROC_FIRST_FRAME_ONLY").is_some(),
                ..crate::tui::Launch::new(&lib)
            };
            crate::tui::run_with(launch, || open_index(&cli.content, false))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Open { reference }) => {
            let lib = load(&cli.content)?;
            let (target, note) = match lookup::lookup_with_note(&lib, &reference.join(" ")) {
                Ok(found) => found,
                Err(e) => return Err(Failure::NotFound(e.to_string()).into()),
            };
            let launch = crate::tui::Launch {
                start: Some(target),
                note,
                ..crate::tui::Launch::new(&lib)
            };
            crate::tui::run_with(launch, || open_index(&cli.content, false))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Build { source }) => build(source, cli.content),
        Some(Command::Toc { json }) => toc(&load(&cli.content)?, json),
        Some(Command::Show {
            reference,
            json,
            format,
        }) => show(
            &load(&cli.content)?,
            cli.content.as_deref(),
            &reference.join(" "),
            json,
            format,
        ),
        Some(Command::Search {
            query,
            limit,
            json,
            explain,
        }) => search(
            &cli.content,
            &query.join(" "),
            usize::from(limit),
            json,
            explain,
        ),
        Some(Command::Eval { file, json }) => eval(&cli.content, &file, json),
        Some(Command::Refs {
            reference,
            json,
            stale,
            incoming,
        }) => refs(
            &load(&cli.content)?,
            reference.as_deref(),
            json,
            stale,
            incoming,
        ),
        Some(Command::Resolve { text, json }) => {
            resolve(&load(&cli.content)?, &text.join(" "), json)
        }
    }
}

/// Opens the search index for the manual in `content_dir` (the built-in one
/// by default), building it when missing, damaged or stale; the manual is
/// only parsed or loaded when the index has to be built. `warn` allows a
/// note on stderr (off while the reader owns the screen).
pub fn open_index(
    content_dir: &Option<PathBuf>,
    warn: bool,
) -> Result<crate::search::index::SearchIndex> {
    use crate::search::index;
    let key = match content_dir {
        Some(dir) => {
            let m = crate::store::content::load_manifest(dir).with_context(|| {
                format!(
                    "{} is not a setproc build (run `setproc build --content {}`)",
                    dir.display(),
                    dir.display()
                )
            })?;
            format!("v{}-{}", index::INDEX_SCHEMA, m.content_hash)
        }
        None => index::embedded_key(),
    };
    // A `--content` folder that fails to load is an error, never a reason
    // to index the built-in manual under that folder's key.
    let make = || load(content_dir).map_err(|e| index::IndexError::Source(format!("{e:#}")));
    let root = paths::index_root_for(&key);
    match index::open_or_build(&root, &key, &make) {
        Ok(idx) => Ok(idx),
        Err(e @ index::IndexError::Source(_)) => Err(e.into()),
        // An unwritable place: build it in memory instead.
        Err(e) => {
            if warn {
                eprintln!("setproc: {e}; searching an index in memory");
            }
            Ok(index::build_in_ram(&make()?, &key)?)
        }
    }
}

fn search(
    content_dir: &Option<PathBuf>,
    query: &str,
    limit: usize,
    json: bool,
    explain: bool,
) -> Result<ExitCode> {
    let opts = crate::search::Options {
        limit,
        as_you_type: false,
    };
    let mut idx = open_index(content_dir, true)?;
    if explain {
        let mut err = io::stderr().lock();
        for alts in crate::search::Engine::new(&idx).explain(query, opts) {
            writeln!(err, "searching for: {}", terminal_safe(&alts.join(" | ")))?;
        }
    }
    let mut hits =
        crate::search::index::guarded(|| crate::search::Engine::new(&idx).search(query, opts));
    if hits.is_none() {
        // The index broke under the search: build it again, once.
        if let Some(dir) = idx.dir.clone() {
            drop(idx);
            crate::search::index::discard(&dir);
            idx = open_index(content_dir, true)?;
            hits = crate::search::index::guarded(|| {
                crate::search::Engine::new(&idx).search(query, opts)
            });
        }
    }
    let hits =
        hits.ok_or_else(|| anyhow!("the search index is damaged and could not be rebuilt"))?;
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &hits)?;
        writeln!(out)?;
    } else {
        let color =
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        for h in &hits {
            let para = h.paragraph.map(|p| format!("  ¶ {p}")).unwrap_or_default();
            let title = terminal_safe(&h.title);
            if color {
                writeln!(
                    out,
                    "\x1b[1m{:<8}\x1b[0m {}{}",
                    h.id.to_string(),
                    title,
                    para
                )?;
            } else {
                writeln!(out, "{:<8} {}{}", h.id.to_string(), title, para)?;
            }
            writeln!(out, "         {}", terminal_safe(&h.breadcrumb))?;
            if !h.snippet.is_empty() {
                let snippet = highlight(&h.snippet, &h.highlights, color);
                writeln!(out, "         {snippet}")?;
            }
            writeln!(out)?;
        }
    }
    out.flush()?;
    if hits.is_empty() {
        return Err(Failure::NotFound(format!("no results for '{query}'")).into());
    }
    Ok(ExitCode::SUCCESS)
}

/// The snippet with its matches in bold (terminal) or as-is.
fn highlight(snippet: &str, ranges: &[(usize, usize)], color: bool) -> String {
    if !color {
        return terminal_safe(snippet).into_owned();
    }
    let mut out = String::new();
    let mut pos = 0;
    for &(a, b) in ranges {
        if a < pos
            || b > snippet.len()
            || !snippet.is_char_boundary(a)
            || !snippet.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&terminal_safe(&snippet[pos..a]));
        out.push_str("\x1b[1;33m");
        out.push_str(&terminal_safe(&snippet[a..b]));
        out.push_str("\x1b[0m");
        pos = b;
    }
    out.push_str(&terminal_safe(&snippet[pos..]));
    out
}

fn eval(content_dir: &Option<PathBuf>, file: &std::path::Path, json: bool) -> Result<ExitCode> {
    use crate::search::eval;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let cases = eval::parse_cases(&text).with_context(|| file.display().to_string())?;
    let idx = open_index(content_dir, true)?;
    let mut engine = crate::search::Engine::new(&idx);
    let outcomes: Vec<eval::Outcome> = cases
        .iter()
        .map(|c| {
            let hits = engine.search(&c.query, crate::search::Options::default());
            let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
            eval::score(c, &ids)
        })
        .collect();
    let report = eval::report(outcomes);
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let line = |name: &str, m: &eval::Metrics| {
            format!(
                "{name:<12} {:>4} queries  hit@1 {:.3}  hit@3 {:.3}  MRR {:.3}",
                m.queries, m.hit_at_1, m.hit_at_3, m.mrr
            )
        };
        writeln!(out, "{}", line("all", &report.overall))?;
        for (k, m) in &report.by_kind {
            writeln!(out, "{}", line(k, m))?;
        }
        let misses: Vec<&eval::Outcome> = report
            .outcomes
            .iter()
            .filter(|o| o.rank != Some(1))
            .collect();
        if !misses.is_empty() {
            writeln!(out, "\nnot first ({}):", misses.len())?;
            for o in misses {
                let rank = o
                    .rank
                    .map(|r| format!("#{r}"))
                    .unwrap_or_else(|| "miss".into());
                writeln!(
                    out,
                    "  {rank:<5} {:<10} {}  want {}  got {}",
                    o.kind,
                    terminal_safe(&o.query),
                    o.acceptable.join(","),
                    o.top.join(",")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The library the command reads: `--content DIR`, or the embedded manual.
pub fn load(content: &Option<PathBuf>) -> Result<Library> {
    match content {
        Some(dir) => Library::load(dir).with_context(|| {
            format!(
                "{} is not a setproc build (run `setproc build --content {}`)",
                dir.display(),
                dir.display()
            )
        }),
        None => Ok(Library::embedded()),
    }
}

fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

fn build(source: Option<PathBuf>, content_dir: Option<PathBuf>) -> Result<ExitCode> {
    let started = Instant::now();
    crate::trace::mark("start");
    let read;
    let (text, source_name) = match &source {
        Some(path) => {
            read = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            (read.as_str(), path.display().to_string())
        }
        None => (
            crate::store::library::EMBEDDED_SOURCE,
            EMBEDDED_NAME.to_string(),
        ),
    };
    // The built-in manual's index is found by the binary's build key (so a
    // search needs no parsing); another source's by its content hash.
    let embedded_key =
        (source.is_none() && content_dir.is_none()).then(crate::search::index::embedded_key);
    let dir = content_dir.unwrap_or_else(paths::default_content_dir);
    let root = paths::default_index_root();
    let library = std::sync::OnceLock::new();
    let (stats, index) = std::thread::scope(|s| {
        // The index's thread starts first: it makes the index and learns
        // the text's words while this thread parses.
        let started = crate::search::index::start(s, &root, text);
        let doc = match crate::manual::parse::parse(text) {
            Ok(doc) => std::sync::Arc::new(doc),
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
        // The index (the longest step) is fed as soon as the built-in manual
        // is parsed, from the parsed blocks: tests/index.rs holds that route
        // to the markdown one for this text. Another text (a new edition)
        // may hold what the two read differently (block syntax on a
        // continuation line, a citation in code), so its index is made from
        // its markdown, as the index of its content folder would be.
        if text != crate::store::library::EMBEDDED_SOURCE {
            let _ = library.set(Library::from_shared(doc.clone(), &source_name));
        }
        let pending = started.map(|(pending, feed)| {
            let nodes: crate::search::index::Nodes = match library.get() {
                Some(lib) => Box::new(crate::search::index::searchable(lib)),
                None => Box::new(crate::search::index::searchable_of(doc.clone())),
            };
            feed.send(nodes);
            pending
        });
        // Meanwhile this thread finds the citations, renders the content files
        // and writes them, and mines the vocabulary the index folder needs.
        let lib = library.get_or_init(|| Library::from_shared(doc.clone(), &source_name));
        crate::trace::mark("library: citations linked, markdown rendered");
        let _ = lib.vocabulary();
        crate::trace::mark("vocabulary mined");
        let stats = content::write_dir(&dir, &lib.render_files());
        crate::trace::mark("content written");
        let key = embedded_key
            .clone()
            .unwrap_or_else(|| crate::search::index::key_for(lib));
        let index = pending.and_then(|p| p.finish(lib, &key, true));
        crate::trace::mark("index finished");
        Ok((stats, index))
    })?;
    let stats = stats?;
    let (index_dir, marker) = index?;
    let lib = library
        .get()
        .ok_or_else(|| anyhow!("the manual was not loaded"))?;
    let mut err = io::stderr().lock();
    for w in &lib.warnings {
        writeln!(err, "warning: {}", terminal_safe(w))?;
    }
    let chapters = lib.section_ids().filter(|s| s.nums().len() == 1).count();
    let sections = lib.section_ids().filter(|s| s.nums().len() == 2).count();
    let paragraphs = lib.paragraph_ids().count();
    writeln!(
        err,
        "built {chapters} chapters, {sections} sections, {paragraphs} paragraphs from {} ({} warnings)\n\
         content: {} ({} files written, {} removed)\n\
         index:   {} ({} sections, {} paragraphs)\n\
         took {} ms",
        lib.source_name,
        lib.warnings.len(),
        dir.display(),
        stats.written,
        stats.removed,
        index_dir.display(),
        marker.sections,
        marker.paragraphs,
        started.elapsed().as_millis()
    )?;
    if source.is_some() && lib.source_name != EMBEDDED_NAME {
        writeln!(
            err,
            "read this build with: setproc --content {} …",
            dir.display()
        )?;
    }
    // The process ends now: freeing the library's many allocations one by
    // one took ~7 M instructions (2 ms), for memory the OS takes back whole.
    std::mem::forget(library);
    Ok(ExitCode::SUCCESS)
}

/// One row of `setproc refs --json`.
#[derive(Serialize)]
struct RefRow<'a> {
    from: NodeId,
    /// The numbered paragraph holding the citation, if any.
    paragraph: Option<crate::manual::ids::SectionId>,
    line: usize,
    text: &'a str,
    cited: &'a str,
    cited_title: Option<&'a str>,
    target: Option<crate::manual::ids::SectionId>,
    status: crate::cite::Status,
    suggestion: Option<crate::manual::ids::SectionId>,
    /// Where a reader following it lands (the suggestion when stale).
    destination: Option<crate::manual::ids::SectionId>,
    note: Option<String>,
}

fn ref_row<'a>(targets: &crate::cite::Targets, c: &'a crate::cite::Citation) -> RefRow<'a> {
    RefRow {
        from: c.from,
        paragraph: c.paragraph,
        line: c.line,
        text: &c.text,
        cited: &c.cited,
        cited_title: c.cited_title.as_deref(),
        target: c.target,
        status: c.status,
        suggestion: c.suggestion,
        destination: c.destination(),
        note: crate::cite::stale_note(targets, c).or_else(|| unresolved_note(targets, c)),
    }
}

fn unresolved_note(targets: &crate::cite::Targets, c: &crate::cite::Citation) -> Option<String> {
    if c.status != crate::cite::Status::Unresolved {
        return None;
    }
    Some(match c.target.and_then(|t| targets.title(t)) {
        Some(t) => format!("{} is '{t}', and no section has the cited title", c.cited),
        None if c.target.is_some() => {
            format!("{} exists, but no section has the cited title", c.cited)
        }
        None => format!(
            "there is no {} in the manual, and no title says where it went",
            c.cited
        ),
    })
}

/// The human line for a citation: where, what, and what is wrong with it.
fn ref_line(row: &RefRow) -> String {
    use crate::cite::Status;
    let text = terminal_safe(row.text);
    match (row.status, &row.note) {
        (Status::Ok, _) => format!(
            "line {}: {} → {}  '{text}'",
            row.line,
            row.from,
            row.destination.map(|d| d.to_string()).unwrap_or_default()
        ),
        (_, Some(note)) => format!(
            "line {}: {}: '{text}': {}",
            row.line,
            row.from,
            terminal_safe(note)
        ),
        (_, None) => format!(
            "line {}: {}: '{text}': {:?}",
            row.line, row.from, row.status
        ),
    }
}

fn refs(
    lib: &Library,
    reference: Option<&str>,
    json: bool,
    stale: bool,
    incoming: bool,
) -> Result<ExitCode> {
    use crate::cite::Status;
    let targets = lib.targets();
    let scope = match reference {
        None => None,
        Some(r) => Some(match lookup::lookup(lib, r) {
            Ok(t) => t,
            Err(e) => return Err(Failure::NotFound(e.to_string()).into()),
        }),
    };
    // A citation is "in" a target when its id lies within it (citations of
    // B24.8.3 are citations of B24 and of part-B3 too).
    let within = |id: Option<crate::manual::ids::SectionId>, t: &Target| match (id, t) {
        (Some(id), Target::Paragraph { id: p, .. }) => id == *p,
        (Some(id), Target::Node(NodeId::Section(s))) => id.is_within(s),
        (Some(id), Target::Node(ancestor)) => {
            let holder = lib
                .index_of(NodeId::Section(id))
                .or_else(|| lib.paragraph_node(id))
                .map(|i| lib.metas[i].id);
            holder.is_some_and(|h| lib.is_within(h, *ancestor))
        }
        (None, _) => false,
    };
    let rows: Vec<RefRow> = lib
        .citations
        .iter()
        .filter(|c| !stale || c.status != Status::Ok)
        .filter(|c| match &scope {
            None => true,
            Some(t) if incoming => within(c.destination(), t),
            Some(t) => match (c.from, t) {
                (_, Target::Paragraph { id, .. }) => c.paragraph == Some(*id),
                (NodeId::Section(f), Target::Node(_)) => within(Some(f), t),
                (from, _) => lib.is_within(from, t.node()),
            },
        })
        .map(|c| ref_row(targets, c))
        .collect();
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            writeln!(out, "{}", ref_line(r))?;
        }
        if stale && reference.is_none() {
            let (s, u) = rows.iter().fold((0, 0), |(s, u), r| match r.status {
                Status::Stale => (s + 1, u),
                _ => (s, u + 1),
            });
            writeln!(
                out,
                "\n{} of {} citations need attention: {s} stale (the title names another section), {u} unresolved",
                rows.len(),
                lib.citations.len()
            )?;
        }
    }
    out.flush()?;
    if rows.is_empty() {
        let what = if stale {
            "stale citations"
        } else {
            "citations"
        };
        return Err(Failure::NotFound(format!(
            "no {what} {}",
            reference.map(|r| format!("for {r}")).unwrap_or_default()
        ))
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

fn resolve(lib: &Library, text: &str, json: bool) -> Result<ExitCode> {
    let targets = lib.targets();
    let found = crate::cite::resolve_text(targets, text, None);
    let rows: Vec<RefRow> = found.iter().map(|c| ref_row(targets, c)).collect();
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            let dest = r
                .destination
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into());
            let status = serde_json::to_value(r.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match &r.note {
                Some(n) => writeln!(out, "{dest}\t{status}\t{}", terminal_safe(n))?,
                None => writeln!(out, "{dest}\t{status}")?,
            }
        }
    }
    out.flush()?;
    if rows.iter().any(|r| r.destination.is_some()) {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Failure::NotFound(format!(
            "'{text}' is not a citation of the manual that resolves"
        ))
        .into())
    }
}

/// One row of `setproc toc --json`.
#[derive(Serialize)]
struct TocRow<'a> {
    id: NodeId,
    title: &'a str,
    page: Option<u32>,
    parent: Option<NodeId>,
    level: u8,
    path: &'a str,
}

fn toc(lib: &Library, json: bool) -> Result<ExitCode> {
    let mut out = stdout();
    if json {
        let rows: Vec<TocRow> = lib
            .metas
            .iter()
            .map(|m| TocRow {
                id: m.id,
                title: &m.title,
                page: m.page,
                parent: m.parent,
                level: m.level,
                path: &m.path,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for m in &lib.metas {
            let indent = "  ".repeat(m.level as usize);
            let page = m.page.map(|p| format!("  (p. {p})")).unwrap_or_default();
            let label = match m.id {
                NodeId::Section(s) => format!("{:<8}{}", s.to_string(), m.title),
                other => content::display_title(other, &m.title),
            };
            writeln!(out, "{indent}{}{page}", terminal_safe(&label))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `setproc show --json`.
#[derive(Serialize)]
struct ShowJson<'a> {
    /// The id asked for: a node, or a paragraph.
    id: String,
    kind: &'static str,
    title: &'a str,
    page: Option<u32>,
    /// The content file holding it (for a paragraph, with its anchor).
    path: String,
    markdown: &'a str,
    /// The section a paragraph belongs to.
    section: Option<SectionRef<'a>>,
    parent: Option<NodeId>,
    prev: Option<NodeId>,
    next: Option<NodeId>,
    breadcrumb: &'a [String],
    paragraphs: Vec<String>,
    /// When REF was a citation whose number drifted: where it was sent and
    /// why ("cited as B37 (now …); the title matches B36 Historical Abuse").
    note: Option<String>,
}

#[derive(Serialize)]
struct SectionRef<'a> {
    id: NodeId,
    title: &'a str,
}

fn show(
    lib: &Library,
    content_dir: Option<&std::path::Path>,
    reference: &str,
    json: bool,
    format: Format,
) -> Result<ExitCode> {
    let (target, note) = match lookup::lookup_with_note(lib, reference) {
        Ok(found) => found,
        Err(e @ (LookupError::NotFound { .. } | LookupError::Unrecognised(_))) => {
            return Err(Failure::NotFound(e.to_string()).into());
        }
    };
    let node = target.node();
    let meta = lib.meta(node).expect("lookup returns known nodes");
    let body = lib.body(node).expect("lookup returns known nodes");
    let dir = content_dir
        .map(PathBuf::from)
        .unwrap_or_else(paths::default_content_dir);
    let file = dir.join(&meta.path).display().to_string();
    let (id, kind, markdown, path) = match target {
        Target::Node(_) => (node.to_string(), "section", body, file),
        Target::Paragraph { id, .. } => {
            let md = lib.paragraph_markdown(id).unwrap_or(body);
            (
                id.to_string(),
                "paragraph",
                md,
                format!("{file}#{}", id.anchor()),
            )
        }
    };
    let mut out = stdout();
    if json {
        let doc = ShowJson {
            id,
            kind,
            title: &meta.title,
            page: meta.page,
            path,
            markdown,
            section: target.paragraph().map(|_| SectionRef {
                id: node,
                title: &meta.title,
            }),
            parent: meta.parent,
            prev: meta.prev,
            next: meta.next,
            breadcrumb: &meta.breadcrumb,
            paragraphs: meta.paragraphs.iter().map(|p| p.to_string()).collect(),
            note,
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        if let Some(note) = &note {
            // On stderr: stdout stays the section alone, for pipes.
            eprintln!("note: {}", terminal_safe(note));
        }
        if let Target::Paragraph { id, .. } = target {
            writeln!(
                out,
                "{id} in {}",
                terminal_safe(&content::display_title(node, &meta.title))
            )?;
            writeln!(out)?;
        }
        let text = match format {
            Format::Md => markdown.to_string(),
            Format::Text => crate::text::markup::markdown_to_text(markdown),
        };
        writeln!(out, "{}", terminal_safe(text.trim_end()))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
