//! The Markdown report for an estate: the overview first (repositories by score, the rules that
//! fail most, what needs attention first, the exemplars), then one folded section per
//! repository with its failures. It is meant to be pasted as a GitHub issue, a wiki page or a
//! job summary, so it stays under GitHub's 65,536-character limit for an issue or comment
//! body: long tables are cut and the sections that do not fit are left out, each with a note
//! that says so.

use std::fmt::Write as _;

use super::estate::{Estate, RankedRepo};
use super::markdown::{escape, icon, locations};
use crate::model::{RepoReport, Report};

/// GitHub's limit for an issue or comment body. Counted here in bytes, which are never fewer
/// than characters, so a report within it in bytes is within it in characters too.
pub const GITHUB_BODY_LIMIT: usize = 65_536;

/// Room kept for the closing notes and the footer.
const CLOSING_RESERVE: usize = 1_024;
/// The overview's share of the limit; the per-repository sections get the rest.
const OVERVIEW_BUDGET: usize = 40_000;
/// Rules listed under "rules that fail most".
const FAILING_RULES_SHOWN: usize = 15;

/// The estate report; `summary` leaves out the per-repository sections.
pub fn render(report: &Report, summary: bool) -> String {
    let estate = Estate::of(report);
    let mut md = String::new();
    let _ = writeln!(md, "# openly: estate report\n");
    let mean = report
        .summary
        .mean_score
        .map_or_else(|| "n/a".to_string(), |m| format!("{m:.1}"));
    let _ = writeln!(
        md,
        "**{} repositories**: {} audited, {} could not be audited · mean score **{mean}**\n",
        report.summary.repos, report.summary.audited, report.summary.errored
    );
    let mut budget = Budget {
        limit: OVERVIEW_BUDGET,
    };
    ranking(&mut md, &estate, &mut budget);
    failing_rules(&mut md, &estate, report.summary.audited);
    attention(&mut md, &estate, &mut budget);
    exemplars(&mut md, &estate);
    if !summary {
        sections(&mut md, report);
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

/// How long the overview may grow.
struct Budget {
    limit: usize,
}

impl Budget {
    fn fits(&self, md: &str, more: &str) -> bool {
        md.len() + more.len() <= self.limit
    }
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
}

/// Text for inside HTML elements (`<summary>`), where Markdown escapes would show as written.
fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '@' => out.push_str("&#64;"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn ranking(md: &mut String, estate: &Estate, budget: &mut Budget) {
    if estate.ranking.is_empty() {
        return;
    }
    md.push_str("## Repositories by score\n\n");
    md.push_str("| # | Repository | Score | Grade | RAP level | Licence | Errors | Warnings |\n");
    md.push_str("|---:|---|---:|---|---|---|---:|---:|\n");
    let rows: &[RankedRepo] = &estate.ranking;
    for (index, row) in rows.iter().enumerate() {
        let line = format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            index + 1,
            escape(&row.repo.name),
            score(row.score),
            escape(&row.repo.grade),
            row.repo.rap_level.as_str(),
            escape(&row.licence),
            row.errors,
            row.warnings
        );
        if !budget.fits(md, &line) {
            let _ = writeln!(
                md,
                "\n… and {} more repositories, not listed to stay within GitHub's size limit: \
                 the JSON, CSV and HTML reports list them all.",
                rows.len() - index
            );
            break;
        }
        md.push_str(&line);
    }
    md.push('\n');
}

fn failing_rules(md: &mut String, estate: &Estate, audited: usize) {
    md.push_str("## Rules that fail most\n\n");
    if estate.failing_rules.is_empty() {
        md.push_str("No rule fails in any repository.\n\n");
        return;
    }
    let _ = writeln!(
        md,
        "| Repositories failing (of {audited}) | Rule | Severity | What it checks |"
    );
    md.push_str("|---:|---|---|---|\n");
    for rule in estate.failing_rules.iter().take(FAILING_RULES_SHOWN) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            rule.repos,
            escape(rule.rule),
            rule.severity.as_str(),
            escape(rule.title)
        );
    }
    match estate
        .failing_rules
        .len()
        .saturating_sub(FAILING_RULES_SHOWN)
    {
        0 => {}
        1 => md.push_str("\n… and 1 more failing rule.\n"),
        more => {
            let _ = writeln!(md, "\n… and {more} more failing rules.");
        }
    }
    md.push('\n');
}

