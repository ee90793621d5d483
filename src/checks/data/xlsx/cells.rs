//! A sheet's XML to rows of cell texts, read in chunks that end at a row's end.
//!
//! Cells that hold nothing (`<c r="B5" s="3"/>`, most of a formatted template) cost one tag
//! and are never turned into values. A cell's place comes from its `r` reference, or follows
//! the previous cell (and the previous row) when the writer left it out. Cells are grouped by
//! their row and a row is handed on once the next row starts, with the columns of its
//! non-empty cells, as calamine's cell reader groups them.

use std::borrow::Cow;

use super::cell_tag::{empty_run_end, plain_cell_tag};
use super::tags::{Attrs, Tag, attr, next_tag, text_at, unescape};
use super::values::{number_text, serial_date_text};
use crate::checks::data::table::MAX_COLUMNS;

/// What a sheet's values need from the rest of the workbook.
pub(super) struct Context<'w> {
    pub strings: &'w [String],
    /// Per cell style (`s`), whether its number format shows a date.
    pub date_styles: &'w [bool],
    pub date1904: bool,
}

/// Receives each row that holds a value: its 0-based row index and its (column, text) cells,
/// in document order. Returns false to stop reading (the table is full). Shared strings, most
/// of a workbook's text, are lent from the workbook rather than copied into every cell.
pub(in crate::checks::data) type RowSink<'s> =
    dyn for<'w> FnMut(u32, &mut RowCells<'w>) -> bool + 's;

/// One row's non-empty cells: (0-based column, text), in document order.
pub(in crate::checks::data) type RowCells<'w> = Vec<(usize, Cow<'w, str>)>;

/// Where the reading of one sheet stands between chunks.
#[derive(Default)]
pub(super) struct SheetCursor<'w> {
    /// Row of a cell without a reference.
    next_row: u32,
    /// Column of a cell without a reference, when no empty cell came after the last one placed.
    next_column: u32,
    /// The attributes (offsets in the current chunk) of the last empty cell with a reference
    /// since the last cell placed. Empty cells are not placed unless a cell without a reference
    /// follows them (writers that leave references out leave them out everywhere), and a row
    /// never spans chunks, so offsets stay valid until then.
    empty_with_reference: Option<(usize, usize)>,
    /// Empty cells without a reference since then.
    empty_without_reference: u32,
    /// The row whose values are being collected.
    row: Option<u32>,
    values: RowCells<'w>,
    /// `</sheetData>` was seen, or the sink asked to stop.
    pub done: bool,
}

impl<'w> SheetCursor<'w> {
    /// Reads the tags of `xml`, which ends at a row's end (or at the end of the part).
    pub(super) fn feed(&mut self, xml: &[u8], context: &Context<'w>, sink: &mut RowSink<'_>) {
        let mut at = 0;
        // Where the last failed skip looked up to; no second look before it, so a row is
        // searched once however its cells are written.
        let mut no_skip_before = 0;
        while !self.done {
            if let Some(cell) = plain_cell_tag(xml, at) {
                at = if cell.empty {
                    self.empty_cell(cell.attrs.has_reference(), cell.attrs_span);
                    after_empty_cell(xml, cell.after, &mut no_skip_before)
                } else {
                    self.cell(xml, cell.after, &cell.attrs, context, sink)
                };
                continue;
            }
            let Some((tag, after)) = next_tag(xml, at) else {
                return;
            };
            at = after;
            match (tag.local, tag.end) {
                (b"row", false) => {
                    if let Some(r) = attr(tag.attrs, b"r").and_then(parse_u32) {
                        self.next_row = r.saturating_sub(1);
                    }
                    self.start_row();
                }
                (b"row", true) => {
                    self.next_row = self.next_row.saturating_add(1);
                    self.start_row();
                }
                (b"c", false) if tag.empty => {
                    let from = tag.attrs.as_ptr() as usize - xml.as_ptr() as usize;
                    self.empty_cell(has_reference(tag.attrs), (from, from + tag.attrs.len()));
                }
                (b"c", false) => at = self.cell(xml, at, &CellAttrs::of(&tag), context, sink),
                (b"sheetData", true) => self.done = true,
                _ => {}
            }
        }
    }

