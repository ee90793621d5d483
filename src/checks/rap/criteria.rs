//! One built-in analyzer per RAP criterion. Each reads the shared [`RapEvidence`] and says
//! pass, fail or needs-review with concrete evidence. Analyzer names are a public contract,
//! like rule ids; the rule that uses each, and its level, are set in `rules/playbook.toml`.

use crate::checks::rap::RapTests;
use crate::checks::readme::FoundReadme;
use crate::checks::run::Run;
use crate::facts::RepoContext;
use crate::model::RapAssessment;
use crate::model::RapGap;
use crate::model::RapLevel;
use crate::model::SourceKind;
use crate::model::facts::rap::Language;
use crate::model::facts::rap::Located;
use crate::model::facts::rap::RapEvidence;
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

fn located(hit: &Located) -> Evidence {
    Evidence {
        path: Some(hit.path.clone()),
        line: hit.line,
        excerpt: Some(hit.text.clone()),
        commit: None,
    }
}

fn note(text: impl Into<String>) -> Evidence {
    Evidence::note(text)
}

/// Criteria about code do not apply to a repository without any.
fn with_code(context: &RepoContext, judge: impl FnOnce(&RapEvidence) -> Verdict) -> Verdict {
    let evidence = context.get::<RapEvidence>();
    if evidence.has_code() {
        judge(&evidence)
    } else {
        Verdict::not_applicable("no analysis code (Python, R, SQL, SAS, SPSS, Stata or VBA) found")
    }
}

fn list(items: &[String], max: usize) -> String {
    let mut shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let more = items.len().saturating_sub(max);
    let extra = format!("and {more} more");
    if more > 0 {
        shown.push(&extra);
    }
    shown.join(", ")
}

fn names(languages: &[Language]) -> String {
    languages
        .iter()
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(" and ")
}

// ───────────────────────────── baseline ─────────────────────────────

fn open_language(context: &RepoContext, _: &Params) -> Verdict {
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

fn version_control(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |_| judge_version_control(context, params))
}

fn judge_version_control(context: &RepoContext, params: &Params) -> Verdict {
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

fn readme_reproduce(context: &RepoContext, _: &Params) -> Verdict {
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

fn peer_review(context: &RepoContext, params: &Params) -> Verdict {
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

fn publication_link(context: &RepoContext, _: &Params) -> Verdict {
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

// ───────────────────────────── silver ─────────────────────────────

fn entry_point(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        if let Some(package) = &project.r_package {
            return Verdict::pass().with_evidence([note(format!(
                "R package ({package}): its exported functions are the entry point"
            ))]);
        }
        if !project.entry_points.is_empty() {
            return Verdict::pass().with_evidence([note(format!(
                "entry point: {}",
                list(&project.entry_points, 3)
            ))]);
        }
        let mut scripts: Vec<String> = rap
            .profile
            .files
            .iter()
            .filter(|f| !f.is_test())
            .map(|f| f.path.clone())
            .collect();
        scripts.dedup();
        if scripts.len() == 1 {
            return Verdict::pass()
                .with_evidence([note(format!("one script runs everything: {}", scripts[0]))]);
        }
        if rap.code.python.main_guards.len() == 1 {
            return Verdict::pass().with_evidence([note(format!(
                "entry point: {} (`if __name__ == \"__main__\"`)",
                rap.code.python.main_guards[0]
            ))]);
        }
        Verdict::fail()
            .with_message(format!("{} scripts or notebooks and no single entry point: someone has to run them by hand, in order.", scripts.len()))
            .with_evidence([note(list(&scripts, 5))])
    })
}

fn config_file(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        if !project.config_files.is_empty() {
            return Verdict::pass()
                .with_evidence([note(format!("config: {}", list(&project.config_files, 3)))]);
        }
        let library = project.r_package.is_some()
            || (project.python_package.is_some()
                && rap.code.python.main_guards.is_empty()
                && !project
                    .entry_points
                    .iter()
                    .any(|e| !e.starts_with("pyproject.toml")));
        if library {
            return Verdict::not_applicable(
                "a library package: callers pass settings as arguments",
            );
        }
        Verdict::fail()
            .with_message("No config file: paths, dates and parameters are set inside the code.")
    })
}

