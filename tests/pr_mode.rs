//! Pull-request mode end to end: a real two-commit repository, the real binary, and the
//! contract that only what the change made worse is new, and only new errors fail the gate.

mod common;

use std::collections::BTreeSet;

use common::{STAND_IN_PACK, TestRepo, fake_nhs_numbers, healthy_base, openly, patient_csv};
use serde_json::Value;

const ENV_FILE: &str = "DATABASE_URL=postgres://analyst:Sup3rS3cretPassw0rd@db.example.invalid/warehouse\nAPI_KEY=sk_live_4f9a8b7c6d5e4f3a2b1c\n";

/// Base: healthy. Head: adds `.env` and a CSV of patient NHS numbers, deletes the licence.
fn worse_pr() -> (TestRepo, Vec<String>) {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.commit("Chart weekly occupancy");
    let numbers = fake_nhs_numbers(20240917, 12);
    repo.write(".env", ENV_FILE)
        .write("data/patients_extract.csv", &patient_csv(&numbers))
        .remove("LICENSE");
    repo.commit("Add the extract");
    (repo, numbers)
}

fn new_rules(report: &Value) -> BTreeSet<String> {
    report["pr"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn default_pack_reports_the_removed_licence_and_only_the_changes_as_new() {
    let (repo, numbers) = worse_pr();
    let out = openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a new error-severity failure fails the gate"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let report: Value = serde_json::from_str(&text).unwrap();
    let new = new_rules(&report);
    assert!(new.contains("licence/present"), "new: {new:?}");
    // Exactly the three changes, each as the rules that judge it: the removed licence
    // (licence/present alone: RAP does not count it a second time), the .env file
    // (committed settings, and the API key in it), and the patient extract (NHS numbers, the
    // names and dates beside them, real rather than dummy data, and data beside the code).
    let expected: BTreeSet<String> = [
        "licence/present",
        "secrets/env-file",
        "secrets/token",
        "data/nhs-number",
        "data/quasi-identifiers",
        "data/dummy-available",
        "rap/standard-layout",
    ]
    .map(String::from)
    .into();
    assert_eq!(new, expected);
    // Head's audit is the full report; base's score and the delta sit in `pr`.
    assert_eq!(report["repos"].as_array().unwrap().len(), 1);
    assert!(
        report["pr"]["base"]["score"].as_f64().unwrap()
            > report["repos"][0]["score"].as_f64().unwrap()
    );
    assert!(report["pr"]["score_delta"].as_f64().unwrap() < 0.0);
    assert_eq!(report["pr"]["base"]["commit"].as_str().unwrap().len(), 40);
    // Found personal data and secrets are never echoed.
    for number in &numbers {
        assert!(
            !text.contains(number.as_str()),
            "NHS number {number} leaked"
        );
    }
    assert!(!text.contains("Sup3rS3cretPassw0rd"));
    assert!(!text.contains("sk_live_4f9a8b7c6d5e4f3a2b1c"));
}

#[test]
fn exactly_the_added_env_file_csv_and_removed_licence_are_new() {
    let (repo, numbers) = worse_pr();
    let pack = repo.path().join("../pr-test-pack.toml");
    std::fs::write(&pack, STAND_IN_PACK).unwrap();
    let out = openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--format", "json", "--rules"])
        .arg(&pack)
        .output()
        .unwrap();
    std::fs::remove_file(&pack).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: BTreeSet<String> = [
        "data/csv-committed",
        "licence/present",
        "secrets/dotenv-committed",
    ]
    .map(String::from)
    .into();
    assert_eq!(new_rules(&report), expected);
    assert_eq!(report["pr"]["fixed"].as_array().unwrap().len(), 0);

    for format in ["markdown", "github", "text"] {
        let out = openly()
            .arg("audit")
            .arg(repo.path())
            .args(["--base", "HEAD~1", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for number in &numbers {
            assert!(!text.contains(number.as_str()), "{format} leaked {number}");
        }
        assert!(
            !text.contains("Sup3rS3cretPassw0rd"),
            "{format} leaked the password"
        );
    }
}

#[test]
fn a_renamed_file_and_edits_above_it_are_not_new() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.write(
        "data/extract.csv",
        "ward,beds\nA,12\nB,30\nC,41\nD,7\nE,19\nF,22\nG,5\nH,16\n",
    );
    repo.commit("Base with an extract");
    repo.rename("data/extract.csv", "archive/2024/extract.csv");
    repo.write(
        "README.md",
        &format!(
            "# Bed occupancy\n\nA new first paragraph pushes every line down.\n\n{}",
            std::fs::read_to_string(repo.path().join("README.md"))
                .unwrap()
                .trim_start_matches("# Bed occupancy\n\n")
        ),
    );
    repo.commit("Move the extract");
    let pack = repo.path().join("../pr-rename-pack.toml");
    std::fs::write(&pack, STAND_IN_PACK).unwrap();
    let out = openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--format", "json", "--rules"])
        .arg(&pack)
        .output()
        .unwrap();
    std::fs::remove_file(&pack).unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(new_rules(&report), BTreeSet::new());
    assert_eq!(report["pr"]["fixed"].as_array().unwrap().len(), 0);
    assert_eq!(
        report["pr"]["renamed"],
        serde_json::json!([{"from": "data/extract.csv", "to": "archive/2024/extract.csv"}])
    );
    // The failure is still there in head, under its new path.
    let finding = report["repos"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "data/csv-committed")
        .unwrap();
    assert_eq!(finding["outcome"], "fail");
    assert_eq!(finding["evidence"][0]["path"], "archive/2024/extract.csv");
}

#[test]
fn problems_the_base_already_had_do_not_fail_the_gate() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    // Two commits before the base, so the history evidence (one commit or several) is the same
    // in base and head.
    repo.commit("Start");
    repo.remove("LICENSE");
    repo.commit("No licence yet");
    repo.write(
        "occupancy.py",
        "import csv\n\n\ndef main():\n    return 2\n",
    );
    repo.commit("Tweak");
    let out = openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--format", "json", "--fail-under", "99"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(new_rules(&report), BTreeSet::new());
    assert_eq!(report["pr"]["score_delta"], 0.0);
    // The same repository fails a plain audit with the same gate: the backlog is real.
    openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--fail-under", "99"])
        .assert()
        .code(1);
}

#[test]
fn fixing_the_licence_is_reported_as_fixed() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    let licence = std::fs::read_to_string(repo.path().join("LICENSE")).unwrap();
    repo.remove("LICENSE");
    repo.commit("No licence yet");
    repo.write("LICENSE", &licence);
    repo.commit("Add the licence");
    let out = openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fixed: Vec<&str> = report["pr"]["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(fixed.contains(&"licence/present"), "fixed: {fixed:?}");
    assert!(report["pr"]["score_delta"].as_f64().unwrap() > 0.0);
}

#[test]
fn warnings_fail_pr_mode_only_when_asked() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.commit("Base");
    repo.remove(".gitignore");
    repo.commit("Drop .gitignore");
    let run = |extra: &[&str]| {
        openly()
            .arg("audit")
            .arg(repo.path())
            .args(["--base", "HEAD~1"])
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(0), "new warnings pass the default gate");
    assert_eq!(run(&["--fail-on", "warning"]), Some(1));
}

#[test]
fn a_subdirectory_of_a_monorepo_is_compared_on_its_own() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.write("services/beds/README.md", "# Beds\n\nThis service uses open data.\n")
        .write("services/beds/LICENSE", "MIT License\n\nCopyright (c) 2024 Invented NHS Trust\n\nPermission is hereby granted, free of charge, to any person obtaining a copy.\n")
        .write("services/beds/app.py", "print(1)\n");
    repo.commit("Base");
    repo.remove("services/beds/LICENSE");
    repo.commit("Drop the service licence");
    let out = openly()
        .arg("audit")
        .arg(repo.path().join("services/beds"))
        .args(["--base", "HEAD~1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["repos"][0]["name"], "beds");
    assert!(new_rules(&report).contains("licence/present"));
}

#[test]
fn a_missing_base_commit_explains_the_shallow_checkout() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.commit("Only commit");
    openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "0123456789abcdef0123456789abcdef01234567"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("fetch-depth: 0"));
}

