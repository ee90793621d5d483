//! Sensitive data and secrets, end to end: the real binary on temporary repositories (plain
//! directories and git repositories built with git2). Every value here is invented: NHS
//! numbers are generated from a seed with a correct Modulus 11 check digit, outside the 999 test
//! range unless a file is meant to be synthetic.

mod common;

use std::path::Path;

use clap::ValueEnum;
use common::{commit_all, openly};
use git2::Repository;
use serde_json::Value;

// ─────────────────────────── generators ───────────────────────────

/// splitmix64: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The Modulus 11 check digit, by search over the ten candidates: the digit that makes the
/// weighted sum of all ten digits (weights 10 down to 1) a multiple of 11. Written apart from
/// the engine's arithmetic so a bug there cannot hide on both sides of the test.
fn check_digit(nine: &str) -> Option<u32> {
    let weighted = nine
        .bytes()
        .zip([10u32, 9, 8, 7, 6, 5, 4, 3, 2])
        .fold(0, |acc, (b, w)| acc + u32::from(b - b'0') * w);
    (0..10).find(|c| (weighted + c).is_multiple_of(11))
}

/// A valid NHS number outside the 999 test range (so it must be flagged).
fn nhs_number(rng: &mut Rng) -> String {
    loop {
        let nine = format!("{}{}", rng.pick(&["4", "6", "7"]), rng.digits(8));
        if let Some(c) = check_digit(&nine) {
            return format!("{nine}{c}");
        }
    }
}

/// A valid number in the 999 test range (synthetic: credited, never flagged).
fn synthetic_nhs_number(rng: &mut Rng) -> String {
    loop {
        let nine = format!("999{}", rng.digits(6));
        if let Some(c) = check_digit(&nine) {
            return format!("{nine}{c}");
        }
    }
}

const FORENAMES: &[&str] = &["Alys", "Bryn", "Cerys", "Dafydd", "Eluned", "Ffion", "Gwil"];
const SURNAMES: &[&str] = &["Pryce", "Morgan", "Hughes", "Llewellyn", "Rees", "Vaughan"];
const OUTWARD: &[&str] = &["LS1", "M13", "B15", "NE1", "CF10", "SW1A", "EH3"];

fn postcode(rng: &mut Rng) -> String {
    let letters = b"ABDEFGHJLNPQRSTUWXYZ";
    format!(
        "{} {}{}{}",
        rng.pick(OUTWARD),
        rng.below(10),
        letters[rng.below(20) as usize] as char,
        letters[rng.below(20) as usize] as char
    )
}

/// A committed extract of fake, valid-format patient rows.
fn patient_csv(rng: &mut Rng, rows: usize, synthetic: bool) -> String {
    let mut text = String::from("nhs_number,forename,surname,date_of_birth,postcode\n");
    for _ in 0..rows {
        let number = if synthetic {
            synthetic_nhs_number(rng)
        } else {
            nhs_number(rng)
        };
        let postcode = if synthetic {
            format!("ZZ99 {}ZZ", rng.below(10))
        } else {
            postcode(rng)
        };
        text.push_str(&format!(
            "{number},{},{},19{:02}-{:02}-{:02},{postcode}\n",
            rng.pick(FORENAMES),
            rng.pick(SURNAMES),
            10 + rng.below(80),
            1 + rng.below(12),
            1 + rng.below(28),
        ));
    }
    text
}

/// Published aggregate statistics: organisation codes, months and large counts.
fn aggregate_csv(rng: &mut Rng) -> String {
    let mut text = String::from("org_code,region,month,attendances,admissions,breaches\n");
    for i in 0..40 {
        text.push_str(&format!(
            "R{:02}{},Y5{},2024-{:02},{},{},{}\n",
            i,
            rng.pick(&["A", "B", "C"]),
            rng.below(9),
            1 + i % 12,
            1000 + rng.below(9000),
            200 + rng.below(800),
            50 + rng.below(400)
        ));
    }
    text
}

/// Decoys: random 10-digit record ids (about 9% pass the check digit by chance) and phone
/// numbers, under headers that are not patient-like.
fn decoy_csv(rng: &mut Rng) -> String {
    let mut text = String::from("record_id,batch,helpline\n");
    for _ in 0..60 {
        text.push_str(&format!(
            "{}{},{},0161 496 0{}\n",
            1 + rng.below(9),
            rng.digits(9),
            rng.below(50),
            rng.digits(3)
        ));
    }
    text
}

fn github_token(rng: &mut Rng) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let body: String = (0..36)
        .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize] as char)
        .collect();
    format!("ghp_{body}")
}

fn password(rng: &mut Rng) -> String {
    format!("Vq{}xR{}pL!", rng.digits(4), rng.digits(3))
}

// ─────────────────────────── repositories ───────────────────────────

