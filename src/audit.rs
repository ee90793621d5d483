//! The public entry point: audit targets under a pack and build the report. Repositories are
//! audited in parallel but reported in a fixed order, and one repository's failure is recorded
//! on that repository alone.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::checks::{self, RepoContext};
use crate::model::{
    PackInfo, RapLevel, RapSummary, RepoReport, Report, SCHEMA_VERSION, Summary, Tool,
};
use crate::model::{SourceInfo, SourceKind};
use crate::pack::{self, Pack};
use crate::snapshot::{ReadLimits, Snapshot};
use crate::source::Source;
use crate::source::discover::{self, Candidate};
use crate::source::git::{self, GitSource};
use crate::source::github::{self, GitHubOptions};
use crate::source::local::LocalSource;

/// What to audit, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Path(PathBuf),
    /// `github:OWNER/REPO`
    GitHub {
        owner: String,
        repo: String,
    },
}

impl Target {
    pub fn parse(text: &str) -> Target {
        if let Some(rest) = text.strip_prefix("github:")
            && let Some((owner, repo)) = rest.split_once('/')
        {
            return Target::GitHub {
                owner: owner.to_string(),
                repo: repo.to_string(),
            };
        }
        Target::Path(PathBuf::from(text))
    }
}

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
        }
    }
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8)
}

/// Name of the per-repository config file.
pub const REPO_CONFIG: &str = ".openly.toml";

/// A repository to audit, or the reason it cannot be.
enum Planned {
    Local(Candidate),
    GitHub(github::PlannedRepo),
}

