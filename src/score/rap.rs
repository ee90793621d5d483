//! From per-criterion findings to a RAP level: the highest level whose criteria, and those of
//! every level below it, all did not fail. `needs-review` and `not-applicable` do not block a
//! level (files cannot prove peer review, and the report shows them), but `fail` and `error`
//! do. The level is computed from findings, not from the evidence, so a pack's overrides,
//! disabled rules and waivers are honoured.

use crate::model::{Finding, Outcome};
use crate::model::{RapAssessment, RapGap, RapLevel, RapNext, RapSummary};
use crate::pack::Pack;

fn blocks(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Fail | Outcome::Error)
}

pub fn assess(pack: &Pack, findings: &[Finding]) -> RapAssessment {
    let mut gaps: Vec<RapGap> = findings
        .iter()
        .filter(|f| blocks(f.outcome))
        .filter_map(|f| {
            let level = pack.rule(&f.rule)?.level?;
            Some(RapGap {
                rule: f.rule.clone(),
                level,
                message: f.message.clone(),
                help: f.help.clone(),
            })
        })
        .collect();
    // A stable sort keeps pack order within a level.
    gaps.sort_by_key(|g| g.level);
    let lowest_gap = gaps.first().map(|g| g.level);
    let level = match lowest_gap {
        None => RapLevel::Gold,
        Some(RapLevel::Baseline) | Some(RapLevel::None) => RapLevel::None,
        Some(RapLevel::Silver) => RapLevel::Baseline,
        Some(RapLevel::Gold) => RapLevel::Silver,
    };
    let next = level.next().map(|next_level| {
        let mut steps: Vec<String> = Vec::new();
        for gap in gaps.iter().filter(|g| g.level <= next_level) {
            if !steps.contains(&gap.help) {
                steps.push(gap.help.clone());
            }
        }
        RapNext {
            level: next_level,
            steps,
        }
    });
    RapAssessment { level, next, gaps }
}

