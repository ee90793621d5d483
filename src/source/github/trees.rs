//! Unpacked repositories kept on disk by commit SHA, so an unchanged repository is read again
//! without downloading anything: its only request on a re-run is the commit-SHA lookup,
//! which the HTTP cache turns into a 304 that costs no quota.
//!
//! Layout under the cache directory: `trees-v1/OWNER/NAME@SHA/` holds `manifest.json` (the
//! entry list) and `files/`. A tree is unpacked into `trees-v1/.staging/` and renamed into
//! place only once complete, with its manifest, so a directory with a manifest is always
//! whole and an interrupted unpack is never reused. No token is part of the key: a tree is
//! only reached after this token's own commit-SHA request succeeded for that repository.
//! The trees and the HTTP cache share one size cap; least recently used trees go first.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::tarball::Unpacked;
use crate::source::{Entry, EntryKind};

const LAYOUT: &str = "trees-v1";
const MANIFEST: &str = "manifest.json";
const FILES: &str = "files";
const STAGING: &str = ".staging";
const SEEN: &str = ".seen";

/// Staging directories older than this are left-overs of a crashed run.
const STALE: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone)]
pub struct TreeCache {
    root: PathBuf,
    max_bytes: u64,
}

/// A complete tree from the cache, or one just unpacked.
#[derive(Debug, Clone)]
pub struct CachedTree {
    /// Where the files are: `dir/files/PATH`.
    pub files: PathBuf,
    pub entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    full_name: String,
    sha: String,
    bytes: u64,
    entries: Vec<ManifestEntry>,
}

#[derive(Serialize, Deserialize)]
struct ManifestEntry {
    path: String,
    size: u64,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link: Option<String>,
}

/// Where an unpacked tree ended up.
#[derive(Debug)]
pub enum Kept {
    Cached(CachedTree),
    /// Still in its staging directory (`files/` below it), deleted when dropped.
    Temporary(tempfile::TempDir),
}

/// What the last run saw of a repository, for the quota estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub sha: String,
    pub pushed_at: Option<String>,
}

impl TreeCache {
    /// Opens (creating) the tree cache under `cache_dir` and trims it so that it and the
    /// HTTP cache beside it stay within `max_bytes`.
    pub fn open(cache_dir: &Path, max_bytes: u64) -> io::Result<Self> {
        let root = cache_dir.join(LAYOUT);
        fs::create_dir_all(root.join(STAGING))?;
        let cache = TreeCache { root, max_bytes };
        let others = disk_usage(&cache_dir.join(super::cache::LAYOUT));
        if let Err(error) = cache.trim(max_bytes.saturating_sub(others)) {
            log::warn!("could not trim the tree cache: {error}");
        }
        Ok(cache)
    }

    fn dir_of(&self, full_name: &str, sha: &str) -> PathBuf {
        self.root.join(format!("{full_name}@{sha}"))
    }

    /// The complete tree of `full_name` (`owner/name`, already validated) at `sha`.
    pub fn get(&self, full_name: &str, sha: &str) -> Option<CachedTree> {
        let dir = self.dir_of(full_name, sha);
        let manifest_path = dir.join(MANIFEST);
        let manifest: Manifest = serde_json::from_slice(&fs::read(&manifest_path).ok()?).ok()?;
        if manifest.sha != sha || manifest.full_name != full_name {
            return None;
        }
        // Marks it recently used, so eviction keeps what re-runs still read.
        if let Ok(file) = fs::File::options().append(true).open(&manifest_path) {
            let _ = file.set_modified(SystemTime::now());
        }
        let entries = manifest
            .entries
            .into_iter()
            .filter_map(|e| {
                let kind = match e.kind.as_str() {
                    "file" => EntryKind::File,
                    "symlink" => EntryKind::Symlink,
                    "submodule" => EntryKind::Submodule,
                    _ => return None,
                };
                super::paths::safe_path(&e.path).then_some(Entry {
                    path: e.path,
                    size: e.size,
                    kind,
                    link_target: e.link,
                })
            })
            .collect();
        Some(CachedTree {
            files: dir.join(FILES),
            entries,
        })
    }

    /// A fresh directory to unpack into; its `files/` subdirectory is the unpack target.
    pub fn stage(&self) -> io::Result<tempfile::TempDir> {
        let staging = tempfile::Builder::new()
            .prefix("unpack-")
            .tempdir_in(self.staging_dir())?;
        fs::create_dir(staging.path().join(FILES))?;
        Ok(staging)
    }

