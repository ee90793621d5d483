//! The licence analyzers a rule pack can name. They judge the shared [`LicenceEvidence`]
//! against the NHS open-source policy: MIT for code (Apache-2.0 or GPL-3.0 as exceptions with
//! a stated reason), the Open Government Licence v3.0 for documentation, © Crown copyright.
//! Which licences are allowed and which holders count as the publishing body are pack
//! parameters, so other organisations set their own without recompiling.

use std::collections::BTreeSet;

use super::repo::{LicenceEvidence, is_metadata};
use crate::checks::run::Run;
use crate::facts::RepoContext;
use crate::model::facts::RapEvidence;
use crate::model::facts::licence::{DeclaredIn, LicenceFact, NOASSERTION, Scope};
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

/// The code of each licence analyzer; the catalog (`pack::catalog`) declares their parameters.
pub const RUNNERS: &[(&str, Run)] = &[
    ("licence-identified", identified),
    ("licence-approved", approved),
    ("licence-docs-ogl", docs_ogl),
    ("licence-crown-copyright", crown_copyright),
    ("licence-placeholders", placeholders),
    ("licence-consistent", consistent),
];

/// Holders accepted when the pack names none: Crown copyright and the bodies that publish NHS
/// code in England.
pub const DEFAULT_HOLDERS: &[&str] = &[
    "Crown copyright",
    "NHS England",
    "NHS Digital",
    "NHSX",
    "Department of Health and Social Care",
    "UK Health Security Agency",
    "Public Health England",
    "Health Education England",
];

fn where_(fact: &LicenceFact) -> String {
    match fact.line {
        Some(line) if fact.declared_in != DeclaredIn::File || line > 1 => {
            format!("{}:{line}", fact.path)
        }
        _ => fact.path.clone(),
    }
}

/// Evidence for a licence fact: where it was declared, what, how surely.
fn fact_evidence(fact: &LicenceFact) -> Evidence {
    let mut detail = format!(
        "{} ({}, {}, {:.2})",
        fact.spdx,
        scope_name(fact.scope),
        declared_name(fact.declared_in),
        fact.confidence
    );
    if let Some(closest) = &fact.closest {
        detail.push_str(&format!(
            "; closest match {} at {:.2}",
            closest.spdx, closest.score
        ));
    }
    Evidence {
        path: Some(fact.path.clone()),
        line: fact.line.map(|l| l as u64),
        excerpt: Some(detail),
        commit: None,
        ..Evidence::default()
    }
}

pub fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Code => "code",
        Scope::Docs => "docs",
        Scope::Data => "data",
        Scope::Unknown => "unknown",
    }
}

pub fn declared_name(declared: DeclaredIn) -> &'static str {
    match declared {
        DeclaredIn::File => "file",
        DeclaredIn::Readme => "readme",
        DeclaredIn::Description => "description",
        DeclaredIn::Pyproject => "pyproject",
        DeclaredIn::Setup => "setup",
        DeclaredIn::PackageJson => "package-json",
        DeclaredIn::Cargo => "cargo",
        DeclaredIn::SpdxHeader => "spdx-header",
    }
}

// ───────────────────────────── identified ─────────────────────────────

fn identified(context: &RepoContext, _: &Params) -> Verdict {
    let licences = context.get::<LicenceEvidence>();
    let from_files: Vec<&LicenceFact> = licences
        .facts
        .iter()
        .filter(|f| f.declared_in == DeclaredIn::File)
        .collect();
    let unknown: Vec<&LicenceFact> = from_files
        .iter()
        .copied()
        .filter(|f| f.spdx == NOASSERTION)
        .collect();
    let stubs = licences.stubs.iter().map(|path| {
        Evidence::at(
            path.clone(),
            1,
            "R licence stub (YEAR / COPYRIGHT HOLDER) completing DESCRIPTION's `+ file LICENSE`",
        )
    });
    if unknown.is_empty() {
        // An R package under a licence R ships has no file: DESCRIPTION names it.
        if from_files.is_empty()
            && licences.stubs.is_empty()
            && let Some(description) = licences.identified().find(|f| {
                f.declared_in == DeclaredIn::Description
                    && !f
                        .excerpt
                        .as_deref()
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                        .contains("file licen")
            })
        {
            return Verdict::pass()
                .with_message(format!(
                    "DESCRIPTION names a standard licence: {}",
                    description.spdx
                ))
                .with_evidence([fact_evidence(description)]);
        }
        if from_files.is_empty() && licences.stubs.is_empty() {
            return Verdict::needs_review(
                "The licence files could not be read as text, so their licence is unknown.",
            );
        }
        return Verdict::pass()
            .with_evidence(from_files.iter().map(|f| fact_evidence(f)).chain(stubs));
    }
    let described: Vec<String> = unknown
        .iter()
        .map(|f| match &f.closest {
            // Close enough to be the licence, but changed: a restriction added or a title
            // calling it something else.
            Some(c) if c.score >= super::CONFIDENCE_THRESHOLD => format!(
                "{} (a modified {}, {:.2} alike, changed at line {}: \"{}\")",
                f.path,
                c.spdx,
                c.score,
                f.line.unwrap_or(1),
                f.excerpt.as_deref().unwrap_or_default()
            ),
            Some(c) if c.score > 0.0 => format!(
                "{} (closest: {} at {:.2}, below the {:.2} needed)",
                f.path,
                c.spdx,
                c.score,
                super::CONFIDENCE_THRESHOLD
            ),
            _ => format!("{} (no known licence text)", f.path),
        })
        .collect();
    Verdict::fail()
        .with_message(format!(
            "The licence text is not a standard licence, so reusers cannot tell their rights: {}.",
            described.join("; ")
        ))
        .with_evidence(unknown.iter().map(|f| fact_evidence(f)))
}

