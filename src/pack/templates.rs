//! Fix templates shipped with openly, as data under `rules/templates/`, with the variables a
//! template may name. They belong to the pack layer because a pack's rules name them and the
//! loader checks each name and placeholder, so a typo fails at load (exit 78) rather than
//! halfway through fixing an estate. Filling them is `fix::template`'s work.

use std::collections::BTreeSet;

use thiserror::Error;

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
        "readme-licence-declared",
        include_str!("../../rules/templates/readme-licence-declared.md"),
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
    /// The copyright holder (see `fix::template::copyright_holder`).
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

    /// What the author must fill in when the value is unknown, after the `TODO(openly):` marker.
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
pub struct Placeholder<'a> {
    pub start: usize,
    pub end: usize,
    pub name: &'a str,
}

/// Every `{lowercase_name}` in the text. Other braces are literal text.
pub fn scan(text: &str) -> Vec<Placeholder<'_>> {
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
