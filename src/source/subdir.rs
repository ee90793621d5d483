//! A source seen through one of its subdirectories: pull-request mode audits the path the user
//! gave, which may be a folder inside a work tree, while git objects are read from the whole
//! repository. Paths (in listings and in history) are made relative to that folder, as in an
//! audit of the folder itself.

use std::io::Read;

use super::history::History;
use super::{Entry, Source};
use crate::model::{RepoMetadata, SourceInfo};

pub struct SubdirSource {
    inner: Box<dyn Source>,
    /// `/`-separated, without leading or trailing `/`; empty for the root.
    prefix: String,
    info: SourceInfo,
}

impl SubdirSource {
    /// `inner` seen through `prefix`, reported at `location` and `reference`.
    pub fn new(inner: Box<dyn Source>, prefix: &str, location: &str, reference: &str) -> Self {
        let mut info = inner.info().clone();
        info.location = location.to_string();
        info.reference = Some(reference.to_string());
        SubdirSource {
            inner,
            prefix: prefix.trim_matches('/').to_string(),
            info,
        }
    }

    fn full(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }
}

/// `path` relative to `prefix`, or `None` when it lies outside.
pub fn under<'p>(prefix: &str, path: &'p str) -> Option<&'p str> {
    if prefix.is_empty() {
        return Some(path);
    }
    path.strip_prefix(prefix)?.strip_prefix('/')
}

impl Source for SubdirSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn metadata(&self) -> RepoMetadata {
        self.inner.metadata()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        let entries = self.inner.list()?;
        Ok(entries
            .into_iter()
            .filter_map(|mut entry| {
                entry.path = under(&self.prefix, &entry.path)?.to_string();
                Some(entry)
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        self.inner.read(&self.full(path), limit)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        self.inner.open(&self.full(path))
    }

    /// The inner history, restricted to the folder: a blob committed elsewhere in the
    /// repository is not this folder's.
    fn history(&self, max_size: u64) -> Option<Result<History, crate::Error>> {
        let history = match self.inner.history(max_size)? {
            Ok(history) => history,
            Err(error) => return Some(Err(error)),
        };
        let blobs = history
            .blobs
            .into_iter()
            .filter_map(|mut blob| {
                blob.path = under(&self.prefix, &blob.path)?.to_string();
                Some(blob)
            })
            .collect();
        Some(Ok(History { blobs, ..history }))
    }

    fn open_blob(&self, id: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        self.inner.open_blob(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_strips_only_whole_directory_prefixes() {
        assert_eq!(under("svc", "svc/a.py"), Some("a.py"));
        assert_eq!(under("svc", "svc2/a.py"), None);
        assert_eq!(under("", "a.py"), Some("a.py"));
    }
}
