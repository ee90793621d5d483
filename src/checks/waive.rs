//! Applying `[[allow]]` entries to failed findings. An entry in force turns a failure into
//! `waived` and the report keeps it visible with its reason and expiry; an entry whose
//! `expires` date has come leaves the failure standing and says so on the finding, so an
//! exception accepted last year is looked at again instead of lasting for ever. "Today" is a
//! parameter, so the outcome is the same on every machine and in every test.

use chrono::NaiveDate;

use crate::model::{AllowedBy, Finding, Outcome};
use crate::pack::Allowance;

/// What an allow entry is judged against besides the finding: which repository, and when.
#[derive(Debug, Clone, Copy)]
pub struct AllowScope<'a> {
    /// The repository's report name (`owner/name` for GitHub, the folder name otherwise).
    pub repo: &'a str,
    /// The audit's date, in UTC.
    pub today: NaiveDate,
}

/// Waives `finding` if a matching entry is in force; otherwise, if only expired entries match,
/// records the latest of them and says in the message that it expired and when.
pub fn apply(allow: &[Allowance], scope: AllowScope, finding: &mut Finding) {
    if finding.outcome != Outcome::Fail {
        return;
    }
    let matching: Vec<&Allowance> = allow
        .iter()
        .filter(|a| matches(a, scope.repo, finding))
        .collect();
    let in_force = matching
        .iter()
        .find(|a| a.expires.is_none_or(|day| scope.today < day));
    if let Some(allowance) = in_force {
        finding.outcome = Outcome::Waived;
        finding.waiver = Some(allowance.reason.clone());
        finding.allowed_by = Some(allowed_by(allowance, false));
        return;
    }
    let Some(expired) = matching.iter().max_by_key(|a| a.expires) else {
        return;
    };
    let record = allowed_by(expired, true);
    finding.message = format!(
        "{} (allowed until {} by {}, which has expired: {})",
        finding.message.trim_end_matches('.'),
        record.expires.as_deref().unwrap_or("?"),
        record.source,
        record.reason
    );
    finding.allowed_by = Some(record);
}

fn allowed_by(allowance: &Allowance, expired: bool) -> AllowedBy {
    AllowedBy {
        reason: allowance.reason.clone(),
        expires: allowance.expires.map(|d| d.format("%Y-%m-%d").to_string()),
        expired,
        source: format!("{}:{}", allowance.origin.file, allowance.origin.line),
    }
}

