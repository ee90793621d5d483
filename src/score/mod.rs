//! From findings to numbers. Each category scores the share of its weight that passed; the
//! overall score is the same share over all categories. Rules that were not judged (needs
//! review, not applicable, error) are left out rather than guessed, and counted separately.
//! `docs/scoring.md` explains the formula with a worked example that a test checks. The RAP
//! level is assessed here too ([`rap`]), once per repository.

pub mod rap;

use crate::model::Category;
use crate::model::CategoryScore;
use crate::model::{Finding, Outcome, Severity};

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub overall: Option<f64>,
    pub grade: String,
    pub categories: Vec<CategoryScore>,
}

/// Rounded to one decimal so reports are stable across platforms.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Waived findings count as passed: a person accepted them, with a reason. Failures already in
/// the `--baseline` count as failed, so a baseline changes what is gated, never the score.
fn judged(outcome: Outcome) -> Option<bool> {
    match outcome {
        Outcome::Pass | Outcome::Waived => Some(true),
        Outcome::Fail | Outcome::Baseline => Some(false),
        Outcome::NeedsReview | Outcome::NotApplicable | Outcome::Error => None,
    }
}

pub fn score(findings: &[Finding]) -> Score {
    let mut categories = Vec::new();
    let (mut total_weight, mut total_passed) = (0.0, 0.0);
    for category in Category::ALL {
        let in_category: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.category == category.as_str())
            .collect();
        if in_category.is_empty() {
            continue;
        }
        let (mut weight, mut passed_weight, mut passed, mut failed, mut needs_review) =
            (0.0, 0.0, 0, 0, 0);
        for finding in &in_category {
            match judged(finding.outcome) {
                Some(ok) => {
                    weight += finding.weight;
                    if ok {
                        passed_weight += finding.weight;
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                }
                None if finding.outcome == Outcome::NeedsReview => needs_review += 1,
                None => {}
            }
        }
        total_weight += weight;
        total_passed += passed_weight;
        categories.push(CategoryScore {
            id: category.as_str().to_string(),
            score: (weight > 0.0).then(|| round(100.0 * passed_weight / weight)),
            weight: round(weight),
            passed,
            failed,
            needs_review,
        });
    }
    let overall = (total_weight > 0.0).then(|| round(100.0 * total_passed / total_weight));
    let grade = grade(overall, findings);
    Score {
        overall,
        grade,
        categories,
    }
}

/// A–F from the score, except that any error-severity failure in the data or secrets
/// categories is an F: published patient data or a live credential outweighs any polish.
pub fn grade(overall: Option<f64>, findings: &[Finding]) -> String {
    let alarm = findings.iter().any(|f| {
        f.is_scored_as_failed()
            && f.severity == Severity::Error
            && Category::parse(&f.category).is_some_and(Category::is_alarm)
    });
    let Some(score) = overall else {
        return "-".to_string();
    };
    let letter = if alarm {
        "F"
    } else if score >= 90.0 {
        "A"
    } else if score >= 80.0 {
        "B"
    } else if score >= 70.0 {
        "C"
    } else if score >= 60.0 {
        "D"
    } else if score >= 50.0 {
        "E"
    } else {
        "F"
    };
    letter.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, outcome: Outcome, severity: Severity, weight: f64) -> Finding {
        Finding {
            rule: rule.to_string(),
            category: rule.split('/').next().unwrap().to_string(),
            title: String::new(),
            outcome,
            severity,
            weight,
            message: String::new(),
            help: String::new(),
            url: None,
            evidence: Vec::new(),
            fingerprint: String::new(),
            waiver: None,
            allowed_by: None,
        }
    }

    #[test]
    fn a_baseline_failure_scores_and_grades_like_a_failure() {
        let as_failed = [
            finding("licence/present", Outcome::Pass, Severity::Error, 10.0),
            finding("secrets/env-file", Outcome::Fail, Severity::Error, 10.0),
        ];
        let mut as_baseline = as_failed.clone();
        as_baseline[1].outcome = Outcome::Baseline;
        assert_eq!(score(&as_failed), score(&as_baseline));
        assert_eq!(score(&as_baseline).overall, Some(50.0));
        assert_eq!(score(&as_baseline).grade, "F");
    }

    /// The worked example in docs/scoring.md.
    #[test]
    fn worked_example_from_the_docs() {
        let findings = [
            finding("licence/present", Outcome::Pass, Severity::Error, 10.0),
            finding("licence/docs-ogl", Outcome::Fail, Severity::Warning, 5.0),
            finding("readme/present", Outcome::Pass, Severity::Error, 10.0),
            finding("readme/status", Outcome::Fail, Severity::Warning, 3.0),
            finding("readme/contact", Outcome::Waived, Severity::Warning, 3.0),
            finding("rap/peer-review", Outcome::NeedsReview, Severity::Info, 4.0),
            finding(
                "rap/tests-present",
                Outcome::NotApplicable,
                Severity::Warning,
                5.0,
            ),
        ];
        let score = score(&findings);
        // licence: 10 of 15 → 66.7; readme: 13 of 16 → 81.3; overall: 23 of 31 → 74.2.
        assert_eq!(score.categories[0].score, Some(66.7));
        assert_eq!(score.categories[1].score, Some(81.3));
        assert_eq!(score.categories[2].score, None);
        assert_eq!(score.categories[2].needs_review, 1);
        assert_eq!(score.overall, Some(74.2));
        assert_eq!(score.grade, "C");
    }

    #[test]
    fn an_error_in_data_or_secrets_is_an_f_whatever_the_score() {
        let mut findings: Vec<Finding> = (0..20)
            .map(|i| {
                finding(
                    &format!("readme/r{i}"),
                    Outcome::Pass,
                    Severity::Error,
                    10.0,
                )
            })
            .collect();
        findings.push(finding(
            "secrets/env-file",
            Outcome::Fail,
            Severity::Error,
            1.0,
        ));
        let score = score(&findings);
        assert!(score.overall.unwrap() > 99.0);
        assert_eq!(score.grade, "F");
    }
}
