//! The estate formats end to end on the invented fixtures: the text and Markdown overview,
//! GitHub's size limit, CSV (quoting and formula injection) and SARIF (rules from the pack, one
//! result per location, waivers, pull-request mode). Expected counts are worked out here from
//! the JSON report and the pack listing, never by the code under test.

mod common;

use std::collections::BTreeSet;

use common::{TestRepo, audit_json, healthy_base, openly};
use openly::model::Report;
use openly::report::RenderOptions;
use openly::{AuditOptions, Target};
use serde_json::Value;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = openly().args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn repos(report: &Value) -> &Vec<Value> {
    report["repos"].as_array().unwrap()
}

fn findings(repo: &Value) -> &Vec<Value> {
    repo["findings"].as_array().unwrap()
}

// ─────────────────────────── text and Markdown ───────────────────────────

#[test]
fn text_overview_of_the_fixture_org() {
    let (code, summary, _) = run(&["audit", "fixtures/org", "--summary", "--color", "never"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("text_overview", summary);

    // Without --summary the same overview follows the per-repository blocks.
    let (_, full, _) = run(&["audit", "fixtures/org", "--color", "never"]);
    let overview_at = full.find("estate overview").expect("an overview");
    let last_block = full.rfind("top fixes:").expect("per-repository blocks");
    assert!(
        last_block < overview_at,
        "the overview comes after the blocks"
    );
    assert!(
        !summary.contains("top fixes:"),
        "--summary leaves the blocks out"
    );

    // One repository: no overview unless asked for.
    let (_, one, _) = run(&["audit", "fixtures/org/r-package", "--color", "never"]);
    assert!(!one.contains("estate overview"));
}

#[test]
fn the_overview_ranks_by_score_and_lists_what_needs_attention() {
    let report = audit_json(&["fixtures/org"]);
    let (_, text, _) = run(&["audit", "fixtures/org", "--summary", "--color", "never"]);
    // Ranking: scores from the JSON, sorted here.
    let mut expected: Vec<(f64, &str)> = repos(&report)
        .iter()
        .map(|r| (r["score"].as_f64().unwrap(), r["name"].as_str().unwrap()))
        .collect();
    expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let positions: Vec<usize> = expected
        .iter()
        .map(|(_, name)| text.find(&format!("  {name} ")).expect(name))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "ranked by score");
    // Needs attention: a failed secrets/* rule or a personal-data rule, restated here.
    let personal = [
        "data/nhs-number",
        "data/chi-number",
        "data/quasi-identifiers",
        "data/small-numbers",
    ];
    let attention: Vec<&str> = repos(&report)
        .iter()
        .filter(|r| {
            findings(r).iter().any(|f| {
                let rule = f["rule"].as_str().unwrap();
                f["outcome"] == "fail" && (rule.starts_with("secrets/") || personal.contains(&rule))
            })
        })
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(attention, ["patient-extract-env"]);
    let section =
        &text[text.find("needs attention first").unwrap()..text.find("exemplars").unwrap()];
    assert!(section.contains("patient-extract-env  secrets/env-file (warning)"));
    // data/dummy-available fails in several repositories but is hygiene, not patient data.
    assert!(!section.contains("dummy-available"));
    assert!(!section.contains("no-licence"));

    // The most failed rule: counted here from the findings.
    let mut counts = std::collections::BTreeMap::new();
    for repo in repos(&report) {
        for f in findings(repo).iter().filter(|f| f["outcome"] == "fail") {
            *counts.entry(f["rule"].as_str().unwrap()).or_insert(0) += 1;
        }
    }
    let most = counts.values().max().unwrap();
    let line = text
        .lines()
        .skip_while(|l| !l.starts_with("rules that fail most"))
        .nth(1)
        .unwrap();
    assert!(line.trim_start().starts_with(&format!("{most} ")), "{line}");
}

#[test]
fn markdown_for_the_fixture_org_starts_with_the_overview() {
    let (code, md, _) = run(&["audit", "fixtures/org", "--format", "markdown"]);
    assert_eq!(code, Some(0));
    assert!(md.starts_with("# openly: estate report\n"));
    let order: Vec<usize> = [
        "## Repositories by score",
        "## Rules that fail most",
        "## Needs attention first",
        "## Exemplars",
        "## Repositories\n",
        "<details>",
    ]
    .iter()
    .map(|h| md.find(h).expect(h))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(md.len() < 65_536);
    insta::assert_snapshot!("markdown_estate", md);

    let (_, summary, _) = run(&["audit", "fixtures/org", "--format", "markdown", "--summary"]);
    assert!(summary.contains("## Exemplars") && !summary.contains("<details>"));
}

fn fixture_report() -> Report {
    let pack = common::default_pack();
    openly::audit(
        &[Target::Path(common::root().join("fixtures/org"))],
        &pack,
        &AuditOptions::default(),
    )
    .unwrap()
}

/// The fixture org copied until it has `count` repositories, each with its own name.
fn big_estate(count: usize) -> Report {
    let mut report = fixture_report();
    let originals = report.repos.clone();
    report.repos = (0..count)
        .map(|i| {
            let mut repo = originals[i % originals.len()].clone();
            repo.name = format!("team-{:04}/{}", i / originals.len(), repo.name);
            repo
        })
        .collect();
    report.summary.repos = count;
    report.summary.audited = count;
    report
}

#[test]
fn markdown_for_a_large_estate_stays_under_githubs_limit_and_says_what_it_left_out() {
    for count in [60, 1_000] {
        let report = big_estate(count);
        for summary in [false, true] {
            let md = openly::report::markdown::render_with(&report, summary);
            assert!(
                md.chars().count() <= 65_536 && md.len() <= 65_536,
                "{count} repositories, summary {summary}: {} bytes",
                md.len()
            );
            for heading in ["## Needs attention first", "## Exemplars", "<sub>openly"] {
                assert!(md.contains(heading), "{count}: {heading} cut off");
            }
            // Every (copied) patient-extract-env needs attention.
            let attention = report
                .repos
                .iter()
                .filter(|r| r.name.ends_with("/patient-extract-env"))
                .count();
            let listed = md
                .matches("/patient-extract-env**: secrets/env-file")
                .count();
            assert!(listed >= attention.min(10), "{count}: {listed} listed");
            if !summary {
                assert!(
                    md.contains(
                        "repositories are left out to stay within GitHub's 65,536-character limit"
                    ),
                    "{count}: no note about the sections left out"
                );
            }
            if count == 1_000 {
                assert!(
                    md.contains("more repositories, not listed to stay within GitHub's size limit")
                );
            }
            // Closed, so the rest of an issue body renders.
            assert_eq!(
                md.matches("<details>").count(),
                md.matches("</details>").count()
            );
        }
    }
}

#[test]
fn summary_is_refused_for_formats_without_an_overview() {
    let (code, stdout, stderr) = run(&["audit", "fixtures/org", "--format", "json", "--summary"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--summary applies to --format text and markdown"),
        "{stderr}"
    );
}

// ─────────────────────────── CSV ───────────────────────────

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_has_a_row_per_repository_and_rule() {
    let report = audit_json(&["fixtures/org"]);
    let (code, text, _) = run(&["audit", "fixtures/org", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends");
    let rows = csv_rows(&text);
    assert_eq!(
        rows[0],
        [
            "repo",
            "rule",
            "category",
            "severity",
            "outcome",
            "message",
            "path",
            "fingerprint",
            "allow_reason",
            "allow_expires"
        ]
    );
    let expected: usize = repos(&report).iter().map(|r| findings(r).len()).sum();
    assert_eq!(rows.len() - 1, expected);
    assert!(rows.iter().all(|r| r.len() == 10));
    // The .env failure, with its path and the fingerprint the JSON gives.
    let env = repos(&report)
        .iter()
        .find(|r| r["name"] == "patient-extract-env")
        .unwrap();
    let finding = findings(env)
        .iter()
        .find(|f| f["rule"] == "secrets/env-file")
        .unwrap();
    let row = rows
        .iter()
        .find(|r| r[0] == "patient-extract-env" && r[1] == "secrets/env-file")
        .unwrap();
    assert_eq!(row[4], "fail");
    assert_eq!(row[6], ".env");
    assert_eq!(row[7], finding["fingerprint"].as_str().unwrap());

    let (_, one, _) = run(&["audit", "fixtures/org/no-licence", "--format", "csv"]);
    insta::assert_snapshot!("csv_no_licence", one.replace("\r\n", "⏎\n"));
}

#[test]
fn csv_repos_has_a_row_per_repository_with_category_scores() {
    let report = audit_json(&["fixtures/org"]);
    let (_, text, _) = run(&["audit", "fixtures/org", "--format", "csv-repos"]);
    let rows = csv_rows(&text);
    assert_eq!(rows.len() - 1, repos(&report).len());
    let header = &rows[0];
    for (repo, row) in repos(&report).iter().zip(&rows[1..]) {
        assert_eq!(row[0], repo["name"].as_str().unwrap());
        assert_eq!(row[1], format!("{:.1}", repo["score"].as_f64().unwrap()));
        for category in repo["categories"].as_array().unwrap() {
            let column = format!("{}_score", category["id"].as_str().unwrap());
            let at = header.iter().position(|h| *h == column).expect(&column);
            let expected = category["score"]
                .as_f64()
                .map_or_else(String::new, |s| format!("{s:.1}"));
            assert_eq!(row[at], expected, "{column}");
        }
    }
    insta::assert_snapshot!("csv_repos_org", text.replace("\r\n", "⏎\n"));
}

#[test]
fn csv_cells_that_look_like_formulas_are_defused() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "=HYPERLINK(\"http:x\")",
        "+1",
        "@SUM(A1)",
        "-2",
        "plain,name",
    ] {
        let repo = dir.path().join(name);
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(repo.join("README.md"), "# x\n").unwrap();
    }
    for format in ["csv", "csv-repos"] {
        let output = openly()
            .arg("audit")
            .arg(dir.path())
            .args(["--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let names: BTreeSet<String> = csv_rows(&text)[1..].iter().map(|r| r[0].clone()).collect();
        assert_eq!(
            names,
            [
                "'+1",
                "'-2",
                "'=HYPERLINK(\"http:x\")",
                "'@SUM(A1)",
                "plain,name"
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            "{format}"
        );
        // Quoted by RFC 4180: the comma and the quotes survive the round trip above.
        assert!(text.contains("\"'=HYPERLINK(\"\"http:x\"\")\""), "{format}");
    }
}

// ─────────────────────────── SARIF ───────────────────────────

fn sarif(args: &[&str]) -> Value {
    let output = openly()
        .arg("audit")
        .args(args)
        .args(["--format", "sarif"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The results a finding should give: one per evidence item with a path, else one.
fn expected_results(repo: &Value) -> usize {
    findings(repo)
        .iter()
        .filter(|f| f["outcome"] == "fail" || f["outcome"] == "waived")
        .map(|f| {
            f["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["path"].as_str().is_some_and(|p| !p.is_empty()))
                .count()
                .max(1)
        })
        .sum()
}

#[test]
fn sarif_for_the_fixture_org() {
    let report = audit_json(&["fixtures/org"]);
    let log = sarif(&["fixtures/org"]);
    let pack: Value = serde_json::from_slice(
        &openly()
            .args(["rules", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let pack_rules = pack["rules"].as_array().unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), repos(&report).len(), "one run per repository");
    let ids: BTreeSet<&str> = runs
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), runs.len(), "distinct categories");
    let security = [
        "data/nhs-number",
        "data/chi-number",
        "data/quasi-identifiers",
        "data/small-numbers",
    ];
    let mut shape = String::new();
    for (run, repo) in runs.iter().zip(repos(&report)) {
        let name = repo["name"].as_str().unwrap();
        assert_eq!(run["automationDetails"]["id"], format!("openly/{name}/"));
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "openly");
        assert!(
            driver["informationUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), pack_rules.len(), "every rule of the pack");
        for (rule, from_pack) in rules.iter().zip(pack_rules) {
            let id = from_pack["id"].as_str().unwrap();
            assert_eq!(rule["id"], id);
            assert_eq!(rule["help"]["text"], from_pack["help"]);
            assert_eq!(rule["shortDescription"]["text"], from_pack["title"]);
            let anchor = format!("docs/rules.md#{}", id.replace('/', ""));
            assert!(rule["helpUri"].as_str().unwrap().ends_with(&anchor), "{id}");
            let level = match from_pack["severity"].as_str().unwrap() {
                "info" => "note",
                other => other,
            };
            assert_eq!(rule["defaultConfiguration"]["level"], level, "{id}");
            let is_security = id.starts_with("secrets/") || security.contains(&id);
            assert_eq!(
                rule["properties"]["security-severity"].is_string(),
                is_security,
                "{id}"
            );
        }
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), expected_results(repo), "{name}");
        for result in results {
            let id = result["ruleId"].as_str().unwrap();
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], id);
            let location = &result["locations"][0]["physicalLocation"];
            let line = location["region"]["startLine"].as_u64().unwrap();
            assert!(line >= 1);
            assert!(
                result["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .contains(':')
            );
            shape.push_str(&format!(
                "{name} {id} {} {}:{line}\n",
                result["level"].as_str().unwrap(),
                location["artifactLocation"]["uri"].as_str().unwrap()
            ));
        }
    }
    insta::assert_snapshot!("sarif_shape_org", shape);
}

#[test]
fn sarif_keeps_waivers_as_suppressions_and_marks_new_results_in_a_pull_request() {
    let repo = TestRepo::new();
    healthy_base(&repo);
    repo.write(
        ".openly.toml",
        "[[allow]]\nrule = \"readme/status\"\nreason = \"Archived; no status needed\"\n",
    );
    let base = repo.commit("base");
    repo.write(".env", "DB_PASSWORD=correct-horse-battery\n");
    repo.commit("add settings");
    let path = repo.path().to_str().unwrap();
    let log = sarif(&[path, "--base", &base]);
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["automationDetails"]["id"], "openly/");
    let results = runs[0]["results"].as_array().unwrap();
    let waived = results
        .iter()
        .find(|r| r["ruleId"] == "readme/status")
        .expect("the waived finding stays in");
    assert_eq!(
        waived["suppressions"][0],
        serde_json::json!({"kind": "external", "status": "accepted", "justification": "Archived; no status needed (.openly.toml:1)"})
    );
    assert_eq!(waived["baselineState"], "unchanged");
    let env = results
        .iter()
        .find(|r| r["ruleId"] == "secrets/env-file")
        .unwrap();
    assert_eq!(env["baselineState"], "new");
    assert_eq!(
        env["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        ".env"
    );
    assert!(
        !serde_json::to_string(&log)
            .unwrap()
            .contains("correct-horse-battery"),
        "masked"
    );
}

#[test]
fn sarif_results_without_a_file_point_at_the_readme_or_the_root() {
    let report = fixture_report();
    let mut bytes = Vec::new();
    let pack = common::default_pack();
    openly::report::emitter(
        openly::report::Format::Sarif,
        &openly::docs::rule_infos(&pack),
    )
    .emit(&report, &mut bytes, RenderOptions::default())
    .unwrap();
    let log: Value = serde_json::from_slice(&bytes).unwrap();
    let run = log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["properties"]["repository"] == "no-licence")
        .unwrap();
    let licence = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "licence/present")
        .unwrap();
    assert_eq!(
        licence["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "README.md"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.py"), "print(1)\n").unwrap();
    let log = sarif(&[dir.path().to_str().unwrap()]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let readme = results
        .iter()
        .find(|r| r["ruleId"] == "readme/present")
        .unwrap();
    assert_eq!(
        readme["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], ".",
        "no README: the repository root"
    );
}

// ─────────────────────────── HTML ───────────────────────────

#[test]
fn the_dashboard_for_a_thousand_repositories_embeds_a_slim_report() {
    let report = big_estate(1_000);
    let mut page = Vec::new();
    openly::report::emitter(openly::report::Format::Html, &[])
        .emit(&report, &mut page, RenderOptions::default())
        .unwrap();
    let mut json = Vec::new();
    openly::report::emitter(openly::report::Format::Json, &[])
        .emit(&report, &mut json, RenderOptions::default())
        .unwrap();
    let (page_mb, json_mb) = (page.len() / 1_000_000, json.len() / 1_000_000);
    assert!(
        page.len() * 3 < json.len(),
        "page {page_mb} MB against {json_mb} MB of JSON"
    );
    assert!(page.len() < 20_000_000, "page {page_mb} MB");
}
