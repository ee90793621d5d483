//! What a table cell holds when it holds a count: the number itself, or a marker that a small
//! count was suppressed. Kept apart from the column classifier (`table.rs`) so the notation of
//! published statistics can grow without crowding it.

/// Markers that statistical releases put in place of a suppressed small count.
pub(super) fn is_suppression_marker(v: &str) -> bool {
    matches!(
        v,
        "*" | "**"
            | "c"
            | "[c]"
            | ":"
            | ".."
            | "-"
            | "~"
            | "x"
            | "[x]"
            | "[z]"
            | "<5"
            | "<3"
            | "<10"
            | "s"
            | "supp"
            | "suppressed"
            | "z"
    )
}

/// `12`, `1,234`, `12.0` (pandas writes integer columns with NaNs as floats).
pub(super) fn parse_count(v: &str) -> Option<u64> {
    let v = v.strip_suffix(".0").unwrap_or(v);
    if v.is_empty() || v.len() > 18 {
        return None;
    }
    let mut n: u64 = 0;
    for b in v.bytes() {
        match b {
            b'0'..=b'9' => n = n * 10 + u64::from(b - b'0'),
            b',' => {}
            _ => return None,
        }
    }
    Some(n)
}