fn attention(md: &mut String, estate: &Estate, budget: &mut Budget) {
    md.push_str("## Needs attention first\n\n");
    if estate.attention.is_empty() {
        md.push_str("No repository fails a personal-data or secrets rule.\n\n");
    } else {
        md.push_str("Repositories that may publish patient data or secrets:\n\n");
        // The overview's budget is spent by now on a large estate; this list matters more than
        // the ranking, so it may use up to the per-repository share as well.
        budget.limit = GITHUB_BODY_LIMIT - CLOSING_RESERVE * 4;
        for (index, item) in estate.attention.iter().enumerate() {
            let rules: Vec<String> = item
                .findings
                .iter()
                .map(|f| format!("{} ({})", escape(&f.rule), f.severity.as_str()))
                .collect();
            let line = format!("- **{}**: {}\n", escape(&item.repo.name), rules.join(", "));
            if !budget.fits(md, &line) {
                let _ = writeln!(
                    md,
                    "- … and {} more: the JSON, CSV and HTML reports list them all.",
                    estate.attention.len() - index
                );
                break;
            }
            md.push_str(&line);
        }
        md.push('\n');
    }
    if !estate.errored.is_empty() {
        md.push_str("Could not be audited:\n\n");
        for (index, repo) in estate.errored.iter().enumerate() {
            let line = format!(
                "- **{}**: {}\n",
                escape(&repo.name),
                escape(repo.error.as_deref().unwrap_or(""))
            );
            if !budget.fits(md, &line) {
                let _ = writeln!(md, "- … and {} more.", estate.errored.len() - index);
                break;
            }
            md.push_str(&line);
        }
        md.push('\n');
    }
}

fn exemplars(md: &mut String, estate: &Estate) {
    md.push_str("## Exemplars\n\n");
    let overall = estate.overall_exemplars();
    if overall.is_empty() {
        md.push_str(
            "None yet: an exemplar is a repository with no failed error-severity rule.\n\n",
        );
        return;
    }
    md.push_str("Case studies to learn from: the repositories that meet the playbook best.\n\n");
    let names: Vec<String> = overall
        .iter()
        .map(|r| format!("**{}** ({})", escape(&r.repo.name), score(r.score)))
        .collect();
    let _ = writeln!(md, "- Overall: {}", names.join(", "));
    for best in &estate.category_exemplars {
        let names: Vec<String> = best
            .repos
            .iter()
            .map(|r| format!("**{}**", escape(&r.name)))
            .collect();
        let _ = writeln!(
            md,
            "- {}: {} ({:.0})",
            escape(best.category),
            names.join(", "),
            best.score
        );
    }
    md.push('\n');
}

/// One folded section per repository, as many as fit under GitHub's limit.
fn sections(md: &mut String, report: &Report) {
    md.push_str("## Repositories\n\n");
    let limit = GITHUB_BODY_LIMIT - CLOSING_RESERVE;
    let mut left_out = 0;
    for repo in &report.repos {
        let section = section(repo);
        if left_out > 0 || md.len() + section.len() > limit {
            left_out += 1;
            continue;
        }
        md.push_str(&section);
    }
    if left_out > 0 {
        let _ = writeln!(
            md,
            "{left_out} more repositories are left out to stay within GitHub's 65,536-character \
             limit: the JSON, CSV and HTML reports have every finding.\n"
        );
    }
}

fn section(repo: &RepoReport) -> String {
    let mut md = String::new();
    if let Some(error) = &repo.error {
        let _ = writeln!(
            md,
            "<details><summary><b>{}</b>: could not be audited</summary>\n\n❗ {}\n\n</details>\n",
            html_text(&repo.name),
            escape(error)
        );
        return md;
    }
    let failures = repo.top_fixes();
    let _ = writeln!(
        md,
        "<details><summary><b>{}</b>: score {} ({}) · RAP level {} · {} failure{}</summary>\n",
        html_text(&repo.name),
        score(repo.score),
        html_text(&repo.grade),
        repo.rap_level.as_str(),
        failures.len(),
        if failures.len() == 1 { "" } else { "s" }
    );
    if failures.is_empty() {
        md.push_str("No failures.\n");
    }
    for finding in failures {
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
        md.push('\n');
    }
    md.push_str("\n</details>\n\n");
    md
}
