//! The estate overview: what an open-source office or a programme lead reads first when many
//! repositories are audited. Repositories ranked by score, the rules that fail most, the
//! repositories that need attention first, and the exemplars to learn from. The text, Markdown
//! and HTML reports all show it, so it is computed here once, from the `Report` alone: it only
//! sorts and counts what the findings already say, and never judges anything again.

use std::collections::BTreeMap;

use crate::model::{Finding, Outcome, RepoReport, Report, Severity};

/// The personal-data rules: a failure means a repository may publish data about people.
/// `data/dummy-available`, `data/inventory`, `data/notebook-outputs` and `data/unparsed` are
/// about hygiene and completeness, not about people, and are left out on purpose.
pub const PERSONAL_DATA_RULES: [&str; 4] = [
    "data/nhs-number",
    "data/chi-number",
    "data/quasi-identifiers",
    "data/small-numbers",
];

/// How many repositories the overall exemplar list names.
pub const EXEMPLARS_OVERALL: usize = 3;
/// How many repositories tied at the top of a category are named.
pub const EXEMPLARS_PER_CATEGORY: usize = 3;

/// Whether a failure of this rule means possible patient data or a secret: the rules behind
/// "needs attention first", and the rules SARIF marks as security alerts.
pub fn is_sensitive_rule(rule: &str) -> bool {
    rule.starts_with("secrets/") || PERSONAL_DATA_RULES.contains(&rule)
}

/// One audited repository in the ranking.
#[derive(Debug, Clone)]
pub struct RankedRepo<'r> {
    pub repo: &'r RepoReport,
    /// The repository's overall score (audited repositories always have one to rank by; those
    /// with nothing judged rank last).
    pub score: Option<f64>,
    /// Distinct SPDX ids found, in the order they were declared; "none" when there is none.
    pub licence: String,
    /// Failed (not waived) findings of error severity.
    pub errors: usize,
    /// Failed (not waived) findings of warning severity.
    pub warnings: usize,
}

/// A rule and how many repositories fail it.
#[derive(Debug, Clone)]
pub struct FailingRule<'r> {
    pub rule: &'r str,
    pub title: &'r str,
    pub severity: Severity,
    /// Repositories where the rule failed (waived findings do not count).
    pub repos: usize,
}

/// A repository that may publish patient data or secrets, with the failed rules that say so.
#[derive(Debug, Clone)]
pub struct Attention<'r> {
    pub repo: &'r RepoReport,
    /// The failed sensitive findings, worst first.
    pub findings: Vec<&'r Finding>,
}

/// The best repositories of one category: every exemplary repository at the top category
/// score (up to [`EXEMPLARS_PER_CATEGORY`]), so that a tie offers several case studies.
#[derive(Debug, Clone)]
pub struct CategoryExemplar<'r> {
    pub category: &'r str,
    pub repos: Vec<&'r RepoReport>,
    pub score: f64,
}

/// The whole overview, borrowed from the report.
#[derive(Debug, Clone)]
pub struct Estate<'r> {
    /// Audited repositories, best score first (ties by name).
    pub ranking: Vec<RankedRepo<'r>>,
    /// Repositories that could not be audited, in report order.
    pub errored: Vec<&'r RepoReport>,
    /// Rules failed by at least one repository, most failed first.
    pub failing_rules: Vec<FailingRule<'r>>,
    /// Repositories with a failed personal-data or secrets rule, worst first.
    pub attention: Vec<Attention<'r>>,
    /// The best repositories in each category among those with no failed error-severity rule.
    pub category_exemplars: Vec<CategoryExemplar<'r>>,
}

impl<'r> Estate<'r> {
    /// Computes the overview of `report`.
    pub fn of(report: &'r Report) -> Self {
        let (errored, audited): (Vec<&RepoReport>, Vec<&RepoReport>) =
            report.repos.iter().partition(|r| r.error.is_some());
        let mut ranking: Vec<RankedRepo> = audited.into_iter().map(ranked).collect();
        ranking.sort_by(|a, b| by_score(a.score, b.score).then(a.repo.name.cmp(&b.repo.name)));
        let failing_rules = failing_rules(&ranking);
        let attention = attention(&ranking);
        Estate {
            category_exemplars: category_exemplars(&ranking),
            ranking,
            errored,
            failing_rules,
            attention,
        }
    }

    /// The best overall scores among repositories with no failed error-severity rule (ties by
    /// name, as in the ranking).
    pub fn overall_exemplars(&self) -> Vec<&RankedRepo<'r>> {
        self.ranking
            .iter()
            .filter(|r| is_exemplary(r))
            .take(EXEMPLARS_OVERALL)
            .collect()
    }
}

