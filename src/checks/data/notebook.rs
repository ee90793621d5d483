//! Jupyter notebooks: outputs are where patient data leaks most often (a
//! `df.head()` left in a committed notebook), so outputs are parsed and
//! scanned with the same detectors as files: HTML tables per column, text as
//! prose. Hits report the cell index + 1 as their line.

use crate::checks::json::Json;

use super::markup_tables::{blank_spans, scan_html};
use super::prose::{ProseMode, ProseScanner};
use super::table::TableSource;
use super::{FileScan, ScanOptions};

fn cells<'j, 'a>(nb: &'j Json<'a>) -> &'j [Json<'a>] {
    if let Some(c) = nb.get("cells").and_then(Json::as_array) {
        return c;
    }
    // nbformat 3 kept cells under worksheets.
    nb.get("worksheets")
        .and_then(Json::as_array)
        .and_then(|w| w.first())
        .and_then(|w| w.get("cells"))
        .and_then(Json::as_array)
        .unwrap_or(&[])
}

/// True when any cell of the notebook has a non-empty `outputs` list.
/// Malformed JSON is reported as no outputs.
pub fn notebook_has_outputs(json_text: &str) -> bool {
    let Ok(nb) = Json::parse(json_text.as_bytes()) else {
        return false;
    };
    cells(&nb).iter().any(|c| {
        c.get("outputs")
            .and_then(Json::as_array)
            .is_some_and(|o| !o.is_empty())
    })
}

/// Scans sources and outputs; returns false when the JSON is not a notebook.
pub(super) fn scan_notebook(
    path: &str,
    bytes: &[u8],
    opts: &ScanOptions,
    out: &mut FileScan,
) -> bool {
    let Ok(nb) = Json::parse(bytes) else {
        return false;
    };
    let cells = cells(&nb);
    let mut prose = ProseScanner::new(path, ProseMode::default());
    for (i, cell) in cells.iter().enumerate() {
        let line = i as u64 + 1;
        prose.set_fixed_line(Some(line));
        let source = cell
            .get("source")
            .or_else(|| cell.get("input"))
            .map(Json::joined_text)
            .unwrap_or_default();
        prose.feed(source.as_bytes());
        let Some(outputs) = cell.get("outputs").and_then(Json::as_array) else {
            continue;
        };
        out.notebook_outputs |= !outputs.is_empty();
        for o in outputs {
            for key in ["text", "traceback"] {
                if let Some(t) = o.get(key) {
                    prose.feed(t.joined_text().as_bytes());
                }
            }
            let Some(data) = o.get("data") else { continue };
            if let Some(html) = data.get("text/html") {
                let html = html.joined_text();
                let src = TableSource {
                    path: path.to_string(),
                    location: format!("cell {line}"),
                    document: false,
                    introduced_as_example: false,
                };
                let spans = scan_html(&src, &html, opts, &|_| line, out);
                prose.feed(&blank_spans(&html, &spans));
            } else if let Some(plain) = data.get("text/plain") {
                prose.feed(plain.joined_text().as_bytes());
            }
        }
    }
    prose.finish(out);
    true
}

#[cfg(test)]
mod tests {
    use super::super::Kind;
    use super::*;

    #[test]
    fn outputs() {
        let nb = r#"{"cells": [{"cell_type": "code", "source": ["x = 1"], "outputs": []},
            {"cell_type": "code", "source": "df.head()", "outputs": [{"output_type": "execute_result",
             "data": {"text/html": ["<table><thead><tr><th></th><th>nhs_number</th></tr></thead>",
                                    "<tbody><tr><th>0</th><td>9434765919</td></tr><tr><th>1</th><td>4010232137</td></tr></tbody></table>"],
                      "text/plain": ["   nhs_number\n0  9434765919"]}}]}]}"#;
        assert!(notebook_has_outputs(nb));
        assert!(!notebook_has_outputs(r#"{"cells": [{"outputs": []}]}"#));
        assert!(!notebook_has_outputs("not json"));
        let mut out = FileScan::default();
        assert!(scan_notebook(
            "a.ipynb",
            nb.as_bytes(),
            &ScanOptions::default(),
            &mut out
        ));
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::NhsNumber);
        assert_eq!(out.detections[0].line, Some(2));
    }
}
