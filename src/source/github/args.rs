//! The command-line flags of GitHub mode, kept beside the code they drive so `cli.rs` only
//! flattens them in. Turning them into [`GitHubOptions`] reads the token, which happens here
//! and nowhere else.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::{Filters, GitHubOptions, Token, Visibility, cache};
use crate::progress::Progress;

#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "GitHub")]
pub struct GitHubArgs {
    /// Audit every repository of a GitHub organisation or user (repeatable).
    #[arg(long = "org", value_name = "NAME")]
    pub orgs: Vec<String>,
    /// Only repositories whose name matches this glob (repeatable; `owner/name` globs too).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip repositories whose name matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Only repositories with this topic (repeatable: any of them).
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Only repositories pushed on or after DATE (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub pushed_since: Option<String>,
    /// Audit archived repositories too.
    #[arg(long)]
    pub include_archived: bool,
    /// Audit forks too.
    #[arg(long)]
    pub include_forks: bool,
    /// Which repositories by visibility; default all that the token can read.
    #[arg(long, value_enum, default_value_t = Visibility::All)]
    pub visibility: Visibility,
    /// Read the GitHub token from FILE instead of GITHUB_TOKEN or GH_TOKEN.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The API root; for GitHub Enterprise Server use https://HOST/api/v3.
    #[arg(long, value_name = "URL", default_value = super::DEFAULT_API_URL)]
    pub api_url: String,
    /// HTTP cache directory (default: $XDG_CACHE_HOME/openly or ~/.cache/openly).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Do not read or write the HTTP cache.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
    /// Fetch peer-review evidence from the last few merged pull requests of each repository.
    #[arg(long)]
    pub reviews: bool,
    /// Keep a bare mirror of each repository under the cache directory (`clones/`) and audit it
    /// with git2: needed for --history on GitHub repositories; re-runs fetch only what is new.
    #[arg(long)]
    pub clone: bool,
    /// Seconds before one API request is abandoned and retried (at most 60).
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub request_timeout: u64,
    /// No progress bar or progress lines.
    #[arg(short, long)]
    pub quiet: bool,
}

impl GitHubArgs {
    /// Whether any GitHub work was asked for, besides `github:` targets.
    pub fn any(&self) -> bool {
        !self.orgs.is_empty()
    }

    pub fn to_options(&self, progress: Arc<Progress>) -> Result<GitHubOptions, crate::Error> {
        let cache_dir = if self.no_cache {
            None
        } else {
            self.cache_dir
                .clone()
                .or_else(cache::HttpCache::default_dir)
        };
        let policy = super::RetryPolicy {
            timeout: Duration::from_secs(self.request_timeout),
            ..super::RetryPolicy::default()
        };
        Ok(GitHubOptions {
            owners: self.orgs.clone(),
            api_url: self.api_url.clone(),
            token: Token::discover(self.token_file.as_deref())?,
            filters: Filters {
                include: self.include.clone(),
                exclude: self.exclude.clone(),
                topics: self.topic.clone(),
                pushed_since: self.pushed_since.clone(),
                include_archived: self.include_archived,
                include_forks: self.include_forks,
                visibility: self.visibility,
            },
            clone_root: self.clone.then(|| {
                self.cache_dir
                    .clone()
                    .or_else(cache::HttpCache::default_dir)
                    .unwrap_or_else(|| std::env::temp_dir().join("openly"))
                    .join("clones")
            }),
            cache_dir,
            cache_max_bytes: cache::DEFAULT_MAX_BYTES,
            reviews: self.reviews,
            policy,
            progress,
        })
    }
}
