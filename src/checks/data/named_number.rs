//! A number written as the value of an NHS number field in code: `filter(NHS_NO == 44…)`,
//! `nhs_number = "44…"`, `WHERE [NHS Number] IN (44…`.
//!
//! One valid number in running text is weak evidence: random ten-digit numbers pass the check
//! digit about one time in eleven. But an analyst who pins down an outlier by writing its NHS
//! number into a script has committed a patient's identifier, and the field's name removes
//! the doubt the check digit leaves. Only code counts: documents show worked examples, and
//! tests are made of fixtures (which use the 999 range).

use std::sync::LazyLock;

use regex::bytes::Regex;

/// The bytes before the number on its line end with an NHS number field and an operator.
static FIELD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i-u)\bnhs[ _.-]?(?:no|num|number|nbr)\b[\]"'`)]*\s*(?:={1,3}|!=|<-|:=|:|%in%\s*c\(|\bin\s*\(|\bis\s+)\s*["'(]?$"#,
    )
    .expect("valid regex")
});

/// How far back on the line the field may start.
const WINDOW: usize = 64;

/// Whether the number starting at `start` in `text` is written as the value of an NHS number
/// field.
pub(super) fn is_nhs_field_value(text: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(WINDOW);
    let window = &text[from..start];
    let line = memchr::memrchr(b'\n', window).map_or(window, |nl| &window[nl + 1..]);
    FIELD_BEFORE.is_match(line)
}

/// Whether `path` is code, where a field's value is a value and not a worked example.
pub(super) fn is_code(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "py" | "r" | "sql" | "ipynb" | "rmd" | "qmd" | "sas" | "do" | "sps" | "jl" | "scala"
    ) && !crate::checks::paths::is_test_code(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(line: &str) -> bool {
        let at = line.find('4').expect("a number");
        is_nhs_field_value(line.as_bytes(), at)
    }

    #[test]
    fn field_values_in_r_python_and_sql() {
        for line in [
            "#df |> filter(NHS_NO==4401234567)",
            "df[df.nhs_number == '4401234567']",
            "nhs_number = \"4401234567\"",
            "patient <- list(nhs.number = 4401234567)",
            "WHERE [NHS Number] IN (4401234567, 4401234568)",
            "where NHSNumber = 4401234567",
            "{\"nhs_no\": 4401234567}",
        ] {
            assert!(named(line), "{line}");
        }
        for line in [
            "order_id = 4401234567",
            "nhs_number_hash = 4401234567",
            "# NHS numbers look like 4401234567",
            "print(4401234567)",
        ] {
            assert!(!named(line), "{line}");
        }
    }

    #[test]
    fn only_code_outside_tests() {
        assert!(is_code("EDA/MG EDA3.2 - Patient outliers.R"));
        assert!(is_code("analysis/check.py"));
        assert!(!is_code("README.md"));
        assert!(!is_code("tests/testthat/test-nhs.R"));
    }
}
