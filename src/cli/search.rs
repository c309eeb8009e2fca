//! `setproc search` and `setproc eval`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use super::progress::{Progress, on_terminal, spinner};
use super::{Failure, open_index, stdout};
use crate::text::markup::terminal_safe;

/// How `setproc search` shows its results.
pub(super) struct Shown {
    pub limit: usize,
    pub json: bool,
    pub explain: bool,
    pub words_only: bool,
}

/// The meaning layer on, unless asked for words alone.
fn meaning(words_only: bool) -> crate::search::Meaning {
    if words_only {
        crate::search::Meaning::Off
    } else {
        crate::search::Meaning::Embed
    }
}

pub(super) fn search(content_dir: &Option<PathBuf>, query: &str, shown: Shown) -> Result<ExitCode> {
    let Shown {
        limit,
        json,
        explain,
        words_only,
    } = shown;
    let opts = crate::search::Options {
        limit,
        meaning: meaning(words_only),
        ..Default::default()
    };
    let mut idx = spinner("opening the search index", || open_index(content_dir, true))?;
    if explain {
        let mut err = io::stderr().lock();
        for alts in crate::search::Engine::new(&idx).explain(query, opts) {
            writeln!(err, "searching for: {}", terminal_safe(&alts.join(" | ")))?;
        }
        let by_meaning = match (&idx.dense, words_only) {
            (_, true) => "off (--words-only)".to_string(),
            (Some(_), false) => format!("on ({})", crate::search::dense::MODEL_ID),
            (None, false) => "off (no vectors for this content)".to_string(),
        };
        writeln!(err, "by meaning: {by_meaning}")?;
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
            if explain {
                writeln!(out, "         found by: {}", h.found_by.join(", "))?;
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
pub(super) fn highlight(snippet: &str, ranges: &[(usize, usize)], color: bool) -> String {
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

pub(super) fn eval(
    content_dir: &Option<PathBuf>,
    file: &std::path::Path,
    json: bool,
    words_only: bool,
) -> Result<ExitCode> {
    use crate::search::eval;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let cases = eval::parse_cases(&text).with_context(|| file.display().to_string())?;
    let idx = spinner("opening the search index", || open_index(content_dir, true))?;
    let mut engine = crate::search::Engine::new(&idx);
    let progress = Progress::new(cases.len() as u64, "searching", on_terminal());
    let outcomes: Vec<eval::Outcome> = cases
        .iter()
        .map(|c| {
            let opts = crate::search::Options {
                meaning: meaning(words_only),
                ..Default::default()
            };
            let hits = engine.search(&c.query, opts);
            let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
            progress.step("searching");
            eval::score(c, &ids)
        })
        .collect();
    progress.finish();
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
