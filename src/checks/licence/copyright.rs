//! Copyright notices: Crown copyright, holder lines and unfilled template text.
//!
//! The playbook asks NHS work to carry Crown copyright and to name the publishing body, and a
//! licence copied from a template with `[year] [fullname]` left in is a common defect. None of
//! this changes which licence a file holds, so it is reported separately from identification.

use std::sync::LazyLock;

use regex::Regex;

fn trimmed(line: &str) -> String {
    let t = line.trim();
    match t.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_owned(),
    }
}

/// The first Crown copyright notice: "© Crown copyright", "(c) Crown Copyright 2024",
/// "Crown Copyright (NHS England)", "Copyright © Crown 2023". Returns the 1-based line and the
/// line's text.
pub fn crown_copyright(text: &str) -> Option<(usize, String)> {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\bcrown\s+copyright\b|(?:©|&copy;|\(c\))\s*crown\b|\bcopyright\s*(?:©|&copy;|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?crown\b",
        )
        .expect("regex")
    });
    text.lines()
        .enumerate()
        .find(|(_, l)| RX.is_match(l))
        .map(|(i, l)| (i + 1, trimmed(l)))
}

/// Every line that states a copyright holder ("Copyright (c) 2024 NHS England", "© Crown
/// copyright"), as opposed to licence clauses that mention copyright ("the above copyright
/// notice", "COPYRIGHT HOLDERS AND CONTRIBUTORS"). Template placeholders are included; see
/// [`placeholders`] to find them.
pub fn copyright_lines(text: &str) -> Vec<(usize, String)> {
    static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^[\s#*/;!>\-]*(?:<!--\s*)?(?:(?i:portions\s+)?(?i:copyright)\s*(?:\((?i:c)\)|©|&copy;)?|©|&copy;|\((?i:c)\))\s*(?:[-–,:]\s*)?[\p{Lu}\d\[<{]",
        )
        .expect("regex")
    });
    static INLINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:©|&copy;)\s*[\p{Lu}\d]").expect("regex"));
    static CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)copyright\s+(?:holders?|owners?|notices?|law|and|or|protection|statement)\b",
        )
        .expect("regex")
    });
    text.lines()
        .enumerate()
        .filter(|(_, l)| (NOTICE.is_match(l) || INLINE.is_match(l)) && !is_clause(l, &CLAUSE))
        .map(|(i, l)| (i + 1, trimmed(l)))
        .collect()
}

fn is_clause(line: &str, clause: &Regex) -> bool {
    // A notice line names a year or a symbol; a clause line only uses the word.
    static MARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)©|&copy;|\(c\)|\b(?:19|20)\d\d\b|crown").expect("regex"));
    clause.is_match(line) && !MARK.is_match(line)
}

/// The placeholder forms listed at [`placeholders`].
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
          \[\s*(?:yyyy|year|years|fullname|full\s+name|name|name\s+of\s+copyright\s+owner|name\s+of\s+author|
                 copyright\s+holders?|owner|author|authors|organi[sz]ation|project(?:\s+name)?|email|your\s+name)\s*\]
        | <\s*(?:yyyy|year|years|fullname|full\s+name|name\s+of\s+copyright\s+owner|name\s+of\s+author|
                 copyright\s+holders?|owner|author|organi[sz]ation|your\s+name)\s*>
        | \{\{\s*[\w.\s-]+\}\}
        | \$\{\s*(?:year|author|owner|name)\s*\}
        | ^\s*(?:YEAR|COPYRIGHT\s+HOLDER|COPYRIGHT\s+HOLDERS|ORGANI[SZ]ATION)\s*:\s*$
        | TODO\(openly\):
        ",
    )
    .expect("regex")
});

/// Unfilled template text: `[year] [fullname]`, `<year> <copyright holders>`, `{{ year }}`,
/// `[name of copyright owner]`, `YEAR:` / `COPYRIGHT HOLDER:` lines with nothing after, and the
/// `TODO(openly):` markers that `openly fix` leaves for a value it cannot know.
/// Stops at a licence's own appendix ("END OF TERMS AND CONDITIONS", "How to apply"), whose
/// placeholders are instructions, not omissions.
pub fn placeholders(text: &str) -> Vec<(usize, String)> {
    static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)END\s+OF\s+TERMS\s+AND\s+CONDITIONS|How\s+to\s+Apply\s+These\s+Terms|APPENDIX:\s+How\s+to\s+apply")
            .expect("regex")
    });
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if APPENDIX.is_match(line) {
            break;
        }
        if may_hold_placeholder(line)
            && let Some(m) = PLACEHOLDER.find(line)
        {
            log::trace!("placeholder {:?} on line {}", m.as_str(), i + 1);
            out.push((i + 1, trimmed(line)));
        }
    }
    out
}

