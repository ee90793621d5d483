//! Credentials and internal infrastructure names in code, config and docs.
//!
//! Secret scanners are only useful when people trust them, so every detector
//! here prefers precision: it needs a telling key or a well-known token shape,
//! and it drops placeholders (`${DB_PASSWORD}`, `<password>`, `changeme`,
//! `os.environ[...]`, `***`) and documentation examples (`AKIA…EXAMPLE`).
//! Lines reach these regexes only after a cheap trigger (see `prose.rs`).

use std::sync::LazyLock;

use regex::Regex;

use super::mask::mask_secret;
use super::{Detection, Kind, Strength};

/// Lower-case literals that any secret line must contain. They are searched
/// in an ASCII-lowercased copy of each chunk: a plain literal set lets the
/// regex engine use its SIMD search, which `(?i)` over this many words would
/// defeat (measured about twice as slow).
pub(super) const TRIGGER_LITERALS: &[&str] = &[
    "pass",
    "pwd",
    "secret",
    "token",
    "server",
    "host",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accountkey",
    "://",
    "-----begin",
    "akia",
    "asia",
    "ghp_",
    "gho_",
    "ghs_",
    "github_pat_",
    "xox",
    "aiza",
    "data source",
    r"\\",
];

static PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----").expect("regex")
});

static TOKENS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"(?-u:\b)(gh[pousr]_[A-Za-z0-9]{36,251})(?-u:\b)",
            "GitHub token",
        ),
        (
            r"(?-u:\b)(github_pat_[A-Za-z0-9_]{22,255})(?-u:\b)",
            "GitHub fine-grained token",
        ),
        (
            r"(?-u:\b)((?:AKIA|ASIA)[0-9A-Z]{16})(?-u:\b)",
            "AWS access key id",
        ),
        (
            r"(?i)AccountKey=([A-Za-z0-9+/]{40,}={0,2})",
            "Azure storage account key",
        ),
        (r"(?-u:\b)(xox[baprs]-[0-9A-Za-z-]{10,})", "Slack token"),
        (r"(?-u:\b)(AIza[0-9A-Za-z_\-]{35})", "Google API key"),
    ]
    .into_iter()
    .map(|(p, l)| (Regex::new(p).expect("regex"), l))
    .collect()
});

static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)([a-z][a-z0-9+.\-]{1,20})://([^\s:@/'"<>{}]{1,100}):([^\s@/'"<>]{1,200})@([A-Za-z0-9.\-_\[\]]{1,253})"#)
        .expect("regex")
});

static CONN_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[;?&\s"'{(,])(password|pwd)\s*=\s*('[^']*'|"[^"]*"|\{[^}]*\}|[^;&"'\s,)]*)"#,
    )
    .expect("regex")
});

static CONN_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)(?:server|data source|database|initial catalog|uid|user id|driver|dsn|host)\s*=|jdbc:|odbc)")
        .expect("regex")
});

static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|auth_?token|access_?token|token)[A-Za-z0-9_.\-]*)["']?\s*(?::=|=>|<<-|<-|=|:)\s*[rbuf]?(["'])([^"'\r\n]{1,200})(["'])"#)
        .expect("regex")
});

static CONFIG_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*(?:export\s+)?([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|token)[A-Za-z0-9_.\-]*)\s*[=:]\s*([^\s#;'"]\S*)(?:\s.*)?$"#)
        .expect("regex")
});

static SERVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|[;\s"'(,])(?:server|data source|host|hostname|addr|address)\s*=\s*(?:tcp:)?([A-Za-z0-9_.\-]+)(\\[A-Za-z0-9_$]+)?"#)
        .expect("regex")
});

static UNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[\s"'(=,\[])(\\+)([A-Za-z][A-Za-z0-9_.\-]{1,62})(\\+)([A-Za-z0-9_$.\-]+)"#)
        .expect("regex")
});

