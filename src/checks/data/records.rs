//! JSON, NDJSON and YAML records (API extracts, `to_json(orient="records")`,
//! FHIR-like documents) read as tables, so their fields are judged per column
//! like CSV.
//!
//! Nested records are flattened into columns named by their key path:
//!
//! - object keys are joined with `.`: `{"patient": {"nhs_number": …}}` gives
//!   the column `patient.nhs_number`;
//! - an array inside a record adds `[]` to its key, and every element goes
//!   into that one column: `{"addresses": [{"postcode": …}, {"postcode": …}]}`
//!   gives two values in `addresses[].postcode`, `{"codes": ["A", "B"]}` two
//!   values in `codes[]`.
//!
//! So a column is "every value at this path", whatever the record's shape,
//! and the column's counters (share of valid NHS numbers, postcodes …) mean
//! what they mean for CSV. A column's header meaning comes from its whole
//! path, except that the leaf decides whether it names a patient identifier
//! or another scheme, and failing that the nearest parent that does
//! (`patient.id` is a patient id, `order.id` is not, `order.patient_id` is).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use crate::checks::json::Json;

use super::delimited::LineCap;
use super::header::looks_like_value;
use super::quasi::HeaderRole;
use super::table::{TableAnalyzer, TableSource};
use super::{FileScan, ScanOptions};

/// Columns per table; wide records keep their first keys.
const MAX_KEYS: usize = 512;
/// Arrays of records judged per file.
const MAX_TABLES: usize = 50;
/// How deep in a document arrays of records are looked for.
const MAX_DEPTH: usize = 4;
/// How deep inside one record values are followed; deeper values are dropped.
const MAX_RECORD_DEPTH: usize = 8;
/// Values taken from one record, so one huge record cannot stall a scan.
const MAX_VALUES_PER_RECORD: usize = 4096;
/// Longest key path kept as a column name (bytes).
const MAX_PATH: usize = 200;

/// What a key path says about its column (see the module comment).
fn role_for_path(path: &str) -> HeaderRole {
    let mut role = HeaderRole::from_header(path);
    let segments: Vec<&str> = path
        .split('.')
        .map(|s| s.trim_end_matches("[]"))
        .filter(|s| !s.is_empty())
        .collect();
    let decided = segments
        .iter()
        .rev()
        .map(|s| HeaderRole::from_header(s))
        .find(|r| r.patient_like || r.other_id);
    match decided {
        Some(r) => {
            role.patient_like = r.patient_like;
            role.other_id = r.other_id;
        }
        None => {
            role.patient_like = false;
            role.other_id = false;
        }
    }
    role
}

/// A table fed record by record, with columns discovered as keys appear.
struct RecordTable {
    table: TableAnalyzer,
    columns: HashMap<String, Option<usize>>,
    path: String,
}

impl RecordTable {
    fn new(opts: &ScanOptions) -> RecordTable {
        RecordTable {
            table: TableAnalyzer::new(opts),
            columns: HashMap::new(),
            path: String::new(),
        }
    }

    fn is_full(&self) -> bool {
        self.table.is_full()
    }

