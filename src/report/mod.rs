//! The report: one value that every output format is rendered from. Emitters never recompute
//! anything, so text, JSON and the rest always agree.

pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::facts::Facts;
use crate::finding::Finding;
use crate::score::CategoryScore;
use crate::source::SourceInfo;

/// Bumped when a field is renamed or removed; adding fields keeps it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// RFC 3339; the only field that differs between two runs over the same input.
    pub generated_at: String,
    pub rule_pack: PackInfo,
    pub summary: Summary,
    pub repos: Vec<RepoReport>,
    /// Pull-request mode only: what the change made worse, what it fixed, the score delta.
    pub pr: Option<crate::pr::PrSummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PackInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub repos: usize,
    pub audited: usize,
    pub errored: usize,
    /// Mean overall score of the audited repositories.
    pub mean_score: Option<f64>,
}

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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RepoReport {
    pub name: String,
    pub source: SourceInfo,
    /// 0–100; null when the repository could not be audited or nothing could be judged.
    pub score: Option<f64>,
    pub grade: String,
    pub rap_level: RapLevel,
    pub categories: Vec<CategoryScore>,
    pub facts: Facts,
    pub rap: Option<RapSummary>,
    pub findings: Vec<Finding>,
    /// Why the repository could not be audited; null when it was.
    pub error: Option<String>,
    /// What the host knows beyond files (GitHub: visibility, topics, archived, pushed_at).
    /// Absent for local and git sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<crate::source::RepoMetadata>,
}

impl RepoReport {
    /// Failed findings, worst first: severity, then weight, then rule id for stable output.
    pub fn top_fixes(&self) -> Vec<&Finding> {
        let mut failed: Vec<&Finding> = self.findings.iter().filter(|f| f.is_failure()).collect();
        failed.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.weight.total_cmp(&a.weight))
                .then(a.rule.cmp(&b.rule))
        });
        failed
    }
}

/// The output formats; each renders the same `Report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// GitHub Actions workflow commands: one annotation per failure (per new failure in PR mode).
    Github,
    /// Markdown, as used for the job summary and the pull-request comment.
    Markdown,
}

/// Options that change how a report is shown, never what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
}

pub trait Emitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, options: RenderOptions) -> io::Result<()>;
}

pub fn emitter(format: Format) -> Box<dyn Emitter> {
    match format {
        Format::Text => Box::new(text::TextEmitter),
        Format::Json => Box::new(json::JsonEmitter),
        Format::Github => Box::new(github::GithubEmitter::in_current_dir()),
        Format::Markdown => Box::new(markdown::MarkdownEmitter),
    }
}

/// The JSON Schema of the report, as `openly schema` prints it.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Report);
    serde_json::to_value(schema).unwrap_or_default()
}
