//! Tables inside Markdown and HTML: README result tables, knitted R Markdown
//! and Quarto reports, and pandas DataFrames rendered in notebook outputs.
//!
//! These tables are judged like CSV columns (see `table.rs`), which is far more
//! precise than reading them as prose. The parsers are deliberately small and
//! forgiving (no HTML library is allowed or needed): they look only for rows
//! and cells and never fail, whatever the input.

use std::sync::LazyLock;

use regex::Regex;

use super::table::{TableAnalyzer, TableSource};
use super::{FileScan, ScanOptions};

/// Tables judged per file; further tables are only scanned as prose.
const MAX_TABLES: usize = 500;

/// A table's byte range in the text, so callers can keep its numbers out of
/// the prose scan (they were already judged per column).
pub(super) type Span = (usize, usize);

fn split_md_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    cells.push(cur);
    cells
        .into_iter()
        .map(|c| {
            c.trim()
                .trim_matches('`')
                .trim_matches('*')
                .trim()
                .to_string()
        })
        .collect()
}

fn is_md_separator(line: &str) -> bool {
    let t = line.trim();
    if !t.contains('-') {
        return false;
    }
    let cells = split_md_row(t);
    (t.contains('|') || cells.len() > 1)
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty()
                && c.trim_start_matches(':')
                    .trim_end_matches(':')
                    .chars()
                    .all(|x| x == '-')
                && c.contains('-')
        })
}

/// Finds GitHub-flavoured pipe tables and judges each one.
pub(super) fn scan_markdown(
    path: &str,
    text: &str,
    opts: &ScanOptions,
    document: bool,
    out: &mut FileScan,
) -> Vec<Span> {
    let mut spans = Vec::new();
    // (byte offset, line) pairs so a table's span covers its lines exactly.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut off = 0;
    for l in text.split_inclusive('\n') {
        lines.push((off, l));
        off += l.len();
    }
    let mut i = 0;
    let mut tables = 0;
    while i + 1 < lines.len() {
        let (start, header) = lines[i];
        if !(header.contains('|') && is_md_separator(lines[i + 1].1)) || tables >= MAX_TABLES {
            i += 1;
            continue;
        }
        tables += 1;
        let mut table = TableAnalyzer::new(opts);
        let heads = split_md_row(header);
        table.set_header(heads.iter().map(String::as_str));
        let mut j = i + 2;
        while j < lines.len() && lines[j].1.contains('|') && !lines[j].1.trim().is_empty() {
            let cells = split_md_row(lines[j].1);
            table.push_row(cells.iter().map(String::as_str), j as u64 + 1);
            j += 1;
        }
        let end = lines.get(j).map_or(text.len(), |(o, _)| *o);
        spans.push((start, end));
        let src = TableSource {
            path: path.to_string(),
            location: format!("table {tables}"),
            document,
            introduced_as_example: document && introduced_as_example(&lines[..i]),
        };
        table.finish(&src, out);
        i = j;
    }
    spans
}

/// Lines read above a table for what introduces it: a heading, a caption, a note.
const LEAD_IN_LINES: usize = 3;

/// Words that say the table's people are made up. Not "sample", which as often means a sample
/// of the real data.
static EXAMPLE_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:examples?|dummy|synthetic|fake|fictional|fictitious|made[- ]up|invented|illustrative|mock)\b[^|\n]{0,20}?\b(?:data|datasets?|records?|rows?|tables?|extracts?|inputs?|patients?)\b",
    )
    .expect("regex")
});

/// Whether the last few non-blank lines before a table (`above`, in order) introduce it as
/// example data, as a guide's "**Example Data**:" does above a table of cartoon characters.
fn introduced_as_example(above: &[(usize, &str)]) -> bool {
    above
        .iter()
        .rev()
        .map(|(_, line)| line.trim())
        .filter(|line| !line.is_empty())
        .take(LEAD_IN_LINES)
        .take_while(|line| !line.contains('|'))
        .any(|line| EXAMPLE_LEAD_IN.is_match(line))
}

/// Position of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let p = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[i..])?;
        let at = i + p;
        if at + needle.len() > hay.len() {
            return None;
        }
        if hay[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Tag name after `<` or `</`, lower-cased (`td`, `tr`, `thead` …).
fn tag_name(b: &[u8], lt: usize) -> (bool, String) {
    let mut i = lt + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name: String = b[i.min(b.len())..]
        .iter()
        .take(10)
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase() as char)
        .collect();
    (closing, name)
}

