//! Live progress for long audits (a whole GitHub organisation): repositories done of total,
//! the ones in flight, requests spent, quota left and any rate-limit wait. An interactive
//! terminal gets an indicatif bar on stderr; CI logs get plain lines, since a redrawn bar turns
//! into noise there; pipes and `--quiet` get nothing. The library reports events here and never
//! decides where they go: the binary picks the mode.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    Hidden,
    /// An indicatif bar on stderr.
    Bar,
    /// One plain line per finished repository, for CI logs.
    Lines,
}

impl ProgressMode {
    /// The mode for this process: hidden when quiet or when stderr is not a terminal, plain
    /// lines in CI (`CI=true`), a bar otherwise.
    pub fn detect(quiet: bool, stderr_is_terminal: bool) -> Self {
        let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
        if quiet {
            ProgressMode::Hidden
        } else if ci {
            ProgressMode::Lines
        } else if stderr_is_terminal {
            ProgressMode::Bar
        } else {
            ProgressMode::Hidden
        }
    }
}

/// Counters shared by every request of a run; also read by tests and the benchmark.
#[derive(Debug, Default)]
pub struct RequestStats {
    /// Requests sent over the network, retries included.
    pub requests: AtomicU64,
    /// Of those, answered `304 Not Modified` from the cache.
    pub not_modified: AtomicU64,
    /// Immutable objects (trees and blobs by SHA) served from the cache with no request.
    pub cache_hits: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limit_waits: AtomicU64,
    /// `X-RateLimit-Remaining` as last seen; -1 when unknown.
    pub quota_left: AtomicI64,
}

impl RequestStats {
    pub fn new() -> Self {
        let stats = RequestStats::default();
        stats.quota_left.store(-1, Ordering::Relaxed);
        stats
    }

    pub fn summary(&self) -> String {
        let requests = self.requests.load(Ordering::Relaxed);
        let not_modified = self.not_modified.load(Ordering::Relaxed);
        let cache_hits = self.cache_hits.load(Ordering::Relaxed);
        let mut text = format!(
            "{requests} API requests ({not_modified} answered 304), {cache_hits} read from cache"
        );
        let quota = self.quota_left.load(Ordering::Relaxed);
        if quota >= 0 {
            text.push_str(&format!(", quota left {quota}"));
        }
        let waits = self.rate_limit_waits.load(Ordering::Relaxed);
        if waits > 0 {
            text.push_str(&format!(", {waits} rate-limit waits"));
        }
        text
    }
}

pub struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    state: Mutex<State>,
    pub stats: RequestStats,
}

#[derive(Default)]
struct State {
    total: u64,
    done: u64,
    current: BTreeSet<String>,
    waiting: Option<String>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("mode", &self.mode)
            .finish()
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new(ProgressMode::Hidden)
    }
}

impl Progress {
    pub fn new(mode: ProgressMode) -> Self {
        let bar = (mode == ProgressMode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} repos  {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            mode,
            bar,
            state: Mutex::new(State::default()),
            stats: RequestStats::new(),
        }
    }

    pub fn mode(&self) -> ProgressMode {
        self.mode
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_total(&self, total: usize) {
        self.lock().total = total as u64;
        if let Some(bar) = &self.bar {
            // Ticking starts here, so audits that never reach GitHub draw nothing.
            bar.set_length(total as u64);
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        self.line(&format!("auditing {total} repositories"));
    }

    pub fn started(&self, name: &str) {
        self.lock().current.insert(name.to_string());
        self.redraw();
    }

    pub fn finished(&self, name: &str) {
        let (done, total) = {
            let mut state = self.lock();
            state.current.remove(name);
            state.done += 1;
            (state.done, state.total)
        };
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        self.redraw();
        self.line(&format!(
            "[{done}/{total}] {name} ({})",
            self.stats.summary()
        ));
    }

    /// A rate-limit wait is starting (`Some`) or over (`None`).
    pub fn waiting(&self, reason: Option<String>) {
        if let Some(reason) = &reason {
            log::warn!("{reason}");
        }
        self.lock().waiting = reason;
        self.redraw();
    }

    /// A request was answered; refreshes the counters shown.
    pub fn request_done(&self) {
        self.redraw();
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.mode != ProgressMode::Hidden {
            self.line_always(&format!("done: {}", self.stats.summary()));
        }
    }

    fn redraw(&self) {
        let Some(bar) = &self.bar else { return };
        let message = {
            let state = self.lock();
            let mut message = self.stats.summary();
            if let Some(wait) = &state.waiting {
                message = format!("{wait} | {message}");
            }
            if !state.current.is_empty() {
                let current: Vec<&str> = state.current.iter().map(String::as_str).take(3).collect();
                message.push_str(&format!(" | {}", current.join(", ")));
            }
            message
        };
        bar.set_message(message);
    }

    fn line(&self, text: &str) {
        if self.mode == ProgressMode::Lines {
            self.line_always(text);
        }
    }

    fn line_always(&self, text: &str) {
        if self.mode == ProgressMode::Bar
            && let Some(bar) = &self.bar
        {
            bar.suspend(|| {
                let _ = writeln!(std::io::stderr(), "openly: {text}");
            });
            return;
        }
        let _ = writeln!(std::io::stderr(), "openly: {text}");
    }
}
