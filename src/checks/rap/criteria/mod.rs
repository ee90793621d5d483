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
    ("rap-dependencies-declared", dependencies_declared),
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

#[cfg(test)]
mod tests {
    use super::testkit::{judge, judge_with, repo};
    use crate::model::{Outcome, RapAssessment, RapLevel};

    /// Every criterion about code stands aside for a repository without any, rather than
    /// failing it: documentation repositories are not pipelines.
    #[test]
    fn a_repository_without_code_is_not_judged_as_a_pipeline() {
        let dir = repo(&[("README.md", "# Notes\n\nMeeting notes, no code.\n")]);
        for analyzer in [
            "rap-open-language",
            "rap-version-control",
            "rap-readme-reproduce",
            "rap-documented-code",
            "rap-reusable-functions",
            "rap-logging",
            "rap-packaged",
        ] {
            let verdict = judge(dir.path(), analyzer);
            assert_eq!(
                verdict.outcome,
                Outcome::NotApplicable,
                "{analyzer}: {verdict:?}"
            );
        }
        let claim = judge_with(
            dir.path(),
            "rap-declared-level",
            "",
            Some(RapAssessment {
                level: RapLevel::None,
                next: None,
                gaps: Vec::new(),
            }),
        );
        assert_eq!(claim.outcome, Outcome::NotApplicable, "no claim: {claim:?}");
    }
}
