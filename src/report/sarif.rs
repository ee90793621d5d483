//! SARIF 2.1.0 (`--format sarif`) for GitHub code scanning and other SARIF readers: the rules
//! of the pack with their help, and one result per failing location. docs/sarif.md lists what
//! GitHub requires and relies on; `scripts/validate-sarif.sh` checks the output against it.
//!
//! One run per repository, each with its own `automationDetails.id`, because GitHub rejects a
//! file with two runs of one tool and category. Waived findings stay in, as suppressed results.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use super::estate::is_sensitive_rule;
use super::{Emitter, RenderOptions};
use crate::model::{Evidence, Finding, Outcome, RepoReport, Report, RuleInfo, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub keeps up to 25,000 results of a run.
const MAX_RESULTS: usize = 25_000;
/// GitHub's limit for a rule's descriptions.
const MAX_DESCRIPTION: usize = 1_024;
/// Where openly lives; the rules' help links point into its `docs/rules.md`.
pub const PROJECT_URL: &str = env!("CARGO_PKG_REPOSITORY");

/// Renders SARIF with `rules[]` from the pack in use; rules a repository's own config added
/// are described from their findings.
pub struct SarifEmitter {
    rules: Vec<RuleInfo>,
}

impl SarifEmitter {
    pub fn new(rules: Vec<RuleInfo>) -> Self {
        SarifEmitter { rules }
    }
}

impl Emitter for SarifEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &log(report, &self.rules))?;
        writeln!(out)
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: Id,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    version_control_provenance: Vec<Provenance>,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    information_uri: String,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: BTreeMap<&'static str, serde_json::Value>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Id {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Provenance {
    repository_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<String>,
    mapped_to: UriBase,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UriBase {
    uri_base_id: &'static str,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    repository: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    score: Option<f64>,
    grade: String,
    rap_level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    end_line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u64>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    /// The finding's own fingerprint (from its locations'); `[[allow]]` matches it too.
    finding_fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
}

fn log(report: &Report, pack_rules: &[RuleInfo]) -> Log {
    let several = report.repos.len() > 1;
    // What the pull request added: the locations of its new findings (a finding that already
    // failed in base keeps only the locations head added), and whole findings for results
    // without a location of their own.
    let new_in_pr: Option<Vec<&str>> = report.pr.as_ref().map(|pr| {
        pr.new
            .iter()
            .flat_map(|f| {
                std::iter::once(f.fingerprint.as_str())
                    .chain(f.evidence.iter().map(|e| e.fingerprint.as_str()))
            })
            .filter(|fp| !fp.is_empty())
            .collect()
    });
    let against_baseline = compared_with_baseline(report);
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: report
            .repos
            .iter()
            .map(|repo| {
                let compared = Compared {
                    new_in_pr: new_in_pr.as_deref(),
                    against_baseline,
                };
                run(report, repo, pack_rules, several, compared)
            })
            .collect(),
    }
}

fn run(
    report: &Report,
    repo: &RepoReport,
    pack_rules: &[RuleInfo],
    several: bool,
    compared: Compared<'_>,
) -> Run {
    let rules = rules_for(repo, pack_rules);
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let default_uri = repo
        .facts
        .readme
        .as_ref()
        .map_or_else(|| ".".to_string(), |readme| uri(&readme.path));
    let mut results = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for finding in repo.findings.iter().filter(|f| reported(f)) {
        let rule_index = index.get(finding.rule.as_str()).copied().unwrap_or(0);
        for place in places(finding, &default_uri) {
            let repeat = seen.entry(place.fingerprint.clone()).or_insert(0);
            *repeat += 1;
            results.push(result(finding, rule_index, place, *repeat, compared));
        }
    }
    let mut notifications = Vec::new();
    if let Some(error) = &repo.error {
        notifications.push(Notification {
            level: "error",
            message: Text {
                text: format!("{} could not be audited: {error}", repo.name),
            },
        });
    }
    if results.len() > MAX_RESULTS {
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{} results, over GitHub's {MAX_RESULTS} a run: the rest are in the JSON report",
                    results.len()
                ),
            },
        });
        results.truncate(MAX_RESULTS);
    }
    let category = if several {
        format!("openly/{}/", repo.name)
    } else {
        "openly/".to_string()
    };
    Run {
        tool: Tool {
            driver: Driver {
                name: report.tool.name.clone(),
                version: report.tool.version.clone(),
                semantic_version: report.tool.version.clone(),
                information_uri: PROJECT_URL.to_string(),
                rules: rules.iter().map(descriptor).collect(),
            },
        },
        automation_details: Id { id: category },
        version_control_provenance: provenance(repo),
        original_uri_base_ids: BTreeMap::from([(
            SRCROOT,
            BaseId {
                description: Text {
                    text: "The root of the audited repository.".to_string(),
                },
            },
        )]),
        invocations: if notifications.is_empty() {
            Vec::new()
        } else {
            vec![Invocation {
                execution_successful: repo.error.is_none(),
                tool_execution_notifications: notifications,
            }]
        },
        results,
        column_kind: "unicodeCodePoints",
        properties: RunProperties {
            repository: repo.name.clone(),
            commit: repo.source.commit.clone(),
            score: repo.score,
            grade: repo.grade.clone(),
            rap_level: repo.rap_level.as_str(),
        },
    }
}

