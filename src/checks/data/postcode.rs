//! Full UK postcodes (outward and inward code) and the ZZ99 pseudo-postcodes
//! that NHS data uses for unknown or synthetic addresses.
//!
//! A byte-level check is used instead of a regex because it runs on every cell
//! of every table to find postcode columns without a telling header.

/// True for a full postcode such as `SW1A 1AA`, `M1 1AE` or `LS11AB`
/// (outward code forms A9, A99, A9A, AA9, AA99, AA9A; inward 9AA).
pub fn is_full_postcode(s: &str) -> bool {
    split_postcode(s).is_some()
}

/// True for ZZ99 pseudo-postcodes (`ZZ99 3VZ` …), which mark synthetic or
/// unknown addresses and are evidence of dummy data.
pub fn is_pseudo_postcode(s: &str) -> bool {
    split_postcode(s).is_some_and(|(out, _)| out.eq_ignore_ascii_case("ZZ99"))
}

/// Returns (outward, inward) when `s` is a full postcode.
pub(super) fn split_postcode(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_ascii();
    let b = s.as_bytes();
    if !(5..=8).contains(&b.len()) {
        return None;
    }
    // Inward code: last three bytes, digit + two letters.
    let n = b.len();
    let inward = &b[n - 3..];
    if !(inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic())
    {
        return None;
    }
    let mut out_end = n - 3;
    while out_end > 0 && b[out_end - 1] == b' ' {
        out_end -= 1;
    }
    if n - 3 - out_end > 1 {
        return None;
    }
    let out = &b[..out_end];
    let l = |c: u8| c.is_ascii_alphabetic();
    let d = |c: u8| c.is_ascii_digit();
    let ok = match *out {
        [a, b1] => l(a) && d(b1),
        [a, b1, c] => l(a) && ((d(b1) && (d(c) || l(c))) || (l(b1) && d(c))),
        [a, b1, c, e] => l(a) && l(b1) && d(c) && (d(e) || l(e)),
        _ => false,
    };
    // Mixed case is prose ("Ab1 2cd" is unlikely a postcode); require one case.
    let upper = b.iter().all(|c| !c.is_ascii_lowercase());
    let lower = b.iter().all(|c| !c.is_ascii_uppercase());
    if ok && (upper || lower) {
        Some((&s[..out_end], &s[n - 3..]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes() {
        for p in [
            "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "LS11AB", "W1A 0AX",
        ] {
            assert!(is_full_postcode(p), "{p}");
        }
        for p in ["SW1A", "12345", "HELLO", "AB1 2C", "Ab1 2cD", "SW1A  1AA"] {
            assert!(!is_full_postcode(p), "{p}");
        }
        assert!(is_pseudo_postcode("ZZ99 3VZ"));
        assert!(!is_pseudo_postcode("LS1 4AP"));
    }
}