/// Whether a line can hold one of [`placeholders`]' forms: each needs a bracket (`[`, `<`, `{`),
/// or is a whole line `YEAR:`, `COPYRIGHT HOLDER:` or `ORGANISATION:`, or holds `TODO(openly):`.
/// The pattern took a millisecond to compile in every audit, and the licence texts most
/// repositories carry (MIT, the OGL) have no line that passes this.
fn may_hold_placeholder(line: &str) -> bool {
    let bytes = line.as_bytes();
    if memchr::memchr3(b'[', b'<', b'{', bytes).is_some() {
        return true;
    }
    if memchr::memchr(b':', bytes).is_none() {
        return false;
    }
    let whole = line.trim();
    // None of these first letters has a non-ASCII case variant for `(?i)` to match.
    (whole.ends_with(':') && whole.starts_with(['y', 'Y', 'c', 'C', 'o', 'O']))
        || bytes
            .windows(b"todo(openly):".len())
            .any(|w| w.eq_ignore_ascii_case(b"todo(openly):"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crown() {
        let cases = [
            "© Crown copyright 2024",
            "(c) Crown Copyright",
            "Crown Copyright (NHS England)",
            "The documentation is © Crown copyright and available under the OGL.",
            "Copyright © Crown 2023",
            "&copy; Crown copyright",
        ];
        for c in cases {
            assert!(
                crown_copyright(&format!("intro\n{c}\n")).is_some_and(|(l, _)| l == 2),
                "{c}"
            );
        }
        assert!(crown_copyright("Copyright (c) 2024 NHS England").is_none());
        assert!(crown_copyright("").is_none());
    }

    #[test]
    fn holder_lines() {
        let text = "MIT License\n\nCopyright (c) 2024 NHS England\n\nThe above copyright notice and this permission notice shall be included\nCOPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\"\n© Crown copyright 2023\n# Copyright 2020 Someone\n";
        let lines: Vec<usize> = copyright_lines(text).into_iter().map(|x| x.0).collect();
        assert_eq!(lines, [3, 7, 8]);
    }

    #[test]
    fn unfilled_templates() {
        let text = "Copyright (c) [year] [fullname]\nCopyright <YEAR> <COPYRIGHT HOLDER>\n{{ year }} {{ author }}\nYEAR:\nCOPYRIGHT HOLDER:\nYEAR: 2024\nCopyright [yyyy] [name of copyright owner]\nCopyright 2024 NHS England\nCopyright (c) 2026 TODO(openly): the copyright holder\n";
        let lines: Vec<usize> = placeholders(text).into_iter().map(|x| x.0).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 7, 9]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Lines made of the placeholder forms' pieces and near misses: the test never skips
        /// a line the pattern matches.
        #[test]
        fn a_placeholder_line_is_never_skipped(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "[", "]", "<", ">", "{{", "}}", "${", "}", "year", "YEAR", "yyyy", "fullname",
                "copyright", "COPYRIGHT", " ", "\u{2003}", "\t", "holder", "HOLDERS", ":",
                "Organisation", "ORGANIZATION", "TODO(openly):", "todo(OPENLY):", "(c)", "2024",
                "conditions", "x",
            ]),
            0..8,
        )) {
            let line = parts.concat();
            let matched = PLACEHOLDER.is_match(&line);
            proptest::prop_assert!(!matched || may_hold_placeholder(&line), "skipped {line:?}");
        }
    }

    #[test]
    fn common_licence_lines_pass_no_placeholder_test() {
        for line in [
            "Copyright (c) 2024, Joseph Wilson",
            "The above copyright notice and this permission notice shall be included in all",
            "furnished to do so, subject to the following conditions:",
            "Open Government Licence v3.0",
        ] {
            assert!(!may_hold_placeholder(line), "{line}");
        }
    }

    #[test]
    fn appendix_placeholders_are_not_omissions() {
        let text = "Apache License\n...\nEND OF TERMS AND CONDITIONS\n\nCopyright [yyyy] [name of copyright owner]\n";
        assert!(placeholders(text).is_empty());
    }
}
