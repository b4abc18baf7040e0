//! Progress on a terminal for the commands that take a while (demo, export, backup,
//! verify, import): a bar, or a spinner when the count is not known, on standard
//! error, drawn only when standard error is a terminal and `-q/--quiet` was not
//! given. Scripts, pipes, cron and tests see nothing extra; standard output is never
//! touched.
//!
//! The service never draws. An operation that takes long takes a `&dyn` [`Tick`] and
//! tells it which stage it is at and how far it has got; the CLI passes a
//! [`Progress`] (the terminal's), the TUI may pass its own, and every other caller
//! passes [`Silent`]. No SQL and no rules here.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What a long operation reports as it goes. May be called from any thread (verify
/// walks the chain on one while it rebuilds the tables on another).
pub trait Tick: Sync {
    /// A stage begins: `what` ("rebuilding every table from the log") is done to
    /// `total` things (0: a count not known in advance).
    fn stage(&self, what: &str, total: u64) {
        let _ = (what, total);
    }
    /// `n` more of the current stage's things are done.
    fn inc(&self, n: u64) {
        let _ = n;
    }
}

/// Reports nothing: for callers with no one watching.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Tick for Silent {}

/// Counts `inc`s and passes them on `every` at a time, so that a loop over a
/// million rows calls the reporter a few thousand times, not a million.
pub struct Batched<'t> {
    tick: &'t dyn Tick,
    every: u64,
    pending: u64,
}

impl<'t> Batched<'t> {
    pub fn new(tick: &'t dyn Tick, every: u64) -> Self {
        Batched { tick, every: every.max(1), pending: 0 }
    }

    /// One more done.
    pub fn one(&mut self) {
        self.pending += 1;
        if self.pending >= self.every {
            self.tick.inc(std::mem::take(&mut self.pending));
        }
    }
}

impl Drop for Batched<'_> {
    fn drop(&mut self) {
        if self.pending > 0 {
            self.tick.inc(self.pending);
        }
    }
}

static QUIET: AtomicBool = AtomicBool::new(false);

/// `-q/--quiet`: no progress is drawn for the rest of the process.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether progress is drawn: only on a terminal, and not when asked to be quiet.
pub fn shown(quiet: bool, stderr_is_terminal: bool) -> bool {
    stderr_is_terminal && !quiet
}

/// A progress line on standard error (or nothing: see [`shown`]), cleared when
/// finished or dropped, so what the command prints after it stands alone.
///
/// ```no_run
/// let p = caseshare::progress::Progress::new(10_000, "importing rows");
/// for _ in 0..10_000 {
///     p.inc(1);
/// }
/// p.finish();
/// ```
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar of `total` things (0: a spinner), labelled `what`, drawn only when
    /// [`shown`] for this process.
    pub fn new(total: u64, what: &str) -> Progress {
        let show = shown(QUIET.load(Ordering::Relaxed), std::io::stderr().is_terminal());
        Progress::drawn(show, total, what)
    }

    /// Never drawn.
    pub fn hidden() -> Progress {
        Progress::drawn(false, 0, "")
    }

    fn drawn(show: bool, total: u64, what: &str) -> Progress {
        let target = if show { ProgressDrawTarget::stderr_with_hz(8) } else { ProgressDrawTarget::hidden() };
        let bar = ProgressBar::with_draw_target(None, target);
        let p = Progress { bar };
        p.stage(what, total);
        p
    }

    /// Whether anything is drawn.
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// `n` more done.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// Done: the line is cleared.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Tick for Progress {
    fn stage(&self, what: &str, total: u64) {
        if self.bar.is_hidden() {
            return;
        }
        let style = if total == 0 {
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        } else {
            // The bar takes what the line leaves, so it never wraps on a narrow terminal.
            ProgressStyle::with_template("{msg} [{wide_bar}] {human_pos}/{human_len} ({elapsed}, ~{eta} left)")
        };
        self.bar.set_style(style.expect("a fixed template").progress_chars("=> "));
        self.bar.set_message(what.to_string());
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.reset_elapsed();
        if total == 0 {
            self.bar.enable_steady_tick(Duration::from_millis(120));
        } else {
            self.bar.disable_steady_tick();
        }
    }

    fn inc(&self, n: u64) {
        self.bar.inc(n);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_drawn_only_on_a_terminal_and_never_when_quiet() {
        assert!(shown(false, true));
        assert!(!shown(true, true), "-q silences it on a terminal");
        assert!(!shown(false, false), "a pipe, a file or a test harness sees nothing");
        assert!(!shown(true, false));
    }

    #[test]
    fn a_progress_that_is_not_shown_draws_nothing_whatever_it_is_told() {
        let p = Progress::drawn(false, 10, "exporting requests");
        assert!(p.is_hidden());
        p.stage("exporting viewings", 0);
        p.inc(3);
        p.finish();
        assert!(Progress::hidden().is_hidden());
    }

    #[test]
    fn batched_ticks_pass_on_every_count_once() {
        use std::sync::atomic::AtomicU64;
        struct Count(AtomicU64, AtomicU64);
        impl Tick for Count {
            fn inc(&self, n: u64) {
                self.0.fetch_add(n, Ordering::Relaxed);
                self.1.fetch_add(1, Ordering::Relaxed);
            }
        }
        let c = Count(AtomicU64::new(0), AtomicU64::new(0));
        {
            let mut b = Batched::new(&c, 100);
            for _ in 0..1_050 {
                b.one();
            }
        }
        assert_eq!(c.0.load(Ordering::Relaxed), 1_050);
        assert_eq!(c.1.load(Ordering::Relaxed), 11, "ten batches of 100 and the 50 left at the end");
    }
}
