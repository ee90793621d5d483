//! The report: one value that every output format is rendered from. Emitters never recompute
//! anything, so text, JSON and the rest always agree. Its JSON Schema is the public contract
//! for dashboards.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::facts::Facts;
use super::finding::Finding;
use super::pr::PrSummary;
use super::rap::{RapLevel, RapSummary};
use super::repo::{RepoMetadata, SourceInfo};
use super::score::CategoryScore;

/// Bumped when a field is renamed or removed; adding fields keeps it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// RFC 3339; the only field that differs between two runs over the same input.
    pub generated_at: String,
    pub rule_pack: PackInfo,
    pub summary: Summary,
    pub repos: Vec<RepoReport>,
    /// Pull-request mode only: what the change made worse, what it fixed, the score delta.
    pub pr: Option<PrSummary>,
    /// Present on one part of a sharded run (`--shard I/N`); `openly merge` checks that the
    /// parts it is given are the N different shards of one run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

/// Which part of a sharded run a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ShardInfo {
    /// 1-based.
    pub index: usize,
    pub count: usize,
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
    /// Repositories that could not be audited (kinds `config` and `source`).
    pub errored: usize,
    /// Repositories not audited yet (kinds `rate-limited` and `interrupted`): a re-run
    /// completes them.
    #[serde(default)]
    pub deferred: usize,
    /// Mean overall score of the audited repositories.
    pub mean_score: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
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
    /// What kind of failure `error` is, for dashboards; absent when the repository was audited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<RepoErrorKind>,
    /// What the host knows beyond files (GitHub: visibility, topics, archived, pushed_at).
    /// Absent for local and git sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<RepoMetadata>,
}

/// Why a repository could not be audited, as a machine-readable kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RepoErrorKind {
    /// Its own `.openly.toml` is invalid or unreadable.
    Config,
    /// It could not be opened or listed (missing, not a repository, no such revision, a failed
    /// clone or API request).
    Source,
    /// Not audited: the API quota ran out beyond `--max-wait`. The message says when the quota
    /// resets; a re-run then completes it.
    RateLimited,
    /// Not audited: the run was interrupted (Ctrl-C) before it started.
    Interrupted,
}

impl RepoErrorKind {
    /// Not audited yet rather than broken: a re-run completes it.
    pub fn is_deferral(self) -> bool {
        matches!(
            self,
            RepoErrorKind::RateLimited | RepoErrorKind::Interrupted
        )
    }
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
