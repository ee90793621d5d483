//! The one planning loop, whatever the repository comes from (a work tree on disk or a
//! GitHub repository read through the API): audit, plan the fixes of the failing rules, audit
//! again as if they were written, and repeat while that makes a new fix possible (a README
//! section can only be added once a README exists). The repository is read through the same
//! [`Source`] an audit uses, opened once and shared by every round, and every audit goes
//! through [`audit_source`], so "the score after fixing" is the score `openly audit` will give.

use std::sync::Arc;

use super::change::{ChangeSet, Planned, Planner, RuleFix};
use super::overlay::{OverlaySource, OverlayTree, SharedSource};
use super::template::{self, Values};
use crate::audit::{AuditOptions, audit_source};
use crate::model::{Category, Outcome, RepoReport};
use crate::pack::fix::FixSpec;
use crate::pack::{Check, Pack};
use crate::snapshot::Snapshot;
use crate::source::Source;

/// Rounds of audit → plan; each round can only add, so this bounds a pathological pack.
const MAX_ROUNDS: usize = 4;

/// Which failing rules to fix.
#[derive(Debug, Clone, Default)]
pub struct FixRequest {
    /// Only these rule ids; every fixable rule when empty.
    pub rules: Vec<String>,
    /// `{year}` in the templates.
    pub year: String,
}

/// A failing rule that fix mode leaves to a person, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByHand {
    pub rule: String,
    pub message: String,
    pub help: String,
}

/// A fixable rule that still fails after the plan, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub rule: String,
    pub why: String,
}

/// What fixing one repository would do.
#[derive(Debug, Clone)]
pub struct FixPlan {
    pub name: String,
    pub before: RepoReport,
    /// The audit of the repository as it would be after the changes.
    pub after: RepoReport,
    pub changes: ChangeSet,
    /// Personal data and secrets: never fixed, only explained.
    pub by_hand: Vec<ByHand>,
    pub left: Vec<Left>,
}

