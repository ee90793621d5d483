//! Which files are licence files. `licence/present` and licence identification must agree on
//! this, so the rule lives in one place: root files named like LICENSE, LICENCE, COPYING or
//! COPYRIGHT (with any suffix: `LICENSE-MIT`, `COPYING.LESSER`), files named after their licence
//! (`MIT-LICENSE.md`, `OGL.txt`, `Apache-2.0.txt`), every file under `LICENSES/` (the REUSE
//! layout), and the licence texts of a root `license/` or `licences/` folder.
//!
//! A licence file one level down in `data/`, `docs/` or `documentation/` licenses that part of
//! the work only. It is identified (its licence gets that scope), but it does not make
//! `licence/present` pass: a `docs/LICENCE` leaves the code unlicensed. An HTML page there is
//! not one: `docs/` is where GitHub Pages sites are built, and their `LICENSE.html` (every
//! pkgdown site has one) is the root licence rendered inside the site's navigation, which no
//! licence text matches.
//!
//! Precision matters as much as recall: a repository's `license-checker.js`, `licenses.json`,
//! `LICENSE_HEADER` (a template for source headers), `THIRD-PARTY-LICENSES` (its dependencies'
//! licences) or `README.txt` holds no licence of the project's own, and reporting one as a
//! licence file would make `licence/identified` fail or credit the wrong licence.

use std::sync::LazyLock;

use regex::Regex;

use crate::snapshot::Snapshot;

static LICENCE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^((un)?licen[cs]e|copying|copyright)([-_. ].*)?$").expect("regex")
});

/// `<name>-LICENSE[.ext]`, `<name>_LICENCE`, `<name>-COPYING`: the part before is checked by
/// [`names_a_licence`] or is a scope word. Not `<name>.license`: REUSE uses that for the
/// licence header of a binary file (`logo.png.license`).
static NAMED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<name>[a-z0-9][a-z0-9.+-]*?)[-_ ](?:licen[cs]e|copying)(?:[-_]v?\d+(?:\.\d+)*)?(?:\.(?:txt|md|markdown|rst|text|adoc|org|html?))?$")
        .expect("regex")
});

/// A licence id as a file name: `OGL.txt`, `MIT.md`, `Apache-2.0.txt`, `GPL-3.0`.
static ID_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<name>[a-z0-9][a-z0-9.+-]*?)(?:\.(?:txt|md|markdown|rst|text|adoc|org|html?))?$",
    )
    .expect("regex")
});

/// Names that match the pattern but are code, data or images (`license.py`, `LICENSE.png`),
/// which no licence text lives in.
static NOT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\.(py|js|mjs|cjs|ts|tsx|jsx|rs|go|java|kt|c|h|cc|cpp|hpp|cs|rb|php|r|pl|sh|ps1|bat|json|ya?ml|toml|xml|csv|ini|cfg|lock|png|jpe?g|gif|svg|ico|pdf|docx?|xlsx?|odt|spdx|header|template|tmpl|j2|jinja2?|sample|example|orig|bak)$",
    )
    .expect("regex")
});

/// Words in a licence-like name that say the file is about licences rather than being one:
/// a source-header template, the dependencies' licences, a licence checker or its report.
static NOT_OWN_LICENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|[-_. ])(headers?|templates?|third|3rd|party|parties|dependenc(y|ies)|deps|vendor(ed)?|bundled?|check(s|er|ing)?|reports?|scan(ner)?|audit|summary|finder|policy)([-_. ]|$)",
    )
    .expect("regex")
});

/// Words that give a licence file's scope in its name (`CODE-LICENSE`, `DOCS_LICENCE.md`).
const SCOPE_WORDS: &[&str] = &[
    "code",
    "software",
    "source",
    "doc",
    "docs",
    "documentation",
    "content",
    "data",
];

/// Well-known names of licences that are not SPDX ids, as people name files after them
/// (`OGL.txt`, `APACHE-LICENSE`, `GPLv3.md`), with the id they stand for.
const NAME_ALIASES: &[(&str, &str)] = &[
    ("ogl", "OGL-UK-3.0"),
    ("ogl3", "OGL-UK-3.0"),
    ("oglv3", "OGL-UK-3.0"),
    ("ogl-3", "OGL-UK-3.0"),
    ("ogl-v3", "OGL-UK-3.0"),
    ("ogl-3.0", "OGL-UK-3.0"),
    ("ogl-uk", "OGL-UK-3.0"),
    ("ogl-uk-3", "OGL-UK-3.0"),
    ("ogl2", "OGL-UK-2.0"),
    ("oglv2", "OGL-UK-2.0"),
    ("ogl-2.0", "OGL-UK-2.0"),
    ("apache", "Apache-2.0"),
    ("apache2", "Apache-2.0"),
    ("apache-2", "Apache-2.0"),
    ("apachev2", "Apache-2.0"),
    ("gpl", "GPL"),
    ("gpl2", "GPL-2.0"),
    ("gplv2", "GPL-2.0"),
    ("gpl3", "GPL-3.0"),
    ("gplv3", "GPL-3.0"),
    ("lgpl", "LGPL"),
    ("lgpl3", "LGPL-3.0"),
    ("lgplv3", "LGPL-3.0"),
    ("lgpl2", "LGPL-2.1"),
    ("agpl", "AGPL-3.0"),
    ("agpl3", "AGPL-3.0"),
    ("agplv3", "AGPL-3.0"),
    ("bsd", "BSD"),
    ("mpl", "MPL-2.0"),
    ("mpl2", "MPL-2.0"),
    ("eupl", "EUPL"),
    ("cc0", "CC0-1.0"),
    ("cc-by", "CC-BY-4.0"),
    ("cc-by-sa", "CC-BY-SA-4.0"),
    ("ccby", "CC-BY-4.0"),
    ("wtfpl", "WTFPL"),
    ("unlicense", "Unlicense"),
    ("odbl", "ODbL-1.0"),
];

