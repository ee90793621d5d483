//! The check kinds a rule pack can express without code: files that must or must not exist,
//! files that must contain a pattern, and `.gitignore` coverage.

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::readme::excerpt_around;
use crate::facts::{Fact, RepoContext};
use crate::model::{Evidence, Verdict};
use crate::pack::{Globs, PackRegex};
use crate::snapshot::Snapshot;

/// How many matching paths a finding lists before it summarises.
const MAX_EVIDENCE: usize = 10;

fn matching<'s>(snapshot: &'s Snapshot, globs: &'s Globs) -> impl Iterator<Item = &'s str> + 's {
    snapshot
        .files()
        .map(|e| e.path.as_str())
        .filter(|path| globs.is_match(path))
}

pub fn file_exists(snapshot: &Snapshot, globs: &Globs) -> Verdict {
    let found: Vec<&str> = matching(snapshot, globs).collect();
    Verdict::from_bool(!found.is_empty()).with_evidence(path_evidence(&found))
}

pub fn file_absent(snapshot: &Snapshot, globs: &Globs) -> Verdict {
    let found: Vec<&str> = matching(snapshot, globs).collect();
    Verdict::from_bool(found.is_empty()).with_evidence(path_evidence(&found))
}

pub fn file_contains(snapshot: &Snapshot, globs: &Globs, pattern: &PackRegex) -> Verdict {
    let pattern = match pattern.get() {
        Ok(pattern) => pattern,
        Err(error) => return Verdict::error(format!("the rule's pattern cannot be used: {error}")),
    };
    for path in matching(snapshot, globs) {
        let Some(text) = snapshot.text(path) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            if let Some(found) = pattern.find(line) {
                return Verdict::pass().with_evidence([Evidence::at(
                    path,
                    index as u64 + 1,
                    excerpt_around(line, found.start()),
                )]);
            }
        }
    }
    Verdict::fail()
}

/// Passes when every sample path is ignored. A sample ending in `/` is a directory: it is
/// covered when the directory, or any file in it, is ignored.
pub fn gitignore_covers(ignores: &Gitignores, samples: &[String]) -> Verdict {
    let ignores = &ignores.0;
    if ignores.is_empty() {
        return Verdict::fail().with_message("there is no .gitignore");
    }
    let uncovered: Vec<&String> = samples
        .iter()
        .filter(|sample| !is_ignored(ignores, sample))
        .collect();
    if uncovered.is_empty() {
        Verdict::pass().with_evidence([Evidence::note(format!("ignored: {}", samples.join(", ")))])
    } else {
        Verdict::fail().with_evidence([Evidence::note(format!(
            "not ignored: {}",
            uncovered
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))])
    }
}

/// Every `.gitignore` of a repository with the directory it governs, deepest first: parsed once
/// however many rules ask about coverage (building the matchers was 2% of an audit when each
/// rule built its own).
pub struct Gitignores(Vec<(String, Gitignore)>);

impl Fact for Gitignores {
    fn compute(context: &RepoContext) -> Self {
        Gitignores(load_gitignores(context.snapshot))
    }
}

fn load_gitignores(snapshot: &Snapshot) -> Vec<(String, Gitignore)> {
    let mut found = Vec::new();
    for entry in snapshot.files().filter(|e| e.name() == ".gitignore") {
        let Some(text) = snapshot.text(&entry.path) else {
            continue;
        };
        let dir = entry
            .path
            .strip_suffix(".gitignore")
            .unwrap_or("")
            .to_string();
        let mut builder = GitignoreBuilder::new("/");
        for line in text.lines() {
            // A malformed line is skipped, as git skips it.
            let _ = builder.add_line(None, line);
        }
        if let Ok(matcher) = builder.build() {
            found.push((dir, matcher));
        }
    }
    found.sort_by_key(|(dir, _)| std::cmp::Reverse(dir.matches('/').count()));
    found
}

fn is_ignored(ignores: &[(String, Gitignore)], sample: &str) -> bool {
    let (path, is_dir) = match sample.strip_suffix('/') {
        Some(dir) => (dir, true),
        None => (sample, false),
    };
    let probes: Vec<(String, bool)> = if is_dir {
        vec![
            (path.to_string(), true),
            (format!("{path}/extract.bin"), false),
        ]
    } else {
        vec![(path.to_string(), false)]
    };
    probes.iter().any(|(probe, probe_is_dir)| {
        for (dir, matcher) in ignores {
            let Some(relative) = probe.strip_prefix(dir.as_str()) else {
                continue;
            };
            let matched =
                matcher.matched_path_or_any_parents(format!("/{relative}"), *probe_is_dir);
            if matched.is_ignore() {
                return true;
            }
            if matched.is_whitelist() {
                return false;
            }
        }
        false
    })
}

pub fn path_evidence(paths: &[&str]) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = paths
        .iter()
        .take(MAX_EVIDENCE)
        .map(|p| Evidence::path(*p))
        .collect();
    if paths.len() > MAX_EVIDENCE {
        evidence.push(Evidence::note(format!(
            "and {} more",
            paths.len() - MAX_EVIDENCE
        )));
    }
    evidence
}
