//! One repository, from an opened source to its report: snapshot, the repository's own
//! configuration, facts and findings, the RAP level (assessed once), the score. Every kind of
//! target goes through here, so a repository is judged the same whether it came from a
//! folder, a git revision, GitHub or one side of a pull request.

use crate::checks;
use crate::facts::{AuditTime, RepoContext};
use crate::model::facts::RapEvidence;
use crate::model::{RapAssessment, RapLevel, RepoErrorKind, RepoReport, SourceInfo, SourceKind};
use crate::pack::{self, Pack};
use crate::snapshot::Snapshot;
use crate::source::{Opener, Source};

use super::AuditOptions;

/// Name of the per-repository config file.
pub const REPO_CONFIG: &str = ".openly.toml";

/// Opens the repository and audits it; a repository that cannot be opened is reported as
/// errored, with what its listing told about it.
pub fn audit_opened(opener: &dyn Opener, pack: &Pack, options: &AuditOptions) -> RepoReport {
    let mut report = match opener.open() {
        Ok(source) => audit_source(opener.name(), source, pack, options),
        Err(error) => errored(opener.name(), opener.info(), error.kind, error.message),
    };
    if report.metadata.is_none() {
        report.metadata = opener.listing_metadata();
    }
    report
}

/// Audits one repository from any source.
pub fn audit_source(
    name: &str,
    source: Box<dyn Source>,
    pack: &Pack,
    options: &AuditOptions,
) -> RepoReport {
    let info = source.info().clone();
    let is_github = info.kind == SourceKind::Github;
    let snapshot = match Snapshot::new(source, options.limits) {
        Ok(snapshot) => snapshot,
        Err(error) => return errored(name, info, RepoErrorKind::Source, error.to_string()),
    };
    let repo_pack;
    let pack = match repo_config(&snapshot, pack, options) {
        Ok(Some(layered)) => {
            repo_pack = layered;
            &repo_pack
        }
        Ok(None) => pack,
        Err(error) => {
            let kind = match error.kind() {
                crate::model::ErrorKind::Config => RepoErrorKind::Config,
                _ => RepoErrorKind::Source,
            };
            return errored(name, info, kind, error.to_string());
        }
    };
    let context = RepoContext::new(&snapshot, pack).with_history(options.history);
    context.provide(AuditTime(super::audit_time()));
    let scope = checks::AllowScope {
        repo: name,
        today: options.today,
    };
    let findings = checks::evaluate(&context, scope, |evidence, context| {
        context.provide(crate::score::rap::assess(context.pack(), evidence));
    });
    let score = crate::score::score(&findings);
    let rap = if pack.has_levels() {
        let evidence = context.get::<RapEvidence>();
        context.provided::<RapAssessment>().and_then(|assessment| {
            crate::score::rap::summary(
                pack,
                &assessment,
                evidence.has_code(),
                evidence.declared_level(),
            )
        })
    } else {
        None
    };
    RepoReport {
        name: name.to_string(),
        source: info,
        score: score.overall,
        grade: score.grade,
        rap_level: rap.as_ref().map_or(RapLevel::None, |r| r.level),
        categories: score.categories,
        facts: checks::report_facts(&context),
        rap,
        findings,
        error: None,
        error_kind: None,
        // Only GitHub knows visibility, topics and the like; local metadata stays internal.
        metadata: is_github.then(|| snapshot.metadata().clone()),
    }
}

/// The repository's own `.openly.toml`, layered over the pack; an unreadable one is a
/// configuration error like an invalid one.
fn repo_config(
    snapshot: &Snapshot,
    pack: &Pack,
    options: &AuditOptions,
) -> Result<Option<Pack>, crate::Error> {
    if !options.repo_config || !snapshot.is_file(REPO_CONFIG) {
        return Ok(None);
    }
    let Some(text) = snapshot.text(REPO_CONFIG) else {
        return Err(crate::Error::Config(crate::model::Diagnostics(vec![
            crate::model::Diagnostic {
                file: REPO_CONFIG.to_string(),
                line: 1,
                column: 1,
                message: "cannot read: not a readable text file (binary, too large or unreadable)"
                    .to_string(),
            },
        ])));
    };
    pack::load_repo_config(pack, REPO_CONFIG, &text).map(Some)
}

pub fn errored(name: &str, source: SourceInfo, kind: RepoErrorKind, error: String) -> RepoReport {
    RepoReport {
        name: name.to_string(),
        source,
        score: None,
        grade: "-".to_string(),
        rap_level: RapLevel::None,
        categories: Vec::new(),
        facts: Default::default(),
        rap: None,
        findings: Vec::new(),
        error: Some(error),
        error_kind: Some(kind),
        metadata: None,
    }
}
