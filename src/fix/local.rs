//! `openly fix` on a local work tree: find the one repository, plan through the shared loop in
//! [`super::plan`], and write. Nothing is written until [`write`] is called, and it writes
//! through one place that refuses to touch a file that changed since it was read.
//!
//! Fix reads the files on disk (uncommitted edits included), not a git revision: it writes
//! files, so it must start from what is there.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::change::ChangeSet;
pub use super::plan::{ByHand, FixPlan, FixRequest, Left};
use crate::audit::AuditOptions;
use crate::pack::Pack;
use crate::source::discover;
use crate::source::local::LocalSource;

/// What fixing the work tree at `root` would do.
#[derive(Debug, Clone)]
pub struct LocalPlan {
    /// The work tree the changes are for.
    pub root: PathBuf,
    pub plan: FixPlan,
}

/// Plans the fixes for the one repository at `target`.
pub fn plan(
    target: &Path,
    pack: &Pack,
    options: &AuditOptions,
    request: &FixRequest,
) -> Result<LocalPlan, crate::Error> {
    super::plan::check_rules(pack, request)?;
    let candidates = discover::expand(target)?;
    let [candidate] = candidates.as_slice() else {
        return Err(crate::Error::Usage(format!(
            "`openly fix` works on one repository at a time; {} holds {}: fix each of them",
            target.display(),
            candidates.len()
        )));
    };
    let root = candidate.path.clone();
    if candidate.is_git && !root.join(".git").exists() {
        return Err(crate::Error::Usage(format!(
            "{} is a bare repository: there is no work tree to fix",
            root.display()
        )));
    }
    let values = super::plan::values(pack, &candidate.name, request, None);
    let source = Arc::new(LocalSource::new(&root));
    let plan = super::plan::plan(&candidate.name, source, &values, pack, options, request)?;
    Ok(LocalPlan { root, plan })
}

/// Writes every changed file under `root`. Each file must still be what the plan read (a
/// regular file with the same bytes, or absent for a new file), so work done meanwhile is
/// never overwritten; a file that fails the check is skipped and named in the error. Returns
/// the paths written.
pub fn write(root: &Path, changes: &ChangeSet) -> Result<Vec<String>, crate::Error> {
    let mut written = Vec::new();
    let mut refused = Vec::new();
    for file in changes.files() {
        let path = root.join(file.path);
        let unchanged = match (std::fs::symlink_metadata(&path), file.before) {
            (Err(error), None) if error.kind() == std::io::ErrorKind::NotFound => true,
            (Ok(meta), Some(before)) if meta.file_type().is_file() => {
                let mut now = Vec::new();
                std::fs::File::open(&path)?.read_to_end(&mut now)?;
                now == before
            }
            _ => false,
        };
        if !unchanged {
            refused.push(file.path.to_string());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::output::write(&path, file.after)?;
        written.push(file.path.to_string());
    }
    if refused.is_empty() {
        Ok(written)
    } else {
        Err(crate::Error::Other(format!(
            "changed since they were read, so left alone: {} (wrote {})",
            refused.join(", "),
            if written.is_empty() {
                "nothing".to_string()
            } else {
                written.join(", ")
            }
        )))
    }
}
