//! One test per class of the second round of content checks, each over its
//! own generated files (several seeds), so a regression names its class:
//! structured records, rendered-report tables, other Modulus 11 schemes, free
//! text, and binary files skipped before reading. The whole-corpus precision
//! and recall figures are in `eval_tests.rs`.

use super::testgen::{GenFile, Rng, valid_nhs, with_check};
use super::testgen_formats as formats;
use super::{FileScan, Kind, ScanOptions, Strength, scan_file, scan_unopened};

fn scan(f: &GenFile) -> FileScan {
    scan_file(
        &f.path,
        f.content.len() as u64,
        &mut &f.content[..],
        &ScanOptions::default(),
    )
}

fn scan_text(path: &str, text: &str) -> FileScan {
    scan_file(
        path,
        text.len() as u64,
        &mut text.as_bytes(),
        &ScanOptions::default(),
    )
}

fn strong(s: &FileScan, kind: Kind) -> bool {
    s.detections
        .iter()
        .any(|d| d.kind == kind && d.strength == Strength::Strong)
}

/// Runs `make` over seeds 0..n and returns the files whose verdict differs
/// from `expected(file)`.
fn misses(
    n: u64,
    make: impl Fn(&mut Rng, usize) -> GenFile,
    expected: impl Fn(&GenFile) -> bool,
    got: impl Fn(&FileScan) -> bool,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for seed in 0..n {
        let mut rng = Rng::new(seed * 7919 + 1);
        let f = make(&mut rng, seed as usize);
        let s = scan(&f);
        if expected(&f) != got(&s) {
            wrong.push(format!("{}: {:?}", f.path, s.detections));
        }
    }
    wrong
}

