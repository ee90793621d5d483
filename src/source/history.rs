//! Every file version ever committed, for `--history`. Deleting a patient extract in a later
//! commit does not unpublish it: anyone who clones the repository still has the blob. So the
//! sensitive-data scan must see each blob reachable from any ref once, with the commit that
//! first brought it in, without re-reading unchanged trees commit after commit.

use std::collections::HashSet;

use git2::{ObjectType, Oid, Repository, Sort, TreeWalkMode, TreeWalkResult};

/// Walking stops after this many distinct blobs: a runaway history must not make an audit
/// unbounded. The count is reported, so a capped walk is visible.
pub const MAX_HISTORY_BLOBS: usize = 200_000;

const FILE_MODE_LINK: i32 = 0o120000;

/// One distinct file version found in history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryBlob {
    /// The path at which the blob first appeared.
    pub path: String,
    /// Git blob id (hex); what [`crate::source::Source::open_blob`] takes.
    pub id: String,
    pub size: u64,
    /// The earliest commit (in topological order) that contains the blob.
    pub commit: String,
    /// Whether the audited tree holds this very blob (at any path).
    pub in_tree: bool,
}

/// What a history walk found, and what it left out on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub blobs: Vec<HistoryBlob>,
    pub commits: usize,
    /// Distinct blobs over the size cap, not returned.
    pub skipped_large: usize,
    /// Whether [`MAX_HISTORY_BLOBS`] cut the walk short.
    pub truncated: bool,
}

/// Which commits a history walk starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roots {
    /// Every ref and HEAD: whatever a clone of the repository would hand out.
    AllRefs,
    /// One commit and its ancestors: what a revision carries, as pull-request mode compares
    /// the base's history with the head's.
    Commit(Oid),
}

/// Walks every commit reachable from `roots`, oldest first, and lists each blob once. Trees
/// already seen are skipped whole, so unchanged folders cost nothing per commit.
pub fn walk(
    repo: &Repository,
    audited: Oid,
    roots: Roots,
    max_size: u64,
) -> Result<History, crate::Error> {
    let mut in_tree: HashSet<Oid> = HashSet::new();
    repo.find_tree(audited)?
        .walk(TreeWalkMode::PreOrder, |_, item| {
            if item.kind() == Some(ObjectType::Blob) {
                in_tree.insert(item.id());
            }
            TreeWalkResult::Ok
        })?;
    let mut revwalk = repo.revwalk()?;
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    match roots {
        Roots::AllRefs => {
            // A fresh or odd repository may lack either; what is there is still walked.
            let _ = revwalk.push_glob("refs/*");
            let _ = revwalk.push_head();
        }
        Roots::Commit(commit) => revwalk.push(commit)?,
    }
    let odb = repo.odb()?;
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    let mut history = History::default();
    for commit_id in revwalk {
        let Ok(commit_id) = commit_id else { continue };
        let Ok(commit) = repo.find_commit(commit_id) else {
            continue;
        };
        history.commits += 1;
        let Ok(tree) = commit.tree() else { continue };
        if !seen_trees.insert(tree.id()) {
            continue;
        }
        let commit_hex = commit_id.to_string();
        tree.walk(TreeWalkMode::PreOrder, |dir, item| match item.kind() {
            Some(ObjectType::Tree) => {
                if seen_trees.insert(item.id()) {
                    TreeWalkResult::Ok
                } else {
                    TreeWalkResult::Skip
                }
            }
            Some(ObjectType::Blob) if item.filemode() != FILE_MODE_LINK => {
                if !seen_blobs.insert(item.id()) {
                    return TreeWalkResult::Ok;
                }
                if seen_blobs.len() > MAX_HISTORY_BLOBS {
                    history.truncated = true;
                    return TreeWalkResult::Abort;
                }
                let size = odb
                    .read_header(item.id())
                    .map(|(s, _)| s as u64)
                    .unwrap_or(0);
                if size > max_size {
                    history.skipped_large += 1;
                    return TreeWalkResult::Ok;
                }
                let Ok(name) = item.name() else {
                    return TreeWalkResult::Ok;
                };
                history.blobs.push(HistoryBlob {
                    path: format!("{dir}{name}"),
                    id: item.id().to_string(),
                    size,
                    commit: commit_hex.clone(),
                    in_tree: in_tree.contains(&item.id()),
                });
                TreeWalkResult::Ok
            }
            _ => TreeWalkResult::Ok,
        })
        .ok();
        if history.truncated {
            break;
        }
    }
    Ok(history)
}
