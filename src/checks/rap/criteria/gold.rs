//! RAP Gold criteria: a packaged pipeline, tests in CI, scheduled runs, signposted changes.

use super::common::*;
use crate::facts::RepoContext;
use crate::model::SourceKind;
use crate::model::facts::rap::Language;
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

pub(super) fn packaged(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for language in &rap.primary {
            let found = match language {
                Language::Python => rap.project.python_package.as_ref(),
                _ => rap.project.r_package.as_ref(),
            };
            match found {
                Some(package) => {
                    evidence.push(note(format!("{} package: {package}", language.name())))
                }
                None => missing.push(*language),
            }
        }
        if rap.primary.is_empty() || !missing.is_empty() {
            let which = if missing.is_empty() {
                "The code".to_string()
            } else {
                format!("The {} code", names(&missing))
            };
            return Verdict::fail()
                .with_message(format!("{which} is not packaged."))
                .with_evidence(evidence);
        }
        Verdict::pass().with_evidence(evidence)
    })
}

pub(super) fn tests_in_ci(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let ci = &rap.ci;
        if ci.files.is_empty() {
            return Verdict::fail()
                .with_message("No CI configuration, so tests do not run automatically.");
        }
        if ci.test_steps.is_empty() {
            return Verdict::fail()
                .with_message("CI is set up but does not run the tests.")
                .with_evidence(ci.files.iter().map(Evidence::path));
        }
        Verdict::pass().with_evidence(ci.test_steps.iter().take(3).map(located))
    })
}

pub(super) fn scheduled_runs(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let ci = &rap.ci;
        let hits: Vec<Evidence> = ci
            .schedules
            .iter()
            .chain(&ci.events)
            .take(3)
            .map(located)
            .collect();
        if hits.is_empty() {
            Verdict::fail().with_evidence(
                ci.files
                    .iter()
                    .map(|f| note(format!("{f}: no schedule or event trigger"))),
            )
        } else {
            Verdict::pass().with_evidence(hits)
        }
    })
}

pub(super) fn changes_signposted(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let snapshot = context.snapshot;
        let api = snapshot.info().kind == SourceKind::Github;
        let tags = snapshot
            .metadata()
            .tags
            .as_ref()
            .filter(|_| !api || params.flag("from-api"))
            .map(|t| crate::checks::rap::project::version_tags(t));
        let mut evidence = Vec::new();
        if let Some(changelog) = &rap.project.changelog {
            evidence.push(Evidence::path(changelog));
        }
        if let Some(tags) = tags.as_ref().filter(|t| !t.is_empty()) {
            evidence.push(note(format!("version tags: {}", list(tags, 3))));
        }
        if let Some(version) = &rap.project.version {
            evidence.push(note(format!("version {version}")));
        }
        let signposted =
            rap.project.changelog.is_some() || tags.as_ref().is_some_and(|t| !t.is_empty());
        if signposted {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail().with_evidence(evidence)
        }
    })
}
