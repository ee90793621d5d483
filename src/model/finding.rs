//! What a rule concluded about one repository. Findings are the only thing the score and the
//! report emitters read, so everything a user needs to act on must be carried here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How bad a failed rule is. Ordered so that `Error > Warning > Info`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The verdict of one rule on one repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The files cannot prove it either way; a person has to look.
    NeedsReview,
    /// A prerequisite did not pass, or the rule does not apply to this repository.
    NotApplicable,
    /// The check itself could not run (unreadable file, analyzer failure).
    Error,
    /// It failed, but the repository's config allows it, with a reason.
    Waived,
    /// It failed, and every location of it was already failing in the `--baseline` report:
    /// scored like a failure, but not listed as one and ignored by the exit gates.
    Baseline,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NeedsReview => "needs-review",
            Outcome::NotApplicable => "not-applicable",
            Outcome::Error => "error",
            Outcome::Waived => "waived",
            Outcome::Baseline => "baseline",
        }
    }
}

/// Where a finding comes from. Excerpts are masked before they get here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column (in characters), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// What this location shows, about this file alone; the finding's `message` summarises
    /// every location. Absent when the finding's message says it all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The commit in which the file appeared, for findings from history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Names this location across commits and runs: pull-request mode, `[[allow]]`,
    /// `--baseline` and SARIF all match locations by it (see docs/report-format.md). Set by the
    /// engine; line numbers never enter it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
    /// This location was already failing in the `--baseline` report; the others of a failed
    /// finding are new. Absent (false) outside baseline runs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baseline: bool,
}

impl Evidence {
    pub fn path(path: impl Into<String>) -> Self {
        Evidence {
            path: Some(path.into()),
            ..Evidence::default()
        }
    }

    pub fn at(path: impl Into<String>, line: u64, excerpt: impl Into<String>) -> Self {
        Evidence {
            path: Some(path.into()),
            line: Some(line),
            excerpt: Some(excerpt.into()),
            ..Evidence::default()
        }
    }

    /// A sentence about this location alone.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    pub fn note(excerpt: impl Into<String>) -> Self {
        Evidence {
            excerpt: Some(excerpt.into()),
            ..Evidence::default()
        }
    }
}

/// What a check returns before the engine attaches the rule's identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// Overrides the rule's message when the check knows something more precise.
    pub message: Option<String>,
    pub evidence: Vec<Evidence>,
}

impl Verdict {
    pub fn new(outcome: Outcome) -> Self {
        Verdict {
            outcome,
            message: None,
            evidence: Vec::new(),
        }
    }

    pub fn pass() -> Self {
        Verdict::new(Outcome::Pass)
    }

    pub fn fail() -> Self {
        Verdict::new(Outcome::Fail)
    }

    pub fn needs_review(message: impl Into<String>) -> Self {
        Verdict::new(Outcome::NeedsReview).with_message(message)
    }

    pub fn not_applicable(reason: impl Into<String>) -> Self {
        Verdict::new(Outcome::NotApplicable).with_message(reason)
    }

    pub fn error(reason: impl Into<String>) -> Self {
        Verdict::new(Outcome::Error).with_message(reason)
    }

    /// Pass when `ok`, fail otherwise.
    pub fn from_bool(ok: bool) -> Self {
        if ok { Verdict::pass() } else { Verdict::fail() }
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    pub fn with_evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        self.evidence.extend(evidence);
        self
    }
}

/// One rule's verdict on one repository, as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    pub rule: String,
    pub category: String,
    pub title: String,
    pub outcome: Outcome,
    pub severity: Severity,
    pub weight: f64,
    pub message: String,
    /// The one-line fix, from the rule's help text.
    pub help: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub evidence: Vec<Evidence>,
    /// Names the finding across commits and runs: the rule and its locations' fingerprints
    /// (see docs/report-format.md), never line numbers.
    pub fingerprint: String,
    /// Why a waived finding was allowed: the allow entry's reason, set only when the outcome
    /// is `waived` (kept as a plain string for readers of earlier reports; `allowed_by` has
    /// the details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
    /// The `[[allow]]` entry that matched this failure: in force (the outcome is `waived`) or
    /// expired (the outcome is `fail` again, and the message says since when).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_by: Option<AllowedBy>,
}

/// An `[[allow]]` entry as reported on the finding it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllowedBy {
    /// Why a person accepted the finding.
    pub reason: String,
    /// The first day the entry no longer applies (YYYY-MM-DD); absent when it never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The entry's `expires` date had come when the audit ran, so the finding fails again.
    #[serde(default)]
    pub expired: bool,
    /// Where the entry is written, as `file:line` (`.openly.toml:12`, or the `--allow-list` or
    /// `--config` file), so a person knows what to edit.
    pub source: String,
}

impl Finding {
    /// A failure that counts against the repository: failed, not waived, not in the baseline.
    pub fn is_failure(&self) -> bool {
        self.outcome == Outcome::Fail
    }

    /// Failed, whether or not the baseline already knew it: what the score counts as failed
    /// weight, so a `--baseline` run scores exactly like a run without one.
    pub fn is_scored_as_failed(&self) -> bool {
        matches!(self.outcome, Outcome::Fail | Outcome::Baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
    }
}
