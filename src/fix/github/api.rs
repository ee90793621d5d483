//! The GitHub requests of a fix pull request, each one small and typed: the branch `openly/fix`
//! and its head commit, the open pull request from it, and the git data writes (blobs, a tree
//! on top of the default branch's, a commit, the ref) and pull-request writes. Every request
//! goes through the run's [`Client`], so rate limits, retries, `--api-url` and the token's
//! redaction are those of an audit. A write that GitHub refuses for lack of permission fails
//! with the permission it needs.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::json;

use crate::source::github::client::{ApiError, Client, JSON, Write};

/// The branch openly commits to; one per repository, always openly's own.
pub const BRANCH: &str = "openly/fix";

/// The trailer that marks a commit as openly's, with the fingerprint of its changes.
pub const TRAILER: &str = "Openly-Fix-Id:";

/// One repository's coordinates.
#[derive(Debug, Clone, Copy)]
pub struct Repo<'a> {
    pub owner: &'a str,
    pub name: &'a str,
}

impl Repo<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/repos/{}/{}{rest}", self.owner, self.name)
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

/// The head commit of an existing `openly/fix` branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchHead {
    pub sha: String,
    pub message: String,
    pub parents: Vec<String>,
}

impl BranchHead {
    /// The fingerprint in openly's trailer; `None` when the commit is not openly's.
    pub fn fix_id(&self) -> Option<&str> {
        self.message
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix(TRAILER))
            .map(str::trim)
    }
}

/// An open pull request from `openly/fix`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Pull {
    pub number: u64,
    #[serde(default)]
    pub html_url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
}

/// A file of the new tree: its path and bytes, and the mode it keeps.
#[derive(Debug, Clone)]
pub struct TreeFile<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
    pub mode: &'a str,
}

#[derive(Deserialize)]
struct Sha {
    sha: String,
}

#[derive(Deserialize)]
struct RefAnswer {
    object: Sha,
}

#[derive(Deserialize)]
struct CommitAnswer {
    sha: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    parents: Vec<Sha>,
}

#[derive(Deserialize)]
struct TreeAnswer {
    sha: String,
    #[serde(default)]
    tree: Vec<TreeItem>,
}

/// The default branch's tree, which the fix's tree is built on, and the modes of the files the
/// fix changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseTree {
    pub sha: String,
    /// Path to mode (`100755` for an executable file) for each changed file the tree lists.
    pub modes: HashMap<String, String>,
}

#[derive(Deserialize)]
struct TreeItem {
    path: String,
    #[serde(default)]
    mode: String,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::Transport(format!("unexpected answer for {what}: {e}")))
}

/// The display name of an organisation or user (`GET /users/NAME` answers for both), for the
/// copyright holder; `None` when it is unset or cannot be read.
pub async fn display_name(client: &Client, owner: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Account {
        #[serde(default)]
        name: Option<String>,
    }
    match client.get(&format!("/users/{owner}"), JSON, true).await {
        Ok(reply) => parse::<Account>(&reply.body, "the owner")
            .ok()
            .and_then(|a| a.name)
            .filter(|n| !n.trim().is_empty()),
        Err(error) => {
            log::warn!("cannot read the display name of {owner}: {error}");
            None
        }
    }
}

