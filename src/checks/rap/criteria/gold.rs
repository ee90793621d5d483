//! RAP Gold criteria: a packaged pipeline, tests in CI, scheduled runs, signposted changes.

use super::common::*;
use crate::facts::RepoContext;
use crate::model::SourceKind;
use crate::model::facts::rap::Language;
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

pub(super) fn packaged(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for language in &rap.primary {
            let found = match language {
                Language::Python => rap.project.python_package.as_ref(),
                _ => rap.project.r_package.as_ref(),
            };
            match found {
                Some(package) => {
                    evidence.push(note(format!("{} package: {package}", language.name())))
                }
                None => missing.push(*language),
            }
        }
        // dbt projects are SQL's packages: versioned, and installable by other projects.
        if let Some(project) = rap.sql.as_ref().and_then(|s| s.dbt_project.as_ref()) {
            return Verdict::pass().with_evidence([note(format!(
                "SQL: a dbt project ({project}), installable as a dbt package"
            ))]);
        }
        if rap.primary.is_empty() || !missing.is_empty() {
            let which = if missing.is_empty() {
                "The code".to_string()
            } else {
                format!("The {} code", names(&missing))
            };
            return Verdict::fail()
                .with_message(format!("{which} is not packaged."))
                .with_evidence(evidence);
        }
        Verdict::pass().with_evidence(evidence)
    })
}

pub(super) fn tests_in_ci(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let ci = &rap.ci;
        if ci.files.is_empty() {
            return Verdict::fail()
                .with_message("No CI configuration, so tests do not run automatically.");
        }
        // A workflow kept elsewhere may well run the tests; the files here cannot say.
        if ci.test_steps.is_empty() && !ci.reusable.is_empty() {
            return Verdict::needs_review(
                "CI calls a workflow kept in another repository: check that it runs the tests",
            )
            .with_evidence(ci.reusable.iter().take(3).map(located));
        }
        if ci.test_steps.is_empty() {
            return Verdict::fail()
                .with_message("CI is set up but does not run the tests.")
                .with_evidence(ci.files.iter().map(Evidence::path));
        }
        Verdict::pass().with_evidence(ci.test_steps.iter().take(3).map(located))
    })
}

pub(super) fn scheduled_runs(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let ci = &rap.ci;
        let orchestration = &rap.orchestration;
        let hits: Vec<Evidence> = ci
            .schedules
            .iter()
            .chain(&orchestration.schedules)
            .chain(&ci.events)
            .chain(&orchestration.events)
            .take(3)
            .map(located)
            .collect();
        if hits.is_empty() && is_library(rap) {
            return Verdict::not_applicable(
                "a library package: the pipelines that call it run on their own schedules",
            );
        }
        if hits.is_empty() {
            Verdict::fail().with_evidence(ci.files.iter().map(|f| {
                if ci.housekeeping.iter().any(|h| &h.path == f) {
                    note(format!(
                        "{f}: its schedule looks after the repository, not a run of the pipeline"
                    ))
                } else {
                    note(format!("{f}: no schedule or event trigger"))
                }
            }))
        } else {
            Verdict::pass().with_evidence(hits)
        }
    })
}

