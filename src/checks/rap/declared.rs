//! The RAP level a repository claims for itself: a README badge or sentence ("Baseline RAP",
//! "RAP: silver", a shields.io `RAP-Gold` badge), a topic (`gold-rap`), or a `LEVELS_OF_RAP.md`
//! or `OPEN_CODE_CHECKLIST.md` checklist whose boxes are ticked. When sources disagree the
//! highest claim is the one to check, since that is what readers will believe.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::RapLevel;
use crate::model::facts::rap::Claim;
use crate::snapshot::Snapshot;

static LEVEL_THEN_RAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(baseline|silver|gold)[\s_-]*(?:level[\s_-]*(?:of[\s_-]*)?)?(?:-?\s*)RAP\b")
        .expect("valid regex")
});
static RAP_THEN_LEVEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bRAP(?:[\s_]*level)?[\s:_/-]*(baseline|silver|gold)\b").expect("valid regex")
});
static CHECKBOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[-*+]\s*\[([ xX])\]").expect("valid regex"));

const CHECKLISTS: &[&str] = &["LEVELS_OF_RAP.md", "OPEN_CODE_CHECKLIST.md"];

pub fn find(snapshot: &Snapshot, readme: Option<(&str, &str)>) -> Vec<Claim> {
    let mut claims = Vec::new();
    if let Some((path, text)) = readme
        && let Some(claim) = in_text(path, text)
    {
        claims.push(claim);
    }
    for topic in &snapshot.metadata().topics {
        let level = match topic.to_ascii_lowercase().as_str() {
            "baseline-rap" | "rap-baseline" => RapLevel::Baseline,
            "silver-rap" | "rap-silver" => RapLevel::Silver,
            "gold-rap" | "rap-gold" => RapLevel::Gold,
            _ => continue,
        };
        claims.push(Claim {
            level,
            source: "topic".to_string(),
            line: None,
            text: topic.clone(),
        });
    }
    for wanted in CHECKLISTS {
        let Some(entry) = snapshot.files().find(|e| {
            e.path.eq_ignore_ascii_case(wanted)
                || e.path.eq_ignore_ascii_case(&format!("docs/{wanted}"))
        }) else {
            continue;
        };
        if let Some(text) = snapshot.text(&entry.path)
            && let Some(claim) = checklist(&entry.path, &text)
        {
            claims.push(claim);
        }
    }
    claims
}

/// The highest level named in the text as a claim.
fn in_text(path: &str, text: &str) -> Option<Claim> {
    let mut best: Option<Claim> = None;
    for (index, line) in text.lines().enumerate() {
        let found = LEVEL_THEN_RAP
            .captures_iter(line)
            .chain(RAP_THEN_LEVEL.captures_iter(line))
            .filter_map(|c| c.get(1).and_then(|m| RapLevel::parse(m.as_str())))
            .max();
        if let Some(level) = found
            && best.as_ref().is_none_or(|b| level > b.level)
        {
            best = Some(Claim {
                level,
                source: path.to_string(),
                line: Some(index as u64 + 1),
                text: line.trim().chars().take(120).collect(),
            });
        }
    }
    best
}

/// The highest level whose section, and every section below it, has all boxes ticked.
fn checklist(path: &str, text: &str) -> Option<Claim> {
    let mut sections: Vec<(RapLevel, usize, usize, u64)> = Vec::new(); // level, ticked, total, line
    let mut current: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            let lower = line.to_ascii_lowercase();
            let level = RapLevel::CLIMB
                .into_iter()
                .find(|l| lower.contains(l.as_str()));
            current = level.map(|level| {
                sections.push((level, 0, 0, index as u64 + 1));
                sections.len() - 1
            });
            continue;
        }
        if let (Some(section), Some(mark)) = (current, CHECKBOX.captures(line)) {
            let ticked = mark.get(1).is_some_and(|m| m.as_str() != " ");
            sections[section].2 += 1;
            if ticked {
                sections[section].1 += 1;
            }
        }
    }
    let mut claimed = None;
    for level in RapLevel::CLIMB {
        let of_level: Vec<_> = sections.iter().filter(|s| s.0 == level).collect();
        let total: usize = of_level.iter().map(|s| s.2).sum();
        let ticked: usize = of_level.iter().map(|s| s.1).sum();
        if total == 0 || ticked < total {
            break;
        }
        claimed = Some((level, ticked, total, of_level[0].3));
    }
    let (level, ticked, total, line) = claimed?;
    Some(Claim {
        level,
        source: path.to_string(),
        line: Some(line),
        text: format!("{ticked}/{total} {} boxes ticked", level.as_str()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_claims() {
        let level = |text: &str| in_text("README.md", text).map(|c| c.level);
        assert_eq!(
            level("![RAP level: Gold](https://img.shields.io/badge/RAP-Gold-gold)"),
            Some(RapLevel::Gold)
        );
        assert_eq!(
            level("This pipeline meets the Gold level of RAP."),
            Some(RapLevel::Gold)
        );
        assert_eq!(level("This is Baseline RAP."), Some(RapLevel::Baseline));
        assert_eq!(level("RAP: silver"), Some(RapLevel::Silver));
        assert_eq!(
            level("We follow RAP practice and won gold at sports."),
            None
        );
        assert_eq!(level("no claim here"), None);
    }

    #[test]
    fn checklist_claims_the_highest_fully_ticked_level() {
        let text = "# Levels\n## Baseline RAP\n- [x] a\n- [x] b\n## Silver RAP\n- [x] c\n- [ ] d\n## Gold RAP\n- [x] e\n";
        let claim = checklist("LEVELS_OF_RAP.md", text).expect("a claim");
        assert_eq!(claim.level, RapLevel::Baseline);
        assert_eq!(claim.text, "2/2 baseline boxes ticked");
        assert_eq!(checklist("x.md", "## Baseline\n- [ ] a\n"), None);
        assert_eq!(checklist("x.md", "no headings at all"), None);
    }
}