    /// Moves a completely unpacked tree into place. A tree that cannot be kept (too big for
    /// the cap, or a failed write) stays in its staging directory, which the caller reads and
    /// then drops.
    pub fn keep(
        &self,
        staging: tempfile::TempDir,
        full_name: &str,
        sha: &str,
        unpacked: &Unpacked,
    ) -> Kept {
        if unpacked.bytes > self.max_bytes / 4 {
            log::info!("{full_name}: too big to keep in the tree cache");
            return Kept::Temporary(staging);
        }
        let target = self.dir_of(full_name, sha);
        match self.move_into_place(staging.path(), &target, full_name, sha, unpacked) {
            Ok(moved) => {
                if moved {
                    // Now owned by the cache: the staging guard must not delete it.
                    let _ = staging.keep();
                }
                Kept::Cached(CachedTree {
                    files: target.join(FILES),
                    entries: unpacked.entries.clone(),
                })
            }
            Err(error) => {
                log::debug!("{full_name}: could not keep the tree: {error}");
                Kept::Temporary(staging)
            }
        }
    }

    /// Writes the manifest and renames; `Ok(false)` when another run put the same tree in
    /// place first (theirs is as good, and ours is dropped with its staging directory).
    fn move_into_place(
        &self,
        staging: &Path,
        target: &Path,
        full_name: &str,
        sha: &str,
        unpacked: &Unpacked,
    ) -> io::Result<bool> {
        let manifest = Manifest {
            full_name: full_name.to_string(),
            sha: sha.to_string(),
            bytes: unpacked.bytes,
            entries: unpacked
                .entries
                .iter()
                .map(|e| ManifestEntry {
                    path: e.path.clone(),
                    size: e.size,
                    kind: match e.kind {
                        EntryKind::File => "file",
                        EntryKind::Symlink => "symlink",
                        EntryKind::Submodule => "submodule",
                    }
                    .to_string(),
                    link: e.link_target.clone(),
                })
                .collect(),
        };
        fs::write(
            staging.join(MANIFEST),
            serde_json::to_vec(&manifest).map_err(io::Error::other)?,
        )?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        match fs::rename(staging, target) {
            Ok(()) => Ok(true),
            Err(_) if target.join(MANIFEST).is_file() => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Records what this run saw of a repository, for the next run's quota estimate.
    pub fn note_seen(&self, full_name: &str, seen: &Seen) {
        let path = self.root.join(SEEN).join(format!("{full_name}.json"));
        let write = || -> io::Result<()> {
            fs::create_dir_all(path.parent().unwrap_or(&self.root))?;
            let mut file = tempfile::NamedTempFile::new_in(self.staging_dir())?;
            io::Write::write_all(
                &mut file,
                &serde_json::to_vec(seen).map_err(io::Error::other)?,
            )?;
            file.persist(&path).map_err(|e| e.error)?;
            Ok(())
        };
        if let Err(error) = write() {
            log::debug!("could not note {full_name} in the tree cache: {error}");
        }
    }

    /// What the last run saw of `full_name`, if its tree (when it had one) is still here.
    pub fn seen(&self, full_name: &str) -> Option<Seen> {
        let path = self.root.join(SEEN).join(format!("{full_name}.json"));
        serde_json::from_slice(&fs::read(path).ok()?).ok()
    }

    /// Whether the complete tree of `full_name` at `sha` is here, without touching it.
    pub fn contains(&self, full_name: &str, sha: &str) -> bool {
        self.dir_of(full_name, sha).join(MANIFEST).is_file()
    }

    /// Evicts least recently used trees until they fit `budget` (to three quarters of it, so
    /// a run can grow without trimming again), and clears stale staging directories.
    fn trim(&self, budget: u64) -> io::Result<()> {
        let now = SystemTime::now();
        for entry in fs::read_dir(self.staging_dir())?.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE);
            if old {
                let _ = remove(&entry.path());
            }
        }
        let mut trees = Vec::new();
        let mut total = 0u64;
        for owner in fs::read_dir(&self.root)?.flatten() {
            if owner.file_name().to_string_lossy().starts_with('.') || !owner.path().is_dir() {
                continue;
            }
            for tree in fs::read_dir(owner.path())?.flatten() {
                let manifest = tree.path().join(MANIFEST);
                let Ok(meta) = fs::metadata(&manifest) else {
                    // No manifest: not a complete tree, never read; reclaim it.
                    let _ = remove(&tree.path());
                    continue;
                };
                let bytes = fs::read(&manifest)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
                    .map_or(0, |m| m.bytes)
                    + meta.len();
                total += bytes;
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                trees.push((used, bytes, tree.path()));
            }
        }
        if total <= budget {
            return Ok(());
        }
        trees.sort();
        let target = budget / 4 * 3;
        for (_, bytes, path) in trees {
            if total <= target {
                break;
            }
            if remove(&path).is_ok() {
                total = total.saturating_sub(bytes);
            }
        }
        Ok(())
    }

