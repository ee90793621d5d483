//! Internal server names in connection strings and UNC paths: infrastructure a public
//! repository should not map out. Documentation hosts and local ones are not internal.

use super::line::SecretSink;
use super::patterns::*;
use super::values::is_placeholder;
use crate::checks::detection::{Kind, Strength, mask_secret};

/// Hosts reserved for documentation (RFC 2606) or only reachable locally:
/// credentials for them are examples or throwaway development settings.
pub(super) fn is_documentation_host(host: &str) -> bool {
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

pub(super) const SERVICE_NAMES: &[&str] = &[
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
pub(super) fn is_internal_host(host: &str, instance: bool) -> bool {
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

/// `host_like`: the line names a server setting (`SERVER` needs one of its words).
pub(super) fn internal_hosts(
    path: &str,
    line: &str,
    lineno: u64,
    host_like: bool,
    sink: &mut SecretSink,
) {
    let mut internal = |excerpt: String, message: &str| {
        sink.push(
            path,
            Kind::InternalHost,
            Strength::Weak,
            lineno,
            excerpt,
            message.to_string(),
        );
    };
    if host_like {
        for c in SERVER.captures_iter(line) {
            let host = &c[1];
            let instance = c.get(2).is_some();
            if !is_internal_host(host, instance) {
                continue;
            }
            internal(
                format!("Server={}", mask_secret(Kind::InternalHost, host)),
                "Internal server name in a connection setting",
            );
        }
    }
    if line.contains('\\') {
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
            internal(
                format!("\\\\{}\\…", mask_secret(Kind::InternalHost, host)),
                "Network share path names an internal server",
            );
        }
    }
}
