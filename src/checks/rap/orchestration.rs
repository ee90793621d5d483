//! Pipelines that an orchestrator runs: a Databricks job, an Airflow DAG, a Prefect
//! deployment, a Dagster job, a Kubernetes CronJob, an Azure Data Factory trigger, a cloud
//! scheduler declared in Terraform, a crontab.
//!
//! Analytical teams on a data platform rarely run their pipeline from a `main.py`: a job
//! definition lists the notebooks and scripts with the order they run in, and the platform
//! starts it on a schedule or when new data lands. Such a definition is the pipeline's single
//! entry point, and its schedule or trigger is Gold's "runs on a schedule or an event", kept
//! outside any CI file. Without this a Databricks pipeline of 28 notebooks read as 28 scripts
//! run by hand.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::paths::{is_test_code, is_vendored};
use crate::model::facts::rap::{Located, OrchestrationFacts};
use crate::snapshot::Snapshot;
use crate::source::file_name;

/// Definitions are small; a larger file is data, not a job.
const MAX_DEFINITION_SIZE: u64 = 256 * 1024;
/// At most this many of each kind of hit are kept as evidence.
const MAX_HITS: usize = 5;

/// A Databricks job task (YAML bundles and exported JSON alike): a `task_key` beside a task
/// of a known kind.
static DATABRICKS_TASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*-?\s*"?(?:notebook|spark_python|python_wheel|sql|dbt|pipeline|run_job|spark_jar|spark_submit|for_each|condition)_task"?\s*:"#)
        .expect("valid regex")
});
static DATABRICKS_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*"?(?:quartz_cron_expression|periodic|continuous)"?\s*:"#)
        .expect("valid regex")
});
static DATABRICKS_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*"?(?:file_arrival|table_update)"?\s*:"#).expect("valid regex")
});
/// `kind: CronJob` (Kubernetes) runs its `schedule:`.
static CRONJOB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^kind:\s*CronJob\s*$").expect("valid regex"));
static YAML_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*-?\s*(?:schedule|cron|interval|rrule)\s*:\s*\S"#).expect("valid regex")
});
/// Azure Data Factory and Synapse triggers, exported as JSON.
static ADF_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""type"\s*:\s*"(?:ScheduleTrigger|TumblingWindowTrigger)""#).expect("valid regex")
});
static ADF_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""type"\s*:\s*"(?:BlobEventsTrigger|CustomEventsTrigger)""#).expect("valid regex")
});
/// A crontab line: five time fields, then a command.
static CRONTAB_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:@(?:hourly|daily|weekly|monthly|yearly|annually)|(?:[0-9*/,-]+\s+){4}[0-9A-Za-z*/,-]+)\s+\S")
        .expect("valid regex")
});

/// Cloud schedulers declared in Terraform: AWS EventBridge (`schedule_expression =
/// "cron(…)"` or `"rate(…)"`), Google Cloud Scheduler and Azure Logic App recurrences.
static TERRAFORM_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:schedule_expression\s*=\s*"(?:cron|rate)\(|schedule\s*=\s*"[0-9*/,-]+(?:\s+[0-9*/,?A-Z-]+){4}"|frequency\s*=\s*"(?:Minute|Hour|Day|Week|Month)")"#)
        .expect("valid regex")
});

/// Airflow: `DAG(`, `with DAG(`, `@dag`.
static AIRFLOW_DAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?:@dag\b|(?:with\s+)?(?:models\.)?DAG\s*\(|[A-Za-z_][A-Za-z0-9_]*\s*=\s*(?:models\.)?DAG\s*\()")
        .expect("valid regex")
});
/// A schedule argument that is not `None`: a cron string, a preset, a `timedelta`, a
/// timetable. A list of datasets is an event, told apart below.
static AIRFLOW_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:schedule_interval|schedule|timetable)\s*=\s*([^\s,)]+)").expect("valid regex")
});
/// Prefect: a flow, and a deployment served or deployed on a schedule.
static PREFECT_FLOW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*@flow\b").expect("valid regex"));
static PREFECT_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:cron|interval|rrule|schedules?)\s*=\s*([^\s,)]+)").expect("valid regex")
});
/// Dagster: jobs, schedules and sensors.
static DAGSTER_JOB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^\s*(?:@job\b|@graph_job\b|[A-Za-z_][A-Za-z0-9_]*\s*=\s*define_asset_job\s*\()",
    )
    .expect("valid regex")
});
static DAGSTER_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bScheduleDefinition\s*\(|^\s*@schedule\b|\bbuild_schedule_from_partitioned_job\s*\(",
    )
    .expect("valid regex")
});
static DAGSTER_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*@(?:sensor|asset_sensor|multi_asset_sensor|run_status_sensor)\b|\bSensorDefinition\s*\(")
        .expect("valid regex")
});
/// R scheduling packages: Windows Task Scheduler and cron.
static R_SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:taskscheduleR::)?taskscheduler_create\s*\(|\b(?:cronR::)?cron_add\s*\(")
        .expect("valid regex")
});

