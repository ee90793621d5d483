//! One GitHub repository as a [`Source`]. Opening it costs two requests: the default branch's
//! commit SHA (so the report records exactly what was audited, and every later request names
//! an immutable object whose ETag never changes) and one recursive tree for paths and sizes.
//! Blobs are fetched only when a check reads them. A tree GitHub truncated (above about
//! 100,000 entries or 7 MB) is replaced by one tarball of the same commit, unpacked to a
//! temporary directory.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Component, Path};
use std::sync::Arc;

use serde::Deserialize;

use super::client::{ApiError, Client, JSON, RAW};
use super::listing::ApiRepo;
use crate::model::{RepoMetadata, ReviewEvidence, SourceInfo, SourceKind};
use crate::source::Source;
use crate::source::{Entry, EntryKind};

/// Merged pull requests looked at for review evidence, at most.
const REVIEWED_PULLS: usize = 5;

/// A tarball bigger than this is refused rather than unpacked.
const MAX_TARBALL_BYTES: usize = 1024 * 1024 * 1024;

pub struct GitHubSource {
    client: Arc<Client>,
    handle: tokio::runtime::Handle,
    owner: String,
    name: String,
    info: SourceInfo,
    metadata: RepoMetadata,
    entries: Vec<Entry>,
    backing: Backing,
}

enum Backing {
    /// Path to blob SHA, read through the API on demand.
    Blobs(HashMap<String, String>),
    /// An unpacked tarball, for trees too big for the tree API.
    Unpacked(tempfile::TempDir),
}

#[derive(Deserialize)]
struct Tree {
    #[serde(default)]
    truncated: bool,
    #[serde(default)]
    tree: Vec<TreeItem>,
}

#[derive(Deserialize)]
struct TreeItem {
    path: String,
    #[serde(default)]
    mode: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    sha: String,
    #[serde(default)]
    size: Option<u64>,
}

pub fn source_info(
    full_name: &str,
    reference: Option<String>,
    commit: Option<String>,
) -> SourceInfo {
    SourceInfo {
        kind: SourceKind::Github,
        location: format!("github:{full_name}"),
        reference,
        commit,
    }
}

impl GitHubSource {
    /// Resolves the default branch and lists the tree. An empty repository (409) is a source
    /// with no files, as an empty directory would be.
    pub async fn open(
        client: Arc<Client>,
        handle: tokio::runtime::Handle,
        repo: &ApiRepo,
        reviews: bool,
    ) -> Result<Self, ApiError> {
        let (owner, name) = repo.owner_and_name().ok_or_else(|| {
            ApiError::Transport(format!("unusable repository name `{}`", repo.full_name))
        })?;
        let (owner, name) = (owner.to_string(), name.to_string());
        let branch = repo.default_branch.clone();
        let reference = encode_ref(branch.as_deref().unwrap_or("HEAD"));
        let mut metadata = repo.metadata();
        let commit = match client
            .get(
                &format!("/repos/{owner}/{name}/commits/{reference}"),
                "application/vnd.github.sha",
                false,
            )
            .await
        {
            Ok(reply) => {
                let sha = String::from_utf8_lossy(&reply.body).trim().to_string();
                if !(sha.len() == 40 || sha.len() == 64)
                    || !sha.chars().all(|c| c.is_ascii_hexdigit())
                {
                    return Err(ApiError::Transport(
                        "the commit SHA answer was not a SHA".to_string(),
                    ));
                }
                Some(sha)
            }
            Err(ApiError::Conflict(_)) => None,
            Err(ApiError::NotFound(message)) => {
                return Err(ApiError::NotFound(format!(
                    "{message} (the repository or its default branch may have been deleted or renamed during the scan)"
                )));
            }
            Err(error) => return Err(error),
        };
        let info = source_info(&repo.full_name, branch, commit.clone());
        let (entries, backing) = match &commit {
            None => (Vec::new(), Backing::Blobs(HashMap::new())),
            Some(sha) => {
                let reply = client
                    .get_immutable(
                        &format!("/repos/{owner}/{name}/git/trees/{sha}?recursive=1"),
                        JSON,
                        true,
                    )
                    .await?;
                let tree: Tree = serde_json::from_slice(&reply.body)
                    .map_err(|e| ApiError::Transport(format!("unexpected tree JSON: {e}")))?;
                if tree.truncated {
                    log::info!(
                        "{}: the tree is truncated; reading a tarball instead",
                        repo.full_name
                    );
                    tarball(&client, &owner, &name, sha).await?
                } else {
                    from_tree(tree)
                }
            }
        };
        if reviews && commit.is_some() {
            metadata.reviews = Some(review_evidence(&client, &owner, &name).await?);
        }
        Ok(GitHubSource {
            client,
            handle,
            owner,
            name,
            info,
            metadata,
            entries,
            backing,
        })
    }
}

