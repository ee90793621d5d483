//! One path in a repository's listing, as every source returns it: its size and whether it is a
//! file, a symlink or a submodule.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    File,
    Symlink,
    /// A gitlink or nested repository: recorded, never descended into.
    Submodule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative, `/`-separated, never starting with `/` or containing `..`.
    pub path: String,
    pub size: u64,
    pub kind: EntryKind,
    /// Where a symlink points, as written in the link.
    pub link_target: Option<String>,
}

impl Entry {
    pub fn file(path: impl Into<String>, size: u64) -> Self {
        Entry {
            path: path.into(),
            size,
            kind: EntryKind::File,
            link_target: None,
        }
    }

    /// The last path component.
    pub fn name(&self) -> &str {
        file_name(&self.path)
    }
}

pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
