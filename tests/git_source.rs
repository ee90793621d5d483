//! Git repositories are audited from the committed tree at a revision, through git2: work
//! trees and bare repositories alike, with untracked files ignored and `--ref` honoured.

mod common;

use std::path::Path;

use common::{audit_json, commit_all, outcome, write};
use git2::Repository;

/// A work tree whose first commit has a licence and whose second removes it.
fn two_commit_repo(dir: &Path) -> (Repository, git2::Oid) {
    let repo = Repository::init(dir).unwrap();
    write(
        dir,
        "README.md",
        "# Waiting times\n\nThis pipeline publishes waiting-time statistics for analysts.\n",
    );
    write(
        dir,
        "LICENSE",
        "MIT License\n\nCopyright (c) 2024 Crown Copyright\n",
    );
    let first = commit_all(&repo, "first");
    std::fs::remove_file(dir.join("LICENSE")).unwrap();
    commit_all(&repo, "remove the licence");
    (repo, first)
}

#[test]
fn head_ref_and_untracked_files() {
    let dir = tempfile::tempdir().unwrap();
    let (_repo, first) = two_commit_repo(dir.path());
    // Untracked junk in the work tree is not part of the audit.
    write(dir.path(), "CONTRIBUTING.md", "untracked\n");

    let head = audit_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(head["repos"][0]["source"]["kind"], "git");
    assert_eq!(outcome(&head, "licence/present"), "fail");
    assert_eq!(
        outcome(&head, "community/contributing"),
        "fail",
        "untracked files do not count"
    );

    let older = audit_json(&[dir.path().to_str().unwrap(), "--ref", "HEAD~1"]);
    assert_eq!(outcome(&older, "licence/present"), "pass");
    assert_eq!(older["repos"][0]["source"]["commit"], first.to_string());
    assert_eq!(older["repos"][0]["source"]["ref"], "HEAD~1");
}

#[test]
fn a_bare_repository_is_audited_from_its_objects() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    two_commit_repo(&work);
    let bare = dir.path().join("mirror.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(work.to_str().unwrap(), &bare)
        .unwrap();
    let report = audit_json(&[bare.to_str().unwrap()]);
    assert!(
        report["repos"][0]["error"].is_null(),
        "{}",
        report["repos"][0]["error"]
    );
    assert_eq!(report["repos"][0]["source"]["kind"], "git");
    assert_eq!(outcome(&report, "readme/present"), "pass");
    assert_eq!(outcome(&report, "licence/present"), "fail");
    let older = audit_json(&[bare.to_str().unwrap(), "--ref", "HEAD~1"]);
    assert_eq!(outcome(&older, "licence/present"), "pass");
}

#[test]
fn a_bad_ref_marks_the_repository_errored_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    two_commit_repo(dir.path());
    let output = common::openly()
        .args(["audit", "--ref", "no-such-branch"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-branch"));
}

#[test]
fn one_broken_repository_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    two_commit_repo(&dir.path().join("good"));
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(broken.join(".git")).unwrap();
    std::fs::write(broken.join(".git/HEAD"), "garbage").unwrap();
    let report = audit_json(&[dir.path().to_str().unwrap()]);
    let repos = report["repos"].as_array().unwrap();
    assert_eq!(repos.len(), 2);
    assert_eq!(repos[0]["name"], "broken");
    assert!(repos[0]["error"].is_string());
    assert!(repos[1]["error"].is_null());
    assert_eq!(report["summary"]["errored"], 1);
    common::openly()
        .arg("audit")
        .arg(dir.path())
        .assert()
        .code(0);
}
