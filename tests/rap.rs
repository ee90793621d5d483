//! RAP levels end to end: the real binary over the invented fixtures, checking each repository's
//! level, every criterion's outcome, the "to reach the next level" steps and the declared-level
//! check, plus git repositories built in temp dirs for the history-based criteria.

mod common;

use common::commit_all;

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The rap/ rules of the default pack, in pack order; outcome strings below follow it.
const RAP_RULES: &[&str] = &[
    "rap/open-language",
    "rap/version-control",
    "rap/readme-reproduce",
    "rap/peer-review",
    "rap/publication-link",
    "rap/single-entry-point",
    "rap/config-file",
    "rap/documented-code",
    "rap/standard-layout",
    "rap/reusable-functions",
    "rap/coding-standards",
    "rap/tests-present",
    "rap/ci-present",
    "rap/dependencies-declared",
    "rap/dependencies-pinned",
    "rap/logging",
    "rap/tidy-data",
    "rap/packaged",
    "rap/tests-in-ci",
    "rap/scheduled-runs",
    "rap/changes-signposted",
    "rap/notebooks-publishable",
    "rap/declared-level-supported",
];

fn audit(target: &Path, extra: &[&str]) -> Vec<Value> {
    let output = Command::cargo_bin("openly")
        .expect("binary")
        .arg("audit")
        .arg(target)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["repos"].as_array().cloned().unwrap_or_default()
}

fn by_name(repos: Vec<Value>) -> HashMap<String, Value> {
    repos
        .into_iter()
        .map(|r| (r["name"].as_str().unwrap_or_default().to_string(), r))
        .collect()
}

fn outcome(repo: &Value, rule: &str) -> String {
    repo["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == rule))
        .map_or("absent".to_string(), |f| {
            f["outcome"].as_str().unwrap_or("").to_string()
        })
}

fn finding<'a>(repo: &'a Value, rule: &str) -> &'a Value {
    repo["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == rule))
        .expect("finding present")
}

/// P pass, F fail, R needs-review, - not-applicable.
fn outcomes(repo: &Value) -> String {
    RAP_RULES
        .iter()
        .map(|rule| match outcome(repo, rule).as_str() {
            "pass" => 'P',
            "fail" => 'F',
            "needs-review" => 'R',
            "not-applicable" => '-',
            other => panic!("{rule}: unexpected outcome {other}"),
        })
        .collect()
}

/// The steps as rule ids, through the help text each step is taken from.
fn steps(repo: &Value) -> Vec<String> {
    let help: HashMap<&str, &str> = repo["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["help"].as_str().unwrap_or(""),
                f["rule"].as_str().unwrap_or(""),
            )
        })
        .collect();
    repo["rap"]["next"]["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            help.get(s.as_str().unwrap_or(""))
                .copied()
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}

struct Expected {
    name: &'static str,
    level: &'static str,
    declared: Option<&'static str>,
    outcomes: &'static str,
    next: Option<&'static str>,
    steps: &'static [&'static str],
}

const SILVER_SCRIPT_STEPS: &[&str] = &[
    "rap/config-file",
    "rap/documented-code",
    "rap/standard-layout",
    "rap/reusable-functions",
    "rap/coding-standards",
    "rap/tests-present",
    "rap/dependencies-declared",
    "rap/dependencies-pinned",
    "rap/logging",
];

const GOLD_STEPS: &[&str] = &[
    "rap/packaged",
    "rap/tests-in-ci",
    "rap/scheduled-runs",
    "rap/changes-signposted",
];

