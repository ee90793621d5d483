//! openly: audit repositories against the NHS open-code playbook (licence, README, community
//! files, sensitive data, secrets and RAP levels) and report scored findings.
//!
//! The data flows one way: a [`source`] gives a [`snapshot`] of files, [`checks`] turn it into
//! facts and findings under a rule [`pack`], [`score`] weighs them, and [`report`] renders the
//! result. The library never prints; only the binary writes to stdout and stderr.

pub mod audit;
pub mod checks;
pub mod ci;
pub mod compare;
pub mod docs;
pub mod facts;
pub mod fix;
pub mod gate;
pub mod model;
pub mod output;
pub mod pack;
pub mod pr;
pub mod progress;
pub mod report;
pub mod score;
pub mod snapshot;
pub mod source;

pub use audit::{AuditOptions, Target, audit};
pub use model::Error;
