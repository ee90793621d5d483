//! What SQL code shows when SQL is the pipeline (no Python or R drives it): header comments
//! that say what each file does, views, functions and dbt models that others can reuse, and
//! sqlfluff configuration, and the logs it records. The Python and R forms of these criteria
//! say nothing about SQL, so without this a SQL pipeline's next steps would be docstrings and
//! `src/`.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::paths::{is_test_code, is_vendored};
use crate::model::facts::rap::{Container, Language, Located, Profile, SqlFacts};
use crate::snapshot::Snapshot;
use crate::source::file_name;

/// At most this many SQL files are read.
const MAX_FILES_READ: usize = 300;

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*create\s+(?:or\s+(?:replace|alter)\s+)?(?:temp(?:orary)?\s+)?(?:materiali[sz]ed\s+)?(?:view|function|procedure|proc|macro)\b|\{%-?\s*macro\b|\{\{\s*(?:ref|source)\(")
        .expect("valid regex")
});

/// Logging from inside SQL that outlasts the session: PL/pgSQL's `RAISE LOG` (the server
/// log), T-SQL's `RAISERROR … WITH LOG` and `xp_logevent`, dbt's `log()` macro (logs/dbt.log),
/// and an insert into a table named for logs. `PRINT`, `RAISE NOTICE` and `DBMS_OUTPUT` show a
/// message to whoever runs the script and keep nothing, as Python's `print` does, which does
/// not count either.
static SQL_LOGGING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?im)^[ \t]*raise\s+log\b|\)\s*with\s+(?:nowait\s*,\s*)?log\b|\bxp_logevent\b|\{\{-?\s*log\(|^[ \t]*insert\s+into\s+([A-Za-z0-9_.\[\]"`]+)"#)
        .expect("valid regex")
});

/// A runner script that keeps a log of the run: output piped through `tee` or redirected to
/// a `.log` file, psql's `--log-file`, PowerShell's transcript.
static RUNNER_LOGGING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?im)\|\s*tee\b|>>?\s*"?[A-Za-z0-9_./${}()\\-]*\.log\b|--log-file\b|\bstart-transcript\b"#)
        .expect("valid regex")
});

/// How many runner scripts (shell, PowerShell, batch, Makefiles) are read for log files.
const MAX_RUNNERS_READ: usize = 20;

