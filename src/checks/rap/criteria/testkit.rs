//! Runs one RAP analyzer over a small invented repository, the way the engine would: a real
//! directory, a real snapshot, the default pack, the analyzer's declared parameter defaults.

use std::path::Path;

use super::RUNNERS;
use crate::facts::RepoContext;
use crate::model::{RapAssessment, Verdict};
use crate::pack::catalog::{self, Params};
use crate::pack::{PackSelection, load_pack};
use crate::snapshot::{ReadLimits, Snapshot};
use crate::source::local::LocalSource;

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
    let pack = load_pack(&PackSelection::default()).unwrap();
    let context = RepoContext::new(&snapshot, &pack);
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
