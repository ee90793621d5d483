//! The one place that talks HTTP to GitHub. Every request goes through [`Client::get`] (or
//! [`Client::get_stream`] for tarballs, or [`Client::send`] for fix mode's writes), which adds conditional headers from the on-disk cache,
//! counts requests and 304s, reads the `X-RateLimit-*` headers, waits out rate limits up to
//! `--max-wait` (see [`super::limits`]), retries server errors, timeouts and truncated bodies
//! with jittered backoff, and refuses to start anything once the run is stopping
//! ([`super::control`]).
//!
//! octocrab carries the transport (rustls, redirects, the base URL with any GHES path prefix,
//! and the token, which stays inside it). Its typed calls treat a 304 as an error and its retry
//! layer cannot be observed or made to skip real sleeps in tests, so this module uses the raw
//! request API with octocrab's own retries switched off. Redirects (tarballs answer 302 to
//! codeload) are followed by octocrab's tower-http layer, which drops `Authorization` when the
//! redirect leaves the API's origin; `tests/github_tarball.rs` proves it with two servers.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http_body_util::BodyExt;
use http_body_util::combinators::BoxBody;
use tokio::time::Instant;

use super::cache::{CachedResponse, HttpCache};
use super::control::StopSignal;
pub use super::control::{Sleeper, real_sleeper};
pub use super::error::{ApiError, Deferred, message};
pub use super::limits::header;
use super::limits::{Limit, WaitBounds};
use crate::progress::Progress;

pub const JSON: &str = "application/vnd.github+json";
pub const RAW: &str = "application/vnd.github.raw+json";

/// The least time between two writes: GitHub asks integrations that make many POST or PATCH
/// requests to leave at least a second between them, to stay under its secondary limits.
pub const WRITE_SPACING: Duration = Duration::from_secs(1);

/// The default `--max-wait`: the longest single rate-limit wait before the rest is deferred.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(600);

/// How hard to try before giving up on a request.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Whole-request deadline (headers and body); GitHub itself gives up after 10 s. For a
    /// streamed body it bounds the headers and each pause between chunks instead.
    pub timeout: Duration,
    /// Retries of server errors, timeouts and broken bodies.
    pub retries: u32,
    /// Secondary-limit retries before the request is reported as rate limited.
    pub rate_limit_retries: u32,
    /// `--max-wait`: a rate-limit wait longer than this fails the request with
    /// [`ApiError::RateLimited`] (and stops new requests) instead of sleeping.
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
            max_rate_limit_wait: DEFAULT_MAX_WAIT,
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
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .finish_non_exhaustive()
    }
}

/// What a successful request yields.
#[derive(Debug)]
pub struct Reply {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub from_cache: bool,
}

type Body = BoxBody<Bytes, octocrab::Error>;

/// A 2xx answer whose body is read chunk by chunk, never held whole.
pub struct BodyStream {
    body: Body,
    idle: Duration,
}

impl BodyStream {
    /// The next chunk of the body; `None` at its end. A pause longer than the request timeout
    /// is an error, as is a body that breaks off.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, String> {
        loop {
            match tokio::time::timeout(self.idle, self.body.frame()).await {
                Err(_) => {
                    return Err(format!(
                        "the download stalled for {} s",
                        self.idle.as_secs_f32()
                    ));
                }
                Ok(None) => return Ok(None),
                Ok(Some(Err(error))) => {
                    return Err(format!(
                        "the download broke off: {}",
                        transport_message(&error)
                    ));
                }
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        return Ok(Some(data));
                    }
                }
            }
        }
    }
}

/// A write (POST, PATCH): its JSON body, and whether it may be sent again after a failure
/// that leaves unknown whether GitHub acted on it. Creating a git object is safe to repeat;
/// opening a pull request is not.
pub struct Write<'a> {
    pub method: http::Method,
    pub body: &'a serde_json::Value,
    pub idempotent: bool,
}

/// How one attempt ended.
enum Step {
    /// A 2xx with its body read, or a 304 (`body` empty).
    Answered(http::response::Parts, Bytes),
    Streaming(http::response::Parts, Body),
    Fail(ApiError),
    /// Transient: retried with backoff.
    Retry(String),
    Wait(Duration, String),
}

