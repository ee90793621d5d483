//! The repository's data scan: which files (the tree, and with `--history` every blob ever
//! committed), read once each, in parallel, through the detection engine, with every excerpt
//! masked before it leaves. Cached per repository as the [`DataScan`] fact.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;

use crate::checks::data::{self, Detection, ScanOptions};
use crate::checks::paths::is_analysis_code;
use crate::facts::{Fact, RepoContext};
use crate::model::facts::data::HistoryFact;
use crate::pack::Pack;
use crate::snapshot::Snapshot;

/// Largest blob read from history: bigger ones are counted as skipped, so one committed dump
/// cannot make `--history` unbounded.
pub const HISTORY_MAX_BLOB: u64 = 64 * 1024 * 1024;

/// Facts list at most this many synthetic-data signals: one is enough for the credit.
pub(super) const MAX_SYNTHETIC_FACTS: usize = 50;

/// Evidence items per finding; the message gives the full count.
pub(super) const MAX_EVIDENCE: usize = 50;

/// How the repository's data scan runs: the engine's limits from the pack, and `--history`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataSettings {
    pub options: ScanOptions,
    pub history: bool,
}

/// The scan limits a pack asks for: the catalog declares them shared by every data and
/// secrets analyzer, and the largest value any enabled rule sets is used.
pub fn options_from_pack(pack: &Pack) -> ScanOptions {
    let defaults = ScanOptions::default();
    ScanOptions {
        max_rows: pack
            .shared_count("max_rows")
            .map_or(defaults.max_rows, |v| v as usize),
        max_bytes: pack.shared_count("max_bytes").unwrap_or(defaults.max_bytes),
        small_number_threshold: pack
            .shared_count("small_number_threshold")
            .unwrap_or(defaults.small_number_threshold),
    }
}

/// Where a scanned file version lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// In the audited tree (with the commit that first brought it in, when history was walked).
    Tree { commit: Option<String> },
    /// Only in history: an older version of a file still in the tree, or a deleted file.
    History { commit: String, deleted: bool },
}

/// One engine detection with where its file version came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub detection: Detection,
    pub origin: Origin,
}

/// Everything the data scan learned about one repository.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataScan {
    pub found: Vec<Found>,
    pub synthetic: Vec<data::SyntheticEvidence>,
    pub files: Vec<(data::DataFile, Origin)>,
    pub notebooks_with_outputs: Vec<String>,
    pub scanned: usize,
    pub history: Option<HistoryFact>,
}

impl Fact for DataScan {
    fn compute(context: &RepoContext) -> Self {
        let settings = DataSettings {
            options: options_from_pack(context.pack()),
            history: context.history(),
        };
        scan(context.snapshot, &settings)
    }
}

/// Scans the snapshot (and, when asked and possible, its history) once.
pub fn scan(snapshot: &Snapshot, settings: &DataSettings) -> DataScan {
    let mut result = DataScan::default();
    let paths: Vec<(&str, u64)> = snapshot
        .files()
        .map(|e| (e.path.as_str(), e.size))
        .collect();
    let scans = parallel(&paths, |(path, size)| {
        // Analysis code is read by RAP evidence too, so it comes through the snapshot's
        // cache; everything else is streamed, and only this scan reads it whole.
        let shared = is_analysis_code(path)
            .then(|| snapshot.cached_text(path))
            .flatten();
        match shared {
            Some(text) => Some(OneScan {
                path: path.to_string(),
                scan: data::scan_bytes(path, text.as_bytes(), &settings.options),
            }),
            None => scan_one(path, *size, &settings.options, || snapshot.open(path)),
        }
    });
    let mut first_commit: BTreeMap<String, String> = BTreeMap::new();
    let mut history_scans = Vec::new();
    if settings.history {
        match snapshot.source().history(HISTORY_MAX_BLOB) {
            None => log::warn!(
                "{}: --history needs a git repository; scanning the files in the tree only",
                snapshot.info().location
            ),
            Some(Err(error)) => log::warn!(
                "{}: cannot walk history ({error}); scanning the files in the tree only",
                snapshot.info().location
            ),
            Some(Ok(history)) => {
                let older: Vec<&crate::source::history::HistoryBlob> =
                    history.blobs.iter().filter(|b| !b.in_tree).collect();
                for blob in history.blobs.iter().filter(|b| b.in_tree) {
                    first_commit
                        .entry(blob.path.clone())
                        .or_insert_with(|| blob.commit.clone());
                }
                let source = snapshot.source();
                history_scans = parallel(&older, |blob| {
                    let scan = scan_one(&blob.path, blob.size, &settings.options, || {
                        source.open_blob(&blob.id)
                    });
                    let origin = Origin::History {
                        commit: blob.commit.clone(),
                        deleted: !snapshot.is_file(&blob.path),
                    };
                    (scan, origin)
                });
                result.history = Some(HistoryFact {
                    commits: history.commits,
                    blobs_scanned: older.len(),
                    skipped_large: history.skipped_large,
                    truncated: history.truncated,
                });
            }
        }
    }
    let tree_scans = paths.iter().zip(scans).map(|((path, _), scan)| {
        let origin = Origin::Tree {
            commit: first_commit.get(*path).cloned(),
        };
        (scan, origin)
    });
    for (scan, origin) in tree_scans.chain(history_scans) {
        let Some(scan) = scan else { continue };
        result.scanned += 1;
        let OneScan { path, scan } = scan;
        if scan.notebook_outputs && matches!(origin, Origin::Tree { .. }) {
            result.notebooks_with_outputs.push(path);
        }
        for detection in scan.detections {
            result.found.push(Found {
                detection: sanitize(detection),
                origin: origin.clone(),
            });
        }
        if matches!(origin, Origin::Tree { .. }) {
            result.synthetic.extend(scan.synthetic);
        }
        if let Some(file) = scan.data_file {
            result.files.push((file, origin.clone()));
        }
    }
    result
}

