//! Hostile repositories: binary files, invalid UTF-8, a 50 MB file, symlinks that lead outside
//! the repository and symlink loops. Nothing may panic, and nothing outside is ever read.

mod common;

use common::{audit_json, outcome, write};

#[cfg(unix)]
#[test]
fn hostile_files_are_recorded_never_followed_and_nothing_panics() {
    use std::os::unix::fs::symlink;

    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret-licence.txt",
        "MIT License\nOUTSIDE-MARKER-7731\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    write(
        &repo,
        "README.md",
        b"# Caf\xe9 tool\n\nThis tool does things for analysts in the NHS every day.\n\xff\xfe\n",
    );
    write(&repo, "data/blob.bin", [0u8, 159, 146, 150, 0, 1, 2, 3]);
    let big = vec![b'x'; 50 * 1024 * 1024];
    write(&repo, "data/huge.csv", &big);
    symlink(
        outside.path().join("secret-licence.txt"),
        repo.join("LICENSE"),
    )
    .unwrap();
    symlink(outside.path(), repo.join("docs")).unwrap();
    symlink(repo.join("loop-b"), repo.join("loop-a")).unwrap();
    symlink(repo.join("loop-a"), repo.join("loop-b")).unwrap();
    symlink("/dev/zero", repo.join("CONTRIBUTING.md")).unwrap();

    let output = common::openly()
        .args(["audit", "--format", "json"])
        .arg(&repo)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains("OUTSIDE-MARKER"),
        "read a file outside the repository"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        outcome(&report, "licence/present"),
        "fail",
        "a symlinked LICENSE is not a licence file here"
    );
    assert_eq!(
        outcome(&report, "community/contributing"),
        "fail",
        "a symlink to /dev/zero is not a file"
    );
    assert_eq!(
        outcome(&report, "readme/purpose"),
        "pass",
        "invalid UTF-8 is decoded lossily"
    );
    assert!(report["repos"][0]["error"].is_null());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_skipped_rather_than_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# x\n");
    let fifo = dir.path().join("LICENSE");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this machine: nothing to prove
    }
    let report = audit_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(outcome(&report, "licence/present"), "fail");
}
