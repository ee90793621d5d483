//! Turns the detection engine in [`super::data`] into facts and rule verdicts. The engine
//! judges one file at a time; this layer decides which files (the tree, and with `--history`
//! every blob ever committed), scans them once per repository, and maps what was found to the
//! public rule ids (`data/nhs-number`, `secrets/env-file`, …).
//!
//! Strength mapping: a *strong* detection fails its rule; a *weak* one never does. Weak
//! evidence leaves the rule passing, with a message that counts the signals and the evidence
//! listed, so a person can look without an alarm being raised (an alarm that is wrong one
//! time in ten teaches people to ignore the tool).

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;

use super::data::{self, Detection, Kind, ScanOptions, Strength};
use crate::checks::run::Run;
use crate::facts::{Fact, RepoContext};
use crate::model::facts::data::FreeTextFact;
use crate::model::facts::data::{
    DataFacts, DataFileFact, DetectionFact, HistoryFact, SyntheticFact,
};
use crate::model::{Evidence, Verdict};
use crate::pack::Pack;
use crate::snapshot::Snapshot;

/// Largest blob read from history: bigger ones are counted as skipped, so one committed dump
/// cannot make `--history` unbounded.
pub const HISTORY_MAX_BLOB: u64 = 64 * 1024 * 1024;

/// Facts list at most this many synthetic-data signals: one is enough for the credit.
const MAX_SYNTHETIC_FACTS: usize = 50;

/// Evidence items per finding; the message gives the full count.
const MAX_EVIDENCE: usize = 50;

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
        scan_one(path, *size, &settings.options, || snapshot.open(path))
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
        if scan.notebook_outputs && matches!(origin, Origin::Tree { .. }) {
            result.notebooks_with_outputs.push(scan.path.clone());
        }
        let scan = scan.scan;
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

struct OneScan {
    path: String,
    scan: data::FileScan,
    notebook_outputs: bool,
}

fn scan_one<'s, R: std::io::Read + 's>(
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
            notebook_outputs: false,
        });
    }
    let mut reader = match open() {
        Ok(reader) => reader,
        Err(error) => {
            log::debug!("{path}: not scanned: {error}");
            return None;
        }
    };
    let is_notebook = path.to_ascii_lowercase().ends_with(".ipynb");
    if is_notebook {
        // Notebooks are parsed whole by the engine anyway, so reading them here costs nothing
        // extra and tells us whether outputs were committed.
        let mut bytes = Vec::new();
        if let Err(error) = (&mut reader)
            .take(options.max_bytes)
            .read_to_end(&mut bytes)
        {
            log::debug!("{path}: read stopped: {error}");
        }
        let notebook_outputs = data::notebook_has_outputs(&String::from_utf8_lossy(&bytes));
        let scan = data::scan_file(path, size, &mut &bytes[..], options);
        return Some(OneScan {
            path: path.to_string(),
            scan,
            notebook_outputs,
        });
    }
    let scan = data::scan_file(path, size, &mut reader, options);
    Some(OneScan {
        path: path.to_string(),
        scan,
        notebook_outputs: false,
    })
}

use std::io::Read as _;

/// Runs `work` over `items` on the machine's cores, keeping order. Data scans read every byte
/// of the repository, so one thread would leave the other cores idle on a single large repo.
fn parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
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

static TEN_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b").expect("regex"));

