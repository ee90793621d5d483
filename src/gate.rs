//! Gates turn a report into pass or fail for CI. With no gate set an audit never fails: an
//! estate report that finds problems has done its job.

use crate::model::Report;
use crate::model::Severity;

#[derive(Debug, Clone, Copy, Default)]
pub struct Gates {
    /// Fail when any audited repository scores below this.
    pub fail_under: Option<f64>,
    /// Fail when any repository has a failed rule at or above this severity.
    pub fail_on: Option<Severity>,
}

/// Why the gate failed, one line per reason; empty when it passed.
pub fn check(report: &Report, gates: &Gates) -> Vec<String> {
    let mut reasons = Vec::new();
    for repo in report.repos.iter().filter(|r| r.error.is_none()) {
        if let (Some(limit), Some(score)) = (gates.fail_under, repo.score)
            && score < limit
        {
            reasons.push(format!("{}: score {score:.1} is under {limit}", repo.name));
        }
        if let Some(severity) = gates.fail_on {
            let failed: Vec<&str> = repo
                .findings
                .iter()
                .filter(|f| f.is_failure() && f.severity >= severity)
                .map(|f| f.rule.as_str())
                .collect();
            if !failed.is_empty() {
                reasons.push(format!(
                    "{}: {} failed at {} or above ({})",
                    repo.name,
                    failed.len(),
                    severity.as_str(),
                    failed.join(", ")
                ));
            }
        }
    }
    reasons
}

/// Why PR mode's gate failed, one line per reason; empty when it passed. Only what the change
/// did counts: new failures at `fail_on` or above, and a score that fell under `fail_under`.
/// A score that was already under the limit and did not fall does not fail the change.
pub fn check_pr(report: &Report, fail_on: Severity, fail_under: Option<f64>) -> Vec<String> {
    let Some(pr) = &report.pr else {
        return Vec::new();
    };
    let mut reasons = Vec::new();
    let failed: Vec<&str> = pr
        .new_failures()
        .into_iter()
        .filter(|f| f.severity >= fail_on)
        .map(|f| f.rule.as_str())
        .collect();
    if !failed.is_empty() {
        reasons.push(format!(
            "{} new failure{} at {} or above ({})",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" },
            fail_on.as_str(),
            failed.join(", ")
        ));
    }
    let head_score = report.repos.first().and_then(|r| r.score);
    if let (Some(limit), Some(score)) = (fail_under, head_score) {
        let fell = pr.score_delta.is_none_or(|d| d < 0.0);
        if score < limit && fell {
            reasons.push(format!(
                "score fell to {score:.1} (from {}), under {limit}",
                pr.base
                    .score
                    .map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
            ));
        }
    }
    reasons
}
