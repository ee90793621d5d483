//! Test files and the frameworks they use (pytest, unittest, testthat, tinytest). The file
//! patterns are exactly those of the original declarative `rap/tests-present` rule, so its
//! verdicts did not change when it became an analyzer with richer evidence.

use std::sync::LazyLock;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::checks::paths::is_vendored;
use crate::checks::rap::sql::{dbt_project, dbt_yaml_files};
use crate::model::facts::rap::TestFacts;
use crate::model::facts::rap::{Language, Profile};
use crate::snapshot::Snapshot;

const TEST_GLOBS: &[&str] = &[
    "tests/**",
    "test/**",
    "**/tests/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/*_tests.py",
    "**/testthat/**",
    "**/test-*.R",
    "**/*.test.*",
    "**/*.spec.*",
    "spec/**",
];

static TESTS: LazyLock<GlobSet> = LazyLock::new(|| {
    let mut builder = GlobSetBuilder::new();
    for pattern in TEST_GLOBS {
        if let Ok(glob) = GlobBuilder::new(pattern)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
        {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
});

impl TestFacts {
    pub fn for_language(&self, language: Language) -> usize {
        match language {
            Language::Python => self.python_files,
            Language::R => self.r_files,
            _ => 0,
        }
    }

    /// "tests/: 4 test files (pytest)"
    pub fn summary(&self) -> String {
        let code = self.python_files + self.r_files;
        let count = if code > 0 { code } else { self.files.len() };
        let place = self
            .dir
            .as_deref()
            .map_or_else(String::new, |d| format!("{d}: "));
        let frameworks = if self.frameworks.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.frameworks.join(", "))
        };
        format!(
            "{place}{count} test file{}{frameworks}",
            if count == 1 { "" } else { "s" }
        )
    }
}

/// dbt's tests are mostly declared, not written: `tests:` (or `data_tests:`, `unit_tests:`)
/// under a model in the project's YAML, which `dbt build` and `dbt test` run.
fn dbt_schema_tests(snapshot: &Snapshot) -> Vec<String> {
    let Some(project) = dbt_project(snapshot) else {
        return Vec::new();
    };
    dbt_yaml_files(snapshot, &project)
        .filter(|e| {
            snapshot.text(&e.path).is_some_and(|text| {
                text.lines().any(|line| {
                    let key = line.trim_start().trim_start_matches("- ");
                    ["tests:", "data_tests:", "unit_tests:"]
                        .iter()
                        .any(|k| key.starts_with(k))
                })
            })
        })
        .map(|e| e.path.clone())
        .collect()
}

pub fn is_test_file(path: &str) -> bool {
    TESTS.is_match(path)
}

pub fn analyze(snapshot: &Snapshot, profile: &Profile) -> TestFacts {
    let mut files: Vec<String> = snapshot
        .files()
        .map(|e| e.path.clone())
        .filter(|p| is_test_file(p) && !is_vendored(p))
        .collect();
    let dbt_schema_tests = dbt_schema_tests(snapshot);
    files.extend(dbt_schema_tests.iter().cloned());
    files.sort();
    files.dedup();
    let test_code: Vec<_> = profile
        .files
        .iter()
        .filter(|f| is_test_file(&f.path))
        .collect();
    let python_files = test_code
        .iter()
        .filter(|f| {
            f.language == Language::Python && f.path.rsplit('/').next() != Some("conftest.py")
        })
        .filter(|f| f.path.rsplit('/').next() != Some("__init__.py"))
        .count();
    // tests/testthat.R only runs the others; it is not a test of its own.
    let r_files = test_code
        .iter()
        .filter(|f| f.language == Language::R && !f.path.ends_with("tests/testthat.R"))
        .count();
    let mut frameworks = Vec::new();
    let mut add = |name: &str| {
        if !frameworks.iter().any(|f: &String| f == name) {
            frameworks.push(name.to_string());
        }
    };
    let pytest_config = snapshot.is_file("pytest.ini")
        || snapshot
            .text("pyproject.toml")
            .is_some_and(|t| t.contains("[tool.pytest"))
        || snapshot
            .text("setup.cfg")
            .is_some_and(|t| t.contains("[tool:pytest]"));
    let mut pytest = pytest_config || files.iter().any(|p| p.ends_with("conftest.py"));
    let mut unittest = false;
    for file in test_code.iter().filter(|f| f.language == Language::Python) {
        if let Some(text) = snapshot.text(&file.path) {
            pytest |= text.contains("import pytest") || text.contains("from pytest");
            unittest |= text.contains("import unittest") || text.contains("from unittest");
        }
    }
    // Plain `def test_*` functions with no unittest import are pytest's style.
    if !unittest && python_files > 0 {
        pytest = true;
    }
    if pytest {
        add("pytest");
    }
    if unittest {
        add("unittest");
    }
    if files.iter().any(|p| p.contains("testthat")) {
        add("testthat");
    }
    if files.iter().any(|p| p.contains("tinytest")) {
        add("tinytest");
    }
    if !dbt_schema_tests.is_empty() {
        add("dbt");
    }
    // dbt declares tests beside the models they test: that is its standard place.
    let dir = ["tests/testthat/", "tests/", "test/", "spec/"]
        .into_iter()
        .find(|d| files.iter().any(|p| p.starts_with(d)))
        .map(str::to_string)
        // pytest's "tests as part of the application code": `pkg/tests/`, `src/pkg/tests/`.
        .or_else(|| {
            files.iter().find_map(|p| {
                ["/tests/", "/test/"]
                    .iter()
                    .find_map(|d| p.find(d).map(|at| p[..at + d.len()].to_string()))
            })
        })
        .or_else(|| {
            let first = dbt_schema_tests.first()?;
            let (dir, _) = first.split_once('/')?;
            Some(format!("{dir}/"))
        });
    TestFacts {
        count: files.len(),
        files,
        python_files,
        r_files,
        frameworks,
        dir,
    }
}