fn ranked(repo: &RepoReport) -> RankedRepo<'_> {
    let failed = |severity| {
        repo.findings
            .iter()
            .filter(|f| f.is_failure() && f.severity == severity)
            .count()
    };
    RankedRepo {
        repo,
        score: repo.score,
        licence: licence_summary(repo),
        errors: failed(Severity::Error),
        warnings: failed(Severity::Warning),
    }
}

/// Higher scores first; a repository with no score after every scored one.
fn by_score(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// Distinct SPDX ids of the licences found, in the order the report lists them.
pub fn licence_summary(repo: &RepoReport) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for fact in &repo.facts.licences {
        if !ids.contains(&fact.spdx.as_str()) {
            ids.push(&fact.spdx);
        }
    }
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

fn failing_rules<'r>(ranking: &[RankedRepo<'r>]) -> Vec<FailingRule<'r>> {
    let mut by_rule: BTreeMap<&str, FailingRule> = BTreeMap::new();
    for ranked in ranking {
        for finding in ranked.repo.findings.iter().filter(|f| f.is_failure()) {
            by_rule
                .entry(finding.rule.as_str())
                .or_insert(FailingRule {
                    rule: &finding.rule,
                    title: &finding.title,
                    severity: finding.severity,
                    repos: 0,
                })
                .repos += 1;
        }
    }
    let mut rules: Vec<FailingRule> = by_rule.into_values().collect();
    rules.sort_by(|a, b| {
        b.repos
            .cmp(&a.repos)
            .then(b.severity.cmp(&a.severity))
            .then(a.rule.cmp(b.rule))
    });
    rules
}

fn attention<'r>(ranking: &[RankedRepo<'r>]) -> Vec<Attention<'r>> {
    let mut list: Vec<Attention> = ranking
        .iter()
        .filter_map(|ranked| {
            let mut findings: Vec<&Finding> = ranked
                .repo
                .findings
                .iter()
                .filter(|f| f.outcome == Outcome::Fail && is_sensitive_rule(&f.rule))
                .collect();
            findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
            (!findings.is_empty()).then_some(Attention {
                repo: ranked.repo,
                findings,
            })
        })
        .collect();
    // Worst first: error-severity failures (patient data), then how many, then the name.
    list.sort_by_key(|a| {
        let errors = a
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        (
            std::cmp::Reverse(errors),
            std::cmp::Reverse(a.findings.len()),
            a.repo.name.clone(),
        )
    });
    list
}

/// A repository can be held up as an example only when nothing of error severity fails.
fn is_exemplary(ranked: &RankedRepo) -> bool {
    ranked.errors == 0 && ranked.score.is_some()
}

