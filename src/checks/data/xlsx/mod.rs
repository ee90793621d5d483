//! Excel 2007+ workbooks (xlsx, xlsm) read straight from their zip parts.
//!
//! calamine reads these correctly but runs every cell through a general XML event parser, and
//! publication templates hold hundreds of thousands of styled empty cells: on 26 real NHS
//! repositories eight workbooks took more than a third of the whole audit. This reader finds
//! the workbook through the package relationships as Excel does, loads the shared strings and
//! which cell styles are dates, and streams each worksheet through a tag lexer that skips empty
//! cells with one `memchr`.
//!
//! It reads what the table checks need (cell values, as text) and nothing else: no formulas,
//! styles beyond dates, merged cells or pictures. Anything that is not a zip package with a
//! SpreadsheetML workbook (xlsb, encrypted workbooks in OLE containers, ods) gives `None`, and
//! the caller falls back to calamine. Tests check it against calamine's cell reader on
//! workbooks written by an independent writer.

mod cell_tag;
mod cells;
mod tags;
pub(super) mod values;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;

use cells::{Context, SheetCursor};
use tags::{attr, next_tag, prefixed_attr, text_at, unescape};

pub(super) use cells::{RowCells, RowSink};

/// Sheet XML is read in chunks of this size, cut at a row's end.
const CHUNK: usize = 1 << 20;
/// The smallest read buffer for a sheet, whatever size its archive entry declares.
const MIN_CHUNK: usize = 64 << 10;
/// A single row longer than this (a hostile or broken sheet) ends the sheet.
const MAX_ROW_BYTES: usize = 16 << 20;
/// Decompressed bytes read from one sheet; a zip bomb of empty cells stops here.
const MAX_SHEET_BYTES: u64 = 1 << 30;
/// Decompressed bytes read from the shared strings, styles, workbook and relationship parts.
const MAX_PART_BYTES: u64 = 64 << 20;

/// An opened workbook: its worksheets in tab order and what their cells refer to.
pub(super) struct Workbook<'b> {
    archive: ZipArchive<Cursor<&'b [u8]>>,
    /// Zip entry names by their normalised form (lower case, `/` separators).
    entries: HashMap<String, String>,
    /// (sheet name, worksheet part) in tab order; chart and dialog sheets are left out.
    pub sheets: Vec<(String, String)>,
    strings: Vec<String>,
    date_styles: Vec<bool>,
    date1904: bool,
}

