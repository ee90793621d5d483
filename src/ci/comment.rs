//! The sticky pull-request comment: one comment per pull request, found again by a hidden
//! marker and edited in place on every push, so the conversation holds one up-to-date report
//! instead of one per push.
//!
//! It talks to the GitHub REST API through octocrab's raw request methods with explicit verbs:
//! octocrab 0.54's typed `update_comment` sends POST where GitHub documents PATCH. A read-only
//! token (pull requests from forks get one) answers 403 on writes; that is an expected outcome,
//! reported as [`CommentOutcome::ReadOnly`] so the caller can fall back to the job summary.
//! The token goes into the client and nowhere else: no message here ever contains it.

use std::time::Duration;

use octocrab::Octocrab;
use octocrab::service::middleware::retry::RetryConfig;
use serde::Deserialize;

/// Marks openly's own comment among the pull request's comments. Invisible when rendered.
pub const MARKER: &str = "<!-- openly-report -->";

/// Comments listed per page, and pages read at most, while looking for the marker.
const PER_PAGE: usize = 100;
const MAX_PAGES: usize = 30;

/// Which pull request to comment on, and where the API is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentTarget {
    /// `GITHUB_API_URL`, for example `https://api.github.com` or `https://HOST/api/v3`.
    pub api_url: String,
    /// `owner/name`.
    pub repository: String,
    pub number: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentOutcome {
    Created {
        id: u64,
    },
    Updated {
        id: u64,
    },
    /// The token may read but not write (a fork's pull request); nothing was posted.
    ReadOnly {
        status: u16,
        message: String,
    },
}

#[derive(Deserialize)]
struct Comment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    message: Option<String>,
}

/// The comment body: the marker, then the Markdown report.
pub fn body(markdown: &str) -> String {
    format!("{MARKER}\n{markdown}")
}

/// Creates openly's comment on the pull request, or updates it in place when it exists.
pub fn upsert(
    target: &CommentTarget,
    token: &str,
    markdown: &str,
) -> Result<CommentOutcome, crate::Error> {
    if !valid_repository(&target.repository) {
        return Err(crate::Error::Other(format!(
            "GITHUB_REPOSITORY `{}` is not OWNER/NAME",
            target.repository
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(upsert_async(target, token, &body(markdown)))
}

fn valid_repository(text: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(text.split_once('/'), Some((owner, name)) if ok(owner) && ok(name))
}

fn api_error(context: &str, error: octocrab::Error) -> crate::Error {
    // octocrab's errors describe the transport or the URL; neither carries the token.
    crate::Error::Other(format!("GitHub API, {context}: {error}"))
}

fn github_message(text: &str) -> String {
    serde_json::from_str::<ApiError>(text)
        .ok()
        .and_then(|e| e.message)
        .unwrap_or_else(|| text.chars().take(200).collect())
}

fn is_forbidden(status: u16) -> bool {
    // 404 is how GitHub answers a token that may not even see the resource.
    matches!(status, 401 | 403 | 404)
}

async fn upsert_async(
    target: &CommentTarget,
    token: &str,
    body: &str,
) -> Result<CommentOutcome, crate::Error> {
    let client = Octocrab::builder()
        .base_uri(target.api_url.trim_end_matches('/'))
        .map_err(|e| api_error("the API URL", e))?
        .personal_token(token.to_string())
        // A retried POST could create a second comment, the very thing this module prevents.
        .add_retry_config(RetryConfig::None)
        .set_connect_timeout(Some(Duration::from_secs(30)))
        .set_read_timeout(Some(Duration::from_secs(60)))
        .build()
        .map_err(|e| api_error("building the client", e))?;
    let repo = &target.repository;
    let number = target.number;

    let mut existing = None;
    for page in 1..=MAX_PAGES {
        let route =
            format!("/repos/{repo}/issues/{number}/comments?per_page={PER_PAGE}&page={page}");
        let response = client
            ._get(route.as_str())
            .await
            .map_err(|e| api_error("listing comments", e))?;
        let status = response.status().as_u16();
        let text = client
            .body_to_string(response)
            .await
            .map_err(|e| api_error("reading comments", e))?;
        if is_forbidden(status) {
            return Ok(CommentOutcome::ReadOnly {
                status,
                message: github_message(&text),
            });
        }
        if !(200..300).contains(&status) {
            return Err(crate::Error::Other(format!(
                "GitHub API, listing comments: HTTP {status}: {}",
                github_message(&text)
            )));
        }
        let comments: Vec<Comment> = serde_json::from_str(&text)
            .map_err(|e| crate::Error::Other(format!("GitHub API, listing comments: {e}")))?;
        let count = comments.len();
        existing = comments
            .into_iter()
            .find(|c| c.body.as_deref().is_some_and(|b| b.contains(MARKER)));
        if existing.is_some() || count < PER_PAGE {
            break;
        }
    }

    let payload = serde_json::json!({ "body": body });
    let (route, response, action) = match &existing {
        Some(comment) => {
            let route = format!("/repos/{repo}/issues/comments/{}", comment.id);
            let response = client._patch(route.as_str(), Some(&payload)).await;
            (route, response, "updating the comment")
        }
        None => {
            let route = format!("/repos/{repo}/issues/{number}/comments");
            let response = client._post(route.as_str(), Some(&payload)).await;
            (route, response, "creating the comment")
        }
    };
    let response = response.map_err(|e| api_error(action, e))?;
    let status = response.status().as_u16();
    let text = client
        .body_to_string(response)
        .await
        .map_err(|e| api_error(action, e))?;
    log::debug!("{action}: {route} answered {status}");
    if is_forbidden(status) {
        return Ok(CommentOutcome::ReadOnly {
            status,
            message: github_message(&text),
        });
    }
    if !(200..300).contains(&status) {
        return Err(crate::Error::Other(format!(
            "GitHub API, {action}: HTTP {status}: {}",
            github_message(&text)
        )));
    }
    let written: Comment = serde_json::from_str(&text)
        .map_err(|e| crate::Error::Other(format!("GitHub API, {action}: {e}")))?;
    Ok(match existing {
        Some(_) => CommentOutcome::Updated { id: written.id },
        None => CommentOutcome::Created { id: written.id },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_must_be_owner_slash_name() {
        assert!(valid_repository("nhs-example/claims.pipeline"));
        assert!(!valid_repository("nhs/x/../y"));
        assert!(!valid_repository("nobody"));
        assert!(!valid_repository("a/b?c"));
    }
}