/// A second line of defence for the masking guarantee: the engine masks every value, but
/// headers come from files too, and a headerless table's first row could be taken as one.
fn sanitize(mut detection: Detection) -> Detection {
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

// ─────────────────────────── facts ───────────────────────────

impl DataScan {
    pub fn fact(&self) -> DataFacts {
        DataFacts {
            files: self
                .files
                .iter()
                .map(|(file, origin)| DataFileFact {
                    path: file.path.clone(),
                    size: file.size,
                    kind: kind_name(file.kind),
                    parsed: file.parsed,
                    history_commit: match origin {
                        Origin::History { commit, .. } => Some(commit.clone()),
                        Origin::Tree { .. } => None,
                    },
                    free_text_columns: file
                        .free_text
                        .iter()
                        .map(|c| FreeTextFact {
                            column: c.column.clone(),
                            location: c.location.clone(),
                            values: c.values,
                            reason: match c.reason {
                                data::FreeTextReason::Header => "header",
                                data::FreeTextReason::Shape => "shape",
                            }
                            .to_string(),
                        })
                        .collect(),
                })
                .collect(),
            synthetic: self
                .synthetic
                .iter()
                .take(MAX_SYNTHETIC_FACTS)
                .map(|s| SyntheticFact {
                    path: s.path.clone(),
                    line: s.line,
                    what: s.what.clone(),
                })
                .collect(),
            detections: self
                .found
                .iter()
                .map(|f| {
                    let d = &f.detection;
                    DetectionFact {
                        rule: rule_id(d.kind).to_string(),
                        kind: d.kind.as_str().to_string(),
                        strength: match d.strength {
                            Strength::Strong => "strong",
                            Strength::Weak => "weak",
                        }
                        .to_string(),
                        path: d.path.clone(),
                        line: d.line,
                        column: d.column.clone(),
                        count: d.count,
                        excerpt: d.excerpt.clone(),
                        commit: commit_of(&f.origin).map(str::to_string),
                        in_tree: matches!(f.origin, Origin::Tree { .. }),
                    }
                })
                .collect(),
            notebooks_with_outputs: self.notebooks_with_outputs.clone(),
            scanned: self.scanned,
            history: self.history.clone(),
        }
    }
}

fn kind_name(kind: data::DataKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn commit_of(origin: &Origin) -> Option<&str> {
    match origin {
        Origin::Tree { commit } => commit.as_deref(),
        Origin::History { commit, .. } => Some(commit),
    }
}

/// The public rule id each kind of detection feeds.
pub fn rule_id(kind: Kind) -> &'static str {
    match kind {
        Kind::NhsNumber => "data/nhs-number",
        Kind::ChiNumber => "data/chi-number",
        Kind::Postcode
        | Kind::DateOfBirth
        | Kind::PersonName
        | Kind::NiNumber
        | Kind::Email
        | Kind::Phone => "data/quasi-identifiers",
        Kind::SmallNumbers => "data/small-numbers",
        Kind::EnvFile => "secrets/env-file",
        Kind::ConnectionString => "secrets/connection-string",
        Kind::UrlCredentials => "secrets/url-credentials",
        Kind::PrivateKey => "secrets/private-key",
        Kind::Token => "secrets/token",
        Kind::Password => "secrets/password",
        Kind::InternalHost => "secrets/internal-host",
    }
}

// ─────────────────────────── verdicts ───────────────────────────

/// How a detection rule treats weak evidence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WeakIs {
    /// Shown on a passing finding; never an alarm.
    Note,
    /// Fails when the weak detection is a count of people in a data file: the engine reports
    /// every column of small integers beside a geography, but on real repositories most are
    /// sort orders, star counts or worked examples in docs. A column named for people or
    /// activity (patients, admissions, deaths, count …) in a CSV or sheet is the real risk.
    PeopleCount,
}

static PEOPLE_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(patients|people|persons|pupils|residents|admissions|attendances|referrals|deaths|cases|births|episodes|spells|appointments|discharges|breaches|waiters|registrations|prescriptions|users|clients|contacts|count|\bn\b|^n_|_n$|number of|^num_|^no_of|total|activity)",
    )
    .expect("regex")
});

/// Columns of small integers that are codes, not counts, even when named after people.
static NOT_A_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(setting|code|type|status|flag|source|category|sort|order|rank|\bid\b|group|level)",
    )
    .expect("regex")
});

/// Documents show worked examples; data files publish.
const DOC_EXTS: &[&str] = &[
    "md", "markdown", "rmd", "qmd", "html", "htm", "xhtml", "ipynb",
];

fn counts_people(d: &Detection) -> bool {
    let ext = d
        .path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    !DOC_EXTS.contains(&ext.as_str())
        && d.column
            .as_deref()
            .is_some_and(|c| PEOPLE_COUNT.is_match(c) && !NOT_A_COUNT.is_match(c))
}

