//! RAP Silver criteria: one entry point, configuration in files, documented and reusable
//! code in a standard layout, coding standards, tests, pinned dependencies, logging, tidy data.

use super::common::*;
use crate::checks::rap::RapTests;
use crate::facts::RepoContext;
use crate::model::facts::rap::Language;
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

pub(super) fn entry_point(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        if let Some(package) = &project.r_package {
            return Verdict::pass().with_evidence([note(format!(
                "R package ({package}): its exported functions are the entry point"
            ))]);
        }
        if !project.entry_points.is_empty() {
            return Verdict::pass().with_evidence([note(format!(
                "entry point: {}",
                list(&project.entry_points, 3)
            ))]);
        }
        let mut scripts: Vec<String> = rap
            .profile
            .files
            .iter()
            .filter(|f| !f.is_test())
            .map(|f| f.path.clone())
            .collect();
        scripts.dedup();
        if scripts.len() == 1 {
            return Verdict::pass()
                .with_evidence([note(format!("one script runs everything: {}", scripts[0]))]);
        }
        if rap.code.python.main_guards.len() == 1 {
            return Verdict::pass().with_evidence([note(format!(
                "entry point: {} (`if __name__ == \"__main__\"`)",
                rap.code.python.main_guards[0]
            ))]);
        }
        Verdict::fail()
            .with_message(format!("{} scripts or notebooks and no single entry point: someone has to run them by hand, in order.", scripts.len()))
            .with_evidence([note(list(&scripts, 5))])
    })
}

pub(super) fn config_file(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        if !project.config_files.is_empty() {
            return Verdict::pass()
                .with_evidence([note(format!("config: {}", list(&project.config_files, 3)))]);
        }
        let library = project.r_package.is_some()
            || (project.python_package.is_some()
                && rap.code.python.main_guards.is_empty()
                && !project
                    .entry_points
                    .iter()
                    .any(|e| !e.starts_with("pyproject.toml")));
        if library {
            return Verdict::not_applicable(
                "a library package: callers pass settings as arguments",
            );
        }
        Verdict::fail()
            .with_message("No config file: paths, dates and parameters are set inside the code.")
    })
}

pub(super) fn documented_code(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let wanted = params.share("min-share");
        let mut evidence = Vec::new();
        let mut short = Vec::new();
        let primary = if rap.primary.is_empty() {
            vec![]
        } else {
            rap.primary.clone()
        };
        for language in &primary {
            let Some(facts) = rap.code.get(*language) else {
                continue;
            };
            let style = if *language == Language::R {
                "roxygen"
            } else {
                "docstrings"
            };
            let sample = if facts.files_read < facts.files_total {
                format!(
                    " (in a sample of {} of {} files)",
                    facts.files_read, facts.files_total
                )
            } else {
                String::new()
            };
            evidence.push(note(format!(
                "{}: {style} on {}/{} functions{sample}",
                language.name(),
                facts.documented,
                facts.functions
            )));
            if facts.functions == 0 || (facts.documented as f64) < wanted * facts.functions as f64 {
                short.push(*language);
            }
        }
        if primary.is_empty() {
            return Verdict::fail()
                .with_message("No Python or R functions to document.")
                .with_evidence(evidence);
        }
        if short.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!("{} code is not documented: fewer than {:.0}% of functions have docstrings or roxygen.", names(&short), wanted * 100.0))
                .with_evidence(evidence)
        }
    })
}

pub(super) fn standard_layout(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        let mut evidence = Vec::new();
        if !project.code_dirs.is_empty() {
            evidence.push(note(format!("code in {}", project.code_dirs.join(", "))));
        }
        if let Some(dir) = &rap.tests.dir {
            evidence.push(note(format!("tests in {dir}")));
        }
        if !project.data_dirs.is_empty() {
            evidence.push(note(format!("data in {}", project.data_dirs.join(", "))));
        }
        let mut problems = Vec::new();
        if project.code_dirs.is_empty() {
            problems.push(format!(
                "code is not in src/, R/ or a package directory ({})",
                list(&project.loose_code, 3)
            ));
        }
        if !project.code_in_data.is_empty() {
            problems.push(format!(
                "code sits among data or outputs ({})",
                list(&project.code_in_data, 3)
            ));
        }
        if rap.tests.count > 0 && rap.tests.dir.is_none() {
            problems.push("tests are not in tests/".to_string());
        }
        if problems.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "The layout is not standard: {}.",
                    problems.join("; ")
                ))
                .with_evidence(evidence)
        }
    })
}

