//! The `pr` object of a pull-request report: what the change made worse, what it fixed, and
//! how the score moved.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::finding::Finding;

/// The `pr` object of the JSON report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PrSummary {
    pub base: PrBase,
    pub head: PrHead,
    /// Head score minus base score, rounded to one decimal; null when either was not scored.
    pub score_delta: Option<f64>,
    /// Failures that are new or worse in head. When the rule already failed in base, the
    /// evidence is narrowed to the items head added; the fingerprint stays the head finding's.
    pub new: Vec<Finding>,
    /// Base failures that head passes (or waives), or evidence items head no longer has.
    pub fixed: Vec<Finding>,
    /// Files git sees as renamed between base and head (inside the audited path), base → head.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<Rename>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PrBase {
    pub commit: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub score: Option<f64>,
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PrHead {
    pub commit: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Rename {
    pub from: String,
    pub to: String,
}

impl PrSummary {
    /// New findings that fail (not waived), worst first.
    pub fn new_failures(&self) -> Vec<&Finding> {
        let mut failed: Vec<&Finding> = self.new.iter().filter(|f| f.is_failure()).collect();
        failed.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
        failed
    }
}
