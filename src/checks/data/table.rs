//! Column classification for tabular data (the CSV/TSV reader that feeds it
//! is `delimited.rs`).
//!
//! In a table, one 10-digit value proves little (a random number passes the
//! NHS check digit 9% of the time) but a column where nearly every value
//! passes is an NHS-number column. So every tabular source (CSV, sheets,
//! Markdown/HTML tables, notebook outputs, JSON records) feeds rows into a
//! [`TableAnalyzer`], which keeps fixed-size counters per column (flat memory
//! whatever the row count) and judges each column, then the table as a whole
//! (combinations of quasi-identifiers, small numbers next to geography).

use super::counts::{is_suppression_marker, parse_count};
use super::digits::whole_float_ten_digits;
use super::free_text::FreeTextStats;
use super::header::{HeaderAt, HeldRows, filled, looks_like_value};
use super::mask;
use super::nhs::{
    Candidate, allocation, is_synthetic_digits, isbn_before, mod11_ok, scan_digit_groups,
    ten_digits,
};
use super::quasi::{self, HeaderRole};
use super::{Detection, FileScan, Kind, ScanOptions, Strength, SyntheticEvidence};

/// Wider tables are cut: identifiers sit in the first columns in practice,
/// and counters per column must stay bounded.
pub(super) const MAX_COLUMNS: usize = 512;

/// Share of non-empty values that must be valid NHS numbers for a column to be
/// an NHS-number column. Random 10-digit ids pass about 9% of the time, so
/// 80% is far above chance yet tolerates a few typos or blanks-as-zero.
const NHS_COLUMN_SHARE: f64 = 0.80;
/// Under a patient-like header (`nhs_no`, `patient_id` …) half is enough:
/// with 20 random ids, reaching 50% valid by chance has odds below 1e-6, and
/// real extracts keep typos and local ids in the same column.
const NHS_COLUMN_SHARE_PATIENT_HEADER: f64 = 0.50;
/// Without a patient-like header the bar is higher and needs enough values
/// that chance is ruled out (0.09^10 ≈ 3e-11).
const NHS_COLUMN_SHARE_NO_HEADER: f64 = 0.95;
const NHS_COLUMN_MIN_VALUES_NO_HEADER: usize = 10;
/// Share of a column's valid numbers that must sit in a range issued to
/// patients (England and Wales, CHI, H&C) for the column to be strong. Real
/// extracts are entirely in range; ISBN-10 lists and random ids mostly are not.
const NHS_COLUMN_IN_RANGE_SHARE: f64 = 0.90;

/// Where a table came from, for messages and fingerprints.
#[derive(Debug, Clone, Default)]
pub(super) struct TableSource {
    pub path: String,
    /// Sheet name, `table 2`, `cell 5`, JSON pointer… empty for a plain CSV.
    pub location: String,
    /// Tables in documentation (README, reports) list contacts; emails and
    /// phones there are not flagged unless next to patient identifiers.
    pub document: bool,
    /// The document introduces the table as example or invented data ("Example data:", "a
    /// dummy extract"), as guides show the shape of an input with made-up people.
    pub introduced_as_example: bool,
}

#[derive(Debug, Default)]
struct Column {
    header: String,
    role: HeaderRole,
    non_empty: usize,
    nhs_valid: usize,
    /// Valid numbers in a patient range (see [`NHS_COLUMN_IN_RANGE_SHARE`]).
    nhs_in_range: usize,
    nhs_synthetic: usize,
    chi_valid: usize,
    first_nhs: Option<(u64, [u8; 10])>,
    first_chi: Option<(u64, [u8; 10])>,
    first_synthetic: Option<u64>,
    postcode: usize,
    pseudo_postcode: usize,
    first_postcode: Option<(u64, String)>,
    first_pseudo: Option<u64>,
    date: usize,
    first_date: Option<(u64, String)>,
    name: usize,
    first_name: Option<(u64, String)>,
    email: usize,
    first_email: Option<(u64, String)>,
    phone: usize,
    first_phone: Option<(u64, String)>,
    ni: usize,
    first_ni: Option<(u64, String)>,
    int: usize,
    /// The largest whole number seen: a column of only 0 and 1 is a flag, not a count.
    int_max: u64,
    suppressed: usize,
    small: usize,
    first_small: Option<u64>,
    embedded_candidates: usize,
    embedded_valid: usize,
    embedded_in_range: usize,
    first_embedded: Option<(u64, [u8; 10])>,
    text: FreeTextStats,
}

fn set_first<T>(slot: &mut Option<(u64, T)>, line: u64, f: impl FnOnce() -> T) {
    if slot.is_none() {
        *slot = Some((line, f()));
    }
}

