//! RAP levels as reported: the NHS RAP Community of Practice's Baseline, Silver and Gold, the
//! level a repository claims, and the steps to the next one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Ordered, so "at least silver" is `level >= RapLevel::Silver`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RapLevel {
    None,
    Baseline,
    Silver,
    Gold,
}

impl RapLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RapLevel::None => "none",
            RapLevel::Baseline => "baseline",
            RapLevel::Silver => "silver",
            RapLevel::Gold => "gold",
        }
    }

    /// The levels a rule can carry, lowest first.
    pub const CLIMB: [RapLevel; 3] = [RapLevel::Baseline, RapLevel::Silver, RapLevel::Gold];

    pub fn parse(name: &str) -> Option<RapLevel> {
        match name.trim().to_ascii_lowercase().as_str() {
            "none" => Some(RapLevel::None),
            "baseline" => Some(RapLevel::Baseline),
            "silver" => Some(RapLevel::Silver),
            "gold" => Some(RapLevel::Gold),
            _ => None,
        }
    }

    /// The level above this one; `None` at gold.
    pub fn next(self) -> Option<RapLevel> {
        match self {
            RapLevel::None => Some(RapLevel::Baseline),
            RapLevel::Baseline => Some(RapLevel::Silver),
            RapLevel::Silver => Some(RapLevel::Gold),
            RapLevel::Gold => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RapNext {
    pub level: RapLevel,
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RapSummary {
    pub level: RapLevel,
    /// The level the repository claims, if it claims one.
    pub declared: Option<RapLevel>,
    /// What it takes to reach the next level; null at gold.
    pub next: Option<RapNext>,
}

/// The level the evidence supports, the steps to the next one, and every failed criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct RapAssessment {
    pub level: RapLevel,
    pub next: Option<RapNext>,
    /// Failed criteria with their level, lowest level first then in pack order.
    pub gaps: Vec<RapGap>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RapGap {
    pub rule: String,
    pub level: RapLevel,
    pub message: String,
    pub help: String,
}
