//! What changed between two reports of an estate (`openly compare OLD.json NEW.json`): per
//! repository the score delta, the RAP level change and the findings that are new or fixed,
//! matched by fingerprint location by location; the repositories added and removed; and one
//! estate line. Its JSON (`--format json`) is a public contract like the report's, with its
//! own schema (`openly schema compare`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Bumped when a field of the comparison is renamed or removed.
pub const COMPARE_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    pub schema_version: u32,
    pub old: ReportRef,
    pub new: ReportRef,
    /// Why the two may not be like for like (other openly or pack versions, swapped dates).
    pub warnings: Vec<String>,
    pub estate: EstateChange,
    /// Repositories in both reports, in name order.
    pub repos: Vec<RepoChange>,
    /// In the new report only.
    pub added: Vec<RepoBrief>,
    /// In the old report only.
    pub removed: Vec<RepoBrief>,
}

/// Which report one side of the comparison is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportRef {
    /// The path or name it was read from.
    pub file: String,
    pub generated_at: String,
    pub openly_version: String,
    pub rule_pack: String,
    pub repos: usize,
    /// As the report's own summary would say: the mean over its audited, scored repositories.
    pub mean_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EstateChange {
    /// Repositories in both reports.
    pub compared: usize,
    /// The mean of the score deltas of the repositories scored in both (like for like, so
    /// added and removed repositories do not move it); null when there are none.
    pub mean_score_delta: Option<f64>,
    pub better: usize,
    pub worse: usize,
    pub unchanged: usize,
    /// Compared repositories not scored in one report or the other (errored, nothing judged).
    pub not_scored: usize,
    pub rap_up: usize,
    pub rap_down: usize,
    /// Findings new or fixed over all compared repositories.
    pub new_findings: usize,
    pub fixed_findings: usize,
    pub added: usize,
    pub removed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepoChange {
    pub name: String,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    /// New minus old, to one decimal; null unless both were scored.
    pub score_delta: Option<f64>,
    pub old_grade: String,
    pub new_grade: String,
    pub old_rap_level: String,
    pub new_rap_level: String,
    pub rap_change: LevelChange,
    /// Failures in the new report at locations the old one did not fail at. When the rule
    /// failed before too, only the new locations are listed.
    pub new: Vec<ChangedFinding>,
    /// Failures of the old report that now pass or are waived, or locations that no longer
    /// fail.
    pub fixed: Vec<ChangedFinding>,
    /// Why the repository could not be audited, on either side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LevelChange {
    Up,
    Down,
    Same,
    /// A level this openly does not know, on either side.
    Unknown,
}

/// A finding as the comparison reports it: what it is and where, already masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChangedFinding {
    pub rule: String,
    pub title: String,
    pub severity: String,
    /// The outcome in the new report (`fail` for new findings; `pass`, `waived` or `fail` with
    /// fewer locations for fixed ones).
    pub outcome: String,
    pub fingerprint: String,
    pub locations: Vec<ChangedLocation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChangedLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    pub fingerprint: String,
}

/// A repository present on one side only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepoBrief {
    pub name: String,
    pub score: Option<f64>,
    pub grade: String,
    pub rap_level: String,
    /// Failing findings in that report.
    pub failures: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
