//! The scanner's word tables: the unit words a citation starts with and the
//! words that start, cut or join a cited title.

/// What a citation is of: `Section` and `Paragraph` need a dotted number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Chapter,
    Section,
}

pub(super) fn keyword(word: &str) -> Option<Keyword> {
    const CHAPTER: &[&str] = &["chapter", "chapters", "ch"];
    const SECTION: &[&str] = &[
        "section",
        "sections",
        "paragraph",
        "paragraphs",
        "para",
        "paras",
    ];
    let is = |list: &[&str]| list.iter().any(|k| k.eq_ignore_ascii_case(word));
    if is(CHAPTER) {
        Some(Keyword::Chapter)
    } else if is(SECTION) {
        Some(Keyword::Section)
    } else {
        None
    }
}

/// Words after a number that never start a title: prose goes on instead
/// ("Chapter 15 for details", "section 26.2.2 above in the light").
pub(super) const NO_TITLE_START: &[&str] = &[
    "for", "of", "in", "to", "and", "or", "which", "who", "as", "is", "are", "will", "should",
    "must", "may", "can", "within", "on", "at", "by", "with", "from", "under", "where", "when",
    "if", "that", "also", "see", "has", "have", "was", "were", "be", "this", "these", "it", "they",
    "there", "but", "so", "then", "sets", "states", "provides", "requires", "places", "etc", "had",
    "would",
];

/// Words at which a captured title may be cut because prose usually starts
/// there ("… Referral and assessment is followed", "… Information Sharing
/// for further guidance"). Only candidates: the longer title wins unless a
/// cut matches clearly better.
pub(super) const PROSE_START: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "will",
    "would",
    "should",
    "shall",
    "must",
    "may",
    "can",
    "could",
    "which",
    "who",
    "whose",
    "whenever",
    "when",
    "where",
    "while",
    "if",
    "as",
    "that",
    "rather",
    "including",
    "regarding",
    "provides",
    "sets",
    "procedure",
    "procedures",
    "for",
    "has",
    "have",
    "had",
    "also",
    "however",
    "whether",
];

/// Words a title does not end with: they join it to what follows.
pub(super) const TRAILING_JOINERS: &[&str] = &[
    "and",
    "or",
    "including",
    "see",
    "also",
    "the",
    "in",
    "with",
    "to",
    "of",
    "a",
];

pub(super) const MAX_TITLE_WORDS: usize = 20;

/// Whether `word` is one of `list` (ASCII case ignored).
pub(super) fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}
