//! Running inside GitHub Actions: read the `pull_request` event payload for the base commit and
//! PR number, append the Markdown summary to `GITHUB_STEP_SUMMARY`, and write step outputs to
//! `GITHUB_OUTPUT`. The binary does this itself (rather than the action's shell script) so any
//! workflow gets the same outputs, and tests can drive it with temp files.
//!
//! Everything here reads an explicit [`ActionsEnv`] rather than the process environment, so it
//! can be tested without touching global state. The token is never part of it.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::Report;

/// The GitHub Actions variables openly uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionsEnv {
    /// `GITHUB_ACTIONS=true`.
    pub active: bool,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub event_name: Option<String>,
    pub event_path: Option<PathBuf>,
    pub runner_temp: Option<PathBuf>,
    /// `GITHUB_API_URL`; `https://api.github.com` unless on Enterprise Server.
    pub api_url: Option<String>,
    /// `GITHUB_REPOSITORY`: `owner/name`.
    pub repository: Option<String>,
}

impl ActionsEnv {
    /// Reads the variables through `lookup` (the process environment in the binary).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let path = |name: &str| lookup(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        ActionsEnv {
            active: lookup("GITHUB_ACTIONS").as_deref() == Some("true"),
            step_summary: path("GITHUB_STEP_SUMMARY"),
            output: path("GITHUB_OUTPUT"),
            event_name: lookup("GITHUB_EVENT_NAME").filter(|v| !v.is_empty()),
            event_path: path("GITHUB_EVENT_PATH"),
            runner_temp: path("RUNNER_TEMP"),
            api_url: lookup("GITHUB_API_URL").filter(|v| !v.is_empty()),
            repository: lookup("GITHUB_REPOSITORY").filter(|v| !v.is_empty()),
        }
    }

    pub fn from_process() -> Self {
        ActionsEnv::from_lookup(|name| std::env::var(name).ok())
    }

    /// Where the JSON report goes when the user did not ask for one.
    pub fn default_report_path(&self) -> PathBuf {
        self.runner_temp
            .clone()
            .unwrap_or_else(std::env::temp_dir)
            .join("openly-report.json")
    }

    /// The pull request this run is for, from the event payload.
    pub fn pull_request(&self) -> Result<PullRequestEvent, crate::Error> {
        let Some(path) = &self.event_path else {
            return Err(crate::Error::Other(
                "no GITHUB_EVENT_PATH: pull-request mode from the event only works inside a \
                 GitHub Actions run; pass --base REV instead"
                    .to_string(),
            ));
        };
        let name = self.event_name.as_deref().unwrap_or("pull_request");
        read_pull_request(path).map_err(|reason| {
            crate::Error::Other(format!(
                "the `{name}` event at {} has no pull request: {reason}. Run on `pull_request` \
                 (or `pull_request_target`) events, or pass --base REV",
                path.display()
            ))
        })
    }
}

/// What PR mode needs from a `pull_request` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestEvent {
    pub number: u64,
    pub base_sha: String,
    pub head_sha: Option<String>,
    pub base_ref: Option<String>,
}

#[derive(Deserialize)]
struct RawEvent {
    pull_request: Option<RawPullRequest>,
}

#[derive(Deserialize)]
struct RawPullRequest {
    number: u64,
    base: RawRef,
    head: Option<RawRef>,
}

#[derive(Deserialize)]
struct RawRef {
    sha: String,
    #[serde(rename = "ref")]
    reference: Option<String>,
}

fn read_pull_request(path: &Path) -> Result<PullRequestEvent, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let event: RawEvent = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let pr = event
        .pull_request
        .ok_or_else(|| "no `pull_request` object".to_string())?;
    Ok(PullRequestEvent {
        number: pr.number,
        base_sha: pr.base.sha,
        head_sha: pr.head.map(|h| h.sha),
        base_ref: pr.base.reference,
    })
}

/// The step outputs, in a fixed order. With several repositories, the score is the mean and
/// the grade and RAP level are the worst one's, so a gate on them is never too kind.
pub fn outputs(report: &Report, report_path: Option<&Path>) -> Vec<(&'static str, String)> {
    let audited: Vec<_> = report.repos.iter().filter(|r| r.error.is_none()).collect();
    let (score, grade, rap) = match audited.as_slice() {
        [one] => (one.score, one.grade.clone(), one.rap_level),
        many => (
            report.summary.mean_score,
            many.iter()
                .map(|r| r.grade.clone())
                .max()
                .unwrap_or_else(|| "-".to_string()),
            many.iter()
                .map(|r| r.rap_level)
                .min_by_key(|l| *l as u8)
                .unwrap_or(crate::model::RapLevel::None),
        ),
    };
    // Without a base every failure is new: there is nothing the repository "already had".
    let new_failures = match &report.pr {
        Some(pr) => pr.new_failures().len(),
        None => audited
            .iter()
            .map(|r| r.findings.iter().filter(|f| f.is_failure()).count())
            .sum(),
    };
    vec![
        (
            "score",
            score.map_or_else(String::new, |s| format!("{s:.1}")),
        ),
        ("grade", grade),
        ("rap-level", rap.as_str().to_string()),
        ("new-failures", new_failures.to_string()),
        (
            "report-path",
            report_path.map_or_else(String::new, |p| p.display().to_string()),
        ),
    ]
}

/// `name<<DELIM` / value / `DELIM` for every pair: safe for values with newlines, as long as
/// the delimiter appears in none of them, which is checked rather than hoped for.
pub fn format_outputs(pairs: &[(&str, String)]) -> String {
    let mut delimiter = format!("openly_{}", nonce());
    while pairs.iter().any(|(_, v)| v.contains(&delimiter)) {
        delimiter.push('_');
    }
    let mut text = String::new();
    for (name, value) in pairs {
        text.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
    }
    text
}

fn nonce() -> String {
    use sha2::{Digest, Sha256};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let digest = Sha256::digest(format!("{now}:{}", std::process::id()));
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends to a file GitHub gave us (outputs, summary); it may already hold other steps' lines.
pub fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_use_a_delimiter_no_value_contains() {
        let text = format_outputs(&[("a", "one\ntwo".to_string()), ("b", String::new())]);
        let delimiter = text.lines().next().unwrap().strip_prefix("a<<").unwrap();
        assert_eq!(
            text,
            format!("a<<{delimiter}\none\ntwo\n{delimiter}\nb<<{delimiter}\n\n{delimiter}\n")
        );
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let env = ActionsEnv::from_lookup(|name| match name {
            "GITHUB_ACTIONS" => Some("true".into()),
            "GITHUB_OUTPUT" => Some(String::new()),
            _ => None,
        });
        assert!(env.active);
        assert_eq!(env.output, None);
    }
}
