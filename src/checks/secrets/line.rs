//! One line of text through every credential detector, after the cheap trigger; detections
//! are collected per file and merged by fingerprint.

use crate::checks::detection::{Detection, Kind, Strength, mask_secret};

use super::hosts::*;
use super::patterns::*;
use super::values::*;
use crate::checks::paths::is_test_or_example;

/// Collects detections for one file, merging repeats of the same fingerprint.
#[derive(Debug, Default)]
pub struct SecretSink {
    pub detections: Vec<Detection>,
    index: std::collections::HashMap<String, usize>,
}

/// Per-file cap: a file with hundreds of secrets needs one look, not hundreds.
pub(super) const MAX_SECRET_DETECTIONS: usize = 50;

impl SecretSink {
    pub(super) fn push(
        &mut self,
        path: &str,
        kind: Kind,
        strength: Strength,
        line: u64,
        excerpt: String,
        message: String,
    ) {
        let basis = format!("{}|{}|{}", kind.as_str(), path, excerpt);
        if let Some(&i) = self.index.get(&basis) {
            self.detections[i].count += 1;
            return;
        }
        if self.detections.len() >= MAX_SECRET_DETECTIONS {
            return;
        }
        // Keys and tokens under tests/, fixtures/ or examples/ are nearly
        // always throwaway; still reported, as a warning.
        let (strength, message) = if strength == Strength::Strong && is_test_or_example(path) {
            (Strength::Weak, format!("{message} (test or example path)"))
        } else {
            (strength, message)
        };
        self.index.insert(basis.clone(), self.detections.len());
        self.detections.push(Detection {
            kind,
            strength,
            path: path.to_string(),
            line: Some(line),
            column: None,
            count: 1,
            excerpt,
            message,
            fingerprint_basis: basis,
        });
    }
}

