//! Telling GitHub's many 403 and 429 answers apart, and deciding whether to wait or give up.
//! A primary rate limit (`X-RateLimit-Remaining: 0`) lasts until `X-RateLimit-Reset`; a
//! secondary one asks for `Retry-After` (seconds, or an HTTP date) or, without it, at least a
//! minute; SAML single sign-on and missing scopes are not limits at all and must be reported.
//! No wait ever exceeds `--max-wait`: past it the answer is a typed
//! [`ApiError::RateLimited`] carrying the reset time, so the run can defer the rest.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

use super::error::{ApiError, message, minutes};

/// What to do about one 403 or 429.
#[derive(Debug, PartialEq, Eq)]
pub enum Limit {
    Wait(Duration, String),
    Fail(ApiError),
}

/// The bounds on waiting, from the retry policy.
#[derive(Debug, Clone, Copy)]
pub struct WaitBounds {
    /// `--max-wait`: the longest single wait.
    pub max_wait: Duration,
    /// Rate-limit waits per request before giving up.
    pub retries: u32,
}

/// `Retry-After` as GitHub (and the HTTP spec) may send it: delay seconds, or an IMF-fixdate
/// such as `Wed, 21 Oct 2015 07:28:00 GMT`. A date in the past means "now".
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

pub fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn epoch(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// Classifies one 403/429. `limited` counts the rate-limit waits this request already made.
pub fn classify(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    limited: u32,
    bounds: WaitBounds,
    now: SystemTime,
) -> Limit {
    let text = message(body);
    if let Some(sso) = header(headers, "x-github-sso") {
        let url = sso.split("url=").nth(1).unwrap_or("").trim();
        let hint = if url.is_empty() {
            String::new()
        } else {
            format!(" at {url}")
        };
        return Limit::Fail(ApiError::Forbidden(format!(
            "this organisation enforces SAML single sign-on; authorise the token for it{hint}"
        )));
    }
    let remaining = header(headers, "x-ratelimit-remaining").and_then(|v| v.parse::<u64>().ok());
    let retry = header(headers, "retry-after").and_then(|v| retry_after(&v, now));
    let lower = text.to_ascii_lowercase();
    if remaining == Some(0) && retry.is_none() {
        let reset = header(headers, "x-ratelimit-reset")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(epoch);
        let wait = reset
            .map_or(Duration::from_secs(60), |r| {
                r.duration_since(now).unwrap_or(Duration::ZERO)
            })
            .saturating_add(Duration::from_secs(1));
        if wait > bounds.max_wait || limited >= bounds.retries {
            return Limit::Fail(ApiError::RateLimited {
                reset_at: Some(reset.unwrap_or(now + wait)),
                message: format!(
                    "the primary rate limit is spent and resets in {}, beyond --max-wait {}",
                    minutes(wait),
                    humantime::format_duration(bounds.max_wait)
                ),
            });
        }
        return Limit::Wait(wait, "primary rate limit reached".to_string());
    }
    let secondary = retry.is_some()
        || status == 429
        || lower.contains("secondary rate limit")
        || lower.contains("abuse");
    if secondary {
        // Without Retry-After GitHub asks for at least a minute, growing on repeats.
        let wait = retry.unwrap_or_else(|| Duration::from_secs(60u64 << limited.min(5)));
        if limited >= bounds.retries {
            return Limit::Fail(ApiError::RateLimited {
                reset_at: Some(now + wait),
                message: format!(
                    "the secondary rate limit persisted after {limited} waits; try fewer --jobs"
                ),
            });
        }
        if wait > bounds.max_wait {
            return Limit::Fail(ApiError::RateLimited {
                reset_at: Some(now + wait),
                message: format!(
                    "a secondary rate limit asks for {}, beyond --max-wait {}",
                    minutes(wait),
                    humantime::format_duration(bounds.max_wait)
                ),
            });
        }
        return Limit::Wait(wait, "secondary rate limit".to_string());
    }
    if lower.contains("resource not accessible") {
        return Limit::Fail(ApiError::Forbidden(format!(
            "{text}: the token lacks a permission or scope this needs (private repositories need `repo` read access, or Contents: read for a GitHub App)"
        )));
    }
    if let (Some(accepted), Some(have)) = (
        header(headers, "x-accepted-oauth-scopes"),
        header(headers, "x-oauth-scopes"),
    ) && !accepted.trim().is_empty()
    {
        return Limit::Fail(ApiError::Forbidden(format!(
            "{text}: the token has scopes [{have}] but this needs one of [{accepted}]"
        )));
    }
    Limit::Fail(ApiError::Forbidden(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: WaitBounds = WaitBounds {
        max_wait: Duration::from_secs(600),
        retries: 5,
    };

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = epoch(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:29:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn a_primary_limit_beyond_max_wait_fails_with_the_reset_time() {
        let now = epoch(1_000_000);
        let near = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1000120"),
        ]);
        assert_eq!(
            classify(403, &near, b"{}", 0, BOUNDS, now),
            Limit::Wait(
                Duration::from_secs(121),
                "primary rate limit reached".into()
            )
        );
        let far = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1003420"),
        ]);
        match classify(403, &far, b"{}", 0, BOUNDS, now) {
            Limit::Fail(ApiError::RateLimited { reset_at, message }) => {
                assert_eq!(reset_at, Some(epoch(1_003_420)));
                assert!(message.contains("58 min"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_secondary_limit_with_an_http_date_waits_until_then() {
        let now = epoch(1_445_412_480);
        let date = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:07 GMT")]);
        assert_eq!(
            classify(403, &date, b"{}", 0, BOUNDS, now),
            Limit::Wait(Duration::from_secs(7), "secondary rate limit".into())
        );
        let long = headers(&[("retry-after", "3600")]);
        assert!(matches!(
            classify(429, &long, b"{}", 0, BOUNDS, now),
            Limit::Fail(ApiError::RateLimited { .. })
        ));
    }

    #[test]
    fn sso_and_scopes_are_not_limits() {
        let now = SystemTime::now();
        let sso = headers(&[("x-github-sso", "required; url=https://example.invalid/sso")]);
        match classify(403, &sso, b"{}", 0, BOUNDS, now) {
            Limit::Fail(ApiError::Forbidden(text)) => assert!(text.contains("SAML")),
            other => panic!("{other:?}"),
        }
        let body = br#"{"message":"Resource not accessible by integration"}"#;
        match classify(403, &HeaderMap::new(), body, 0, BOUNDS, now) {
            Limit::Fail(ApiError::Forbidden(text)) => assert!(text.contains("Contents: read")),
            other => panic!("{other:?}"),
        }
    }
}
