//! Findings for the library's unit tests, built the way the engine builds them (location
//! fingerprints first, then the finding's from them), so that tests of baselines, pull-request
//! comparison and reports match findings the way real runs do. Compiled for tests only.

use super::{Evidence, Finding, Outcome, Severity, fingerprint, fingerprint_locations};

/// An error-severity finding of `rule` with these locations and no text.
pub fn finding(rule: &str, outcome: Outcome, mut evidence: Vec<Evidence>) -> Finding {
    fingerprint_locations(rule, &mut evidence);
    Finding {
        rule: rule.to_string(),
        category: rule.split('/').next().unwrap_or_default().to_string(),
        title: rule.to_string(),
        outcome,
        severity: Severity::Error,
        weight: 1.0,
        message: String::new(),
        help: String::new(),
        url: None,
        fingerprint: fingerprint(rule, &evidence),
        evidence,
        waiver: None,
        allowed_by: None,
    }
}
