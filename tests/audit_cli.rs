//! The audit command end to end on the invented fixtures: report formats, determinism, the
//! schema, gates and exit codes, as a user meets them.

mod common;

use common::{audit_json, openly, outcome, redact};
use predicates::prelude::*;

#[test]
fn text_report_on_the_fixture_org() {
    let output = openly()
        .args(["audit", "fixtures/org", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "no gate set: an estate report is not a failure"
    );
    insta::assert_snapshot!("fixtures_text", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn json_report_on_the_fixture_org() {
    let report = redact(audit_json(&["fixtures/org"]), None);
    insta::assert_json_snapshot!("fixtures_json", report);
}

#[test]
fn every_fixture_report_validates_against_the_published_schema() {
    let schema_output = openly().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&schema_output.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema itself is valid");
    let report = audit_json(&["fixtures/org"]);
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
    assert_eq!(report["schema_version"], 1);
    assert!(report["repos"].as_array().unwrap().len() >= 6);
}

#[test]
fn schema_rejects_a_report_missing_a_required_field() {
    let schema_output = openly().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&schema_output.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut report = audit_json(&["fixtures/org/no-licence"]);
    report.as_object_mut().unwrap().remove("summary");
    assert!(
        !validator.is_valid(&report),
        "a schema that accepts anything proves nothing"
    );
}

#[test]
fn two_runs_give_identical_json_apart_from_the_time() {
    let first = redact(audit_json(&["fixtures/org"]), None);
    let second = redact(audit_json(&["fixtures/org", "--jobs", "1"]), None);
    assert_eq!(first, second);
}

#[test]
fn hand_checked_verdicts_on_the_fixtures() {
    let exemplary = audit_json(&["fixtures/org/exemplary-pipeline"]);
    for rule in [
        "licence/present",
        "readme/purpose",
        "readme/status",
        "readme/contact",
        "readme/data",
        "readme/install",
        "readme/usage",
        "readme/licence",
        "readme/disclaimer",
        "community/contributing",
        "community/code-of-conduct",
        "community/security-policy",
        "community/codeowners",
        "hygiene/gitignore-data",
        "hygiene/gitignore-secrets",
        "rap/tests-present",
        "rap/ci-present",
        "rap/dependencies-declared",
    ] {
        assert_eq!(
            outcome(&exemplary, rule),
            "pass",
            "exemplary-pipeline {rule}"
        );
    }

    let bare = audit_json(&["fixtures/org/no-licence"]);
    assert_eq!(outcome(&bare, "licence/present"), "fail");
    assert_eq!(outcome(&bare, "readme/present"), "pass");
    assert_eq!(outcome(&bare, "readme/install"), "fail");
    assert_eq!(outcome(&bare, "hygiene/gitignore"), "fail");
    assert_eq!(
        outcome(&bare, "hygiene/gitignore-data"),
        "not-applicable",
        "not failed twice"
    );

    let r_package = audit_json(&["fixtures/org/r-package"]);
    assert_eq!(outcome(&r_package, "licence/present"), "pass");
    let evidence = &common::finding(&r_package, "licence/present")["evidence"];
    let paths: Vec<&str> = evidence
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["LICENSE", "LICENSE.md"],
        "R's stub and the full text both count"
    );
    assert_eq!(outcome(&r_package, "readme/status"), "fail");
    assert_eq!(outcome(&r_package, "rap/tests-present"), "pass", "testthat");

    let leaky = audit_json(&["fixtures/org/patient-extract-env"]);
    assert_eq!(outcome(&leaky, "hygiene/gitignore-secrets"), "fail");
    assert_eq!(outcome(&leaky, "hygiene/gitignore-data"), "fail");
    assert_eq!(outcome(&leaky, "readme/install"), "pass");
}

#[test]
fn fail_under_and_fail_on_gate_the_exit_code() {
    openly()
        .args(["audit", "fixtures/org/no-licence"])
        .assert()
        .code(0);
    openly()
        .args(["audit", "fixtures/org/no-licence", "--fail-under", "50"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gate failed"));
    openly()
        .args(["audit", "fixtures/org/no-licence", "--fail-on", "error"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("licence/present"));
    openly()
        .args([
            "audit",
            "fixtures/org/exemplary-pipeline",
            "--fail-on",
            "warning",
            "--fail-under",
            "90",
        ])
        .assert()
        .code(0);
}

#[test]
fn usage_errors_exit_2() {
    openly()
        .args(["audit", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
    openly()
        .args(["audit", ".", "--fail-under", "150"])
        .assert()
        .code(2);
    openly()
        .args(["audit", ".", "--format", "yaml"])
        .assert()
        .code(2);
    openly()
        .args(["explain", "licence/nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule"));
}

#[test]
fn output_file_is_written_whole_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    openly()
        .args([
            "audit",
            "fixtures/org/no-licence",
            "--format",
            "json",
            "--output",
        ])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty());
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(report["summary"]["audited"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

/// `--output` never destroys what it points at: a symlink stays a symlink (its target gets the
/// report), a FIFO is written into rather than replaced, and a new file gets the usual mode
/// rather than a temporary file's 0600.
#[cfg(unix)]
#[test]
fn output_writes_into_links_and_fifos_and_new_files_get_the_usual_mode() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    let dir = tempfile::tempdir().unwrap();
    let run = |path: &std::path::Path| {
        openly()
            .args([
                "audit",
                "fixtures/org/no-licence",
                "--format",
                "json",
                "--output",
            ])
            .arg(path)
            .assert()
            .code(0);
    };

    let target = dir.path().join("real.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    run(&link);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(report["summary"]["audited"], 1);

    let fresh = dir.path().join("fresh.json");
    run(&fresh);
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    let probe = dir.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    let usual = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, usual, "the report has the mode any new file gets");

    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        run(&fifo);
        let bytes = reader.join().unwrap();
        assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok());
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = openly()
        .args(["audit", "fixtures/org/no-licence"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'),
        "not a TTY: no escapes"
    );
    let forced = openly()
        .args(["audit", "fixtures/org/no-licence", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\u{1b}'));
}

#[test]
fn the_rule_id_list_is_a_public_contract() {
    let output = openly()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<String> = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} ({}, weight {})",
                r["id"].as_str().unwrap(),
                r["severity"].as_str().unwrap(),
                r["weight"]
            )
        })
        .collect();
    insta::assert_snapshot!("rule_ids", ids.join("\n"));
}

#[test]
fn docs_rules_md_is_generated_from_the_pack() {
    let output = openly()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(output.stdout).unwrap();
    let committed =
        std::fs::read_to_string(common::root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn explain_shows_the_fix_and_the_check() {
    openly()
        .args(["explain", "hygiene/gitignore-data"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("How to fix").and(predicate::str::contains("gitignore")));
}

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".openly.toml");
    openly().arg("init").arg(&path).assert().code(0);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("[[allow]]")
    );
    openly().arg("init").arg(&path).assert().code(2);
    openly()
        .arg("init")
        .arg(&path)
        .arg("--force")
        .assert()
        .code(0);
    openly()
        .args(["audit", "fixtures/org/no-licence", "--config"])
        .arg(&path)
        .assert()
        .code(0);
}

#[test]
fn presets_load_and_minimal_checks_less() {
    let full = audit_json(&["fixtures/org/no-licence"]);
    let minimal = audit_json(&["fixtures/org/no-licence", "--preset", "minimal"]);
    let count = |r: &serde_json::Value| r["repos"][0]["findings"].as_array().unwrap().len();
    assert!(count(&minimal) < count(&full));
    assert_eq!(minimal["rule_pack"]["name"], "minimal");
    for preset in ["nhs-england", "nhs-digital"] {
        openly()
            .args(["audit", "fixtures/org/no-licence", "--preset", preset])
            .assert()
            .code(0);
    }
    openly()
        .args(["audit", ".", "--preset", "nope"])
        .assert()
        .code(78);
}

#[test]
fn help_shows_examples() {
    openly()
        .args(["audit", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("Exit codes")));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_openly"))
        .current_dir(common::root())
        .args(["audit", "fixtures", "fixtures/org", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "a closed pipe is not an error"
    );
}
