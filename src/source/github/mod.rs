//! GitHub as a source: whole organisations (or users) and single `github:OWNER/REPO` targets,
//! read through the REST API with octocrab. The rest of the library is synchronous, so the
//! tokio runtime lives here, inside a [`Session`]: listing and opening run on it with
//! `block_on`, and each [`repo::GitHubSource`] keeps a handle to fetch blobs when the
//! snapshot reads them from the audit's worker threads.

pub mod args;
pub mod cache;
pub mod client;
pub mod clone;
pub mod control;
pub mod error;
pub mod limits;
pub mod listing;
pub mod paths;
pub mod quota;
pub mod repo;
pub mod strategy;
pub mod tarball;
pub mod trees;

use std::path::PathBuf;
use std::sync::Arc;

pub use client::{ApiError, DEFAULT_MAX_WAIT, RetryPolicy, Sleeper};
pub use control::StopSignal;
pub use error::{DEFERRED_KIND, Deferred};
pub use listing::{ApiRepo, Filters, Owner, Visibility};
pub use quota::QuotaPlan;
pub use strategy::ReadPlan;
pub use tarball::TarballLimits;

use super::{OpenError, Opener, Source};
use crate::progress::Progress;
use client::Client;
use repo::GitHubSource;

pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// Repositories audited at once when `--jobs` is not given for a GitHub run. Requests are
/// mostly waiting on the network, so this exceeds the core count, but it stays modest because
/// GitHub's secondary limits punish bursts of concurrent requests from one token.
pub const DEFAULT_JOBS: usize = 8;

/// A GitHub token. It only ever leaves this type towards octocrab (which sends it), libgit2's
/// credentials callback (`--clone`) and the cache-key fingerprint (a one-way hash); `Debug`
/// redacts it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// `None` for an empty or blank value.
    pub fn new(value: &str) -> Option<Self> {
        let value = value.trim();
        (!value.is_empty()).then(|| Token(value.to_string()))
    }

    /// From `--token-file`, else `GITHUB_TOKEN`, else `GH_TOKEN`.
    pub fn discover(token_file: Option<&std::path::Path>) -> Result<Option<Self>, crate::Error> {
        if let Some(path) = token_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                crate::Error::Other(format!("cannot read --token-file {}: {e}", path.display()))
            })?;
            return match Token::new(&text) {
                Some(token) => Ok(Some(token)),
                None => Err(crate::Error::Other(format!(
                    "--token-file {} is empty",
                    path.display()
                ))),
            };
        }
        Ok(["GITHUB_TOKEN", "GH_TOKEN"]
            .iter()
            .find_map(|name| std::env::var(name).ok().as_deref().and_then(Token::new)))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Everything a GitHub run needs beyond the audit's own options.
#[derive(Clone, Debug)]
pub struct GitHubOptions {
    /// Organisations or users whose repositories are listed and audited.
    pub owners: Vec<Owner>,
    /// `https://api.github.com`, or `https://HOST/api/v3` for Enterprise Server.
    pub api_url: String,
    pub token: Option<Token>,
    pub filters: Filters,
    /// Where the HTTP cache lives; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    pub cache_max_bytes: u64,
    /// Fetch peer-review evidence from recently merged pull requests (bounded per repo).
    pub reviews: bool,
    /// `--clone`: keep bare mirrors here and audit them through git2 instead of the API.
    pub clone_root: Option<PathBuf>,
    pub policy: RetryPolicy,
    pub progress: Arc<Progress>,
    /// What the pack reads of each repository; decides blobs or tarball (see `strategy`).
    pub read_plan: ReadPlan,
    pub tarball_limits: TarballLimits,
    /// Stops the run's requests: a Ctrl-C handler calls [`StopSignal::cancel`] on it; the
    /// client records a rate-limit deferral in it. One per run: once stopped, it refuses every
    /// later request made with these options.
    pub stop: Arc<StopSignal>,
}

impl Default for GitHubOptions {
    fn default() -> Self {
        GitHubOptions {
            owners: Vec::new(),
            api_url: DEFAULT_API_URL.to_string(),
            token: None,
            filters: Filters::default(),
            cache_dir: cache::HttpCache::default_dir(),
            cache_max_bytes: cache::DEFAULT_MAX_BYTES,
            reviews: false,
            clone_root: None,
            policy: RetryPolicy::default(),
            progress: Arc::new(Progress::default()),
            read_plan: ReadPlan::default(),
            tarball_limits: TarballLimits::default(),
            stop: Arc::new(StopSignal::default()),
        }
    }
}

