//! RAP checks that belong to no level: notebooks in published code, and whether a claimed
//! level is supported by the assessed one.

use super::common::*;
use crate::facts::RepoContext;
use crate::model::RapAssessment;
use crate::model::RapGap;
use crate::model::RapLevel;
use crate::model::facts::rap::RapEvidence;
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

pub(super) fn notebooks(context: &RepoContext, params: &Params) -> Verdict {
    let rap = context.get::<RapEvidence>();
    if rap.notebooks.is_empty() {
        return Verdict::not_applicable("no notebooks");
    }
    let allow = params.choice("allow");
    let paths: Vec<String> = rap.notebooks.iter().map(|n| n.path.clone()).collect();
    match allow {
        "any" => {
            Verdict::pass().with_evidence([note(format!("notebooks allowed: {}", list(&paths, 3)))])
        }
        "never" => Verdict::fail()
            .with_message(format!(
                "{} notebook{} in published code; this checklist allows none.",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" }
            ))
            .with_evidence(paths.iter().map(Evidence::path)),
        _ => {
            let dirty: Vec<Evidence> = rap
                .notebooks
                .iter()
                .filter(|n| n.cells_with_outputs > 0)
                .map(|n| Evidence {
                    path: Some(n.path.clone()),
                    line: None,
                    excerpt: Some(format!("{} code cells with outputs", n.cells_with_outputs)),
                    commit: None,
                    ..Evidence::default()
                })
                .collect();
            if dirty.is_empty() {
                Verdict::pass()
                    .with_evidence([note(format!("outputs cleared: {}", list(&paths, 3)))])
            } else {
                Verdict::fail()
                    .with_message("Notebooks are committed with their outputs, which can carry data into the open.")
                    .with_evidence(dirty)
            }
        }
    }
}

