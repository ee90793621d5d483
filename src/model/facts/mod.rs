//! Facts are true-or-false statements about a repository, independent of any policy. The
//! checks compute them; the report carries them so dashboards can use them without
//! re-deriving anything.

pub mod data;
pub mod licence;
pub mod rap;
pub mod readme;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use data::{DataFacts, DataFileFact, DetectionFact, FreeTextFact, HistoryFact, SyntheticFact};
pub use licence::{ClosestMatch, DeclaredIn, LicenceFact, NOASSERTION, Scope};
pub use rap::RapEvidence;
pub use readme::ReadmeFact;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Facts {
    /// Licence files found, by path.
    pub licence_files: Vec<String>,
    /// Every licence declaration: licence files, README statements, package metadata and SPDX
    /// headers, each with its scope (code, docs, data) and where it was declared.
    pub licences: Vec<LicenceFact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readme: Option<ReadmeFact>,
    /// RAP evidence: languages, tests, dependencies, CI, layout and claimed levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rap: Option<RapEvidence>,
    /// Data files, synthetic-data evidence and masked sensitive-data detections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<DataFacts>,
}