impl Column {
    fn new(header: &str) -> Column {
        Column {
            header: mask::clean_header(header),
            role: HeaderRole::from_header(header),
            ..Column::default()
        }
    }

    fn observe(&mut self, raw: &str, line: u64, threshold: u64) {
        let v = raw.trim_ascii();
        if v.is_empty() {
            return;
        }
        self.non_empty += 1;
        let b = v.as_bytes();
        let first = b[0];
        if first.is_ascii_digit() {
            // pandas and Excel write identifier columns as floats (`4010232137.0`,
            // `4.010232137E+09`); the number is the same.
            if let Some(d) = ten_digits(v).or_else(|| whole_float_ten_digits(v)) {
                if mod11_ok(&d) {
                    if is_synthetic_digits(&d) {
                        self.nhs_synthetic += 1;
                        self.first_synthetic.get_or_insert(line);
                    } else {
                        self.nhs_valid += 1;
                        if allocation(&d).is_patient_range() {
                            self.nhs_in_range += 1;
                        }
                        self.first_nhs.get_or_insert((line, d));
                    }
                    if self.role.chi && super::chi::chi_digits_ok(&d) {
                        self.chi_valid += 1;
                        self.first_chi.get_or_insert((line, d));
                    }
                }
                if first == b'0' && self.role.phone && quasi::is_phone(v) {
                    self.phone += 1;
                    set_first(&mut self.first_phone, line, || mask::mask_phone(v));
                }
                return;
            }
            if let Some(n) = parse_count(v) {
                self.int += 1;
                self.int_max = self.int_max.max(n);
                if (1..=threshold).contains(&n) {
                    self.small += 1;
                    self.first_small.get_or_insert(line);
                }
                return;
            }
            if self.role.dob && quasi::is_date_like(v) {
                self.date += 1;
                set_first(&mut self.first_date, line, || mask::mask_date(v));
                return;
            }
            if first == b'0' && b.len() >= 10 && quasi::is_phone(v) {
                self.phone += 1;
                set_first(&mut self.first_phone, line, || mask::mask_phone(v));
                return;
            }
            self.free_text(b, line);
            return;
        }
        if first == b'+' {
            if quasi::is_phone(v) {
                self.phone += 1;
                set_first(&mut self.first_phone, line, || mask::mask_phone(v));
            }
            return;
        }
        if first.is_ascii_alphabetic() {
            if (5..=8).contains(&b.len()) && super::postcode::split_postcode(v).is_some() {
                if super::postcode::is_pseudo_postcode(v) {
                    self.pseudo_postcode += 1;
                    self.first_pseudo.get_or_insert(line);
                } else {
                    self.postcode += 1;
                    set_first(&mut self.first_postcode, line, || mask::mask_postcode(v));
                }
                return;
            }
            if (b.len() == 9 || b.len() == 13) && quasi::is_ni_number(v) {
                self.ni += 1;
                set_first(&mut self.first_ni, line, || mask::mask_ni(v));
                return;
            }
            if memchr::memchr(b'@', b).is_some() {
                if quasi::is_email(v) {
                    self.email += 1;
                    set_first(&mut self.first_email, line, || mask::mask_email(v));
                }
                return;
            }
        }
        if self.role.name && quasi::is_name_like(v) {
            self.name += 1;
            set_first(&mut self.first_name, line, || mask::mask_name(v));
            return;
        }
        if is_suppression_marker(v) {
            self.suppressed += 1;
            return;
        }
        self.free_text(b, line);
    }

    /// Numbers inside free text ("seen 943 476 5919 in clinic"): judged like
    /// prose, per column.
    fn free_text(&mut self, b: &[u8], line: u64) {
        self.text.observe(b);
        if b.len() <= 10 {
            return;
        }
        scan_digit_groups(b, |c| {
            if let Candidate::Ten { digits, start } = c {
                if isbn_before(b, start) {
                    return;
                }
                if !mod11_ok(&digits) {
                    self.embedded_candidates += 1;
                } else if is_synthetic_digits(&digits) {
                    self.nhs_synthetic += 1;
                    self.first_synthetic.get_or_insert(line);
                } else {
                    self.embedded_candidates += 1;
                    self.embedded_valid += 1;
                    if allocation(&digits).is_patient_range() {
                        self.embedded_in_range += 1;
                    }
                    self.first_embedded.get_or_insert((line, digits));
                }
            }
        });
    }

    fn share(&self, n: usize) -> f64 {
        if self.non_empty == 0 {
            0.0
        } else {
            n as f64 / self.non_empty as f64
        }
    }
}

/// Streaming per-column statistics for one table.
#[derive(Debug)]
pub(super) struct TableAnalyzer {
    columns: Vec<Column>,
    rows: usize,
    max_rows: usize,
    threshold: u64,
    /// Set until the header is decided (by row 1, or by the rows under a preamble).
    awaiting_header: bool,
    /// Rows held back while a preamble is read past (see `header.rs`).
    held: Option<HeldRows>,
}

