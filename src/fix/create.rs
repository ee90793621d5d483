//! `create-file`: add a file from a template, only where nothing that could be that file exists.
//! A fix never overwrites, so "exists" is read broadly: any case (a case-insensitive checkout
//! would clobber `license` with `LICENSE`), any extension (`CONTRIBUTING.rst` is a contributing
//! guide), any licence-like name for a licence, and any extra globs the rule names.

use globset::{GlobBuilder, GlobSetBuilder};

/// The stems that all name a licence file.
const LICENCE_STEMS: &[&str] = &["license", "licence", "copying", "unlicense", "unlicence"];

fn split_path(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(at) => (&path[..at + 1], &path[at + 1..]),
        None => ("", path),
    }
}

/// The part of a file name before its first dot, lower-cased, with `-` read as `_`
/// (`CODE-OF-CONDUCT.md` -> `code_of_conduct`). A leading dot is part of the name.
fn stem(name: &str) -> String {
    let (lead, rest) = name.split_at(usize::from(name.starts_with('.')));
    let end = rest.find('.').unwrap_or(rest.len());
    format!("{lead}{}", &rest[..end])
        .to_lowercase()
        .replace('-', "_")
}

/// `LICENSE`, `licence.md`, `LICENSE-MIT`, `COPYING.txt`: names GitHub reads as a licence.
fn is_licence_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    LICENCE_STEMS.iter().any(|s| {
        lower
            .strip_prefix(s)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-', '_']))
    })
}

/// The existing path that stops `path` from being created, if any. `unless` holds extra globs
/// (matched case-insensitively) whose matches count as the file, such as
/// `.github/CONTRIBUTING.*` for `CONTRIBUTING.md`. A malformed glob is an error.
pub fn blocking_path<'a, I>(
    existing: I,
    path: &str,
    unless: &[String],
) -> Result<Option<&'a str>, globset::Error>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut globs = GlobSetBuilder::new();
    for glob in unless {
        globs.add(
            GlobBuilder::new(glob)
                .case_insensitive(true)
                .literal_separator(true)
                .build()?,
        );
    }
    let globs = globs.build()?;
    let (dir, name) = split_path(path);
    let wanted_stem = stem(name);
    let licence = is_licence_name(name);
    let lower_path = path.to_lowercase();
    for candidate in existing {
        let lower = candidate.to_lowercase();
        // The path itself, a directory at the path, or a file where a parent directory goes.
        if lower == lower_path
            || lower.starts_with(&format!("{lower_path}/"))
            || lower_path.starts_with(&format!("{lower}/"))
        {
            return Ok(Some(candidate));
        }
        let (candidate_dir, candidate_name) = split_path(candidate);
        if candidate_dir.eq_ignore_ascii_case(dir) {
            let candidate_stem = stem(candidate_name);
            if candidate_stem == wanted_stem || (licence && is_licence_name(candidate_name)) {
                return Ok(Some(candidate));
            }
        }
        if globs.is_match(candidate) {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked(existing: &[&str], path: &str, unless: &[&str]) -> Option<String> {
        let unless: Vec<String> = unless.iter().map(|s| s.to_string()).collect();
        blocking_path(existing.iter().copied(), path, &unless)
            .unwrap()
            .map(str::to_owned)
    }

    #[test]
    fn any_licence_like_file_blocks_a_licence() {
        for existing in [
            "license",
            "LICENCE.md",
            "COPYING",
            "License-MIT.txt",
            "UNLICENSE",
        ] {
            assert_eq!(
                blocked(&[existing], "LICENSE", &[]).as_deref(),
                Some(existing),
                "{existing}"
            );
        }
        assert_eq!(
            blocked(&["docs/LICENSE", "src/licence.rs"], "LICENSE", &[]),
            None
        );
    }

    #[test]
    fn same_stem_any_case_directories_and_extra_globs() {
        assert!(blocked(&["contributing.rst"], "CONTRIBUTING.md", &[]).is_some());
        assert!(blocked(&["CODE-OF-CONDUCT.md"], "CODE_OF_CONDUCT.md", &[]).is_some());
        assert_eq!(blocked(&["README-dev.md"], "README.md", &[]), None);
        assert!(blocked(&["SECURITY.md/x"], "SECURITY.md", &[]).is_some());
        assert!(blocked(&["docs"], "docs/SECURITY.md", &[]).is_some());
        assert!(
            blocked(
                &[".github/Contributing.md"],
                "CONTRIBUTING.md",
                &[".github/CONTRIBUTING.*"]
            )
            .is_some()
        );
        assert_eq!(
            blocked(&["README.md", ".gitignore"], "CONTRIBUTING.md", &[]),
            None
        );
        assert_eq!(blocked(&[".github/x"], ".gitignore", &[]), None);
    }

    #[test]
    fn a_bad_glob_is_an_error() {
        assert!(blocking_path(["a"], "b", &["[".to_string()]).is_err());
    }
}