    /// Most cells of a formatted template: nothing to read, only where the next cell would be
    /// if it had no reference.
    fn empty_cell(&mut self, has_reference: bool, attrs_span: (usize, usize)) {
        if has_reference {
            self.empty_with_reference = Some(attrs_span);
            self.empty_without_reference = 0;
        } else {
            self.empty_without_reference += 1;
        }
    }

    /// Reads the cell whose start tag ends at `from` into the current row; returns the offset
    /// past its `</c>`.
    fn cell(
        &mut self,
        xml: &[u8],
        from: usize,
        cell: &CellAttrs<'_>,
        context: &Context<'w>,
        sink: &mut RowSink<'_>,
    ) -> usize {
        let (row, column) = match cell.reference.and_then(cell_reference) {
            Some(place) => place,
            None => (self.next_row, self.implied_column(xml)),
        };
        self.next_column = column.saturating_add(1);
        self.empty_with_reference = None;
        self.empty_without_reference = 0;
        let (text, after_cell) = cell_text(xml, from, cell, context);
        if self.row != Some(row) {
            self.flush(sink);
            if self.done {
                return after_cell;
            }
            self.row = Some(row);
        }
        if !text.is_empty() && (column as usize) < MAX_COLUMNS {
            self.values.push((column as usize, text));
        }
        after_cell
    }

    fn start_row(&mut self) {
        self.next_column = 0;
        self.empty_with_reference = None;
        self.empty_without_reference = 0;
    }

    /// The column of a cell without a reference: one past the cell before it, empty or not.
    fn implied_column(&self, xml: &[u8]) -> u32 {
        let after_placed = self
            .empty_with_reference
            .and_then(|(from, to)| attr(&xml[from..to], b"r"))
            .and_then(cell_reference)
            .map_or(self.next_column, |(_, column)| column.saturating_add(1));
        after_placed.saturating_add(self.empty_without_reference)
    }

    /// Hands on the last row; call once the part is read.
    pub(super) fn finish(&mut self, sink: &mut RowSink<'_>) {
        self.flush(sink);
    }

    fn flush(&mut self, sink: &mut RowSink<'_>) {
        if let Some(row) = self.row.take()
            && !self.values.is_empty()
            && !sink(row, &mut self.values)
        {
            self.done = true;
        }
        self.values.clear();
    }
}

/// Where reading goes on after an empty cell that ends at `after`: past the run of empty cells
/// that follows when it can be skipped (see [`empty_run_end`]), else the next tag.
fn after_empty_cell(xml: &[u8], after: usize, no_skip_before: &mut usize) -> usize {
    if after < *no_skip_before {
        return after;
    }
    empty_run_end(xml, after).unwrap_or_else(|searched_to| {
        *no_skip_before = searched_to;
        after
    })
}

/// The attributes of a `<c>` that matter, read in one pass.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct CellAttrs<'a> {
    reference: Option<&'a [u8]>,
    kind: Option<&'a [u8]>,
    style: Option<&'a [u8]>,
}

impl<'a> CellAttrs<'a> {
    pub(super) fn of(tag: &Tag<'a>) -> CellAttrs<'a> {
        let mut cell = CellAttrs::default();
        for (name, value) in (Attrs { rest: tag.attrs }) {
            cell.note(name, value);
        }
        cell
    }

    pub(super) fn has_reference(&self) -> bool {
        self.reference.is_some()
    }

    /// Keeps `value` if `name` is one of the attributes read; a repeated one replaces the first.
    pub(super) fn note(&mut self, name: &[u8], value: &'a [u8]) {
        match name {
            b"r" => self.reference = Some(value),
            b"t" => self.kind = Some(value),
            b"s" => self.style = Some(value),
            _ => {}
        }
    }
}

/// Whether an empty cell's attributes hold a reference; Excel writes it first.
fn has_reference(attrs: &[u8]) -> bool {
    let trimmed = attrs.trim_ascii_start();
    trimmed.starts_with(b"r=") || attr(attrs, b"r").is_some()
}

/// The text of the cell whose start tag ends at `from`, and the offset past its `</c>`.
fn cell_text<'w>(
    xml: &[u8],
    from: usize,
    cell: &CellAttrs<'_>,
    context: &Context<'w>,
) -> (Cow<'w, str>, usize) {
    let kind = cell.kind;
    let inline = matches!(kind, Some(b"inlineStr" | b"is"));
    // How Excel writes nearly every value cell; anything else goes through the tags.
    let plain = if inline { None } else { plain_value(xml, from) };
    let (value, inline_text, at) = match plain {
        Some((text, after)) => (Some(text), None, after),
        None => cell_children(xml, from),
    };
    if inline {
        return (Cow::Owned(inline_text.unwrap_or_default()), at);
    }
    let Some(raw) = value else {
        return (Cow::Borrowed(""), at);
    };
    let text = match kind {
        Some(b"s") => parse_usize(raw)
            .and_then(|i| context.strings.get(i))
            .map_or(Cow::Borrowed(""), |shared| Cow::Borrowed(shared.as_str())),
        // Booleans and errors (`#N/A`) say nothing about people.
        Some(b"b" | b"e") => Cow::Borrowed(""),
        Some(b"str" | b"d") => Cow::Owned(unescape(raw)),
        _ => Cow::Owned(number_or_text(raw, cell, context)),
    };
    (text, at)
}

