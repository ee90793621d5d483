//! Excel and OpenDocument workbooks (xlsx, xlsm, xlsb, xls, ods), judged sheet by sheet like
//! CSV tables.
//!
//! Workbooks are zip or OLE containers, so they cannot be streamed: the file is read whole (it
//! is already bounded by `max_bytes`) and each sheet is capped at `max_rows`. Excel 2007+
//! packages go through openly's own reader (`super::xlsx`), which skips empty cells cheaply;
//! everything else, and any package that reader cannot open, goes through calamine. Malformed
//! workbooks yield "not parsed", never a panic.
//!
//! Sheets are read cell by cell, never as one dense range: calamine's range spans every cell
//! between the first and the last that hold a value, so a stray value far out (publication
//! templates with notes in column XFC) makes millions of empty cells from a few hundred real
//! ones, and a sheet with values at A1 and XFD1048576 would ask for 17 billion and abort the
//! audit. Only the cells that hold something are kept, up to the table's column cap.

use std::borrow::Cow;
use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Reader, Sheets, Xlsx, open_workbook_auto_from_rs};

use super::table::{MAX_COLUMNS, TableAnalyzer, TableSource};
use super::xlsx::values::{number_text, serial_date_text};
use super::xlsx::{RowCells, RowSink, Workbook};
use super::{FileScan, ScanOptions};

const MAX_SHEETS: usize = 100;

fn cell_text(c: &Data) -> String {
    match c {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::DateTimeIso(s) => s.clone(),
        Data::DateTime(dt) => serial_date_text(dt.as_f64(), false),
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
    // Neither reader should panic, but a malformed workbook must never take down an audit of
    // a whole organisation.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut local = FileScan::default();
        let judge = |name: &str, table: TableAnalyzer, local: &mut FileScan| {
            let src = TableSource {
                path: path.to_string(),
                location: format!("sheet {}", name.chars().take(64).collect::<String>()),
                document: false,
                introduced_as_example: false,
            };
            table.finish(&src, local);
        };
        if let Some(mut book) = Workbook::open(&bytes) {
            let sheets: Vec<(String, String)> =
                book.sheets.iter().take(MAX_SHEETS).cloned().collect();
            for (name, part) in sheets {
                let mut table = TableAnalyzer::new(opts);
                if book.read_sheet(&part, &mut table_rows(&mut table)) {
                    judge(&name, table, &mut local);
                }
            }
            return Some(local);
        }
        let mut book = match open_workbook_auto_from_rs(Cursor::new(&bytes[..])) {
            Ok(b) => b,
            Err(e) => {
                log::debug!("{path}: not a readable workbook: {e}");
                return None;
            }
        };
        for name in book.sheet_names().into_iter().take(MAX_SHEETS) {
            let mut table = TableAnalyzer::new(opts);
            let read = match &mut book {
                Sheets::Xlsx(xlsx) => read_xlsx_sheet(xlsx, &name, &mut table_rows(&mut table)),
                other => read_dense_sheet(other, &name, &mut table),
            };
            if read {
                judge(&name, table, &mut local);
            }
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

/// Feeds a sheet's rows to `table`: each row that holds something becomes one table row with
/// its cells in their columns (blanks between them kept, so columns line up); rows with nothing
/// in them never arrive, like the blank lines of a CSV file.
fn table_rows(table: &mut TableAnalyzer) -> impl for<'w> FnMut(u32, &mut RowCells<'w>) -> bool {
    move |row, values: &mut RowCells<'_>| {
        let width = values.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
        let mut line = vec![""; width];
        for (column, text) in values.iter() {
            line[*column] = text;
        }
        table.push_row(line, u64::from(row) + 1);
        !table.is_full()
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

/// An xlsx or xlsm sheet through calamine's cell reader, for packages openly's reader cannot
/// open (and, in tests, as the reference it is checked against): the same rows, grouped by the
/// cells' own row numbers. Returns whether the sheet could be read.
pub(super) fn read_xlsx_sheet<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    sink: &mut RowSink<'_>,
) -> bool {
    let Ok(mut cells) = book.worksheet_cells_reader(name) else {
        return false;
    };
    let mut row: Option<u32> = None;
    let mut values: RowCells<'_> = Vec::new();
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
            if let Some(done) = row
                && !values.is_empty()
                && !sink(done, &mut values)
            {
                return true;
            }
            values.clear();
            row = Some(cell_row);
        }
        let column = column as usize;
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = cell_ref_text(cell.get_value());
        if !text.is_empty() {
            values.push((column, Cow::Owned(text)));
        }
    }
    if let Some(done) = row
        && !values.is_empty()
    {
        sink(done, &mut values);
    }
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

    /// The tester's p08: a title in A1 and a blank row 2 above the header in row 3. The
    /// title must not become the column's header nor the real header one of its values.
    #[test]
    fn a_title_above_the_header_row_is_skipped() {
        let mut rng = super::super::testgen::Rng::new(8);
        let mut rows = vec![
            vec!["PAS extract for the audit".to_string()],
            vec![String::new()],
            vec!["NHS Number".to_string(), "Ward".to_string()],
        ];
        for i in 0..20 {
            let nhs = super::super::testgen::valid_nhs(&mut rng);
            rows.push(vec![nhs, format!("Ward {i}")]);
        }
        let bytes = super::super::testgen::xlsx_bytes(&rows);
        let mut out = FileScan::default();
        assert!(scan_spreadsheet(
            "pas.xlsx",
            &mut &bytes[..],
            &ScanOptions::default(),
            &mut out
        ));
        let d = &out.detections[0];
        assert_eq!(
            (d.strength, d.count, d.line, d.column.as_deref()),
            (
                super::super::Strength::Strong,
                20,
                Some(4),
                Some("NHS Number")
            )
        );
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
    fn garbage_is_not_parsed() {
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