pub(super) fn reusable_functions(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let (python, r) = (&rap.code.python, &rap.code.r);
        let functions = python.functions + r.functions;
        let classes = python.classes + r.classes;
        let mut files: Vec<String> = python.files_with_functions.clone();
        files.extend(r.files_with_functions.iter().cloned());
        if functions + classes == 0 {
            return Verdict::fail().with_message("No functions or classes: the code runs top to bottom and cannot be reused or tested.");
        }
        Verdict::pass().with_evidence([note(format!(
            "{functions} function{}, {classes} class{} in {}",
            if functions == 1 { "" } else { "s" },
            if classes == 1 { "" } else { "es" },
            list(&files, 3)
        ))])
    })
}

pub(super) fn coding_standards(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for language in &rap.primary {
            let found = match language {
                Language::Python => &rap.project.python_standards,
                _ => &rap.project.r_standards,
            };
            if found.is_empty() {
                missing.push(*language);
            } else {
                evidence.push(note(format!("{}: {}", language.name(), list(found, 3))));
            }
        }
        if rap.primary.is_empty() {
            return Verdict::fail()
                .with_message("No linter or formatter configuration for the code.");
        }
        if missing.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "No linter or formatter configuration for {}.",
                    names(&missing)
                ))
                .with_evidence(evidence)
        }
    })
}

pub(super) fn tests_present(context: &RepoContext, _: &Params) -> Verdict {
    let RapTests { primary, tests } = &*context.get::<RapTests>();
    if tests.count == 0 {
        return Verdict::fail();
    }
    let untested: Vec<Language> = primary
        .iter()
        .copied()
        .filter(|l| tests.for_language(*l) == 0)
        .collect();
    let tested_any = primary.iter().any(|l| tests.for_language(*l) > 0);
    let evidence = [note(tests.summary())];
    if tested_any && !untested.is_empty() {
        return Verdict::fail()
            .with_message(format!("No tests for the {} code.", names(&untested)))
            .with_evidence(evidence);
    }
    Verdict::pass().with_evidence(evidence)
}

pub(super) fn dependencies_pinned(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let wanted = params.share("min-share");
        let mut evidence: Vec<Evidence> =
            rap.dependencies.iter().map(|m| note(m.summary())).collect();
        let mut unpinned = Vec::new();
        for language in &rap.primary {
            let manifests: Vec<_> = rap
                .dependencies
                .iter()
                .filter(|m| m.language == *language)
                .collect();
            if manifests.is_empty() {
                unpinned.push(format!("no dependency file for {}", language.name()));
                continue;
            }
            let pinned = manifests
                .iter()
                .any(|m| m.lock || (m.total > 0 && m.pinned as f64 >= wanted * m.total as f64));
            let library = match language {
                Language::Python => rap.project.python_package.is_some(),
                _ => rap.project.r_package.is_some(),
            };
            if !pinned && !library {
                unpinned.push(format!("{} versions are not pinned", language.name()));
            }
            if !pinned && library {
                evidence.push(note(format!(
                    "{} library package: version ranges are fine",
                    language.name()
                )));
            }
        }
        if rap.primary.is_empty() && rap.dependencies.is_empty() {
            return Verdict::not_applicable("no Python or R code");
        }
        if unpinned.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "Dependencies are not pinned: {}.",
                    unpinned.join("; ")
                ))
                .with_evidence(evidence)
        }
    })
}

pub(super) fn logging(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for language in &rap.primary {
            match rap.code.get(*language).and_then(|c| c.logging.as_ref()) {
                Some(hit) => {
                    let mut e = located(hit);
                    e.excerpt = Some(format!("logging: `{}`", hit.text));
                    evidence.push(e);
                }
                None => missing.push(*language),
            }
        }
        if rap.primary.is_empty() {
            return Verdict::fail().with_message("The pipeline does not record logs.");
        }
        if missing.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "The {} code does not record logs.",
                    names(&missing)
                ))
                .with_evidence(evidence)
        }
    })
}

pub(super) fn tidy_data(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut outputs: Vec<Evidence> = rap
            .code
            .python
            .outputs
            .iter()
            .chain(&rap.code.r.outputs)
            .take(5)
            .map(located)
            .collect();
        if outputs.is_empty() {
            outputs.push(note("no output writes found in Python or R code"));
        }
        Verdict::needs_review("files cannot show whether data is tidy (one row per observation, one column per variable): check the outputs")
            .with_evidence(outputs)
    })
}
