//! Shapes of repository that real NHS teams publish and that openly misjudged until round 5:
//! pipelines an orchestrator runs (a Databricks job, an Airflow DAG, a Terraform-declared
//! scheduler), library packages, a Python package kept one folder down, documentation sites,
//! and README wording ("Run locally", "🚧 work in progress 🚧", a contact in the prose). Each
//! is an invented repository in a temp dir, audited by the real binary.

mod common;

use std::path::Path;

use common::{audit_json, finding, outcome};
use serde_json::Value;

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn audit(dir: &Path) -> Value {
    audit_json(&[dir.to_str().expect("utf-8 path"), "--no-repo-config"])
}

fn excerpts(report: &Value, rule: &str) -> Vec<String> {
    finding(report, rule)["evidence"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["excerpt"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

const README: &str = "# Waits pipeline\n\nBuilds the monthly waiting-times tables.\n";

/// Notebooks a job runs in order: the job is the single entry point, its quartz cron the
/// schedule.
#[test]
fn a_databricks_job_is_the_entry_point_and_its_cron_the_schedule() {
    let notebook = "# Databricks notebook source\nimport logging\n\ndef load():\n    return 1\n";
    let job = "resources:\n  jobs:\n    waits:\n      name: Waits\n      schedule:\n        quartz_cron_expression: \"0 0 6 ? * MON\"\n        timezone_id: Europe/London\n      tasks:\n        - task_key: bronze\n          notebook_task:\n            notebook_path: bronze/load\n        - task_key: silver\n          depends_on:\n            - task_key: bronze\n          spark_python_task:\n            python_file: silver/clean.py\n";
    let scheduled = repo(&[
        ("README.md", README),
        ("bronze/load.py", notebook),
        ("silver/clean.py", notebook),
        ("gold/publish.py", notebook),
        ("waits_job.yaml", job),
    ]);
    let report = audit(scheduled.path());
    assert_eq!(outcome(&report, "rap/single-entry-point"), "pass");
    assert!(
        excerpts(&report, "rap/single-entry-point")[0].contains("waits_job.yaml:2"),
        "{:?}",
        excerpts(&report, "rap/single-entry-point")
    );
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "pass");
    assert_eq!(
        excerpts(&report, "rap/scheduled-runs"),
        ["quartz_cron_expression: \"0 0 6 ? * MON\""]
    );

    // The same notebooks without the job: three scripts someone runs by hand.
    let by_hand = repo(&[
        ("README.md", README),
        ("bronze/load.py", notebook),
        ("silver/clean.py", notebook),
        ("gold/publish.py", notebook),
    ]);
    let report = audit(by_hand.path());
    assert_eq!(outcome(&report, "rap/single-entry-point"), "fail");
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "fail");
}

#[test]
fn an_airflow_dag_and_a_terraform_scheduler_are_schedules() {
    let dag = "from datetime import datetime\nfrom airflow import DAG\nfrom airflow.operators.bash import BashOperator\n\nwith DAG(\n    dag_id=\"waits\",\n    schedule=\"0 6 * * 1\",\n    start_date=datetime(2024, 1, 1),\n) as dag:\n    BashOperator(task_id=\"run\", bash_command=\"python -m waits\")\n";
    let airflow = repo(&[
        ("README.md", README),
        ("waits/__init__.py", ""),
        ("waits/load.py", "def load():\n    return 1\n"),
        ("waits/publish.py", "def publish():\n    return 2\n"),
        ("dags/waits_dag.py", dag),
    ]);
    let report = audit(airflow.path());
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "pass");
    assert_eq!(
        excerpts(&report, "rap/scheduled-runs"),
        ["schedule=\"0 6 * * 1\","]
    );

    let unscheduled_dag = dag.replace("schedule=\"0 6 * * 1\"", "schedule=None");
    let manual = repo(&[
        ("README.md", README),
        ("waits/load.py", "def load():\n    return 1\n"),
        ("dags/waits_dag.py", &unscheduled_dag),
    ]);
    assert_eq!(
        outcome(&audit(manual.path()), "rap/scheduled-runs"),
        "fail",
        "schedule=None runs only when someone triggers it"
    );

    let terraform = repo(&[
        ("README.md", README),
        ("sql/waits.sql", "create view waits as select 1 as n;\n"),
        (
            "infrastructure/scheduler.tf",
            "resource \"aws_scheduler_schedule\" \"ingest\" {\n  schedule_expression          = \"cron(0 1 ? * * *)\"\n  schedule_expression_timezone = \"Europe/London\"\n}\n",
        ),
    ]);
    let report = audit(terraform.path());
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "pass");
    assert_eq!(
        excerpts(&report, "rap/scheduled-runs"),
        ["schedule_expression          = \"cron(0 1 ? * * *)\""]
    );
}