fn category_exemplars<'r>(ranking: &[RankedRepo<'r>]) -> Vec<CategoryExemplar<'r>> {
    // Categories in the order the report gives them, first seen first.
    let mut order: Vec<&str> = Vec::new();
    for ranked in ranking {
        for category in &ranked.repo.categories {
            if !order.contains(&category.id.as_str()) {
                order.push(&category.id);
            }
        }
    }
    let mut best = Vec::new();
    for id in order {
        let scored: Vec<(&RankedRepo, f64)> = ranking
            .iter()
            .filter(|r| is_exemplary(r))
            .filter_map(|r| {
                let score = r.repo.categories.iter().find(|c| c.id == id)?.score?;
                Some((r, score))
            })
            .collect();
        let Some(top) = scored.iter().map(|(_, s)| *s).max_by(f64::total_cmp) else {
            continue;
        };
        if top <= 0.0 {
            continue;
        }
        // The ranking is by overall score then name, so ties keep that order.
        let repos: Vec<&RepoReport> = scored
            .iter()
            .filter(|(_, s)| *s == top)
            .map(|(r, _)| r.repo)
            .take(EXEMPLARS_PER_CATEGORY)
            .collect();
        best.push(CategoryExemplar {
            category: id,
            repos,
            score: top,
        });
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CategoryScore, PackInfo};
    use crate::model::{Facts, RapLevel, SourceInfo, SourceKind, Summary, Tool};

    fn finding(rule: &str, outcome: Outcome, severity: Severity) -> Finding {
        Finding {
            rule: rule.to_string(),
            category: rule.split('/').next().unwrap_or("").to_string(),
            title: rule.to_string(),
            outcome,
            severity,
            weight: 1.0,
            message: String::new(),
            help: String::new(),
            url: None,
            evidence: Vec::new(),
            fingerprint: String::new(),
            waiver: None,
            allowed_by: None,
        }
    }

    fn repo(name: &str, score: Option<f64>, findings: Vec<Finding>) -> RepoReport {
        RepoReport {
            name: name.to_string(),
            source: SourceInfo {
                kind: SourceKind::Local,
                location: name.to_string(),
                reference: None,
                commit: None,
            },
            score,
            grade: String::new(),
            rap_level: RapLevel::None,
            categories: vec![CategoryScore {
                id: "licence".to_string(),
                score,
                weight: 1.0,
                passed: 0,
                failed: 0,
                needs_review: 0,
            }],
            facts: Facts::default(),
            rap: None,
            findings,
            error: None,
            error_kind: None,
            metadata: None,
        }
    }

    fn report(repos: Vec<RepoReport>) -> Report {
        Report {
            schema_version: 1,
            tool: Tool {
                name: "openly".into(),
                version: "0".into(),
            },
            generated_at: String::new(),
            rule_pack: PackInfo {
                name: "p".into(),
                version: "1".into(),
            },
            summary: Summary {
                repos: repos.len(),
                audited: repos.len(),
                errored: 0,
                deferred: 0,
                mean_score: None,
            },
            repos,
            pr: None,
            shard: None,
        }
    }

    fn names<'a>(list: impl IntoIterator<Item = &'a RepoReport>) -> Vec<&'a str> {
        list.into_iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn ranking_is_by_score_then_name_with_unscored_last_and_errored_apart() {
        let mut broken = repo("broken", None, Vec::new());
        broken.error = Some("no such revision".into());
        let report = report(vec![
            repo("b", Some(50.0), Vec::new()),
            repo("unscored", None, Vec::new()),
            broken,
            repo("a", Some(50.0), Vec::new()),
            repo("c", Some(90.0), Vec::new()),
        ]);
        let estate = Estate::of(&report);
        assert_eq!(
            names(estate.ranking.iter().map(|r| r.repo)),
            ["c", "a", "b", "unscored"]
        );
        assert_eq!(names(estate.errored.iter().copied()), ["broken"]);
    }

    #[test]
    fn attention_means_a_failed_personal_data_or_secrets_rule_not_hygiene_or_waivers() {
        let report = report(vec![
            repo(
                "dummy-only",
                Some(80.0),
                vec![
                    finding("data/dummy-available", Outcome::Fail, Severity::Warning),
                    finding("data/inventory", Outcome::Fail, Severity::Info),
                ],
            ),
            repo(
                "waived",
                Some(80.0),
                vec![finding("data/nhs-number", Outcome::Waived, Severity::Error)],
            ),
            repo(
                "token",
                Some(70.0),
                vec![finding("secrets/token", Outcome::Fail, Severity::Warning)],
            ),
            repo(
                "patients",
                Some(90.0),
                vec![
                    finding("data/small-numbers", Outcome::Fail, Severity::Warning),
                    finding("data/nhs-number", Outcome::Fail, Severity::Error),
                ],
            ),
        ]);
        let estate = Estate::of(&report);
        let listed: Vec<(&str, Vec<&str>)> = estate
            .attention
            .iter()
            .map(|a| {
                (
                    a.repo.name.as_str(),
                    a.findings.iter().map(|f| f.rule.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("patients", vec!["data/nhs-number", "data/small-numbers"]),
                ("token", vec!["secrets/token"]),
            ]
        );
    }

    #[test]
    fn exemplars_have_no_failed_error_rule_and_ties_are_named_together() {
        let report = report(vec![
            repo(
                "top-but-unlicensed",
                Some(99.0),
                vec![finding("licence/present", Outcome::Fail, Severity::Error)],
            ),
            repo(
                "waived-error",
                Some(95.0),
                vec![finding("licence/present", Outcome::Waived, Severity::Error)],
            ),
            repo("zeta", Some(90.0), Vec::new()),
            repo("alpha", Some(90.0), Vec::new()),
            repo("low", Some(10.0), Vec::new()),
        ]);
        let estate = Estate::of(&report);
        assert_eq!(
            names(estate.overall_exemplars().iter().map(|r| r.repo)),
            ["waived-error", "alpha", "zeta"]
        );
        let licence = &estate.category_exemplars[0];
        assert_eq!(licence.category, "licence");
        assert_eq!(licence.score, 95.0);
        assert_eq!(names(licence.repos.iter().copied()), ["waived-error"]);
    }

    #[test]
    fn failing_rules_count_repositories_most_first() {
        let report = report(vec![
            repo(
                "a",
                Some(1.0),
                vec![
                    finding("readme/status", Outcome::Fail, Severity::Warning),
                    finding("licence/present", Outcome::Fail, Severity::Error),
                ],
            ),
            repo(
                "b",
                Some(1.0),
                vec![
                    finding("readme/status", Outcome::Fail, Severity::Warning),
                    finding("licence/present", Outcome::Pass, Severity::Error),
                ],
            ),
        ]);
        let estate = Estate::of(&report);
        let counts: Vec<(&str, usize)> = estate
            .failing_rules
            .iter()
            .map(|r| (r.rule, r.repos))
            .collect();
        assert_eq!(counts, [("readme/status", 2), ("licence/present", 1)]);
    }
}
