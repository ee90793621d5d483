//! The pack file as written, before validation. Every field keeps its span so problems found
//! after parsing (a bad regex, an unknown analyzer) still point at file:line:col.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPackMeta {
    pub name: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub description: Option<String>,
    pub extends: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub category: Option<Spanned<String>>,
    pub title: Spanned<String>,
    pub severity: Spanned<String>,
    pub weight: Spanned<f64>,
    pub message: Spanned<String>,
    pub help: Spanned<String>,
    pub url: Option<Spanned<String>>,
    pub requires: Option<Spanned<String>>,
    /// The RAP level (baseline, silver, gold) whose criterion this rule checks.
    pub level: Option<Spanned<String>>,
    pub check: Spanned<RawCheck>,
    /// How `openly fix` scaffolds what the rule asks for (see `pack::fix`).
    pub fix: Option<Spanned<toml::Table>>,
}

/// One flat shape for every check kind: a field that does not belong to the kind is reported
/// by name, which reads better than serde's "unknown variant" errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCheck {
    pub kind: Spanned<String>,
    pub globs: Option<Spanned<Vec<String>>>,
    pub pattern: Option<Spanned<String>>,
    pub headings: Option<Spanned<Vec<String>>>,
    pub paragraph: Option<Spanned<String>>,
    pub intro: Option<Spanned<bool>>,
    pub paths: Option<Spanned<Vec<String>>>,
    pub name: Option<Spanned<String>>,
    pub params: Option<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    pub severity: Option<Spanned<String>>,
    pub weight: Option<Spanned<f64>>,
    pub enabled: Option<bool>,
    pub requires: Option<Spanned<String>>,
    /// A RAP level, or `"none"` to take the rule out of the level assessment.
    pub level: Option<Spanned<String>>,
    pub params: Option<Spanned<toml::Table>>,
    pub fix: Option<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllow {
    pub rule: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
    pub fingerprint: Option<Spanned<String>>,
    /// A glob over repository names (`nhsx/*`, `*-pipeline`); for org-wide allow-lists.
    pub repo: Option<Spanned<String>>,
    pub reason: Option<Spanned<String>>,
    /// A TOML date (`2025-06-30`, unquoted): the first day the entry no longer applies.
    pub expires: Option<Spanned<toml::Value>>,
}

/// `[fix]`: values the fix templates use that the files cannot tell.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixValues {
    pub holder: Option<Spanned<String>>,
    pub contact: Option<Spanned<String>>,
}
