//! Permissive licences with a restriction written into them.
//!
//! "Permission is hereby granted … to deal in the Software *for non-commercial purposes
//! only*" is no longer the MIT licence: it is not open source at all. Yet the matcher scores
//! such a text 0.95–0.98 against MIT, inside the range of lightly reformatted legitimate texts
//! (see `docs/licences.md`), so no threshold can tell them apart, and a confident "MIT" would
//! let a non-commercial licence pass an MIT-only policy. The store keeps no licence text to diff
//! against, so instead we look for the restrictions people add (no commercial use, no
//! military use, personal or academic use only) in texts matched to licences whose own words
//! hold none of them, which a test checks against every such licence's SPDX text.

use std::sync::LazyLock;

use regex::Regex;

/// Store names (before GNU suffixes) of licences whose texts grant use for any purpose, so a
/// restriction found beside their words was added by someone.
const UNRESTRICTED: &[&str] = &[
    "0BSD",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-2-Clause-Views",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "ISC",
    "MIT",
    "MIT-0",
    "NCSA",
    "PostgreSQL",
    "UPL-1.0",
    "Unlicense",
    "Zlib",
    "MPL-2.0",
    "EUPL-1.2",
    "GPL-2.0",
    "GPL-3.0",
    "LGPL-2.1",
    "LGPL-3.0",
    "AGPL-3.0",
    "OGL-UK-3.0",
];

/// Restrictions on who may use the work or for what.
static RESTRICTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
          \bnon[-\ ]?commercial\s+(?:\w+\s+)?(?:use|uses|purposes?|applications?)\s+only\b
        | \bonly\s+(?:be\s+used\s+)?(?:for|in)\s+(?:\w+\s+)?(?:non[-\ ]?commercial|personal|educational|academic|research|private|internal)\s+(?:use|uses|purposes?|research|applications?|projects?)\b
        | \bfor\s+(?:\w+\s+)?(?:personal|educational|academic|research|evaluation|private|internal)\s+(?:use|uses|purposes?)\s+only\b
        | \b(?:not|never)\s+(?:\w+\s+){0,4}?(?:for|in|by|to)\s+(?:any\s+)?(?:\w+\s+)?(?:commercial|military|weapons?)\b
        | \b(?:commercial|military)\s+(?:use|uses|purposes?|applications?|exploitation)\s+(?:is|are)\s+(?:\w+\s+)?(?:prohibited|forbidden|not\s+(?:permitted|allowed))
        ",
    )
    .expect("regex")
});

/// The first line (of `lines`) holding a restriction, when `name` is a licence whose own text
/// holds none. A restriction may run across a line break, so lines are read joined.
pub(super) fn added_restriction(name: &str, lines: &[&str]) -> Option<usize> {
    if !UNRESTRICTED.contains(&name) {
        return None;
    }
    let joined = lines.join(" ");
    let at = RESTRICTION.find(&joined)?.start();
    let mut end = 0;
    lines.iter().position(|l| {
        end += l.len() + 1;
        at < end
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restricted(text: &str) -> Option<usize> {
        let lines: Vec<&str> = text.lines().collect();
        added_restriction("MIT", &lines)
    }

    #[test]
    fn restrictions_people_add() {
        for (text, line) in [
            (
                "Permission is hereby granted, free of charge, to deal\nin the Software for non-commercial purposes only, including",
                1,
            ),
            (
                "The Software may not be used for commercial purposes without\nthe prior written permission of the copyright holders.",
                0,
            ),
            (
                "4. This software may not be used in any military application or weapons system.",
                0,
            ),
            ("For personal use only.", 0),
            ("Commercial use is strictly prohibited.", 0),
            ("It may only be used for academic research.", 0),
        ] {
            assert_eq!(restricted(text), Some(line), "{text}");
        }
        // Only licences whose own words hold no restriction are checked.
        assert_eq!(
            added_restriction("CC-BY-NC-4.0", &["for non-commercial use only"]),
            None
        );
    }

    #[test]
    fn grants_for_any_purpose_are_no_restriction() {
        for text in [
            "free for commercial and non-commercial use",
            "to use the Software for any purpose, commercial or non-commercial",
            "Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.",
            "This is not a commercial product.",
        ] {
            assert_eq!(restricted(text), None, "{text}");
        }
    }

    /// None of the licences checked says any of this itself: their SPDX texts (and every
    /// wording the store holds for them) pass untouched.
    #[test]
    fn no_checked_licence_restricts_itself() {
        for name in UNRESTRICTED {
            let id = spdx::license_id(name)
                .or_else(|| spdx::license_id(&format!("{name}-only")))
                .unwrap_or_else(|| panic!("{name} is an SPDX id"));
            let text = id.text();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                added_restriction(name, &lines).map(|i| lines[i]),
                None,
                "{name}"
            );
        }
    }
}
