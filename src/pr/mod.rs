//! Pull-request mode: audit the base and head revisions of one repository straight from git
//! objects (no checkout), and tell what the change made worse, what it fixed and how the score
//! moved. A reviewer needs "this PR removes the licence", not every problem the repository
//! already had. Both revisions are openers audited by the same driver as any other target;
//! with `--history`, each scans the history its own commit carries, so a secret committed and
//! deleted within the pull request is new in the head.

mod compare;
mod git;

use std::path::Path;

pub use compare::compare;

use crate::audit::{AuditOptions, audit_opened, build_report};
use crate::model::{PrBase, PrHead, Report, SourceInfo, SourceKind};
use crate::pack::Pack;
use crate::source::git::GitSource;
use crate::source::subdir::SubdirSource;
use crate::source::{OpenError, Opener, Source};

/// One revision of the repository, seen through the folder the user named.
struct Revision<'a> {
    name: &'a str,
    /// The directory git2 opens, and the folder inside it that is audited.
    root: &'a Path,
    prefix: &'a str,
    /// The path as the user gave it, for the report.
    location: String,
    commit: String,
    /// The revision as the user named it (`origin/main`, `HEAD`).
    reference: String,
}

impl Opener for Revision<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Git,
            location: self.location.clone(),
            reference: Some(self.reference.clone()),
            commit: Some(self.commit.clone()),
        }
    }

    fn open(&self) -> Result<Box<dyn Source>, OpenError> {
        let inner = GitSource::open(self.root, Some(&self.commit))?.history_up_to_revision();
        Ok(Box::new(SubdirSource::new(
            Box::new(inner),
            self.prefix,
            &self.location,
            &self.reference,
        )))
    }
}

/// Audits `path` (a git work tree, a subdirectory of one, or a bare repository) at `base` and
/// at `head` (default `HEAD`) and returns the head audit with the comparison in `pr`.
pub fn audit_pr(
    path: &Path,
    base: &str,
    head: Option<&str>,
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Report, crate::Error> {
    let located = git::locate(path)?;
    let base_commit = git::resolve(&located.repo, base, true)?;
    let head_rev = head.unwrap_or("HEAD");
    let head_commit = git::resolve(&located.repo, head_rev, false)?;
    let name = git::display_name(path, &located.root);
    let revision = |commit: &str, reference: &str| Revision {
        name: &name,
        root: &located.root,
        prefix: &located.prefix,
        location: path.display().to_string(),
        commit: commit.to_string(),
        reference: reference.to_string(),
    };
    let base_report = audit_opened(&revision(&base_commit, base), pack, options);
    let head_report = audit_opened(&revision(&head_commit, head_rev), pack, options);
    for (which, report) in [("base", &base_report), ("head", &head_report)] {
        if let Some(error) = &report.error {
            return Err(crate::Error::Target(
                format!("{} at {which}", path.display()),
                error.clone(),
            ));
        }
    }
    let renamed = git::renames(&located.repo, &base_commit, &head_commit, &located.prefix)?;
    let summary = compare(
        &base_report,
        &head_report,
        &renamed,
        PrBase {
            commit: base_commit,
            reference: Some(base.to_string()),
            score: base_report.score,
            grade: base_report.grade.clone(),
        },
        PrHead {
            commit: head_commit,
            reference: Some(head_rev.to_string()),
        },
    );
    let mut report = build_report(pack, vec![head_report]);
    report.pr = Some(summary);
    Ok(report)
}
