//! Rendering a [`Comparison`] (`openly compare`): text for a terminal, Markdown for a monthly
//! issue or a board paper (one table tells the story of the estate, details fold away), and
//! JSON for dashboards. Like the report emitters these only format what the comparison says,
//! and repository text is escaped in Markdown the same way.

use std::fmt::Write as _;

use super::markdown::escape;
use crate::model::compare::{ChangedFinding, Comparison, LevelChange, RepoChange};

/// The formats `openly compare` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Text,
    Json,
    Markdown,
}

pub fn render(comparison: &Comparison, format: CompareFormat, color: bool) -> String {
    match format {
        CompareFormat::Text => text(comparison, color),
        CompareFormat::Markdown => markdown(comparison),
        CompareFormat::Json => {
            let mut out = serde_json::to_string_pretty(comparison).unwrap_or_default();
            out.push('\n');
            out
        }
    }
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
}

fn signed(value: Option<f64>) -> String {
    match value {
        Some(0.0) => "±0".to_string(),
        Some(d) => format!("{d:+.1}"),
        None => "n/a".to_string(),
    }
}

fn levels(change: &RepoChange) -> String {
    if change.old_rap_level == change.new_rap_level {
        change.new_rap_level.clone()
    } else {
        format!("{} → {}", change.old_rap_level, change.new_rap_level)
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn estate_line(c: &Comparison) -> String {
    let e = &c.estate;
    format!(
        "{} compared · mean change {} · {} better, {} worse, {} unchanged{} · RAP {} up, {} down · {} new, {} fixed findings · {} added, {} removed",
        plural(e.compared, "repository", "repositories"),
        signed(e.mean_score_delta),
        e.better,
        e.worse,
        e.unchanged,
        if e.not_scored > 0 {
            format!(", {} not scored", e.not_scored)
        } else {
            String::new()
        },
        e.rap_up,
        e.rap_down,
        e.new_findings,
        e.fixed_findings,
        e.added,
        e.removed
    )
}

fn location_text(finding: &ChangedFinding) -> String {
    let parts: Vec<String> = finding
        .locations
        .iter()
        .take(3)
        .map(|l| {
            let place = match (&l.path, l.line) {
                (Some(path), Some(line)) => format!("{path}:{line}"),
                (Some(path), None) => path.clone(),
                _ => String::new(),
            };
            [place.as_str(), l.excerpt.as_deref().unwrap_or("")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    let more = finding.locations.len().saturating_sub(3);
    let mut text = parts.join("; ");
    if more > 0 {
        let _ = write!(text, "; and {more} more");
    }
    text
}

fn with_locations(mut line: String, finding: &ChangedFinding) -> String {
    let at = location_text(finding);
    if !at.is_empty() {
        line.push_str("  ");
        line.push_str(&at);
    }
    line
}

fn text(c: &Comparison, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint("1", "openly compare"));
    for (tag, side) in [("old", &c.old), ("new", &c.new)] {
        let _ = writeln!(
            out,
            "  {tag}  {} · {} · openly {} · {} · {} · mean {}",
            side.file,
            side.generated_at,
            side.openly_version,
            side.rule_pack,
            plural(side.repos, "repository", "repositories"),
            score(side.mean_score)
        );
    }
    for warning in &c.warnings {
        let _ = writeln!(out, "{} {warning}", paint("33", "warning:"));
    }
    let _ = writeln!(out, "\n{} {}\n", paint("1", "estate:"), estate_line(c));
    let width = c
        .repos
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0);
    for repo in &c.repos {
        let delta = signed(repo.score_delta);
        let delta = match repo.score_delta {
            Some(d) if d > 0.0 => paint("32", &delta),
            Some(d) if d < 0.0 => paint("31", &delta),
            _ => delta,
        };
        let _ = writeln!(
            out,
            "{:<width$}  {} → {} ({delta}) · RAP {} · {} new, {} fixed",
            repo.name,
            score(repo.old_score),
            score(repo.new_score),
            levels(repo),
            repo.new.len(),
            repo.fixed.len(),
        );
        if let Some(error) = &repo.new_error {
            let _ = writeln!(out, "  now errored: {error}");
        } else if let Some(error) = &repo.old_error {
            let _ = writeln!(out, "  was errored: {error}");
        }
        for finding in &repo.new {
            let line = format!(
                "  new    {} {} {}",
                paint("31", "✗"),
                finding.severity,
                finding.rule
            );
            let _ = writeln!(out, "{}", with_locations(line, finding));
        }
        for finding in &repo.fixed {
            let line = format!(
                "  fixed  {} {} (now {})",
                paint("32", "✓"),
                finding.rule,
                finding.outcome
            );
            let _ = writeln!(out, "{}", with_locations(line, finding));
        }
    }
    if !c.added.is_empty() || !c.removed.is_empty() {
        out.push('\n');
    }
    for (tag, list) in [("added  ", &c.added), ("removed", &c.removed)] {
        for repo in list.iter() {
            let _ = writeln!(
                out,
                "{tag}  {} · score {} · RAP {} · {}",
                repo.name,
                score(repo.score),
                repo.rap_level,
                plural(repo.failures, "failure", "failures")
            );
        }
    }
    out
}

fn md_delta(value: Option<f64>) -> String {
    match value {
        Some(d) if d > 0.0 => format!("▲ +{d:.1}"),
        Some(d) if d < 0.0 => format!("▼ {d:.1}"),
        Some(_) => "±0".to_string(),
        None => "n/a".to_string(),
    }
}

fn md_levels(repo: &RepoChange) -> String {
    let arrow = match repo.rap_change {
        LevelChange::Up => " ▲",
        LevelChange::Down => " ▼",
        LevelChange::Same | LevelChange::Unknown => "",
    };
    if repo.old_rap_level == repo.new_rap_level {
        escape(&repo.new_rap_level)
    } else {
        format!(
            "{} → **{}**{arrow}",
            escape(&repo.old_rap_level),
            escape(&repo.new_rap_level)
        )
    }
}

fn md_grades(old: &str, new: &str) -> String {
    if old == new {
        escape(new)
    } else {
        format!("{} → {}", escape(old), escape(new))
    }
}

fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

fn markdown(c: &Comparison) -> String {
    let mut md = String::from("## openly: what changed\n\n");
    let _ = writeln!(
        md,
        "From <code>{}</code> ({}) to <code>{}</code> ({}).\n",
        escape(&c.old.file),
        escape(day(&c.old.generated_at)),
        escape(&c.new.file),
        escape(day(&c.new.generated_at))
    );
    for warning in &c.warnings {
        let _ = writeln!(md, "> ⚠️ {}\n", escape(warning));
    }
    md.push_str("| Repository | Score | Change | Grade | RAP level | New | Fixed |\n");
    md.push_str("|---|---:|---:|---|---|---:|---:|\n");
    for repo in &c.repos {
        let change = if repo.new_error.is_some() {
            "errored".to_string()
        } else {
            md_delta(repo.score_delta)
        };
        let _ = writeln!(
            md,
            "| {} | {} | {change} | {} | {} | {} | {} |",
            escape(&repo.name),
            score(repo.new_score),
            md_grades(&repo.old_grade, &repo.new_grade),
            md_levels(repo),
            repo.new.len(),
            repo.fixed.len()
        );
    }
    for repo in &c.added {
        let _ = writeln!(
            md,
            "| {} | {} | added ({}) | {} | {} | | |",
            escape(&repo.name),
            score(repo.score),
            plural(repo.failures, "failure", "failures"),
            escape(&repo.grade),
            escape(&repo.rap_level),
        );
    }
    for repo in &c.removed {
        let _ = writeln!(
            md,
            "| ~~{}~~ | | removed (was {}) | | | | |",
            escape(&repo.name),
            score(repo.score)
        );
    }
    let e = &c.estate;
    let _ = writeln!(
        md,
        "| **Estate** ({} compared, {} added, {} removed) | **{}** (was {}) | **{}** mean per repository | {} better · {} worse · {} unchanged | {} up · {} down | **{}** | **{}** |\n",
        e.compared,
        e.added,
        e.removed,
        score(c.new.mean_score),
        score(c.old.mean_score),
        md_delta(e.mean_score_delta),
        e.better,
        e.worse,
        e.unchanged,
        e.rap_up,
        e.rap_down,
        e.new_findings,
        e.fixed_findings
    );
    details(&mut md, "New findings", c, |r| &r.new, false);
    details(&mut md, "Fixed findings", c, |r| &r.fixed, true);
    let _ = writeln!(
        md,
        "<sub>openly {} · rule pack {}</sub>",
        escape(&c.new.openly_version),
        escape(&c.new.rule_pack)
    );
    md
}

fn md_locations(finding: &ChangedFinding) -> String {
    let mut parts: Vec<String> = finding
        .locations
        .iter()
        .take(3)
        .map(|l| {
            let mut part = match (&l.path, l.line) {
                (Some(path), Some(line)) => format!("<code>{}:{line}</code>", escape(path)),
                (Some(path), None) => format!("<code>{}</code>", escape(path)),
                _ => String::new(),
            };
            if let Some(excerpt) = l.excerpt.as_deref().filter(|e| !e.is_empty()) {
                if !part.is_empty() {
                    part.push(' ');
                }
                part.push_str(&escape(excerpt));
            }
            part
        })
        .filter(|p| !p.is_empty())
        .collect();
    if finding.locations.len() > 3 {
        parts.push(format!("and {} more", finding.locations.len() - 3));
    }
    parts.join("; ")
}

fn details(
    md: &mut String,
    title: &str,
    c: &Comparison,
    list: fn(&RepoChange) -> &Vec<ChangedFinding>,
    show_outcome: bool,
) {
    let total: usize = c.repos.iter().map(|r| list(r).len()).sum();
    if total == 0 {
        return;
    }
    let _ = writeln!(md, "<details><summary>{title} ({total})</summary>\n");
    for repo in &c.repos {
        for finding in list(repo) {
            let _ = write!(
                md,
                "- **{}** {} ({}",
                escape(&repo.name),
                escape(&finding.rule),
                escape(&finding.severity),
            );
            if show_outcome {
                let _ = write!(md, ", now {}", escape(&finding.outcome));
            }
            md.push(')');
            let at = md_locations(finding);
            if !at.is_empty() {
                let _ = write!(md, ": {at}");
            }
            md.push('\n');
        }
    }
    md.push_str("\n</details>\n\n");
}
