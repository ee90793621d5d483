//! What can go wrong talking to GitHub, phrased for the person running the audit, and the
//! one outcome that is not a failure: a repository *deferred* because the quota ran out (or
//! the run was interrupted) before it could be read. A leaf module: the client, the rate-limit
//! rules and the stop signal all speak these types.

use std::time::{Duration, SystemTime};

/// The machine-readable kind of a repository the rate limit deferred (the report's error kind).
pub const DEFERRED_KIND: &str = "rate-limited";

/// Why a request failed, phrased for the person running the audit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("not found (404): {0}")]
    NotFound(String),
    #[error("conflict (409): {0}")]
    Conflict(String),
    #[error("GitHub rejected the token (401): {0}; check GITHUB_TOKEN, GH_TOKEN or --token-file")]
    Unauthorized(String),
    #[error("forbidden (403): {0}")]
    Forbidden(String),
    /// The quota (or a secondary limit) would need a wait beyond `--max-wait`: the repository
    /// is deferred, not broken. [`Deferred::from_error`] turns this into the report's wording.
    #[error("{}", Deferred { reset_at: *reset_at, reason: message.clone() }.message())]
    RateLimited {
        reset_at: Option<SystemTime>,
        message: String,
    },
    /// The run was interrupted (Ctrl-C) before this request started.
    #[error("interrupted before this repository was read")]
    Cancelled,
    #[error("HTTP {0}: {1}")]
    Status(u16, String),
    #[error("{0}")]
    Transport(String),
}

impl ApiError {
    /// Whether the repository was not audited because the run is stopping (rate limit beyond
    /// `--max-wait`, or an interrupt), rather than because it is broken.
    pub fn is_deferral(&self) -> bool {
        matches!(self, ApiError::RateLimited { .. } | ApiError::Cancelled)
    }
}

/// A repository not audited because the quota ran out: when it can be, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    /// When the quota resets, if GitHub said.
    pub reset_at: Option<SystemTime>,
    /// What GitHub answered, for the log.
    pub reason: String,
}

impl Deferred {
    pub const KIND: &'static str = DEFERRED_KIND;

    /// The deferral behind an error, if it is one; interrupts are not deferrals.
    pub fn from_error(error: &ApiError) -> Option<Deferred> {
        match error {
            ApiError::RateLimited { reset_at, message } => Some(Deferred {
                reset_at: *reset_at,
                reason: message.clone(),
            }),
            _ => None,
        }
    }

    /// The repository's error text in the report: what happened and when to re-run.
    pub fn message(&self) -> String {
        format!(
            "deferred by the rate limit ({}); {}",
            self.reason,
            when_text(self.reset_at, SystemTime::now())
        )
    }
}

/// "the quota resets at … (in N min); re-run openly then to audit it", or a vaguer hint.
pub fn when_text(reset_at: Option<SystemTime>, now: SystemTime) -> String {
    match reset_at {
        Some(at) => {
            let wait = at.duration_since(now).unwrap_or(Duration::ZERO);
            format!(
                "the quota resets at {} (in {}); re-run openly then to audit it",
                humantime::format_rfc3339_seconds(at),
                minutes(wait)
            )
        }
        None => "re-run openly later to audit it".to_string(),
    }
}

/// A wait rounded up to whole minutes, as people read it.
pub fn minutes(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60);
    if minutes >= 120 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

/// GitHub's `message` from an error body, bounded, or a placeholder.
pub fn message(body: &[u8]) -> String {
    let text = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from))
        .unwrap_or_else(|| "no message".to_string());
    let mut text: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    if text.is_empty() {
        text.push_str("no message");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_when_to_rerun() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let text = when_text(Some(now + Duration::from_secs(57 * 60 + 1)), now);
        assert!(text.contains("2023-11-14T23:"), "{text}");
        assert!(text.contains("in 58 min"), "{text}");
        assert_eq!(minutes(Duration::from_secs(3 * 3600)), "3 h 0 min");
        let deferred = Deferred::from_error(&ApiError::RateLimited {
            reset_at: None,
            message: "x".into(),
        })
        .unwrap();
        assert!(deferred.message().starts_with("deferred by the rate limit"));
        assert_eq!(Deferred::from_error(&ApiError::Cancelled), None);
        assert!(ApiError::Cancelled.is_deferral());
        assert!(!ApiError::NotFound(String::new()).is_deferral());
    }

    #[test]
    fn messages_are_bounded_and_clean() {
        assert_eq!(
            message(b"{\"message\":\"Bad\\ncredentials\"}"),
            "Badcredentials"
        );
        assert_eq!(message(b"<html>"), "no message");
        assert!(
            message(format!("{{\"message\":\"{}\"}}", "x".repeat(1000)).as_bytes()).len() <= 300
        );
    }
}
