//! The real binary in GitHub mode against a fake GitHub on loopback: the token must never
//! appear in stdout, stderr (debug logging on), the report or the cache, whether the run
//! succeeds or the token is rejected; and exit codes follow the contract.

mod support;

use std::sync::Arc;

use assert_cmd::Command;
use support::fake_github::{FakeGitHub, FakeRepo};

const TOKEN: &str = "ghp_SECRETtoken0123456789abcdefSECRET";

fn serve(
    fake: FakeGitHub,
) -> (
    Arc<FakeGitHub>,
    wiremock::MockServer,
    String,
    tokio::runtime::Runtime,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = Arc::new(fake);
    let (server, api) = runtime.block_on(fake.clone().serve());
    (fake, server, api, runtime)
}

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
    let mut fake = FakeGitHub::new(
        "nhs-test",
        vec![FakeRepo::new("alpha"), FakeRepo::new("beta")],
    );
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
    let report = std::fs::read_to_string(work.path().join("report.json")).unwrap();
    assert!(report.contains("\"visibility\": \"public\""), "{report}");
    assert_no_token_under(work.path());
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