fn documented_code(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let wanted = params.share("min-share");
        let mut evidence = Vec::new();
        let mut short = Vec::new();
        let primary = if rap.primary.is_empty() {
            vec![]
        } else {
            rap.primary.clone()
        };
        for language in &primary {
            let Some(facts) = rap.code.get(*language) else {
                continue;
            };
            let style = if *language == Language::R {
                "roxygen"
            } else {
                "docstrings"
            };
            let sample = if facts.files_read < facts.files_total {
                format!(
                    " (in a sample of {} of {} files)",
                    facts.files_read, facts.files_total
                )
            } else {
                String::new()
            };
            evidence.push(note(format!(
                "{}: {style} on {}/{} functions{sample}",
                language.name(),
                facts.documented,
                facts.functions
            )));
            if facts.functions == 0 || (facts.documented as f64) < wanted * facts.functions as f64 {
                short.push(*language);
            }
        }
        if primary.is_empty() {
            return Verdict::fail()
                .with_message("No Python or R functions to document.")
                .with_evidence(evidence);
        }
        if short.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!("{} code is not documented: fewer than {:.0}% of functions have docstrings or roxygen.", names(&short), wanted * 100.0))
                .with_evidence(evidence)
        }
    })
}

fn standard_layout(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let project = &rap.project;
        let mut evidence = Vec::new();
        if !project.code_dirs.is_empty() {
            evidence.push(note(format!("code in {}", project.code_dirs.join(", "))));
        }
        if let Some(dir) = &rap.tests.dir {
            evidence.push(note(format!("tests in {dir}")));
        }
        if !project.data_dirs.is_empty() {
            evidence.push(note(format!("data in {}", project.data_dirs.join(", "))));
        }
        let mut problems = Vec::new();
        if project.code_dirs.is_empty() {
            problems.push(format!(
                "code is not in src/, R/ or a package directory ({})",
                list(&project.loose_code, 3)
            ));
        }
        if !project.code_in_data.is_empty() {
            problems.push(format!(
                "code sits among data or outputs ({})",
                list(&project.code_in_data, 3)
            ));
        }
        if rap.tests.count > 0 && rap.tests.dir.is_none() {
            problems.push("tests are not in tests/".to_string());
        }
        if problems.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "The layout is not standard: {}.",
                    problems.join("; ")
                ))
                .with_evidence(evidence)
        }
    })
}

fn reusable_functions(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let (python, r) = (&rap.code.python, &rap.code.r);
        let functions = python.functions + r.functions;
        let classes = python.classes + r.classes;
        let mut files: Vec<String> = python.files_with_functions.clone();
        files.extend(r.files_with_functions.iter().cloned());
        if functions + classes == 0 {
            return Verdict::fail().with_message("No functions or classes: the code runs top to bottom and cannot be reused or tested.");
        }
        Verdict::pass().with_evidence([note(format!(
            "{functions} function{}, {classes} class{} in {}",
            if functions == 1 { "" } else { "s" },
            if classes == 1 { "" } else { "es" },
            list(&files, 3)
        ))])
    })
}

fn coding_standards(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for language in &rap.primary {
            let found = match language {
                Language::Python => &rap.project.python_standards,
                _ => &rap.project.r_standards,
            };
            if found.is_empty() {
                missing.push(*language);
            } else {
                evidence.push(note(format!("{}: {}", language.name(), list(found, 3))));
            }
        }
        if rap.primary.is_empty() {
            return Verdict::fail()
                .with_message("No linter or formatter configuration for the code.");
        }
        if missing.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "No linter or formatter configuration for {}.",
                    names(&missing)
                ))
                .with_evidence(evidence)
        }
    })
}

fn tests_present(context: &RepoContext, _: &Params) -> Verdict {
    let RapTests { primary, tests } = &*context.get::<RapTests>();
    if tests.count == 0 {
        return Verdict::fail();
    }
    let untested: Vec<Language> = primary
        .iter()
        .copied()
        .filter(|l| tests.for_language(*l) == 0)
        .collect();
    let tested_any = primary.iter().any(|l| tests.for_language(*l) > 0);
    let evidence = [note(tests.summary())];
    if tested_any && !untested.is_empty() {
        return Verdict::fail()
            .with_message(format!("No tests for the {} code.", names(&untested)))
            .with_evidence(evidence);
    }
    Verdict::pass().with_evidence(evidence)
}

