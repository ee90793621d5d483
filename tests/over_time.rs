//! Over time and at scale, through the real binary on real files: sharded runs merge into the
//! report one run gives (local folders and a fake GitHub organisation on loopback), `openly
//! compare` on two real reports of the same repositories before and after a change, allow
//! entries that expire (with the date in the entry, never a mocked clock in the binary), an
//! organisation allow-list, and `--baseline` exit codes.

mod common;

use std::path::Path;
use std::sync::Arc;

use chrono::Datelike;
use common::fake_github::{FakeGitHub, FakeRepo};
use common::{fake_nhs_numbers, openly, patient_csv};
use serde_json::Value;

fn fixture_org() -> std::path::PathBuf {
    common::root().join("fixtures/org")
}

/// The fixture organisation's repositories, listed from the folder (not from openly).
fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_org())
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn without_time(mut report: Value) -> Value {
    report["generated_at"] = Value::Null;
    report
}

fn names(report: &Value) -> Vec<String> {
    report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

/// Runs four shards and one whole run with `args`, merges the shards, and checks the merge
/// against the whole run. Returns the whole run's report.
fn shards_merge_into_one_run(work: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let run = |extra: &[&str], out: &Path| {
        let output = openly()
            .arg("audit")
            .args(args)
            .args(extra)
            .args(["--format", "json", "--output"])
            .arg(out)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let whole = work.join("whole.json");
    run(&[], &whole);
    let mut parts = Vec::new();
    let mut seen = Vec::new();
    for index in 1..=4 {
        let part = work.join(format!("part-{index}.json"));
        run(&["--shard", &format!("{index}/4")], &part);
        let report = read_json(&part);
        assert_eq!(report["shard"]["index"], index);
        assert_eq!(report["shard"]["count"], 4);
        seen.extend(names(&report));
        parts.push(part);
    }
    let whole = read_json(&whole);
    let mut expected = names(&whole);
    expected.sort();
    seen.sort();
    assert_eq!(seen, expected, "every repository in exactly one shard");

    let merged = work.join("merged.json");
    let output = openly()
        .arg("merge")
        .args(parts.iter().rev())
        .arg("--output")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let merged = read_json(&merged);
    assert!(merged.get("shard").is_none());
    assert_eq!(without_time(merged), without_time(whole.clone()));
    whole
}

#[test]
fn four_local_shards_merge_into_the_report_of_one_run() {
    let work = tempfile::tempdir().unwrap();
    let org = fixture_org();
    let whole = shards_merge_into_one_run(work.path(), &[org.to_str().unwrap()], &[]);
    assert_eq!(names(&whole), fixture_names());
    let scores: Vec<f64> = whole["repos"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["score"].as_f64())
        .collect();
    let mean = (scores.iter().sum::<f64>() / scores.len() as f64 * 10.0).round() / 10.0;
    assert_eq!(whole["summary"]["mean_score"].as_f64(), Some(mean));
}

#[test]
fn four_github_shards_merge_into_the_report_of_one_run() {
    let repos: Vec<FakeRepo> = fixture_names()
        .iter()
        .map(|name| FakeRepo::from_dir(name, &fixture_org().join(name)))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = Arc::new(FakeGitHub::new("nhs-test", repos));
    let (_server, api) = runtime.block_on(fake.clone().serve());
    let work = tempfile::tempdir().unwrap();
    let whole = shards_merge_into_one_run(
        work.path(),
        &[
            "--org",
            "nhs-test",
            "--api-url",
            &api,
            "--no-cache",
            "--quiet",
        ],
        &[("GITHUB_TOKEN", "test-token")],
    );
    let expected: Vec<String> = fixture_names()
        .iter()
        .map(|n| format!("nhs-test/{n}"))
        .collect();
    assert_eq!(names(&whole), expected);
}

#[test]
fn merge_refuses_parts_that_cannot_make_one_report() {
    let work = tempfile::tempdir().unwrap();
    let org = fixture_org();
    let audit = |args: &[&str], name: &str| {
        let path = work.path().join(name);
        openly()
            .arg("audit")
            .arg(org.join("ogl-docs"))
            .args(args)
            .args(["--format", "json", "--output"])
            .arg(&path)
            .assert()
            .success();
        path
    };
    let playbook = audit(&[], "playbook.json");
    let minimal = audit(&["--preset", "minimal"], "minimal.json");
    let not_json = work.path().join("notes.txt");
    std::fs::write(&not_json, "minutes of the meeting").unwrap();
    for (parts, says) in [
        (vec![&playbook, &minimal], "one report needs one pack"),
        (vec![&playbook, &playbook], "the parts overlap"),
        (vec![&playbook, &not_json], "not JSON"),
    ] {
        let output = openly().arg("merge").args(parts).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
        assert!(output.stdout.is_empty());
    }
    openly().args(["audit", "--shard", "5/4"]).assert().code(2);
}

// ─────────────────────────── compare ───────────────────────────

/// Audits `dir` to JSON at `out`, with a fixed `generated_at` so snapshots are stable.
fn audit_to(dir: &Path, out: &Path, generated_at: &str) -> Value {
    let output = openly()
        .arg("audit")
        .arg(dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let mut report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["generated_at"] = generated_at.into();
    std::fs::write(out, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    report
}

fn repo<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn failing(report: &Value, repo_name: &str, rule: &str) -> bool {
    repo(report, repo_name)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == rule && f["outcome"] == "fail")
}

/// An estate a month apart: one repository gains a licence, one publishes patient numbers in
/// a new file, one is retired and one is new.
fn estate_month(work: &Path) -> (Value, Value) {
    let estate = work.join("estate");
    common::copy_dir(&fixture_org(), &estate);
    let old = audit_to(&estate, &work.join("may.json"), "2025-05-01T09:00:00Z");
    std::fs::copy(
        fixture_org().join("exemplary-pipeline/LICENSE"),
        estate.join("no-licence/LICENSE"),
    )
    .unwrap();
    common::write(
        &estate.join("r-package"),
        "inst/extdata/referrals.csv",
        patient_csv(&fake_nhs_numbers(7, 3)),
    );
    std::fs::remove_dir_all(estate.join("sas-legacy")).unwrap();
    common::copy_dir(&estate.join("ogl-docs"), &estate.join("waiting-times-docs"));
    let new = audit_to(&estate, &work.join("june.json"), "2025-06-01T09:00:00Z");
    (old, new)
}

fn compare(work: &Path, format: &str) -> String {
    let output = openly()
        .current_dir(work)
        .args(["compare", "may.json", "june.json", "--format", format])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn compare_tells_what_changed_in_the_estate() {
    let work = tempfile::tempdir().unwrap();
    let (old, new) = estate_month(work.path());
    // The change did what it should, read from the reports themselves.
    assert!(failing(&old, "no-licence", "licence/present"));
    assert!(!failing(&new, "no-licence", "licence/present"));
    assert!(!failing(&old, "r-package", "data/nhs-number"));
    assert!(failing(&new, "r-package", "data/nhs-number"));

    let json: Value = serde_json::from_str(&compare(work.path(), "json")).unwrap();
    assert_eq!(json["warnings"], serde_json::json!([]));
    let change = |name: &str| {
        json["repos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    let licensed = change("no-licence");
    let expected = ((repo(&new, "no-licence")["score"].as_f64().unwrap()
        - repo(&old, "no-licence")["score"].as_f64().unwrap())
        * 10.0)
        .round()
        / 10.0;
    assert!(expected > 0.0);
    assert_eq!(licensed["score_delta"].as_f64(), Some(expected));
    let fixed: Vec<&str> = licensed["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(fixed.contains(&"licence/present"), "{fixed:?}");

    let leaked = change("r-package");
    assert!(leaked["score_delta"].as_f64().unwrap() < 0.0);
    let new_nhs = leaked["new"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "data/nhs-number")
        .expect("the NHS numbers are new");
    assert!(
        new_nhs["locations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["path"] == "inst/extdata/referrals.csv")
    );
    // Masked in the report, so masked here: no invented number appears in full.
    let text = serde_json::to_string(&json).unwrap();
    for number in fake_nhs_numbers(7, 3) {
        assert!(!text.contains(&number));
    }
    // Untouched repositories are unchanged, with nothing new or fixed.
    let same = change("claims-gold");
    assert_eq!(same["score_delta"].as_f64(), Some(0.0));
    assert_eq!(same["new"], serde_json::json!([]));
    assert_eq!(same["fixed"], serde_json::json!([]));

    assert_eq!(json["added"][0]["name"], "waiting-times-docs");
    assert_eq!(json["removed"][0]["name"], "sas-legacy");
    let estate = &json["estate"];
    assert_eq!(estate["compared"], 7);
    assert_eq!(estate["better"], 1);
    assert_eq!(estate["worse"], 1);
    assert_eq!(estate["unchanged"], 5);
    let deltas: Vec<f64> = json["repos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score_delta"].as_f64().unwrap())
        .collect();
    let mean = (deltas.iter().sum::<f64>() / deltas.len() as f64 * 10.0).round() / 10.0;
    assert_eq!(estate["mean_score_delta"].as_f64(), Some(mean));

    // The JSON follows its published schema.
    let schema = openly().args(["schema", "compare"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&json));

    insta::assert_snapshot!("compare_text", compare(work.path(), "text"));
    insta::assert_snapshot!("compare_markdown", compare(work.path(), "markdown"));
}

#[test]
fn reports_of_other_versions_compare_with_a_warning() {
    let work = tempfile::tempdir().unwrap();
    let old = work.path().join("old.json");
    let new = work.path().join("new.json");
    let mut report = audit_to(
        &fixture_org().join("ogl-docs"),
        &new,
        "2025-06-01T09:00:00Z",
    );
    report["tool"]["version"] = "0.0.9".into();
    report["rule_pack"]["version"] = "0.9.0".into();
    report["a_field_from_the_future"] = serde_json::json!({"x": 1});
    report["repos"][0]["facts"] = "reshaped".into();
    std::fs::write(&old, report.to_string()).unwrap();
    let output = openly()
        .arg("compare")
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("different openly versions (0.0.9 and"),
        "{stderr}"
    );
    assert!(stderr.contains("different rule packs"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("ogl-docs"), "{stdout}");

    std::fs::write(&old, "{\"not\": \"a report\"}").unwrap();
    let output = openly()
        .arg("compare")
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an openly JSON report"));
}

// ─────────────────────────── allow entries ───────────────────────────

#[test]
fn an_allow_entry_dated_last_year_fails_again_today_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture_org().join("no-licence"), dir.path());
    let last_year = format!("{}-03-31", chrono::Utc::now().year() - 1);
    std::fs::write(
        dir.path().join(".openly.toml"),
        format!(
            "[[allow]]\nrule = \"licence/present\"\nreason = \"Licence agreed with the trust's legal team\"\nexpires = {last_year}\n\n\
             [[allow]]\nrule = \"community/contributing\"\nreason = \"Internal contributors only\"\nexpires = 9999-12-31\n"
        ),
    )
    .unwrap();
    let report = common::audit_json(&[dir.path().to_str().unwrap()]);
    let licence = common::finding(&report, "licence/present");
    assert_eq!(licence["outcome"], "fail");
    assert!(licence.get("waiver").is_none());
    assert_eq!(licence["allowed_by"]["expired"], true);
    assert_eq!(licence["allowed_by"]["expires"], last_year.as_str());
    assert_eq!(licence["allowed_by"]["source"], ".openly.toml:1");
    let message = licence["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("allowed until {last_year}")) && message.contains("expired"),
        "{message}"
    );
    let contributing = common::finding(&report, "community/contributing");
    assert_eq!(contributing["outcome"], "waived");
    assert_eq!(contributing["waiver"], "Internal contributors only");
    assert_eq!(contributing["allowed_by"]["expires"], "9999-12-31");
    assert_eq!(contributing["allowed_by"]["expired"], false);

    let audit_as = |format: &str| {
        openly()
            .arg("audit")
            .arg(dir.path())
            .args(["--format", format])
            .output()
            .unwrap()
    };

    // The expired entry gates again; the one in force does not.
    openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--fail-on", "error"])
        .assert()
        .code(1);

    let text = openly().arg("audit").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!("allowed until {last_year}")),
        "{text}"
    );
    assert!(
        text.contains("community/contributing — Internal contributors only")
            && text.contains("until 9999-12-31"),
        "{text}"
    );
    let markdown = audit_as("markdown");
    let markdown = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        markdown.contains("Waived: Internal contributors only (until 9999-12-31"),
        "{markdown}"
    );

    // CSV: the entry's reason and expiry in their own columns, for the waived and the expired.
    let csv = audit_as("csv");
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row_of = |rule: &str| -> Vec<String> {
        rows.iter()
            .find(|row| row[column("rule")] == rule)
            .unwrap_or_else(|| panic!("no row for {rule}"))
            .clone()
    };
    let waived = row_of("community/contributing");
    assert_eq!(waived[column("outcome")], "waived");
    assert_eq!(waived[column("allow_reason")], "Internal contributors only");
    assert_eq!(waived[column("allow_expires")], "9999-12-31");
    let expired = row_of("licence/present");
    assert_eq!(expired[column("outcome")], "fail");
    assert_eq!(expired[column("allow_expires")], last_year);

    // SARIF: a suppression whose justification says why, until when and where.
    let sarif = audit_as("sarif");
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "community/contributing")
        .collect();
    assert!(!suppressed.is_empty());
    for result in suppressed {
        assert_eq!(
            result["suppressions"][0]["justification"],
            "Internal contributors only (until 9999-12-31; .openly.toml:6)"
        );
    }
    let licence = results
        .iter()
        .find(|r| r["ruleId"] == "licence/present")
        .expect("the expired entry's failure is a result");
    assert!(
        licence
            .get("suppressions")
            .is_none_or(|s| s.as_array().is_some_and(Vec::is_empty)),
        "{licence}"
    );
}

#[test]
fn an_org_allow_list_applies_to_the_repositories_its_globs_name() {
    let work = tempfile::tempdir().unwrap();
    let list = work.path().join("allow.toml");
    std::fs::write(
        &list,
        "# Reviewed by the open-source board, 2025-04\n\
         [[allow]]\nrepo = \"ogl-*\"\nrule = \"community/code-of-conduct\"\nreason = \"Documentation only; no contributors\"\nexpires = 9999-01-01\n",
    )
    .unwrap();
    let report = common::audit_json(&[
        fixture_org().to_str().unwrap(),
        "--allow-list",
        list.to_str().unwrap(),
    ]);
    let outcome = |name: &str| {
        repo(&report, name)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "community/code-of-conduct")
            .unwrap()
            .clone()
    };
    let docs = outcome("ogl-docs");
    assert_eq!(docs["outcome"], "waived");
    assert_eq!(
        docs["allowed_by"]["source"],
        format!("{}:2", list.display()).as_str()
    );
    assert_eq!(outcome("no-licence")["outcome"], "fail");

    std::fs::write(
        &list,
        "[[rules]]\nid = \"x/y\"\n\n[[allow]]\nrule = \"licence/present\"\nexpires = \"2025-01-01\"\n",
    )
    .unwrap();
    let output = openly()
        .arg("audit")
        .arg(fixture_org())
        .arg("--allow-list")
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let at = list.display().to_string();
    for (place, says) in [
        (
            format!("{at}:1:3"),
            "an allow-list holds only [[allow]] tables",
        ),
        (format!("{at}:4:1"), "an allow entry needs a `reason`"),
        (
            format!("{at}:6:11"),
            "`expires` is a TOML date without quotes",
        ),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&place) && l.contains(says)),
            "{place} {says}: {stderr}"
        );
    }
}

