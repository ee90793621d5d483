//! Data facts as reported: the data inventory, synthetic-data signals and masked detections.
//! Nothing here ever holds a detected value in full.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What `--history` covered, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryFact {
    pub commits: usize,
    /// Distinct blobs read from history that are not in the audited tree.
    pub blobs_scanned: usize,
    /// Blobs over the size cap, not read.
    pub skipped_large: usize,
    /// The walk stopped at its blob cap.
    pub truncated: bool,
}

/// The data inventory and a masked summary of detections, for the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DataFacts {
    /// Data files (csv, xlsx, parquet …), in the tree and, with `--history`, in history.
    pub files: Vec<DataFileFact>,
    /// Signs that the repository ships dummy or synthetic data.
    pub synthetic: Vec<SyntheticFact>,
    /// What the detectors found, masked: one entry per detection (a table column, or a kind
    /// per file for prose).
    pub detections: Vec<DetectionFact>,
    /// Notebooks committed with their outputs (which were scanned too).
    pub notebooks_with_outputs: Vec<String>,
    /// Files scanned (tree and history).
    pub scanned: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DataFileFact {
    pub path: String,
    pub size: u64,
    /// csv, tsv, xlsx, parquet, sqlite, json …
    pub kind: String,
    /// Whether the content was read and classified, or only listed.
    pub parsed: bool,
    /// Set for file versions found only in history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_commit: Option<String>,
    /// Columns of free text (notes, comments, long varied strings), for a person to read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub free_text_columns: Vec<FreeTextFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FreeTextFact {
    /// The column's header (a key path such as `patient.notes` for JSON records).
    pub column: String,
    /// Sheet, table or JSON pointer; absent for a plain CSV.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub location: String,
    /// Text values read in the column.
    pub values: usize,
    /// `header` (named notes, comments …) or `shape` (long, varied text).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SyntheticFact {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DetectionFact {
    /// The rule this detection feeds.
    pub rule: String,
    /// nhs-number, postcode, token …
    pub kind: String,
    /// `strong` fails the rule; `weak` is shown but never raises an alarm.
    pub strength: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub count: usize,
    /// Masked: never a detected value in full.
    pub excerpt: String,
    /// The commit that first brought the file version in, when history was walked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Whether this file version is in the audited tree (false: history only).
    pub in_tree: bool,
}
