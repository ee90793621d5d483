//! Unified diffs of planned changes in the form `git apply` takes: `diff --git` headers,
//! `new file mode 100644` and `/dev/null` for new files, `\ No newline at end of file`, quoted
//! paths, and lines kept byte for byte (CRLF included). `similar` finds the changed lines; the
//! git-specific rendering is here, because its own unified output has none of these headers.

use std::ops::Range;

use similar::{Algorithm, DiffOp, DiffTag};

/// Lines of context around each change, as git uses by default.
const CONTEXT: usize = 3;

/// A path as git writes it in a diff header: C-quoted when it holds a quote, a backslash, a
/// control character or a non-ASCII byte (git's default `core.quotePath`).
fn quoted(prefix: &str, path: &str) -> String {
    let needs_quoting = path
        .bytes()
        .any(|b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b));
    if !needs_quoting {
        return format!("{prefix}{path}");
    }
    let mut out = String::from("\"");
    out.push_str(prefix);
    for byte in path.bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b if !(0x20..0x7f).contains(&b) => out.push_str(&format!("\\{b:03o}")),
            b => out.push(char::from(b)),
        }
    }
    out.push('"');
    out
}

/// The label on a `---`/`+++` line: git ends it with a tab when the path has a space, so that
/// a trailing space in a name survives.
fn label(prefix: &str, path: &str) -> String {
    let tab = if path.contains(' ') { "\t" } else { "" };
    format!("{}{tab}", quoted(prefix, path))
}

/// Lines with their endings; the last may have none.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text) {
        out.push(&text[start..=end]);
        start = end + 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// `start,count` in git's convention: a count of 1 is left out, and an empty range starts at
/// the line before it.
fn range(range: &Range<usize>) -> String {
    let count = range.len();
    match count {
        0 => format!("{},0", range.start),
        1 => format!("{}", range.start + 1),
        _ => format!("{},{count}", range.start + 1),
    }
}

fn push_line(out: &mut Vec<u8>, tag: u8, line: &[u8]) {
    out.push(tag);
    out.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

/// One file's diff; empty when nothing changed. `before` is `None` for a new file.
pub fn file_diff(path: &str, before: Option<&[u8]>, after: &[u8]) -> Vec<u8> {
    if before == Some(after) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let header = format!("diff --git {} {}\n", quoted("a/", path), quoted("b/", path));
    out.extend_from_slice(header.as_bytes());
    if before.is_none() {
        out.extend_from_slice(b"new file mode 100644\n");
        if after.is_empty() {
            return out;
        }
    }
    let old_label = match before {
        Some(_) => label("a/", path),
        None => "/dev/null".to_owned(),
    };
    out.extend_from_slice(format!("--- {old_label}\n+++ {}\n", label("b/", path)).as_bytes());
    let old = lines(before.unwrap_or_default());
    let new = lines(after);
    let ops = similar::capture_diff_slices(Algorithm::Myers, &old, &new);
    for hunk in similar::group_diff_ops(ops, CONTEXT) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.extend_from_slice(
            format!("@@ -{} +{} @@\n", range(&old_range), range(&new_range)).as_bytes(),
        );
        for op in &hunk {
            write_op(&mut out, op, &old, &new);
        }
    }
    out
}

fn write_op(out: &mut Vec<u8>, op: &DiffOp, old: &[&[u8]], new: &[&[u8]]) {
    let (tag, old_range, new_range) = op.as_tag_tuple();
    match tag {
        DiffTag::Equal => old[old_range].iter().for_each(|l| push_line(out, b' ', l)),
        DiffTag::Delete => old[old_range].iter().for_each(|l| push_line(out, b'-', l)),
        DiffTag::Insert => new[new_range].iter().for_each(|l| push_line(out, b'+', l)),
        DiffTag::Replace => {
            old[old_range].iter().for_each(|l| push_line(out, b'-', l));
            new[new_range].iter().for_each(|l| push_line(out, b'+', l));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(path: &str, before: Option<&str>, after: &str) -> String {
        String::from_utf8(file_diff(path, before.map(str::as_bytes), after.as_bytes())).unwrap()
    }

    #[test]
    fn new_file() {
        assert_eq!(
            diff("LICENSE", None, "a\nb\n"),
            "diff --git a/LICENSE b/LICENSE\nnew file mode 100644\n--- /dev/null\n+++ b/LICENSE\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
        assert_eq!(
            diff("empty", None, ""),
            "diff --git a/empty b/empty\nnew file mode 100644\n"
        );
    }

    #[test]
    fn insertion_in_a_file_without_final_newline() {
        assert_eq!(
            diff("a b.md", Some("x"), "x\n\nz\n"),
            "diff --git a/a b.md b/a b.md\n--- a/a b.md\t\n+++ b/a b.md\t\n@@ -1 +1,3 @@\n-x\n\\ No newline at end of file\n+x\n+\n+z\n"
        );
    }

    #[test]
    fn unchanged_is_empty_and_odd_paths_are_quoted() {
        assert!(diff("x", Some("a\n"), "a\n").is_empty());
        assert_eq!(quoted("a/", "é\"q.txt"), "\"a/\\303\\251\\\"q.txt\"");
    }

    #[test]
    fn hunks_keep_three_lines_of_context() {
        let before: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let after = before.replace("10\n", "10\nnew\n");
        assert_eq!(
            diff("f", Some(&before), &after),
            "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -8,6 +8,7 @@\n 8\n 9\n 10\n+new\n 11\n 12\n 13\n"
        );
    }
}