/// Scan one line. `rest` is the text after the line (same chunk), used to
/// tell a real private key from a documentation example.
pub fn scan_line(
    path: &str,
    line: &str,
    lineno: u64,
    rest: &[u8],
    config_like: bool,
    sink: &mut SecretSink,
) {
    let mut claimed = false;
    // A dozen regex searches on a short line cost far more in set-up than in scanning, so each
    // detector first checks a literal its pattern cannot match without.
    // `str::contains` rather than `memchr::memmem::find`: most lines are short, and building
    // a memmem searcher for each of a dozen needles per line cost more than it saved (264 M
    // instructions became 375 M on 26 real repositories).
    let lower = line.to_ascii_lowercase();
    let has = |needle: &str| lower.contains(needle);
    let has_quote = memchr::memchr2(b'"', b'\'', line.as_bytes()).is_some();

    if line.contains("PRIVATE KEY")
        && let Some(m) = PRIVATE_KEY.find(line)
    {
        let after = &line[m.end()..];
        let body_follows = key_body_follows(after.as_bytes()) || key_body_follows(rest);
        if body_follows {
            let label = m.as_str().trim_matches('-').to_string();
            sink.push(
                path,
                Kind::PrivateKey,
                Strength::Strong,
                lineno,
                format!("-----{label}----- …"),
                format!(
                    "Private key ({}) committed",
                    label.trim_start_matches("BEGIN ")
                ),
            );
        }
        claimed = true;
    }

    for token in TOKENS.iter().filter(|t| (t.may_match)(line, &lower)) {
        for c in token.regex().captures_iter(line) {
            let v = c.get(1).map_or("", |m| m.as_str());
            let value_lower = v.to_ascii_lowercase();
            if value_lower.contains("example")
                || value_lower.contains("xxxxxxxx")
                || value_lower.contains("00000000")
            {
                continue;
            }
            sink.push(
                path,
                Kind::Token,
                Strength::Strong,
                lineno,
                mask_secret(Kind::Token, v),
                format!("{} committed", token.label),
            );
            claimed = true;
        }
    }

    let url_like = has("://")
        && memchr::memchr(b'@', line.as_bytes()).is_some()
        && may_hold_url_credentials(line);
    if url_like {
        for c in URL_CREDENTIALS.captures_iter(line) {
            let (scheme, user, pass) = (&c[1], &c[2], &c[3]);
            let host = c[4].to_ascii_lowercase();
            if is_placeholder(pass, "password")
                || (is_placeholder(user, "user") && pass.len() < 6)
                || is_documentation_host(&host)
            {
                continue;
            }
            sink.push(
                path,
                Kind::UrlCredentials,
                Strength::Strong,
                lineno,
                format!(
                    "{}://***:{}@***",
                    scheme.to_ascii_lowercase(),
                    mask_secret(Kind::UrlCredentials, pass)
                ),
                "URL with an embedded user name and password".to_string(),
            );
            claimed = true;
        }
    }

    if memchr::memchr(b'=', line.as_bytes()).is_some() && CONN_CONTEXT.is_match(line) {
        for c in CONN_PASSWORD.captures_iter(line) {
            let raw = &c[2];
            let v = raw
                .trim_matches(|ch| ch == '\'' || ch == '"')
                .trim_start_matches('{')
                .trim_end_matches('}');
            let braced = raw.starts_with('{');
            if v.is_empty()
                || is_placeholder(if braced { raw } else { v }, &c[1])
                || !plausible_password(v)
            {
                continue;
            }
            sink.push(
                path,
                Kind::ConnectionString,
                Strength::Strong,
                lineno,
                format!("{}={}", &c[1], mask_secret(Kind::ConnectionString, v)),
                "Connection string with a literal password".to_string(),
            );
            claimed = true;
        }
    }

    let secret_word = ["pass", "pwd", "secret", "key", "token"]
        .iter()
        .any(|n| has(n));
    if !claimed && secret_word {
        if has_quote {
            for c in ASSIGNMENT.captures_iter(line) {
                let (key, q1, v, q2) = (&c[1], &c[2], &c[3], &c[4]);
                if q1 != q2 {
                    continue;
                }
                assignment(path, key, v, lineno, sink);
            }
        }
        let config = if config_like {
            CONFIG_ASSIGNMENT.captures(line)
        } else {
            None
        };
        if let Some(c) = config {
            assignment(path, &c[1], &c[2], lineno, sink);
        }
    }

    // A connection setting is `name = value`: most lines naming a host (URLs, `localhost`)
    // have no `=`, and the setting's pattern cost 4,000 instructions a line to rule them out.
    let host_like = memchr::memchr(b'=', line.as_bytes()).is_some()
        && ["server", "data source", "host", "addr"]
            .iter()
            .any(|n| has(n));
    internal_hosts(path, line, lineno, host_like, sink);
}

pub(super) fn assignment(path: &str, key: &str, v: &str, lineno: u64, sink: &mut SecretSink) {
    if key_is_metadata(key) || is_placeholder(v, key) || v.starts_with('{') {
        return;
    }
    let kind = key_kind(key);
    let ok = match kind {
        Kind::Password => plausible_password(v),
        _ => looks_random(v),
    };
    if !ok {
        return;
    }
    let what = if kind == Kind::Password {
        "Hard-coded password"
    } else {
        "Hard-coded secret or API key"
    };
    sink.push(
        path,
        kind,
        Strength::Strong,
        lineno,
        format!("{} = {}", short_key(key), mask_secret(kind, v)),
        format!("{what} in `{}`", short_key(key)),
    );
}

pub(super) fn key_body_follows(after: &[u8]) -> bool {
    let mut i = 0;
    loop {
        while i < after.len() && matches!(after[i], b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'') {
            i += 1;
        }
        if after[i..].starts_with(b"\\n") {
            i += 2;
            continue;
        }
        if after[i..].starts_with(b"\\r") {
            i += 2;
            continue;
        }
        break;
    }
    let tail = &after[i..];
    if tail.starts_with(b"Proc-Type:") {
        return true;
    }
    tail.iter()
        .take(24)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .count()
        >= 20
}
