//! `openly merge`: the parts of a sharded run (`--shard I/N`) back into one report, as one
//! run would have written it: repositories in name order, the summary computed by the same
//! code as an audit's ([`super::assemble`]), the latest `generated_at` of the parts. Parts that
//! cannot make one report are refused: another schema, another rule pack, pull-request
//! reports, the same shard twice, or one repository in two parts. Parts from different openly
//! versions, or a sharded run with shards missing, merge with a warning.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Report, SCHEMA_VERSION};

/// One report read from a file, with the name to use in messages.
pub struct Part {
    pub label: String,
    pub report: Report,
}

/// The merged report, and what the caller should warn about.
pub struct Merged {
    pub report: Report,
    pub warnings: Vec<String>,
}

/// Reads one part from JSON; a report of another schema version is refused here, since its
/// fields cannot be trusted to mean the same.
pub fn read_part(label: &str, text: &str) -> Result<Part, crate::Error> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| crate::Error::Usage(format!("{label}: not JSON ({e})")))?;
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(crate::Error::Usage(format!(
            "{label}: report schema version {} cannot be merged by this openly (schema {SCHEMA_VERSION})",
            version.map_or_else(|| "unknown".to_string(), |v| v.to_string())
        )));
    }
    let report = serde_json::from_value(value).map_err(|e| {
        crate::Error::Usage(format!(
            "{label}: not a complete openly report ({e}); merge reads reports written by `openly audit --format json`"
        ))
    })?;
    Ok(Part {
        label: label.to_string(),
        report,
    })
}

pub fn merge(parts: Vec<Part>) -> Result<Merged, crate::Error> {
    let usage = |message: String| Err(crate::Error::Usage(message));
    let Some(first) = parts.first() else {
        return usage("nothing to merge".to_string());
    };
    let mut warnings = Vec::new();
    let pack = first.report.rule_pack.clone();
    let mut tool = first.report.tool.clone();
    for part in &parts {
        if part.report.pr.is_some() {
            return usage(format!(
                "{}: a pull-request report is one repository at two revisions; it does not merge",
                part.label
            ));
        }
        if part.report.rule_pack.name != pack.name || part.report.rule_pack.version != pack.version
        {
            return usage(format!(
                "{} was audited under rule pack {} {}, {} under {} {}: one report needs one pack",
                part.label,
                part.report.rule_pack.name,
                part.report.rule_pack.version,
                first.label,
                pack.name,
                pack.version
            ));
        }
        if part.report.tool.version != first.report.tool.version {
            tool = super::this_tool();
        }
    }
    if tool.version != first.report.tool.version || tool.name != first.report.tool.name {
        let versions: BTreeSet<&str> = parts
            .iter()
            .map(|p| p.report.tool.version.as_str())
            .collect();
        warnings.push(format!(
            "the parts come from different openly versions ({}); the merged report names this one ({})",
            versions.into_iter().collect::<Vec<_>>().join(", "),
            tool.version
        ));
    }
    warnings.extend(check_shards(&parts)?);

    let mut seen: HashMap<String, &str> = HashMap::new();
    for part in &parts {
        let names: BTreeSet<&str> = part.report.repos.iter().map(|r| r.name.as_str()).collect();
        for name in names {
            if let Some(other) = seen.insert(name.to_string(), &part.label) {
                return usage(format!(
                    "repository {name} is in both {other} and {}: the parts overlap",
                    part.label
                ));
            }
        }
    }

    let generated_at = parts
        .iter()
        .map(|p| p.report.generated_at.clone())
        .max()
        .unwrap_or_default();
    let mut repos: Vec<_> = parts.into_iter().flat_map(|p| p.report.repos).collect();
    repos.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Merged {
        report: super::assemble(tool, pack, generated_at, repos),
        warnings,
    })
}