/// Finds `<table>` elements and judges each one. `location` prefixes the
/// table label (a notebook cell, for instance); `line_of` maps a byte offset
/// to the line reported.
pub(super) fn scan_html(
    src_base: &TableSource,
    text: &str,
    opts: &ScanOptions,
    line_of: &dyn Fn(usize) -> u64,
    out: &mut FileScan,
) -> Vec<Span> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut pos = 0;
    let mut tables = 0;
    while let Some(start) = find_ci(b, pos, b"<table") {
        if tables >= MAX_TABLES {
            break;
        }
        let end = find_ci(b, start + 6, b"</table").map_or(b.len(), |e| {
            memchr::memchr(b'>', &b[e..]).map_or(b.len(), |g| e + g + 1)
        });
        tables += 1;
        spans.push((start, end));
        let mut table = TableAnalyzer::new(opts);
        let mut row: Vec<String> = Vec::new();
        let mut row_line = 0u64;
        let mut in_row = false;
        let mut cell: Option<String> = None;
        let mut in_thead = false;
        let mut header_rows = 0usize;
        let mut body_rows = 0usize;
        let mut i = start;
        let flush = |row: &mut Vec<String>,
                     in_thead: bool,
                     header_rows: &mut usize,
                     body_rows: &mut usize,
                     line: u64,
                     table: &mut TableAnalyzer| {
            if row.is_empty() {
                return;
            }
            // Only the first header row names columns; pandas adds a second
            // one for the index name.
            if in_thead || (*header_rows == 0 && *body_rows == 0) {
                *header_rows += 1;
                if *header_rows == 1 {
                    table.set_header(row.iter().map(String::as_str));
                }
            } else if !table.is_full() {
                *body_rows += 1;
                table.push_row(row.iter().map(String::as_str), line);
            }
            row.clear();
        };
        while i < end {
            let Some(lt) = memchr::memchr(b'<', &b[i..end]).map(|p| i + p) else {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&text[i..end]);
                }
                break;
            };
            if let Some(c) = cell.as_mut()
                && c.len() < 4096
            {
                c.push_str(&text[i..lt]);
            }
            let gt = memchr::memchr(b'>', &b[lt..end]).map_or(end, |p| lt + p + 1);
            let (closing, name) = tag_name(b, lt);
            match (closing, name.as_str()) {
                (false, "thead") => in_thead = true,
                (true, "thead") => {
                    if in_row {
                        flush(
                            &mut row,
                            true,
                            &mut header_rows,
                            &mut body_rows,
                            row_line,
                            &mut table,
                        );
                        in_row = false;
                    }
                    in_thead = false;
                }
                (false, "tr") => {
                    if let Some(c) = cell.take() {
                        row.push(decode_entities(c.trim()));
                    }
                    if in_row {
                        flush(
                            &mut row,
                            in_thead,
                            &mut header_rows,
                            &mut body_rows,
                            row_line,
                            &mut table,
                        );
                    }
                    in_row = true;
                    row_line = line_of(lt);
                }
                (true, "tr") => {
                    if let Some(c) = cell.take() {
                        row.push(decode_entities(c.trim()));
                    }
                    flush(
                        &mut row,
                        in_thead,
                        &mut header_rows,
                        &mut body_rows,
                        row_line,
                        &mut table,
                    );
                    in_row = false;
                }
                (false, "td" | "th") => {
                    if let Some(c) = cell.take() {
                        row.push(decode_entities(c.trim()));
                    }
                    if !in_row {
                        in_row = true;
                        row_line = line_of(lt);
                    }
                    cell = Some(String::new());
                }
                (true, "td" | "th") => {
                    if let Some(c) = cell.take() {
                        row.push(decode_entities(c.trim()));
                    }
                }
                (false, "br") => {
                    if let Some(c) = cell.as_mut() {
                        c.push(' ');
                    }
                }
                _ => {}
            }
            i = gt;
        }
        if let Some(c) = cell.take() {
            row.push(decode_entities(c.trim()));
        }
        flush(
            &mut row,
            false,
            &mut header_rows,
            &mut body_rows,
            row_line,
            &mut table,
        );
        let src = TableSource {
            path: src_base.path.clone(),
            location: if src_base.location.is_empty() {
                format!("table {tables}")
            } else {
                format!("{}, table {tables}", src_base.location)
            },
            document: src_base.document,
            introduced_as_example: false,
        };
        table.finish(&src, out);
        pos = end.max(start + 1);
    }
    spans
}

