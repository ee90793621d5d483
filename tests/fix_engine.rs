//! The fix engine on the invented fixture repositories, checked with real parts: the planned
//! diff goes through `git apply` in a real git repository and must give exactly the bytes the
//! plan writes, the real `openly audit` must pass the fixed rules afterwards, and a second run
//! must change nothing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use openly::fix::template::{self, Values};
use openly::fix::{ChangeSet, FixSpec, Planned, Planner, RuleFix, only_insertions};

/// A repository's files by path.
type Files = BTreeMap<String, Vec<u8>>;

/// The fixes proposed for the default pack (docs/fix.md), until the pack loader carries them.
const FIXES: &str = r#"
"licence/present" = { kind = "create-file", path = "LICENSE", template = "mit-licence" }
"licence/docs-ogl" = { kind = "insert-section", template = "readme-licence", after = ["contact", "data", "usage", "installation"], before = ["disclaimer"], within = ["licence", "license", "licensing", "licencing", "copyright"], within-template = "readme-docs-licence" }
"readme/present" = { kind = "create-file", path = "README.md", template = "readme", unless = [".github/README*", "docs/README*"] }
"readme/purpose" = { kind = "insert-section", template = "readme-about", after = [":title"] }
"readme/status" = { kind = "insert-section", template = "readme-status", after = ["about", ":title"] }
"readme/prerequisites" = { kind = "insert-section", template = "readme-prerequisites", after = ["status", "about", ":title"] }
"readme/install" = { kind = "insert-section", template = "readme-installation", after = ["prerequisites", "requirements", "status", "about", ":title"] }
"readme/usage" = { kind = "insert-section", template = "readme-usage", after = ["installation", "install", "getting started", "prerequisites", "status", "about", ":title"] }
"readme/data" = { kind = "insert-section", template = "readme-data", after = ["usage", "installation", "install", "getting started"], before = ["contact", "licence", "license", "disclaimer"] }
"data/dummy-available" = { kind = "insert-section", template = "readme-dummy-data", headings = ["dummy data", "synthetic data", "sample data", "test data"], within = ["data", "data sources", "datasets", "dataset", "input data"], after = ["usage", "installation"], before = ["contact", "licence", "license", "disclaimer"] }
"readme/contact" = { kind = "insert-section", template = "readme-contact", after = ["data", "usage", "installation"], before = ["licence", "license", "disclaimer"] }
"readme/licence" = { kind = "insert-section", template = "readme-licence", after = ["contact", "data", "usage", "installation"], before = ["disclaimer"] }
"readme/disclaimer" = { kind = "insert-section", template = "readme-disclaimer", after = ["licence", "license"] }
"community/contributing" = { kind = "create-file", path = "CONTRIBUTING.md", template = "contributing", unless = ["docs/CONTRIBUT*", ".github/CONTRIBUT*"] }
"community/code-of-conduct" = { kind = "create-file", path = "CODE_OF_CONDUCT.md", template = "code-of-conduct", unless = ["docs/CODE?OF?CONDUCT*", ".github/CODE?OF?CONDUCT*"] }
"community/security-policy" = { kind = "create-file", path = "SECURITY.md", template = "security", unless = ["docs/SECURITY*", ".github/SECURITY*"] }
"hygiene/gitignore" = { kind = "append-lines", path = ".gitignore", template = "gitignore-secrets" }
"hygiene/gitignore-data" = { kind = "append-lines", path = ".gitignore", template = "gitignore-data" }
"hygiene/gitignore-secrets" = { kind = "append-lines", path = ".gitignore", template = "gitignore-secrets" }
"#;

/// The proposed fixes in pack order, with each rule's headings and help from the real pack.
struct Pack {
    fixes: Vec<(String, FixSpec, Vec<String>, String)>,
}

