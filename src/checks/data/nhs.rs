//! NHS number validation and the byte-level scanner that finds 10-digit
//! candidates (and NI-number digit groups) in running text.
//!
//! The scanner is hand-written rather than a regex because it runs over every
//! byte of every text file: a tight loop over digits is several times faster
//! than a regex with word boundaries, and it can read the 3-3-4 spaced form and
//! the NI form in the same pass.

pub(super) use super::digits::{mod11_ok, ten_digits};

/// True when `digits` (plain, or 3-3-4 with spaces or hyphens) is ten digits
/// with a correct Modulus 11 check digit.
pub fn is_valid_nhs_number(digits: &str) -> bool {
    ten_digits(digits).is_some_and(|d| mod11_ok(&d))
}

/// True for a valid number in 999 000 0000–999 999 9999, the range reserved
/// for testing: evidence of synthetic data, never a finding.
pub fn is_synthetic_nhs_number(digits: &str) -> bool {
    ten_digits(digits).is_some_and(|d| is_synthetic_digits(&d) && mod11_ok(&d))
}

pub(super) fn is_synthetic_digits(d: &[u8; 10]) -> bool {
    d[..3] == *b"999"
}

/// Whose allocation a ten-digit Modulus 11 number falls in. The same check digit
/// is used by England and Wales (NHS numbers), Scotland (CHI), Northern Ireland
/// (H&C numbers) and by ISBN-10, so the range is evidence of what a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Allocation {
    /// 400 000 000 0–499 999 999 9 and 600 000 000 0–799 999 999 9.
    EnglandWales,
    /// 010 000 000 0–311 299 999 9 with a real DDMMYY date of birth in front.
    Scotland,
    /// 320 000 000 0–399 999 999 9.
    NorthernIreland,
    /// 999 000 000 0–999 999 999 9, reserved for testing.
    Test,
    /// Nobody issues patient numbers here (5xx, 8xx, 9xx, 000…, bad CHI dates):
    /// a valid check digit is then chance, or another scheme such as ISBN-10.
    Unallocated,
}

impl Allocation {
    /// Issued to patients somewhere in the UK.
    pub(super) fn is_patient_range(self) -> bool {
        matches!(
            self,
            Allocation::EnglandWales | Allocation::Scotland | Allocation::NorthernIreland
        )
    }
}

/// The allocation of ten digits (the check digit is not looked at).
pub(super) fn allocation(d: &[u8; 10]) -> Allocation {
    if is_synthetic_digits(d) {
        return Allocation::Test;
    }
    match d[0] {
        b'4' | b'6' | b'7' => Allocation::EnglandWales,
        b'3' if d[1] >= b'2' => Allocation::NorthernIreland,
        b'0'..=b'3' if super::chi::date_prefix_ok(d) => Allocation::Scotland,
        _ => Allocation::Unallocated,
    }
}

/// True when the digits at `start` are introduced as an ISBN (`ISBN 0201633612`,
/// `ISBN-10: 0-…`): the same check digit, but a book, not a patient.
pub(super) fn isbn_before(text: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(12);
    text[from..start]
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"isbn"))
}

