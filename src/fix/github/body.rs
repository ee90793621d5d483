//! The words of a fix pull request: its title, its body (each change with its rule and why the
//! playbook asks for it, the `TODO(openly):` markers left, what must be done by hand, what is
//! still failing) and the commit message, whose trailer marks the commit as openly's and
//! fingerprints its changes, so a re-run knows whether the branch is already up to date.
//! Everything here is a pure function of the plan: the same plan gives the same words, so a
//! re-run with nothing new sends nothing.

use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::api::{BRANCH, TRAILER};
use crate::fix::plan::FixPlan;
use crate::fix::summary::{new_markers, plural, score};

/// Marks openly's own pull request body. Invisible when rendered.
pub const MARKER: &str = "<!-- openly-fix -->";

/// The pull request's title.
pub const TITLE: &str = "Add what the open-code playbook asks for (openly fix)";

/// GitHub refuses bodies over 65,536 characters; long lists are cut well before.
const MAX_BODY: usize = 60_000;

/// The fingerprint of a plan's changes: the same files with the same bytes give the same id.
pub fn fix_id(plan: &FixPlan) -> String {
    let digest = Sha256::digest(plan.changes.diff());
    digest.iter().take(10).fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The commit message: a subject, each file with its rules, and openly's trailer.
pub fn commit_message(plan: &FixPlan) -> String {
    let mut out = String::from("Add what the open-code playbook asks for\n\n");
    for file in plan.changes.files() {
        let mut rules: Vec<&str> = file.changes.iter().map(|c| c.rule.as_str()).collect();
        rules.dedup();
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            file.path,
            kind(file.before.is_none()),
            rules.join(", ")
        );
    }
    let _ = write!(
        out,
        "\nMade by `openly fix --pr`.\n\n{TRAILER} {}\n",
        fix_id(plan)
    );
    out
}

fn kind(new: bool) -> &'static str {
    if new { "new file" } else { "lines added" }
}

/// One line of prose: a rule's help may be wrapped in the pack.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` as inline code, whatever backticks it holds (a path is the repository's to name).
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The pull request's body.
pub fn body(plan: &FixPlan, base: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}");
    let _ = writeln!(
        out,
        "This pull request adds what the NHS open-code playbook asks for and `{base}` lacks, \
         as `openly audit` found it. It only adds: no existing line is changed or removed.\n"
    );
    let _ = writeln!(
        out,
        "Score: **{}** now, **{}** once merged.\n",
        score(&plan.before),
        score(&plan.after)
    );
    let _ = writeln!(out, "### Changes\n");
    for file in plan.changes.files() {
        let _ = writeln!(
            out,
            "- {} ({})",
            code(file.path),
            kind(file.before.is_none())
        );
        let mut seen: Vec<&str> = Vec::new();
        for change in &file.changes {
            if seen.contains(&change.rule.as_str()) {
                continue;
            }
            seen.push(&change.rule);
            let _ = writeln!(
                out,
                "  - {}: {}",
                code(&change.rule),
                one_line(&change.reason)
            );
        }
    }
    let markers = new_markers(plan);
    if !markers.is_empty() {
        let _ = writeln!(
            out,
            "\n### To fill in before merging\n\n{} place{} marked `TODO(openly):` need{} a \
             person's decision:\n",
            markers.len(),
            plural(markers.len()),
            if markers.len() == 1 { "s" } else { "" }
        );
        for (path, marker) in &markers {
            let _ = writeln!(
                out,
                "- {} line {}: {}",
                code(path),
                marker.line,
                one_line(&marker.text)
            );
        }
    }
    if !plan.by_hand.is_empty() {
        let _ = writeln!(
            out,
            "\n### To do by hand\n\nopenly never edits or deletes these; they need a person \
             (and the history may need purging, since a deleted file stays in git history):\n"
        );
        for item in &plan.by_hand {
            let _ = writeln!(
                out,
                "- {}: {}\n  - {}",
                code(&item.rule),
                one_line(&item.message),
                one_line(&item.help)
            );
        }
    }
    if !plan.left.is_empty() {
        let _ = writeln!(out, "\n### Still failing\n");
        for left in &plan.left {
            let _ = writeln!(out, "- {}: {}", code(&left.rule), one_line(&left.why));
        }
    }
    let _ = writeln!(
        out,
        "\n---\nOpened by `openly fix --pr` from the branch `{BRANCH}`. Running it again \
         updates this pull request; it never moves the branch over commits that are not its own."
    );
    bounded(out)
}

/// Cuts a body that GitHub would refuse at a line boundary, saying so.
fn bounded(mut body: String) -> String {
    if body.len() <= MAX_BODY {
        return body;
    }
    let mut cut = MAX_BODY;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(line) = body[..cut].rfind('\n') {
        cut = line + 1;
    }
    body.truncate(cut);
    body.push_str(
        "\n… (cut here: the full list is in the commit and the files' `TODO(openly):` markers)\n",
    );
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_survives_backticks() {
        assert_eq!(code("README.md"), "`README.md`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn long_bodies_are_cut_at_a_line() {
        let long = "line\n".repeat(20_000);
        let cut = bounded(long);
        assert!(cut.len() < 65_536);
        assert!(cut.ends_with("markers)\n"), "{}", &cut[cut.len() - 80..]);
        assert!(cut.contains("line\n\n… (cut here"));
    }
}
