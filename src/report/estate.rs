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
