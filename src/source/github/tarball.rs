//! A repository's content in one request: `GET /repos/O/R/tarball/SHA`, which answers 302 to
//! codeload. The body is streamed through gzip and tar straight into files under a fresh
//! directory, so the archive is never held whole in memory, and nothing is written outside
//! that directory.
//!
//! A tarball is input from the network and is treated as hostile: the top-level
//! `owner-repo-sha/` directory is stripped; absolute paths, `..`, `.` and empty components,
//! backslashes and non-UTF-8 names are refused; symlinks are recorded as links (with their
//! targets) and never created or followed, and an entry below a recorded symlink is refused,
//! so no write can escape; hardlinks, devices and FIFOs are skipped. Caps on the compressed
//! stream, on the unpacked bytes and on the entry count turn a bomb into an error for that
//! repository alone. The result is the same [`Entry`] list the tree API gives.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use bytes::Bytes;
use tokio::sync::mpsc;

use super::client::{ApiError, Client, JSON};
use super::paths::safe_path;
use crate::source::{Entry, EntryKind};

/// Bounds on one tarball; exceeding any of them errors the repository, not the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TarballLimits {
    /// Bytes downloaded (gzip-compressed).
    pub max_compressed: u64,
    /// Bytes of regular files written.
    pub max_unpacked: u64,
    /// Tar entries of any kind.
    pub max_entries: usize,
}

impl Default for TarballLimits {
    fn default() -> Self {
        TarballLimits {
            max_compressed: 1024 * 1024 * 1024,
            max_unpacked: 2 * 1024 * 1024 * 1024,
            max_entries: 500_000,
        }
    }
}

/// What an unpacked tarball holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpacked {
    pub entries: Vec<Entry>,
    /// Bytes of regular files written.
    pub bytes: u64,
    /// Entries refused as unsafe (logged).
    pub refused: usize,
}

/// Chunks of the download in flight between the network task and the unpacking thread; the
/// bound is what keeps memory flat whatever the archive's size.
const CHANNEL_CHUNKS: usize = 8;

/// Downloads `owner/name` at `sha` and unpacks it into `dest`, an empty directory. A download
/// that breaks off is retried from the start (the directory is emptied first).
pub async fn download(
    client: &Client,
    owner: &str,
    name: &str,
    sha: &str,
    dest: &Path,
    limits: TarballLimits,
) -> Result<Unpacked, ApiError> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        match download_once(client, owner, name, sha, dest, limits).await {
            Err(Failure::Broken(message)) if attempt < ATTEMPTS => {
                log::info!("{owner}/{name}: {message}; downloading the tarball again");
                attempt += 1;
                let _ = fs::remove_dir_all(dest);
                fs::create_dir_all(dest).map_err(|e| io_error(&e))?;
            }
            Err(Failure::Broken(message)) => {
                return Err(ApiError::Transport(format!(
                    "{message} (gave up after {ATTEMPTS} attempts)"
                )));
            }
            Err(Failure::Fatal(error)) => return Err(error),
            Ok(unpacked) => return Ok(unpacked),
        }
    }
}

enum Failure {
    /// The stream broke off or stalled: worth another try.
    Broken(String),
    Fatal(ApiError),
}

