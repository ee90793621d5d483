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
    // The link from the publication back to the code lives outside the repository, so files
    // can only ever show half of this criterion, and never a failure. A missing licence is
    // `licence/present`'s failure; counting it here too would fail the repository twice.
    with_code(context, |rap| {
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

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::model::{Outcome, RepoMetadata, ReviewEvidence};

    const MIT: &str = "MIT License\n\nCopyright (c) 2024 Invented Trust\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

    #[test]
    fn open_language_passes_python_r_and_sql_and_counts_files() {
        let dir = repo(&[
            ("a.py", "x = 1\n"),
            ("b.py", "y = 2\n"),
            ("query.sql", "select 1;\n"),
        ]);
        let verdict = judge(dir.path(), "rap-open-language");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["Python: 2 files; SQL: 1 file"]);
    }

    #[test]
    fn open_language_fails_when_only_proprietary_code_produces_outputs() {
        let dir = repo(&[("extract.sas", "data x; run;\n"), ("model.do", "reg y x\n")]);
        let verdict = judge(dir.path(), "rap-open-language");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(
            message(&verdict).contains("proprietary code (SAS, Stata)"),
            "{verdict:?}"
        );
    }

    #[test]
    fn open_language_needs_review_when_proprietary_code_sits_beside_open_code() {
        let dir = repo(&[("clean.py", "x = 1\n"), ("legacy.sps", "FREQUENCIES x.\n")]);
        let verdict = judge(dir.path(), "rap-open-language");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(
            message(&verdict).starts_with("SPSS code sits beside open-source code"),
            "{verdict:?}"
        );
    }

    /// A reader's test workbook with macros is a fixture, not the code behind outputs; a
    /// macro workbook elsewhere still counts.
    #[test]
    fn macro_workbooks_among_tests_are_fixtures_not_code() {
        let dir = repo(&[
            ("clean.py", "x = 1\n"),
            ("test/resources/sample_xlsm.xlsm", "not really a workbook"),
            ("examples/book.xlam", "not really an add-in"),
        ]);
        let verdict = judge(dir.path(), "rap-open-language");
        assert_eq!(verdict.outcome, Outcome::Pass, "{verdict:?}");
        assert_eq!(excerpts(&verdict), ["Python: 1 file"]);
        let dir = repo(&[
            ("clean.py", "x = 1\n"),
            ("report/build_tables.xlsm", "not really a workbook"),
        ]);
        let verdict = judge(dir.path(), "rap-open-language");
        assert_eq!(verdict.outcome, Outcome::NeedsReview, "{verdict:?}");
    }

    #[test]
    fn criteria_about_code_do_not_apply_without_code() {
        let dir = repo(&[
            ("README.md", "# Notes\n\n## Usage\n\nRead it.\n"),
            ("LICENSE", MIT),
        ]);
        for analyzer in [
            "rap-open-language",
            "rap-version-control",
            "rap-readme-reproduce",
            "rap-peer-review",
            "rap-publication-link",
        ] {
            let verdict = judge(dir.path(), analyzer);
            assert_eq!(verdict.outcome, Outcome::NotApplicable, "{analyzer}");
            assert!(
                message(&verdict).starts_with("no analysis code"),
                "{analyzer}"
            );
        }
    }

    #[test]
    fn a_plain_directory_needs_review_for_version_control() {
        let dir = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(dir.path(), "rap-version-control");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(message(&verdict).starts_with("a plain directory"));
        assert!(excerpts(&verdict)[0].starts_with("source: "));
    }

    #[test]
    fn git_history_passes_and_a_single_commit_needs_review_unless_snapshots_are_ok() {
        let one = repo(&[("run.py", "print(1)\n")]);
        let source = git_history(one.path(), &["Published snapshot"], &[]);
        let verdict = judge_source(source, "rap-version-control", "", None);
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(message(&verdict).contains("single commit"), "{verdict:?}");
        assert!(excerpts(&verdict)[0].starts_with("git: 1 commit at "));

        let source = open_git(one.path());
        let verdict = judge_source(source, "rap-version-control", "snapshot-ok = true", None);
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert!(excerpts(&verdict)[0].starts_with("git: 1 commit at "));

        let two = repo(&[("run.py", "print(1)\n")]);
        let source = git_history(two.path(), &["First", "Second"], &[]);
        let verdict = judge_source(source, "rap-version-control", "", None);
        assert_eq!(verdict.outcome, Outcome::Pass);
        let excerpt = &excerpts(&verdict)[0];
        assert!(excerpt.starts_with("git: 2 commits at "), "{excerpt}");
        // The commit is shortened to twelve hex digits.
        let commit = excerpt.trim_start_matches("git: 2 commits at ");
        assert_eq!(commit.len(), 12, "{excerpt}");
        assert!(commit.chars().all(|c| c.is_ascii_hexdigit()), "{excerpt}");
    }

    #[test]
    fn a_github_source_is_under_version_control() {
        let dir = repo(&[("run.py", "print(1)\n")]);
        let source = Posing::github(dir.path(), RepoMetadata::default());
        let verdict = judge_source(source, "rap-version-control", "", None);
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(excerpts(&verdict), ["GitHub: nhs-example/pipeline"]);
    }

    #[test]
    fn readme_steps_under_a_heading_or_as_run_commands() {
        let heading = repo(&[
            ("run.py", "print(1)\n"),
            (
                "README.md",
                "# Waits\n\nAbout.\n\n## Getting started\n\nClone it.\n",
            ),
        ]);
        let verdict = judge(heading.path(), "rap-readme-reproduce");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("README.md"));
        assert_eq!(verdict.evidence[0].line, Some(5));
        assert_eq!(excerpts(&verdict), ["heading: Getting started"]);

        let command = repo(&[
            ("run.py", "print(1)\n"),
            (
                "README.md",
                "# Waits\n\nTo make the tables:\n\n    Rscript build_tables.R\n",
            ),
        ]);
        let verdict = judge(command.path(), "rap-readme-reproduce");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].line, Some(5));
        assert_eq!(excerpts(&verdict), ["Rscript build_tables.R"]);

        // A link to the step-by-step guide kept beside the code (end-of-life-pub's SOP).
        let sop = repo(&[
            ("code/run.R", "x <- 1\n"),
            ("sop/sop.md", "1. Open the project.\n"),
            (
                "README.md",
                "# Publication\n\nGuidance:\n* **[Standard Operating Procedure (SOP)](sop/sop.md)** - A step by step guide.\n* [Methodology](sop/methodology.md)\n",
            ),
        ]);
        let verdict = judge(sop.path(), "rap-readme-reproduce");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(verdict.evidence[0].line, Some(4));
        assert_eq!(
            excerpts(&verdict),
            ["guide: [Standard Operating Procedure (SOP)](sop/sop.md)"]
        );
        // A guide the repository does not hold, or one elsewhere on the web, proves nothing here.
        let missing = repo(&[
            ("code/run.R", "x <- 1\n"),
            (
                "README.md",
                "# Publication\n\nSee the [SOP](sop/sop.md) and the [user guide](https://example.org/guide).\n",
            ),
        ]);
        let verdict = judge(missing.path(), "rap-readme-reproduce");
        assert_eq!(verdict.outcome, Outcome::Fail);
    }

    #[test]
    fn a_readme_without_steps_or_no_readme_fails() {
        let silent = repo(&[
            ("run.py", "print(1)\n"),
            ("README.md", "# Waits\n\nThis is about waiting times.\n"),
        ]);
        let verdict = judge(silent.path(), "rap-readme-reproduce");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("The README does not set out"));
        assert_eq!(verdict.evidence[0].path.as_deref(), Some("README.md"));

        let none = repo(&[("run.py", "print(1)\n")]);
        let verdict = judge(none.path(), "rap-readme-reproduce");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert!(message(&verdict).starts_with("There is no README"));
    }

    #[test]
    fn peer_review_from_files_needs_review_and_lists_hints() {
        let dir = repo(&[
            ("run.py", "print(1)\n"),
            (".github/CODEOWNERS", "* @invented/analysts\n"),
        ]);
        let verdict = judge(dir.path(), "rap-peer-review");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(message(&verdict).starts_with("files cannot show peer review"));
        assert_eq!(
            excerpts(&verdict),
            [".github/CODEOWNERS routes changes to reviewers"]
        );
    }

    fn reviewed(merged: usize, reviewed: usize) -> RepoMetadata {
        RepoMetadata {
            reviews: Some(ReviewEvidence { merged, reviewed }),
            ..RepoMetadata::default()
        }
    }

    #[test]
    fn peer_review_from_the_api_passes_at_the_share_and_fails_below_it() {
        let dir = repo(&[("run.py", "print(1)\n")]);
        let judge_api = |merged, done, params: &str| {
            judge_source(
                Posing::github(dir.path(), reviewed(merged, done)),
                "rap-peer-review",
                params,
                None,
            )
        };
        // Exactly the default share (0.5) is enough.
        let verdict = judge_api(4, 2, "from-api = true");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["2/4 recently merged pull requests reviewed by someone else"]
        );
        let verdict = judge_api(4, 1, "from-api = true");
        assert_eq!(verdict.outcome, Outcome::Fail);
        assert_eq!(
            message(&verdict),
            "Only 1/4 recently merged pull requests were reviewed."
        );
        let verdict = judge_api(4, 2, "from-api = true\nmin-reviewed = 0.75");
        assert_eq!(verdict.outcome, Outcome::Fail);
        // Nothing merged: nothing to judge by.
        let verdict = judge_api(0, 0, "from-api = true");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(message(&verdict).starts_with("no recently merged pull requests"));
        // Review evidence is ignored unless the pack asks for it.
        let verdict = judge_api(4, 0, "");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(message(&verdict).starts_with("files cannot show peer review"));
    }

    #[test]
    fn publication_link_passes_with_a_licence_and_a_link() {
        let dir = repo(&[
            ("run.py", "print(1)\n"),
            ("LICENSE", MIT),
            (
                "README.md",
                "# Waits\n\nPublished at https://digital.nhs.uk/data-and-information/publications/statistical/invented-waits (annual).\n",
            ),
        ]);
        let verdict = judge(dir.path(), "rap-publication-link");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            [
                "README links to https://digital.nhs.uk/data-and-information/publications/statistical/invented-waits"
            ]
        );
    }

    #[test]
    fn publication_link_needs_review_without_a_link() {
        let dir = repo(&[
            ("run.py", "print(1)\n"),
            ("LICENSE", MIT),
            (
                "README.md",
                "# Waits\n\nSee https://example.org/about for more.\n",
            ),
        ]);
        let verdict = judge(dir.path(), "rap-publication-link");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(message(&verdict).starts_with("no link to a publication in the README"));
    }

    #[test]
    fn publication_link_never_fails_for_want_of_a_licence() {
        // The licence is licence/present's to judge; this criterion only looks for the link.
        let linked = repo(&[
            ("run.py", "print(1)\n"),
            (
                "README.md",
                "# Waits\n\nhttps://www.gov.uk/government/statistics/invented-waits\n",
            ),
        ]);
        let verdict = judge(linked.path(), "rap-publication-link");
        assert_eq!(verdict.outcome, Outcome::Pass);
        assert_eq!(
            excerpts(&verdict),
            ["README links to https://www.gov.uk/government/statistics/invented-waits"]
        );
        let unlinked = repo(&[("run.py", "print(1)\n"), ("README.md", "# Waits\n")]);
        let verdict = judge(unlinked.path(), "rap-publication-link");
        assert_eq!(verdict.outcome, Outcome::NeedsReview);
        assert!(!message(&verdict).contains("licence"), "{verdict:?}");
    }
}
