//! How to read a repository's content in a bounded number of requests: lazily, one
//! `git/blobs/SHA` per file a check reads, or all at once, one `tarball/SHA` per repository.
//!
//! The rule (also in docs/github.md), from the number of files the pack will read:
//!
//! 1. The pack reads every text file under the size cap ([`ReadPlan::Everything`], the
//!    default playbook: its data and secrets scans look at every file). Lazy blobs would cost
//!    one request per file, a tarball costs one, whatever the count: **tarball**, and the tree
//!    API is not called at all (the tarball lists the files too). 2 requests per repository:
//!    the commit SHA and the tarball.
//! 2. The pack reads only files matching some globs ([`ReadPlan::Only`]): the tree is listed
//!    (1 request) and the matching regular files under the size cap are counted.
//!    - at most [`MAX_LAZY_BLOBS`] of them: **blobs** (SHA + tree + 1 blob = 3 requests);
//!    - more: **tarball** (SHA + tree + tarball = 3 requests), unless the repository's listed
//!      size exceeds the tarball download cap, when **blobs** are read after all (the
//!      tarball would be refused; this costs 2 + the count and is logged);
//!    - a truncated tree (GitHub stops listing above about 100,000 entries or 7 MB):
//!      **tarball**, since the count is unknown.
//!
//! Either way content costs O(1) requests per repository (the listing pages aside), and
//! once cached by commit SHA, nothing but the 304 of the SHA lookup.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::tarball::TarballLimits;
use crate::source::{Entry, EntryKind};

/// Files read with lazy blobs at most; above this a tarball is cheaper in requests.
pub const MAX_LAZY_BLOBS: usize = 1;

/// What the rule pack will read of each repository; the pack decides, this module only uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReadPlan {
    /// Every text file under the size cap (the default playbook).
    #[default]
    Everything,
    /// Only regular files whose path matches one of these globs (`LICENSE*`, `docs/*.md`; a
    /// glob without `/` matches the file name at any depth; case-insensitive), up to
    /// `max_file_size` bytes (the snapshot's cap: bigger files are never read).
    Only {
        globs: Vec<String>,
        max_file_size: u64,
    },
}