#[test]
fn pr_mode_needs_one_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# x\n").unwrap();
    openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--base", "HEAD~1"])
        .assert()
        .code(2);
    openly()
        .args(["audit", ".", "--head", "HEAD"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--head needs --base"));
}

#[test]
fn the_pr_report_matches_the_published_schema() {
    let (repo, _) = worse_pr();
    let out = openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: Value =
        serde_json::from_slice(&openly().arg("schema").output().unwrap().stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(schema.to_string().contains("score_delta"));
}

#[test]
fn text_output_says_what_the_change_did() {
    let (repo, _) = worse_pr();
    openly()
        .arg("audit")
        .arg(repo.path())
        .args(["--base", "HEAD~1", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("pull request"))
        .stdout(predicates::str::contains("new   ✗ error licence/present"));
}

/// `--history` in pull-request mode scans the history each revision carries: a secret
/// committed and deleted again within the pull request is in the head's history and not in
/// the base's, so it is new; and a git repository never gets the "needs a git repository"
/// warning.
#[test]
fn history_in_pr_mode_finds_a_secret_committed_and_deleted_within_the_pr() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.commit("Chart weekly occupancy");
    repo.write("config/settings.env", ENV_FILE);
    repo.commit("Add settings");
    repo.remove("config/settings.env");
    repo.commit("Remove settings again");
    let run = |history: bool| {
        let mut command = openly();
        command
            .arg("audit")
            .arg(repo.path())
            .args(["--base", "HEAD~2", "--format", "json"]);
        if history {
            command.args(["--history", "--fail-on", "warning"]);
        }
        command.output().unwrap()
    };
    let without = run(false);
    let report: Value = serde_json::from_slice(&without.stdout).unwrap();
    assert!(
        !new_rules(&report).contains("secrets/token"),
        "without --history the deleted file is not seen: {:?}",
        new_rules(&report)
    );
    let with = run(true);
    let stderr = String::from_utf8_lossy(&with.stderr);
    assert!(
        !stderr.contains("needs a git repository"),
        "history was dropped: {stderr}"
    );
    let report: Value = serde_json::from_slice(&with.stdout).unwrap();
    let new = new_rules(&report);
    assert!(new.contains("secrets/token"), "new: {new:?}");
    assert_eq!(
        with.status.code(),
        Some(1),
        "a new secret fails a warning gate"
    );
    let text = String::from_utf8_lossy(&with.stdout);
    assert!(
        !text.contains("sk_live_4f9a8b7c6d5e4f3a2b1c"),
        "the secret is masked"
    );
    let history = &report["repos"][0]["facts"]["data"]["history"];
    assert!(
        history["commits"].as_u64().unwrap() >= 3,
        "head's history walked: {history}"
    );
}
