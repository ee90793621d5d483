//! Ten-digit identifiers as digits: extraction from the written forms and the Modulus 11 check
//! that NHS, CHI and H&C numbers share. A leaf, so the detectors of each scheme can use it
//! without depending on one another.

/// Modulus 11 check over ten ASCII digits, shared with CHI numbers.
///
/// Repeated or sequential digits (`0000000000`, `0123456789`) pass the
/// arithmetic but are fillers, never issued numbers, so they are rejected.
pub(super) fn mod11_ok(d: &[u8; 10]) -> bool {
    let mut sum = 0u32;
    for (i, &b) in d[..9].iter().enumerate() {
        sum += u32::from(b - b'0') * (10 - i as u32);
    }
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    if u32::from(d[9] - b'0') != check {
        return false;
    }
    // Checked last: nine in ten candidates have already failed above.
    let ascending = d.windows(2).all(|w| w[1] == w[0] + 1);
    let descending = d.windows(2).all(|w| w[0] == w[1] + 1);
    !(d.iter().all(|&b| b == d[0]) || ascending || descending)
}

/// Extract exactly ten digits, accepting plain, spaced or hyphenated 3-3-4
/// forms; anything else is not an NHS-number-shaped value.
pub(super) fn ten_digits(s: &str) -> Option<[u8; 10]> {
    let b = s.as_bytes().trim_ascii();
    let mut out = [0u8; 10];
    match b.len() {
        10 => {
            if !b.iter().all(u8::is_ascii_digit) {
                return None;
            }
            out.copy_from_slice(b);
        }
        12 => {
            let sep = b[3];
            if !(sep == b' ' || sep == b'-') || b[7] != sep {
                return None;
            }
            let mut n = 0;
            for (i, &c) in b.iter().enumerate() {
                if i == 3 || i == 7 {
                    continue;
                }
                if !c.is_ascii_digit() {
                    return None;
                }
                out[n] = c;
                n += 1;
            }
        }
        _ => return None,
    }
    Some(out)
}

/// Ten digits written as a whole-number float: pandas writes an integer column that holds a
/// blank as floats (`4010232137.0`), and Excel or R may write a large number in E-notation
/// (`4.010232137E+09`). The integer's digits when the value is exactly a ten-digit whole
/// number; `None` for a fraction (`1234567890.5`), another length, or a plain integer (which
/// [`ten_digits`] reads).
pub(super) fn whole_float_ten_digits(s: &str) -> Option<[u8; 10]> {
    let b = s.as_bytes().trim_ascii();
    // `4010232137.0` is the shortest form; anything much longer is not one number.
    if !(12..=32).contains(&b.len()) {
        return None;
    }
    let (mantissa, exp) = match b.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (&b[..i], parse_exponent(&b[i + 1..])?),
        None => (b, 0),
    };
    let (int, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None if exp != 0 => (mantissa, &[][..]),
        None => return None,
    };
    if int.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    // The decimal point moves `exp` places right of where it is written.
    let point = int.len() as i64 + exp;
    let all = || int.iter().chain(frac).copied();
    let total = (int.len() + frac.len()) as i64;
    if point < 0 || all().skip(point as usize).any(|c| c != b'0') {
        return None;
    }
    let padding = (point - total).max(0) as usize;
    let mut whole = all()
        .take(point as usize)
        .chain(std::iter::repeat_n(b'0', padding))
        .skip_while(|&c| c == b'0');
    let mut out = [0u8; 10];
    for slot in &mut out {
        *slot = whole.next()?;
    }
    whole.next().is_none().then_some(out)
}

/// `+09`, `9`, `-1`: small exponents only (a ten-digit number needs nothing larger).
fn parse_exponent(b: &[u8]) -> Option<i64> {
    let (negative, digits) = match b.first() {
        Some(b'+') => (false, &b[1..]),
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 2 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits
        .iter()
        .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_number_floats_read_as_their_digits() {
        let ten = Some(*b"4010232137");
        for written in [
            "4010232137.0",
            "4010232137.00",
            " 4010232137.0 ",
            "4.010232137E+09",
            "4.010232137e9",
            "40.10232137E+08",
            "401023213.7E+01",
        ] {
            assert_eq!(whole_float_ten_digits(written), ten, "{written}");
        }
        // Exactly ten digits once expanded, trailing zeros included.
        assert_eq!(
            whole_float_ten_digits("4.01023213E+09"),
            Some(*b"4010232130")
        );
    }

    #[test]
    fn fractions_other_lengths_and_plain_integers_are_not_read() {
        for written in [
            "1234567890.5",
            "4010232137.01",
            "4010232137",
            "40102321370.0",
            "401023213.0",
            "4.010232137E+10",
            "4.0102321375E+09",
            "4.010232137E+999",
            "4.010232137E+",
            "-4010232137.0",
            "4010232137.0.0",
            "0.4010232137",
            "4010232137.0x",
        ] {
            assert_eq!(whole_float_ten_digits(written), None, "{written}");
        }
    }
}
