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