/// A nightly clean-up of container images is not a run of the pipeline.
#[test]
fn a_housekeeping_cron_is_not_a_scheduled_run() {
    let cleanup = "name: Clean up untagged container images\n\non:\n  schedule:\n    - cron: \"0 1 * * *\"\n\njobs:\n  remove:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo prune\n";
    let publish = "name: Publish statistics\n\non:\n  schedule:\n    - cron: \"0 5 * * 1\"\n\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python main.py\n";
    let files = |workflow: (&'static str, &'static str)| {
        repo(&[
            ("README.md", README),
            ("main.py", "def main():\n    return 1\n"),
            ("waits.py", "def waits():\n    return 2\n"),
            workflow,
        ])
    };
    let housekeeping = files((".github/workflows/cleanup.yml", cleanup));
    let report = audit(housekeeping.path());
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "fail");
    assert_eq!(
        excerpts(&report, "rap/scheduled-runs"),
        [
            ".github/workflows/cleanup.yml: its schedule looks after the repository, not a run of the pipeline"
        ]
    );
    let pipeline = files((".github/workflows/publish.yml", publish));
    assert_eq!(
        outcome(&audit(pipeline.path()), "rap/scheduled-runs"),
        "pass"
    );
}

/// A library is called by pipelines; it has no schedule and no settings of its own. A package
/// kept one folder down is still a package.
#[test]
fn library_packages_and_a_package_one_folder_down() {
    let pyproject =
        "[project]\nname = \"esneft\"\nversion = \"0.1.0\"\ndependencies = [\"pandas>=2\"]\n";
    let library = repo(&[
        ("README.md", README),
        ("pyproject.toml", pyproject),
        ("src/esneft/__init__.py", "\"\"\"Tools.\"\"\"\n"),
        (
            "src/esneft/geo.py",
            "def lsoa(x):\n    \"\"\"Map.\"\"\"\n    return x\n",
        ),
        (
            "src/esneft/plot.py",
            "def chart(x):\n    \"\"\"Draw.\"\"\"\n    return x\n",
        ),
    ]);
    let report = audit(library.path());
    assert_eq!(outcome(&report, "rap/single-entry-point"), "pass");
    assert!(excerpts(&report, "rap/single-entry-point")[0].starts_with("Python library package"));
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "not-applicable");
    assert_eq!(outcome(&report, "rap/config-file"), "not-applicable");

    // The same package with a pipeline script at the root is a pipeline, and needs both.
    let pipeline = repo(&[
        ("README.md", README),
        ("pyproject.toml", pyproject),
        ("src/esneft/__init__.py", "\"\"\"Tools.\"\"\"\n"),
        (
            "src/esneft/geo.py",
            "def lsoa(x):\n    \"\"\"Map.\"\"\"\n    return x\n",
        ),
        (
            "run_pipeline.py",
            "from esneft.geo import lsoa\n\nif __name__ == \"__main__\":\n    lsoa(1)\n",
        ),
    ]);
    let report = audit(pipeline.path());
    assert_eq!(outcome(&report, "rap/scheduled-runs"), "fail");
    assert_eq!(outcome(&report, "rap/config-file"), "fail");

    let nested = repo(&[
        ("README.md", README),
        ("parser/pyproject.toml", pyproject),
        ("parser/parser/__init__.py", "\"\"\"Parser.\"\"\"\n"),
        (
            "parser/parser/core.py",
            "def parse(x):\n    \"\"\"Parse.\"\"\"\n    return x\n",
        ),
        (
            "parser/parser/tests/test_core.py",
            "from parser.core import parse\n\ndef test_parse():\n    assert parse(1) == 1\n",
        ),
        ("model/train.py", "def train():\n    return 1\n"),
    ]);
    let report = audit(nested.path());
    assert_eq!(outcome(&report, "rap/packaged"), "pass");
    assert_eq!(outcome(&report, "rap/standard-layout"), "pass");
    assert_eq!(
        report["repos"][0]["facts"]["rap"]["project"]["python_package"],
        "parser/pyproject.toml [project] with package parser/parser/"
    );
}