fn dependencies_pinned(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let wanted = params.share("min-share");
        let mut evidence: Vec<Evidence> =
            rap.dependencies.iter().map(|m| note(m.summary())).collect();
        let mut unpinned = Vec::new();
        for language in &rap.primary {
            let manifests: Vec<_> = rap
                .dependencies
                .iter()
                .filter(|m| m.language == *language)
                .collect();
            if manifests.is_empty() {
                unpinned.push(format!("no dependency file for {}", language.name()));
                continue;
            }
            let pinned = manifests
                .iter()
                .any(|m| m.lock || (m.total > 0 && m.pinned as f64 >= wanted * m.total as f64));
            let library = match language {
                Language::Python => rap.project.python_package.is_some(),
                _ => rap.project.r_package.is_some(),
            };
            if !pinned && !library {
                unpinned.push(format!("{} versions are not pinned", language.name()));
            }
            if !pinned && library {
                evidence.push(note(format!(
                    "{} library package: version ranges are fine",
                    language.name()
                )));
            }
        }
        if rap.primary.is_empty() && rap.dependencies.is_empty() {
            return Verdict::not_applicable("no Python or R code");
        }
        if unpinned.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "Dependencies are not pinned: {}.",
                    unpinned.join("; ")
                ))
                .with_evidence(evidence)
        }
    })
}

fn logging(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for language in &rap.primary {
            match rap.code.get(*language).and_then(|c| c.logging.as_ref()) {
                Some(hit) => {
                    let mut e = located(hit);
                    e.excerpt = Some(format!("logging: `{}`", hit.text));
                    evidence.push(e);
                }
                None => missing.push(*language),
            }
        }
        if rap.primary.is_empty() {
            return Verdict::fail().with_message("The pipeline does not record logs.");
        }
        if missing.is_empty() {
            Verdict::pass().with_evidence(evidence)
        } else {
            Verdict::fail()
                .with_message(format!(
                    "The {} code does not record logs.",
                    names(&missing)
                ))
                .with_evidence(evidence)
        }
    })
}

fn tidy_data(context: &RepoContext, _: &Params) -> Verdict {
    with_code(context, |rap| {
        let mut outputs: Vec<Evidence> = rap
            .code
            .python
            .outputs
            .iter()
            .chain(&rap.code.r.outputs)
            .take(5)
            .map(located)
            .collect();
        if outputs.is_empty() {
            outputs.push(note("no output writes found in Python or R code"));
        }
        Verdict::needs_review("files cannot show whether data is tidy (one row per observation, one column per variable): check the outputs")
            .with_evidence(outputs)
    })
}

// ───────────────────────────── gold ─────────────────────────────

fn packaged(context: &RepoContext, _: &Params) -> Verdict {
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

fn tests_in_ci(context: &RepoContext, _: &Params) -> Verdict {
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

fn scheduled_runs(context: &RepoContext, _: &Params) -> Verdict {
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

fn changes_signposted(context: &RepoContext, params: &Params) -> Verdict {
    with_code(context, |rap| {
        let snapshot = context.snapshot;
        let api = snapshot.info().kind == SourceKind::Github;
        let tags = snapshot
            .metadata()
            .tags
            .as_ref()
            .filter(|_| !api || params.flag("from-api"))
            .map(|t| super::project::version_tags(t));
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

// ───────────────────────────── not levelled ─────────────────────────────

fn notebooks(context: &RepoContext, params: &Params) -> Verdict {
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

fn declared_level(context: &RepoContext, _: &Params) -> Verdict {
    let rap = context.get::<RapEvidence>();
    let Some(claimed) = rap.declared_level() else {
        return Verdict::not_applicable("no RAP level is claimed");
    };
    let claims = rap.declared.iter().map(|c| Evidence {
        path: (c.source != "topic").then(|| c.source.clone()),
        line: c.line,
        excerpt: Some(format!("claims {}: {}", c.level.as_str(), c.text)),
        commit: None,
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