impl Source for GitHubSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn metadata(&self) -> RepoMetadata {
        self.metadata.clone()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        Ok(self.entries.clone())
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        match &self.backing {
            Backing::Blobs(blobs) => {
                let sha = blobs
                    .get(path)
                    .ok_or_else(|| crate::Error::NotAFile(path.to_string()))?;
                let request = format!("/repos/{}/{}/git/blobs/{sha}", self.owner, self.name);
                // Called from the audit's worker threads, never from inside the runtime.
                let reply = self
                    .handle
                    .block_on(self.client.get_immutable(&request, RAW, false))
                    .map_err(|e| crate::Error::Other(format!("{path}: {e}")))?;
                Ok(Box::new(Cursor::new(reply.body)))
            }
            Backing::Unpacked(dir) => {
                if !self
                    .entries
                    .iter()
                    .any(|e| e.path == path && e.kind == EntryKind::File)
                {
                    return Err(crate::Error::NotAFile(path.to_string()));
                }
                Ok(Box::new(std::fs::File::open(dir.path().join(path))?))
            }
        }
    }
}

/// A ref for a URL path: unreserved characters and `/` pass, everything else is escaped.
fn encode_ref(reference: &str) -> String {
    let mut out = String::new();
    for byte in reference.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Relative, `/`-separated, with no empty, `.` or `..` component: anything else in a
/// listing is hostile or broken, and is skipped.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\0')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn from_tree(tree: Tree) -> (Vec<Entry>, Backing) {
    let mut entries = Vec::new();
    let mut blobs = HashMap::new();
    for item in tree.tree {
        if !safe_path(&item.path) {
            log::warn!("skipping an unsafe path in a tree: {:?}", item.path);
            continue;
        }
        let kind = match (item.kind.as_str(), item.mode.as_str()) {
            ("commit", _) | (_, "160000") => EntryKind::Submodule,
            ("blob", "120000") => EntryKind::Symlink,
            ("blob", _) => EntryKind::File,
            _ => continue,
        };
        if kind == EntryKind::File {
            blobs.insert(item.path.clone(), item.sha);
        }
        entries.push(Entry {
            path: item.path,
            size: if kind == EntryKind::File {
                item.size.unwrap_or(0)
            } else {
                0
            },
            kind,
            link_target: None,
        });
    }
    (entries, Backing::Blobs(blobs))
}

async fn tarball(
    client: &Client,
    owner: &str,
    name: &str,
    sha: &str,
) -> Result<(Vec<Entry>, Backing), ApiError> {
    let reply = client
        .get(
            &format!("/repos/{owner}/{name}/tarball/{sha}"),
            "application/vnd.github+json",
            false,
        )
        .await?;
    if reply.body.len() > MAX_TARBALL_BYTES {
        return Err(ApiError::Transport(
            "the tarball is too large to unpack".to_string(),
        ));
    }
    let body = reply.body;
    tokio::task::spawn_blocking(move || unpack(&body))
        .await
        .map_err(|e| ApiError::Transport(format!("unpacking the tarball failed: {e}")))?
        .map_err(|e| ApiError::Transport(format!("cannot read the tarball: {e}")))
}

