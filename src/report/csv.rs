//! CSV for spreadsheets (`--format csv`): one row per repository and rule, so an estate can be
//! filtered and pivoted by rule, category, severity or outcome. Cells are quoted by RFC 4180
//! (the csv crate) and guarded against formula injection: repository text that begins like a
//! formula is prefixed so that a spreadsheet shows it rather than runs it.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{Emitter, RenderOptions};
use crate::model::{Finding, RepoReport, Report};

pub struct CsvEmitter;

pub const HEADER: [&str; 10] = [
    "repo",
    "rule",
    "category",
    "severity",
    "outcome",
    "message",
    "path",
    "fingerprint",
    "allow_reason",
    "allow_expires",
];

impl Emitter for CsvEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        let mut writer = writer(out);
        writer.write_record(HEADER)?;
        for repo in &report.repos {
            write_repo(&mut writer, repo)?;
        }
        writer.flush()
    }
}

/// A CSV writer with RFC 4180's CRLF line ends and quotes only where a cell needs them.
pub(super) fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out)
}

/// A cell a spreadsheet shows as text: one that begins with `=`, `+`, `-` or `@` (or a tab or
/// carriage return, which some spreadsheets skip before reading a formula) gets a leading `'`,
/// as OWASP's CSV-injection guidance advises.
pub fn cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

fn write_repo(writer: &mut csv::Writer<&mut dyn Write>, repo: &RepoReport) -> io::Result<()> {
    if let Some(error) = &repo.error {
        // An errored repository keeps a row, so a filter on `outcome` finds it.
        writer.write_record([
            cell(&repo.name).as_ref(),
            "",
            "",
            "",
            "error",
            cell(error).as_ref(),
            "",
            "",
            "",
            "",
        ])?;
        return Ok(());
    }
    for finding in &repo.findings {
        // The matching `[[allow]]` entry, on waived findings and on those whose entry expired.
        let reason = finding
            .allowed_by
            .as_ref()
            .map(|by| by.reason.as_str())
            .or(finding.waiver.as_deref())
            .unwrap_or("");
        let expires = finding
            .allowed_by
            .as_ref()
            .and_then(|by| by.expires.as_deref())
            .unwrap_or("");
        writer.write_record([
            cell(&repo.name).as_ref(),
            cell(&finding.rule).as_ref(),
            cell(&finding.category).as_ref(),
            finding.severity.as_str(),
            finding.outcome.as_str(),
            cell(&finding.message).as_ref(),
            cell(&paths(finding)).as_ref(),
            cell(&finding.fingerprint).as_ref(),
            cell(reason).as_ref(),
            cell(expires).as_ref(),
        ])?;
    }
    Ok(())
}

/// The distinct paths of a finding's evidence, in order, separated by "; ".
fn paths(finding: &Finding) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for path in finding.evidence.iter().filter_map(|e| e.path.as_deref()) {
        if !seen.contains(&path) {
            seen.push(path);
        }
    }
    seen.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_prefixed_and_others_are_left_alone() {
        for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\t=x", "\rx"] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        for plain in ["licence/present", "", "a=b", "1-2", "café"] {
            assert_eq!(cell(plain), plain);
        }
    }

    #[test]
    fn quotes_commas_and_line_breaks_are_quoted_by_rfc_4180() {
        let mut bytes = Vec::new();
        {
            let mut writer = writer(&mut bytes);
            writer
                .write_record(["a,b", "say \"hi\"", "two\nlines", "plain"])
                .unwrap();
            writer.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n"
        );
    }
}
