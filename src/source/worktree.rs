//! Reading a clean work tree's files instead of inflating their blobs.
//!
//! A git source audits the committed tree and reads each file's blob through libgit2: on 26
//! cloned NHS repositories, inflating and copying blobs was about a third of the audit's CPU.
//! In a clone checked out at the audited commit and left unchanged, the same bytes sit in the
//! page cache as plain files. A file is read from the work tree only when all of these hold,
//! and from its blob otherwise:
//!
//! - the audited commit is HEAD's, and the index holds the audited blob for the path (stage 0,
//!   not skip-worktree);
//! - the file's size, modification and change times and inode are those the index recorded
//!   when it last hashed the file, and the index was written after the file last changed (git's
//!   own test for an unchanged file, racy entries included). Any write to the file changes its
//!   change time, which no tool can set back;
//! - no `filter` attribute applies to the path: Git LFS, git-crypt and other clean and smudge
//!   filters keep other bytes in the work tree than in the blob;
//! - the file on disk is a regular file of the blob's size, which catches the other ways a
//!   checkout rewrites bytes (end-of-line conversion, `ident` expansion, working-tree
//!   encodings), since each changes the length.
//!
//! Each file is checked when it is read, so an audit that reads a handful of files (the
//! foundation rules) pays for a handful of `stat` calls, not for the status of the whole tree.

use std::collections::HashMap;
use std::fs::File;
#[cfg(unix)]
use std::os::unix::fs::MetadataExt;

use git2::{IndexEntryExtendedFlag, Oid, Repository};

use super::Entry;
use super::local::LocalSource;

/// What the index recorded of a file when it last hashed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    /// Modification and change times, seconds and nanoseconds.
    mtime: (i64, u32),
    ctime: (i64, u32),
    /// The low 32 bits of the inode and of the size, as the index keeps them.
    ino: u32,
    size: u32,
}

/// The work-tree files that may hold exactly their audited blob's bytes.
pub(super) struct WorkTreeFiles {
    files: LocalSource,
    /// Path to its blob's size and the index's record of the file.
    entries: HashMap<String, (u64, Stamp)>,
    /// When the index was written: a file changed in the same instant may differ from what the
    /// index recorded (racy git), so its record is not trusted.
    index_written: (i64, u32),
}

impl WorkTreeFiles {
    /// Which regular files of the audited tree (`blobs`, path to blob, and the listing's
    /// `entries` for their sizes) the index records as checked out; `None` when the repository
    /// is bare, is not at `commit`, or has no readable index.
    pub(super) fn find(
        repo: &Repository,
        commit: Oid,
        blobs: &HashMap<String, Oid>,
        entries: &[Entry],
    ) -> Option<Self> {
        let root = repo.workdir()?;
        let head = repo.head().ok()?.peel_to_commit().ok()?.id();
        if head != commit {
            return None;
        }
        let index_written = modified(&std::fs::metadata(repo.path().join("index")).ok()?)?;
        let index = repo.index().ok()?;
        let mut recorded: HashMap<&str, Stamp> = HashMap::new();
        for entry in index.iter() {
            let stage = (entry.flags >> 12) & 0x3;
            let skipped =
                IndexEntryExtendedFlag::from_bits_truncate(entry.flags_extended).is_skip_worktree();
            if stage != 0 || skipped {
                continue;
            }
            // Only entries that hold the audited blob; the key borrows the tree's path.
            let Ok(path) = std::str::from_utf8(&entry.path) else {
                continue;
            };
            let Some((path, _)) = blobs.get_key_value(path).filter(|(_, id)| **id == entry.id)
            else {
                continue;
            };
            recorded.insert(
                path,
                Stamp {
                    mtime: (i64::from(entry.mtime.seconds()), entry.mtime.nanoseconds()),
                    ctime: (i64::from(entry.ctime.seconds()), entry.ctime.nanoseconds()),
                    ino: entry.ino,
                    size: entry.file_size,
                },
            );
        }
        let entries = entries
            .iter()
            .filter_map(|e| {
                let stamp = recorded.get(e.path.as_str())?;
                Some((e.path.clone(), (e.size, *stamp)))
            })
            .collect();
        Some(WorkTreeFiles {
            files: LocalSource::new(root),
            entries,
            index_written,
        })
    }

    /// The work-tree file at `path` with its size, if it holds the audited blob's bytes.
    /// `filtered` says whether a filter attribute applies to the path; it is asked last, since
    /// it reads attributes.
    pub(super) fn open(&self, path: &str, filtered: impl FnOnce() -> bool) -> Option<(File, u64)> {
        let (blob_size, recorded) = *self.entries.get(path)?;
        let (file, size) = self.files.open_file(path).ok()?;
        let metadata = file.metadata().ok()?;
        let now = stamp(&metadata)?;
        let trusted = now == recorded && recorded.mtime < self.index_written;
        if !trusted || size != blob_size || filtered() {
            log::trace!("{path}: read from its blob, not the work tree");
            return None;
        }
        Some((file, size))
    }
}