fn write(root: &Path, files: &[(&str, String)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const README: &str = "# Analysis\n\nCounts activity by month for the quarterly report.\n";

fn audit(path: &Path, extra: &[&str]) -> Value {
    let output = openly()
        .arg("audit")
        .arg(path)
        .args(extra)
        .args(["--format", "json", "--no-repo-config"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn finding<'a>(repo: &'a Value, rule: &str) -> &'a Value {
    repo["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding for {rule}"))
}

fn outcome(repo: &Value, rule: &str) -> String {
    finding(repo, rule)["outcome"].as_str().unwrap().to_string()
}

const PERSONAL_RULES: &[&str] = &[
    "data/nhs-number",
    "data/chi-number",
    "data/quasi-identifiers",
];

fn personal_alarm(repo: &Value) -> bool {
    PERSONAL_RULES.iter().any(|r| outcome(repo, r) == "fail")
}

fn secret_alarm(repo: &Value) -> bool {
    repo["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["category"] == "secrets" && f["outcome"] == "fail")
}

// ─────────────────────────── the issue's "done means" ───────────────────────────

#[test]
fn published_aggregate_statistics_raise_no_personal_data_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(1);
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("data/ae_by_trust.csv", aggregate_csv(&mut rng)),
            ("data/ae_by_trust_2023.csv", aggregate_csv(&mut rng)),
            ("data/record_ids.csv", decoy_csv(&mut rng)),
            (
                "report.md",
                "# Summary\n\n| org_code | attendances |\n|---|---|\n| RXA | 5120 |\n| RXB | 6231 |\n"
                    .to_string(),
            ),
        ],
    );
    let report = audit(dir.path(), &[]);
    let repo = &report["repos"][0];
    for rule in PERSONAL_RULES {
        assert_eq!(
            outcome(repo, rule),
            "pass",
            "{rule}: {}",
            finding(repo, rule)
        );
    }
    assert_eq!(outcome(repo, "data/small-numbers"), "pass");
    assert!(!secret_alarm(repo));
    let files = repo["facts"]["data"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 3, "the inventory lists every data file");
    assert_eq!(outcome(repo, "data/inventory"), "pass");
}

#[test]
fn a_committed_patient_extract_raises_one_masked_error_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(2);
    let first = patient_csv(&mut rng, 30, false);
    let second = patient_csv(&mut rng, 12, false);
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("extracts/march.csv", first.clone()),
            ("extracts/april.csv", second.clone()),
        ],
    );
    let output = openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let repo = &report["repos"][0];
    let nhs = finding(repo, "data/nhs-number");
    assert_eq!(nhs["outcome"], "fail");
    assert_eq!(nhs["severity"], "error");
    let evidence = nhs["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 2, "one evidence item per file: {nhs}");
    for item in evidence {
        let excerpt = item["excerpt"].as_str().unwrap();
        assert!(excerpt.contains("*** ****"), "masked: {excerpt}");
    }
    assert_eq!(outcome(repo, "data/quasi-identifiers"), "fail");
    for line in first.lines().skip(1).chain(second.lines().skip(1)) {
        let number = line.split(',').next().unwrap();
        assert_eq!(number.len(), 10);
        if let Some(at) = stdout.find(number) {
            let context = &stdout[at.saturating_sub(200)..(at + 10).min(stdout.len())];
            panic!(
                "an NHS number leaked in full: …{}",
                context.replace(number, "<LEAK>")
            );
        }
    }
}

#[test]
fn dummy_data_in_the_999_range_is_credited_not_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(3);
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("data/patients.csv", patient_csv(&mut rng, 25, true)),
            (
                "pipeline.py",
                "import pandas as pd\n\ndf = pd.read_csv('data/patients.csv')\n".to_string(),
            ),
        ],
    );
    let report = audit(dir.path(), &[]);
    let repo = &report["repos"][0];
    assert_eq!(outcome(repo, "data/nhs-number"), "pass");
    assert_eq!(outcome(repo, "data/quasi-identifiers"), "pass");
    let dummy = finding(repo, "data/dummy-available");
    assert_eq!(dummy["outcome"], "pass", "{dummy}");
    assert!(dummy["message"].as_str().unwrap().contains("999"));
}

#[test]
fn dummy_data_rule_does_not_apply_when_no_code_needs_data() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            (
                "src/lib.py",
                "def add(a, b):\n    return a + b\n".to_string(),
            ),
        ],
    );
    let report = audit(dir.path(), &[]);
    assert_eq!(
        outcome(&report["repos"][0], "data/dummy-available"),
        "not-applicable"
    );
}

/// A report template or settings kept as a workbook or JSON is not input the code needs dummy
/// data for (PIFU_MI's `report_template.xlsx`, a Foundry repository's `templateConfig.json`);
/// a committed data file is.
#[test]
fn templates_and_settings_in_data_formats_do_not_say_the_code_needs_data() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            (
                "src/lib.py",
                "def add(a, b):\n    return a + b\n".to_string(),
            ),
            (
                "templateConfig.json",
                "{\"parameters\": {\"year\": 2024}}\n".to_string(),
            ),
            ("output/report_template.csv", "site,count\n".to_string()),
        ],
    );
    let report = audit(dir.path(), &[]);
    let dummy = finding(&report["repos"][0], "data/dummy-available");
    assert_eq!(dummy["outcome"], "not-applicable", "{dummy}");
    write(
        dir.path(),
        &[("data/referrals.csv", "site,count\nA,10\n".to_string())],
    );
    let report = audit(dir.path(), &[]);
    let dummy = finding(&report["repos"][0], "data/dummy-available");
    assert_eq!(dummy["outcome"], "fail", "{dummy}");
    assert!(
        dummy["message"]
            .as_str()
            .is_some_and(|m| m.contains("data files are committed (data/referrals.csv)")),
        "{dummy}"
    );
}

