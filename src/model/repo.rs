//! What is known about where a repository came from: the kind of source, its location and
//! revision, and what a host such as GitHub knows beyond the files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Local,
    Git,
    Github,
}

/// Where the audited files came from, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceInfo {
    pub kind: SourceKind,
    pub location: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// What a source knows about a repository beyond its files. Local directories know little;
/// git knows tags; the GitHub API knows topics, visibility and review history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RepoMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_branch: Option<String>,
    /// `public`, `private` or `internal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub fork: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
    /// When the audited commit was made (RFC 3339), for sources with git history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_commit_at: Option<String>,
    /// Where the owner's organisation-wide security policy is (`OWNER/.github` repository's
    /// SECURITY.md), when the source could see one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_policy: Option<String>,
    /// Tag names, when the source can list them; `None` means unknown, not "no tags".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Commits reachable from the audited revision, counted up to
    /// `source::git::COMMIT_COUNT_CAP`; `None` when the source cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits: Option<usize>,
    /// Review evidence from recently merged pull requests; `None` when not fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<ReviewEvidence>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReviewEvidence {
    /// Recently merged pull requests looked at.
    pub merged: usize,
    /// Of those, how many had at least one review by someone other than the author.
    pub reviewed: usize,
}
