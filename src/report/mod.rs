//! The report: one value that every output format is rendered from. Emitters never recompute
//! anything, so text, JSON and the rest always agree.

pub mod compare;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

use std::io::{self, Write};

use crate::model::Report;

/// The output formats; each renders the same `Report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// GitHub Actions workflow commands: one annotation per failure (per new failure in PR mode).
    Github,
    /// Markdown, as used for the job summary and the pull-request comment.
    Markdown,
}

/// Options that change how a report is shown, never what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
}

pub trait Emitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, options: RenderOptions) -> io::Result<()>;
}

pub fn emitter(format: Format) -> Box<dyn Emitter> {
    match format {
        Format::Text => Box::new(text::TextEmitter),
        Format::Json => Box::new(json::JsonEmitter),
        Format::Github => Box::new(github::GithubEmitter::in_current_dir()),
        Format::Markdown => Box::new(markdown::MarkdownEmitter),
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
