//! The regular expressions behind the credential detectors, compiled once.

use std::sync::LazyLock;

use regex::Regex;

pub(super) static PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----").expect("regex")
});

pub(super) static TOKENS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
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

pub(super) static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)([a-z][a-z0-9+.\-]{1,20})://([^\s:@/'"<>{}]{1,100}):([^\s@/'"<>]{1,200})@([A-Za-z0-9.\-_\[\]]{1,253})"#)
        .expect("regex")
});

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

pub(super) static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|auth_?token|access_?token|token)[A-Za-z0-9_.\-]*)["']?\s*(?::=|=>|<<-|<-|=|:)\s*[rbuf]?(["'])([^"'\r\n]{1,200})(["'])"#)
        .expect("regex")
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
