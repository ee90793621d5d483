//! The human report: per repository, the score, the verdicts by category and the top things
//! to fix with a one-line fix each. Colour only when the caller says the terminal wants it.

use std::io::{self, Write};

use super::{Emitter, RenderOptions};
use crate::checks::licence::rules::{declared_name, scope_name};
use crate::model::facts::licence::{DeclaredIn, LicenceFact, Scope};
use crate::model::{Finding, Outcome, Severity};
use crate::model::{RepoReport, Report};

pub struct TextEmitter;

/// How many fixes the summary lists per repository.
const TOP_FIXES: usize = 5;

pub(super) struct Paint {
    pub(super) color: bool,
}

impl Paint {
    pub(super) fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub(super) fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    pub(super) fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn outcome(&self, outcome: Outcome, severity: Severity) -> String {
        match outcome {
            Outcome::Pass => self.paint("32", "✓"),
            Outcome::Fail => match severity {
                Severity::Error => self.paint("31", "✗"),
                Severity::Warning => self.paint("33", "✗"),
                Severity::Info => self.paint("36", "✗"),
            },
            Outcome::NeedsReview => self.paint("35", "?"),
            Outcome::NotApplicable => self.dim("-"),
            Outcome::Error => self.paint("31", "!"),
            Outcome::Waived => self.dim("~"),
            Outcome::Baseline => self.dim("="),
        }
    }
    pub(super) fn severity(&self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("31", "error"),
            Severity::Warning => self.paint("33", "warning"),
            Severity::Info => self.paint("36", "info"),
        }
    }
}

fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "n/a".to_string(), |s| format!("{s:.0}"))
}

impl Emitter for TextEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, options: RenderOptions) -> io::Result<()> {
        let paint = Paint {
            color: options.color,
        };
        writeln!(
            out,
            "{} {} · rule pack {} {} · {} repositor{}",
            paint.bold("openly"),
            report.tool.version,
            report.rule_pack.name,
            report.rule_pack.version,
            report.summary.repos,
            if report.summary.repos == 1 {
                "y"
            } else {
                "ies"
            }
        )?;
        if !options.summary {
            for repo in &report.repos {
                writeln!(out)?;
                write_repo(out, &paint, repo)?;
            }
        }
        // An estate gets its overview after the per-repository blocks, where a long run ends
        // and the reader's eye lands; `--summary` prints it alone.
        if options.summary || report.repos.len() > 1 {
            writeln!(out)?;
            super::text_overview::write(out, &paint, report)?;
        }
        if let Some(pr) = &report.pr {
            writeln!(out)?;
            write_pr(out, &paint, pr)?;
        }
        writeln!(out)?;
        let mean = report
            .summary
            .mean_score
            .map_or_else(|| "n/a".to_string(), |m| format!("{m:.1}"));
        writeln!(
            out,
            "{} audited, {} errored · mean score {}",
            report.summary.audited, report.summary.errored, mean
        )?;
        writeln!(
            out,
            "{}",
            paint.dim("✓ pass  ✗ fail  ? needs review  - not applicable  ~ waived  = in baseline  ! check error · `openly explain RULE` for details")
        )
    }
}

/// Pull-request mode: what the change did, which is what the gate judges.
fn write_pr(out: &mut dyn Write, paint: &Paint, pr: &crate::model::PrSummary) -> io::Result<()> {
    let delta = pr
        .score_delta
        .map_or_else(|| "n/a".to_string(), |d| format!("{d:+.1}"));
    writeln!(
        out,
        "{} base {} scored {} · change {delta}",
        paint.bold("pull request"),
        pr.base.commit.get(..12).unwrap_or(&pr.base.commit),
        score_text(pr.base.score),
    )?;
    let new = pr.new_failures();
    if new.is_empty() {
        writeln!(out, "  no new failures")?;
    }
    for finding in new {
        writeln!(
            out,
            "  new   {} {} {} — {}",
            paint.outcome(finding.outcome, finding.severity),
            paint.severity(finding.severity),
            finding.rule,
            finding.message
        )?;
    }
    for finding in &pr.fixed {
        writeln!(out, "  fixed {} {}", paint.paint("32", "✓"), finding.rule)?;
    }
    Ok(())
}

