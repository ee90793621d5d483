//! Writing what openly produces (reports, Actions files, `openly init`) to a path the user
//! named, without ever destroying what the path is. A regular file (or a missing path) is
//! replaced atomically: the bytes go to a temporary file beside it, which is renamed over it,
//! so a reader never sees half a report and an interrupted run leaves the old file whole.
//! Anything else is written into, never replaced: `/dev/null` stays a device, a FIFO gets the
//! bytes, a symlink keeps pointing where it did and its target gets the report, and
//! `/dev/stdout` reaches the terminal.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path`, as described in the module documentation.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => replace(path, bytes, Some(meta.permissions())),
        Ok(_) => write_into(path, bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => replace(path, bytes, None),
        Err(error) => Err(error),
    }
}

/// Renames a complete temporary file over `path`. A new file gets the mode any program would
/// give it (0666 less the umask); an existing one keeps its own.
fn replace(path: &Path, bytes: &[u8], keep: Option<fs::Permissions>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".openly-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    if let Some(permissions) = keep {
        file.as_file().set_permissions(permissions)?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes into whatever `path` is (a device, a FIFO, a symlink's target), in place.
fn write_into(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    #[test]
    fn a_regular_file_is_replaced_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_new_file_gets_the_umask_mode_not_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.json");
        write(&path, b"{}").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, a plain file is readable by its group unless the umask says not.
        let umask_allows_group_read = {
            let probe = dir.path().join("probe");
            fs::File::create(&probe).unwrap();
            fs::metadata(&probe).unwrap().permissions().mode() & 0o040 != 0
        };
        assert_eq!(mode & 0o040 != 0, umask_allows_group_read, "mode {mode:o}");
        assert_ne!(mode, 0o600);
    }

    #[test]
    fn a_symlink_stays_a_symlink_and_its_target_gets_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.json");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_device_is_written_into_not_replaced() {
        write(Path::new("/dev/null"), b"discarded").unwrap();
        let meta = fs::symlink_metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device());
    }
}