/// Failures (new or known to the baseline) and waived failures; passes, needs-review (GitHub
/// would show them as open alerts), not-applicable and check errors stay out.
fn reported(finding: &Finding) -> bool {
    matches!(
        finding.outcome,
        Outcome::Fail | Outcome::Waived | Outcome::Baseline
    )
}

/// What a result's `baselineState` is judged against: the pull request's new locations, or
/// the `--baseline` report's.
#[derive(Clone, Copy)]
struct Compared<'a> {
    new_in_pr: Option<&'a [&'a str]>,
    against_baseline: bool,
}

/// A `--baseline` run: some location was matched against the baseline report.
fn compared_with_baseline(report: &Report) -> bool {
    report
        .repos
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.outcome == Outcome::Baseline || f.evidence.iter().any(|e| e.baseline))
}

/// Why a waived finding is allowed, with the entry's expiry and where it is written, as a
/// code-scanning suppression's justification.
fn justification(finding: &Finding) -> String {
    let reason = finding
        .waiver
        .clone()
        .filter(|w| !w.trim().is_empty())
        .unwrap_or_else(|| "Waived in .openly.toml".to_string());
    match &finding.allowed_by {
        Some(by) => match &by.expires {
            Some(day) => format!("{reason} (until {day}; {})", by.source),
            None => format!("{reason} ({})", by.source),
        },
        None => reason,
    }
}