/// One rule's verdict over the detections of `kinds`: one evidence item per file, masked.
fn judge(context: &RepoContext, kinds: &[Kind], what: &str, weak_is: WeakIs) -> Verdict {
    let scan = context.get::<DataScan>();
    let alarming = |d: &Detection| {
        d.strength == Strength::Strong || (weak_is == WeakIs::PeopleCount && counts_people(d))
    };
    // Group by path: one evidence item per file, the tree version first.
    let mut files: BTreeMap<&str, Vec<&Found>> = BTreeMap::new();
    for found in scan
        .found
        .iter()
        .filter(|f| kinds.contains(&f.detection.kind))
    {
        files.entry(&found.detection.path).or_default().push(found);
    }
    let mut alarms = Vec::new();
    let mut notes = Vec::new();
    for (path, found) in &files {
        let strong: Vec<&Found> = found
            .iter()
            .copied()
            .filter(|f| alarming(&f.detection))
            .collect();
        if strong.is_empty() {
            notes.push(file_evidence(path, found));
        } else {
            alarms.push(file_evidence(path, &strong));
        }
    }
    let scanned = scan.scanned;
    if !alarms.is_empty() {
        let (first_message, _) = &alarms[0];
        let message = format!(
            "Found {what} in {} file{}. {first_message}{}",
            alarms.len(),
            plural(alarms.len()),
            if alarms.len() > 1 {
                format!(" (and {} more)", alarms.len() - 1)
            } else {
                String::new()
            }
        );
        return Verdict::fail()
            .with_message(message)
            .with_evidence(alarms.into_iter().take(MAX_EVIDENCE).map(|(_, e)| e));
    }
    if !notes.is_empty() {
        return Verdict::pass()
            .with_message(format!(
                "No {what} found in {scanned} files scanned; {} file{} with weak signals listed for a look (not an alarm)",
                notes.len(),
                plural(notes.len())
            ))
            .with_evidence(notes.into_iter().take(MAX_EVIDENCE).map(|(_, e)| e));
    }
    Verdict::pass().with_message(format!("No {what} found in {scanned} files scanned"))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One file's evidence: the first detection's location, every distinct masked excerpt, and
/// where in history the file sits.
fn file_evidence(path: &str, found: &[&Found]) -> (String, Evidence) {
    let in_tree: Vec<&&Found> = found
        .iter()
        .filter(|f| matches!(f.origin, Origin::Tree { .. }))
        .collect();
    let lead = in_tree.first().copied().unwrap_or(&found[0]);
    let versions = found
        .iter()
        .filter_map(|f| match &f.origin {
            Origin::History { commit, .. } => Some(commit.as_str()),
            Origin::Tree { .. } => None,
        })
        .collect::<HashSet<&str>>()
        .len();
    let mut excerpts: Vec<String> = Vec::new();
    for f in found.iter().filter(|f| f.origin == lead.origin) {
        let d = &f.detection;
        let part = match &d.column {
            Some(column) => format!("{} in `{column}`: {}", d.kind.as_str(), d.excerpt),
            None => format!("{}: {}", d.kind.as_str(), d.excerpt),
        };
        if !excerpts.contains(&part) && excerpts.len() < 4 {
            excerpts.push(part);
        }
    }
    let mut excerpt = excerpts.join("; ");
    let history_note = match &lead.origin {
        Origin::History {
            commit,
            deleted: true,
        } => format!(
            "deleted from the tree but still published in history (added in commit {})",
            short(commit)
        ),
        Origin::History {
            commit,
            deleted: false,
        } => format!(
            "an earlier version, still published in history (commit {})",
            short(commit)
        ),
        Origin::Tree { .. } if versions > 0 => format!(
            "and {versions} earlier version{} in history",
            plural(versions)
        ),
        Origin::Tree { .. } => String::new(),
    };
    if !history_note.is_empty() {
        excerpt = format!("{excerpt} ({history_note})");
    }
    let mut message = format!("{path}: {}", lead.detection.message);
    if !history_note.is_empty() {
        message = format!("{message}; {history_note}");
    }
    let evidence = Evidence {
        path: Some(path.to_string()),
        line: lead.detection.line,
        excerpt: Some(excerpt),
        commit: commit_of(&lead.origin).map(str::to_string),
        ..Evidence::default()
    };
    (message, evidence)
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

fn inventory(context: &RepoContext) -> Verdict {
    let scan = context.get::<DataScan>();
    if scan.files.is_empty() {
        return Verdict::pass().with_message("No data files in the repository");
    }
    let parsed = scan.files.iter().filter(|(f, _)| f.parsed).count();
    let evidence = scan.files.iter().take(MAX_EVIDENCE).map(|(file, origin)| {
        let mut excerpt = format!(
            "{}, {} bytes, {}",
            kind_name(file.kind),
            file.size,
            if file.parsed { "parsed" } else { "listed only" }
        );
        if !file.free_text.is_empty() {
            excerpt.push_str(&format!(", free text in {}", free_text_list(file)));
        }
        if let Origin::History { commit, .. } = origin {
            excerpt.push_str(&format!(", in history (commit {})", short(commit)));
        }
        Evidence {
            path: Some(file.path.clone()),
            line: None,
            excerpt: Some(excerpt),
            commit: commit_of(origin).map(str::to_string),
            ..Evidence::default()
        }
    });
    Verdict::pass()
        .with_message(format!(
            "{} data file{} ({parsed} parsed, {} listed only)",
            scan.files.len(),
            plural(scan.files.len()),
            scan.files.len() - parsed
        ))
        .with_evidence(evidence)
}

fn free_text_list(file: &data::DataFile) -> String {
    let names: Vec<String> = file
        .free_text
        .iter()
        .take(5)
        .map(|c| format!("`{}`", c.column))
        .collect();
    let more = file.free_text.len().saturating_sub(names.len());
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

/// Free-text columns cannot be checked by pattern: names, addresses and clinical details hide
/// there when the identifiers are gone. Never an error; `needs-review` while any is committed.
fn free_text(context: &RepoContext) -> Verdict {
    let scan = context.get::<DataScan>();
    let files: Vec<&data::DataFile> = scan
        .files
        .iter()
        .filter(|(f, origin)| !f.free_text.is_empty() && matches!(origin, Origin::Tree { .. }))
        .map(|(f, _)| f)
        .collect();
    if files.is_empty() {
        return Verdict::pass().with_message("No free-text columns in the data files");
    }
    let columns: usize = files.iter().map(|f| f.free_text.len()).sum();
    Verdict::needs_review(format!(
        "{columns} free-text column{} in {} data file{}: read them for names, addresses and clinical details before publishing",
        plural(columns),
        files.len(),
        plural(files.len())
    ))
    .with_evidence(files.iter().take(MAX_EVIDENCE).map(|f| Evidence {
        path: Some(f.path.clone()),
        excerpt: Some(format!("free text in {}", free_text_list(f))),
        ..Evidence::default()
    }))
}

fn unparsed(context: &RepoContext) -> Verdict {
    let scan = context.get::<DataScan>();
    let listed: Vec<&data::DataFile> = scan
        .files
        .iter()
        .filter(|(f, _)| !f.parsed)
        .map(|(f, _)| f)
        .collect();
    if listed.is_empty() {
        return Verdict::pass().with_message("Every data file could be read and checked");
    }
    Verdict::needs_review(format!(
        "{} data file{} could not be read (binary or compressed formats): check by hand that they hold no personal data",
        listed.len(),
        plural(listed.len())
    ))
    .with_evidence(listed.iter().take(MAX_EVIDENCE).map(|f| Evidence {
        path: Some(f.path.clone()),
        excerpt: Some(format!("{}, {} bytes", kind_name(f.kind), f.size)),
        ..Evidence::default()
    }))
}

fn notebook_outputs(context: &RepoContext) -> Verdict {
    let scan = context.get::<DataScan>();
    if scan.notebooks_with_outputs.is_empty() {
        return Verdict::pass().with_message("No notebook was committed with outputs");
    }
    let n = scan.notebooks_with_outputs.len();
    Verdict::needs_review(format!(
        "{n} notebook{} committed with outputs; their outputs were scanned by the data detectors, but check plots and tables by hand",
        plural(n)
    ))
    .with_evidence(
        scan.notebooks_with_outputs
            .iter()
            .take(MAX_EVIDENCE)
            .map(Evidence::path),
    )
}

/// Extensions of files that can load data: the dummy-data rule only applies when code does.
const CODE_EXTS: &[&str] = &[
    "py", "r", "rmd", "qmd", "ipynb", "sql", "sas", "jl", "scala", "do", "sps",
];

static READS_DATA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(read[._](csv|table|delim|excel|xlsx|parquet|sas|spss|stata|feather|fwf|json)|read_sql|readRDS|\bload\(\s*["'][^"']+\.(rdata|rda)|\bfread\(|read_excel|dbConnect|pyodbc|sqlalchemy|create_engine|spark\.(read|sql)|\bpd\.read_|open\([^)]*\.(csv|tsv|xlsx|json)|\bproc\s+import\b|\bselect\s[\s\S]{1,400}?\bfrom\s+\w)"#,
    )
    .expect("regex")
});

/// Whether the code needs data at all: data files are committed, or code loads some.
fn needs_data(context: &RepoContext) -> Option<String> {
    let scan = context.get::<DataScan>();
    if let Some((file, _)) = scan
        .files
        .iter()
        .find(|(_, origin)| matches!(origin, Origin::Tree { .. }))
    {
        return Some(format!("data files are committed ({})", file.path));
    }
    let snapshot = context.snapshot;
    for entry in snapshot.files().filter(|e| e.size <= 512 * 1024) {
        let ext = entry
            .name()
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if !CODE_EXTS.contains(&ext.as_str()) {
            continue;
        }
        if let Some(text) = snapshot.text(&entry.path)
            && READS_DATA.is_match(&text)
        {
            return Some(format!("code loads data ({})", entry.path));
        }
    }
    None
}

fn dummy_available(context: &RepoContext) -> Verdict {
    let scan = context.get::<DataScan>();
    if !scan.synthetic.is_empty() {
        let first = &scan.synthetic[0];
        let mut seen = HashSet::new();
        let evidence: Vec<Evidence> = scan
            .synthetic
            .iter()
            .filter(|s| seen.insert((s.path.clone(), s.what.clone())))
            .take(10)
            .map(|s| Evidence {
                path: Some(s.path.clone()),
                line: s.line,
                excerpt: Some(s.what.clone()),
                commit: None,
                ..Evidence::default()
            })
            .collect();
        return Verdict::pass()
            .with_message(format!(
                "The repository ships dummy or synthetic data: {} ({})",
                first.what, first.path
            ))
            .with_evidence(evidence);
    }
    match needs_data(context) {
        Some(why) => Verdict::fail().with_message(format!(
            "The code needs data ({why}) but the repository ships no dummy or synthetic data to run it with"
        )),
        None => Verdict::not_applicable("The code needs no data: no data files, and no code that loads data"),
    }
}

// ─────────────────────────── analyzers ───────────────────────────

macro_rules! detector {
    ($name:literal, $what:literal, $weak:expr, [$($kind:expr),+]) => {
        ($name, |context, _| judge(context, &[$($kind),+], $what, $weak))
    };
}

/// The code of each data and secrets analyzer; the catalog (`pack::catalog`) declares their
/// parameters and summaries.
pub const RUNNERS: &[(&str, Run)] = &[
    detector!(
        "data-nhs-number",
        "NHS numbers",
        WeakIs::Note,
        [Kind::NhsNumber]
    ),
    detector!(
        "data-chi-number",
        "CHI numbers",
        WeakIs::Note,
        [Kind::ChiNumber]
    ),
    detector!(
        "data-quasi-identifiers",
        "quasi-identifiers in combination",
        WeakIs::Note,
        [
            Kind::Postcode,
            Kind::DateOfBirth,
            Kind::PersonName,
            Kind::NiNumber,
            Kind::Email,
            Kind::Phone
        ]
    ),
    detector!(
        "data-small-numbers",
        "unsuppressed small numbers",
        WeakIs::PeopleCount,
        [Kind::SmallNumbers]
    ),
    ("data-inventory", |context, _| inventory(context)),
    ("data-notebook-outputs", |context, _| {
        notebook_outputs(context)
    }),
    ("data-free-text", |context, _| free_text(context)),
    ("data-unparsed", |context, _| unparsed(context)),
    ("data-dummy-available", |context, _| {
        dummy_available(context)
    }),
    detector!(
        "secrets-env-file",
        "committed environment settings",
        WeakIs::Note,
        [Kind::EnvFile]
    ),
    detector!(
        "secrets-connection-string",
        "connection strings with a password",
        WeakIs::Note,
        [Kind::ConnectionString]
    ),
    detector!(
        "secrets-url-credentials",
        "URLs with credentials",
        WeakIs::Note,
        [Kind::UrlCredentials]
    ),
    detector!(
        "secrets-private-key",
        "private keys",
        WeakIs::Note,
        [Kind::PrivateKey]
    ),
    detector!(
        "secrets-token",
        "access tokens",
        WeakIs::Note,
        [Kind::Token]
    ),
    detector!(
        "secrets-password",
        "hard-coded passwords",
        WeakIs::Note,
        [Kind::Password]
    ),
    detector!(
        "secrets-internal-host",
        "internal server names",
        WeakIs::Note,
        [Kind::InternalHost]
    ),
];
