//! How people *name* licences in prose, badges, links and metadata, mapped to SPDX ids.
//!
//! README statements and package metadata rarely use SPDX ids ("the MIT licence", "Open
//! Government 3.0 licence", "GPLv3+", a shields.io badge). The `spdx` crate's own imprecise-name
//! table is too coarse for this (it maps "gnu gpl v2" to GPL-3.0 and "bsd" to BSD-2-Clause), so
//! the table is ours. It is a list of patterns, tried in order; an earlier pattern wins where
//! matches overlap, so specific forms (LGPL, a versioned name) come before general ones.

use std::sync::{LazyLock, OnceLock};

use regex::{Captures, Regex};

use super::current::{current_expression, current_id};
use super::folded::CaseFolded;

/// How sure a phrase is: an id, link or badge is explicit; a versioned name is nearly so; an
/// unversioned name ("the Apache licence", "the OGL") leaves the version to a guess.
pub(super) const EXPLICIT: f32 = 0.95;
pub(super) const NAMED: f32 = 0.9;
pub(super) const UNVERSIONED: f32 = 0.6;

/// A licence named in a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Named {
    pub spdx: String,
    /// Byte offset of the mention in the text searched.
    pub at: usize,
    pub confidence: f32,
}

type Build = fn(&Captures<'_>) -> Option<String>;

struct Pattern {
    source: String,
    /// Compiled on first need: the 36 patterns took 12 ms to compile in every process, and a
    /// README names one or two licences.
    rx: OnceLock<Regex>,
    /// Lower-case words of which every match holds one (see [`CaseFolded`]).
    needs: &'static [&'static str],
    build: Build,
    confidence: f32,
}

impl Pattern {
    fn can_match(&self, folded: &CaseFolded) -> bool {
        self.needs.iter().any(|word| folded.contains(word))
    }

    fn rx(&self) -> &Regex {
        self.rx.get_or_init(|| rx(&self.source))
    }
}

fn fixed(id: &'static str) -> Build {
    // Function pointers cannot capture, so fixed ids go through a small lookup instead.
    match id {
        "Apache-2.0" => |_| Some("Apache-2.0".into()),
        "MIT" => |_| Some("MIT".into()),
        "MIT-0" => |_| Some("MIT-0".into()),
        "BSD-3-Clause" => |_| Some("BSD-3-Clause".into()),
        "BSD-2-Clause" => |_| Some("BSD-2-Clause".into()),
        "0BSD" => |_| Some("0BSD".into()),
        "MPL-2.0" => |_| Some("MPL-2.0".into()),
        "ISC" => |_| Some("ISC".into()),
        "Unlicense" => |_| Some("Unlicense".into()),
        "CC0-1.0" => |_| Some("CC0-1.0".into()),
        "BSL-1.0" => |_| Some("BSL-1.0".into()),
        "Zlib" => |_| Some("Zlib".into()),
        "Artistic-2.0" => |_| Some("Artistic-2.0".into()),
        "WTFPL" => |_| Some("WTFPL".into()),
        "ODbL-1.0" => |_| Some("ODbL-1.0".into()),
        "PDDL-1.0" => |_| Some("PDDL-1.0".into()),
        "ODC-By-1.0" => |_| Some("ODC-By-1.0".into()),
        "OGL-UK-3.0" => |_| Some("OGL-UK-3.0".into()),
        _ => |_| None,
    }
}

fn ogl(c: &Captures<'_>) -> Option<String> {
    let v = c.name("v")?.as_str();
    matches!(v, "1" | "2" | "3").then(|| format!("OGL-UK-{v}.0"))
}

/// "GPL", "LGPL", "AGPL" from the captured words, version and "or later".
fn gnu(c: &Captures<'_>) -> Option<String> {
    let kind = c
        .name("kind")
        .map_or("", |m| m.as_str())
        .to_ascii_lowercase();
    let prefix = if kind.starts_with('a') {
        "AGPL"
    } else if kind.starts_with('l') {
        "LGPL"
    } else {
        "GPL"
    };
    let mut v = c.name("v")?.as_str().to_owned();
    if !v.contains('.') {
        v.push_str(".0");
    }
    let later = c
        .name("later")
        .is_some_and(|m| !m.as_str().trim().is_empty())
        && !c.name("later").is_some_and(|m| m.as_str().contains("only"));
    let id = format!("{prefix}-{v}-{}", if later { "or-later" } else { "only" });
    spdx::license_id(&id).map(|_| id)
}

