//! The report: one value that every output format is rendered from. Emitters never recompute
//! anything, so text, JSON and the rest always agree.

pub mod compare;
pub mod csv;
pub mod csv_repos;
pub mod estate;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod markdown_overview;
pub mod sarif;
pub mod text;
mod text_overview;

use std::io::{self, Write};

use crate::model::{Report, RuleInfo};

/// The output formats; each renders the same `Report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people at a terminal; an estate ends with its overview.
    Text,
    /// The versioned report for dashboards (schemas/report.v1.json, docs/report-format.md).
    Json,
    /// GitHub Actions workflow commands: one annotation per failure (per new failure in PR mode).
    Github,
    /// Markdown, as used for the job summary and the pull-request comment; an estate starts
    /// with its overview and stays under GitHub's 65,536-character limit.
    Markdown,
    /// A self-contained HTML dashboard (inline CSS and script; works offline).
    Html,
    /// SARIF 2.1.0 for GitHub code scanning: one run per repository.
    Sarif,
    /// One row per repository and rule, for spreadsheets.
    Csv,
    /// One row per repository: scores, grade, RAP level, a column per category.
    #[value(name = "csv-repos")]
    CsvRepos,
}

impl Format {
    /// Whether `--summary` (the estate overview alone) means anything for this format.
    pub fn has_summary(self) -> bool {
        matches!(self, Format::Text | Format::Markdown)
    }
}

/// Options that change how a report is shown, never what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Text and Markdown: the estate overview alone, without a section per repository.
    pub summary: bool,
}

pub trait Emitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, options: RenderOptions) -> io::Result<()>;
}

/// The emitter for `format`. `rules` is the pack in use (`docs::rule_infos`); only formats that
/// describe every rule they judged by (SARIF) read it.
pub fn emitter(format: Format, rules: &[RuleInfo]) -> Box<dyn Emitter> {
    match format {
        Format::Text => Box::new(text::TextEmitter),
        Format::Json => Box::new(json::JsonEmitter),
        Format::Github => Box::new(github::GithubEmitter::in_current_dir()),
        Format::Markdown => Box::new(markdown::MarkdownEmitter),
        Format::Html => Box::new(html::HtmlEmitter),
        Format::Sarif => Box::new(sarif::SarifEmitter::new(rules.to_vec())),
        Format::Csv => Box::new(csv::CsvEmitter),
        Format::CsvRepos => Box::new(csv_repos::CsvReposEmitter),
    }
}

/// The JSON Schema of `openly compare --format json`, as `openly schema compare` prints it.
pub fn compare_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(crate::model::compare::Comparison);
    serde_json::to_value(schema).unwrap_or_default()
}

/// The JSON Schema of the report, as `openly schema` prints it.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Report);
    serde_json::to_value(schema).unwrap_or_default()
}
