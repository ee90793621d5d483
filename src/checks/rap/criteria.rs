//! One built-in analyzer per RAP criterion. Each reads the shared [`RapEvidence`] and says
//! pass, fail or needs-review with concrete evidence. Analyzer names are a public contract,
//! like rule ids; the rule that uses each, and its level, are set in `rules/playbook.toml`.

use crate::checks::RepoContext;
use crate::checks::builtin::Builtin;
use crate::model::RapLevel;
use crate::model::SourceKind;
use crate::model::facts::rap::Language;
use crate::model::facts::rap::Located;
use crate::model::facts::rap::RapEvidence;
use crate::model::{Evidence, Verdict};

/// The analyzers that read other rules' findings, so the engine runs them last.
pub const DEFERRED: &[&str] = &["rap-declared-level"];

#[derive(Clone, Copy)]
enum Ty {
    Bool,
    Share,
    Choice(&'static [&'static str]),
}

fn check_params(params: &toml::Table, allowed: &[(&str, Ty)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in params {
        let Some((_, ty)) = allowed.iter().find(|(name, _)| name == key) else {
            let known: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
            problems.push(if known.is_empty() {
                format!("unknown parameter `{key}`: this analyzer takes none")
            } else {
                format!("unknown parameter `{key}`; expected {}", known.join(", "))
            });
            continue;
        };
        let ok = match ty {
            Ty::Bool => value.is_bool(),
            Ty::Share => value
                .as_float()
                .or_else(|| value.as_integer().map(|i| i as f64))
                .is_some_and(|v| (0.0..=1.0).contains(&v)),
            Ty::Choice(choices) => value.as_str().is_some_and(|v| choices.contains(&v)),
        };
        if !ok {
            problems.push(match ty {
                Ty::Bool => format!("`{key}` must be true or false"),
                Ty::Share => format!("`{key}` must be a number from 0 to 1"),
                Ty::Choice(choices) => format!("`{key}` must be one of {}", choices.join(", ")),
            });
        }
    }
    problems
}

fn flag(params: &toml::Table, key: &str) -> bool {
    params.get(key).and_then(|v| v.as_bool()).unwrap_or(false)
}

fn share(params: &toml::Table, key: &str, default: f64) -> f64 {
    params
        .get(key)
        .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
        .unwrap_or(default)
}

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
    let evidence = context.rap();
    if evidence.has_code() {
        judge(evidence)
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

fn open_language(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn version_control(context: &RepoContext, params: &toml::Table) -> Verdict {
    with_code(context, |_| judge_version_control(context, params))
}

fn judge_version_control(context: &RepoContext, params: &toml::Table) -> Verdict {
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
                Some(1) if !flag(params, "snapshot-ok") => Verdict::needs_review(
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

fn readme_reproduce(context: &RepoContext, _: &toml::Table) -> Verdict {
    with_code(context, |rap| match (&rap.readme_steps, context.readme()) {
        (Some(hit), _) => Verdict::pass().with_evidence([located(hit)]),
        (None, Some(readme)) => Verdict::fail()
            .with_message("The README does not set out the steps to reproduce the outputs.")
            .with_evidence([Evidence::path(&readme.path)]),
        (None, None) => Verdict::fail()
            .with_message("There is no README to set out the steps to reproduce the outputs."),
    })
}

fn peer_review(context: &RepoContext, params: &toml::Table) -> Verdict {
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
        match reviews.filter(|_| flag(params, "from-api")) {
            Some(r) if r.merged > 0 => {
                let wanted = share(params, "min-reviewed", 0.5);
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

fn publication_link(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn entry_point(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn config_file(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn documented_code(context: &RepoContext, params: &toml::Table) -> Verdict {
    with_code(context, |rap| {
        let wanted = share(params, "min-share", 0.5);
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

fn standard_layout(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn reusable_functions(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn coding_standards(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn tests_present(context: &RepoContext, _: &toml::Table) -> Verdict {
    let (primary, tests) = context.rap_tests();
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

fn dependencies_pinned(context: &RepoContext, params: &toml::Table) -> Verdict {
    with_code(context, |rap| {
        let wanted = share(params, "min-share", 0.8);
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

fn logging(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn tidy_data(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn packaged(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn tests_in_ci(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn scheduled_runs(context: &RepoContext, _: &toml::Table) -> Verdict {
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

fn changes_signposted(context: &RepoContext, params: &toml::Table) -> Verdict {
    with_code(context, |rap| {
        let snapshot = context.snapshot;
        let api = snapshot.info().kind == SourceKind::Github;
        let tags = snapshot
            .metadata()
            .tags
            .as_ref()
            .filter(|_| !api || flag(params, "from-api"))
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

fn notebooks(context: &RepoContext, params: &toml::Table) -> Verdict {
    let rap = context.rap();
    if rap.notebooks.is_empty() {
        return Verdict::not_applicable("no notebooks");
    }
    let allow = params
        .get("allow")
        .and_then(|v| v.as_str())
        .unwrap_or("cleared");
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

fn declared_level(context: &RepoContext, _: &toml::Table) -> Verdict {
    let rap = context.rap();
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
    let Some(assessment) = context.rap_assessment() else {
        return Verdict::error("the RAP level was not assessed before this rule ran");
    };
    let mut evidence: Vec<Evidence> = claims.collect();
    if assessment.level >= claimed {
        return Verdict::pass().with_evidence(evidence);
    }
    let gaps: Vec<&super::level::Gap> = assessment
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

const BOOL: Ty = Ty::Bool;

pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "rap-open-language",
        summary: "RAP Baseline: outputs come from code in an open-source language (Python, R, SQL); SAS, SPSS, Stata and Excel VBA are flagged",
        validate: |p| check_params(p, &[]),
        run: open_language,
    },
    Builtin {
        name: "rap-version-control",
        summary: "RAP Baseline: the code is under version control (git history; a plain directory needs review). `snapshot-ok = true` accepts a single-commit published snapshot",
        validate: |p| check_params(p, &[("snapshot-ok", BOOL)]),
        run: version_control,
    },
    Builtin {
        name: "rap-readme-reproduce",
        summary: "RAP Baseline: the README sets out the steps to reproduce (an install/usage/how-to-run section or run commands)",
        validate: |p| check_params(p, &[]),
        run: readme_reproduce,
    },
    Builtin {
        name: "rap-peer-review",
        summary: "RAP Baseline: changes are peer reviewed; needs review unless `from-api = true` and the source supplies merged pull requests (`min-reviewed`, default 0.5)",
        validate: |p| check_params(p, &[("from-api", BOOL), ("min-reviewed", Ty::Share)]),
        run: peer_review,
    },
    Builtin {
        name: "rap-publication-link",
        summary: "RAP Baseline: the README links to the publication; needs review when it does not (the link back cannot be seen from files)",
        validate: |p| check_params(p, &[]),
        run: publication_link,
    },
    Builtin {
        name: "rap-entry-point",
        summary: "RAP Silver: one entry point runs the pipeline (__main__.py, main.py, main.R, _targets.R, a Makefile, [project.scripts], an R package, or a single script)",
        validate: |p| check_params(p, &[]),
        run: entry_point,
    },
    Builtin {
        name: "rap-config-file",
        summary: "RAP Silver: settings live in a config file (config.*, settings.*, params.*, config/); not applicable to library packages",
        validate: |p| check_params(p, &[]),
        run: config_file,
    },
    Builtin {
        name: "rap-documented-code",
        summary: "RAP Silver: at least `min-share` (default 0.5) of functions have docstrings (Python) or roxygen (R), per language",
        validate: |p| check_params(p, &[("min-share", Ty::Share)]),
        run: documented_code,
    },
    Builtin {
        name: "rap-standard-layout",
        summary: "RAP Silver: code in src/, R/ or a package directory, tests in tests/, no code among data or outputs",
        validate: |p| check_params(p, &[]),
        run: standard_layout,
    },
    Builtin {
        name: "rap-reusable-functions",
        summary: "RAP Silver: the code defines functions or classes (outside tests)",
        validate: |p| check_params(p, &[]),
        run: reusable_functions,
    },
    Builtin {
        name: "rap-coding-standards",
        summary: "RAP Silver: linter or formatter configuration per language (ruff, black, flake8, pylint, pre-commit; lintr, styler)",
        validate: |p| check_params(p, &[]),
        run: coding_standards,
    },
    Builtin {
        name: "rap-tests",
        summary: "test files (tests/, test_*.py, testthat, …) with their frameworks (pytest, unittest, testthat); fails when one main language has none",
        validate: |p| check_params(p, &[]),
        run: tests_present,
    },
    Builtin {
        name: "rap-dependencies-pinned",
        summary: "RAP Silver: a lock file, or at least `min-share` (default 0.8) of declared requirements pinned to exact versions, per language; library packages may use ranges",
        validate: |p| check_params(p, &[("min-share", Ty::Share)]),
        run: dependencies_pinned,
    },
    Builtin {
        name: "rap-logging",
        summary: "RAP Silver: the code records logs (logging, loguru, structlog; logger, futile.logger, log4r, lgr), per language",
        validate: |p| check_params(p, &[]),
        run: logging,
    },
    Builtin {
        name: "rap-tidy-data",
        summary: "RAP Silver: needs review (files cannot show tidy data); lists where outputs are written",
        validate: |p| check_params(p, &[]),
        run: tidy_data,
    },
    Builtin {
        name: "rap-packaged",
        summary: "RAP Gold: the code is a package (pyproject/setup.py with a package directory; DESCRIPTION, NAMESPACE and R/), per language",
        validate: |p| check_params(p, &[]),
        run: packaged,
    },
    Builtin {
        name: "rap-tests-in-ci",
        summary: "RAP Gold: a CI workflow runs the tests (pytest, unittest, tox, R CMD check, testthat, …)",
        validate: |p| check_params(p, &[]),
        run: tests_in_ci,
    },
    Builtin {
        name: "rap-scheduled-runs",
        summary: "RAP Gold: the pipeline runs on a schedule (cron) or an outside event (repository_dispatch, workflow_run)",
        validate: |p| check_params(p, &[]),
        run: scheduled_runs,
    },
    Builtin {
        name: "rap-changes-signposted",
        summary: "RAP Gold: a changelog (CHANGELOG, NEWS, HISTORY) or version tags; API tags only with `from-api = true`",
        validate: |p| check_params(p, &[("from-api", BOOL)]),
        run: changes_signposted,
    },
    Builtin {
        name: "rap-notebooks",
        summary: "notebooks in published code: `allow = \"any\"`, `\"cleared\"` (outputs cleared, the default) or `\"never\"`",
        validate: |p| check_params(p, &[("allow", Ty::Choice(&["any", "cleared", "never"]))]),
        run: notebooks,
    },
    Builtin {
        name: "rap-declared-level",
        summary: "the RAP level claimed (README, topics, LEVELS_OF_RAP.md, OPEN_CODE_CHECKLIST.md) is supported by the assessed level; lists the gaps",
        validate: |p| check_params(p, &[]),
        run: declared_level,
    },
];

/// Whether a pack asks for evidence that costs API requests (reviews, tags), so an org-mode
/// source knows to fetch it.
pub fn wants_api_evidence(pack: &crate::pack::Pack) -> bool {
    pack.rules.iter().any(|rule| match &rule.check {
        crate::pack::Check::Builtin { name, params } => {
            BUILTINS.iter().any(|b| b.name == name) && flag(params, "from-api")
        }
        _ => false,
    })
}
