//! Excel and OpenDocument workbooks (xlsx, xlsm, xlsb, xls, ods), read with
//! calamine and judged sheet by sheet like CSV tables.
//!
//! Workbooks are zip or OLE containers, so they cannot be streamed: the file
//! is read whole (it is already bounded by `max_bytes`) and each sheet is
//! capped at `max_rows`. Malformed workbooks yield "not parsed", never a panic.
//!
//! Excel 2007+ sheets (xlsx, xlsm) are read cell by cell, never as one dense range: calamine's
//! range spans every cell between the first and the last that hold a value, so a stray value
//! far out (publication templates with notes in column XFC) makes millions of empty cells from
//! a few hundred real ones, and a sheet with values at A1 and XFD1048576 would ask for 17 billion
//! and abort the audit. Only the cells that hold something are kept, up to the table's column
//! cap.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Reader, Sheets, Xlsx, open_workbook_auto_from_rs};

use super::table::{MAX_COLUMNS, TableAnalyzer, TableSource};
use super::{FileScan, ScanOptions};

const MAX_SHEETS: usize = 100;

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e16 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::String(s) => s.clone(),
        Data::DateTimeIso(s) => s.clone(),
        Data::DateTime(dt) => {
            // Excel serial days count from 1899-12-30 (25569 days before 1970).
            let days = dt.as_f64().floor() as i64 - 25_569;
            let (y, m, d) = civil_from_days(days);
            format!("{y:04}-{m:02}-{d:02}")
        }
        _ => String::new(),
    }
}

/// Returns whether the workbook could be opened.
pub(super) fn scan_spreadsheet(
    path: &str,
    reader: &mut dyn Read,
    opts: &ScanOptions,
    out: &mut FileScan,
) -> bool {
    let mut bytes = Vec::new();
    if reader.take(opts.max_bytes).read_to_end(&mut bytes).is_err() {
        return false;
    }
    // calamine is robust on most inputs, but a malformed workbook must never
    // take down an audit of a whole organisation.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut local = FileScan::default();
        let mut book = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
            Ok(b) => b,
            Err(e) => {
                log::debug!("{path}: not a readable workbook: {e}");
                return None;
            }
        };
        for name in book.sheet_names().into_iter().take(MAX_SHEETS) {
            let mut table = TableAnalyzer::new(opts);
            let read = match &mut book {
                Sheets::Xlsx(xlsx) => read_xlsx_sheet(xlsx, &name, &mut table),
                other => read_dense_sheet(other, &name, &mut table),
            };
            if !read {
                continue;
            }
            let src = TableSource {
                path: path.to_string(),
                location: format!("sheet {}", name.chars().take(64).collect::<String>()),
                document: false,
            };
            table.finish(&src, &mut local);
        }
        Some(local)
    }));
    match result {
        Ok(Some(local)) => {
            out.detections.extend(local.detections);
            out.synthetic.extend(local.synthetic);
            true
        }
        _ => false,
    }
}

/// An xls or ods sheet through calamine's range (those formats bound a sheet's size); returns
/// whether the sheet could be read.
fn read_dense_sheet<RS: Read + Seek>(
    book: &mut Sheets<RS>,
    name: &str,
    table: &mut TableAnalyzer,
) -> bool {
    let Ok(range) = book.worksheet_range(name) else {
        return false;
    };
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let mut started = false;
    for (i, row) in range.rows().enumerate() {
        if table.is_full() {
            break;
        }
        let cells: Vec<String> = row.iter().take(MAX_COLUMNS).map(cell_text).collect();
        if !started && cells.iter().all(String::is_empty) {
            continue;
        }
        started = true;
        table.push_row(cells.iter().map(String::as_str), first_row + i as u64 + 1);
    }
    true
}

/// An xlsx or xlsm sheet, cell by cell: each row that holds something becomes one table row
/// with its cells in their columns (blanks between them kept, so columns line up), and rows
/// with nothing in them are left out, like the blank lines of a CSV file. Returns whether the
/// sheet could be read.
fn read_xlsx_sheet<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    table: &mut TableAnalyzer,
) -> bool {
    let Ok(mut cells) = book.worksheet_cells_reader(name) else {
        return false;
    };
    let mut row: Option<u32> = None;
    let mut values: Vec<(usize, String)> = Vec::new();
    let flush = |row: Option<u32>, values: &mut Vec<(usize, String)>, table: &mut TableAnalyzer| {
        let (Some(row), Some(width)) = (row, values.iter().map(|(c, _)| c + 1).max()) else {
            values.clear();
            return;
        };
        let mut line = vec![String::new(); width];
        for (column, text) in values.drain(..) {
            line[column] = text;
        }
        table.push_row(line.iter().map(String::as_str), u64::from(row) + 1);
    };
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(error) => {
                log::debug!("{name}: stopped reading the sheet: {error}");
                break;
            }
        };
        let (cell_row, column) = cell.get_position();
        if row != Some(cell_row) {
            flush(row, &mut values, table);
            if table.is_full() {
                return true;
            }
            row = Some(cell_row);
        }
        let column = column as usize;
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = cell_ref_text(cell.get_value());
        if !text.is_empty() {
            values.push((column, text));
        }
    }
    flush(row, &mut values, table);
    true
}

fn cell_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::String(s) => s.clone(),
        other => cell_text(&Data::from(other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_columns_are_judged() {
        let rows = vec![
            vec!["NHS Number".to_string(), "Age".to_string()],
            vec!["9434765919".to_string(), "40".to_string()],
            vec!["4010232137".to_string(), "41".to_string()],
        ];
        let bytes = super::super::testgen::xlsx_bytes(&rows);
        let mut out = FileScan::default();
        assert!(scan_spreadsheet(
            "b.xlsx",
            &mut &bytes[..],
            &ScanOptions::default(),
            &mut out
        ));
        assert_eq!(out.detections.len(), 1, "{out:?}");
        let d = &out.detections[0];
        assert_eq!(
            (d.count, d.line, d.column.as_deref()),
            (2, Some(2), Some("NHS Number"))
        );
        assert!(d.message.contains("sheet Extract"));
    }

    /// A value in the last column of the last row: a dense range from A1 would hold 17 billion
    /// cells. Read cell by cell, the sheet is its three rows and one far cell.
    #[test]
    fn a_far_corner_cell_does_not_make_a_dense_sheet() {
        let rows = vec![
            vec!["NHS Number".to_string(), "Age".to_string()],
            vec!["9434765919".to_string(), "40".to_string()],
            vec!["4010232137".to_string(), "41".to_string()],
        ];
        let far = r#"<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>"#;
        let bytes = super::super::testgen::xlsx_bytes_with(&rows, far);
        let started = std::time::Instant::now();
        let mut out = FileScan::default();
        assert!(scan_spreadsheet(
            "far.xlsx",
            &mut &bytes[..],
            &ScanOptions::default(),
            &mut out
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].count, 2);
    }

    #[test]
    fn dates_and_garbage() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        let mut out = FileScan::default();
        assert!(!scan_spreadsheet(
            "x.xlsx",
            &mut &b"PK\x03\x04garbage"[..],
            &ScanOptions::default(),
            &mut out
        ));
        assert!(!scan_spreadsheet(
            "x.xls",
            &mut &b""[..],
            &ScanOptions::default(),
            &mut out
        ));
    }
}
