//! The command line: argument parsing (clap) and one function per command.
//!
//! This is the binary's edge: errors are `anyhow`, data goes to stdout and
//! messages to stderr, and exit codes follow ripgrep: 0 found, 1 not found,
//! 2 error or usage. A closed pipe (`setproc toc | head`) ends quietly.
//!
//! One file per command family: `search` (search, eval), `read` (toc,
//! show), `refs` (refs, resolve), `build`, `shell` (completions, man),
//! `glossary`, `contacts`, `editions` (diff, and the history `build
//! --previous` keeps), `export`, `version` (`--version`); `progress` draws
//! progress on a terminal; this file holds the clap definition, dispatch
//! and what they share.
//!
//! May depend on: every other module; none depends on it.

mod build;
mod contacts;
mod editions;
mod export;
mod glossary;
mod progress;
mod read;
mod refs;
mod search;
mod shell;
mod version;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::store::library::Library;
use crate::store::paths;
use crate::text::markup::terminal_safe;
use build::build;
use read::{show, toc};
use refs::{refs, resolve};
use search::{eval, search};

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
        /// The edition this one replaces (a source text, a content folder
        /// or `builtin`): its id map is kept, so its numbers still resolve
        /// (`B24.8@June 2025`). Default: the build already in the folder,
        /// when it is another edition.
        #[arg(long, value_name = "OLD")]
        previous: Option<String>,
        /// Print every warning (by default the first 200, then how many
        /// more there are).
        #[arg(long)]
        all_warnings: bool,
    },
    /// Compare two editions: what changed, section by section.
    #[command(
        after_help = "OLD and NEW are source texts, content folders (setproc build --content DIR) or `builtin` (the manual built into setproc).\n\nExamples:\n  setproc diff builtin new-edition.txt\n  setproc diff builtin new-edition.txt --format md > briefing.md\n  setproc diff ~/set-2025 ~/set-2026 --json | jq '.sections[] | select(.status != \"unchanged\")'"
    )]
    Diff {
        /// The older edition.
        old: String,
        /// The newer edition.
        new: String,
        /// A JSON object: old_edition, new_edition, sections (status, old,
        /// new, title, old_title, changed, words_added, words_removed).
        #[arg(long)]
        json: bool,
        /// Plain text, or a markdown briefing (a table per part, in the
        /// style of the SET update briefings).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also list what did not change, and the sections renumbered
        /// with their chapter (otherwise folded into the chapter's entry).
        #[arg(long)]
        all: bool,
    },
    /// Write a section, chapter or part as one self-contained file, for
    /// trainers and printing: paragraph numbers kept, citations linked
    /// within the file, stamped with the edition and the date.
    #[command(
        after_help = "Examples:\n  setproc export B24.8 > b24-8.md\n  setproc export A3 --format html -o a3.html\n  setproc export part-B4 -o appendices.html"
    )]
    Export {
        /// A section (B24.8), chapter (A3) or part (part-B4), or a citation.
        #[arg(required = true, num_args = 1..)]
        reference: Vec<String>,
        /// Markdown or a standalone HTML page (default: from the -o file's
        /// extension, else markdown).
        #[arg(long, value_enum)]
        format: Option<export::ExportFormat>,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
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
        /// Show how the query was understood (expansions, corrections)
        /// and what found each result.
        #[arg(long)]
        explain: bool,
        /// Rank by the words alone, without the meaning layer.
        #[arg(long)]
        words_only: bool,
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
        /// Rank by the words alone, without the meaning layer (to compare).
        #[arg(long)]
        words_only: bool,
    },
    /// The manual's acronyms both ways (its acronym guide, Appendix 5, and
    /// those it spells out in the text), each with where it is defined.
    #[command(
        after_help = "Examples:\n  setproc glossary LADO\n  setproc glossary 'Local Authority Designated Officer'\n  setproc glossary mental health      entries holding these words\n  setproc glossary --gaps             acronyms used but never defined; entries never used"
    )]
    Glossary {
        /// An acronym (LADO), a full name, or words of either; every entry
        /// without it.
        term: Vec<String>,
        /// A JSON array: short, long, source, section, title, line (with
        /// --gaps: an object, undefined and unused).
        #[arg(long)]
        json: bool,
        /// A report for the manual's editors: acronyms used three or more
        /// times but never spelled out, and glossary entries never used,
        /// with counts and the sections where they occur.
        #[arg(long, conflicts_with = "term")]
        gaps: bool,
    },
    /// The phone numbers, e-mail and web addresses the manual gives, each
    /// with the name it belongs to, its section and the line it is quoted
    /// from.
    #[command(
        after_help = "Examples:\n  setproc contacts                 all of them\n  setproc contacts NSPCC\n  setproc contacts LADO phone\n  setproc contacts 0808 --json"
    )]
    Contacts {
        /// Words the contact's number or address, name, section or line
        /// must hold (all of them, without).
        query: Vec<String>,
        /// A JSON array: kind, value, normalised, name, section, paragraph,
        /// quote.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (generated from this command line).
    #[command(
        after_help = "Examples:\n  setproc completions bash > ~/.local/share/bash-completion/completions/setproc\n  setproc completions zsh > ~/.zfunc/_setproc\n  setproc completions fish > ~/.config/fish/completions/setproc.fish"
    )]
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, generated from this command line).
    #[command(
        after_help = "Examples:\n  setproc man | man -l -\n  setproc man > ~/.local/share/man/man1/setproc.1"
    )]
    Man,
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Leaked once: clap keeps the version for the life of the process.
    let version: &'static str = Box::leak(version::version_text(&args).into_boxed_str());
    let parsed = Cli::command()
        .version(version)
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
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
        None => reader(&cli.content, None),
        Some(Command::Open { reference }) => reader(&cli.content, Some(reference.join(" "))),
        Some(Command::Build {
            source,
            previous,
            all_warnings,
        }) => build(source, cli.content, previous, all_warnings),
        Some(Command::Diff {
            old,
            new,
            json,
            format,
            all,
        }) => editions::diff(&old, &new, json, format, all),
        Some(Command::Toc { json }) => toc(&load(&cli.content)?, json),
        Some(Command::Export {
            reference,
            format,
            output,
        }) => export::export(
            &load(&cli.content)?,
            cli.content.as_deref(),
            &reference.join(" "),
            format,
            output,
        ),
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
            words_only,
        }) => search(
            &cli.content,
            &query.join(" "),
            search::Shown {
                limit: usize::from(limit),
                json,
                explain,
                words_only,
            },
        ),
        Some(Command::Eval {
            file,
            json,
            words_only,
        }) => eval(&cli.content, &file, json, words_only),
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
        Some(Command::Glossary { term, json, gaps }) => {
            let lib = load(&cli.content)?;
            if gaps {
                glossary::gaps(&lib, json)
            } else {
                glossary::glossary(&lib, &term.join(" "), json)
            }
        }
        Some(Command::Contacts { query, json }) => {
            contacts::contacts(&load(&cli.content)?, &query.join(" "), json)
        }
        Some(Command::Completions { shell }) => shell::completions(shell),
        Some(Command::Man) => shell::man(),
        Some(Command::Resolve { text, json }) => {
            resolve(&load(&cli.content)?, &text.join(" "), json)
        }
    }
}