/// Refuses `--rule` ids the pack does not have, or whose rule has no fix, before any
/// repository is read.
pub fn check_rules(pack: &Pack, request: &FixRequest) -> Result<(), crate::Error> {
    for rule in &request.rules {
        match pack.rule(rule) {
            None => {
                return Err(crate::Error::Usage(format!(
                    "no rule `{rule}` in pack {}",
                    pack.name
                )));
            }
            Some(found) if found.fix.is_none() => {
                return Err(crate::Error::Usage(format!(
                    "rule `{rule}` has no fix in pack {}; `openly explain {rule}` says what to do",
                    pack.name
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The templates' values for one repository: `[fix]` in the pack or config first, then what
/// the preset says (Crown copyright), then the organisation's display name when known.
pub fn values(
    pack: &Pack,
    repo: &str,
    request: &FixRequest,
    org_display_name: Option<&str>,
) -> Values {
    Values {
        year: Some(request.year.clone()),
        holder: pack
            .fix_values
            .holder
            .clone()
            .or_else(|| template::copyright_holder(Some(&pack.name), org_display_name)),
        repo: Some(repo.to_string()),
        contact: pack.fix_values.contact.clone(),
    }
}

/// Whether the holder can only come from the organisation's display name: neither the pack
/// nor the preset names one. Fetching the name costs a request, so only then is it fetched.
pub fn needs_org_name(pack: &Pack) -> bool {
    pack.fix_values.holder.is_none() && template::copyright_holder(Some(&pack.name), None).is_none()
}

/// Plans the fixes for one opened repository.
pub fn plan(
    name: &str,
    source: Arc<dyn Source>,
    values: &Values,
    pack: &Pack,
    options: &AuditOptions,
    request: &FixRequest,
) -> Result<FixPlan, crate::Error> {
    let wanted = |rule: &str| request.rules.is_empty() || request.rules.iter().any(|r| r == rule);
    let mut changes = ChangeSet::default();
    let mut before = None;
    let mut blocked: Vec<Left> = Vec::new();
    let mut after = None;
    for _ in 0..MAX_ROUNDS {
        let report = audit_overlay(name, &source, pack, options, &changes)?;
        before.get_or_insert_with(|| report.clone());
        let declared =
            declares_a_licence_other_than_mit(&report).then(|| declared_licence_specs(pack));
        let fixes: Vec<RuleFix> = report
            .findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail && wanted(&f.rule))
            .filter_map(|f| {
                let rule = pack.rule(&f.rule)?;
                let spec = declared
                    .as_ref()
                    .and_then(|specs| specs.get(rule.id.as_str()))
                    .or(rule.fix.as_ref())?;
                Some(RuleFix {
                    rule: &rule.id,
                    reason: &rule.help,
                    spec,
                    headings: match &rule.check {
                        Check::ReadmeSection { headings, .. } => headings,
                        _ => &[],
                    },
                })
            })
            .collect();
        let snapshot = Snapshot::new(Box::new(SharedSource(source.clone())), options.limits)?;
        let tree = OverlayTree {
            snapshot: &snapshot,
            changes: &changes,
        };
        let mut planner = Planner::new(&tree, values, &template::builtin);
        let outcomes = planner
            .plan_all(&fixes)
            .map_err(|e| crate::Error::Other(e.to_string()))?;
        blocked = fixes
            .iter()
            .zip(&outcomes)
            .filter_map(|(fix, outcome)| match outcome {
                Planned::Blocked { why } => Some(Left {
                    rule: fix.rule.to_string(),
                    why: why.clone(),
                }),
                _ => None,
            })
            .collect();
        let round = planner.finish();
        if round.is_empty() {
            after = Some(report);
            break;
        }
        for change in round.changes() {
            changes
                .push(change.clone())
                .map_err(|e| crate::Error::Other(e.to_string()))?;
        }
    }
    let after = match after {
        Some(report) => report,
        None => audit_overlay(name, &source, pack, options, &changes)?,
    };
    let before = before.unwrap_or_else(|| after.clone());
    let by_hand = after
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .filter(|f| Category::parse(&f.category).is_some_and(Category::is_alarm))
        .filter(|f| pack.rule(&f.rule).is_some_and(|r| r.fix.is_none()))
        .map(|f| ByHand {
            rule: f.rule.clone(),
            message: f.message.clone(),
            help: f.help.clone(),
        })
        .collect();
    let left = after
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail && wanted(&f.rule))
        .filter(|f| pack.rule(&f.rule).is_some_and(|r| r.fix.is_some()))
        .map(|f| Left {
            rule: f.rule.clone(),
            why: blocked
                .iter()
                .find(|b| b.rule == f.rule)
                .map_or_else(|| f.message.clone(), |b| b.why.clone()),
        })
        .collect();
    Ok(FixPlan {
        name: name.to_string(),
        before,
        after,
        changes,
        by_hand,
        left,
    })
}

/// Whether the repository's licence files name a licence and none of them is MIT (Apache-2.0
/// or GPL-3.0 by the policy's exceptions, the OGL of a documentation repository, a licence
/// openly cannot identify): the README's licence section must not then say the code is MIT.
/// With no licence file at all, `licence/present`'s fix adds the MIT licence, so MIT is true.
fn declares_a_licence_other_than_mit(report: &RepoReport) -> bool {
    use crate::model::facts::licence::DeclaredIn;
    let mut files = report
        .facts
        .licences
        .iter()
        .filter(|fact| fact.declared_in == DeclaredIn::File)
        .peekable();
    files.peek().is_some() && files.all(|fact| fact.spdx != "MIT")
}

/// The pack's fixes that insert the MIT licence statement, pointing instead at the licence the
/// repository already declares (`readme-licence-declared`), by rule id.
fn declared_licence_specs(pack: &Pack) -> std::collections::HashMap<&str, FixSpec> {
    let mut specs = std::collections::HashMap::new();
    for rule in &pack.rules {
        if let Some(FixSpec::InsertSection { template, .. }) = &rule.fix
            && template == MIT_STATEMENT
            && let Some(mut spec) = rule.fix.clone()
        {
            if let FixSpec::InsertSection { template, .. } = &mut spec {
                *template = DECLARED_STATEMENT.to_string();
            }
            specs.insert(rule.id.as_str(), spec);
        }
    }
    specs
}

/// The README licence section that names MIT for the code, and the one that names the
/// repository's own licence file instead.
const MIT_STATEMENT: &str = "readme-licence";
const DECLARED_STATEMENT: &str = "readme-licence-declared";

fn audit_overlay(
    name: &str,
    source: &Arc<dyn Source>,
    pack: &Pack,
    options: &AuditOptions,
    changes: &ChangeSet,
) -> Result<RepoReport, crate::Error> {
    let overlay = OverlaySource::new(Box::new(SharedSource(source.clone())), changes.clone());
    let report = audit_source(name, Box::new(overlay), pack, options);
    match (&report.error, report.error_kind) {
        (Some(error), Some(crate::model::RepoErrorKind::Config)) => {
            Err(crate::Error::TargetConfig(name.to_string(), error.clone()))
        }
        (Some(error), _) => Err(crate::Error::Target(name.to_string(), error.clone())),
        (None, _) => Ok(report),
    }
}
