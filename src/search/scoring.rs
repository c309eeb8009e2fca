//! A scoring building block tantivy lacks: a query whose matches score the
//! inner query's score *plus a constant*.
//!
//! Search rewards covering more of the query: each concept found adds its
//! rarity on top of its BM25 score. Written as a second, constant-score
//! clause that would traverse every posting list twice; wrapping the
//! concept's own query walks them once.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term};

/// Matches what `query` matches; scores `query`'s score + `add`.
pub struct PlusConst {
    query: Box<dyn Query>,
    add: Score,
}

impl PlusConst {
    pub fn new(query: Box<dyn Query>, add: Score) -> PlusConst {
        PlusConst { query, add }
    }
}

impl Clone for PlusConst {
    fn clone(&self) -> Self {
        PlusConst {
            query: self.query.box_clone(),
            add: self.add,
        }
    }
}

impl fmt::Debug for PlusConst {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PlusConst(query={:?}, add={})", self.query, self.add)
    }
}

impl Query for PlusConst {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(enable_scoring)?;
        Ok(Box::new(PlusConstWeight {
            inner,
            add: self.add,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

struct PlusConstWeight {
    inner: Box<dyn Weight>,
    add: Score,
}

impl Weight for PlusConstWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(PlusConstScorer {
            inner,
            add: self.add * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut e = Explanation::new_with_string(
            format!("plus {} for matching", self.add),
            inner.value() + self.add,
        );
        e.add_detail(inner);
        Ok(e)
    }
}

struct PlusConstScorer {
    inner: Box<dyn Scorer>,
    add: Score,
}

impl DocSet for PlusConstScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        self.inner.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for PlusConstScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.add
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    #[test]
    fn adds_a_constant_to_every_match_only() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in ["apple pie", "apple", "pear"] {
            let mut d = TantivyDocument::default();
            d.add_text(body, text);
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let apple = || {
            Box::new(TermQuery::new(
                Term::from_field_text(body, "apple"),
                IndexRecordOption::WithFreqs,
            )) as Box<dyn Query>
        };
        let plain = searcher
            .search(&*apple(), &TopDocs::with_limit(5).order_by_score())
            .unwrap();
        let plus = searcher
            .search(
                &PlusConst::new(apple(), 10.0),
                &TopDocs::with_limit(5).order_by_score(),
            )
            .unwrap();
        assert_eq!(plain.len(), 2);
        assert_eq!(plus.len(), 2, "no new matches");
        for ((a, da), (b, db)) in plain.iter().zip(&plus) {
            assert_eq!(da, db);
            assert!((b - a - 10.0).abs() < 1e-4);
        }
    }
}
