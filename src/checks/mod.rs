//! Runs a rule pack over one repository. Analyzers compute facts once per repository and
//! share them between rules; the engine adds prerequisites, waivers and fault isolation, so a
//! broken analyzer marks its own rules as `error` and the rest of the audit goes on.

pub mod builtin;
pub mod data;
pub mod declarative;
pub mod licence;
/// The old path of `licence::files`, kept so branches written against it still build.
pub use licence::files as licence_files;
pub mod rap;
pub mod readme;
pub mod sensitive;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use crate::model::Facts;
use crate::model::{Finding, Outcome, Verdict, fingerprint};
use crate::pack::{Check, Pack, Rule};
use crate::snapshot::Snapshot;

/// Everything a check may look at for one repository. Facts are computed on first use.
pub struct RepoContext<'a> {
    pub snapshot: &'a Snapshot,
    readme: OnceLock<Option<readme::Readme>>,
    licences: OnceLock<licence::LicenceEvidence>,
    rap: OnceLock<crate::model::facts::rap::RapEvidence>,
    /// The main languages and their tests, without the code scan the full RAP evidence needs:
    /// `rap/tests-present` is a foundation rule and should cost no more than a listing.
    rap_tests: OnceLock<(
        Vec<crate::model::facts::rap::Language>,
        crate::model::facts::rap::TestFacts,
    )>,
    /// Set by the engine once every levelled rule has run, for rules that judge the level.
    rap_assessment: OnceLock<rap::level::Assessment>,
    /// The pack's scan limits and `--history`; set before the first data rule runs.
    data_settings: OnceLock<sensitive::DataSettings>,
    history: bool,
    data: OnceLock<sensitive::DataScan>,
}

impl<'a> RepoContext<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Self {
        RepoContext {
            snapshot,
            readme: OnceLock::new(),
            licences: OnceLock::new(),
            rap: OnceLock::new(),
            rap_tests: OnceLock::new(),
            rap_assessment: OnceLock::new(),
            data_settings: OnceLock::new(),
            history: false,
            data: OnceLock::new(),
        }
    }

    /// Also scan every blob in git history for sensitive data (`--history`).
    pub fn with_history(mut self, history: bool) -> Self {
        self.history = history;
        self
    }

    /// The sensitive-data scan, run once per repository on first use.
    pub fn data(&self) -> &sensitive::DataScan {
        self.data.get_or_init(|| {
            let settings = self.data_settings.get().cloned().unwrap_or_default();
            let settings = sensitive::DataSettings {
                history: self.history,
                ..settings
            };
            sensitive::scan(self.snapshot, &settings)
        })
    }

    pub fn rap(&self) -> &crate::model::facts::rap::RapEvidence {
        self.rap
            .get_or_init(|| rap::analyze(self.snapshot, self.readme()))
    }

    /// Every licence declaration of the repository, identified once and shared by the rules.
    pub fn licences(&self) -> &licence::LicenceEvidence {
        self.licences.get_or_init(|| {
            let readme = self.readme().map(|r| (r.path.as_str(), &*r.text));
            licence::analyze(self.snapshot, readme)
        })
    }

    /// The main languages and test facts, shared with the full evidence when that exists.
    pub fn rap_tests(
        &self,
    ) -> &(
        Vec<crate::model::facts::rap::Language>,
        crate::model::facts::rap::TestFacts,
    ) {
        self.rap_tests.get_or_init(|| match self.rap.get() {
            Some(evidence) => (evidence.primary.clone(), evidence.tests.clone()),
            None => {
                let profile = rap::language::profile(self.snapshot);
                (
                    profile.primary(),
                    rap::tests::analyze(self.snapshot, &profile),
                )
            }
        })
    }

    pub fn rap_assessment(&self) -> Option<&rap::level::Assessment> {
        self.rap_assessment.get()
    }

    pub fn readme(&self) -> Option<&readme::Readme> {
        self.readme
            .get_or_init(|| readme::find(self.snapshot))
            .as_ref()
    }

    /// The facts that rules asked for, for the report.
    pub fn facts(&self) -> Facts {
        Facts {
            readme: self
                .readme
                .get()
                .and_then(|r| r.as_ref().map(readme::Readme::fact)),
            licence_files: licence::files::find(self.snapshot),
            // Only what the rules asked for: a pack without licence rules must not pay for
            // loading the licence store just to fill the report.
            licences: self
                .licences
                .get()
                .map(|evidence| evidence.facts.clone())
                .unwrap_or_default(),
            rap: self.rap.get().cloned(),
            data: self.data.get().map(sensitive::DataScan::fact),
        }
    }
}

