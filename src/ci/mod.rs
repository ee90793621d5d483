//! Running inside GitHub Actions: the environment and the pull-request event ([`actions`]), the
//! sticky comment ([`comment`]), and the steps after an audit that publish its result: the
//! JSON report for later steps, the job summary and the step outputs. The binary calls
//! [`publish`] and prints what it returns; nothing here prints.

pub mod actions;
pub mod comment;

use std::path::PathBuf;

use actions::{ActionsEnv, PullRequestEvent};
use comment::{CommentOutcome, CommentTarget};

use crate::model::Report;
use crate::report::{self, Format, RenderOptions};

/// What the command line asked of the Actions integration.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// Create or update the sticky comment on the pull request.
    pub comment: bool,
    /// Where the JSON report was already written (`--format json --output FILE`), so it is not
    /// written twice.
    pub json_report: Option<PathBuf>,
}

/// The sticky comment, the JSON report, the job summary and the step outputs. A comment that
/// cannot be posted never fails the run: the summary carries the report. Returns a notice for
/// the log when the comment could not be posted.
pub fn publish(
    options: &PublishOptions,
    env: &ActionsEnv,
    event: Option<&PullRequestEvent>,
    report: &Report,
) -> std::io::Result<Option<String>> {
    let markdown = report::markdown::render(report);
    let notice = if options.comment {
        post_comment(env, event, &markdown)
    } else {
        None
    };
    if !env.active && env.step_summary.is_none() && env.output.is_none() {
        return Ok(notice);
    }
    let report_path = if options.json_report.is_some() {
        options.json_report.clone()
    } else if env.active {
        let path = env.default_report_path();
        let mut json = Vec::new();
        report::emitter(Format::Json, &[]).emit(report, &mut json, RenderOptions::default())?;
        crate::output::write(&path, &json)?;
        Some(path)
    } else {
        None
    };
    if let Some(summary) = &env.step_summary {
        let mut text = markdown;
        if let Some(notice) = &notice {
            text = format!("> [!NOTE]\n> {notice}\n\n{text}");
        }
        actions::append(summary, &text)?;
    }
    if let Some(output) = &env.output {
        let pairs = actions::outputs(report, report_path.as_deref());
        actions::append(output, &actions::format_outputs(&pairs))?;
    }
    Ok(notice)
}

/// Posts or updates the sticky comment; returns a notice when it could not.
fn post_comment(
    env: &ActionsEnv,
    event: Option<&PullRequestEvent>,
    markdown: &str,
) -> Option<String> {
    let Some(event) = event else {
        return Some(
            "--comment needs a pull_request event (GITHUB_EVENT_PATH); no comment was posted"
                .to_string(),
        );
    };
    let Some(repository) = env.repository.clone() else {
        return Some("GITHUB_REPOSITORY is not set; no comment was posted".to_string());
    };
    let token = std::env::var("GITHUB_TOKEN").unwrap_or_default();
    if token.is_empty() {
        return Some(
            "no GITHUB_TOKEN to comment with; the report is in the job summary".to_string(),
        );
    }
    let target = CommentTarget {
        api_url: env
            .api_url
            .clone()
            .unwrap_or_else(|| "https://api.github.com".to_string()),
        repository,
        number: event.number,
    };
    match comment::upsert(&target, &token, markdown) {
        Ok(CommentOutcome::Created { id }) => {
            log::info!("created comment {id} on pull request #{}", event.number);
            None
        }
        Ok(CommentOutcome::Updated { id }) => {
            log::info!("updated comment {id} on pull request #{}", event.number);
            None
        }
        Ok(CommentOutcome::ReadOnly { status, message }) => Some(format!(
            "openly could not comment on pull request #{} (HTTP {status}: {message}). Pull requests \
             from forks get a read-only token; the report is in the job summary instead.",
            event.number
        )),
        Err(error) => Some(format!(
            "openly could not comment on pull request #{}: {error}. The report is in the job summary.",
            event.number
        )),
    }
}
