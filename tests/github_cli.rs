//! The real binary in GitHub mode against a fake GitHub on loopback: the token must never
//! appear in stdout, stderr (debug logging on), the report or the cache, whether the run
//! succeeds or the token is rejected; and exit codes follow the contract.

mod common;

use assert_cmd::Command;
use common::fake_github::{CODELOAD_TOKEN, FakeGitHub, FakeRepo, serve};

const TOKEN: &str = "ghp_SECRETtoken0123456789abcdefSECRET";

fn assert_no_token_under(dir: &std::path::Path) {
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(TOKEN),
            "token written to {}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

fn audit(api: &str, work: &std::path::Path, token: &str) -> std::process::Output {
    Command::cargo_bin("openly")
        .unwrap()
        .args([
            "audit",
            "--org",
            "nhs-test",
            "--format",
            "json",
            "-vv",
            "--api-url",
            api,
        ])
        .arg("--output")
        .arg(work.join("report.json"))
        .arg("--cache-dir")
        .arg(work.join("cache"))
        .env("GITHUB_TOKEN", token)
        .env("OPENLY_LOG", "trace")
        .env_remove("GH_TOKEN")
        .env_remove("CI")
        .output()
        .unwrap()
}

#[test]
fn the_token_never_appears_in_output_logs_reports_or_cache() {
    // A private repository's tarball redirect carries codeload's own token in its URL: that
    // must stay out of the logs too.
    let mut beta = FakeRepo::new("beta");
    beta.visibility = "private".to_string();
    let mut fake = FakeGitHub::new("nhs-test", vec![FakeRepo::new("alpha"), beta]);
    fake.token = Some(TOKEN.to_string());
    let (fake, _server, api, _rt) = serve(fake);
    let work = tempfile::tempdir().unwrap();
    let output = audit(&api, work.path(), TOKEN);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("GET /orgs/nhs-test/repos"),
        "debug logging was on: {stderr}"
    );
    assert!(!stderr.contains(TOKEN) && !String::from_utf8_lossy(&output.stdout).contains(TOKEN));
    assert!(!stderr.contains(CODELOAD_TOKEN), "{stderr}");
    assert_eq!(
        fake.counts
            .codeload
            .load(std::sync::atomic::Ordering::SeqCst),
        2
    );
    let report = std::fs::read_to_string(work.path().join("report.json")).unwrap();
    assert!(report.contains("\"visibility\": \"public\""), "{report}");
    assert_no_token_under(work.path());
    for file in walk(work.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(CODELOAD_TOKEN));
    }
    // The token did reach the fake GitHub, so the check above is not vacuous.
    assert!(
        fake.auth_seen
            .lock()
            .unwrap()
            .iter()
            .any(|a| a.contains(TOKEN))
    );

    // A rejected token fails every repository: exit 2, and still no token anywhere.
    let rejected = audit(&api, work.path(), &format!("{TOKEN}-wrong"));
    let stderr = String::from_utf8_lossy(&rejected.stderr);
    assert_eq!(rejected.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    assert_no_token_under(work.path());
}

#[test]
fn without_a_token_openly_warns_about_the_unauthenticated_limit() {
    let (_fake, _server, api, _rt) =
        serve(FakeGitHub::new("nhs-test", vec![FakeRepo::new("alpha")]));
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args([
            "audit",
            "--org",
            "nhs-test",
            "--no-cache",
            "--quiet",
            "--api-url",
            &api,
        ])
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("60 unauthenticated requests an hour"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("nhs-test/alpha"));
}

#[test]
fn ci_gets_plain_progress_lines() {
    let (_fake, _server, api, _rt) =
        serve(FakeGitHub::new("nhs-test", vec![FakeRepo::new("alpha")]));
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args([
            "audit",
            "--org",
            "nhs-test",
            "--no-cache",
            "--api-url",
            &api,
        ])
        .env("GITHUB_TOKEN", TOKEN)
        .env("CI", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("[1/1] nhs-test/alpha"), "{stderr}");
    assert!(stderr.contains("API requests"), "{stderr}");
}

#[test]
fn a_quota_too_small_is_announced_at_the_start_and_the_deferred_are_reported() {
    let repos = (0..10).map(|i| FakeRepo::new(&format!("r{i}"))).collect();
    let (fake, _server, api, _rt) = serve(FakeGitHub::new("nhs-test", repos));
    // The listing takes 1 and the plan holds 10 back for retries: 5 requests, so 2
    // repositories of 2 requests each fit by the plan (7 at most in fact).
    fake.set_quota(5000, 16, std::time::Duration::from_secs(1800));
    let work = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args([
            "audit",
            "--org",
            "nhs-test",
            "--quiet",
            "--format",
            "json",
            "--max-wait",
            "1m",
            "--api-url",
            &api,
        ])
        .arg("--cache-dir")
        .arg(work.path().join("cache"))
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GH_TOKEN")
        .env_remove("CI")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("only 2 of 10 repositories fit now") && stderr.contains("in 30 min"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let repos = report["repos"].as_array().unwrap();
    assert_eq!(repos.len(), 10, "the report lists every repository");
    let deferred = repos
        .iter()
        .filter(|r| {
            r["error"]
                .as_str()
                .is_some_and(|e| e.contains("deferred by the rate limit"))
        })
        .count();
    assert!(deferred >= 3, "{deferred} deferred");
    assert_eq!(
        report["summary"]["audited"].as_u64().unwrap() as usize + deferred,
        10
    );
}
