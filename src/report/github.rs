//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), so failures
//! show as annotations on the pull request's diff and the run page. In PR mode only the new
//! findings are annotated: a reviewer should see what this change did, not the backlog.
//!
//! GitHub reads these lines from the step's output and decodes `%25`, `%0D` and `%0A` in the
//! message, and additionally `%3A` and `%2C` in property values; anything else that looks like
//! a command separator would cut the annotation short, so everything we print goes through
//! [`escape_data`] or [`escape_property`].

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{Emitter, RenderOptions};
use crate::model::{Finding, Severity};
use crate::model::{RepoReport, Report};

/// Annotations per finding: a rule with a hundred matching files should not bury the rest.
const MAX_LOCATIONS: usize = 10;

pub struct GithubEmitter {
    /// The directory GitHub resolves annotation paths against (the workspace); repository
    /// locations under it become path prefixes, so a monorepo subdirectory annotates correctly.
    root: Option<PathBuf>,
}

impl GithubEmitter {
    pub fn new(root: Option<PathBuf>) -> Self {
        GithubEmitter { root }
    }

    /// Steps run in the workspace unless told otherwise, and annotation paths are relative to it.
    pub fn in_current_dir() -> Self {
        let root = std::env::var_os("GITHUB_WORKSPACE")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok());
        GithubEmitter::new(root)
    }

    /// The repository's directory relative to the workspace, with `/` separators; empty at
    /// the root or when the location is not a directory under it (a GitHub source).
    fn prefix(&self, repo: &RepoReport) -> String {
        let Some(root) = &self.root else {
            return String::new();
        };
        let (Ok(location), Ok(root)) = (
            Path::new(&repo.source.location).canonicalize(),
            root.canonicalize(),
        ) else {
            return String::new();
        };
        location
            .strip_prefix(&root)
            .map(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }
}

/// Escapes a message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file`, `title`): as data, plus `:` and `,`, which separate
/// properties and end the property list.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command line, without the newline.
pub fn command(
    level: &str,
    file: Option<&str>,
    line: Option<u64>,
    title: &str,
    message: &str,
) -> String {
    let mut properties = Vec::new();
    if let Some(file) = file {
        properties.push(format!("file={}", escape_property(file)));
        if let Some(line) = line {
            properties.push(format!("line={line}"));
        }
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{level} {}::{}",
        properties.join(","),
        escape_data(message)
    )
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Where a finding with no file of its own belongs: the licence or README it is about when
/// the repository has one, or else the repository itself (no file).
fn fallback_file(repo: &RepoReport, finding: &Finding) -> Option<String> {
    match finding.category.as_str() {
        "licence" => repo.facts.licence_files.first().cloned(),
        "readme" => repo.facts.readme.as_ref().map(|r| r.path.clone()),
        _ => None,
    }
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}/{path}")
    }
}

/// The annotation's text: what this location shows (its own message when the check gave one,
/// so an annotation never names another file), the excerpt, the fix.
fn message(finding: &Finding, located: Option<&str>, excerpt: Option<&str>) -> String {
    let mut text = located.unwrap_or(&finding.message).to_string();
    if let Some(excerpt) = excerpt.filter(|e| !e.is_empty()) {
        text.push_str(&format!("\n{excerpt}"));
    }
    if !finding.help.is_empty() {
        text.push_str(&format!("\nFix: {}", finding.help));
    }
    text.push_str(&format!("\nMore: openly explain {}", finding.rule));
    text
}

impl GithubEmitter {
    fn annotate(
        &self,
        out: &mut dyn Write,
        repo: &RepoReport,
        finding: &Finding,
    ) -> io::Result<()> {
        let prefix = self.prefix(repo);
        let title = format!("{} ({})", finding.title, finding.rule);
        let level = level(finding.severity);
        let located: Vec<_> = finding
            .evidence
            .iter()
            .filter(|e| e.path.is_some())
            .take(MAX_LOCATIONS)
            .collect();
        if located.is_empty() {
            let notes: Vec<&str> = finding
                .evidence
                .iter()
                .filter_map(|e| e.excerpt.as_deref())
                .collect();
            let file = fallback_file(repo, finding).map(|f| join(&prefix, &f));
            // A directory is not a file GitHub can annotate: name it in the title instead.
            let title = match (&file, prefix.is_empty()) {
                (None, false) => format!("{prefix}: {title}"),
                _ => title,
            };
            let text = message(finding, None, Some(&notes.join("\n")));
            return writeln!(
                out,
                "{}",
                command(level, file.as_deref(), None, &title, &text)
            );
        }
        for evidence in located {
            let path = join(&prefix, evidence.path.as_deref().unwrap_or_default());
            let text = message(
                finding,
                evidence.message.as_deref(),
                evidence.excerpt.as_deref(),
            );
            writeln!(
                out,
                "{}",
                command(level, Some(&path), evidence.line, &title, &text)
            )?;
        }
        Ok(())
    }
}

impl Emitter for GithubEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        if let (Some(pr), Some(repo)) = (&report.pr, report.repos.first()) {
            for finding in pr.new_failures() {
                self.annotate(out, repo, finding)?;
            }
            return Ok(());
        }
        for repo in &report.repos {
            if let Some(error) = &repo.error {
                writeln!(
                    out,
                    "{}",
                    command(
                        "error",
                        None,
                        None,
                        &format!("openly could not audit {}", repo.name),
                        error
                    )
                )?;
                continue;
            }
            for finding in repo.top_fixes() {
                self.annotate(out, repo, finding)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_newlines_only() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn line_is_only_given_with_a_file() {
        assert_eq!(
            command("warning", None, Some(3), "t", "m"),
            "::warning title=t::m"
        );
        assert_eq!(
            command("error", Some("a,b.py"), Some(3), "x: y", "m"),
            "::error file=a%2Cb.py,line=3,title=x%3A y::m"
        );
    }
}
