//! The one driver: targets become openers, each opener a source, each source a snapshot, and
//! every repository goes through the same pipeline to its report ([`repo`]). Local folders,
//! git repositories, GitHub repositories (through the API or `--clone`) and both revisions of
//! a pull request (`crate::pr`) are all audited by [`audit_opened`]. Repositories run in
//! parallel but are reported in a fixed order, and one repository's failure is recorded on
//! that repository alone.

pub mod baseline;
pub mod merge;
mod parallel;
mod plan;
mod repo;
pub mod shard;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub use plan::Target;
pub use repo::{REPO_CONFIG, audit_opened, audit_source, errored};
pub use shard::Shard;

use crate::model::{PackInfo, RepoErrorKind, RepoReport, Report, SCHEMA_VERSION, Summary, Tool};
use crate::pack::Pack;
use crate::progress::Progress;
use crate::snapshot::ReadLimits;
use crate::source::github::GitHubOptions;

#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The revision to read git repositories at; HEAD when absent.
    pub reference: Option<String>,
    pub limits: ReadLimits,
    /// Repositories audited at once.
    pub jobs: usize,
    /// Read each repository's own `.openly.toml`.
    pub repo_config: bool,
    /// Scan every blob in git history for sensitive data, not only the audited tree.
    pub history: bool,
    /// Organisations to walk and how to talk to GitHub.
    pub github: GitHubOptions,
    /// Where repository progress goes (hidden unless the binary says otherwise).
    pub progress: Arc<Progress>,
    /// The audit's date (UTC): `[[allow]]` entries whose `expires` has come no longer apply.
    pub today: chrono::NaiveDate,
    /// Audit only this part of the repositories (`--shard I/N`).
    pub shard: Option<Shard>,
    /// Set on Ctrl-C: no repository starts after it, and the report is still written.
    pub interrupted: Arc<AtomicBool>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            reference: None,
            limits: ReadLimits::default(),
            jobs: default_jobs(),
            repo_config: true,
            history: false,
            github: GitHubOptions::default(),
            progress: Arc::new(Progress::default()),
            today: chrono::DateTime::<chrono::Utc>::from(audit_time()).date_naive(),
            shard: None,
            interrupted: Arc::new(AtomicBool::new(false)),
        }
    }
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8)
}

/// Audits every target. Fails only when the targets cannot be expanded at all.
pub fn audit(
    targets: &[Target],
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Report, crate::Error> {
    let plan = plan::plan(targets, pack, options)?;
    let progress = &options.progress;
    progress.set_total(plan.openers.len());
    let repos = parallel::run(&plan.openers, options.jobs, |opener| {
        if options.interrupted.load(Ordering::SeqCst) {
            return errored(
                opener.name(),
                opener.info(),
                RepoErrorKind::Interrupted,
                "not audited: the run was interrupted (Ctrl-C); re-run to audit it".to_string(),
            );
        }
        progress.started(opener.name());
        let report = audit_opened(opener.as_ref(), pack, options);
        progress.finished(opener.name());
        report
    });
    progress.finish();
    // The GitHub session (and its runtime) ends here, outside any async context.
    drop(plan);
    let mut report = build_report(pack, repos);
    report.shard = options.shard.map(Shard::info);
    Ok(report)
}

/// The audit's time: now, or `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
/// convention) when it is set, so that two runs can be byte-identical and time-dependent rules
/// (how long since the last push) can be tested.
pub fn audit_time() -> std::time::SystemTime {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok());
    match epoch {
        Some(seconds) => std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds),
        None => std::time::SystemTime::now(),
    }
}

fn generated_at() -> String {
    humantime::format_rfc3339_seconds(audit_time()).to_string()
}

pub fn build_report(pack: &Pack, repos: Vec<RepoReport>) -> Report {
    let pack = PackInfo {
        name: pack.name.clone(),
        version: pack.version.clone(),
    };
    assemble(this_tool(), pack, generated_at(), repos)
}

/// This build of openly, as a report names it.
pub fn this_tool() -> Tool {
    Tool {
        name: "openly".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// A report around `repos`, with the summary computed from them. The one place a summary is
/// made, so an audit and a merge of its shards agree.
pub fn assemble(
    tool: Tool,
    rule_pack: PackInfo,
    generated_at: String,
    repos: Vec<RepoReport>,
) -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        tool,
        generated_at,
        rule_pack,
        summary: summarize(&repos),
        repos,
        pr: None,
        shard: None,
    }
}

fn summarize(repos: &[RepoReport]) -> Summary {
    let audited: Vec<&RepoReport> = repos.iter().filter(|r| r.error.is_none()).collect();
    let scores: Vec<f64> = audited.iter().filter_map(|r| r.score).collect();
    let mean_score = (!scores.is_empty())
        .then(|| (scores.iter().sum::<f64>() / scores.len() as f64 * 10.0).round() / 10.0);
    let deferred = repos
        .iter()
        .filter(|r| r.error_kind.is_some_and(RepoErrorKind::is_deferral))
        .count();
    Summary {
        repos: repos.len(),
        audited: audited.len(),
        errored: repos.len() - audited.len() - deferred,
        deferred,
        mean_score,
    }
}
