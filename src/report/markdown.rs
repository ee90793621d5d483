//! A Markdown report: the score and its delta, grade, RAP level, new failures, fixed findings
//! and a collapsible full table. The same text is the job summary on the run page and the
//! sticky pull-request comment, so a reviewer reads one thing everywhere.
//!
//! Repository text (messages, masked excerpts, paths) is escaped so it cannot break the table,
//! inject HTML into the comment, or @-mention people.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Emitter, RenderOptions};
use crate::model::{Finding, Outcome, Severity};
use crate::model::{RepoReport, Report};

pub struct MarkdownEmitter;

/// Failures listed per repository in a full (not PR) audit before the table takes over.
const TOP_FIXES: usize = 10;

impl Emitter for MarkdownEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, options: RenderOptions) -> io::Result<()> {
        out.write_all(render_with(report, options.summary).as_bytes())
    }
}

/// The whole report as Markdown.
pub fn render(report: &Report) -> String {
    render_with(report, false)
}

/// The report as Markdown; `summary` keeps only the estate overview. An estate (more than one
/// repository, outside pull-request mode) starts with its overview.
pub fn render_with(report: &Report, summary: bool) -> String {
    if report.pr.is_none() && (summary || report.repos.len() > 1) {
        return super::markdown_overview::render(report, summary);
    }
    let mut md = String::new();
    match (&report.pr, report.repos.first()) {
        (Some(_), Some(repo)) => pr_section(&mut md, report, repo),
        _ => {
            for repo in &report.repos {
                repo_section(&mut md, repo);
            }
        }
    }
    let _ = writeln!(
        md,
        "<sub>openly {} · rule pack {} {}</sub>",
        escape(&report.tool.version),
        escape(&report.rule_pack.name),
        escape(&report.rule_pack.version)
    );
    md
}

/// Escapes text for a Markdown table cell or list item.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |s| format!("{s:.0}"))
}

fn delta(value: Option<f64>) -> String {
    match value {
        Some(d) if d > 0.0 => format!("▲ +{d:.1}"),
        Some(d) if d < 0.0 => format!("▼ {d:.1}"),
        Some(_) => "±0".to_string(),
        None => "n/a".to_string(),
    }
}

pub(super) fn icon(finding: &Finding) -> &'static str {
    match (finding.outcome, finding.severity) {
        (Outcome::Pass, _) => "✅",
        (Outcome::Fail, Severity::Error) => "❌",
        (Outcome::Fail, Severity::Warning) => "⚠️",
        (Outcome::Fail, Severity::Info) => "ℹ️",
        (Outcome::NeedsReview, _) => "🔍",
        (Outcome::Error, _) => "❗",
        (Outcome::NotApplicable | Outcome::Waived, _) => "➖",
        (Outcome::Baseline, _) => "⚪",
    }
}

/// Why a waived finding is allowed, and until when: shown wherever the finding is.
fn waiver_note(finding: &Finding) -> Option<String> {
    if finding.outcome != Outcome::Waived {
        return None;
    }
    let mut note = format!(
        "Waived: {}",
        escape(finding.waiver.as_deref().unwrap_or(""))
    );
    if let Some(by) = &finding.allowed_by {
        match &by.expires {
            Some(day) => {
                let _ = write!(note, " (until {}; {})", escape(day), escape(&by.source));
            }
            None => {
                let _ = write!(note, " ({})", escape(&by.source));
            }
        }
    }
    Some(note)
}

pub(super) fn locations(finding: &Finding) -> String {
    let mut parts = Vec::new();
    for evidence in finding.evidence.iter().take(5) {
        let mut part = match (&evidence.path, evidence.line) {
            (Some(path), Some(line)) => format!("<code>{}:{line}</code>", escape(path)),
            (Some(path), None) => format!("<code>{}</code>", escape(path)),
            _ => String::new(),
        };
        if let Some(excerpt) = evidence.excerpt.as_deref().filter(|e| !e.is_empty()) {
            if !part.is_empty() {
                part.push(' ');
            }
            part.push_str(&escape(excerpt));
        }
        if !part.is_empty() {
            parts.push(part);
        }
    }
    if finding.evidence.len() > 5 {
        parts.push(format!("and {} more", finding.evidence.len() - 5));
    }
    parts.join("; ")
}

fn item(md: &mut String, finding: &Finding) {
    let _ = write!(
        md,
        "- {} **{}** ({}): {}",
        icon(finding),
        escape(&finding.rule),
        finding.severity.as_str(),
        escape(&finding.message)
    );
    let at = locations(finding);
    if !at.is_empty() {
        let _ = write!(md, " ({at})");
    }
    if finding.outcome == Outcome::Fail && !finding.help.is_empty() {
        let _ = write!(md, "<br>Fix: {}", escape(&finding.help));
    }
    md.push('\n');
}

