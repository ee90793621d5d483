//! RAP Silver criteria: one entry point, configuration in files, documented and reusable
//! code in a standard layout, coding standards, tests, pinned dependencies, logging, tidy data.

use super::common::*;
use crate::checks::rap::RapTests;
use crate::checks::rap::deps::Manifests;
use crate::facts::RepoContext;
use crate::model::facts::rap::{Language, Manifest, RunCommand};
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

pub(super) fn entry_point(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        // What the README says to run is the entry point, whatever the script is called.
        let mut runs: Vec<&RunCommand> = Vec::new();
        for command in rap.readme_commands.iter().filter(|c| c.runs.is_some()) {
            if runs.iter().all(|r| r.runs != command.runs) {
                runs.push(command);
            }
        }
        if let [command] = runs.as_slice() {
            return Verdict::pass()
                .with_evidence([readme_command(command, "the README runs the pipeline with")]);
        }
        // A README that names a file the repository lacks is worth showing whatever the verdict.
        let missing: Vec<Evidence> = rap
            .readme_commands
            .iter()
            .filter(|c| c.runs.is_none())
            .take(3)
            .map(|c| readme_command(c, "the README runs a file the repository does not hold:"))
            .collect();
        let project = &rap.project;
        let found = if let Some(package) = &project.r_package {
            Some(format!(
                "R package ({package}): its exported functions are the entry point"
            ))
        } else if !project.entry_points.is_empty() {
            Some(format!("entry point: {}", list(&project.entry_points, 3)))
        } else if let Some(package) = project.python_package.as_ref().filter(|_| is_library(rap)) {
            Some(format!(
                "Python library package ({package}): its public functions are the entry point"
            ))
        } else {
            rap.orchestration.jobs.first().map(|job| {
                format!(
                    "an orchestrator runs the pipeline as one job: {}{}",
                    job.path,
                    job.line.map(|l| format!(":{l}")).unwrap_or_default()
                )
            })
        };
        if let Some(found) = found {
            return Verdict::pass().with_evidence([note(found)].into_iter().chain(missing));
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
            let found = note(format!("one script runs everything: {}", scripts[0]));
            return Verdict::pass().with_evidence([found].into_iter().chain(missing));
        }
        if rap.code.python.main_guards.len() == 1 {
            let found = note(format!(
                "entry point: {} (`if __name__ == \"__main__\"`)",
                rap.code.python.main_guards[0]
            ));
            return Verdict::pass().with_evidence([found].into_iter().chain(missing));
        }
        if runs.len() > 1 {
            let files: Vec<String> = runs.iter().filter_map(|c| c.runs.clone()).collect();
            return Verdict::fail()
                .with_message(format!(
                    "The README runs {} scripts one after another ({}) and no single entry point runs them all: someone has to run them by hand, in order.",
                    files.len(),
                    list(&files, 5)
                ))
                .with_evidence(
                    runs.iter()
                        .take(5)
                        .map(|c| readme_command(c, "the README runs"))
                        .chain(missing),
                );
        }
        Verdict::fail()
            .with_message(format!("{} scripts or notebooks and no single entry point: someone has to run them by hand, in order.", scripts.len()))
            .with_evidence([note(list(&scripts, 5))].into_iter().chain(missing))
    })
}

/// A README command as evidence, pointing at its line.
fn readme_command(command: &RunCommand, saying: &str) -> Evidence {
    let runs = match &command.runs {
        Some(file) if !command.command.contains(file.as_str()) => format!(" ({file})"),
        _ => String::new(),
    };
    Evidence {
        path: Some(command.path.clone()),
        line: Some(command.line),
        excerpt: Some(format!("{saying} `{}`{runs}", command.command)),
        ..Evidence::default()
    }
}

