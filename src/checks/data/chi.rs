//! Scottish CHI numbers: a DDMMYY date-of-birth prefix and a Modulus 11 check.
//!
//! Because a CHI number is also ten digits with the same check, it is only
//! ever reported from column context (a `chi` header); elsewhere it would be
//! indistinguishable from an NHS number.

use super::nhs::{mod11_ok, ten_digits};

/// True when the value is ten digits, starts with a real DDMMYY date and has a
/// correct Modulus 11 check digit.
pub fn is_valid_chi_number(digits: &str) -> bool {
    ten_digits(digits).is_some_and(|d| chi_digits_ok(&d))
}

pub(super) fn chi_digits_ok(d: &[u8; 10]) -> bool {
    date_prefix_ok(d) && mod11_ok(d)
}

/// Whether the first six digits are a real DDMMYY date: the CHI range
/// (010 000 000 0 to 311 299 999 9) holds only such numbers.
pub(super) fn date_prefix_ok(d: &[u8; 10]) -> bool {
    let num = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
    let (day, month, yy) = (num(d[0], d[1]), num(d[2], d[3]), num(d[4], d[5]));
    let max_day = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        // Two-digit years cannot tell 1900 from 2000; accept the 29th.
        2 => {
            if yy % 4 == 0 {
                29
            } else {
                28
            }
        }
        _ => return false,
    };
    (1..=max_day).contains(&day)
}

/// Header names that mean a CHI column.
pub(super) fn is_chi_header(norm: &str) -> bool {
    matches!(
        norm,
        "chi" | "chi_number" | "chi_no" | "chinumber" | "chi_num" | "patient_chi" | "chi_id"
    ) || norm.split('_').any(|t| t == "chi")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi() {
        // 010180 + 123 + check: sum over first nine digits with weights 10..2.
        let base = b"010180123";
        let sum: u32 = base
            .iter()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * (10 - i as u32))
            .sum();
        let check = (11 - sum % 11) % 11;
        assert!(check < 10);
        let s = format!("010180123{check}");
        assert!(is_valid_chi_number(&s));
        let bad_date = format!("320180123{check}");
        assert!(!is_valid_chi_number(&bad_date));
        assert!(is_chi_header("chi_number"));
        assert!(is_chi_header("patient_chi"));
        assert!(!is_chi_header("chief"));
    }
}
