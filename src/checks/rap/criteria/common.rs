//! What the criteria share: evidence items from located facts, short lists for messages,
//! and the rule that criteria about code do not apply to a repository without any.

use crate::facts::RepoContext;
use crate::model::facts::rap::{Language, Located, RapEvidence};
use crate::model::{Evidence, Verdict};

pub fn located(hit: &Located) -> Evidence {
    Evidence {
        path: Some(hit.path.clone()),
        line: hit.line,
        excerpt: Some(hit.text.clone()),
        commit: None,
        ..Evidence::default()
    }
}

pub fn note(text: impl Into<String>) -> Evidence {
    Evidence::note(text)
}

/// Why criteria about code do not apply to a repository without any.
pub const NO_CODE: &str = "no analysis code (Python, R, SQL, SAS, SPSS, Stata or VBA) found";

/// Criteria about code do not apply to a repository without any.
pub fn with_code(context: &RepoContext, judge: impl FnOnce(&RapEvidence) -> Verdict) -> Verdict {
    let evidence = context.get::<RapEvidence>();
    if evidence.has_code() {
        judge(&evidence)
    } else {
        Verdict::not_applicable(NO_CODE)
    }
}

pub fn list(items: &[String], max: usize) -> String {
    let mut shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let more = items.len().saturating_sub(max);
    let extra = format!("and {more} more");
    if more > 0 {
        shown.push(&extra);
    }
    shown.join(", ")
}

pub fn names(languages: &[Language]) -> String {
    languages
        .iter()
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A library package: callers pass its settings and decide when it runs. An R package with
/// no script beside `R/`, or a Python package with no `__main__` guard, and in either case
/// nothing that runs it as a pipeline: no entry point besides console scripts, no script the
/// README runs, no job an orchestrator runs. Publication teams also package their pipelines
/// (NHSBSA's are R packages with a `pipeline.R`); those are not libraries.
pub fn is_library(rap: &RapEvidence) -> bool {
    let project = &rap.project;
    let runs_a_script = rap.readme_commands.iter().any(|c| c.runs.is_some())
        || !rap.orchestration.jobs.is_empty()
        || project
            .entry_points
            .iter()
            .any(|e| !e.contains("pyproject.toml [project.scripts]"));
    // README.Rmd is the package's front page, not a script.
    let r_library = project.r_package.is_some()
        && !project
            .loose_code
            .iter()
            .any(|path| path.to_ascii_lowercase().ends_with(".r"));
    let python_library = project.python_package.is_some() && rap.code.python.main_guards.is_empty();
    (r_library || python_library) && !runs_a_script
}
