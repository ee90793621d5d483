//! Helpers shared by the integration tests: run the real binary from the crate root, with a
//! clean environment, and read its JSON.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real `openly` binary, run from the crate root without colour or log noise.
pub fn openly() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_openly"));
    command
        .current_dir(root())
        .env_remove("OPENLY_LOG")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1");
    command
}

/// Audits `args` as JSON and returns the parsed report (whatever the exit code).
pub fn audit_json(args: &[&str]) -> serde_json::Value {
    let output = openly()
        .arg("audit")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The finding for `rule` in the first repository of a report.
pub fn finding<'a>(report: &'a serde_json::Value, rule: &str) -> &'a serde_json::Value {
    report["repos"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding for {rule}"))
}

pub fn outcome(report: &serde_json::Value, rule: &str) -> String {
    finding(report, rule)["outcome"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Replaces what legitimately differs between runs or machines.
pub fn redact(mut report: serde_json::Value, tmp: Option<&Path>) -> serde_json::Value {
    report["generated_at"] = "[time]".into();
    if let Some(tmp) = tmp {
        let text = serde_json::to_string(&report)
            .unwrap()
            .replace(&tmp.display().to_string(), "[tmp]");
        report = serde_json::from_str(&text).unwrap();
    }
    report
}

/// Creates `path` (and its parents) under `dir` with `content`.
pub fn write(dir: &Path, path: &str, content: impl AsRef<[u8]>) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, content).unwrap();
}
