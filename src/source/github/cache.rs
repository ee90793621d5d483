//! An on-disk HTTP cache for conditional requests. GitHub answers `304 Not Modified` to a
//! request that carries the ETag (or Last-Modified date) of an unchanged resource, and a 304
//! costs no rate-limit quota, so re-auditing an unchanged organisation spends almost nothing.
//!
//! Entries are keyed by a hash of the token fingerprint, the Accept header and the request path:
//! GitHub's responses `Vary` on `Authorization`, so two tokens must never share an entry (and
//! the token itself is never written). Writes go through a temporary file renamed into place,
//! so concurrent runs and jobs only ever see whole entries. The size is bounded by evicting the
//! least recently used entries when a run starts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// Default bound on the cache's total size.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Bodies larger than this are not cached: they are blobs big enough to hurt the size bound
/// and are rarely re-read.
const MAX_ENTRY_BYTES: usize = 8 * 1024 * 1024;

/// Bumped when the entry format changes, so old entries are simply ignored.
pub const LAYOUT: &str = "http-v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedResponse {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The `Link` header: a 304 need not repeat it, and pagination depends on it.
    pub link: Option<String>,
    /// `Content-Type`: old GHES answers a raw blob request with base64 JSON, and only this
    /// tells the two apart when the body comes from the cache.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct HttpCache {
    root: PathBuf,
}

impl HttpCache {
    /// Opens (creating) the cache under `dir` and trims it to `max_bytes`.
    pub fn open(dir: &Path, max_bytes: u64) -> std::io::Result<Self> {
        let root = dir.join(LAYOUT);
        fs::create_dir_all(&root)?;
        let cache = HttpCache { root };
        if let Err(error) = cache.trim(max_bytes) {
            log::warn!("could not trim the HTTP cache: {error}");
        }
        Ok(cache)
    }

    /// The default location: `$XDG_CACHE_HOME/openly`, else `~/.cache/openly`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("openly"));
        }
        std::env::var_os("HOME")
            .filter(|d| !d.is_empty())
            .map(|home| PathBuf::from(home).join(".cache").join("openly"))
    }

    pub fn key(token_fingerprint: &str, accept: &str, path: &str) -> String {
        let mut hasher = Sha256::new();
        for part in [token_fingerprint, accept, path] {
            hasher.update(part.as_bytes());
            hasher.update([0u8]);
        }
        hex(&hasher.finalize())
    }

    fn path_of(&self, key: &str) -> PathBuf {
        self.root.join(&key[..2]).join(key)
    }

    /// The stored response, or `None` when absent or unreadable (a damaged entry is a miss).
    pub fn load(&self, key: &str) -> Option<CachedResponse> {
        let bytes = fs::read(self.path_of(key)).ok()?;
        let split = bytes.iter().position(|&b| b == b'\n')?;
        let header: serde_json::Value = serde_json::from_slice(&bytes[..split]).ok()?;
        let text = |name: &str| header.get(name).and_then(|v| v.as_str()).map(String::from);
        let length = header.get("length")?.as_u64()?;
        let body = bytes[split + 1..].to_vec();
        if body.len() as u64 != length {
            return None;
        }
        Some(CachedResponse {
            etag: text("etag"),
            last_modified: text("last_modified"),
            link: text("link"),
            content_type: text("content_type"),
            body,
        })
    }

    /// Marks an entry as recently used, so eviction keeps what re-runs still revalidate.
    pub fn touch(&self, key: &str) {
        if let Ok(file) = fs::File::options().append(true).open(self.path_of(key)) {
            let _ = file.set_modified(SystemTime::now());
        }
    }

    pub fn store(&self, key: &str, response: &CachedResponse) {
        if response.body.len() > MAX_ENTRY_BYTES
            || (response.etag.is_none() && response.last_modified.is_none())
        {
            return;
        }
        if let Err(error) = self.write(key, response) {
            log::debug!("could not write an HTTP cache entry: {error}");
        }
    }

    fn write(&self, key: &str, response: &CachedResponse) -> std::io::Result<()> {
        let path = self.path_of(key);
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir)?;
        let header = serde_json::json!({
            "etag": response.etag,
            "last_modified": response.last_modified,
            "link": response.link,
            "content_type": response.content_type,
            "length": response.body.len(),
        });
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        file.write_all(header.to_string().as_bytes())?;
        file.write_all(b"\n")?;
        file.write_all(&response.body)?;
        file.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Evicts least recently used entries until the cache holds at most three quarters of
    /// `max_bytes`, leaving room for this run to grow without trimming again.
    fn trim(&self, max_bytes: u64) -> std::io::Result<()> {
        let mut entries = Vec::new();
        let mut total = 0u64;
        for shard in fs::read_dir(&self.root)? {
            let shard = shard?;
            if !shard.file_type()?.is_dir() {
                continue;
            }
            for entry in fs::read_dir(shard.path())? {
                let entry = entry?;
                let meta = entry.metadata()?;
                if meta.is_file() {
                    total += meta.len();
                    let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                    entries.push((used, meta.len(), entry.path()));
                }
            }
        }
        if total <= max_bytes {
            return Ok(());
        }
        entries.sort();
        let target = max_bytes / 4 * 3;
        for (_, size, path) in entries {
            if total <= target {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(size);
            }
        }
        Ok(())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A one-way fingerprint of the token: it separates cache entries per identity without the
/// token ever reaching the disk.
pub fn token_fingerprint(token: Option<&str>) -> String {
    match token {
        None => "anonymous".to_string(),
        Some(token) => {
            let mut hasher = Sha256::new();
            hasher.update(b"openly-token-fingerprint\0");
            hasher.update(token.as_bytes());
            hex(&hasher.finalize())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damaged_entries_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HttpCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        let key = HttpCache::key("t", "a", "/p");
        let response = CachedResponse {
            etag: Some("W/\"x\"".into()),
            last_modified: None,
            link: Some("<https://h/x?page=2>; rel=\"next\"".into()),
            content_type: Some("application/json; charset=utf-8".into()),
            body: b"{\n}".to_vec(),
        };
        cache.store(&key, &response);
        assert_eq!(cache.load(&key), Some(response));
        fs::write(cache.path_of(&key), b"{\"length\":99}\nshort").unwrap();
        assert_eq!(cache.load(&key), None);
    }

    #[test]
    fn keys_differ_by_token() {
        let a = HttpCache::key(&token_fingerprint(Some("one")), "a", "/p");
        let b = HttpCache::key(&token_fingerprint(Some("two")), "a", "/p");
        assert_ne!(a, b);
        assert!(!token_fingerprint(Some("secret-token")).contains("secret"));
    }

    #[test]
    fn trimming_evicts_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HttpCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        for i in 0..10 {
            let key = HttpCache::key("t", "a", &format!("/{i}"));
            cache.store(
                &key,
                &CachedResponse {
                    etag: Some("e".into()),
                    last_modified: None,
                    link: None,
                    content_type: None,
                    body: vec![b'x'; 1000],
                },
            );
            let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i);
            let file = fs::File::options()
                .append(true)
                .open(cache.path_of(&key))
                .unwrap();
            file.set_modified(old).unwrap();
        }
        HttpCache::open(dir.path(), 5000).unwrap();
        let kept: Vec<bool> = (0..10)
            .map(|i| {
                cache
                    .load(&HttpCache::key("t", "a", &format!("/{i}")))
                    .is_some()
            })
            .collect();
        assert!(!kept[0] && kept[9], "{kept:?}");
    }
}
