//! The command-line flags of GitHub mode, kept beside the code they drive so `cli.rs` only
//! flattens them in. Turning them into [`GitHubOptions`] reads the token, which happens here
//! and nowhere else.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::{Filters, GitHubOptions, Owner, Token, Visibility, cache};
use crate::progress::Progress;

#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "GitHub")]
pub struct GitHubArgs {
    /// Audit every repository of a GitHub organisation or user (repeatable); `@me` is the
    /// authenticated user's own repositories, private ones included.
    #[arg(long = "org", value_name = "NAME")]
    pub orgs: Vec<String>,
    /// Audit every repository a GitHub user owns (repeatable).
    #[arg(long = "user", value_name = "NAME")]
    pub users: Vec<String>,
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
    /// The longest single rate-limit wait (e.g. 10m, 1h, 0s). Past it no new repository
    /// starts; the rest are reported as deferred, with the time the quota resets.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_wait)]
    pub max_wait: Duration,
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
        !self.orgs.is_empty() || !self.users.is_empty()
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
            max_rate_limit_wait: self.max_wait,
            ..super::RetryPolicy::default()
        };
        Ok(GitHubOptions {
            owners: self
                .orgs
                .iter()
                .map(|name| Owner::org(name))
                .chain(self.users.iter().map(|name| Owner::User(name.clone())))
                .collect(),
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
            ..GitHubOptions::default()
        })
    }
}

/// `--max-wait`: a humantime duration such as `10m`, `90s` or `1h 30m`.
fn parse_wait(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{text}` is not a duration such as 10m or 1h: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        github: GitHubArgs,
    }

    #[test]
    fn users_me_and_max_wait_reach_the_options() {
        let cli = Cli::try_parse_from([
            "openly",
            "--org",
            "nhsx",
            "--org",
            "@me",
            "--user",
            "someone",
            "--max-wait",
            "90s",
            "--no-cache",
        ])
        .unwrap();
        let options = cli
            .github
            .to_options(Arc::new(Progress::default()))
            .unwrap();
        assert_eq!(
            options.owners,
            [
                Owner::Org("nhsx".into()),
                Owner::Me,
                Owner::User("someone".into())
            ]
        );
        assert_eq!(options.policy.max_rate_limit_wait, Duration::from_secs(90));
        let default = Cli::try_parse_from(["openly"]).unwrap();
        assert_eq!(default.github.max_wait, super::super::DEFAULT_MAX_WAIT);
        assert!(Cli::try_parse_from(["openly", "--max-wait", "soon"]).is_err());
    }
}
