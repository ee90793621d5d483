//! What the criteria share: evidence items from located facts, short lists for messages,
//! and the rule that criteria about code do not apply to a repository without any.

use crate::facts::RepoContext;
use crate::model::facts::rap::{Language, Located, RapEvidence};
use crate::model::{Evidence, Verdict};

pub fn located(hit: &Located) -> Evidence {
    Evidence {
        path: Some(hit.path.clone()),
        line: hit.line,
        excerpt: Some(hit.text.clone()),
        commit: None,
        ..Evidence::default()
    }
}

pub fn note(text: impl Into<String>) -> Evidence {
    Evidence::note(text)
}

/// Criteria about code do not apply to a repository without any.
pub fn with_code(context: &RepoContext, judge: impl FnOnce(&RapEvidence) -> Verdict) -> Verdict {
    let evidence = context.get::<RapEvidence>();
    if evidence.has_code() {
        judge(&evidence)
    } else {
        Verdict::not_applicable("no analysis code (Python, R, SQL, SAS, SPSS, Stata or VBA) found")
    }
}

pub fn list(items: &[String], max: usize) -> String {
    let mut shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let more = items.len().saturating_sub(max);
    let extra = format!("and {more} more");
    if more > 0 {
        shown.push(&extra);
    }
    shown.join(", ")
}

pub fn names(languages: &[Language]) -> String {
    languages
        .iter()
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(" and ")
}
