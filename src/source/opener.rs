//! A repository to audit, found but not yet opened. Targets of every kind (a local folder, a
//! git repository, a GitHub repository from a listing, either revision of a pull request)
//! become openers, so one driver audits them all the same way; only opening differs.

use super::Source;
use crate::model::{RepoErrorKind, RepoMetadata, SourceInfo};

/// Why a repository could not be opened, with a kind for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError {
    pub kind: RepoErrorKind,
    pub message: String,
}

impl OpenError {
    pub fn source(message: impl Into<String>) -> Self {
        OpenError {
            kind: RepoErrorKind::Source,
            message: message.into(),
        }
    }
}

impl From<crate::Error> for OpenError {
    fn from(error: crate::Error) -> Self {
        OpenError::source(error.to_string())
    }
}

pub trait Opener: Send + Sync {
    /// The name the report gives the repository (`owner/repo`, or a directory name).
    fn name(&self) -> &str;

    /// Where the repository comes from, as far as is known before opening it: an errored
    /// report still says what it was.
    fn info(&self) -> SourceInfo;

    /// What a listing already told about the repository, kept even when opening fails.
    fn listing_metadata(&self) -> Option<RepoMetadata> {
        None
    }

    fn open(&self) -> Result<Box<dyn Source>, OpenError>;
}
