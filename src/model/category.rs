//! The fixed categories a rule belongs to. Rule ids start with one, scores are given per
//! category, and dashboards group by them, so the list is part of the public contract.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The fixed set of categories; rule ids start with one of these.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Licence,
    Readme,
    Community,
    Data,
    Secrets,
    Rap,
    Hygiene,
    Maintenance,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Licence,
        Category::Readme,
        Category::Community,
        Category::Data,
        Category::Secrets,
        Category::Rap,
        Category::Hygiene,
        Category::Maintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Licence => "licence",
            Category::Readme => "readme",
            Category::Community => "community",
            Category::Data => "data",
            Category::Secrets => "secrets",
            Category::Rap => "rap",
            Category::Hygiene => "hygiene",
            Category::Maintenance => "maintenance",
        }
    }

    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Where a failure here means real harm rather than missing polish.
    pub fn is_alarm(self) -> bool {
        matches!(self, Category::Data | Category::Secrets)
    }
}