/// An R package's test compares with a stored expected value (`tests/testthat/*.rds`): neither
/// the file nor the test that reads it says the package needs data to run (NHSRtheme).
#[test]
fn test_fixtures_do_not_say_the_code_needs_data() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            (
                "R/colours.R",
                "nhs_blue <- function() {\n  \"#005EB8\"\n}\n".to_string(),
            ),
            (
                "tests/testthat/test-colours.R",
                "test_that(\"blue\", {\n  expect_equal(nhs_blue(), readRDS(\"expected.rds\"))\n})\n"
                    .to_string(),
            ),
            ("tests/testthat/expected.csv", "colour\n#005EB8\n".to_string()),
        ],
    );
    let report = audit(dir.path(), &[]);
    let dummy = finding(&report["repos"][0], "data/dummy-available");
    assert_eq!(dummy["outcome"], "not-applicable", "{dummy}");
    // A vignette's prose that reads like a query is not one; its chunk's query is.
    let vignette = "---\ntitle: Slides\n---\n\nSelect \"From template\" on the left side of the menu.\n\n```{r}\nlibrary(nhsrtheme)\n```\n";
    write(
        dir.path(),
        &[("vignettes/slides.Rmd", vignette.to_string())],
    );
    let report = audit(dir.path(), &[]);
    let dummy = finding(&report["repos"][0], "data/dummy-available");
    assert_eq!(dummy["outcome"], "not-applicable", "{dummy}");
    let querying = vignette.replace(
        "library(nhsrtheme)",
        "DBI::dbGetQuery(con, \"select colour from palette\")",
    );
    write(dir.path(), &[("vignettes/slides.Rmd", querying)]);
    let report = audit(dir.path(), &[]);
    let dummy = finding(&report["repos"][0], "data/dummy-available");
    assert_eq!(dummy["outcome"], "fail", "{dummy}");
    std::fs::remove_file(dir.path().join("vignettes/slides.Rmd")).unwrap();
    // The same reading in the package's own code does need data.
    write(
        dir.path(),
        &[(
            "R/load.R",
            "load_colours <- function(path) readRDS(path)\n".to_string(),
        )],
    );
    let report = audit(dir.path(), &[]);
    let dummy = finding(&report["repos"][0], "data/dummy-available");
    assert_eq!(dummy["outcome"], "fail", "{dummy}");
}

#[test]
fn a_patient_file_deleted_two_commits_ago_is_found_with_history() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    let mut rng = Rng(4);
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("data/patients.csv", patient_csv(&mut rng, 20, false)),
        ],
    );
    let added = commit_all(&repo, "Add extract");
    std::fs::remove_file(dir.path().join("data/patients.csv")).unwrap();
    commit_all(&repo, "Remove extract");
    write(dir.path(), &[("NOTES.md", "Nothing to see.\n".to_string())]);
    commit_all(&repo, "Notes");

    let without = audit(dir.path(), &[]);
    assert_eq!(outcome(&without["repos"][0], "data/nhs-number"), "pass");

    let with = audit(dir.path(), &["--history"]);
    let repo = &with["repos"][0];
    let nhs = finding(repo, "data/nhs-number");
    assert_eq!(nhs["outcome"], "fail", "{nhs}");
    let evidence = &nhs["evidence"][0];
    assert_eq!(evidence["path"], "data/patients.csv");
    assert_eq!(evidence["commit"], added.to_string());
    assert!(
        evidence["excerpt"]
            .as_str()
            .unwrap()
            .contains("still published in history"),
        "{evidence}"
    );
    assert!(repo["facts"]["data"]["history"]["blobs_scanned"].as_u64() >= Some(1));
}

#[test]
fn history_on_a_plain_directory_warns_and_scans_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("README.md", README.to_string())]);
    let output = openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--history", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--history needs a git repository"),
        "{stderr}"
    );
}

#[test]
fn allowed_findings_with_a_reason_show_as_waived() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(5);
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("tests/fixtures/patients.csv", patient_csv(&mut rng, 10, false)),
            (
                ".openly.toml",
                "[[allow]]\nrule = \"data/nhs-number\"\npath = \"tests/fixtures/*.csv\"\nreason = \"Invented test rows, reviewed by the IG lead\"\n".to_string(),
            ),
        ],
    );
    let output = openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--format", "json", "--fail-on", "error"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let repo = &report["repos"][0];
    let nhs = finding(repo, "data/nhs-number");
    assert_eq!(nhs["outcome"], "waived");
    assert_eq!(nhs["waiver"], "Invented test rows, reviewed by the IG lead");
    // The quasi-identifier finding on the same file was not allowed, so it still fails.
    assert_eq!(outcome(repo, "data/quasi-identifiers"), "fail");

    // By fingerprint, and with no reason: a configuration error, nothing audited.
    let fingerprint = finding(repo, "data/quasi-identifiers")["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        dir.path().join(".openly.toml"),
        format!("[[allow]]\nfingerprint = \"{fingerprint}\"\nreason = \"Reviewed\"\n"),
    )
    .unwrap();
    let report = audit_with_config(dir.path());
    assert_eq!(
        outcome(&report["repos"][0], "data/quasi-identifiers"),
        "waived"
    );
    std::fs::write(
        dir.path().join(".openly.toml"),
        "[[allow]]\nrule = \"data/nhs-number\"\n",
    )
    .unwrap();
    let output = openly().arg("audit").arg(dir.path()).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(78),
        "an allow entry needs a reason"
    );
}

