//! Where a table's header row is, when the table opens with a preamble.
//!
//! Extracts saved from reports and PAS systems often start with a title line ("Patient
//! extract - run 2024-02-01"), a blank line or a note, and only then the header. Taking row 1
//! as the header would turn the real header into a value, drop the column's meaning
//! (`NHS Number`) and dilute the share of valid numbers below the bar. So when row 1 holds at
//! most one cell, the first rows are held back until they show a header row (two or more text
//! cells, no values) followed by a data row no wider than it with a number under a text
//! header; then the preamble is dropped. Anything else is read as before, row 1 as the header.

use super::digits::ten_digits;
use super::quasi;

/// Title and note rows allowed above a header; past this the table has no preamble.
const MAX_PREAMBLE_ROWS: usize = 10;

/// A first row is data, not a header, when a cell looks like a value worth
/// detecting; treating it as a header would also leak it into `column`.
pub(super) fn looks_like_value(cell: &str) -> bool {
    let v = cell.trim();
    if v.is_empty() {
        return false;
    }
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    digits >= 6
        || ten_digits(v).is_some()
        || super::postcode::is_full_postcode(v)
        || quasi::is_email(v)
        || quasi::is_date_like(v)
        || quasi::is_ni_number(v)
}

/// What the rows held so far say about the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderAt {
    /// Not decided yet: more rows are needed.
    Pending,
    /// The row at this index (of the held rows) is the header; rows above it are preamble.
    Row(usize),
    /// No preamble: row 1 is read as before.
    First,
}

/// Rows held back while the header is looked for (at most [`MAX_PREAMBLE_ROWS`] + 2).
#[derive(Debug, Default)]
pub(super) struct HeldRows {
    rows: Vec<(Vec<String>, u64)>,
}

/// Non-empty cells in a row.
pub(super) fn filled(cells: &[&str]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

fn filled_owned(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// One past the last non-empty cell: Excel pads CSV rows with empty cells to the sheet's width.
fn width(cells: &[String]) -> usize {
    cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1)
}

/// A title, a note or a blank line: at most one cell, and not an identifier (a lone NHS
/// number is a value, which must not be dropped).
fn is_preamble(cells: &[String]) -> bool {
    let mut filled = cells.iter().filter(|c| !c.trim().is_empty());
    match (filled.next(), filled.next()) {
        (None, _) => true,
        (Some(c), None) => super::digits::ten_digits(c).is_none(),
        _ => false,
    }
}

fn starts_with_digit(cell: &str) -> bool {
    cell.trim_start()
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit())
}

/// Header cells are names: none looks like a value or starts with a digit.
fn is_header_like(cells: &[String]) -> bool {
    filled_owned(cells) >= 2
        && !cells
            .iter()
            .any(|c| looks_like_value(c) || starts_with_digit(c))
}

/// A data row under `header`: two or more cells, none past the header's last, and at least one
/// number or identifier under a text header (a row of words under a row of words could as
/// well be the first two rows of a table of names).
fn is_data_under(header: &[String], row: &[String]) -> bool {
    filled_owned(row) >= 2
        && width(row) <= width(header)
        && row
            .iter()
            .zip(header)
            .any(|(v, h)| !h.trim().is_empty() && (starts_with_digit(v) || looks_like_value(v)))
}

impl HeldRows {
    pub(super) fn push(&mut self, cells: &[&str], line: u64) {
        self.rows
            .push((cells.iter().map(|c| (*c).to_string()).collect(), line));
    }

    /// Decides from the rows held so far (row 1 held at most one cell).
    pub(super) fn header_at(&self) -> HeaderAt {
        let Some(at) = self.rows.iter().position(|(r, _)| !is_preamble(r)) else {
            return if self.rows.len() > MAX_PREAMBLE_ROWS {
                HeaderAt::First
            } else {
                HeaderAt::Pending
            };
        };
        if at == 0 || at > MAX_PREAMBLE_ROWS || !is_header_like(&self.rows[at].0) {
            return HeaderAt::First;
        }
        match self.rows.get(at + 1) {
            None => HeaderAt::Pending,
            Some((row, _)) if is_data_under(&self.rows[at].0, row) => HeaderAt::Row(at),
            Some(_) => HeaderAt::First,
        }
    }

    pub(super) fn into_rows(self) -> Vec<(Vec<String>, u64)> {
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(rows: &[&[&str]]) -> HeldRows {
        let mut h = HeldRows::default();
        for (i, r) in rows.iter().enumerate() {
            h.push(r, i as u64 + 1);
        }
        h
    }

    #[test]
    fn a_title_and_a_blank_line_above_a_header_are_preamble() {
        let h = held(&[
            &["Patient extract - run 2024-02-01"],
            &[""],
            &["NHS Number", "Surname", "Ward"],
            &["4010232137", "Ashworth", "CCU"],
        ]);
        assert_eq!(h.header_at(), HeaderAt::Row(2));
        // Excel pads the title row with empty cells to the table's width.
        let h = held(&[
            &["Extract", "", ""],
            &["NHS Number", "Surname", "Ward"],
            &["4010232137", "Ashworth", "CCU"],
        ]);
        assert_eq!(h.header_at(), HeaderAt::Row(1));
    }

    #[test]
    fn undecided_until_a_data_row_follows_the_header() {
        assert_eq!(held(&[&["Title"]]).header_at(), HeaderAt::Pending);
        assert_eq!(
            held(&[&["Title"], &["a", "b"]]).header_at(),
            HeaderAt::Pending
        );
    }

    #[test]
    fn ordinary_and_ambiguous_tables_keep_row_one() {
        // One column: every row holds one cell, so nothing tells a title from a header.
        let one_column: Vec<&[&str]> = vec![&["nhs_number"]; 12];
        assert_eq!(held(&one_column).header_at(), HeaderAt::First);
        // Words under words: as likely a table of names with a one-cell header.
        let h = held(&[&["name", ""], &["Alys", "Pryce"], &["Bryn", "Rees"]]);
        assert_eq!(h.header_at(), HeaderAt::First);
        // A second row that is already data.
        let h = held(&[&["nhs_number"], &["4010232137", "40"]]);
        assert_eq!(h.header_at(), HeaderAt::First);
        // A data row wider than the "header".
        let h = held(&[&["Title"], &["a", "b"], &["1", "2", "3"]]);
        assert_eq!(h.header_at(), HeaderAt::First);
        // A lone identifier is a value, not a title.
        let h = held(&[&["4010232137"], &["a", "b"], &["1", "2"]]);
        assert_eq!(h.header_at(), HeaderAt::First);
    }
}
