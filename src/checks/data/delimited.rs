//! The streaming CSV/TSV reader: a delimited file in, rows into a
//! [`TableAnalyzer`] out, with a cap on line length so a file without
//! newlines cannot make the reader buffer it whole.

use std::io::{BufRead, BufReader, Read};

use super::table::{TableAnalyzer, TableSource};
use super::{FileScan, ScanOptions};

/// Cuts physical lines at `cap` bytes so a file without newlines cannot make
/// the CSV reader buffer it whole.
pub(super) struct LineCap<R> {
    inner: R,
    cap: usize,
    line_len: usize,
}

impl<R: Read> LineCap<R> {
    pub(super) fn new(inner: R, cap: usize) -> Self {
        LineCap {
            inner,
            cap,
            line_len: 0,
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            // Fast path: no line in this block runs past the cap.
            let mut len = self.line_len;
            let mut last = 0;
            let mut over = false;
            for nl in memchr::memchr_iter(b'\n', &buf[..n]) {
                if len + (nl - last) > self.cap {
                    over = true;
                    break;
                }
                len = 0;
                last = nl + 1;
            }
            if !over && len + (n - last) <= self.cap {
                self.line_len = len + (n - last);
                return Ok(n);
            }
            let mut w = 0;
            for r in 0..n {
                let b = buf[r];
                if b == b'\n' {
                    self.line_len = 0;
                } else {
                    self.line_len += 1;
                    if self.line_len > self.cap {
                        continue;
                    }
                }
                buf[w] = b;
                w += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// Guess the delimiter from the first line when the extension does not say.
fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let count = |d: u8| memchr::memchr_iter(d, first_line).count();
    let candidates = [
        (b',', count(b',')),
        (b'\t', count(b'\t')),
        (b';', count(b';')),
        (b'|', count(b'|')),
    ];
    candidates
        .iter()
        .max_by_key(|(_, c)| *c)
        .filter(|(_, c)| *c > 0)
        .map_or(b',', |(d, _)| *d)
}

/// Stream a delimited file into a table analyzer. `delimiter` of `None`
/// means sniff. Never fails: a malformed record ends the table.
pub(super) fn scan_delimited(
    src: &TableSource,
    reader: &mut dyn Read,
    delimiter: Option<u8>,
    opts: &ScanOptions,
    out: &mut FileScan,
) {
    let capped = LineCap::new(reader.take(opts.max_bytes), 1 << 20);
    let mut buffered = BufReader::with_capacity(1 << 16, capped);
    let delim = match delimiter {
        Some(d) => d,
        None => {
            let head = buffered.fill_buf().map(<[u8]>::to_vec).unwrap_or_default();
            let line = head.split(|b| *b == b'\n').next().unwrap_or(&[]);
            sniff_delimiter(line)
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .quoting(delim != b'\t')
        .buffer_capacity(1 << 16)
        .from_reader(buffered);
    let mut table = TableAnalyzer::new(opts);
    let mut record = csv::ByteRecord::new();
    let mut cells: Vec<String> = Vec::new();
    loop {
        if table.is_full() {
            break;
        }
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                log::debug!("{}: CSV stopped: {e}", src.path);
                // Keep going past a bad record when the reader can.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        // One UTF-8 validation per record, then fields are sliced out of
        // it (`get` returns None if a character straddles two fields).
        if let Ok(all) = std::str::from_utf8(record.as_slice()) {
            let fields =
                (0..record.len()).map(|i| record.range(i).and_then(|r| all.get(r)).unwrap_or(""));
            table.push_row(fields, line);
        } else {
            cells.clear();
            cells.extend(
                record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned()),
            );
            table.push_row(cells.iter().map(String::as_str), line);
        }
    }
    table.finish(src, out);
}