    fn push(&mut self, record: &[(Cow<'_, str>, Json<'_>)], line: u64) {
        if self.is_full() {
            return;
        }
        let mut cells: Vec<(usize, Cow<'_, str>)> = Vec::new();
        self.path.clear();
        self.flatten_map(record, 0, &mut cells);
        let refs: Vec<(usize, &str)> = cells.iter().map(|(i, v)| (*i, v.as_ref())).collect();
        self.table.push_cells(&refs, line);
    }

    /// One entry of a map keyed by identifiers: the key in the key column, the value's fields
    /// in columns of their own, as if the entry were a record.
    fn push_keyed<'v>(
        &mut self,
        key_column: Option<usize>,
        key: &'v str,
        value: &'v Json<'v>,
        line: u64,
    ) {
        if self.is_full() {
            return;
        }
        let mut cells: Vec<(usize, Cow<'v, str>)> = Vec::new();
        if let Some(col) = key_column {
            cells.push((col, Cow::Borrowed(key)));
        }
        self.path.clear();
        match value {
            Json::Object(m) => self.flatten_map(m, 0, &mut cells),
            other => {
                self.path.push_str("value");
                self.flatten_value(other, 1, &mut cells);
            }
        }
        let refs: Vec<(usize, &str)> = cells.iter().map(|(i, v)| (*i, v.as_ref())).collect();
        self.table.push_cells(&refs, line);
    }

    fn flatten_map<'v>(
        &mut self,
        map: &'v [(Cow<'v, str>, Json<'v>)],
        depth: usize,
        cells: &mut Vec<(usize, Cow<'v, str>)>,
    ) {
        for (key, value) in map {
            if cells.len() >= MAX_VALUES_PER_RECORD {
                return;
            }
            let before = self.path.len();
            if before > 0 {
                self.path.push('.');
            }
            // Keys can be identifiers ({"943…": {...}}); never echo them.
            let shown = if looks_like_value(key) {
                "*"
            } else {
                key.as_ref()
            };
            self.path.push_str(shown);
            self.flatten_value(value, depth + 1, cells);
            self.path.truncate(before);
        }
    }

    fn flatten_value<'v>(
        &mut self,
        value: &'v Json<'v>,
        depth: usize,
        cells: &mut Vec<(usize, Cow<'v, str>)>,
    ) {
        if depth > MAX_RECORD_DEPTH || self.path.len() > MAX_PATH {
            return;
        }
        let text: Cow<'v, str> = match value {
            Json::Object(m) => return self.flatten_map(m, depth, cells),
            Json::Array(items) => {
                let before = self.path.len();
                self.path.push_str("[]");
                for item in items {
                    if cells.len() >= MAX_VALUES_PER_RECORD {
                        break;
                    }
                    self.flatten_value(item, depth + 1, cells);
                }
                self.path.truncate(before);
                return;
            }
            scalar => match scalar_text(scalar) {
                Some(text) => text,
                None => return,
            },
        };
        if let Some(col) = self.column() {
            cells.push((col, text));
        }
    }

    /// The column for the current key path, added on first sight.
    fn column(&mut self) -> Option<usize> {
        if let Some(col) = self.columns.get(self.path.as_str()) {
            return *col;
        }
        if self.columns.len() >= MAX_KEYS {
            return None;
        }
        let col = self.table.add_column(&self.path, role_for_path(&self.path));
        self.columns.insert(self.path.clone(), col);
        col
    }

    fn finish(self, src: &TableSource, out: &mut FileScan) {
        self.table.finish(src, out);
    }
}

fn cell<'v>(v: &'v Json) -> Cow<'v, str> {
    scalar_text(v).unwrap_or(Cow::Borrowed(""))
}

