//! The reader checked against calamine's cell reader (an independent implementation) on
//! workbooks written by rust_xlsxwriter (an independent writer), plus the package shapes
//! neither produces: namespace prefixes, odd part names, chart sheets and broken zips.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{Chart, ChartType, Format, Formula, Workbook as Writer};

use super::RowCells;
use super::Workbook;
use super::cells::owned;
use crate::checks::data::spreadsheet::read_xlsx_sheet;
use crate::checks::data::testgen::{Rng, stored_zip};

type Rows = Vec<(u32, Vec<(usize, String)>)>;

fn ours(bytes: &[u8]) -> Vec<(String, Rows)> {
    let mut book = Workbook::open(bytes).expect("our reader opens it");
    let sheets = book.sheets.clone();
    sheets
        .into_iter()
        .map(|(name, part)| {
            let mut rows = Rows::new();
            assert!(
                book.read_sheet(&part, &mut |row, cells: &mut RowCells<'_>| {
                    rows.push((row, owned(cells)));
                    true
                })
            );
            (name, rows)
        })
        .collect()
}

fn calamines(bytes: &[u8]) -> Vec<(String, Rows)> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("calamine opens it");
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let mut rows = Rows::new();
        let read = read_xlsx_sheet(&mut book, &name, &mut |row, cells: &mut RowCells<'_>| {
            rows.push((row, owned(cells)));
            true
        });
        if read {
            out.push((name, rows));
        }
    }
    out
}

/// Text a person might type, with what XML and Office must escape.
fn awkward_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "NHS Number",
        "Smith & Jones",
        "<b>not markup</b>",
        "\"quoted\"",
        "it's",
        " padded ",
        "line\nbreak",
        "tab\there",
        "bell\u{7}",
        "£5",
        "Zoë",
        "日本",
        "_x0041_",
        "emoji 😀",
        "4010232137",
        "LS1 4AP",
        "  ",
        "=1+1",
        "a;b",
        "]]>",
    ];
    let mut s = String::new();
    for _ in 0..rng.range(1, 3) {
        s.push_str(PIECES[rng.range(0, PIECES.len() as u64 - 1) as usize]);
    }
    s
}

