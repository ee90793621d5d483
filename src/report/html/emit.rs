//! What the dashboard page embeds: the report serialized exactly as `--format json` does it,
//! slimmed of what the page never reads, plus the estate overview from `report::estate`, so
//! the page shows the same "needs attention first" and exemplars as the text and Markdown
//! reports instead of working them out again in JavaScript.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::embed::render_page;
use crate::model::Report;
use crate::report::estate::Estate;
use crate::report::{Emitter, RenderOptions};

pub struct HtmlEmitter;

impl Emitter for HtmlEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        let json = serde_json::to_string(&page_data(report)?)?;
        out.write_all(render_page(&json).as_bytes())
    }
}

/// The report as the page reads it: the `--format json` value with `facts` cut down to the
/// licences' `spdx` and `scope` and findings without their fingerprints (an estate's facts are
/// most of its JSON), and an `estate` object with the overview.
pub fn page_data(report: &Report) -> io::Result<Value> {
    let mut value = serde_json::to_value(report)?;
    if let Some(repos) = value.get_mut("repos").and_then(Value::as_array_mut) {
        for repo in repos {
            slim_repo(repo);
        }
    }
    if let Some(object) = value.as_object_mut() {
        object.insert("estate".to_string(), estate(report));
    }
    Ok(value)
}

fn slim_repo(repo: &mut Value) {
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
