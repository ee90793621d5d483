//! A category's score as reported.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryScore {
    pub id: String,
    /// 0–100, or null when nothing in the category could be judged.
    pub score: Option<f64>,
    /// The weight that was judged (passed, failed or waived).
    pub weight: f64,
    pub passed: usize,
    pub failed: usize,
    pub needs_review: usize,
}
