//! JSON and NDJSON records (API extracts, `to_json(orient="records")`) read as
//! tables, so their fields are judged per column like CSV.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::table::{LineCap, TableAnalyzer, TableSource, looks_like_value};
use super::{FileScan, ScanOptions};

/// Columns taken from the keys of the first records; later new keys are rare
/// in extracts and would break the flat per-column memory.
const MAX_KEYS: usize = 512;
const KEY_SAMPLE: usize = 100;
const MAX_TABLES: usize = 50;
const MAX_DEPTH: usize = 4;

fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// Judges every array of records found in `v` (top level or nested under
/// object keys). Returns whether any table was found.
pub(super) fn scan_json_value(
    src: &TableSource,
    v: &Value,
    opts: &ScanOptions,
    out: &mut FileScan,
) -> bool {
    let mut found = 0usize;
    walk(src, v, "", 0, opts, out, &mut found);
    found > 0
}

fn walk(
    src: &TableSource,
    v: &Value,
    pointer: &str,
    depth: usize,
    opts: &ScanOptions,
    out: &mut FileScan,
    found: &mut usize,
) {
    if depth > MAX_DEPTH || *found >= MAX_TABLES {
        return;
    }
    match v {
        Value::Array(items) if items.iter().take(10).any(Value::is_object) => {
            *found += 1;
            let mut keys: Vec<&str> = Vec::new();
            for it in items.iter().take(KEY_SAMPLE) {
                if let Value::Object(m) = it {
                    for k in m.keys() {
                        if keys.len() < MAX_KEYS && !keys.contains(&k.as_str()) {
                            keys.push(k);
                        }
                    }
                }
            }
            let mut table = TableAnalyzer::new(opts);
            table.set_header(keys.iter().copied());
            for (i, it) in items.iter().enumerate() {
                if table.is_full() {
                    break;
                }
                if let Value::Object(m) = it {
                    let row: Vec<String> = keys
                        .iter()
                        .map(|k| m.get(*k).map(cell).unwrap_or_default())
                        .collect();
                    table.push_row(row.iter().map(String::as_str), i as u64 + 1);
                }
            }
            let s = TableSource {
                path: src.path.clone(),
                location: if pointer.is_empty() {
                    String::new()
                } else {
                    pointer.to_string()
                },
                document: src.document,
            };
            table.finish(&s, out);
        }
        Value::Array(items) if items.first().is_some_and(Value::is_array) => {
            // [[header…], [row…], …]
            *found += 1;
            let mut table = TableAnalyzer::new(opts);
            for (i, it) in items.iter().enumerate() {
                if table.is_full() {
                    break;
                }
                if let Value::Array(cells) = it {
                    let row: Vec<String> = cells.iter().map(cell).collect();
                    table.push_row(row.iter().map(String::as_str), i as u64 + 1);
                }
            }
            let s = TableSource {
                path: src.path.clone(),
                location: pointer.to_string(),
                document: src.document,
            };
            table.finish(&s, out);
        }
        Value::Object(m) => {
            for (k, child) in m.iter().take(1000) {
                // Keys can be identifiers ({"943…": {...}}); never echo them.
                let shown = if looks_like_value(k) { "*" } else { k.as_str() };
                let p: String = format!("{pointer}/{shown}").chars().take(200).collect();
                walk(src, child, &p, depth + 1, opts, out, found);
            }
        }
        _ => {}
    }
}

/// One JSON object per line, streamed with a line cap and a row cap.
pub(super) fn scan_ndjson(
    src: &TableSource,
    reader: &mut dyn Read,
    opts: &ScanOptions,
    out: &mut FileScan,
) {
    let capped = LineCap::new(reader.take(opts.max_bytes), 1 << 20);
    let mut r = BufReader::with_capacity(1 << 16, capped);
    let mut table = TableAnalyzer::new(opts);
    let mut keys: Option<Vec<String>> = None;
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
        let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&line) else {
            continue;
        };
        let ks = keys.get_or_insert_with(|| {
            let ks: Vec<String> = m.keys().take(MAX_KEYS).cloned().collect();
            table.set_header(ks.iter().map(String::as_str));
            ks
        });
        let row: Vec<String> = ks
            .iter()
            .map(|k| m.get(k).map(cell).unwrap_or_default())
            .collect();
        table.push_row(row.iter().map(String::as_str), lineno);
    }
    table.finish(src, out);
}

#[cfg(test)]
mod tests {
    use super::super::Kind;
    use super::*;

    #[test]
    fn records_and_ndjson() {
        let v: Value = serde_json::from_str(
            r#"{"data": [{"nhs_number": 9434765919, "age": 4}, {"nhs_number": "4010232137"}]}"#,
        )
        .unwrap();
        let mut out = FileScan::default();
        assert!(scan_json_value(
            &TableSource {
                path: "a.json".into(),
                ..Default::default()
            },
            &v,
            &ScanOptions::default(),
            &mut out
        ));
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::NhsNumber);
        let nd = "{\"patient_id\": \"9434765919\"}\nnot json\n{\"patient_id\": \"4010232137\"}\n";
        let mut out = FileScan::default();
        scan_ndjson(
            &TableSource::default(),
            &mut nd.as_bytes(),
            &ScanOptions::default(),
            &mut out,
        );
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].count, 2);
    }
}
