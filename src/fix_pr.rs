//! The binary's side of `openly fix --pr`, short of printing: which repositories the targets
//! name, and the words for what happened to each (a progress line, the dry run's files, pull
//! request and diff) and for the run as a whole (its exit code and closing line). `main.rs`
//! calls [`openly::fix::github::run`] with these and writes them; the library prints nothing.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use openly::fix::github::{self, Done, Published, RepoFix};
use openly::fix::plan::FixRequest;
use openly::fix::{summary, template};
use openly::model::RepoErrorKind;
use openly::{AuditOptions, Target};

use crate::cli::FixArgs;
use crate::{EXIT_CONFIG, EXIT_GATE, EXIT_USAGE, Failure};

/// The GitHub repositories `--pr` is asked to fix (`github:OWNER/REPO` targets; `--org` and
/// `--user` are in `args.github`), refused when a target is a local path or there is none.
pub fn targets(args: &FixArgs) -> Result<Vec<(String, String)>, Failure> {
    let mut repos = Vec::new();
    for text in &args.targets {
        match Target::parse(text) {
            Target::GitHub { owner, repo } => repos.push((owner, repo)),
            Target::Path(path) => {
                return Err(Failure::Usage(format!(
                    "--pr fixes GitHub repositories (github:OWNER/REPO, --org, --user), and `{}` \
                     is a local path: drop --pr to write to it",
                    path.display()
                )));
            }
        }
    }
    if repos.is_empty() && !args.github.any() {
        return Err(Failure::Usage(
            "--pr needs the repositories to fix: github:OWNER/REPO, --org NAME or --user NAME"
                .to_string(),
        ));
    }
    Ok(repos)
}

/// The audit options of a `--pr` run: one repository at a time, as GitHub asks of writes.
pub fn options(args: &FixArgs) -> Result<AuditOptions, Failure> {
    let (progress, github) = crate::github_options(&args.github, false)?;
    Ok(AuditOptions {
        repo_config: !args.no_repo_config,
        jobs: 1,
        github,
        progress,
        interrupted: Arc::new(AtomicBool::new(false)),
        ..AuditOptions::default()
    })
}

/// The fixes asked for, dated this year.
pub fn request(args: &FixArgs) -> FixRequest {
    FixRequest {
        rules: args.only_rules.clone(),
        year: template::year_of(std::time::SystemTime::now()),
    }
}

/// What happened to one repository, in one line.
pub fn progress_line(fixed: &RepoFix) -> String {
    let files = fixed.plan.as_ref().map_or(0, |p| p.changes.files().len());
    let changing = format!("{files} file{}", if files == 1 { "" } else { "s" });
    let left = fixed
        .plan
        .as_ref()
        .filter(|p| !p.left.is_empty())
        .map(|p| {
            let rules: Vec<&str> = p.left.iter().map(|l| l.rule.as_str()).collect();
            format!("; still failing: {}", rules.join(", "))
        })
        .unwrap_or_default();
    let said = match &fixed.outcome {
        Err(failure) => return format!("no pull request: {}", failure.message),
        Ok(Published::NothingToFix) => "nothing to fix".to_string(),
        Ok(Published::WouldPublish { existing: None }) => {
            format!("would open a pull request changing {changing} (dry run: nothing sent)")
        }
        Ok(Published::WouldPublish {
            existing: Some(pull),
        }) => format!(
            "would update pull request #{} changing {changing} (dry run: nothing sent)",
            pull.number
        ),
        Ok(Published::Opened(pull)) => {
            format!(
                "opened pull request #{} ({changing}) {}",
                pull.number, pull.html_url
            )
        }
        Ok(Published::Updated { pull, branch_moved }) => format!(
            "updated pull request #{} ({}) {}",
            pull.number,
            if *branch_moved {
                format!("new commit, {changing}")
            } else {
                "description only".to_string()
            },
            pull.html_url
        ),
        Ok(Published::UpToDate(pull)) => format!(
            "pull request #{} is up to date; nothing sent {}",
            pull.number, pull.html_url
        ),
    };
    format!("{said}{left}")
}

/// With `--dry-run`, what stdout gets per repository: the files, the pull request that would
/// be sent, and the diff that its commit would hold. Empty when nothing would be sent.
pub fn dry_run_text(fixed: &RepoFix) -> Vec<u8> {
    let (Some(plan), Some(proposal)) = (&fixed.plan, &fixed.proposal) else {
        return Vec::new();
    };
    let mut text = summary::render(plan, &plan.after, false);
    let action = match &fixed.outcome {
        Ok(Published::WouldPublish {
            existing: Some(pull),
        }) => format!("would update pull request #{}", pull.number),
        _ => "would open a pull request".to_string(),
    };
    let _ = writeln!(
        text,
        "\n{action}: {} -> {}\ntitle: {}\n\n{}\n",
        github::api::BRANCH,
        proposal.base,
        proposal.title,
        proposal.body.trim_end()
    );
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(&plan.changes.diff());
    bytes.push(b'\n');
    bytes
}

/// As for `openly fix`: 0 when nothing fixable is left, 1 when something is (a dry run, a rule
/// a fix could not satisfy) or a repository got no pull request, 2 when there was no
/// repository, 78 when every repository's config was invalid; with the run's closing line,
/// when it needs one.
pub fn outcome(done: &[Done], dry_run: bool) -> (u8, Option<String>) {
    if done.is_empty() {
        return (
            EXIT_USAGE,
            Some("openly: no repositories found to fix".to_string()),
        );
    }
    let failed = done.iter().filter(|d| d.failed.is_some()).count();
    if failed == done.len() && done.iter().all(|d| d.failed == Some(RepoErrorKind::Config)) {
        return (EXIT_CONFIG, None);
    }
    if failed > 0 {
        let line = format!(
            "openly: {failed} of {} repositor{} got no pull request",
            done.len(),
            if done.len() == 1 { "y" } else { "ies" }
        );
        return (EXIT_GATE, Some(line));
    }
    let unsent = dry_run && done.iter().any(|d| d.changes);
    if unsent || done.iter().any(|d| d.left) {
        (EXIT_GATE, None)
    } else {
        (0, None)
    }
}
