//! How a spreadsheet cell's stored value reads as text: numbers as a person would type them and
//! date serials as ISO dates, so workbook columns are judged like the CSV they were exported
//! from. Shared by the Excel 2007+ reader and the calamine path for older formats.

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
pub(in crate::checks::data) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A number as text: whole numbers without a fraction (an NHS number stored as a number reads
/// as its ten digits), others as Rust prints them.
pub(in crate::checks::data) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An Excel date serial as `YYYY-MM-DD`. Serials count days from 1899-12-30 (25,569 days before
/// 1970), or from 1904-01-01 in workbooks saved with the 1904 date system.
pub(in crate::checks::data) fn serial_date_text(serial: f64, date1904: bool) -> String {
    let offset = if date1904 { 25_569 - 1_462 } else { 25_569 };
    let days = (serial.floor() as i64).saturating_sub(offset);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether a number format shows a date or a time. Built-in formats are known by id (ECMA-376
/// 18.8.30, with the East Asian date ids); custom ones by their first section holding a date or
/// time letter outside quotes, escapes and `[...]` (colours, conditions, locales), so `0.00`,
/// `#,##0;[Red]-#,##0` and `"Day "0` are numbers and `dd/mm/yyyy`, `h:mm` and `[h]:mm:ss` are not.
pub(super) fn is_date_format(id: u32, custom_code: Option<&str>) -> bool {
    match custom_code {
        Some(code) => code_is_date(code),
        None => matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58),
    }
}

fn code_is_date(code: &str) -> bool {
    let mut chars = code.chars();
    let mut bracket_is_elapsed_time = false;
    while let Some(c) = chars.next() {
        match c {
            ';' => return false,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inner: String = chars.by_ref().take_while(|&b| b != ']').collect();
                let lower = inner.to_ascii_lowercase();
                bracket_is_elapsed_time |=
                    !lower.is_empty() && lower.chars().all(|b| matches!(b, 'h' | 'm' | 's'));
            }
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    bracket_is_elapsed_time
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_serials() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        // 1 January 2024 is serial 45292 (1900 system) and 43830 (1904 system).
        assert_eq!(serial_date_text(45_292.75, false), "2024-01-01");
        assert_eq!(serial_date_text(43_830.0, true), "2024-01-01");
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number_text(4_010_232_137.0), "4010232137");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn date_formats() {
        for id in [14, 15, 22, 27, 46, 47, 58] {
            assert!(is_date_format(id, None), "{id}");
        }
        for id in [0, 1, 2, 9, 11, 37, 44, 49, 59] {
            assert!(!is_date_format(id, None), "{id}");
        }
        for code in [
            "dd/mm/yyyy",
            "yyyy-mm-dd hh:mm",
            "[h]:mm:ss",
            "[$-809]dd mmmm yyyy",
            "mmm-yy",
        ] {
            assert!(is_date_format(164, Some(code)), "{code}");
        }
        for code in [
            "0.00",
            "#,##0;[Red]-#,##0",
            "\"Day \"0",
            "0\\d",
            "General",
            "[Red]0.0",
            "@",
        ] {
            assert!(!is_date_format(164, Some(code)), "{code}");
        }
    }
}
