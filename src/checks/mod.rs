//! The checks: each concern computes its facts (as [`Fact`](crate::facts::Fact)s cached per
//! repository) and judges its rules from them. The [`engine`] runs a pack's rules in order;
//! the [`registry`] maps each analyzer of the catalog to its code.
//!
//! Concerns: `declarative` (the pack's file and text checks), `licence`, `readme`, `rap`, and
//! the sensitive-data and secrets scan (`data` detects personal data in one file, `sensitive`
//! scans a repository once and judges the `data/*` and `secrets/*` rules).

pub mod data;
pub mod declarative;
pub mod detection;
pub mod engine;
pub(crate) mod json;
pub mod licence;
pub mod maintenance;
pub mod paths;
pub mod rap;
pub mod readme;
pub mod registry;
pub mod run;
pub mod secrets;
pub mod sensitive;
pub(crate) mod text;
pub mod waive;

pub use engine::evaluate;
pub use waive::AllowScope;

use crate::facts::RepoContext;
use crate::model::Facts;
use crate::model::facts::RapEvidence;

/// The facts the rules asked for, for the report. Licence files are always listed (cheap);
/// the rest only when a rule computed them, so a small pack never pays for the licence store
/// or the data scan just to fill the report.
pub fn report_facts(context: &RepoContext) -> Facts {
    Facts {
        readme: context
            .peek::<readme::FoundReadme>()
            .and_then(|found| found.get().map(readme::Readme::fact)),
        licence_files: licence::files::find(context.snapshot),
        licences: context
            .peek::<licence::LicenceEvidence>()
            .map(|evidence| evidence.facts.clone())
            .unwrap_or_default(),
        rap: context.peek::<RapEvidence>().map(|r| (*r).clone()),
        data: context
            .peek::<sensitive::DataScan>()
            .map(|scan| scan.fact()),
    }
}