/// The pack's rules, then any rule a repository's own config added, described from its finding.
fn rules_for(repo: &RepoReport, pack_rules: &[RuleInfo]) -> Vec<RuleInfo> {
    let mut rules = pack_rules.to_vec();
    for finding in &repo.findings {
        if !rules.iter().any(|r| r.id == finding.rule) {
            rules.push(RuleInfo {
                id: finding.rule.clone(),
                category: finding.category.clone(),
                title: finding.title.clone(),
                severity: finding.severity,
                weight: finding.weight,
                message: finding.title.clone(),
                help: finding.help.clone(),
                url: finding.url.clone(),
                explain_markdown: String::new(),
            });
        }
    }
    rules
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `licence/present` → `LicencePresent`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The rule's entry in docs/rules.md: GitHub's heading anchor drops the backticks and the `/`.
pub fn rule_doc_url(id: &str) -> String {
    let anchor: String = id
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("{PROJECT_URL}/blob/main/docs/rules.md#{anchor}")
}

fn clip(text: &str) -> String {
    let text = if text.trim().is_empty() {
        "(no description)"
    } else {
        text.trim()
    };
    match text.char_indices().nth(MAX_DESCRIPTION - 1) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn descriptor(rule: &RuleInfo) -> Descriptor {
    let doc = rule_doc_url(&rule.id);
    let security = is_sensitive_rule(&rule.id);
    let mut tags = vec![rule.category.clone()];
    if security {
        tags.push("security".to_string());
    }
    tags.push("nhs-playbook".to_string());
    let mut properties = BTreeMap::from([
        ("tags", serde_json::json!(tags)),
        // The detectors of data and secrets are heuristics; the other checks read files.
        (
            "precision",
            serde_json::json!(if security { "medium" } else { "high" }),
        ),
    ]);
    if security {
        let severity = match rule.severity {
            Severity::Error => "9.0",
            Severity::Warning => "7.0",
            Severity::Info => "4.0",
        };
        properties.insert("security-severity", serde_json::json!(severity));
    } else {
        let severity = match rule.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "recommendation",
        };
        properties.insert("problem.severity", serde_json::json!(severity));
    }
    let body = if rule.explain_markdown.is_empty() {
        format!("**{}**\n\nHow to fix: {}", rule.title, rule.help)
    } else {
        rule.explain_markdown.clone()
    };
    Descriptor {
        id: rule.id.clone(),
        name: pascal_case(&rule.id),
        short_description: Text {
            text: clip(&rule.title),
        },
        full_description: Text {
            text: clip(&rule.message),
        },
        help: Help {
            text: if rule.help.trim().is_empty() {
                rule.title.clone()
            } else {
                rule.help.clone()
            },
            markdown: format!("{body}\n\n[openly rule reference: `{}`]({doc})", rule.id),
        },
        help_uri: doc,
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties,
    }
}

/// `versionControlProvenance` needs an absolute repository URI; local paths are left out
/// rather than written as the auditing machine's file:// URIs.
fn provenance(repo: &RepoReport) -> Vec<Provenance> {
    let location = &repo.source.location;
    if !(location.starts_with("https://") || location.starts_with("http://")) {
        return Vec::new();
    }
    vec![Provenance {
        repository_uri: location.clone(),
        revision_id: repo.source.commit.clone(),
        branch: repo.source.reference.clone(),
        mapped_to: UriBase {
            uri_base_id: SRCROOT,
        },
    }]
}

/// One place a result points at.
struct Place {
    uri: String,
    line: u64,
    column: Option<u64>,
    message: String,
    fingerprint: String,
    commit: Option<String>,
    /// The `--baseline` report already had this location failing.
    known: bool,
}

/// The places of a finding: one per evidence item with a path, or the repository-level default
/// (the README, else the repository root) when no item has one.
fn places(finding: &Finding, default_uri: &str) -> Vec<Place> {
    let mut places: Vec<Place> = finding
        .evidence
        .iter()
        .filter_map(|evidence| place(finding, evidence))
        .collect();
    if places.is_empty() {
        places.push(Place {
            uri: default_uri.to_string(),
            line: 1,
            column: None,
            message: with_notes(&finding.message, &finding.evidence),
            fingerprint: finding.fingerprint.clone(),
            commit: None,
            known: finding.outcome == Outcome::Baseline,
        });
    }
    places
}

/// The one mapping from an evidence item to a SARIF place: its own message (else the
/// finding's), line, column and fingerprint, the one `[[allow]]`, `--baseline` and pull-request
/// mode use for this location.
fn place(finding: &Finding, evidence: &Evidence) -> Option<Place> {
    let path = evidence.path.as_deref().filter(|p| !p.is_empty())?;
    let message = evidence
        .message
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or(&finding.message);
    let fingerprint = if evidence.fingerprint.is_empty() {
        // Only a report built by hand lacks them; the finding's own still names the result.
        finding.fingerprint.clone()
    } else {
        evidence.fingerprint.clone()
    };
    Some(Place {
        uri: uri(path),
        line: evidence.line.unwrap_or(1).max(1),
        column: evidence.column.filter(|c| *c >= 1),
        message: with_notes(message, std::slice::from_ref(evidence)),
        fingerprint,
        commit: evidence.commit.clone(),
        known: evidence.baseline || finding.outcome == Outcome::Baseline,
    })
}

/// The finding's message, then the masked excerpts that say what was found where.
fn with_notes(message: &str, evidence: &[Evidence]) -> String {
    let notes: Vec<&str> = evidence
        .iter()
        .filter_map(|e| e.excerpt.as_deref())
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .take(5)
        .collect();
    let message = if message.trim().is_empty() {
        "openly finding"
    } else {
        message.trim()
    };
    if notes.is_empty() {
        message.to_string()
    } else {
        format!("{message}\n\n{}", notes.join("\n"))
    }
}

fn result(
    finding: &Finding,
    rule_index: usize,
    place: Place,
    repeat: usize,
    compared: Compared<'_>,
) -> SarifResult {
    let suppressions = if finding.outcome == Outcome::Waived {
        vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: justification(finding),
        }]
    } else {
        Vec::new()
    };
    let baseline_state = match compared.new_in_pr {
        Some(new) if new.contains(&place.fingerprint.as_str()) => Some("new"),
        Some(_) => Some("unchanged"),
        None if place.known => Some("unchanged"),
        None if compared.against_baseline => Some("new"),
        None => None,
    };
    SarifResult {
        rule_id: finding.rule.clone(),
        rule_index,
        level: level(finding.severity),
        message: Text {
            text: place.message,
        },
        locations: vec![Location {
            physical_location: Physical {
                artifact_location: Artifact {
                    uri: place.uri,
                    uri_base_id: SRCROOT,
                },
                region: Region {
                    start_line: place.line,
                    end_line: place.line,
                    start_column: place.column,
                },
            },
        }],
        partial_fingerprints: BTreeMap::from([
            (
                "primaryLocationLineHash",
                format!("{}:{repeat}", place.fingerprint),
            ),
            ("openlyFingerprint/v1", place.fingerprint),
        ]),
        baseline_state,
        suppressions,
        properties: ResultProperties {
            finding_fingerprint: finding.fingerprint.clone(),
            commit: place.commit,
        },
    }
}

/// A repository path as a relative URI reference: `/` separators, everything outside RFC 3986's
/// unreserved characters percent-encoded (a space or a backslash would be invalid, and a colon
/// in the first segment would read as a scheme).
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches('/');
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    if out.is_empty() { ".".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(uri("data/my file.csv"), "data/my%20file.csv");
        assert_eq!(uri("/etc/x"), "etc/x");
        assert_eq!(uri("a\\b"), "a/b");
        assert_eq!(uri("c:/x"), "c%3A/x");
        assert_eq!(uri("café.md"), "caf%C3%A9.md");
        assert_eq!(uri("100%.txt"), "100%25.txt");
        assert_eq!(uri(""), ".");
    }

    #[test]
    fn rule_names_and_anchors() {
        assert_eq!(pascal_case("licence/present"), "LicencePresent");
        assert_eq!(pascal_case("data/nhs-number"), "DataNhsNumber");
        assert!(rule_doc_url("data/nhs-number").ends_with("docs/rules.md#datanhs-number"));
    }

    #[test]
    fn long_descriptions_are_clipped_to_githubs_limit() {
        let long = "x".repeat(5_000);
        assert_eq!(clip(&long).chars().count(), MAX_DESCRIPTION);
        assert_eq!(clip("  "), "(no description)");
    }
}