impl TableAnalyzer {
    pub(super) fn new(opts: &ScanOptions) -> TableAnalyzer {
        TableAnalyzer {
            columns: Vec::new(),
            rows: 0,
            max_rows: opts.max_rows,
            threshold: opts.small_number_threshold,
            awaiting_header: true,
            held: None,
        }
    }

    /// Whether the row budget is spent; readers stop pulling rows then.
    pub(super) fn is_full(&self) -> bool {
        self.rows >= self.max_rows
    }

    /// Feed one row; the first row is taken as the header unless it holds
    /// values, or unless it opens a preamble (a title, a blank line) above the
    /// real header. `line` is the 1-based line or row number.
    pub(super) fn push_row<'s, I>(&mut self, cells: I, line: u64)
    where
        I: IntoIterator<Item = &'s str>,
    {
        if self.awaiting_header {
            let cells: Vec<&str> = cells.into_iter().take(MAX_COLUMNS).collect();
            match &mut self.held {
                None if filled(&cells) >= 2 => self.first_row(&cells, line),
                None => {
                    let mut held = HeldRows::default();
                    held.push(&cells, line);
                    self.held = Some(held);
                }
                Some(held) => {
                    held.push(&cells, line);
                    match held.header_at() {
                        HeaderAt::Pending => {}
                        found => self.release_held(found),
                    }
                }
            }
            return;
        }
        self.push_data(cells, line);
    }

    /// Row 1 as header, or as data when it holds values.
    fn first_row(&mut self, cells: &[&str], line: u64) {
        self.awaiting_header = false;
        if cells.iter().any(|c| looks_like_value(c)) {
            self.push_data(cells.iter().copied(), line);
        } else {
            self.columns = cells.iter().map(|h| Column::new(h)).collect();
        }
    }

    /// Ends the search for a header below a preamble: the held rows are fed as
    /// the decision says, the preamble (if any) dropped.
    fn release_held(&mut self, found: HeaderAt) {
        let Some(held) = self.held.take() else {
            return;
        };
        let mut rows = held.into_rows().into_iter();
        if let HeaderAt::Row(at) = found {
            log::debug!("table header found below {at} preamble row(s)");
            rows.by_ref().take(at).for_each(drop);
        }
        if let Some((cells, line)) = rows.next() {
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            self.first_row(&cells, line);
        }
        for (cells, line) in rows {
            self.push_data(cells.iter().map(String::as_str), line);
        }
        self.awaiting_header = false;
    }

    fn push_data<'s, I>(&mut self, cells: I, line: u64)
    where
        I: IntoIterator<Item = &'s str>,
    {
        if self.is_full() {
            return;
        }
        self.rows += 1;
        for (i, cell) in cells.into_iter().take(MAX_COLUMNS).enumerate() {
            if i >= self.columns.len() {
                let name = format!("column {}", i + 1);
                self.columns.push(Column::new(&name));
            }
            self.columns[i].observe(cell, line, self.threshold);
        }
    }

    /// Sets an explicit header row (Markdown, HTML, JSON keys). A header
    /// cell that looks like a value is renamed, so it cannot leak through
    /// `column`.
    pub(super) fn set_header<'s, I>(&mut self, headers: I)
    where
        I: IntoIterator<Item = &'s str>,
    {
        self.awaiting_header = false;
        self.columns = headers
            .into_iter()
            .take(MAX_COLUMNS)
            .enumerate()
            .map(|(i, h)| {
                if looks_like_value(h) {
                    Column::new(&format!("column {}", i + 1))
                } else {
                    Column::new(h)
                }
            })
            .collect();
    }

    /// Adds a column with a role decided by the caller (records give dotted
    /// key paths, whose leaf and parents say different things); `None` past
    /// the column cap.
    pub(super) fn add_column(&mut self, header: &str, role: HeaderRole) -> Option<usize> {
        self.awaiting_header = false;
        if self.columns.len() >= MAX_COLUMNS {
            return None;
        }
        let i = self.columns.len();
        let mut col = if looks_like_value(header) {
            Column::new(&format!("column {}", i + 1))
        } else {
            Column::new(header)
        };
        col.role = role;
        self.columns.push(col);
        Some(i)
    }

    /// Feeds one record as (column, value) pairs; a column may take several
    /// values from one record (the elements of an array).
    pub(super) fn push_cells(&mut self, cells: &[(usize, &str)], line: u64) {
        if self.is_full() {
            return;
        }
        self.rows += 1;
        for &(i, v) in cells {
            if let Some(col) = self.columns.get_mut(i) {
                col.observe(v, line, self.threshold);
            }
        }
    }

