//! Which files are licence files. `licence/present` and licence identification must agree on
//! this, so the rule lives in one place: root files named like LICENSE, LICENCE, COPYING or
//! COPYRIGHT (with any suffix), and every file under `LICENSES/` (the REUSE layout).
//!
//! A licence file one level down in `data/`, `docs/` or `documentation/` licenses that part of
//! the work only. It is identified (its licence gets that scope), but it does not make
//! `licence/present` pass: a `docs/LICENCE` leaves the code unlicensed.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Verdict;
use crate::snapshot::Snapshot;

static LICENCE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^((un)?licen[cs]e|copying|copyright)([-_. ].*)?$").expect("regex")
});

/// Names that match the pattern but are code, data or images (`license.py`, `LICENSE.png`),
/// which no licence text lives in.
static NOT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\.(py|js|ts|rs|go|java|c|h|cpp|rb|php|r|sh|json|ya?ml|toml|png|jpe?g|gif|svg|pdf|docx?)$",
    )
    .expect("regex")
});

fn is_licence_name(name: &str) -> bool {
    LICENCE_NAME.is_match(name) && !NOT_TEXT.is_match(name)
}

/// Whether `path` is a licence file for the whole repository: a root file named like
/// `LICENSE`, `LICENCE.md`, `COPYING.LESSER`, `UNLICENSE`, `COPYRIGHT`, or any file under
/// `LICENSES/` (the REUSE layout).
pub fn is_licence_file(path: &str) -> bool {
    let path = path.trim_start_matches("./");
    match path.split_once('/') {
        None => is_licence_name(path),
        Some((dir, rest)) => dir == "LICENSES" && !rest.is_empty(),
    }
}

/// Whether `path` is a licence file for one part of the work: named like a licence file and
/// directly in `data/`, `doc/`, `docs/` or `documentation/`.
pub fn is_part_licence_file(path: &str) -> bool {
    let path = path.trim_start_matches("./");
    match path.split('/').collect::<Vec<_>>().as_slice() {
        [dir, name] => {
            matches!(
                dir.to_ascii_lowercase().as_str(),
                "data" | "doc" | "docs" | "documentation"
            ) && is_licence_name(name)
        }
        _ => false,
    }
}

/// Licence files of the snapshot, sorted by path.
pub fn find(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .files()
        .filter(|e| is_licence_file(&e.path))
        .map(|e| e.path.clone())
        .collect()
}

pub fn present(snapshot: &Snapshot) -> Verdict {
    let files = find(snapshot);
    let paths: Vec<&str> = files.iter().map(String::as_str).collect();
    Verdict::from_bool(!files.is_empty())
        .with_evidence(crate::checks::declarative::path_evidence(&paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_file_names() {
        for yes in [
            "LICENSE",
            "LICENCE",
            "license.md",
            "COPYING",
            "LICENSE-OGL",
            "UNLICENSE",
            "Licence.txt",
            "LICENSES/MIT.txt",
            "COPYRIGHT",
        ] {
            assert!(is_licence_file(yes), "{yes}");
        }
        for no in [
            "docs/LICENSE",
            "LICENSED.md",
            "licensing.md",
            "src/LICENSES/MIT.txt",
            "COPYINGS",
            "license.py",
            "LICENSE.png",
        ] {
            assert!(!is_licence_file(no), "{no}");
        }
    }

    #[test]
    fn part_licence_file_names() {
        for yes in ["data/LICENSE", "docs/LICENCE.md", "Documentation/COPYING"] {
            assert!(is_part_licence_file(yes), "{yes}");
            assert!(!is_licence_file(yes), "{yes}");
        }
        for no in ["LICENSE", "src/LICENSE", "a/b/LICENSE", "data/license.json"] {
            assert!(!is_part_licence_file(no), "{no}");
        }
    }
}