pub(super) fn config_file(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        if !project.config_files.is_empty() {
            return Verdict::pass()
                .with_evidence([note(format!("config: {}", list(&project.config_files, 3)))]);
        }
        if is_library(rap) {
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
        if let Some(sql) = rap.sql.as_ref().filter(|_| primary.is_empty()) {
            let how = if sql.dbt_project.is_some() {
                "a header comment or a dbt description"
            } else {
                "a header comment"
            };
            let evidence = [note(format!(
                "SQL: {how} in {}/{} files",
                sql.commented, sql.files_read
            ))];
            if sql.files_read > 0 && sql.commented as f64 >= wanted * sql.files_read as f64 {
                return Verdict::pass().with_evidence(evidence);
            }
            return Verdict::fail()
                .with_message(format!("SQL code is not documented: fewer than {:.0}% of files open with a comment saying what they do.", wanted * 100.0))
                .with_evidence(evidence);
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
            // Loose files at the root first; otherwise wherever the code does sit.
            let scattered: Vec<String> = if project.loose_code.is_empty() {
                rap.profile
                    .files
                    .iter()
                    .filter(|f| !f.is_test())
                    .map(|f| f.path.clone())
                    .collect()
            } else {
                project.loose_code.clone()
            };
            problems.push(format!(
                "code is not in src/, R/ or a package directory ({})",
                list(&scattered, 3)
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
            if let Some(sql) = rap.sql.as_ref().filter(|s| s.definitions > 0) {
                return Verdict::pass().with_evidence([note(format!(
                    "SQL: {} view{}, function{s}, procedure{s} or model{s} in {}",
                    sql.definitions,
                    if sql.definitions == 1 { "" } else { "s" },
                    list(&sql.files_with_definitions, 3),
                    s = if sql.definitions == 1 { "" } else { "s" },
                ))]);
            }
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
        if let Some(sql) = rap.sql.as_ref().filter(|_| rap.primary.is_empty()) {
            if sql.standards.is_empty() {
                return Verdict::fail()
                    .with_message("No linter or formatter configuration for SQL.");
            }
            return Verdict::pass()
                .with_evidence([note(format!("SQL: {}", list(&sql.standards, 3)))]);
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
    let RapTests {
        primary,
        tests,
        has_code,
        ..
    } = &*context.get::<RapTests>();
    if tests.count == 0 {
        if !has_code {
            return Verdict::not_applicable(NO_CODE);
        }
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

pub(super) fn dependencies_declared(context: &RepoContext, _: &Params) -> Verdict {
    let Manifests(manifests) = &*context.get::<Manifests>();
    if manifests.is_empty() {
        // SQL run in a database has no packages to declare (dbt's packages.yml aside, which
        // counts as a manifest); `rap/dependencies-pinned` does not apply to it either.
        let rap = context.get::<RapTests>();
        if rap.sql_pipeline {
            return Verdict::not_applicable(
                "a SQL pipeline with no package manifest: the database it runs on is its dependency (name it and its version in the README)",
            );
        }
        if !rap.has_code {
            return Verdict::not_applicable(NO_CODE);
        }
        return Verdict::fail();
    }
    Verdict::pass().with_evidence(manifests.iter().map(|m| Evidence::path(&m.path)))
}

pub(super) fn dependencies_pinned(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let wanted = params.share("min-share");
        let mut evidence: Vec<Evidence> =
            rap.dependencies.iter().map(|m| note(m.summary())).collect();
        // Python and R code is judged per language; a pipeline in neither (SQL run by a
        // Makefile or a Node script) is judged by the ecosystems it declares.
        let mut ecosystems = rap.primary.clone();
        if ecosystems.is_empty() {
            for manifest in &rap.dependencies {
                if !ecosystems.contains(&manifest.language) {
                    ecosystems.push(manifest.language);
                }
            }
        }
        let mut unpinned = Vec::new();
        for language in &ecosystems {
            let manifests: Vec<_> = rap
                .dependencies
                .iter()
                .filter(|m| serves(m, *language))
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
                Language::R => rap.project.r_package.is_some(),
                _ => false,
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
        if ecosystems.is_empty() {
            if rap.sql.is_some() {
                return Verdict::not_applicable("a SQL pipeline with no package manifest");
            }
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

/// Conda environments and their locks install R packages as readily as Python ones.
fn serves(manifest: &Manifest, language: Language) -> bool {
    let name = crate::source::file_name(&manifest.path).to_ascii_lowercase();
    let conda = name.starts_with("environment") || name.contains("conda-lock");
    manifest.language == language || (language == Language::R && conda)
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
            if let Some(sql) = &rap.sql {
                return match &sql.logging {
                    Some(hit) => {
                        let mut e = located(hit);
                        e.excerpt = Some(format!("logging: `{}`", hit.text));
                        Verdict::pass().with_evidence([e])
                    }
                    None => Verdict::fail().with_message("The SQL pipeline does not record logs: no log table or RAISE LOG in the SQL, no run script writing a log file, no dbt project."),
                };
            }
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

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::model::Outcome;

    const R_DESCRIPTION: &str = "Package: bedsr\nTitle: Invented Bed Counts\nVersion: 0.2.0\nImports:\n    dplyr (>= 1.1.0),\n    readr\n";

    fn r_package(extra: &[(&'static str, &'static str)]) -> tempfile::TempDir {
        let mut files = vec![
            ("DESCRIPTION", R_DESCRIPTION),
            ("NAMESPACE", "export(count_beds)\n"),
            (
                "R/beds.R",
                "#' Count beds\n#' @export\ncount_beds <- function(x) nrow(x)\n",
            ),
        ];
        files.extend_from_slice(extra);
        repo(&files)
    }

    #[test]
    fn entry_point_by_name_package_or_single_script() {
        let named = repo(&[
            ("main.py", "from steps import run\nrun()\n"),
            ("steps.py", "def run():\n    pass\n"),
        ]);
        let verdict = judge(named.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["entry point: main.py"]);

        let targets = repo(&[
            ("_targets.R", "list()\n"),
            ("R/clean.R", "clean <- function(x) x\n"),
        ]);
        let verdict = judge(targets.path(), "rap-entry-point");
        assert_eq!(excerpts(&verdict), ["entry point: _targets.R"]);

        let package = r_package(&[("R/extra.R", "helper <- function() 1\n")]);
        let verdict = judge(package.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert!(excerpts(&verdict)[0].starts_with("R package ("));

        let scripts = repo(&[
            (
                "pyproject.toml",
                "[project]\nname = \"waits\"\n\n[project.scripts]\nwaits = \"waits.cli:main\"\n",
            ),
            ("waits/__init__.py", ""),
            ("waits/cli.py", "def main():\n    pass\n"),
        ]);
        let verdict = judge(scripts.path(), "rap-entry-point");
        assert_eq!(
            excerpts(&verdict),
            ["entry point: pyproject.toml [project.scripts] waits"]
        );

        // Tests are not scripts someone runs to make the outputs.
        let single = repo(&[
            ("build_tables.py", "print(1)\n"),
            ("tests/test_build.py", "def test_x():\n    pass\n"),
        ]);
        let verdict = judge(single.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["one script runs everything: build_tables.py"]
        );
    }

    #[test]
    fn entry_point_by_one_main_guard_among_modules() {
        let dir = repo(&[
            (
                "make_tables.py",
                "import steps\n\nif __name__ == \"__main__\":\n    steps.run()\n",
            ),
            ("steps.py", "def run():\n    pass\n"),
        ]);
        let verdict = judge(dir.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["entry point: make_tables.py (`if __name__ == \"__main__\"`)"]
        );
    }

    #[test]
    fn several_scripts_without_an_entry_point_fail() {
        let dir = repo(&[
            ("01_extract.py", "if __name__ == \"__main__\":\n    pass\n"),
            ("02_clean.py", "if __name__ == \"__main__\":\n    pass\n"),
            ("03_tables.R", "x <- 1\n"),
        ]);
        let verdict = judge(dir.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(
            message(&verdict).starts_with("3 scripts or notebooks and no single entry point"),
            "{verdict:?}"
        );
        assert_eq!(
            excerpts(&verdict),
            ["01_extract.py, 02_clean.py, 03_tables.R"]
        );
    }

    #[test]
    fn the_readme_command_is_the_entry_point_whatever_its_name() {
        let dir = repo(&[
            (
                "README.md",
                "# Bed report\n\n## Usage\n\n```sh\nRscript create_report.R\n```\n",
            ),
            (
                "create_report.R",
                "source('R/load.R')\nsource('R/tables.R')\n",
            ),
            ("R/load.R", "load <- function() 1\n"),
            ("R/tables.R", "tables <- function() 2\n"),
        ]);
        let verdict = judge(dir.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("README.md"));
        assert_eq!(verdict.evidence[0].line, Some(6));
        assert_eq!(
            excerpts(&verdict),
            ["the README runs the pipeline with `Rscript create_report.R`"]
        );

        // Two spellings of one command are one entry point; a module names its __main__.py.
        let spelled = repo(&[
            (
                "README.md",
                "## Getting started\n\n    python -m bedflow\n\nOn Windows: `py -m bedflow`.\n",
            ),
            ("bedflow/__init__.py", ""),
            (
                "bedflow/__main__.py",
                "if __name__ == \"__main__\":\n    pass\n",
            ),
            (
                "bedflow/steps.py",
                "if __name__ == \"__main__\":\n    pass\n",
            ),
        ]);
        let verdict = judge(spelled.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["the README runs the pipeline with `python -m bedflow` (bedflow/__main__.py)"]
        );
    }

    #[test]
    fn a_readme_that_runs_scripts_in_turn_has_no_single_entry_point() {
        let dir = repo(&[
            (
                "README.md",
                "## How to run\n\n```\npython 01_extract.py\npython 02_clean.py\nRscript 03_tables.R\n```\n",
            ),
            ("01_extract.py", "x = 1\n"),
            ("02_clean.py", "x = 2\n"),
            ("03_tables.R", "x <- 3\n"),
        ]);
        let verdict = judge(dir.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "The README runs 3 scripts one after another (01_extract.py, 02_clean.py, 03_tables.R) and no single entry point runs them all: someone has to run them by hand, in order."
        );
        assert_eq!(verdict.evidence[2].line, Some(6));

        // A conventional entry point still counts when the README lists stages too.
        let with_main = repo(&[
            (
                "README.md",
                "## Usage\n\n```\npython stage_one.py\npython stage_two.py\n```\n",
            ),
            ("stage_one.py", ""),
            ("stage_two.py", ""),
            ("main.py", ""),
        ]);
        let verdict = judge(with_main.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["entry point: main.py"]);
    }

    #[test]
    fn a_readme_command_for_a_missing_file_is_shown_not_trusted() {
        let dir = repo(&[
            ("README.md", "## Usage\n\n`python create_tables.py`\n"),
            ("make_tables.py", "x = 1\n"),
            ("helpers.py", "y = 2\n"),
        ]);
        let verdict = judge(dir.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            excerpts(&verdict),
            [
                "helpers.py, make_tables.py",
                "the README runs a file the repository does not hold: `python create_tables.py`"
            ]
        );
    }

    #[test]
    fn a_stale_readme_command_is_shown_beside_a_conventional_entry_point() {
        let dir = repo(&[
            (
                "README.md",
                "## Usage\n\n`python examples/run_example.py`\n",
            ),
            ("create_publication.py", "x = 1\n"),
            ("src/steps.py", "y = 2\n"),
        ]);
        let verdict = judge(dir.path(), "rap-entry-point");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            [
                "entry point: create_publication.py",
                "the README runs a file the repository does not hold: `python examples/run_example.py`"
            ]
        );
    }

    #[test]
    fn config_file_passes_fails_and_does_not_apply_to_libraries() {
        let config = repo(&[("run.py", "print(1)\n"), ("config.yaml", "year: 2024\n")]);
        let verdict = judge(config.path(), "rap-config-file");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["config: config.yaml"]);

        let directory = repo(&[("run.py", "print(1)\n"), ("config/paths.toml", "x = 1\n")]);
        let verdict = judge(directory.path(), "rap-config-file");
        assert_eq!(excerpts(&verdict), ["config: config/paths.toml"]);

        // Inside a package, config.py is a module that reads settings, not a config file.
        let none = repo(&[
            ("run.py", "print(1)\n"),
            ("waits/config.py", "PATH = 'x'\n"),
            ("pyproject.toml", "[tool.ruff]\n"),
        ]);
        let verdict = judge(none.path(), "rap-config-file");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("No config file"));

        // An editor's settings are not the pipeline's (nhs-notify-reporting's
        // `src/.vscode/settings.json`).
        let editor = repo(&[
            ("run.py", "print(1)\n"),
            ("src/.vscode/settings.json", "{\"editor.tabSize\": 4}\n"),
        ]);
        assert_eq!(
            judge(editor.path(), "rap-config-file").outcome,
            Outcome::Fail
        );

        let package = r_package(&[]);
        let verdict = judge(package.path(), "rap-config-file");
        assert_eq!(verdict.outcome, Outcome::NotApplicable);
        assert!(message(&verdict).starts_with("a library package"));

        let library = repo(&[
            ("pyproject.toml", "[project]\nname = \"waitlib\"\n"),
            ("waitlib/__init__.py", "def f():\n    pass\n"),
        ]);
        let verdict = judge(library.path(), "rap-config-file");
        assert_eq!(verdict.outcome, Outcome::NotApplicable);

        // A package with a script entry is an application: it needs settings.
        let application = repo(&[
            ("pyproject.toml", "[project]\nname = \"waitapp\"\n"),
            ("waitapp/__init__.py", ""),
            (
                "waitapp/__main__.py",
                "if __name__ == \"__main__\":\n    pass\n",
            ),
        ]);
        let verdict = judge(application.path(), "rap-config-file");
        assert_eq!(verdict.outcome, Outcome::Fail);
    }

    #[test]
    fn documented_code_at_and_below_the_share() {
        let half = repo(&[(
            "src/steps.py",
            "def load():\n    \"\"\"Load the extract.\"\"\"\n\ndef clean():\n    return 1\n",
        )]);
        let verdict = judge(half.path(), "rap-documented-code");
        assert_eq!(verdict.outcome, Outcome::Pass, "half is the default share");
        assert_eq!(excerpts(&verdict), ["Python: docstrings on 1/2 functions"]);

        let verdict = judge_with(half.path(), "rap-documented-code", "min-share = 0.75", None);
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Python code is not documented: fewer than 75% of functions have docstrings or roxygen."
        );

        let bare = repo(&[("src/steps.py", "def load():\n    return 1\n")]);
        assert_eq!(
            judge(bare.path(), "rap-documented-code").outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn documented_code_is_judged_per_language() {
        let dir = repo(&[
            ("src/a.py", "def a():\n    \"\"\"A.\"\"\"\n"),
            ("R/b.R", "b <- function() 1\n"),
        ]);
        let verdict = judge(dir.path(), "rap-documented-code");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(
            message(&verdict).starts_with("R code is not documented"),
            "{verdict:?}"
        );
        assert_eq!(
            excerpts(&verdict),
            [
                "Python: docstrings on 1/1 functions",
                "R: roxygen on 0/1 functions"
            ]
        );

        // Code with no functions at all has nothing documented.
        let flat = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(flat.path(), "rap-documented-code");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(excerpts(&verdict), ["Python: docstrings on 0/0 functions"]);

        // A SQL pipeline documents its files with a header comment.
        let sql = repo(&[
            ("sql/a.sql", "-- Attendances per clinic.\nselect 1;\n"),
            ("sql/b.sql", "select 2;\n"),
        ]);
        let verdict = judge(sql.path(), "rap-documented-code");
        assert_eq!(
            verdict.outcome,
            Outcome::Pass,
            "one of two is the default half"
        );
        assert_eq!(excerpts(&verdict), ["SQL: a header comment in 1/2 files"]);
        let verdict = judge_with(sql.path(), "rap-documented-code", "min-share = 0.75", None);
        assert_eq!(
            message(&verdict),
            "SQL code is not documented: fewer than 75% of files open with a comment saying what they do."
        );
        // SQL beside Python is driven by it: the Python is what is judged.
        let driven = repo(&[
            ("run.py", "def f():\n    pass\n"),
            ("q.sql", "-- Q.\nselect 1;\n"),
        ]);
        let verdict = judge(driven.path(), "rap-documented-code");
        assert_eq!(excerpts(&verdict), ["Python: docstrings on 0/1 functions"]);
    }

    #[test]
    fn standard_layout_passes_for_src_and_tests() {
        let dir = repo(&[
            ("src/waits/steps.py", "def f():\n    pass\n"),
            ("tests/test_steps.py", "def test_f():\n    pass\n"),
            ("data/dummy.csv", "a,b\n1,2\n"),
        ]);
        let verdict = judge(dir.path(), "rap-standard-layout");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["code in src/", "tests in tests/", "data in data/"]
        );
        let package_dir = repo(&[
            ("waits/__init__.py", ""),
            ("waits/steps.py", "def f():\n    pass\n"),
        ]);
        let verdict = judge(package_dir.path(), "rap-standard-layout");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["code in waits/"]);
    }

    #[test]
    fn workbooks_among_data_are_templates_not_code() {
        let dir = repo(&[
            ("src/report.py", "x = 1\n"),
            ("data/templates/report.xlsm", "not really a workbook"),
        ]);
        let verdict = judge(dir.path(), "rap-standard-layout");
        assert_eq!(verdict.outcome, Outcome::Pass, "{verdict:?}");
    }

    #[test]
    fn standard_layout_names_every_problem() {
        let dir = repo(&[
            ("analysis.py", "x = 1\n"),
            ("outputs/make_chart.R", "plot(1)\n"),
            ("test_analysis.py", "def test_x():\n    pass\n"),
        ]);
        let verdict = judge(dir.path(), "rap-standard-layout");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "The layout is not standard: code is not in src/, R/ or a package directory (analysis.py); code sits among data or outputs (outputs/make_chart.R); tests are not in tests/."
        );
    }

    #[test]
    fn reusable_functions_count_outside_tests() {
        let dir = repo(&[
            (
                "src/steps.py",
                "def a():\n    pass\n\nclass Table:\n    pass\n",
            ),
            ("R/b.R", "b <- function() 1\nc <- function() 2\n"),
        ]);
        let verdict = judge(dir.path(), "rap-reusable-functions");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["3 functions, 1 class in src/steps.py, R/b.R"]
        );

        let flat = repo(&[
            ("run.py", "print(1)\n"),
            ("tests/test_run.py", "def test_run():\n    pass\n"),
        ]);
        let verdict = judge(flat.path(), "rap-reusable-functions");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("No functions or classes"));
    }

    #[test]
    fn a_sql_pipeline_reuses_views_and_keeps_queries_in_sql() {
        let dir = repo(&[
            (
                "sql/01_activity.sql",
                "create or replace view activity as select 1;\n",
            ),
            ("sql/02_report.sql", "select * from activity;\n"),
        ]);
        let verdict = judge(dir.path(), "rap-reusable-functions");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["SQL: 1 view, function, procedure or model in sql/01_activity.sql"]
        );
        let verdict = judge(dir.path(), "rap-standard-layout");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["code in sql/"]);

        let flat = repo(&[("report.sql", "select 1;\n")]);
        assert_eq!(
            judge(flat.path(), "rap-reusable-functions").outcome,
            Outcome::Fail
        );
        assert_eq!(
            judge(flat.path(), "rap-standard-layout").outcome,
            Outcome::Fail
        );
        // Beside Python, a sql/ folder does not make loose scripts a standard layout.
        let python = repo(&[("run.py", "x = 1\n"), ("sql/q.sql", "select 1;\n")]);
        assert_eq!(
            judge(python.path(), "rap-standard-layout").outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn coding_standards_per_language() {
        let python = repo(&[("src/a.py", "x = 1\n"), ("ruff.toml", "line-length = 99\n")]);
        let verdict = judge(python.path(), "rap-coding-standards");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["Python: ruff.toml (ruff)"]);

        let pyproject = repo(&[
            ("src/a.py", "x = 1\n"),
            ("pyproject.toml", "[tool.black]\n"),
        ]);
        let verdict = judge(pyproject.path(), "rap-coding-standards");
        assert_eq!(excerpts(&verdict), ["Python: pyproject.toml [tool.black]"]);

        let mixed = repo(&[
            ("src/a.py", "x = 1\n"),
            ("R/b.R", "y <- 1\n"),
            (".flake8", "[flake8]\n"),
        ]);
        let verdict = judge(mixed.path(), "rap-coding-standards");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "No linter or formatter configuration for R."
        );

        let r = repo(&[
            ("R/b.R", "y <- 1\n"),
            (".lintr", "linters: linters_with_defaults()\n"),
        ]);
        let verdict = judge(r.path(), "rap-coding-standards");
        assert_eq!(excerpts(&verdict), ["R: .lintr (lintr)"]);

        let sql = repo(&[("q.sql", "select 1;\n")]);
        let verdict = judge(sql.path(), "rap-coding-standards");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "No linter or formatter configuration for SQL."
        );
        let fluff = repo(&[
            ("sql/q.sql", "select 1;\n"),
            (".sqlfluff", "[sqlfluff]\ndialect = postgres\n"),
        ]);
        let verdict = judge(fluff.path(), "rap-coding-standards");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["SQL: .sqlfluff (sqlfluff)"]);
    }

    #[test]
    fn tests_present_per_primary_language() {
        let none = repo(&[("src/a.py", "def a():\n    pass\n")]);
        assert_eq!(judge(none.path(), "rap-tests").outcome, Outcome::Fail);

        let python = repo(&[
            ("src/a.py", "def a():\n    pass\n"),
            (
                "tests/test_a.py",
                "import pytest\n\ndef test_a():\n    pass\n",
            ),
            ("tests/conftest.py", ""),
        ]);
        let verdict = judge(python.path(), "rap-tests");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["tests/: 1 test file (pytest)"]);

        let mixed = repo(&[
            ("src/a.py", "def a():\n    pass\n"),
            ("R/b.R", "b <- function() 1\n"),
            ("tests/test_a.py", "import unittest\n"),
        ]);
        let verdict = judge(mixed.path(), "rap-tests");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(message(&verdict), "No tests for the R code.");
        assert_eq!(excerpts(&verdict), ["tests/: 1 test file (unittest)"]);

        let r = r_package(&[
            (
                "tests/testthat.R",
                "library(testthat)\ntest_check('bedsr')\n",
            ),
            (
                "tests/testthat/test-beds.R",
                "test_that('x', expect_true(TRUE))\n",
            ),
        ]);
        let verdict = judge(r.path(), "rap-tests");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["tests/testthat/: 1 test file (testthat)"]
        );
    }

    #[test]
    fn dependencies_pinned_at_and_below_the_share() {
        let pinned = "pandas==2.2.1\nnumpy==1.26.4\nrequests==2.31.0\npyyaml==6.0.1\nopenpyxl>=3\n";
        let dir = repo(&[("run.py", "print(1)\n"), ("requirements.txt", pinned)]);
        let verdict = judge(dir.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Pass, "4 of 5 is the default 0.8");
        assert_eq!(
            excerpts(&verdict),
            ["dependencies pinned: 4/5 in requirements.txt"]
        );

        let loose = "pandas==2.2.1\nnumpy==1.26.4\nrequests==2.31.0\npyyaml\nopenpyxl>=3\n";
        let dir = repo(&[("run.py", "print(1)\n"), ("requirements.txt", loose)]);
        let verdict = judge(dir.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Dependencies are not pinned: Python versions are not pinned."
        );
        let verdict = judge_with(
            dir.path(),
            "rap-dependencies-pinned",
            "min-share = 0.6",
            None,
        );
        assert_eq!(verdict.outcome, Outcome::Pass);
    }

    #[test]
    fn dependencies_pinned_by_lock_files_and_per_language() {
        let locked = repo(&[
            ("run.py", "print(1)\n"),
            ("pyproject.toml", "[tool.poetry]\nname = \"x\"\n"),
            ("poetry.lock", "# generated\n"),
        ]);
        let verdict = judge(locked.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert!(
            excerpts(&verdict)
                .contains(&"poetry.lock is a lock file (every version pinned)".to_string()),
            "{verdict:?}"
        );

        let mixed = repo(&[
            ("src/a.py", "x = 1\n"),
            ("R/b.R", "y <- 1\n"),
            ("requirements.txt", "pandas==2.2.1\n"),
        ]);
        let verdict = judge(mixed.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Dependencies are not pinned: no dependency file for R."
        );

        let nothing = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(nothing.path(), "rap-dependencies-pinned");
        assert_eq!(
            message(&verdict),
            "Dependencies are not pinned: no dependency file for Python."
        );

        let renv = repo(&[("analysis.R", "x <- 1\n"), ("renv.lock", "{}\n")]);
        assert_eq!(
            judge(renv.path(), "rap-dependencies-pinned").outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn library_packages_may_use_ranges_and_sql_alone_is_not_judged() {
        let package = r_package(&[]);
        let verdict = judge(package.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            [
                "dependencies pinned: 0/2 in DESCRIPTION",
                "R library package: version ranges are fine"
            ]
        );

        let sql = repo(&[("tables.sql", "select 1;\n")]);
        let verdict = judge(sql.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::NotApplicable);
        assert_eq!(message(&verdict), "a SQL pipeline with no package manifest");
        // Nor is it told to declare packages it does not have.
        let verdict = judge(sql.path(), "rap-dependencies-declared");
        assert_eq!(verdict.outcome, Outcome::NotApplicable);
        assert!(message(&verdict).starts_with("a SQL pipeline with no package manifest"));
        // A stray SQL file beside Python is driven by the Python, which needs its manifest.
        let python = repo(&[("run.py", "print(1)\n"), ("tables.sql", "select 1;\n")]);
        let verdict = judge(python.path(), "rap-dependencies-declared");
        assert_eq!(verdict.outcome, Outcome::Fail);
        // dbt's package list counts, beside its project file only.
        let dbt = repo(&[
            ("dbt_project.yml", "name: waits\n"),
            (
                "packages.yml",
                "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n",
            ),
            ("models/waits.sql", "select 1\n"),
        ]);
        let verdict = judge(dbt.path(), "rap-dependencies-declared");
        assert_eq!(verdict.outcome, Outcome::Pass);
        let verdict = judge(dbt.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["dependencies pinned: 1/1 in packages.yml"]
        );
        let stray = repo(&[
            (
                "packages.yml",
                "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n",
            ),
            ("run.py", "print(1)\n"),
        ]);
        let verdict = judge(stray.path(), "rap-dependencies-declared");
        assert_eq!(verdict.outcome, Outcome::Fail);
    }

    #[test]
    fn dependencies_declared_at_the_root_or_beside_the_code() {
        let beside = repo(&[
            ("pipeline/run.py", "print(1)\n"),
            ("pipeline/requirements.txt", "pandas==2.2.1\n"),
        ]);
        let verdict = judge(beside.path(), "rap-dependencies-declared");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            verdict.evidence[0].path.as_deref(),
            Some("pipeline/requirements.txt")
        );
        // A documentation build's requirements are not the pipeline's.
        let docs_only = repo(&[
            ("run.py", "print(1)\n"),
            ("docs/requirements.txt", "mkdocs==1.6.0\n"),
        ]);
        let verdict = judge(docs_only.path(), "rap-dependencies-declared");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(verdict.evidence.is_empty());
    }

    #[test]
    fn other_ecosystems_are_judged_when_the_code_is_neither_python_nor_r() {
        let package = r#"{"dependencies": {"pg": "^8.11.3", "knex": "^3.1.0"}}"#;
        let locked = repo(&[
            ("queries/waits.sql", "select 1;\n"),
            ("package.json", package),
            ("package-lock.json", "{}"),
        ]);
        let verdict = judge(locked.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            [
                "package-lock.json is a lock file (every version pinned)",
                "dependencies pinned: 0/2 in package.json"
            ]
        );
        let ranges = repo(&[
            ("queries/waits.sql", "select 1;\n"),
            ("package.json", package),
        ]);
        let verdict = judge(ranges.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Dependencies are not pinned: JavaScript versions are not pinned."
        );
        // Beside Python code, a package.json (for a docs site, say) is not what runs.
        let python = repo(&[
            ("run.py", "print(1)\n"),
            ("requirements.txt", "pandas==2.2.1\n"),
            ("package.json", package),
        ]);
        assert_eq!(
            judge(python.path(), "rap-dependencies-pinned").outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn a_conda_environment_pins_r_packages_too() {
        let dir = repo(&[
            ("analysis.R", "x <- 1\n"),
            (
                "environment.yml",
                "dependencies:\n  - r-base=4.3.2\n  - r-dplyr=1.1.4\n",
            ),
        ]);
        let verdict = judge(dir.path(), "rap-dependencies-pinned");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["dependencies pinned: 2/2 in environment.yml"]
        );
    }

    #[test]
    fn logging_per_language() {
        let dir = repo(&[(
            "src/steps.py",
            "import logging\n\nlogger = logging.getLogger(__name__)\n",
        )]);
        let verdict = judge(dir.path(), "rap-logging");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("src/steps.py"));
        assert_eq!(verdict.evidence[0].line, Some(3));
        assert_eq!(excerpts(&verdict), ["logging: `logging.getLogger`"]);

        let mixed = repo(&[
            ("src/steps.py", "from loguru import logger\n"),
            ("R/b.R", "print('no logs')\n"),
        ]);
        let verdict = judge(mixed.path(), "rap-logging");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(message(&verdict), "The R code does not record logs.");
        assert_eq!(excerpts(&verdict), ["logging: `loguru`"]);

        let sql = repo(&[("q.sql", "select 1;\n")]);
        let verdict = judge(sql.path(), "rap-logging");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("The SQL pipeline does not record logs"));

        // A SQL pipeline logs from its SQL, from the script that runs it, or through dbt.
        let raise = repo(&[(
            "sql/load.sql",
            "-- Load.\ninsert into waits select 1;\nRAISE LOG 'loaded';\n",
        )]);
        let verdict = judge(raise.path(), "rap-logging");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("sql/load.sql"));
        assert_eq!(verdict.evidence[0].line, Some(3));
        assert_eq!(excerpts(&verdict), ["logging: `RAISE LOG 'loaded';`"]);
        let runner = repo(&[
            ("sql/a.sql", "select 1;\n"),
            (
                "run.sh",
                "#!/bin/sh\npsql -f sql/a.sql >> logs/run.log 2>&1\n",
            ),
        ]);
        let verdict = judge(runner.path(), "rap-logging");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("run.sh"));
        assert_eq!(verdict.evidence[0].line, Some(2));
        let dbt = repo(&[
            ("dbt_project.yml", "name: waits\n"),
            ("models/waits.sql", "select 1\n"),
        ]);
        let verdict = judge(dbt.path(), "rap-logging");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["logging: `dbt run logs (logs/dbt.log)`"]
        );
    }

    #[test]
    fn tidy_data_always_needs_review_and_lists_outputs() {
        let dir = repo(&[(
            "src/tables.py",
            "import pandas as pd\n\ndf = pd.DataFrame()\ndf.to_csv('outputs/waits.csv')\n",
        )]);
        let verdict = judge(dir.path(), "rap-tidy-data");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("src/tables.py"));
        assert_eq!(verdict.evidence[0].line, Some(4));

        let none = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(none.path(), "rap-tidy-data");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert_eq!(
            excerpts(&verdict),
            ["no output writes found in Python or R code"]
        );
    }
}
