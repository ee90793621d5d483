//! One GitHub repository as a [`Source`]. Opening it costs one request to learn the default
//! branch's commit SHA (so the report records exactly what was audited, and everything later
//! is named by an immutable SHA), then content by the rule in [`super::strategy`]: one
//! tarball per repository when the pack reads everything (the default playbook), else the
//! tree and a few lazy blobs. Unpacked trees are kept by commit SHA in [`TreeCache`], so an
//! unchanged repository costs only the 304 of its SHA lookup on a re-run.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use serde::Deserialize;

use super::client::{ApiError, Client, JSON, RAW, Reply, header};
use super::listing::ApiRepo;
pub use super::paths::safe_path;
use super::strategy::{Listed, PlanMatcher, ReadPlan, Strategy, choose};
use super::tarball::TarballLimits;
use super::trees::{Kept, Seen, TreeCache};
use crate::model::{RepoMetadata, ReviewEvidence, SourceInfo, SourceKind};
use crate::source::Source;
use crate::source::{Entry, EntryKind};

/// Merged pull requests looked at for review evidence, at most.
const REVIEWED_PULLS: usize = 5;

/// How a run reads repository content; built once and shared by every repository.
#[derive(Debug, Clone)]
pub struct ReadSetup {
    pub plan: PlanMatcher,
    pub limits: TarballLimits,
    /// `None` with `--no-cache`: each tree is unpacked to a temporary directory.
    pub trees: Option<TreeCache>,
}

impl ReadSetup {
    pub fn new(
        plan: &ReadPlan,
        limits: TarballLimits,
        cache_dir: Option<&std::path::Path>,
        cache_max_bytes: u64,
    ) -> Result<Self, crate::Error> {
        let trees = cache_dir.and_then(|dir| match TreeCache::open(dir, cache_max_bytes) {
            Ok(trees) => Some(trees),
            Err(error) => {
                log::warn!("tree cache disabled: cannot use {}: {error}", dir.display());
                None
            }
        });
        Ok(ReadSetup {
            plan: plan.compile()?,
            limits,
            trees,
        })
    }
}

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
    /// An unpacked tarball: in the tree cache, or in a staging directory (`_staging`) that
    /// goes when the source does.
    Unpacked {
        files: PathBuf,
        readable: HashSet<String>,
        _staging: Option<tempfile::TempDir>,
    },
}

