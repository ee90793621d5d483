//! The report as a contract for dashboards: the checked-in schema is the one the types give,
//! docs/report-format.md documents every field and value in it, and every format is
//! byte-identical from run to run apart from `generated_at`, whatever `--jobs` is and in
//! whatever order GitHub lists an organisation.

mod common;

use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;
use common::fake_github::{FakeGitHub, FakeRepo};
use common::{openly, root};
use openly::report::{Format, RenderOptions};
use openly::{AuditOptions, Target};
use serde_json::Value;

fn format_names() -> Vec<String> {
    Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect()
}

/// Replaces the value of every `generated_at` (JSON, or JSON embedded in the HTML page),
/// without parsing, so that everything else is compared byte for byte.
fn without_time(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("reports are UTF-8");
    let key = "\"generated_at\":";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(key) {
        let after = at + key.len();
        out.push_str(&rest[..after]);
        let value = &rest[after..];
        let open = value.find('"').expect("a string value");
        let close = open + 1 + value[open + 1..].find('"').expect("a closed string");
        out.push_str(&value[..open]);
        out.push_str("\"[time]\"");
        rest = &value[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_checked_in_schema_is_the_one_the_types_give() {
    let output = openly().arg("schema").output().unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let committed =
        std::fs::read_to_string(root().join("schemas/report.v1.json")).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/report.v1.json is stale: run `cargo run -- schema > schemas/report.v1.json` \
         (and bump schema_version if a field was renamed or removed)"
    );
}

/// Every property of every object type, and every value of every enum, in the schema.
fn schema_names(schema: &Value) -> Vec<(String, Vec<String>)> {
    fn values(node: &Value, out: &mut Vec<String>) {
        if let Some(list) = node.get("enum").and_then(Value::as_array) {
            out.extend(list.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
        if let Some(value) = node.get("const").and_then(Value::as_str) {
            out.push(value.to_string());
        }
        for key in ["oneOf", "anyOf"] {
            for branch in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                values(branch, out);
            }
        }
    }
    let describe = |node: &Value| {
        let mut names: Vec<String> = node
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        values(node, &mut names);
        names
    };
    let mut types = vec![("Report".to_string(), describe(schema))];
    for (name, node) in schema["$defs"].as_object().unwrap() {
        types.push((name.clone(), describe(node)));
    }
    types
}

#[test]
fn report_format_md_documents_every_field_and_value() {
    let schema: Value =
        serde_json::from_slice(&openly().arg("schema").output().unwrap().stdout).unwrap();
    let doc = std::fs::read_to_string(root().join("docs/report-format.md")).unwrap();
    let mut missing = Vec::new();
    for (name, fields) in schema_names(&schema) {
        let heading = format!("### `{name}`\n");
        let Some(at) = doc.find(&heading) else {
            missing.push(format!("no section `### `{name}``"));
            continue;
        };
        let body = &doc[at + heading.len()..];
        let section = &body[..body.find("\n### ").unwrap_or(body.len())];
        for field in fields {
            // A table row that names it first.
            if !section.contains(&format!("\n| `{field}` |")) {
                missing.push(format!("{name}.{field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/report-format.md does not document: {missing:#?}"
    );
}

#[test]
fn every_format_is_byte_identical_across_runs_and_job_counts() {
    let formats = format_names();
    for needed in [
        "json",
        "text",
        "markdown",
        "html",
        "sarif",
        "csv",
        "csv-repos",
    ] {
        assert!(formats.iter().any(|f| f == needed), "{needed} missing");
    }
    for format in &formats {
        let run = |jobs: &str| {
            let output = openly()
                .args(["audit", "fixtures/org", "--format", format, "--jobs", jobs])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(0), "{format}");
            without_time(&output.stdout)
        };
        let first = run("1");
        assert!(!first.is_empty(), "{format}");
        assert!(first == run("4"), "{format}: --jobs 1 and --jobs 4 differ");
    }
}

#[test]
fn source_date_epoch_fixes_the_time_so_runs_are_identical_to_the_byte() {
    let run = || {
        openly()
            .args(["audit", "fixtures/org/r-package", "--format", "json"])
            .env("SOURCE_DATE_EPOCH", "1767258000")
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert!(
        String::from_utf8_lossy(&first).contains("\"generated_at\": \"2026-01-01T09:00:00Z\""),
        "1767258000 s after 1970 is 2026-01-01T09:00:00Z"
    );
    assert_eq!(first, run());
}

fn fixture_repos() -> Vec<FakeRepo> {
    let dir = root().join("fixtures/org");
    let mut repos: Vec<FakeRepo> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| FakeRepo::from_dir(&e.file_name().to_string_lossy(), &e.path()))
        .collect();
    repos.sort_by(|a, b| a.name.cmp(&b.name));
    repos
}

/// Every format of one audit of a fake organisation, with `--jobs` and the listing order given.
fn org_outputs(reversed: bool, jobs: usize) -> Vec<(String, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut fake = FakeGitHub::new("nhs-test", fixture_repos());
    fake.listing_reversed = reversed;
    // Some latency, so that repositories finish in whatever order the threads get to them.
    fake.latency = Duration::from_millis(if reversed { 7 } else { 0 });
    let fake = Arc::new(fake);
    let (_server, api) = runtime.block_on(fake.clone().serve());
    let mut options = AuditOptions {
        jobs,
        ..AuditOptions::default()
    };
    options.github.api_url = api;
    options.github.owners = vec!["nhs-test".into()];
    options.github.token = openly::source::github::Token::new("test-token");
    let pack = common::default_pack();
    let report = openly::audit(&[] as &[Target], &pack, &options).unwrap();
    assert_eq!(report.summary.errored, 0, "{:?}", report.repos[0].error);
    let rules = openly::docs::rule_infos(&pack);
    Format::value_variants()
        .iter()
        .map(|format| {
            let mut bytes = Vec::new();
            openly::report::emitter(*format, &rules)
                .emit(&report, &mut bytes, RenderOptions::default())
                .unwrap();
            (format!("{format:?}"), without_time(&bytes))
        })
        .collect()
}

#[test]
fn a_github_org_report_does_not_depend_on_listing_order_or_jobs() {
    let in_order = org_outputs(false, 1);
    let shuffled = org_outputs(true, 8);
    assert_eq!(in_order.len(), shuffled.len());
    for ((format, a), (_, b)) in in_order.iter().zip(&shuffled) {
        assert!(
            a == b,
            "{format} differs between listing orders and job counts"
        );
    }
    let json = &in_order.iter().find(|(f, _)| f == "Json").unwrap().1;
    let report: Value = serde_json::from_str(json).unwrap();
    let names: Vec<&str> = report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "name order, not listing order");
}
