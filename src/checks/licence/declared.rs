//! Licences declared in package metadata and SPDX headers.
//!
//! These are explicit declarations (an SPDX id or a conventional name in a manifest), so they
//! are parsed, not matched: a valid SPDX expression is kept as written, other values go through
//! the phrase table, and a value that names no licence is reported as `NOASSERTION` with the
//! value as excerpt so a reviewer can see it. Malformed manifests yield nothing.

use std::sync::LazyLock;

use regex::Regex;

use super::current::current_expression;
use super::phrases::{lookup, value_to_spdx};
use crate::model::facts::licence::{DeclaredIn, LicenceFact, NOASSERTION, Scope};

fn fact(path: &str, line: Option<usize>, value: &str, declared_in: DeclaredIn) -> LicenceFact {
    let (spdx, confidence) = value_to_spdx(value).unwrap_or_else(|| (NOASSERTION.to_owned(), 0.0));
    LicenceFact {
        spdx,
        path: path.to_owned(),
        line,
        confidence,
        scope: Scope::Code,
        declared_in,
        closest: None,
        excerpt: Some(value.trim().chars().take(160).collect()),
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// Trove classifiers that are licences ("License :: OSI Approved :: MIT License").
fn classifier_facts(
    path: &str,
    text: &str,
    classifiers: &[&str],
    d: DeclaredIn,
) -> Vec<LicenceFact> {
    classifiers
        .iter()
        .filter_map(|c| c.trim().strip_prefix("License ::"))
        .filter(|rest| !rest.trim().eq_ignore_ascii_case("OSI Approved"))
        .map(|rest| {
            let value = rest.rsplit("::").next().unwrap_or(rest).trim();
            let mut f = fact(path, line_of(text, rest.trim()), value, d);
            f.excerpt = Some(format!("License ::{rest}"));
            f
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// R DESCRIPTION

/// R `DESCRIPTION` `License:` field: `MIT + file LICENSE`, `GPL-3`, `GPL (>= 2)`,
/// `GPL-2 | GPL-3`, `Apache License (== 2.0)`, `CC BY 4.0`.
pub fn from_description(path: &str, text: &str) -> Vec<LicenceFact> {
    let mut value = String::new();
    let mut line = None;
    let mut in_field = false;
    for (i, l) in text.lines().enumerate() {
        if in_field {
            if l.starts_with([' ', '\t']) {
                value.push(' ');
                value.push_str(l.trim());
                continue;
            }
            break;
        }
        if let Some(rest) = l.strip_prefix("License:") {
            value = rest.trim().to_owned();
            line = Some(i + 1);
            in_field = true;
        }
    }
    if line.is_none() || value.is_empty() {
        return Vec::new();
    }
    let expr = r_licence_to_spdx(&value);
    let mut f = fact(path, line, &value, DeclaredIn::Description);
    match expr {
        Some((spdx, conf)) => {
            f.spdx = spdx;
            f.confidence = conf;
        }
        None => {
            f.spdx = NOASSERTION.to_owned();
            f.confidence = 0.0;
        }
    }
    f.excerpt = Some(format!("License: {value}"));
    vec![f]
}

/// Translate R's licence syntax (CRAN's license database) to an SPDX expression.
fn r_licence_to_spdx(value: &str) -> Option<(String, f32)> {
    static R_GNU: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<kind>A|L)?GPL(?:\s*-\s*(?P<v>\d(?:\.\d)?)|\s*\(\s*>=\s*(?P<later>\d(?:\.\d)?)\s*\))?$")
            .expect("regex")
    });
    static APACHE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^apache\s+licen[cs]e(?:\s*\(\s*(?:==|>=)?\s*2(?:\.0)?\s*\)|\s+2(?:\.0)?)?$",
        )
        .expect("regex")
    });
    let mut parts = Vec::new();
    let mut conf: f32 = 1.0;
    for alt in value.split('|') {
        // "+ file LICENSE" adds the copyright holder (MIT, BSD) or extra terms: the licence
        // named before it is still the licence.
        let alt = alt.split('+').next().unwrap_or(alt).trim();
        let alt = alt.trim_end_matches(|c: char| c == ',' || c.is_whitespace());
        if alt.is_empty()
            || alt.eq_ignore_ascii_case("file LICENSE")
            || alt.eq_ignore_ascii_case("file LICENCE")
        {
            continue;
        }
        let id = if let Some(c) = R_GNU.captures(alt) {
            let prefix = match c.name("kind").map(|m| m.as_str()) {
                Some("A") => "AGPL",
                Some("L") => "LGPL",
                _ => "GPL",
            };
            let (v, later) = match (c.name("v"), c.name("later")) {
                (Some(v), _) => (v.as_str(), false),
                (None, Some(v)) => (v.as_str(), true),
                // Bare "GPL" in R means any version.
                (None, None) => ("2", true),
            };
            let v = if v.contains('.') {
                v.to_owned()
            } else {
                format!("{v}.0")
            };
            Some(format!(
                "{prefix}-{v}-{}",
                if later { "or-later" } else { "only" }
            ))
        } else if APACHE.is_match(alt) {
            Some("Apache-2.0".to_owned())
        } else if alt.eq_ignore_ascii_case("BSD_3_clause") {
            Some("BSD-3-Clause".to_owned())
        } else if alt.eq_ignore_ascii_case("BSD_2_clause") {
            Some("BSD-2-Clause".to_owned())
        } else if alt.eq_ignore_ascii_case("CC0") {
            Some("CC0-1.0".to_owned())
        } else if let Some(id) = lookup(alt) {
            Some(id)
        } else {
            value_to_spdx(alt).map(|(id, c)| {
                conf = conf.min(c);
                id
            })
        };
        match id {
            Some(id) if !parts.contains(&id) => parts.push(id),
            Some(_) => {}
            None => return None,
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some((parts.join(" OR "), conf))
}

// ---------------------------------------------------------------------------------------------
// Python

/// `pyproject.toml`: `[project] license` (an SPDX string, `{text = …}` or `{file = …}`), licence
/// classifiers, and `[tool.poetry] license`.
pub fn from_pyproject(path: &str, text: &str) -> Vec<LicenceFact> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        log::debug!("{path}: not valid TOML");
        return Vec::new();
    };
    let mut out = Vec::new();
    let d = DeclaredIn::Pyproject;
    let project = doc.get("project").and_then(|p| p.as_table());
    if let Some(project) = project {
        match project.get("license") {
            Some(toml::Value::String(s)) => out.push(fact(path, line_of(text, "license"), s, d)),
            Some(toml::Value::Table(t)) => {
                if let Some(s) = t.get("text").and_then(|v| v.as_str()) {
                    out.extend(text_value(path, text, s, d));
                }
                // `{file = "LICENSE"}` points at a licence file, which is identified itself.
            }
            _ => {}
        }
        if let Some(list) = project.get("classifiers").and_then(|c| c.as_array()) {
            let list: Vec<&str> = list.iter().filter_map(|v| v.as_str()).collect();
            out.extend(classifier_facts(path, text, &list, d));
        }
    }
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    if let Some(poetry) = poetry {
        if let Some(s) = poetry.get("license").and_then(|v| v.as_str()) {
            out.push(fact(path, line_of(text, "license"), s, d));
        }
        if let Some(list) = poetry.get("classifiers").and_then(|c| c.as_array()) {
            let list: Vec<&str> = list.iter().filter_map(|v| v.as_str()).collect();
            out.extend(classifier_facts(path, text, &list, d));
        }
    }
    dedup(out)
}