const EXPECTED: &[Expected] = &[
    Expected {
        name: "claims-gold",
        level: "baseline",
        declared: Some("gold"),
        outcomes: "PRPRRPFPFPFFFFFFRFFFF-F",
        next: Some("silver"),
        steps: &[
            "rap/config-file",
            "rap/standard-layout",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/dependencies-declared",
            "rap/dependencies-pinned",
            "rap/logging",
        ],
    },
    Expected {
        name: "exemplary-pipeline",
        level: "gold",
        declared: Some("gold"),
        outcomes: "PRPRRPPPPPPPPPPPRPPPP-P",
        next: None,
        steps: &[],
    },
    Expected {
        name: "no-licence",
        level: "none",
        declared: None,
        // No licence is licence/present's failure; the publication link needs review.
        outcomes: "PRFRRFFFFFFFFFFFRFFFF--",
        next: Some("baseline"),
        steps: &["rap/readme-reproduce"],
    },
    Expected {
        name: "notebook-analysis",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRFFFFFFFFPFFRFFFFF-",
        next: Some("silver"),
        steps: &[
            "rap/single-entry-point",
            "rap/config-file",
            "rap/documented-code",
            "rap/standard-layout",
            "rap/reusable-functions",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/dependencies-pinned",
            "rap/logging",
        ],
    },
    Expected {
        name: "patient-extract-env",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRPFFFFFFFPFFRFFFF--",
        next: Some("silver"),
        steps: &[
            "rap/config-file",
            "rap/documented-code",
            "rap/standard-layout",
            "rap/reusable-functions",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/dependencies-pinned",
            "rap/logging",
        ],
    },
    Expected {
        name: "r-package",
        // A library: no schedule or settings of its own (config-file and scheduled-runs do
        // not apply).
        level: "gold",
        declared: None,
        outcomes: "PRPRRP-PPPPPPPPPRPP-P--",
        next: None,
        steps: &[],
    },
    Expected {
        name: "sas-legacy",
        level: "none",
        declared: None,
        outcomes: "FRPRRFFFFFFFFF-FRFFFF--",
        next: Some("baseline"),
        steps: &["rap/open-language"],
    },
    Expected {
        name: "mixed-python-r",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRPFPPPFFFPFFRFFFF--",
        next: Some("silver"),
        steps: &[
            "rap/config-file",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/dependencies-pinned",
            "rap/logging",
        ],
    },
    Expected {
        name: "python-baseline",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRPFFFFFFFFFFRFFFF--",
        next: Some("silver"),
        steps: SILVER_SCRIPT_STEPS,
    },
    Expected {
        name: "python-silver",
        level: "silver",
        declared: Some("silver"),
        outcomes: "PRPRRPPPPPPPFPPPRFFFF-P",
        next: Some("gold"),
        steps: GOLD_STEPS,
    },
    Expected {
        name: "r-baseline",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRPFFFFFFFFFFRFFFF--",
        next: Some("silver"),
        steps: SILVER_SCRIPT_STEPS,
    },
    Expected {
        name: "r-gold",
        level: "gold",
        declared: Some("gold"),
        outcomes: "PRPRRP-PPPPPPPPPRPPPP-P",
        next: None,
        steps: &[],
    },
    // The ladder: Python, R and SQL pipelines from scripts to packages (docs/rap.md).
    Expected {
        name: "python-scripts-in-turn",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRFFFFFFFFFFFRFFFF--",
        next: Some("silver"),
        steps: &[
            "rap/single-entry-point",
            "rap/config-file",
            "rap/documented-code",
            "rap/standard-layout",
            "rap/reusable-functions",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/dependencies-declared",
            "rap/dependencies-pinned",
            "rap/logging",
        ],
    },
    Expected {
        name: "python-readme-silver",
        level: "silver",
        declared: Some("silver"),
        outcomes: "PRPRRPPPPPPPFPPPRFFFF-P",
        next: Some("gold"),
        steps: GOLD_STEPS,
    },
    Expected {
        name: "python-manifest-in-src",
        level: "silver",
        declared: None,
        // The project in `src/` (its pyproject.toml and `src/bedwatch/`) is packaged.
        outcomes: "PRPRRPPPPPPPFPPPRPFFF--",
        next: Some("gold"),
        steps: &[
            "rap/tests-in-ci",
            "rap/scheduled-runs",
            "rap/changes-signposted",
        ],
    },
    Expected {
        name: "r-readme-silver",
        level: "silver",
        declared: Some("silver"),
        outcomes: "PRPRRPPPPPPPFPPPRFFFF-P",
        next: Some("gold"),
        steps: GOLD_STEPS,
    },
    Expected {
        name: "r-targets-gold",
        level: "gold",
        declared: Some("gold"),
        // A pipeline packaged as an R package: its settings are in config.yml.
        outcomes: "PRPRRPPPPPPPPPPPRPPPP-P",
        next: None,
        steps: &[],
    },
    // A SQL pipeline has no packages to declare unless it names some (dbt, npm).
    Expected {
        name: "sql-makefile",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRPFPPPFFF--FRFFFF--",
        next: Some("silver"),
        steps: &[
            "rap/config-file",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/logging",
        ],
    },
    Expected {
        name: "sql-silver",
        level: "silver",
        declared: Some("silver"),
        outcomes: "PRPRRPPPPPPPP--PRFFFF-P",
        next: Some("gold"),
        steps: GOLD_STEPS,
    },
    Expected {
        name: "sql-dbt-gold",
        level: "gold",
        declared: Some("gold"),
        outcomes: "PRPRRPPPPPPPPPPPRPPPP-P",
        next: None,
        steps: &[],
    },
    Expected {
        name: "sql-node",
        level: "baseline",
        declared: None,
        outcomes: "PRPRRPFPPFFFFPPFRFFFF--",
        next: Some("silver"),
        steps: &[
            "rap/config-file",
            "rap/reusable-functions",
            "rap/coding-standards",
            "rap/tests-present",
            "rap/logging",
        ],
    },
];

