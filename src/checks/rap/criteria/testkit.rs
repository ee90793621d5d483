//! Runs one RAP analyzer over a small invented repository, the way the engine would: a real
//! directory, a real snapshot, the default pack, the analyzer's declared parameter defaults.

use std::path::Path;

use super::RUNNERS;
use crate::facts::RepoContext;
use crate::model::{RapAssessment, RepoMetadata, SourceInfo, SourceKind, Verdict};
use crate::pack::catalog::{self, Params};
use crate::pack::{PackSelection, load_pack};
use crate::snapshot::{ReadLimits, Snapshot};
use crate::source::git::GitSource;
use crate::source::local::LocalSource;
use crate::source::{Entry, Source};

/// A temporary repository holding `files` (path, content).
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    dir
}

/// The verdict of `analyzer` with `params` (TOML, may be empty) on the repository at `dir`;
/// `assessment` is what the engine would provide to judgement-phase analyzers.
pub fn judge_with(
    dir: &Path,
    analyzer: &str,
    params: &str,
    assessment: Option<RapAssessment>,
) -> Verdict {
    let snapshot = Snapshot::new(Box::new(LocalSource::new(dir)), ReadLimits::default()).unwrap();
    run_on(&snapshot, analyzer, params, assessment)
}

fn run_on(
    snapshot: &Snapshot,
    analyzer: &str,
    params: &str,
    assessment: Option<RapAssessment>,
) -> Verdict {
    let pack = load_pack(&PackSelection::default()).unwrap();
    let context = RepoContext::new(snapshot, &pack);
    if let Some(assessment) = assessment {
        context.provide(assessment);
    }
    let spec = catalog::find(analyzer).unwrap();
    let table: toml::Table = params.parse().unwrap();
    assert!(
        catalog::validate(spec, &table).is_empty(),
        "bad params {params}"
    );
    let run = RUNNERS
        .iter()
        .find(|(name, _)| *name == analyzer)
        .map(|(_, run)| *run)
        .unwrap();
    run(&context, &Params::new(&table, spec))
}

pub fn judge(dir: &Path, analyzer: &str) -> Verdict {
    judge_with(dir, analyzer, "", None)
}

/// The verdict of `analyzer` on any source: a git repository, or a directory posing as one.
pub fn judge_source(
    source: Box<dyn Source>,
    analyzer: &str,
    params: &str,
    assessment: Option<RapAssessment>,
) -> Verdict {
    let snapshot = Snapshot::new(source, ReadLimits::default()).unwrap();
    run_on(&snapshot, analyzer, params, assessment)
}

/// A directory read as if it came from elsewhere: a GitHub listing with its metadata (topics,
/// reviews, tags), which unit tests cannot fetch.
pub struct Posing {
    files: LocalSource,
    info: SourceInfo,
    metadata: RepoMetadata,
}

impl Posing {
    pub fn github(dir: &Path, metadata: RepoMetadata) -> Box<dyn Source> {
        Box::new(Posing {
            files: LocalSource::new(dir),
            info: SourceInfo {
                kind: SourceKind::Github,
                location: "nhs-example/pipeline".to_string(),
                reference: None,
                commit: None,
            },
            metadata,
        })
    }
}

impl Source for Posing {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn metadata(&self) -> RepoMetadata {
        self.metadata.clone()
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        self.files.list()
    }

    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + '_>, crate::Error> {
        self.files.open(path)
    }
}

/// A git repository in `dir` with one commit per message, each committing the whole tree, and
/// lightweight `tags` on the last commit.
pub fn git_history(dir: &Path, messages: &[&str], tags: &[&str]) -> Box<dyn Source> {
    let repo = git2::Repository::init(dir).unwrap();
    let signature = git2::Signature::now("Test Analyst", "analyst@example.org").unwrap();
    let mut parent: Option<git2::Oid> = None;
    for (index, message) in messages.iter().enumerate() {
        // Each commit changes a file, so history is real, not empty commits.
        std::fs::write(dir.join("HISTORY_MARK"), format!("{index}\n")).unwrap();
        let mut index_file = repo.index().unwrap();
        index_file
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index_file.write().unwrap();
        let tree = repo.find_tree(index_file.write_tree().unwrap()).unwrap();
        let parents: Vec<git2::Commit> = parent
            .map(|id| repo.find_commit(id).unwrap())
            .into_iter()
            .collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(
            repo.commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parent_refs,
            )
            .unwrap(),
        );
    }
    if let Some(head) = parent {
        let object = repo.find_object(head, None).unwrap();
        for tag in tags {
            repo.tag_lightweight(tag, &object, false).unwrap();
        }
    }
    open_git(dir)
}

/// The git repository in `dir`, read at HEAD.
pub fn open_git(dir: &Path) -> Box<dyn Source> {
    Box::new(GitSource::open(dir, None).unwrap())
}

/// The masked excerpts of a verdict's evidence, in order.
pub fn excerpts(verdict: &Verdict) -> Vec<String> {
    verdict
        .evidence
        .iter()
        .filter_map(|e| e.excerpt.clone())
        .collect()
}

/// A verdict's message, or nothing.
pub fn message(verdict: &Verdict) -> &str {
    verdict.message.as_deref().unwrap_or("")
}
