//! How a repository is maintained, which the playbook asks every published project to say:
//! whether anyone has worked on it lately, who looks after it, and how to report a
//! vulnerability privately. Judged from the listing's metadata (GitHub's `pushed_at`, the
//! organisation's security policy) or the git history, and from the tree, so it costs no
//! request beyond what the audit already makes.

use std::sync::LazyLock;
use std::time::{Duration, SystemTime};

use regex::Regex;

use crate::checks::readme::{FoundReadme, heading_matches};
use crate::checks::run::Run;
use crate::facts::{AuditTime, RepoContext};
use crate::model::{Evidence, Verdict};
use crate::pack::catalog::Params;

/// The code of each maintenance analyzer; the catalog declares their parameters.
pub const RUNNERS: &[(&str, Run)] = &[
    ("maintenance-recent-activity", recent_activity),
    ("maintenance-owner", owner),
    ("maintenance-security-contact", security_contact),
];

const DAY: u64 = 24 * 60 * 60;

/// Months as the calendar has them on average, so twelve months is a year.
fn months(n: u64) -> Duration {
    Duration::from_secs(n * DAY * 36525 / 1200)
}

fn recent_activity(context: &RepoContext, params: &Params) -> Verdict {
    let metadata = context.snapshot.metadata();
    if metadata.archived {
        return Verdict::not_applicable("archived: no activity is expected");
    }
    let (when, what) = match (&metadata.pushed_at, &metadata.last_commit_at) {
        (Some(pushed), _) => (pushed, "last push"),
        (None, Some(commit)) => (commit, "last commit"),
        (None, None) => {
            return Verdict::not_applicable(
                "no history to date the last change (a plain folder, or a source without dates)",
            );
        }
    };
    let Ok(at) = humantime::parse_rfc3339_weak(when.trim_end_matches('Z'))
        .or_else(|_| humantime::parse_rfc3339(when))
    else {
        return Verdict::needs_review(format!("cannot read the date of the {what}: {when}"));
    };
    let now = context
        .provided::<AuditTime>()
        .map_or_else(SystemTime::now, |t| t.0);
    let limit = params.count("months").unwrap_or(12);
    let age = now.duration_since(at).unwrap_or_default();
    let date = when.get(..10).unwrap_or(when);
    let evidence = Evidence::note(format!("{what}: {date}"));
    if age > months(limit) {
        let months_ago = age.as_secs() * 1200 / (DAY * 36525);
        Verdict::fail()
            .with_message(format!(
                "No change for {months_ago} months ({what} {date}); the limit is {limit}."
            ))
            .with_evidence([evidence])
    } else {
        Verdict::pass().with_evidence([evidence])
    }
}

/// Files that name who looks after a repository.
const OWNER_FILES: &[&str] = &[
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
    "MAINTAINERS",
    "MAINTAINERS.md",
    "MAINTAINERS.txt",
    "OWNERS",
    "OWNERS.md",
];

/// README headings under which a contact or maintainer is named.
const CONTACT_HEADINGS: &[&str] = &[
    "contact",
    "contacts",
    "contact us",
    "get in touch",
    "maintainers",
    "maintainer",
    "maintained by",
    "owner",
    "owners",
    "support",
    "who to contact",
    "authors",
    "author",
    "team",
];

fn owner(context: &RepoContext, _: &Params) -> Verdict {
    if let Some(entry) = OWNER_FILES.iter().find_map(|name| {
        context
            .snapshot
            .files()
            .find(|e| e.path.eq_ignore_ascii_case(name))
    }) {
        return Verdict::pass().with_evidence([Evidence::path(&entry.path)]);
    }
    let readme = context.get::<FoundReadme>();
    let Some(readme) = readme.get() else {
        return Verdict::fail()
            .with_message("Nobody is named to look after the project: no CODEOWNERS, no maintainers file, no README.");
    };
    // The first heading is the README's title ("Digital Analytics and Research Team -
    // Technical Store"): a word in it names the project, not a contact, unless it is all the
    // heading says.
    let contact_heading = readme
        .outline
        .headings
        .iter()
        .enumerate()
        .find(|(index, h)| {
            CONTACT_HEADINGS.iter().any(|synonym| {
                if *index == 0 {
                    h.normalised == *synonym
                } else {
                    heading_matches(&h.normalised, synonym)
                }
            })
        });
    if let Some((_, heading)) = contact_heading {
        return Verdict::pass().with_evidence([Evidence::at(
            &readme.path,
            heading.line as u64,
            format!("heading: {}", heading.text),
        )]);
    }
    // A contact in the prose ("Please contact phs.edris@phs.scot with any queries"), as
    // `readme/contact` reads it.
    if let Some((index, line)) = readme
        .text
        .lines()
        .enumerate()
        .find(|(_, line)| CONTACT_LINE.is_match(line))
    {
        return Verdict::pass().with_evidence([Evidence::at(
            &readme.path,
            index as u64 + 1,
            line.trim().chars().take(100).collect::<String>(),
        )]);
    }
    if let Some(found) = package_maintainer(context) {
        return Verdict::pass().with_evidence([found]);
    }
    Verdict::fail().with_evidence([Evidence::path(&readme.path)])
}

/// A README line that names a way to reach the people behind the project: an address next
/// to "contact" or "email", a `mailto:` link, "maintained by".
static CONTACT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(contact|email|e-mail|get in touch)\b.{0,80}(@|mailto:)|mailto:|\bcontact (us|the team|me)\b|\bmaintained by\b")
        .expect("valid regex")
});

/// The maintainer a package manifest declares: R's `Maintainer:` field or a person with the
/// `cre` role in `Authors@R` (CRAN's formal maintainer), Python's `[project] maintainers`.
fn package_maintainer(context: &RepoContext) -> Option<Evidence> {
    let snapshot = context.snapshot;
    if let Some(description) = snapshot.text("DESCRIPTION") {
        let line = description.lines().position(|l| {
            l.starts_with("Maintainer:") || l.contains("\"cre\"") || l.contains("'cre'")
        });
        if let Some(index) = line {
            return Some(Evidence::at(
                "DESCRIPTION",
                index as u64 + 1,
                "the package names its maintainer".to_string(),
            ));
        }
    }
    let pyproject = snapshot.text("pyproject.toml")?;
    let index = pyproject
        .lines()
        .position(|l| l.trim_start().starts_with("maintainers"))?;
    Some(Evidence::at(
        "pyproject.toml",
        index as u64 + 1,
        "the package names its maintainers".to_string(),
    ))
}

/// Where GitHub looks for a repository's security policy.
const SECURITY_FILES: &[&str] = &[
    "SECURITY.md",
    "SECURITY",
    "SECURITY.txt",
    ".github/SECURITY.md",
    "docs/SECURITY.md",
];

fn security_contact(context: &RepoContext, _: &Params) -> Verdict {
    if let Some(entry) = SECURITY_FILES.iter().find_map(|name| {
        context
            .snapshot
            .files()
            .find(|e| e.path.eq_ignore_ascii_case(name))
    }) {
        return Verdict::pass().with_evidence([Evidence::path(&entry.path)]);
    }
    match &context.snapshot.metadata().security_policy {
        Some(policy) => Verdict::pass()
            .with_message("The organisation's security policy applies")
            .with_evidence([Evidence::note(format!("organisation policy: {policy}"))]),
        None => Verdict::fail(),
    }
}

#[cfg(test)]
mod tests;