#[cfg(unix)]
fn stamp(metadata: &std::fs::Metadata) -> Option<Stamp> {
    Some(Stamp {
        mtime: (metadata.mtime(), u32::try_from(metadata.mtime_nsec()).ok()?),
        ctime: (metadata.ctime(), u32::try_from(metadata.ctime_nsec()).ok()?),
        ino: metadata.ino() as u32,
        size: metadata.size() as u32,
    })
}

/// Elsewhere the change time and inode are not at hand, so files are read from their blobs.
#[cfg(not(unix))]
fn stamp(_: &std::fs::Metadata) -> Option<Stamp> {
    None
}

#[cfg(unix)]
fn modified(metadata: &std::fs::Metadata) -> Option<(i64, u32)> {
    Some((metadata.mtime(), u32::try_from(metadata.mtime_nsec()).ok()?))
}

#[cfg(not(unix))]
fn modified(_: &std::fs::Metadata) -> Option<(i64, u32)> {
    None
}

/// Whether a `filter` attribute (Git LFS, git-crypt, any clean/smudge driver) applies to
/// `path`. An attribute git cannot read counts as a filter, so the blob is read.
pub(super) fn filtered(repo: &Repository, path: &str) -> bool {
    match repo.get_attr(
        std::path::Path::new(path),
        "filter",
        git2::AttrCheckFlags::FILE_THEN_INDEX,
    ) {
        Ok(value) => !matches!(
            git2::AttrValue::from_string(value),
            git2::AttrValue::Unspecified | git2::AttrValue::False
        ),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    use git2::{Oid, Repository, Signature};

    use crate::source::Source;
    use crate::source::git::GitSource;

    /// Writes `name` with its modification time ten seconds back, as a checkout some time ago
    /// leaves it: a file written in the same clock tick as the index is racily clean and, as
    /// git does, never trusted, which would make these tests depend on the clock.
    fn write_checked_out(dir: &Path, name: &str, contents: &str) {
        std::fs::write(dir.join(name), contents).unwrap();
        let earlier = SystemTime::now() - Duration::from_secs(10);
        File::options()
            .write(true)
            .open(dir.join(name))
            .unwrap()
            .set_modified(earlier)
            .unwrap();
    }

    /// A repository whose first commit holds `files`, checked out some time ago.
    fn committed(files: &[(&str, &str)]) -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        for (name, contents) in files {
            write_checked_out(dir.path(), name, contents);
        }
        commit_all(&repo, "first");
        (dir, repo)
    }

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
        let (dir, repo) = committed(&[
            ("clean.py", "print('committed')\n"),
            ("edited.py", "print('Committed')\n"),
        ]);
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
        let (dir, repo) = committed(&[
            (".gitattributes", "*.csv filter=lfs diff=lfs\n"),
            ("extract.csv", "id\n1\n"),
            ("plain.txt", "id\n2\n"),
        ]);
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
        write_checked_out(dir.path(), "query.sql", "SELECT 1;\r\nSELECT 2;\r\n");
        commit_all(&repo, "first");
        let source = listed(dir.path(), None);
        assert_eq!(
            source.read("query.sql", u64::MAX).unwrap(),
            b"SELECT 1;\nSELECT 2;\n",
            "the committed bytes, not the checked-out ones"
        );
    }

    #[test]
    fn an_edit_with_its_modification_time_set_back_is_still_seen() {
        // The same size and the recorded modification time: only the change time, which a
        // write always moves, tells that the file is not what the index hashed.
        let (dir, _repo) = committed(&[("run.py", "print('committed')\n")]);
        let recorded = std::fs::metadata(dir.path().join("run.py"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(dir.path().join("run.py"), "print('tampered')\n!").unwrap();
        File::options()
            .write(true)
            .open(dir.path().join("run.py"))
            .unwrap()
            .set_modified(recorded)
            .unwrap();
        let source = listed(dir.path(), None);
        assert_eq!(
            source.read("run.py", u64::MAX).unwrap(),
            b"print('committed')\n"
        );
    }

    #[test]
    fn a_file_newer_than_the_index_is_read_from_its_blob() {
        // Racily clean: changed no earlier than the index was written, so the index's record
        // of it may predate the change. Here it did not change, and the blob is still read.
        let (dir, repo) = committed(&[("run.py", "print('committed')\n")]);
        let later = SystemTime::now() + Duration::from_secs(60);
        let file = File::options()
            .write(true)
            .open(dir.path().join("run.py"))
            .unwrap();
        file.set_modified(later).unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("run.py")).unwrap();
        index.write().unwrap();
        let source = listed(dir.path(), None);
        remove_blob(dir.path(), &repo, "run.py");
        assert!(
            source.read("run.py", u64::MAX).is_err(),
            "the blob is gone, and a racily clean file is never trusted"
        );
    }

    #[test]
    fn a_staged_edit_is_not_audited() {
        // The work tree matches the index, but the index no longer holds the committed blob.
        let (dir, repo) = committed(&[("run.py", "print('committed')\n")]);
        write_checked_out(dir.path(), "run.py", "print('staged!!!')\n");
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("run.py")).unwrap();
        index.write().unwrap();
        let source = listed(dir.path(), None);
        assert_eq!(
            source.read("run.py", u64::MAX).unwrap(),
            b"print('committed')\n"
        );
    }
}