pub(super) struct OneScan {
    path: String,
    scan: data::FileScan,
}

pub(super) fn scan_one<'s, R: std::io::Read + 's>(
    path: &str,
    size: u64,
    options: &ScanOptions,
    open: impl FnOnce() -> Result<R, crate::Error>,
) -> Option<OneScan> {
    // Binary and listed-only files are judged by name: a git blob is inflated whole on open.
    if let Some(scan) = data::scan_unopened(path, size) {
        return Some(OneScan {
            path: path.to_string(),
            scan,
        });
    }
    let mut reader = match open() {
        Ok(reader) => reader,
        Err(error) => {
            log::debug!("{path}: not scanned: {error}");
            return None;
        }
    };
    Some(OneScan {
        path: path.to_string(),
        scan: data::scan_file(path, size, &mut reader, options),
    })
}

/// Runs `work` over `items` on the machine's cores, keeping order. Data scans read every byte
/// of the repository, so one thread would leave the other cores idle on a single large repo.
pub(super) fn parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8)
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, R)>> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, work(item)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => parts.push(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    let mut all: Vec<(usize, R)> = parts.into_iter().flatten().collect();
    all.sort_by_key(|(index, _)| *index);
    all.into_iter().map(|(_, r)| r).collect()
}

pub(super) static TEN_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b").expect("regex"));

/// A second line of defence for the masking guarantee: the engine masks every value, but
/// headers come from files too, and a headerless table's first row could be taken as one.
pub(super) fn sanitize(mut detection: Detection) -> Detection {
    let scrub = |text: &str| -> String {
        TEN_DIGITS
            .replace_all(text, |m: &regex::Captures| data::mask_nhs_number(&m[0]))
            .into_owned()
    };
    detection.excerpt = scrub(&detection.excerpt);
    detection.message = scrub(&detection.message);
    detection.column = detection.column.as_deref().map(scrub);
    detection
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Read;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::model::SourceInfo;
    use crate::snapshot::ReadLimits;
    use crate::source::local::LocalSource;
    use crate::source::{Entry, Source};

    /// A directory that counts how often each file is opened or read.
    struct Counting {
        inner: LocalSource,
        reads: Arc<Mutex<HashMap<String, usize>>>,
    }

    impl Counting {
        fn note(&self, path: &str) {
            *self
                .reads
                .lock()
                .unwrap()
                .entry(path.to_string())
                .or_default() += 1;
        }
    }

    impl Source for Counting {
        fn info(&self) -> &SourceInfo {
            self.inner.info()
        }
        fn list(&self) -> Result<Vec<Entry>, crate::Error> {
            self.inner.list()
        }
        fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
            self.note(path);
            self.inner.read(path, limit)
        }
        fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
            self.note(path);
            self.inner.open(path)
        }
    }

    #[test]
    fn analysis_code_is_read_once_for_the_scan_and_the_checks_after_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pipeline.py"), "def run():\n    return 1\n").unwrap();
        std::fs::write(dir.path().join("notes.md"), "# Notes\n\nNothing here.\n").unwrap();
        let reads = Arc::new(Mutex::new(HashMap::new()));
        let source = Counting {
            inner: LocalSource::new(dir.path()),
            reads: Arc::clone(&reads),
        };
        let snapshot = Snapshot::new(Box::new(source), ReadLimits::default()).unwrap();
        let result = scan(&snapshot, &DataSettings::default());
        assert_eq!(result.scanned, 2);
        // RAP evidence reads the code whole after the scan; the licence-header scan too.
        assert!(snapshot.text("pipeline.py").is_some());
        assert!(snapshot.cached_text("pipeline.py").is_some());
        let reads = reads.lock().unwrap();
        assert_eq!(reads.get("pipeline.py"), Some(&1), "{reads:?}");
        // Documents are streamed by the scan alone and not kept in memory for anyone.
        assert_eq!(reads.get("notes.md"), Some(&1), "{reads:?}");
    }
}