#[test]
fn every_fixture_gets_its_level_outcomes_and_next_steps() {
    let mut repos = by_name(audit(Path::new("fixtures/org"), &[]));
    repos.extend(by_name(audit(Path::new("fixtures/rap"), &[])));
    for expected in EXPECTED {
        let repo = repos
            .get(expected.name)
            .unwrap_or_else(|| panic!("{} audited", expected.name));
        let name = expected.name;
        assert_eq!(repo["rap_level"], expected.level, "{name}: rap_level");
        assert_eq!(repo["rap"]["level"], expected.level, "{name}: rap.level");
        assert_eq!(
            repo["rap"]["declared"].as_str(),
            expected.declared,
            "{name}: declared"
        );
        assert_eq!(
            outcomes(repo),
            expected.outcomes,
            "{name}: outcomes in the order of RAP_RULES"
        );
        assert_eq!(
            repo["rap"]["next"]["level"].as_str(),
            expected.next,
            "{name}: next level"
        );
        assert_eq!(steps(repo), expected.steps, "{name}: steps");
    }
    // A documentation-only repository is not a pipeline.
    let docs = &repos["ogl-docs"];
    assert_eq!(docs["rap_level"], "none");
    assert!(docs["rap"].is_null());
    assert_eq!(outcome(docs, "rap/open-language"), "not-applicable");
}