fn creative_commons(c: &Captures<'_>) -> Option<String> {
    let mods = c
        .name("mods")
        .map_or("", |m| m.as_str())
        .to_ascii_lowercase();
    let mut id = String::from("CC-BY");
    if mods.contains("nc") || mods.contains("non") {
        id.push_str("-NC");
    }
    if mods.contains("sa") || mods.contains("share") {
        id.push_str("-SA");
    } else if mods.contains("nd") || mods.contains("deriv") {
        id.push_str("-ND");
    }
    id.push('-');
    id.push_str(c.name("v")?.as_str());
    spdx::license_id(&id).map(|_| id)
}

fn cc_url(c: &Captures<'_>) -> Option<String> {
    let id = format!(
        "CC-{}-{}",
        c.name("kind")?.as_str().to_ascii_uppercase(),
        c.name("v")?.as_str()
    );
    spdx::license_id(&id).map(|_| id)
}

fn versioned(prefix: &'static str) -> Build {
    match prefix {
        "EUPL" => |c| lookup(&format!("EUPL-{}", c.name("v")?.as_str())),
        "EPL" => |c| lookup(&format!("EPL-{}", c.name("v")?.as_str())),
        _ => |_| None,
    }
}

/// A token that is itself an id, in any case ("apache-2.0" in a URL, "MIT" in a badge).
fn id_token(c: &Captures<'_>) -> Option<String> {
    let id = c.name("id")?.as_str();
    // `spdx.org/licenses/BSD-2-Clause.html`: the page, not the id.
    let id = [".html", ".htm", ".php", ".txt", ".json"]
        .iter()
        .find_map(|ext| id.strip_suffix(ext))
        .unwrap_or(id);
    lookup(id)
}

/// Case-insensitive SPDX id lookup returning the canonical spelling.
/// Deprecated ids come back as their replacement (`GPL-2.0` → `GPL-2.0-only`).
pub(super) fn lookup(token: &str) -> Option<String> {
    let token = token.trim_end_matches(['.', '-', '_']);
    let name = match spdx::license_id(token) {
        Some(l) => l.name,
        None => {
            spdx::identifiers::LICENSES
                .iter()
                .find(|l| l.name.eq_ignore_ascii_case(token))?
                .name
        }
    };
    Some(current_with_plus(name, token.ends_with('+')))
}

/// A listed id as a current one, keeping a GNU `+` ("or later"), which `spdx::license_id`
/// trims.
fn current_with_plus(name: &str, plus: bool) -> String {
    let gnu = spdx::license_id(name).is_some_and(|l| l.is_gnu());
    if plus && gnu {
        current_id(&format!("{name}+"))
    } else {
        current_id(name)
    }
}

fn badge(c: &Captures<'_>) -> Option<String> {
    let raw = c.name("msg")?.as_str();
    let value = raw
        .replace("--", "\u{1}")
        .replace(['-', '_'], " ")
        .replace('\u{1}', "-");
    let value = value
        .replace("%20", " ")
        .replace("%2B", "+")
        .replace("%2b", "+");
    let named = names_in(&value);
    named.first().map(|n| n.spdx.clone())
}

