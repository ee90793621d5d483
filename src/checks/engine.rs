//! Runs a rule pack over one repository. The engine adds prerequisites (`requires`), phases,
//! waivers and fault isolation, so a broken analyzer marks its own rule as `error` and the rest
//! of the audit goes on. It knows analyzers only through the catalog and the registry: their
//! phase comes from their spec, their code from the registry.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::waive::{self, AllowScope};
use super::{declarative, readme, registry};
use crate::facts::RepoContext;
use crate::model::{Finding, Outcome, Verdict, fingerprint, fingerprint_locations};
use crate::pack::catalog::{Params, Phase};
use crate::pack::{Check, Pack, Rule};

/// Evaluates every rule of the context's pack and returns the findings in pack order. Rules in
/// the judgement phase run after all the others; `between_phases` sees the evidence rules'
/// findings first, so the caller can provide what the judgement rules read (the assessed RAP
/// level) through the context. `[[allow]]` entries are judged against `scope` (the
/// repository's name and the audit's date).
pub fn evaluate(
    context: &RepoContext,
    scope: AllowScope,
    between_phases: impl FnOnce(&[Finding], &RepoContext),
) -> Vec<Finding> {
    let pack = context.pack();
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut findings: Vec<Option<Finding>> = vec![None; pack.rules.len()];
    let mut between_phases = Some(between_phases);
    for phase in [Phase::Evidence, Phase::Judgement] {
        if phase == Phase::Judgement
            && let Some(between) = between_phases.take()
        {
            let done: Vec<Finding> = findings.iter().flatten().cloned().collect();
            between(&done, context);
        }
        for (index, rule) in pack.rules.iter().enumerate() {
            if phase_of(rule) != phase {
                continue;
            }
            let verdict = evaluate_with_prerequisites(pack, rule, context, &mut outcomes, 0);
            findings[index] = Some(finish(pack, rule, verdict, scope));
        }
    }
    findings.into_iter().flatten().collect()
}

fn phase_of(rule: &Rule) -> Phase {
    match &rule.check {
        Check::Builtin { spec, .. } => spec.phase,
        _ => Phase::Evidence,
    }
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
        } => readme::check_section(
            context.get::<readme::FoundReadme>().get(),
            headings,
            paragraph.as_ref(),
            *intro,
        ),
        Check::GitignoreCovers { paths } => {
            declarative::gitignore_covers(&context.get::<declarative::Gitignores>(), paths)
        }
        Check::Builtin { spec, params } => match registry::runner(spec.name) {
            Some(run) => run(context, &Params::new(params, spec)),
            None => Verdict::error(format!("no code for the analyzer `{}`", spec.name)),
        },
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

fn finish(pack: &Pack, rule: &Rule, mut verdict: Verdict, scope: AllowScope) -> Finding {
    fingerprint_locations(&rule.id, &mut verdict.evidence);
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
        allowed_by: None,
    };
    waive::apply(&pack.allow, scope, &mut finding);
    finding
}
