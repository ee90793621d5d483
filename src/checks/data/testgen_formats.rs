//! Generators for the second round of content checks: patient records nested
//! in JSON, JSON Lines and YAML; tables in rendered reports (Markdown, HTML,
//! R Markdown, Quarto) with small numbers; other Modulus 11 schemes (ISBN-10,
//! Northern Ireland H&C, order ids, phone numbers and timestamps that happen
//! to pass); and free-text columns. Everything is invented from the seed, with
//! check digits from `testgen::check_digit` (never the engine's).

use super::Kind;
use super::testgen::{
    GenFile, Rng, check_digit, dob, forename, postcode, surname, valid_nhs, with_check,
};

/// Nine-digit prefixes of ISBN-10 groups and publishers, of the shapes
/// English-language books carry (group 0 or 1).
const ISBN_PREFIXES: &[&str] = &[
    "0201", "014", "019", "184", "07", "0571", "009", "178", "0330", "012", "186", "0470", "1292",
];

/// An ISBN-10; about one in eleven ends in `X`.
pub(super) fn isbn10(rng: &mut Rng) -> String {
    let prefix = *rng.pick(ISBN_PREFIXES);
    let nine = format!("{prefix}{}", rng.digits(9 - prefix.len()));
    match check_digit(nine.as_bytes()) {
        Some(c) => format!("{nine}{c}"),
        None => format!("{nine}X"),
    }
}

/// A valid Northern Ireland Health and Care number (320–399).
pub(super) fn valid_hc(rng: &mut Rng) -> String {
    let prefix = format!("3{}", rng.range(2, 9));
    with_check(rng, &prefix)
}

/// A valid number no health service issues (5xx, 8xx, 9xx but not 999).
pub(super) fn unallocated_valid(rng: &mut Rng) -> String {
    let prefix = match rng.below(3) {
        0 => format!("5{}", rng.below(10)),
        1 => format!("8{}", rng.below(10)),
        _ => format!("9{}", rng.below(9)),
    };
    with_check(rng, &prefix)
}

// ─────────────────────────── decoys: other Mod 11 schemes ───────────────────────────

/// A book list: ISBN-10s pass the same check digit as NHS numbers.
pub(super) fn isbn_list(rng: &mut Rng, i: usize) -> GenFile {
    let header = *rng.pick(&["isbn", "ISBN-10", "book_isbn", "isbn10", "ref"]);
    let mut s = format!("{header},title,year\n");
    for k in 0..rng.range(20, 150) {
        s.push_str(&format!(
            "{},Handbook volume {k},{}\n",
            isbn10(rng),
            rng.range(1970, 2024)
        ));
    }
    let mut f = GenFile::new(format!("library/books_{i}.csv"), s);
    f.weak.push(Kind::NhsNumber);
    f
}

/// A reading list in prose with `ISBN` before each number, near "patient".
pub(super) fn reading_list(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("# Patient safety reading list\n\n");
    for k in 0..rng.range(3, 12) {
        let isbn = loop {
            let v = isbn10(rng);
            if !v.ends_with('X') {
                break v;
            }
        };
        s.push_str(&format!(
            "- Patient experience, part {k}. ISBN {isbn}\n- Second edition: ISBN-10: {isbn}\n"
        ));
    }
    GenFile::new(format!("docs/reading_{i}.md"), s)
}

/// Order ids issued with a Modulus 11 check digit, in the same first digits
/// as NHS numbers: only the header tells them apart.
pub(super) fn order_ids(rng: &mut Rng, i: usize) -> GenFile {
    let header = *rng.pick(&[
        "order_id",
        "invoice_number",
        "account_no",
        "transaction_ref",
    ]);
    let mut s = format!("{header},amount,status\n");
    for _ in 0..rng.range(20, 200) {
        let prefix = rng.pick(&["4", "6", "7"]).to_string();
        s.push_str(&format!(
            "{},{}.{:02},{}\n",
            with_check(rng, &prefix),
            rng.range(1, 900),
            rng.below(100),
            rng.pick(&["paid", "due"])
        ));
    }
    let mut f = GenFile::new(format!("finance/orders_{i}.csv"), s);
    f.weak.push(Kind::NhsNumber);
    f
}

