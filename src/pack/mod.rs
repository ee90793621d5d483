//! The policy: rule packs as data. A pack is a list of rules, each with an id, a category, a
//! severity, a weight, user-facing text and a check. Packs extend each other (presets), and a
//! repository's `.openly.toml` extends the pack in use, so organisations change policy without
//! recompiling.

mod allow;
pub mod builtin_packs;
pub mod catalog;
pub mod diag;
pub mod fix;
pub mod load;
mod raw;
pub mod templates;

use std::sync::OnceLock;

use globset::GlobSet;
use regex::Regex;

use crate::model::RapLevel;
use crate::model::Severity;

use crate::model::Category;
pub use load::{PackSelection, load_pack, load_repo_config};

/// Case-insensitive globs, compiled once, with the patterns kept for display.
#[derive(Debug, Clone)]
pub struct Globs {
    pub patterns: Vec<String>,
    pub set: GlobSet,
}

impl Globs {
    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }
}

/// A pack's regular expression: its syntax is checked when the pack loads, and it is compiled
/// on first use. Most rules never need theirs (a README heading usually answers first), and
/// compiling every one up front cost about a quarter of a small audit.
#[derive(Debug, Clone)]
pub struct PackRegex {
    source: String,
    compiled: OnceLock<Result<Regex, String>>,
}

impl PackRegex {
    /// Checks the syntax; the error is the parser's last line, which names the problem.
    pub fn parse(source: &str) -> Result<Self, String> {
        regex_syntax::Parser::new().parse(source).map_err(|error| {
            let detail = error.to_string();
            detail
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string()
        })?;
        Ok(PackRegex {
            source: source.to_string(),
            compiled: OnceLock::new(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex, or why it could not be built (only size limits remain possible).
    pub fn get(&self) -> Result<&Regex, &str> {
        self.compiled
            .get_or_init(|| Regex::new(&self.source).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }
}

#[derive(Debug, Clone)]
pub enum Check {
    /// Passes when at least one file matches.
    FileExists(Globs),
    /// Fails when any file matches.
    FileAbsent(Globs),
    /// Passes when a file matching the globs contains the pattern.
    FileContains { globs: Globs, pattern: PackRegex },
    /// Passes when the README has a heading matching a synonym, or a paragraph matching the pattern.
    ReadmeSection {
        headings: Vec<String>,
        paragraph: Option<PackRegex>,
        /// A prose opening paragraph also counts (a README's purpose often has no heading).
        intro: bool,
    },
    /// Passes when the root `.gitignore` ignores every one of these sample paths.
    GitignoreCovers { paths: Vec<String> },
    /// A built-in analyzer from the catalog, with its parameters (validated against its spec).
    Builtin {
        spec: &'static catalog::AnalyzerSpec,
        params: toml::Table,
    },
}

impl Check {
    pub fn kind(&self) -> &'static str {
        match self {
            Check::FileExists(_) => "file-exists",
            Check::FileAbsent(_) => "file-absent",
            Check::FileContains { .. } => "file-contains",
            Check::ReadmeSection { .. } => "readme-section",
            Check::GitignoreCovers { .. } => "gitignore-covers",
            Check::Builtin { .. } => "builtin",
        }
    }

    /// One line that says what the check looks at, for `explain` and the generated docs.
    pub fn describe(&self) -> String {
        match self {
            Check::FileExists(globs) => format!("a file matching {}", globs.patterns.join(", ")),
            Check::FileAbsent(globs) => format!("no file matching {}", globs.patterns.join(", ")),
            Check::FileContains { globs, pattern } => format!(
                "a file matching {} contains /{}/",
                globs.patterns.join(", "),
                pattern.as_str()
            ),
            Check::ReadmeSection {
                headings,
                paragraph,
                intro,
            } => {
                let mut text = format!("README heading like: {}", headings.join(", "));
                if let Some(pattern) = paragraph {
                    text.push_str(&format!("; or text matching /{}/", pattern.as_str()));
                }
                if *intro {
                    text.push_str("; or a prose opening paragraph");
                }
                text
            }
            Check::GitignoreCovers { paths } => {
                format!(".gitignore ignores {}", paths.join(", "))
            }
            Check::Builtin { spec, .. } => format!("built-in analyzer `{}`", spec.name),
        }
    }
}

/// Where a rule was defined, for messages about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub title: String,
    pub severity: Severity,
    pub weight: f64,
    pub message: String,
    pub help: String,
    pub url: Option<String>,
    pub requires: Option<String>,
    /// The RAP level whose criterion this rule checks; only `rap/` rules carry one.
    pub level: Option<RapLevel>,
    pub check: Check,
    /// How `openly fix` scaffolds what the rule asks for; rules without one are not fixable.
    pub fix: Option<fix::FixSpec>,
    pub origin: Origin,
}

/// A finding allowed by configuration (`[[allow]]` in a pack, a config, `.openly.toml` or an
/// `--allow-list` file), with the reason a person gave and, optionally, the day it expires.
#[derive(Debug, Clone)]
pub struct Allowance {
    pub rule: Option<String>,
    pub path: Option<Globs>,
    pub fingerprint: Option<String>,
    /// Only repositories whose name (or its last `/` segment) matches; all when absent.
    pub repo: Option<Globs>,
    pub reason: String,
    /// The first day the entry no longer applies; it never expires when absent.
    pub expires: Option<chrono::NaiveDate>,
    /// Where the entry is written, for the report and for messages about it.
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub version: String,
    pub description: String,
    /// In the order they were defined; rules that others require come first when evaluated.
    pub rules: Vec<Rule>,
    pub allow: Vec<Allowance>,
    pub fix_values: fix::FixValues,
}

impl Pack {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// The built-in analyzers of the pack's rules, with their parameters.
    pub fn analyzers(
        &self,
    ) -> impl Iterator<Item = (&'static catalog::AnalyzerSpec, &toml::Table)> {
        self.rules.iter().filter_map(|rule| match &rule.check {
            Check::Builtin { spec, params } => Some((*spec, params)),
            _ => None,
        })
    }

    /// Whether any rule asks for this evidence (a parameter declared to need it is true).
    pub fn needs(&self, need: catalog::Need) -> bool {
        self.analyzers().any(|(spec, params)| {
            spec.params.iter().any(|param| {
                param.needs_when_true == Some(need)
                    && params.get(param.name).and_then(toml::Value::as_bool) == Some(true)
            })
        })
    }

    /// A shared count parameter (declared `shared`): the largest value any rule sets.
    pub fn shared_count(&self, name: &str) -> Option<u64> {
        self.analyzers()
            .filter(|(spec, _)| spec.param(name).is_some_and(|p| p.shared))
            .filter_map(|(_, params)| params.get(name)?.as_integer())
            .map(|value| value.max(0) as u64)
            .max()
    }

    /// Whether the pack judges RAP levels at all (the minimal preset does not).
    pub fn has_levels(&self) -> bool {
        self.rules.iter().any(|rule| rule.level.is_some())
    }
}

/// The shape of a rule id: `category/kebab-name`.
pub fn is_valid_rule_id(id: &str) -> bool {
    let Some((category, name)) = id.split_once('/') else {
        return false;
    };
    Category::parse(category).is_some()
        && !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_category_slash_kebab() {
        assert!(is_valid_rule_id("licence/docs-ogl"));
        assert!(is_valid_rule_id("rap/unit-tests"));
        assert!(!is_valid_rule_id("licence/Docs_OGL"));
        assert!(!is_valid_rule_id("licence/docs--ogl"));
        assert!(!is_valid_rule_id("legal/present"));
        assert!(!is_valid_rule_id("licence"));
    }
}
