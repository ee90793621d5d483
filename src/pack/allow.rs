//! `[[allow]]` entries: one schema and one validation for every file that can hold them (a
//! rule pack, a `--config` file, a repository's `.openly.toml` and an organisation's
//! `--allow-list`). Each entry needs a reason, names what it allows (a rule, a path glob or a
//! fingerprint), may narrow itself to repositories (`repo`, a glob) and may expire (`expires`,
//! a TOML date). Problems are reported with file:line:col like every other pack problem.

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::DeValue;

use super::diag::{Collector, line_col_of};
use super::load::{compile_globs, deserialize};
use super::raw::RawAllow;
use super::{Allowance, Globs, Origin};

/// Validates the `allow` array of one file and appends its entries.
pub(super) fn apply(out: &mut Collector, value: &Spanned<DeValue>, allow: &mut Vec<Allowance>) {
    let Some(items) = value.get_ref().as_array() else {
        out.at(
            Some(value.span()),
            "`allow` must be an array of tables ([[allow]])",
        );
        return;
    };
    for item in items.iter() {
        let Some(raw) = deserialize::<RawAllow>(out, item) else {
            continue;
        };
        if let Some(entry) = validate(out, raw, item.span()) {
            allow.push(entry);
        }
    }
}

fn validate(out: &mut Collector, raw: RawAllow, span: std::ops::Range<usize>) -> Option<Allowance> {
    let before = out.found.len();
    let reason = raw.reason.as_ref().map(|r| r.get_ref().trim().to_string());
    if reason.as_deref().is_none_or(str::is_empty) {
        out.at(Some(span.clone()), "an allow entry needs a `reason`");
    }
    if raw.rule.is_none() && raw.path.is_none() && raw.fingerprint.is_none() {
        // `repo` alone would waive every failure of a repository: not an exception but a
        // different policy, which belongs in a pack.
        out.at(
            Some(span.clone()),
            "an allow entry needs `rule`, `path` or `fingerprint`",
        );
    }
    if let Some(rule) = &raw.rule
        && !super::is_valid_rule_id(rule.get_ref())
    {
        out.at(
            Some(rule.span()),
            format!(
                "`{}` is not a rule id (`category/kebab-name`, as `openly rules` lists them)",
                rule.get_ref()
            ),
        );
    }
    if let Some(fingerprint) = &raw.fingerprint
        && !is_fingerprint(fingerprint.get_ref())
    {
        out.at(
            Some(fingerprint.span()),
            "a fingerprint is 16 lowercase hexadecimal characters, as in the JSON report",
        );
    }
    let path = raw.path.as_ref().and_then(|pattern| glob(out, pattern));
    let repo = raw.repo.as_ref().and_then(|pattern| glob(out, pattern));
    let expires = raw
        .expires
        .as_ref()
        .and_then(|value| parse_expiry(out, value));
    if out.found.len() != before {
        return None;
    }
    let (line, column) = line_col_of(out, span.start);
    Some(Allowance {
        rule: raw.rule.map(Spanned::into_inner),
        path,
        fingerprint: raw.fingerprint.map(Spanned::into_inner),
        repo,
        reason: reason.unwrap_or_default(),
        expires,
        origin: Origin {
            file: out.file().to_string(),
            line,
            column,
        },
    })
}

fn glob(out: &mut Collector, pattern: &Spanned<String>) -> Option<Globs> {
    compile_globs(out, pattern.span(), std::slice::from_ref(pattern.get_ref()))
}

fn is_fingerprint(text: &str) -> bool {
    text.len() == 16
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// `expires` is a TOML local date. A quoted date or a date-time is refused with the fix, so a
/// typo never turns into an entry that silently lasts for ever.
fn parse_expiry(out: &mut Collector, value: &Spanned<toml::Value>) -> Option<NaiveDate> {
    let problem = match value.get_ref() {
        toml::Value::Datetime(datetime) => match (datetime.date, datetime.time) {
            (Some(date), None) => {
                match NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                ) {
                    Some(parsed) => return Some(parsed),
                    None => format!("`{datetime}` is not a calendar date"),
                }
            }
            _ => {
                format!("`expires` is a date without a time, such as 2025-06-30, not `{datetime}`")
            }
        },
        toml::Value::String(text) => format!(
            "`expires` is a TOML date without quotes: expires = {}",
            text.trim()
        ),
        other => format!(
            "`expires` must be a TOML date such as 2025-06-30 (found {})",
            other.type_str()
        ),
    };
    out.at(Some(value.span()), problem);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Allowance>, Vec<String>> {
        let mut out = Collector::new("allow.toml", text);
        let (document, errors) = toml::de::DeTable::parse_recoverable(text);
        assert!(errors.is_empty(), "{errors:?}");
        let document = document.into_inner();
        let mut allow = Vec::new();
        if let Some(value) = document.get("allow") {
            apply(&mut out, value, &mut allow);
        }
        if out.found.is_empty() {
            Ok(allow)
        } else {
            Err(out
                .found
                .iter()
                .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
                .collect())
        }
    }

    #[test]
    fn a_full_entry_keeps_its_date_globs_and_place() {
        let allow = parse(
            "# org-wide\n[[allow]]\nrule = \"data/postcode\"\nrepo = \"nhsx/*\"\nreason = \"Office addresses\"\nexpires = 2025-06-30\n",
        )
        .unwrap();
        let [entry] = allow.as_slice() else {
            panic!("{allow:?}")
        };
        assert_eq!(entry.expires, NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!((entry.origin.line, entry.origin.column), (2, 1));
        assert!(entry.repo.as_ref().unwrap().is_match("NHSX/covid-app"));
        assert_eq!(entry.reason, "Office addresses");
    }

    #[test]
    fn bad_entries_are_located_and_all_reported() {
        let problems = parse(concat!(
            "[[allow]]\n",
            "rule = \"data/postcode\"\n",
            "reason = \"r\"\n",
            "expires = \"2025-06-30\"\n",
            "[[allow]]\n",
            "rule = \"Data_Postcode\"\n",
            "reason = \"r\"\n",
            "expires = 12\n",
            "[[allow]]\n",
            "repo = \"a/*\"\n",
            "reason = \"r\"\n",
            "[[allow]]\n",
            "fingerprint = \"XYZ\"\n",
            "expires = 2025-06-30T10:00:00\n",
        ))
        .unwrap_err();
        let expected = [
            "4:11: `expires` is a TOML date without quotes: expires = 2025-06-30",
            "6:8: `Data_Postcode` is not a rule id",
            "8:11: `expires` must be a TOML date such as 2025-06-30 (found integer)",
            "9:1: an allow entry needs `rule`, `path` or `fingerprint`",
            "12:1: an allow entry needs a `reason`",
            "13:15: a fingerprint is 16 lowercase hexadecimal characters",
            "14:11: `expires` is a date without a time",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (problem, want) in problems.iter().zip(expected) {
            assert!(problem.starts_with(want), "{problem} should start {want}");
        }
    }
}