/// Audits every target. Fails only when the targets cannot be expanded at all.
pub fn audit(
    targets: &[Target],
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Report, crate::Error> {
    let mut planned = Vec::new();
    let mut github_repos = Vec::new();
    for target in targets {
        match target {
            Target::Path(path) => {
                for candidate in discover::expand(path)? {
                    planned.push(Planned::Local(candidate));
                }
            }
            Target::GitHub { owner, repo } => github_repos.push((owner.clone(), repo.clone())),
        }
    }
    let session = if github_repos.is_empty() && options.github.owners.is_empty() {
        None
    } else {
        // Review evidence costs requests, so it is fetched when the user asks (`--reviews`) or
        // when the pack's RAP rules opt in (`params = { from-api = true }`).
        let mut github_options = options.github.clone();
        github_options.reviews |= crate::checks::rap::criteria::wants_api_evidence(pack);
        let (session, repos) = github::Session::plan(&github_repos, &github_options)?;
        planned.extend(repos.into_iter().map(Planned::GitHub));
        Some(session)
    };
    let repos = run_parallel(&planned, options.jobs, |plan| match plan {
        Planned::Local(candidate) => audit_candidate(candidate, pack, options),
        Planned::GitHub(repo) => match &session {
            Some(session) => session.audit(repo, pack, options),
            None => errored(
                &repo.full_name,
                github::repo::source_info(&repo.full_name, None, None),
                "no GitHub session".to_string(),
            ),
        },
    });
    if let Some(session) = &session {
        session.finish();
    }
    Ok(build_report(pack, repos))
}

/// Runs `work` over `items` on up to `jobs` threads, keeping the input order in the output.
fn run_parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut next = next.lock().unwrap_or_else(|p| p.into_inner());
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(item) = items.get(index) else { break };
                    let result = work(item);
                    results.lock().unwrap_or_else(|p| p.into_inner())[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

fn audit_candidate(candidate: &Candidate, pack: &Pack, options: &AuditOptions) -> RepoReport {
    let location = candidate.path.display().to_string();
    let source: Result<Box<dyn Source>, crate::Error> = if candidate.is_git {
        match git::has_commits(&candidate.path) {
            Ok(true) => GitSource::open(&candidate.path, options.reference.as_deref())
                .map(|s| Box::new(s) as Box<dyn Source>),
            Ok(false) if options.reference.is_none() => {
                log::warn!(
                    "{location}: the repository has no commits yet; auditing the files on disk"
                );
                Ok(Box::new(LocalSource::new(&candidate.path)))
            }
            Ok(false) => Err(crate::Error::Target(
                location.clone(),
                "the repository has no commits".to_string(),
            )),
            Err(error) => Err(error),
        }
    } else {
        Ok(Box::new(LocalSource::new(&candidate.path)))
    };
    let fallback_info = SourceInfo {
        kind: if candidate.is_git {
            SourceKind::Git
        } else {
            SourceKind::Local
        },
        location,
        reference: options.reference.clone(),
        commit: None,
    };
    match source {
        Ok(source) => audit_source(&candidate.name, source, pack, options),
        Err(error) => errored(&candidate.name, fallback_info, error.to_string()),
    }
}

/// Audits one repository from any source. Public so other front ends (GitHub, PR mode) reuse it.
pub fn audit_source(
    name: &str,
    source: Box<dyn Source>,
    pack: &Pack,
    options: &AuditOptions,
) -> RepoReport {
    let info = source.info().clone();
    let is_github = info.kind == SourceKind::Github;
    let snapshot = match Snapshot::new(source, options.limits) {
        Ok(snapshot) => snapshot,
        Err(error) => return errored(name, info, error.to_string()),
    };
    let repo_pack;
    let pack = match repo_config(&snapshot, pack, options) {
        Ok(Some(layered)) => {
            repo_pack = layered;
            &repo_pack
        }
        Ok(None) => pack,
        Err(error) => return errored(name, info, error.to_string()),
    };
    let context = RepoContext::new(&snapshot).with_history(options.history);
    let findings = checks::evaluate(pack, &context);
    let score = crate::score::score(&findings);
    let rap = rap_summary(pack, &context, &findings);
    RepoReport {
        name: name.to_string(),
        source: info,
        score: score.overall,
        grade: score.grade,
        rap_level: rap.as_ref().map_or(RapLevel::None, |r| r.level),
        categories: score.categories,
        facts: context.facts(),
        rap,
        findings,
        error: None,
        // Only GitHub knows visibility, topics and the like; local metadata stays internal.
        metadata: is_github.then(|| snapshot.metadata().clone()),
    }
}

/// The RAP level and the next steps, for repositories with analysis code under a pack that
/// judges levels; documentation-only repositories are not pipelines, so they get none.
fn rap_summary(
    pack: &Pack,
    context: &RepoContext,
    findings: &[crate::model::Finding],
) -> Option<RapSummary> {
    if !checks::rap::level::pack_has_levels(pack) {
        return None;
    }
    let evidence = context.rap();
    if !evidence.has_code() {
        return None;
    }
    let assessment = checks::rap::level::assess(pack, findings);
    Some(RapSummary {
        level: assessment.level,
        declared: evidence.declared_level(),
        next: assessment.next,
    })
}

fn repo_config(
    snapshot: &Snapshot,
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Option<Pack>, crate::Error> {
    if !options.repo_config || !snapshot.is_file(REPO_CONFIG) {
        return Ok(None);
    }
    let Some(text) = snapshot.text(REPO_CONFIG) else {
        return Err(crate::Error::Other(format!(
            "{REPO_CONFIG} is not readable text"
        )));
    };
    pack::load_repo_config(pack, REPO_CONFIG, &text).map(Some)
}

pub fn errored(name: &str, source: SourceInfo, error: String) -> RepoReport {
    RepoReport {
        name: name.to_string(),
        source,
        score: None,
        grade: "-".to_string(),
        rap_level: RapLevel::None,
        categories: Vec::new(),
        facts: Default::default(),
        rap: None,
        findings: Vec::new(),
        error: Some(error),
        metadata: None,
    }
}

pub fn build_report(pack: &Pack, repos: Vec<RepoReport>) -> Report {
    let audited: Vec<&RepoReport> = repos.iter().filter(|r| r.error.is_none()).collect();
    let scores: Vec<f64> = audited.iter().filter_map(|r| r.score).collect();
    let mean_score = (!scores.is_empty())
        .then(|| (scores.iter().sum::<f64>() / scores.len() as f64 * 10.0).round() / 10.0);
    let summary = Summary {
        repos: repos.len(),
        audited: audited.len(),
        errored: repos.len() - audited.len(),
        mean_score,
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "openly".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        generated_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        rule_pack: PackInfo {
            name: pack.name.clone(),
            version: pack.version.clone(),
        },
        summary,
        repos,
        pr: None,
    }
}
