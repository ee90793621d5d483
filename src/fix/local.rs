//! `openly fix` on a local work tree: audit, plan the fixes of the failing rules, audit again
//! as if they were written, and repeat while that makes a new fix possible (a README section
//! can only be added once a README exists). Nothing is written until [`write`] is called, and
//! it writes through one place that refuses to touch a file that changed since it was read.
//!
//! Fix reads the files on disk (uncommitted edits included), not a git revision: it writes
//! files, so it must start from what is there.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::change::{ChangeSet, Planned, Planner, RuleFix};
use super::overlay::{OverlaySource, OverlayTree};
use super::template::{self, Values};
use crate::audit::{AuditOptions, audit_source};
use crate::model::{Category, Outcome, RepoReport};
use crate::pack::{Check, Pack};
use crate::snapshot::Snapshot;
use crate::source::discover;
use crate::source::local::LocalSource;

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
    pub root: PathBuf,
    pub before: RepoReport,
    /// The audit of the repository as it would be after the changes.
    pub after: RepoReport,
    pub changes: ChangeSet,
    /// Personal data and secrets: never fixed, only explained.
    pub by_hand: Vec<ByHand>,
    pub left: Vec<Left>,
}

/// Plans the fixes for the one repository at `target`.
pub fn plan(
    target: &Path,
    pack: &Pack,
    options: &AuditOptions,
    request: &FixRequest,
) -> Result<FixPlan, crate::Error> {
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
    let candidates = discover::expand(target)?;
    let [candidate] = candidates.as_slice() else {
        return Err(crate::Error::Usage(format!(
            "`openly fix` works on one repository at a time; {} holds {}: fix each of them",
            target.display(),
            candidates.len()
        )));
    };
    let root = candidate.path.clone();
    if candidate.is_git && !root.join(".git").exists() {
        return Err(crate::Error::Usage(format!(
            "{} is a bare repository: there is no work tree to fix",
            root.display()
        )));
    }
    let values = Values {
        year: Some(request.year.clone()),
        holder: pack
            .fix_values
            .holder
            .clone()
            .or_else(|| template::copyright_holder(Some(&pack.name), None)),
        repo: Some(candidate.name.clone()),
        contact: pack.fix_values.contact.clone(),
    };
    let wanted = |rule: &str| request.rules.is_empty() || request.rules.iter().any(|r| r == rule);

    let mut changes = ChangeSet::default();
    let mut before = None;
    let mut blocked: Vec<Left> = Vec::new();
    let mut after = None;
    for _ in 0..MAX_ROUNDS {
        let report = audit_overlay(&candidate.name, &root, pack, options, &changes)?;
        before.get_or_insert_with(|| report.clone());
        let fixes: Vec<RuleFix> = report
            .findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail && wanted(&f.rule))
            .filter_map(|f| {
                let rule = pack.rule(&f.rule)?;
                Some(RuleFix {
                    rule: &rule.id,
                    reason: &rule.help,
                    spec: rule.fix.as_ref()?,
                    headings: match &rule.check {
                        Check::ReadmeSection { headings, .. } => headings,
                        _ => &[],
                    },
                })
            })
            .collect();
        let snapshot = Snapshot::new(Box::new(LocalSource::new(&root)), options.limits)?;
        let tree = OverlayTree {
            snapshot: &snapshot,
            changes: &changes,
        };
        let mut planner = Planner::new(&tree, &values, &template::builtin);
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
        None => audit_overlay(&candidate.name, &root, pack, options, &changes)?,
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
        name: candidate.name.clone(),
        root,
        before,
        after,
        changes,
        by_hand,
        left,
    })
}

fn audit_overlay(
    name: &str,
    root: &Path,
    pack: &Pack,
    options: &AuditOptions,
    changes: &ChangeSet,
) -> Result<RepoReport, crate::Error> {
    let source = OverlaySource::new(Box::new(LocalSource::new(root)), changes.clone());
    let report = audit_source(name, Box::new(source), pack, options);
    match &report.error {
        Some(error) => Err(crate::Error::Target(
            root.display().to_string(),
            error.clone(),
        )),
        None => Ok(report),
    }
}

/// Writes every changed file under `root`. Each file must still be what the plan read (a
/// regular file with the same bytes, or absent for a new file), so work done meanwhile is
/// never overwritten; a file that fails the check is skipped and named in the error. Returns
/// the paths written.
pub fn write(root: &Path, changes: &ChangeSet) -> Result<Vec<String>, crate::Error> {
    let mut written = Vec::new();
    let mut refused = Vec::new();
    for file in changes.files() {
        let path = root.join(file.path);
        let unchanged = match (std::fs::symlink_metadata(&path), file.before) {
            (Err(error), None) if error.kind() == std::io::ErrorKind::NotFound => true,
            (Ok(meta), Some(before)) if meta.file_type().is_file() => {
                let mut now = Vec::new();
                std::fs::File::open(&path)?.read_to_end(&mut now)?;
                now == before
            }
            _ => false,
        };
        if !unchanged {
            refused.push(file.path.to_string());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::output::write(&path, file.after)?;
        written.push(file.path.to_string());
    }
    if refused.is_empty() {
        Ok(written)
    } else {
        Err(crate::Error::Other(format!(
            "changed since they were read, so left alone: {} (wrote {})",
            refused.join(", "),
            if written.is_empty() {
                "nothing".to_string()
            } else {
                written.join(", ")
            }
        )))
    }
}
