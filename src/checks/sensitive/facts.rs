//! The data scan as reported: the data inventory, synthetic-data signals and masked
//! detections (`facts.data`), and which rule each kind of detection feeds.

use super::scan::*;
use crate::checks::data::{self, Kind, Strength};
use crate::model::facts::data::FreeTextFact;
use crate::model::facts::data::{DataFacts, DataFileFact, DetectionFact, SyntheticFact};

impl DataScan {
    pub fn fact(&self) -> DataFacts {
        DataFacts {
            files: self
                .files
                .iter()
                .map(|(file, origin)| DataFileFact {
                    path: file.path.clone(),
                    size: file.size,
                    kind: kind_name(file.kind),
                    parsed: file.parsed,
                    history_commit: match origin {
                        Origin::History { commit, .. } => Some(commit.clone()),
                        Origin::Tree { .. } => None,
                    },
                    free_text_columns: file
                        .free_text
                        .iter()
                        .map(|c| FreeTextFact {
                            column: c.column.clone(),
                            location: c.location.clone(),
                            values: c.values,
                            reason: match c.reason {
                                data::FreeTextReason::Header => "header",
                                data::FreeTextReason::Shape => "shape",
                            }
                            .to_string(),
                        })
                        .collect(),
                })
                .collect(),
            synthetic: self
                .synthetic
                .iter()
                .take(MAX_SYNTHETIC_FACTS)
                .map(|s| SyntheticFact {
                    path: s.path.clone(),
                    line: s.line,
                    what: s.what.clone(),
                })
                .collect(),
            detections: self
                .found
                .iter()
                .map(|f| {
                    let d = &f.detection;
                    DetectionFact {
                        rule: rule_id(d.kind).to_string(),
                        kind: d.kind.as_str().to_string(),
                        strength: match d.strength {
                            Strength::Strong => "strong",
                            Strength::Weak => "weak",
                        }
                        .to_string(),
                        path: d.path.clone(),
                        line: d.line,
                        column: d.column.clone(),
                        count: d.count,
                        excerpt: d.excerpt.clone(),
                        commit: commit_of(&f.origin).map(str::to_string),
                        in_tree: matches!(f.origin, Origin::Tree { .. }),
                    }
                })
                .collect(),
            notebooks_with_outputs: self.notebooks_with_outputs.clone(),
            scanned: self.scanned,
            history: self.history.clone(),
        }
    }
}

pub(super) fn kind_name(kind: data::DataKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(super) fn commit_of(origin: &Origin) -> Option<&str> {
    match origin {
        Origin::Tree { commit } => commit.as_deref(),
        Origin::History { commit, .. } => Some(commit),
    }
}

/// The public rule id each kind of detection feeds.
pub fn rule_id(kind: Kind) -> &'static str {
    match kind {
        Kind::NhsNumber => "data/nhs-number",
        Kind::ChiNumber => "data/chi-number",
        Kind::Postcode
        | Kind::DateOfBirth
        | Kind::PersonName
        | Kind::NiNumber
        | Kind::Email
        | Kind::Phone => "data/quasi-identifiers",
        Kind::SmallNumbers => "data/small-numbers",
        Kind::EnvFile => "secrets/env-file",
        Kind::ConnectionString => "secrets/connection-string",
        Kind::UrlCredentials => "secrets/url-credentials",
        Kind::PrivateKey => "secrets/private-key",
        Kind::Token => "secrets/token",
        Kind::Password => "secrets/password",
        Kind::InternalHost => "secrets/internal-host",
    }
}