impl ReadPlan {
    /// A plan for these globs under the snapshot's default size cap.
    pub fn only(globs: &[&str]) -> ReadPlan {
        ReadPlan::Only {
            globs: globs.iter().map(|g| g.to_string()).collect(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// The snapshot's default cap on a file read (`snapshot::DEFAULT_MAX_FILE_SIZE`), repeated
/// here because the source layer may not import the snapshot.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A [`ReadPlan`] ready to match paths; built once per run so a bad glob fails early.
#[derive(Debug, Clone)]
pub struct PlanMatcher {
    plan: ReadPlan,
    globs: Option<GlobSet>,
    max_file_size: u64,
}

impl ReadPlan {
    pub fn compile(&self) -> Result<PlanMatcher, crate::Error> {
        let (globs, max_file_size) = match self {
            ReadPlan::Everything => (None, u64::MAX),
            ReadPlan::Only {
                globs: patterns,
                max_file_size,
            } => {
                let mut builder = GlobSetBuilder::new();
                for pattern in patterns {
                    let full = if pattern.contains('/') {
                        pattern.clone()
                    } else {
                        format!("**/{pattern}")
                    };
                    let glob = GlobBuilder::new(&full)
                        .case_insensitive(true)
                        .literal_separator(true)
                        .build()
                        .map_err(|e| {
                            crate::Error::Other(format!("read plan glob `{pattern}`: {e}"))
                        })?;
                    builder.add(glob);
                }
                let set = builder
                    .build()
                    .map_err(|e| crate::Error::Other(format!("read plan globs: {e}")))?;
                (Some(set), *max_file_size)
            }
        };
        Ok(PlanMatcher {
            plan: self.clone(),
            globs,
            max_file_size,
        })
    }
}

impl PlanMatcher {
    pub fn plan(&self) -> &ReadPlan {
        &self.plan
    }

    /// Whether the pack reads `path`.
    pub fn reads(&self, path: &str) -> bool {
        self.globs.as_ref().is_none_or(|g| g.is_match(path))
    }

    /// Whether the tree must be listed before choosing (it need not when everything is read).
    pub fn needs_tree(&self) -> bool {
        self.globs.is_some()
    }

    /// The files of `entries` the pack will read: regular files under the size cap it matches.
    pub fn count(&self, entries: &[Entry]) -> usize {
        entries
            .iter()
            .filter(|e| {
                e.kind == EntryKind::File && e.size <= self.max_file_size && self.reads(&e.path)
            })
            .count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Blobs,
    Tarball,
}

/// A decision and why, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub strategy: Strategy,
    /// The files the pack will read, when counted.
    pub reads: Option<usize>,
    pub why: &'static str,
}

/// What the tree API said, when it was asked.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub entries: &'a [Entry],
    pub truncated: bool,
}

/// The rule in the module documentation. `repo_kb` is the listing's `size` (KiB), if given.
pub fn choose(
    plan: &PlanMatcher,
    tree: Option<Listed<'_>>,
    repo_kb: Option<u64>,
    limits: &TarballLimits,
) -> Choice {
    let Some(tree) = tree.filter(|_| plan.needs_tree()) else {
        return Choice {
            strategy: Strategy::Tarball,
            reads: None,
            why: "the pack reads every file: one tarball whatever their number",
        };
    };
    if tree.truncated {
        return Choice {
            strategy: Strategy::Tarball,
            reads: None,
            why: "the tree is truncated, so what the pack reads cannot be counted",
        };
    }
    let reads = plan.count(tree.entries);
    if reads <= MAX_LAZY_BLOBS {
        return Choice {
            strategy: Strategy::Blobs,
            reads: Some(reads),
            why: "few enough files to read one by one",
        };
    }
    if repo_kb.is_some_and(|kb| kb.saturating_mul(1024) > limits.max_compressed) {
        return Choice {
            strategy: Strategy::Blobs,
            reads: Some(reads),
            why: "the repository is larger than the tarball cap, so its files are read one by one",
        };
    }
    Choice {
        strategy: Strategy::Tarball,
        reads: Some(reads),
        why: "more files than the lazy-blob limit: one tarball costs less",
    }
}

/// Requests a first read of one repository costs at most under `plan` (SHA lookup included,
/// listing pages not): the quota estimate's unit.
pub fn first_read_cost(plan: &PlanMatcher) -> u32 {
    if plan.needs_tree() { 3 } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<Entry> {
        names.iter().map(|n| Entry::file(*n, 10)).collect()
    }

    #[test]
    fn reading_everything_takes_the_tarball_without_a_tree() {
        let plan = ReadPlan::Everything.compile().unwrap();
        assert!(!plan.needs_tree());
        let choice = choose(&plan, None, Some(10), &TarballLimits::default());
        assert_eq!(choice.strategy, Strategy::Tarball);
        assert_eq!(first_read_cost(&plan), 2);
    }

    #[test]
    fn a_few_named_files_are_read_as_blobs_and_many_from_a_tarball() {
        let plan = ReadPlan::only(&["LICENSE*", "docs/*.md"])
            .compile()
            .unwrap();
        let limits = TarballLimits::default();
        let one = files(&["LICENSE", "src/main.rs", "README.md"]);
        let listed = |entries| {
            Some(Listed {
                entries,
                truncated: false,
            })
        };
        let choice = choose(&plan, listed(&one), Some(10), &limits);
        assert_eq!((choice.strategy, choice.reads), (Strategy::Blobs, Some(1)));
        let many = files(&["LICENSE", "sub/licence.txt", "docs/a.md", "docs/deep/b.md"]);
        // LICENSE* matches at any depth (no `/`), docs/*.md does not cross directories, and
        // `licence.txt` is not `LICENSE*`: LICENSE and docs/a.md.
        let choice = choose(&plan, listed(&many), Some(10), &limits);
        assert_eq!(
            (choice.strategy, choice.reads),
            (Strategy::Tarball, Some(2))
        );
        let huge = choose(&plan, listed(&many), Some(10 << 20), &limits);
        assert_eq!(huge.strategy, Strategy::Blobs);
        let cut = choose(
            &plan,
            Some(Listed {
                entries: &one,
                truncated: true,
            }),
            None,
            &limits,
        );
        assert_eq!(cut.strategy, Strategy::Tarball);
        assert_eq!(first_read_cost(&plan), 3);
    }

    #[test]
    fn files_over_the_size_cap_are_not_counted() {
        let plan = ReadPlan::Only {
            globs: vec!["*.csv".into()],
            max_file_size: 1000,
        }
        .compile()
        .unwrap();
        let entries = vec![Entry::file("a.csv", 10), Entry::file("b.csv", 5000)];
        assert_eq!(plan.count(&entries), 1);
        assert!(ReadPlan::only(&["["]).compile().is_err());
    }
}
