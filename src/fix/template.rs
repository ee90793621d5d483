//! Fix templates: text kept as data under `rules/templates/`, filled from facts about the
//! repository. A value openly does not know becomes an explicit `TODO(openly): …` marker, never
//! a guess, and every marker a filled template holds is reported so the CLI can say so.

use std::collections::BTreeSet;
use std::time::SystemTime;

use thiserror::Error;

/// What every unknown value and every prompt for the author starts with.
pub const MARKER: &str = "TODO(openly):";

/// The templates shipped with openly, by name (the file name without its extension).
const BUILTIN: &[(&str, &str)] = &[
    (
        "mit-licence",
        include_str!("../../rules/templates/mit-licence.txt"),
    ),
    ("readme", include_str!("../../rules/templates/readme.md")),
    (
        "readme-about",
        include_str!("../../rules/templates/readme-about.md"),
    ),
    (
        "readme-status",
        include_str!("../../rules/templates/readme-status.md"),
    ),
    (
        "readme-contact",
        include_str!("../../rules/templates/readme-contact.md"),
    ),
    (
        "readme-data",
        include_str!("../../rules/templates/readme-data.md"),
    ),
    (
        "readme-dummy-data",
        include_str!("../../rules/templates/readme-dummy-data.md"),
    ),
    (
        "readme-prerequisites",
        include_str!("../../rules/templates/readme-prerequisites.md"),
    ),
    (
        "readme-installation",
        include_str!("../../rules/templates/readme-installation.md"),
    ),
    (
        "readme-usage",
        include_str!("../../rules/templates/readme-usage.md"),
    ),
    (
        "readme-licence",
        include_str!("../../rules/templates/readme-licence.md"),
    ),
    (
        "readme-docs-licence",
        include_str!("../../rules/templates/readme-docs-licence.md"),
    ),
    (
        "readme-disclaimer",
        include_str!("../../rules/templates/readme-disclaimer.md"),
    ),
    (
        "contributing",
        include_str!("../../rules/templates/contributing.md"),
    ),
    (
        "code-of-conduct",
        include_str!("../../rules/templates/code-of-conduct.md"),
    ),
    (
        "security",
        include_str!("../../rules/templates/security.md"),
    ),
    (
        "gitignore-data",
        include_str!("../../rules/templates/gitignore-data.txt"),
    ),
    (
        "gitignore-secrets",
        include_str!("../../rules/templates/gitignore-secrets.txt"),
    ),
];

/// A shipped template's text by name, with line endings made `\n` whatever the checkout did.
pub fn builtin(name: &str) -> Option<String> {
    BUILTIN
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, text)| text.replace("\r\n", "\n"))
}

/// The names of every shipped template, in a stable order.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// The facts a template may name, written `{name}` in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variable {
    /// The year of publication.
    Year,
    /// The copyright holder; see [`copyright_holder`].
    Holder,
    /// The repository's name.
    Repo,
    /// Whom to contact: a team mailbox or a maintainer.
    Contact,
}

impl Variable {
    pub const ALL: [Variable; 4] = [
        Variable::Year,
        Variable::Holder,
        Variable::Repo,
        Variable::Contact,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variable::Year => "year",
            Variable::Holder => "holder",
            Variable::Repo => "repo",
            Variable::Contact => "contact",
        }
    }

    pub fn from_name(name: &str) -> Option<Variable> {
        Variable::ALL.into_iter().find(|v| v.name() == name)
    }

    /// What the author must fill in when the value is unknown, after [`MARKER`].
    pub fn wanted(self) -> &'static str {
        match self {
            Variable::Year => "the year of first publication",
            // Naming no holder on purpose: the audit's holder check must not read the marker
            // as "Crown copyright" and pass.
            Variable::Holder => "the copyright holder",
            Variable::Repo => "the project's name",
            Variable::Contact => "a contact, such as a team mailbox",
        }
    }
}

/// The values known for one repository; `None` (or blank) renders a marker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub year: Option<String>,
    pub holder: Option<String>,
    pub repo: Option<String>,
    pub contact: Option<String>,
}

