//! Turns command-line targets into repositories to audit. A target is one repository if it is
//! a git work-tree root or a bare repository, or holds any regular non-hidden file at its top
//! level; otherwise each non-hidden child directory is one repository. Parent directories are
//! never searched for `.git`, so auditing `fixtures/org` inside a git checkout audits the
//! fixtures, not the checkout.

use std::path::{Path, PathBuf};

use super::Source;
use super::git::{self, GitSource};
use super::local::LocalSource;
use super::opener::{OpenError, Opener};
use crate::model::{SourceInfo, SourceKind};

/// One repository found among the targets, before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Directory name, or the target as given when it is one repository.
    pub name: String,
    pub path: PathBuf,
    /// Read through git2 at a revision rather than as plain files.
    pub is_git: bool,
}

/// Expands one local target. Errors only when the target itself cannot be read.
pub fn expand(target: &Path) -> Result<Vec<Candidate>, crate::Error> {
    let metadata = std::fs::metadata(target)
        .map_err(|e| crate::Error::Target(target.display().to_string(), e.to_string()))?;
    if !metadata.is_dir() {
        return Err(crate::Error::Target(
            target.display().to_string(),
            "not a directory".to_string(),
        ));
    }
    if is_single_repo(target)? {
        return Ok(vec![candidate(target, display_name(target))]);
    }
    let mut children = Vec::new();
    for item in std::fs::read_dir(target)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        // `file_type` does not follow symlinks: a symlinked directory is not a repo of ours.
        if name.starts_with('.') || !item.file_type()?.is_dir() {
            continue;
        }
        children.push(candidate(&item.path(), name));
    }
    children.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(children)
}

fn is_single_repo(dir: &Path) -> Result<bool, crate::Error> {
    if super::git::is_repository(dir) {
        return Ok(true);
    }
    for item in std::fs::read_dir(dir)? {
        let item = item?;
        let hidden = item.file_name().to_string_lossy().starts_with('.');
        if !hidden && item.file_type()?.is_file() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn candidate(path: &Path, name: String) -> Candidate {
    let is_git = super::git::is_repository(path);
    Candidate {
        name,
        path: path.to_path_buf(),
        is_git,
    }
}

/// The directory's own name, so `.` and `../x` report as something readable.
fn display_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_of_directories_is_expanded_and_hidden_children_skipped() {
        let dir = tempfile::tempdir().unwrap();
        for child in ["b-repo", "a-repo", ".hidden"] {
            std::fs::create_dir(dir.path().join(child)).unwrap();
            std::fs::write(dir.path().join(child).join("README.md"), "# x").unwrap();
        }
        let names: Vec<String> = expand(dir.path())
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["a-repo", "b-repo"]);
    }

    #[test]
    fn a_top_level_file_makes_one_repo_but_a_hidden_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join(".gitignore"), "x").unwrap();
        assert_eq!(expand(dir.path()).unwrap().len(), 1, "one child dir");
        assert_eq!(expand(dir.path()).unwrap()[0].name, "src");
        std::fs::write(dir.path().join("main.py"), "x").unwrap();
        let found = expand(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, dir.path());
    }
}

/// A local repository opened at a revision: git repositories through git2 (committed files
/// only), plain directories as they are on disk.
#[derive(Debug, Clone)]
pub struct LocalTarget {
    pub candidate: Candidate,
    /// The revision to read git repositories at; HEAD when absent.
    pub reference: Option<String>,
}

impl Opener for LocalTarget {
    fn name(&self) -> &str {
        &self.candidate.name
    }

    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: if self.candidate.is_git {
                SourceKind::Git
            } else {
                SourceKind::Local
            },
            location: self.candidate.path.display().to_string(),
            reference: self.reference.clone(),
            commit: None,
        }
    }

    fn open(&self) -> Result<Box<dyn Source>, OpenError> {
        let path = &self.candidate.path;
        if !self.candidate.is_git {
            return Ok(Box::new(LocalSource::new(path)));
        }
        match git::has_commits(path)? {
            true => Ok(Box::new(GitSource::open(path, self.reference.as_deref())?)),
            // `git init` followed by `openly audit` is a normal first step.
            false if self.reference.is_none() => {
                log::warn!(
                    "{}: the repository has no commits yet; auditing the files on disk",
                    path.display()
                );
                Ok(Box::new(LocalSource::new(path)))
            }
            false => Err(crate::Error::Target(
                path.display().to_string(),
                "the repository has no commits".to_string(),
            )
            .into()),
        }
    }
}
