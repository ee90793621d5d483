//! What pull-request mode asks of git: the repository a path belongs to (the path may be a
//! folder inside a work tree), the commits two revisions name, and the files renamed between
//! them, so that findings follow a moved file.

use std::path::{Path, PathBuf};

use git2::{DiffFindOptions, DiffOptions, Repository};

use crate::model::Rename;
use crate::source::subdir::under;

/// A repository found from a path that may be a subdirectory of its work tree.
pub struct Located {
    pub repo: Repository,
    /// The directory `GitSource` opens: the work tree root, or the bare repository.
    pub root: PathBuf,
    /// `path` relative to the work tree root, with `/` separators; empty at the root.
    pub prefix: String,
}

pub fn locate(path: &Path) -> Result<Located, crate::Error> {
    let repo = Repository::discover(path).map_err(|e| {
        crate::Error::Target(
            path.display().to_string(),
            format!("pull-request mode needs a git repository: {}", e.message()),
        )
    })?;
    let root = match repo.workdir() {
        Some(dir) => dir.to_path_buf(),
        None => repo.path().to_path_buf(),
    };
    let prefix = if repo.is_bare() {
        String::new()
    } else {
        let full = path.canonicalize()?;
        let base = root.canonicalize()?;
        full.strip_prefix(&base)
            .map(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    };
    Ok(Located { repo, root, prefix })
}

pub fn display_name(path: &Path, root: &Path) -> String {
    let named = path
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    named
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string())
}

/// The commit id `rev` names. A missing base is nearly always a shallow checkout, so the error
/// says how to fetch it rather than just "not found".
pub fn resolve(repo: &Repository, rev: &str, is_base: bool) -> Result<String, crate::Error> {
    let found = repo.revparse_single(rev).and_then(|o| o.peel_to_commit());
    match found {
        Ok(commit) => Ok(commit.id().to_string()),
        Err(error) => {
            let mut message = error.message().to_string();
            if is_base {
                let shallow = if repo.is_shallow() {
                    "this clone is shallow, so it lacks the base commit. "
                } else {
                    "the base commit is not in this clone. "
                };
                message = format!(
                    "{message}\n  {shallow}Fetch it before the audit: with actions/checkout set \
                     `fetch-depth: 0`, or run `git fetch --no-tags --depth=1 origin {rev}` \
                     (the openly action does this for you)."
                );
            }
            Err(crate::Error::Revision(rev.to_string(), message))
        }
    }
}

/// Files renamed between the two commits, as git's similarity detection sees them, restricted
/// to the audited subdirectory and made relative to it.
pub fn renames(
    repo: &Repository,
    base: &str,
    head: &str,
    prefix: &str,
) -> Result<Vec<Rename>, crate::Error> {
    let base_tree = repo.find_commit(git2::Oid::from_str(base)?)?.tree()?;
    let head_tree = repo.find_commit(git2::Oid::from_str(head)?)?.tree()?;
    let mut options = DiffOptions::new();
    let mut diff =
        repo.diff_tree_to_tree(Some(&base_tree), Some(&head_tree), Some(&mut options))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    let mut found = Vec::new();
    for delta in diff.deltas() {
        if delta.status() != git2::Delta::Renamed {
            continue;
        }
        let (Some(from), Some(to)) = (delta.old_file().path(), delta.new_file().path()) else {
            continue;
        };
        let (from, to) = (slash_path(from), slash_path(to));
        if let (Some(from), Some(to)) = (under(prefix, &from), under(prefix, &to)) {
            found.push(Rename {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
    }
    found.sort_by(|a, b| a.from.cmp(&b.from));
    Ok(found)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
