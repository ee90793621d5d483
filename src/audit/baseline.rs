//! `--baseline OLD.json`: adopt openly on a legacy repository and hear only about new
//! problems. A failed finding whose locations were all failing in the baseline becomes
//! `baseline`: still shown, still scored as failed (so the score matches a run without a
//! baseline and stays comparable month to month), but not listed among the failures and
//! ignored by the exit gates. Matching is by fingerprint, location by location
//! (`model::fingerprint`): a finding that fails in one new file stays a failure, and its known
//! locations are marked `baseline` so the new one stands out.
//!
//! Repositories are matched by report name. When the baseline and the run each hold exactly
//! one repository they are matched whatever their names, since a checkout's folder name often
//! differs between a laptop and CI.

use std::collections::HashSet;

use crate::model::saved::{SavedRepo, SavedReport};
use crate::model::{Finding, Outcome, Report};

/// What applying a baseline did, for the binary to say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Failures that the baseline already had, now `baseline`.
    pub known: usize,
    /// Failures that stay failures (new, or new at some location).
    pub new: usize,
    /// Audited repositories the baseline does not mention: everything in them is new.
    pub unmatched: Vec<String>,
}

/// Marks the report's failures that the baseline already had. Scores are left as they are.
pub fn apply(report: &mut Report, baseline: &SavedReport) -> Applied {
    let mut applied = Applied::default();
    let single = report.repos.len() == 1 && baseline.repos.len() == 1;
    for repo in report.repos.iter_mut().filter(|r| r.error.is_none()) {
        let old = match baseline.repo(&repo.name) {
            Some(old) => old,
            None if single => &baseline.repos[0],
            None => {
                applied.unmatched.push(repo.name.clone());
                applied.new += repo.findings.iter().filter(|f| f.is_failure()).count();
                continue;
            }
        };
        let known = Known::from(old);
        for finding in repo.findings.iter_mut().filter(|f| f.is_failure()) {
            if known.mark(finding) {
                finding.outcome = Outcome::Baseline;
                applied.known += 1;
            } else {
                applied.new += 1;
            }
        }
    }
    applied
}

/// The fingerprints of what was failing in one repository of the baseline.
struct Known<'a> {
    findings: HashSet<&'a str>,
    locations: HashSet<&'a str>,
}

impl<'a> Known<'a> {
    fn from(repo: &'a SavedRepo) -> Self {
        let failing = || repo.findings.iter().filter(|f| f.is_failing());
        Known {
            findings: failing().map(|f| f.fingerprint.as_str()).collect(),
            locations: failing()
                .flat_map(|f| f.evidence.iter().map(|e| e.fingerprint.as_str()))
                .filter(|fp| !fp.is_empty())
                .collect(),
        }
    }

    /// Marks the known locations of `finding`; true when nothing about it is new.
    fn mark(&self, finding: &mut Finding) -> bool {
        let mut all_known = !finding.evidence.is_empty();
        for item in &mut finding.evidence {
            item.baseline = self.locations.contains(item.fingerprint.as_str());
            all_known &= item.baseline;
        }
        all_known || self.findings.contains(finding.fingerprint.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::finding;
    use crate::model::{Evidence, RepoReport};

    fn report(name: &str, findings: Vec<Finding>) -> Report {
        let repo = RepoReport {
            findings,
            ..crate::audit::errored(
                name,
                crate::model::SourceInfo {
                    kind: crate::model::SourceKind::Local,
                    location: ".".to_string(),
                    reference: None,
                    commit: None,
                },
                crate::model::RepoErrorKind::Source,
                String::new(),
            )
        };
        crate::audit::assemble(
            crate::audit::this_tool(),
            crate::model::PackInfo {
                name: "p".into(),
                version: "1".into(),
            },
            String::new(),
            vec![RepoReport {
                error: None,
                ..repo
            }],
        )
    }

    fn saved(report: &Report) -> SavedReport {
        SavedReport::from_json(&serde_json::to_string(report).unwrap()).unwrap()
    }

    #[test]
    fn known_failures_become_baseline_and_a_new_location_stays_a_failure() {
        let old = report(
            "repo",
            vec![
                finding(
                    "data/nhs-number",
                    Outcome::Fail,
                    vec![Evidence::at("a.csv", 1, "943 *** ****")],
                ),
                finding("licence/present", Outcome::Fail, vec![]),
            ],
        );
        let mut new = report(
            "repo",
            vec![
                finding(
                    "data/nhs-number",
                    Outcome::Fail,
                    vec![
                        Evidence::at("moved/a.csv", 7, "943 *** ****"),
                        Evidence::at("b.csv", 1, "401 *** ****"),
                    ],
                ),
                finding("licence/present", Outcome::Fail, vec![]),
                finding(
                    "readme/present",
                    Outcome::Fail,
                    vec![Evidence::path("README")],
                ),
            ],
        );
        let applied = apply(&mut new, &saved(&old));
        assert_eq!((applied.known, applied.new), (1, 2));
        let findings = &new.repos[0].findings;
        assert_eq!(findings[0].outcome, Outcome::Fail);
        assert!(findings[0].evidence[0].baseline && !findings[0].evidence[1].baseline);
        assert_eq!(findings[1].outcome, Outcome::Baseline);
        assert_eq!(findings[2].outcome, Outcome::Fail);
    }

    #[test]
    fn waived_in_the_baseline_is_not_known_and_one_repo_matches_one_whatever_its_name() {
        let old = report(
            "laptop-checkout",
            vec![finding("licence/present", Outcome::Waived, vec![])],
        );
        let mut new = report(
            "ci-checkout",
            vec![finding("licence/present", Outcome::Fail, vec![])],
        );
        let applied = apply(&mut new, &saved(&old));
        assert_eq!((applied.known, applied.new), (0, 1));
        assert!(applied.unmatched.is_empty());
    }
}
