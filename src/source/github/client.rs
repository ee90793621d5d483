//! The one place that talks HTTP to GitHub. Every request goes through [`Client::get`], which
//! adds conditional headers from the on-disk cache, counts requests and 304s, reads the
//! `X-RateLimit-*` headers, waits out primary and secondary rate limits, retries server errors,
//! timeouts and truncated bodies with jittered backoff, and turns the many kinds of 403 into
//! messages a user can act on.
//!
//! octocrab carries the transport (rustls, redirects, the base URL with any GHES path prefix,
//! and the token, which stays inside it). Its typed calls treat a 304 as an error and its retry
//! layer cannot be observed or made to skip real sleeps in tests, so this module uses the raw
//! request API with octocrab's own retries switched off.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http_body_util::BodyExt;

use super::cache::{CachedResponse, HttpCache};
use crate::progress::Progress;

pub const JSON: &str = "application/vnd.github+json";
pub const RAW: &str = "application/vnd.github.raw+json";

/// Sleeps for a wait; injectable so tests can record waits instead of sleeping.
pub type Sleeper = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

pub fn real_sleeper() -> Sleeper {
    Arc::new(|duration| Box::pin(tokio::time::sleep(duration)))
}

/// How hard to try before giving up on a request.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Whole-request deadline (headers and body); GitHub itself gives up after 10 s.
    pub timeout: Duration,
    /// Retries of server errors, timeouts and broken bodies.
    pub retries: u32,
    /// Secondary-limit retries before the request is reported as rate limited.
    pub rate_limit_retries: u32,
    /// A primary-limit reset further away than this fails the request instead of waiting.
    pub max_rate_limit_wait: Duration,
    /// First backoff step; doubled per attempt, with ±50 % jitter.
    pub backoff: Duration,
    pub sleeper: Sleeper,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            timeout: Duration::from_secs(30),
            retries: 3,
            rate_limit_retries: 5,
            max_rate_limit_wait: Duration::from_secs(3700),
            backoff: Duration::from_secs(1),
            sleeper: real_sleeper(),
        }
    }
}

impl std::fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

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
    #[error("rate limited: {0}")]
    RateLimited(String),
    #[error("HTTP {0}: {1}")]
    Status(u16, String),
    #[error("{0}")]
    Transport(String),
}

/// What a successful request yields.
#[derive(Debug)]
pub struct Reply {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub from_cache: bool,
}

pub struct Client {
    octo: octocrab::Octocrab,
    /// The API root as given, without a trailing slash: `https://api.github.com` or
    /// `https://HOST/api/v3`. Pagination links are accepted only below it.
    base: String,
    token_fingerprint: String,
    cache: Option<HttpCache>,
    policy: RetryPolicy,
    pub progress: Arc<Progress>,
}

