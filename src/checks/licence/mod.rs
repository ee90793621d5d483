//! Licence facts for a repository: which licences are declared, where, how confidently and for
//! which part of the work (code, documentation, data).
//!
//! The NHS open-code playbook asks for code under an OSI licence (usually MIT) and documentation
//! under the Open Government Licence, with Crown copyright named. Repositories declare this in
//! many ways (licence files, README prose, package metadata, SPDX headers), so each source has its
//! own entry point here and they all produce the same [`LicenceFact`]. The functions are pure: they
//! take a path and the text, never touch the file system, and never panic on odd input.
//!
//! Method, thresholds and measured accuracy are described in `docs/licences.md`.

mod copyright;
mod current;
mod declared;
pub mod files;
mod identify;
mod normalise;
mod phrases;
mod readme;
pub mod repo;
pub mod rules;
mod store;

#[cfg(test)]
mod no_deprecated_tests;
#[cfg(test)]
mod statement_tests;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use copyright::{copyright_lines, crown_copyright, placeholders};
pub use declared::{
    from_cargo_toml, from_description, from_package_json, from_pyproject, from_setup,
    from_spdx_headers,
};
pub use files::{is_licence_file, is_part_licence_file};
pub use identify::{CONFIDENCE_THRESHOLD, identify_file};
pub use readme::from_readme;
pub use repo::{LicenceEvidence, analyze};
pub use store::{store_ids, warm_up, write_trimmed_store};

/// Which part of the work a licence covers. The playbook judges code and documentation
/// licences separately, so a licence without a scope would be unusable for those rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Code,
    Docs,
    Data,
    Unknown,
}

/// Where a licence declaration was found; evidence in a report cites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClosestMatch {
    pub spdx: String,
    pub score: f32,
}

/// One licence declaration. `spdx` is an SPDX licence id or expression, or `NOASSERTION` when a
/// licence file was found but not identified.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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