/// Folder and file-name words under which orchestration code lives; Python and R files
/// elsewhere are not read for it (the code evidence reads a sample of them anyway, and a job
/// defined deep inside a package's modules is rare).
const CODE_HINTS: &[&str] = &[
    "dag",
    "airflow",
    "flow",
    "orchestr",
    "schedul",
    "job",
    "deploy",
    "definitions",
    "dagster",
    "prefect",
    "cron",
    "task",
    "pipeline",
];

pub fn analyze(snapshot: &Snapshot) -> OrchestrationFacts {
    let mut facts = OrchestrationFacts::default();
    for entry in snapshot.files() {
        let path = entry.path.as_str();
        if entry.size > MAX_DEFINITION_SIZE || is_vendored(path) || hidden(path) {
            continue;
        }
        let name = file_name(path).to_ascii_lowercase();
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let kind = match ext {
            "yml" | "yaml" => Kind::Yaml,
            "json"
                if hinted(
                    path,
                    &["job", "trigger", "workflow", "pipeline", "databricks"],
                ) =>
            {
                Kind::Json
            }
            "py" if !is_test_code(path) && (!path.contains('/') || hinted(path, CODE_HINTS)) => {
                Kind::Python
            }
            "r" if !is_test_code(path) && hinted(path, &["schedul", "cron", "task"]) => Kind::R,
            "cron" | "crontab" => Kind::Crontab,
            "tf" => Kind::Terraform,
            _ if name == "crontab" => Kind::Crontab,
            _ => continue,
        };
        let Some(text) = snapshot.cached_text(path) else {
            continue;
        };
        match kind {
            Kind::Yaml => yaml(path, &name, &text, &mut facts),
            Kind::Json => json(path, &text, &mut facts),
            Kind::Python => python(path, &text, &mut facts),
            Kind::R => lines_matching(path, &text, &R_SCHEDULE, &mut facts.schedules),
            Kind::Crontab => lines_matching(path, &text, &CRONTAB_LINE, &mut facts.schedules),
            Kind::Terraform => {
                lines_matching(path, &text, &TERRAFORM_SCHEDULE, &mut facts.schedules)
            }
        }
    }
    facts
}

#[derive(Clone, Copy)]
enum Kind {
    Yaml,
    Json,
    Python,
    R,
    Crontab,
    Terraform,
}

/// CI and editor folders (`.github/`, `.devcontainer/`) hold tooling; CI schedules are read as
/// CI.
fn hidden(path: &str) -> bool {
    path.split('/').any(|part| part.starts_with('.'))
}

fn hinted(path: &str, words: &[&str]) -> bool {
    let lower = path.to_ascii_lowercase();
    words.iter().any(|word| lower.contains(word))
}

fn yaml(path: &str, name: &str, text: &str, facts: &mut OrchestrationFacts) {
    let databricks = text.contains("task_key") && DATABRICKS_TASK.is_match(text);
    let cronjob = CRONJOB.is_match(text);
    let prefect = name == "prefect.yaml" || name == "prefect.yml";
    if !(databricks || cronjob || prefect) {
        return;
    }
    let mut job_noted = false;
    for (index, line) in uncommented_lines(text) {
        let at = || located(path, index, line);
        let job_line = (databricks && line.trim_start().starts_with("jobs:"))
            || (cronjob && line.starts_with("kind:"))
            || (prefect && line.trim_start().starts_with("deployments:"));
        if job_line && !job_noted {
            push(&mut facts.jobs, at());
            job_noted = true;
        }
        if databricks {
            if DATABRICKS_SCHEDULE.is_match(line) {
                push(&mut facts.schedules, at());
            } else if DATABRICKS_EVENT.is_match(line) {
                push(&mut facts.events, at());
            }
        } else if YAML_SCHEDULE.is_match(line) {
            push(&mut facts.schedules, at());
        }
    }
    if !job_noted {
        // A Databricks job file may hold only its tasks (`resources:` split across files).
        let first = text
            .lines()
            .position(|l| DATABRICKS_TASK.is_match(l))
            .unwrap_or(0);
        let line = text.lines().nth(first).unwrap_or_default();
        push(&mut facts.jobs, located(path, first, line));
    }
}

fn json(path: &str, text: &str, facts: &mut OrchestrationFacts) {
    let databricks = text.contains("\"task_key\"");
    let mut job_noted = false;
    for (index, line) in text.lines().enumerate() {
        let at = || located(path, index, line);
        if databricks && !job_noted && DATABRICKS_TASK.is_match(line) {
            push(&mut facts.jobs, at());
            job_noted = true;
        }
        if ADF_SCHEDULE.is_match(line) || (databricks && DATABRICKS_SCHEDULE.is_match(line)) {
            push(&mut facts.schedules, at());
        } else if ADF_EVENT.is_match(line) || (databricks && DATABRICKS_EVENT.is_match(line)) {
            push(&mut facts.events, at());
        }
    }
}