/// Shard parts must be distinct shards of one count; missing shards are a warning, since the
/// report is still right about what it covers.
fn check_shards(parts: &[Part]) -> Result<Vec<String>, crate::Error> {
    let shards: Vec<(&str, crate::model::ShardInfo)> = parts
        .iter()
        .filter_map(|p| p.report.shard.map(|s| (p.label.as_str(), s)))
        .collect();
    let Some((_, first)) = shards.first() else {
        return Ok(Vec::new());
    };
    if shards.len() != parts.len() {
        return Err(crate::Error::Usage(
            "some parts are shards (--shard) and some are not: merge the shards of one run"
                .to_string(),
        ));
    }
    let mut present = BTreeSet::new();
    for (label, shard) in &shards {
        if shard.count != first.count {
            return Err(crate::Error::Usage(format!(
                "{label} is shard {}/{}, but another part is one of {}: merge the shards of one run",
                shard.index, shard.count, first.count
            )));
        }
        if !present.insert(shard.index) {
            return Err(crate::Error::Usage(format!(
                "shard {}/{} is given twice ({label})",
                shard.index, shard.count
            )));
        }
    }
    let missing: Vec<String> = (1..=first.count)
        .filter(|i| !present.contains(i))
        .map(|i| format!("{i}/{}", first.count))
        .collect();
    Ok(if missing.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{} {} {} missing: the merged report covers only the shards given",
            if missing.len() == 1 {
                "shard"
            } else {
                "shards"
            },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
        )]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PackInfo, ShardInfo};

    fn part(label: &str, shard: Option<(usize, usize)>, names: &[&str]) -> Part {
        let repos = names
            .iter()
            .map(|name| {
                let mut repo = crate::audit::errored(
                    name,
                    crate::model::SourceInfo {
                        kind: crate::model::SourceKind::Local,
                        location: (*name).to_string(),
                        reference: None,
                        commit: None,
                    },
                    crate::model::RepoErrorKind::Source,
                    String::new(),
                );
                repo.error = None;
                repo.score = Some(name.len() as f64 * 10.0);
                repo
            })
            .collect();
        let pack = PackInfo {
            name: "playbook".into(),
            version: "1".into(),
        };
        let mut report = super::super::assemble(
            super::super::this_tool(),
            pack,
            format!("2025-06-01T09:00:0{}Z", label.len() % 10),
            repos,
        );
        report.shard = shard.map(|(index, count)| ShardInfo { index, count });
        Part {
            label: label.to_string(),
            report,
        }
    }

    #[test]
    fn parts_merge_in_name_order_with_one_summary() {
        let merged = merge(vec![
            part("b", Some((2, 2)), &["zeta", "ab"]),
            part("a", Some((1, 2)), &["mid"]),
        ])
        .unwrap();
        assert!(merged.warnings.is_empty());
        let names: Vec<&str> = merged
            .report
            .repos
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["ab", "mid", "zeta"]);
        // (20 + 30 + 40) / 3, worked by hand.
        assert_eq!(merged.report.summary.mean_score, Some(30.0));
        assert_eq!(merged.report.summary.audited, 3);
        assert_eq!(merged.report.shard, None);
    }

    #[test]
    fn shards_must_be_distinct_parts_of_one_run() {
        let missing = merge(vec![part("a", Some((1, 3)), &["x"])]).unwrap();
        assert_eq!(
            missing.warnings,
            ["shards 2/3, 3/3 are missing: the merged report covers only the shards given"]
        );
        for parts in [
            vec![
                part("a", Some((1, 2)), &["x"]),
                part("b", Some((1, 2)), &["y"]),
            ],
            vec![
                part("a", Some((1, 2)), &["x"]),
                part("b", Some((2, 3)), &["y"]),
            ],
            vec![part("a", Some((1, 2)), &["x"]), part("b", None, &["y"])],
            vec![part("a", None, &["x"]), part("b", None, &["x"])],
        ] {
            assert!(merge(parts).is_err());
        }
    }
}
