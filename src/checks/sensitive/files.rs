//! The rules about data files rather than detections: the inventory, free-text columns, files
//! listed but not read, notebooks with outputs, and whether dummy data is shipped.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::bytes::Regex;

use super::facts::{commit_of, kind_name};
use super::scan::*;
use super::verdict::{plural, short};
use crate::checks::data::{self};
use crate::facts::RepoContext;
use crate::model::{Evidence, Verdict};

pub(super) fn inventory(context: &RepoContext) -> Verdict {
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

pub(super) fn free_text_list(file: &data::DataFile) -> String {
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
pub(super) fn free_text(context: &RepoContext) -> Verdict {
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

pub(super) fn unparsed(context: &RepoContext) -> Verdict {
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

pub(super) fn notebook_outputs(context: &RepoContext) -> Verdict {
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
pub(super) const CODE_EXTS: &[&str] = &[
    "py", "r", "rmd", "qmd", "ipynb", "sql", "sas", "jl", "scala", "do", "sps",
];

/// Matched as bytes with ASCII classes: the calls are ASCII, and Unicode classes under the
/// bounded `select … from` gap made this one pattern cost as much to compile as thirty others.
static READS_DATA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i-u)(read[._](csv|table|delim|excel|xlsx|parquet|sas|spss|stata|feather|fwf|json)|read_sql|readRDS|\bload\(\s*["'][^"']+\.(rdata|rda)|\bfread\(|read_excel|dbConnect|pyodbc|sqlalchemy|create_engine|spark\.(read|sql)|\bpd\.read_|open\([^)]*\.(csv|tsv|xlsx|json)|\bproc\s+import\b)"#,
    )
    .expect("regex")
});

/// A SQL query: `select`, then `from` within 400 bytes. Searched as two words rather than as
/// `select\s[\s\S]{1,400}?from` in the pattern above, whose lazy DFA built a state for every
/// count of the gap in every file with a `select` (58 M instructions on 26 real repositories).
static SELECT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bselect\s").expect("regex"));
static FROM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bfrom\s+\w").expect("regex"));

/// The longest gap between `select` and its `from`.
const SELECT_GAP: usize = 400;

/// Whether code reads data: a known reading call, or a SQL query.
pub(super) fn reads_data(code: &[u8]) -> bool {
    READS_DATA.is_match(code)
        || SELECT.find_iter(code).any(|select| {
            // At least one byte of gap, at most SELECT_GAP, before `from` starts; the leftmost
            // `from` after the gap's first byte decides, as any later one starts later still.
            let earliest = select.end() + 1;
            FROM.find_at(code, earliest.min(code.len()))
                .is_some_and(|from| {
                    from.start() >= earliest && from.start() <= select.end() + SELECT_GAP
                })
        })
}

/// The code of a file: an R Markdown or Quarto document's chunks, without the prose around
/// them ("Select \"From template\" in the menu" is no SQL query).
fn code_of<'t>(ext: &str, text: &'t str) -> std::borrow::Cow<'t, str> {
    if matches!(ext, "rmd" | "qmd") {
        std::borrow::Cow::Owned(crate::checks::rap::code::document_code(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A report template or a settings file kept in a data format (`report_template.xlsx`,
/// `templateConfig.json`, `table_schema.json`) shapes the outputs or the run; it is not input
/// that a user would need dummy data in place of.
fn is_settings_or_template(path: &str) -> bool {
    let name = crate::source::file_name(path).to_ascii_lowercase();
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem);
    ["template", "config", "schema", "settings", "manifest"]
        .iter()
        .any(|word| stem.contains(word))
}

/// Data an R package ships for its users (`data/*.rda`, `R/sysdata.rda`, `inst/extdata/`):
/// lookups and example datasets that come with the package, so nothing is missing to run it.
/// Whether they hold personal data is for the content rules.
fn is_r_package_data(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower == "r/sysdata.rda"
        || lower.starts_with("inst/extdata/")
        || (lower.starts_with("data/")
            && [".rda", ".rdata", ".rds"]
                .iter()
                .any(|e| lower.ends_with(e)))
}

/// Whether the code needs data at all: data files are committed, or code loads some. A data
/// file among tests (an R package's `tests/testthat/expected.rds`), and the test that reads
/// it, say what a test compares with, not what the code needs. Examples are not tests: what
/// they read, a user needs to run them.
pub(super) fn needs_data(context: &RepoContext) -> Option<String> {
    let scan = context.get::<DataScan>();
    let r_package = context.snapshot.is_file("DESCRIPTION");
    if let Some((file, _)) = scan.files.iter().find(|(file, origin)| {
        matches!(origin, Origin::Tree { .. })
            && !crate::checks::paths::is_test_code(&file.path)
            && !is_settings_or_template(&file.path)
            && (!r_package || !is_r_package_data(&file.path))
    }) {
        return Some(format!("data files are committed ({})", file.path));
    }
    let snapshot = context.snapshot;
    for entry in snapshot.files().filter(|e| e.size <= 512 * 1024) {
        let ext = entry
            .name()
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if !CODE_EXTS.contains(&ext.as_str()) || crate::checks::paths::is_test_code(&entry.path) {
            continue;
        }
        if let Some(text) = snapshot.text(&entry.path)
            && reads_data(code_of(&ext, &text).as_bytes())
        {
            return Some(format!("code loads data ({})", entry.path));
        }
    }
    None
}

pub(super) fn dummy_available(context: &RepoContext) -> Verdict {
    // A repository whose code needs no data (a documentation site citing statistics) has no
    // dummy data to ship, whatever its prose says about synthetic data.
    let Some(why) = needs_data(context) else {
        return Verdict::not_applicable(
            "The code needs no data: no data files, and no code that loads data",
        );
    };
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
    Verdict::fail().with_message(format!(
        "The code needs data ({why}) but the repository ships no dummy or synthetic data to run it with"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The single pattern this search replaced, kept as its specification.
    fn as_one_pattern(code: &[u8]) -> bool {
        static ONE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"{}|(?i-u)\bselect\s[\s\S]{{1,400}}?\bfrom\s+\w",
                READS_DATA.as_str()
            ))
            .expect("regex")
        });
        ONE.is_match(code)
    }

    #[test]
    fn sql_queries_are_found_within_the_gap_only() {
        let gap = |n: usize| format!("SELECT {}FROM patients", "x ".repeat(n / 2));
        assert!(reads_data(b"select id from t"));
        assert!(reads_data(gap(398).as_bytes()));
        assert!(!reads_data(gap(402).as_bytes()));
        assert!(
            !reads_data(b"select from"),
            "the gap holds at least one byte"
        );
        assert!(!reads_data(b"selection of fromage"));
        assert!(reads_data(b"df = pd.read_csv('a.csv')"));
    }

    proptest! {
        #[test]
        fn agrees_with_the_single_pattern(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("select "), Just("SELECT\n"), Just("from "), Just("FROM\t"), Just("x"),
                    Just(" "), Just("_"), Just("é"), Just("reselect "), Just("wherefrom "),
                    Just("a1"), Just("\n"), Just("y "), Just("read.csv"),
                ],
                0..60,
            ),
            filler in 0usize..500,
        ) {
            let mut code = String::new();
            for (i, part) in parts.iter().enumerate() {
                code.push_str(part);
                if i == parts.len() / 2 {
                    code.push_str(&"z".repeat(filler));
                }
            }
            prop_assert_eq!(reads_data(code.as_bytes()), as_one_pattern(code.as_bytes()), "{:?}", code);
        }
    }
}
