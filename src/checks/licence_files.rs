//! Which files are licence files. `licence/present` and licence identification must agree on
//! this, so the rule lives in one place: root files named like LICENSE, LICENCE, COPYING or
//! COPYRIGHT (with any suffix), and every file under `LICENSES/` (the REUSE layout).

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::Verdict;
use crate::snapshot::Snapshot;

static LICENCE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^((un)?licen[cs]e|copying|copyright)([-_. ].*)?$").unwrap());

pub fn is_licence_file(path: &str) -> bool {
    match path.split_once('/') {
        None => LICENCE_NAME.is_match(path),
        Some((dir, rest)) => dir == "LICENSES" && !rest.is_empty(),
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
    Verdict::from_bool(!files.is_empty()).with_evidence(super::declarative::path_evidence(&paths))
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
        ] {
            assert!(!is_licence_file(no), "{no}");
        }
    }
}
