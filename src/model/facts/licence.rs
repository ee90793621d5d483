//! Licence facts as reported: every licence declaration found, with its scope and where it was
//! declared.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which part of the work a licence covers. The playbook judges code and documentation
/// licences separately, so a licence without a scope would be unusable for those rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Code,
    Docs,
    Data,
    Unknown,
}

/// Where a licence declaration was found; evidence in a report cites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeclaredIn {
    File,
    Readme,
    Description,
    Pyproject,
    Setup,
    PackageJson,
    Cargo,
    SpdxHeader,
}

/// The best-scoring known licence for a text that did not reach the threshold, so a report can
/// say "looks like a modified MIT (0.95)" rather than just "unknown".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClosestMatch {
    pub spdx: String,
    pub score: f32,
}

/// One licence declaration. `spdx` is an SPDX licence id or expression, or `NOASSERTION` when a
/// licence file was found but not identified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LicenceFact {
    pub spdx: String,
    pub path: String,
    /// 1-based line where the declaration starts, when known.
    pub line: Option<usize>,
    /// 0.0–1.0. Full-text matches carry the match score; explicit identifiers carry 1.0 and
    /// prose statements a fixed lower value, so consumers can rank sources.
    pub confidence: f32,
    pub scope: Scope,
    pub declared_in: DeclaredIn,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<ClosestMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// SPDX's marker for "a licence is present but we cannot say which".
pub const NOASSERTION: &str = "NOASSERTION";
