//! How a GitHub run stops early without losing what it has done. Two things stop it: the rate
//! limit, when the wait for the quota to reset would exceed `--max-wait`, and an interrupt
//! (Ctrl-C). Either way the client refuses to *start* new requests from then on (each refusal
//! is a typed [`ApiError`], never a sleep), so the driver can finish the repositories in flight,
//! mark the rest [`Deferred`] and still write the report.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

pub use super::error::DEFERRED_KIND;
use super::error::{ApiError, Deferred, when_text};

/// Sleeps for a wait; injectable so tests can record waits instead of sleeping.
pub type Sleeper = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

pub fn real_sleeper() -> Sleeper {
    Arc::new(|duration| Box::pin(tokio::time::sleep(duration)))
}

/// Shared by the client and whoever may stop the run (a signal handler, the driver).
#[derive(Debug)]
pub struct StopSignal {
    cancelled: AtomicBool,
    deferred: Mutex<Option<Deferred>>,
    wake: tokio::sync::watch::Sender<bool>,
}

impl Default for StopSignal {
    fn default() -> Self {
        StopSignal {
            cancelled: AtomicBool::new(false),
            deferred: Mutex::new(None),
            wake: tokio::sync::watch::Sender::new(false),
        }
    }
}

impl StopSignal {
    /// Ctrl-C: no new request starts, and any rate-limit or backoff wait ends now.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.wake.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// The quota is spent beyond `--max-wait`: every later request is refused with the same
    /// reset time. The first deferral wins; later ones carry the same reset.
    pub fn defer(&self, deferred: Deferred) {
        let mut slot = self.deferred.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            log::warn!(
                "rate limit: {}; no new requests will start",
                when_text(deferred.reset_at, SystemTime::now())
            );
            *slot = Some(deferred);
        }
    }

    pub fn deferred(&self) -> Option<Deferred> {
        self.deferred
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether a new repository (or request) may start; the typed refusal otherwise.
    pub fn check(&self) -> Result<(), ApiError> {
        if self.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        match self.deferred() {
            Some(deferred) => Err(ApiError::RateLimited {
                reset_at: deferred.reset_at,
                message: "the quota ran out earlier in this run".to_string(),
            }),
            None => Ok(()),
        }
    }

    /// Sleeps through `sleeper`, cut short by [`StopSignal::cancel`].
    pub async fn sleep(&self, sleeper: &Sleeper, wait: Duration) {
        let mut woken = self.wake.subscribe();
        if *woken.borrow_and_update() {
            return;
        }
        tokio::select! {
            _ = sleeper(wait) => {}
            _ = woken.changed() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deferral_refuses_every_later_request_with_the_first_reset() {
        let stop = StopSignal::default();
        assert_eq!(stop.check(), Ok(()));
        let reset = SystemTime::UNIX_EPOCH + Duration::from_secs(4_000_000_000);
        stop.defer(Deferred {
            reset_at: Some(reset),
            reason: "spent".into(),
        });
        stop.defer(Deferred {
            reset_at: None,
            reason: "later".into(),
        });
        match stop.check() {
            Err(ApiError::RateLimited { reset_at, .. }) => assert_eq!(reset_at, Some(reset)),
            other => panic!("{other:?}"),
        }
        stop.cancel();
        assert_eq!(stop.check(), Err(ApiError::Cancelled));
    }

    #[test]
    fn cancelling_cuts_a_wait_short() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let stop = Arc::new(StopSignal::default());
        let sleeper: Sleeper = Arc::new(|d| Box::pin(tokio::time::sleep(d)));
        let started = std::time::Instant::now();
        runtime.block_on(async {
            let waiter = stop.clone();
            let task =
                tokio::spawn(async move { waiter.sleep(&sleeper, Duration::from_secs(60)).await });
            tokio::time::sleep(Duration::from_millis(20)).await;
            stop.cancel();
            task.await.unwrap();
        });
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
