//! Which files are binary, decided as early and as cheaply as possible: by
//! name before a file is opened (a git blob is inflated whole on open), then
//! by its first bytes (magic numbers, and a NUL byte as git decides). Binary
//! files hold no text for the detectors, and reading a compressed stream as
//! text only produces chance matches.

/// Extensions of formats that are never text. Data formats that are listed in
/// the inventory (parquet, sqlite, xlsx …) are decided by `inventory.rs` first.
const BINARY_EXTS: &[&str] = &[
    // images
    "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "ico", "icns", "webp", "heic", "psd",
    // documents and archives
    "pdf", "doc", "docx", "ppt", "pptx", "odt", "odp", "msg", "zip", "tar", "tgz", "gz", "bz2",
    "xz", "zst", "7z", "rar", "jar", "war", "whl", "egg", "nupkg", // fonts
    "woff", "woff2", "ttf", "otf", "eot", // compiled code and objects
    "exe", "dll", "so", "dylib", "a", "o", "obj", "lib", "bin", "class", "pyc", "pyo", "pyd",
    "wasm", "rlib", "node", // media
    "mp3", "mp4", "m4a", "wav", "ogg", "flac", "avi", "mov", "mkv", "webm",
    // numeric arrays and models
    "npy", "npz", "h5", "hdf5", "mat", "onnx", "pt", "pth", "joblib",
];

/// Leading bytes of binary formats. Only signatures that no text file can
/// reasonably start with.
const MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"\xFF\xD8\xFF",
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1F\x8B",
    b"BZh",
    b"\xFD7zXZ",
    b"7z\xBC\xAF",
    b"Rar!",
    b"(\xB5/\xFD",
    b"PAR1",
    b"ARROW1",
    b"SQLite format 3",
    b"\x7FELF",
    b"\xCA\xFE\xBA\xBE",
    b"\x00asm",
    b"wOFF",
    b"wOF2",
    b"OggS",
    b"fLaC",
    b"\x89HDF",
    b"\x93NUMPY",
    b"II*\x00",
    b"MM\x00*",
    b"\xD0\xCF\x11\xE0",
];

/// Bytes looked at to decide that a file is binary (git uses the same window).
pub(super) const SNIFF: usize = 8 * 1024;

/// Binary by name alone: no need to open the file.
pub(super) fn is_binary_name(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        let ext = ext.to_ascii_lowercase();
        BINARY_EXTS.contains(&ext.as_str())
    })
}

/// Binary by its first bytes: a known signature, or a NUL in the sniff window.
pub(super) fn is_binary_head(head: &[u8]) -> bool {
    MAGIC.iter().any(|m| head.starts_with(m))
        || memchr::memchr(0, &head[..head.len().min(SNIFF)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_and_by_first_bytes() {
        assert!(is_binary_name("img/Logo.PNG"));
        assert!(is_binary_name("docs/report.pdf"));
        assert!(!is_binary_name("data/x.csv"));
        assert!(!is_binary_name("Makefile"));
        assert!(!is_binary_name("a.svg"));
        assert!(is_binary_head(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"));
        assert!(is_binary_head(b"PK\x03\x04\x14"));
        assert!(is_binary_head(b"plain\0text"));
        assert!(!is_binary_head(b"nhs_number,age\n"));
        assert!(!is_binary_head(b""));
        assert!(!is_binary_head("PKU is a condition".as_bytes()));
    }
}
