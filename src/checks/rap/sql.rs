//! What SQL code shows when SQL is the pipeline (no Python or R drives it): header comments
//! that say what each file does, views, functions and dbt models that others can reuse, and
//! sqlfluff configuration. The Python and R forms of these criteria say nothing about SQL, so
//! without this a SQL pipeline's next steps would be docstrings and `src/`.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::paths::{is_test_code, is_vendored};
use crate::model::facts::rap::{Container, Language, Profile, SqlFacts};
use crate::snapshot::Snapshot;

/// At most this many SQL files are read.
const MAX_FILES_READ: usize = 300;

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*create\s+(?:or\s+(?:replace|alter)\s+)?(?:temp(?:orary)?\s+)?(?:materiali[sz]ed\s+)?(?:view|function|procedure|proc|macro)\b|\{%-?\s*macro\b|\{\{\s*(?:ref|source)\(")
        .expect("valid regex")
});

/// The SQL facts, when SQL scripts are the pipeline: no Python or R code drives them.
pub fn analyze(snapshot: &Snapshot, profile: &Profile) -> Option<SqlFacts> {
    if !profile.primary().is_empty() {
        return None;
    }
    let files: Vec<&str> = profile
        .of(Language::Sql)
        .filter(|f| f.container == Container::Script && !f.is_test())
        .map(|f| f.path.as_str())
        .collect();
    if files.is_empty() {
        return None;
    }
    let mut facts = SqlFacts {
        files: files.len(),
        ..SqlFacts::default()
    };
    let stride = files.len().div_ceil(MAX_FILES_READ).max(1);
    for path in files.iter().step_by(stride) {
        let Some(text) = snapshot.text(path) else {
            continue;
        };
        facts.files_read += 1;
        if opens_with_comment(&text) {
            facts.commented += 1;
        }
        let definitions = DEFINITION.find_iter(&text).count();
        if definitions > 0 {
            facts.definitions += definitions;
            facts.files_with_definitions.push(path.to_string());
        }
    }
    facts.standards = standards(snapshot);
    Some(facts)
}

/// A header comment: the first line with anything on it is a `--`, `/*` or Jinja `{#` comment.
fn opens_with_comment(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with("--") || l.starts_with("/*") || l.starts_with("{#"))
}

/// sqlfluff configuration, as "path (sqlfluff)".
fn standards(snapshot: &Snapshot) -> Vec<String> {
    let mut found: Vec<String> = snapshot
        .files()
        .filter(|e| {
            e.name().eq_ignore_ascii_case(".sqlfluff")
                && e.path.matches('/').count() <= 2
                && !is_vendored(&e.path)
                && !is_test_code(&e.path)
        })
        .map(|e| format!("{} (sqlfluff)", e.path))
        .collect();
    for (file, marker) in [
        ("pyproject.toml", "[tool.sqlfluff"),
        ("setup.cfg", "[sqlfluff"),
        ("tox.ini", "[sqlfluff"),
        (".pre-commit-config.yaml", "sqlfluff"),
    ] {
        if snapshot.text(file).is_some_and(|t| t.contains(marker)) {
            found.push(format!("{file} (sqlfluff)"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_comments_and_definitions() {
        assert!(opens_with_comment(
            "\n-- Attendances per clinic.\nselect 1;"
        ));
        assert!(opens_with_comment("/* Referrals */\nselect 1;"));
        assert!(!opens_with_comment("select 1; -- trailing"));
        let text = "create or replace view a as select 1;\nCREATE MATERIALIZED VIEW b AS select 2;\ncreate table c (x int);\n{% macro cents(x) %}{{ x }}/100{% endmacro %}\nselect * from {{ ref('a') }}\n";
        assert_eq!(DEFINITION.find_iter(text).count(), 4);
    }
}
