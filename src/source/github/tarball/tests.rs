//! Hostile and ordinary tarballs, built byte by byte so that names the `tar` crate would
//! refuse to write (absolute, `..`) can be tested too.

use super::*;

enum Member<'a> {
    File(&'a [u8], &'a [u8]),
    Dir(&'a [u8]),
    Link(&'a [u8], &'a [u8]),
    Hardlink(&'a [u8], &'a [u8]),
    Fifo(&'a [u8]),
}

/// A gzip-compressed tar of `members`, names written verbatim (up to 100 bytes).
fn tarball(members: &[Member]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let mut global = tar::Header::new_ustar();
    global.set_entry_type(tar::EntryType::XGlobalHeader);
    let comment = b"52 comment=0123456789012345678901234567890123456789\n";
    global.set_size(comment.len() as u64);
    raw_name(&mut global, b"pax_global_header");
    global.set_cksum();
    builder.append(&global, &comment[..]).unwrap();
    for member in members {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        let (name, data, kind, link): (&[u8], &[u8], _, Option<&[u8]>) = match member {
            Member::File(name, data) => (name, data, tar::EntryType::Regular, None),
            Member::Dir(name) => (name, b"", tar::EntryType::Directory, None),
            Member::Link(name, to) => (name, b"", tar::EntryType::Symlink, Some(to)),
            Member::Hardlink(name, to) => (name, b"", tar::EntryType::Link, Some(to)),
            Member::Fifo(name) => (name, b"", tar::EntryType::Fifo, None),
        };
        header.set_entry_type(kind);
        header.set_size(data.len() as u64);
        raw_name(&mut header, name);
        if let Some(link) = link {
            header.as_old_mut().linkname[..link.len()].copy_from_slice(link);
        }
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

fn raw_name(header: &mut tar::Header, name: &[u8]) {
    let field = &mut header.as_old_mut().name;
    field.fill(0);
    field[..name.len()].copy_from_slice(name);
}

fn unpack_bytes(
    bytes: &[u8],
    limits: TarballLimits,
) -> (tempfile::TempDir, Result<Unpacked, UnpackError>) {
    let dir = tempfile::tempdir().unwrap();
    let result = unpack(bytes, &dir.path().join("tree").tap_create(), limits);
    (dir, result)
}

trait TapCreate {
    fn tap_create(self) -> Self;
}

impl TapCreate for std::path::PathBuf {
    fn tap_create(self) -> Self {
        fs::create_dir_all(&self).unwrap();
        self
    }
}

fn paths(unpacked: &Unpacked) -> Vec<(String, EntryKind)> {
    let mut paths: Vec<_> = unpacked
        .entries
        .iter()
        .map(|e| (e.path.clone(), e.kind))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    paths
}

/// Every file under `root`, relative, as found on disk (symlinks would show as such).
fn on_disk(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            assert!(
                !kind.is_symlink(),
                "a symlink was created: {:?}",
                entry.path()
            );
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                let relative = entry.path().strip_prefix(root).unwrap().to_owned();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

const GITMODULES: &[u8] =
    b"[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = https://example.invalid/lib.git\n";

#[test]
fn an_ordinary_tarball_gives_the_tree_apis_entries() {
    let bytes = tarball(&[
        Member::Dir(b"o-r-abc1234/"),
        Member::File(b"o-r-abc1234/README.md", b"# R\n"),
        Member::Dir(b"o-r-abc1234/src/"),
        Member::File(b"o-r-abc1234/src/main.py", b"print(1)\n"),
        Member::Link(b"o-r-abc1234/docs", b"src"),
        Member::File(b"o-r-abc1234/.gitmodules", GITMODULES),
        Member::Dir(b"o-r-abc1234/vendor/"),
        Member::Dir(b"o-r-abc1234/vendor/lib/"),
        Member::Dir(b"o-r-abc1234/empty/"),
    ]);
    let (dir, result) = unpack_bytes(&bytes, TarballLimits::default());
    let unpacked = result.unwrap();
    assert_eq!(
        paths(&unpacked),
        vec![
            (".gitmodules".to_string(), EntryKind::File),
            ("README.md".to_string(), EntryKind::File),
            ("docs".to_string(), EntryKind::Symlink),
            ("src/main.py".to_string(), EntryKind::File),
            ("vendor/lib".to_string(), EntryKind::Submodule),
        ]
    );
    let link = unpacked.entries.iter().find(|e| e.path == "docs").unwrap();
    assert_eq!(link.link_target.as_deref(), Some("src"));
    let readme = unpacked
        .entries
        .iter()
        .find(|e| e.path == "README.md")
        .unwrap();
    assert_eq!(readme.size, 4);
    assert_eq!(unpacked.bytes, (4 + 9 + GITMODULES.len()) as u64);
    assert_eq!(unpacked.refused, 0);
    let tree = dir.path().join("tree");
    assert_eq!(on_disk(&tree), [".gitmodules", "README.md", "src/main.py"]);
    assert_eq!(fs::read(tree.join("src/main.py")).unwrap(), b"print(1)\n");
}

#[test]
fn dot_dot_absolute_and_odd_names_are_refused_and_nothing_lands_outside() {
    let bytes = tarball(&[
        Member::File(b"top/ok.txt", b"fine"),
        Member::File(b"top/../escape.txt", b"out"),
        Member::File(b"top/a/../../escape2.txt", b"out"),
        Member::File(b"/etc/openly-test-absolute", b"abs"),
        Member::File(b"../outside.txt", b"out"),
        Member::File(b"top/./dot.txt", b"dot"),
        Member::File(b"top/back\\slash", b"bs"),
        Member::File(b"top/bad\xff.txt", b"utf"),
    ]);
    let (dir, result) = unpack_bytes(&bytes, TarballLimits::default());
    let unpacked = result.unwrap();
    assert_eq!(
        paths(&unpacked),
        vec![("ok.txt".to_string(), EntryKind::File)]
    );
    assert_eq!(unpacked.refused, 7);
    assert_eq!(
        on_disk(dir.path()),
        ["tree/ok.txt"],
        "nothing outside tree/"
    );
    assert!(!Path::new("/etc/openly-test-absolute").exists());
}

#[test]
fn symlinks_are_recorded_never_created_and_nothing_is_written_through_them() {
    let bytes = tarball(&[
        Member::Link(b"top/out", b"/etc"),
        Member::File(b"top/out/passwd", b"root::0:0"),
        Member::Link(b"top/up", b"../.."),
        Member::File(b"top/up/x/escape", b"out"),
        Member::File(b"top/file", b"plain"),
        Member::File(b"top/file/below", b"a file is no directory"),
        Member::Link(b"top/file", b"elsewhere"),
    ]);
    let (dir, result) = unpack_bytes(&bytes, TarballLimits::default());
    let unpacked = result.unwrap();
    assert_eq!(
        paths(&unpacked),
        vec![
            ("file".to_string(), EntryKind::File),
            ("out".to_string(), EntryKind::Symlink),
            ("up".to_string(), EntryKind::Symlink),
        ]
    );
    assert_eq!(unpacked.refused, 4);
    assert_eq!(on_disk(dir.path()), ["tree/file"]);
}

#[test]
fn hardlinks_devices_and_fifos_are_skipped() {
    let bytes = tarball(&[
        Member::File(b"top/a", b"a"),
        Member::Hardlink(b"top/b", b"top/a"),
        Member::Fifo(b"top/pipe"),
    ]);
    let (_dir, result) = unpack_bytes(&bytes, TarballLimits::default());
    assert_eq!(
        paths(&result.unwrap()),
        vec![("a".to_string(), EntryKind::File)]
    );
}

#[test]
fn unpacked_size_and_entry_count_are_capped() {
    let big = vec![b'x'; 4096];
    let bytes = tarball(&[
        Member::File(b"top/one", &big),
        Member::File(b"top/two", &big),
    ]);
    let limits = TarballLimits {
        max_unpacked: 6000,
        ..TarballLimits::default()
    };
    let (_dir, result) = unpack_bytes(&bytes, limits);
    match result {
        Err(UnpackError::TooLarge(message)) => {
            assert!(message.contains("unpacks to more"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let limits = TarballLimits {
        max_entries: 2,
        ..TarballLimits::default()
    };
    let (_dir, result) = unpack_bytes(&bytes, limits);
    assert!(
        matches!(result, Err(UnpackError::TooLarge(_))),
        "{result:?}"
    );
}

#[test]
fn a_cut_or_corrupt_archive_is_an_error_not_a_shorter_tree() {
    let bytes = tarball(&[Member::File(b"top/a", &[b'y'; 20_000])]);
    let (_dir, result) = unpack_bytes(&bytes[..bytes.len() / 2], TarballLimits::default());
    assert!(result.is_err(), "{result:?}");
    let (_dir, result) = unpack_bytes(b"not gzip at all", TarballLimits::default());
    assert!(result.is_err());
}

#[test]
fn placement_strips_the_top_directory() {
    assert_eq!(place(b"o-r-sha/"), Placement::Top);
    assert_eq!(place(b"pax_global_header"), Placement::Top);
    assert_eq!(place(b"o-r-sha/a/b"), Placement::Inside("a/b".into()));
    assert_eq!(place(b"o-r-sha/a/b/"), Placement::Inside("a/b".into()));
    assert_eq!(place(b"/a/b"), Placement::Unsafe);
    assert_eq!(place(b"../a"), Placement::Unsafe);
    assert_eq!(place(b"o//a"), Placement::Unsafe);
    assert_eq!(parents("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
}
