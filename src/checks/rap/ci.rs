//! What the CI configuration does: whether it runs the tests, and whether the pipeline runs on
//! a schedule or on an event other than a push. A workflow file that only builds docs proves
//! neither, so the files are read, not just listed.

use std::sync::LazyLock;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;

use crate::model::facts::rap::CiFacts;
use crate::model::facts::rap::Located;
use crate::snapshot::Snapshot;

/// The same locations as the `rap/ci-present` rule.
const CI_GLOBS: &[&str] = &[
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    "azure-pipelines.yaml",
    ".azure-pipelines/**",
    ".azuredevops/**",
    "Jenkinsfile",
    ".circleci/config.yml",
    ".travis.yml",
    "bitbucket-pipelines.yml",
];

static CI: LazyLock<GlobSet> = LazyLock::new(|| {
    let mut builder = GlobSetBuilder::new();
    for pattern in CI_GLOBS {
        if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
});

static RUNS_TESTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\bpytest\b|\bpy\.test\b|-m\s+unittest\b|\btox\b|\bnox\b|make\s+test\b|R\s+CMD\s+check|\brcmdcheck\b|check-r-package|testthat::test_|devtools::test\(|test_check\(|\btinytest\b|hatch\s+(run\s+)?test|npm\s+test|\bdbt\s+(?:build|test)\b|\bpg_prove\b|\btSQLt\.Run)")
        .expect("valid regex")
});
static SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(^\s*-?\s*cron\s*:|\bcron\s*\(|\$CI_PIPELINE_SOURCE\s*==\s*["']schedule|^\s*schedules\s*:)"#)
        .expect("valid regex")
});
/// A job that calls a reusable workflow from another repository; `./.github/workflows/x.yml`
/// is in this one and read like any other.
static REUSABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*uses:\s*['\x22]?[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/\.github/workflows/[^@\s]+@")
        .expect("valid regex")
});
/// Events that start a pipeline from outside: new data, another workflow, an API call.
static EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(repository_dispatch|workflow_run)\s*:").expect("valid regex")
});

/// Workflows that look after the repository rather than run the pipeline: a nightly clean-up
/// of container images, a security scan, a template sync. Their schedules say nothing of when
/// the pipeline runs.
const HOUSEKEEPING: &[&str] = &[
    "clean",
    "cleanup",
    "prune",
    "remove",
    "delete",
    "stale",
    "lock",
    "label",
    "codeql",
    "scorecard",
    "security",
    "dependabot",
    "renovate",
    "dependency",
    "dependencies",
    "sync",
    "template",
    "link",
    "links",
    "linkcheck",
    "spell",
    "mirror",
    "backup",
    "keepalive",
    "cache",
    "audit",
    "scan",
    "vulnerability",
];

/// Whether a workflow's file name or `name:` says it keeps the repository rather than runs
/// the pipeline.
fn housekeeping(path: &str, text: &str) -> bool {
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("name:"))
        .unwrap_or_default();
    let words = format!("{} {}", crate::source::file_name(path), title).to_ascii_lowercase();
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| HOUSEKEEPING.contains(&word))
}

pub fn analyze(snapshot: &Snapshot) -> CiFacts {
    let mut facts = CiFacts::default();
    for entry in snapshot.files().filter(|e| CI.is_match(&e.path)) {
        facts.files.push(entry.path.clone());
        let Some(text) = snapshot.text(&entry.path) else {
            continue;
        };
        let runs_pipeline = !housekeeping(&entry.path, &text);
        for (index, line) in text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let at = || Located {
                path: entry.path.clone(),
                line: Some(index as u64 + 1),
                text: line.trim().chars().take(120).collect(),
            };
            if RUNS_TESTS.is_match(line) && facts.test_steps.len() < 5 {
                facts.test_steps.push(at());
            }
            if SCHEDULE.is_match(line) {
                let into = if runs_pipeline {
                    &mut facts.schedules
                } else {
                    &mut facts.housekeeping
                };
                if into.len() < 5 {
                    into.push(at());
                }
            }
            if runs_pipeline && EVENT.is_match(line) && facts.events.len() < 5 {
                facts.events.push(at());
            }
            if REUSABLE.is_match(line) && facts.reusable.len() < 5 {
                facts.reusable.push(at());
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(RUNS_TESTS.is_match("        run: pytest --cov=x"));
        assert!(RUNS_TESTS.is_match("      - uses: r-lib/actions/check-r-package@v2"));
        assert!(RUNS_TESTS.is_match("run: Rscript -e 'devtools::test()'"));
        assert!(!RUNS_TESTS.is_match("run: mkdocs build"));
        assert!(housekeeping(
            ".github/workflows/remove_untagged_container_images.yaml",
            ""
        ));
        assert!(housekeeping(
            ".github/workflows/nightly.yml",
            "name: OpenSSF Scorecard\non:\n"
        ));
        assert!(!housekeeping(
            ".github/workflows/stats-page.yml",
            "name: Generate statistics page\n"
        ));
        assert!(!housekeeping(
            ".github/workflows/main.yml",
            "name: GitHub Action Workflow\n"
        ));
        assert!(RUNS_TESTS.is_match("      - run: dbt deps && dbt build --target ci"));
        assert!(RUNS_TESTS.is_match("  script: pg_prove -d waits tests/*.sql"));
        assert!(!RUNS_TESTS.is_match("      - run: dbt run"));
        assert!(SCHEDULE.is_match(r#"    - cron: "0 6 * * 1""#));
        assert!(SCHEDULE.is_match("  triggers { cron('H 6 * * 1') }"));
        assert!(!SCHEDULE.is_match("  schedule_name: x"));
        assert!(EVENT.is_match("  repository_dispatch:"));
        assert!(REUSABLE.is_match(
            "    uses: Public-Health-Scotland/actions/.github/workflows/phs_package_checks.yaml@v2.7.0"
        ));
        assert!(!REUSABLE.is_match("    uses: ./.github/workflows/checks.yaml"));
        assert!(!REUSABLE.is_match("      - uses: actions/checkout@v4"));
        assert!(!EVENT.is_match("  workflow_dispatch:"));
    }
}