fn rx(s: &str) -> Regex {
    Regex::new(&format!("(?i){s}")).expect("phrase regex")
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |needs: &'static [&'static str], source: &str, build: Build, confidence: f32| Pattern {
        source: source.to_owned(),
        rx: OnceLock::new(),
        needs,
        build,
        confidence,
    };
    let ver = r"(?:v(?:ersion)?\.?\s*)?";
    vec![
        // Links and badges.
        p(
            &["shields.io/badge/licen"],
            r"img\.shields\.io/badge/licen[cs]e-(?P<msg>(?:[^-/?)\s]|--)+)-",
            badge,
            EXPLICIT,
        ),
        p(
            &["nationalarchives.gov.uk/doc/open-government-licen"],
            r"nationalarchives\.gov\.uk/doc/open-government-licen[cs]e/version/(?P<v>\d)",
            ogl,
            EXPLICIT,
        ),
        p(
            &["creativecommons.org/licenses/"],
            r"creativecommons\.org/licenses/(?P<kind>by(?:-nc)?(?:-sa|-nd)?)/(?P<v>\d\.\d)",
            cc_url,
            EXPLICIT,
        ),
        p(
            &["creativecommons.org/publicdomain/zero/1.0"],
            r"creativecommons\.org/publicdomain/zero/1\.0",
            fixed("CC0-1.0"),
            EXPLICIT,
        ),
        p(
            &["apache.org/licenses/license-2.0"],
            r"apache\.org/licenses/LICENSE-2\.0",
            fixed("Apache-2.0"),
            EXPLICIT,
        ),
        p(
            &["mozilla.org/mpl/2.0"],
            r"mozilla\.org/MPL/2\.0",
            fixed("MPL-2.0"),
            EXPLICIT,
        ),
        p(
            &["gnu.org/licenses/"],
            r"gnu\.org/licenses/(?P<kind>[al]?)gpl-?(?P<v>[123](?:\.\d)?)",
            gnu,
            EXPLICIT,
        ),
        p(
            &["/licenses/"],
            r"(?:opensource\.org|choosealicense\.com|spdx\.org)/licenses/(?P<id>[A-Za-z0-9.+-]+)",
            id_token,
            EXPLICIT,
        ),
        // Open Government Licence.
        p(
            &["government"],
            &format!(
                r"open\s+government\s+(?:licen[cs]e\b,?\s*)?(?:for\s+public\s+sector\s+information\s*)?(?:\(OGL\)\s*)?,?\s*{ver}(?P<v>\d)(?:\.0)?\b"
            ),
            ogl,
            NAMED,
        ),
        p(
            &["ogl"],
            r"\bOGL(?:[- ]?UK)?[- ]?v?(?P<v>\d)(?:\.0)?\b",
            ogl,
            NAMED,
        ),
        p(
            &["government", "ogl"],
            r"open\s+government\s+licen[cs]e|\bOGL\b",
            fixed("OGL-UK-3.0"),
            UNVERSIONED,
        ),
        // GNU family, before anything that could match part of it.
        p(
            &["general"],
            &format!(
                r"(?:gnu\s+)?(?P<kind>affero\s+|lesser\s+|library\s+)?general\s+public\s+licen[cs]e(?:\s*\((?:a|l)?gpl\))?,?\s*{ver}(?P<v>[123](?:\.\d)?)(?P<later>\s*\+|\s+or\s+(?:\(at\s+your\s+option\)\s+)?(?:any\s+)?later(?:\s+version)?|-or-later|\s+only|-only)?"
            ),
            gnu,
            NAMED,
        ),
        p(
            &["gpl"],
            r"\b(?:gnu\s+)?(?P<kind>a|l)?gpl[- ]?v?(?P<v>[123](?:\.\d)?)(?P<later>\+|-or-later|\s+or\s+later|-only)?",
            gnu,
            NAMED,
        ),
        // Creative Commons.
        p(
            &["cc", "commons"],
            &format!(
                r"(?:\bcc|creative\s+commons)[- ]+(?:attribution|by)(?P<mods>(?:[- ]+(?:nc|noncommercial|non-commercial))?(?:[- ]+(?:sa|sharealike|share-alike|nd|noderivs|noderivatives|no-derivatives))?)[- ]+(?:licen[cs]e\s+)?{ver}(?P<v>\d\.\d)"
            ),
            creative_commons,
            NAMED,
        ),
        p(
            &["cc", "commons"],
            r"\bCC0\b|\bCC[- ]zero\b|creative\s+commons\s+zero",
            fixed("CC0-1.0"),
            NAMED,
        ),
        // Common software licences.
        p(
            &["apache", "asl"],
            &format!(
                r"\bapache\s+(?:software\s+)?licen[cs]e,?\s*{ver}2(?:\.0)?\b|\bapache[- ]?{ver}2(?:\.0)?\b|\bASL[- ]?2(?:\.0)?\b"
            ),
            fixed("Apache-2.0"),
            NAMED,
        ),
        p(
            &["apache"],
            r"\bapache\s+(?:software\s+)?licen[cs]e\b",
            fixed("Apache-2.0"),
            UNVERSIONED,
        ),
        p(
            &["mit"],
            r"\bMIT[- ]0\b|\bMIT\s+No\s+Attribution\b",
            fixed("MIT-0"),
            NAMED,
        ),
        p(
            &["mit", "expat"],
            r"\bMIT\b|\bExpat\s+licen[cs]e",
            fixed("MIT"),
            NAMED,
        ),
        p(
            &["bsd"],
            r"\bbsd[- ]?3[- ]?clause\b|\b3[- ]clause\s+bsd\b|\b(?:new|revised|modified)\s+bsd\b",
            fixed("BSD-3-Clause"),
            NAMED,
        ),
        p(
            &["bsd"],
            r"\bbsd[- ]?2[- ]?clause\b|\b2[- ]clause\s+bsd\b|\bsimplified\s+bsd\b|\bfreebsd\s+licen[cs]e",
            fixed("BSD-2-Clause"),
            NAMED,
        ),
        p(
            &["bsd"],
            r"\b0BSD\b|\bbsd\s+zero[- ]clause\b",
            fixed("0BSD"),
            NAMED,
        ),
        p(
            &["mozilla", "mpl"],
            &format!(r"mozilla\s+public\s+licen[cs]e,?\s*{ver}2(?:\.0)?\b|\bMPL[- ]?v?2(?:\.0)?\b"),
            fixed("MPL-2.0"),
            NAMED,
        ),
        p(
            &["european", "eupl"],
            &format!(
                r"european\s+union\s+public\s+licen[cs]e,?\s*{ver}(?P<v>1\.[012])|\bEUPL[- ]?v?(?P<v2>1\.[012])"
            ),
            |c| lookup(&format!("EUPL-{}", c.name("v").or(c.name("v2"))?.as_str())),
            NAMED,
        ),
        p(
            &["eclipse"],
            &format!(r"eclipse\s+public\s+licen[cs]e,?\s*{ver}(?P<v>[12]\.0)"),
            versioned("EPL"),
            NAMED,
        ),
        p(
            &["epl"],
            r"\bEPL[- ]?v?(?P<v>[12]\.0)",
            versioned("EPL"),
            NAMED,
        ),
        p(&["isc"], r"\bISC\b", fixed("ISC"), NAMED),
        p(&["unlicen"], r"\bunlicen[cs]e\b", fixed("Unlicense"), NAMED),
        p(
            &["boost"],
            r"boost\s+software\s+licen[cs]e",
            fixed("BSL-1.0"),
            NAMED,
        ),
        p(&["zlib"], r"\bzlib\s+licen[cs]e", fixed("Zlib"), NAMED),
        p(
            &["artistic"],
            &format!(r"artistic\s+licen[cs]e,?\s*{ver}2\.0"),
            fixed("Artistic-2.0"),
            NAMED,
        ),
        p(
            &["wtfpl", "what"],
            r"\bWTFPL\b|do\s+what\s+the\s+f\S*\s+you\s+want",
            fixed("WTFPL"),
            NAMED,
        ),
        p(
            &["odbl", "database"],
            r"\bODbL\b|open\s+database\s+licen[cs]e",
            fixed("ODbL-1.0"),
            NAMED,
        ),
        p(
            &["pddl", "dedication"],
            r"\bPDDL\b|public\s+domain\s+dedication\s+and\s+licen[cs]e",
            fixed("PDDL-1.0"),
            NAMED,
        ),
        p(
            &["odc", "commons"],
            r"\bODC[- ]By\b|open\s+data\s+commons\s+attribution",
            fixed("ODC-By-1.0"),
            NAMED,
        ),
        // Any other SPDX id written as one ("EUPL-1.2", "LGPL-2.1-or-later").
        p(
            &["-"],
            r"\b(?P<id>[A-Za-z][A-Za-z0-9.+]*-[A-Za-z0-9.+-]*[0-9][A-Za-z0-9.+-]*)",
            |c| {
                let t = c.name("id")?.as_str().trim_end_matches(['.', '-']);
                spdx::license_id(t).map(|l| current_with_plus(l.name, t.ends_with('+')))
            },
            EXPLICIT,
        ),
    ]
});

