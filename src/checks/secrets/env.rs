//! Committed `.env` files: settings files that usually hold credentials. Templates with empty
//! or placeholder values are weak.

use super::values::{is_placeholder, short_key};
use crate::checks::detection::{Detection, Kind, Strength};

/// `.env` and `.env.*`, except the committed templates.
pub fn is_env_file(path: &str) -> bool {
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
pub fn env_file_detection(path: &str, text: &str) -> Detection {
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