/// SPDX ids without a digit that are common words or tool names ("JSON", "Ruby", "curl",
/// "Vim"): a file named so is documentation about it, not its licence. Digit-free ids are
/// only accepted from this short list of licences people do name files after.
const DIGITLESS_IDS: &[&str] = &[
    "MIT",
    "ISC",
    "Unlicense",
    "WTFPL",
    "Zlib",
    "NCSA",
    "PostgreSQL",
];

/// The licence a file-name stem names (`MIT`, `ogl`, `Apache-2.0`), if any: an SPDX id that
/// carries a version (or one of [`DIGITLESS_IDS`]), or a well-known alias. Case-insensitive.
pub fn names_a_licence(stem: &str) -> Option<String> {
    let lower = stem.to_ascii_lowercase();
    if let Some((_, id)) = NAME_ALIASES.iter().find(|(alias, _)| *alias == lower) {
        return Some((*id).to_owned());
    }
    let id = spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(stem))?;
    let versioned = id.name.chars().any(|c| c.is_ascii_digit());
    (versioned || DIGITLESS_IDS.contains(&id.name)).then(|| id.name.to_owned())
}

/// The licence a licence file's name names, for its scope when the text is not identified
/// (`OGL.txt`, `LICENCE-OGL.md`, `MIT-LICENSE`).
pub fn licence_in_name(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if let Some(c) = NAMED_BEFORE.captures(name) {
        return names_a_licence(&c["name"]);
    }
    if let Some(rest) = LICENCE_NAME
        .captures(name)
        .and_then(|c| c.get(3))
        .map(|m| &m.as_str()[1..])
    {
        let stem = ID_NAME
            .captures(rest)
            .map_or(rest, |c| c.name("name").map_or(rest, |m| m.as_str()));
        return names_a_licence(stem);
    }
    ID_NAME
        .captures(name)
        .and_then(|c| names_a_licence(&c["name"]))
}

fn is_licence_name(name: &str) -> bool {
    if NOT_TEXT.is_match(name) || NOT_OWN_LICENCE.is_match(name) {
        return false;
    }
    if LICENCE_NAME.is_match(name) {
        return true;
    }
    if let Some(c) = NAMED_BEFORE.captures(name) {
        let before = &c["name"];
        return names_a_licence(before).is_some()
            || SCOPE_WORDS.iter().any(|w| before.eq_ignore_ascii_case(w));
    }
    ID_NAME
        .captures(name)
        .is_some_and(|c| names_a_licence(&c["name"]).is_some())
}

/// Whether `path` is a licence file for the whole repository: a root file named like
/// `LICENSE`, `LICENCE.md`, `COPYING.LESSER`, `UNLICENSE`, `COPYRIGHT`, `LICENSE-MIT`,
/// `MIT-LICENSE.md`, `OGL.txt`, any file under `LICENSES/` (the REUSE layout), or a text
/// directly in a root `license/`, `licence/`, `licenses/` or `licences/`.
pub fn is_licence_file(path: &str) -> bool {
    let path = path.trim_start_matches("./");
    match path.split_once('/') {
        None => is_licence_name(path),
        Some(("LICENSES", rest)) => !rest.is_empty() && !rest.ends_with(".license"),
        Some((dir, rest)) => is_licence_dir(dir) && is_text_in_licence_dir(rest),
    }
}

/// Projects that do not follow REUSE still keep their licence texts in a folder of their own
/// (`license/MIT.txt`, `licences/OGL-UK-3.0.md`), and a reader takes those as the licence
/// just as they take `LICENSES/`.
fn is_licence_dir(dir: &str) -> bool {
    ["license", "licence", "licenses", "licences"]
        .iter()
        .any(|d| dir.eq_ignore_ascii_case(d))
}

/// Unlike REUSE's `LICENSES/`, such a folder follows no convention, so what else it may hold is
/// kept out: a package named `license` (code), a README about the folder, and the bundled
/// licences of dependencies (`licenses/third-party/…`, `THIRD-PARTY-NOTICES.txt`), which are
/// not the project's licence.
fn is_text_in_licence_dir(name: &str) -> bool {
    static README: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(readme|index)([-_. ].*)?$").expect("regex"));
    !name.is_empty()
        && !name.contains('/')
        && !name.starts_with('.')
        && !name.ends_with(".license")
        && !NOT_TEXT.is_match(name)
        && !NOT_OWN_LICENCE.is_match(name)
        && !README.is_match(name)
}

