//! `--clone`: a bare mirror of each repository kept in the cache directory and audited through
//! git2, for what the API cannot give cheaply: the whole history (`--history`), tags and commit
//! counts. A re-run fetches into the existing mirror, so only new objects travel. The token is
//! handed to libgit2 through a credentials callback, never put in a URL, so it appears in no
//! remote configuration, log or report.

use std::path::{Path, PathBuf};

use git2::{Cred, FetchOptions, RemoteCallbacks, Repository, build::RepoBuilder};

use super::Token;
use super::listing::ApiRepo;
use crate::model::{RepoMetadata, SourceInfo, SourceKind};
use crate::source::Entry;
use crate::source::Source;
use crate::source::git::GitSource;
use crate::source::history::History;

/// Every branch and tag, mirrored as they are on GitHub.
const REFSPECS: &[&str] = &["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/// Where a repository's mirror lives under the clone root: `owner/name.git`.
pub fn mirror_path(root: &Path, full_name: &str) -> PathBuf {
    root.join(format!("{full_name}.git"))
}

/// The URL git fetches from: the listing's `clone_url`, or one derived from the API root
/// (`https://api.github.com` → `https://github.com`, `https://HOST/api/v3` → `https://HOST`).
pub fn clone_url(repo: &ApiRepo, api_url: &str) -> String {
    if let Some(url) = repo.clone_url.as_deref().filter(|u| !u.is_empty()) {
        return url.to_string();
    }
    let base = api_url.trim_end_matches('/');
    let web = if base == "https://api.github.com" {
        "https://github.com".to_string()
    } else {
        base.trim_end_matches("/api/v3").to_string()
    };
    format!("{web}/{}.git", repo.full_name)
}

fn fetch_options(token: Option<&Token>) -> FetchOptions<'static> {
    let mut callbacks = RemoteCallbacks::new();
    let secret = token.map(|t| t.0.clone());
    callbacks.credentials(move |_url, _user, _allowed| match &secret {
        // GitHub accepts any user name with a token as the password.
        Some(secret) => Cred::userpass_plaintext("x-access-token", secret),
        None => Cred::default(),
    });
    let mut options = FetchOptions::new();
    options.remote_callbacks(callbacks);
    options
}

/// Clones the mirror, or fetches into it when it exists; returns its path.
pub fn update(
    root: &Path,
    repo: &ApiRepo,
    api_url: &str,
    token: Option<&Token>,
) -> Result<PathBuf, crate::Error> {
    let path = mirror_path(root, &repo.full_name);
    let url = clone_url(repo, api_url);
    if path.join("HEAD").is_file() {
        let mirror = Repository::open_bare(&path)?;
        let mut remote = mirror.remote_anonymous(&url)?;
        remote.fetch(REFSPECS, Some(&mut fetch_options(token)), None)?;
        if let Some(branch) = &repo.default_branch {
            // A renamed default branch must still be what HEAD means, once it has arrived.
            let name = format!("refs/heads/{branch}");
            if mirror.find_reference(&name).is_ok() {
                mirror.set_head(&name)?;
            }
        }
        log::info!("{}: fetched into {}", repo.full_name, path.display());
        return Ok(path);
    }
    std::fs::create_dir_all(path.parent().unwrap_or(root))?;
    let partial = path.with_extension("git.partial");
    let _ = std::fs::remove_dir_all(&partial);
    let mut builder = RepoBuilder::new();
    builder.bare(true).fetch_options(fetch_options(token));
    builder.clone(&url, &partial)?;
    // A clone interrupted half-way must not be taken for a mirror next time.
    std::fs::rename(&partial, &path)?;
    log::info!("{}: cloned into {}", repo.full_name, path.display());
    Ok(path)
}

/// A mirror read through git2, reported as the GitHub repository it mirrors.
pub struct ClonedSource {
    git: GitSource,
    info: SourceInfo,
    metadata: RepoMetadata,
}

impl ClonedSource {
    pub fn open(
        mirror: &Path,
        repo: &ApiRepo,
        reference: Option<&str>,
    ) -> Result<Self, crate::Error> {
        let git = GitSource::open(mirror, reference)?;
        let info = SourceInfo {
            kind: SourceKind::Github,
            location: format!("github:{}", repo.full_name),
            reference: reference
                .map(str::to_string)
                .or_else(|| repo.default_branch.clone()),
            commit: git.info().commit.clone(),
        };
        let from_git = git.metadata();
        let metadata = RepoMetadata {
            tags: from_git.tags,
            commits: from_git.commits,
            ..repo.metadata()
        };
        Ok(ClonedSource {
            git,
            info,
            metadata,
        })
    }
}

impl Source for ClonedSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn metadata(&self) -> RepoMetadata {
        self.metadata.clone()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        self.git.list()
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        self.git.read(path, limit)
    }

    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + '_>, crate::Error> {
        self.git.open(path)
    }

    fn history(&self, max_size: u64) -> Option<Result<History, crate::Error>> {
        self.git.history(max_size)
    }

    fn open_blob(&self, id: &str) -> Result<Box<dyn std::io::Read + '_>, crate::Error> {
        self.git.open_blob(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(full_name: &str, clone_url: Option<&str>) -> ApiRepo {
        serde_json::from_value(serde_json::json!({
            "name": full_name.split('/').nth(1).unwrap(),
            "full_name": full_name,
            "clone_url": clone_url,
        }))
        .unwrap()
    }

    #[test]
    fn clone_urls_come_from_the_listing_or_the_api_root() {
        assert_eq!(
            clone_url(
                &repo("nhsx/a", Some("https://github.com/nhsx/a.git")),
                "https://api.github.com"
            ),
            "https://github.com/nhsx/a.git"
        );
        assert_eq!(
            clone_url(&repo("nhsx/a", None), "https://api.github.com/"),
            "https://github.com/nhsx/a.git"
        );
        assert_eq!(
            clone_url(&repo("t/a", None), "https://git.example.nhs.uk/api/v3"),
            "https://git.example.nhs.uk/t/a.git"
        );
    }
}
