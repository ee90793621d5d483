//! `--format github`: workflow commands that GitHub turns into annotations. The escaping must
//! survive paths and messages with `%`, `:`, `,` and newlines, or an annotation is cut short
//! or lands on the wrong file.

mod common;

use common::{TestRepo, healthy_base, openly};
use openly::report::github::{command, escape_data, escape_property};

#[test]
fn escaping_edge_cases() {
    assert_eq!(escape_data(""), "");
    assert_eq!(
        escape_data("%0A is not a newline"),
        "%250A is not a newline"
    );
    assert_eq!(escape_data("a\r\nb\nc\r"), "a%0D%0Ab%0Ac%0D");
    assert_eq!(
        escape_data("::error::x"),
        "::error::x",
        "colons are fine in data"
    );
    assert_eq!(
        escape_property("C:\\data,2024.csv"),
        "C%3A\\data%2C2024.csv"
    );
    assert_eq!(
        escape_property("%3A"),
        "%253A",
        "percent first, so nothing is decoded twice"
    );
    assert_eq!(escape_property("ünïcödé ✓"), "ünïcödé ✓");
    assert_eq!(
        command("notice", Some("dir/a b.md"), None, "t", "m"),
        "::notice file=dir/a b.md,title=t::m"
    );
}

const ODD_PACK: &str = r#"
[pack]
name = "odd"
version = "1.0.0"
extends = "playbook"

[[rules]]
id = "data/csv-committed"
title = "CSV: none, please"
severity = "warning"
weight = 1
message = "100% of CSV files\nneed a look"
help = "Remove it."
check = { kind = "file-absent", globs = ["**/*.csv"] }
"#;

#[test]
fn odd_paths_and_messages_are_escaped_in_annotations() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.write("data/beds: ward A,B.csv", "ward,beds\nA,1\n");
    repo.commit("Odd names");
    let pack = repo.path().join("../odd-pack.toml");
    std::fs::write(&pack, ODD_PACK).unwrap();
    let out = openly()
        .current_dir(repo.path())
        .args(["audit", ".", "--format", "github", "--rules"])
        .arg(&pack)
        .output()
        .unwrap();
    std::fs::remove_file(&pack).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.contains("data/csv-committed"))
        .unwrap_or_else(|| panic!("no annotation: {stdout}"));
    assert!(
        line.starts_with(
            "::warning file=data/beds%3A ward A%2CB.csv,title=CSV%3A none%2C please (data/csv-committed)::100%25 of CSV files%0Aneed a look"
        ),
        "{line}"
    );
    for line in stdout.lines() {
        assert!(line.starts_with("::"), "every line is a command: {line}");
    }
}

#[test]
fn repo_level_findings_go_on_the_readme_or_the_repo() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.remove("LICENSE");
    repo.write("README.md", "# Beds\n\nCharts.\n");
    repo.commit("Thin README, no licence");
    let out = openly()
        .current_dir(repo.path())
        .env("GITHUB_WORKSPACE", repo.path())
        .args(["audit", ".", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let licence = stdout
        .lines()
        .find(|l| l.contains("licence/present"))
        .unwrap();
    assert!(
        licence.starts_with("::error title="),
        "no file to point at: {licence}"
    );
    let install = stdout
        .lines()
        .find(|l| l.contains("readme/install"))
        .unwrap();
    assert!(
        install.starts_with("::warning file=README.md,title="),
        "{install}"
    );
}

#[test]
fn a_subdirectory_gets_its_path_prefix() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.write("services/beds/README.md", "# Beds\n\nCharts.\n");
    repo.commit("Monorepo");
    let out = openly()
        .current_dir(repo.path())
        .env("GITHUB_WORKSPACE", repo.path())
        .args(["audit", "services/beds", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("file=services/beds/README.md,"), "{stdout}");
}
