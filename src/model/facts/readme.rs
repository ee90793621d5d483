//! What the report records about the README, independent of any rule.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the report records about the README, independent of any rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct ReadmeFact {
    pub path: String,
    pub headings: Vec<String>,
    pub words: usize,
}
