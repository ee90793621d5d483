//! What the report records about the README, independent of any rule.

use schemars::JsonSchema;
use serde::Serialize;

/// What the report records about the README, independent of any rule.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct ReadmeFact {
    pub path: String,
    pub headings: Vec<String>,
    pub words: usize,
}