// ───────────────────────────── approved ─────────────────────────────

/// Whether `id` is in `list`: the same id, or a list entry that is the base of a GNU id
/// (`GPL-3.0` accepts `GPL-3.0-only` and `GPL-3.0-or-later`).
fn listed(list: &[String], id: &str) -> bool {
    list.iter().any(|entry| {
        entry.eq_ignore_ascii_case(id)
            || [
                format!("{entry}-only"),
                format!("{entry}-or-later"),
                format!("{entry}+"),
            ]
            .iter()
            .any(|v| v.eq_ignore_ascii_case(id))
    })
}

/// Whether the expression can be satisfied by licences of `list`: "MIT OR Apache-2.0" is
/// satisfied by MIT alone, "MIT AND Apache-2.0" needs both.
fn satisfies(expression: &str, list: &[String]) -> bool {
    match spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX) {
        Ok(expr) => expr.evaluate(|req| listed(list, &req.license.to_string())),
        Err(_) => listed(list, expression),
    }
}

fn approved(context: &RepoContext, params: &Params) -> Verdict {
    let allowed = if params.is_set("allowed") {
        params.strings("allowed")
    } else {
        vec!["MIT".to_owned()]
    };
    let exceptions = params.strings("exceptions");
    let licences = context.get::<LicenceEvidence>();
    let code = code_licences(&licences);
    if code.is_empty() {
        let others: BTreeSet<&str> = licences.identified().map(|f| f.spdx.as_str()).collect();
        if context.get::<RapEvidence>().has_code() {
            let also = if others.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} covers documentation or data, not code)",
                    others.into_iter().collect::<Vec<_>>().join(", ")
                )
            };
            return Verdict::fail().with_message(format!(
                "The code has no identified licence{also}: the NHS open-source policy asks for MIT."
            ));
        }
        return Verdict::not_applicable("no code, and no licence declared for code");
    }
    let mut refused = Vec::new();
    let mut excepted = Vec::new();
    for fact in &code {
        if satisfies(&fact.spdx, &allowed) {
            continue;
        }
        let mut both = allowed.clone();
        both.extend(exceptions.iter().cloned());
        if satisfies(&fact.spdx, &both) {
            excepted.push(*fact);
        } else {
            refused.push(*fact);
        }
    }
    let names = |facts: &[&LicenceFact]| {
        facts
            .iter()
            .map(|f| f.spdx.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !refused.is_empty() {
        return Verdict::fail()
            .with_message(format!(
                "The code is licensed under {}, which the policy does not allow for code (allowed: {}{}).",
                names(&refused),
                allowed.join(", "),
                if exceptions.is_empty() {
                    String::new()
                } else {
                    format!("; by exception with a stated reason: {}", exceptions.join(", "))
                }
            ))
            .with_evidence(refused.iter().map(|f| fact_evidence(f)));
    }
    if !excepted.is_empty() {
        return Verdict::needs_review(format!(
            "The code is licensed under {}, allowed only as an exception: state the reason for not using {} in the README.",
            names(&excepted),
            allowed.join(" or ")
        ))
        .with_evidence(excepted.iter().map(|f| fact_evidence(f)));
    }
    Verdict::pass().with_evidence(code.iter().map(|f| fact_evidence(f)))
}

/// The licences declared for code: from licence files when there are any (they are what
/// applies), otherwise from metadata, the README and SPDX headers.
fn code_licences(licences: &LicenceEvidence) -> Vec<&LicenceFact> {
    let code: Vec<&LicenceFact> = licences
        .identified()
        .filter(|f| f.scope == Scope::Code)
        .collect();
    let from_files: Vec<&LicenceFact> = code
        .iter()
        .copied()
        .filter(|f| f.declared_in == DeclaredIn::File)
        .collect();
    if from_files.is_empty() {
        return code;
    }
    // Dual licensing ("MIT OR Apache-2.0") ships one file per licence; the choice between them
    // is stated in the metadata or the README, and that expression is what applies.
    let in_files: BTreeSet<String> = from_files.iter().flat_map(|f| base_ids(&f.spdx)).collect();
    let choice = code.iter().copied().find(|f| {
        f.declared_in != DeclaredIn::File
            && f.spdx.contains(" OR ")
            && base_ids(&f.spdx).is_superset(&in_files)
    });
    match choice {
        Some(choice) if from_files.len() > 1 => vec![choice],
        _ => from_files,
    }
}

// ───────────────────────────── docs-ogl ─────────────────────────────

fn names_ogl(fact: &LicenceFact, version: &str) -> bool {
    fact.spdx
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .any(|id| id == version)
}

fn docs_ogl(context: &RepoContext, _: &Params) -> Verdict {
    let licences = context.get::<LicenceEvidence>();
    let v3: Vec<&LicenceFact> = licences
        .identified()
        .filter(|f| names_ogl(f, "OGL-UK-3.0") && matches!(f.scope, Scope::Docs | Scope::Unknown))
        .collect();
    if !v3.is_empty() {
        return Verdict::pass().with_evidence(v3.iter().map(|f| fact_evidence(f)));
    }
    let older: Vec<&LicenceFact> = licences
        .identified()
        .filter(|f| names_ogl(f, "OGL-UK-1.0") || names_ogl(f, "OGL-UK-2.0"))
        .collect();
    if !older.is_empty() {
        return Verdict::fail()
            .with_message("The documentation is under an older Open Government Licence: the policy asks for v3.0.")
            .with_evidence(older.iter().map(|f| fact_evidence(f)));
    }
    let docs: Vec<&LicenceFact> = licences
        .identified()
        .filter(|f| f.scope == Scope::Docs)
        .collect();
    if !docs.is_empty() {
        let ids: BTreeSet<&str> = docs.iter().map(|f| f.spdx.as_str()).collect();
        return Verdict::fail()
            .with_message(format!(
                "The documentation is under {}, not the Open Government Licence v3.0 the policy asks for.",
                ids.into_iter().collect::<Vec<_>>().join(", ")
            ))
            .with_evidence(docs.iter().map(|f| fact_evidence(f)));
    }
    Verdict::fail()
}

// ───────────────────────────── crown copyright ─────────────────────────────

fn crown_copyright(context: &RepoContext, params: &Params) -> Verdict {
    // A pack that names its holders (NHS England's preset) means those; the default playbook
    // accepts any NHS body as "the publishing NHS body".
    let (holders, any_nhs_body) = if params.is_set("holders") {
        (params.strings("holders"), false)
    } else {
        (
            DEFAULT_HOLDERS.iter().map(|s| s.to_string()).collect(),
            true,
        )
    };
    let licences = context.get::<LicenceEvidence>();
    let named = |text: &str| {
        let lower = text.to_lowercase();
        let crown = lower.contains("crown copyright")
            || super::crown_copyright(&lower).is_some()
            || lower.contains("© crown");
        crown
            || holders.iter().any(|h| lower.contains(&h.to_lowercase()))
            || (any_nhs_body && super::nhs_body::names_nhs_body(text))
    };
    let notice = |n: &super::repo::Notice| Evidence::at(n.path.clone(), n.line as u64, &n.text);
    // The licence text's own notice (the FSF's on the GPL) and unfilled templates name nobody.
    let notices: Vec<&super::repo::Notice> = licences
        .copyright
        .iter()
        .filter(|n| !n.text.contains("Free Software Foundation"))
        .filter(|n| super::placeholders(&n.text).is_empty())
        .collect();
    let good: Vec<Evidence> = notices
        .iter()
        .copied()
        .filter(|n| named(&n.text))
        .map(notice)
        .collect();
    if !good.is_empty() {
        return Verdict::pass().with_evidence(good);
    }
    if notices.is_empty() {
        return Verdict::fail().with_message(
            "No copyright notice in the licence file or the README: the policy asks for © Crown copyright or the publishing NHS body.",
        );
    }
    Verdict::fail()
        .with_message(
            "The copyright notice names neither Crown copyright nor the publishing NHS body.",
        )
        .with_evidence(notices.iter().copied().take(5).map(notice))
}

// ───────────────────────────── placeholders ─────────────────────────────

fn placeholders(context: &RepoContext, _: &Params) -> Verdict {
    let licences = context.get::<LicenceEvidence>();
    if licences.placeholders.is_empty() {
        return Verdict::pass();
    }
    Verdict::fail()
        .with_message(format!(
            "The licence still has template text to fill in ({}): the copyright year and holder must be real.",
            licences
                .placeholders
                .iter()
                .map(|n| format!("{}:{}", n.path, n.line))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .with_evidence(
            licences
                .placeholders
                .iter()
                .map(|n| Evidence::at(n.path.clone(), n.line as u64, &n.text)),
        )
}

// ───────────────────────────── consistent ─────────────────────────────

/// The licence ids an expression names, without the GNU "only"/"or later" distinction,
/// which metadata (R's `GPL-3`) and licence texts often cannot express.
fn base_ids(expression: &str) -> BTreeSet<String> {
    expression
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH"))
        .map(|t| {
            let t = t.trim_end_matches('+');
            t.strip_suffix("-only")
                .or_else(|| t.strip_suffix("-or-later"))
                .unwrap_or(t)
                .to_ascii_lowercase()
        })
        .collect()
}

fn consistent(context: &RepoContext, _: &Params) -> Verdict {
    let licences = context.get::<LicenceEvidence>();
    let files: Vec<&LicenceFact> = licences
        .identified()
        .filter(|f| f.declared_in == DeclaredIn::File)
        .collect();
    let declarations: Vec<&LicenceFact> = licences
        .identified()
        .filter(|f| f.scope == Scope::Code)
        .filter(|f| is_metadata(f.declared_in) || f.declared_in == DeclaredIn::Readme)
        .collect();
    // The licence files are what applies; without an identified one, metadata is the reference.
    let reference: Vec<&LicenceFact> = if files.is_empty() {
        declarations
            .iter()
            .copied()
            .filter(|f| is_metadata(f.declared_in))
            .collect()
    } else {
        files
    };
    let known: BTreeSet<String> = reference.iter().flat_map(|f| base_ids(&f.spdx)).collect();
    if known.is_empty() || declarations.is_empty() {
        return Verdict::pass().with_evidence(reference.iter().map(|f| fact_evidence(f)));
    }
    let agrees = |f: &LicenceFact| !base_ids(&f.spdx).is_disjoint(&known);
    // A README sentence that names the files' licence among others ("dual licensed under the
    // MIT license and the OGL", NHS Digital's API template) adds a licence, it does not
    // contradict one.
    let agreeing_sentences: BTreeSet<(&str, Option<&str>)> = declarations
        .iter()
        .filter(|f| f.declared_in == DeclaredIn::Readme && agrees(f))
        .map(|f| (f.path.as_str(), f.excerpt.as_deref()))
        .collect();
    let conflicts: Vec<&LicenceFact> = declarations
        .iter()
        .copied()
        .filter(|f| !agrees(f))
        .filter(|f| {
            f.declared_in != DeclaredIn::Readme
                || !agreeing_sentences.contains(&(f.path.as_str(), f.excerpt.as_deref()))
        })
        .collect();
    if conflicts.is_empty() {
        return Verdict::pass().with_evidence(
            reference
                .iter()
                .chain(declarations.iter())
                .map(|f| fact_evidence(f)),
        );
    }
    let said: Vec<String> = conflicts
        .iter()
        .map(|f| format!("{} says {}", where_(f), f.spdx))
        .collect();
    let first = reference
        .iter()
        .map(|f| format!("{} says {}", where_(f), f.spdx))
        .collect::<BTreeSet<_>>();
    Verdict::fail()
        .with_message(format!(
            "The licence declarations disagree: {}, but {}.",
            first.into_iter().collect::<Vec<_>>().join(" and "),
            said.join(" and ")
        ))
        .with_evidence(
            reference
                .iter()
                .chain(conflicts.iter())
                .map(|f| fact_evidence(f)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn expressions_against_lists() {
        let mit = list(&["MIT"]);
        assert!(satisfies("MIT", &mit));
        assert!(satisfies("MIT OR Apache-2.0", &mit));
        assert!(!satisfies("MIT AND Apache-2.0", &mit));
        assert!(!satisfies("GPL-3.0-only", &mit));
        let gpl = list(&["GPL-3.0"]);
        assert!(satisfies("GPL-3.0-or-later", &gpl));
        assert!(satisfies("GPL-3.0-only", &list(&["GPL-3.0-only"])));
        assert!(!satisfies("GPL-3.0-or-later", &list(&["GPL-3.0-only"])));
    }

    #[test]
    fn base_ids_ignore_gnu_suffixes() {
        assert_eq!(
            base_ids("GPL-3.0-only OR MIT"),
            ["gpl-3.0", "mit"].iter().map(|s| s.to_string()).collect()
        );
        assert!(base_ids("GPL-3.0-or-later").contains("gpl-3.0"));
    }
}
