//! Fix templates: text kept as data under `rules/templates/`, filled from facts about the
//! repository. A value openly does not know becomes an explicit `TODO(openly): …` marker, never
//! a guess, and every marker a filled template holds is reported so the CLI can say so.

use crate::pack::templates::scan;
pub use crate::pack::templates::{TemplateError, Variable, builtin, builtin_names, variables};

use std::time::SystemTime;

/// What every unknown value and every prompt for the author starts with.
pub const MARKER: &str = "TODO(openly):";

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
