//! One built-in analyzer per RAP criterion. Each reads the shared `RapEvidence` and says
//! pass, fail or needs-review with concrete evidence. Analyzer names are a public contract,
//! like rule ids; the rule that uses each, and its level, are set in `rules/playbook.toml`.

mod baseline;
mod common;
mod gold;
mod practice;
mod silver;
#[cfg(test)]
mod testkit;

use crate::checks::run::Run;
use baseline::*;
use gold::*;
use practice::*;
use silver::*;

/// The code of each RAP analyzer; the catalog (`pack::catalog`) declares their parameters.
pub const RUNNERS: &[(&str, Run)] = &[
    ("rap-open-language", open_language),
    ("rap-version-control", version_control),
    ("rap-readme-reproduce", readme_reproduce),
    ("rap-peer-review", peer_review),
    ("rap-publication-link", publication_link),
    ("rap-entry-point", entry_point),
    ("rap-config-file", config_file),
    ("rap-documented-code", documented_code),
    ("rap-standard-layout", standard_layout),
    ("rap-reusable-functions", reusable_functions),
    ("rap-coding-standards", coding_standards),
    ("rap-tests", tests_present),
    ("rap-dependencies-pinned", dependencies_pinned),
    ("rap-logging", logging),
    ("rap-tidy-data", tidy_data),
    ("rap-packaged", packaged),
    ("rap-tests-in-ci", tests_in_ci),
    ("rap-scheduled-runs", scheduled_runs),
    ("rap-changes-signposted", changes_signposted),
    ("rap-notebooks", notebooks),
    ("rap-declared-level", declared_level),
];