pub(super) fn changes_signposted(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let snapshot = context.snapshot;
        let api = snapshot.info().kind == SourceKind::Github;
        let tags = snapshot
            .metadata()
            .tags
            .as_ref()
            .filter(|_| !api || params.flag("from-api"))
            .map(|t| crate::checks::rap::project::version_tags(t));
        let mut evidence = Vec::new();
        if let Some(changelog) = &rap.project.changelog {
            evidence.push(Evidence::path(changelog));
        }
        if let Some(tags) = tags.as_ref().filter(|t| !t.is_empty()) {
            evidence.push(note(format!("version tags: {}", list(tags, 3))));
        }
        if let Some(version) = &rap.project.version {
            evidence.push(note(format!("version {version}")));
        }
        let signposted =
            rap.project.changelog.is_some() || tags.as_ref().is_some_and(|t| !t.is_empty());
        if signposted {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail().with_evidence(evidence)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::model::{Outcome, RepoMetadata};

    const PYTEST_ON_PUSH: &str = "name: tests\non:\n  push:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pytest --cov=waits\n";

    #[test]
    fn packaged_per_language() {
        let python = repo(&[
            (
                "pyproject.toml",
                "[project]\nname = \"waits\"\nversion = \"1.0.0\"\n",
            ),
            ("src/waits/__init__.py", ""),
            ("src/waits/steps.py", "def f():\n    pass\n"),
        ]);
        let verdict = judge(python.path(), "rap-packaged");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["Python package: pyproject.toml [project] with package src/waits/"]
        );

        // A manifest without a package directory is not a package.
        let manifest_only = repo(&[
            ("pyproject.toml", "[project]\nname = \"waits\"\n"),
            ("run.py", "print(1)\n"),
        ]);
        let verdict = judge(manifest_only.path(), "rap-packaged");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(message(&verdict), "The Python code is not packaged.");

        let r = repo(&[
            ("DESCRIPTION", "Package: bedsr\nVersion: 0.1.0\n"),
            ("NAMESPACE", "export(f)\n"),
            ("R/f.R", "f <- function() 1\n"),
            ("src/extra.py", "def g():\n    pass\n"),
            ("src/more.py", "def h():\n    pass\n"),
        ]);
        let verdict = judge(r.path(), "rap-packaged");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(message(&verdict), "The Python code is not packaged.");
        assert_eq!(
            excerpts(&verdict),
            ["R package: DESCRIPTION, NAMESPACE and R/"]
        );

        let sql = repo(&[("q.sql", "select 1;\n")]);
        assert_eq!(
            message(&judge(sql.path(), "rap-packaged")),
            "The code is not packaged."
        );
    }

    #[test]
    fn tests_in_ci_needs_a_workflow_that_runs_them() {
        let none = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(none.path(), "rap-tests-in-ci");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("No CI configuration"));

        let docs_only = repo(&[
            ("run.py", "print(1)\n"),
            (
                ".github/workflows/docs.yml",
                "on: push\njobs:\n  d:\n    steps:\n      - run: mkdocs build\n",
            ),
        ]);
        let verdict = judge(docs_only.path(), "rap-tests-in-ci");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "CI is set up but does not run the tests."
        );
        assert_eq!(
            verdict.evidence[0].path.as_deref(),
            Some(".github/workflows/docs.yml")
        );

        let tested = repo(&[
            ("run.py", "print(1)\n"),
            (".github/workflows/test.yml", PYTEST_ON_PUSH),
        ]);
        let verdict = judge(tested.path(), "rap-tests-in-ci");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].line, Some(10));
        assert_eq!(excerpts(&verdict), ["- run: pytest --cov=waits"]);

        // A job that calls an organisation's shared workflow: its steps are elsewhere.
        let shared = repo(&[
            ("R/a.R", "f <- function() 1\n"),
            (
                ".github/workflows/checks.yml",
                "on: push\njobs:\n  checks:\n    uses: nhs-example/actions/.github/workflows/package_checks.yaml@v2.7.0\n",
            ),
        ]);
        let verdict = judge(shared.path(), "rap-tests-in-ci");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert_eq!(verdict.evidence[0].line, Some(4));
    }

    #[test]
    fn scheduled_runs_need_a_cron_or_an_outside_event() {
        let push = repo(&[
            ("run.py", "print(1)\n"),
            (".github/workflows/test.yml", PYTEST_ON_PUSH),
        ]);
        let verdict = judge(push.path(), "rap-scheduled-runs");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            excerpts(&verdict),
            [".github/workflows/test.yml: no schedule or event trigger"]
        );

        let manual = repo(&[
            ("run.py", "print(1)\n"),
            (".github/workflows/run.yml", "on:\n  workflow_dispatch:\n"),
        ]);
        assert_eq!(
            judge(manual.path(), "rap-scheduled-runs").outcome,
            Outcome::Fail
        );

        let cron = repo(&[
            ("run.py", "print(1)\n"),
            (
                ".github/workflows/run.yml",
                "on:\n  schedule:\n    - cron: \"0 6 * * 1\"\n",
            ),
        ]);
        let verdict = judge(cron.path(), "rap-scheduled-runs");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["- cron: \"0 6 * * 1\""]);

        let dispatched = repo(&[
            ("run.py", "print(1)\n"),
            (
                ".github/workflows/run.yml",
                "on:\n  repository_dispatch:\n    types: [new-extract]\n",
            ),
        ]);
        let verdict = judge(dispatched.path(), "rap-scheduled-runs");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["repository_dispatch:"]);
    }

    #[test]
    fn changes_signposted_by_a_changelog() {
        let changelog = repo(&[("run.py", "print(1)\n"), ("docs/CHANGELOG.md", "# 1.0\n")]);
        let verdict = judge(changelog.path(), "rap-changes-signposted");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            verdict.evidence[0].path.as_deref(),
            Some("docs/CHANGELOG.md")
        );

        let news = repo(&[
            ("DESCRIPTION", "Package: x\nVersion: 0.3.1\n"),
            ("NEWS.md", "# x 0.3.1\n"),
            ("R/a.R", "a <- 1\n"),
        ]);
        let verdict = judge(news.path(), "rap-changes-signposted");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["version 0.3.1 (DESCRIPTION)"]);

        // A version number alone is not a record of what changed.
        let version_only = repo(&[
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\nversion = \"2.0.0\"\n",
            ),
            ("run.py", "print(1)\n"),
        ]);
        let verdict = judge(version_only.path(), "rap-changes-signposted");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(excerpts(&verdict), ["version 2.0.0 (pyproject.toml)"]);
    }

    #[test]
    fn changes_signposted_by_semantic_version_tags_in_git() {
        let tagged = repo(&[("run.py", "print(1)\n")]);
        let source = git_history(tagged.path(), &["First"], &["v1.2.0", "latest"]);
        let verdict = judge_source(source, "rap-changes-signposted", "", None);
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["version tags: v1.2.0"]);

        let untagged = repo(&[("run.py", "print(1)\n")]);
        let source = git_history(untagged.path(), &["First"], &["latest", "draft"]);
        let verdict = judge_source(source, "rap-changes-signposted", "", None);
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(verdict.evidence.is_empty());
    }

    #[test]
    fn api_tags_count_only_when_the_pack_asks_for_them() {
        let dir = repo(&[("run.py", "print(1)\n")]);
        let tags = || RepoMetadata {
            tags: Some(vec!["v2.0.0".to_string()]),
            ..RepoMetadata::default()
        };
        let verdict = judge_source(
            Posing::github(dir.path(), tags()),
            "rap-changes-signposted",
            "",
            None,
        );
        assert_eq!(verdict.outcome, Outcome::Fail);
        let verdict = judge_source(
            Posing::github(dir.path(), tags()),
            "rap-changes-signposted",
            "from-api = true",
            None,
        );
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["version tags: v2.0.0"]);
    }

    #[test]
    fn gold_criteria_do_not_apply_without_code() {
        let dir = repo(&[("README.md", "# Notes\n"), ("CHANGELOG.md", "# 1.0\n")]);
        for analyzer in [
            "rap-packaged",
            "rap-tests-in-ci",
            "rap-scheduled-runs",
            "rap-changes-signposted",
        ] {
            assert_eq!(
                judge(dir.path(), analyzer).outcome,
                Outcome::NotApplicable,
                "{analyzer}"
            );
        }
    }
}
