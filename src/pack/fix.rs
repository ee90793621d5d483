//! How a rule names its fix in a rule pack, as data (`fix::` does the fixing):
//!
//! ```toml
//! fix = { kind = "create-file", path = "LICENSE", template = "mit-licence" }
//! fix = { kind = "append-lines", path = ".gitignore", template = "gitignore-data" }
//! fix = { kind = "insert-section", template = "readme-data", after = ["usage", "installation"] }
//! ```
//!
//! Parsed strictly (unknown keys are errors) and checked once when the pack loads, so a typo in
//! a template name fails with exit 78 rather than halfway through fixing an estate.

use serde::{Deserialize, Serialize};

use super::templates::{self as template, TemplateError};

/// The three kinds of fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    CreateFile,
    AppendLines,
    InsertSection,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::CreateFile => "create-file",
            FixKind::AppendLines => "append-lines",
            FixKind::InsertSection => "insert-section",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum FixSpec {
    /// A new file from a template, unless that file (in any case or extension, or any path
    /// matching `unless`) exists.
    #[serde(rename_all = "kebab-case")]
    CreateFile {
        path: String,
        template: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        unless: Vec<String>,
    },
    /// The template's lines that the file lacks, appended; the file is created if absent.
    #[serde(rename_all = "kebab-case")]
    AppendLines { path: String, template: String },
    /// A README section from a template that opens with a heading.
    #[serde(rename_all = "kebab-case")]
    InsertSection {
        template: String,
        /// The Markdown file; the repository's README when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// Sections to follow, first found wins (`:title`: right after the title's intro).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        after: Vec<String>,
        /// With no `after` section found: sections to precede (the earliest in the file).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        before: Vec<String>,
        /// Headings that mean the section is there; the rule's `readme-section` headings when
        /// empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        headings: Vec<String>,
        /// Extend the first section with one of these headings instead, when there is one.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        within: Vec<String>,
        /// What to append to that section; the template without its heading when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within_template: Option<String>,
    },
}

/// A problem with a fix as a pack declares it.
/// `[fix]` in a pack or config: values the templates use that the files cannot tell. Unset
/// values become `TODO(openly):` markers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixValues {
    /// The copyright holder for a new licence; the preset's when unset (Crown copyright for
    /// NHS England and NHS Digital).
    pub holder: Option<String>,
    /// Whom to contact, for the README contact section and community files.
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(
        "template {template:?}: a section template must open with a Markdown heading (`## Name`)"
    )]
    NoHeading { template: String },
    #[error("bad glob in `unless`: {0}")]
    Glob(String),
    #[error("fix path {0:?} must be relative, use `/`, and stay inside the repository")]
    Path(String),
}

impl FixSpec {
    pub fn kind(&self) -> FixKind {
        match self {
            FixSpec::CreateFile { .. } => FixKind::CreateFile,
            FixSpec::AppendLines { .. } => FixKind::AppendLines,
            FixSpec::InsertSection { .. } => FixKind::InsertSection,
        }
    }

    /// The templates the fix fills.
    /// One line saying what `openly fix` does for the rule, for `explain` and the docs.
    pub fn describe(&self) -> String {
        match self {
            FixSpec::CreateFile { path, template, .. } => {
                format!("creates `{path}` from the `{template}` template when no such file exists")
            }
            FixSpec::AppendLines { path, template } => {
                format!("appends the lines of the `{template}` template that `{path}` lacks")
            }
            FixSpec::InsertSection { template, path, .. } => format!(
                "adds the `{template}` section to {} unless a section like it is there",
                path.as_deref()
                    .map_or_else(|| "the README".to_string(), |p| format!("`{p}`"))
            ),
        }
    }

    pub fn templates(&self) -> Vec<&str> {
        match self {
            FixSpec::CreateFile { template, .. } | FixSpec::AppendLines { template, .. } => {
                vec![template]
            }
            FixSpec::InsertSection {
                template,
                within_template,
                ..
            } => std::iter::once(template.as_str())
                .chain(within_template.as_deref())
                .collect(),
        }
    }