/// Mobile numbers whose leading zero a spreadsheet dropped: ten digits
/// starting with 7, the NHS-number range.
pub(super) fn mobiles_without_zero(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("service,mobile\n");
    for k in 0..rng.range(20, 200) {
        s.push_str(&format!("Clinic {k},7700{}\n", rng.digits(6)));
    }
    GenFile::new(format!("reference/clinics_{i}.csv"), s)
}

/// Epoch timestamps and ten-digit money amounts.
pub(super) fn timestamps_and_totals(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("region,event_epoch,total_spend_pence\n");
    for _ in 0..rng.range(20, 200) {
        s.push_str(&format!(
            "{},{},{}\n",
            rng.pick(&["North", "South", "East", "West"]),
            rng.range(1_500_000_000, 1_800_000_000),
            rng.range(1_000_000_000, 9_999_999_999)
        ));
    }
    GenFile::new(format!("finance/spend_{i}.csv"), s)
}

/// Valid numbers under an NHS header but outside every issued range: weak.
pub(super) fn unallocated_column(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("nhs_number,age\n");
    for _ in 0..rng.range(10, 80) {
        s.push_str(&format!(
            "{},{}\n",
            unallocated_valid(rng),
            rng.range(1, 99)
        ));
    }
    let mut f = GenFile::new(format!("examples/unallocated_{i}.csv"), s);
    f.weak.push(Kind::NhsNumber);
    f
}

// ─────────────────────────── planted: structured records ───────────────────────────

