//! The estate overview in the text report: repositories by score, the rules that fail most,
//! the repositories that need attention first and the exemplars. It is what a reader of a
//! 35-repository run wants before (or instead of, with `--summary`) 35 blocks of detail.

use std::io::{self, Write};

use super::estate::{Estate, RankedRepo};
use super::text::Paint;
use crate::model::Report;

/// Rules listed under "rules that fail most".
const FAILING_RULES_SHOWN: usize = 10;

pub(super) fn write(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    let estate = Estate::of(report);
    let mean = report
        .summary
        .mean_score
        .map_or_else(|| "n/a".to_string(), |m| format!("{m:.1}"));
    writeln!(
        out,
        "{} · {} repositor{}: {} audited, {} could not be audited · mean score {mean}",
        paint.bold("estate overview"),
        report.summary.repos,
        if report.summary.repos == 1 {
            "y"
        } else {
            "ies"
        },
        report.summary.audited,
        report.summary.errored,
    )?;
    ranking(out, paint, &estate)?;
    failing_rules(out, paint, &estate, report.summary.audited)?;
    attention(out, paint, &estate)?;
    exemplars(out, paint, &estate)
}

fn width<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> usize {
    cells
        .map(|c| c.chars().count())
        .chain([header.chars().count()])
        .max()
        .unwrap_or(0)
}

fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
}

fn ranking(out: &mut dyn Write, paint: &Paint, estate: &Estate) -> io::Result<()> {
    if estate.ranking.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.bold("repositories by score"))?;
    let rows: &[RankedRepo] = &estate.ranking;
    let name_width = width("repository", rows.iter().map(|r| r.repo.name.as_str()));
    let licence_width = width("licence", rows.iter().map(|r| r.licence.as_str()));
    let rank_width = rows.len().to_string().len().max(1);
    writeln!(
        out,
        "  {}  {}  score  grade  RAP       {}  errors  warnings",
        pad("#", rank_width),
        pad("repository", name_width),
        pad("licence", licence_width),
    )?;
    for (index, row) in rows.iter().enumerate() {
        writeln!(
            out,
            "  {:>rank_width$}  {}  {:>5}  {}  {}  {}  {:>6}  {:>8}",
            index + 1,
            pad(&row.repo.name, name_width),
            score(row.score),
            pad(&row.repo.grade, 5),
            pad(row.repo.rap_level.as_str(), 8),
            pad(&row.licence, licence_width),
            row.errors,
            row.warnings,
        )?;
    }
    Ok(())
}

fn failing_rules(
    out: &mut dyn Write,
    paint: &Paint,
    estate: &Estate,
    audited: usize,
) -> io::Result<()> {
    writeln!(out)?;
    if estate.failing_rules.is_empty() {
        return writeln!(out, "{}: none", paint.bold("rules that fail most"));
    }
    writeln!(
        out,
        "{} (repositories failing, of {audited} audited)",
        paint.bold("rules that fail most")
    )?;
    let shown = &estate.failing_rules[..estate.failing_rules.len().min(FAILING_RULES_SHOWN)];
    let rule_width = width("", shown.iter().map(|r| r.rule));
    let count_width = shown
        .iter()
        .map(|r| r.repos.to_string().len())
        .max()
        .unwrap_or(1);
    for rule in shown {
        // Padded outside the paint: escape codes would count towards the width.
        let padding = " ".repeat(7 - rule.severity.as_str().len());
        writeln!(
            out,
            "  {:>count_width$}  {}  {}{padding}  {}",
            rule.repos,
            pad(rule.rule, rule_width),
            paint.severity(rule.severity),
            rule.title
        )?;
    }
    match estate.failing_rules.len() - shown.len() {
        0 => {}
        1 => writeln!(out, "  … and 1 more failing rule")?,
        more => writeln!(out, "  … and {more} more failing rules")?,
    }
    Ok(())
}

fn attention(out: &mut dyn Write, paint: &Paint, estate: &Estate) -> io::Result<()> {
    writeln!(out)?;
    let title = paint.bold("needs attention first");
    if estate.attention.is_empty() {
        writeln!(
            out,
            "{title}: no repository fails a personal-data or secrets rule"
        )?;
    } else {
        writeln!(out, "{title}: possible patient data or secrets")?;
        let name_width = width("", estate.attention.iter().map(|a| a.repo.name.as_str()));
        for item in &estate.attention {
            let rules: Vec<String> = item
                .findings
                .iter()
                .map(|f| format!("{} ({})", f.rule, f.severity.as_str()))
                .collect();
            writeln!(
                out,
                "  {}  {}",
                pad(&item.repo.name, name_width),
                rules.join(", ")
            )?;
        }
    }
    if !estate.errored.is_empty() {
        writeln!(out, "{}", paint.bold("could not be audited"))?;
        for repo in &estate.errored {
            // A configuration error lists its problems a line each; keep them under the name.
            let error = repo.error.as_deref().unwrap_or("").replace('\n', "\n    ");
            writeln!(out, "  {}: {error}", repo.name)?;
        }
    }
    Ok(())
}

fn exemplars(out: &mut dyn Write, paint: &Paint, estate: &Estate) -> io::Result<()> {
    writeln!(out)?;
    let overall = estate.overall_exemplars();
    let title = paint.bold("exemplars");
    if overall.is_empty() {
        return writeln!(
            out,
            "{title}: none yet (an exemplar has no failed error-severity rule)"
        );
    }
    writeln!(out, "{title}: case studies to learn from")?;
    let names: Vec<String> = overall
        .iter()
        .map(|r| format!("{} {}", r.repo.name, score(r.score)))
        .collect();
    // The label column fits the longest category name, whatever categories the pack has.
    let label_width = estate
        .category_exemplars
        .iter()
        .map(|best| best.category.chars().count())
        .chain(["overall".len()])
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "  {}  {}",
        pad("overall", label_width),
        names.join(" · ")
    )?;
    for best in &estate.category_exemplars {
        let names: Vec<&str> = best.repos.iter().map(|r| r.name.as_str()).collect();
        writeln!(
            out,
            "  {}  {} {:.0}",
            pad(best.category, label_width),
            names.join(", "),
            best.score
        )?;
    }
    Ok(())
}