/// The children of the cell whose start tag ends at `from`, tag by tag: its last `<v>` (raw),
/// its inline string's runs without phonetic ones, and the offset past its `</c>`.
fn cell_children(xml: &[u8], from: usize) -> (Option<&[u8]>, Option<String>, usize) {
    let mut value: Option<&[u8]> = None;
    let mut inline_text: Option<String> = None;
    let mut in_inline = false;
    let mut in_phonetic = false;
    let mut at = from;
    loop {
        let Some((tag, after)) = next_tag(xml, at) else {
            return (value, inline_text, xml.len());
        };
        at = after;
        match (tag.local, tag.end) {
            (b"c", true) => return (value, inline_text, at),
            (b"v", false) if !tag.empty => {
                let (text, end) = text_at(xml, after);
                value = Some(text);
                at = end;
            }
            (b"is", false) => {
                in_inline = !tag.empty;
                inline_text.get_or_insert_with(String::new);
            }
            (b"is", true) => in_inline = false,
            (b"rPh", false) => in_phonetic = !tag.empty,
            (b"rPh", true) => in_phonetic = false,
            (b"t", false) if in_inline && !in_phonetic && !tag.empty => {
                let (text, end) = text_at(xml, after);
                inline_text
                    .get_or_insert_with(String::new)
                    .push_str(&run_text(text, &tag));
                at = end;
            }
            _ => {}
        }
    }
}

/// `<v>text</v></c>` at `from`: the raw value and the offset past `</c>`.
fn plain_value(xml: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let rest = xml.get(from..)?.strip_prefix(b"<v>")?;
    let len = memchr::memchr(b'<', rest)?;
    rest[len..]
        .starts_with(b"</v></c>")
        .then(|| (&rest[..len], from + 3 + len + 8))
}

fn number_or_text(raw: &[u8], cell: &CellAttrs<'_>, context: &Context<'_>) -> String {
    let is_date = cell
        .style
        .and_then(parse_usize)
        .and_then(|style| context.date_styles.get(style))
        .copied()
        .unwrap_or(false);
    if !is_date && let Some(text) = whole_number_text(raw).or_else(|| plain_decimal_text(raw)) {
        return text;
    }
    let parsed = std::str::from_utf8(raw)
        .ok()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|f| f.is_finite());
    let Some(number) = parsed else {
        return unescape(raw);
    };
    if is_date {
        serial_date_text(number, context.date1904)
    } else {
        number_text(number)
    }
}

/// A stored whole number of up to 15 digits (every such number is exact in an `f64`) as
/// [`number_text`] prints it, without formatting a float: most numeric cells are counts.
fn whole_number_text(raw: &[u8]) -> Option<String> {
    if raw.is_empty() || raw.len() > 15 || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let significant = raw.iter().position(|&b| b != b'0').unwrap_or(raw.len() - 1);
    std::str::from_utf8(&raw[significant..])
        .ok()
        .map(str::to_owned)
}

