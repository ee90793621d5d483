//! A rule as described to report formats that list the rules they judged by (SARIF's
//! `tool.driver.rules[]`). Built from the pack by `docs`, so the descriptions there, in
//! `docs/rules.md` and in `openly explain` come from one definition.

use super::finding::Severity;

#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    /// `category/kebab-name`.
    pub id: String,
    pub category: String,
    /// What the rule checks, in a few words.
    pub title: String,
    pub severity: Severity,
    pub weight: f64,
    /// What a failure means.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Guidance on the web, when the rule names some.
    pub url: Option<String>,
    /// The rule's entry in `docs/rules.md` and `openly explain`, as Markdown.
    pub explain_markdown: String,
}