/// The reader: at `reference` (an id, citation or `ID@EDITION`), or where
/// the last one left off.
fn reader(content: &Option<PathBuf>, reference: Option<String>) -> Result<ExitCode> {
    let lib = load(content)?;
    let reference = reference.unwrap_or_default();
    let history = editions::history(content.as_deref(), &lib, &reference)?;
    let (start, note) = if reference.is_empty() {
        (None, None)
    } else {
        match crate::edition::lookup_at(&lib, history.as_ref(), &reference) {
            Ok((target, note)) => (Some(target), note),
            Err(e) => return Err(Failure::NotFound(e.to_string()).into()),
        }
    };
    let launch = crate::tui::Launch {
        start,
        note,
        editions: history.as_ref(),
        // For the start-up benchmark (BENCHMARKS.md): draw the first
        // frame, then exit.
        first_frame_only: std::env::var_os("SETPROC_FIRST_FRAME_ONLY").is_some(),
        ..crate::tui::Launch::new(&lib)
    };
    crate::tui::run_with(launch, || open_index(content, false))?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the search index for the manual in `content_dir` (the built-in one
/// by default), building it when missing, damaged or stale; the manual is
/// only parsed or loaded when the index has to be built. `warn` allows a
/// note on stderr (off while the reader owns the screen).
pub fn open_index(
    content_dir: &Option<PathBuf>,
    warn: bool,
) -> Result<crate::search::index::SearchIndex> {
    // A folder rebuilt between reading its manifest and loading its files
    // names another index: start again (a rebuild takes a second or so).
    let mut attempts = 0;
    loop {
        match open_index_once(content_dir, warn) {
            Err(Changed) if attempts < 5 => attempts += 1,
            Err(Changed) => anyhow::bail!("the content folder keeps changing; try again"),
            Ok(found) => return found,
        }
    }
}

/// The content folder changed under [`open_index_once`].
struct Changed;

fn open_index_once(
    content_dir: &Option<PathBuf>,
    warn: bool,
) -> std::result::Result<Result<crate::search::index::SearchIndex>, Changed> {
    use crate::search::index;
    let (key, dense) = match content_dir {
        Some(dir) => {
            let m = crate::store::content::load_manifest(dir).with_context(|| {
                format!(
                    "{} is not a setproc build (run `setproc build --content {}`)",
                    dir.display(),
                    dir.display()
                )
            });
            match m {
                // Vectors name the content they were made for: a folder
                // mid-rebuild gives none rather than another build's.
                Ok(m) => {
                    let dense = crate::search::dense::folder_vectors(dir, &m.content_hash);
                    // Vectors of another build: one committed between the
                    // two reads. Start again rather than search without.
                    if dense.is_none()
                        && crate::store::content::load_manifest(dir)
                            .is_ok_and(|now| now.content_hash != m.content_hash)
                    {
                        return Err(Changed);
                    }
                    (
                        format!("v{}-{}", index::INDEX_SCHEMA, m.content_hash),
                        dense,
                    )
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        None => (
            index::embedded_key(),
            crate::search::dense::builtin_vectors(),
        ),
    };
    let changed = std::cell::Cell::new(false);
    // A `--content` folder that fails to load is an error, never a reason
    // to index the built-in manual under that folder's key; nor is a
    // library that is not the one the key names.
    let make = || {
        let lib = load(content_dir).map_err(|e| index::IndexError::Source(format!("{e:#}")))?;
        if content_dir.is_some() && index::key_for(&lib) != key {
            changed.set(true);
            return Err(index::IndexError::Source(
                "the content folder changed".into(),
            ));
        }
        Ok(lib)
    };
    let root = paths::index_root_for(&key);
    let opened = match index::open_or_build(&root, &key, &make) {
        Ok(idx) => Ok(idx),
        Err(_) if changed.get() => return Err(Changed),
        Err(e @ index::IndexError::Source(_)) => Err(e.into()),
        // An unwritable place: build it in memory instead.
        Err(e) => {
            if warn {
                eprintln!("setproc: {e}; searching an index in memory");
            }
            match make() {
                Ok(lib) => index::build_in_ram(&lib, &key).map_err(Into::into),
                Err(_) if changed.get() => return Err(Changed),
                Err(e) => Err(e.into()),
            }
        }
    };
    // Said only once the folder has proved to be a build: a damaged one
    // gets its one-line error and nothing else.
    if opened.is_ok()
        && dense.is_none()
        && warn
        && let Some(dir) = content_dir
    {
        eprintln!(
            "setproc: {} has no vectors for its content (search by meaning is off; \
             `setproc build --content {}` makes them)",
            dir.display(),
            dir.display()
        );
    }
    Ok(opened.map(|mut idx: crate::search::index::SearchIndex| {
        idx.dense = dense;
        idx
    }))
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
