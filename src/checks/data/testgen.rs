//! Seeded generator of invented files for precision/recall, masking and speed
//! tests. Every identifier is made up from the seed (valid check digits, never
//! the 999 test range unless a file is meant to be synthetic); nothing is
//! copied from real data. A tiny splitmix64 keeps the tests dependency-free
//! and reproducible.
//!
//! The check digits here are this file's own ([`check_digit`]), computed a
//! different way from the engine's `mod11_ok`: a test oracle that reused the
//! engine would let a check-digit bug pass on both sides.

pub(super) struct Rng(u64);

/// Joins pieces of text with each piece's ASCII letters upper-cased where the bits of its number
/// say so (bit `i % 64` for the piece's byte `i`): property tests of case-insensitive searches
/// need near misses in every case, which random bytes almost never give.
pub(super) fn in_mixed_case(pieces: Vec<(Vec<u8>, u64)>) -> Vec<u8> {
    pieces
        .into_iter()
        .flat_map(|(bytes, case)| {
            bytes.into_iter().enumerate().map(move |(i, b)| {
                if case >> (i % 64) & 1 == 1 {
                    b.to_ascii_uppercase()
                } else {
                    b
                }
            })
        })
        .collect()
}

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(super) fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    pub(super) fn upper(&mut self) -> char {
        char::from(b'A' + self.below(26) as u8)
    }
}

/// Weights of the nine leading digits; the check digit itself weighs 1.
const WEIGHTS: [u32; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];

/// The Modulus 11 check digit, found by search: the one digit that makes the
/// weighted sum of all ten digits a multiple of 11. `None` when no digit
/// does (the scheme's check value 10), which NHS, CHI and H&C numbers never use.
pub(super) fn check_digit(nine: &[u8]) -> Option<u8> {
    let partial: u32 = nine
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    (0u8..=9).find(|c| (partial + u32::from(*c)).is_multiple_of(11))
}

/// Whether ten ASCII digits carry a correct check digit, by this file's own
/// arithmetic.
pub(super) fn passes_check(ten: &str) -> bool {
    let b = ten.as_bytes();
    b.len() == 10 && check_digit(&b[..9]) == Some(b[9] - b'0')
}

/// A valid NHS-number-shaped value in the issued ranges (4xx, 6xx, 7xx).
pub(super) fn valid_nhs(rng: &mut Rng) -> String {
    loop {
        let first = *rng.pick(&['4', '6', '7']);
        let nine = format!("{first}{}", rng.digits(8));
        if let Some(c) = check_digit(nine.as_bytes()) {
            return format!("{nine}{c}");
        }
    }
}

/// A valid number in the 999 test range.
pub(super) fn synthetic_nhs(rng: &mut Rng) -> String {
    loop {
        let nine = format!("999{}", rng.digits(6));
        if let Some(c) = check_digit(nine.as_bytes()) {
            return format!("{nine}{c}");
        }
    }
}

/// Uniform random 10-digit id (about 9% pass the check digit by chance).
pub(super) fn random_id(rng: &mut Rng) -> String {
    format!("{}{}", rng.range(1, 9), rng.digits(9))
}

/// A 10-digit value that fails the check digit.
pub(super) fn invalid_ten(rng: &mut Rng) -> String {
    loop {
        let s = random_id(rng);
        if !passes_check(&s) {
            return s;
        }
    }
}

pub(super) fn valid_chi(rng: &mut Rng) -> String {
    loop {
        let nine = format!(
            "{:02}{:02}{:02}{}",
            rng.range(1, 28),
            rng.range(1, 12),
            rng.below(100),
            rng.digits(3)
        );
        if let Some(c) = check_digit(nine.as_bytes()) {
            return format!("{nine}{c}");
        }
    }
}

/// Nine leading digits from `prefix` plus random digits, completed with a
/// check digit; tries again when none exists.
pub(super) fn with_check(rng: &mut Rng, prefix: &str) -> String {
    loop {
        let nine = format!("{prefix}{}", rng.digits(9 - prefix.len()));
        if let Some(c) = check_digit(nine.as_bytes()) {
            return format!("{nine}{c}");
        }
    }
}

