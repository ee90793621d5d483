//! CSV with one row per repository (`--format csv-repos`): the overall score, the grade, the
//! RAP level and one column per category score, for a spreadsheet or a board paper's table.
//! Quoted and guarded like `--format csv`.

use std::io::{self, Write};

use super::csv::{cell, writer};
use super::estate::licence_summary;
use super::{Emitter, RenderOptions};
use crate::model::{Category, Outcome, Report, Severity};

pub struct CsvReposEmitter;

impl Emitter for CsvReposEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        let categories = categories(report);
        let mut writer = writer(out);
        let mut header: Vec<String> = [
            "repo",
            "score",
            "grade",
            "rap_level",
            "licences",
            "errors",
            "warnings",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        header.extend(categories.iter().map(|c| format!("{c}_score")));
        header.push("error".to_string());
        writer.write_record(&header)?;
        for repo in &report.repos {
            let failed = |severity| {
                repo.findings
                    .iter()
                    .filter(|f| f.outcome == Outcome::Fail && f.severity == severity)
                    .count()
                    .to_string()
            };
            let audited = repo.error.is_none();
            let mut row: Vec<String> = vec![
                cell(&repo.name).into_owned(),
                score(repo.score),
                cell(&repo.grade).into_owned(),
                if audited {
                    repo.rap_level.as_str().to_string()
                } else {
                    String::new()
                },
                if audited {
                    cell(&licence_summary(repo)).into_owned()
                } else {
                    String::new()
                },
                if audited {
                    failed(Severity::Error)
                } else {
                    String::new()
                },
                if audited {
                    failed(Severity::Warning)
                } else {
                    String::new()
                },
            ];
            for id in &categories {
                row.push(score(
                    repo.categories
                        .iter()
                        .find(|c| &c.id == id)
                        .and_then(|c| c.score),
                ));
            }
            row.push(cell(repo.error.as_deref().unwrap_or("")).into_owned());
            writer.write_record(&row)?;
        }
        writer.flush()
    }
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(String::new, |s| format!("{s:.1}"))
}

/// The playbook's categories in their usual order, then any other category a report carries
/// (a custom pack's), in the order first seen; only those some repository was scored on.
fn categories(report: &Report) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for repo in &report.repos {
        for category in &repo.categories {
            if !seen.contains(&category.id) {
                seen.push(category.id.clone());
            }
        }
    }
    let mut ordered: Vec<String> = Category::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .filter(|id| seen.contains(id))
        .collect();
    ordered.extend(seen.into_iter().filter(|id| Category::parse(id).is_none()));
    ordered
}