impl Values {
    /// The value as it goes into a file: on one line, with runs of whitespace and control
    /// characters made one space, so an org's display name cannot add lines to a licence.
    pub fn get(&self, variable: Variable) -> Option<String> {
        let raw = match variable {
            Variable::Year => &self.year,
            Variable::Holder => &self.holder,
            Variable::Repo => &self.repo,
            Variable::Contact => &self.contact,
        };
        let cleaned = raw
            .as_deref()?
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!cleaned.is_empty()).then_some(cleaned)
    }
}

/// A `TODO(openly):` marker left in filled text, for the author to resolve.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Marker {
    /// 1-based line in the filled text.
    pub line: usize,
    /// From the marker to the end of its line.
    pub text: String,
}

/// A filled template and the markers it still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    pub markers: Vec<Marker>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("template {template:?} has an unknown placeholder {{{name}}} on line {line}")]
    UnknownPlaceholder {
        template: String,
        name: String,
        line: usize,
    },
    #[error("there is no fix template named {0:?}")]
    Missing(String),
}

/// One `{name}` in a template: where it is and which variable it names.
struct Placeholder<'a> {
    start: usize,
    end: usize,
    name: &'a str,
}

/// Every `{lowercase_name}` in the text. Other braces are literal text.
fn scan(text: &str) -> Vec<Placeholder<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'{', &bytes[at..]) {
        let start = at + offset;
        let name_len = bytes[start + 1..]
            .iter()
            .take_while(|b| b.is_ascii_lowercase() || **b == b'_')
            .count();
        let end = start + 1 + name_len;
        if name_len > 0 && bytes.get(end) == Some(&b'}') {
            found.push(Placeholder {
                start,
                end: end + 1,
                name: &text[start + 1..end],
            });
            at = end + 1;
        } else {
            at = start + 1;
        }
    }
    found
}

/// The variables a template uses; an unknown placeholder is an error, so a typo in a template
/// fails when the pack loads rather than shipping `{yaer}` to a repository.
pub fn variables(name: &str, template: &str) -> Result<BTreeSet<Variable>, TemplateError> {
    scan(template)
        .into_iter()
        .map(|p| {
            Variable::from_name(p.name).ok_or_else(|| TemplateError::UnknownPlaceholder {
                template: name.to_owned(),
                name: p.name.to_owned(),
                line: template[..p.start].matches('\n').count() + 1,
            })
        })
        .collect()
}

/// Fills every placeholder, in one pass (a value that contains `{year}` stays as written).
pub fn fill(name: &str, template: &str, values: &Values) -> Result<Filled, TemplateError> {
    variables(name, template)?;
    let mut text = String::with_capacity(template.len() + 64);
    let mut copied = 0;
    for placeholder in scan(template) {
        text.push_str(&template[copied..placeholder.start]);
        let variable = Variable::from_name(placeholder.name).ok_or_else(|| {
            TemplateError::UnknownPlaceholder {
                template: name.to_owned(),
                name: placeholder.name.to_owned(),
                line: 0,
            }
        })?;
        match values.get(variable) {
            Some(value) => text.push_str(&value),
            None => {
                text.push_str(MARKER);
                text.push(' ');
                text.push_str(variable.wanted());
            }
        }
        copied = placeholder.end;
    }
    text.push_str(&template[copied..]);
    let markers = markers(&text);
    Ok(Filled { text, markers })
}

/// Fills a shipped template by name.
pub fn fill_builtin(name: &str, values: &Values) -> Result<Filled, TemplateError> {
    let template = builtin(name).ok_or_else(|| TemplateError::Missing(name.to_owned()))?;
    fill(name, &template, values)
}

/// Every marker in a text, one per occurrence.
pub fn markers(text: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for (at, _) in line.match_indices(MARKER) {
            found.push(Marker {
                line: index + 1,
                text: line[at..].trim_end().to_owned(),
            });
        }
    }
    found
}

/// Presets whose documentation and code are Crown copyright.
const CROWN_PRESETS: &[&str] = &["nhs-england", "nhs-digital"];

