//! A git repository (work tree or bare) read through git2 at a revision. Only the committed tree
//! counts, so untracked junk in a work tree is not audited, and a bare mirror audits the same.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use git2::{ObjectType, Oid, Repository, RepositoryOpenFlags, TreeWalkMode, TreeWalkResult};

use super::Source;
use super::worktree::{self, WorkTreeFiles};
use crate::model::{SourceInfo, SourceKind};
use crate::source::{Entry, EntryKind};

const FILE_MODE_LINK: i32 = 0o120000;
const FILE_MODE_COMMIT: i32 = 0o160000;

/// Counting stops here: RAP only asks whether there is history, and long walks cost time.
pub const COMMIT_COUNT_CAP: usize = 1000;

pub struct GitSource {
    // git2's Repository is Send but not Sync; reads are short, so one lock is enough.
    repo: Mutex<Repository>,
    tree: Oid,
    blobs: Mutex<HashMap<String, Oid>>,
    /// Files read from the work tree instead of their blobs, found when the tree is listed.
    worktree: OnceLock<Option<WorkTreeFiles>>,
    info: SourceInfo,
    history_roots: HistoryRoots,
}

/// Where `--history` starts: every ref for an audit of the repository, the audited commit
/// alone for pull-request mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HistoryRoots {
    AllRefs,
    AuditedCommit,
}

impl GitSource {
    /// Opens exactly `path` (no search of parent directories) and resolves `reference`.
    pub fn open(path: &Path, reference: Option<&str>) -> Result<Self, crate::Error> {
        let repo = open_exact(path)?;
        let wanted = reference.unwrap_or("HEAD");
        let object = repo
            .revparse_single(wanted)
            .map_err(|e| crate::Error::Revision(wanted.to_string(), e.message().to_string()))?;
        let commit = object
            .peel_to_commit()
            .map_err(|e| crate::Error::Revision(wanted.to_string(), e.message().to_string()))?;
        let tree = commit.tree()?.id();
        let commit_id = commit.id().to_string();
        drop(commit);
        drop(object);
        let info = SourceInfo {
            kind: SourceKind::Git,
            location: path.display().to_string(),
            reference: Some(wanted.to_string()),
            commit: Some(commit_id),
        };
        Ok(GitSource {
            repo: Mutex::new(repo),
            tree,
            blobs: Mutex::new(HashMap::new()),
            worktree: OnceLock::new(),
            info,
            history_roots: HistoryRoots::AllRefs,
        })
    }

    /// Limits `--history` to the audited commit and its ancestors, so two revisions of one
    /// repository each see the history they carry.
    pub fn history_up_to_revision(mut self) -> Self {
        self.history_roots = HistoryRoots::AuditedCommit;
        self
    }

    fn lock_repo(&self) -> std::sync::MutexGuard<'_, Repository> {
        self.repo.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Opens a repository at exactly this path, work tree or bare.
pub fn open_exact(path: &Path) -> Result<Repository, crate::Error> {
    trust_object_hashes();
    Ok(Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    )?)
}

/// Turns off libgit2's re-hashing of every object it reads (on by default; git itself does not
/// do it on reads). Hashing each blob with collision-detecting SHA-1 was a fifth of the CPU of
/// an audit of 26 cloned NHS repositories, more than inflating them; the repository is the
/// user's own and `git fsck` is the tool for checking its integrity.
fn trust_object_hashes() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(false));
}

