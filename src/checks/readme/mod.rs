//! README checks: finding the README the way GitHub shows it, and deciding whether it covers
//! a topic by a heading (in any of several spellings and formats) or a telling sentence.

pub mod parse;

use crate::facts::{Fact, RepoContext};
use crate::model::facts::readme::ReadmeFact;
use crate::model::{Evidence, Verdict};
use crate::snapshot::Snapshot;

/// README names in GitHub's order of preference.
pub const README_NAMES: &[&str] = &[
    "README.md",
    "README.markdown",
    "README.rst",
    "README.txt",
    "README",
    "README.adoc",
    "README.org",
    "README.Rmd",
    "README.qmd",
];
/// Where GitHub looks for a README, in its order.
pub const README_DIRS: &[&str] = &["", ".github/", "docs/"];

/// The README that was found and its outline, shared by every README rule of a repository.
#[derive(Debug, Clone)]
pub struct Readme {
    pub path: String,
    pub text: crate::snapshot::SharedText,
    pub outline: parse::Outline,
}

impl Readme {
    pub fn fact(&self) -> ReadmeFact {
        ReadmeFact {
            path: self.path.clone(),
            headings: self
                .outline
                .headings
                .iter()
                .map(|h| h.text.clone())
                .collect(),
            words: self.text.split_whitespace().count(),
        }
    }
}

/// The repository's README, found once and shared by every rule that reads it.
#[derive(Debug, Clone)]
pub struct FoundReadme(pub Option<Readme>);

impl FoundReadme {
    pub fn get(&self) -> Option<&Readme> {
        self.0.as_ref()
    }
}

impl Fact for FoundReadme {
    fn compute(context: &RepoContext) -> Self {
        FoundReadme(find(context.snapshot))
    }
}

pub fn find(snapshot: &Snapshot) -> Option<Readme> {
    for dir in README_DIRS {
        for name in README_NAMES {
            let wanted = format!("{dir}{name}");
            let Some(entry) = snapshot
                .files()
                .find(|e| e.path.eq_ignore_ascii_case(&wanted))
            else {
                continue;
            };
            let text = snapshot.text(&entry.path)?;
            let outline = parse::outline(&text);
            return Some(Readme {
                path: entry.path.clone(),
                text,
                outline,
            });
        }
    }
    None
}

/// Whether a normalised heading mentions a synonym as whole words ("data sources" has "data",
/// "metadata" does not).
pub fn heading_matches(normalised: &str, synonym: &str) -> bool {
    let words: Vec<&str> = normalised.split(' ').collect();
    let wanted: Vec<&str> = synonym.split_whitespace().collect();
    !wanted.is_empty()
        && words
            .windows(wanted.len())
            .any(|window| window == wanted.as_slice())
}

/// Minimum words for an opening paragraph to count as saying what the project is.
const INTRO_MIN_WORDS: usize = 8;

pub fn check_section(
    readme: Option<&Readme>,
    headings: &[String],
    paragraph: Option<&crate::pack::PackRegex>,
    intro: bool,
) -> Verdict {
    let Some(readme) = readme else {
        return Verdict::not_applicable("there is no README");
    };
    for heading in &readme.outline.headings {
        if headings
            .iter()
            .any(|s| heading_matches(&heading.normalised, s))
        {
            return Verdict::pass().with_evidence([Evidence::at(
                &readme.path,
                heading.line as u64,
                format!("heading: {}", heading.text),
            )]);
        }
    }
    if let Some(pattern) = paragraph {
        let pattern = match pattern.get() {
            Ok(pattern) => pattern,
            Err(error) => {
                return Verdict::error(format!("the rule's pattern cannot be used: {error}"));
            }
        };
        for (index, line) in readme.text.lines().enumerate() {
            if let Some(found) = pattern.find(line) {
                return Verdict::pass().with_evidence([Evidence::at(
                    &readme.path,
                    index as u64 + 1,
                    excerpt_around(line, found.start()),
                )]);
            }
        }
    }
    if intro {
        // Only the opening counts: prose deep in the file is not "what this is for".
        let first_sections = readme
            .outline
            .headings
            .get(2)
            .map_or(usize::MAX, |h| h.line);
        if let Some(paragraph) = readme
            .outline
            .paragraphs
            .iter()
            .filter(|p| p.line < first_sections)
            .find(|p| parse::is_prose(p, INTRO_MIN_WORDS))
        {
            return Verdict::pass().with_evidence([Evidence::at(
                &readme.path,
                paragraph.line as u64,
                excerpt_around(&paragraph.text, 0),
            )]);
        }
    }
    Verdict::fail().with_evidence([Evidence::path(&readme.path)])
}

/// At most 100 characters of a line, from near the match.
pub fn excerpt_around(line: &str, at: usize) -> String {
    let start = line[..at.min(line.len())]
        .char_indices()
        .rev()
        .nth(20)
        .map_or(0, |(i, _)| i);
    let excerpt: String = line[start..].trim().chars().take(100).collect();
    if line.len() - start > excerpt.len() {
        format!("{excerpt}…")
    } else {
        excerpt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_match_whole_words_only() {
        assert!(heading_matches("data sources", "data"));
        assert!(!heading_matches("metadata", "data"));
        assert!(heading_matches("how to get started", "get started"));
    }
}
