//! Which paths from GitHub may become entries: tree listings, tarball members and cached
//! manifests all come from the network (or a cache it filled), so each is checked here, once,
//! before anything is listed or written.

/// Relative, `/`-separated, with no empty, `.` or `..` component, no backslash and no NUL:
/// anything else in a listing is hostile or broken, and is skipped.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\0')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        assert!(safe_path("docs/guide.md"));
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "./a",
            "a//b",
            "a/",
            "a\\b",
            "a\0b",
            "..",
        ] {
            assert!(!safe_path(bad), "{bad:?}");
        }
    }
}
