//! The library's error type. Each variant maps to one kind of user-facing failure, which the
//! binary turns into an exit code: configuration problems are 78, everything else 2.

use crate::pack::diag::Diagnostics;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid configuration:\n{0}")]
    Config(Diagnostics),
    #[error("cannot audit {0}: {1}")]
    Target(String, String),
    #[error("cannot resolve revision `{0}`: {1}")]
    Revision(String, String),
    #[error("not a regular file in this snapshot: {0}")]
    NotAFile(String),
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn is_config(&self) -> bool {
        matches!(self, Error::Config(_))
    }
}