/// Key names that hold a secret's metadata, not the secret.
const KEY_NOT_SECRET: &[&str] = &[
    "hash",
    "field",
    "prompt",
    "label",
    "placeholder",
    "file",
    "path",
    "url",
    "uri",
    "name",
    "_id",
    "type",
    "len",
    "min",
    "max",
    "regex",
    "pattern",
    "env",
    "var",
    "header",
    "param",
    "policy",
    "reset",
    "confirm",
    "format",
    "example",
    "hint",
    "message",
    "msg",
    "text",
    "title",
    "error",
    "expir",
    "timeout",
    "count",
    "scope",
    "endpoint",
    "method",
    "valid",
    "required",
    "mode",
    "storage",
    "provider",
    "location",
    "dir",
    "column",
    "col",
    "input",
    "widget",
    "class",
    "style",
    "id_",
    "ttl",
    "lifetime",
    "rotation",
    "policy",
    "strength",
    "manager",
    "cache",
    "store",
    "source",
    "sink",
    "limit",
    "encoding",
    "tokenizer",
    "tokens",
];

/// True for values that stand in for a secret rather than being one.
pub(super) fn is_placeholder(value: &str, key: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 3 {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if lower == key.to_ascii_lowercase() {
        return true;
    }
    let first = v.as_bytes()[0];
    // `$VAR`, `<password>`, `@param`, `{{ var }}`, `%(pw)s`, `%PWD%`, YAML
    // tags (`!vault`) and aliases (`*default`).
    let second_alpha = v.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
    if matches!(first, b'$' | b'<' | b'@')
        || v.starts_with("{{")
        || v.starts_with("%(")
        || (first == b'%' && v.ends_with('%'))
        || (matches!(first, b'!' | b'*' | b'&') && second_alpha)
        || v == "%s"
    {
        return true;
    }
    if let Some(inner) = v.strip_prefix('{').and_then(|r| r.strip_suffix('}'))
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return true;
    }
    let mut chars = v.chars();
    let c0 = chars.next().unwrap_or(' ');
    if v.chars().all(|c| c == c0)
        || v.chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '#' | '_' | '•'))
    {
        return true;
    }
    // Constant names (`CLIENT_TRAFFIC_SECRET_0`, `GIT_STR_INIT`) and byte
    // escapes (`\x9b\xbe`) are code, not secrets.
    // Real keys (`sk_live_4f9a8b7c…`) look like identifiers too, but mix in many digits.
    let identifier = v.contains('_')
        && v.chars().filter(char::is_ascii_digit).count() <= 2
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (v.chars().all(|c| !c.is_ascii_lowercase())
            || v.chars().all(|c| !c.is_ascii_uppercase()));
    if identifier || v.contains("\\x") || v.starts_with(['[', '(']) {
        return true;
    }
    const EXACT: &[&str] = &[
        "foo",
        "bar",
        "foobar",
        "hunter2",
        "letmein",
        "opensesame",
        "qwerty",
        "123456",
        "abc123",
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "changeme",
        "change_me",
        "changeit",
        "change-me",
        "test",
        "testing",
        "none",
        "null",
        "nil",
        "undefined",
        "todo",
        "tbd",
        "fixme",
        "true",
        "false",
        "token",
        "apikey",
        "api_key",
        "required",
        "optional",
        "string",
        "str",
        "default",
        "admin",
        "redacted",
        "removed",
        "hidden",
        "masked",
        "empty",
        "unset",
        "secret_key",
        "n/a",
        "na",
    ];
    if EXACT.contains(&lower.as_str()) {
        return true;
    }
    const CONTAINS: &[&str] = &[
        "secret",
        "passw",
        "test",
        "demo",
        "your",
        "example",
        "placeholder",
        "changeme",
        "change_me",
        "replace",
        "insert",
        "xxxx",
        "dummy",
        "fake",
        "redacted",
        "****",
        "environ",
        "getenv",
        "process.env",
        "sys.getenv",
        "secrets.",
        "vault",
        "keyring",
        "my_password",
        "mypassword",
        "password_here",
        "_here",
        "sample",
        "<",
        ">",
        "{{",
        "}}",
        "${",
    ];
    CONTAINS.iter().any(|c| lower.contains(c))
}

fn key_is_metadata(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    KEY_NOT_SECRET.iter().any(|m| k.contains(m))
}