/// A fraction as Excel stores it (`12.75`, `-0.004`), returned as written. With at most 15
/// significant digits and no trailing zero, no other decimal of that length reads back as the
/// same `f64`, so the shortest text [`number_text`] prints is this one; formatting floats was a
/// tenth of reading a publication workbook.
fn plain_decimal_text(raw: &[u8]) -> Option<String> {
    let unsigned = raw.strip_prefix(b"-").unwrap_or(raw);
    let dot = unsigned.iter().position(|&b| b == b'.')?;
    let (whole, fraction) = (&unsigned[..dot], &unsigned[dot + 1..]);
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    if !digits(whole)
        || !digits(fraction)
        || (whole.len() > 1 && whole[0] == b'0')
        || fraction.last() == Some(&b'0')
    {
        return None;
    }
    let significant = whole
        .iter()
        .chain(fraction)
        .skip_while(|&&b| b == b'0')
        .count();
    (significant <= 15).then(|| String::from_utf8_lossy(raw).into_owned())
}

/// A `<t>` run's text: trimmed of XML whitespace unless the run says to keep it, as Excel reads
/// it.
pub(super) fn run_text(raw: &[u8], run: &Tag<'_>) -> String {
    let preserve = attr(run.attrs, b"xml:space") == Some(b"preserve");
    let raw = if preserve { raw } else { raw.trim_ascii() };
    unescape(raw)
}

/// Runs for every reference, style and shared-string index of a sheet, so it reads the digits
/// in one pass.
fn parse_u32(raw: &[u8]) -> Option<u32> {
    let digits = raw.trim_ascii();
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let mut value = 0u64;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    u32::try_from(value).ok()
}

fn parse_usize(raw: &[u8]) -> Option<usize> {
    parse_u32(raw).map(|v| v as usize)
}