/// Who holds the copyright: Crown copyright under the NHS England and NHS Digital presets,
/// otherwise the organisation's display name. `None` when neither is known (a marker then).
pub fn copyright_holder(preset: Option<&str>, org_display_name: Option<&str>) -> Option<String> {
    if preset.is_some_and(|p| CROWN_PRESETS.contains(&p)) {
        return Some("Crown copyright".to_owned());
    }
    org_display_name
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

/// The calendar year (UTC) of a moment, for `{year}`.
pub fn year_of(moment: SystemTime) -> String {
    humantime::format_rfc3339_seconds(moment)
        .to_string()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            year: Some("2025".into()),
            holder: Some("NHS England".into()),
            repo: Some("waiting-times".into()),
            contact: Some("team@example.nhs.uk".into()),
        }
    }

    #[test]
    fn every_shipped_template_uses_known_variables_and_ends_with_a_newline() {
        for name in builtin_names() {
            let text = builtin(name).expect("listed");
            assert!(variables(name, &text).is_ok(), "{name}");
            assert!(text.ends_with('\n'), "{name} must end with a newline");
            assert!(!text.contains('\r'), "{name}");
        }
    }

    #[test]
    fn known_values_fill_placeholders_and_leave_no_marker() {
        let filled = fill("t", "Copyright (c) {year} {holder}\n", &values()).unwrap();
        assert_eq!(filled.text, "Copyright (c) 2025 NHS England\n");
        assert!(filled.markers.is_empty());
    }

    #[test]
    fn unknown_values_become_markers_that_are_reported() {
        let filled = fill(
            "t",
            "Copyright (c) {year} {holder}\nAsk {contact}.\n",
            &Values {
                year: Some("2025".into()),
                holder: Some("  ".into()),
                ..Values::default()
            },
        )
        .unwrap();
        assert_eq!(
            filled.text,
            "Copyright (c) 2025 TODO(openly): the copyright holder\nAsk TODO(openly): a contact, such as a team mailbox.\n"
        );
        assert_eq!(
            filled.markers.iter().map(|m| m.line).collect::<Vec<_>>(),
            [1, 2]
        );
    }

    #[test]
    fn literal_prompts_count_as_markers() {
        let filled = fill_builtin("readme-about", &values()).unwrap();
        assert_eq!(filled.markers.len(), 1);
        assert!(filled.markers[0].text.starts_with(MARKER));
    }

    #[test]
    fn other_braces_are_text_and_typos_are_errors() {
        let filled = fill("t", "{} {A} {not closed\n", &values()).unwrap();
        assert_eq!(filled.text, "{} {A} {not closed\n");
        assert_eq!(
            fill("t", "a\n{yaer}\n", &values()),
            Err(TemplateError::UnknownPlaceholder {
                template: "t".into(),
                name: "yaer".into(),
                line: 2
            })
        );
    }

    #[test]
    fn values_cannot_add_lines_or_be_filled_again() {
        let filled = fill(
            "t",
            "{holder}|{repo}\n",
            &Values {
                holder: Some("Evil\nCopyright (c) 1999 Someone\r\n".into()),
                repo: Some("{year}".into()),
                ..values()
            },
        )
        .unwrap();
        assert_eq!(filled.text, "Evil Copyright (c) 1999 Someone|{year}\n");
    }

    #[test]
    fn holder_is_crown_copyright_under_nhs_presets_else_the_org() {
        assert_eq!(
            copyright_holder(Some("nhs-england"), Some("NHS England")).as_deref(),
            Some("Crown copyright")
        );
        assert_eq!(
            copyright_holder(Some("nhs-digital"), None).as_deref(),
            Some("Crown copyright")
        );
        assert_eq!(
            copyright_holder(Some("minimal"), Some(" NHS-R Community ")).as_deref(),
            Some("NHS-R Community")
        );
        assert_eq!(copyright_holder(None, Some("")), None);
    }

    #[test]
    fn year_of_a_known_moment() {
        // 2021-01-01T00:00:00Z, and one second before it.
        let new_year = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_609_459_200);
        assert_eq!(year_of(new_year), "2021");
        assert_eq!(
            year_of(new_year - std::time::Duration::from_secs(1)),
            "2020"
        );
    }
}