fn audit_with_config(path: &Path) -> Value {
    let output = openly()
        .arg("audit")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

// ─────────────────────────── masking ───────────────────────────

/// Every output format the binary supports, from the CLI's own enum, so formats added later
/// are covered without touching this test.
fn formats() -> Vec<String> {
    openly::report::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect()
}

/// Every string the output holds, unescaped: JSON and SARIF parsed, the page's embedded report
/// parsed, CSV cells read by a CSV reader. Other formats are plain text already.
fn decoded_text(format: &str, output: &str) -> String {
    fn strings(value: &Value, out: &mut String) {
        match value {
            Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.push_str(k);
                out.push('\n');
                strings(v, out);
            }),
            _ => {}
        }
    }
    let mut out = String::new();
    match format {
        "json" | "sarif" => {
            let value: Value = serde_json::from_str(output).expect("valid JSON");
            strings(&value, &mut out);
        }
        "html" => {
            let start = output
                .find("id=\"openly-report\">")
                .expect("embedded report");
            let json = &output[start..];
            let json = &json[json.find('>').unwrap() + 1..];
            let json = &json[..json.find("</script>").expect("end of the report")];
            let value: Value = serde_json::from_str(json).expect("the embedded report parses");
            assert!(value["repos"].is_array(), "the page embeds the report");
            strings(&value, &mut out);
        }
        "csv" | "csv-repos" => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(output.as_bytes());
            for record in reader.records() {
                for cell in record.expect("valid CSV").iter() {
                    out.push_str(cell);
                    out.push('\n');
                }
            }
        }
        _ => out.push_str(output),
    }
    out
}

#[test]
fn no_detected_value_is_printed_in_full_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    let mut rng = Rng(6);
    let numbers: Vec<String> = (0..15).map(|_| nhs_number(&mut rng)).collect();
    let token = github_token(&mut rng);
    let secret = password(&mut rng);
    let mut csv = String::from("nhs_number,surname\n");
    for number in &numbers {
        csv.push_str(&format!("{number},{}\n", rng.pick(SURNAMES)));
    }
    let prose: String = numbers[..4]
        .iter()
        .map(|n| format!("Patient {} {} was seen twice.\n", &n[..3], &n[3..]))
        .collect();
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("data/extract.csv", csv),
            ("notes/patients.md", prose),
            (
                "config.yaml",
                format!("db:\n  user: analyst\n  password: {secret}\n"),
            ),
            (
                "deploy.py",
                format!("GITHUB_TOKEN = \"{token}\"\nprint('deploying')\n"),
            ),
        ],
    );
    commit_all(&repo, "Everything");
    // History too: a deleted file's values must be masked just the same.
    std::fs::remove_file(dir.path().join("deploy.py")).unwrap();
    commit_all(&repo, "Remove deploy script");

    let mut planted: Vec<String> = numbers.clone();
    planted.extend(
        numbers
            .iter()
            .map(|n| format!("{} {} {}", &n[..3], &n[3..6], &n[6..])),
    );
    planted.extend(numbers.iter().map(|n| format!("{} {}", &n[..3], &n[3..])));
    planted.push(token.clone());
    planted.push(token[4..].to_string());
    planted.push(secret.clone());

    let formats = formats();
    for needed in [
        "text",
        "json",
        "markdown",
        "github",
        "html",
        "sarif",
        "csv",
        "csv-repos",
    ] {
        assert!(formats.iter().any(|f| f == needed), "{needed} not covered");
    }
    for format in &formats {
        let output = openly()
            .arg("audit")
            .arg(dir.path())
            .args(["--history", "--format", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stdout.is_empty(), "{format}: empty output; {stderr}");
        // An escape (JSON's \uXXXX, the page's \u003c, CSV's doubled quotes) could split a value
        // so that a plain search misses it: search the decoded text as well.
        let decoded = decoded_text(format, &stdout);
        for value in &planted {
            assert!(
                !stdout.contains(value.as_str())
                    && !stderr.contains(value.as_str())
                    && !decoded.contains(value.as_str()),
                "{format}: a planted value was printed in full"
            );
        }
    }
    // Comparisons repeat the new findings' locations: an earlier report in which every rule
    // passed, compared with this one in each format, and as the dashboard's trends.
    let now = tempfile::NamedTempFile::new().unwrap();
    let before = tempfile::NamedTempFile::new().unwrap();
    let mut report = audit(dir.path(), &["--history"]);
    std::fs::write(now.path(), serde_json::to_vec(&report).unwrap()).unwrap();
    for repo in report["repos"].as_array_mut().unwrap() {
        for finding in repo["findings"].as_array_mut().unwrap() {
            finding["outcome"] = "pass".into();
        }
    }
    std::fs::write(before.path(), serde_json::to_vec(&report).unwrap()).unwrap();
    let mut runs: Vec<(String, std::process::Output)> = ["text", "json", "markdown"]
        .iter()
        .map(|format| {
            let output = openly()
                .arg("compare")
                .arg(before.path())
                .arg(now.path())
                .args(["--format", format])
                .output()
                .unwrap();
            (format!("compare {format}"), output)
        })
        .collect();
    let trends = openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--history", "--format", "html", "--compare"])
        .arg(before.path())
        .output()
        .unwrap();
    runs.push(("html --compare".to_string(), trends));
    for (what, output) in &runs {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{what}: {output:?}");
        assert!(
            stdout.contains("data/nhs-number"),
            "{what}: nothing new shown"
        );
        let decoded = match what.as_str() {
            "compare json" => decoded_text("json", &stdout),
            "html --compare" => decoded_text("html", &stdout),
            _ => stdout.to_string(),
        };
        for value in &planted {
            assert!(
                !stdout.contains(value.as_str()) && !decoded.contains(value.as_str()),
                "{what}: a planted value was printed in full"
            );
        }
    }

    // And the values were found, so the test proves masking rather than blindness.
    let report = audit(dir.path(), &["--history"]);
    let repo = &report["repos"][0];
    assert_eq!(outcome(repo, "data/nhs-number"), "fail");
    assert_eq!(outcome(repo, "secrets/token"), "fail");
    assert_eq!(outcome(repo, "secrets/password"), "fail");
}