/// Replaces a span's bytes with spaces (newlines kept, so line numbers hold).
pub(super) fn blank_spans(text: &str, spans: &[Span]) -> Vec<u8> {
    let mut v = text.as_bytes().to_vec();
    for &(s, e) in spans {
        for b in &mut v[s.min(e)..e.min(text.len())] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, Strength};
    use super::*;

    #[test]
    fn markdown_table_small_numbers() {
        let md = "# Results\n\n| Region | Admissions |\n|:---|---:|\n| North | 3 |\n| South | 120 |\n\nText after.\n";
        let mut out = FileScan::default();
        let spans = scan_markdown("README.md", md, &ScanOptions::default(), true, &mut out);
        assert_eq!(spans.len(), 1);
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::SmallNumbers);
        assert_eq!(out.detections[0].line, Some(5));
        assert_eq!(&md[spans[0].0..spans[0].1].lines().count(), &4);
    }

    /// A guide's table of invented people, introduced as example data: listed, not raised,
    /// unless it holds NHS numbers; the same rows without the lead-in, or under "a sample of
    /// the extract", stay an alarm.
    #[test]
    fn tables_introduced_as_example_data() {
        // Nine digits and their Modulus 11 check digit, computed here rather than by the
        // code under test.
        let nhs = |nine: &str| {
            let sum: u32 = nine
                .bytes()
                .zip((2..=10).rev())
                .map(|(b, weight)| u32::from(b - b'0') * weight)
                .sum();
            let check = (11 - sum % 11) % 11;
            assert_ne!(check, 10, "{nine} has no valid check digit");
            format!("{nine}{check}")
        };
        let people = |extra_header: &str, extra: [&str; 2]| {
            format!(
                "|Surname|Forename|dob|postcode{extra_header}|\n|---|---|---|---|{}\n|Mouse|Mickey|31/12/1950|LS1 4AP{}|\n|Simpson|Homer|01/01/1970|M1 1AE{}|\n",
                if extra_header.is_empty() { "" } else { "---|" },
                extra[0],
                extra[1],
            )
        };
        let strengths = |md: &str| {
            let mut out = FileScan::default();
            scan_markdown("docs/guide.md", md, &ScanOptions::default(), true, &mut out);
            out.detections
                .iter()
                .map(|d| (d.kind, d.strength, d.message.clone()))
                .collect::<Vec<_>>()
        };
        let plain = people("", ["", ""]);
        for lead_in in [
            "**Example Data**:\n**Note**: real data has more fields than these examples.\n\n",
            "## Inputs\n\nThe pipeline expects a dummy extract like this one:\n\n",
            "Fictional patients, for illustration:\n",
        ] {
            let got = strengths(&format!("# Guide\n\n{lead_in}{plain}"));
            assert!(got.len() >= 2, "{lead_in}: {got:?}");
            for (_, strength, message) in &got {
                assert_eq!(*strength, Strength::Weak, "{lead_in}: {got:?}");
                assert!(message.contains("introduces as example data"), "{message}");
            }
        }
        for lead_in in [
            "",
            "A sample of the extract we received:\n\n",
            // The words introduce the table before, not this one.
            "Example data:\n|a|b|\n|---|---|\n\n",
        ] {
            let got = strengths(&format!("# Guide\n\n{lead_in}{plain}"));
            assert!(
                got.iter()
                    .any(|(_, strength, _)| *strength == Strength::Strong),
                "{lead_in}: {got:?}"
            );
        }
        let numbered = people(
            "|nhs_number",
            [
                &format!("|{}", nhs("401023213")),
                &format!("|{}", nhs("450557710")),
            ],
        );
        let got = strengths(&format!("**Example Data**:\n\n{numbered}"));
        assert!(
            got.iter()
                .any(|(kind, strength, _)| *kind == Kind::DateOfBirth
                    && *strength == Strength::Strong),
            "{got:?}"
        );
    }

    #[test]
    fn pandas_html_table() {
        let html = r#"<div><table border="1" class="dataframe">
  <thead><tr style="text-align: right;"><th></th><th>nhs_number</th><th>age</th></tr>
  <tr><th>idx</th><th></th><th></th></tr></thead>
  <tbody>
    <tr><th>0</th><td>7860960575</td><td>40</td></tr>
    <tr><th>1</th><td>4010232137</td><td>51</td></tr>
  </tbody></table></div>"#;
        let mut out = FileScan::default();
        let src = TableSource {
            path: "n.ipynb".into(),
            location: "cell 3".into(),
            document: false,
            introduced_as_example: false,
        };
        let spans = scan_html(&src, html, &ScanOptions::default(), &|_| 3, &mut out);
        assert_eq!(spans.len(), 1);
        assert_eq!(out.detections.len(), 1, "{out:?}");
        let d = &out.detections[0];
        assert_eq!(
            (d.kind, d.strength, d.count),
            (Kind::NhsNumber, Strength::Strong, 2)
        );
        assert_eq!(d.column.as_deref(), Some("nhs_number"));
    }

    #[test]
    fn broken_html_does_not_panic() {
        let mut out = FileScan::default();
        for s in [
            "<table",
            "<table><tr><td>1",
            "<TABLE><TR><TD>9434765919</td></TABLE",
            "<table></",
            "<table>é<td>ü<",
        ] {
            let _ = scan_html(
                &TableSource::default(),
                s,
                &ScanOptions::default(),
                &|_| 1,
                &mut out,
            );
        }
    }
}