fn written_workbook(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut book = Writer::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let builtin_date = Format::new().set_num_format_index(14);
    let money = Format::new().set_num_format("£#,##0.00;[Red]-£#,##0.00");
    let styled_blank = Format::new().set_bold();
    let bold = Format::new().set_bold();
    let mut first_sheet = String::new();
    for s in 0..rng.range(1, 3) {
        let sheet = book.add_worksheet();
        let name = format!("S{s} & <{}>", rng.range(0, 99));
        sheet.set_name(&name).unwrap();
        if s == 0 {
            first_sheet = name;
        }
        if rng.range(0, 3) == 0 {
            sheet.set_hidden(true);
        }
        let rows = rng.range(1, 40) as u32;
        let cols = rng.range(1, 8) as u16;
        for r in 0..rows {
            for c in 0..cols {
                match rng.range(0, 11) {
                    0 => drop(sheet.write_string(r, c, awkward_text(&mut rng))),
                    1 => drop(sheet.write_number(r, c, rng.range(0, 2_000_000_000) as f64 * 5.0)),
                    2 => drop(sheet.write_number(r, c, rng.range(0, 10_000) as f64 / 8.0 - 300.0)),
                    3 => drop(sheet.write_number_with_format(
                        r,
                        c,
                        rng.range(1, 60_000) as f64 + 0.25,
                        &date,
                    )),
                    4 => drop(sheet.write_number_with_format(
                        r,
                        c,
                        rng.range(1, 60_000) as f64,
                        &builtin_date,
                    )),
                    5 => drop(sheet.write_number_with_format(r, c, 1234.5, &money)),
                    6 => drop(sheet.write_boolean(r, c, rng.range(0, 1) == 1)),
                    7 => drop(sheet.write_blank(r, c, &styled_blank)),
                    8 => drop(sheet.write_formula(
                        r,
                        c,
                        Formula::new("=\"a\"&\"b\"").set_result(awkward_text(&mut rng)),
                    )),
                    9 => drop(sheet.write_rich_string(
                        r,
                        c,
                        &[(&bold, "Mrs "), (&Format::default(), "Patient & Co")],
                    )),
                    _ => {}
                }
            }
        }
        if rng.range(0, 2) == 0 {
            // A far corner: a dense range from A1 would be enormous.
            sheet.write_string(1_048_575, 16_383, "far").unwrap();
        }
    }
    if rng.range(0, 2) == 0 {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_values(format!("'{first_sheet}'!$A$1:$A$3").as_str());
        book.add_chartsheet().insert_chart(0, 0, &chart).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn same_rows_as_calamine_on_written_workbooks() {
    for seed in 0..60 {
        let bytes = written_workbook(seed);
        let (a, b) = (ours(&bytes), calamines(&bytes));
        assert_eq!(a, b, "seed {seed}");
        assert!(a.iter().any(|(_, rows)| !rows.is_empty()), "seed {seed}");
    }
}

/// Where a test package puts its parts: the workbook's zip entry, and the sheet and shared
/// strings as the workbook's relationships name them and as zip entries.
struct Layout {
    workbook: &'static str,
    sheet_target: &'static str,
    sheet_entry: &'static str,
    strings_target: &'static str,
    strings_entry: &'static str,
}

/// Excel's own layout, which calamine (fixed names under `xl/`) can also read.
const STANDARD: Layout = Layout {
    workbook: "xl/workbook.xml",
    sheet_target: "worksheets/sheet1.xml",
    sheet_entry: "xl/worksheets/sheet1.xml",
    strings_target: "sharedStrings.xml",
    strings_entry: "xl/sharedStrings.xml",
};

/// A layout only the package relationships describe: another folder, `..` and an absolute
/// target, and part names in another case.
const UNUSUAL: Layout = Layout {
    workbook: "book/Book.xml",
    sheet_target: "../book/sheets/one.xml",
    sheet_entry: "book/sheets/ONE.xml",
    strings_target: "/book/strings.xml",
    strings_entry: "book/strings.xml",
};

/// A one-sheet package with the given sheet data and shared strings, its elements under
/// `prefix` when one is given.
fn package(layout: &Layout, prefix: &str, sheet_xml: &str, strings_xml: &str) -> Vec<u8> {
    let p = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}:")
    };
    let ns = if prefix.is_empty() {
        "xmlns".to_string()
    } else {
        format!("xmlns:{prefix}")
    };
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let (dir, file) = layout.workbook.split_once('/').unwrap();
    let root_rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="/{}"/></Relationships>"#,
        layout.workbook
    );
    let workbook = format!(
        r#"<?xml version="1.0"?><{p}workbook {ns}="{main}" xmlns:rel="{rel}"><{p}sheets><{p}sheet name="Data &amp; more" sheetId="1" rel:id="rId7"/></{p}sheets></{p}workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="{rel}/worksheet" Target="{}"/><Relationship Id="rId8" Type="{rel}/sharedStrings" Target="{}"/><Relationship Id="rId9" Type="{rel}/hyperlink" Target="https://example.org/" TargetMode="External"/></Relationships>"#,
        layout.sheet_target, layout.strings_target
    );
    let sheet = format!(
        r#"<?xml version="1.0"?><{p}worksheet {ns}="{main}"><{p}sheetData>{sheet_xml}</{p}sheetData></{p}worksheet>"#
    );
    let strings = format!(r#"<?xml version="1.0"?><{p}sst {ns}="{main}">{strings_xml}</{p}sst>"#);
    let content_types = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    stored_zip(&[
        ("[Content_Types].xml", content_types.to_string()),
        ("_rels/.rels", root_rels),
        (layout.workbook, workbook),
        (&format!("{dir}/_rels/{file}.rels"), workbook_rels),
        (layout.sheet_entry, sheet),
        (layout.strings_entry, strings),
    ])
}