/// A repository found by listing, or the reason its owner or itself could not be read.
#[derive(Debug)]
pub struct PlannedRepo {
    pub full_name: String,
    pub repo: Result<ApiRepo, String>,
}

/// A GitHub run: its runtime and client, shared by every repository.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    client: Arc<Client>,
    reviews: bool,
    clone_root: Option<PathBuf>,
    token: Option<Token>,
    api_url: String,
    read: Arc<repo::ReadSetup>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session {
    /// Starts the runtime and client, lists the owners, fetches single repositories, filters
    /// and sorts. Only set-up errors (a bad URL or glob) fail; a listing that fails becomes one
    /// errored entry, so the rest of the run goes on.
    pub fn plan(
        repos: &[(String, String)],
        options: &GitHubOptions,
    ) -> Result<(Arc<Session>, Vec<PlannedRepo>), crate::Error> {
        let selector = listing::Selector::new(&options.filters)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("openly-github")
            .enable_all()
            .build()?;
        if options.token.is_none() {
            log::warn!(
                "no GITHUB_TOKEN, GH_TOKEN or --token-file: only public repositories can be read, and GitHub allows 60 unauthenticated requests an hour"
            );
        }
        let cache = match &options.cache_dir {
            None => None,
            Some(dir) => match cache::HttpCache::open(dir, options.cache_max_bytes) {
                Ok(cache) => Some(cache),
                Err(error) => {
                    log::warn!("HTTP cache disabled: cannot use {}: {error}", dir.display());
                    None
                }
            },
        };
        let client = {
            let _guard = runtime.enter();
            Arc::new(Client::new(
                &options.api_url,
                options.token.as_ref().map(|t| t.0.as_str()),
                cache,
                options.policy.clone(),
                options.progress.clone(),
                options.stop.clone(),
            )?)
        };
        let read = Arc::new(repo::ReadSetup::new(
            &options.read_plan,
            options.tarball_limits,
            options.cache_dir.as_deref(),
            options.cache_max_bytes,
        )?);
        let planned = runtime.block_on(async {
            let mut planned = Vec::new();
            for owner in &options.owners {
                if !owner.is_valid() {
                    planned.push(PlannedRepo {
                        full_name: owner.to_string(),
                        repo: Err(format!(
                            "`{owner}` is not a GitHub organisation or user name"
                        )),
                    });
                    continue;
                }
                match listing::list(&client, owner).await {
                    Ok(repos) => {
                        let listed = repos.len();
                        let mut kept = 0;
                        let org = repos
                            .iter()
                            .find(|r| r.name == ".github")
                            .and_then(|r| r.owner_and_name().map(|(o, _)| o.to_string()));
                        let policy = match org {
                            Some(org) => listing::org_security_policy(&client, &org).await,
                            None => None,
                        };
                        for mut repo in repos {
                            repo.org_security_policy = policy.clone();
                            match selector.keep(&repo) {
                                Ok(()) => {
                                    kept += 1;
                                    planned.push(PlannedRepo {
                                        full_name: repo.full_name.clone(),
                                        repo: Ok(repo),
                                    });
                                }
                                Err(why) => log::debug!("skipping {}: {why}", repo.full_name),
                            }
                        }
                        log::info!("{owner}: {listed} repositories listed, {kept} selected");
                    }
                    Err(error) => planned.push(PlannedRepo {
                        full_name: owner.to_string(),
                        repo: Err(format!("cannot list the repositories of {owner}: {error}")),
                    }),
                }
            }
            // Named targets are audited whatever the filters say: the user asked for them.
            for (owner, name) in repos {
                let full_name = format!("{owner}/{name}");
                let repo = if listing::valid_name(owner) && listing::valid_name(name) {
                    listing::get_repo(&client, owner, name)
                        .await
                        .map_err(|e| e.to_string())
                } else {
                    Err(format!("`{full_name}` is not a GitHub repository name"))
                };
                planned.push(PlannedRepo { full_name, repo });
            }
            planned
        });
        let mut planned = planned;
        planned.sort_by(|a, b| a.full_name.cmp(&b.full_name));
        planned.dedup_by(|a, b| a.full_name == b.full_name);
        let session = Arc::new(Session {
            runtime,
            client,
            reviews: options.reviews,
            clone_root: options.clone_root.clone(),
            token: options.token.clone(),
            api_url: options.api_url.clone(),
            read,
        });
        // Said at the start, before any quota is spent on content.
        if session.clone_root.is_none()
            && let Some(plan) = session.quota_plan(&planned)
        {
            let text = plan.summary(std::time::SystemTime::now());
            if plan.covers_all() {
                log::info!("{text}");
            } else {
                log::warn!("{text}");
            }
        }
        Ok((session, planned))
    }

    /// Reads `/rate_limit` (free) and estimates what auditing `planned` will cost.
    pub fn quota_plan(&self, planned: &[PlannedRepo]) -> Option<QuotaPlan> {
        let repos: Vec<&ApiRepo> = planned
            .iter()
            .filter_map(|p| p.repo.as_ref().ok())
            .collect();
        self.runtime.block_on(quota::plan_run(
            &self.client,
            self.read.trees.as_ref(),
            &self.read.plan,
            &repos,
        ))
    }

    /// Stops the run: [`StopSignal::cancel`] on Ctrl-C. Also tells whether the rate limit
    /// deferred the rest ([`StopSignal::deferred`]).
    pub fn stop_signal(&self) -> Arc<StopSignal> {
        self.client.stop_signal()
    }

    /// The run's client, for requests beyond reading (fix mode's pull requests).
    pub fn client(&self) -> Arc<Client> {
        self.client.clone()
    }

    /// Runs `future` on the session's runtime; not from inside a runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

/// One repository of a GitHub run, opened through the API or, with `--clone`, from a bare
/// mirror. Safe to open from many threads at once, but not from inside a tokio runtime.
pub struct GitHubTarget {
    session: Arc<Session>,
    planned: PlannedRepo,
    /// The revision to read; the default branch when absent.
    reference: Option<String>,
}

impl GitHubTarget {
    pub fn new(session: Arc<Session>, planned: PlannedRepo, reference: Option<String>) -> Self {
        GitHubTarget {
            session,
            planned,
            reference,
        }
    }
}

impl Opener for GitHubTarget {
    fn name(&self) -> &str {
        &self.planned.full_name
    }

    fn info(&self) -> crate::model::SourceInfo {
        let branch = self
            .planned
            .repo
            .as_ref()
            .ok()
            .and_then(|r| r.default_branch.clone());
        repo::source_info(&self.planned.full_name, branch, None)
    }

    fn listing_metadata(&self) -> Option<crate::model::RepoMetadata> {
        self.planned.repo.as_ref().ok().map(ApiRepo::metadata)
    }

    fn open(&self) -> Result<Box<dyn Source>, OpenError> {
        let api_repo = self.planned.repo.as_ref().map_err(OpenError::source)?;
        let session = &self.session;
        // A stopping run (quota spent beyond --max-wait, or Ctrl-C) opens no new repository.
        session.stop_signal().check().map_err(open_error)?;
        match session.clone_root.as_deref() {
            Some(root) => clone::update(root, api_repo, &session.api_url, session.token.as_ref())
                .and_then(|mirror| {
                    clone::ClonedSource::open(&mirror, api_repo, self.reference.as_deref())
                })
                .map(|source| Box::new(source) as Box<dyn Source>)
                .map_err(|error| OpenError::source(format!("cannot clone: {error}"))),
            None => session
                .runtime
                .block_on(GitHubSource::open(
                    session.client.clone(),
                    session.runtime.handle().clone(),
                    api_repo,
                    session.reviews,
                    &session.read,
                ))
                .map(|source| Box::new(source) as Box<dyn Source>)
                .map_err(open_error),
        }
    }
}

/// The report's error for a repository GitHub could not give. A deferral
/// ([`ApiError::is_deferral`]) is not a broken repository: its message says when to re-run,
/// and [`DEFERRED_KIND`] is its machine-readable kind once the report model has one.
/// A deferral (quota spent beyond `--max-wait`, or Ctrl-C) is not a broken repository: it gets
/// its own kind, and a message that says when a re-run will complete it.
fn open_error(error: ApiError) -> OpenError {
    use crate::model::RepoErrorKind;
    if let Some(deferred) = error::Deferred::from_error(&error) {
        return OpenError {
            kind: RepoErrorKind::RateLimited,
            message: deferred.message(),
        };
    }
    if matches!(error, ApiError::Cancelled) {
        return OpenError {
            kind: RepoErrorKind::Interrupted,
            message: "not audited: the run was interrupted (Ctrl-C); re-run to audit it"
                .to_string(),
        };
    }
    OpenError::source(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_redacted_in_debug_output() {
        let mut options = GitHubOptions {
            token: Token::new(" ghp_secret \n"),
            ..GitHubOptions::default()
        };
        options.owners.push("nhsx".into());
        let shown = format!("{options:?}");
        assert!(!shown.contains("ghp_secret"), "{shown}");
        assert!(shown.contains("redacted"));
        assert_eq!(Token::new("  "), None);
    }
}