/// Every licence named in `text`, in order of appearance. An earlier pattern wins over a later
/// one that overlaps it.
pub(super) fn names_in(text: &str) -> Vec<Named> {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out: Vec<Named> = Vec::new();
    exact_ids(text, &mut taken, &mut out);
    let folded = CaseFolded::of(text);
    for pat in PATTERNS.iter().filter(|pat| pat.can_match(&folded)) {
        for c in pat.rx().captures_iter(text) {
            let m = c.get(0).expect("group 0");
            if taken.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                continue;
            }
            taken.push((m.start(), m.end()));
            if let Some(spdx) = (pat.build)(&c) {
                out.push(Named {
                    spdx,
                    at: m.start(),
                    confidence: pat.confidence,
                });
            }
        }
    }
    out.sort_by_key(|n| n.at);
    drop_guessed_versions(&mut out);
    out
}

/// An unversioned name ("the Open Government Licence", a badge's "OGL" alt text) is a guess at
/// the current version, made only because nothing says which. When the same statement gives a
/// version elsewhere (a link to `…/open-government-licence/version/2/`, a badge reading "OGL
/// v2.0"), that version is what it means, and the guess would add a licence nobody declared.
fn drop_guessed_versions(named: &mut Vec<Named>) {
    let family = |id: &str| id.rsplit_once('-').map_or(id, |(f, _)| f).to_owned();
    let versioned: Vec<String> = named
        .iter()
        .filter(|n| n.confidence != UNVERSIONED)
        .map(|n| family(&n.spdx))
        .collect();
    named.retain(|n| n.confidence != UNVERSIONED || !versioned.contains(&family(&n.spdx)));
}

