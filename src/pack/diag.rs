//! Located configuration problems. A rule pack is validated completely before anything is
//! audited, and every problem is reported at once with file:line:col, so a user fixes a pack in
//! one pass instead of one error per run.

use crate::model::Diagnostic;
use std::ops::Range;

/// Collects diagnostics against one source text, turning byte spans into line:col.
pub struct Collector<'a> {
    file: &'a str,
    text: &'a str,
    pub found: Vec<Diagnostic>,
}

impl<'a> Collector<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Collector {
            file,
            text,
            found: Vec::new(),
        }
    }

    pub fn file(&self) -> &str {
        self.file
    }

    pub fn at(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.map_or(0, |s| s.start));
        self.found.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        });
    }
}

/// Line and column of an offset in the collector's own text.
pub fn line_col_of(collector: &Collector, offset: usize) -> (usize, usize) {
    line_col(collector.text, offset)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 3));
    }
}
