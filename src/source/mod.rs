//! Where a repository comes from. One trait hides the difference between a plain directory, a
//! git repository read at a revision and the GitHub API, so no check knows or cares.

pub mod discover;
pub mod entry;
pub mod git;
pub mod github;
pub mod history;
pub mod local;
pub mod opener;
pub mod subdir;
mod worktree;

use std::io::Read;

pub use entry::{Entry, EntryKind, file_name};
pub use opener::{OpenError, Opener};

use crate::model::{RepoMetadata, SourceInfo};

/// At most `limit` bytes of `reader`, into a buffer sized once from `size` (the file's known
/// length): `read_to_end` from empty probes with 32 bytes and doubles, nine read calls for a
/// 10 KB file. The bytes read before an error are kept beside it.
pub fn read_sized(reader: impl Read, limit: u64, size: u64) -> (Vec<u8>, std::io::Result<usize>) {
    let capacity = usize::try_from(size.min(limit))
        .unwrap_or(0)
        .saturating_add(1);
    let mut bytes = Vec::with_capacity(capacity);
    let result = reader.take(limit).read_to_end(&mut bytes);
    (bytes, result)
}

/// A readable repository. Implementations must never follow symlinks when reading.
pub trait Source: Send + Sync {
    fn info(&self) -> &SourceInfo;

    /// Every path with its size and kind. Directories are implied by paths, not listed.
    /// Metadata beyond files; sources that know nothing return the default.
    fn metadata(&self) -> RepoMetadata {
        RepoMetadata::default()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error>;

    /// At most `limit` bytes of a regular file.
    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        let mut bytes = Vec::new();
        self.open(path)?.take(limit).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// A stream over a regular file, for files too large to hold.
    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error>;

    /// Every file version reachable from any ref, for `--history`; `None` when the source has
    /// no history (a plain directory).
    fn history(&self, _max_size: u64) -> Option<Result<history::History, crate::Error>> {
        None
    }

    /// A stream over one blob listed by [`Source::history`].
    fn open_blob(&self, id: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        Err(crate::Error::NotAFile(id.to_string()))
    }
}