fn write_repo(out: &mut dyn Write, paint: &Paint, repo: &RepoReport) -> io::Result<()> {
    if let Some(error) = &repo.error {
        writeln!(
            out,
            "{}  {}",
            paint.bold(&repo.name),
            paint.paint("31", "ERROR")
        )?;
        return writeln!(out, "  {error}");
    }
    let claim = match repo.rap.as_ref().and_then(|r| r.declared) {
        Some(declared) if declared > repo.rap_level => {
            format!(" (claims {}: not supported)", declared.as_str())
        }
        Some(declared) => format!(" (claims {})", declared.as_str()),
        None => String::new(),
    };
    writeln!(
        out,
        "{}  score {}/100 ({}) · RAP level: {}{claim}",
        paint.bold(&repo.name),
        // One decimal, as in the JSON: a rounded 80 next to a C (79.6) reads as a mistake.
        repo.score
            .map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}")),
        repo.grade,
        repo.rap_level.as_str()
    )?;
    if let Some(line) = licences_line(&repo.facts.licences) {
        writeln!(out, "  {}", paint.dim(&line))?;
    }
    for category in &repo.categories {
        let findings: Vec<&Finding> = repo
            .findings
            .iter()
            .filter(|f| f.category == category.id)
            .collect();
        let marks: Vec<String> = findings
            .iter()
            .map(|f| {
                let name = f.rule.split_once('/').map_or(f.rule.as_str(), |(_, n)| n);
                format!("{} {name}", paint.outcome(f.outcome, f.severity))
            })
            .collect();
        writeln!(
            out,
            "  {:<11} {:>3}  {}",
            category.id,
            score_text(category.score),
            marks.join("  ")
        )?;
    }
    if let Some(rap) = &repo.rap
        && let Some(next) = &rap.next
        && !next.steps.is_empty()
    {
        writeln!(out, "  to reach RAP {}:", next.level.as_str())?;
        for (index, step) in next.steps.iter().enumerate() {
            writeln!(out, "    {}. {step}", index + 1)?;
        }
    }
    let fixes = repo.top_fixes();
    write_fixes(out, paint, &fixes)?;
    write_accepted(out, paint, repo)
}

fn write_fixes(out: &mut dyn Write, paint: &Paint, fixes: &[&Finding]) -> io::Result<()> {
    if fixes.is_empty() {
        return writeln!(out, "  nothing to fix");
    }
    writeln!(out, "  top fixes:")?;
    for finding in fixes.iter().take(TOP_FIXES) {
        writeln!(
            out,
            "    {} {} — {}",
            paint.severity(finding.severity),
            paint.bold(&finding.rule),
            finding.message
        )?;
        writeln!(out, "      fix: {}", finding.help)?;
        for evidence in finding.evidence.iter().take(3) {
            let location = match (&evidence.path, evidence.line) {
                (Some(path), Some(line)) => format!("{path}:{line}"),
                (Some(path), None) => path.clone(),
                _ => String::new(),
            };
            let detail = evidence.excerpt.as_deref().unwrap_or("");
            let known = if evidence.baseline {
                "(in baseline)"
            } else {
                ""
            };
            let line = [location.as_str(), detail, known]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(": ");
            if !line.is_empty() {
                writeln!(out, "      {}", paint.dim(&line))?;
            }
        }
    }
    if fixes.len() > TOP_FIXES {
        writeln!(
            out,
            "    … and {} more failed rules",
            fixes.len() - TOP_FIXES
        )?;
    }
    Ok(())
}

/// What a person accepted: waived findings with their reason and expiry, and failures that the
/// `--baseline` already had. Shown so that nothing accepted is hidden.
fn write_accepted(out: &mut dyn Write, paint: &Paint, repo: &RepoReport) -> io::Result<()> {
    let waived: Vec<&Finding> = repo
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Waived)
        .collect();
    if !waived.is_empty() {
        writeln!(out, "  waived:")?;
    }
    for finding in waived {
        let reason = finding.waiver.as_deref().unwrap_or("");
        let detail = match &finding.allowed_by {
            Some(by) => match &by.expires {
                Some(day) => format!(" (until {day}; {})", by.source),
                None => format!(" ({})", by.source),
            },
            None => String::new(),
        };
        writeln!(
            out,
            "    {} {} — {reason}{}",
            paint.outcome(finding.outcome, finding.severity),
            finding.rule,
            paint.dim(&detail)
        )?;
    }
    let known: Vec<&str> = repo
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Baseline)
        .map(|f| f.rule.as_str())
        .collect();
    if !known.is_empty() {
        writeln!(
            out,
            "  {}",
            paint.dim(&format!(
                "in baseline, not gated ({}): {}",
                known.len(),
                known.join(", ")
            ))
        )?;
    }
    Ok(())
}

/// How many licence declarations the summary line shows before "and N more".
const LICENCES_SHOWN: usize = 6;

/// One line naming each licence by scope, with where it was first declared and how surely:
/// `licences: code MIT (LICENSE, 0.99) · docs OGL-UK-3.0 (README.md:40, readme, 0.95)`.
fn licences_line(facts: &[LicenceFact]) -> Option<String> {
    let mut seen: Vec<(Scope, &str)> = Vec::new();
    let mut parts = Vec::new();
    for fact in facts {
        if seen.contains(&(fact.scope, fact.spdx.as_str())) {
            continue;
        }
        seen.push((fact.scope, fact.spdx.as_str()));
        let place = match fact.line {
            Some(line) if fact.declared_in != DeclaredIn::File => format!("{}:{line}", fact.path),
            _ => fact.path.clone(),
        };
        let how = if fact.declared_in == DeclaredIn::File {
            String::new()
        } else {
            format!(", {}", declared_name(fact.declared_in))
        };
        let closest = fact
            .closest
            .as_ref()
            .map(|c| format!(", closest {} {:.2}", c.spdx, c.score))
            .unwrap_or_default();
        parts.push(format!(
            "{} {} ({place}{how}, {:.2}{closest})",
            scope_name(fact.scope),
            fact.spdx,
            fact.confidence
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let more = parts.len().saturating_sub(LICENCES_SHOWN);
    parts.truncate(LICENCES_SHOWN);
    if more > 0 {
        parts.push(format!("and {more} more"));
    }
    Some(format!("licences: {}", parts.join(" · ")))
}