/// A `license = {text = …}` value: usually a name, sometimes a whole licence text.
fn text_value(path: &str, text: &str, value: &str, d: DeclaredIn) -> Vec<LicenceFact> {
    if value.split_whitespace().count() > 40 {
        let mut facts = super::identify::identify_file(path, value);
        for f in &mut facts {
            f.declared_in = d;
            f.scope = Scope::Code;
            f.line = line_of(text, "license");
        }
        return facts;
    }
    vec![fact(path, line_of(text, "license"), value, d)]
}

fn dedup(facts: Vec<LicenceFact>) -> Vec<LicenceFact> {
    let mut out: Vec<LicenceFact> = Vec::new();
    for f in facts {
        if !out.iter().any(|o| o.spdx == f.spdx) {
            out.push(f);
        }
    }
    out
}

/// `setup.cfg` (`[metadata] license`, `license_expression`, `classifiers`) or `setup.py`
/// (`license="…"` and classifier strings), told apart by the file name.
pub fn from_setup(path: &str, text: &str) -> Vec<LicenceFact> {
    let d = DeclaredIn::Setup;
    let mut out = Vec::new();
    if path.ends_with(".py") {
        static LICENSE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"\blicen[cs]e(?:_expression)?\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)')"#)
                .expect("regex")
        });
        static CLASSIFIER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"["'](License ::[^"'\n]+)["']"#).expect("regex"));
        for c in LICENSE.captures_iter(text) {
            let v = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
            if !v.trim().is_empty() {
                out.push(fact(path, line_of(text, v), v, d));
            }
        }
        let list: Vec<&str> = CLASSIFIER
            .captures_iter(text)
            .filter_map(|c| c.get(1).map(|m| m.as_str()))
            .collect();
        out.extend(classifier_facts(path, text, &list, d));
        return dedup(out);
    }

    // setup.cfg is INI: keys under [metadata], values may continue on indented lines.
    let mut section = String::new();
    let mut key: Option<String> = None;
    let mut values: Vec<(String, usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].trim().to_ascii_lowercase();
            key = None;
            continue;
        }
        if section != "metadata" || t.is_empty() || t.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(k) = &key {
                values.push((k.clone(), i + 1, t.to_owned()));
            }
            continue;
        }
        if let Some((k, v)) = t.split_once(['=', ':']) {
            let k = k.trim().to_ascii_lowercase();
            key = Some(k.clone());
            if !v.trim().is_empty() {
                values.push((k, i + 1, v.trim().to_owned()));
            }
        }
    }
    let mut classifiers = Vec::new();
    for (k, line, v) in &values {
        match k.as_str() {
            "license" | "license_expression" => out.push(fact(path, Some(*line), v, d)),
            "classifiers" => classifiers.push(v.as_str()),
            _ => {}
        }
    }
    out.extend(classifier_facts(path, text, &classifiers, d));
    dedup(out)
}