/// The report's RAP summary, for repositories with analysis code under a pack that judges
/// levels; documentation-only repositories are not pipelines, so they get none.
pub fn summary(
    pack: &Pack,
    assessment: &RapAssessment,
    has_code: bool,
    declared: Option<RapLevel>,
) -> Option<RapSummary> {
    (pack.has_levels() && has_code).then(|| RapSummary {
        level: assessment.level,
        declared,
        next: assessment.next.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{PackSelection, load_pack};

    fn finding(rule: &str, outcome: Outcome) -> Finding {
        Finding {
            rule: rule.to_string(),
            category: "rap".to_string(),
            title: String::new(),
            outcome,
            severity: crate::model::Severity::Warning,
            weight: 1.0,
            message: format!("{rule} message"),
            help: format!("fix {rule}"),
            url: None,
            evidence: Vec::new(),
            fingerprint: String::new(),
            waiver: None,
            allowed_by: None,
        }
    }

    fn pack() -> Pack {
        load_pack(&PackSelection::default()).expect("the default pack loads")
    }

    #[test]
    fn level_is_the_highest_with_no_failed_criterion() {
        let pack = pack();
        let all_pass: Vec<Finding> = pack
            .rules
            .iter()
            .filter(|r| r.level.is_some())
            .map(|r| finding(&r.id, Outcome::Pass))
            .collect();
        let assessment = assess(&pack, &all_pass);
        assert_eq!(assessment.level, RapLevel::Gold);
        assert_eq!(assessment.next, None);

        let mut some_fail = all_pass.clone();
        for f in &mut some_fail {
            if f.rule == "rap/scheduled-runs" {
                f.outcome = Outcome::Fail;
            }
            if f.rule == "rap/peer-review" {
                f.outcome = Outcome::NeedsReview;
            }
        }
        let assessment = assess(&pack, &some_fail);
        assert_eq!(assessment.level, RapLevel::Silver);
        let next = assessment.next.expect("a next level");
        assert_eq!(next.level, RapLevel::Gold);
        assert_eq!(next.steps, vec!["fix rap/scheduled-runs".to_string()]);
    }

    #[test]
    fn lower_gaps_come_first_and_error_blocks() {
        let pack = pack();
        let findings = vec![
            finding("rap/packaged", Outcome::Fail),
            finding("rap/logging", Outcome::Fail),
            finding("rap/readme-reproduce", Outcome::Error),
            finding("rap/tidy-data", Outcome::NeedsReview),
        ];
        let assessment = assess(&pack, &findings);
        assert_eq!(assessment.level, RapLevel::None);
        let next = assessment.next.expect("a next level");
        assert_eq!(next.level, RapLevel::Baseline);
        assert_eq!(next.steps, vec!["fix rap/readme-reproduce".to_string()]);
        let order: Vec<&str> = assessment.gaps.iter().map(|g| g.rule.as_str()).collect();
        assert_eq!(
            order,
            vec!["rap/readme-reproduce", "rap/logging", "rap/packaged"]
        );
    }

    #[test]
    fn findings_of_unlevelled_rules_do_not_count() {
        let pack = pack();
        let findings = vec![finding("licence/present", Outcome::Fail)];
        assert_eq!(assess(&pack, &findings).level, RapLevel::Gold);
    }

    #[test]
    fn pack_levels_are_validated() {
        let pack = pack();
        let bad = "[[rules]]\nid = \"readme/x\"\ntitle = \"t\"\nseverity = \"info\"\nweight = 1\nmessage = \"m\"\nhelp = \"h\"\nlevel = \"gold\"\ncheck = { kind = \"file-exists\", globs = [\"x\"] }\n\n[overrides]\n\"rap/logging\" = { level = \"platinum\" }\n";
        let error = crate::pack::load_repo_config(&pack, ".openly.toml", bad)
            .expect_err("invalid levels")
            .to_string();
        assert!(
            error.contains("only `rap/` rules can carry a RAP level"),
            "{error}"
        );
        assert!(error.contains("unknown RAP level `platinum`"), "{error}");
        let ok = "[overrides]\n\"rap/logging\" = { level = \"none\" }\n";
        let lowered = crate::pack::load_repo_config(&pack, ".openly.toml", ok).expect("valid");
        assert_eq!(lowered.rule("rap/logging").and_then(|r| r.level), None);
        assert_eq!(
            pack.rule("rap/logging").and_then(|r| r.level),
            Some(RapLevel::Silver)
        );
    }

    #[test]
    fn waived_and_reviewed_criteria_do_not_block_and_steps_are_not_repeated() {
        let pack = pack();
        let mut findings = vec![
            finding("rap/peer-review", Outcome::Waived),
            finding("rap/tidy-data", Outcome::NeedsReview),
            finding("rap/config-file", Outcome::Fail),
            finding("rap/logging", Outcome::Fail),
            finding("rap/scheduled-runs", Outcome::Fail),
        ];
        // Two criteria with the same help make one step.
        findings[3].help = findings[2].help.clone();
        let assessment = assess(&pack, &findings);
        assert_eq!(assessment.level, RapLevel::Baseline);
        assert_eq!(assessment.gaps.len(), 3);
        let next = assessment.next.expect("a next level");
        assert_eq!(next.level, RapLevel::Silver);
        // Gold's gap waits until Silver is reached.
        assert_eq!(next.steps, vec!["fix rap/config-file".to_string()]);
    }

    #[test]
    fn a_silver_gap_with_a_gold_gap_lists_only_the_silver_step() {
        let pack = pack();
        let findings = vec![
            finding("rap/packaged", Outcome::Fail),
            finding("rap/tests-present", Outcome::Fail),
        ];
        let assessment = assess(&pack, &findings);
        assert_eq!(assessment.level, RapLevel::Baseline);
        let order: Vec<&str> = assessment.gaps.iter().map(|g| g.rule.as_str()).collect();
        assert_eq!(order, vec!["rap/tests-present", "rap/packaged"]);
        assert_eq!(
            assessment.next.map(|n| n.steps),
            Some(vec!["fix rap/tests-present".to_string()])
        );
    }

    #[test]
    fn summary_only_for_code_under_a_levelled_pack() {
        let pack = pack();
        let assessment = assess(&pack, &[finding("rap/logging", Outcome::Fail)]);
        let shown = summary(&pack, &assessment, true, Some(RapLevel::Gold)).expect("a summary");
        assert_eq!(shown.level, RapLevel::Baseline);
        assert_eq!(shown.declared, Some(RapLevel::Gold));
        assert_eq!(shown.next.map(|n| n.level), Some(RapLevel::Silver));
        assert_eq!(summary(&pack, &assessment, false, None), None);
        let minimal = load_pack(&PackSelection {
            preset: Some("minimal".to_string()),
            ..PackSelection::default()
        })
        .expect("the minimal pack loads");
        assert!(!minimal.has_levels());
        assert_eq!(summary(&minimal, &assessment, true, None), None);
    }
}
