//! One analyzer per RAP criterion (see docs/rap.md); the rule that uses each, and its level,
//! are set in `rules/playbook.toml`.

use super::{AnalyzerSpec, Need, ParamDefault, ParamSpec, ParamType, Phase};

pub(super) const ANALYZERS: &[AnalyzerSpec] = &[
    AnalyzerSpec::new(
        "rap-open-language",
        "RAP Baseline: outputs come from code in an open-source language (Python, R, SQL); SAS, SPSS, Stata and Excel VBA are flagged",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-version-control",
        "RAP Baseline: the code is under version control (git history; a plain directory needs review). `snapshot-ok = true` accepts a single-commit published snapshot",
        &[
            ParamSpec::new("snapshot-ok", ParamType::Bool, ParamDefault::Bool(false)),
        ],
    ),
    AnalyzerSpec::new(
        "rap-readme-reproduce",
        "RAP Baseline: the README sets out the steps to reproduce (an install/usage/how-to-run section or run commands)",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-peer-review",
        "RAP Baseline: changes are peer reviewed; needs review unless `from-api = true` and the source supplies merged pull requests (`min-reviewed`, default 0.5)",
        &[
            ParamSpec::new("from-api", ParamType::Bool, ParamDefault::Bool(false)).needs_when_true(Need::GitHubApi),
            ParamSpec::new("min-reviewed", ParamType::Share, ParamDefault::Share(0.5)),
        ],
    ),
    AnalyzerSpec::new(
        "rap-publication-link",
        "RAP Baseline: the README links to the publication; needs review when it does not (the link back cannot be seen from files), never a failure (the licence is `licence/present`'s)",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-entry-point",
        "RAP Silver: one entry point runs the pipeline: the one command the README's run sections give (python x.py, python -m pkg, Rscript x.R, targets::tar_make(), make, snakemake, …), else __main__.py, main.py, main.R, _targets.R, a Makefile, [project.scripts], an R package, or a single script",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-config-file",
        "RAP Silver: settings live in a config file (config.*, settings.*, params.*, config/, dbt_project.yml); not applicable to library packages",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-documented-code",
        "RAP Silver: at least `min-share` (default 0.5) of functions have docstrings (Python) or roxygen (R), per language; for a SQL pipeline, of files open with a comment or, with dbt, have a YAML description",
        &[
            ParamSpec::new("min-share", ParamType::Share, ParamDefault::Share(0.5)),
        ],
    ),
    AnalyzerSpec::new(
        "rap-standard-layout",
        "RAP Silver: code in src/, R/ or a package directory (sql/, queries/, models/ for a SQL pipeline), tests in tests/, no code among data or outputs",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-reusable-functions",
        "RAP Silver: the code defines functions or classes (outside tests); a SQL pipeline, views, functions, procedures, macros or dbt models",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-coding-standards",
        "RAP Silver: linter or formatter configuration per language (ruff, black, flake8, pylint, pre-commit; lintr, styler; sqlfluff for a SQL pipeline)",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-tests",
        "test files (tests/, test_*.py, testthat, …) with their frameworks (pytest, unittest, testthat); fails when one main language has none",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-dependencies-declared",
        "RAP Silver: a dependency manifest at the root or in the directory that holds the code (one or two levels down): requirements*.txt, pyproject.toml, setup.py/cfg, Pipfile, environment.yml, conda recipes and locks; DESCRIPTION, renv.lock; package.json, Gemfile, build.gradle, pom.xml, Cargo.toml, go.mod; dbt's packages.yml; not applicable to a SQL pipeline with none",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-dependencies-pinned",
        "RAP Silver: a lock file (poetry.lock, uv.lock, Pipfile.lock, conda-lock, renv.lock, package-lock.json, yarn.lock, Gemfile.lock, …), or at least `min-share` (default 0.8) of declared requirements pinned to exact versions, per language (per declared ecosystem when the code is neither Python nor R); library packages may use ranges",
        &[
            ParamSpec::new("min-share", ParamType::Share, ParamDefault::Share(0.8)),
        ],
    ),
    AnalyzerSpec::new(
        "rap-logging",
        "RAP Silver: the code records logs (logging, loguru, structlog; logger, futile.logger, log4r, lgr), per language; a SQL pipeline, a log table or RAISE LOG, a run script writing a log file, or dbt",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-tidy-data",
        "RAP Silver: needs review (files cannot show tidy data); lists where outputs are written",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-packaged",
        "RAP Gold: the code is a package (pyproject/setup.py with a package directory; DESCRIPTION, NAMESPACE and R/), per language; a SQL pipeline, a dbt project",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-tests-in-ci",
        "RAP Gold: a CI workflow runs the tests (pytest, unittest, tox, R CMD check, testthat, …)",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-scheduled-runs",
        "RAP Gold: the pipeline runs on a schedule (cron) or an outside event (repository_dispatch, workflow_run)",
        &[],
    ),
    AnalyzerSpec::new(
        "rap-changes-signposted",
        "RAP Gold: a changelog (CHANGELOG, NEWS, HISTORY) or version tags; API tags only with `from-api = true`",
        &[
            ParamSpec::new("from-api", ParamType::Bool, ParamDefault::Bool(false)).needs_when_true(Need::GitHubApi),
        ],
    ),
    AnalyzerSpec::new(
        "rap-notebooks",
        "notebooks in published code: `allow = \"any\"`, `\"cleared\"` (outputs cleared, the default) or `\"never\"`",
        &[
            ParamSpec::new("allow", ParamType::Choice(&["any", "cleared", "never"]), ParamDefault::Choice("cleared")),
        ],
    ),
    AnalyzerSpec::new(
        "rap-declared-level",
        "the RAP level claimed (README, topics, LEVELS_OF_RAP.md, OPEN_CODE_CHECKLIST.md) is supported by the assessed level; lists the gaps",
        &[],
    ).in_phase(Phase::Judgement),
];