/// The SQL facts, when SQL scripts are the pipeline: no Python or R code drives them.
pub fn analyze(snapshot: &Snapshot, profile: &Profile) -> Option<SqlFacts> {
    if !profile.sql_pipeline() {
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
    // dbt documents models and macros in the project's YAML (`description:`), not in the SQL.
    let dbt = dbt_project(snapshot);
    let described = dbt
        .as_deref()
        .map(|project| described_in_yaml(snapshot, project))
        .unwrap_or_default();
    let stride = files.len().div_ceil(MAX_FILES_READ).max(1);
    for path in files.iter().step_by(stride) {
        let Some(text) = snapshot.text(path) else {
            continue;
        };
        facts.files_read += 1;
        let stem = file_name(path)
            .rsplit_once('.')
            .map_or(file_name(path), |(stem, _)| stem);
        if opens_with_comment(&text) || described.contains(stem) {
            facts.commented += 1;
        }
        let definitions = DEFINITION.find_iter(&text).count();
        if definitions > 0 {
            facts.definitions += definitions;
            facts.files_with_definitions.push(path.to_string());
        }
        if facts.logging.is_none() {
            facts.logging = sql_logging(path, &text);
        }
    }
    facts.standards = standards(snapshot);
    facts.dbt_project = dbt;
    if facts.logging.is_none() {
        facts.logging = runner_logging(snapshot).or_else(|| {
            facts.dbt_project.as_ref().map(|project| Located {
                path: project.clone(),
                line: None,
                text: "dbt run logs (logs/dbt.log)".to_string(),
            })
        });
    }
    Some(facts)
}

fn sql_logging(path: &str, text: &str) -> Option<Located> {
    let found = SQL_LOGGING.captures_iter(text).find(|c| match c.get(1) {
        Some(table) => names_a_log_table(table.as_str()),
        None => true,
    })?;
    Some(located_line(path, text, found.get(0)?.start()))
}

/// The line holding `offset`, for evidence a person can read in context; a long line is cut
/// so that what matched stays in view.
fn located_line(path: &str, text: &str, offset: usize) -> Located {
    const SHOWN: usize = 100;
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[start..end].trim_end();
    let before = text[start..offset].chars().count();
    let shown = if line.chars().count() <= SHOWN || before < SHOWN / 2 {
        line.trim_start().chars().take(SHOWN).collect()
    } else {
        let skipped: String = line.chars().skip(before - 20).take(SHOWN).collect();
        format!("… {skipped}")
    };
    Located {
        path: path.to_string(),
        line: Some(text[..offset].matches('\n').count() as u64 + 1),
        text: shown,
    }
}

/// `etl.run_log`, `[dbo].[PipelineLog]`, `audit_events`: the table's own name (after any
/// schema) ends in "log" or "logs", has a `log` word, or says audit; not `catalog` or `backlog`.
fn names_a_log_table(qualified: &str) -> bool {
    let name = qualified
        .rsplit('.')
        .next()
        .unwrap_or(qualified)
        .trim_matches(['[', ']', '"', '`'])
        .to_ascii_lowercase();
    let stem = name.strip_suffix('s').unwrap_or(&name);
    let ends_in_log = stem.ends_with("log")
        && !["catalog", "backlog", "dialog", "analog", "changelog"]
            .iter()
            .any(|w| stem.ends_with(w));
    ends_in_log || name.split('_').any(|w| w == "log" || w == "logs") || name.contains("audit")
}

/// A shell, PowerShell or batch script, or a Makefile, near the root that writes a log file.
fn runner_logging(snapshot: &Snapshot) -> Option<Located> {
    let runners = snapshot
        .files()
        .filter(|e| {
            let name = e.name().to_ascii_lowercase();
            e.path.matches('/').count() <= 1
                && !is_vendored(&e.path)
                && !is_test_code(&e.path)
                && (name == "makefile"
                    || [".sh", ".bash", ".ps1", ".bat", ".cmd"]
                        .iter()
                        .any(|ext| name.ends_with(ext)))
        })
        .take(MAX_RUNNERS_READ)
        .map(|e| e.path.clone())
        .collect::<Vec<_>>();
    runners.iter().find_map(|path| {
        let text = snapshot.text(path)?;
        let found = RUNNER_LOGGING.find(&text)?;
        Some(located_line(path, &text, found.start()))
    })
}

/// The dbt project file (`dbt_project.yml`) at the root or up to two folders down.
pub fn dbt_project(snapshot: &Snapshot) -> Option<String> {
    snapshot
        .files()
        .filter(|e| {
            file_name(&e.path).eq_ignore_ascii_case("dbt_project.yml")
                && e.path.matches('/').count() <= 2
                && !is_vendored(&e.path)
                && !is_test_code(&e.path)
        })
        .map(|e| e.path.clone())
        .min_by_key(|p| p.matches('/').count())
}

/// The YAML files of a dbt project's models, macros, snapshots and seeds, where dbt declares
/// descriptions and tests. `project` is the path of its `dbt_project.yml`.
pub fn dbt_yaml_files<'a>(
    snapshot: &'a Snapshot,
    project: &str,
) -> impl Iterator<Item = &'a crate::source::Entry> {
    let root = project.trim_end_matches("dbt_project.yml").to_string();
    snapshot.files().filter(move |e| {
        let name = e.name().to_ascii_lowercase();
        e.path.strip_prefix(root.as_str()).is_some_and(|inside| {
            ["models/", "macros/", "snapshots/", "seeds/"]
                .iter()
                .any(|dir| inside.starts_with(dir))
        }) && (name.ends_with(".yml") || name.ends_with(".yaml"))
            && !is_vendored(&e.path)
    })
}

