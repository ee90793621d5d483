//! The maintenance analyzers on small invented repositories: real directories and real git
//! commits with chosen dates, judged at a fixed audit time.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use git2::{Repository, Signature, Time};

use super::RUNNERS;
use crate::facts::{AuditTime, RepoContext};
use crate::model::{Outcome, Verdict};
use crate::pack::catalog::{self, Params};
use crate::pack::{PackSelection, load_pack};
use crate::snapshot::{ReadLimits, Snapshot};
use crate::source::Source;
use crate::source::git::GitSource;
use crate::source::local::LocalSource;

/// 2026-06-01T00:00:00Z.
const AUDITED_AT: u64 = 1_780_272_000;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
}

fn judge(source: Box<dyn Source>, analyzer: &str, params: &str) -> Verdict {
    let snapshot = Snapshot::new(source, ReadLimits::default()).unwrap();
    let pack = load_pack(&PackSelection::default()).unwrap();
    let context = RepoContext::new(&snapshot, &pack);
    context.provide(AuditTime(UNIX_EPOCH + Duration::from_secs(AUDITED_AT)));
    let spec = catalog::find(analyzer).unwrap();
    let table: toml::Table = params.parse().unwrap();
    let run = RUNNERS.iter().find(|(n, _)| *n == analyzer).unwrap().1;
    run(&context, &Params::new(&table, spec))
}

/// A git repository whose one commit was made `days_before` the audit.
fn committed(days_before: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("analysis.py", "print(1)\n")]);
    let repo = Repository::init(dir.path()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let when = (AUDITED_AT - days_before * 86_400) as i64;
    let who = Signature::new("Analyst", "analyst@example.invalid", &Time::new(when, 0)).unwrap();
    repo.commit(Some("HEAD"), &who, &who, "Add", &tree, &[])
        .unwrap();
    dir
}

fn git(dir: &Path) -> Box<dyn Source> {
    Box::new(GitSource::open(dir, None).unwrap())
}

#[test]
fn activity_within_the_limit_passes_and_beyond_it_fails_with_the_date() {
    let fresh = committed(30);
    assert_eq!(
        judge(git(fresh.path()), "maintenance-recent-activity", "").outcome,
        Outcome::Pass
    );
    let stale = committed(400);
    let verdict = judge(git(stale.path()), "maintenance-recent-activity", "");
    assert_eq!(verdict.outcome, Outcome::Fail);
    let message = verdict.message.unwrap();
    assert!(message.contains("13 months"), "{message}");
    assert!(message.contains("2025-04-27"), "{message}");
    let generous = judge(
        git(stale.path()),
        "maintenance-recent-activity",
        "months = 24",
    );
    assert_eq!(generous.outcome, Outcome::Pass);
}

#[test]
fn a_plain_folder_has_no_history_to_judge() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("README.md", "# Tool\n")]);
    let verdict = judge(
        Box::new(LocalSource::new(dir.path())),
        "maintenance-recent-activity",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::NotApplicable);
}

#[test]
fn an_owner_is_a_codeowners_file_or_a_readme_contact_section() {
    let local = |files: &[(&str, &str)]| {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), files);
        dir
    };
    let codeowners = local(&[
        (".github/CODEOWNERS", "* @team\n"),
        ("README.md", "# Tool\n"),
    ]);
    let verdict = judge(
        Box::new(LocalSource::new(codeowners.path())),
        "maintenance-owner",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Pass);
    assert_eq!(
        verdict.evidence[0].path.as_deref(),
        Some(".github/CODEOWNERS")
    );

    let section = local(&[("README.md", "# Tool\n\n## Maintainers\n\nThe data team.\n")]);
    let verdict = judge(
        Box::new(LocalSource::new(section.path())),
        "maintenance-owner",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Pass);
    assert_eq!(verdict.evidence[0].line, Some(3));

    let nobody = local(&[("README.md", "# Tool\n\n## Usage\n\nRun it.\n")]);
    let verdict = judge(
        Box::new(LocalSource::new(nobody.path())),
        "maintenance-owner",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Fail);

    // A team's name in the title is the project's name, not a contact.
    let titled = local(&[(
        "README.md",
        "# Digital Analytics Team - Technical Store\n\n## Usage\n\nRead it.\n",
    )]);
    let verdict = judge(
        Box::new(LocalSource::new(titled.path())),
        "maintenance-owner",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Fail);
}

#[test]
fn an_owner_is_a_contact_in_the_readme_prose_or_a_package_maintainer() {
    let local = |files: &[(&str, &str)]| {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), files);
        dir
    };
    let prose = local(&[(
        "README.md",
        "# Parser\n\nA tool.\n\nPlease contact [the team](mailto:team@example.org) with any queries.\n",
    )]);
    let verdict = judge(
        Box::new(LocalSource::new(prose.path())),
        "maintenance-owner",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Pass);
    assert_eq!(verdict.evidence[0].line, Some(5));

    let r_package = local(&[
        ("README.md", "# pkg\n\nHelpers.\n"),
        (
            "DESCRIPTION",
            "Package: pkg\nAuthors@R: person(\"Ann\", \"Example\", role = c(\"aut\", \"cre\"))\n",
        ),
    ]);
    let verdict = judge(
        Box::new(LocalSource::new(r_package.path())),
        "maintenance-owner",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Pass);
    assert_eq!(verdict.evidence[0].path.as_deref(), Some("DESCRIPTION"));
    assert_eq!(verdict.evidence[0].line, Some(2));
}

#[test]
fn a_security_policy_file_counts_and_its_absence_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("docs/SECURITY.md", "Report privately.\n")]);
    let verdict = judge(
        Box::new(LocalSource::new(dir.path())),
        "maintenance-security-contact",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Pass);
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), &[("README.md", "# Tool\n")]);
    let verdict = judge(
        Box::new(LocalSource::new(empty.path())),
        "maintenance-security-contact",
        "",
    );
    assert_eq!(verdict.outcome, Outcome::Fail);
}