    /// Judge columns and the table, appending detections and evidence.
    pub(super) fn finish(mut self, src: &TableSource, out: &mut FileScan) {
        // A table shorter than a preamble's look-ahead is read as before.
        self.release_held(HeaderAt::First);
        let where_ = if src.location.is_empty() {
            String::new()
        } else {
            format!(" ({})", src.location)
        };
        let basis = |kind: Kind, col: &Column| {
            format!(
                "{}|{}|{}|{}",
                kind.as_str(),
                src.path,
                src.location,
                col.header
            )
        };
        let mut found: Vec<Detection> = Vec::new();
        let mut pending: Vec<(Kind, usize)> = Vec::new();
        let mut anchors = 0usize;
        let mut kinds: Vec<Kind> = Vec::new();
        for (ci, col) in self.columns.iter().enumerate() {
            if col.non_empty == 0 {
                continue;
            }
            if col.nhs_synthetic > 0 {
                out.synthetic.push(SyntheticEvidence {
                    path: src.path.clone(),
                    line: col.first_synthetic,
                    what: format!(
                        "{} NHS numbers in the 999 test range in column `{}`{where_}",
                        col.nhs_synthetic, col.header
                    ),
                });
            }
            if col.pseudo_postcode > 0 {
                out.synthetic.push(SyntheticEvidence {
                    path: src.path.clone(),
                    line: col.first_pseudo,
                    what: format!(
                        "{} ZZ99 pseudo-postcodes in column `{}`{where_}",
                        col.pseudo_postcode, col.header
                    ),
                });
            }
            let nhs_share = col.share(col.nhs_valid + col.nhs_synthetic);
            if col.role.chi && col.chi_valid > 0 && col.share(col.chi_valid) >= NHS_COLUMN_SHARE {
                let (line, d) = col.first_chi.unwrap_or_default();
                let d = std::str::from_utf8(&d).unwrap_or("");
                found.push(Detection {
                    kind: Kind::ChiNumber,
                    strength: Strength::Strong,
                    path: src.path.clone(),
                    line: Some(line),
                    column: Some(col.header.clone()),
                    count: col.chi_valid,
                    excerpt: mask::mask_chi_number(d),
                    message: format!(
                        "Column `{}`{where_} holds {} valid CHI numbers ({:.0}% of {} values)",
                        col.header,
                        col.chi_valid,
                        col.share(col.chi_valid) * 100.0,
                        col.non_empty
                    ),
                    fingerprint_basis: basis(Kind::ChiNumber, col),
                });
                anchors += 1;
                kinds.push(Kind::ChiNumber);
            } else if col.nhs_valid > 0
                && (nhs_share >= NHS_COLUMN_SHARE
                    || (col.role.patient_like
                        && col.nhs_valid >= 3
                        && nhs_share >= NHS_COLUMN_SHARE_PATIENT_HEADER))
            {
                // Ranges and the header's meaning tell an NHS number from an
                // ISBN-10 or another scheme with the same check digit.
                let in_range =
                    col.nhs_in_range as f64 >= NHS_COLUMN_IN_RANGE_SHARE * col.nhs_valid as f64;
                let strong = in_range
                    && !col.role.other_id
                    && (col.role.patient_like
                        || (nhs_share >= NHS_COLUMN_SHARE_NO_HEADER
                            && col.nhs_valid >= NHS_COLUMN_MIN_VALUES_NO_HEADER));
                let why_weak = if col.role.other_id {
                    "; its header names another kind of identifier"
                } else if !in_range {
                    "; most lie outside the ranges issued to patients (England and Wales 4, 6, 7; CHI; H&C)"
                } else {
                    ""
                };
                let (line, d) = col.first_nhs.unwrap_or_default();
                let d = std::str::from_utf8(&d).unwrap_or("");
                found.push(Detection {
                    kind: Kind::NhsNumber,
                    strength: if strong { Strength::Strong } else { Strength::Weak },
                    path: src.path.clone(),
                    line: Some(line),
                    column: Some(col.header.clone()),
                    count: col.nhs_valid,
                    excerpt: mask::mask_nhs_number(d),
                    message: format!(
                        "Column `{}`{where_} holds {} values that pass the NHS number check digit ({:.0}% of {} values){why_weak}",
                        col.header,
                        col.nhs_valid,
                        nhs_share * 100.0,
                        col.non_empty
                    ),
                    fingerprint_basis: basis(Kind::NhsNumber, col),
                });
                if strong {
                    anchors += 1;
                    kinds.push(Kind::NhsNumber);
                }
            }
            // Free-text cells: as in prose, mostly-invalid numbers are ids.
            let emb = col.embedded_valid;
            if emb > 0 && !(col.embedded_candidates >= 5 && emb * 2 < col.embedded_candidates) {
                let strong = col.embedded_in_range >= 3 && !col.role.other_id;
                let (line, d) = col.first_embedded.unwrap_or_default();
                let d = std::str::from_utf8(&d).unwrap_or("");
                found.push(Detection {
                    kind: Kind::NhsNumber,
                    strength: if strong { Strength::Strong } else { Strength::Weak },
                    path: src.path.clone(),
                    line: Some(line),
                    column: Some(col.header.clone()),
                    count: emb,
                    excerpt: mask::mask_nhs_number(d),
                    message: format!(
                        "Free text in column `{}`{where_} contains {emb} values that pass the NHS number check digit",
                        col.header
                    ),
                    fingerprint_basis: format!("{}|free-text", basis(Kind::NhsNumber, col)),
                });
                if strong {
                    anchors += 1;
                    kinds.push(Kind::NhsNumber);
                }
            }
            if col.ni > 0 && col.share(col.ni) >= 0.8 {
                anchors += 1;
                kinds.push(Kind::NiNumber);
                pending.push((Kind::NiNumber, ci));
            }
            if col.role.dob && col.date > 0 && col.share(col.date) >= 0.5 {
                anchors += 1;
                kinds.push(Kind::DateOfBirth);
                pending.push((Kind::DateOfBirth, ci));
            }
            if col.role.name && col.name > 0 && col.share(col.name) >= 0.5 {
                anchors += 1;
                kinds.push(Kind::PersonName);
                pending.push((Kind::PersonName, ci));
            }
            let postcode_share = col.share(col.postcode + col.pseudo_postcode);
            if col.postcode > 0
                && (postcode_share >= 0.8 || (col.role.postcode && postcode_share >= 0.5))
            {
                kinds.push(Kind::Postcode);
                pending.push((Kind::Postcode, ci));
            }
            if col.email > 0 && col.share(col.email) >= 0.8 {
                kinds.push(Kind::Email);
                pending.push((Kind::Email, ci));
            }
            if col.role.phone && col.phone > 0 && col.share(col.phone) >= 0.5 {
                kinds.push(Kind::Phone);
                pending.push((Kind::Phone, ci));
            }
        }
        kinds.sort();
        kinds.dedup();
        let combined = kinds.len() >= 2 && anchors > 0;
        // Phones and emails next to practice or organisation codes, with no
        // person-level column, are a directory of services, not people.
        let org_table = anchors == 0
            && self
                .columns
                .iter()
                .any(|c| c.role.geography && c.non_empty > 0);
        // A table keyed by 999-range NHS numbers or ZZ99 postcodes and with
        // no real identifier is dummy data: its names and birth dates are
        // invented too, so they are reported but not as errors.
        let synthetic_table = !kinds.contains(&Kind::NhsNumber)
            && !kinds.contains(&Kind::ChiNumber)
            && self.columns.iter().any(|c| {
                (c.nhs_synthetic > 0 && c.nhs_valid == 0 && c.share(c.nhs_synthetic) >= 0.8)
                    || (c.pseudo_postcode > 0
                        && c.postcode == 0
                        && c.share(c.pseudo_postcode) >= 0.8)
            });
        // A test fixture or a documented example with a real-looking NHS or CHI number
        // column stays an alarm.
        let no_patient_number =
            !kinds.contains(&Kind::NhsNumber) && !kinds.contains(&Kind::ChiNumber);
        let test_material =
            crate::checks::paths::is_test_or_example(&src.path) && no_patient_number;
        let documented_example = src.introduced_as_example && no_patient_number;
        for (kind, ci) in pending {
            let col = &self.columns[ci];
            let (n, first, what) = match kind {
                Kind::NiNumber => (col.ni, &col.first_ni, "National Insurance numbers"),
                Kind::DateOfBirth => (col.date, &col.first_date, "dates of birth"),
                Kind::PersonName => (col.name, &col.first_name, "personal names"),
                Kind::Postcode => (col.postcode, &col.first_postcode, "full postcodes"),
                Kind::Email => (col.email, &col.first_email, "email addresses"),
                _ => (col.phone, &col.first_phone, "phone numbers"),
            };
            let strength = match kind {
                Kind::NiNumber if col.role.ni || combined => Some(Strength::Strong),
                Kind::NiNumber => Some(Strength::Weak),
                Kind::DateOfBirth | Kind::PersonName if combined => Some(Strength::Strong),
                Kind::PersonName if col.role.patient_like => Some(Strength::Strong),
                Kind::DateOfBirth | Kind::PersonName => Some(Strength::Weak),
                Kind::Postcode | Kind::Email | Kind::Phone if anchors > 0 && combined => {
                    Some(Strength::Strong)
                }
                Kind::Postcode if col.role.person_context => Some(Strength::Weak),
                Kind::Email | Kind::Phone if !src.document && !org_table && !col.role.geography => {
                    Some(Strength::Weak)
                }
                _ => None,
            };
            let Some(mut strength) = strength else {
                continue;
            };
            let (line, excerpt) = first.clone().unwrap_or_default();
            let note = if synthetic_table {
                strength = Strength::Weak;
                " in a table whose identifiers are synthetic (999-range NHS numbers or ZZ99 postcodes)"
            } else if test_material {
                // Test fixtures and API mocks are made of invented people with real-looking
                // dates and postcodes: without an NHS or CHI number beside them they are listed
                // for a look, not raised as an alarm.
                strength = Strength::Weak;
                " in test or example material"
            } else if documented_example {
                strength = Strength::Weak;
                " in a table the document introduces as example data"
            } else if combined {
                " alongside other identifiers in the same table"
            } else {
                ""
            };
            found.push(Detection {
                kind,
                strength,
                path: src.path.clone(),
                line: Some(line),
                column: Some(col.header.clone()),
                count: n,
                excerpt,
                message: format!("Column `{}`{where_} holds {n} {what}{note}", col.header),
                fingerprint_basis: basis(kind, col),
            });
        }
        if anchors == 0 {
            self.small_numbers(src, &where_, &mut found);
        }
        out.detections.extend(found);
        if !src.document {
            for col in &self.columns {
                if let Some(reason) = col.text.verdict(col.non_empty, col.role.free_text) {
                    out.free_text.push(super::FreeTextColumn {
                        column: col.header.clone(),
                        location: src.location.clone(),
                        values: col.text.values(),
                        reason,
                    });
                }
            }
        }
    }

