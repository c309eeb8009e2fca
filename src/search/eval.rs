//! Search quality measurement: a TSV of queries with the section ids that
//! would be acceptable answers, scored as hit@1, hit@3 and mean reciprocal
//! rank, overall and per query kind.
//!
//! The file format is the one in `shared/eval/queries.tsv`:
//! `query<TAB>acceptable ids (comma-separated)[<TAB>kind[<TAB>evidence]]`,
//! with a header line starting `query`. Scoring is pure; running the
//! searches is the caller's.

use std::collections::BTreeMap;

use serde::Serialize;

/// One evaluation query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub query: String,
    pub acceptable: Vec<String>,
    pub kind: String,
    /// 1-based line in the file.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EvalFileError {
    pub line: usize,
    pub message: String,
}

/// Parses the TSV (header optional, blank and `#` lines skipped).
pub fn parse_cases(text: &str) -> Result<Vec<Case>, EvalFileError> {
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || (i == 0 && trimmed.starts_with("query\t"))
        {
            continue;
        }
        let mut cols = line.split('\t');
        let query = cols.next().unwrap_or("").trim().to_string();
        let ids = cols.next().ok_or_else(|| EvalFileError {
            line: line_no,
            message: "expected query<TAB>ids".into(),
        })?;
        let acceptable: Vec<String> = ids
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if query.is_empty() || acceptable.is_empty() {
            return Err(EvalFileError {
                line: line_no,
                message: "empty query or id list".into(),
            });
        }
        let kind = cols
            .next()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .unwrap_or("all")
            .to_string();
        cases.push(Case {
            query,
            acceptable,
            kind,
            line: line_no,
        });
    }
    Ok(cases)
}

/// The outcome of one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub query: String,
    pub kind: String,
    pub acceptable: Vec<String>,
    /// 1-based rank of the first acceptable result, if any.
    pub rank: Option<usize>,
    /// The top results returned.
    pub top: Vec<String>,
}

/// Scores one query given the ids it returned, best first.
pub fn score(case: &Case, results: &[String]) -> Outcome {
    let rank = results
        .iter()
        .position(|r| case.acceptable.iter().any(|a| a.eq_ignore_ascii_case(r)))
        .map(|p| p + 1);
    Outcome {
        query: case.query.clone(),
        kind: case.kind.clone(),
        acceptable: case.acceptable.clone(),
        rank,
        top: results.iter().take(3).cloned().collect(),
    }
}

/// Aggregate figures for a set of outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    pub queries: usize,
    pub hit_at_1: f64,
    pub hit_at_3: f64,
    pub mrr: f64,
}

pub fn metrics<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Metrics {
    let (mut n, mut h1, mut h3, mut rr) = (0usize, 0usize, 0usize, 0f64);
    for o in outcomes {
        n += 1;
        if let Some(r) = o.rank {
            h1 += usize::from(r == 1);
            h3 += usize::from(r <= 3);
            rr += 1.0 / r as f64;
        }
    }
    let d = n.max(1) as f64;
    Metrics {
        queries: n,
        hit_at_1: h1 as f64 / d,
        hit_at_3: h3 as f64 / d,
        mrr: rr / d,
    }
}

/// The full report: overall, per kind (in first-seen order), and misses
/// (queries whose first result is not acceptable).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub overall: Metrics,
    pub by_kind: BTreeMap<String, Metrics>,
    pub outcomes: Vec<Outcome>,
}

pub fn report(outcomes: Vec<Outcome>) -> Report {
    let mut kinds: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    for o in &outcomes {
        kinds.entry(o.kind.clone()).or_default().push(o);
    }
    let by_kind = kinds.into_iter().map(|(k, v)| (k, metrics(v))).collect();
    Report {
        overall: metrics(&outcomes),
        by_kind,
        outcomes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shared_format() {
        let t = "query\tacceptable_ids\tkind\tevidence\nLADO\tA7.2,A7.3\tacronym\tL1\n\n# note\nfoo\tB1\n";
        let c = parse_cases(t).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].acceptable, ["A7.2", "A7.3"]);
        assert_eq!(c[0].kind, "acronym");
        assert_eq!(c[1].kind, "all");
        assert_eq!(parse_cases("lonely query\n").unwrap_err().line, 1);
    }

    #[test]
    fn scores_ranks_and_metrics() {
        let case = |q: &str, ids: &[&str]| Case {
            query: q.into(),
            acceptable: ids.iter().map(|s| s.to_string()).collect(),
            kind: "k".into(),
            line: 1,
        };
        let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o1 = score(&case("a", &["B1"]), &r(&["B1", "B2"]));
        let o2 = score(&case("b", &["B9"]), &r(&["B1", "B2", "B9"]));
        let o3 = score(&case("c", &["B9"]), &r(&["B1"]));
        assert_eq!((o1.rank, o2.rank, o3.rank), (Some(1), Some(3), None));
        let m = metrics([&o1, &o2, &o3]);
        assert!((m.hit_at_1 - 1.0 / 3.0).abs() < 1e-9);
        assert!((m.hit_at_3 - 2.0 / 3.0).abs() < 1e-9);
        assert!((m.mrr - (1.0 + 1.0 / 3.0) / 3.0).abs() < 1e-9);
    }
}