/// Evaluates every rule of the pack, in order, honouring `requires`. Rules that judge other
/// findings (the claimed RAP level) run after the rest, but are reported in pack order.
pub fn evaluate(pack: &Pack, context: &RepoContext) -> Vec<Finding> {
    let _ = context.data_settings.set(sensitive::DataSettings {
        options: sensitive::options_from_pack(pack),
        history: context.history,
    });
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut findings: Vec<Option<Finding>> = vec![None; pack.rules.len()];
    let deferred = |rule: &Rule| matches!(&rule.check, Check::Builtin { name, .. } if rap::criteria::DEFERRED.contains(&name.as_str()));
    for (index, rule) in pack.rules.iter().enumerate().filter(|(_, r)| !deferred(r)) {
        let verdict = evaluate_with_prerequisites(pack, rule, context, &mut outcomes, 0);
        findings[index] = Some(finish(pack, rule, verdict));
    }
    let done: Vec<Finding> = findings.iter().flatten().cloned().collect();
    let _ = context.rap_assessment.set(rap::level::assess(pack, &done));
    for (index, rule) in pack.rules.iter().enumerate().filter(|(_, r)| deferred(r)) {
        let verdict = evaluate_with_prerequisites(pack, rule, context, &mut outcomes, 0);
        findings[index] = Some(finish(pack, rule, verdict));
    }
    findings.into_iter().flatten().collect()
}

fn evaluate_with_prerequisites(
    pack: &Pack,
    rule: &Rule,
    context: &RepoContext,
    outcomes: &mut HashMap<String, Outcome>,
    depth: usize,
) -> Verdict {
    if let Some(required) = &rule.requires {
        let outcome = match outcomes.get(required) {
            Some(outcome) => *outcome,
            // Validation rejects cycles; the depth guard only protects against a future bug.
            None => match pack.rule(required).filter(|_| depth < 32) {
                Some(parent) => {
                    evaluate_with_prerequisites(pack, parent, context, outcomes, depth + 1).outcome
                }
                None => Outcome::NotApplicable,
            },
        };
        if outcome != Outcome::Pass {
            let verdict = Verdict::not_applicable(format!(
                "not checked: it requires `{required}`, which did not pass"
            ));
            outcomes.insert(rule.id.clone(), verdict.outcome);
            return verdict;
        }
    }
    let verdict = run_check(rule, context);
    outcomes.insert(rule.id.clone(), verdict.outcome);
    verdict
}

/// Runs one check, turning a panic inside it into an `error` outcome for that rule alone.
fn run_check(rule: &Rule, context: &RepoContext) -> Verdict {
    let result = catch_unwind(AssertUnwindSafe(|| match &rule.check {
        Check::FileExists(globs) => declarative::file_exists(context.snapshot, globs),
        Check::FileAbsent(globs) => declarative::file_absent(context.snapshot, globs),
        Check::FileContains { globs, pattern } => {
            declarative::file_contains(context.snapshot, globs, pattern)
        }
        Check::ReadmeSection {
            headings,
            paragraph,
            intro,
        } => readme::check_section(context.readme(), headings, paragraph.as_ref(), *intro),
        Check::GitignoreCovers { paths } => declarative::gitignore_covers(context.snapshot, paths),
        Check::Builtin { name, params } => builtin::run(name, context, params),
    }));
    result.unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        log::error!("check for {} failed: {detail}", rule.id);
        Verdict::error(format!("internal error in this check: {detail}"))
    })
}

fn finish(pack: &Pack, rule: &Rule, verdict: Verdict) -> Finding {
    let fingerprint = fingerprint(&rule.id, &verdict.evidence);
    let mut finding = Finding {
        rule: rule.id.clone(),
        category: rule.category.as_str().to_string(),
        title: rule.title.clone(),
        outcome: verdict.outcome,
        severity: rule.severity,
        weight: rule.weight,
        message: verdict.message.unwrap_or_else(|| match verdict.outcome {
            Outcome::Pass => rule.title.clone(),
            _ => rule.message.clone(),
        }),
        help: rule.help.clone(),
        url: rule.url.clone(),
        evidence: verdict.evidence,
        fingerprint,
        waiver: None,
    };
    if finding.outcome == Outcome::Fail
        && let Some(allowance) = pack.allow.iter().find(|a| allows(a, &finding))
    {
        finding.outcome = Outcome::Waived;
        finding.waiver = Some(allowance.reason.clone());
    }
    finding
}

fn allows(allowance: &crate::pack::Allowance, finding: &Finding) -> bool {
    let rule_ok = allowance.rule.as_ref().is_none_or(|r| r == &finding.rule);
    let fingerprint_ok = allowance
        .fingerprint
        .as_ref()
        .is_none_or(|f| f == &finding.fingerprint);
    let path_ok = allowance.path.as_ref().is_none_or(|globs| {
        let paths: Vec<&str> = finding
            .evidence
            .iter()
            .filter_map(|e| e.path.as_deref())
            .collect();
        !paths.is_empty() && paths.iter().all(|p| globs.is_match(p))
    });
    rule_ok && fingerprint_ok && path_ok
}
