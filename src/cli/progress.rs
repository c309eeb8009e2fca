//! Progress on stderr for what can take more than half a second: a build,
//! an evaluation, the search index built on first use.
//!
//! Shown only on a terminal (stdout and stderr both: piped or redirected,
//! setproc stays quiet) and only once the work has lasted half a second,
//! so quick runs never flicker. Cleared when done, leaving the output as it
//! would be without it.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress is shown.
const DELAY: Duration = Duration::from_millis(500);

/// Whether progress may be drawn: both streams are terminals.
pub(super) fn on_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
}

/// A progress bar (or spinner) that appears after [`DELAY`].
pub(super) struct Progress {
    bar: ProgressBar,
    done: Option<mpsc::Sender<()>>,
    shower: Option<JoinHandle<()>>,
}

impl Progress {
    /// A bar of `len` steps, or a spinner when `len` is 0; `visible` says
    /// whether it may ever be drawn (see [`on_terminal`]).
    pub(super) fn new(len: u64, message: &str, visible: bool) -> Progress {
        let bar =
            ProgressBar::with_draw_target((len > 0).then_some(len), ProgressDrawTarget::hidden());
        let template = if len > 0 {
            "{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})"
        } else {
            "{spinner} {msg} ({elapsed})"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message.to_string());
        if !visible {
            return Progress {
                bar,
                done: None,
                shower: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            if rx.recv_timeout(DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Progress {
            bar,
            done: Some(tx),
            shower: Some(shower),
        }
    }

    /// One step done; `message` says what comes next.
    pub(super) fn step(&self, message: &str) {
        self.bar.inc(1);
        self.bar.set_message(message.to_string());
    }

    /// Says how the current step is going (its message only).
    pub(super) fn say(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    /// Ends it, clearing what was drawn.
    pub(super) fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.done.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.shower.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    /// An error or a panic mid-way still clears the bar.
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `work` with a spinner saying `message` (after [`DELAY`], on a
/// terminal).
pub(super) fn spinner<T>(message: &str, work: impl FnOnce() -> T) -> T {
    let p = Progress::new(0, message, on_terminal());
    let out = work();
    p.finish();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_or_hidden_work_draws_nothing_and_steps_count() {
        let p = Progress::new(3, "parsing", true);
        p.step("indexing");
        p.step("writing");
        assert_eq!(p.bar.position(), 2);
        assert_eq!(p.bar.message(), "writing");
        // Finished before the delay: never drawn.
        assert!(p.bar.is_hidden());
        p.finish();
        assert_eq!(spinner("x", || 7), 7);
    }
}
