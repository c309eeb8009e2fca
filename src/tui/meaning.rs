//! The reader's embedding thread: a query's vector takes several
//! milliseconds to make, longer than a keystroke may, so the search bar
//! shows the words' results at once and this thread makes the vector;
//! when it comes, the results are searched again with it
//! ([`super::Action::MeaningReady`]). Only the newest query waiting is
//! embedded: typing fast skips the prefixes in between.

use std::sync::mpsc::{Receiver, Sender, channel};

/// A query's vector, or `None` when it cannot be made.
pub type Embed = Box<dyn Fn(&str) -> Option<Vec<f32>> + Send>;

/// The thread and its two queues.
pub struct Embedder {
    jobs: Sender<String>,
    done: Receiver<(String, Vec<f32>)>,
    /// The last query asked for, until its vector (or its failure) comes.
    waiting: Option<String>,
    failed: Receiver<String>,
}

impl Embedder {
    pub fn start(embed: Embed) -> Embedder {
        let (jobs, queue) = channel::<String>();
        let (give, done) = channel();
        let (fail, failed) = channel();
        std::thread::Builder::new()
            .name("setproc-embed".into())
            .spawn(move || {
                while let Ok(mut q) = queue.recv() {
                    // Only the newest query counts.
                    while let Ok(newer) = queue.try_recv() {
                        q = newer;
                    }
                    let sent = match embed(&q) {
                        Some(v) => give.send((q, v)).is_ok(),
                        None => fail.send(q).is_ok(),
                    };
                    if !sent {
                        break;
                    }
                }
            })
            // Without the thread, search is by words only.
            .ok();
        Embedder {
            jobs,
            done,
            waiting: None,
            failed,
        }
    }

    /// Asks for `query`'s vector.
    pub fn request(&mut self, query: String) {
        if self.jobs.send(query.clone()).is_ok() {
            self.waiting = Some(query);
        }
    }

    /// Whether a vector is still to come for the last query asked for.
    pub fn busy(&self) -> bool {
        self.waiting.is_some()
    }

    /// A vector made since the last call, if any.
    pub fn take(&mut self) -> Option<(String, Vec<f32>)> {
        while let Ok(q) = self.failed.try_recv() {
            if self.waiting.as_ref() == Some(&q) {
                self.waiting = None;
            }
        }
        let (q, v) = self.done.try_recv().ok()?;
        if self.waiting.as_ref() == Some(&q) {
            self.waiting = None;
        }
        Some((q, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn vectors_come_back_for_the_newest_query() {
        let mut e = Embedder::start(Box::new(|q: &str| {
            std::thread::sleep(Duration::from_millis(5));
            (q != "fails").then(|| vec![q.len() as f32])
        }));
        e.request("fails".into());
        e.request("baby with a bruise".into());
        assert!(e.busy());
        let until = Instant::now() + Duration::from_secs(5);
        let mut got = Vec::new();
        while e.busy() && Instant::now() < until {
            if let Some(r) = e.take() {
                got.push(r);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(!e.busy());
        assert_eq!(
            got.last(),
            Some(&("baby with a bruise".to_string(), vec![18.0]))
        );
    }
}