// ─────────────────────────── baselines ───────────────────────────

#[test]
fn a_baseline_gates_only_on_what_is_new() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("patient-extract-env");
    common::copy_dir(&fixture_org().join("patient-extract-env"), &dir);
    // A legacy extract with invented patient numbers, accepted into the baseline.
    common::write(
        &dir,
        "data/old_extract.csv",
        patient_csv(&fake_nhs_numbers(11, 2)),
    );
    let baseline = work.path().join("baseline.json");
    let before = audit_to(&dir, &baseline, "2025-05-01T09:00:00Z");
    let gate = |extra: &[&str]| {
        openly()
            .arg("audit")
            .arg(&dir)
            .args(["--fail-on", "warning", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    // Without a baseline the legacy repository fails the gate.
    assert_eq!(gate(&[]).status.code(), Some(1));

    let output = gate(&["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let failed_before = before["repos"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "fail")
        .count();
    let outcomes: Vec<&str> = report["repos"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["outcome"].as_str().unwrap())
        .collect();
    assert!(failed_before > 0);
    assert_eq!(
        outcomes.iter().filter(|o| **o == "baseline").count(),
        failed_before
    );
    assert!(!outcomes.contains(&"fail"));
    assert_eq!(report["repos"][0]["score"], before["repos"][0]["score"]);

    // More invented patient numbers in a new file: new at that location, so the gate fails.
    // (It sorts after the old one, so if both masked excerpts are the same the new file is
    // the second with that anchor, as the fingerprint's rank says.)
    common::write(
        &dir,
        "data/referrals_2025.csv",
        patient_csv(&fake_nhs_numbers(12, 2)),
    );
    let output = gate(&["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let nhs = common::finding(&report, "data/nhs-number");
    assert_eq!(nhs["outcome"], "fail");
    let evidence = nhs["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 2, "{nhs}");
    for item in evidence {
        let new_file = item["path"] == "data/referrals_2025.csv";
        assert_eq!(item["baseline"] == true, !new_file, "{item}");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("gate failed"), "{stderr}");

    // SARIF of the same run: the known location unchanged, the new file's location new.
    let sarif = openly()
        .arg("audit")
        .arg(&dir)
        .args([
            "--format",
            "sarif",
            "--baseline",
            baseline.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let states: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "data/nhs-number")
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["baselineState"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        vec![
            ("data/old_extract.csv".to_string(), "unchanged".to_string()),
            ("data/referrals_2025.csv".to_string(), "new".to_string()),
        ]
    );

    // A baseline that cannot be read stops the run before any audit.
    openly()
        .arg("audit")
        .arg(&dir)
        .args(["--baseline", "no-such-baseline.json"])
        .assert()
        .code(2);
}

#[test]
fn dashboard_trends_need_the_html_format_and_a_readable_report() {
    let work = tempfile::tempdir().unwrap();
    let old = work.path().join("old.json");
    audit_to(&fixture_org(), &old, "2025-05-01T09:00:00Z");
    let run = |format: &str, earlier: &Path| {
        openly()
            .args(["audit", fixture_org().to_str().unwrap(), "--format", format])
            .arg("--compare")
            .arg(earlier)
            .output()
            .unwrap()
    };
    let text = run("text", &old);
    assert_eq!(text.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&text.stderr).contains("openly compare"));
    let missing = run("html", &work.path().join("missing.json"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
    let page = run("html", &old);
    assert!(page.status.success());
    let page = String::from_utf8_lossy(&page.stdout);
    assert!(page.contains("\"compare\":{"), "the comparison is embedded");
}