/// A digit group found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Candidate {
    /// Ten digits shaped like an NHS number; `start` is the byte offset.
    Ten { start: usize, digits: [u8; 10] },
    /// A National Insurance number; `start` is the offset of its letters.
    Ni { start: usize, end: usize },
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The offset of the first ASCII digit at or after `from`, or `text.len()`. Most bytes of prose
/// and code are not digits, so eight are tested at once: a byte below 0x80 is a digit when,
/// xor-ed with `0x30`, it is below ten, and adding `0x76` to it then leaves bit 7 clear (no
/// carry can cross into the next byte, since `0x7f + 0x76 < 0x100`).
fn next_digit(text: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = text.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let folded = (word ^ (ONES * 0x30)) & !HIGH;
        let digits = !((folded + ONES * 0x76) | word) & HIGH;
        if digits != 0 {
            return i + (digits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < text.len() && !text[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// Calls `f` for every NHS-shaped or NI-shaped group in `text`.
///
/// Decimal fractions (`0.1234567890`) and longer digit runs are skipped: they
/// are common in data outputs and would pass the check digit 9% of the time.
pub(super) fn scan_digit_groups(text: &[u8], mut f: impl FnMut(Candidate)) {
    let n = text.len();
    let mut i = 0;
    while i < n {
        i = next_digit(text, i);
        if i >= n {
            break;
        }
        let start = i;
        while i < n && text[i].is_ascii_digit() {
            i += 1;
        }
        let run1 = i - start;
        let before = if start > 0 {
            Some(text[start - 1])
        } else {
            None
        };
        let word_before = before.is_some_and(is_word);
        let decimal_before = before == Some(b'.') && start >= 2 && text[start - 2].is_ascii_digit();
        let decimal_after = i + 1 < n && text[i] == b'.' && text[i + 1].is_ascii_digit();

        if run1 == 10 && !word_before && !decimal_before && !decimal_after {
            let after_ok = i >= n || !is_word(text[i]);
            if after_ok {
                let mut digits = [0u8; 10];
                digits.copy_from_slice(&text[start..i]);
                f(Candidate::Ten { start, digits });
            }
            continue;
        }
        if run1 == 3 && !word_before && !decimal_before && i + 9 <= n {
            // 3-3-4 with one consistent separator.
            let sep = text[i];
            if (sep == b' ' || sep == b'-')
                && text[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && text[i + 4] == sep
                && i + 9 <= n
                && text[i + 5..i + 9].iter().all(u8::is_ascii_digit)
                && (i + 9 == n
                    || !(is_word(text[i + 9])
                        || (text[i + 9] == sep && i + 10 < n && text[i + 10].is_ascii_digit())))
            {
                let mut digits = [0u8; 10];
                digits[..3].copy_from_slice(&text[start..start + 3]);
                digits[3..6].copy_from_slice(&text[i + 1..i + 4]);
                digits[6..].copy_from_slice(&text[i + 5..i + 9]);
                f(Candidate::Ten { start, digits });
                i += 9;
                continue;
            }
        }
        let ni = if (run1 == 6 || run1 == 2) && start >= 2 {
            ni_around(text, start, run1)
        } else {
            None
        };
        if let Some((lstart, end)) = ni {
            f(Candidate::Ni { start: lstart, end });
            i = end;
        }
    }
}

/// Checks for `AB123456C` or `AB 12 34 56 C` around a digit run at `start`.
fn ni_around(text: &[u8], start: usize, run1: usize) -> Option<(usize, usize)> {
    let n = text.len();
    // Letters immediately before, optionally separated by one space.
    let lend = if text[start - 1] == b' ' {
        start - 1
    } else {
        start
    };
    if lend < 2 {
        return None;
    }
    let (l1, l2) = (text[lend - 2], text[lend - 1]);
    if !(l1.is_ascii_uppercase() && l2.is_ascii_uppercase()) {
        return None;
    }
    if lend >= 3 && is_word(text[lend - 3]) {
        return None;
    }
    let mut j = start + run1;
    if run1 == 2 {
        // Spaced form needs two more pairs.
        for _ in 0..2 {
            if j + 3 > n
                || text[j] != b' '
                || !text[j + 1].is_ascii_digit()
                || !text[j + 2].is_ascii_digit()
            {
                return None;
            }
            j += 3;
        }
    }
    if j < n && text[j] == b' ' {
        j += 1;
    }
    if j >= n || !matches!(text[j], b'A'..=b'D') {
        return None;
    }
    j += 1;
    if j < n && is_word(text[j]) {
        return None;
    }
    if !super::quasi::ni_prefix_ok(l1, l2) {
        return None;
    }
    Some((lend - 2, j))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Against the plain byte loop, on any bytes (high bytes, digits at every offset).
        #[test]
        fn next_digit_is_the_first_digit(text in proptest::collection::vec(any::<u8>(), 0..40), from in 0usize..45) {
            let expected = if from >= text.len() {
                from
            } else {
                text[from..].iter().position(u8::is_ascii_digit).map_or(text.len(), |p| from + p)
            };
            prop_assert_eq!(next_digit(&text, from), expected);
        }
    }

    use super::*;

    #[test]
    fn check_digit() {
        assert!(is_valid_nhs_number("9434765919"));
        assert!(is_valid_nhs_number("943 476 5919"));
        assert!(is_valid_nhs_number("943-476-5919"));
        assert!(!is_valid_nhs_number("9434765918"));
        assert!(!is_valid_nhs_number("943 4765919"));
        assert!(!is_valid_nhs_number("94347659190"));
        // Check value 10 is never valid.
        assert!(!is_valid_nhs_number("1234567890"));
        assert!(!is_valid_nhs_number("0000000000"));
        assert!(!is_valid_nhs_number("1111111111"));
        assert!(!is_valid_nhs_number("0123456789"));
        assert!(is_synthetic_nhs_number("9990000018"));
        assert!(!is_synthetic_nhs_number("9434765919"));
    }

    fn alloc(s: &str) -> Allocation {
        allocation(&ten_digits(s).unwrap())
    }

    #[test]
    fn allocated_ranges() {
        // Bounds from the issue; the check digit plays no part in the range.
        assert_eq!(alloc("4000000000"), Allocation::EnglandWales);
        assert_eq!(alloc("4999999999"), Allocation::EnglandWales);
        assert_eq!(alloc("6000000000"), Allocation::EnglandWales);
        assert_eq!(alloc("7999999999"), Allocation::EnglandWales);
        assert_eq!(alloc("5000000000"), Allocation::Unallocated);
        assert_eq!(alloc("8000000000"), Allocation::Unallocated);
        assert_eq!(alloc("9434765919"), Allocation::Unallocated);
        assert_eq!(alloc("9990000018"), Allocation::Test);
        assert_eq!(alloc("3200000000"), Allocation::NorthernIreland);
        assert_eq!(alloc("3999999999"), Allocation::NorthernIreland);
        // The range starts at 010 000 000 0, but month 00 is no date of birth.
        assert_eq!(alloc("0101000000"), Allocation::Scotland);
        assert_eq!(alloc("0100000000"), Allocation::Unallocated);
        assert_eq!(alloc("3112999999"), Allocation::Scotland);
        assert_eq!(alloc("2902000000"), Allocation::Scotland);
        assert_eq!(alloc("3113000000"), Allocation::Unallocated);
        assert_eq!(alloc("0099999999"), Allocation::Unallocated);
        assert_eq!(alloc("3002800000"), Allocation::Unallocated, "30 February");
        assert_eq!(alloc("2902810000"), Allocation::Unallocated, "29 Feb 1981");
        assert_eq!(alloc("1913000000"), Allocation::Unallocated, "month 13");
        assert!(Allocation::NorthernIreland.is_patient_range());
        assert!(!Allocation::Test.is_patient_range());
    }

    #[test]
    fn isbn_prefix() {
        let t = b"see ISBN 0201633612 and isbn-10: 0201633612, not 0201633612";
        assert!(isbn_before(t, 9));
        assert!(isbn_before(t, 33));
        assert!(!isbn_before(t, 49));
    }

    fn collect(s: &str) -> Vec<Candidate> {
        let mut v = Vec::new();
        scan_digit_groups(s.as_bytes(), |c| v.push(c));
        v
    }

    #[test]
    fn scanner_forms() {
        assert_eq!(collect("id 9434765919.").len(), 1);
        assert_eq!(collect("id 943 476 5919, x").len(), 1);
        assert_eq!(collect("id 943-476-5919").len(), 1);
        assert!(collect("x9434765919").is_empty());
        assert!(collect("0.9434765919").is_empty());
        assert!(collect("94347659191").is_empty());
        assert!(collect("943 476 59190").is_empty());
        assert!(collect("2023-01-15 0161 496 0000").is_empty());
        assert!(matches!(
            collect("NI: AB123456C")[..],
            [Candidate::Ni { .. }]
        ));
        assert!(matches!(
            collect("NI: AB 12 34 56 C.")[..],
            [Candidate::Ni { .. }]
        ));
        assert!(collect("NI: GB123456C").is_empty());
        assert!(collect("NI: AB123456E").is_empty());
    }
}
