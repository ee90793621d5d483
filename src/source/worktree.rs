//! Reading a clean work tree's files instead of inflating their blobs.
//!
//! A git source audits the committed tree and reads each file's blob through libgit2: on 26
//! cloned NHS repositories, inflating and copying blobs was about a third of the audit's CPU.
//! In a clone checked out at the audited commit and left unchanged, the same bytes sit in the
//! page cache as plain files. A file is read from the work tree only when all of these hold,
//! and from its blob otherwise:
//!
//! - the audited commit is HEAD's, and git's status (HEAD against the index against the work
//!   tree, by the index's stat data, hashing entries too new to trust) finds the path
//!   unchanged;
//! - no `filter` attribute applies to the path: Git LFS, git-crypt and other clean and smudge
//!   filters keep other bytes in the work tree than in the blob, and status compares the two
//!   after the clean filter;
//! - the file on disk is a regular file of the blob's size, which catches the other ways a
//!   checkout rewrites bytes (end-of-line conversion, `ident` expansion, working-tree
//!   encodings), since each changes the length.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, Oid, Repository, Status, StatusOptions};

use super::local::LocalSource;

/// The work-tree files that hold exactly their audited blob's bytes.
pub(super) struct WorkTreeFiles {
    files: LocalSource,
    /// Path to the size of its blob.
    fresh: HashMap<String, u64>,
}

impl WorkTreeFiles {
    /// Which of `blobs` (path and blob size, regular files of the audited tree) can be read
    /// from the work tree; `None` when the repository is bare, is not at `commit`, or git
    /// cannot tell its status.
    pub(super) fn find(repo: &Repository, commit: Oid, blobs: &[(String, u64)]) -> Option<Self> {
        let root = repo.workdir()?;
        let head = repo.head().ok()?.peel_to_commit().ok()?.id();
        if head != commit {
            return None;
        }
        let mut options = StatusOptions::new();
        options
            .include_untracked(false)
            .include_ignored(false)
            .exclude_submodules(true)
            .renames_head_to_index(false)
            .renames_index_to_workdir(false)
            .update_index(false);
        let statuses = match repo.statuses(Some(&mut options)) {
            Ok(statuses) => statuses,
            Err(error) => {
                log::debug!(
                    "{}: no work-tree status ({error}); reading blobs",
                    root.display()
                );
                return None;
            }
        };
        let changed: HashSet<String> = statuses
            .iter()
            .filter(|entry| entry.status() != Status::CURRENT)
            .filter_map(|entry| entry.path().ok().map(str::to_string))
            .collect();
        let fresh = blobs
            .iter()
            .filter(|(path, _)| !changed.contains(path.as_str()) && !filtered(repo, path))
            .cloned()
            .collect();
        Some(WorkTreeFiles {
            files: LocalSource::new(root),
            fresh,
        })
    }

    /// The work-tree file at `path` with its size, if it holds the audited blob's bytes.
    pub(super) fn open(&self, path: &str) -> Option<(File, u64)> {
        let expected = *self.fresh.get(path)?;
        match self.files.open_file(path) {
            Ok((file, size)) if size == expected => Some((file, size)),
            Ok((_, size)) => {
                log::debug!("{path}: {size} bytes in the work tree, {expected} in the blob");
                None
            }
            Err(error) => {
                log::debug!("{path}: not read from the work tree: {error}");
                None
            }
        }
    }
}