pub(super) fn spaced(n: &str) -> String {
    format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
}

const AREAS: &[&str] = &[
    "LS", "M", "B", "SW", "NE", "BS", "CF", "EH", "G", "L", "S", "YO",
];

pub(super) fn postcode(rng: &mut Rng) -> String {
    let area = *rng.pick(AREAS);
    format!(
        "{area}{} {}{}{}",
        rng.range(1, 29),
        rng.below(10),
        rng.pick(&['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'L', 'N', 'P']),
        rng.pick(&['Q', 'R', 'S', 'T', 'U', 'W', 'X', 'Y', 'Z'])
    )
}

pub(super) fn pseudo_postcode(rng: &mut Rng) -> String {
    format!("ZZ99 {}{}{}", rng.below(10), rng.upper(), rng.upper())
}

const FORENAMES: &[&str] = &[
    "Alys", "Bryn", "Ceri", "Dilys", "Eira", "Ffion", "Gethin", "Hefin", "Iolo", "Lowri", "Mared",
    "Nia", "Osian", "Rhodri", "Sioned", "Tegan",
];
const SURNAMES: &[&str] = &[
    "Abernethy",
    "Blackwood",
    "Cairncross",
    "Drummondson",
    "Eglinton",
    "Fairbairn",
    "Gilchrist",
    "Haldane",
    "Inglis",
    "Kinloch",
    "Lennox",
    "Moncrieff",
];

pub(super) fn forename(rng: &mut Rng) -> String {
    (*rng.pick(FORENAMES)).to_string()
}

pub(super) fn surname(rng: &mut Rng) -> String {
    (*rng.pick(SURNAMES)).to_string()
}

pub(super) fn dob(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(1930, 2020),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

pub(super) fn phone(rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        format!("07700 9{}", rng.digits(5))
    } else {
        format!("0161 496 {}", rng.digits(4))
    }
}

pub(super) fn ni_number(rng: &mut Rng) -> String {
    let a = *rng.pick(&[
        'A', 'B', 'C', 'E', 'H', 'J', 'L', 'M', 'P', 'R', 'S', 'W', 'Y',
    ]);
    let b = *rng.pick(&['A', 'B', 'C', 'E', 'H', 'J', 'L', 'M', 'P', 'R', 'S', 'W']);
    format!("{a}{b}{}{}", rng.digits(6), rng.pick(&['A', 'B', 'C', 'D']))
}

pub(super) fn password(rng: &mut Rng) -> String {
    const A: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%";
    let n = rng.range(10, 20) as usize;
    let mut p = String::from(char::from(*rng.pick(&A[..49])));
    p.extend((1..n).map(|_| char::from(*rng.pick(A))));
    p
}

fn alnum(rng: &mut Rng, n: usize) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    (0..n).map(|_| char::from(*rng.pick(A))).collect()
}

fn upper_alnum(rng: &mut Rng, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..n).map(|_| char::from(*rng.pick(A))).collect()
}

/// One generated file and what a perfect detector would say about it.
#[derive(Debug, Clone)]
pub(super) struct GenFile {
    pub path: String,
    pub content: Vec<u8>,
    /// A strong personal-data detection is expected.
    pub personal: bool,
    /// A strong secret detection is expected.
    pub secret: bool,
    /// Kinds expected at weak strength (warnings/info) for this file.
    pub weak: Vec<super::Kind>,
    /// Synthetic-data evidence is expected.
    pub synthetic: bool,
    /// Values that must never appear in any detection field.
    pub planted: Vec<String>,
    /// A strong small-numbers detection is expected (counts of people by
    /// geography or practice, 1 to 7, unsuppressed).
    pub disclosive: bool,
    /// Free-text columns expected on the data file.
    pub free_text: usize,
}

impl GenFile {
    pub(super) fn new(path: String, content: String) -> GenFile {
        GenFile {
            path,
            content: content.into_bytes(),
            personal: false,
            secret: false,
            weak: Vec::new(),
            synthetic: false,
            planted: Vec::new(),
            disclosive: false,
            free_text: 0,
        }
    }
}

