//! Helpers shared by the integration tests: run the real binary from the crate root with a
//! clean environment and read its JSON; build real git repositories with git2 in temp dirs; make
//! invented NHS numbers with valid check digits.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use git2::{IndexAddOption, Repository, Signature};

pub mod fake_github;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real `openly` binary, run from the crate root without colour or log noise.
pub fn openly() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_openly"));
    command
        .current_dir(root())
        .env_remove("OPENLY_LOG")
        .env("NO_COLOR", "1");
    // A developer's or CI's own Actions variables must not leak into these runs.
    for name in [
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_EVENT_PATH",
        "GITHUB_EVENT_NAME",
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITHUB_API_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_WORKSPACE",
        "RUNNER_TEMP",
    ] {
        command.env_remove(name);
    }
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

/// A work tree with commits made through git2, so tests need no `git` binary.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
    pub repo: Repository,
}

impl TestRepo {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        TestRepo { dir, repo }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, content: &str) -> &Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self
    }

    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.dir.path().join(path)).unwrap();
        self
    }

    pub fn rename(&self, from: &str, to: &str) -> &Self {
        let to_full = self.dir.path().join(to);
        std::fs::create_dir_all(to_full.parent().unwrap()).unwrap();
        std::fs::rename(self.dir.path().join(from), to_full).unwrap();
        self
    }

    /// Stages everything (additions, edits and deletions) and commits; returns the commit id.
    pub fn commit(&self, message: &str) -> String {
        commit_all(&self.repo, message).to_string()
    }
}

/// Commits a work tree as it is (additions, edits, deletions and ignored files) on top of HEAD.
pub fn commit_all(repo: &Repository, message: &str) -> git2::Oid {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], IndexAddOption::DEFAULT | IndexAddOption::FORCE, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = Signature::now("Test Analyst", "analyst@example.invalid").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )
    .unwrap()
}

/// A healthy little repository: README with the usual sections, MIT licence, code, tests.
pub fn healthy_base(repo: &TestRepo) {
    repo.write(
        "README.md",
        "# Bed occupancy\n\nThis project uses published open data to chart weekly bed occupancy.\n\n\
         ## Installation\n\n```\npip install -r requirements.txt\n```\n\n\
         ## Usage\n\n```\npython occupancy.py\n```\n\n\
         ## Licence\n\nReleased under the MIT licence.\n\n\
         ## Contact\n\nEmail the team at analytics@example.invalid.\n",
    )
    .write(
        "LICENSE",
        MIT_LICENCE,
    )
    .write("occupancy.py", "import csv\n\n\ndef main():\n    return 1\n")
    .write("requirements.txt", "pandas==2.2.0\n")
    .write(".gitignore", "__pycache__/\n");
}

/// Ten-digit numbers that pass the NHS Mod 11 check, invented from a seed, in the ranges
/// England and Wales issue (4xx, 6xx, 7xx; never the 999 test range): these look like real
/// numbers on purpose, to prove the audit catches them. They are not anyone's. The check digit
/// is found by search (the digit that makes the weighted sum of all ten a multiple of 11), not
/// by the engine's arithmetic.
pub fn fake_nhs_numbers(seed: u64, count: usize) -> Vec<String> {
    let mut state = seed;
    let mut found = Vec::new();
    while found.len() < count {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let first = [4u64, 6, 7][(state >> 61) as usize % 3];
        let body = first * 100_000_000 + (state >> 33) % 100_000_000;
        let weighted: u64 = body
            .to_string()
            .bytes()
            .zip([10u64, 9, 8, 7, 6, 5, 4, 3, 2])
            .map(|(b, w)| u64::from(b - b'0') * w)
            .sum();
        let Some(check) = (0..10u64).find(|c| (weighted + c).is_multiple_of(11)) else {
            continue;
        };
        let number = format!("{body}{check}");
        assert!(!number.starts_with("999"));
        found.push(number);
    }
    found
}

/// A CSV extract of invented patients keyed by those numbers.
pub fn patient_csv(numbers: &[String]) -> String {
    let mut text = String::from("nhs_number,date_of_birth,postcode,attendance_date\n");
    for (i, number) in numbers.iter().enumerate() {
        text.push_str(&format!(
            "{number},19{:02}-0{}-1{},LS1 {}AB,2024-02-0{}\n",
            40 + i,
            1 + i % 9,
            i % 10,
            i % 10,
            1 + i % 9
        ));
    }
    text
}

/// A pack over the default playbook with declarative stand-ins for the secrets and data
/// analyzers, so the tests can prove "exactly these are new" before those analyzers exist.
pub const STAND_IN_PACK: &str = r#"
[pack]
name = "pr-test"
version = "1.0.0"

# Self-contained on purpose: the playbook's RAP rules also react to these changes (no licence
# means not published openly), and these tests pin down the comparison, not the playbook.
[[rules]]
id = "licence/present"
title = "A licence file is present"
severity = "error"
weight = 10
message = "No licence file."
help = "Add a LICENSE file."
check = { kind = "builtin", name = "licence-present" }

[[rules]]
id = "readme/present"
title = "A README is present"
severity = "error"
weight = 10
message = "No README."
help = "Add a README.md."
check = { kind = "file-exists", globs = ["README*"] }

[[rules]]
id = "secrets/dotenv-committed"
title = "No .env file is committed"
severity = "error"
weight = 5
message = "A .env file is committed: it usually holds credentials."
help = "Delete it from the repository, rotate what it held, and add .env to .gitignore."
check = { kind = "file-absent", globs = [".env", "**/.env"] }

[[rules]]
id = "data/csv-committed"
title = "No CSV extracts are committed"
severity = "error"
weight = 5
message = "A CSV file is committed: check it holds no patient data."
help = "Remove it, or replace it with synthetic data."
check = { kind = "file-absent", globs = ["**/*.csv"] }
"#;

/// The whole MIT text, so licence identification recognises it.
pub const MIT_LICENCE: &str = "MIT License

Copyright (c) 2024 Invented NHS Trust

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the \"Software\"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
";

/// Copies a directory tree, so a test can change a fixture without touching `fixtures/`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The built-in playbook, as `openly audit` loads it with no flags.
pub fn default_pack() -> openly::pack::Pack {
    openly::pack::load_pack(&openly::pack::PackSelection::default()).unwrap()
}

/// The built-in playbook with `config` (a `.openly.toml`-style TOML text) layered over it, as
/// `openly audit --config FILE` loads it.
pub fn pack_with_config(config: &str) -> openly::pack::Pack {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), config).unwrap();
    openly::pack::load_pack(&openly::pack::PackSelection {
        config_file: Some(file.path().to_path_buf()),
        ..openly::pack::PackSelection::default()
    })
    .unwrap()
}
