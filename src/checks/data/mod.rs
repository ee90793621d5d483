//! Sensitive-data and secrets detection over file contents.
//!
//! The playbook asks that no patient data, quasi-identifiers, small numbers or
//! credentials are published with code. This module turns one file's bytes into
//! masked [`Detection`]s, evidence that data is synthetic, and an inventory
//! entry for data files. It is pure: no file system access, no global state
//! beyond compiled regexes, so the caller (snapshot layer) decides what to read
//! and the rule layer decides what a detection means (weak → info, strong → error).
//!
//! Sub-modules refer to each other only through `super::` so this directory can
//! be moved verbatim to another place in a crate.

mod binary;
mod chi;
mod counts;
mod delimited;
mod digits;
mod dummy;
mod free_text;
mod header;
mod input;
mod inventory;
mod markup_tables;
mod mask;
mod named_number;
mod nhs;
mod notebook;
mod postcode;
mod prose;
mod quasi;
mod records;
mod scan;
mod spreadsheet;
mod table;
mod triggers;
mod xlsx;
mod yaml;

#[cfg(test)]
mod class_tests;
#[cfg(test)]
mod eval_tests;
#[cfg(test)]
mod testgen;
#[cfg(test)]
mod testgen_formats;

pub use crate::checks::detection::{Detection, Kind, Strength, mask_secret};
pub use chi::is_valid_chi_number;
pub use dummy::dummy_signals;
pub use free_text::{FreeTextColumn, FreeTextReason};
pub use inventory::data_kind;
pub use mask::{mask_nhs_number, mask_postcode};
pub use nhs::{is_synthetic_nhs_number, is_valid_nhs_number};
pub use notebook::notebook_has_outputs;
pub use postcode::{is_full_postcode, is_pseudo_postcode};
pub use scan::{scan_bytes, scan_file, scan_unopened};

use serde::Serialize;

/// Evidence that data in the repository is synthetic (999-range NHS numbers,
/// ZZ99 postcodes, dummy-data statements, generators such as Faker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntheticEvidence {
    pub path: String,
    pub line: Option<u64>,
    pub what: String,
}

/// Limits that keep memory flat and run time bounded on large repositories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// Rows read per table (CSV, sheet, HTML/Markdown table, JSON array).
    pub max_rows: usize,
    /// Bytes read per file.
    pub max_bytes: u64,
    /// Counts from 1 to this value in aggregate tables are small numbers.
    pub small_number_threshold: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_rows: 100_000,
            max_bytes: 64 * 1024 * 1024,
            small_number_threshold: 7,
        }
    }
}

/// Everything learned from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileScan {
    pub detections: Vec<Detection>,
    pub synthetic: Vec<SyntheticEvidence>,
    pub data_file: Option<DataFile>,
    /// Free-text columns of the tables read (moved into `data_file` for data files).
    pub free_text: Vec<FreeTextColumn>,
    /// A notebook with committed outputs, seen while its cells were scanned.
    pub notebook_outputs: bool,
}

/// Inventory entry for a file that holds data rather than code or prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataFile {
    pub path: String,
    pub size: u64,
    pub kind: DataKind,
    /// Whether the content was read and classified (binary formats such as
    /// Parquet are only listed).
    pub parsed: bool,
    /// Columns of free text (notes, comments, long varied strings): where names and clinical
    /// details hide, so a person should read them before publishing.
    pub free_text: Vec<FreeTextColumn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataKind {
    Csv,
    Tsv,
    TextTable,
    Xlsx,
    Xls,
    Ods,
    Parquet,
    Feather,
    Sav,
    Dta,
    Sas7bdat,
    Rds,
    RData,
    Sqlite,
    Pickle,
    Json,
    Ndjson,
}