fn excerpts(repo: &Value, rule: &str) -> Vec<String> {
    finding(repo, rule)["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["excerpt"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_entry_point_is_what_the_readme_says_to_run() {
    let repos = by_name(audit(Path::new("fixtures/rap"), &[]));
    for (name, excerpt) in [
        (
            "python-readme-silver",
            "the README runs the pipeline with `python create_publication.py`",
        ),
        (
            "python-manifest-in-src",
            "the README runs the pipeline with `python -m bedwatch` (src/bedwatch/__main__.py)",
        ),
        (
            "r-readme-silver",
            "the README runs the pipeline with `Rscript create_report.R`",
        ),
        (
            "r-targets-gold",
            "the README runs the pipeline with `R -e 'targets::tar_make()'` (_targets.R)",
        ),
        (
            "sql-makefile",
            "the README runs the pipeline with `make publication` (Makefile)",
        ),
        (
            "sql-node",
            "the README runs the pipeline with `npm run publish-tables` (package.json)",
        ),
        ("sql-silver", "the README runs the pipeline with `./run.sh`"),
        (
            "sql-dbt-gold",
            "the README runs the pipeline with `dbt build` (dbt_project.yml)",
        ),
    ] {
        let repo = &repos[name];
        assert_eq!(outcome(repo, "rap/single-entry-point"), "pass", "{name}");
        assert_eq!(
            excerpts(repo, "rap/single-entry-point"),
            [excerpt],
            "{name}"
        );
    }
    // The README's command is recorded with where it was read.
    let r = &repos["r-readme-silver"]["facts"]["rap"]["readme_commands"][0];
    assert_eq!(r["path"], "README.md");
    assert_eq!(r["line"], 12);
    assert_eq!(r["runs"], "create_report.R");

    let by_hand = &repos["python-scripts-in-turn"];
    let entry = finding(by_hand, "rap/single-entry-point");
    assert_eq!(
        entry["message"],
        "The README runs 3 scripts one after another (01_extract.py, 02_clean.py, 03_tables.py) and no single entry point runs them all: someone has to run them by hand, in order."
    );
}

#[test]
fn a_truthful_claim_is_supported() {
    let repos = by_name(audit(Path::new("fixtures/rap"), &[]));
    for (name, claimed) in [
        ("python-readme-silver", "silver"),
        ("r-readme-silver", "silver"),
        ("r-targets-gold", "gold"),
        ("sql-silver", "silver"),
        ("sql-dbt-gold", "gold"),
    ] {
        let repo = &repos[name];
        assert_eq!(repo["rap"]["declared"], claimed, "{name}");
        let check = finding(repo, "rap/declared-level-supported");
        assert_eq!(check["outcome"], "pass", "{name}: {check}");
        assert!(
            excerpts(repo, "rap/declared-level-supported")[0]
                .starts_with(&format!("claims {claimed}: ")),
            "{name}"
        );
    }
}

#[test]
fn manifests_beside_the_code_and_in_other_ecosystems() {
    let repos = by_name(audit(Path::new("fixtures/rap"), &[]));
    let in_src = &repos["python-manifest-in-src"];
    let paths: Vec<&str> = finding(in_src, "rap/dependencies-declared")["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert_eq!(paths, ["src/pyproject.toml", "src/uv.lock"]);
    assert_eq!(
        excerpts(in_src, "rap/dependencies-pinned"),
        [
            "dependencies pinned: 0/2 in src/pyproject.toml",
            "src/uv.lock is a lock file (every version pinned)"
        ]
    );
    let node = &repos["sql-node"];
    assert_eq!(outcome(node, "rap/dependencies-pinned"), "pass");
    assert_eq!(
        excerpts(node, "rap/dependencies-pinned"),
        [
            "package-lock.json is a lock file (every version pinned)",
            "dependencies pinned: 0/2 in package.json"
        ]
    );
    let languages: Vec<&str> = node["facts"]["rap"]["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["language"].as_str())
        .collect();
    assert_eq!(languages, ["javascript", "javascript"]);
    // A SQL pipeline has no Python or R manifest to pin; it is not judged as if it did.
    assert_eq!(
        outcome(&repos["sql-makefile"], "rap/dependencies-pinned"),
        "not-applicable"
    );
    assert_eq!(
        finding(&repos["sql-makefile"], "rap/coding-standards")["message"],
        "No linter or formatter configuration for SQL."
    );
}

#[test]
fn sql_pipelines_show_their_own_evidence() {
    let repos = by_name(audit(Path::new("fixtures/rap"), &[]));
    let plain = &repos["sql-silver"];
    assert_eq!(excerpts(plain, "rap/config-file"), ["config: params.sql"]);
    let logging = &finding(plain, "rap/logging")["evidence"][0];
    assert_eq!(logging["path"], "run.sh");
    assert_eq!(logging["line"], 5);
    assert!(
        logging["excerpt"]
            .as_str()
            .is_some_and(|e| e.contains("| tee logs/run.log")),
        "{logging}"
    );
    let dbt = &repos["sql-dbt-gold"];
    for (rule, excerpt) in [
        ("rap/config-file", "config: dbt_project.yml"),
        ("rap/tests-present", "models/: 1 test file (dbt)"),
        ("rap/logging", "logging: `dbt run logs (logs/dbt.log)`"),
        (
            "rap/packaged",
            "SQL: a dbt project (dbt_project.yml), installable as a dbt package",
        ),
        (
            "rap/tests-in-ci",
            "- run: dbt deps && dbt build --target ci",
        ),
    ] {
        assert_eq!(excerpts(dbt, rule), [excerpt], "{rule}");
    }
    assert_eq!(
        excerpts(dbt, "rap/dependencies-pinned"),
        [
            "package-lock.yml is a lock file (every version pinned)",
            "dependencies pinned: 1/1 in packages.yml",
            "dependencies pinned: 2/2 in requirements.txt",
        ]
    );
}

#[test]
fn a_claim_above_the_evidence_is_called_out_with_its_gaps() {
    let repos = by_name(audit(Path::new("fixtures/org/claims-gold"), &[]));
    let repo = repos.values().next().expect("one repo");
    let check = finding(repo, "rap/declared-level-supported");
    assert_eq!(check["outcome"], "fail");
    let message = check["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("Claims RAP gold, but the evidence supports baseline"),
        "{message}"
    );
    let excerpts: Vec<&str> = check["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["excerpt"].as_str())
        .collect();
    assert!(
        excerpts
            .iter()
            .any(|e| e.starts_with("claims gold: ![RAP level: Gold]")),
        "{excerpts:?}"
    );
    assert!(
        excerpts
            .iter()
            .any(|e| e.starts_with("silver gap: rap/config-file")),
        "{excerpts:?}"
    );
    assert!(
        excerpts
            .iter()
            .any(|e| e.starts_with("gold gap: rap/packaged")),
        "{excerpts:?}"
    );
}

#[test]
fn evidence_is_concrete() {
    let repos = by_name(audit(Path::new("fixtures/org"), &[]));
    let exemplary = &repos["exemplary-pipeline"];
    let excerpt = |rule: &str| {
        finding(exemplary, rule)["evidence"][0]["excerpt"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        excerpt("rap/tests-present"),
        "tests/: 4 test files (pytest)"
    );
    assert_eq!(excerpt("rap/logging"), "logging: `logging.getLogger`");
    assert!(
        finding(exemplary, "rap/logging")["evidence"][0]["path"]
            .as_str()
            .unwrap_or("")
            .starts_with("src/a_and_e_pipeline/")
    );
    assert!(excerpt("rap/dependencies-pinned").starts_with("dependencies pinned: "));
    assert_eq!(excerpt("rap/scheduled-runs"), "- cron: \"0 6 * * 1\"");
    assert_eq!(
        exemplary["facts"]["rap"]["declared"][0]["source"],
        "LEVELS_OF_RAP.md"
    );
    let r = &repos["r-package"];
    assert_eq!(
        finding(r, "rap/tests-present")["evidence"][0]["excerpt"],
        "tests/testthat/: 3 test files (testthat)"
    );
    assert_eq!(
        finding(r, "rap/logging")["evidence"][0]["excerpt"],
        "logging: `logger`"
    );
    let sas = &repos["sas-legacy"];
    assert_eq!(
        finding(sas, "rap/open-language")["evidence"][0]["excerpt"],
        "SAS: 3 files"
    );
}

#[test]
fn presets_differ_on_notebooks_and_minimal_has_no_levels() {
    let target = Path::new("fixtures/org/notebook-analysis");
    for (preset, expected) in [
        ("playbook", "fail"),
        ("nhs-england", "fail"),
        ("nhs-digital", "fail"),
    ] {
        let repos = audit(target, &["--preset", preset]);
        assert_eq!(
            outcome(&repos[0], "rap/notebooks-publishable"),
            expected,
            "{preset}"
        );
    }
    let digital = audit(target, &["--preset", "nhs-digital"]);
    let message = finding(&digital[0], "rap/notebooks-publishable")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("allows none"), "{message}");
    let england = audit(target, &["--preset", "nhs-england"]);
    let message = finding(&england[0], "rap/notebooks-publishable")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("outputs"), "{message}");

    let minimal = audit(
        Path::new("fixtures/org/exemplary-pipeline"),
        &["--preset", "minimal"],
    );
    assert_eq!(minimal[0]["rap_level"], "none");
    assert!(minimal[0]["rap"].is_null());
    assert!(
        minimal[0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|f| !f["rule"].as_str().unwrap_or("").starts_with("rap/"))
    );
}

#[test]
fn cleared_notebooks_pass_where_allowed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nb = r#"{"cells":[{"cell_type":"code","source":["x = 1\n"],"outputs":[],"execution_count":null}],"metadata":{"kernelspec":{"language":"python"}},"nbformat":4,"nbformat_minor":5}"#;
    std::fs::write(dir.path().join("analysis.ipynb"), nb).expect("write");
    let repos = audit(dir.path(), &["--preset", "nhs-england"]);
    assert_eq!(outcome(&repos[0], "rap/notebooks-publishable"), "pass");
    let repos = audit(dir.path(), &["--preset", "nhs-digital"]);
    assert_eq!(outcome(&repos[0], "rap/notebooks-publishable"), "fail");
}

#[test]
fn git_history_single_commit_snapshots_and_tags() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("snapshot");
    std::fs::create_dir(&root).expect("mkdir");
    std::fs::write(
        root.join("README.md"),
        "# x\n\n## Usage\n\n    python run.py\n",
    )
    .expect("write");
    std::fs::write(root.join("run.py"), "def main():\n    \"\"\"Run.\"\"\"\n").expect("write");
    let repo = git2::Repository::init(&root).expect("init");
    commit_all(&repo, "Published snapshot");

    let playbook = audit(&root, &[]);
    let vc = finding(&playbook[0], "rap/version-control");
    assert_eq!(vc["outcome"], "needs-review");
    assert!(
        vc["evidence"][0]["excerpt"]
            .as_str()
            .unwrap_or("")
            .starts_with("git: 1 commit at ")
    );
    let digital = audit(&root, &["--preset", "nhs-digital"]);
    assert_eq!(outcome(&digital[0], "rap/version-control"), "pass");
    assert_eq!(outcome(&playbook[0], "rap/changes-signposted"), "fail");

    std::fs::write(
        root.join("run.py"),
        "def main():\n    \"\"\"Run it.\"\"\"\n",
    )
    .expect("write");
    let head = commit_all(&repo, "Second");
    let object = repo.find_object(head, None).expect("object");
    repo.tag_lightweight("v1.0.0", &object, false).expect("tag");
    let repos = audit(&root, &[]);
    assert_eq!(outcome(&repos[0], "rap/version-control"), "pass");
    let changes = finding(&repos[0], "rap/changes-signposted");
    assert_eq!(changes["outcome"], "pass");
    assert_eq!(changes["evidence"][0]["excerpt"], "version tags: v1.0.0");
}

#[test]
fn explain_and_rules_show_the_level() {
    let output = Command::cargo_bin("openly")
        .expect("binary")
        .args(["explain", "rap/scheduled-runs"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("RAP level: a gold criterion"), "{text}");
    let output = Command::cargo_bin("openly")
        .expect("binary")
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let rules: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let level = |id: &str| {
        rules["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["id"] == id)
            .map(|r| r["level"].clone())
    };
    assert_eq!(level("rap/peer-review"), Some(Value::from("baseline")));
    assert_eq!(level("rap/tidy-data"), Some(Value::from("silver")));
    assert_eq!(level("rap/changes-signposted"), Some(Value::from("gold")));
    assert_eq!(level("rap/declared-level-supported"), Some(Value::Null));
}