// ─────────────────────────── fixtures ───────────────────────────

#[test]
fn fixture_verdicts_on_patient_extract_env_and_exemplary_pipeline() {
    let root = common::root().join("fixtures/org");
    let report = audit(&root.join("patient-extract-env"), &[]);
    let repo = &report["repos"][0];
    assert_eq!(outcome(repo, "secrets/env-file"), "fail");
    assert_eq!(
        finding(repo, "secrets/env-file")["evidence"][0]["path"],
        ".env"
    );
    assert_eq!(
        outcome(repo, "data/nhs-number"),
        "pass",
        "999-range numbers"
    );
    assert_eq!(outcome(repo, "data/quasi-identifiers"), "pass");
    assert_eq!(outcome(repo, "data/dummy-available"), "pass");

    let report = audit(&root.join("exemplary-pipeline"), &[]);
    let repo = &report["repos"][0];
    for finding in repo["findings"].as_array().unwrap() {
        let category = finding["category"].as_str().unwrap();
        if category == "data" || category == "secrets" {
            assert_eq!(finding["outcome"], "pass", "{finding}");
        }
    }
}

// ─────────────────────────── precision and recall ───────────────────────────

struct Expected {
    name: String,
    personal: bool,
    secret: bool,
    dummy: bool,
    history_only: Option<String>,
}

/// A seeded set of fake repositories: patient extracts (in the tree or only in history),
/// decoy id columns, aggregate tables, synthetic data, secrets and secret-like decoys.
fn generate(root: &Path, count: usize, seed: u64) -> Vec<Expected> {
    let mut rng = Rng(seed);
    let mut expected = Vec::new();
    for index in 0..count {
        let name = format!("repo{index:03}");
        let dir = root.join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let git = Repository::init(&dir).unwrap();
        let mut files: Vec<(String, String)> = vec![
            ("README.md".into(), README.into()),
            (
                "analysis.py".into(),
                "import os\nimport pandas as pd\n\nPASSWORD = os.environ['DB_PASSWORD']\ndf = pd.read_csv('data/input.csv')\n".into(),
            ),
        ];
        let mut personal = false;
        let mut secret = false;
        let mut dummy = false;
        // Decoys and aggregates in most repositories.
        if rng.chance(70) {
            files.push(("data/aggregates.csv".into(), aggregate_csv(&mut rng)));
        }
        if rng.chance(50) {
            files.push(("data/ids.csv".into(), decoy_csv(&mut rng)));
        }
        if rng.chance(40) {
            files.push((
                "config.yaml".into(),
                "db:\n  user: analyst\n  password: ${DB_PASSWORD}\n".into(),
            ));
        }
        if rng.chance(30) {
            files.push((".env.example".into(), "DB_PASSWORD=\nDB_USER=\n".into()));
        }
        // Positives.
        if rng.chance(30) {
            files.push(("data/extract.csv".into(), patient_csv(&mut rng, 15, false)));
            personal = true;
        }
        if rng.chance(30) {
            dummy = true;
            match rng.below(3) {
                0 => files.push((
                    "data/dummy/patients.csv".into(),
                    patient_csv(&mut rng, 15, true),
                )),
                1 => files.push((
                    "data/synthetic_patients.csv".into(),
                    patient_csv(&mut rng, 15, true),
                )),
                _ => files.push((
                    "scripts/make_dummy.py".into(),
                    "from faker import Faker\n\nfake = Faker('en_GB')\n".into(),
                )),
            }
        }
        if rng.chance(25) {
            secret = true;
            match rng.below(3) {
                0 => files.push((
                    "deploy.py".into(),
                    format!("TOKEN = \"{}\"\n", github_token(&mut rng)),
                )),
                1 => files.push((
                    "settings.yaml".into(),
                    format!("database:\n  password: {}\n", password(&mut rng)),
                )),
                _ => files.push((
                    "db.py".into(),
                    format!(
                        "CONN = \"Driver={{ODBC Driver 17 for SQL Server}};Server=tcp:sql01.example.org;Database=ae;Uid=analyst;Pwd={};\"\n",
                        password(&mut rng)
                    ),
                )),
            }
        }
        for (path, text) in &files {
            write(&dir, &[(path.as_str(), text.clone())]);
        }
        commit_all(&git, "Initial");
        let mut history_only = None;
        if rng.chance(25) {
            let path = "old/patients_2019.csv".to_string();
            write(&dir, &[(path.as_str(), patient_csv(&mut rng, 15, false))]);
            commit_all(&git, "Add old extract");
            std::fs::remove_file(dir.join(&path)).unwrap();
            commit_all(&git, "Remove old extract");
            personal = true;
            history_only = Some(path);
        }
        expected.push(Expected {
            name,
            personal,
            secret,
            dummy,
            history_only,
        });
    }
    expected
}

