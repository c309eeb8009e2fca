//! Hybrid ranking: the ranking by words, the ranking by meaning and the
//! ranking of the situation lines by their words, fused by reciprocal rank.
//!
//! Each list gives a section `weight / (k + rank)`; a section's score is
//! the sum. Ranks, not scores, because the two scales have nothing in
//! common (BM25 with bonuses against cosines) and their spread changes
//! from query to query. A small `k` lets the top of each list speak
//! loudly; the words' list weighs more, since what was typed (an acronym,
//! an id, a phrase) is the surer signal, and meaning mostly reorders and
//! fills in where the words find little. Weights chosen on the shared
//! evaluation set (BENCHMARKS.md, "Search by meaning"). Fusing normalised
//! scores instead (a convex combination) was measured too: shared hit@1
//! up to 0.967 but the dev set 0.88–0.92, and no better on paraphrases.

/// How the two rankings are combined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fusion {
    pub k: f32,
    pub lexical: f32,
    /// The meaning layer's weight for a query of up to three words (0
    /// turns it off)...
    pub dense: f32,
    /// ...and for one of six or more, linear between. A few words are
    /// usually the manual's own terms, which the words' ranking matches
    /// exactly; a sentence tells a situation in the asker's words, where
    /// the words' ranking is weakest and meaning strongest.
    pub dense_long: f32,
    /// How many of the dense ranking's sections take part.
    pub dense_depth: usize,
    /// Sections whose best unit is less similar than this take no part.
    /// Every query in the shared and held-out sets has a unit above 0.35
    /// (typos aside, which the words catch), while nonsense and off-topic
    /// text ("zzqqxx", "asdf qwer", "football results", "how do I bake
    /// bread") stays below 0.29: without a floor the meaning layer would
    /// answer every query, and a miss would never be reported as one.
    pub min_cosine: f32,
    /// The situations matched by their words ([`crate::search::situations`]):
    /// their weight for a query of up to three words (none: a short
    /// query is the manual's own terms, and a situation line sharing two
    /// of them says little)...
    pub told: f32,
    /// ...and for one of six or more, linear between.
    pub told_long: f32,
    /// How many of the query's terms a situation line must share.
    pub told_terms: usize,
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion {
            k: 1.0,
            lexical: 1.0,
            dense: 0.5,
            dense_long: 1.5,
            dense_depth: 50,
            min_cosine: 0.32,
            told: 0.0,
            told_long: 0.5,
            told_terms: 2,
        }
    }
}

impl Fusion {
    /// The meaning layer's weight for a query of `words` words.
    pub fn dense_weight(&self, words: usize) -> f32 {
        self.dense + sentence_likeness(words) * (self.dense_long - self.dense)
    }

    /// The situations' weight for a query of `words` words.
    pub fn told_weight(&self, words: usize) -> f32 {
        self.told + sentence_likeness(words) * (self.told_long - self.told)
    }
}

/// 0 for a query of up to three words, 1 for six or more, linear between.
fn sentence_likeness(words: usize) -> f32 {
    (words.clamp(3, 6) - 3) as f32 / 3.0
}

/// Fuses `lexical`, `dense` and `told` (section positions, best first:
/// by the words, by meaning, by the situation lines' words) into one
/// ranking of `(position, score)`, best first. With `dense_may_add`
/// false (the query quoted a phrase, which must match), the other two
/// only reorder the sections the words found.
pub fn fuse(
    lexical: &[usize],
    dense: &[usize],
    told: &[usize],
    f: Fusion,
    words: usize,
    dense_may_add: bool,
) -> Vec<(usize, f32)> {
    let dense_weight = f.dense_weight(words);
    let told_weight = f.told_weight(words);
    let mut scores: Vec<(usize, f32, usize)> = lexical
        .iter()
        .enumerate()
        .map(|(r, &ord)| (ord, f.lexical / (f.k + r as f32 + 1.0), r))
        .collect();
    for (list, weight) in [(dense, dense_weight), (told, told_weight)] {
        if weight <= 0.0 {
            continue;
        }
        for (r, &ord) in list.iter().take(f.dense_depth).enumerate() {
            let add = weight / (f.k + r as f32 + 1.0);
            match scores.iter_mut().find(|(o, _, _)| *o == ord) {
                Some(s) => s.1 += add,
                None if dense_may_add => scores.push((ord, add, usize::MAX)),
                None => {}
            }
        }
    }
    // Ties: the words' order, then reading order.
    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
    scores.into_iter().map(|(o, s, _)| (o, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_wins_and_meaning_fills_in() {
        let f = Fusion::default();
        // 7 is second by words and first by meaning: it comes first.
        let r = fuse(&[3, 7, 9], &[7, 5], &[], f, 2, true);
        let order: Vec<usize> = r.iter().map(|x| x.0).collect();
        assert_eq!(order[0], 7);
        // 5, found by meaning alone, is added.
        assert!(order.contains(&5));
        // With a quoted phrase it is not.
        let r = fuse(&[3, 7, 9], &[7, 5], &[], f, 2, false);
        assert!(!r.iter().any(|x| x.0 == 5));
    }

    #[test]
    fn without_the_meaning_layer_the_words_order_stands() {
        let f = Fusion {
            dense: 0.0,
            dense_long: 0.0,
            ..Fusion::default()
        };
        let r = fuse(&[3, 7, 9], &[9, 7, 3], &[], f, 8, true);
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [3, 7, 9]);
    }
}