    /// Checks what can be checked before any repository is seen: the templates exist and use
    /// known variables, a section template opens with a heading, globs and paths are sound.
    /// `lookup` finds a template's text by name (the shipped ones: [`template::builtin`]).
    pub fn validate(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<(), SpecError> {
        for name in self.templates() {
            let text = lookup(name).ok_or_else(|| TemplateError::Missing(name.to_owned()))?;
            template::variables(name, &text)?;
        }
        match self {
            FixSpec::CreateFile { path, unless, .. } => {
                check_path(path)?;
                for glob in unless {
                    globset::Glob::new(glob).map_err(|e| SpecError::Glob(e.to_string()))?;
                }
            }
            FixSpec::AppendLines { path, .. } => check_path(path)?,
            FixSpec::InsertSection { template, path, .. } => {
                if let Some(path) = path {
                    check_path(path)?;
                }
                let text = lookup(template).unwrap_or_default();
                let opens_with_heading = text.lines().next().is_some_and(|l| {
                    l.starts_with('#') && l.trim_start_matches('#').starts_with(' ')
                });
                if !opens_with_heading {
                    return Err(SpecError::NoHeading {
                        template: template.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// A repository-relative path that cannot climb out or name an absolute place.
pub fn check_path(path: &str) -> Result<(), SpecError> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains(':')
        || path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == ".." || part == ".git");
    if bad {
        Err(SpecError::Path(path.to_owned()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Rule {
        fix: FixSpec,
    }

    fn parse(toml_text: &str) -> Result<FixSpec, toml::de::Error> {
        toml::from_str::<Rule>(toml_text).map(|r| r.fix)
    }

    #[test]
    fn the_three_kinds_parse_from_a_pack() {
        assert_eq!(
            parse(r#"fix = { kind = "create-file", path = "LICENSE", template = "mit-licence" }"#)
                .unwrap(),
            FixSpec::CreateFile {
                path: "LICENSE".into(),
                template: "mit-licence".into(),
                unless: vec![]
            }
        );
        assert_eq!(
            parse(r#"fix = { kind = "append-lines", path = ".gitignore", template = "gitignore-data" }"#)
                .unwrap()
                .kind(),
            FixKind::AppendLines
        );
        let section = parse(
            r#"fix = { kind = "insert-section", template = "readme-licence", after = ["usage"], within = ["licence"], within-template = "readme-docs-licence" }"#,
        )
        .unwrap();
        assert_eq!(
            section.templates(),
            ["readme-licence", "readme-docs-licence"]
        );
        assert!(section.validate(&template::builtin).is_ok());
    }

    #[test]
    fn unknown_kinds_and_missing_fields_are_errors() {
        assert!(parse(r#"fix = { kind = "delete-file", path = "x" }"#).is_err());
        assert!(parse(r#"fix = { kind = "create-file", template = "mit-licence" }"#).is_err());
        assert!(
            parse(
                r#"fix = { kind = "append-lines", path = "a", template = "b", overwrite = true }"#
            )
            .is_err()
        );
    }

    #[test]
    fn validation_catches_missing_templates_bad_paths_and_headingless_sections() {
        let create = |path: &str, template: &str| FixSpec::CreateFile {
            path: path.into(),
            template: template.into(),
            unless: vec![],
        };
        assert!(
            create("LICENSE", "no-such")
                .validate(&template::builtin)
                .is_err()
        );
        for path in ["../x", "/etc/x", "a//b", ".git/config", "C:/x", "a\\b"] {
            assert!(
                create(path, "mit-licence")
                    .validate(&template::builtin)
                    .is_err(),
                "{path}"
            );
        }
        let headingless = FixSpec::InsertSection {
            template: "readme-docs-licence".into(),
            path: None,
            after: vec![],
            before: vec![],
            headings: vec![],
            within: vec![],
            within_template: None,
        };
        assert!(headingless.validate(&template::builtin).is_err());
    }
}