async fn download_once(
    client: &Client,
    owner: &str,
    name: &str,
    sha: &str,
    dest: &Path,
    limits: TarballLimits,
) -> Result<Unpacked, Failure> {
    let (_, mut stream) = client
        .get_stream(&format!("/repos/{owner}/{name}/tarball/{sha}"), JSON)
        .await
        .map_err(Failure::Fatal)?;
    let (sender, receiver) = mpsc::channel::<Result<Bytes, String>>(CHANNEL_CHUNKS);
    let target = dest.to_path_buf();
    let unpacking =
        tokio::task::spawn_blocking(move || unpack(ChannelReader::new(receiver), &target, limits));
    let mut received = 0u64;
    let pumped: Result<(), Failure> = async {
        while let Some(chunk) = stream.chunk().await.map_err(Failure::Broken)? {
            received += chunk.len() as u64;
            if received > limits.max_compressed {
                return Err(Failure::Fatal(too_large(format!(
                    "the tarball is larger than the {} download cap",
                    megabytes(limits.max_compressed)
                ))));
            }
            if sender.send(Ok(chunk)).await.is_err() {
                break; // the unpacker finished (or failed) early; its result says which
            }
        }
        Ok(())
    }
    .await;
    if let Err(failure) = &pumped {
        let reason = match failure {
            Failure::Broken(message) => message.clone(),
            Failure::Fatal(error) => error.to_string(),
        };
        // The unpacker must see an error, not a clean end, or a cut archive could pass.
        let _ = sender.send(Err(reason)).await;
    }
    drop(sender);
    let unpacked = unpacking
        .await
        .map_err(|e| Failure::Fatal(ApiError::Transport(format!("unpacking stopped: {e}"))))?;
    pumped?;
    unpacked.map_err(|error| match error {
        UnpackError::TooLarge(message) => Failure::Fatal(too_large(message)),
        UnpackError::Io(error) => Failure::Fatal(ApiError::Transport(format!(
            "cannot unpack the tarball: {error}"
        ))),
    })
}

fn too_large(message: String) -> ApiError {
    ApiError::Transport(format!(
        "{message}; audit this repository with --clone instead"
    ))
}

fn io_error(error: &io::Error) -> ApiError {
    ApiError::Transport(format!("cannot unpack the tarball: {error}"))
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(1024 * 1024))
}

/// The download as a blocking reader for the unpacking thread.
struct ChannelReader {
    receiver: mpsc::Receiver<Result<Bytes, String>>,
    current: Bytes,
}