#[derive(Default, Debug)]
struct Confusion {
    tp: usize,
    fp: usize,
    missed: usize,
}

impl Confusion {
    fn add(&mut self, expected: bool, predicted: bool) {
        match (expected, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.missed += 1,
            (false, false) => {}
        }
    }

    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.missed).max(1) as f64
    }
}

#[test]
fn precision_and_recall_over_generated_repositories() {
    let dir = tempfile::tempdir().unwrap();
    let expected = generate(dir.path(), 60, 2024);
    let report = audit(dir.path(), &["--history"]);
    let repos = report["repos"].as_array().unwrap();
    assert_eq!(repos.len(), expected.len());
    let (mut personal, mut secrets) = (Confusion::default(), Confusion::default());
    let (mut dummy_right, mut errors) = (0usize, Vec::new());
    for want in &expected {
        let repo = repos
            .iter()
            .find(|r| r["name"] == want.name.as_str())
            .unwrap();
        let got_personal = personal_alarm(repo);
        let got_secret = secret_alarm(repo);
        personal.add(want.personal, got_personal);
        secrets.add(want.secret, got_secret);
        if want.personal != got_personal || want.secret != got_secret {
            errors.push(format!(
                "{}: personal {}/{got_personal}, secret {}/{got_secret}",
                want.name, want.personal, want.secret
            ));
        }
        let dummy = outcome(repo, "data/dummy-available") == "pass";
        if dummy == want.dummy {
            dummy_right += 1;
        } else {
            errors.push(format!("{}: dummy {}/{dummy}", want.name, want.dummy));
        }
        if let Some(path) = &want.history_only {
            let found = finding(repo, "data/nhs-number")["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["path"] == path.as_str() && e["commit"].is_string());
            assert!(found, "{}: history-only {path} not found", want.name);
        }
    }
    let report_line = format!(
        "personal {personal:?} p={:.3} r={:.3}; secrets {secrets:?} p={:.3} r={:.3}; dummy {dummy_right}/{}; {errors:#?}",
        personal.precision(),
        personal.recall(),
        secrets.precision(),
        secrets.recall(),
        expected.len()
    );
    #[allow(clippy::disallowed_macros)] // the figures are worth seeing in a passing run too
    {
        eprintln!("{report_line}");
    }
    assert!(personal.tp > 0 && secrets.tp > 0, "{report_line}");
    assert_eq!(personal.recall(), 1.0, "{report_line}");
    assert_eq!(secrets.recall(), 1.0, "{report_line}");
    assert!(personal.precision() >= 0.95, "{report_line}");
    assert!(secrets.precision() >= 0.95, "{report_line}");
    assert!(
        dummy_right as f64 >= 0.9 * expected.len() as f64,
        "{report_line}"
    );
    assert!(
        expected.iter().any(|e| e.history_only.is_some()),
        "the seed must produce history-only files"
    );
}

// ─────────────────────────── content checks, round two ───────────────────────────

/// Nested JSON Lines patients, a knitted practice report with small counts, a free-text
/// column and a book list, through the real binary: each lands on its own rule, and only the
/// book list stays quiet.
#[test]
fn nested_records_rendered_reports_and_free_text_reach_their_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(12);
    let jsonl: String = (0..8)
        .map(|k| {
            format!(
                "{{\"episode\": {k}, \"patient\": {{\"nhs_number\": \"{}\", \"address\": {{\"postcode\": \"{}\"}}}}}}\n",
                nhs_number(&mut rng),
                postcode(&mut rng)
            )
        })
        .collect();
    let report_rmd = "---\ntitle: Activity\n---\n\n| GP practice | Admissions |\n|---|---:|\n| Y00001 | 412 |\n| Y00002 | 5 |\n| Y00003 | 230 |\n";
    let notes = "referral,practice_code,clinician_notes\n1,Y00001,\"reviewed in clinic and referred on for tests\"\n2,Y00002,\"telephone follow up booked after the results came back\"\n3,Y00003,\"no further action needed, discharged back to the practice\"\n4,Y00001,\"letter to the practice about the change of dose\"\n5,Y00002,\"did not attend, second appointment offered\"\n";
    // ISBN-10s share the check digit: 0-201-63361-2 and 0-14-044913-9 are published examples.
    let books = "isbn,title\n0201633612,Design\n0140449132,Odyssey\n0201633612,Design (reprint)\n";
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("exports/episodes.jsonl", jsonl.clone()),
            ("reports/activity.Rmd", report_rmd.to_string()),
            ("data/referrals.csv", notes.to_string()),
            ("library/books.csv", books.to_string()),
        ],
    );
    let report = audit(dir.path(), &[]);
    let repo = &report["repos"][0];

    let nhs = finding(repo, "data/nhs-number");
    assert_eq!(nhs["outcome"], "fail", "{nhs}");
    let paths: Vec<&str> = nhs["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["exports/episodes.jsonl"], "{nhs}");
    let excerpt = nhs["evidence"][0]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("patient.nhs_number"), "{excerpt}");

    let small = finding(repo, "data/small-numbers");
    assert_eq!(small["outcome"], "fail", "{small}");
    assert_eq!(small["evidence"][0]["path"], "reports/activity.Rmd");

    let free = finding(repo, "data/free-text");
    assert_eq!(free["outcome"], "needs-review", "{free}");
    assert_eq!(free["severity"], "info");
    assert_eq!(free["evidence"][0]["path"], "data/referrals.csv");
    let files = repo["facts"]["data"]["files"].as_array().unwrap();
    let referrals = files
        .iter()
        .find(|f| f["path"] == "data/referrals.csv")
        .unwrap();
    assert_eq!(
        referrals["free_text_columns"][0]["column"],
        "clinician_notes"
    );
    assert_eq!(referrals["free_text_columns"][0]["reason"], "header");
    let inventory = finding(repo, "data/inventory");
    assert!(
        inventory
            .to_string()
            .contains("free text in `clinician_notes`"),
        "{inventory}"
    );

    // Nothing identifying is printed in full.
    let text = report.to_string();
    for line in jsonl.lines() {
        let at = line.find("nhs_number\": \"").unwrap() + 14;
        assert!(!text.contains(&line[at..at + 10]), "leaked");
    }
}