/// The head commit of `openly/fix`, or `None` when there is no such branch.
pub async fn branch_head(client: &Client, repo: Repo<'_>) -> Result<Option<BranchHead>, ApiError> {
    let reply = match client
        .get(&repo.path(&format!("/git/ref/heads/{BRANCH}")), JSON, true)
        .await
    {
        Ok(reply) => reply,
        Err(ApiError::NotFound(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    let sha = parse::<RefAnswer>(&reply.body, "the branch")?.object.sha;
    let reply = client
        .get_immutable(&repo.path(&format!("/git/commits/{sha}")), JSON, true)
        .await?;
    let commit: CommitAnswer = parse(&reply.body, "the branch's commit")?;
    Ok(Some(BranchHead {
        sha: commit.sha,
        message: commit.message,
        parents: commit.parents.into_iter().map(|p| p.sha).collect(),
    }))
}

/// The open pull request whose head is `OWNER:openly/fix`, if any.
pub async fn open_pull(client: &Client, repo: Repo<'_>) -> Result<Option<Pull>, ApiError> {
    let path = repo.path(&format!(
        "/pulls?state=open&head={}:{BRANCH}&per_page=10",
        repo.owner
    ));
    let reply = client.get(&path, JSON, true).await?;
    let pulls: Vec<Pull> = parse(&reply.body, "the pull requests")?;
    Ok(pulls.into_iter().min_by_key(|p| p.number))
}

/// The tree of `commit` (the fix's tree is built on it) and the modes of `paths` in it, so a
/// changed file keeps its mode. One request, named by SHA, so a tree already read for the
/// audit comes from the cache.
pub async fn base_tree(
    client: &Client,
    repo: Repo<'_>,
    commit: &str,
    paths: &[&str],
) -> Result<BaseTree, ApiError> {
    let reply = client
        .get_immutable(
            &repo.path(&format!("/git/trees/{commit}?recursive=1")),
            JSON,
            true,
        )
        .await?;
    let tree: TreeAnswer = parse(&reply.body, "the tree")?;
    let modes = tree
        .tree
        .into_iter()
        .filter(|item| paths.contains(&item.path.as_str()) && !item.mode.is_empty())
        .map(|item| (item.path, item.mode))
        .collect();
    Ok(BaseTree {
        sha: tree.sha,
        modes,
    })
}

/// Which permission a write needs, for the message when it is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Contents,
    PullRequests,
}

/// A write GitHub refused or that failed, phrased for the person running openly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub error: ApiError,
    pub what: &'static str,
    pub permission: Permission,
}

impl WriteError {
    /// Whether GitHub said the token may not do this (rather than a transient failure).
    pub fn is_denied(&self) -> bool {
        matches!(
            self.error,
            ApiError::Forbidden(_) | ApiError::NotFound(_) | ApiError::Unauthorized(_)
        )
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.is_denied() {
            return write!(f, "cannot {}: {}", self.what, self.error);
        }
        let needed = match self.permission {
            Permission::Contents => "`contents: write`",
            Permission::PullRequests => "`pull-requests: write`",
        };
        write!(
            f,
            "cannot {}: GitHub refused it ({}). The token may read this repository but not \
             write to it: this step needs {needed}, and `openly fix --pr` needs both \
             `contents: write` (to push the branch {BRANCH}) and `pull-requests: write` (to open \
             the pull request); a classic token needs the `repo` scope (`public_repo` for a \
             public repository)",
            self.what, self.error
        )
    }
}

/// One kind of write: where it goes, whether it may be repeated after a failure that leaves
/// unknown whether GitHub acted on it, and how to name it when it fails.
struct Step {
    method: http::Method,
    idempotent: bool,
    what: &'static str,
    permission: Permission,
}

impl Step {
    const fn new(method: http::Method, what: &'static str, permission: Permission) -> Self {
        Step {
            method,
            // Creating git objects, moving openly's own branch and editing its pull request
            // give the same result when repeated; creating a branch or pull request does not.
            idempotent: true,
            what,
            permission,
        }
    }

    const fn once(mut self) -> Self {
        self.idempotent = false;
        self
    }

    fn failed(&self, error: ApiError) -> WriteError {
        WriteError {
            error,
            what: self.what,
            permission: self.permission,
        }
    }

    /// Sends `body` to `path` and reads the answer as `T`.
    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        client: &Client,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, WriteError> {
        let request = Write {
            method: self.method.clone(),
            body,
            idempotent: self.idempotent,
        };
        let reply = client
            .send(path, &request)
            .await
            .map_err(|e| self.failed(e))?;
        parse(&reply.body, self.what).map_err(|e| self.failed(e))
    }
}

/// Creates the tree of the fix on top of `base_tree`: text goes inline, other bytes as blobs
/// (base64). Creating git objects can be repeated safely, so these writes are retried.
pub async fn create_tree(
    client: &Client,
    repo: Repo<'_>,
    base_tree: &str,
    files: &[TreeFile<'_>],
) -> Result<String, WriteError> {
    use base64::Engine;
    let blob = Step::new(http::Method::POST, "create a blob", Permission::Contents);
    let mut entries = Vec::new();
    for file in files {
        let entry = match std::str::from_utf8(file.bytes) {
            Ok(text) => {
                json!({"path": file.path, "mode": file.mode, "type": "blob", "content": text})
            }
            Err(_) => {
                let body = json!({
                    "content": base64::engine::general_purpose::STANDARD.encode(file.bytes),
                    "encoding": "base64",
                });
                let sha: Sha = blob.send(client, &repo.path("/git/blobs"), &body).await?;
                json!({"path": file.path, "mode": file.mode, "type": "blob", "sha": sha.sha})
            }
        };
        entries.push(entry);
    }
    let body = json!({"base_tree": base_tree, "tree": entries});
    let tree: Sha = Step::new(http::Method::POST, "create the tree", Permission::Contents)
        .send(client, &repo.path("/git/trees"), &body)
        .await?;
    Ok(tree.sha)
}

/// Creates the commit of `tree` on `parent`. Its author is the token's own user (GitHub fills
/// it in), so the pull request shows who ran openly.
pub async fn create_commit(
    client: &Client,
    repo: Repo<'_>,
    message: &str,
    tree: &str,
    parent: &str,
) -> Result<String, WriteError> {
    let body = json!({"message": message, "tree": tree, "parents": [parent]});
    let commit: Sha = Step::new(
        http::Method::POST,
        "create the commit",
        Permission::Contents,
    )
    .send(client, &repo.path("/git/commits"), &body)
    .await?;
    Ok(commit.sha)
}

/// Points `openly/fix` at `commit`: creates the branch, or moves it (forced: the branch is
/// openly's own, checked by the caller before).
pub async fn set_branch(
    client: &Client,
    repo: Repo<'_>,
    commit: &str,
    exists: bool,
) -> Result<(), WriteError> {
    let _: serde::de::IgnoredAny = if exists {
        let body = json!({"sha": commit, "force": true});
        Step::new(
            http::Method::PATCH,
            "move the branch openly/fix",
            Permission::Contents,
        )
        .send(
            client,
            &repo.path(&format!("/git/refs/heads/{BRANCH}")),
            &body,
        )
        .await?
    } else {
        let body = json!({"ref": format!("refs/heads/{BRANCH}"), "sha": commit});
        Step::new(
            http::Method::POST,
            "create the branch openly/fix",
            Permission::Contents,
        )
        .once()
        .send(client, &repo.path("/git/refs"), &body)
        .await?
    };
    Ok(())
}

/// Opens the pull request from `openly/fix` into `base`. Not retried after a failure that
/// may have opened it, so there is never a second one.
pub async fn create_pull(
    client: &Client,
    repo: Repo<'_>,
    base: &str,
    title: &str,
    body: &str,
) -> Result<Pull, WriteError> {
    let request = json!({"title": title, "head": BRANCH, "base": base, "body": body});
    Step::new(
        http::Method::POST,
        "open the pull request",
        Permission::PullRequests,
    )
    .once()
    .send(client, &repo.path("/pulls"), &request)
    .await
}

/// Replaces the title and body of openly's pull request.
pub async fn update_pull(
    client: &Client,
    repo: Repo<'_>,
    number: u64,
    title: &str,
    body: &str,
) -> Result<Pull, WriteError> {
    let request = json!({"title": title, "body": body});
    Step::new(
        http::Method::PATCH,
        "update the pull request",
        Permission::PullRequests,
    )
    .send(client, &repo.path(&format!("/pulls/{number}")), &request)
    .await
}