/// A scalar as a table cell's text: strings as they are, numbers as written; `None` for null,
/// booleans and containers, which say nothing about people.
fn scalar_text<'v>(v: &'v Json) -> Option<Cow<'v, str>> {
    match v {
        Json::String(s) => Some(Cow::Borrowed(s.as_ref())),
        Json::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Judges every array of records found in `v` (top level or nested under
/// object keys). Returns whether any table was found.
pub(super) fn scan_json_value(
    src: &TableSource,
    v: &Json,
    opts: &ScanOptions,
    out: &mut FileScan,
) -> bool {
    let mut found = 0usize;
    walk(src, v, "", 0, opts, out, &mut found);
    found > 0
}

fn walk(
    src: &TableSource,
    v: &Json,
    pointer: &str,
    depth: usize,
    opts: &ScanOptions,
    out: &mut FileScan,
    found: &mut usize,
) {
    if depth > MAX_DEPTH || *found >= MAX_TABLES {
        return;
    }
    let located = |location: &str| TableSource {
        path: src.path.clone(),
        location: location.to_string(),
        document: src.document,
        introduced_as_example: false,
    };
    match v {
        Json::Array(items) if items.iter().take(10).any(Json::is_object) => {
            *found += 1;
            let mut table = RecordTable::new(opts);
            for (i, it) in items.iter().enumerate() {
                if table.is_full() {
                    break;
                }
                if let Json::Object(m) = it {
                    table.push(m, i as u64 + 1);
                }
            }
            table.finish(&located(pointer), out);
        }
        Json::Array(items) if items.first().is_some_and(Json::is_array) => {
            // [[header…], [row…], …]
            *found += 1;
            let mut table = TableAnalyzer::new(opts);
            for (i, it) in items.iter().enumerate() {
                if table.is_full() {
                    break;
                }
                if let Json::Array(cells) = it {
                    let row: Vec<Cow<str>> = cells.iter().map(cell).collect();
                    table.push_row(row.iter().map(Cow::as_ref), i as u64 + 1);
                }
            }
            table.finish(&located(pointer), out);
        }
        Json::Object(m) if is_keyed_by_ids(m) => {
            *found += 1;
            // The map's own key names the ids (`by_nhs`, `patients`); a top-level map has none.
            let header = match pointer.rsplit('/').next() {
                Some(k) if !k.is_empty() && k != "*" => k,
                _ => "keys",
            };
            let mut table = RecordTable::new(opts);
            let key_column = table.table.add_column(header, role_for_path(header));
            for (i, (k, child)) in m.iter().enumerate() {
                if table.is_full() {
                    break;
                }
                table.push_keyed(key_column, k, child, i as u64 + 1);
            }
            table.finish(&located(pointer), out);
        }
        Json::Object(m) => {
            for (k, child) in m.iter().take(1000) {
                let shown = if looks_like_value(k) { "*" } else { k.as_ref() };
                let p: String = format!("{pointer}/{shown}").chars().take(200).collect();
                walk(src, child, &p, depth + 1, opts, out, found);
            }
        }
        _ => {}
    }
}

/// A map keyed by identifiers (`{"4010232137": {...}, ...}`, a lookup or cache by NHS
/// number): two or more keys, every one ten digits. Its keys are then a column of values, judged
/// like any other; a map of settings or names never qualifies.
fn is_keyed_by_ids(m: &[(Cow<'_, str>, Json<'_>)]) -> bool {
    m.len() >= 2
        && m.iter()
            .all(|(k, _)| super::digits::ten_digits(k).is_some())
}

/// One JSON object per line, streamed with a line cap and a row cap; nested
/// objects are flattened like JSON records.
pub(super) fn scan_ndjson(
    src: &TableSource,
    reader: &mut dyn Read,
    opts: &ScanOptions,
    out: &mut FileScan,
) {
    let capped = LineCap::new(reader.take(opts.max_bytes), 1 << 20);
    let mut r = BufReader::with_capacity(1 << 16, capped);
    let mut table = RecordTable::new(opts);
    let mut line = Vec::new();
    let mut lineno = 0u64;
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        lineno += 1;
        if table.is_full() {
            break;
        }
        if let Ok(Json::Object(m)) = Json::parse(&line) {
            table.push(&m, lineno);
        }
    }
    table.finish(src, out);
}

#[cfg(test)]
mod tests {
    use super::super::testgen::{Rng, valid_nhs};
    use super::super::{Kind, Strength};
    use super::*;

    fn json(text: &str) -> FileScan {
        let v = Json::parse(text.as_bytes()).unwrap();
        let mut out = FileScan::default();
        let src = TableSource {
            path: "a.json".into(),
            ..Default::default()
        };
        scan_json_value(&src, &v, &ScanOptions::default(), &mut out);
        out
    }

    fn ndjson(text: &str) -> FileScan {
        let mut out = FileScan::default();
        scan_ndjson(
            &TableSource::default(),
            &mut text.as_bytes(),
            &ScanOptions::default(),
            &mut out,
        );
        out
    }

    #[test]
    fn records_and_ndjson() {
        let out = json(
            r#"{"data": [{"nhs_number": 4010232137, "age": 4}, {"nhs_number": "4505577104"}, {"nhs_number": "6331812342"}]}"#,
        );
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::NhsNumber);
        assert_eq!(out.detections[0].strength, Strength::Strong);
        let nd = "{\"patient_id\": \"4010232137\"}\nnot json\n{\"patient_id\": \"4505577104\"}\n";
        let out = ndjson(nd);
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].count, 2);
    }

    #[test]
    fn nested_patient_objects_become_dotted_columns() {
        // The issue's case: a JSON Lines extract with nested patient objects.
        let nd = [
            r#"{"id": 1, "patient": {"nhs_number": "4010232137", "address": {"postcode": "LS1 4AP"}}}"#,
            r#"{"id": 2, "patient": {"nhs_number": "4505577104", "address": {"postcode": "M1 1AE"}}}"#,
            r#"{"id": 3, "patient": {"nhs_number": "6331812342", "address": {"postcode": "B15 2TT"}}}"#,
        ]
        .join("\n");
        let out = ndjson(&nd);
        let nhs = out
            .detections
            .iter()
            .find(|d| d.kind == Kind::NhsNumber)
            .expect("nhs column");
        assert_eq!(nhs.column.as_deref(), Some("patient.nhs_number"));
        assert_eq!(nhs.strength, Strength::Strong);
        assert_eq!(nhs.count, 3);
        let pc = out
            .detections
            .iter()
            .find(|d| d.kind == Kind::Postcode)
            .expect("postcode column");
        assert_eq!(pc.column.as_deref(), Some("patient.address.postcode"));
        assert_eq!(pc.strength, Strength::Strong, "{out:?}");
    }

    #[test]
    fn arrays_inside_records_fill_one_column() {
        let out = json(
            r#"[{"visits": [{"patient": {"id": "4010232137"}}, {"patient": {"id": "4505577104"}}]},
                {"visits": [{"patient": {"id": "6331812342"}}]}]"#,
        );
        let d = &out.detections[0];
        assert_eq!(d.column.as_deref(), Some("visits[].patient.id"));
        assert_eq!((d.count, d.strength), (3, Strength::Strong));
    }

    fn keyed_map(rng: &mut Rng, count: usize) -> String {
        let entries: Vec<String> = (0..count)
            .map(|i| {
                let n = valid_nhs(rng);
                format!(
                    r#""{n}": {{"ward": "Ward {i}", "admitted": "2023-0{}-1{i}"}}"#,
                    1 + i % 9
                )
            })
            .collect();
        format!("{{{}}}", entries.join(", "))
    }

    /// The tester's p40: a cache keyed by NHS number is a column of NHS numbers, judged as a
    /// CSV column would be: under a neutral header it takes ten or more, under `by_nhs` three.
    #[test]
    fn a_map_keyed_by_ids_is_a_column_of_its_keys() {
        let mut rng = Rng::new(40);
        let top = keyed_map(&mut rng, 12);
        let out = json(&top);
        let d = out
            .detections
            .iter()
            .find(|d| d.kind == Kind::NhsNumber)
            .unwrap_or_else(|| panic!("{out:?}"));
        assert_eq!(
            (d.strength, d.count, d.column.as_deref()),
            (Strength::Strong, 12, Some("keys"))
        );
        let small = keyed_map(&mut rng, 3);
        let out = json(&format!(r#"{{"by_nhs": {small}}}"#));
        let d = &out.detections[0];
        assert_eq!(
            (d.kind, d.strength, d.count, d.column.as_deref()),
            (Kind::NhsNumber, Strength::Strong, 3, Some("by_nhs"))
        );
        // A neutral map of three is too few to rule out chance.
        let out = json(&keyed_map(&mut rng, 3));
        assert!(
            out.detections.iter().all(|d| d.strength == Strength::Weak),
            "{out:?}"
        );
        // Keys are never echoed, and a map with one other key is not a map of ids.
        let text = serde_json::to_string(&json(&top)).unwrap();
        assert!(!text.contains(&top[2..12]), "{text}");
        let mixed = top.replacen('{', r#"{"version": {"n": 1}, "#, 1);
        assert!(json(&mixed).detections.is_empty(), "{:?}", json(&mixed));
    }

    #[test]
    fn key_paths_take_identity_from_the_leaf_then_parents() {
        assert!(role_for_path("patient.id").patient_like);
        assert!(role_for_path("order.id").other_id);
        assert!(!role_for_path("order.id").patient_like);
        assert!(role_for_path("order.patient_id").patient_like);
        assert!(!role_for_path("order.patient_id").other_id);
        assert!(role_for_path("patient.order_id").other_id);
        assert!(role_for_path("practice.code").geography);
        assert!(role_for_path("patient.address.postcode").person_context);
    }

    #[test]
    fn hostile_records_are_bounded() {
        // Deep nesting within serde_json's own limit, and a very wide record.
        let deep = format!("{}1{}", "{\"a\":".repeat(100), "}".repeat(100));
        let _ = ndjson(&deep);
        let wide: String = (0..10_000)
            .map(|i| format!("\"k{i}\": {i}"))
            .collect::<Vec<_>>()
            .join(",");
        let out = ndjson(&format!("{{{wide}}}\n"));
        assert!(out.detections.is_empty());
        // Keys that look like values never become column names.
        let out = json(r#"[{"4010232137": "4505577104"}, {"4010232137": "6331812342"}]"#);
        let text = serde_json::to_string(&out).unwrap();
        assert!(!text.contains("4010232137"), "{text}");
    }
}
