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
