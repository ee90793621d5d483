//! A repository as it would be after the planned changes, without writing anything: the files
//! on disk with the change set laid over them. The planner reads it as a [`Tree`], and the
//! audit reads it as a [`Source`], so "the score after fixing" and the next round of fixes are
//! judged on exactly the bytes `--yes` would write.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::sync::Arc;

use super::change::{ChangeSet, Tree};
use crate::model::{RepoMetadata, SourceInfo};
use crate::snapshot::Snapshot;
use crate::source::{Entry, Source};

/// The snapshot's files with the planned content in place of (or beside) them.
pub struct OverlayTree<'a> {
    pub snapshot: &'a Snapshot,
    pub changes: &'a ChangeSet,
}

impl Tree for OverlayTree<'_> {
    /// Every listed path, symlinks and submodules included, so a fix never creates a file
    /// where something else already is.
    fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .snapshot
            .entries()
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        for change in self.changes.changes() {
            if !paths.contains(&change.path.as_str()) {
                paths.push(&change.path);
            }
        }
        paths
    }

    fn read(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        if let Some(planned) = self.changes.planned(path) {
            return Some(Cow::Borrowed(planned));
        }
        if !self.snapshot.is_file(path) {
            return None;
        }
        let mut bytes = Vec::new();
        self.snapshot
            .open(path)
            .ok()?
            .read_to_end(&mut bytes)
            .ok()?;
        Some(Cow::Owned(bytes))
    }
}

/// A source with a change set laid over it.
pub struct OverlaySource {
    inner: Box<dyn Source>,
    changes: ChangeSet,
}

impl OverlaySource {
    pub fn new(inner: Box<dyn Source>, changes: ChangeSet) -> Self {
        OverlaySource { inner, changes }
    }
}

impl Source for OverlaySource {
    fn info(&self) -> &SourceInfo {
        self.inner.info()
    }

    fn metadata(&self) -> RepoMetadata {
        self.inner.metadata()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        let mut entries = self.inner.list()?;
        for file in self.changes.files() {
            let size = file.after.len() as u64;
            match entries.iter_mut().find(|e| e.path == file.path) {
                Some(entry) => entry.size = size,
                None => entries.push(Entry::file(file.path, size)),
            }
        }
        Ok(entries)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        match self.changes.planned(path) {
            Some(bytes) => Ok(Box::new(Cursor::new(bytes))),
            None => self.inner.open(path),
        }
    }

    fn history(
        &self,
        max_size: u64,
    ) -> Option<Result<crate::source::history::History, crate::Error>> {
        self.inner.history(max_size)
    }

    fn open_blob(&self, id: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        self.inner.open_blob(id)
    }
}

/// One opened source shared by every round of planning and every audit of it, so a GitHub
/// repository is fetched once, not once per round.
pub struct SharedSource(pub Arc<dyn Source>);

impl Source for SharedSource {
    fn info(&self) -> &SourceInfo {
        self.0.info()
    }

    fn metadata(&self) -> RepoMetadata {
        self.0.metadata()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        self.0.list()
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        self.0.read(path, limit)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        self.0.open(path)
    }

    fn history(
        &self,
        max_size: u64,
    ) -> Option<Result<crate::source::history::History, crate::Error>> {
        self.0.history(max_size)
    }

    fn open_blob(&self, id: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        self.0.open_blob(id)
    }
}
