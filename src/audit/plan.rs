//! From command-line targets to openers: each local target is expanded into its repositories,
//! and GitHub targets (`--org`, `github:OWNER/REPO`) are listed through one session. Listing
//! failures become errored repositories, not a failed run.

use std::path::PathBuf;
use std::sync::Arc;

use super::AuditOptions;
use crate::pack::Pack;
use crate::pack::catalog::Need;
use crate::source::Opener;
use crate::source::discover::{self, LocalTarget};
use crate::source::github::{GitHubTarget, Session};

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

/// The repositories of a run, in report order, and the GitHub session that some of them use.
pub(super) struct Plan {
    pub openers: Vec<Box<dyn Opener>>,
    /// Kept so that the session's runtime outlives every opener that uses it.
    _session: Option<Arc<Session>>,
}

pub(super) fn plan(
    targets: &[Target],
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Plan, crate::Error> {
    let mut openers: Vec<Box<dyn Opener>> = Vec::new();
    let mut github_repos = Vec::new();
    for target in targets {
        match target {
            Target::Path(path) => {
                for candidate in discover::expand(path)? {
                    openers.push(Box::new(LocalTarget {
                        candidate,
                        reference: options.reference.clone(),
                    }));
                }
            }
            Target::GitHub { owner, repo } => github_repos.push((owner.clone(), repo.clone())),
        }
    }
    let mut session = None;
    if !github_repos.is_empty() || !options.github.owners.is_empty() {
        // Review evidence costs requests, so it is fetched when the user asks (`--reviews`) or
        // when a rule of the pack needs it.
        let mut github_options = options.github.clone();
        github_options.reviews |= pack.needs(Need::GitHubApi);
        let (opened, repos) = Session::plan(&github_repos, &github_options)?;
        for planned in repos {
            openers.push(Box::new(GitHubTarget::new(
                opened.clone(),
                planned,
                options.reference.clone(),
            )));
        }
        session = Some(opened);
    }
    // GitHub repositories are known only after listing, so the shard is taken here, before
    // anything is opened: a shard costs the listing and its own repositories, no more.
    if let Some(shard) = options.shard {
        openers.retain(|opener| shard.contains(opener.name()));
    }
    Ok(Plan {
        openers,
        _session: session,
    })
}