#[test]
fn free_text_passes_when_there_is_none_and_is_never_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(13);
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("data/ae.csv", aggregate_csv(&mut rng)),
        ],
    );
    let report = audit(dir.path(), &[]);
    let free = finding(&report["repos"][0], "data/free-text");
    assert_eq!(free["outcome"], "pass", "{free}");
    assert_eq!(free["severity"], "info");
}

/// Round 5: what counts as dummy or open data the code can run with. A promise of synthetic
/// data is not synthetic data; an open-data link counts where code reads it, settings list it
/// or the README names it, not in a comment, an app's help text or an issue form; an R
/// package's own datasets are shipped with it; and a repository whose code needs no data has
/// no dummy data to ship, whatever its prose says.
#[test]
fn dummy_data_evidence_is_data_the_code_can_run_with() {
    let loads = (
        "src/load.py",
        "import pandas as pd\n\ndef load():\n    return pd.read_csv('data/in.csv')\n".to_string(),
    );
    let url = "https://www.opendata.nhs.scot/dataset/x/resource/y.csv";
    let case = |files: Vec<(&str, String)>| {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &files);
        let report = audit(dir.path(), &[]);
        outcome(&report["repos"][0], "data/dummy-available")
    };
    let promised = "# Model\n\nRuns on national data.\n\n[We are working on providing synthetic data](https://example.org/issues/1).\n";
    assert_eq!(
        case(vec![("README.md", promised.to_string()), loads.clone()]),
        "fail"
    );
    let shipped = "# Model\n\nThis repository ships synthetic data for the demo.\n";
    assert_eq!(
        case(vec![("README.md", shipped.to_string()), loads.clone()]),
        "pass"
    );

    let comment = format!("# method: {url}\nimport pandas as pd\nx = pd.read_csv('data/in.csv')\n");
    assert_eq!(
        case(vec![
            ("README.md", README.to_string()),
            ("src/load.py", comment)
        ]),
        "fail"
    );
    let read = format!("import pandas as pd\nx = pd.read_csv(\"{url}\")\n");
    assert_eq!(
        case(vec![
            ("README.md", README.to_string()),
            ("src/load.py", read)
        ]),
        "pass"
    );
    let help = format!("The list comes from [the source]({url}).\n");
    assert_eq!(
        case(vec![
            ("README.md", README.to_string()),
            loads.clone(),
            ("inst/app/help.md", help)
        ]),
        "fail"
    );

    let docs_site = vec![
        ("README.md", shipped.to_string()),
        (
            "guides/index.md",
            "# Guides\n\nHow we publish.\n".to_string(),
        ),
    ];
    assert_eq!(case(docs_site), "not-applicable");

    let r_package = vec![
        ("README.md", README.to_string()),
        (
            "DESCRIPTION",
            "Package: lookups\nVersion: 0.1.0\n".to_string(),
        ),
        (
            "R/lookup.R",
            "area_name <- function(code) area_lookup$name[area_lookup$code == code]\n".to_string(),
        ),
        ("data/area_lookup.rda", "RDX3\n".to_string()),
    ];
    assert_eq!(case(r_package), "not-applicable");
}

