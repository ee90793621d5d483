//! A JSON report read back, as `openly compare` and `--baseline` need it: names, scores, RAP
//! levels and failing findings with their fingerprints. Every field but `repos` has a default
//! and unknown fields are ignored, so a report written by an earlier or later openly (or under
//! another rule pack) still reads; the callers warn about the differences instead of refusing.
//! Excerpts were masked when the report was written, and nothing here unmasks them.

use serde::Deserialize;

/// A report as read back from `--format json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SavedReport {
    #[serde(default)]
    pub schema_version: u32,
    #[serde(default)]
    pub tool: SavedTool,
    #[serde(default)]
    pub generated_at: String,
    #[serde(default)]
    pub rule_pack: SavedPack,
    pub repos: Vec<SavedRepo>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SavedTool {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SavedPack {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SavedRepo {
    pub name: String,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub grade: String,
    /// Kept as text: a level this build does not know still compares as itself.
    #[serde(default)]
    pub rap_level: String,
    #[serde(default)]
    pub findings: Vec<SavedFinding>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SavedFinding {
    pub rule: String,
    #[serde(default)]
    pub title: String,
    /// Kept as text, like the level, for outcomes a later openly may add.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub fingerprint: String,
    #[serde(default)]
    pub evidence: Vec<SavedEvidence>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SavedEvidence {
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub line: Option<u64>,
    #[serde(default)]
    pub excerpt: Option<String>,
    #[serde(default)]
    pub fingerprint: String,
}

impl SavedReport {
    /// Reads a report from its JSON text; the error says what is wrong in a sentence.
    pub fn from_json(text: &str) -> Result<SavedReport, String> {
        serde_json::from_str(text).map_err(|error| {
            if error.is_syntax() || error.is_eof() {
                format!("not JSON ({error})")
            } else {
                format!("not an openly JSON report ({error})")
            }
        })
    }

    pub fn repo(&self, name: &str) -> Option<&SavedRepo> {
        self.repos.iter().find(|r| r.name == name)
    }
}

impl SavedFinding {
    /// Failing in that report: failed, or failed but already in its own baseline. Waived
    /// findings were accepted and do not count.
    pub fn is_failing(&self) -> bool {
        matches!(self.outcome.as_str(), "fail" | "baseline")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_missing_optional_ones_are_fine() {
        let report = SavedReport::from_json(
            r#"{"schema_version": 7, "future": {"x": 1},
                "repos": [{"name": "a", "findings": [{"rule": "licence/present",
                "outcome": "something-new", "evidence": [{"path": "x", "shiny": true}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(report.schema_version, 7);
        assert_eq!(
            report.repos[0].findings[0].evidence[0].path.as_deref(),
            Some("x")
        );
        assert!(!report.repos[0].findings[0].is_failing());
        assert!(report.tool.version.is_empty());
    }

    #[test]
    fn other_json_is_refused_with_a_reason() {
        assert!(
            SavedReport::from_json("[1]")
                .unwrap_err()
                .starts_with("not an openly")
        );
        assert!(
            SavedReport::from_json("{")
                .unwrap_err()
                .starts_with("not JSON")
        );
        assert!(SavedReport::from_json("{}").unwrap_err().contains("repos"));
    }
}
