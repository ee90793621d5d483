//! Licence facts for a repository: which licences are declared, where, how confidently and for
//! which part of the work (code, documentation, data).
//!
//! The NHS open-code playbook asks for code under an OSI licence (usually MIT) and documentation
//! under the Open Government Licence, with Crown copyright named. Repositories declare this in
//! many ways (licence files, README prose, package metadata, SPDX headers), so each source has its
//! own entry point here and they all produce the same [`LicenceFact`]. The functions are pure: they
//! take a path and the text, never touch the file system, and never panic on odd input.
//!
//! Method, thresholds and measured accuracy are described in `docs/licences.md`.

mod choice;
mod copyright;
mod current;
mod declared;
pub mod files;
mod folded;
mod identify;
mod modified;
mod nhs_body;
mod normalise;
mod phrases;
pub mod present;
mod readme;
pub mod repo;
pub mod rules;
mod store;

#[cfg(test)]
mod no_deprecated_tests;
#[cfg(test)]
mod statement_tests;
#[cfg(test)]
mod tests;

pub use copyright::{copyright_lines, crown_copyright, placeholders};
pub use declared::{
    from_cargo_toml, from_description, from_package_json, from_pyproject, from_setup,
    from_spdx_headers,
};
pub use files::{is_licence_file, is_part_licence_file};
pub use identify::{CONFIDENCE_THRESHOLD, identify_file};
pub use readme::from_readme;
pub use repo::{LicenceEvidence, analyze};
pub use store::{store_ids, warm_up, write_trimmed_store};
