//! Word lists: the words that tell a story rather than name a topic, the
//! function words the index leaves out, and the query's stopwords.

/// Words that carry a story, not a topic ("I still think…", "he brought…",
/// "made me promise"): rare in the manual, so their rarity would otherwise
/// outweigh the words that name what the query is about. Still searched,
/// with less weight.
pub fn is_narrative(w: &str) -> bool {
    const NARRATIVE: &[&str] = &[
        "think",
        "thinks",
        "thought",
        "still",
        "made",
        "make",
        "makes",
        "brought",
        "bring",
        "brings",
        "let",
        "lets",
        "really",
        "anyone",
        "anybody",
        "anything",
        "everyone",
        "everything",
        "tried",
        "try",
        "tries",
        "trying",
        "seem",
        "seems",
        "seemed",
        "feel",
        "feels",
        "felt",
        "know",
        "knows",
        "knew",
        "want",
        "wants",
        "wanted",
        "going",
        "went",
        "goes",
        "come",
        "came",
        "comes",
        "put",
        "take",
        "took",
        "takes",
        "saying",
        "said",
        "says",
        "thing",
        "things",
        "lot",
        "bit",
        "today",
        "yesterday",
        "now",
        "again",
        "ever",
        "got",
        "getting",
        "won't",
        "wont",
        "can't",
        "cant",
        "didn't",
        "didnt",
        "doesn't",
        "doesnt",
    ];
    NARRATIVE.contains(&w)
}

/// The commonest function words, which the index leaves out: two in five
/// of the manual's running words (the index was a third larger with them),
/// and each a [`is_stopword`], so never searched for as a term. Their
/// positions still count: `child in need` is indexed as `child` at 0 and
/// `need` at 2, and a phrase query skips the gap the same way.
pub fn is_unindexed(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "and"
            | "to"
            | "of"
            | "a"
            | "an"
            | "in"
            | "or"
            | "be"
            | "is"
            | "are"
            | "for"
            | "with"
            | "that"
            | "this"
            | "their"
            | "as"
            | "by"
            | "on"
            | "it"
            | "from"
            | "at"
    )
}

/// Words that carry no meaning on their own in a query. Kept in the index
/// (phrases need them) but not searched as terms. Long only as a list:
/// one word per line.
pub fn is_stopword(w: &str) -> bool {
    const STOP: &[&str] = &[
        "a",
        "about",
        "after",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "ours",
        "she",
        "should",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "also",
        "must",
        "may",
        "might",
        "shall",
        "i'm",
        "im",
        "ive",
        "just",
        "get",
        "got",
        "keeps",
        "keep",
        "being",
        "someone",
        "something",
    ];
    STOP.contains(&w)
}
