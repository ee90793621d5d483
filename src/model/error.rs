//! The library's error type. Every error has a kind, and the binary's exit code comes from the
//! kind alone (configuration 78, usage 2, everything else 2), never from the message's text.

use super::diag::Diagnostics;

/// What kind of failure an error is; decides the exit code and the report's `error_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An invalid or unreadable rule pack or configuration (exit 78).
    Config,
    /// A request that cannot be carried out as asked (exit 2).
    Usage,
    /// The target or a service failed while working (exit 2).
    Operational,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid configuration:\n{0}")]
    Config(Diagnostics),
    #[error("{0}")]
    Usage(String),
    #[error("cannot audit {0}: {1}")]
    Target(String, String),
    /// A target whose own configuration (`.openly.toml`) is invalid: the message carries its
    /// file:line:col diagnostics, already rendered.
    #[error("cannot audit {0}: {1}")]
    TargetConfig(String, String),
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
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config(_) | Error::TargetConfig(..) => ErrorKind::Config,
            Error::Usage(_) => ErrorKind::Usage,
            Error::Target(..)
            | Error::Revision(..)
            | Error::NotAFile(_)
            | Error::Git(_)
            | Error::Io(_)
            | Error::Other(_) => ErrorKind::Operational,
        }
    }
}
