//! RAP Baseline criteria: open-source language, version control, a README that says how to
//! reproduce, peer review and a link to the publication.

use super::common::*;
use crate::checks::readme::FoundReadme;
use crate::facts::RepoContext;
use crate::model::SourceKind;
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

pub(super) fn open_language(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let counts: Vec<String> = rap
            .languages
            .iter()
            .map(|c| {
                format!(
                    "{}: {} file{}",
                    c.language.name(),
                    c.files,
                    if c.files == 1 { "" } else { "s" }
                )
            })
            .collect();
        let closed: Vec<&str> = rap
            .languages
            .iter()
            .filter(|c| !c.open)
            .map(|c| c.language.name())
            .collect();
        let open = rap.languages.iter().any(|c| c.open);
        let evidence = [note(counts.join("; "))];
        match (open, closed.is_empty()) {
            (true, true) => Verdict::pass().with_evidence(evidence),
            (false, _) => Verdict::fail()
                .with_message(format!(
                    "Outputs are produced by proprietary code ({}), not an open-source language.",
                    closed.join(", ")
                ))
                .with_evidence(evidence),
            (true, false) => Verdict::needs_review(format!(
                "{} code sits beside open-source code: check which produces the published outputs.",
                closed.join(", ")
            ))
            .with_evidence(evidence),
        }
    })
}

pub(super) fn version_control(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |_| judge_version_control(context, params))
}

pub(super) fn judge_version_control(context: &RepoContext, params: &Params) -> Verdict {
    let snapshot = context.snapshot;
    let info = snapshot.info();
    match info.kind {
        SourceKind::Local => Verdict::needs_review(
            "a plain directory: openly cannot see whether it is under version control",
        )
        .with_evidence([note(format!("source: {}", info.location))]),
        SourceKind::Github => {
            Verdict::pass().with_evidence([note(format!("GitHub: {}", info.location))])
        }
        SourceKind::Git => {
            let commit = info
                .commit
                .as_deref()
                .unwrap_or("")
                .chars()
                .take(12)
                .collect::<String>();
            match snapshot.metadata().commits {
                Some(1) if !params.flag("snapshot-ok") => Verdict::needs_review(
                    "git history has a single commit: is this a published snapshot of a repository kept elsewhere?",
                )
                .with_evidence([note(format!("git: 1 commit at {commit}"))]),
                Some(n) => Verdict::pass().with_evidence([note(format!(
                    "git: {n}{} commit{} at {commit}",
                    if n >= crate::source::git::COMMIT_COUNT_CAP { "+" } else { "" },
                    if n == 1 { "" } else { "s" }
                ))]),
                None => Verdict::pass().with_evidence([note(format!("git at {commit}"))]),
            }
        }
    }
}

pub(super) fn readme_reproduce(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        match (&rap.readme_steps, context.get::<FoundReadme>().get()) {
            (Some(hit), _) => Verdict::pass().with_evidence([located(hit)]),
            (None, Some(readme)) => Verdict::fail()
                .with_message("The README does not set out the steps to reproduce the outputs.")
                .with_evidence([Evidence::path(&readme.path)]),
            (None, None) => Verdict::fail()
                .with_message("There is no README to set out the steps to reproduce the outputs."),
        }
    })
}

pub(super) fn peer_review(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |_| {
        let snapshot = context.snapshot;
        let hints: Vec<Evidence> = [
            ".github/CODEOWNERS",
            "CODEOWNERS",
            "docs/CODEOWNERS",
            ".github/pull_request_template.md",
            ".github/PULL_REQUEST_TEMPLATE.md",
        ]
        .iter()
        .filter(|p| snapshot.is_file(p))
        .map(|p| note(format!("{p} routes changes to reviewers")))
        .collect();
        let reviews = snapshot.metadata().reviews.as_ref();
        match reviews.filter(|_| params.flag("from-api")) {
            Some(r) if r.merged > 0 => {
                let wanted = params.share("min-reviewed");
                let evidence = note(format!(
                    "{}/{} recently merged pull requests reviewed by someone else",
                    r.reviewed, r.merged
                ));
                if r.reviewed as f64 >= wanted * r.merged as f64 {
                    Verdict::pass().with_evidence([evidence])
                } else {
                    Verdict::fail()
                        .with_message(format!(
                            "Only {}/{} recently merged pull requests were reviewed.",
                            r.reviewed, r.merged
                        ))
                        .with_evidence([evidence])
                }
            }
            Some(_) => {
                Verdict::needs_review("no recently merged pull requests to judge peer review by")
                    .with_evidence(hints)
            }
            None => Verdict::needs_review(
                "files cannot show peer review: check that changes are reviewed before merging",
            )
            .with_evidence(hints),
        }
    })
}

pub(super) fn publication_link(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        // Code without a licence is visible, not published openly: nobody may reuse it.
        if crate::checks::licence::files::find(context.snapshot).is_empty() {
            return Verdict::fail().with_message(
                "The code is not published openly: it has no licence, so nobody may reuse it.",
            );
        }
        if rap.publication_links.is_empty() {
            Verdict::needs_review(
                "no link to a publication in the README: check that the publication links to this code and back",
            )
        } else {
            Verdict::pass().with_evidence(
                rap.publication_links
                    .iter()
                    .map(|l| note(format!("README links to {l}"))),
            )
        }
    })
}