impl Pack {
    fn load() -> Pack {
        let specs: BTreeMap<String, FixSpec> = toml::from_str(FIXES).unwrap();
        let playbook: toml::Value = toml::from_str(
            &std::fs::read_to_string(common::root().join("rules/playbook.toml")).unwrap(),
        )
        .unwrap();
        let mut fixes = Vec::new();
        for rule in playbook["rules"].as_array().unwrap() {
            let id = rule["id"].as_str().unwrap();
            let Some(spec) = specs.get(id) else { continue };
            spec.validate(&template::builtin).unwrap();
            let headings = rule["check"]
                .get("headings")
                .and_then(|h| h.as_array())
                .map(|h| h.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            let help = rule["help"].as_str().unwrap().to_owned();
            fixes.push((id.to_owned(), spec.clone(), headings, help));
        }
        assert_eq!(
            fixes.len(),
            specs.len(),
            "every proposed fix names a rule of the pack"
        );
        Pack { fixes }
    }

    /// Plans the fixes of `failing` rules, in pack order.
    fn plan(
        &self,
        files: &BTreeMap<String, Vec<u8>>,
        failing: &[String],
        values: &Values,
    ) -> (ChangeSet, Vec<(String, Planned)>) {
        let lookup = template::builtin;
        let mut planner = Planner::new(files, values, &lookup);
        let chosen: Vec<&(String, FixSpec, Vec<String>, String)> = self
            .fixes
            .iter()
            .filter(|f| failing.contains(&f.0))
            .collect();
        let rule_fixes: Vec<RuleFix> = chosen
            .iter()
            .map(|(rule, spec, headings, help)| RuleFix {
                rule,
                reason: help,
                spec,
                headings,
            })
            .collect();
        let outcomes = chosen
            .iter()
            .map(|f| f.0.clone())
            .zip(planner.plan_all(&rule_fixes).unwrap())
            .collect();
        (planner.finish(), outcomes)
    }
}

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn write_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "core.autocrlf=false",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap()
}

/// A git repository holding `files`, committed.
fn git_repo(files: &BTreeMap<String, Vec<u8>>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), files);
    assert!(git(dir.path(), &["init", "-q"]).status.success());
    // Fixtures may ignore their own data (.gitignore); add everything regardless.
    assert!(git(dir.path(), &["add", "-A", "-f"]).status.success());
    assert!(
        git(
            dir.path(),
            &["commit", "-q", "-m", "fixture", "--allow-empty"]
        )
        .status
        .success()
    );
    dir
}

