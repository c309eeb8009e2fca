//! The national terminology changes shipped with setproc
//! (`data/terminology.tsv`): old term, current term and the public source
//! for each, for the renamings the manual does not spell out.

use super::{Alias, TermsError, phrase_key};
use crate::text::hash::FxHashMap as HashMap;
/// The national terminology changes shipped with setproc.
pub const TERMINOLOGY_TSV: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/terminology.tsv"));

/// Parses a terminology file: `old_term<TAB>current_term<TAB>source` per
/// line; blank lines and lines starting with `#` are comments. An old term
/// may appear only once (case-insensitively).
pub fn parse_terminology_tsv(text: &str) -> Result<Vec<Alias>, TermsError> {
    let mut out = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if cols.len() != 3 {
            return Err(TermsError::Columns {
                line,
                found: cols.len(),
            });
        }
        for (col, name) in cols.iter().zip(["old term", "current term", "source"]) {
            if col.is_empty() {
                return Err(TermsError::EmptyField { line, column: name });
            }
        }
        let key = phrase_key(cols[0]);
        if let Some(&first) = first_seen.get(&key) {
            return Err(TermsError::Duplicate {
                line,
                term: cols[0].to_string(),
                first,
            });
        }
        first_seen.insert(key, line);
        out.push(Alias {
            term: cols[0].to_string(),
            means: cols[1].to_string(),
            source: cols[2].to_string(),
        });
    }
    Ok(out)
}