const NHS_HEADERS: &[&str] = &[
    "nhs_number",
    "NHS Number",
    "nhs_no",
    "NHSNo",
    "patient_id",
    "Patient Number",
    "person_id",
    "NHS_NUMBER",
];

/// Patient-level extract with an NHS-number column and some quasi-identifiers.
pub(super) fn patient_extract(rng: &mut Rng, i: usize) -> GenFile {
    let header = *rng.pick(NHS_HEADERS);
    let spaced_form = rng.chance(0.3);
    let with_dob = rng.chance(0.6);
    let with_pc = rng.chance(0.6);
    let with_name = rng.chance(0.4);
    let rows = rng.range(5, 200);
    let mut planted = Vec::new();
    let mut s = format!("{header},age,sex");
    if with_dob {
        s.push_str(",date_of_birth");
    }
    if with_pc {
        s.push_str(",postcode");
    }
    if with_name {
        s.push_str(",forename,surname");
    }
    s.push('\n');
    for _ in 0..rows {
        let n = valid_nhs(rng);
        planted.push(n.clone());
        let shown = if spaced_form { spaced(&n) } else { n };
        s.push_str(&format!(
            "{shown},{},{}",
            rng.range(0, 99),
            rng.pick(&["M", "F"])
        ));
        if with_dob {
            let d = dob(rng);
            s.push_str(&format!(",{d}"));
            planted.push(d);
        }
        if with_pc {
            let p = postcode(rng);
            s.push_str(&format!(",{p}"));
            planted.push(p);
        }
        if with_name {
            let (f, l) = (forename(rng), surname(rng));
            s.push_str(&format!(",{f},{l}"));
            planted.push(format!("{f},{l}"));
        }
        s.push('\n');
    }
    let mut f = GenFile::new(format!("extracts/patients_{i}.csv"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// Scottish extract keyed by CHI number.
pub(super) fn chi_extract(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("chi_number,dob,postcode\n");
    let mut planted = Vec::new();
    for _ in 0..rng.range(5, 80) {
        let (c, d, p) = (valid_chi(rng), dob(rng), postcode(rng));
        s.push_str(&format!("{c},{d},{p}\n"));
        planted.extend([c, d, p]);
    }
    let mut f = GenFile::new(format!("scot/chi_{i}.csv"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// Quasi-identifier combination without any NHS number.
pub(super) fn quasi_extract(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("first_name,last_name,dob,postcode,mobile,email,ni_number\n");
    let mut planted = Vec::new();
    for _ in 0..rng.range(5, 60) {
        let (f, l, d, p, m, n) = (
            forename(rng),
            surname(rng),
            dob(rng),
            postcode(rng),
            phone(rng),
            ni_number(rng),
        );
        let e = format!(
            "{}.{}{}@mailbox.example",
            f.to_lowercase(),
            l.to_lowercase(),
            rng.digits(3)
        );
        s.push_str(&format!("{f},{l},{d},{p},{m},{e},{n}\n"));
        planted.extend([d, p, m, e, n]);
    }
    let mut f = GenFile::new(format!("people/contacts_{i}.csv"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// Decoys: random ids under a patient-like header, phones, timestamps.
pub(super) fn decoy_table(rng: &mut Rng, i: usize) -> GenFile {
    let header = *rng.pick(&["patient_id", "record_id", "order_id", "episode_ref"]);
    let mut s = format!("{header},practice_phone,created_epoch,score\n");
    for _ in 0..rng.range(30, 300) {
        s.push_str(&format!(
            "{},{},{},{}.{}\n",
            random_id(rng),
            phone(rng),
            rng.range(1_500_000_000, 1_800_000_000),
            rng.below(10),
            rng.digits(10)
        ));
    }
    GenFile::new(format!("data/decoy_{i}.csv"), s)
}

const GEO: &[&str] = &[
    "icb_code",
    "region",
    "gp_practice_code",
    "lsoa11cd",
    "ccg",
    "ods_code",
];

/// Aggregate table by geography; `small` plants counts in 1..=7.
pub(super) fn aggregate_table(rng: &mut Rng, i: usize, small: bool) -> GenFile {
    let geo = *rng.pick(GEO);
    let measure = *rng.pick(&[
        "attendances",
        "admissions",
        "referrals",
        "patients",
        "count",
    ]);
    let mut s = format!("{geo},financial_year,{measure},rate_per_100k\n");
    let rows = rng.range(10, 200);
    let small_row = rng.below(rows);
    for r in 0..rows {
        let code = format!("{}{}{}", rng.upper(), rng.upper(), rng.digits(3));
        let n = if small && r == small_row {
            rng.range(1, 7)
        } else {
            rng.range(10, 5000)
        };
        s.push_str(&format!(
            "{code},2023/24,{n},{}.{}\n",
            rng.range(1, 900),
            rng.digits(1)
        ));
    }
    let mut f = GenFile::new(format!("agg/summary_{i}.csv"), s);
    if small {
        f.weak.push(super::Kind::SmallNumbers);
        // By region the engine lists it; the rule still fails a data file.
        f.disclosive = geo != "region";
    }
    f
}

/// GP practice directory: organisational postcodes, phones and emails.
pub(super) fn practice_directory(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("practice_code,practice_name,postcode,phone,email\n");
    for k in 0..rng.range(10, 100) {
        s.push_str(&format!(
            "{}{},Riverside Surgery {k},{},{},practice{k}@nhs.example\n",
            rng.upper(),
            rng.digits(5),
            postcode(rng),
            phone(rng)
        ));
    }
    GenFile::new(format!("reference/practices_{i}.csv"), s)
}

/// Synthetic extract: 999-range numbers and ZZ99 postcodes, sometimes with
/// invented names and birth dates (reported weakly, never as errors).
pub(super) fn synthetic_extract(rng: &mut Rng, i: usize) -> GenFile {
    let people = rng.chance(0.5);
    let mut s = String::from("nhs_number,postcode,age");
    if people {
        s.push_str(",forename,date_of_birth");
    }
    s.push('\n');
    for _ in 0..rng.range(5, 100) {
        s.push_str(&format!(
            "{},{},{}",
            synthetic_nhs(rng),
            pseudo_postcode(rng),
            rng.range(0, 99)
        ));
        if people {
            s.push_str(&format!(",{},{}", forename(rng), dob(rng)));
        }
        s.push('\n');
    }
    let mut f = GenFile::new(format!("fixtures/cohort_{i}.csv"), s);
    f.synthetic = true;
    if people {
        f.weak = vec![super::Kind::PersonName, super::Kind::DateOfBirth];
    }
    f
}

/// Prose with exactly one valid number: weak evidence only.
pub(super) fn prose_one_number(rng: &mut Rng, i: usize) -> GenFile {
    let n = valid_nhs(rng);
    let s = format!(
        "# Notes\n\nThe pipeline validates identifiers; for example {} is checked with Modulus 11.\nRun `make` to build.\n",
        spaced(&n)
    );
    let mut f = GenFile::new(format!("docs/notes_{i}.md"), s);
    f.weak.push(super::Kind::NhsNumber);
    f.planted.push(n);
    f
}

/// Code with several hard-coded numbers next to patient context.
pub(super) fn code_with_numbers(rng: &mut Rng, i: usize) -> GenFile {
    let nums: Vec<String> = (0..rng.range(3, 8)).map(|_| valid_nhs(rng)).collect();
    let (path, s) = match rng.below(3) {
        0 => (
            format!("sql/cohort_{i}.sql"),
            format!(
                "-- patients excluded after review\nSELECT *\nFROM dbo.Patients\nWHERE NHS_Number IN ({})\n",
                nums.iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(",\n  ")
            ),
        ),
        1 => (
            format!("R/exclude_{i}.R"),
            format!(
                "# patients to drop\nexclude_nhs <- c({})\ndf <- df[!df$nhs_number %in% exclude_nhs, ]\n",
                nums.join(", ")
            ),
        ),
        _ => (
            format!("src/fix_{i}.py"),
            format!(
                "# Known problem patient records\nBAD_IDS = [\n{}]\n",
                nums.iter()
                    .map(|n| format!("    \"{n}\",\n"))
                    .collect::<String>()
            ),
        ),
    };
    let mut f = GenFile::new(path, s);
    f.personal = true;
    f.planted = nums;
    f
}

/// Code with many random 10-digit ids (one may pass by chance).
pub(super) fn code_random_ids(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("# patient cohort sampling seeds and job ids\nJOB_IDS = [\n");
    for _ in 0..rng.range(10, 40) {
        s.push_str(&format!("    {},\n", invalid_ten(rng)));
    }
    s.push_str(&format!("    {},\n]\n", valid_nhs(rng)));
    GenFile::new(format!("src/jobs_{i}.py"), s)
}

/// Notebook whose output shows a patient table.
pub(super) fn notebook_with_outputs(rng: &mut Rng, i: usize) -> GenFile {
    let mut rows = String::new();
    let mut planted = Vec::new();
    for r in 0..rng.range(3, 10) {
        let n = valid_nhs(rng);
        rows.push_str(&format!(
            "<tr><th>{r}</th><td>{n}</td><td>{}</td></tr>",
            rng.range(1, 99)
        ));
        planted.push(n);
    }
    let html = format!(
        "<table border=\"1\" class=\"dataframe\"><thead><tr><th></th><th>nhs_number</th><th>age</th></tr></thead><tbody>{rows}</tbody></table>"
    );
    let nb = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "source": ["# Cohort\n"], "metadata": {}},
            {"cell_type": "code", "source": ["df = load()\n", "df.head()"], "outputs": [
                {"output_type": "execute_result", "data": {"text/html": [html], "text/plain": ["..."]}}
            ]}
        ],
        "nbformat": 4
    });
    let mut f = GenFile::new(format!("notebooks/explore_{i}.ipynb"), nb.to_string());
    f.personal = true;
    f.planted = planted;
    f
}

/// Clean notebook with an aggregate output.
pub(super) fn notebook_clean(rng: &mut Rng, i: usize) -> GenFile {
    let nb = serde_json::json!({
        "cells": [{"cell_type": "code", "source": ["df.groupby('region').size()"], "outputs": [
            {"output_type": "stream", "name": "stdout", "text": [format!("North    {}\nSouth    {}\n", rng.range(100, 900), rng.range(100, 900))]}
        ]}],
        "nbformat": 4
    });
    GenFile::new(format!("notebooks/summary_{i}.ipynb"), nb.to_string())
}

/// Markdown report with a results table (small numbers optional).
pub(super) fn markdown_report(rng: &mut Rng, i: usize, small: bool) -> GenFile {
    let mut s = String::from(
        "# Results\n\nContact: analytics.team@nhs.example, tel 0161 496 0000.\n\n| Region | Referrals |\n|---|---:|\n",
    );
    for r in [
        "North East",
        "North West",
        "Midlands",
        "London",
        "South West",
    ] {
        s.push_str(&format!("| {r} | {} |\n", rng.range(20, 900)));
    }
    if small {
        s.push_str(&format!("| East | {} |\n", rng.range(1, 7)));
    }
    s.push_str("\nFigures are provisional.\n");
    let mut f = GenFile::new(format!("reports/results_{i}.md"), s);
    if small {
        // Five regions: listed, not an alarm.
        f.weak.push(super::Kind::SmallNumbers);
    }
    f
}

/// Knitted HTML report with a patient table.
pub(super) fn html_report(rng: &mut Rng, i: usize) -> GenFile {
    let mut rows = String::new();
    let mut planted = Vec::new();
    for _ in 0..rng.range(3, 30) {
        let (n, d) = (valid_nhs(rng), dob(rng));
        rows.push_str(&format!("<tr>\n<td>{n}</td>\n<td>{d}</td>\n</tr>\n"));
        planted.extend([n, d]);
    }
    let s = format!(
        "<html><body><h1>Audit</h1>\n<table>\n<thead><tr><th>NHS Number</th><th>Date of Birth</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n</body></html>\n"
    );
    let mut f = GenFile::new(format!("reports/audit_{i}.html"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// JSON records with NHS numbers.
pub(super) fn json_records(rng: &mut Rng, i: usize) -> GenFile {
    let mut recs = Vec::new();
    let mut planted = Vec::new();
    for _ in 0..rng.range(3, 40) {
        let n = valid_nhs(rng);
        recs.push(serde_json::json!({"nhsNumber": n, "age": rng.range(0, 99)}));
        planted.push(n);
    }
    let s = serde_json::json!({"records": recs}).to_string();
    let mut f = GenFile::new(format!("api/sample_response_{i}.json"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// A committed `.env` with real-looking values.
pub(super) fn env_file(rng: &mut Rng, i: usize) -> GenFile {
    let p = password(rng);
    let s = format!(
        "# local settings\nDB_HOST=sql{i}.example.org\nDB_USER=app\nDB_PASSWORD={p}\nDEBUG=1\n"
    );
    let mut f = GenFile::new(
        if i.is_multiple_of(2) {
            ".env".into()
        } else {
            format!("svc{i}/.env.production")
        },
        s,
    );
    f.secret = true;
    f.planted.push(p);
    f
}

/// The template that should be committed instead.
pub(super) fn env_example(_rng: &mut Rng, i: usize) -> GenFile {
    GenFile::new(
        format!("svc{i}/.env.example"),
        "DB_HOST=localhost\nDB_USER=\nDB_PASSWORD=changeme\nAPI_TOKEN=<your token>\n".into(),
    )
}

/// Code with one kind of hard-coded credential.
pub(super) fn code_with_secret(rng: &mut Rng, i: usize) -> GenFile {
    let p = password(rng);
    let (path, s, value) = match rng.below(9) {
        0 => (
            format!("R/db_{i}.R"),
            format!(
                "con <- DBI::dbConnect(odbc::odbc(), .connection_string = \"Driver={{ODBC Driver 17 for SQL Server}};Server=tcp:analytics.example.org,1433;Database=warehouse;Uid=analyst;Pwd={p};\")\n"
            ),
            p,
        ),
        1 => (
            format!("src/settings_{i}.py"),
            format!("DATABASE = {{\n    \"user\": \"app\",\n    \"password\": \"{p}\",\n}}\n"),
            p,
        ),
        2 => (
            format!("config/app_{i}.yaml"),
            format!(
                "database:\n  url: postgresql://app:{p}@sql.northfield-trust.org.uk:5432/warehouse\n"
            ),
            p,
        ),
        3 => {
            let t = format!("ghp_{}", alnum(rng, 36));
            (
                format!("scripts/release_{i}.sh"),
                format!("#!/bin/sh\nexport GITHUB_TOKEN={t}\ngh release create\n"),
                t,
            )
        }
        4 => {
            let t = format!("AKIA{}", upper_alnum(rng, 16));
            (
                format!("src/upload_{i}.py"),
                format!("s3 = boto3.client('s3', aws_access_key_id='{t}')\n"),
                t,
            )
        }
        5 => {
            let body = alnum(rng, 64);
            (
                format!("deploy/key_{i}.pem"),
                format!(
                    "-----BEGIN RSA PRIVATE KEY-----\n{body}\n{body}\n-----END RSA PRIVATE KEY-----\n"
                ),
                body,
            )
        }
        6 => {
            let k = format!("{}==", alnum(rng, 86));
            (
                format!("src/storage_{i}.cs"),
                format!(
                    "var cs = \"DefaultEndpointsProtocol=https;AccountName=nhsdata;AccountKey={k};EndpointSuffix=core.windows.net\";\n"
                ),
                k,
            )
        }
        7 => (
            format!("src/Db{i}.java"),
            format!(
                "String url = \"jdbc:sqlserver://sql.northfield-trust.org.uk:1433;databaseName=dw;user=etl;password={p};\";\n"
            ),
            p,
        ),
        _ => (
            format!("R/api_{i}.R"),
            format!("api_key <- \"{}\"\n", alnum(rng, 32)),
            String::new(),
        ),
    };
    let mut f = GenFile::new(path, s);
    f.secret = true;
    if !value.is_empty() {
        f.planted.push(value);
    }
    f
}

/// Code that handles credentials correctly (placeholders, environment).
pub(super) fn code_with_placeholders(rng: &mut Rng, i: usize) -> GenFile {
    let s = match rng.below(6) {
        0 => "import os\npassword = os.environ[\"DB_PASSWORD\"]\nconn = f\"Server=sql.northfield-trust.org.uk;Database=x;Uid=u;Pwd={password};\"\n".to_string(),
        1 => "con <- DBI::dbConnect(odbc::odbc(), Driver = \"SQL Server\", Server = \"sql.northfield-trust.org.uk\", Trusted_Connection = \"True\", PWD = Sys.getenv(\"PWD\"))\n".to_string(),
        2 => "database:\n  password: ${DB_PASSWORD}\n  url: postgresql://user:password@localhost/db\n".to_string(),
        3 => "# Example from the AWS docs\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\npassword = \"<password>\"\ntoken = \"EOF\"\n".to_string(),
        4 => "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\nPassword=changeme\npassword_field = \"password\"\n".to_string(),
        _ => "def login(password: str) -> None:\n    if password == \"\":\n        raise ValueError(\"Enter your password\")\n    secret_name = \"db-credentials\"\n".to_string(),
    };
    let ext = match rng.below(3) {
        0 => "py",
        1 => "R",
        _ => "md",
    };
    GenFile::new(format!("src/safe_{i}.{ext}"), s)
}

/// Internal server names only: a warning, not a strong secret.
pub(super) fn internal_host_code(_rng: &mut Rng, i: usize) -> GenFile {
    let s = format!(
        "con <- dbConnect(odbc(), .connection_string = \"Driver=SQL Server;Server=NHSDW{i:02}\\\\LIVE;Database=x;Trusted_Connection=Yes;\")\ndata <- read.csv(\"\\\\\\\\fileserver{i:02}\\\\analytics\\\\extract.csv\")\n"
    );
    let mut f = GenFile::new(format!("R/load_{i}.R"), s);
    f.weak.push(super::Kind::InternalHost);
    f
}

/// One mixed corpus: positives and negatives of every kind.
pub(super) fn corpus(seed: u64, per_kind: usize) -> Vec<GenFile> {
    let mut rng = Rng::new(seed);
    let mut v = Vec::new();
    for i in 0..per_kind {
        v.push(patient_extract(&mut rng, i));
        v.push(chi_extract(&mut rng, i));
        v.push(quasi_extract(&mut rng, i));
        v.push(decoy_table(&mut rng, i));
        v.push(aggregate_table(&mut rng, i, false));
        v.push(aggregate_table(&mut rng, i + 10_000, true));
        v.push(practice_directory(&mut rng, i));
        v.push(synthetic_extract(&mut rng, i));
        v.push(prose_one_number(&mut rng, i));
        v.push(code_with_numbers(&mut rng, i));
        v.push(code_random_ids(&mut rng, i));
        v.push(notebook_with_outputs(&mut rng, i));
        v.push(notebook_clean(&mut rng, i));
        v.push(markdown_report(&mut rng, i, false));
        v.push(markdown_report(&mut rng, i + 10_000, true));
        v.push(html_report(&mut rng, i));
        v.push(json_records(&mut rng, i));
        v.push(env_file(&mut rng, i));
        v.push(env_example(&mut rng, i));
        v.push(code_with_secret(&mut rng, i));
        v.push(code_with_placeholders(&mut rng, i));
        v.push(internal_host_code(&mut rng, i));
        v.push(xlsx_file(&mut rng, i, true));
        v.push(xlsx_file(&mut rng, i + 10_000, false));
        v.push(headerless_extract(&mut rng, i));
        v.push(noisy_extract(&mut rng, i));
        v.push(log_decoy(&mut rng, i));
        v.extend(super::testgen_formats::round_two(&mut rng, i));
    }
    v
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A stored (uncompressed) zip archive: enough for a minimal xlsx without a
/// zip-writing dependency.
pub(super) fn stored_zip(files: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, body) in files {
        let data = body.as_bytes();
        let crc = crc32(data);
        let offset = out.len() as u32;
        let size = data.len() as u32;
        let n = name.len() as u16;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&n.to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    let count = files.len() as u16;
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn col_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Minimal one-sheet xlsx; all-digit cells are written as numbers.
pub(super) fn xlsx_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    xlsx_bytes_with(rows, "")
}

/// A workbook of `rows`, with `extra` (raw `<row>` elements) after them in the sheet.
pub(super) fn xlsx_bytes_with(rows: &[Vec<String>], extra: &str) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let cell = format!("{}{}", col_letter(c), r + 1);
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                sheet.push_str(&format!("<c r=\"{cell}\"><v>{v}</v></c>"));
            } else {
                sheet.push_str(&format!(
                    "<c r=\"{cell}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str(extra);
    sheet.push_str("</sheetData></worksheet>");
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Extract" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    stored_zip(&[
        ("[Content_Types].xml", ct.to_string()),
        ("_rels/.rels", rels.to_string()),
        ("xl/workbook.xml", wb.to_string()),
        ("xl/_rels/workbook.xml.rels", wb_rels.to_string()),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// Workbook version of a patient extract (or of an aggregate table).
pub(super) fn xlsx_file(rng: &mut Rng, i: usize, patient: bool) -> GenFile {
    let mut rows = Vec::new();
    let mut planted = Vec::new();
    if patient {
        rows.push(vec![
            "NHS Number".to_string(),
            "Postcode".to_string(),
            "DOB".to_string(),
        ]);
        for _ in 0..rng.range(5, 60) {
            let (n, p, d) = (valid_nhs(rng), postcode(rng), dob(rng));
            planted.extend([n.clone(), p.clone(), d.clone()]);
            rows.push(vec![n, p, d]);
        }
    } else {
        rows.push(vec!["ICB".to_string(), "Attendances".to_string()]);
        for _ in 0..rng.range(5, 60) {
            rows.push(vec![
                format!("Q{}", rng.digits(2)),
                rng.range(10, 9000).to_string(),
            ]);
        }
    }
    let mut f = GenFile::new(format!("outputs/book_{i}.xlsx"), String::new());
    f.content = xlsx_bytes(&rows);
    f.personal = patient;
    f.planted = planted;
    f
}

/// CSV without a header row: a bare column of valid numbers.
pub(super) fn headerless_extract(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::new();
    let mut planted = Vec::new();
    for _ in 0..rng.range(12, 80) {
        let n = valid_nhs(rng);
        s.push_str(&format!("{n},{}\n", rng.range(1, 99)));
        planted.push(n);
    }
    let mut f = GenFile::new(format!("tmp/export_{i}.csv"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// Patient column with some typos and blanks (85–95% valid).
pub(super) fn noisy_extract(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("NHS_NO,notes\n");
    let mut planted = Vec::new();
    for _ in 0..rng.range(20, 100) {
        let n = if rng.chance(0.1) {
            invalid_ten(rng)
        } else {
            valid_nhs(rng)
        };
        planted.push(n.clone());
        s.push_str(&format!("{n},\"seen in clinic, follow up\"\n"));
    }
    let mut f = GenFile::new(format!("extracts/noisy_{i}.csv"), s);
    f.personal = true;
    // One note repeated on every row: a label, not free text.
    f.planted = planted;
    f
}

/// Application log with epoch timestamps and request ids near "patient".
pub(super) fn log_decoy(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::new();
    for _ in 0..rng.range(20, 200) {
        s.push_str(&format!(
            "{} INFO patient-lookup request={} took {}ms\n",
            rng.range(1_600_000_000, 1_750_000_000),
            random_id(rng),
            rng.range(1, 900)
        ));
    }
    GenFile::new(format!("logs/app_{i}.log"), s)
}

#[test]
fn oracle_check_digits_match_published_examples() {
    // Worked examples quoted in public NHS number guidance and in ISBN-10
    // references, typed in here rather than computed by any code.
    assert!(passes_check("9434765919"));
    assert!(passes_check("4010232137"));
    assert!(passes_check("0201633612"));
    assert!(!passes_check("9434765918"));
    assert_eq!(check_digit(b"123456789"), None, "check value 10");
}
