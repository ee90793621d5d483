//! The binary under a simulated GitHub Actions run: a `pull_request` event payload, temp files
//! for `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT`, and the `GITHUB_*` variables a runner sets.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TestRepo, healthy_base, openly};
use serde_json::Value;

struct Run {
    repo: TestRepo,
    base: String,
    temp: tempfile::TempDir,
}

fn pr_run() -> Run {
    let repo = TestRepo::new();
    healthy_base(&repo);
    let base = repo.commit("Base");
    repo.remove("LICENSE");
    repo.commit("Drop the licence");
    let temp = tempfile::tempdir().unwrap();
    let event = serde_json::json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "sha": base},
            "head": {"ref": "drop-licence", "sha": "ffffffffffffffffffffffffffffffffffffffff"}
        }
    });
    std::fs::write(temp.path().join("event.json"), event.to_string()).unwrap();
    std::fs::write(temp.path().join("summary.md"), "# earlier step\n").unwrap();
    std::fs::write(temp.path().join("output"), "earlier=1\n").unwrap();
    Run { repo, base, temp }
}

fn actions_cmd(run: &Run) -> assert_cmd::Command {
    let t = run.temp.path();
    let mut cmd = openly();
    cmd.current_dir(run.repo.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", t.join("event.json"))
        .env("GITHUB_STEP_SUMMARY", t.join("summary.md"))
        .env("GITHUB_OUTPUT", t.join("output"))
        .env("GITHUB_REPOSITORY", "invented-trust/bed-occupancy")
        .env("GITHUB_WORKSPACE", run.repo.path())
        .env("RUNNER_TEMP", t);
    cmd
}

/// Parses `name<<DELIM` … `DELIM` blocks (and plain `name=value` lines).
fn parse_outputs(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut outputs = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for next in lines.by_ref() {
                if next == delimiter {
                    break;
                }
                value.push(next);
            }
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}

#[test]
fn pr_run_annotates_summarises_and_sets_outputs() {
    let run = pr_run();
    let out = actions_cmd(&run)
        .args(["audit", ".", "--pr", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the removed licence is a new error"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    // The removed licence is one failure, licence/present's, not counted again by a RAP
    // criterion; nothing the base already had appears.
    let annotated: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split("title=").nth(1))
        .map(|t| t.split("::").next().unwrap_or(""))
        .collect();
    assert_eq!(
        annotated.len(),
        1,
        "only the new failure is annotated: {stdout}"
    );
    assert!(annotated[0].ends_with("(licence/present)"), "{stdout}");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error")).count(),
        1,
        "{stdout}"
    );
    assert!(lines[0].starts_with("::error title="), "{}", lines[0]);
    assert!(lines[0].contains("licence/present"));

    let outputs = parse_outputs(&run.temp.path().join("output"));
    assert_eq!(outputs["earlier"], "1", "earlier steps' outputs are kept");
    assert_eq!(outputs["new-failures"], "1", "licence/present alone");
    assert!(outputs["score"].parse::<f64>().is_ok());
    assert!(!outputs["grade"].is_empty());
    // The missing licence is the licence rule's failure, not a RAP Baseline one.
    assert_eq!(outputs["rap-level"], "baseline");
    let report_path = Path::new(&outputs["report-path"]);
    assert_eq!(report_path, run.temp.path().join("openly-report.json"));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(report_path).unwrap()).unwrap();
    assert_eq!(report["pr"]["base"]["commit"], run.base.as_str());
    assert_eq!(report["pr"]["new"][0]["rule"], "licence/present");

    let summary = std::fs::read_to_string(run.temp.path().join("summary.md")).unwrap();
    assert!(
        summary.starts_with("# earlier step\n"),
        "the summary is appended to"
    );
    assert!(summary.contains("New failures (1)"), "{summary}");
    assert!(summary.contains("licence/present"));
    assert!(summary.contains("<details>"));
    assert!(summary.contains("▼"), "the score delta is shown: {summary}");
}

#[test]
fn json_output_file_is_the_report_path() {
    let run = pr_run();
    let target = run.temp.path().join("mine.json");
    actions_cmd(&run)
        .args(["audit", ".", "--pr", "--format", "json", "--output"])
        .arg(&target)
        .assert()
        .code(1);
    let outputs = parse_outputs(&run.temp.path().join("output"));
    assert_eq!(Path::new(&outputs["report-path"]), target);
    assert!(!run.temp.path().join("openly-report.json").exists());
}

#[test]
fn a_push_event_has_no_pull_request() {
    let run = pr_run();
    std::fs::write(
        run.temp.path().join("event.json"),
        r#"{"ref": "refs/heads/main"}"#,
    )
    .unwrap();
    actions_cmd(&run)
        .env("GITHUB_EVENT_NAME", "push")
        .args(["audit", ".", "--pr"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has no pull request"));
}

#[test]
fn full_mode_under_actions_counts_every_failure_and_writes_the_report() {
    let run = pr_run();
    let out = actions_cmd(&run)
        .args(["audit", ".", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "no gate, no failure");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("## openly:"));
    let outputs = parse_outputs(&run.temp.path().join("output"));
    assert!(outputs["new-failures"].parse::<usize>().unwrap() >= 1);
    assert!(run.temp.path().join("openly-report.json").exists());
}