/// A documentation site is not a pipeline: what a pipeline needs does not apply to it.
#[test]
fn a_documentation_site_has_no_pipeline_criteria_to_fail() {
    let docs = repo(&[
        ("README.md", README),
        ("guides/index.md", "# Guides\n\nHow we work.\n"),
        ("guides/r.md", "# R\n\nOur R packages.\n"),
    ]);
    let report = audit(docs.path());
    for rule in ["rap/tests-present", "rap/dependencies-declared"] {
        assert_eq!(outcome(&report, rule), "not-applicable", "{rule}");
    }
}

#[test]
fn readme_wording_met_on_real_repositories() {
    let readme = "# Maternity dashboard\n\nExplore maternity statistics by trust.\n\nThis project is a 🚧 work in progress 🚧, please use it with caution.\n\n# Deploy Locally\n\n1. Clone the repo\n2. Install the packages\n3. run `python app.py`\n\nPlease contact [the team](mailto:team@example.org) with any queries.\n";
    let dashboard = repo(&[
        ("README.md", readme),
        ("app.py", "def main():\n    return 1\n"),
        ("charts.py", "def chart():\n    return 2\n"),
    ]);
    let report = audit(dashboard.path());
    for rule in [
        "readme/status",
        "readme/install",
        "rap/readme-reproduce",
        "maintenance/owner",
    ] {
        assert_eq!(outcome(&report, rule), "pass", "{rule}");
    }

    let r_readme = "# Helpers\n\nHelper functions for the team's reports.\n\n```r\ndevtools::install_github(\"example-org/helpers\")\n```\n";
    let r_package = repo(&[
        ("README.md", r_readme),
        (
            "DESCRIPTION",
            "Package: helpers\nAuthors@R: person(\"Ann\", \"Example\", role = c(\"aut\", \"cre\"))\n",
        ),
        ("NAMESPACE", "export(theme)\n"),
        ("R/theme.R", "theme <- function() 1\n"),
    ]);
    let report = audit(r_package.path());
    assert_eq!(outcome(&report, "rap/readme-reproduce"), "pass");
    assert_eq!(outcome(&report, "maintenance/owner"), "pass");

    // Without the status sentence, the install steps and the contact, each fails.
    let bare = repo(&[
        (
            "README.md",
            "# Maternity dashboard\n\nExplore maternity statistics by trust.\n",
        ),
        ("app.py", "def main():\n    return 1\n"),
        ("charts.py", "def chart():\n    return 2\n"),
    ]);
    let report = audit(bare.path());
    for rule in [
        "readme/status",
        "readme/install",
        "rap/readme-reproduce",
        "maintenance/owner",
    ] {
        assert_eq!(outcome(&report, rule), "fail", "{rule}");
    }
}

/// Public Health Scotland's pipelines set each run's dates and paths in
/// `code/00_setup-environment.R`, "the only file which should require updating every time the
/// RAP process is run".
#[test]
fn a_setup_environment_script_is_the_config() {
    let files = |setup: &'static str| {
        repo(&[
            ("README.md", README),
            (
                setup,
                "start_month <- as.Date(\"2021-03-01\")\nlibrary(dplyr)\n",
            ),
            ("code/01_create-file.R", "create <- function() 1\n"),
            ("code/02_create-trend.R", "trend <- function() 2\n"),
        ])
    };
    let phs = files("code/00_setup-environment.R");
    let report = audit(phs.path());
    assert_eq!(outcome(&report, "rap/config-file"), "pass");
    assert_eq!(
        excerpts(&report, "rap/config-file"),
        ["config: code/00_setup-environment.R"]
    );
    let other = files("code/00_load-packages.R");
    assert_eq!(outcome(&audit(other.path()), "rap/config-file"), "fail");
}

/// The policy asks for "© Crown copyright or the publishing NHS body"; NHSBSA and Public
/// Health Scotland publish under their own names.
#[test]
fn a_copyright_notice_may_name_any_nhs_body() {
    let mit = |holder: &str| {
        format!(
            "MIT License\n\nCopyright (c) 2021 {holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n"
        )
    };
    for (holder, expected) in [
        ("NHS Business Services Authority", "pass"),
        ("Public Health Scotland", "pass"),
        ("NHS-R Community", "fail"),
        ("Ann Example", "fail"),
    ] {
        let dir = repo(&[("README.md", README), ("LICENSE", &mit(holder))]);
        assert_eq!(
            outcome(&audit(dir.path()), "licence/crown-copyright"),
            expected,
            "{holder}"
        );
    }
}