/// A JSON Lines extract with nested patient objects (the issue's miss).
pub(super) fn nested_ndjson(rng: &mut Rng, i: usize) -> GenFile {
    let shape = rng.below(3);
    let mut s = String::new();
    let mut planted = Vec::new();
    for k in 0..rng.range(5, 120) {
        let n = valid_nhs(rng);
        planted.push(n.clone());
        let record = match shape {
            0 => {
                let (d, p) = (dob(rng), postcode(rng));
                planted.extend([d.clone(), p.clone()]);
                serde_json::json!({"episode": k, "patient": {"nhs_number": n, "birth_date": d,
                    "address": {"postcode": p}}, "admitted": "2024-03-01"})
            }
            1 => serde_json::json!({"id": k, "subject": {"identifier": {
                "system": "https://fhir.example/Id/nhs-number", "value": n}}, "status": "final"}),
            _ => {
                serde_json::json!({"person": {"ids": [n]}, "visits": [{"ward": "A"}, {"ward": "B"}]})
            }
        };
        s.push_str(&record.to_string());
        s.push('\n');
    }
    let ext = if rng.chance(0.5) { "jsonl" } else { "ndjson" };
    let mut f = GenFile::new(format!("exports/episodes_{i}.{ext}"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// An API response with patient objects nested in each result.
pub(super) fn nested_json(rng: &mut Rng, i: usize) -> GenFile {
    let mut results = Vec::new();
    let mut planted = Vec::new();
    for _ in 0..rng.range(3, 60) {
        let n = valid_nhs(rng);
        planted.push(n.clone());
        results.push(serde_json::json!({
            "patient": {"nhsNumber": n, "gender": "unknown"},
            "appointments": [{"slot": rng.range(1, 40)}]
        }));
    }
    let s = serde_json::json!({"meta": {"page": 1}, "results": results}).to_string();
    let mut f = GenFile::new(format!("api/appointments_{i}.json"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// Patient records in YAML: one list, or one document per record.
pub(super) fn yaml_records(rng: &mut Rng, i: usize) -> GenFile {
    let multi = rng.chance(0.4);
    let mut s = String::new();
    let mut planted = Vec::new();
    if !multi {
        s.push_str("# invented test records\npatients:\n");
    }
    for _ in 0..rng.range(3, 50) {
        let (n, p) = (valid_nhs(rng), postcode(rng));
        planted.extend([n.clone(), p.clone()]);
        if multi {
            s.push_str(&format!(
                "---\nnhs_number: {n}\nhome:\n  postcode: {p}\nsurname: {}\n",
                surname(rng)
            ));
        } else {
            s.push_str(&format!(
                "  - nhs_number: \"{n}\"\n    postcode: {p}\n    name:\n      given: {}\n",
                forename(rng)
            ));
        }
    }
    let ext = if rng.chance(0.5) { "yaml" } else { "yml" };
    let mut f = GenFile::new(format!("config/cohort_{i}.{ext}"), s);
    f.personal = true;
    f.planted = planted;
    f
}

/// A Northern Ireland extract keyed by H&C number, or a column of in-range
/// numbers under a neutral header: both strong.
pub(super) fn hc_or_neutral(rng: &mut Rng, i: usize) -> GenFile {
    let hc = rng.chance(0.5);
    let header = if hc {
        *rng.pick(&["hcn", "health_and_care_number", "ref"])
    } else {
        *rng.pick(&["ref", "id", "value", "key"])
    };
    let mut s = format!("{header},attended\n");
    let mut planted = Vec::new();
    for _ in 0..rng.range(12, 80) {
        let n = if hc { valid_hc(rng) } else { valid_nhs(rng) };
        s.push_str(&format!("{n},{}\n", rng.pick(&["yes", "no"])));
        planted.push(n);
    }
    let mut f = GenFile::new(format!("extracts/ids_{i}.csv"), s);
    f.personal = true;
    f.planted = planted;
    f
}

// ─────────────────────────── rendered reports ───────────────────────────

fn practice_code(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(&["A", "B", "C", "F", "M", "Y"]),
        rng.digits(5)
    )
}

/// A report of admissions by GP practice, as Markdown, HTML, R Markdown or
/// Quarto, with one count from 1 to 7 when `small`.
pub(super) fn practice_report(rng: &mut Rng, i: usize, small: bool) -> GenFile {
    let ext = *rng.pick(&["md", "html", "Rmd", "qmd"]);
    let measure = *rng.pick(&["Admissions", "Patients", "Referrals", "Number of deaths"]);
    let rows = rng.range(4, 30);
    let small_row = rng.below(rows);
    let mut cells = Vec::new();
    for r in 0..rows {
        let n = if small && r == small_row {
            rng.range(1, 7)
        } else {
            rng.range(15, 2000)
        };
        cells.push((practice_code(rng), n));
    }
    let s = if ext == "html" {
        let body: String = cells
            .iter()
            .map(|(c, n)| format!("<tr>\n<td>{c}</td>\n<td>{n}</td>\n</tr>\n"))
            .collect();
        format!(
            "<html><body><h1>Admissions by practice</h1>\n<table class=\"table\">\n<thead><tr><th>GP practice</th><th>{measure}</th></tr></thead>\n<tbody>\n{body}</tbody></table>\n</body></html>\n"
        )
    } else {
        let front = if ext == "md" {
            String::new()
        } else {
            "---\ntitle: \"Quarterly activity\"\noutput: html_document\n---\n\n```{r setup}\nlibrary(dplyr)\n```\n\n".to_string()
        };
        let body: String = cells
            .iter()
            .map(|(c, n)| format!("| {c} | {n} |\n"))
            .collect();
        format!("{front}## Activity\n\n| GP practice | {measure} |\n|:---|---:|\n{body}\n")
    };
    let mut f = GenFile::new(format!("reports/activity_{i}.{ext}"), s);
    if small {
        f.weak.push(Kind::SmallNumbers);
        f.disclosive = true;
    }
    f
}

/// Tables with small numbers that are not counts of people: ranks by
/// practice, and weekly counts with no geography.
pub(super) fn report_small_decoy(rng: &mut Rng, i: usize) -> GenFile {
    let mut s = String::from("# Notes\n\n| Practice | Rank |\n|---|---|\n");
    for r in 1..=rng.range(3, 9) {
        s.push_str(&format!("| {} | {r} |\n", practice_code(rng)));
    }
    s.push_str("\n| Week | Admissions |\n|---|---|\n");
    for w in 1..=rng.range(3, 9) {
        s.push_str(&format!("| {w} | {} |\n", rng.range(1, 7)));
    }
    GenFile::new(format!("reports/notes_{i}.qmd"), s)
}

// ─────────────────────────── free text ───────────────────────────

const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "with", "of", "to", "in", "for", "on", "after", "was", "has", "no",
];
const SYLLABLES: &[&str] = &[
    "bal", "cor", "den", "fra", "gil", "hom", "ith", "jun", "kel", "lor", "mab", "nor", "ost",
    "pel", "quin", "ras", "sul", "tev", "urn", "vel", "wix", "yor", "zan", "ber", "cad",
];

/// An invented word (two or three syllables): varied like real notes, yet
/// nothing in it can be a real name or condition.
fn word(rng: &mut Rng) -> String {
    let n = rng.range(2, 3);
    (0..n).map(|_| *rng.pick(SYLLABLES)).collect()
}

/// A sentence of invented content words and common function words.
pub(super) fn sentence(rng: &mut Rng) -> String {
    let n = rng.range(8, 16);
    let words: Vec<String> = (0..n)
        .map(|_| {
            if rng.chance(0.35) {
                (*rng.pick(FUNCTION_WORDS)).to_string()
            } else {
                word(rng)
            }
        })
        .collect();
    words.join(" ")
}

/// Referrals with a reason and clinician notes (by header) and a survey-style
/// answer column (by shape); the outcome labels are not free text.
pub(super) fn free_text_table(rng: &mut Rng, i: usize) -> GenFile {
    let shape_column = rng.chance(0.5);
    let mut s =
        String::from("referral_id,practice_code,reason_for_referral,clinician_notes,outcome");
    if shape_column {
        s.push_str(",q7_response");
    }
    s.push('\n');
    for k in 0..rng.range(6, 80) {
        s.push_str(&format!(
            "R{k:05},{},\"{}\",\"{}\",{}",
            practice_code(rng),
            sentence(rng),
            sentence(rng),
            rng.pick(&[
                "Discharged to usual care",
                "Referred on to secondary care",
                "Declined"
            ])
        ));
        if shape_column {
            s.push_str(&format!(",\"{} {}\"", sentence(rng), sentence(rng)));
        }
        s.push('\n');
    }
    let mut f = GenFile::new(format!("extracts/referrals_{i}.csv"), s);
    f.free_text = if shape_column { 3 } else { 2 };
    f
}

/// Long category labels from a short list: long strings, little variety.
pub(super) fn labels_table(rng: &mut Rng, i: usize) -> GenFile {
    const LABELS: &[&str] = &[
        "Outpatient attendance, first appointment (consultant led)",
        "Outpatient attendance, follow-up appointment (consultant led)",
        "Elective admission, day case procedure in a dedicated unit",
        "Emergency admission through the type 1 emergency department",
    ];
    let mut s = String::from("icb_code,activity_type,attendances\n");
    for _ in 0..rng.range(10, 100) {
        s.push_str(&format!(
            "Q{},{},{}\n",
            rng.digits(2),
            rng.pick(LABELS),
            rng.range(20, 5000)
        ));
    }
    GenFile::new(format!("agg/activity_{i}.csv"), s)
}

/// One of each round-two generator.
pub(super) fn round_two(rng: &mut Rng, i: usize) -> Vec<GenFile> {
    vec![
        isbn_list(rng, i),
        reading_list(rng, i),
        order_ids(rng, i),
        mobiles_without_zero(rng, i),
        timestamps_and_totals(rng, i),
        unallocated_column(rng, i),
        nested_ndjson(rng, i),
        nested_json(rng, i),
        yaml_records(rng, i),
        hc_or_neutral(rng, i),
        practice_report(rng, i, true),
        practice_report(rng, i + 10_000, false),
        report_small_decoy(rng, i),
        free_text_table(rng, i),
        labels_table(rng, i),
    ]
}