// ---------------------------------------------------------------------------------------------
// JavaScript and Rust

/// `package.json` `license` (an SPDX expression), `UNLICENSED` (proprietary, reported as
/// `NONE`), `SEE LICENSE IN <file>` (left to the file), and the legacy `license: {type}` and
/// `licenses: [{type}]` forms.
pub fn from_package_json(path: &str, text: &str) -> Vec<LicenceFact> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        log::debug!("{path}: not valid JSON");
        return Vec::new();
    };
    let d = DeclaredIn::PackageJson;
    let mut values: Vec<&str> = Vec::new();
    match doc.get("license") {
        Some(serde_json::Value::String(s)) => values.push(s),
        Some(serde_json::Value::Object(o)) => values.extend(o.get("type").and_then(|t| t.as_str())),
        _ => {}
    }
    if let Some(list) = doc.get("licenses").and_then(|l| l.as_array()) {
        for l in list {
            values.extend(l.get("type").and_then(|t| t.as_str()).or(l.as_str()));
        }
    }
    let mut out = Vec::new();
    for v in values {
        let line = line_of(text, "\"license");
        if v.trim().eq_ignore_ascii_case("UNLICENSED") {
            let mut f = fact(path, line, v, d);
            f.spdx = "NONE".to_owned();
            f.confidence = 1.0;
            out.push(f);
        } else if v.trim().to_ascii_uppercase().starts_with("SEE LICEN") {
            continue;
        } else {
            out.push(fact(path, line, v, d));
        }
    }
    dedup(out)
}

/// `Cargo.toml` `[package] license` (an SPDX expression; the old `MIT/Apache-2.0` form is
/// accepted) or `[workspace.package] license`. `license-file` is left to the file itself.
pub fn from_cargo_toml(path: &str, text: &str) -> Vec<LicenceFact> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        log::debug!("{path}: not valid TOML");
        return Vec::new();
    };
    let package = doc.get("package").and_then(|p| p.get("license"));
    let workspace = doc
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("license"));
    package
        .or(workspace)
        .and_then(|v| v.as_str())
        .map(|s| fact(path, line_of(text, "license"), s, DeclaredIn::Cargo))
        .into_iter()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// SPDX headers

/// How far into a source file a header is looked for; the REUSE convention puts it at the top.
const HEADER_LINES: usize = 20;

/// `SPDX-License-Identifier: <expression>` in the first lines of a source file.
pub fn from_spdx_headers(path: &str, text: &str) -> Vec<LicenceFact> {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"SPDX-License-Identifier:\s*(.+?)\s*(?:\*/|-->|#\}|\*\)|$)").expect("regex")
    });
    let mut out = Vec::new();
    for (i, line) in text.lines().take(HEADER_LINES).enumerate() {
        let Some(c) = RX.captures(line) else { continue };
        let expr = c[1].trim().trim_end_matches(['"', '\'', ',', ';']).trim();
        let current = header_expression(expr);
        let valid = current.is_some();
        out.push(LicenceFact {
            spdx: current.unwrap_or_else(|| NOASSERTION.to_owned()),
            path: path.to_owned(),
            line: Some(i + 1),
            confidence: if valid { 1.0 } else { 0.0 },
            scope: Scope::Code,
            declared_in: DeclaredIn::SpdxHeader,
            closest: None,
            excerpt: Some(line.trim().chars().take(160).collect()),
        });
    }
    out
}

/// A header's expression in current SPDX form: deprecated ids replaced (`GPL-2.0+` →
/// `GPL-2.0-or-later`), and the lax forms the `spdx` crate accepts (`Apache-2.0/MIT`,
/// `apache2`) canonicalised. `None` when it is no SPDX expression at all.
fn header_expression(expr: &str) -> Option<String> {
    let current = current_expression(expr);
    if spdx::Expression::parse(&current).is_ok() {
        return Some(current);
    }
    spdx::Expression::parse_mode(&current, spdx::ParseMode::LAX).ok()?;
    match spdx::Expression::canonicalize(&current) {
        Ok(Some(canonical)) if spdx::Expression::parse(&canonical).is_ok() => Some(canonical),
        _ => Some(current),
    }
}
