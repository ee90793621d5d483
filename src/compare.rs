//! Comparing two JSON reports of an estate, a month apart say: the score and RAP level of each
//! repository then and now, which failures are new and which were fixed, which repositories
//! came and went. Findings are matched by fingerprint, location by location
//! (`model::fingerprint`), never by line, so an edit that moves lines changes nothing and a
//! failure in a new file is new at that file. Reports from other openly or pack versions are
//! compared with a warning, never refused. Only what the reports say is read and repeated, so
//! nothing is less masked here than it was there.

use std::collections::{BTreeMap, HashSet};

use crate::model::RapLevel;
use crate::model::compare::{
    COMPARE_SCHEMA_VERSION, ChangedFinding, ChangedLocation, Comparison, EstateChange, LevelChange,
    RepoBrief, RepoChange, ReportRef,
};
use crate::model::saved::{SavedFinding, SavedRepo, SavedReport};

/// One side of a comparison: the report, and the name to call it by.
pub struct Side<'a> {
    pub label: &'a str,
    pub report: &'a SavedReport,
}

pub fn compare(old: Side, new: Side) -> Comparison {
    let mut repos = Vec::new();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let old_names: BTreeMap<&str, &SavedRepo> = old
        .report
        .repos
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    let new_names: BTreeMap<&str, &SavedRepo> = new
        .report
        .repos
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    for (name, after) in &new_names {
        match old_names.get(name) {
            Some(before) => repos.push(repo_change(before, after)),
            None => added.push(brief(after)),
        }
    }
    for (name, before) in &old_names {
        if !new_names.contains_key(name) {
            removed.push(brief(before));
        }
    }
    let estate = estate(&repos, added.len(), removed.len());
    Comparison {
        schema_version: COMPARE_SCHEMA_VERSION,
        warnings: warnings(&old, &new),
        old: reference(&old),
        new: reference(&new),
        estate,
        repos,
        added,
        removed,
    }
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn reference(side: &Side) -> ReportRef {
    let report = side.report;
    let scores: Vec<f64> = report
        .repos
        .iter()
        .filter(|r| r.error.is_none())
        .filter_map(|r| r.score)
        .collect();
    ReportRef {
        file: side.label.to_string(),
        generated_at: report.generated_at.clone(),
        openly_version: report.tool.version.clone(),
        rule_pack: format!("{} {}", report.rule_pack.name, report.rule_pack.version)
            .trim()
            .to_string(),
        repos: report.repos.len(),
        mean_score: (!scores.is_empty())
            .then(|| round(scores.iter().sum::<f64>() / scores.len() as f64)),
    }
}

fn warnings(old: &Side, new: &Side) -> Vec<String> {
    let (a, b) = (old.report, new.report);
    let mut warnings = Vec::new();
    if a.tool.version != b.tool.version {
        warnings.push(format!(
            "the reports come from different openly versions ({} and {}): some changes may be openly's, not the repositories'",
            or_unknown(&a.tool.version),
            or_unknown(&b.tool.version)
        ));
    }
    if a.rule_pack != b.rule_pack {
        warnings.push(format!(
            "the reports were judged under different rule packs ({} {} and {} {}): scores are not like for like",
            or_unknown(&a.rule_pack.name),
            a.rule_pack.version,
            or_unknown(&b.rule_pack.name),
            b.rule_pack.version
        ));
    }
    if a.schema_version != b.schema_version {
        warnings.push(format!(
            "the reports have different schema versions ({} and {}); fields this openly does not know were ignored",
            a.schema_version, b.schema_version
        ));
    }
    // RFC 3339 in UTC, as openly writes it, orders as text.
    if !a.generated_at.is_empty() && !b.generated_at.is_empty() && a.generated_at > b.generated_at {
        warnings.push(format!(
            "{} ({}) is newer than {} ({}): are the two the wrong way round?",
            old.label, a.generated_at, new.label, b.generated_at
        ));
    }
    warnings
}

fn or_unknown(text: &str) -> &str {
    if text.is_empty() { "unknown" } else { text }
}

fn brief(repo: &SavedRepo) -> RepoBrief {
    RepoBrief {
        name: repo.name.clone(),
        score: repo.score.filter(|_| repo.error.is_none()),
        grade: repo.grade.clone(),
        rap_level: repo.rap_level.clone(),
        failures: repo.findings.iter().filter(|f| f.is_failing()).count(),
        error: repo.error.clone(),
    }
}

fn repo_change(before: &SavedRepo, after: &SavedRepo) -> RepoChange {
    let old_score = before.score.filter(|_| before.error.is_none());
    let new_score = after.score.filter(|_| after.error.is_none());
    let (new, fixed) = if before.error.is_some() || after.error.is_some() {
        // An unaudited side says nothing about findings: no "all fixed" or "all new".
        (Vec::new(), Vec::new())
    } else {
        (
            changed(&after.findings, &before.findings, Direction::New),
            changed(&before.findings, &after.findings, Direction::Fixed),
        )
    };
    RepoChange {
        name: after.name.clone(),
        old_score,
        new_score,
        score_delta: match (old_score, new_score) {
            (Some(o), Some(n)) => Some(round(n - o)),
            _ => None,
        },
        old_grade: before.grade.clone(),
        new_grade: after.grade.clone(),
        old_rap_level: before.rap_level.clone(),
        new_rap_level: after.rap_level.clone(),
        rap_change: level_change(&before.rap_level, &after.rap_level),
        new,
        fixed,
        old_error: before.error.clone(),
        new_error: after.error.clone(),
    }
}

fn level_change(old: &str, new: &str) -> LevelChange {
    match (RapLevel::parse(old), RapLevel::parse(new)) {
        (Some(o), Some(n)) if n > o => LevelChange::Up,
        (Some(o), Some(n)) if n < o => LevelChange::Down,
        (Some(_), Some(_)) => LevelChange::Same,
        _ if old == new => LevelChange::Same,
        _ => LevelChange::Unknown,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Failures of the new report the old one did not have.
    New,
    /// Failures of the old report the new one no longer has.
    Fixed,
}

/// The failures of `these` that `those` did not have, location by location. A fixed finding
/// counts only when the new report judged its rule (pass, waived, or failing at fewer
/// locations): a rule that is absent or not judged there is a change of what was checked, not
/// of the repository. A fixed finding reports its outcome in the new report.
fn changed(
    these: &[SavedFinding],
    those: &[SavedFinding],
    direction: Direction,
) -> Vec<ChangedFinding> {
    let by_rule: BTreeMap<&str, &SavedFinding> =
        those.iter().map(|f| (f.rule.as_str(), f)).collect();
    let mut out = Vec::new();
    for finding in these.iter().filter(|f| f.is_failing()) {
        let other = by_rule.get(finding.rule.as_str()).copied();
        let judged = other
            .is_some_and(|o| matches!(o.outcome.as_str(), "pass" | "waived") || o.is_failing());
        if direction == Direction::Fixed && !judged {
            continue;
        }
        let failing_there = other.filter(|o| o.is_failing());
        let known: HashSet<&str> = failing_there
            .map(|o| o.evidence.iter().map(|e| e.fingerprint.as_str()).collect())
            .unwrap_or_default();
        let locations: Vec<ChangedLocation> = finding
            .evidence
            .iter()
            .filter(|e| !known.contains(e.fingerprint.as_str()))
            .map(|e| ChangedLocation {
                path: e.path.clone(),
                line: e.line,
                excerpt: e.excerpt.clone(),
                fingerprint: e.fingerprint.clone(),
            })
            .collect();
        if failing_there.is_some() && locations.is_empty() {
            continue;
        }
        let outcome = match (direction, other) {
            (Direction::Fixed, Some(other)) => other.outcome.clone(),
            _ => finding.outcome.clone(),
        };
        out.push(ChangedFinding {
            rule: finding.rule.clone(),
            title: finding.title.clone(),
            severity: finding.severity.clone(),
            outcome,
            fingerprint: finding.fingerprint.clone(),
            locations,
        });
    }
    out
}

fn estate(repos: &[RepoChange], added: usize, removed: usize) -> EstateChange {
    let deltas: Vec<f64> = repos.iter().filter_map(|r| r.score_delta).collect();
    let count = |test: &dyn Fn(&RepoChange) -> bool| repos.iter().filter(|r| test(r)).count();
    let total = |list: fn(&RepoChange) -> usize| repos.iter().map(list).sum();
    EstateChange {
        compared: repos.len(),
        mean_score_delta: (!deltas.is_empty())
            .then(|| round(deltas.iter().sum::<f64>() / deltas.len() as f64)),
        better: count(&|r| r.score_delta.is_some_and(|d| d > 0.0)),
        worse: count(&|r| r.score_delta.is_some_and(|d| d < 0.0)),
        unchanged: count(&|r| r.score_delta == Some(0.0)),
        not_scored: count(&|r| r.score_delta.is_none()),
        rap_up: count(&|r| r.rap_change == LevelChange::Up),
        rap_down: count(&|r| r.rap_change == LevelChange::Down),
        new_findings: total(|r| r.new.len()),
        fixed_findings: total(|r| r.fixed.len()),
        added,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(repos: serde_json::Value) -> SavedReport {
        SavedReport::from_json(&json!({"repos": repos}).to_string()).unwrap()
    }

    fn finding(rule: &str, outcome: &str, locations: &[&str]) -> serde_json::Value {
        let evidence: Vec<_> = locations
            .iter()
            .map(|fp| json!({"path": format!("{fp}.csv"), "fingerprint": fp}))
            .collect();
        json!({"rule": rule, "outcome": outcome, "severity": "error",
               "fingerprint": format!("{rule}:{}", locations.join("+")), "evidence": evidence})
    }

    fn run(old: &SavedReport, new: &SavedReport) -> Comparison {
        compare(
            Side {
                label: "old",
                report: old,
            },
            Side {
                label: "new",
                report: new,
            },
        )
    }

    #[test]
    fn locations_decide_what_is_new_and_fixed() {
        let old = report(
            json!([{"name": "a", "score": 50.0, "rap_level": "none", "findings": [
                finding("data/nhs-number", "fail", &["x", "y"]),
                finding("licence/present", "fail", &[]),
                finding("readme/status", "fail", &[]),
                finding("secrets/token", "fail", &["t"]),
            ]}]),
        );
        let new = report(
            json!([{"name": "a", "score": 60.0, "rap_level": "baseline", "findings": [
                finding("data/nhs-number", "baseline", &["y", "z"]),
                finding("licence/present", "pass", &[]),
                // Not judged any more: not a fix. Absent (`secrets/token`): not a fix either.
                finding("readme/status", "not-applicable", &[]),
            ]}]),
        );
        let c = run(&old, &new);
        let repo = &c.repos[0];
        assert_eq!(repo.score_delta, Some(10.0));
        assert_eq!(repo.rap_change, LevelChange::Up);
        assert_eq!(repo.new.len(), 1);
        assert_eq!(repo.new[0].locations[0].fingerprint, "z");
        let fixed: Vec<(&str, &str)> = repo
            .fixed
            .iter()
            .map(|f| (f.rule.as_str(), f.outcome.as_str()))
            .collect();
        assert_eq!(
            fixed,
            [("data/nhs-number", "baseline"), ("licence/present", "pass")]
        );
        assert_eq!(repo.fixed[0].locations[0].fingerprint, "x");
        assert_eq!((c.estate.better, c.estate.rap_up), (1, 1));
        assert_eq!(c.estate.mean_score_delta, Some(10.0));
    }

    #[test]
    fn an_errored_side_has_no_findings_to_compare_and_no_delta() {
        let old = report(json!([{"name": "a", "score": 50.0, "findings": [
            finding("licence/present", "fail", &[])]}]));
        let new = report(json!([{"name": "a", "score": null, "error": "cannot open"}]));
        let c = run(&old, &new);
        assert!(c.repos[0].new.is_empty() && c.repos[0].fixed.is_empty());
        assert_eq!(c.repos[0].score_delta, None);
        assert_eq!((c.estate.not_scored, c.estate.mean_score_delta), (1, None));
    }

    #[test]
    fn unknown_levels_and_differences_are_reported_not_refused() {
        let old = report(json!([{"name": "a", "rap_level": "platinum"}]));
        let mut new = report(json!([{"name": "a", "rap_level": "gold"}, {"name": "b"}]));
        new.tool.version = "9.9.9".to_string();
        let c = run(&old, &new);
        assert_eq!(c.repos[0].rap_change, LevelChange::Unknown);
        assert_eq!(c.added[0].name, "b");
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    }
}