#[test]
fn prefixed_namespaces_and_unusual_part_names() {
    let sheet = r#"<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>4010232137</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t>LS1 4AP</x:t></x:is></x:c></x:row>"#;
    let strings = r#"<x:si><x:t>NHS Number</x:t></x:si><x:si><x:r><x:t>Post</x:t></x:r><x:r><x:t>code</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:si>"#;
    // calamine looks for the workbook at xl/workbook.xml only, so it is the reference for the
    // prefixes but not for a workbook the package relationships put elsewhere.
    let standard = package(&STANDARD, "x", sheet, strings);
    let bytes = package(&UNUSUAL, "x", sheet, strings);
    let got = ours(&bytes);
    assert_eq!(ours(&standard), calamines(&standard));
    assert_eq!(got, ours(&standard));
    let cells = |row: &[(usize, &str)]| -> Vec<(usize, String)> {
        row.iter().map(|(c, s)| (*c, s.to_string())).collect()
    };
    assert_eq!(
        got,
        vec![(
            "Data & more".to_string(),
            vec![
                (0, cells(&[(0, "NHS Number"), (1, "Postcode")])),
                (1, cells(&[(0, "4010232137"), (1, "LS1 4AP")])),
            ]
        )]
    );
}

#[test]
fn chunks_cut_at_row_ends_give_the_same_rows() {
    // A sheet several times the chunk size, rows of varied length, with prefixes.
    let mut sheet = String::new();
    let mut expected = Rows::new();
    let mut rng = Rng::new(11);
    let mut r = 0u32;
    while sheet.len() < 3 * super::CHUNK + 12_345 {
        let filler = "<x:c s=\"4\"/>".repeat(rng.range(0, 400) as usize);
        let value = rng.range(1_000, 9_999_999);
        sheet.push_str(&format!(
            "<x:row r=\"{}\">{filler}<x:c r=\"C{}\"><x:v>{value}</x:v></x:c></x:row>",
            r + 1,
            r + 1
        ));
        expected.push((r, vec![(2, value.to_string())]));
        r += 1;
    }
    let bytes = package(&STANDARD, "x", &sheet, "");
    let got = ours(&bytes);
    assert_eq!(got[0].1.len(), expected.len());
    assert_eq!(got[0].1, expected);
}

/// Runs of empty cells are skipped without reading each tag, unless what they say (where a
/// following cell without a reference goes) is needed; random rows of every shape must read as
/// calamine reads them.
#[test]
fn runs_of_empty_cells_read_as_calamine_reads_them() {
    let mut rng = Rng::new(29);
    for case in 0..300 {
        let mut sheet = String::new();
        for r in 1..=rng.range(1, 6) {
            sheet.push_str(if rng.range(0, 5) == 0 { "<row>" } else { "" });
            if !sheet.ends_with("<row>") {
                sheet.push_str(&format!("<row r=\"{r}\">"));
            }
            let mut column = 0u32;
            for _ in 0..rng.range(0, 12) {
                column += rng.range(1, 3) as u32;
                let reference = format!("{}{r}", (b'A' + (column % 26) as u8) as char);
                let r_attr = if rng.range(0, 4) == 0 {
                    String::new()
                } else {
                    format!(" r=\"{reference}\"")
                };
                let piece = match rng.range(0, 9) {
                    0..=3 => format!("<c{r_attr} s=\"3\" t=\"n\" />"),
                    4 => format!("<c{r_attr}/>\n"),
                    5 => format!("<c{r_attr}><v>{}</v></c>", rng.range(1, 999)),
                    6 => format!("<c{r_attr} t=\"s\"><v>0</v></c>"),
                    7 => format!("<c{r_attr} t=\"inlineStr\"><is><t>x{case}</t></is></c>"),
                    _ => "<!-- <c r=\"Z9\"/> -->".to_string(),
                };
                sheet.push_str(&piece);
            }
            sheet.push_str("</row>");
        }
        let bytes = package(&STANDARD, "", &sheet, "<si><t>NHS Number</t></si>");
        assert_eq!(ours(&bytes), calamines(&bytes), "case {case}: {sheet}");
    }
}