fn key_kind(key: &str) -> Kind {
    let k = key.to_ascii_lowercase();
    if k.contains("pass") || k.contains("pwd") {
        Kind::Password
    } else {
        Kind::Token
    }
}

/// Token-like values are long, contain letters and digits, and no spaces; a
/// `token = "EOF"` in a parser is not a credential.
fn looks_random(v: &str) -> bool {
    v.len() >= 16
        && !v.contains(char::is_whitespace)
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && !v.starts_with("http")
        && !v.contains('/')
}

fn plausible_password(v: &str) -> bool {
    !v.contains(char::is_whitespace)
        && !v.starts_with('/')
        && !v.starts_with('~')
        && !v.starts_with("./")
        && !v.starts_with("http")
        && !v.contains(":\\")
        && !v.contains("()")
}

fn short_key(key: &str) -> String {
    key.chars().take(40).collect()
}

/// Paths of test fixtures, examples and samples.
pub(super) fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split(['/', '\\']).peekable();
    while let Some(part) = parts.next() {
        let is_file = parts.peek().is_none();
        if !is_file
            && matches!(
                part,
                "test"
                    | "tests"
                    | "testing"
                    | "testdata"
                    | "test_data"
                    | "fixtures"
                    | "fixture"
                    | "__tests__"
                    | "spec"
                    | "specs"
                    | "mocks"
                    | "__mocks__"
                    | "examples"
                    | "example"
                    | "samples"
                    | "sample"
            )
        {
            return true;
        }
        if is_file {
            let stem = part.split('.').next().unwrap_or(part);
            return stem.starts_with("test_")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || stem.ends_with("_spec")
                || part.contains(".test.")
                || part.contains(".spec.");
        }
    }
    false
}

/// Collects detections for one file, merging repeats of the same fingerprint.
#[derive(Debug, Default)]
pub(super) struct SecretSink {
    pub detections: Vec<Detection>,
    index: std::collections::HashMap<String, usize>,
}

/// Per-file cap: a file with hundreds of secrets needs one look, not hundreds.
const MAX_SECRET_DETECTIONS: usize = 50;

