//! Where a repository comes from. One trait hides the difference between a plain directory, a
//! git repository read at a revision and the GitHub API, so no check knows or cares.

pub mod discover;
pub mod git;
pub mod github;
pub mod history;
pub mod local;

use std::io::Read;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::snapshot::Entry;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Local,
    Git,
    Github,
}

/// Where the audited files came from, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceInfo {
    pub kind: SourceKind,
    pub location: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// What a source knows about a repository beyond its files. Local directories know little;
/// git knows tags; the GitHub API knows topics, visibility and review history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RepoMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_branch: Option<String>,
    /// `public`, `private` or `internal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub fork: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
    /// Tag names, when the source can list them; `None` means unknown, not "no tags".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Commits reachable from the audited revision, counted up to
    /// [`git::COMMIT_COUNT_CAP`]; `None` when the source cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits: Option<usize>,
    /// Review evidence from recently merged pull requests; `None` when not fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<ReviewEvidence>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReviewEvidence {
    /// Recently merged pull requests looked at.
    pub merged: usize,
    /// Of those, how many had at least one review by someone other than the author.
    pub reviewed: usize,
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
