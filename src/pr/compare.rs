//! Matching two audits of one repository: what the head made worse, what it fixed and how the
//! score moved. Locations are matched by their fingerprints, with the base's paths moved
//! through git's renames first, and never by line number.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{
    Evidence, Finding, Outcome, PrBase, PrHead, PrSummary, Rename, RepoReport,
    fingerprint_locations,
};

/// The base's findings as if its files had already moved to where head has them: paths mapped
/// through the renames and location fingerprints recomputed, so a path-anchored location (a
/// committed `.env`) follows its file. Content-anchored ones follow renames anyway.
fn moved_to_head(base: &[Finding], renamed: &[Rename]) -> Vec<Finding> {
    let moved: HashMap<&str, &str> = renamed
        .iter()
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    base.iter()
        .map(|finding| {
            let mut finding = finding.clone();
            for item in &mut finding.evidence {
                if let Some(path) = item.path.as_deref().and_then(|p| moved.get(p)) {
                    item.path = Some((*path).to_string());
                }
            }
            fingerprint_locations(&finding.rule, &mut finding.evidence);
            finding
        })
        .collect()
}

fn fingerprints(finding: &Finding) -> BTreeSet<&str> {
    finding
        .evidence
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect()
}

/// Matches head findings to base findings rule by rule, location by location, by fingerprint
/// (docs/report-format.md): never by line number, and following renamed files.
pub fn compare(
    base: &RepoReport,
    head: &RepoReport,
    renamed: &[Rename],
    base_info: PrBase,
    head_info: PrHead,
) -> PrSummary {
    let base_findings = moved_to_head(&base.findings, renamed);
    let base_by_rule: BTreeMap<&str, &Finding> =
        base_findings.iter().map(|f| (f.rule.as_str(), f)).collect();
    let head_by_rule: BTreeMap<&str, &Finding> =
        head.findings.iter().map(|f| (f.rule.as_str(), f)).collect();

    let mut new = Vec::new();
    for finding in head.findings.iter().filter(|f| f.is_failure()) {
        match base_by_rule.get(finding.rule.as_str()) {
            Some(before) if before.is_failure() => {
                let known = fingerprints(before);
                let added: Vec<Evidence> = finding
                    .evidence
                    .iter()
                    .filter(|e| !known.contains(e.fingerprint.as_str()))
                    .cloned()
                    .collect();
                if !added.is_empty() {
                    new.push(Finding {
                        evidence: added,
                        ..finding.clone()
                    });
                }
            }
            _ => new.push(finding.clone()),
        }
    }

    let mut fixed = Vec::new();
    for finding in base_findings.iter().filter(|f| f.is_failure()) {
        let Some(after) = head_by_rule.get(finding.rule.as_str()) else {
            continue;
        };
        match after.outcome {
            Outcome::Pass | Outcome::Waived => fixed.push(finding.clone()),
            Outcome::Fail => {
                let still = fingerprints(after);
                let gone: Vec<Evidence> = finding
                    .evidence
                    .iter()
                    .filter(|e| !still.contains(e.fingerprint.as_str()))
                    .cloned()
                    .collect();
                if !gone.is_empty() {
                    fixed.push(Finding {
                        evidence: gone,
                        ..finding.clone()
                    });
                }
            }
            // Not judged in head (a prerequisite failed, or it needs a person): not a fix.
            _ => {}
        }
    }

    let score_delta = match (base.score, head.score) {
        (Some(b), Some(h)) => Some(((h - b) * 10.0).round() / 10.0),
        _ => None,
    };
    PrSummary {
        base: base_info,
        head: head_info,
        score_delta,
        new,
        fixed,
        renamed: renamed.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RapLevel;
    use crate::model::SourceInfo;
    use crate::model::SourceKind;
    use crate::model::testing::finding;

    fn repo(score: f64, findings: Vec<Finding>) -> RepoReport {
        RepoReport {
            name: "r".to_string(),
            source: SourceInfo {
                kind: SourceKind::Git,
                location: ".".to_string(),
                reference: None,
                commit: None,
            },
            score: Some(score),
            grade: "C".to_string(),
            rap_level: RapLevel::None,
            categories: Vec::new(),
            facts: Default::default(),
            rap: None,
            findings,
            error: None,
            error_kind: None,
            metadata: None,
        }
    }

    fn run(base: RepoReport, head: RepoReport, renamed: &[Rename]) -> PrSummary {
        let info = PrBase {
            commit: "b".into(),
            reference: None,
            score: base.score,
            grade: base.grade.clone(),
        };
        let head_info = PrHead {
            commit: "h".into(),
            reference: None,
        };
        compare(&base, &head, renamed, info, head_info)
    }

    #[test]
    fn moved_files_and_shifted_lines_are_not_new() {
        let base = repo(
            70.0,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![Evidence::at("data/a.csv", 3, "*** *** 1234")],
            )],
        );
        let head = repo(
            70.0,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![Evidence::at("old/a.csv", 9, "*** *** 1234")],
            )],
        );
        let renamed = [Rename {
            from: "data/a.csv".into(),
            to: "old/a.csv".into(),
        }];
        let summary = run(base, head, &renamed);
        assert!(summary.new.is_empty(), "{:?}", summary.new);
        assert!(summary.fixed.is_empty(), "{:?}", summary.fixed);
        assert_eq!(summary.score_delta, Some(0.0));
    }

    #[test]
    fn added_evidence_is_new_and_narrowed_removed_evidence_is_fixed() {
        let base = repo(
            70.0,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![
                    Evidence::at("a.csv", 3, "*** *** 1234"),
                    Evidence::at("b.csv", 3, "*** *** 9876"),
                ],
            )],
        );
        let head = repo(
            65.5,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![
                    Evidence::at("a.csv", 5, "*** *** 1234"),
                    Evidence::at("c.csv", 1, "*** *** 5555"),
                ],
            )],
        );
        let summary = run(base, head, &[]);
        assert_eq!(summary.new.len(), 1);
        assert_eq!(summary.new[0].evidence.len(), 1);
        assert_eq!(summary.new[0].evidence[0].path.as_deref(), Some("c.csv"));
        assert_eq!(summary.fixed.len(), 1);
        assert_eq!(summary.fixed[0].evidence[0].path.as_deref(), Some("b.csv"));
        assert_eq!(summary.score_delta, Some(-4.5));
    }

    #[test]
    fn a_rule_that_became_not_applicable_is_not_fixed() {
        let base = repo(50.0, vec![finding("readme/install", Outcome::Fail, vec![])]);
        let head = repo(
            40.0,
            vec![finding("readme/install", Outcome::NotApplicable, vec![])],
        );
        assert!(run(base, head, &[]).fixed.is_empty());
    }

    #[test]
    fn a_renamed_env_file_is_neither_new_nor_fixed() {
        let base = repo(
            60.0,
            vec![finding(
                "secrets/env-file",
                Outcome::Fail,
                vec![Evidence::path(".env")],
            )],
        );
        let head = repo(
            60.0,
            vec![finding(
                "secrets/env-file",
                Outcome::Fail,
                vec![Evidence::path("config/.env")],
            )],
        );
        let renamed = [Rename {
            from: ".env".into(),
            to: "config/.env".into(),
        }];
        let summary = run(base.clone(), head.clone(), &renamed);
        assert!(
            summary.new.is_empty() && summary.fixed.is_empty(),
            "{summary:?}"
        );
        let unrelated = run(base, head, &[]);
        assert_eq!(
            unrelated.new.len(),
            1,
            "without the rename it is a new location"
        );
        assert_eq!(unrelated.fixed.len(), 1);
    }
}
