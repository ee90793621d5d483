//! What `openly fix` tells a person: the changes by file with their rules, the score before
//! and after, the `TODO(openly):` markers left to fill in, what must be done by hand, and what
//! is still failing. Returned as text; the binary prints it.

use std::fmt::Write;

use super::plan::FixPlan;
use super::template::{Marker, markers};
use crate::model::RepoReport;

/// A report's score and grade as the summary shows it.
pub fn score(report: &RepoReport) -> String {
    match report.score {
        Some(score) => format!("{score:.1} ({})", report.grade),
        None => "not scored".to_string(),
    }
}

/// How far the changes got, for the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Planned, not written (`--dry-run`, or not confirmed).
    Planned,
    /// Written to the work tree.
    Written,
    /// Committed to a pull request's branch.
    Proposed,
}

/// The summary of a plan; `after` is the audit after writing when the changes were written,
/// or the plan's own audit of the changes when they were not.
pub fn render(plan: &FixPlan, after: &RepoReport, written: bool) -> String {
    let stage = if written {
        Stage::Written
    } else {
        Stage::Planned
    };
    render_stage(plan, after, stage)
}

/// [`render`] in the words of any [`Stage`].
pub fn render_stage(plan: &FixPlan, after: &RepoReport, stage: Stage) -> String {
    let mut out = String::new();
    let files = plan.changes.files();
    let _ = writeln!(out, "openly fix: {}", plan.name);
    if files.is_empty() {
        let _ = writeln!(
            out,
            "  nothing to fix: no failing rule has a fix that applies"
        );
    } else {
        let verb = match stage {
            Stage::Planned => "would change",
            Stage::Written => "changed",
            Stage::Proposed => "the pull request changes",
        };
        let _ = writeln!(out, "  {verb} {} file{}:", files.len(), plural(files.len()));
        for file in &files {
            let mut rules: Vec<&str> = file.changes.iter().map(|c| c.rule.as_str()).collect();
            rules.dedup();
            let what = if file.before.is_none() {
                "new file"
            } else {
                "lines added"
            };
            let _ = writeln!(out, "    {} ({what}; {})", file.path, rules.join(", "));
        }
        let what = match stage {
            Stage::Planned => "score if written",
            Stage::Written => "score",
            Stage::Proposed => "score once merged",
        };
        let _ = writeln!(out, "  {what}: {} -> {}", score(&plan.before), score(after));
    }
    let markers = new_markers(plan);
    if !markers.is_empty() {
        let _ = writeln!(
            out,
            "  {} place{} for you to fill in (search for TODO(openly):):",
            markers.len(),
            plural(markers.len())
        );
        for (path, marker) in &markers {
            let _ = writeln!(out, "    {path}:{}: {}", marker.line, marker.text);
        }
    }
    if !plan.by_hand.is_empty() {
        let _ = writeln!(
            out,
            "  to do by hand (openly never edits or deletes these):"
        );
        for item in &plan.by_hand {
            let _ = writeln!(out, "    {}: {}", item.rule, item.message);
            let _ = writeln!(out, "      -> {}", item.help);
        }
    }
    if !plan.left.is_empty() {
        let _ = writeln!(out, "  still failing:");
        for left in &plan.left {
            let _ = writeln!(out, "    {}: {}", left.rule, left.why);
        }
    }
    out
}

/// The markers the changes add, with their lines in the final files (a marker already in the
/// file before is the author's, not this run's).
pub fn new_markers(plan: &FixPlan) -> Vec<(String, Marker)> {
    let mut found = Vec::new();
    for file in plan.changes.files() {
        let after = String::from_utf8_lossy(file.after);
        let mut old: Vec<String> = file
            .before
            .map(|b| markers(&String::from_utf8_lossy(b)))
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.text)
            .collect();
        for marker in markers(&after) {
            match old.iter().position(|text| *text == marker.text) {
                Some(index) => {
                    old.remove(index);
                }
                None => found.push((file.path.to_string(), marker)),
            }
        }
    }
    found
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
