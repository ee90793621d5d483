//! The regular expressions behind the credential detectors, compiled once.

use std::sync::{LazyLock, OnceLock};

use regex::Regex;

pub(super) static PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----").expect("regex")
});

/// A token's pattern, with a test every line it can match passes. Lines reach the detectors
/// through trigger words such as `gh`, common in prose and URLs ("github", "high"); running all
/// six patterns on each such line cost more than any other detector (lock files alone hold
/// thousands of `github.com` lines). A pattern is compiled when a line first passes its test,
/// so most audits compile none.
pub(super) struct TokenPattern {
    source: &'static str,
    regex: OnceLock<Regex>,
    pub label: &'static str,
    /// `(line, line in ASCII lower case)`: false only where the pattern cannot match.
    pub may_match: fn(&str, &str) -> bool,
}

impl TokenPattern {
    const fn new(
        source: &'static str,
        label: &'static str,
        may_match: fn(&str, &str) -> bool,
    ) -> Self {
        TokenPattern {
            source,
            regex: OnceLock::new(),
            label,
            may_match,
        }
    }

    pub fn regex(&self) -> &Regex {
        self.regex
            .get_or_init(|| Regex::new(self.source).expect("regex"))
    }
}

pub(super) static TOKENS: [TokenPattern; 6] = [
    TokenPattern::new(
        r"(?-u:\b)(gh[pousr]_[A-Za-z0-9]{36,251})(?-u:\b)",
        "GitHub token",
        |line, _| {
            let bytes = line.as_bytes();
            memchr::memmem::find_iter(bytes, b"gh").any(|at| {
                matches!(bytes.get(at + 2), Some(b'p' | b'o' | b'u' | b's' | b'r'))
                    && bytes.get(at + 3) == Some(&b'_')
            })
        },
    ),
    TokenPattern::new(
        r"(?-u:\b)(github_pat_[A-Za-z0-9_]{22,255})(?-u:\b)",
        "GitHub fine-grained token",
        |line, _| line.contains("github_pat_"),
    ),
    TokenPattern::new(
        r"(?-u:\b)((?:AKIA|ASIA)[0-9A-Z]{16})(?-u:\b)",
        "AWS access key id",
        |line, _| line.contains("AKIA") || line.contains("ASIA"),
    ),
    TokenPattern::new(
        r"(?i)AccountKey=([A-Za-z0-9+/]{40,}={0,2})",
        "Azure storage account key",
        // The pattern's `(?i)` also matches KELVIN SIGN for `K`.
        |line, lower| lower.contains("accountkey=") || line.contains('\u{212A}'),
    ),
    TokenPattern::new(
        r"(?-u:\b)(xox[baprs]-[0-9A-Za-z-]{10,})",
        "Slack token",
        |line, _| line.contains("xox"),
    ),
    TokenPattern::new(
        r"(?-u:\b)(AIza[0-9A-Za-z_\-]{35})",
        "Google API key",
        |line, _| line.contains("AIza"),
    ),
];