pub(super) fn declared_level(context: &RepoContext, _: &Params) -> Verdict {
    let rap = context.get::<RapEvidence>();
    let Some(claimed) = rap.declared_level() else {
        return Verdict::not_applicable("no RAP level is claimed");
    };
    let claims = rap.declared.iter().map(|c| Evidence {
        path: (c.source != "topic").then(|| c.source.clone()),
        line: c.line,
        excerpt: Some(format!("claims {}: {}", c.level.as_str(), c.text)),
        commit: None,
        ..Evidence::default()
    });
    if !rap.has_code() {
        return Verdict::fail()
            .with_message(format!(
                "Claims RAP {} but there is no analysis code.",
                claimed.as_str()
            ))
            .with_evidence(claims);
    }
    let Some(assessment) = context.provided::<RapAssessment>() else {
        return Verdict::error("the RAP level was not assessed before this rule ran");
    };
    let mut evidence: Vec<Evidence> = claims.collect();
    if assessment.level >= claimed {
        return Verdict::pass().with_evidence(evidence);
    }
    let gaps: Vec<&RapGap> = assessment
        .gaps
        .iter()
        .filter(|g| g.level <= claimed)
        .collect();
    evidence.extend(gaps.iter().map(|g| {
        note(format!(
            "{} gap: {} — {}",
            g.level.as_str(),
            g.rule,
            g.message
        ))
    }));
    Verdict::fail()
        .with_message(format!(
            "Claims RAP {}, but the evidence supports {}: {} criteri{} not met.",
            claimed.as_str(),
            match assessment.level {
                RapLevel::None => "no RAP level".to_string(),
                level => level.as_str().to_string(),
            },
            gaps.len(),
            if gaps.len() == 1 { "on" } else { "a" }
        ))
        .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::model::{Outcome, RapAssessment, RapGap, RapLevel};

    fn notebook(outputs: &str) -> String {
        format!(
            r#"{{"cells":[{{"cell_type":"code","source":["x = 1\n"],"outputs":{outputs}}},{{"cell_type":"code","source":["x\n"],"outputs":{outputs}}}],"metadata":{{"kernelspec":{{"language":"python"}}}},"nbformat":4,"nbformat_minor":5}}"#
        )
    }

    #[test]
    fn notebooks_by_policy() {
        let none = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(none.path(), "rap-notebooks");
        assert_eq!(verdict.outcome, Outcome::NotApplicable);
        assert_eq!(message(&verdict), "no notebooks");

        let cleared = notebook("[]");
        let dirty = notebook(r#"[{"output_type":"stream","name":"stdout","text":["1\n"]}]"#);
        let clean_dir = repo(&[("analysis.ipynb", &cleared)]);
        let verdict = judge(clean_dir.path(), "rap-notebooks");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["outputs cleared: analysis.ipynb"]);

        let dirty_dir = repo(&[("analysis.ipynb", &dirty), ("clean.ipynb", &cleared)]);
        let verdict = judge(dirty_dir.path(), "rap-notebooks");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("Notebooks are committed with their outputs"));
        assert_eq!(verdict.evidence.len(), 1);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("analysis.ipynb"));
        assert_eq!(excerpts(&verdict), ["2 code cells with outputs"]);

        let verdict = judge_with(dirty_dir.path(), "rap-notebooks", "allow = \"any\"", None);
        assert_eq!(verdict.outcome, Outcome::Pass);
        let verdict = judge_with(clean_dir.path(), "rap-notebooks", "allow = \"never\"", None);
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "1 notebook in published code; this checklist allows none."
        );
    }

    fn assessed(level: RapLevel, gaps: &[(&str, RapLevel)]) -> RapAssessment {
        RapAssessment {
            level,
            next: None,
            gaps: gaps
                .iter()
                .map(|(rule, level)| RapGap {
                    rule: rule.to_string(),
                    level: *level,
                    message: format!("{rule} is not met"),
                    help: String::new(),
                })
                .collect(),
        }
    }

    const CLAIMS_SILVER: &str =
        "# Waits\n\n![RAP](https://img.shields.io/badge/RAP-Silver-silver)\n";

    #[test]
    fn no_claim_is_not_applicable() {
        let dir = repo(&[("run.py", "print(1)\n"), ("README.md", "# Waits\n")]);
        let verdict = judge_with(
            dir.path(),
            "rap-declared-level",
            "",
            Some(assessed(RapLevel::Gold, &[])),
        );
        assert_eq!(verdict.outcome, Outcome::NotApplicable);
    }

    #[test]
    fn a_claim_is_supported_at_or_above_the_assessed_level() {
        let dir = repo(&[("run.py", "print(1)\n"), ("README.md", CLAIMS_SILVER)]);
        for level in [RapLevel::Silver, RapLevel::Gold] {
            let verdict = judge_with(
                dir.path(),
                "rap-declared-level",
                "",
                Some(assessed(level, &[])),
            );
            assert_eq!(verdict.outcome, Outcome::Pass, "{level:?}");
            assert_eq!(verdict.evidence[0].path.as_deref(), Some("README.md"));
            assert_eq!(verdict.evidence[0].line, Some(3));
            assert!(excerpts(&verdict)[0].starts_with("claims silver: ![RAP]"));
        }
    }

    #[test]
    fn a_claim_above_the_evidence_fails_with_the_gaps_up_to_the_claim() {
        let dir = repo(&[("run.py", "print(1)\n"), ("README.md", CLAIMS_SILVER)]);
        let assessment = assessed(
            RapLevel::Baseline,
            &[
                ("rap/logging", RapLevel::Silver),
                ("rap/config-file", RapLevel::Silver),
                ("rap/packaged", RapLevel::Gold),
            ],
        );
        let verdict = judge_with(dir.path(), "rap-declared-level", "", Some(assessment));
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Claims RAP silver, but the evidence supports baseline: 2 criteria not met."
        );
        let evidence = excerpts(&verdict);
        assert_eq!(evidence.len(), 3, "{evidence:?}");
        assert_eq!(
            evidence[1],
            "silver gap: rap/logging — rap/logging is not met"
        );
        assert_eq!(
            evidence[2],
            "silver gap: rap/config-file — rap/config-file is not met"
        );

        let verdict = judge_with(
            dir.path(),
            "rap-declared-level",
            "",
            Some(assessed(
                RapLevel::None,
                &[("rap/peer-review", RapLevel::Baseline)],
            )),
        );
        assert_eq!(
            message(&verdict),
            "Claims RAP silver, but the evidence supports no RAP level: 1 criterion not met."
        );
    }

    #[test]
    fn a_checklist_claim_and_a_claim_without_code() {
        let checklist = "# Levels of RAP\n\n## Baseline\n\n- [x] open language\n- [x] git\n\n## Silver\n\n- [ ] tests\n";
        let docs = repo(&[("README.md", "# Notes\n"), ("LEVELS_OF_RAP.md", checklist)]);
        let verdict = judge_with(docs.path(), "rap-declared-level", "", None);
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Claims RAP baseline but there is no analysis code."
        );
        assert_eq!(
            verdict.evidence[0].path.as_deref(),
            Some("LEVELS_OF_RAP.md")
        );
        assert_eq!(
            excerpts(&verdict),
            ["claims baseline: 2/2 baseline boxes ticked"]
        );
    }

    #[test]
    fn a_claim_judged_before_the_assessment_is_an_error() {
        let dir = repo(&[("run.py", "print(1)\n"), ("README.md", CLAIMS_SILVER)]);
        let verdict = judge(dir.path(), "rap-declared-level");
        assert_eq!(verdict.outcome, Outcome::Error);
    }
}