/// Whether a `filter` attribute (Git LFS, git-crypt, any clean/smudge driver) applies to
/// `path`. An attribute git cannot read counts as a filter, so the blob is read.
fn filtered(repo: &Repository, path: &str) -> bool {
    match repo.get_attr(Path::new(path), "filter", AttrCheckFlags::FILE_THEN_INDEX) {
        Ok(value) => !matches!(
            AttrValue::from_string(value),
            AttrValue::Unspecified | AttrValue::False
        ),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use git2::{Oid, Repository, Signature};

    use crate::source::Source;
    use crate::source::git::GitSource;

    fn commit_all(repo: &Repository, message: &str) -> Oid {
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let who = Signature::now("Test", "test@example.org").unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
            .unwrap()
    }

    /// Removes the loose object of `path`'s blob at HEAD, so that only the work tree still
    /// holds its bytes: a read that succeeds afterwards did not go to the object database.
    fn remove_blob(dir: &Path, repo: &Repository, path: &str) {
        let tree = repo.head().unwrap().peel_to_tree().unwrap();
        let id = tree.get_path(Path::new(path)).unwrap().id().to_string();
        std::fs::remove_file(dir.join(".git/objects").join(&id[..2]).join(&id[2..])).unwrap();
    }

    fn listed(dir: &Path, reference: Option<&str>) -> GitSource {
        let source = GitSource::open(dir, reference).unwrap();
        source.list().unwrap();
        source
    }

    #[test]
    fn clean_files_are_read_from_the_work_tree_and_changed_ones_from_their_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        std::fs::write(dir.path().join("clean.py"), "print('committed')\n").unwrap();
        std::fs::write(dir.path().join("edited.py"), "print('Committed')\n").unwrap();
        commit_all(&repo, "first");
        // The same length, so only the content (or its time stamp) tells the change.
        std::fs::write(dir.path().join("edited.py"), "print('not saved')\n").unwrap();

        let source = listed(dir.path(), None);
        remove_blob(dir.path(), &repo, "clean.py");
        assert_eq!(
            source.read("clean.py", u64::MAX).unwrap(),
            b"print('committed')\n"
        );
        let mut streamed = String::new();
        std::io::Read::read_to_string(&mut source.open("clean.py").unwrap(), &mut streamed)
            .unwrap();
        assert_eq!(streamed, "print('committed')\n");
        assert_eq!(
            source.read("edited.py", u64::MAX).unwrap(),
            b"print('Committed')\n",
            "an uncommitted edit is not audited"
        );
    }

    #[test]
    fn another_revision_is_read_from_its_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        std::fs::write(dir.path().join("notes.md"), "one\n").unwrap();
        commit_all(&repo, "first");
        std::fs::write(dir.path().join("notes.md"), "two\n").unwrap();
        commit_all(&repo, "second");
        let source = listed(dir.path(), Some("HEAD~1"));
        assert_eq!(source.read("notes.md", u64::MAX).unwrap(), b"one\n");
    }

    #[test]
    fn a_path_with_a_filter_is_read_from_its_blob() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        std::fs::write(
            dir.path().join(".gitattributes"),
            "*.csv filter=lfs diff=lfs\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("extract.csv"), "id\n1\n").unwrap();
        std::fs::write(dir.path().join("plain.txt"), "id\n2\n").unwrap();
        commit_all(&repo, "first");
        let source = listed(dir.path(), None);
        remove_blob(dir.path(), &repo, "extract.csv");
        remove_blob(dir.path(), &repo, "plain.txt");
        assert_eq!(source.read("plain.txt", u64::MAX).unwrap(), b"id\n2\n");
        assert!(
            source.read("extract.csv", u64::MAX).is_err(),
            "the blob is gone, and the work-tree copy of a filtered path is never read"
        );
    }

    #[test]
    fn a_work_tree_file_of_another_size_is_not_read() {
        // core.autocrlf: the work tree holds CRLF, the blob LF, and status calls it clean.
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        repo.config()
            .unwrap()
            .set_str("core.autocrlf", "true")
            .unwrap();
        std::fs::write(dir.path().join("query.sql"), "SELECT 1;\r\nSELECT 2;\r\n").unwrap();
        commit_all(&repo, "first");
        let source = listed(dir.path(), None);
        assert_eq!(
            source.read("query.sql", u64::MAX).unwrap(),
            b"SELECT 1;\nSELECT 2;\n",
            "the committed bytes, not the checked-out ones"
        );
    }
}