impl<'b> Workbook<'b> {
    /// Opens `bytes` as an xlsx or xlsm package; `None` when it is not one this reader handles.
    pub(super) fn open(bytes: &'b [u8]) -> Option<Workbook<'b>> {
        if !bytes.starts_with(b"PK\x03\x04") {
            return None;
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
        let entries = archive
            .file_names()
            .filter_map(Result::ok)
            .map(|name| (normalise_entry(&name), name.into_owned()))
            .collect();
        let mut book = Workbook {
            archive,
            entries,
            sheets: Vec::new(),
            strings: Vec::new(),
            date_styles: Vec::new(),
            date1904: false,
        };
        let workbook_part = book.office_document()?;
        if !workbook_part.to_ascii_lowercase().ends_with(".xml") {
            return None;
        }
        let workbook_xml = book.part(&workbook_part)?;
        let rels = book.relationships(&workbook_part);
        book.read_workbook(&workbook_xml, &workbook_part, &rels);
        for (kind, target) in rels.values() {
            if kind.ends_with("/sharedStrings") {
                if let Some(xml) = book.part(target) {
                    book.strings = shared_strings(&xml);
                }
            } else if kind.ends_with("/styles")
                && let Some(xml) = book.part(target)
            {
                book.date_styles = date_styles(&xml);
            }
        }
        Some(book)
    }

    /// Streams the worksheet part `part` into `sink`, row by row; false if it cannot be read.
    pub(super) fn read_sheet(&mut self, part: &str, sink: &mut RowSink<'_>) -> bool {
        let Some(name) = self.entries.get(&normalise_entry(part)) else {
            return false;
        };
        let Ok(file) = self.archive.by_name(name) else {
            return false;
        };
        // Most sheets are far smaller than a chunk: the buffer fits the size the archive
        // declares, with a floor so that a size that lies costs rounds, not a read per byte.
        let chunk = usize::try_from(file.size())
            .map_or(CHUNK, |size| size.saturating_add(1))
            .clamp(MIN_CHUNK, CHUNK);
        let mut reader = file.take(MAX_SHEET_BYTES);
        let context = Context {
            strings: &self.strings,
            date_styles: &self.date_styles,
            date1904: self.date1904,
        };
        let mut cursor = SheetCursor::default();
        // One buffer, zeroed once and refilled in place: `read_to_end` into spare room zeroed
        // that room again on every call (30 M instructions of `memset` over 26 real
        // repositories), and draining the fed rows moved the rest twice.
        let mut buf = vec![0u8; chunk];
        let mut filled = 0usize;
        loop {
            // At least a chunk's worth of new bytes per round, and as many as are kept, so that a
            // row longer than a chunk is read in doubling rounds rather than chunk by chunk.
            let target = filled + chunk.max(filled);
            if buf.len() < target {
                buf.resize(target, 0);
            }
            let mut at_end = false;
            while filled < target && !at_end {
                match reader.read(&mut buf[filled..target]) {
                    Ok(0) => at_end = true,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        log::debug!("{part}: stopped reading the sheet: {e}");
                        at_end = true;
                    }
                }
            }
            let cut = if at_end {
                filled
            } else {
                last_row_end(&buf[..filled]).unwrap_or(0)
            };
            if cut == 0 && !at_end {
                if filled > MAX_ROW_BYTES {
                    log::debug!("{part}: a row longer than {MAX_ROW_BYTES} bytes; sheet cut");
                    break;
                }
                continue;
            }
            cursor.feed(&buf[..cut], &context, sink);
            buf.copy_within(cut..filled, 0);
            filled -= cut;
            if at_end || cursor.done {
                break;
            }
        }
        cursor.finish(sink);
        true
    }

    /// The main part, from the package relationships (`xl/workbook.xml` when they say nothing).
    fn office_document(&mut self) -> Option<String> {
        let rels = self.relationships("");
        let found = rels
            .values()
            .find(|(kind, _)| kind.ends_with("/officeDocument"))
            .map(|(_, target)| target.clone());
        let part = found.unwrap_or_else(|| "xl/workbook.xml".to_string());
        self.entries
            .contains_key(&normalise_entry(&part))
            .then_some(part)
    }

    /// The relationships of `part` ("" for the package): id to (type, resolved target).
    fn relationships(&mut self, part: &str) -> HashMap<String, (String, String)> {
        let (dir, file) = match part.rfind('/') {
            Some(slash) => (&part[..=slash], &part[slash + 1..]),
            None => ("", part),
        };
        let rels_part = format!("{dir}_rels/{file}.rels");
        let mut out = HashMap::new();
        let Some(xml) = self.part(&rels_part) else {
            return out;
        };
        let mut at = 0;
        while let Some((tag, next)) = next_tag(&xml, at) {
            at = next;
            if tag.end || tag.local != b"Relationship" {
                continue;
            }
            if attr(tag.attrs, b"TargetMode").is_some_and(|m| m.eq_ignore_ascii_case(b"External")) {
                continue;
            }
            let (Some(id), Some(target)) = (attr(tag.attrs, b"Id"), attr(tag.attrs, b"Target"))
            else {
                continue;
            };
            let kind = attr(tag.attrs, b"Type").map(unescape).unwrap_or_default();
            out.insert(unescape(id), (kind, resolve_target(dir, &unescape(target))));
        }
        out
    }

    fn read_workbook(
        &mut self,
        xml: &[u8],
        workbook_part: &str,
        rels: &HashMap<String, (String, String)>,
    ) {
        let mut at = 0;
        while let Some((tag, next)) = next_tag(xml, at) {
            at = next;
            if tag.end {
                continue;
            }
            match tag.local {
                b"workbookPr" => {
                    self.date1904 = attr(tag.attrs, b"date1904")
                        .is_some_and(|v| v == b"1" || v.eq_ignore_ascii_case(b"true"));
                }
                b"sheet" => {
                    let name = attr(tag.attrs, b"name").map(unescape).unwrap_or_default();
                    let target = prefixed_attr(tag.attrs, b"id")
                        .map(unescape)
                        .and_then(|id| rels.get(&id))
                        .filter(|(kind, _)| kind.ends_with("/worksheet"))
                        .map(|(_, target)| target.clone());
                    match target {
                        Some(part) => self.sheets.push((name, part)),
                        None => log::debug!("{workbook_part}: sheet {name:?} is not a worksheet"),
                    }
                }
                _ => {}
            }
        }
    }

    /// A whole part, up to [`MAX_PART_BYTES`].
    fn part(&mut self, part: &str) -> Option<Vec<u8>> {
        let name = self.entries.get(&normalise_entry(part))?;
        let file = self.archive.by_name(name).ok()?;
        let mut out = Vec::new();
        file.take(MAX_PART_BYTES).read_to_end(&mut out).ok()?;
        Some(out)
    }
}

/// Every `<si>` of the shared strings part, in order: its runs joined, phonetic runs left out.
fn shared_strings(xml: &[u8]) -> Vec<String> {
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    let mut in_phonetic = false;
    let mut at = 0;
    while let Some((tag, next)) = next_tag(xml, at) {
        at = next;
        match (tag.local, tag.end) {
            (b"si", false) if tag.empty => strings.push(String::new()),
            (b"si", false) => current = Some(String::new()),
            (b"si", true) => strings.push(current.take().unwrap_or_default()),
            (b"rPh", false) => in_phonetic = !tag.empty,
            (b"rPh", true) => in_phonetic = false,
            (b"t", false) if !tag.empty && !in_phonetic => {
                let (text, end) = text_at(xml, next);
                if let Some(s) = current.as_mut() {
                    s.push_str(&cells::run_text(text, &tag));
                }
                at = end;
            }
            _ => {}
        }
    }
    strings
}

/// For each cell format (`<cellXfs>`, in order), whether its number format is a date or time.
fn date_styles(xml: &[u8]) -> Vec<bool> {
    let mut custom: HashMap<u32, String> = HashMap::new();
    let mut formats: Vec<u32> = Vec::new();
    let mut in_cell_formats = false;
    let mut at = 0;
    while let Some((tag, next)) = next_tag(xml, at) {
        at = next;
        match (tag.local, tag.end) {
            (b"numFmt", false) => {
                let id = attr(tag.attrs, b"numFmtId").and_then(|v| std::str::from_utf8(v).ok());
                if let Some(id) = id.and_then(|v| v.trim().parse().ok()) {
                    let code = attr(tag.attrs, b"formatCode")
                        .map(unescape)
                        .unwrap_or_default();
                    custom.insert(id, code);
                }
            }
            (b"cellXfs", false) => in_cell_formats = !tag.empty,
            (b"cellXfs", true) => in_cell_formats = false,
            (b"xf", false) if in_cell_formats => {
                let id = attr(tag.attrs, b"numFmtId")
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                formats.push(id);
            }
            _ => {}
        }
    }
    formats
        .iter()
        .map(|id| values::is_date_format(*id, custom.get(id).map(String::as_str)))
        .collect()
}

/// Where the last `</row>` (with any prefix) in `buf` ends.
fn last_row_end(buf: &[u8]) -> Option<usize> {
    let mut end = buf.len();
    while let Some(hit) = memchr::memmem::rfind(&buf[..end], b"row>") {
        let before = &buf[..hit];
        let name_start = before
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b':' || b == b'_' || b == b'-'))
            .map_or(0, |p| p + 1);
        let prefix = &before[name_start..];
        let closes = name_start >= 2
            && &buf[name_start - 2..name_start] == b"</"
            && (prefix.is_empty() || prefix.ends_with(b":"));
        if closes {
            return Some(hit + 4);
        }
        end = hit;
    }
    None
}

/// A relationship target as a zip entry name: absolute targets from the package root, relative
/// ones from the source part's folder, with `.` and `..` resolved.
fn resolve_target(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split(['/', '\\']) {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Zip entry names as Excel finds them: case-insensitive, either slash.
fn normalise_entry(name: &str) -> String {
    name.trim_start_matches('/')
        .replace('\\', "/")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests;
