//! RAP (Reproducible Analytical Pipelines) levels, as the NHS RAP Community of Practice defines
//! them: Baseline, Silver and Gold. The evidence is gathered once per repository (the
//! [`RapEvidence`] fact, shown in the report's `facts.rap`); one built-in analyzer per criterion
//! turns it into a verdict ([`criteria`]); and [`level`] derives the level and the next steps
//! from the findings, so a pack's overrides and waivers shape the level too.

pub mod ci;
pub mod code;
pub mod commands;
pub mod criteria;
pub mod declared;
pub mod deps;
pub mod language;
pub mod orchestration;
pub mod pins;
pub mod project;
pub mod sql;
pub mod tests;

use std::sync::LazyLock;

use regex::Regex;

use super::readme::{FoundReadme, Readme};
use crate::facts::{Fact, RepoContext};
use crate::model::facts::rap::Located;
use crate::model::facts::rap::{Language, Manifest, RapEvidence, RunCommand, TestFacts};
use crate::snapshot::Snapshot;

/// README headings that set out how to reproduce or run the work.
const STEP_HEADINGS: &[&str] = &[
    "installation",
    "install",
    "getting started",
    "get started",
    "quick start",
    "quickstart",
    "usage",
    "how to run",
    "how to use",
    "running",
    "running the pipeline",
    "run the pipeline",
    "reproducing",
    "reproduce",
    "how to reproduce",
    "reproducibility",
    "set up",
    "setup",
    "instructions",
    "method",
    "running the code",
    "how to run the code",
    // "Run locally", "Run the app", "Deploy locally", "Local setup".
    "run",
    "deploy locally",
    "local setup",
    "local development",
    "local installation",
];

// Script names, paths and URLs as ASCII classes: a Unicode `\w` under `(?i)` cost these two
// patterns 2 ms of compiling in every process.
static RUN_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|[\s`])(python3? (-m )?[A-Za-z0-9_./-]+|Rscript |source\(|make (run|all)\b|snakemake|targets::tar_make|pip install|renv::restore|poetry (install|run)|uv (sync|run)|(devtools|remotes)::install_(github|gitlab|git|local)\(|pak::pkg_install\(|install\.packages\()")
        .expect("valid regex")
});
static PUBLICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)https?://(www\.)?(digital\.nhs\.uk/data-and-information/publications|england\.nhs\.uk/statistics|gov\.uk/government/(statistics|publications)|ons\.gov\.uk|[A-Za-z0-9_.-]+/[A-Za-z0-9_/.-]*publications?/)[^\s)\]>]*")
        .expect("valid regex")
});

impl Fact for RapEvidence {
    fn compute(context: &RepoContext) -> Self {
        let manifests = context.get::<deps::Manifests>();
        analyze(
            context.snapshot,
            context.get::<FoundReadme>().get(),
            manifests.0.clone(),
        )
    }
}

/// The main languages and their tests, without the code scan the full RAP evidence needs:
/// `rap/tests-present` is a foundation rule and should cost no more than a listing.
#[derive(Debug, Clone)]
pub struct RapTests {
    pub primary: Vec<Language>,
    pub tests: TestFacts,
    /// SQL scripts are the pipeline (see [`language::Profile::sql_pipeline`]).
    pub sql_pipeline: bool,
    /// Any analysis code at all: a documentation site is not a pipeline, so what a pipeline
    /// needs (tests, declared dependencies) does not apply to it.
    pub has_code: bool,
}

impl Fact for RapTests {
    fn compute(context: &RepoContext) -> Self {
        match context.peek::<RapEvidence>() {
            Some(evidence) => RapTests {
                primary: evidence.primary.clone(),
                tests: evidence.tests.clone(),
                sql_pipeline: evidence.sql.is_some(),
                has_code: evidence.has_code(),
            },
            None => {
                let profile = language::profile(context.snapshot);
                RapTests {
                    primary: profile.primary(),
                    tests: tests::analyze(context.snapshot, &profile),
                    sql_pipeline: profile.sql_pipeline(),
                    has_code: !profile.files.is_empty(),
                }
            }
        }
    }
}

pub fn analyze(
    snapshot: &Snapshot,
    readme: Option<&Readme>,
    dependencies: Vec<Manifest>,
) -> RapEvidence {
    let profile = language::profile(snapshot);
    let readme_text = readme.map(|r| (r.path.as_str(), r.text.as_str()));
    let readme_commands = readme
        .map(|r| commands::find(snapshot, r))
        .unwrap_or_default();
    RapEvidence {
        languages: profile.counts(),
        primary: profile.primary(),
        code: code::analyze(snapshot, &profile),
        sql: sql::analyze(snapshot, &profile),
        notebooks: code::notebooks(snapshot, &profile),
        tests: tests::analyze(snapshot, &profile),
        dependencies,
        ci: ci::analyze(snapshot),
        orchestration: orchestration::analyze(snapshot),
        project: project::analyze(snapshot, &profile),
        readme_steps: readme
            .and_then(|r| readme_steps(r, &readme_commands).or_else(|| linked_guide(snapshot, r))),
        readme_commands,
        publication_links: readme_text
            .map(|(_, text)| {
                let mut links: Vec<String> = PUBLICATION
                    .find_iter(text)
                    .map(|m| m.as_str().to_string())
                    .collect();
                links.dedup();
                links.truncate(5);
                links
            })
            .unwrap_or_default(),
        declared: declared::find(snapshot, readme_text),
        profile,
    }
}

/// A Markdown link from the README to a guide in the repository: `[Standard Operating
/// Procedure (SOP)](sop/sop.md)`, `[How to run](docs/running.md)`. Publication teams keep the
/// step-by-step guide beside the code and point to it from the README.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\n]{1,200})\]\(\s*<?([^)\s>]+)>?").expect("valid regex"));
static GUIDE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsop\b|standard operating procedure|step[- ]by[- ]step|how[- _]to[- _](?:run|use|reproduce|produce)|\brunning\b|run[- _]the[- _](?:pipeline|code|publication|analysis)|instructions|user[- _]guide|guide to produc|reproduc|getting[- _]started|quick[- _]?start|\busage\b")
        .expect("valid regex")
});