/// `AB12` (or `$AB$12`) to its 0-based (row, column).
fn cell_reference(raw: &[u8]) -> Option<(u32, u32)> {
    let raw = raw.strip_prefix(b"$").unwrap_or(raw);
    let letters = raw.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = raw[..letters].iter().fold(0u32, |acc, &b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let digits = &raw[letters..];
    let digits = digits.strip_prefix(b"$").unwrap_or(digits);
    let row = parse_u32(digits).filter(|&r| r > 0)?;
    Some((row - 1, column - 1))
}

/// A row's cells as owned text, for tests that keep rows.
#[cfg(test)]
pub(super) fn owned(cells: &mut RowCells<'_>) -> Vec<(usize, String)> {
    cells
        .drain(..)
        .map(|(column, text)| (column, text.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(xml: &str, strings: &[&str], date_styles: &[bool]) -> Vec<(u32, Vec<(usize, String)>)> {
        let strings: Vec<String> = strings.iter().map(|s| s.to_string()).collect();
        let context = Context {
            strings: &strings,
            date_styles,
            date1904: false,
        };
        let mut out = Vec::new();
        let mut sink = |row: u32, cells: &mut RowCells<'_>| {
            out.push((row, owned(cells)));
            true
        };
        let mut cursor = SheetCursor::default();
        cursor.feed(xml.as_bytes(), &context, &mut sink);
        cursor.finish(&mut sink);
        out
    }

    fn cells(row: &[(usize, &str)]) -> Vec<(usize, String)> {
        row.iter().map(|(c, s)| (*c, s.to_string())).collect()
    }

    #[test]
    fn value_types() {
        let xml = r#"<sheetData><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>4010232137</v></c><c r="C3" s="1"><v>45292</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="str"><f>A1&amp;B1</f><v>x &amp; y</v></c><c r="G3" t="inlineStr"><is><r><t>Mr </t></r><r><t xml:space="preserve"> Smith</t></r><rPh><t>SU</t></rPh></is></c><c r="H3" t="d"><v>2024-01-01T00:00:00</v></c><c r="I3"><v>2.5</v></c><c r="J3" s="0"><v>oops</v></c></row></sheetData>"#;
        let got = rows(xml, &["zero", "NHS Number"], &[false, true]);
        assert_eq!(
            got,
            vec![(
                2,
                cells(&[
                    (0, "NHS Number"),
                    (1, "4010232137"),
                    (2, "2024-01-01"),
                    (5, "x & y"),
                    (6, "Mr Smith"),
                    (7, "2024-01-01T00:00:00"),
                    (8, "2.5"),
                    (9, "oops"),
                ])
            )]
        );
    }

    #[test]
    fn empty_cells_and_rows_are_left_out_and_positions_follow_without_references() {
        let xml = r#"<sheetData><row r="1"><c r="A1" s="3"/><c r="B1" s="3"/></row><row><c><v>1</v></c><c/><c><v>3</v></c></row><row r="9"><c r="$C$9"><v>9</v></c></row><row r="10"><c r="B10" s="1"/><c s="1"/><c><v>5</v></c></row></sheetData><c r="A99"><v>0</v></c>"#;
        assert_eq!(
            rows(xml, &[], &[]),
            vec![
                (1, cells(&[(0, "1"), (2, "3")])),
                (8, cells(&[(2, "9")])),
                // B10, then C10 (empty, no reference), then D10.
                (9, cells(&[(3, "5")])),
            ]
        );
    }

    #[test]
    fn the_sink_can_stop_the_sheet() {
        let xml = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>"#;
        let context = Context {
            strings: &[],
            date_styles: &[],
            date1904: false,
        };
        let mut seen = Vec::new();
        let mut sink = |row: u32, _: &mut RowCells<'_>| {
            seen.push(row);
            seen.len() < 2
        };
        let mut cursor = SheetCursor::default();
        cursor.feed(xml.as_bytes(), &context, &mut sink);
        cursor.finish(&mut sink);
        assert_eq!(seen, vec![0, 1]);
        assert!(cursor.done);
    }

    #[test]
    fn whole_numbers_read_as_the_float_formatter_prints_them() {
        for raw in ["0", "000", "7", "0042", "4010232137", "999999999999999"] {
            let printed = number_text(raw.parse::<f64>().unwrap());
            assert_eq!(whole_number_text(raw.as_bytes()), Some(printed), "{raw}");
        }
        for raw in ["", "1.5", "-3", "1e3", "1234567890123456", " 7"] {
            assert_eq!(whole_number_text(raw.as_bytes()), None, "{raw}");
        }
    }

    #[test]
    fn stored_fractions_read_as_the_float_formatter_prints_them() {
        let mut state = 11u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        for _ in 0..20_000 {
            // Up to 15 significant digits either side of the point, leading zeros after it.
            let whole_digits = next(8) as u32;
            let whole = match next(3) {
                0 => "0".to_string(),
                _ => (1 + next(10u64.pow(whole_digits))).to_string(),
            };
            let zeros = "0".repeat(next(6) as usize);
            let tail_digits = 1 + next(7) as u32;
            let tail = (1 + next(10u64.pow(tail_digits))).to_string();
            let tail = tail.trim_end_matches('0');
            let sign = if next(4) == 0 { "-" } else { "" };
            let raw = format!("{sign}{whole}.{zeros}{tail}");
            let significant = if whole == "0" {
                tail.len()
            } else {
                whole.len() + zeros.len() + tail.len()
            };
            let printed = number_text(raw.parse::<f64>().unwrap());
            match plain_decimal_text(raw.as_bytes()) {
                Some(text) => assert_eq!(text, printed, "{raw}"),
                // Only longer numbers fall through to the float formatter.
                None => assert!(significant > 15, "{raw}"),
            }
        }
        for raw in [
            "1.50",
            "01.5",
            ".5",
            "5.",
            "1e-3",
            "1.2.3",
            "-",
            "",
            "0.1234567890123456",
        ] {
            assert_eq!(plain_decimal_text(raw.as_bytes()), None, "{raw}");
        }
    }

    #[test]
    fn references() {
        assert_eq!(cell_reference(b"A1"), Some((0, 0)));
        assert_eq!(cell_reference(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_reference(b"$AA$10"), Some((9, 26)));
        for bad in [&b"1A"[..], b"A0", b"ABCD1", b"A", b"", b"A-1"] {
            assert_eq!(cell_reference(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hostile_bytes_do_not_panic() {
        let mut state = 7u64;
        for _ in 0..2000 {
            let mut xml = Vec::new();
            for _ in 0..(state % 200) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let pieces: [&[u8]; 12] = [
                    b"<c r=\"",
                    b"A1",
                    b"\">",
                    b"<v>",
                    b"</v>",
                    b"</c>",
                    b"<row r=\"2\">",
                    b"t=\"s\"",
                    b"<is><t>",
                    b"&#x",
                    b"\xff",
                    b"/>",
                ];
                xml.extend_from_slice(pieces[(state >> 33) as usize % pieces.len()]);
            }
            let context = Context {
                strings: &[],
                date_styles: &[],
                date1904: false,
            };
            let mut cursor = SheetCursor::default();
            cursor.feed(&xml, &context, &mut |_, _| true);
        }
    }
}
