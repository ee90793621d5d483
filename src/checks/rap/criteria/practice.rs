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
