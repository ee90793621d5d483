//! The binary's side of `openly fix --pr`: check the targets, build the GitHub options the way
//! `openly audit` does, call [`openly::fix::github::run`], and say what happened to each
//! repository as it is done: one progress line on stderr, and with `--dry-run` the files, the
//! pull request's title and body, and the diff on stdout. The library itself prints nothing.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use openly::fix::github::{self, Done, PrRun, Published, RepoFix};
use openly::fix::plan::FixRequest;
use openly::fix::{summary, template};
use openly::model::RepoErrorKind;
use openly::pack::Pack;
use openly::{AuditOptions, Target};

use crate::cli::FixArgs;
use crate::{EXIT_CONFIG, EXIT_GATE, EXIT_USAGE, Failure};

/// `openly fix --pr`.
pub fn run(args: &FixArgs, pack: &Pack) -> Result<u8, Failure> {
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
    let (progress, github) = crate::github_options(&args.github, false)?;
    let options = AuditOptions {
        repo_config: !args.no_repo_config,
        jobs: 1,
        github,
        progress,
        interrupted: Arc::new(AtomicBool::new(false)),
        ..AuditOptions::default()
    };
    crate::install_interrupt_handler(&options);
    let request = FixRequest {
        rules: args.only_rules.clone(),
        year: template::year_of(std::time::SystemTime::now()),
    };
    let pr_run = PrRun {
        pack,
        options: &options,
        request: &request,
        dry_run: args.dry_run,
    };
    let mut written = Ok(());
    let done = github::run(&repos, &pr_run, |fixed| {
        if !args.github.quiet || fixed.outcome.is_err() {
            eprintln!("openly fix: {}: {}", fixed.name, progress_line(fixed));
        }
        if args.dry_run && written.is_ok() {
            written = write_dry_run(fixed);
        }
    })?;
    written?;
    Ok(exit_code(&done, args.dry_run))
}

/// What happened to one repository, in one line.
fn progress_line(fixed: &RepoFix) -> String {
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

/// With `--dry-run`, stdout gets per repository the files, the pull request that would be
/// sent, and the diff that its commit would hold.
fn write_dry_run(fixed: &RepoFix) -> io::Result<()> {
    let (Some(plan), Some(proposal)) = (&fixed.plan, &fixed.proposal) else {
        return Ok(());
    };
    let mut out = io::stdout().lock();
    out.write_all(summary::render(plan, &plan.after, false).as_bytes())?;
    let action = match &fixed.outcome {
        Ok(Published::WouldPublish {
            existing: Some(pull),
        }) => format!("would update pull request #{}", pull.number),
        _ => "would open a pull request".to_string(),
    };
    writeln!(
        out,
        "\n{action}: {} -> {}\ntitle: {}\n\n{}\n",
        github::api::BRANCH,
        proposal.base,
        proposal.title,
        proposal.body.trim_end()
    )?;
    out.write_all(&plan.changes.diff())?;
    writeln!(out)?;
    out.flush()
}

/// As for `openly fix`: 0 when nothing fixable is left, 1 when something is (a dry run, a rule
/// a fix could not satisfy) or a repository got no pull request, 2 when there was no
/// repository, 78 when every repository's config was invalid.
fn exit_code(done: &[Done], dry_run: bool) -> u8 {
    if done.is_empty() {
        eprintln!("openly: no repositories found to fix");
        return EXIT_USAGE;
    }
    let failed = done.iter().filter(|d| d.failed.is_some()).count();
    if failed == done.len() && done.iter().all(|d| d.failed == Some(RepoErrorKind::Config)) {
        return EXIT_CONFIG;
    }
    if failed > 0 {
        eprintln!(
            "openly: {failed} of {} repositor{} got no pull request",
            done.len(),
            if done.len() == 1 { "y" } else { "ies" }
        );
        return EXIT_GATE;
    }
    let unsent = dry_run && done.iter().any(|d| d.changes);
    if unsent || done.iter().any(|d| d.left) {
        EXIT_GATE
    } else {
        0
    }
}