    /// Counts 1..=threshold in an aggregate table (one with a geography or
    /// organisation column) risk re-identification; suppressed tables use
    /// markers such as `*` or `[c]` instead.
    fn small_numbers(&self, src: &TableSource, where_: &str, found: &mut Vec<Detection>) {
        let has_geo = self
            .columns
            .iter()
            .any(|c| c.role.geography && c.non_empty > 0);
        if !has_geo {
            return;
        }
        let small_area = self
            .columns
            .iter()
            .any(|c| c.role.small_area && c.non_empty > 0);
        for col in &self.columns {
            let r = &col.role;
            // `patient_count` is a count; identifier columns never hold
            // values as small as the threshold, so they need no exclusion.
            if r.geography || r.not_count || r.postcode || r.phone || r.chi {
                continue;
            }
            if col.small == 0 || col.share(col.int + col.suppressed) < 0.9 {
                continue;
            }
            // 0 and 1 only: a flag (`open`, `dispensing`), unless the header counts people,
            // where ones by practice are as disclosive as any other small count.
            if col.int_max <= 1 && !r.people_count {
                continue;
            }
            // Named for a count of people or activity beside a practice or
            // small-area key: disclosive wherever the table sits, a CSV or the
            // rendered report (Markdown, HTML, R Markdown, Quarto) built from
            // it. By region or country it is listed (tutorials, national tables).
            let strong = r.people_count && small_area && self.rows >= 2;
            let excerpt = format!(
                "{} cells between 1 and {} in column `{}`",
                col.small, self.threshold, col.header
            );
            found.push(Detection {
                kind: Kind::SmallNumbers,
                strength: if strong {
                    Strength::Strong
                } else {
                    Strength::Weak
                },
                path: src.path.clone(),
                line: col.first_small,
                column: Some(col.header.clone()),
                count: col.small,
                message: format!(
                    "Aggregate table{where_} has {excerpt}; counts this small may identify people unless suppressed"
                ),
                excerpt,
                fingerprint_basis: format!(
                    "{}|{}|{}|{}",
                    Kind::SmallNumbers.as_str(),
                    src.path,
                    src.location,
                    col.header
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::delimited::{LineCap, scan_delimited};
    use super::super::testgen::{Rng, valid_nhs};
    use super::*;
    use std::io::Read;

    fn run(csv: &str) -> FileScan {
        run_at("t.csv", csv)
    }

    fn run_at(path: &str, csv: &str) -> FileScan {
        let mut out = FileScan::default();
        let src = TableSource {
            path: path.into(),
            ..TableSource::default()
        };
        scan_delimited(
            &src,
            &mut csv.as_bytes(),
            None,
            &ScanOptions::default(),
            &mut out,
        );
        out
    }

    #[test]
    fn nhs_column_with_patient_header_is_strong() {
        let out = run("nhs_number,age\n7860960575,40\n4010232137,50\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
        let d = &out.detections[0];
        assert_eq!(
            (d.kind, d.strength, d.count, d.line),
            (Kind::NhsNumber, Strength::Strong, 2, Some(2))
        );
        assert_eq!(d.excerpt, "786 *** ****");
    }

    fn nhs_detection(out: &FileScan) -> &Detection {
        out.detections
            .iter()
            .find(|d| d.kind == Kind::NhsNumber)
            .unwrap_or_else(|| panic!("no NHS number detection: {out:?}"))
    }

    /// The tester's p27: a title line and a blank line above the header made the header a
    /// value, lost its meaning and pulled the share of valid numbers under the bar.
    #[test]
    fn a_title_and_a_blank_line_above_the_header_are_not_values() {
        let mut rng = Rng::new(27);
        let mut csv = String::from(
            "Patient extract - Trust PAS - run 2024-02-01\n\nNHS Number,Surname,Ward\n",
        );
        for i in 0..20 {
            csv.push_str(&format!(
                "{},Surname{i},Ward {}\n",
                valid_nhs(&mut rng),
                i % 5
            ));
        }
        let out = run(&csv);
        let d = nhs_detection(&out);
        assert_eq!(
            (d.strength, d.count, d.column.as_deref(), d.line),
            (Strength::Strong, 20, Some("NHS Number"), Some(4))
        );
        assert!(d.message.contains("(100% of 20 values)"), "{}", d.message);
    }

    /// The tester's p29: pandas writes an identifier column with a blank as floats, and Excel
    /// or R may write it in E-notation; the numbers are the same. Decimals are not identifiers.
    #[test]
    fn identifiers_written_as_whole_number_floats_are_read() {
        let mut rng = Rng::new(29);
        let mut floats = String::from(",nhs_number,age\n");
        let mut sci = String::from("id,age\n");
        let mut decimals = String::from("value,age\n");
        for i in 0..20 {
            let n = valid_nhs(&mut rng);
            floats.push_str(&format!("{i},{n}.0,{}\n", 20 + i));
            sci.push_str(&format!("{}.{}E+09,{}\n", &n[..1], &n[1..], 20 + i));
            // A valid number with a fraction after it is a measurement, not an identifier.
            decimals.push_str(&format!("{n}.5,{}\n", 20 + i));
        }
        for (csv, header) in [(&floats, "nhs_number"), (&sci, "id")] {
            let out = run(csv);
            let d = nhs_detection(&out);
            assert_eq!(
                (d.strength, d.count, d.column.as_deref()),
                (Strength::Strong, 20, Some(header)),
                "{out:?}"
            );
        }
        let out = run(&decimals);
        assert!(
            out.detections.iter().all(|d| d.kind != Kind::NhsNumber),
            "{out:?}"
        );
    }

    /// A one-column table holds one cell a row from the top, so nothing marks a preamble:
    /// row 1 stays its header, whether the table ends before the look-ahead does or not.
    #[test]
    fn a_one_column_table_keeps_its_first_row_as_header() {
        let mut rng = Rng::new(3);
        for rows in [3, 30] {
            let mut csv = String::from("nhs_no\n");
            for _ in 0..rows {
                csv.push_str(&valid_nhs(&mut rng));
                csv.push('\n');
            }
            let out = run(&csv);
            let d = nhs_detection(&out);
            assert_eq!(
                (d.strength, d.count, d.column.as_deref(), d.line),
                (Strength::Strong, rows, Some("nhs_no"), Some(2)),
                "{rows} rows"
            );
        }
    }

    #[test]
    fn headerless_table_does_not_leak_first_row() {
        let out = run("9434765919,40\n4010232137,50\n");
        let d = &out.detections[0];
        assert_eq!(d.column.as_deref(), Some("column 1"));
        assert_eq!(d.strength, Strength::Weak);
    }

    #[test]
    fn synthetic_column_is_evidence_not_detection() {
        let out = run("nhs_number\n9990000018\n9990000026\n");
        assert!(out.detections.is_empty(), "{out:?}");
        assert_eq!(out.synthetic.len(), 1);
    }

    #[test]
    fn small_numbers_need_geography() {
        let out = run("icb,attendances,year\nQWE,3,2023\nQWO,120,2023\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(
            out.detections[0].excerpt,
            "1 cells between 1 and 7 in column `attendances`"
        );
        let out = run("gp_practice_code,patient_count\nA81001,5\nA81002,300\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
        let out = run("region,rate_per_1000,year\nN,3,2023\nS,120,2023\n");
        assert!(out.detections.is_empty(), "{out:?}");
        let out = run("thing,attendances\nA,3\nB,120\n");
        assert!(out.detections.is_empty());
    }

    /// The tester's n37: a 0/1 `open` flag by practice was listed as small counts. Ones and
    /// zeros under a header that counts people are still counts.
    #[test]
    fn a_zero_one_flag_is_not_a_count() {
        let flag = "gp_practice_code,open\nA81001,1\nA81002,0\nA81003,1\n";
        let out = run(flag);
        assert!(out.detections.is_empty(), "{out:?}");
        let counts = "gp_practice_code,deaths\nA81001,1\nA81002,0\nA81003,1\n";
        let out = run(counts);
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(
            (out.detections[0].kind, out.detections[0].strength),
            (Kind::SmallNumbers, Strength::Strong)
        );
        // A 2 makes the same column a count again.
        let out = run("gp_practice_code,open\nA81001,1\nA81002,2\nA81003,1\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
    }

    /// Counts by a type of organisation key no place (phmi's Django fixture of activities by
    /// `org_type`); the same counts by organisation do.
    #[test]
    fn a_classification_of_places_keys_no_small_numbers() {
        let by_type = "org_type,admissions\n3,1\n4,2\n5,6\n";
        assert!(run(by_type).detections.is_empty(), "{:?}", run(by_type));
        let by_org = "org_code,admissions\nA81001,1\nA81002,2\nA81003,6\n";
        let out = run(by_org);
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::SmallNumbers);
    }

    #[test]
    fn postcode_alone_is_not_flagged_but_with_dob_is_strong() {
        let out = run("practice,postcode\nA81001,LS1 4AP\nA81002,M1 1AE\n");
        assert!(out.detections.is_empty(), "{out:?}");
        let out = run("dob,postcode\n1970-01-02,LS1 4AP\n1981-03-04,M1 1AE\n");
        assert_eq!(out.detections.len(), 2, "{out:?}");
        assert!(
            out.detections
                .iter()
                .all(|d| d.strength == Strength::Strong)
        );
    }

    /// API mocks and test fixtures hold invented people: dates and postcodes there are listed,
    /// not raised, unless an NHS number column sits beside them.
    #[test]
    fn quasi_identifiers_in_test_material_are_weak_unless_beside_nhs_numbers() {
        let people = "dob,postcode\n1970-01-02,LS1 4AP\n1981-03-04,M1 1AE\n";
        for path in [
            "tests/fixtures/people.csv",
            "karate-tests/src/test/mocks/p.csv",
        ] {
            let out = run_at(path, people);
            assert_eq!(out.detections.len(), 2, "{path}: {out:?}");
            assert!(
                out.detections.iter().all(|d| d.strength == Strength::Weak),
                "{path}: {out:?}"
            );
        }
        let with_numbers = "nhs_number,dob,postcode\n4010232137,1970-01-02,LS1 4AP\n4505577104,1981-03-04,M1 1AE\n";
        let out = run_at("tests/fixtures/people.csv", with_numbers);
        assert!(out.detections.iter().any(|d| d.kind == Kind::DateOfBirth));
        assert!(
            out.detections
                .iter()
                .filter(|d| d.kind != Kind::NhsNumber)
                .all(|d| d.strength == Strength::Strong),
            "{out:?}"
        );
    }

    #[test]
    fn numbers_in_free_text_cells() {
        let out = run(
            "id,notes\n1,\"seen 786 096 0575 today\"\n2,\"ref 4010232137\"\n3,\"4505577104 (dup)\"\n",
        );
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].strength, Strength::Strong);
        assert_eq!(out.detections[0].column.as_deref(), Some("notes"));
        let out = run("id,notes\n1,\"job 1234567890 done\"\n");
        assert!(out.detections.is_empty(), "{out:?}");
    }

    #[test]
    fn names_next_to_synthetic_ids_are_weak() {
        let out = run(
            "nhs_number,forename,date_of_birth,postcode\n9990000018,Nullo,1964-12-04,ZZ99 1EU\n9990000026,Sample,1931-04-29,ZZ99 9RF\n",
        );
        assert!(!out.detections.is_empty());
        assert!(
            out.detections.iter().all(|d| d.strength == Strength::Weak),
            "{out:?}"
        );
        assert_eq!(out.synthetic.len(), 2);
    }

    #[test]
    fn malformed_and_binary_input_does_not_panic() {
        let _ = run("a,\"b\nc,\"\"d\n\u{0}\u{1},\u{ff}\n");
        let mut out = FileScan::default();
        let bytes: &[u8] = &[0xff, 0xfe, b',', b'\n', 0x80, b'"', b'\n'];
        scan_delimited(
            &TableSource::default(),
            &mut &bytes[..],
            None,
            &ScanOptions::default(),
            &mut out,
        );
    }

    #[test]
    fn line_cap_limits_lines() {
        let data = [b'a'; 100];
        let mut r = LineCap::new(&data[..], 10);
        let mut s = Vec::new();
        r.read_to_end(&mut s).unwrap();
        assert_eq!(s.len(), 10);
    }
}