#[test]
fn structured_records_with_patients_are_found() {
    for make in [
        formats::nested_ndjson,
        formats::nested_json,
        formats::yaml_records,
    ] {
        let wrong = misses(40, make, |_| true, |s| strong(s, Kind::NhsNumber));
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}

#[test]
fn yaml_config_is_not_read_as_records() {
    let mut rng = Rng::new(3);
    let rows: String = (0..20)
        .map(|_| format!("  - id: {}\n", valid_nhs(&mut rng)))
        .collect();
    let text = format!("patients:\n{rows}");
    assert!(strong(
        &scan_text("data/people.yaml", &text),
        Kind::NhsNumber
    ));
    // The same list under .github/ is CI configuration: prose rules only,
    // and twenty numbers with no patient word near them are weak there.
    let s = scan_text(
        ".github/workflows/matrix.yml",
        &text.replace("patients", "jobs"),
    );
    assert!(!strong(&s, Kind::NhsNumber), "{s:?}");
}

#[test]
fn rendered_report_tables_with_small_counts_are_disclosive() {
    for small in [true, false] {
        let wrong = misses(
            60,
            |rng, i| formats::practice_report(rng, i, small),
            |f| f.disclosive,
            |s| strong(s, Kind::SmallNumbers),
        );
        assert!(wrong.is_empty(), "small={small}: {wrong:#?}");
    }
    let wrong = misses(
        30,
        formats::report_small_decoy,
        |_| false,
        |s| s.detections.iter().any(|d| d.kind == Kind::SmallNumbers),
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn each_report_format_is_read() {
    let table = "| GP practice | Admissions |\n|---|---|\n| A81001 | 3 |\n| A81002 | 250 |\n";
    for path in ["r.md", "r.Rmd", "r.qmd", "r.markdown"] {
        assert!(
            strong(&scan_text(path, table), Kind::SmallNumbers),
            "{path}"
        );
    }
    let html = "<table><thead><tr><th>Practice</th><th>Patients</th></tr></thead><tbody><tr><td>A81001</td><td>4</td></tr><tr><td>A81002</td><td>120</td></tr></tbody></table>";
    for path in ["r.html", "r.htm", "_site/index.xhtml"] {
        assert!(strong(&scan_text(path, html), Kind::SmallNumbers), "{path}");
    }
    // Suppressed cells are what a report should publish.
    let suppressed = table.replace("| 3 |", "| * |");
    assert!(scan_text("r.md", &suppressed).detections.is_empty());
}

#[test]
fn other_mod11_schemes_are_weak_at_most() {
    let decoys: [fn(&mut Rng, usize) -> GenFile; 6] = [
        formats::isbn_list,
        formats::reading_list,
        formats::order_ids,
        formats::mobiles_without_zero,
        formats::timestamps_and_totals,
        formats::unallocated_column,
    ];
    for make in decoys {
        let wrong = misses(40, make, |_| false, |s| strong(s, Kind::NhsNumber));
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}

#[test]
fn allocated_ranges_under_neutral_headers_stay_strong() {
    let wrong = misses(
        40,
        formats::hc_or_neutral,
        |_| true,
        |s| strong(s, Kind::NhsNumber),
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    // CHI-range numbers (a real DDMMYY in front) under an NHS header are
    // patient identifiers too.
    let mut rng = Rng::new(11);
    let mut csv = String::from("nhs_number\n");
    for _ in 0..5 {
        let day = format!("{:02}{:02}", rng.range(1, 28), rng.range(1, 12));
        csv.push_str(&with_check(&mut rng, &day));
        csv.push('\n');
    }
    assert!(strong(&scan_text("a.csv", &csv), Kind::NhsNumber), "{csv}");
}

#[test]
fn the_same_valid_numbers_change_verdict_with_their_header() {
    let mut rng = Rng::new(5);
    let numbers: Vec<String> = (0..15).map(|_| valid_nhs(&mut rng)).collect();
    let csv = |header: &str| format!("{header}\n{}\n", numbers.join("\n"));
    for header in ["nhs_number", "patient_id", "ref", "id"] {
        assert!(
            strong(&scan_text("a.csv", &csv(header)), Kind::NhsNumber),
            "{header}"
        );
    }
    for header in [
        "isbn",
        "order_id",
        "invoice",
        "phone",
        "account_number",
        "uprn",
    ] {
        let s = scan_text("a.csv", &csv(header));
        assert!(!strong(&s, Kind::NhsNumber), "{header}: {s:?}");
        assert!(
            s.detections.iter().any(|d| d.kind == Kind::NhsNumber),
            "{header}: still listed as weak"
        );
    }
}

#[test]
fn free_text_columns_are_counted_on_data_files() {
    let wrong = misses(
        40,
        formats::free_text_table,
        |_| true,
        |s| s.data_file.as_ref().is_some_and(|d| d.free_text.len() >= 2),
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    let wrong = misses(
        40,
        formats::labels_table,
        |_| false,
        |s| {
            s.data_file
                .as_ref()
                .is_some_and(|d| !d.free_text.is_empty())
        },
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Records: a notes field nested in JSON Lines.
    let mut rng = Rng::new(2);
    let text: String = (0..10)
        .map(|k| {
            serde_json::json!({"id": k, "visit": {"notes": formats::sentence(&mut rng)}})
                .to_string()
                + "\n"
        })
        .collect();
    let s = scan_text("x.jsonl", &text);
    let cols: Vec<&str> = s
        .data_file
        .as_ref()
        .map(|d| d.free_text.iter().map(|c| c.column.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(cols, ["visit.notes"]);
    // Not a data file: no free-text facts.
    let md = "| notes |\n|---|\n| one two three |\n| four five six |\n| seven eight nine |\n";
    assert!(scan_text("a.md", md).free_text.is_empty());
}

#[test]
fn binary_files_are_skipped_before_or_at_their_first_bytes() {
    // By name, without reading: a reader that fails proves it was never used.
    struct Unreadable;
    impl std::io::Read for Unreadable {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("must not be read"))
        }
    }
    for path in [
        "logo.png",
        "docs/report.pdf",
        "dist/app.whl",
        "data/x.parquet",
    ] {
        assert!(scan_unopened(path, 10).is_some(), "{path}");
        let _ = scan_file(path, 10, &mut Unreadable, &ScanOptions::default());
    }
    assert!(scan_unopened("data/x.csv", 10).is_none());
    let listed = scan_unopened("data/x.sqlite", 10).and_then(|s| s.data_file);
    assert_eq!(listed.map(|d| d.parsed), Some(false));
    // By first bytes: a PDF without a NUL early on, and a zip named .csv.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(b"patient 4010232137 4505577104 7860960575\n");
    let s = scan_file(
        "export",
        pdf.len() as u64,
        &mut &pdf[..],
        &ScanOptions::default(),
    );
    assert!(s.detections.is_empty(), "{s:?}");
    let zip = b"PK\x03\x04nhs_number\n4010232137\n";
    let s = scan_file(
        "x.csv",
        zip.len() as u64,
        &mut &zip[..],
        &ScanOptions::default(),
    );
    assert_eq!(s.data_file.map(|d| d.parsed), Some(false));
    assert!(s.detections.is_empty());
}
