//! Leaf types that every layer shares: findings and their outcomes, categories, RAP levels,
//! where a repository came from, the facts and the report itself, and the error type. Nothing
//! here imports another module of the crate, so any layer may import it, and the report's JSON
//! Schema is generated from these types alone.

pub mod category;
pub mod compare;
pub mod diag;
pub mod error;
pub mod facts;
pub mod finding;
pub mod fingerprint;
pub mod pr;
pub mod rap;
pub mod repo;
pub mod report;
pub mod rule;
pub mod saved;
pub mod score;
#[cfg(test)]
pub mod testing;

pub use category::Category;
pub use diag::{Diagnostic, Diagnostics};
pub use error::{Error, ErrorKind};
pub use facts::Facts;
pub use finding::{AllowedBy, Evidence, Finding, Outcome, Severity, Verdict};
pub use fingerprint::{fingerprint, fingerprint_locations};
pub use pr::{PrBase, PrHead, PrSummary, Rename};
pub use rap::{RapAssessment, RapGap, RapLevel, RapNext, RapSummary};
pub use repo::{RepoMetadata, ReviewEvidence, SourceInfo, SourceKind};
pub use report::{
    PackInfo, RepoErrorKind, RepoReport, Report, SCHEMA_VERSION, ShardInfo, Summary, Tool,
};
pub use rule::RuleInfo;
pub use score::CategoryScore;
