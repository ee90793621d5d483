//! Fix mode's engine: turn failed rules into changes that scaffold what the playbook asks for
//! (a licence, README sections, community files, `.gitignore` lines), from templates kept as
//! data, without ever overwriting or deleting a byte.
//!
//! The engine is pure: it works on strings and a [`Tree`] of files and returns a
//! [`ChangeSet`]. Writing files and opening pull requests consume the same change set, so a
//! `--dry-run` diff is exactly what `--yes` writes and what a pull request commits.
//!
//! - [`template`]: shipped templates, filling, `TODO(openly):` markers, the copyright holder.
//! - [`create`], [`lines`], [`section`]: the three kinds of fix, on text.
//! - [`markdown`]: the structure a section insertion needs (levels, fences, setext, HTML).
//! - [`change`]: the planner and the change set; [`diff`]: git-apply-able unified diffs.
//! - [`invariant`]: the only-insertions check every change passes.
//! - [`overlay`]: the repository as it would be after a change set, for planning and auditing.
//! - [`plan`]: the one loop (audit, plan, audit again) that local and GitHub fixes share.
//! - [`local`]: `openly fix` on a local work tree: plan, then write files that did not change.
//! - [`github`]: `openly fix --pr`: plan, then commit through the git data API and open or
//!   update one pull request per repository.
//! - [`summary`]: what the CLI says about a plan.
//! - `pack::fix`: how a rule pack names a fix; `pack::templates`: the shipped templates.

pub mod change;
pub mod create;
pub mod diff;
pub mod github;
pub mod invariant;
pub mod lines;
pub mod local;
pub mod markdown;
pub mod overlay;
pub mod plan;
pub mod section;
pub mod summary;
pub mod template;

pub use crate::pack::fix::{FixKind, FixSpec, SpecError};
pub use change::{Change, ChangeSet, FileChange, FixError, Planned, Planner, RuleFix, Tree};
pub use invariant::{NotAnInsertion, only_insertions};
pub use template::{MARKER, Marker, Values};