fn python(path: &str, text: &str, facts: &mut OrchestrationFacts) {
    let airflow = text.contains("airflow");
    let prefect = text.contains("prefect");
    let dagster = text.contains("dagster");
    if !(airflow || prefect || dagster) {
        return;
    }
    let mut job_noted = false;
    for (index, line) in uncommented_lines(text) {
        let at = || located(path, index, line);
        let job = (airflow && AIRFLOW_DAG.is_match(line))
            || (prefect && PREFECT_FLOW.is_match(line))
            || (dagster && DAGSTER_JOB.is_match(line));
        if job && !job_noted {
            push(&mut facts.jobs, at());
            job_noted = true;
        }
        if airflow && let Some(value) = AIRFLOW_SCHEDULE.captures(line).and_then(|c| c.get(1)) {
            let value = value.as_str();
            if value.starts_with('[') || value.contains("Dataset(") || value.contains("Asset(") {
                push(&mut facts.events, at());
            } else if !matches!(value, "None" | "\"@once\"" | "'@once'") {
                push(&mut facts.schedules, at());
            }
        }
        // `flow.serve(cron=…)`, `flow.deploy(interval=…)`, written over several lines.
        if prefect
            && let Some(value) = PREFECT_SCHEDULE.captures(line).and_then(|c| c.get(1))
            && value.as_str() != "None"
        {
            push(&mut facts.schedules, at());
        }
        if dagster {
            if DAGSTER_SCHEDULE.is_match(line) {
                push(&mut facts.schedules, at());
            } else if DAGSTER_EVENT.is_match(line) {
                push(&mut facts.events, at());
            }
        }
    }
}

fn lines_matching(path: &str, text: &str, pattern: &Regex, into: &mut Vec<Located>) {
    for (index, line) in uncommented_lines(text) {
        if pattern.is_match(line) {
            push(into, located(path, index, line));
        }
    }
}

/// Lines with their 0-based index, `#` comments left out (YAML, Python, R, shell, HCL).
fn uncommented_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with('#'))
}

fn located(path: &str, index: usize, line: &str) -> Located {
    Located {
        path: path.to_string(),
        line: Some(index as u64 + 1),
        text: line.trim().chars().take(120).collect(),
    }
}

fn push(into: &mut Vec<Located>, hit: Located) {
    if into.len() < MAX_HITS {
        into.push(hit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airflow_schedule_values() {
        let value = |line: &str| {
            AIRFLOW_SCHEDULE
                .captures(line)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        };
        assert_eq!(
            value("    schedule_interval=\"0 6 * * 1\",").as_deref(),
            Some("\"0")
        );
        assert_eq!(value("    schedule=None,").as_deref(), Some("None"));
        assert_eq!(
            value("schedule=[Dataset('s3://x')],").as_deref(),
            Some("[Dataset('s3://x'")
        );
        assert!(value("    start_date=datetime(2024, 1, 1),").is_none());
    }

    #[test]
    fn terraform_schedules() {
        assert!(
            TERRAFORM_SCHEDULE
                .is_match(r#"  schedule_expression          = "cron(0 1,4,8-18 ? * * *)""#)
        );
        assert!(TERRAFORM_SCHEDULE.is_match(r#"  schedule_expression = "rate(1 day)""#));
        assert!(TERRAFORM_SCHEDULE.is_match(r#"  schedule = "0 6 * * 1""#));
        assert!(
            !TERRAFORM_SCHEDULE.is_match(r#"  schedule_expression_timezone = "Europe/London""#)
        );
    }

    #[test]
    fn crontab_lines() {
        assert!(CRONTAB_LINE.is_match("0 6 * * 1 cd /srv/pipeline && make run"));
        assert!(CRONTAB_LINE.is_match("@daily /srv/run.sh"));
        assert!(!CRONTAB_LINE.is_match("SHELL=/bin/bash"));
    }

    #[test]
    fn databricks_tasks_and_triggers() {
        assert!(DATABRICKS_TASK.is_match("          notebook_task:"));
        assert!(DATABRICKS_TASK.is_match("        - spark_python_task:"));
        assert!(DATABRICKS_TASK.is_match(r#"      "notebook_task": {"#));
        assert!(!DATABRICKS_TASK.is_match("  task_key: Bronze-loop"));
        assert!(DATABRICKS_SCHEDULE.is_match("        quartz_cron_expression: \"0 0 6 ? * MON\""));
        assert!(DATABRICKS_SCHEDULE.is_match(r#"    "quartz_cron_expression": "0 0 6 ? * MON","#));
        assert!(DATABRICKS_EVENT.is_match("        file_arrival:"));
    }
}