impl ChannelReader {
    fn new(receiver: mpsc::Receiver<Result<Bytes, String>>) -> Self {
        ChannelReader {
            receiver,
            current: Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.receiver.blocking_recv() {
                None => return Ok(0),
                Some(Err(message)) => return Err(io::Error::other(message)),
                Some(Ok(chunk)) => self.current = chunk,
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("{0}")]
    TooLarge(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Where a tar member's name puts it.
#[derive(Debug, PartialEq, Eq)]
enum Placement {
    /// The top-level directory itself (or a global header): nothing to record.
    Top,
    Inside(String),
    Unsafe,
}

/// Strips the top-level directory and checks what is left.
fn place(raw: &[u8]) -> Placement {
    let Ok(text) = std::str::from_utf8(raw) else {
        return Placement::Unsafe;
    };
    if text.starts_with('/') {
        return Placement::Unsafe;
    }
    let text = text.strip_suffix('/').unwrap_or(text);
    let (top, rest) = text.split_once('/').unwrap_or((text, ""));
    if top.is_empty() || top == "." || top == ".." || top.contains('\\') {
        return Placement::Unsafe;
    }
    if rest.is_empty() {
        return Placement::Top;
    }
    if safe_path(rest) {
        Placement::Inside(rest.to_string())
    } else {
        Placement::Unsafe
    }
}

/// The proper prefixes of `a/b/c`: `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// Unpacks a gzip-compressed tar from `reader` into `dest` (which must exist and be empty),
/// under the checks the module describes.
pub fn unpack(
    reader: impl Read,
    dest: &Path,
    limits: TarballLimits,
) -> Result<Unpacked, UnpackError> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    let mut out = Unpacked::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut links: HashSet<String> = HashSet::new();
    let mut dirs: HashSet<String> = HashSet::new();
    let mut listed_dirs: Vec<String> = Vec::new();
    let mut members = 0usize;
    for item in archive.entries()? {
        let mut item = item?;
        members += 1;
        if members > limits.max_entries {
            return Err(UnpackError::TooLarge(format!(
                "the tarball has more than {} entries",
                limits.max_entries
            )));
        }
        let kind = item.header().entry_type();
        if kind.is_pax_global_extensions() {
            continue;
        }
        let raw = item.path_bytes().into_owned();
        let path = match place(&raw) {
            Placement::Top => continue,
            Placement::Unsafe => {
                refuse(&mut out, &raw, "an unsafe path");
                continue;
            }
            Placement::Inside(path) => path,
        };
        if parents(&path).any(|p| links.contains(p) || seen.contains(p)) {
            refuse(&mut out, &raw, "a path below a symlink or a file");
            continue;
        }
        if kind.is_dir() {
            if !seen.contains(&path) && dirs.insert(path.clone()) {
                listed_dirs.push(path);
            }
            continue;
        }
        if seen.contains(&path) || dirs.contains(&path) {
            refuse(&mut out, &raw, "a duplicate path");
            continue;
        }
        if kind.is_file() {
            let size = item.header().size()?;
            if out.bytes.saturating_add(size) > limits.max_unpacked {
                return Err(UnpackError::TooLarge(format!(
                    "the repository unpacks to more than the {} cap",
                    megabytes(limits.max_unpacked)
                )));
            }
            let target = dest.join(&path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            // `create_new` never opens an existing file, let alone through a link.
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)?;
            let written = io::copy(&mut (&mut item).take(size), &mut file)?;
            out.bytes += written;
            for parent in parents(&path) {
                dirs.insert(parent.to_string());
            }
            seen.insert(path.clone());
            out.entries.push(Entry::file(path, written));
        } else if kind.is_symlink() {
            let target = item
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned());
            for parent in parents(&path) {
                dirs.insert(parent.to_string());
            }
            seen.insert(path.clone());
            links.insert(path.clone());
            out.entries.push(Entry {
                path,
                size: 0,
                kind: EntryKind::Symlink,
                link_target: target,
            });
        } else {
            log::debug!(
                "skipping a tarball member that is neither file, directory nor symlink: {:?}",
                String::from_utf8_lossy(&raw)
            );
        }
    }
    // Reading to the end checks gzip's length and CRC trailer: a cut stream is an error even
    // when it was cut between two members.
    io::copy(&mut archive.into_inner(), &mut io::sink())?;
    add_submodules(dest, &mut out, &listed_dirs, &dirs);
    Ok(out)
}

fn refuse(out: &mut Unpacked, raw: &[u8], why: &str) {
    out.refused += 1;
    log::warn!(
        "refusing {why} in a tarball: {:?}",
        String::from_utf8_lossy(&raw[..raw.len().min(200)])
    );
}

/// `git archive` writes a submodule as an empty directory; `.gitmodules` says which empty
/// directories those are, so the entry list matches the tree API's.
fn add_submodules(dest: &Path, out: &mut Unpacked, listed: &[String], dirs: &HashSet<String>) {
    if !out.entries.iter().any(|e| e.path == ".gitmodules") {
        return;
    }
    let mut text = String::new();
    let read = fs::File::open(dest.join(".gitmodules"))
        .and_then(|f| f.take(256 * 1024).read_to_string(&mut text));
    if read.is_err() {
        return;
    }
    let declared: HashSet<&str> = text
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            (key.trim() == "path").then(|| value.trim().trim_end_matches('/'))
        })
        .collect();
    for dir in listed.iter().filter(|d| declared.contains(d.as_str())) {
        let below = |path: &str| {
            path.len() > dir.len()
                && path.starts_with(dir.as_str())
                && path.as_bytes()[dir.len()] == b'/'
        };
        if !out.entries.iter().any(|e| below(&e.path)) && !dirs.iter().any(|d| below(d)) {
            out.entries.push(Entry {
                path: dir.clone(),
                size: 0,
                kind: EntryKind::Submodule,
                link_target: None,
            });
        }
    }
}

#[cfg(test)]
mod tests;