fn linked_guide(snapshot: &Snapshot, readme: &Readme) -> Option<Located> {
    let base = readme.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    readme.text.lines().enumerate().find_map(|(index, line)| {
        LINK.captures_iter(line).find_map(|link| {
            let (text, target) = (link.get(1)?.as_str(), link.get(2)?.as_str());
            if target.contains("://")
                || target.starts_with(['#', '/'])
                || target.starts_with("mailto:")
            {
                return None;
            }
            if !GUIDE_WORDS.is_match(text) && !GUIDE_WORDS.is_match(target) {
                return None;
            }
            let target = target
                .split('#')
                .next()
                .unwrap_or(target)
                .trim_start_matches("./");
            let path = if base.is_empty() {
                target.to_string()
            } else {
                format!("{base}/{target}")
            };
            let path = path.trim_end_matches('/');
            let prefix = format!("{path}/");
            let exists =
                snapshot.is_file(path) || snapshot.files().any(|e| e.path.starts_with(&prefix));
            exists.then(|| Located {
                path: readme.path.clone(),
                line: Some(index as u64 + 1),
                text: format!(
                    "guide: [{}]({})",
                    text.trim(),
                    link.get(2).map_or("", |m| m.as_str())
                ),
            })
        })
    })
}

fn readme_steps(readme: &Readme, commands: &[RunCommand]) -> Option<Located> {
    let heading = readme.outline.headings.iter().find(|h| {
        STEP_HEADINGS
            .iter()
            .any(|s| h.normalised == *s || h.normalised.starts_with(&format!("{s} ")))
    });
    if let Some(heading) = heading {
        return Some(Located {
            path: readme.path.clone(),
            line: Some(heading.line as u64),
            text: format!("heading: {}", heading.text),
        });
    }
    if let Some(command) = commands.first() {
        return Some(Located {
            path: command.path.clone(),
            line: Some(command.line),
            text: command.command.clone(),
        });
    }
    readme.text.lines().enumerate().find_map(|(index, line)| {
        RUN_COMMAND.is_match(line).then(|| Located {
            path: readme.path.clone(),
            line: Some(index as u64 + 1),
            text: line.trim().chars().take(100).collect(),
        })
    })
}
