//! Detections to verdicts, for every detector rule (`data/nhs-number`, `secrets/token`, …):
//! a *strong* detection fails the rule, a *weak* one is listed on a passing finding. One
//! evidence item per file, with its own message about that file.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::facts::commit_of;
use super::scan::*;
use crate::checks::data::{Detection, Kind, Strength};
use crate::facts::RepoContext;
use crate::model::{Evidence, Verdict};

/// How a detection rule treats weak evidence.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum WeakIs {
    /// Shown on a passing finding; never an alarm.
    Note,
    /// Fails when the weak detection is a count of people in a data file: the engine reports
    /// every column of small integers beside a geography, but on real repositories most are
    /// sort orders, star counts or worked examples in docs. A column named for people or
    /// activity (patients, admissions, deaths, count …) in a CSV or sheet is the real risk.
    PeopleCount,
}

pub(super) static PEOPLE_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(patients|people|persons|pupils|residents|admissions|attendances|referrals|deaths|cases|births|episodes|spells|appointments|discharges|breaches|waiters|registrations|prescriptions|users|clients|contacts|count|\bn\b|^n_|_n$|number of|^num_|^no_of|total|activity)",
    )
    .expect("regex")
});

/// Columns of small integers that are codes, not counts, even when named after people.
pub(super) static NOT_A_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(setting|code|type|status|flag|source|category|sort|order|rank|\bid\b|group|level)",
    )
    .expect("regex")
});

/// Documents show worked examples; data files publish.
pub(super) const DOC_EXTS: &[&str] = &[
    "md", "markdown", "rmd", "qmd", "html", "htm", "xhtml", "ipynb",
];

pub(super) fn counts_people(d: &Detection) -> bool {
    let ext = d
        .path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    !DOC_EXTS.contains(&ext.as_str())
        && d.column
            .as_deref()
            .is_some_and(|c| PEOPLE_COUNT.is_match(c) && !NOT_A_COUNT.is_match(c))
}

/// One rule's verdict over the detections of `kinds`: one evidence item per file, masked.
pub(super) fn judge(context: &RepoContext, kinds: &[Kind], what: &str, weak_is: WeakIs) -> Verdict {
    let scan = context.get::<DataScan>();
    let alarming = |d: &Detection| {
        d.strength == Strength::Strong || (weak_is == WeakIs::PeopleCount && counts_people(d))
    };
    // Group by path: one evidence item per file, the tree version first.
    let mut files: BTreeMap<&str, Vec<&Found>> = BTreeMap::new();
    for found in scan
        .found
        .iter()
        .filter(|f| kinds.contains(&f.detection.kind))
    {
        files.entry(&found.detection.path).or_default().push(found);
    }
    let mut alarms = Vec::new();
    let mut notes = Vec::new();
    for (path, found) in &files {
        let strong: Vec<&Found> = found
            .iter()
            .copied()
            .filter(|f| alarming(&f.detection))
            .collect();
        if strong.is_empty() {
            notes.push(file_evidence(path, found));
        } else {
            alarms.push(file_evidence(path, &strong));
        }
    }
    let scanned = scan.scanned;
    if !alarms.is_empty() {
        let (first_message, _) = &alarms[0];
        let message = format!(
            "Found {what} in {} file{}. {first_message}{}",
            alarms.len(),
            plural(alarms.len()),
            if alarms.len() > 1 {
                format!(" (and {} more)", alarms.len() - 1)
            } else {
                String::new()
            }
        );
        return Verdict::fail()
            .with_message(message)
            .with_evidence(alarms.into_iter().take(MAX_EVIDENCE).map(|(_, e)| e));
    }
    if !notes.is_empty() {
        return Verdict::pass()
            .with_message(format!(
                "No {what} found in {scanned} files scanned; {} file{} with weak signals listed for a look (not an alarm)",
                notes.len(),
                plural(notes.len())
            ))
            .with_evidence(notes.into_iter().take(MAX_EVIDENCE).map(|(_, e)| e));
    }
    Verdict::pass().with_message(format!("No {what} found in {scanned} files scanned"))
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One file's evidence: the first detection's location, every distinct masked excerpt, and
/// where in history the file sits.
pub(super) fn file_evidence(path: &str, found: &[&Found]) -> (String, Evidence) {
    let in_tree: Vec<&&Found> = found
        .iter()
        .filter(|f| matches!(f.origin, Origin::Tree { .. }))
        .collect();
    let lead = in_tree.first().copied().unwrap_or(&found[0]);
    let versions = found
        .iter()
        .filter_map(|f| match &f.origin {
            Origin::History { commit, .. } => Some(commit.as_str()),
            Origin::Tree { .. } => None,
        })
        .collect::<HashSet<&str>>()
        .len();
    let mut excerpts: Vec<String> = Vec::new();
    for f in found.iter().filter(|f| f.origin == lead.origin) {
        let d = &f.detection;
        let part = match &d.column {
            Some(column) => format!("{} in `{column}`: {}", d.kind.as_str(), d.excerpt),
            None => format!("{}: {}", d.kind.as_str(), d.excerpt),
        };
        if !excerpts.contains(&part) && excerpts.len() < 4 {
            excerpts.push(part);
        }
    }
    let mut excerpt = excerpts.join("; ");
    let history_note = match &lead.origin {
        Origin::History {
            commit,
            deleted: true,
        } => format!(
            "deleted from the tree but still published in history (added in commit {})",
            short(commit)
        ),
        Origin::History {
            commit,
            deleted: false,
        } => format!(
            "an earlier version, still published in history (commit {})",
            short(commit)
        ),
        Origin::Tree { .. } if versions > 0 => format!(
            "and {versions} earlier version{} in history",
            plural(versions)
        ),
        Origin::Tree { .. } => String::new(),
    };
    if !history_note.is_empty() {
        excerpt = format!("{excerpt} ({history_note})");
    }
    let mut about_file = lead.detection.message.clone();
    if !history_note.is_empty() {
        about_file = format!("{about_file}; {history_note}");
    }
    let evidence = Evidence {
        path: Some(path.to_string()),
        line: lead.detection.line,
        excerpt: Some(excerpt),
        message: Some(about_file.clone()),
        commit: commit_of(&lead.origin).map(str::to_string),
        ..Evidence::default()
    };
    (format!("{path}: {about_file}"), evidence)
}

pub(super) fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}