#[test]
fn what_it_does_not_handle_goes_to_calamine() {
    assert!(Workbook::open(b"").is_none());
    assert!(Workbook::open(b"PK\x03\x04garbage").is_none());
    // An ods-like zip: no workbook part.
    let ods = stored_zip(&[(
        "mimetype",
        "application/vnd.oasis.opendocument.spreadsheet".into(),
    )]);
    assert!(Workbook::open(&ods).is_none());
    // xlsb: the main part is binary.
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let xlsb = stored_zip(&[
        (
            "_rels/.rels",
            format!(
                r#"<Relationships><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>"#
            ),
        ),
        ("xl/workbook.bin", "\u{0}\u{1}".into()),
    ]);
    assert!(Workbook::open(&xlsb).is_none());
}

#[test]
fn broken_parts_read_as_far_as_they_go() {
    // A sheet cut off mid-cell and a shared strings index past the end.
    let sheet = r#"<row r="1"><c r="A1" t="s"><v>5</v></c><c r="B1"><v>7</v></c></row><row r="2"><c r="A2"><v>8</v></c><c r="B2" t="s"><v"#;
    let bytes = package(&STANDARD, "", sheet, "<si><t>only</t></si>");
    let got = ours(&bytes);
    assert_eq!(got[0].1.len(), 2, "{got:?}");
    assert_eq!(got[0].1[0].1, vec![(1, "7".to_string())]);
    assert_eq!(got[0].1[1].1, vec![(0, "8".to_string())]);
}

/// Hostile packages: bytes of a stored (uncompressed) workbook flipped at random and the file
/// cut at random lengths. Whatever is read, nothing panics and every sheet read ends; this runs
/// without the `catch_unwind` that guards the audit.
#[test]
fn mangled_packages_never_panic() {
    let sheet = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Post&amp;code</t></is></c></row><row r="2"><c r="A2" s="1"><v>4010232137</v></c><c r="B2" t="str"><v>LS1 4AP</v></c></row>"#;
    let strings = "<si><t>NHS Number</t></si><si><r><t>a</t></r><rPh><t>b</t></rPh></si>";
    let good = package(&STANDARD, "", sheet, strings);
    // Stored, so the sheet's XML sits in the package as written: most flips land there.
    let sheet_at = good
        .windows(sheet.len())
        .position(|w| w == sheet.as_bytes())
        .expect("stored sheet");
    let mut rng = Rng::new(20_261_206);
    let mut rows_read = 0;
    for round in 0..400 {
        let mut bytes = good.clone();
        if round % 4 == 0 {
            bytes.truncate(rng.range(0, good.len() as u64) as usize);
        } else {
            for _ in 0..rng.range(1, 12) {
                let at = if rng.range(0, 9) == 0 {
                    rng.range(0, bytes.len() as u64 - 1) as usize
                } else {
                    sheet_at + rng.range(0, sheet.len() as u64 - 1) as usize
                };
                bytes[at] = match rng.range(0, 3) {
                    0 => b'<',
                    1 => b'"',
                    2 => b'>',
                    _ => rng.range(0, 255) as u8,
                };
            }
        }
        if let Some(mut book) = Workbook::open(&bytes) {
            for (_, part) in book.sheets.clone() {
                book.read_sheet(&part, &mut |_, cells: &mut RowCells<'_>| {
                    rows_read += 1;
                    cells.clear();
                    true
                });
            }
        }
    }
    // Most mangled packages still open: the damage lands in the sheet text the lexer reads.
    assert!(rows_read > 200, "{rows_read}");
}