impl Client {
    /// Builds the client; must run inside a tokio runtime context.
    pub fn new(
        api_url: &str,
        token: Option<&str>,
        cache: Option<HttpCache>,
        policy: RetryPolicy,
        progress: Arc<Progress>,
    ) -> Result<Self, crate::Error> {
        let base = api_url.trim_end_matches('/').to_string();
        let uri: http::Uri = base
            .parse()
            .map_err(|_| crate::Error::Other(format!("--api-url `{base}` is not a URL")))?;
        if uri.scheme().is_none() || uri.authority().is_none() {
            return Err(crate::Error::Other(format!(
                "--api-url `{base}` must be absolute, such as https://HOST/api/v3"
            )));
        }
        let mut builder = octocrab::Octocrab::builder()
            .base_uri(uri)
            .map_err(|e| crate::Error::Other(format!("--api-url: {e}")))?
            .add_retry_config(octocrab::service::middleware::retry::RetryConfig::None)
            .set_connect_timeout(Some(policy.timeout))
            .set_read_timeout(Some(policy.timeout));
        if let Some(token) = token {
            builder = builder.personal_token(token.to_string());
        }
        let octo = builder
            .build()
            .map_err(|e| crate::Error::Other(format!("cannot set up the GitHub client: {e}")))?;
        Ok(Client {
            octo,
            base,
            token_fingerprint: super::cache::token_fingerprint(token),
            cache,
            policy,
            progress,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// GETs `path` (relative to the API root, starting with `/`). With `json`, a body that
    /// does not parse counts as truncated and is retried, and is never cached.
    pub async fn get(&self, path: &str, accept: &str, json: bool) -> Result<Reply, ApiError> {
        self.fetch(path, accept, json, false).await
    }

    /// Like [`Client::get`] for an object named by its SHA (a tree or blob), which can never
    /// change: a cached copy is used without asking GitHub at all.
    pub async fn get_immutable(
        &self,
        path: &str,
        accept: &str,
        json: bool,
    ) -> Result<Reply, ApiError> {
        self.fetch(path, accept, json, true).await
    }

    async fn fetch(
        &self,
        path: &str,
        accept: &str,
        json: bool,
        immutable: bool,
    ) -> Result<Reply, ApiError> {
        let key = self
            .cache
            .as_ref()
            .map(|_| HttpCache::key(&self.token_fingerprint, accept, path));
        let cached = match (&self.cache, &key) {
            (Some(cache), Some(key)) => cache.load(key),
            _ => None,
        };
        if let (true, Some(hit), Some(cache), Some(key)) = (immutable, &cached, &self.cache, &key) {
            self.progress
                .stats
                .cache_hits
                .fetch_add(1, Ordering::Relaxed);
            cache.touch(key);
            return Ok(Reply {
                headers: HeaderMap::new(),
                body: Bytes::from(hit.body.clone()),
                from_cache: true,
            });
        }
        let mut failures = 0u32;
        let mut limited = 0u32;
        loop {
            let headers = request_headers(accept, cached.as_ref());
            let stats = &self.progress.stats;
            stats.requests.fetch_add(1, Ordering::Relaxed);
            log::debug!("GET {path}");
            let outcome = tokio::time::timeout(self.policy.timeout, async {
                let response = self
                    .octo
                    ._get_with_headers(path, Some(headers))
                    .await
                    .map_err(|e| transport_message(&e))?;
                let (parts, body) = response.into_parts();
                let body = body
                    .collect()
                    .await
                    .map_err(|e| format!("the response body broke off: {}", transport_message(&e)))?
                    .to_bytes();
                Ok::<_, String>((parts, body))
            })
            .await;
            self.progress.request_done();
            let transient = match outcome {
                Err(_) => format!("timed out after {} s", self.policy.timeout.as_secs_f32()),
                Ok(Err(message)) => message,
                Ok(Ok((parts, body))) => {
                    self.note_quota(&parts.headers);
                    let status = parts.status.as_u16();
                    log::debug!("GET {path} -> {status}");
                    match status {
                        304 => {
                            if let (Some(hit), Some(cache), Some(key)) =
                                (&cached, &self.cache, &key)
                            {
                                stats.not_modified.fetch_add(1, Ordering::Relaxed);
                                cache.touch(key);
                                let mut headers = parts.headers;
                                if let Some(link) = hit
                                    .link
                                    .as_deref()
                                    .and_then(|l| HeaderValue::from_str(l).ok())
                                {
                                    headers.insert(http::header::LINK, link);
                                }
                                return Ok(Reply {
                                    headers,
                                    body: Bytes::from(hit.body.clone()),
                                    from_cache: true,
                                });
                            }
                            "a 304 answer to a request sent without validators".to_string()
                        }
                        200..=299 => {
                            if json
                                && serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err()
                            {
                                "the JSON response was truncated or invalid".to_string()
                            } else {
                                if let (Some(cache), Some(key)) = (&self.cache, &key) {
                                    cache.store(
                                        key,
                                        &CachedResponse {
                                            etag: header(&parts.headers, "etag"),
                                            last_modified: header(&parts.headers, "last-modified"),
                                            link: header(&parts.headers, "link"),
                                            body: body.to_vec(),
                                        },
                                    );
                                }
                                return Ok(Reply {
                                    headers: parts.headers,
                                    body,
                                    from_cache: false,
                                });
                            }
                        }
                        403 | 429 => {
                            match self.classify_limit(status, &parts.headers, &body, limited) {
                                Limit::Wait(wait, reason) => {
                                    limited += 1;
                                    stats.rate_limit_waits.fetch_add(1, Ordering::Relaxed);
                                    self.progress.waiting(Some(format!(
                                        "{reason}: waiting {} s",
                                        wait.as_secs()
                                    )));
                                    (self.policy.sleeper)(wait).await;
                                    self.progress.waiting(None);
                                    continue;
                                }
                                Limit::Fail(error) => return Err(error),
                            }
                        }
                        401 => return Err(ApiError::Unauthorized(message(&body))),
                        404 => return Err(ApiError::NotFound(message(&body))),
                        409 => return Err(ApiError::Conflict(message(&body))),
                        500..=599 => format!("server error {status}"),
                        _ => return Err(ApiError::Status(status, message(&body))),
                    }
                }
            };
            failures += 1;
            if failures > self.policy.retries {
                return Err(ApiError::Transport(format!(
                    "{transient} (gave up after {} attempts)",
                    failures
                )));
            }
            stats.retries.fetch_add(1, Ordering::Relaxed);
            let wait = jittered(self.policy.backoff * 2u32.saturating_pow(failures - 1));
            log::info!(
                "GET {path}: {transient}; retrying in {} ms",
                wait.as_millis()
            );
            (self.policy.sleeper)(wait).await;
        }
    }

    fn note_quota(&self, headers: &HeaderMap) {
        if let Some(left) =
            header(headers, "x-ratelimit-remaining").and_then(|v| v.parse::<i64>().ok())
        {
            self.progress
                .stats
                .quota_left
                .store(left, Ordering::Relaxed);
        }
    }

    /// Tells the kinds of 403/429 apart: primary limit, secondary limit, SAML SSO, missing
    /// scope, or a plain refusal.
    fn classify_limit(&self, status: u16, headers: &HeaderMap, body: &[u8], limited: u32) -> Limit {
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
        let remaining =
            header(headers, "x-ratelimit-remaining").and_then(|v| v.parse::<u64>().ok());
        let retry_after = header(headers, "retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        let lower = text.to_ascii_lowercase();
        if remaining == Some(0) && retry_after.is_none() {
            let reset = header(headers, "x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok());
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let wait = Duration::from_secs(reset.map_or(60, |r| r.saturating_sub(now)) + 1);
            if wait > self.policy.max_rate_limit_wait || limited >= self.policy.rate_limit_retries {
                return Limit::Fail(ApiError::RateLimited(format!(
                    "the primary rate limit is spent and resets in {} s",
                    wait.as_secs()
                )));
            }
            return Limit::Wait(wait, "primary rate limit reached".to_string());
        }
        let secondary = retry_after.is_some()
            || status == 429
            || lower.contains("secondary rate limit")
            || lower.contains("abuse");
        if secondary {
            if limited >= self.policy.rate_limit_retries {
                return Limit::Fail(ApiError::RateLimited(format!(
                    "the secondary rate limit persisted after {limited} waits; try fewer --jobs"
                )));
            }
            // Without Retry-After GitHub asks for at least a minute, growing on repeats.
            let wait = match retry_after {
                Some(seconds) => Duration::from_secs(seconds),
                None => Duration::from_secs(60u64.saturating_mul(1 << limited.min(5))),
            };
            return Limit::Wait(wait, "secondary rate limit".to_string());
        }
        if lower.contains("resource not accessible") {
            return Limit::Fail(ApiError::Forbidden(format!(
                "{text}: the token lacks a permission or scope this needs (private repositories need `repo` read access)"
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
}

enum Limit {
    Wait(Duration, String),
    Fail(ApiError),
}

fn request_headers(accept: &str, cached: Option<&CachedResponse>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(accept) {
        headers.insert(http::header::ACCEPT, value);
    }
    headers.insert(
        HeaderName::from_static("x-github-api-version"),
        HeaderValue::from_static("2022-11-28"),
    );
    if let Some(cached) = cached {
        // Weak ETags go back exactly as they came: GitHub compares them as strings.
        if let Some(value) = cached
            .etag
            .as_deref()
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(http::header::IF_NONE_MATCH, value);
        } else if let Some(value) = cached
            .last_modified
            .as_deref()
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(http::header::IF_MODIFIED_SINCE, value);
        }
    }
    headers
}

pub fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// GitHub's `message` from an error body, bounded, or a placeholder.
fn message(body: &[u8]) -> String {
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

/// A transport error's chain, which names the failure but never carries request headers.
fn transport_message(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn jittered(base: Duration) -> Duration {
    let capped = base.min(Duration::from_secs(30));
    capped.mul_f64(0.5 + fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn weak_etags_are_sent_back_verbatim() {
        let cached = CachedResponse {
            etag: Some("W/\"abc\"".into()),
            last_modified: Some("Mon".into()),
            link: None,
            body: Vec::new(),
        };
        let headers = request_headers(JSON, Some(&cached));
        assert_eq!(headers.get("if-none-match").unwrap(), "W/\"abc\"");
        assert!(headers.get("if-modified-since").is_none());
    }
}
