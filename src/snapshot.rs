//! A repository's files as the checks see them, wherever they came from. Listing is eager and
//! cheap (paths, sizes, kinds); contents are read lazily, capped, and decoded once. Symlinks are
//! recorded with their target and never followed, so a hostile link cannot lead a check outside
//! the repository.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};

use crate::model::SourceInfo;
use crate::source::{Entry, EntryKind, Source};

/// Default cap on bytes read from one file for text checks. Larger files are listed and
/// streamed by the checks that need them, but never decoded whole.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Files at most this big are kept in memory once read, so several rules can share them.
const CACHE_LIMIT: u64 = 1024 * 1024;

/// How many leading bytes decide whether a file is binary (git uses the same window).
const BINARY_SNIFF: usize = 8000;

/// A file's text, shared by the checks that read it. An `Arc<String>` rather than an
/// `Arc<str>`: the bytes read become the string in place, where an `Arc<str>` copied every file
/// once more (33 M instructions of `memcpy` over 26 real repositories).
pub type SharedText = Arc<String>;

/// The decoded content of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// UTF-8 text; invalid sequences are replaced rather than rejected, since licence and README
    /// files in Latin-1 are common and still worth judging.
    Text(SharedText),
    Binary,
    TooLarge {
        size: u64,
    },
    /// Not a regular file in this snapshot (missing, a symlink, a submodule).
    NotAFile,
    Unreadable(String),
}

/// Options that bound what a snapshot reads.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    pub max_file_size: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

pub struct Snapshot {
    source: Box<dyn Source>,
    entries: Vec<Entry>,
    by_path: HashMap<String, usize>,
    limits: ReadLimits,
    metadata: crate::model::RepoMetadata,
    cache: Mutex<HashMap<String, Content>>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("source", self.source.info())
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Snapshot {
    /// Lists the source once; contents stay unread until a check asks.
    pub fn new(source: Box<dyn Source>, limits: ReadLimits) -> Result<Self, crate::Error> {
        let mut entries = source.list()?;
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        let by_path = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.path.clone(), index))
            .collect();
        let metadata = source.metadata();
        Ok(Snapshot {
            source,
            metadata,
            entries,
            by_path,
            limits,
            cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn info(&self) -> &SourceInfo {
        self.source.info()
    }

    /// What the source knows beyond files (tags, topics, reviews), read once.
    pub fn metadata(&self) -> &crate::model::RepoMetadata {
        &self.metadata
    }

    pub fn source(&self) -> &dyn Source {
        self.source.as_ref()
    }

    /// Every entry, sorted by path.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Regular files only, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind == EntryKind::File)
    }

    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.by_path.get(path).map(|&i| &self.entries[i])
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.entry(path).is_some_and(|e| e.kind == EntryKind::File)
    }

    /// Files directly in the repository root.
    pub fn root_files(&self) -> impl Iterator<Item = &Entry> {
        self.files().filter(|e| !e.path.contains('/'))
    }

    /// The first root file whose name matches, case-insensitively, one of `names` in order.
    pub fn find_root_file(&self, names: &[&str]) -> Option<&Entry> {
        names.iter().find_map(|wanted| {
            self.root_files()
                .find(|e| e.path.eq_ignore_ascii_case(wanted))
        })
    }

    pub fn limits(&self) -> ReadLimits {
        self.limits
    }

    /// The file's content, read at most once while it is small enough to keep.
    pub fn content(&self, path: &str) -> Content {
        if let Some(hit) = self.lock_cache().get(path) {
            return hit.clone();
        }
        let content = self.read_content(path);
        let size = self.entry(path).map_or(0, |e| e.size);
        if size <= CACHE_LIMIT {
            self.lock_cache().insert(path.to_string(), content.clone());
        }
        content
    }

    /// The file as text when it is small enough to stay cached, so the other checks that want
    /// it (the data scan, licence headers, RAP code evidence) share one read; `None` for larger
    /// files, which their readers stream, and for anything that is not text.
    pub fn cached_text(&self, path: &str) -> Option<SharedText> {
        let entry = self.entry(path)?;
        if entry.kind != EntryKind::File || entry.size > CACHE_LIMIT {
            return None;
        }
        self.text(path)
    }

    /// The file as text, or `None` when it is missing, binary, too large or unreadable.
    pub fn text(&self, path: &str) -> Option<SharedText> {
        match self.content(path) {
            Content::Text(text) => Some(text),
            _ => None,
        }
    }

    /// A streaming reader for checks that must see files beyond the text cap (data scans).
    /// Symlinks and submodules are never opened.
    pub fn open(&self, path: &str) -> Result<Box<dyn Read + '_>, crate::Error> {
        match self.entry(path) {
            Some(entry) if entry.kind == EntryKind::File => self.source.open(path),
            _ => Err(crate::Error::NotAFile(path.to_string())),
        }
    }

    fn read_content(&self, path: &str) -> Content {
        let Some(entry) = self.entry(path) else {
            return Content::NotAFile;
        };
        if entry.kind != EntryKind::File {
            return Content::NotAFile;
        }
        if entry.size > self.limits.max_file_size {
            return Content::TooLarge { size: entry.size };
        }
        match self.source.read(path, self.limits.max_file_size) {
            Ok(bytes) => decode(bytes),
            Err(error) => Content::Unreadable(error.to_string()),
        }
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, Content>> {
        // A panic while holding the lock leaves only a cache behind; its data is still valid.
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Whether bytes look binary: a NUL byte early on, as git decides.
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0)
}

fn decode(mut bytes: Vec<u8>) -> Content {
    if looks_binary(&bytes) {
        return Content::Binary;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(invalid) => String::from_utf8_lossy(invalid.as_bytes()).into_owned(),
    };
    Content::Text(Arc::new(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_mean_binary_and_bom_is_dropped() {
        assert_eq!(decode(vec![b'a', 0, b'b']), Content::Binary);
        assert_eq!(
            decode(b"\xEF\xBB\xBFhi".to_vec()),
            Content::Text(Arc::new("hi".to_string()))
        );
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily() {
        match decode(b"caf\xe9 licence".to_vec()) {
            Content::Text(text) => assert!(text.ends_with(" licence")),
            other => panic!("expected text, got {other:?}"),
        }
    }
}
