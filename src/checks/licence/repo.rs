//! Licence facts for one repository snapshot: runs every source of licence declarations
//! (licence files, the README, package metadata, SPDX headers) once, and keeps the copyright
//! notices and unfilled template text the rules judge. The engine's functions are pure; this is
//! the only part that reads files, so the cost bounds live here.

use std::io::Read;

use serde::Serialize;

use super::{
    copyright_lines, crown_copyright, from_cargo_toml, from_description, from_package_json,
    from_pyproject, from_readme, from_setup, from_spdx_headers, identify_file, is_licence_file,
    is_part_licence_file, placeholders,
};
use crate::checks::paths::{is_analysis_code, is_vendored};
use crate::checks::readme::FoundReadme;
use crate::facts::{Fact, RepoContext};
use crate::model::facts::licence::{DeclaredIn, LicenceFact, NOASSERTION};
use crate::snapshot::Snapshot;
use crate::source::file_name;

/// At most this many source files are read for `SPDX-License-Identifier:` headers, and only
/// their head: a header sits in the first lines, and a big repository must not cost a full read.
const HEADER_FILES: usize = 400;
const HEADER_BYTES: u64 = 4096;

/// Source files that carry SPDX headers, by extension.
const SOURCE_EXTENSIONS: &[&str] = &[
    "py", "r", "rs", "js", "mjs", "ts", "tsx", "jsx", "go", "java", "kt", "c", "h", "cc", "cpp",
    "hpp", "cs", "rb", "php", "sh", "bash", "sql", "scala", "swift", "m", "jl", "sas", "ps1",
    "css", "scss", "html", "vue",
];

/// A line of a file: a copyright notice or an unfilled template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    pub path: String,
    pub line: usize,
    pub text: String,
}

/// Everything the licence rules need about one repository.
#[derive(Debug, Clone, Default)]
pub struct LicenceEvidence {
    /// Every licence declaration, in a stable order: licence files, README, metadata, headers.
    pub facts: Vec<LicenceFact>,
    /// Licence files read (whole-repository ones and those for a part of the work), by path.
    pub files: Vec<String>,
    /// R's CRAN stub (`YEAR:` / `COPYRIGHT HOLDER:`), which completes `MIT + file LICENSE` in
    /// DESCRIPTION and holds no licence text of its own.
    pub stubs: Vec<String>,
    /// Copyright notices in licence files and the README.
    pub copyright: Vec<Notice>,
    /// Unfilled template text in licence files.
    pub placeholders: Vec<Notice>,
}

impl Fact for LicenceEvidence {
    fn compute(context: &RepoContext) -> Self {
        let readme = context.get::<FoundReadme>();
        let readme = readme.get().map(|r| (r.path.as_str(), r.text.as_str()));
        analyze(context.snapshot, readme)
    }
}

impl LicenceEvidence {
    /// Facts whose licence was identified (not `NOASSERTION`, not `NONE`).
    pub fn identified(&self) -> impl Iterator<Item = &LicenceFact> {
        self.facts
            .iter()
            .filter(|f| f.spdx != NOASSERTION && f.spdx != "NONE")
    }
}

fn notices(path: &str, lines: Vec<(usize, String)>) -> impl Iterator<Item = Notice> + '_ {
    lines.into_iter().map(move |(line, text)| Notice {
        path: path.to_owned(),
        line,
        text,
    })
}

/// Whether a licence file is R's CRAN stub: only `YEAR:`, `COPYRIGHT HOLDER:` and
/// `ORGANIZATION:` fields.
pub fn is_r_stub(text: &str) -> bool {
    let mut fields = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let key = line.split(':').next().unwrap_or("").trim();
        let known = [
            "YEAR",
            "COPYRIGHT HOLDER",
            "COPYRIGHT HOLDERS",
            "ORGANIZATION",
        ]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k));
        if !known || !line.contains(':') {
            return false;
        }
        fields += 1;
    }
    fields > 0
}

/// The holder named in an R stub, as a copyright notice.
fn stub_holders(path: &str, text: &str) -> Vec<Notice> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            let holder = key.eq_ignore_ascii_case("COPYRIGHT HOLDER")
                || key.eq_ignore_ascii_case("COPYRIGHT HOLDERS");
            (holder && !value.trim().is_empty()).then(|| Notice {
                path: path.to_owned(),
                line: i + 1,
                text: line.trim().to_owned(),
            })
        })
        .collect()
}