/// Whether `path` is a licence file for one part of the work: named like a licence file, not
/// a web page, and directly in `data/`, `doc/`, `docs/` or `documentation/`.
pub fn is_part_licence_file(path: &str) -> bool {
    let path = path.trim_start_matches("./");
    match path.split('/').collect::<Vec<_>>().as_slice() {
        [dir, name] => {
            matches!(
                dir.to_ascii_lowercase().as_str(),
                "data" | "doc" | "docs" | "documentation"
            ) && !is_web_page(name)
                && is_licence_name(name)
        }
        _ => false,
    }
}

fn is_web_page(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Licence files of the snapshot, sorted by path.
pub fn find(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .files()
        .filter(|e| is_licence_file(&e.path))
        .map(|e| e.path.clone())
        .collect()
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
            "COPYING.LESSER",
            "COPYING.LIB",
            "LICENSE-OGL",
            "LICENCE-OGL.md",
            "LICENSE-MIT",
            "LICENSE_APACHE.txt",
            "UNLICENSE",
            "Licence.txt",
            "LICENSES/MIT.txt",
            "LICENSES/LicenseRef-Crown.txt",
            "license/MIT.txt",
            "licence/OGL-UK-3.0.md",
            "licenses/Apache-2.0.txt",
            "Licences/LICENSE",
            "COPYRIGHT",
            "MIT-LICENSE.md",
            "MIT-LICENSE",
            "mit_licence.txt",
            "OGL-LICENCE.txt",
            "Apache-LICENSE-2.0.txt",
            "GPL-COPYING",
            "CODE-LICENSE",
            "DOCS_LICENCE.md",
            "DATA-LICENSE.txt",
            "OGL.txt",
            "ogl.md",
            "OGLv3.md",
            "MIT.txt",
            "MIT",
            "Apache-2.0.txt",
            "GPL-3.0.txt",
            "OGL-UK-3.0.md",
            "CC-BY-4.0.md",
            "CC0-1.0.txt",
            "ISC.txt",
        ] {
            assert!(is_licence_file(yes), "{yes}");
        }
        for no in [
            "docs/LICENSE",
            "LICENSED.md",
            "licensing.md",
            "src/LICENSES/MIT.txt",
            "LICENSES/MIT.txt.license",
            "src/license/MIT.txt",
            "license/__init__.py",
            "license/checker.js",
            "licenses/README.md",
            "licenses/third-party/numpy.txt",
            "licenses/THIRD-PARTY-NOTICES.txt",
            "license/MIT.txt.license",
            "licensing/MIT.txt",
            "COPYINGS",
            "license.py",
            "LICENSE.png",
            "license-checker.js",
            "licenses.json",
            "license.json",
            "LICENSE_HEADER",
            "LICENSE.header",
            "license-header.txt",
            "LICENSE.spdx",
            "LICENSE-THIRD-PARTY",
            "THIRD-PARTY-LICENSE.txt",
            "third_party_licenses.md",
            "LICENSE-3rdparty.csv",
            "license-report.md",
            "LICENSE.template",
            "README.txt",
            "README.md",
            "CHANGELOG.md",
            "JSON.md",
            "Vim.md",
            "Ruby.txt",
            "curl.txt",
            "logo.png.license",
            "MIT.license",
            "go-licence.sh",
            "NOTICE",
            "PATENTS",
            "my-LICENSE.md",
        ] {
            assert!(!is_licence_file(no), "{no}");
        }
    }

    #[test]
    fn part_licence_file_names() {
        for yes in [
            "data/LICENSE",
            "docs/LICENCE.md",
            "Documentation/COPYING",
            "docs/OGL.txt",
            "data/ODbL-1.0.txt",
        ] {
            assert!(is_part_licence_file(yes), "{yes}");
            assert!(!is_licence_file(yes), "{yes}");
        }
        for no in [
            "LICENSE",
            "src/LICENSE",
            "a/b/LICENSE",
            "data/license.json",
            "docs/licensing.md",
            "docs/README.md",
            // pkgdown's rendering of the root licence, and its full-text page.
            "docs/LICENSE.html",
            "docs/LICENSE-text.html",
            "doc/COPYING.HTM",
        ] {
            assert!(!is_part_licence_file(no), "{no}");
        }
    }

    #[test]
    fn licence_named_by_a_file() {
        for (path, id) in [
            ("OGL.txt", Some("OGL-UK-3.0")),
            ("LICENCE-OGL.md", Some("OGL-UK-3.0")),
            ("MIT-LICENSE.md", Some("MIT")),
            ("LICENSE-MIT", Some("MIT")),
            ("LICENSES/Apache-2.0.txt", Some("Apache-2.0")),
            ("docs/CC-BY-4.0.md", Some("CC-BY-4.0")),
            ("LICENSE", None),
            ("LICENSE.md", None),
            ("LICENSE-data", None),
            ("COPYING.LESSER", None),
        ] {
            assert_eq!(licence_in_name(path).as_deref(), id, "{path}");
        }
    }
}