/// `scheme://user:password@host`, the user at most 100 characters and the password at most 200.
/// Those two bounds are checked after the match (see [`BoundedCaptures`]): written into the
/// pattern over Unicode classes they made it the costliest of all to compile (4 ms of every
/// run's start).
pub(super) static URL_CREDENTIALS: LazyLock<BoundedCaptures> = LazyLock::new(|| {
    BoundedCaptures {
    regex: Regex::new(r#"(?i)(?-u:\b)([a-z][a-z0-9+.\-]{1,20})://([^\s:@/'"<>{}]+):([^\s@/'"<>]+)@([A-Za-z0-9.\-_\[\]]{1,253})"#)
        .expect("regex"),
    most_chars: &[(2, 100), (3, 200)],
    // No match can start inside the user or password: neither may hold `/`, so no `://`
    // follows a scheme there before the `@`.
    resume_at_group: 2,
}
});

/// Whether some `://` in the line is followed by a user name and a `:`, as every match of
/// [`URL_CREDENTIALS`] is: the user part holds none of the ASCII bytes this stops at, all of
/// which the pattern excludes too. Lock files hold thousands of `https://registry/@scope/…`
/// lines, with an `@` but no credentials, and the pattern cost 14,000 instructions a line to
/// rule each out.
pub(super) fn may_hold_url_credentials(line: &str) -> bool {
    let bytes = line.as_bytes();
    memchr::memmem::find_iter(bytes, b"://").any(|at| {
        let rest = &bytes[at + 3..];
        let stop = rest.iter().position(|b| {
            b.is_ascii_whitespace()
                || matches!(
                    b,
                    b'\x0b' | b':' | b'@' | b'/' | b'\'' | b'"' | b'<' | b'>' | b'{' | b'}'
                )
        });
        matches!(stop, Some(user) if user > 0 && rest[user] == b':')
    })
}

pub(super) static CONN_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[;?&\s"'{(,])(password|pwd)\s*=\s*('[^']*'|"[^"]*"|\{[^}]*\}|[^;&"'\s,)]*)"#,
    )
    .expect("regex")
});

pub(super) static CONN_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)(?:server|data source|database|initial catalog|uid|user id|driver|dsn|host)\s*=|jdbc:|odbc)")
        .expect("regex")
});

/// `key = "value"` for a secret-like key, the value at most 200 characters (checked after the
/// match, as for [`URL_CREDENTIALS`]).
pub(super) static ASSIGNMENT: LazyLock<BoundedCaptures> = LazyLock::new(|| {
    BoundedCaptures {
    regex: Regex::new(r#"(?i)([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|auth_?token|access_?token|token)[A-Za-z0-9_.\-]*)["']?\s*(?::=|=>|<<-|<-|=|:)\s*[rbuf]?(["'])([^"'\r\n]+)(["'])"#)
        .expect("regex"),
    most_chars: &[(3, 200)],
    // A match starting anywhere in the key or the operator ends at the same quoted value.
    resume_at_group: 3,
}
});

pub(super) static CONFIG_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*(?:export\s+)?([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|token)[A-Za-z0-9_.\-]*)\s*[=:]\s*([^\s#;'"]\S*)(?:\s.*)?$"#)
        .expect("regex")
});

pub(super) static SERVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|[;\s"'(,])(?:server|data source|host|hostname|addr|address)\s*=\s*(?:tcp:)?([A-Za-z0-9_.\-]+)(\\[A-Za-z0-9_$]+)?"#)
        .expect("regex")
});

pub(super) static UNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[\s"'(=,\[])(\\+)([A-Za-z][A-Za-z0-9_.\-]{1,62})(\\+)([A-Za-z0-9_$.\-]+)"#)
        .expect("regex")
});

/// A regular expression whose long bounded repetitions of Unicode classes (`[^\s"]{1,200}`) are
/// written unbounded (`+`) and checked on each match instead: the same matches, for patterns
/// where each group is fenced by characters its class excludes (so a start place fixes every
/// group), at a fraction of the compile cost, since a bound over a Unicode class copies the
/// class's UTF-8 automaton once per repetition.
pub(super) struct BoundedCaptures {
    regex: Regex,
    /// (capture group, most characters it may hold).
    most_chars: &'static [(usize, usize)],
    /// Where to look again after a match breaks a bound: the start of this group. No match of
    /// the bounded pattern can start between the broken match's start and there.
    resume_at_group: usize,
}

