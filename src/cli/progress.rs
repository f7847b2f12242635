//! The spinner `check` shows on stderr while it lists, reads and checks
//! files: for a person at a terminal only, and only once the work has
//! taken long enough to be noticed.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long the work runs before the spinner appears: a quick check
/// prints its results without a flash of spinner first.
const DELAY: Duration = Duration::from_millis(200);

/// Whether a spinner may be drawn: stderr is a terminal, and no `CI`
/// variable says the run is a build log (CI services give the build a
/// terminal at times, where a redrawn line only adds noise).
fn shown(stderr_is_terminal: bool, ci: Option<&OsStr>) -> bool {
    stderr_is_terminal && ci.is_none_or(|value| value.is_empty())
}

/// A spinner with a message on stderr, drawn only when [`shown`] allows it
/// and once [`DELAY`] has passed; otherwise every call does nothing.
pub(crate) struct Progress {
    bar: ProgressBar,
    /// Whether the work is over: the thread that shows the spinner after
    /// the delay checks it under the lock, so the spinner never appears
    /// after [`Progress::finish`] has cleared it.
    finished: Arc<Mutex<bool>>,
}

impl Progress {
    /// Starts the delay: the spinner appears after it unless the work is
    /// finished by then.
    pub(crate) fn start(message: &str) -> Progress {
        let bar = ProgressBar::hidden();
        let finished = Arc::new(Mutex::new(false));
        if shown(
            std::io::stderr().is_terminal(),
            std::env::var_os("CI").as_deref(),
        ) {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}").expect("the template is valid"),
            );
            bar.set_message(message.to_string());
            let (delayed, delayed_finished) = (bar.clone(), finished.clone());
            std::thread::spawn(move || {
                std::thread::sleep(DELAY);
                let finished = delayed_finished.lock().unwrap_or_else(|e| e.into_inner());
                if !*finished {
                    delayed.set_draw_target(ProgressDrawTarget::stderr());
                    delayed.enable_steady_tick(Duration::from_millis(100));
                }
            });
        }
        Progress { bar, finished }
    }

    /// Says what is being done now.
    pub(crate) fn set_message(&self, message: String) {
        self.bar.set_message(message);
    }

    /// Runs `print` with the spinner's line cleared, so that what it
    /// prints is not mixed with the spinner (it is drawn again after).
    pub(crate) fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        let _finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        self.bar.suspend(print)
    }

    /// Clears the spinner for good, before the results are printed.
    pub(crate) fn finish(&self) {
        let mut finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        *finished = true;
        self.bar.finish_and_clear();
    }
}

/// An error that ends the command early clears the spinner too.
impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::shown;
    use std::ffi::OsStr;

    #[test]
    fn spinner_only_at_a_terminal_outside_ci() {
        assert!(shown(true, None));
        assert!(shown(true, Some(OsStr::new(""))));
        assert!(!shown(true, Some(OsStr::new("true"))));
        assert!(!shown(false, None));
    }
}