impl SecretSink {
    fn push(
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
        let (strength, message) = if strength == Strength::Strong && is_test_path(path) {
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
pub(super) fn scan_line(
    path: &str,
    line: &str,
    lineno: u64,
    rest: &[u8],
    config_like: bool,
    sink: &mut SecretSink,
) {
    let mut claimed = false;

    if let Some(m) = PRIVATE_KEY.find(line) {
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

    for (re, label) in TOKENS.iter() {
        for c in re.captures_iter(line) {
            let v = c.get(1).map_or("", |m| m.as_str());
            let lower = v.to_ascii_lowercase();
            if lower.contains("example") || lower.contains("xxxxxxxx") || lower.contains("00000000")
            {
                continue;
            }
            sink.push(
                path,
                Kind::Token,
                Strength::Strong,
                lineno,
                mask_secret(Kind::Token, v),
                format!("{label} committed"),
            );
            claimed = true;
        }
    }

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

    if CONN_CONTEXT.is_match(line) {
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

    if !claimed {
        for c in ASSIGNMENT.captures_iter(line) {
            let (key, q1, v, q2) = (&c[1], &c[2], &c[3], &c[4]);
            if q1 != q2 {
                continue;
            }
            assignment(path, key, v, lineno, sink);
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

    internal_hosts(path, line, lineno, sink);
}

fn assignment(path: &str, key: &str, v: &str, lineno: u64, sink: &mut SecretSink) {
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

fn key_body_follows(after: &[u8]) -> bool {
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

/// Hosts reserved for documentation (RFC 2606) or only reachable locally:
/// credentials for them are examples or throwaway development settings.
fn is_documentation_host(host: &str) -> bool {
    let h = host.trim_end_matches('.');
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| h == *d || h.ends_with(&format!(".{d}")))
        || [".example", ".test", ".invalid", ".localhost"]
            .iter()
            .any(|s| h.ends_with(s))
        || matches!(
            h,
            "localhost" | "127.0.0.1" | "[::1]" | "0.0.0.0" | "host" | "hostname"
        )
}

const SERVICE_NAMES: &[&str] = &[
    "localhost",
    "local",
    "server",
    "servername",
    "server_name",
    "myserver",
    "myserveraddress",
    "host",
    "hostname",
    "db",
    "database",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "redis",
    "mongo",
    "mongodb",
    "mssql",
    "sqlserver",
    "sql",
    "web",
    "app",
    "api",
    "true",
    "false",
    "none",
    "null",
    "example",
    "your_server",
    "yourserver",
    "dbserver",
    "db_host",
    "minio",
    "rabbitmq",
    "elasticsearch",
    "selenium",
    "backend",
    "frontend",
    "worker",
    "test",
];

/// Hostnames that only resolve inside an organisation: private IPv4,
/// internal suffixes, bare (dot-less) names and SQL Server named instances.
fn is_internal_host(host: &str, instance: bool) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h.len() < 3 || SERVICE_NAMES.contains(&h.as_str()) || is_placeholder(&h, "host") {
        return false;
    }
    let octets: Vec<u8> = h.split('.').filter_map(|p| p.parse().ok()).collect();
    if octets.len() == 4 && h.split('.').count() == 4 {
        return octets[0] == 10
            || (octets[0] == 192 && octets[1] == 168)
            || (octets[0] == 172 && (16..=31).contains(&octets[1]));
    }
    const SUFFIXES: &[&str] = &[
        ".local",
        ".internal",
        ".lan",
        ".corp",
        ".intranet",
        ".intra",
        ".private",
        ".localdomain",
        ".ad",
        ".domain",
        ".int",
        ".home.arpa",
    ];
    if SUFFIXES.iter().any(|s| h.ends_with(s)) {
        return true;
    }
    if h.contains('.') {
        return false;
    }
    // A bare name with digits or a named instance looks like a real server
    // (SQLPROD01, NHSDW\INST); a bare word is too often a variable.
    instance
        || (h.len() >= 5
            && h.chars().any(|c| c.is_ascii_digit())
            && h.chars().any(|c| c.is_ascii_alphabetic()))
}

fn internal_hosts(path: &str, line: &str, lineno: u64, sink: &mut SecretSink) {
    for c in SERVER.captures_iter(line) {
        let host = &c[1];
        let instance = c.get(2).is_some();
        if !is_internal_host(host, instance) {
            continue;
        }
        sink.push(
            path,
            Kind::InternalHost,
            Strength::Weak,
            lineno,
            format!("Server={}", mask_secret(Kind::InternalHost, host)),
            "Internal server name in a connection setting".to_string(),
        );
    }
    for c in UNC.captures_iter(line) {
        // `\\\\server\\share` in a string literal or `\\server\share` as
        // written; `"\\Device\\Afd"` is an escaped single backslash.
        let (lead, host, sep) = (c[1].len(), &c[2], c[3].len());
        if !matches!((lead, sep), (2, 1) | (4, 2)) {
            continue;
        }
        let lower = host.to_ascii_lowercase();
        // `\\xff\xef`, `\\U2603\n`: escapes, not a host and a share.
        let escape = matches!(lower.as_bytes()[0], b'x' | b'u')
            && lower[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if SERVICE_NAMES.contains(&lower.as_str())
            || lower == "wsl$"
            || is_placeholder(host, "server")
            || host.len() < 3
            || c[4].len() < 2
            || escape
        {
            continue;
        }
        sink.push(
            path,
            Kind::InternalHost,
            Strength::Weak,
            lineno,
            format!("\\\\{}\\…", mask_secret(Kind::InternalHost, host)),
            "Network share path names an internal server".to_string(),
        );
    }
}

/// `.env` and `.env.*`, except the committed templates.
pub(super) fn is_env_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if name == ".env" {
        return true;
    }
    match name.strip_prefix(".env.") {
        Some(suffix) => !matches!(
            suffix.to_ascii_lowercase().as_str(),
            "example"
                | "sample"
                | "template"
                | "dist"
                | "defaults"
                | "default"
                | "tpl"
                | "tmpl"
                | "in"
        ),
        None => false,
    }
}

/// A committed `.env` is a finding in itself; strong when it sets at least one
/// real value. Variable names are listed (they are not secret); values never.
pub(super) fn env_file_detection(path: &str, text: &str) -> Detection {
    let mut names: Vec<String> = Vec::new();
    let mut real = 0usize;
    let mut first_line = None;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let k = k.trim();
        let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
        if k.is_empty() || k.contains(char::is_whitespace) {
            continue;
        }
        if names.len() < 200 {
            names.push(short_key(k));
        }
        // Short values (`DEBUG=1`) are real settings, not placeholders.
        if !v.is_empty() && (v.chars().count() < 3 || !is_placeholder(v, k)) {
            real += 1;
            first_line.get_or_insert(i as u64 + 1);
        }
    }
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    let list = if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    };
    Detection {
        kind: Kind::EnvFile,
        strength: if real > 0 {
            Strength::Strong
        } else {
            Strength::Weak
        },
        path: path.to_string(),
        line: first_line.or(Some(1)),
        column: None,
        count: real,
        excerpt: format!(
            ".env file setting {}",
            if list.is_empty() {
                "nothing".to_string()
            } else {
                list
            }
        ),
        message: format!(
            "Environment file committed with {real} non-placeholder values; commit a .env.example instead"
        ),
        fingerprint_basis: format!("{}|{}", Kind::EnvFile.as_str(), path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(line: &str, config: bool) -> Vec<Detection> {
        let mut sink = SecretSink::default();
        scan_line("f", line, 1, b"", config, &mut sink);
        sink.detections
    }

    fn kinds(line: &str, config: bool) -> Vec<Kind> {
        scan(line, config).iter().map(|d| d.kind).collect()
    }

    #[test]
    fn connection_strings() {
        let l = r#"conn = "Driver={ODBC Driver 17 for SQL Server};Server=tcp:db.example.com;Database=x;Uid=u;Pwd=S3cretPass!;""#;
        assert_eq!(kinds(l, false), vec![Kind::ConnectionString]);
        let l = r#"conn = "Server=myServerAddress;Database=x;User Id=u;Password=<password>;""#;
        assert!(kinds(l, false).is_empty());
        let l = r#"conn = f"Server=sql01.corp;Database=x;Password={password};""#;
        assert_eq!(kinds(l, false), vec![Kind::InternalHost]);
        let l = r#"Server=SQLPROD01\LIVE;Trusted_Connection=yes;"#;
        assert_eq!(kinds(l, false), vec![Kind::InternalHost]);
        let l = "jdbc:sqlserver://host:1433;databaseName=x;user=u;password=Tr0ub4dor3;";
        assert_eq!(kinds(l, false), vec![Kind::ConnectionString]);
    }

    #[test]
    fn urls_and_tokens() {
        assert_eq!(
            kinds("DATABASE_URL = 'postgres://app:s3cr3tpw@db.host/x'", false),
            vec![Kind::UrlCredentials]
        );
        assert!(kinds("postgres://user:password@localhost/db", false).is_empty());
        assert!(kinds("postgres://user:${PGPASSWORD}@localhost/db", false).is_empty());
        assert_eq!(
            kinds("key = AKIAABCDEFGHIJKLMNOP", false),
            vec![Kind::Token]
        );
        assert!(kinds("key = AKIAIOSFODNN7EXAMPLE", false).is_empty());
        assert_eq!(
            kinds("t = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'", false),
            vec![Kind::Token]
        );
        assert_eq!(
            kinds("SLACK=xoxb-1234567890-abcdefghij", false),
            vec![Kind::Token]
        );
    }

    #[test]
    fn passwords() {
        assert_eq!(
            kinds(r#"password = "hunter2!x""#, false),
            vec![Kind::Password]
        );
        assert_eq!(
            kinds(r#"db_pwd <- 'Tr0ub4dor&3'"#, false),
            vec![Kind::Password]
        );
        assert_eq!(
            kinds(r#"{"password": "Tr0ub4dor3"}"#, false),
            vec![Kind::Password]
        );
        for l in [
            r#"password = "changeme""#,
            r#"password = "<password>""#,
            r#"password = "${DB_PASSWORD}""#,
            r#"password = os.environ["DB_PASSWORD"]"#,
            r#"password = "xxx""#,
            r#"password = "***""#,
            r#"password_prompt = "Enter your password:""#,
            r#"if password == "abc123""#,
            r#"token = "EOF""#,
            r#"pwd = "/home/user/project""#,
        ] {
            assert!(kinds(l, false).is_empty(), "{l}");
        }
        assert_eq!(kinds("DB_PASSWORD=Tr0ub4dor3", true), vec![Kind::Password]);
        assert!(kinds("DB_PASSWORD=${SECRET}", true).is_empty());
        assert!(kinds("DB_PASSWORD=Tr0ub4dor3", false).is_empty());
    }

    #[test]
    fn private_keys_and_unc() {
        let mut sink = SecretSink::default();
        scan_line(
            "k",
            "-----BEGIN RSA PRIVATE KEY-----",
            1,
            b"\nMIIEowIBAAKCAQEAx1y2z3abcdefgh\n",
            false,
            &mut sink,
        );
        assert_eq!(sink.detections.len(), 1);
        let mut sink = SecretSink::default();
        scan_line(
            "k",
            "-----BEGIN PRIVATE KEY-----",
            1,
            b"\n...\n-----END",
            false,
            &mut sink,
        );
        assert!(sink.detections.is_empty());
        assert_eq!(
            kinds(r#"path <- "\\\\nhsfs01\\analytics\\data.csv""#, false),
            vec![Kind::InternalHost]
        );
        assert_eq!(
            kinds(r"copy \\fileserver02\share\x", false),
            vec![Kind::InternalHost]
        );
        assert!(kinds(r#"print("a\\nb")"#, false).is_empty());
    }

    #[test]
    fn code_that_only_looks_like_secrets() {
        for l in [
            r#"let msg = format!("Failed to open \\Device\\Afd\\Mio");"#,
            r#"filters.add("\\bhello\\b", "[NAME]");"#,
            r#"    password = GIT_STR_INIT, host = GIT_STR_INIT,"#,
            r#"ClientApplicationTrafficSecret = "CLIENT_TRAFFIC_SECRET_0""#,
            r#"let secret = b"\x9b\xbe\x43\x6b\xa9\x40\xf0\x17";"#,
            r#"json!({"password": "secret123"}),"#,
            r#"/// .all("https://Aladdin:opensesame@localhost:8887")"#,
            r#"u = "ftp://rms:s3cr3tpass@ftp.example.com/""#,
            r#"",host=x64""#,
            r#""1.2.840.113554.4.1.72585.2 = \\U2603\n""#,
            r#"b"\"\\xff\xef\xbf\xbd\\xff\"".as_bstr(),"#,
        ] {
            assert!(kinds(l, false).is_empty(), "{l}");
        }
        assert_eq!(
            kinds(
                r#"Win32_System_PasswordManagement = ["Win32_System"]"#,
                true
            ),
            vec![]
        );
    }

    #[test]
    fn test_paths_downgrade_to_weak() {
        let mut sink = SecretSink::default();
        scan_line(
            "tests/fixtures/conf.py",
            r#"password = "Tr0ub4dor3""#,
            1,
            b"",
            false,
            &mut sink,
        );
        assert_eq!(sink.detections[0].strength, Strength::Weak);
        assert!(is_test_path("src/db_test.go"));
        assert!(is_test_path("app/__tests__/x.js"));
        assert!(!is_test_path("src/contest/app.py"));
        assert!(!is_test_path("src/latest.py"));
    }

    #[test]
    fn env_files() {
        assert!(is_env_file(".env"));
        assert!(is_env_file("app/.env.production"));
        assert!(!is_env_file(".env.example"));
        assert!(!is_env_file("env.py"));
        let d = env_file_detection(".env", "A=1\n# c\nB=${X}\n");
        assert_eq!((d.strength, d.count), (Strength::Strong, 1));
        let d = env_file_detection(".env", "A=\nB=<changeme>\n");
        assert_eq!(d.strength, Strength::Weak);
        let d = env_file_detection(".env", "API_KEY=sk_live_4f9a8b7c6d5e4f3a2b1c\n");
        assert_eq!(
            d.strength,
            Strength::Strong,
            "a key with many digits is a value"
        );
    }
}
