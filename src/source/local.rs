//! A plain directory. Everything present is audited, including files a `.gitignore` would hide:
//! a force-added `.env` is exactly what an audit must see. Nested repositories are recorded as
//! submodules and not descended into, and nothing outside the directory is ever touched.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::Source;
use crate::model::{SourceInfo, SourceKind};
use crate::source::{Entry, EntryKind};

pub struct LocalSource {
    root: PathBuf,
    info: SourceInfo,
}

impl LocalSource {
    /// A regular file and its size. Checked again at open time: the listing may be stale, and
    /// a file swapped for a symlink must still not be followed.
    pub(super) fn open_file(&self, path: &str) -> Result<(File, u64), crate::Error> {
        let full = self.resolve(path)?;
        let metadata = std::fs::symlink_metadata(&full)?;
        if !metadata.is_file() {
            return Err(crate::Error::NotAFile(path.to_string()));
        }
        Ok((File::open(full)?, metadata.len()))
    }

    pub fn new(root: &Path) -> Self {
        LocalSource {
            root: root.to_path_buf(),
            info: SourceInfo {
                kind: SourceKind::Local,
                location: root.display().to_string(),
                reference: None,
                commit: None,
            },
        }
    }

    /// The on-disk path of a snapshot path, refusing anything that could escape the root.
    fn resolve(&self, path: &str) -> Result<PathBuf, crate::Error> {
        let escapes = path.is_empty()
            || path.starts_with('/')
            || path.split('/').any(|part| part == ".." || part.is_empty());
        if escapes {
            return Err(crate::Error::NotAFile(path.to_string()));
        }
        Ok(self.root.join(path))
    }
}

impl Source for LocalSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn list(&self) -> Result<Vec<Entry>, crate::Error> {
        let mut entries = Vec::new();
        let walker = ignore::WalkBuilder::new(&self.root)
            .standard_filters(false)
            .hidden(false)
            .parents(false)
            .follow_links(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build();
        for item in walker {
            let item = match item {
                Ok(item) => item,
                Err(error) => {
                    log::warn!("skipping unreadable entry: {error}");
                    continue;
                }
            };
            if item.depth() == 0 {
                continue;
            }
            let Ok(relative) = item.path().strip_prefix(&self.root) else {
                continue;
            };
            let Some(path) = relative_path(relative) else {
                log::warn!("skipping a path that is not UTF-8: {}", relative.display());
                continue;
            };
            let Some(file_type) = item.file_type() else {
                continue;
            };
            if file_type.is_symlink() {
                let target = std::fs::read_link(item.path())
                    .ok()
                    .map(|t| t.to_string_lossy().into_owned());
                entries.push(Entry {
                    path,
                    size: 0,
                    kind: EntryKind::Symlink,
                    link_target: target,
                });
            } else if file_type.is_file() {
                let size = item.metadata().map(|m| m.len()).unwrap_or(0);
                entries.push(Entry::file(path, size));
            } else if file_type.is_dir() && item.path().join(".git").exists() {
                entries.push(Entry {
                    path,
                    size: 0,
                    kind: EntryKind::Submodule,
                    link_target: None,
                });
            }
            // Sockets, FIFOs and devices are skipped: reading a FIFO would block forever.
        }
        // Nested repositories are listed as submodules; their contents are not this repo's.
        let nested: Vec<String> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Submodule)
            .map(|e| format!("{}/", e.path))
            .collect();
        if !nested.is_empty() {
            entries.retain(|e| {
                !nested
                    .iter()
                    .any(|prefix| e.path.starts_with(prefix.as_str()))
            });
        }
        Ok(entries)
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, crate::Error> {
        let (file, size) = self.open_file(path)?;
        // Every text file is read this way, so the buffer is sized from the file.
        let (bytes, result) = super::read_sized(file, limit, size);
        result?;
        Ok(bytes)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        Ok(Box::new(self.open_file(path)?.0))
    }
}

fn relative_path(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}