fn is_source(path: &str) -> bool {
    file_name(path).rsplit_once('.').is_some_and(|(_, ext)| {
        SOURCE_EXTENSIONS
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

/// The first bytes of a file, for header scans.
fn head(snapshot: &Snapshot, path: &str) -> Option<String> {
    // Analysis code is read whole by RAP evidence anyway: share that one read.
    if let Some(text) = is_analysis_code(path)
        .then(|| snapshot.cached_text(path))
        .flatten()
    {
        return Some(super::identify::truncate(&text, HEADER_BYTES as usize).to_string());
    }
    // Room for the whole header up front: `read_to_end` from empty reads 32 bytes and doubles.
    let mut bytes = Vec::with_capacity(HEADER_BYTES as usize);
    snapshot
        .open(path)
        .ok()?
        .take(HEADER_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    if crate::snapshot::looks_binary(&bytes) {
        return None;
    }
    Some(crate::checks::text::lossy_utf8_owned(bytes))
}

/// One fact per distinct header expression: the first file that has it, and how many do.
fn spdx_headers(snapshot: &Snapshot) -> Vec<LicenceFact> {
    let mut found: Vec<(LicenceFact, usize)> = Vec::new();
    let candidates = snapshot
        .files()
        .filter(|e| is_source(&e.path) && !is_vendored(&e.path))
        .take(HEADER_FILES);
    for entry in candidates {
        let Some(text) = head(snapshot, &entry.path) else {
            continue;
        };
        for fact in from_spdx_headers(&entry.path, &text) {
            match found.iter_mut().find(|(f, _)| f.spdx == fact.spdx) {
                Some((_, count)) => *count += 1,
                None => found.push((fact, 1)),
            }
        }
    }
    found
        .into_iter()
        .map(|(mut fact, count)| {
            if count > 1 {
                let excerpt = fact.excerpt.take().unwrap_or_default();
                fact.excerpt = Some(format!("{excerpt} (and {} more files)", count - 1));
            }
            fact
        })
        .collect()
}

/// Package metadata at the root: (file name, parser).
type Parser = fn(&str, &str) -> Vec<LicenceFact>;
const METADATA: &[(&str, Parser)] = &[
    ("DESCRIPTION", from_description),
    ("pyproject.toml", from_pyproject),
    ("setup.cfg", from_setup),
    ("setup.py", from_setup),
    ("package.json", from_package_json),
    ("Cargo.toml", from_cargo_toml),
];

/// Reads the snapshot's licence declarations. `readme` is the README the README rules use,
/// so both judge the same file.
pub fn analyze(snapshot: &Snapshot, readme: Option<(&str, &str)>) -> LicenceEvidence {
    let mut evidence = LicenceEvidence::default();
    let files: Vec<String> = snapshot
        .files()
        .filter(|e| is_licence_file(&e.path) || is_part_licence_file(&e.path))
        .map(|e| e.path.clone())
        .collect();
    let mut kept = Vec::with_capacity(files.len());
    for path in files {
        let Some(text) = snapshot.text(&path) else {
            kept.push(path);
            continue;
        };
        let path = &path;
        if is_r_stub(&text) {
            evidence.stubs.push(path.clone());
            evidence.copyright.extend(stub_holders(path, &text));
        } else {
            let facts = identify_file(path, &text);
            if is_page_about_licensing(path, &facts) {
                log::debug!("{path}: a page about licensing, not a licence text");
                continue;
            }
            evidence.facts.extend(facts);
            evidence
                .copyright
                .extend(notices(path, copyright_lines(&text)));
            if let Some(crown) = crown_copyright(&text) {
                push_unique(&mut evidence.copyright, path, crown);
            }
        }
        evidence
            .placeholders
            .extend(notices(path, placeholders(&text)));
        kept.push(path.clone());
    }
    evidence.files = kept;
    if let Some((path, text)) = readme {
        evidence.facts.extend(from_readme(path, text));
        evidence
            .copyright
            .extend(notices(path, copyright_lines(text)));
        if let Some(crown) = crown_copyright(text) {
            push_unique(&mut evidence.copyright, path, crown);
        }
    }
    for (name, parse) in METADATA {
        if let Some(entry) = snapshot.find_root_file(&[name])
            && let Some(text) = snapshot.text(&entry.path)
        {
            evidence.facts.extend(parse(&entry.path, &text));
        }
    }
    evidence.facts.extend(spdx_headers(snapshot));
    evidence
}

/// Below this closest-match score a text is prose, not a (modified) licence: modified licences
/// score 0.9 and more, several licences in one file 0.4 and more against the largest.
const PROSE_SCORE: f32 = 0.4;

/// A `docs/licence.md` in a documentation site is often a page *about* licensing (how to choose
/// one, what the project uses) rather than the documentation's licence. Such a page, whose text
/// is not near any licence and whose name names none, is not a licence file: reporting it as an
/// unidentified licence would fail `licence/identified` for a page that was never a licence.
/// At the root, a `LICENSE` is a licence file whatever it holds (the convention says so).
fn is_page_about_licensing(path: &str, facts: &[LicenceFact]) -> bool {
    is_part_licence_file(path)
        && super::files::licence_in_name(path).is_none()
        && facts.iter().all(|f| {
            f.spdx == NOASSERTION && f.closest.as_ref().is_none_or(|c| c.score < PROSE_SCORE)
        })
}

/// Crown copyright is often written inside a sentence that `copyright_lines` does not take as
/// a notice ("The documentation is © Crown copyright and …"); keep it once.
fn push_unique(notices: &mut Vec<Notice>, path: &str, (line, text): (usize, String)) {
    if !notices.iter().any(|n| n.path == path && n.line == line) {
        notices.push(Notice {
            path: path.to_owned(),
            line,
            text,
        });
    }
}

/// Whether a fact comes from package metadata rather than a file, README or header.
pub fn is_metadata(declared_in: DeclaredIn) -> bool {
    matches!(
        declared_in,
        DeclaredIn::Description
            | DeclaredIn::Pyproject
            | DeclaredIn::Setup
            | DeclaredIn::PackageJson
            | DeclaredIn::Cargo
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_stub() {
        assert!(is_r_stub("YEAR: 2024\nCOPYRIGHT HOLDER: Example Trust\n"));
        assert!(is_r_stub("YEAR:\nCOPYRIGHT HOLDER:\n"));
        assert!(!is_r_stub("MIT License\n\nCopyright (c) 2024 Example\n"));
        assert!(!is_r_stub(""));
        let holders = stub_holders("LICENSE", "YEAR: 2024\nCOPYRIGHT HOLDER: Example Trust\n");
        assert_eq!(holders.len(), 1);
        assert_eq!(holders[0].line, 2);
    }

    #[test]
    fn vendored_and_source() {
        assert!(is_source("src/main.py"));
        assert!(is_source("R/clean.R"));
        assert!(!is_source("data/x.csv"));
    }
}
