//! What the dashboard page embeds: the report serialized exactly as `--format json` does it,
//! slimmed of what the page never reads and of rule text repeated in every repository, plus
//! the estate overview from `report::estate`, so
//! the page shows the same "needs attention first" and exemplars as the text and Markdown
//! reports instead of working them out again in JavaScript.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::embed::render_page;
use crate::model::Report;
use crate::model::compare::Comparison;
use crate::report::estate::Estate;
use crate::report::{Emitter, RenderOptions};

/// The dashboard page; with a comparison (`--compare OLD.json`), its headline numbers carry
/// deltas and the repository table a "Changed since" column.
#[derive(Default)]
pub struct HtmlEmitter {
    pub comparison: Option<Comparison>,
}

impl Emitter for HtmlEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        let mut data = page_data(report)?;
        if let (Some(comparison), Some(object)) = (&self.comparison, data.as_object_mut()) {
            object.insert("compare".to_string(), trends(comparison));
        }
        let json = serde_json::to_string(&data)?;
        out.write_all(render_page(&json).as_bytes())
    }
}

/// What the page shows of a comparison: the earlier report, the estate line, and per
/// repository (by name) the score change and how many findings are new or fixed. The masked
/// locations stay in `openly compare`; the page links nothing it does not show.
fn trends(comparison: &Comparison) -> Value {
    let repos: Map<String, Value> = comparison
        .repos
        .iter()
        .map(|change| {
            let entry = json!({
                "old_score": change.old_score,
                "score_delta": change.score_delta,
                "old_grade": change.old_grade,
                "old_rap_level": change.old_rap_level,
                "new": change.new.len(),
                "fixed": change.fixed.len(),
            });
            (change.name.clone(), entry)
        })
        .collect();
    json!({
        "since": {
            "file": comparison.old.file,
            "generated_at": comparison.old.generated_at,
            "repos": comparison.old.repos,
            "mean_score": comparison.old.mean_score,
        },
        "warnings": comparison.warnings,
        "estate": comparison.estate,
        "repos": repos,
        "added": comparison.added.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        "removed": comparison.removed.iter().map(|r| json!({"name": r.name, "score": r.score})).collect::<Vec<_>>(),
    })
}

/// The fields every finding of a rule usually repeats; the page gets them once per rule.
const RULE_FIELDS: [&str; 5] = ["category", "title", "weight", "help", "url"];

/// The report as the page reads it: the `--format json` value with `facts` cut down to the
/// licences' `spdx` and `scope`, no fingerprints, findings without the fields their rule's
/// entry in `rules` already gives (facts and repeated rule text are most of an estate's JSON),
/// and an `estate` object with the overview.
pub fn page_data(report: &Report) -> io::Result<Value> {
    let mut value = serde_json::to_value(report)?;
    let mut rules = Map::new();
    if let Some(repos) = value.get_mut("repos").and_then(Value::as_array_mut) {
        for repo in repos {
            slim_repo(repo, &mut rules);
        }
    }
    if let Some(object) = value.as_object_mut() {
        object.insert("rules".to_string(), Value::Object(rules));
        object.insert("estate".to_string(), estate(report));
    }
    Ok(value)
}

/// Moves what a finding shares with its rule into `rules` (the first finding of a rule sets the
/// entry); a finding keeps any field that differs, such as a severity a repository's own config
/// changed, so the page loses nothing.
fn share_rule_fields(finding: &mut Map<String, Value>, rules: &mut Map<String, Value>) {
    let Some(id) = finding
        .get("rule")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return;
    };
    let entry = rules.entry(id).or_insert_with(|| {
        let fields: Map<String, Value> = RULE_FIELDS
            .iter()
            .filter_map(|key| Some((key.to_string(), finding.get(*key)?.clone())))
            .collect();
        Value::Object(fields)
    });
    let Some(shared) = entry.as_object() else {
        return;
    };
    for key in RULE_FIELDS {
        if shared.get(key).is_some_and(|v| finding.get(key) == Some(v)) {
            finding.remove(key);
        }
    }
}

fn slim_repo(repo: &mut Value, rules: &mut Map<String, Value>) {
    let Some(repo) = repo.as_object_mut() else {
        return;
    };
    if let Some(facts) = repo.get_mut("facts") {
        let licences: Vec<Value> = facts
            .get("licences")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|fact| json!({"spdx": fact.get("spdx"), "scope": fact.get("scope")}))
                    .collect()
            })
            .unwrap_or_default();
        let mut slim = Map::new();
        slim.insert("licences".to_string(), Value::Array(licences));
        *facts = Value::Object(slim);
    }
    if let Some(findings) = repo.get_mut("findings").and_then(Value::as_array_mut) {
        for finding in findings.iter_mut().filter_map(Value::as_object_mut) {
            finding.remove("fingerprint");
            if let Some(evidence) = finding.get_mut("evidence").and_then(Value::as_array_mut) {
                for item in evidence.iter_mut().filter_map(Value::as_object_mut) {
                    item.remove("fingerprint");
                }
            }
            share_rule_fields(finding, rules);
        }
    }
}

/// The overview, naming repositories by their index in `repos` (names need not be unique).
fn estate(report: &Report) -> Value {
    let estate = Estate::of(report);
    let index_of = |repo: &crate::model::RepoReport| {
        report
            .repos
            .iter()
            .position(|r| std::ptr::eq(r, repo))
            .unwrap_or(usize::MAX)
    };
    json!({
        "attention": estate.attention.iter().map(|a| json!({
            "repo": index_of(a.repo),
            "rules": a.findings.iter().map(|f| json!({"rule": f.rule, "severity": f.severity})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "errored": estate.errored.iter().map(|r| index_of(r)).collect::<Vec<_>>(),
        "exemplars": {
            "overall": estate.overall_exemplars().iter().map(|r| index_of(r.repo)).collect::<Vec<_>>(),
            "categories": estate.category_exemplars.iter().map(|c| json!({
                "category": c.category,
                "repos": c.repos.iter().map(|r| index_of(r)).collect::<Vec<_>>(),
                "score": c.score,
            })).collect::<Vec<_>>(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_rule_fields_move_to_the_rule_and_differences_stay() {
        let mut rules = Map::new();
        let mut first =
            json!({"rule": "r/x", "title": "T", "help": "H", "weight": 2.0, "message": "m1"});
        let mut second =
            json!({"rule": "r/x", "title": "T", "help": "H", "weight": 5.0, "message": "m2"});
        share_rule_fields(first.as_object_mut().unwrap(), &mut rules);
        share_rule_fields(second.as_object_mut().unwrap(), &mut rules);
        assert_eq!(
            rules["r/x"],
            json!({"title": "T", "weight": 2.0, "help": "H"})
        );
        assert_eq!(first, json!({"rule": "r/x", "message": "m1"}));
        assert_eq!(
            second,
            json!({"rule": "r/x", "weight": 5.0, "message": "m2"})
        );
    }
}