fn pr_section(md: &mut String, report: &Report, repo: &RepoReport) {
    let Some(pr) = &report.pr else { return };
    let new_failures = pr.new_failures();
    let _ = writeln!(md, "## openly: {}\n", escape(&repo.name));
    let _ = writeln!(md, "| | base | head |\n|---|---|---|");
    let _ = writeln!(
        md,
        "| Score | {} | **{}** ({}) |",
        score(pr.base.score),
        score(repo.score),
        delta(pr.score_delta)
    );
    let _ = writeln!(
        md,
        "| Grade | {} | **{}** |",
        escape(&pr.base.grade),
        escape(&repo.grade)
    );
    let _ = writeln!(md, "| RAP level | | {} |", repo.rap_level.as_str());
    let _ = writeln!(
        md,
        "| Commit | <code>{}</code> | <code>{}</code> |\n",
        short(&pr.base.commit),
        short(&pr.head.commit)
    );
    if new_failures.is_empty() {
        md.push_str("**No new failures.** This change makes nothing worse.\n\n");
    } else {
        let _ = writeln!(md, "### New failures ({})\n", new_failures.len());
        for finding in &new_failures {
            item(md, finding);
        }
        md.push('\n');
    }
    if !pr.fixed.is_empty() {
        let _ = writeln!(md, "### Fixed ({})\n", pr.fixed.len());
        for finding in &pr.fixed {
            let _ = writeln!(
                md,
                "- ✅ **{}**: {}",
                escape(&finding.rule),
                escape(&finding.title)
            );
        }
        md.push('\n');
    }
    table(md, repo);
}

fn short(commit: &str) -> String {
    escape(commit.get(..12).unwrap_or(commit))
}

fn repo_section(md: &mut String, repo: &RepoReport) {
    let _ = writeln!(md, "## openly: {}\n", escape(&repo.name));
    if let Some(error) = &repo.error {
        let _ = writeln!(md, "❗ Could not be audited: {}\n", escape(error));
        return;
    }
    let _ = writeln!(
        md,
        "**Score {}** · grade **{}** · RAP level **{}**\n",
        score(repo.score),
        escape(&repo.grade),
        repo.rap_level.as_str()
    );
    let failures = repo.top_fixes();
    if failures.is_empty() {
        md.push_str("No failures.\n\n");
    } else {
        let _ = writeln!(md, "### Failures ({})\n", failures.len());
        for finding in failures.iter().take(TOP_FIXES) {
            item(md, finding);
        }
        if failures.len() > TOP_FIXES {
            let _ = writeln!(
                md,
                "- and {} more in the table below",
                failures.len() - TOP_FIXES
            );
        }
        md.push('\n');
    }
    accepted(md, repo);
    table(md, repo);
}

/// Waived findings with their reason and expiry, and the count of failures the baseline knew.
fn accepted(md: &mut String, repo: &RepoReport) {
    let waived: Vec<&Finding> = repo
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Waived)
        .collect();
    if !waived.is_empty() {
        let _ = writeln!(md, "### Waived ({})\n", waived.len());
        for finding in waived {
            let _ = writeln!(
                md,
                "- ➖ **{}**: {}",
                escape(&finding.rule),
                waiver_note(finding).unwrap_or_default()
            );
        }
        md.push('\n');
    }
    let known = repo
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Baseline)
        .count();
    if known > 0 {
        let _ = writeln!(
            md,
            "⚪ {known} failure{} already in the baseline (not gated; listed in the table).\n",
            if known == 1 { "" } else { "s" }
        );
    }
}

fn table(md: &mut String, repo: &RepoReport) {
    let _ = writeln!(
        md,
        "<details><summary>All findings ({})</summary>\n",
        repo.findings.len()
    );
    md.push_str("| | Rule | Outcome | Severity | Message | Where |\n|---|---|---|---|---|---|\n");
    for finding in &repo.findings {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            icon(finding),
            escape(&finding.rule),
            finding.outcome.as_str(),
            finding.severity.as_str(),
            match waiver_note(finding) {
                Some(note) => format!("{}<br>{note}", escape(&finding.message)),
                None => escape(&finding.message),
            },
            locations(finding)
        );
    }
    md.push_str("\n</details>\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_tables_and_comments_safe() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>"), "&lt;script&gt;");
        assert_eq!(escape("@team"), "&#64;team");
        assert_eq!(escape("x\r\ny"), "x<br>y");
    }
}
