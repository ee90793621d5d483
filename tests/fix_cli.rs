//! `openly fix` on a work tree, through the binary as a user runs it: `--dry-run` prints a diff
//! that `git apply` takes and that equals what `--yes` writes, no existing line changes, the
//! score goes up, a second run is a no-op, nothing is written without `--yes` when there is no
//! terminal to ask, and a repository whose code is not under MIT is never told it is.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::{copy_dir, openly, root};

type Files = BTreeMap<String, Vec<u8>>;

/// Every file under `dir` except git's own, by `/`-separated relative path.
fn read_tree(dir: &Path) -> Files {
    fn walk(base: &Path, dir: &Path, files: &mut Files) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if path.is_dir() {
                walk(base, &path, files);
            } else {
                let relative = path.strip_prefix(base).unwrap().to_string_lossy();
                files.insert(relative.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = Files::new();
    walk(dir, dir, &mut files);
    files
}

fn fix(dir: &Path, args: &[&str]) -> std::process::Output {
    openly()
        .arg("fix")
        .arg(dir)
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn score(dir: &Path) -> f64 {
    let report = common::audit_json(&[dir.to_str().unwrap(), "--no-repo-config"]);
    report["repos"][0]["score"].as_f64().unwrap()
}

/// `old`'s lines appear in `new` in the same order: lines were only inserted.
fn only_inserted(old: &[u8], new: &[u8]) -> bool {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let mut remaining = new.lines();
    old.lines()
        .all(|line| remaining.any(|candidate| candidate == line))
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures/org"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn dry_run_is_what_yes_writes_and_a_second_run_changes_nothing() {
    let mut improved = 0;
    for name in fixture_names() {
        let work = tempfile::tempdir().unwrap();
        let original_dir = root().join("fixtures/org").join(&name);
        // The same folder name on both sides: templates name the repository after it.
        let applied = work.path().join("applied").join(&name);
        let written = work.path().join("written").join(&name);
        copy_dir(&original_dir, &applied);
        copy_dir(&original_dir, &written);
        let original = read_tree(&original_dir);
        let before = score(&written);

        let dry = fix(&applied, &["--dry-run"]);
        assert!(matches!(dry.status.code(), Some(0 | 1)), "{name}: {dry:?}");
        assert_eq!(read_tree(&applied), original, "{name}: --dry-run wrote");
        let patch = work.path().join("fix.patch");
        std::fs::write(&patch, &dry.stdout).unwrap();
        if !dry.stdout.is_empty() {
            let apply = std::process::Command::new("git")
                .arg("apply")
                .arg(&patch)
                .current_dir(&applied)
                .output()
                .unwrap();
            assert!(
                apply.status.success(),
                "{name}: git apply refused the diff: {}",
                String::from_utf8_lossy(&apply.stderr)
            );
        }

        let yes = fix(&written, &["--yes"]);
        assert!(matches!(yes.status.code(), Some(0 | 1)), "{name}: {yes:?}");
        let fixed = read_tree(&written);
        assert_eq!(
            fixed,
            read_tree(&applied),
            "{name}: --yes wrote other bytes"
        );
        for (path, bytes) in &original {
            let now = fixed
                .get(path)
                .unwrap_or_else(|| panic!("{name}: {path} removed"));
            assert!(only_inserted(bytes, now), "{name}: {path} lost a line");
        }
        if fixed != original {
            let after = score(&written);
            assert!(after > before, "{name}: {before} -> {after}");
            improved += 1;
        }

        let again = fix(&written, &["--yes"]);
        assert!(matches!(again.status.code(), Some(0 | 1)), "{name}");
        assert_eq!(
            read_tree(&written),
            fixed,
            "{name}: a second run changed files"
        );
        let dry_again = fix(&written, &["--dry-run"]);
        assert!(
            dry_again.stdout.is_empty(),
            "{name}: a second dry run has a diff"
        );
    }
    assert!(improved >= 5, "most fixtures have something to fix");
}

#[test]
fn without_yes_and_without_a_terminal_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/org/sas-legacy"), work.path());
    let before = read_tree(work.path());
    // assert_cmd gives the child no terminal; the timeout fails the test if it waits to ask.
    let output = fix(work.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(read_tree(work.path()), before);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nothing written"), "{stderr}");
}

#[test]
fn a_repository_whose_code_is_not_under_mit_is_not_told_it_is() {
    // Apache-2.0 (a policy exception) and the OGL alone (a documentation repository).
    for licence in [
        "fixtures/licence/dual-mit-apache/LICENSE-APACHE",
        "fixtures/org/ogl-docs/LICENCE",
    ] {
        let work = tempfile::tempdir().unwrap();
        common::write(
            work.path(),
            "LICENSE",
            std::fs::read(root().join(licence)).unwrap(),
        );
        common::write(
            work.path(),
            "README.md",
            "# Waiting times\n\nA pipeline that summarises waiting times for analysts.\n",
        );
        let output = fix(work.path(), &["--dry-run", "--rule", "readme/licence"]);
        let diff = String::from_utf8_lossy(&output.stdout);
        assert!(
            diff.contains(
                "+The codebase is released under the licence in this repository's licence file"
            ),
            "{licence}: {diff}"
        );
        assert!(
            diff.contains("+The documentation is ©"),
            "{licence}: {diff}"
        );
        assert!(!diff.contains("MIT"), "{licence}: {diff}");
    }
    // With no licence file at all, the licence fix adds MIT and the README may say so.
    let work = tempfile::tempdir().unwrap();
    common::write(work.path(), "README.md", "# Tool\n\nA tool for analysts.\n");
    let output = fix(work.path(), &["--dry-run"]);
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(
        diff.contains("+++ b/LICENSE") && diff.contains("+MIT License"),
        "{diff}"
    );
    assert!(
        diff.contains("released under the [MIT Licence](LICENSE)"),
        "{diff}"
    );
}

#[test]
fn usage_and_configuration_errors_have_their_exit_codes() {
    let work = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/org/no-licence"), work.path());
    let unknown = fix(
        work.path(),
        &["--rule", "licence/no-such-rule", "--dry-run"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    common::write(work.path(), ".openly.toml", "[[allow]]\nrule = 3\n");
    let bad_config = fix(work.path(), &["--dry-run"]);
    assert_eq!(bad_config.status.code(), Some(78), "{bad_config:?}");
    let stderr = String::from_utf8_lossy(&bad_config.stderr);
    assert!(stderr.contains(".openly.toml:2:"), "{stderr}");
}
