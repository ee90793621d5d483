//! Pull-request mode: audit the base and head revisions of one repository straight from git
//! objects (no checkout), and tell what the change made worse, what it fixed and how the score
//! moved. A reviewer needs "this PR removes the licence", not every problem the repository
//! already had, so findings are matched across the two revisions by what they say (rule, path
//! followed through renames, masked excerpt) and never by line number.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use git2::{DiffFindOptions, DiffOptions, Repository};

use crate::audit::{AuditOptions, audit_source, build_report};
use crate::model::{Evidence, Finding, Outcome, Severity};
use crate::model::{PrBase, PrHead, PrSummary, Rename, RepoMetadata, SourceInfo};
use crate::model::{RepoReport, Report};
use crate::pack::Pack;
use crate::source::Entry;
use crate::source::Source;
use crate::source::git::GitSource;

/// Audits `path` (a git work tree, a subdirectory of one, or a bare repository) at `base` and
/// at `head` (default `HEAD`) and returns the head audit with the comparison in `pr`.
pub fn audit_pr(
    path: &Path,
    base: &str,
    head: Option<&str>,
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Report, crate::Error> {
    let located = locate(path)?;
    let repo = &located.repo;
    let base_commit = resolve(repo, base, true)?;
    let head_rev = head.unwrap_or("HEAD");
    let head_commit = resolve(repo, head_rev, false)?;

    let name = display_name(path, &located.root);
    let open = |commit: &str, reference: &str| -> Result<Box<dyn Source>, crate::Error> {
        let inner = GitSource::open(&located.root, Some(commit))?;
        Ok(Box::new(PrSource::new(
            Box::new(inner),
            &located.prefix,
            path,
            reference,
        )))
    };
    let base_report = audit_source(&name, open(&base_commit, base)?, pack, options);
    let head_report = audit_source(&name, open(&head_commit, head_rev)?, pack, options);
    for (which, report) in [("base", &base_report), ("head", &head_report)] {
        if let Some(error) = &report.error {
            return Err(crate::Error::Target(
                format!("{} at {which}", path.display()),
                error.clone(),
            ));
        }
    }
    let renamed = renames(repo, &base_commit, &head_commit, &located.prefix)?;
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

/// Why PR mode's gate failed, one line per reason; empty when it passed. Only what the change
/// did counts: new failures at `fail_on` or above, and a score that fell under `fail_under`.
/// A score that was already under the limit and did not fall does not fail the change.
pub fn gate(report: &Report, fail_on: Severity, fail_under: Option<f64>) -> Vec<String> {
    let Some(pr) = &report.pr else {
        return Vec::new();
    };
    let mut reasons = Vec::new();
    let failed: Vec<&str> = pr
        .new_failures()
        .into_iter()
        .filter(|f| f.severity >= fail_on)
        .map(|f| f.rule.as_str())
        .collect();
    if !failed.is_empty() {
        reasons.push(format!(
            "{} new failure{} at {} or above ({})",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" },
            fail_on.as_str(),
            failed.join(", ")
        ));
    }
    let head_score = report.repos.first().and_then(|r| r.score);
    if let (Some(limit), Some(score)) = (fail_under, head_score) {
        let fell = pr.score_delta.is_none_or(|d| d < 0.0);
        if score < limit && fell {
            reasons.push(format!(
                "score fell to {score:.1} (from {}), under {limit}",
                pr.base
                    .score
                    .map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
            ));
        }
    }
    reasons
}

/// A repository found from a path that may be a subdirectory of its work tree.
struct Located {
    repo: Repository,
    /// The directory `GitSource` opens: the work tree root, or the bare repository.
    root: PathBuf,
    /// `path` relative to the work tree root, with `/` separators; empty at the root.
    prefix: String,
}

fn locate(path: &Path) -> Result<Located, crate::Error> {
    let repo = Repository::discover(path).map_err(|e| {
        crate::Error::Target(
            path.display().to_string(),
            format!("pull-request mode needs a git repository: {}", e.message()),
        )
    })?;
    let root = match repo.workdir() {
        Some(dir) => dir.to_path_buf(),
        None => repo.path().to_path_buf(),
    };
    let prefix = if repo.is_bare() {
        String::new()
    } else {
        let full = path.canonicalize()?;
        let base = root.canonicalize()?;
        full.strip_prefix(&base)
            .map(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    };
    Ok(Located { repo, root, prefix })
}

fn display_name(path: &Path, root: &Path) -> String {
    let named = path
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    named
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string())
}

/// The commit id `rev` names. A missing base is nearly always a shallow checkout, so the error
/// says how to fetch it rather than just "not found".
fn resolve(repo: &Repository, rev: &str, is_base: bool) -> Result<String, crate::Error> {
    let found = repo.revparse_single(rev).and_then(|o| o.peel_to_commit());
    match found {
        Ok(commit) => Ok(commit.id().to_string()),
        Err(error) => {
            let mut message = error.message().to_string();
            if is_base {
                let shallow = if repo.is_shallow() {
                    "this clone is shallow, so it lacks the base commit. "
                } else {
                    "the base commit is not in this clone. "
                };
                message = format!(
                    "{message}\n  {shallow}Fetch it before the audit: with actions/checkout set \
                     `fetch-depth: 0`, or run `git fetch --no-tags --depth=1 origin {rev}` \
                     (the openly action does this for you)."
                );
            }
            Err(crate::Error::Revision(rev.to_string(), message))
        }
    }
}

/// Files renamed between the two commits, as git's similarity detection sees them, restricted
/// to the audited subdirectory and made relative to it.
fn renames(
    repo: &Repository,
    base: &str,
    head: &str,
    prefix: &str,
) -> Result<Vec<Rename>, crate::Error> {
    let base_tree = repo.find_commit(git2::Oid::from_str(base)?)?.tree()?;
    let head_tree = repo.find_commit(git2::Oid::from_str(head)?)?.tree()?;
    let mut options = DiffOptions::new();
    let mut diff =
        repo.diff_tree_to_tree(Some(&base_tree), Some(&head_tree), Some(&mut options))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    let mut found = Vec::new();
    for delta in diff.deltas() {
        if delta.status() != git2::Delta::Renamed {
            continue;
        }
        let (Some(from), Some(to)) = (delta.old_file().path(), delta.new_file().path()) else {
            continue;
        };
        let (from, to) = (slash_path(from), slash_path(to));
        if let (Some(from), Some(to)) = (under(prefix, &from), under(prefix, &to)) {
            found.push(Rename {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
    }
    found.sort_by(|a, b| a.from.cmp(&b.from));
    Ok(found)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` relative to `prefix`, or `None` when it lies outside.
fn under<'p>(prefix: &str, path: &'p str) -> Option<&'p str> {
    if prefix.is_empty() {
        return Some(path);
    }
    path.strip_prefix(prefix)?.strip_prefix('/')
}

/// What identifies one evidence item across commits: path (after renames) and masked excerpt.
type EvidenceKey = (Option<String>, Option<String>);

fn key(evidence: &Evidence, moved: &HashMap<&str, &str>) -> EvidenceKey {
    let path = evidence
        .path
        .as_deref()
        .map(|p| moved.get(p).copied().unwrap_or(p).to_string());
    (path, evidence.excerpt.clone())
}

/// Matches head findings to base findings rule by rule. Base paths are mapped through the
/// renames first, so a moved file carries its findings with it.
pub fn compare(
    base: &RepoReport,
    head: &RepoReport,
    renamed: &[Rename],
    base_info: PrBase,
    head_info: PrHead,
) -> PrSummary {
    let moved: HashMap<&str, &str> = renamed
        .iter()
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    let identity = HashMap::new();
    let base_by_rule: BTreeMap<&str, &Finding> =
        base.findings.iter().map(|f| (f.rule.as_str(), f)).collect();
    let head_by_rule: BTreeMap<&str, &Finding> =
        head.findings.iter().map(|f| (f.rule.as_str(), f)).collect();

    let mut new = Vec::new();
    for finding in head.findings.iter().filter(|f| f.is_failure()) {
        match base_by_rule.get(finding.rule.as_str()) {
            Some(before) if before.is_failure() => {
                let known: BTreeSet<EvidenceKey> =
                    before.evidence.iter().map(|e| key(e, &moved)).collect();
                let added: Vec<Evidence> = finding
                    .evidence
                    .iter()
                    .filter(|e| !known.contains(&key(e, &identity)))
                    .cloned()
                    .collect();
                if !added.is_empty() {
                    new.push(Finding {
                        evidence: added,
                        ..finding.clone()
                    });
                }
            }
            _ => new.push(finding.clone()),
        }
    }

    let mut fixed = Vec::new();
    for finding in base.findings.iter().filter(|f| f.is_failure()) {
        let Some(after) = head_by_rule.get(finding.rule.as_str()) else {
            continue;
        };
        let mapped = |f: &Finding| -> Finding {
            let mut f = f.clone();
            for item in &mut f.evidence {
                if let Some(path) = item.path.as_deref().and_then(|p| moved.get(p)) {
                    item.path = Some((*path).to_string());
                }
            }
            f
        };
        match after.outcome {
            Outcome::Pass | Outcome::Waived => fixed.push(mapped(finding)),
            Outcome::Fail => {
                let still: BTreeSet<EvidenceKey> =
                    after.evidence.iter().map(|e| key(e, &identity)).collect();
                let gone: Vec<Evidence> = mapped(finding)
                    .evidence
                    .into_iter()
                    .filter(|e| !still.contains(&key(e, &identity)))
                    .collect();
                if !gone.is_empty() {
                    fixed.push(Finding {
                        evidence: gone,
                        ..finding.clone()
                    });
                }
            }
            // Not judged in head (a prerequisite failed, or it needs a person): not a fix.
            _ => {}
        }
    }

    let score_delta = match (base.score, head.score) {
        (Some(b), Some(h)) => Some(((h - b) * 10.0).round() / 10.0),
        _ => None,
    };
    PrSummary {
        base: base_info,
        head: head_info,
        score_delta,
        new,
        fixed,
        renamed: renamed.to_vec(),
    }
}

/// A git revision seen through one subdirectory, reported under the path the user gave. The
/// paths in findings are then relative to that directory, as in a full audit of it.
struct PrSource {
    inner: Box<dyn Source>,
    prefix: String,
    info: SourceInfo,
}

impl PrSource {
    fn new(inner: Box<dyn Source>, prefix: &str, path: &Path, reference: &str) -> Self {
        let mut info = inner.info().clone();
        info.location = path.display().to_string();
        info.reference = Some(reference.to_string());
        PrSource {
            inner,
            prefix: prefix.to_string(),
            info,
        }
    }

    fn full(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }
}

impl Source for PrSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn metadata(&self) -> RepoMetadata {
        self.inner.metadata()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        let entries = self.inner.list()?;
        if self.prefix.is_empty() {
            return Ok(entries);
        }
        Ok(entries
            .into_iter()
            .filter_map(|mut entry| {
                let rel = under(&self.prefix, &entry.path)?.to_string();
                entry.path = rel;
                Some(entry)
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        self.inner.read(&self.full(path), limit)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        self.inner.open(&self.full(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RapLevel;
    use crate::model::SourceKind;

    fn finding(rule: &str, outcome: Outcome, evidence: Vec<Evidence>) -> Finding {
        Finding {
            rule: rule.to_string(),
            category: rule.split('/').next().unwrap_or_default().to_string(),
            title: rule.to_string(),
            outcome,
            severity: Severity::Error,
            weight: 1.0,
            message: String::new(),
            help: String::new(),
            url: None,
            fingerprint: crate::model::fingerprint(rule, &evidence),
            evidence,
            waiver: None,
        }
    }

    fn repo(score: f64, findings: Vec<Finding>) -> RepoReport {
        RepoReport {
            name: "r".to_string(),
            source: SourceInfo {
                kind: SourceKind::Git,
                location: ".".to_string(),
                reference: None,
                commit: None,
            },
            score: Some(score),
            grade: "C".to_string(),
            rap_level: RapLevel::None,
            categories: Vec::new(),
            facts: Default::default(),
            rap: None,
            findings,
            error: None,
            metadata: None,
        }
    }

    fn run(base: RepoReport, head: RepoReport, renamed: &[Rename]) -> PrSummary {
        let info = PrBase {
            commit: "b".into(),
            reference: None,
            score: base.score,
            grade: base.grade.clone(),
        };
        let head_info = PrHead {
            commit: "h".into(),
            reference: None,
        };
        compare(&base, &head, renamed, info, head_info)
    }

    #[test]
    fn moved_files_and_shifted_lines_are_not_new() {
        let base = repo(
            70.0,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![Evidence::at("data/a.csv", 3, "*** *** 1234")],
            )],
        );
        let head = repo(
            70.0,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![Evidence::at("old/a.csv", 9, "*** *** 1234")],
            )],
        );
        let renamed = [Rename {
            from: "data/a.csv".into(),
            to: "old/a.csv".into(),
        }];
        let summary = run(base, head, &renamed);
        assert!(summary.new.is_empty(), "{:?}", summary.new);
        assert!(summary.fixed.is_empty(), "{:?}", summary.fixed);
        assert_eq!(summary.score_delta, Some(0.0));
    }

    #[test]
    fn added_evidence_is_new_and_narrowed_removed_evidence_is_fixed() {
        let base = repo(
            70.0,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![
                    Evidence::at("a.csv", 3, "*** *** 1234"),
                    Evidence::at("b.csv", 3, "*** *** 9876"),
                ],
            )],
        );
        let head = repo(
            65.5,
            vec![finding(
                "data/nhs-number",
                Outcome::Fail,
                vec![
                    Evidence::at("a.csv", 5, "*** *** 1234"),
                    Evidence::at("c.csv", 1, "*** *** 5555"),
                ],
            )],
        );
        let summary = run(base, head, &[]);
        assert_eq!(summary.new.len(), 1);
        assert_eq!(summary.new[0].evidence.len(), 1);
        assert_eq!(summary.new[0].evidence[0].path.as_deref(), Some("c.csv"));
        assert_eq!(summary.fixed.len(), 1);
        assert_eq!(summary.fixed[0].evidence[0].path.as_deref(), Some("b.csv"));
        assert_eq!(summary.score_delta, Some(-4.5));
    }

    #[test]
    fn a_rule_that_became_not_applicable_is_not_fixed() {
        let base = repo(50.0, vec![finding("readme/install", Outcome::Fail, vec![])]);
        let head = repo(
            40.0,
            vec![finding("readme/install", Outcome::NotApplicable, vec![])],
        );
        assert!(run(base, head, &[]).fixed.is_empty());
    }

    #[test]
    fn under_strips_only_whole_directory_prefixes() {
        assert_eq!(under("svc", "svc/a.py"), Some("a.py"));
        assert_eq!(under("svc", "svc2/a.py"), None);
        assert_eq!(under("", "a.py"), Some("a.py"));
    }
}