/// The names a dbt project's YAML describes: each `- name: x` entry with a non-empty
/// `description:` of its own (more deeply indented, before the next entry at its level).
/// Column names are collected too; a model named like some column is rare, and then is
/// documented somewhere anyway.
fn described_in_yaml(snapshot: &Snapshot, project: &str) -> std::collections::HashSet<String> {
    let mut described = std::collections::HashSet::new();
    for entry in dbt_yaml_files(snapshot, project).take(MAX_FILES_READ) {
        let Some(text) = snapshot.text(&entry.path) else {
            continue;
        };
        let mut open: Vec<(usize, String)> = Vec::new();
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            open.retain(|(at, _)| *at < indent);
            if let Some(name) = trimmed.strip_prefix("- name:") {
                let name = name.trim().trim_matches(['"', '\'']);
                open.push((indent, name.to_string()));
            } else if let Some(value) = trimmed.strip_prefix("description:")
                && !matches!(value.trim(), "" | "''" | "\"\"")
                && let Some((_, name)) = open.last()
            {
                described.insert(name.clone());
            }
        }
    }
    described
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

    #[test]
    fn dbt_descriptions_document_models() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        };
        write("dbt_project.yml", "name: shop\n");
        write(
            "models/schema.yml",
            "version: 2\nmodels:\n  - name: customers\n    description: One row per customer.\n    columns:\n      - name: customer_id\n        description: The key.\n  - name: orders\n    columns:\n      - name: order_id\n        description: The key.\n  - name: payments\n    description: ''\n",
        );
        write("models/customers.sql", "select 1\n");
        write("models/orders.sql", "select 1\n");
        write("models/payments.sql", "-- Payments per order.\nselect 1\n");
        let snapshot = Snapshot::new(
            Box::new(crate::source::local::LocalSource::new(dir.path())),
            crate::snapshot::ReadLimits::default(),
        )
        .unwrap();
        let described = described_in_yaml(&snapshot, "dbt_project.yml");
        assert!(described.contains("customers"));
        // A column's description is not its model's.
        assert!(!described.contains("orders"));
        assert!(!described.contains("payments"));
        let profile = super::super::language::profile(&snapshot);
        let facts = analyze(&snapshot, &profile).unwrap();
        assert_eq!((facts.commented, facts.files_read), (2, 3));
    }

    #[test]
    fn logging_inside_sql() {
        let cases = [
            (
                "select 1;\nRAISE LOG 'loaded % rows', n;\n",
                Some((2, "RAISE LOG")),
            ),
            (
                "RAISERROR('step 2 done', 10, 1) WITH LOG;\n",
                Some((1, "RAISERROR(")),
            ),
            (
                "EXEC xp_logevent 60000, 'loaded';\n",
                Some((1, "EXEC xp_logevent")),
            ),
            (
                "{{ log(\"building\", info=True) }}\nselect 1\n",
                Some((1, "{{ log(")),
            ),
            (
                "insert into etl.run_log (step) values ('a');\n",
                Some((1, "insert into etl.run_log")),
            ),
            (
                "INSERT INTO [dbo].[PipelineLog] VALUES (1);\n",
                Some((1, "INSERT INTO [dbo].[PipelineLog]")),
            ),
            (
                "insert into audit_events values (1);\n",
                Some((1, "insert into audit_events")),
            ),
            // Messages to the person running the script keep nothing, like Python's `print`.
            ("PRINT 'Step 2: referrals';\n", None),
            ("RAISE NOTICE 'loaded';\n", None),
            ("RAISERROR('failed', 16, 1);\n", None),
            // Ordinary inserts, a catalog table and the word "log" in a comment are not logs.
            ("insert into waits select * from staging;\n", None),
            ("insert into data_catalog values (1);\n", None),
            ("-- we log the totals later\nselect 1;\n", None),
            ("insert into backlogs values (1);\n", None),
        ];
        for (text, expected) in cases {
            let found = sql_logging("q.sql", text).map(|l| (l.line.unwrap(), l.text));
            match expected {
                Some((line, start)) => {
                    let (found_line, found_text) = found.unwrap_or_else(|| panic!("{text:?}"));
                    assert_eq!(found_line, line, "{text:?}");
                    assert!(found_text.starts_with(start), "{text:?}: {found_text}");
                }
                None => assert_eq!(found, None, "{text:?}"),
            }
        }
    }

    #[test]
    fn runner_scripts_that_write_logs() {
        for (text, logs) in [
            ("psql -f run.sql 2>&1 | tee run.log\n", true),
            ("sqlcmd -i a.sql >> logs/pipeline.log\n", true),
            ("psql --log-file=run.txt -f a.sql\n", true),
            ("Start-Transcript -Path run.txt\n", true),
            ("psql -f run.sql > out.csv\n", false),
            ("echo done\n", false),
        ] {
            assert_eq!(RUNNER_LOGGING.is_match(text), logs, "{text:?}");
        }
    }
}
