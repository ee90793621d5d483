//! Turns the detection engine in [`super::data`] into facts and rule verdicts. The engine
//! judges one file at a time; this layer decides which files (the tree, and with `--history`
//! every blob ever committed), scans them once per repository, and maps what was found to the
//! public rule ids (`data/nhs-number`, `secrets/env-file`, …).
//!
//! Strength mapping: a *strong* detection fails its rule; a *weak* one never does. Weak
//! evidence leaves the rule passing, with a message that counts the signals and the evidence
//! listed, so a person can look without an alarm being raised (an alarm that is wrong one
//! time in ten teaches people to ignore the tool).
//!
//! - [`scan`]: the scan itself, cached per repository as the `DataScan` fact;
//! - [`facts`]: the scan as reported (`facts.data`);
//! - [`verdict`]: the detector rules; [`files`]: the rules about data files.

mod facts;
mod files;
mod scan;
mod verdict;

pub use facts::rule_id;
pub use scan::{DataScan, DataSettings, Found, HISTORY_MAX_BLOB, Origin, options_from_pack, scan};

use super::data::Kind;
use crate::checks::run::Run;
use files::{dummy_available, free_text, inventory, notebook_outputs, unparsed};
use verdict::{WeakIs, judge};

macro_rules! detector {
    ($name:literal, $what:literal, $weak:expr, [$($kind:expr),+]) => {
        ($name, |context, _| judge(context, &[$($kind),+], $what, $weak))
    };
}

/// The code of each data and secrets analyzer; the catalog (`pack::catalog`) declares their
/// parameters and summaries.
pub const RUNNERS: &[(&str, Run)] = &[
    detector!(
        "data-nhs-number",
        "NHS numbers",
        WeakIs::Note,
        [Kind::NhsNumber]
    ),
    detector!(
        "data-chi-number",
        "CHI numbers",
        WeakIs::Note,
        [Kind::ChiNumber]
    ),
    detector!(
        "data-quasi-identifiers",
        "quasi-identifiers in combination",
        WeakIs::Note,
        [
            Kind::Postcode,
            Kind::DateOfBirth,
            Kind::PersonName,
            Kind::NiNumber,
            Kind::Email,
            Kind::Phone
        ]
    ),
    detector!(
        "data-small-numbers",
        "unsuppressed small numbers",
        WeakIs::PeopleCount,
        [Kind::SmallNumbers]
    ),
    ("data-inventory", |context, _| inventory(context)),
    ("data-notebook-outputs", |context, _| {
        notebook_outputs(context)
    }),
    ("data-free-text", |context, _| free_text(context)),
    ("data-unparsed", |context, _| unparsed(context)),
    ("data-dummy-available", |context, _| {
        dummy_available(context)
    }),
    detector!(
        "secrets-env-file",
        "committed environment settings",
        WeakIs::Note,
        [Kind::EnvFile]
    ),
    detector!(
        "secrets-connection-string",
        "connection strings with a password",
        WeakIs::Note,
        [Kind::ConnectionString]
    ),
    detector!(
        "secrets-url-credentials",
        "URLs with credentials",
        WeakIs::Note,
        [Kind::UrlCredentials]
    ),
    detector!(
        "secrets-private-key",
        "private keys",
        WeakIs::Note,
        [Kind::PrivateKey]
    ),
    detector!(
        "secrets-token",
        "access tokens",
        WeakIs::Note,
        [Kind::Token]
    ),
    detector!(
        "secrets-password",
        "hard-coded passwords",
        WeakIs::Note,
        [Kind::Password]
    ),
    detector!(
        "secrets-internal-host",
        "internal server names",
        WeakIs::Note,
        [Kind::InternalHost]
    ),
];