/// Applies `changes`' diff to a git repository of `files` with `git apply` and returns the
/// resulting tree; panics with git's message when git refuses the diff.
pub fn git_apply(
    files: &BTreeMap<String, Vec<u8>>,
    changes: &ChangeSet,
) -> BTreeMap<String, Vec<u8>> {
    let repo = git_repo(files);
    let patch = repo.path().join("..").join(format!(
        "{}.patch",
        repo.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&patch, changes.diff()).unwrap();
    let patch_arg = patch.to_string_lossy().into_owned();
    let check = git(
        repo.path(),
        &["apply", "--check", "--whitespace=nowarn", &patch_arg],
    );
    assert!(
        check.status.success(),
        "git apply --check refused the diff: {}\n{}",
        String::from_utf8_lossy(&check.stderr),
        String::from_utf8_lossy(&changes.diff())
    );
    let applied = git(repo.path(), &["apply", "--whitespace=nowarn", &patch_arg]);
    assert!(applied.status.success());
    std::fs::remove_file(&patch).unwrap();
    read_tree(repo.path())
}

fn failing_rules(dir: &Path) -> (Vec<String>, f64) {
    let report = common::audit_json(&[dir.to_str().unwrap()]);
    let repo = &report["repos"][0];
    let failing = repo["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "fail")
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    (failing, repo["score"].as_f64().unwrap())
}

fn outcomes(report_dir: &Path) -> BTreeMap<String, String> {
    let report = common::audit_json(&[report_dir.to_str().unwrap()]);
    report["repos"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn values(repo: &str, holder: Option<&str>) -> Values {
    Values {
        year: Some("2025".into()),
        holder: holder.map(str::to_owned),
        repo: Some(repo.into()),
        contact: None,
    }
}

const FIXTURES: &[&str] = &[
    "claims-gold",
    "exemplary-pipeline",
    "no-licence",
    "notebook-analysis",
    "ogl-docs",
    "patient-extract-env",
    "r-package",
    "sas-legacy",
];

/// Fix, re-audit, fix what the first round made applicable (a README's sections once it
/// exists, `.gitignore` coverage once there is one): the loop the CLI runs.
fn fix_until_done(pack: &Pack, name: &str) -> (Files, Files, String) {
    let original = read_tree(&common::root().join("fixtures/org").join(name));
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join(name);
    write_tree(&root, &original);
    let mut files = original.clone();
    let mut diffs = String::new();
    let (_, score_before) = failing_rules(&root);
    for round in 1..=3 {
        let (failing, _) = failing_rules(&root);
        let (changes, planned) =
            pack.plan(&files, &failing, &values(name, Some("Crown copyright")));
        if changes.is_empty() {
            break;
        }
        for change in changes.changes() {
            if let Some(before) = &change.before {
                only_insertions(before, &change.after).unwrap();
            }
        }
        let applied = git_apply(&files, &changes);
        let mut expected = files.clone();
        changes.apply_to(&mut expected);
        assert_eq!(
            applied, expected,
            "{name}: git apply gave other bytes than the plan"
        );
        write_tree(&root, &expected);
        let after = outcomes(&root);
        for (rule, outcome) in &planned {
            if matches!(outcome, Planned::Changed { .. }) {
                assert_eq!(
                    after.get(rule).map(String::as_str),
                    Some("pass"),
                    "{name}: {rule} was fixed but does not pass"
                );
            }
        }
        diffs.push_str(&format!(
            "# round {round}: {}\n",
            planned
                .iter()
                .map(|(r, p)| format!("{r} {}", short(p)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        diffs.push_str(&String::from_utf8(changes.diff()).unwrap());
        files = expected;
    }
    let (_, score_after) = failing_rules(&root);
    assert!(
        score_after >= score_before,
        "{name}: {score_before} -> {score_after}"
    );
    (original, files, diffs)
}

/// The rules the rounds changed, read back from the round lines of the diff log.
fn changed_rules(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| l.strip_prefix("# round "))
        .flat_map(|l| l.split_once(": ").map(|x| x.1).unwrap_or("").split(", "))
        .filter_map(|entry| entry.strip_suffix(" changed"))
        .map(str::to_owned)
        .collect()
}

fn short(planned: &Planned) -> &'static str {
    match planned {
        Planned::Changed { .. } => "changed",
        Planned::Unchanged { .. } => "unchanged",
        Planned::Blocked { .. } => "blocked",
    }
}

#[test]
fn every_fixture_is_fixed_through_git_apply_and_the_audit_agrees() {
    let pack = Pack::load();
    for name in FIXTURES {
        let (original, fixed, diffs) = fix_until_done(&pack, name);
        // Nothing that was there changed.
        for (path, before) in &original {
            only_insertions(before, &fixed[path]).unwrap_or_else(|e| panic!("{name}/{path}: {e}"));
        }
        // Idempotent: the rules still failing on the fixed tree plan nothing, and neither do
        // the rules that were fixed.
        let work = tempfile::tempdir().unwrap();
        write_tree(work.path(), &fixed);
        let (mut rules, _) = failing_rules(work.path());
        rules.extend(changed_rules(&diffs));
        let (again, planned) = pack.plan(&fixed, &rules, &values(name, Some("Crown copyright")));
        let changed: Vec<&String> = planned
            .iter()
            .filter(|(_, p)| matches!(p, Planned::Changed { .. }))
            .map(|(r, _)| r)
            .collect();
        assert!(
            again.is_empty(),
            "{name}: a second run would change {changed:?}"
        );
        insta::assert_snapshot!(format!("fix_{name}"), diffs);
    }
}

#[test]
fn the_mit_template_is_identified_as_mit_with_its_holder() {
    for (holder, crown) in [
        (Some("Crown copyright"), true),
        (Some("NHS England"), true),
        (None, false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let filled = template::fill_builtin("mit-licence", &values("x", holder)).unwrap();
        assert_eq!(filled.markers.is_empty(), holder.is_some());
        common::write(dir.path(), "LICENSE", &filled.text);
        common::write(dir.path(), "README.md", "# x\n");
        let report = common::audit_json(&[dir.path().to_str().unwrap()]);
        let licences = &report["repos"][0]["facts"]["licences"];
        assert!(
            licences
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["spdx"] == "MIT" && l["path"] == "LICENSE"),
            "{holder:?}: {licences}"
        );
        assert_eq!(common::outcome(&report, "licence/identified"), "pass");
        assert_eq!(common::outcome(&report, "licence/approved"), "pass");
        assert_eq!(
            common::outcome(&report, "licence/crown-copyright") == "pass",
            crown,
            "{holder:?}"
        );
    }
}