impl BoundedCaptures {
    /// Every match that keeps the bounds, as `Regex::captures_iter` of the bounded pattern
    /// would give them.
    pub(super) fn captures_iter<'h>(
        &'h self,
        haystack: &'h str,
    ) -> impl Iterator<Item = regex::Captures<'h>> + 'h {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at <= haystack.len() {
                let captures = self.regex.captures_at(haystack, at)?;
                let whole = captures.get(0).expect("group 0 always takes part");
                let within = self.most_chars.iter().all(|&(group, most)| {
                    captures
                        .get(group)
                        .is_none_or(|m| m.as_str().chars().nth(most).is_none())
                });
                if within {
                    at = whole.end().max(whole.start() + 1);
                    return Some(captures);
                }
                let resume = captures
                    .get(self.resume_at_group)
                    .map_or(whole.end(), |m| m.start());
                at = resume.max(whole.start() + 1);
                while !haystack.is_char_boundary(at.min(haystack.len())) {
                    at += 1;
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The patterns as they were, bounds inside: the specification of [`BoundedCaptures`].
    fn bounded_url() -> Regex {
        Regex::new(r#"(?i)(?-u:\b)([a-z][a-z0-9+.\-]{1,20})://([^\s:@/'"<>{}]{1,100}):([^\s@/'"<>]{1,200})@([A-Za-z0-9.\-_\[\]]{1,253})"#).unwrap()
    }

    fn bounded_assignment() -> Regex {
        Regex::new(r#"(?i)([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|auth_?token|access_?token|token)[A-Za-z0-9_.\-]*)["']?\s*(?::=|=>|<<-|<-|=|:)\s*[rbuf]?(["'])([^"'\r\n]{1,200})(["'])"#).unwrap()
    }

    fn spans<'a>(
        iter: impl Iterator<Item = regex::Captures<'a>>,
    ) -> Vec<Vec<Option<(usize, usize)>>> {
        iter.map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    /// Lines built from the pieces these patterns are made of, with runs either side of every
    /// bound, so that near misses, long values and matches inside long values are common.
    fn line_strategy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            proptest::sample::select(vec![
                "http://",
                "git+ssh://",
                "postgres://",
                "://",
                "user",
                "admin",
                ":",
                "@",
                "@db.",
                "host.example.org",
                "password",
                "my_api_key",
                "token",
                " = ",
                "=",
                ": ",
                ":=",
                "<-",
                "\"",
                "'",
                "b\"",
                " ",
                "/",
                "é",
                "ſ",
                "\r",
                "x",
                "pwd=\"s3cr3t\"",
                "token = \"",
                "password = '",
                "https://u:",
            ])
            .prop_map(str::to_string),
            (90usize..=110, proptest::sample::select(vec!['a', 'é', '.']))
                .prop_map(|(n, c)| c.to_string().repeat(n)),
            (
                190usize..=210,
                proptest::sample::select(vec!['b', 'ü', ':'])
            )
                .prop_map(|(n, c)| c.to_string().repeat(n)),
            (250usize..=260).prop_map(|n| "h".repeat(n)),
        ];
        proptest::collection::vec(piece, 0..14).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn url_credentials_match_the_bounded_pattern(line in line_strategy()) {
            prop_assert_eq!(
                spans(URL_CREDENTIALS.captures_iter(&line)),
                spans(bounded_url().captures_iter(&line))
            );
        }

        #[test]
        fn assignments_match_the_bounded_pattern(line in line_strategy()) {
            prop_assert_eq!(
                spans(ASSIGNMENT.captures_iter(&line)),
                spans(bounded_assignment().captures_iter(&line))
            );
        }
    }

    /// Lines made of the pieces of every token pattern, near misses included.
    fn token_line_strategy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            proptest::sample::select(vec![
                "ghp_",
                "gho_",
                "ghu_",
                "ghs_",
                "ghr_",
                "ghx_",
                "gh",
                "GHP_",
                "g",
                "h",
                "p_",
                "github_pat_",
                "github",
                "AKIA",
                "ASIA",
                "akia",
                "AKI",
                "AccountKey=",
                "accountkey=",
                "ACCOUNT\u{212A}EY=",
                "Account",
                "Key=",
                "xoxb-",
                "xox",
                "XOXB-",
                "AIza",
                "aiza",
                "-",
                "=",
                "==",
                "_",
                " ",
                "/",
                "+",
                "é",
            ])
            .prop_map(str::to_string),
            (10usize..=60, proptest::sample::select(vec!['A', 'z', '7']))
                .prop_map(|(n, c)| c.to_string().repeat(n)),
        ];
        proptest::collection::vec(piece, 0..10).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn a_token_pattern_is_never_skipped_where_it_matches(line in token_line_strategy()) {
            let lower = line.to_ascii_lowercase();
            for token in TOKENS.iter() {
                if token.regex().is_match(&line) {
                    prop_assert!((token.may_match)(&line, &lower), "{} skipped in {line:?}", token.label);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn url_credentials_are_never_skipped_where_they_match(line in line_strategy()) {
            if URL_CREDENTIALS.captures_iter(&line).next().is_some() {
                prop_assert!(may_hold_url_credentials(&line), "skipped {line:?}");
            }
        }
    }

    #[test]
    fn url_credential_test_lets_credentials_through_and_registry_paths_not() {
        let with = "postgres://admin:s3cret@db.internal:5432/x";
        assert!(URL_CREDENTIALS.captures_iter(with).next().is_some());
        assert!(may_hold_url_credentials(with));
        assert!(may_hold_url_credentials("see https://u\u{A0}x:pw@host"));
        let registry = r#""resolved": "https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz","#;
        assert!(!may_hold_url_credentials(registry));
        assert!(!may_hold_url_credentials("https://:pw@host"));
    }

    #[test]
    fn every_token_pattern_matches_a_sample_its_test_lets_through() {
        // The property above holds vacuously for a pattern that never matches: each must.
        let alnum = |n: usize| "aB3".repeat(n).chars().take(n).collect::<String>();
        let samples = [
            format!("token: ghs_{}", alnum(36)),
            format!("github_pat_{}", alnum(22)),
            format!("id = AKIA{}", "Q".repeat(16)),
            format!(
                "DefaultEndpointsProtocol=https;Account\u{212A}ey={}",
                alnum(40)
            ),
            format!("xoxb-{}", alnum(10)),
            format!("AIza{}", alnum(35)),
        ];
        for (token, sample) in TOKENS.iter().zip(&samples) {
            assert!(token.regex().is_match(sample), "{}: {sample}", token.label);
            assert!(
                (token.may_match)(sample, &sample.to_ascii_lowercase()),
                "{}",
                token.label
            );
        }
        assert_eq!(TOKENS.len(), samples.len());
    }

    #[test]
    fn a_value_past_the_bound_is_skipped_and_one_inside_it_is_found() {
        let inner = r#"pwd="hunter22""#;
        let line = format!(r#"password = "{}{inner}""#, "v".repeat(150));
        // The outer value holds a quote, so the outer match ends at the inner one; make the
        // outer value long and quote-free instead, with the inner assignment after it.
        let long = format!(r#"password = "{}" {inner}"#, "v".repeat(201));
        let found: Vec<String> = ASSIGNMENT
            .captures_iter(&long)
            .map(|c| c[3].to_string())
            .collect();
        assert_eq!(found, ["hunter22"]);
        // The inner key starts inside the long value and takes its closing quote as its own
        // opening one.
        let nested = format!(r#"password = "{}token = "abc123""#, "v".repeat(201));
        let found: Vec<String> = ASSIGNMENT
            .captures_iter(&nested)
            .map(|c| c[3].to_string())
            .collect();
        assert_eq!(found, ["abc123"]);
        let short = format!(r#"password = "{}" {inner}"#, "v".repeat(200));
        assert_eq!(ASSIGNMENT.captures_iter(&short).count(), 2);
        assert!(ASSIGNMENT.captures_iter(&line).count() >= 1);
        let url = format!(
            "https://{}:pw@host.example https://u:secret@db.internal",
            "u".repeat(101)
        );
        let users: Vec<String> = URL_CREDENTIALS
            .captures_iter(&url)
            .map(|c| c[2].to_string())
            .collect();
        assert_eq!(users, ["u"]);
    }
}