pub struct Client {
    octo: octocrab::Octocrab,
    /// The API root as given, without a trailing slash: `https://api.github.com` or
    /// `https://HOST/api/v3`. Pagination links are accepted only below it.
    base: String,
    token_fingerprint: String,
    cache: Option<HttpCache>,
    policy: RetryPolicy,
    stop: Arc<StopSignal>,
    pub progress: Arc<Progress>,
    /// When the next write may start ([`WRITE_SPACING`] after the last one).
    next_write: std::sync::Mutex<Option<Instant>>,
}

impl Client {
    /// Builds the client; must run inside a tokio runtime context. `stop` is shared with
    /// whoever may stop the run (a Ctrl-C handler).
    pub fn new(
        api_url: &str,
        token: Option<&str>,
        cache: Option<HttpCache>,
        policy: RetryPolicy,
        progress: Arc<Progress>,
        stop: Arc<StopSignal>,
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
            stop,
            progress,
            next_write: std::sync::Mutex::new(None),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The run's stop signal: [`StopSignal::cancel`] on Ctrl-C; it also records a deferral.
    pub fn stop_signal(&self) -> Arc<StopSignal> {
        self.stop.clone()
    }

    /// GETs `path` (relative to the API root, starting with `/`). With `json`, a body that
    /// does not parse counts as truncated and is retried, and is never cached.
    pub async fn get(&self, path: &str, accept: &str, json: bool) -> Result<Reply, ApiError> {
        self.fetch(path, accept, json, Caching::Revalidate).await
    }

    /// Like [`Client::get`] for an object named by its SHA (a tree or blob), which can never
    /// change: a cached copy is used without asking GitHub at all.
    pub async fn get_immutable(
        &self,
        path: &str,
        accept: &str,
        json: bool,
    ) -> Result<Reply, ApiError> {
        self.fetch(path, accept, json, Caching::Immutable).await
    }

    /// Like [`Client::get`] but never from or into the cache: for answers that change every
    /// time, such as `/rate_limit`.
    pub async fn get_fresh(&self, path: &str, accept: &str) -> Result<Reply, ApiError> {
        self.fetch(path, accept, true, Caching::Off).await
    }

    /// The cached body for `path`, without any request: what the last run saw.
    pub fn cached_body(&self, path: &str, accept: &str) -> Option<Vec<u8>> {
        let cache = self.cache.as_ref()?;
        cache
            .load(&HttpCache::key(&self.token_fingerprint, accept, path))
            .map(|hit| hit.body)
    }

    /// GETs `path` and hands back the body as a stream once a 2xx arrives, following
    /// redirects (the token is dropped when one leaves the API's origin). Nothing is cached.
    /// A body that breaks off is the caller's to retry: the head was already judged.
    pub async fn get_stream(
        &self,
        path: &str,
        accept: &str,
    ) -> Result<(HeaderMap, BodyStream), ApiError> {
        match self.attempts(path, accept, None, false, true, None).await? {
            Step::Streaming(parts, body) => Ok((
                parts.headers,
                BodyStream {
                    body,
                    idle: self.policy.timeout,
                },
            )),
            Step::Answered(parts, _) => Err(ApiError::Status(
                parts.status.as_u16(),
                "an empty answer where a download was expected".to_string(),
            )),
            _ => Err(ApiError::Transport("no answer".to_string())),
        }
    }

    async fn fetch(
        &self,
        path: &str,
        accept: &str,
        json: bool,
        caching: Caching,
    ) -> Result<Reply, ApiError> {
        let cache = self.cache.as_ref().filter(|_| caching != Caching::Off);
        let key = cache.map(|_| HttpCache::key(&self.token_fingerprint, accept, path));
        let cached = match (cache, &key) {
            (Some(cache), Some(key)) => cache.load(key),
            _ => None,
        };
        if let (Caching::Immutable, Some(hit), Some(cache), Some(key)) =
            (caching, &cached, cache, &key)
        {
            self.progress
                .stats
                .cache_hits
                .fetch_add(1, Ordering::Relaxed);
            cache.touch(key);
            return Ok(Reply {
                headers: replayed_headers(HeaderMap::new(), hit),
                body: Bytes::from(hit.body.clone()),
                from_cache: true,
            });
        }
        let Step::Answered(parts, body) = self
            .attempts(path, accept, cached.as_ref(), json, false, None)
            .await?
        else {
            return Err(ApiError::Transport("no answer".to_string()));
        };
        if parts.status.as_u16() == 304 {
            // `attempts` only accepts a 304 when validators were sent, so `cached` is there.
            let (Some(hit), Some(cache), Some(key)) = (&cached, cache, &key) else {
                return Err(ApiError::Transport("a 304 with nothing cached".to_string()));
            };
            self.progress
                .stats
                .not_modified
                .fetch_add(1, Ordering::Relaxed);
            cache.touch(key);
            return Ok(Reply {
                headers: replayed_headers(parts.headers, hit),
                body: Bytes::from(hit.body.clone()),
                from_cache: true,
            });
        }
        if let (Some(cache), Some(key)) = (cache, &key) {
            cache.store(
                key,
                &CachedResponse {
                    etag: header(&parts.headers, "etag"),
                    last_modified: header(&parts.headers, "last-modified"),
                    link: header(&parts.headers, "link"),
                    content_type: header(&parts.headers, "content-type"),
                    body: body.to_vec(),
                },
            );
        }
        Ok(Reply {
            headers: parts.headers,
            body,
            from_cache: false,
        })
    }

    /// Sends a write with a JSON body and reads the JSON answer, with the same rate-limit
    /// rules as a read: a rate-limited write was not carried out, so it waits and is sent
    /// again. A timeout or server error is retried only when `write.idempotent`; otherwise
    /// it fails, since GitHub may have acted on it. Nothing is cached.
    pub async fn send(&self, path: &str, write: &Write<'_>) -> Result<Reply, ApiError> {
        let wait = {
            let mut next = self
                .next_write
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = next.map_or(now, |at| at.max(now));
            *next = Some(start + WRITE_SPACING);
            start - now
        };
        if !wait.is_zero() {
            self.stop.sleep(&self.policy.sleeper, wait).await;
        }
        let Step::Answered(parts, body) = self
            .attempts(path, JSON, None, true, false, Some(write))
            .await?
        else {
            return Err(ApiError::Transport("no answer".to_string()));
        };
        Ok(Reply {
            headers: parts.headers,
            body,
            from_cache: false,
        })
    }

    /// Sends `path` until it is answered, retrying what is transient and waiting out rate
    /// limits within `--max-wait`. Ends with [`Step::Answered`] or [`Step::Streaming`].
    async fn attempts(
        &self,
        path: &str,
        accept: &str,
        cached: Option<&CachedResponse>,
        json: bool,
        stream: bool,
        write: Option<&Write<'_>>,
    ) -> Result<Step, ApiError> {
        let mut failures = 0u32;
        let mut limited = 0u32;
        let stats = &self.progress.stats;
        let verb = write.map_or(http::Method::GET, |w| w.method.clone());
        loop {
            self.stop.check()?;
            stats.requests.fetch_add(1, Ordering::Relaxed);
            log::debug!("{verb} {path}");
            let step = self
                .attempt(path, accept, cached, json, stream, limited, write)
                .await;
            self.progress.request_done();
            let transient = match step {
                Step::Answered(..) | Step::Streaming(..) => return Ok(step),
                Step::Fail(error) => {
                    if let Some(deferred) = Deferred::from_error(&error) {
                        self.stop.defer(deferred);
                    }
                    return Err(error);
                }
                Step::Wait(wait, reason) => {
                    limited += 1;
                    stats.rate_limit_waits.fetch_add(1, Ordering::Relaxed);
                    self.progress
                        .waiting(Some(format!("{reason}: waiting {} s", wait.as_secs())));
                    self.stop.sleep(&self.policy.sleeper, wait).await;
                    self.progress.waiting(None);
                    continue;
                }
                Step::Retry(transient) if write.is_some_and(|w| !w.idempotent) => {
                    return Err(ApiError::Transport(format!(
                        "{transient} (not sent again: GitHub may have carried it out)"
                    )));
                }
                Step::Retry(transient) => transient,
            };
            failures += 1;
            if failures > self.policy.retries {
                return Err(ApiError::Transport(format!(
                    "{transient} (gave up after {failures} attempts)"
                )));
            }
            stats.retries.fetch_add(1, Ordering::Relaxed);
            let wait = jittered(self.policy.backoff * 2u32.saturating_pow(failures - 1));
            log::info!(
                "{verb} {path}: {transient}; retrying in {} ms",
                wait.as_millis()
            );
            self.stop.sleep(&self.policy.sleeper, wait).await;
        }
    }

    #[allow(clippy::too_many_arguments)] // one attempt of `attempts`, which owns the loop state
    async fn attempt(
        &self,
        path: &str,
        accept: &str,
        cached: Option<&CachedResponse>,
        json: bool,
        stream: bool,
        limited: u32,
        write: Option<&Write<'_>>,
    ) -> Step {
        let deadline = Instant::now() + self.policy.timeout;
        let timed_out = || format!("timed out after {} s", self.policy.timeout.as_secs_f32());
        let headers = request_headers(accept, cached);
        let sent = async {
            match write {
                None => self.octo._get_with_headers(path, Some(headers)).await,
                Some(write) => {
                    let mut builder = http::Request::builder()
                        .method(write.method.clone())
                        .uri(path);
                    for (name, value) in &headers {
                        builder = builder.header(name, value);
                    }
                    let request = self.octo.build_request(builder, Some(write.body))?;
                    self.octo.execute(request).await
                }
            }
        };
        let head = tokio::time::timeout_at(deadline, sent).await;
        let response = match head {
            Err(_) => return Step::Retry(timed_out()),
            Ok(Err(error)) => return Step::Retry(transport_message(&error)),
            Ok(Ok(response)) => response,
        };
        let (parts, body) = response.into_parts();
        self.note_quota(&parts.headers);
        let status = parts.status.as_u16();
        let verb = write.map_or(http::Method::GET, |w| w.method.clone());
        log::debug!("{verb} {path} -> {status}");
        if stream && (200..=299).contains(&status) {
            return Step::Streaming(parts, body);
        }
        let body = match tokio::time::timeout_at(deadline, body.collect()).await {
            Err(_) => return Step::Retry(timed_out()),
            Ok(Err(error)) => {
                return Step::Retry(format!(
                    "the response body broke off: {}",
                    transport_message(&error)
                ));
            }
            Ok(Ok(collected)) => collected.to_bytes(),
        };
        match status {
            304 if cached.is_some() => Step::Answered(parts, Bytes::new()),
            304 => Step::Retry("a 304 answer to a request sent without validators".to_string()),
            200..=299 => {
                if json && serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
                    Step::Retry("the JSON response was truncated or invalid".to_string())
                } else {
                    Step::Answered(parts, body)
                }
            }
            403 | 429 => {
                let bounds = WaitBounds {
                    max_wait: self.policy.max_rate_limit_wait,
                    retries: self.policy.rate_limit_retries,
                };
                match super::limits::classify(
                    status,
                    &parts.headers,
                    &body,
                    limited,
                    bounds,
                    SystemTime::now(),
                ) {
                    Limit::Wait(wait, reason) => Step::Wait(wait, reason),
                    Limit::Fail(error) => Step::Fail(error),
                }
            }
            401 => Step::Fail(ApiError::Unauthorized(message(&body))),
            404 => Step::Fail(ApiError::NotFound(message(&body))),
            409 => Step::Fail(ApiError::Conflict(message(&body))),
            500..=599 => Step::Retry(format!("server error {status}")),
            _ => Step::Fail(ApiError::Status(status, message(&body))),
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caching {
    /// Send the cached validators; a 304 reuses the cached body.
    Revalidate,
    /// Named by SHA: a cached body is used without asking.
    Immutable,
    Off,
}

/// A cached answer's headers as a fresh one would have them: a 304 need not repeat `Link`
/// (pagination) or `Content-Type` (which tells raw blobs from JSON ones).
fn replayed_headers(mut headers: HeaderMap, hit: &CachedResponse) -> HeaderMap {
    if let Some(link) = hit
        .link
        .as_deref()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        headers.insert(http::header::LINK, link);
    }
    if let Some(kind) = hit
        .content_type
        .as_deref()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        headers.insert(http::header::CONTENT_TYPE, kind);
    }
    headers
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
    fn weak_etags_are_sent_back_verbatim() {
        let cached = CachedResponse {
            etag: Some("W/\"abc\"".into()),
            last_modified: Some("Mon".into()),
            link: None,
            content_type: None,
            body: Vec::new(),
        };
        let headers = request_headers(JSON, Some(&cached));
        assert_eq!(headers.get("if-none-match").unwrap(), "W/\"abc\"");
        assert!(headers.get("if-modified-since").is_none());
    }
}