impl Backing {
    fn unpacked(files: PathBuf, entries: &[Entry], staging: Option<tempfile::TempDir>) -> Self {
        Backing::Unpacked {
            files,
            readable: entries
                .iter()
                .filter(|e| e.kind == EntryKind::File)
                .map(|e| e.path.clone())
                .collect(),
            _staging: staging,
        }
    }
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
    /// Resolves the default branch's commit and reads the content by the run's rule. An
    /// empty repository (409) is a source with no files, as an empty directory would be.
    pub async fn open(
        client: Arc<Client>,
        handle: tokio::runtime::Handle,
        repo: &ApiRepo,
        reviews: bool,
        setup: &ReadSetup,
    ) -> Result<Self, ApiError> {
        let (owner, name) = repo.owner_and_name().ok_or_else(|| {
            ApiError::Transport(format!("unusable repository name `{}`", repo.full_name))
        })?;
        let (owner, name) = (owner.to_string(), name.to_string());
        let branch = repo.default_branch.clone();
        let mut metadata = repo.metadata();
        let commit = commit_sha(&client, &owner, &name, branch.as_deref()).await?;
        let info = source_info(&repo.full_name, branch, commit.clone());
        let (entries, backing) = match &commit {
            None => (Vec::new(), Backing::Blobs(HashMap::new())),
            Some(sha) => read_content(&client, repo, &owner, &name, sha, setup).await?,
        };
        if let (Some(trees), Some(sha)) = (&setup.trees, &commit) {
            trees.note_seen(
                &repo.full_name,
                &Seen {
                    sha: sha.clone(),
                    pushed_at: repo.pushed_at.clone(),
                },
            );
        }
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

/// The path of the commit-SHA lookup for `branch` (the default branch when unknown).
pub fn commit_path(owner: &str, name: &str, branch: Option<&str>) -> String {
    format!(
        "/repos/{owner}/{name}/commits/{}",
        encode_ref(branch.unwrap_or("HEAD"))
    )
}

/// `Accept` for the commit-SHA lookup: the answer is the bare SHA, a few bytes with an ETag.
pub const SHA_ACCEPT: &str = "application/vnd.github.sha";

/// The branch's commit SHA; `None` for an empty repository.
async fn commit_sha(
    client: &Client,
    owner: &str,
    name: &str,
    branch: Option<&str>,
) -> Result<Option<String>, ApiError> {
    match client
        .get(&commit_path(owner, name, branch), SHA_ACCEPT, false)
        .await
    {
        Ok(reply) => {
            let sha = String::from_utf8_lossy(&reply.body).trim().to_string();
            if !(sha.len() == 40 || sha.len() == 64) || !sha.chars().all(|c| c.is_ascii_hexdigit())
            {
                return Err(ApiError::Transport(
                    "the commit SHA answer was not a SHA".to_string(),
                ));
            }
            Ok(Some(sha))
        }
        Err(ApiError::Conflict(_)) => Ok(None),
        Err(ApiError::NotFound(message)) => Err(ApiError::NotFound(format!(
            "{message} (the repository or its default branch may have been deleted or renamed during the scan)"
        ))),
        Err(error) => Err(error),
    }
}

/// The entries and their backing at `sha`: from the tree cache, or by the read rule.
async fn read_content(
    client: &Client,
    repo: &ApiRepo,
    owner: &str,
    name: &str,
    sha: &str,
    setup: &ReadSetup,
) -> Result<(Vec<Entry>, Backing), ApiError> {
    if let Some(tree) = setup
        .trees
        .as_ref()
        .and_then(|t| t.get(&repo.full_name, sha))
    {
        log::debug!("{}: tree {sha} from the cache", repo.full_name);
        let backing = Backing::unpacked(tree.files, &tree.entries, None);
        return Ok((tree.entries, backing));
    }
    let listed = if setup.plan.needs_tree() {
        let reply = client
            .get_immutable(
                &format!("/repos/{owner}/{name}/git/trees/{sha}?recursive=1"),
                JSON,
                true,
            )
            .await?;
        let tree: Tree = serde_json::from_slice(&reply.body)
            .map_err(|e| ApiError::Transport(format!("unexpected tree JSON: {e}")))?;
        let truncated = tree.truncated;
        Some((from_tree(tree), truncated))
    } else {
        None
    };
    let choice = choose(
        &setup.plan,
        listed.as_ref().map(|((entries, _), truncated)| Listed {
            entries,
            truncated: *truncated,
        }),
        repo.size,
        &setup.limits,
    );
    log::debug!(
        "{}: {:?} ({}; {:?} files read)",
        repo.full_name,
        choice.strategy,
        choice.why,
        choice.reads
    );
    match (choice.strategy, listed) {
        (Strategy::Blobs, Some((tree, _))) => Ok(tree),
        _ => unpack_tarball(client, repo, owner, name, sha, setup).await,
    }
}

async fn unpack_tarball(
    client: &Client,
    repo: &ApiRepo,
    owner: &str,
    name: &str,
    sha: &str,
    setup: &ReadSetup,
) -> Result<(Vec<Entry>, Backing), ApiError> {
    let staging = match &setup.trees {
        Some(trees) => trees.stage(),
        None => tempfile::Builder::new()
            .prefix("openly-tarball-")
            .tempdir()
            .and_then(|dir| std::fs::create_dir(dir.path().join("files")).map(|()| dir)),
    }
    .map_err(|e| ApiError::Transport(format!("cannot make a directory to unpack into: {e}")))?;
    let files = staging.path().join("files");
    let unpacked = super::tarball::download(client, owner, name, sha, &files, setup.limits).await?;
    if unpacked.refused > 0 {
        log::warn!(
            "{}: {} unsafe tarball entries were refused",
            repo.full_name,
            unpacked.refused
        );
    }
    let kept = match &setup.trees {
        Some(trees) => trees.keep(staging, &repo.full_name, sha, &unpacked),
        None => Kept::Temporary(staging),
    };
    Ok(match kept {
        Kept::Cached(tree) => {
            let backing = Backing::unpacked(tree.files, &tree.entries, None);
            (tree.entries, backing)
        }
        Kept::Temporary(staging) => {
            let backing = Backing::unpacked(files, &unpacked.entries, Some(staging));
            (unpacked.entries, backing)
        }
    })
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
                let bytes =
                    blob_bytes(reply).map_err(|e| crate::Error::Other(format!("{path}: {e}")))?;
                Ok(Box::new(Cursor::new(bytes)))
            }
            Backing::Unpacked {
                files, readable, ..
            } => {
                if !readable.contains(path) {
                    return Err(crate::Error::NotAFile(path.to_string()));
                }
                Ok(Box::new(std::fs::File::open(files.join(path))?))
            }
        }
    }
}

/// A blob's bytes. GitHub honours the raw media type; old Enterprise Servers answer with the
/// JSON form instead, `content` in base64 with line breaks every 60 characters.
pub fn blob_bytes(reply: Reply) -> Result<Vec<u8>, String> {
    let kind = header(&reply.headers, "content-type").unwrap_or_default();
    let is_json = kind.contains("json") && !kind.contains("raw");
    if !is_json {
        return Ok(reply.body.to_vec());
    }
    #[derive(Deserialize)]
    struct Blob {
        content: String,
        #[serde(default)]
        encoding: String,
    }
    let blob: Blob =
        serde_json::from_slice(&reply.body).map_err(|e| format!("unexpected blob JSON: {e}"))?;
    match blob.encoding.as_str() {
        "base64" => {
            let compact: Vec<u8> = blob
                .content
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|e| format!("the blob's base64 is invalid: {e}"))
        }
        "utf-8" | "utf8" | "" => Ok(blob.content.into_bytes()),
        other => Err(format!("unknown blob encoding `{other}`")),
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

    fn reply(content_type: &str, body: &[u8]) -> Reply {
        let mut headers = http::HeaderMap::new();
        headers.insert("content-type", content_type.parse().unwrap());
        Reply {
            headers,
            body: bytes::Bytes::copy_from_slice(body),
            from_cache: false,
        }
    }

    #[test]
    fn old_ghes_base64_blobs_are_decoded_and_raw_ones_kept() {
        // "MIT License\n" in base64, split as GitHub splits it, by hand.
        let json = br#"{"sha":"x","encoding":"base64","content":"TUlUIExp\nY2Vuc2UK\n"}"#;
        assert_eq!(
            blob_bytes(reply("application/json; charset=utf-8", json)).unwrap(),
            b"MIT License\n"
        );
        // A raw answer is the file itself, even when the file is JSON that looks like a blob.
        assert_eq!(
            blob_bytes(reply("application/vnd.github.raw", json)).unwrap(),
            json.to_vec()
        );
        let bad = br#"{"encoding":"base64","content":"@@@"}"#;
        assert!(blob_bytes(reply("application/json", bad)).is_err());
    }

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