    fn staging_dir(&self) -> PathBuf {
        self.root.join(STAGING)
    }
}

/// Removes a tree by first renaming it out of the way, so no reader ever sees half of one.
fn remove(path: &Path) -> io::Result<()> {
    let parent = path.parent().unwrap_or(path);
    let doomed = parent.join(format!(
        ".doomed-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    fs::rename(path, &doomed)?;
    fs::remove_dir_all(&doomed)
}

/// Bytes of regular files under `dir` (0 when it does not exist).
pub fn disk_usage(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(entry.path()),
                Ok(kind) if kind.is_file() => {
                    total += entry.metadata().map_or(0, |m| m.len());
                }
                _ => {}
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unpacked(bytes: u64) -> Unpacked {
        Unpacked {
            entries: vec![
                Entry::file("README.md", bytes),
                Entry {
                    path: "docs".into(),
                    size: 0,
                    kind: EntryKind::Symlink,
                    link_target: Some("src".into()),
                },
            ],
            bytes,
            refused: 0,
        }
    }

    fn stage_one(cache: &TreeCache, full_name: &str, sha: &str, bytes: u64) -> CachedTree {
        let staging = cache.stage().unwrap();
        fs::write(
            staging.path().join(FILES).join("README.md"),
            vec![b'x'; bytes as usize],
        )
        .unwrap();
        match cache.keep(staging, full_name, sha, &unpacked(bytes)) {
            Kept::Cached(tree) => tree,
            Kept::Temporary(_) => panic!("not kept"),
        }
    }

    #[test]
    fn a_kept_tree_is_found_by_sha_with_its_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TreeCache::open(dir.path(), 1 << 30).unwrap();
        assert!(cache.get("o/r", "abc").is_none());
        let kept = stage_one(&cache, "o/r", "abc", 5);
        assert_eq!(fs::read(kept.files.join("README.md")).unwrap(), b"xxxxx");
        let again = cache.get("o/r", "abc").unwrap();
        assert_eq!(again.entries, unpacked(5).entries);
        assert!(
            cache.get("o/r", "def").is_none(),
            "another commit is another tree"
        );
        assert!(
            fs::read_dir(cache.staging_dir()).unwrap().next().is_none(),
            "staging is empty"
        );
    }

    #[test]
    fn an_unfinished_unpack_is_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TreeCache::open(dir.path(), 1 << 30).unwrap();
        // A crash between unpacking and renaming leaves only staging; a tree directory without
        // its manifest (say, half deleted by hand) is not a tree either.
        let staging = cache.stage().unwrap();
        let _ = staging.keep();
        fs::create_dir_all(cache.dir_of("o/r", "abc").join(FILES)).unwrap();
        assert!(cache.get("o/r", "abc").is_none());
        assert!(!cache.contains("o/r", "abc"));
        TreeCache::open(dir.path(), 1 << 30).unwrap();
        assert!(
            !cache.dir_of("o/r", "abc").exists(),
            "reclaimed at the next open"
        );
    }

    #[test]
    fn least_recently_used_trees_are_evicted_to_fit_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TreeCache::open(dir.path(), 1 << 30).unwrap();
        for i in 0..6u64 {
            stage_one(&cache, &format!("o/r{i}"), "abc", 1000);
            let manifest = cache.dir_of(&format!("o/r{i}"), "abc").join(MANIFEST);
            let file = fs::File::options().append(true).open(manifest).unwrap();
            file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1000 + i))
                .unwrap();
        }
        // Six trees of ~1.2 kB each against a 5 kB cap: trimmed to 3.75 kB, oldest first.
        TreeCache::open(dir.path(), 5000).unwrap();
        let kept: Vec<bool> = (0..6)
            .map(|i| cache.contains(&format!("o/r{i}"), "abc"))
            .collect();
        assert_eq!(kept, [false, false, false, true, true, true], "{kept:?}");
    }

    #[test]
    fn seen_records_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TreeCache::open(dir.path(), 1 << 30).unwrap();
        let seen = Seen {
            sha: "abc".into(),
            pushed_at: Some("2024-06-01T12:00:00Z".into()),
        };
        cache.note_seen("o/r", &seen);
        assert_eq!(cache.seen("o/r"), Some(seen));
        assert_eq!(cache.seen("o/other"), None);
    }
}
