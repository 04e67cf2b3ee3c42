//! Live progress of the phases of a fit, on stderr.
//!
//! A phase's bar is drawn only when progress is on (the program's stderr is a terminal: piped
//! output stays the plain log lines on stdout) and only once the phase has run for half a
//! second, so fast fits print nothing extra. A bar is cleared when its phase ends. Bars can be
//! advanced from the worker threads of a parallel phase.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Raised by whoever catches Ctrl-C (the REPL, around a fit); the fit's loops stop at their
/// next step when it is up.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks the running fit to stop at its next step.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::Relaxed);
}

/// Lowers the flag (before a fit starts).
pub fn clear_interrupt() {
    INTERRUPTED.store(false, Ordering::Relaxed);
}

/// Whether the running fit was asked to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// A phase shorter than this never shows a bar.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// One phase's bar, or nothing when progress is off.
pub struct Phase {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: AtomicBool,
}

impl Phase {
    /// A phase of `len` steps, described by `message`; no bar at all unless `enabled`.
    pub fn new(enabled: bool, message: &str, len: u64) -> Phase {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template("{msg:28} [{bar:30}] {pos}/{len} ({elapsed}, about {eta} left)")
                .expect("the template is valid")
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(message.to_string());
            bar
        });
        Phase { bar, start: Instant::now(), shown: AtomicBool::new(false) }
    }

    /// A phase that shows nothing.
    pub fn off() -> Phase {
        Phase::new(false, "", 0)
    }

    /// Marks `n` more steps done.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
            self.show_when_slow(bar);
        }
    }

    /// Sets the number of steps done.
    pub fn set(&self, position: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(position);
            self.show_when_slow(bar);
        }
    }

    fn show_when_slow(&self, bar: &ProgressBar) {
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= SHOW_AFTER {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