fn matches(allowance: &Allowance, repo: &str, finding: &Finding) -> bool {
    let repo_ok = allowance.repo.as_ref().is_none_or(|globs| {
        let last = repo.rsplit('/').next().unwrap_or(repo);
        globs.is_match(repo) || globs.is_match(last)
    });
    let rule_ok = allowance.rule.as_ref().is_none_or(|r| r == &finding.rule);
    // A fingerprint names the finding, or a location when the finding has only that one.
    let fingerprint_ok = allowance.fingerprint.as_ref().is_none_or(|f| {
        f == &finding.fingerprint
            || matches!(finding.evidence.as_slice(), [only] if &only.fingerprint == f)
    });
    let path_ok = allowance.path.as_ref().is_none_or(|globs| {
        let paths: Vec<&str> = finding
            .evidence
            .iter()
            .filter_map(|e| e.path.as_deref())
            .collect();
        !paths.is_empty() && paths.iter().all(|p| globs.is_match(p))
    });
    repo_ok && rule_ok && fingerprint_ok && path_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Severity};
    use crate::pack::{Globs, Origin};

    fn globs(pattern: &str) -> Globs {
        let glob = globset::GlobBuilder::new(pattern)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
            .unwrap();
        Globs {
            patterns: vec![pattern.to_string()],
            set: globset::GlobSetBuilder::new().add(glob).build().unwrap(),
        }
    }

    fn entry(expires: Option<(i32, u32, u32)>, line: usize) -> Allowance {
        Allowance {
            rule: Some("data/postcode".to_string()),
            path: None,
            fingerprint: None,
            repo: None,
            reason: format!("reason {line}"),
            expires: expires.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            origin: Origin {
                file: "allow.toml".to_string(),
                line,
                column: 1,
            },
        }
    }

    fn failed() -> Finding {
        Finding {
            rule: "data/postcode".to_string(),
            category: "data".to_string(),
            title: "No real postcodes".to_string(),
            outcome: Outcome::Fail,
            severity: Severity::Warning,
            weight: 3.0,
            message: "Postcodes found.".to_string(),
            help: String::new(),
            url: None,
            evidence: vec![Evidence::at("data/a.csv", 2, "LS1 ***")],
            fingerprint: "0123456789abcdef".to_string(),
            waiver: None,
            allowed_by: None,
        }
    }

    fn on(day: (i32, u32, u32), allow: &[Allowance], repo: &str) -> Finding {
        let mut finding = failed();
        let today = NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
        apply(allow, AllowScope { repo, today }, &mut finding);
        finding
    }

    #[test]
    fn an_entry_applies_until_the_day_before_it_expires() {
        let allow = [entry(Some((2025, 6, 30)), 4)];
        let before = on((2025, 6, 29), &allow, "r");
        assert_eq!(before.outcome, Outcome::Waived);
        assert_eq!(before.waiver.as_deref(), Some("reason 4"));
        let by = before.allowed_by.unwrap();
        assert_eq!(by.expires.as_deref(), Some("2025-06-30"));
        assert!(!by.expired);
        assert_eq!(by.source, "allow.toml:4");

        let on_the_day = on((2025, 6, 30), &allow, "r");
        assert_eq!(on_the_day.outcome, Outcome::Fail);
        assert_eq!(on_the_day.waiver, None);
        assert!(on_the_day.allowed_by.as_ref().unwrap().expired);
        assert_eq!(
            on_the_day.message,
            "Postcodes found (allowed until 2025-06-30 by allow.toml:4, which has expired: reason 4)"
        );
    }

    #[test]
    fn an_entry_in_force_wins_over_an_expired_one_and_the_latest_expiry_is_named() {
        let allow = [entry(Some((2024, 1, 1)), 2), entry(None, 9)];
        assert_eq!(
            on((2026, 1, 1), &allow, "r").waiver.as_deref(),
            Some("reason 9")
        );
        let allow = [entry(Some((2024, 1, 1)), 2), entry(Some((2024, 3, 1)), 9)];
        let finding = on((2026, 1, 1), &allow, "r");
        assert_eq!(finding.outcome, Outcome::Fail);
        assert_eq!(
            finding.allowed_by.unwrap().expires.as_deref(),
            Some("2024-03-01")
        );
    }

    #[test]
    fn a_repo_glob_matches_the_full_name_or_its_last_segment() {
        let mut scoped = entry(None, 1);
        scoped.repo = Some(globs("*-pipeline"));
        let allow = [scoped];
        assert_eq!(
            on((2025, 1, 1), &allow, "nhsx/covid-pipeline").outcome,
            Outcome::Waived
        );
        assert_eq!(
            on((2025, 1, 1), &allow, "covid-pipeline").outcome,
            Outcome::Waived
        );
        assert_eq!(
            on((2025, 1, 1), &allow, "nhsx/covid-app").outcome,
            Outcome::Fail
        );
        let mut owner = entry(None, 1);
        owner.repo = Some(globs("nhsx/*"));
        let allow = [owner];
        assert_eq!(on((2025, 1, 1), &allow, "nhsx/a").outcome, Outcome::Waived);
        assert_eq!(on((2025, 1, 1), &allow, "other/a").outcome, Outcome::Fail);
    }

    #[test]
    fn passes_are_never_touched() {
        let mut finding = failed();
        finding.outcome = Outcome::Pass;
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        apply(
            &[entry(None, 1)],
            AllowScope { repo: "r", today },
            &mut finding,
        );
        assert_eq!(finding.outcome, Outcome::Pass);
        assert!(finding.allowed_by.is_none());
    }
}
