//! Masking of personal data, kept in one place so the guarantee "no detected value appears
//! in full in a report" is easy to audit: every excerpt is built from these and from
//! `checks::detection::mask_secret`.

/// First three digits only: `943 *** ****`. Anything that is not ten digits is
/// masked completely.
pub fn mask_nhs_number(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 10 {
        format!("{}{}{} *** ****", digits[0], digits[1], digits[2])
    } else {
        "*** *** ****".to_string()
    }
}

/// CHI numbers start with a date of birth, so only the first digit is shown.
pub(super) fn mask_chi_number(s: &str) -> String {
    match s.chars().find(char::is_ascii_digit) {
        Some(c) => format!("{c}** *** ****"),
        None => "*** *** ****".to_string(),
    }
}

/// Outward code only: `SW1A ***`.
pub fn mask_postcode(s: &str) -> String {
    match super::postcode::split_postcode(s) {
        Some((out, _)) => format!("{} ***", out.to_ascii_uppercase()),
        None => "**** ***".to_string(),
    }
}

/// Keeps the shape (separators) but no digit: `**/**/****`.
pub(super) fn mask_date(s: &str) -> String {
    s.trim()
        .chars()
        .take(32)
        .map(|c| if c.is_ascii_alphanumeric() { '*' } else { c })
        .collect()
}

/// Initial only: `J***`.
pub(super) fn mask_name(s: &str) -> String {
    match s.trim().chars().next() {
        Some(c) if c.is_alphabetic() => format!("{c}***"),
        _ => "***".to_string(),
    }
}

/// Domain only: `***@example.org`; the domain says which organisation, not who.
pub(super) fn mask_email(s: &str) -> String {
    match s.trim().rsplit_once('@') {
        Some((_, domain)) if !domain.is_empty() => {
            let domain: String = domain.chars().take(64).collect();
            format!("***@{domain}")
        }
        _ => "***@***".to_string(),
    }
}

/// First two digits (the area type, e.g. `07` mobile): `07*** ******`.
pub(super) fn mask_phone(s: &str) -> String {
    let lead: String = s
        .trim()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .take(2)
        .collect();
    format!("{lead}*** ******")
}

/// Prefix letters only: `AB ** ** ** *`.
pub(super) fn mask_ni(s: &str) -> String {
    let prefix: String = s
        .trim()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(2)
        .collect();
    format!("{prefix} ** ** ** *")
}

/// Header names come from files too and could be anything (or a value when a
/// table has no header row); keep them short and printable.
pub(super) fn clean_header(s: &str) -> String {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_nhs_number("9434765919"), "943 *** ****");
        assert_eq!(mask_nhs_number("943 476 5919"), "943 *** ****");
        assert_eq!(mask_postcode("sw1a 1aa"), "SW1A ***");
        assert_eq!(mask_date("1970-01-31"), "****-**-**");
        assert_eq!(mask_name("Jane"), "J***");
        assert_eq!(mask_email("jane.doe@example.org"), "***@example.org");
        assert_eq!(mask_phone("07700 900123"), "07*** ******");
        assert_eq!(mask_ni("AB 12 34 56 C"), "AB ** ** ** *");
        assert_eq!(mask_chi_number("0101801234"), "0** *** ****");
    }
}