/// Whether `path` is itself a git work-tree root or a bare repository.
pub fn is_repository(path: &Path) -> bool {
    path.join(".git").exists() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

/// Whether the repository at `path` has a commit at HEAD. A fresh `git init` has none (an
/// unborn branch), which is not an error; a repository git cannot open is.
pub fn has_commits(path: &Path) -> Result<bool, crate::Error> {
    let repo = open_exact(path)?;
    match repo.head() {
        Ok(head) => Ok(head.peel_to_commit().is_ok()),
        Err(error) if error.code() == git2::ErrorCode::UnbornBranch => Ok(false),
        Err(error) => Err(error.into()),
    }
}

impl Source for GitSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn metadata(&self) -> super::RepoMetadata {
        let repo = self.lock_repo();
        let tags = repo.tag_names(None).ok().map(|names| {
            let mut tags: Vec<String> = names
                .iter()
                .flatten()
                .flatten()
                .map(str::to_string)
                .collect();
            tags.sort();
            tags
        });
        let default_branch = repo
            .head()
            .ok()
            .and_then(|head| head.shorthand().ok().map(str::to_string));
        let commits = self
            .info
            .commit
            .as_deref()
            .and_then(|id| Oid::from_str(id).ok())
            .and_then(|start| {
                let mut walk = repo.revwalk().ok()?;
                walk.push(start).ok()?;
                Some(walk.take(COMMIT_COUNT_CAP).filter(Result::is_ok).count())
            });
        let last_commit_at = self
            .info
            .commit
            .as_deref()
            .and_then(|id| Oid::from_str(id).ok())
            .and_then(|id| repo.find_commit(id).ok())
            .and_then(|commit| u64::try_from(commit.time().seconds()).ok())
            .map(|seconds| {
                let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
                humantime::format_rfc3339_seconds(at).to_string()
            });
        super::RepoMetadata {
            tags,
            default_branch,
            commits,
            last_commit_at,
            ..super::RepoMetadata::default()
        }
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        let repo = self.lock_repo();
        let tree = repo.find_tree(self.tree)?;
        let odb = repo.odb()?;
        let mut entries = Vec::new();
        let mut blobs = HashMap::new();
        tree.walk(TreeWalkMode::PreOrder, |dir, item| {
            let Ok(name) = item.name() else {
                return TreeWalkResult::Skip;
            };
            let path = format!("{dir}{name}");
            match (item.kind(), item.filemode()) {
                (Some(ObjectType::Blob), FILE_MODE_LINK) => {
                    let target = repo
                        .find_blob(item.id())
                        .ok()
                        .map(|b| String::from_utf8_lossy(b.content()).into_owned());
                    entries.push(Entry {
                        path,
                        size: 0,
                        kind: EntryKind::Symlink,
                        link_target: target,
                    });
                }
                (Some(ObjectType::Blob), _) => {
                    let size = odb
                        .read_header(item.id())
                        .map(|(s, _)| s as u64)
                        .unwrap_or(0);
                    blobs.insert(path.clone(), item.id());
                    entries.push(Entry::file(path, size));
                }
                (Some(ObjectType::Commit), _) | (_, FILE_MODE_COMMIT) => {
                    entries.push(Entry {
                        path,
                        size: 0,
                        kind: EntryKind::Submodule,
                        link_target: None,
                    });
                }
                _ => {}
            }
            TreeWalkResult::Ok
        })?;
        self.worktree.get_or_init(|| {
            let commit = self
                .info
                .commit
                .as_deref()
                .and_then(|c| Oid::from_str(c).ok())?;
            WorkTreeFiles::find(&repo, commit, &blobs, &entries)
        });
        *self.blobs.lock().unwrap_or_else(|p| p.into_inner()) = blobs;
        Ok(entries)
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        if let Some((file, size)) = self.worktree_file(path) {
            let (bytes, result) = super::read_sized(file, limit, size);
            if result.is_ok() {
                return Ok(bytes);
            }
        }
        let oid = self.blob_id(path)?;
        let repo = self.lock_repo();
        let blob = repo.find_blob(oid)?;
        let content = blob.content();
        let end = content
            .len()
            .min(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(content[..end].to_vec())
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        if let Some((file, _)) = self.worktree_file(path) {
            return Ok(Box::new(file));
        }
        let oid = self.blob_id(path)?;
        let repo = self.lock_repo();
        let blob = repo.find_blob(oid)?;
        // libgit2 inflates whole blobs anyway, so a stream over a copy costs no extra inflation.
        Ok(Box::new(Cursor::new(blob.content().to_vec())))
    }

    fn history(&self, max_size: u64) -> Option<Result<super::history::History, crate::Error>> {
        let roots = match (self.history_roots, self.info.commit.as_deref()) {
            (HistoryRoots::AuditedCommit, Some(commit)) => match Oid::from_str(commit) {
                Ok(oid) => super::history::Roots::Commit(oid),
                Err(error) => return Some(Err(error.into())),
            },
            _ => super::history::Roots::AllRefs,
        };
        Some(super::history::walk(
            &self.lock_repo(),
            self.tree,
            roots,
            max_size,
        ))
    }

    fn open_blob(&self, id: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        let oid = Oid::from_str(id)?;
        let repo = self.lock_repo();
        let blob = repo.find_blob(oid)?;
        Ok(Box::new(Cursor::new(blob.content().to_vec())))
    }
}

impl GitSource {
    /// The work-tree file holding `path`'s blob, when it can be trusted to (see `worktree.rs`).
    fn worktree_file(&self, path: &str) -> Option<(std::fs::File, u64)> {
        self.worktree
            .get()?
            .as_ref()?
            .open(path, || worktree::filtered(&self.lock_repo(), path))
    }

    fn blob_id(&self, path: &str) -> Result<Oid, crate::Error> {
        self.blobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
            .copied()
            .ok_or_else(|| crate::Error::NotAFile(path.to_string()))
    }
}