/// SPDX ids written exactly, with their suffixes (`BSD-2-Clause-FreeBSD`, `MIT-CMU`,
/// `BSD-3-Clause-Clear`), before the phrase patterns: those would read the `BSD-2-Clause` or
/// `MIT` at their start and drop the rest. GNU ids are left to the patterns, which read "or
/// later" after them ("GPL-3.0 or later").
fn exact_ids(text: &str, taken: &mut Vec<(usize, usize)>, out: &mut Vec<Named>) {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[A-Za-z0-9][A-Za-z0-9.+-]*-[A-Za-z0-9.+-]*[A-Za-z0-9+]").expect("regex")
    });
    for m in TOKEN.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '.') {
            continue;
        }
        let token = m.as_str().trim_end_matches('.');
        let Some(id) = spdx::license_id(token) else {
            continue;
        };
        if id.is_gnu() || token.ends_with('+') || id.name != token {
            continue;
        }
        taken.push((m.start(), m.start() + token.len()));
        out.push(Named {
            spdx: current_id(id.name),
            at: m.start(),
            confidence: EXPLICIT,
        });
    }
}

/// Map a whole metadata value ("MIT", "MIT/Apache-2.0", "GNU General Public License v3 or
/// later (GPLv3+)") to an SPDX expression and a confidence.
pub(super) fn value_to_spdx(value: &str) -> Option<(String, f32)> {
    let v = value.trim().trim_matches(['"', '\'']).trim();
    if v.is_empty() {
        return None;
    }
    // An SPDX expression, deprecated ids replaced (`GPL-3.0` → `GPL-3.0-only`).
    let current = current_expression(v);
    if spdx::Expression::parse(&current).is_ok() {
        return Some((current, 1.0));
    }
    let slashed = current.replace('/', " OR ");
    if v.contains('/') && !v.contains("://") && spdx::Expression::parse(&slashed).is_ok() {
        return Some((slashed, 1.0));
    }
    let mut ids: Vec<Named> = names_in(v);
    ids.dedup_by(|a, b| a.spdx == b.spdx);
    match ids.as_slice() {
        [] => None,
        [one] => Some((one.spdx.clone(), one.confidence)),
        many => {
            let conf = many.iter().map(|n| n.confidence).fold(1.0, f32::min);
            let op = if v.to_ascii_lowercase().contains(" and ") {
                " AND "
            } else {
                " OR "
            };
            let ids: Vec<&str> = many.iter().map(|n| n.spdx.as_str()).collect();
            Some((ids.join(op), conf))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        names_in(text).into_iter().map(|n| n.spdx).collect()
    }

    /// One or more phrases each pattern is written for, in the forms READMEs, badges and
    /// metadata use, with non-ASCII case variants (KELVIN SIGN, LONG S) among them.
    const SAMPLES: &[&str] = &[
        "[![License](https://img.shields.io/badge/License-MIT-yellow.svg)]",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "http://creativecommons.org/publicdomain/zero/1.0/",
        "http://www.apache.org/licenses/LICENSE-2.0",
        "https://mozilla.org/MPL/2.0/",
        "https://www.gnu.org/licenses/gpl-3.0.html",
        "https://opensource.org/licenses/MIT and https://spdx.org/licenses/BSD-2-Clause.html",
        "https://choosealicense.com/licenses/apache-2.0/",
        "the Open Government Licence v3.0",
        "OGL-UK-3.0, OGLv3 and OGL 2",
        "under the Open Government Licence or the OGL",
        "GNU Lesser General Public License v2.1 or later",
        "GPLv3+, LGPL-2.1-only and AGPL v3",
        "Creative Commons Attribution-ShareAlike 4.0 and CC BY 4.0",
        "CC0, CC-zero or Creative Commons Zero",
        "Apache License, Version 2.0; Apache-2; ASL 2.0",
        "the Apache Software License",
        "MIT-0 or MIT No Attribution",
        "the MIT licence, the Expat license",
        "BSD 3-Clause, 3-clause BSD, New BSD, revised Bſd",
        "BSD-2-Clause, Simplified BSD, the FreeBSD license",
        "0BSD, BSD Zero Clause",
        "Mozilla Public License, version 2.0; MPL-2.0",
        "European Union Public Licence v1.2; EUPL 1.1",
        "Eclipse Public License 2.0",
        "EPL-1.0",
        "ISC",
        "the Unlicense",
        "Boost Software License",
        "zlib License",
        "Artistic License 2.0",
        "WTFPL: do what the fuck you want",
        "ODbL, Open Database License",
        "PDDL, Public Domain Dedication and License",
        "ODC-By, Open Data Commons Attribution",
        "EUPL-1.2 and LGPL-2.1-or-later",
        "\u{212A}, ſ, MIT, GPL: a line with a KELVIN SIGN and a LONG S in it",
    ];

    #[test]
    fn each_pattern_word_is_in_its_pattern() {
        // A typo in a word would skip its pattern for good.
        for pat in PATTERNS.iter() {
            let source = pat.source.replace("\\.", ".").to_ascii_lowercase();
            for word in pat.needs {
                assert!(source.contains(word), "{word:?} is not in {:?}", pat.source);
            }
        }
    }

    #[test]
    fn a_pattern_is_never_skipped_where_it_matches() {
        // Every sample is checked against every compiled pattern, skipping or not; each pattern
        // must match some sample, so the check cannot pass by matching nothing.
        let mut matched = vec![false; PATTERNS.len()];
        for sample in SAMPLES {
            let folded = CaseFolded::of(sample);
            for (index, pat) in PATTERNS.iter().enumerate() {
                if pat.rx().is_match(sample) {
                    matched[index] = true;
                    assert!(
                        pat.can_match(&folded),
                        "{:?} matches {sample:?} but would be skipped",
                        pat.source
                    );
                }
            }
        }
        for (index, pat) in PATTERNS.iter().enumerate() {
            assert!(matched[index], "no sample for {:?}", pat.source);
        }
    }

    #[test]
    fn non_ascii_case_variants_match_their_ascii_letters() {
        assert_eq!(ids("revised Bſd"), ["BSD-3-Clause"]);
    }

    #[test]
    fn common_phrases() {
        assert_eq!(ids("licensed under the MIT licence"), ["MIT"]);
        assert_eq!(ids("Apache License, Version 2.0"), ["Apache-2.0"]);
        assert_eq!(ids("Open Government Licence v3.0"), ["OGL-UK-3.0"]);
        assert_eq!(ids("the Open Government 3.0 licence"), ["OGL-UK-3.0"]);
        assert_eq!(ids("Open Government Licence version 2"), ["OGL-UK-2.0"]);
        assert_eq!(ids("GNU General Public License v3.0"), ["GPL-3.0-only"]);
        assert_eq!(ids("GPLv3+"), ["GPL-3.0-or-later"]);
        assert_eq!(
            ids("GNU General Public License v3 or later (GPLv3+)"),
            ["GPL-3.0-or-later", "GPL-3.0-or-later"]
        );
        assert_eq!(
            ids("GNU Lesser General Public License v2.1"),
            ["LGPL-2.1-only"]
        );
        assert_eq!(ids("CC BY 4.0"), ["CC-BY-4.0"]);
        assert_eq!(
            ids("Creative Commons Attribution-ShareAlike 4.0"),
            ["CC-BY-SA-4.0"]
        );
        assert_eq!(ids("CC0"), ["CC0-1.0"]);
        assert_eq!(ids("BSD 3-Clause"), ["BSD-3-Clause"]);
        assert_eq!(ids("EUPL-1.2"), ["EUPL-1.2"]);
        assert_eq!(ids("LGPL-2.1-or-later"), ["LGPL-2.1-or-later"]);
    }

    #[test]
    fn links_and_badges() {
        assert_eq!(
            ids("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
            ["OGL-UK-3.0"]
        );
        assert_eq!(
            ids("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2"),
            ["OGL-UK-2.0"]
        );
        assert_eq!(
            ids("https://img.shields.io/badge/License-MIT-yellow.svg"),
            ["MIT"]
        );
        assert_eq!(
            ids("https://img.shields.io/badge/License-OGLv3-blue.svg"),
            ["OGL-UK-3.0"]
        );
        assert_eq!(
            ids("https://img.shields.io/badge/license-Apache_2.0-blue.svg"),
            ["Apache-2.0"]
        );
        assert!(ids("https://img.shields.io/github/license/nhsengland/repo").is_empty());
        assert_eq!(ids("https://opensource.org/licenses/MIT"), ["MIT"]);
    }

    /// The version a link or badge gives is what an unversioned name beside it means: no
    /// OGL-UK-3.0 guessed from "Open Government Licence" next to a link to version 2.
    #[test]
    fn a_given_version_overrides_the_unversioned_guess() {
        assert_eq!(
            ids(
                "Open Government Licence (http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/)"
            ),
            ["OGL-UK-2.0"]
        );
        assert_eq!(
            ids("OGL (https://img.shields.io/badge/license-OGL%20v2.0-blue)"),
            ["OGL-UK-2.0"]
        );
        assert_eq!(
            ids("the Open Government Licence, version 2 of the OGL"),
            ["OGL-UK-2.0"]
        );
        // Without a version anywhere, the guess stands, as do other licences' names.
        let guessed = names_in("available under the Open Government Licence");
        assert_eq!(guessed.len(), 1);
        assert_eq!(guessed[0].spdx, "OGL-UK-3.0");
        assert_eq!(guessed[0].confidence, UNVERSIONED);
        assert_eq!(
            ids("the Apache licence or OGL v2"),
            ["Apache-2.0", "OGL-UK-2.0"]
        );
    }

    #[test]
    fn no_false_friends() {
        assert!(ids("We submit to the open government data portal in 2021").is_empty());
        assert!(
            ids("Open Government Licence 2021")
                .iter()
                .all(|i| i == "OGL-UK-3.0")
        );
    }

    #[test]
    fn metadata_values() {
        assert_eq!(value_to_spdx("MIT"), Some(("MIT".into(), 1.0)));
        assert_eq!(
            value_to_spdx("MIT/Apache-2.0"),
            Some(("MIT OR Apache-2.0".into(), 1.0))
        );
        assert_eq!(
            value_to_spdx("MIT License").map(|v| v.0),
            Some("MIT".into())
        );
        assert_eq!(value_to_spdx("Proprietary"), None);
    }
}