/// Unpacks regular files below a fresh temporary directory. The leading `owner-repo-sha/`
/// directory is dropped; symlinks are recorded but not created; unsafe paths are skipped.
fn unpack(bytes: &[u8]) -> std::io::Result<(Vec<Entry>, Backing)> {
    let dir = tempfile::Builder::new()
        .prefix("openly-tarball-")
        .tempdir()?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut entries = Vec::new();
    for item in archive.entries()? {
        let mut item = item?;
        let raw = item.path()?.into_owned();
        let parts: Vec<&str> = raw
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => Some(".."),
            })
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let path = parts[1..].join("/");
        if !safe_path(&path) {
            continue;
        }
        let kind = item.header().entry_type();
        if kind.is_file() {
            let target = dir.path().join(Path::new(&path));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = std::fs::File::create(&target)?;
            let size = std::io::copy(&mut item, &mut file)?;
            entries.push(Entry::file(path, size));
        } else if kind.is_symlink() {
            let target = item.link_name()?.map(|t| t.to_string_lossy().into_owned());
            entries.push(Entry {
                path,
                size: 0,
                kind: EntryKind::Symlink,
                link_target: target,
            });
        }
    }
    Ok((entries, Backing::Unpacked(dir)))
}

#[derive(Deserialize)]
struct Pull {
    number: u64,
    #[serde(default)]
    merged_at: Option<String>,
    #[serde(default)]
    user: Option<User>,
}

#[derive(Deserialize)]
struct User {
    #[serde(default)]
    login: String,
}

#[derive(Deserialize)]
struct Review {
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    state: String,
}

/// How many of the last few merged pull requests had a review by someone other than their
/// author. Bounded: one listing plus at most [`REVIEWED_PULLS`] review requests.
async fn review_evidence(
    client: &Client,
    owner: &str,
    name: &str,
) -> Result<ReviewEvidence, ApiError> {
    let reply = client
        .get(
            &format!(
                "/repos/{owner}/{name}/pulls?state=closed&sort=updated&direction=desc&per_page=30"
            ),
            JSON,
            true,
        )
        .await?;
    let pulls: Vec<Pull> = serde_json::from_slice(&reply.body)
        .map_err(|e| ApiError::Transport(format!("unexpected pull request JSON: {e}")))?;
    let merged: Vec<&Pull> = pulls
        .iter()
        .filter(|p| p.merged_at.is_some())
        .take(REVIEWED_PULLS)
        .collect();
    let mut evidence = ReviewEvidence {
        merged: merged.len(),
        reviewed: 0,
    };
    for pull in merged {
        let author = pull.user.as_ref().map(|u| u.login.as_str()).unwrap_or("");
        let reply = client
            .get(
                &format!(
                    "/repos/{owner}/{name}/pulls/{}/reviews?per_page=100",
                    pull.number
                ),
                JSON,
                true,
            )
            .await?;
        let reviews: Vec<Review> = serde_json::from_slice(&reply.body).unwrap_or_default();
        if reviews.iter().any(|r| {
            r.state != "PENDING"
                && r.user
                    .as_ref()
                    .is_some_and(|u| !u.login.is_empty() && u.login != author)
        }) {
            evidence.reviewed += 1;
        }
    }
    Ok(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_escaped_for_urls() {
        assert_eq!(encode_ref("release/1.0"), "release/1.0");
        assert_eq!(encode_ref("a b#c?"), "a%20b%23c%3F");
    }

    #[test]
    fn tree_items_map_to_entry_kinds_and_unsafe_paths_are_dropped() {
        let tree: Tree = serde_json::from_value(serde_json::json!({"tree": [
            {"path": "README.md", "mode": "100644", "type": "blob", "sha": "a", "size": 5},
            {"path": "link", "mode": "120000", "type": "blob", "sha": "b", "size": 3},
            {"path": "sub", "mode": "160000", "type": "commit", "sha": "c"},
            {"path": "docs", "mode": "040000", "type": "tree", "sha": "d"},
            {"path": "../evil", "mode": "100644", "type": "blob", "sha": "e", "size": 1},
        ]}))
        .unwrap();
        let (entries, _) = from_tree(tree);
        let kinds: Vec<(&str, EntryKind)> =
            entries.iter().map(|e| (e.path.as_str(), e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("README.md", EntryKind::File),
                ("link", EntryKind::Symlink),
                ("sub", EntryKind::Submodule)
            ]
        );
    }
}