// ─────────────────────────── shapes the blind corpus found missed ───────────────────────────

/// The evidence paths of a finding.
fn evidence_paths(finding: &Value) -> Vec<String> {
    finding["evidence"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["path"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An outside tester's invented corpus found four shapes of real extracts that passed: a title
/// above the header (CSV and workbook), identifiers written as floats by pandas or Excel, and a
/// cache keyed by NHS number. Each now fails `data/nhs-number` on its own, and a 0/1 flag by
/// practice is no longer listed as small counts.
#[test]
fn preambles_floats_and_maps_keyed_by_nhs_number_fail_the_rule() {
    let mut rng = Rng(2026);
    let mut preamble_csv =
        String::from("Patient extract - Trust PAS - run 2024-02-01\n\nNHS Number,Surname,Ward\n");
    let mut floats = String::from(",nhs_number,age\n");
    let mut sci = String::from("id,age\n");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "PAS extract for the audit")
        .unwrap();
    sheet.write_string(2, 0, "NHS Number").unwrap();
    sheet.write_string(2, 1, "Ward").unwrap();
    let mut keyed = Vec::new();
    for i in 0..20u32 {
        let n = nhs_number(&mut rng);
        preamble_csv.push_str(&format!("{n},{},Ward {}\n", rng.pick(SURNAMES), i % 4));
        floats.push_str(&format!("{i},{n}.0,{}\n", 30 + i));
        sci.push_str(&format!("{}.{}E+09,{}\n", &n[..1], &n[1..], 30 + i));
        sheet
            .write_number(3 + i, 0, n.parse::<f64>().unwrap())
            .unwrap();
        sheet
            .write_string(3 + i, 1, format!("Ward {}", i % 4))
            .unwrap();
        if i < 12 {
            keyed.push(format!("\"{n}\": {{\"ward\": \"Ward {}\"}}", i % 4));
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    let cases: [(&str, Vec<u8>); 5] = [
        ("data/monthly_extract.csv", preamble_csv.into_bytes()),
        ("output/cohort_out.csv", floats.into_bytes()),
        ("output/cohort_sci.csv", sci.into_bytes()),
        ("data/pas_extract.xlsx", xlsx),
        (
            "cache/by_nhs.json",
            format!("{{{}}}", keyed.join(", ")).into_bytes(),
        ),
    ];
    for (path, bytes) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[("README.md", README.to_string())]);
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, bytes).unwrap();
        let report = audit(dir.path(), &[]);
        let nhs = finding(&report["repos"][0], "data/nhs-number");
        assert_eq!(nhs["outcome"], "fail", "{path}: {nhs}");
        assert_eq!(evidence_paths(nhs), [path], "{path}: {nhs}");
    }

    let dir = tempfile::tempdir().unwrap();
    let practices = "gp_practice_code,gp_practice_name,open\nY00001,The Elms,1\nY00002,Riverside,0\nY00003,Hillview,1\nY00004,Parkside,1\n";
    write(
        dir.path(),
        &[
            ("README.md", README.to_string()),
            ("data/practices.csv", practices.to_string()),
        ],
    );
    let report = audit(dir.path(), &[]);
    let small = finding(&report["repos"][0], "data/small-numbers");
    assert_eq!(small["outcome"], "pass", "{small}");
    assert!(evidence_paths(small).is_empty(), "{small}");
}

/// Round 5: an analyst pinned down an outlier by writing its NHS number into an EDA script
/// (`filter(NHS_NO == …)`, commented out). One number is weak evidence in running text, but as
/// the value of an NHS number field in code it is a patient's identifier. The same line in a
/// README (a worked example) or in a test (fixtures) stays a weak signal.
#[test]
fn an_nhs_number_written_as_a_fields_value_in_code_is_an_alarm() {
    let mut rng = Rng(41);
    let number = nhs_number(&mut rng);
    let line = format!("#df |> filter(NHS_NO=={number})\n");
    let script = format!(
        "library(dplyr)\n\noutliers <- items |>\n  group_by(NHS_NO) |>\n  summarise(n = n())\n{line}"
    );
    let case = |path: &str, text: String| {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[("README.md", README.to_string()), (path, text)],
        );
        let report = audit(dir.path(), &[]);
        let found = finding(&report["repos"][0], "data/nhs-number").clone();
        let shown = found.to_string();
        assert!(!shown.contains(&number), "the number is masked: {shown}");
        found
    };
    let eda = case("EDA/patient outliers.R", script.clone());
    assert_eq!(eda["outcome"], "fail", "{eda}");
    assert_eq!(eda["evidence"][0]["line"], 6, "{eda}");

    let worked = case(
        "docs/filtering.md",
        format!("Filter a patient:\n\n    {line}"),
    );
    assert_eq!(worked["outcome"], "pass", "{worked}");
    let test = case("tests/testthat/test-outliers.R", script);
    assert_eq!(test["outcome"], "pass", "{test}");
    let unnamed = case(
        "EDA/ids.R",
        format!("library(dplyr)\norder_ref <- {number}\n"),
    );
    assert_eq!(unnamed["outcome"], "pass", "{unnamed}");
}
