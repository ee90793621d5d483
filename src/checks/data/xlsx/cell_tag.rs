//! A plain `<c ...>` start tag read by the attribute grammar in one pass.
//!
//! Nine in ten tags of a formatted template are cells, most of them empty
//! (`<c r="B5" s="164" t="n" />`). The general lexer finds a tag's end and then walks its
//! attributes again; reading `name="value"` pairs once, in order, finds the end, says whether
//! the cell is empty, and yields the attributes the cell reader uses, for a third of the cost.
//!
//! Anything outside the plain form (a prefixed name, an attribute without a quoted value, a
//! name with unusual bytes, a `/` not directly before `>`) gives `None`, and the caller uses the
//! general lexer, so the two agree on every input.

use super::cells::CellAttrs;

/// A `<c>` start tag read in place.
pub(super) struct CellTag<'a> {
    pub attrs: CellAttrs<'a>,
    /// `<c .../>`: no value.
    pub empty: bool,
    /// The offsets of the raw attribute text, as the general lexer gives it.
    pub attrs_span: (usize, usize),
    /// Just past the tag's `>`.
    pub after: usize,
}

/// The `<c` start tag at `at`, if it has the plain form.
pub(super) fn plain_cell_tag(xml: &[u8], at: usize) -> Option<CellTag<'_>> {
    let rest = xml.get(at..)?;
    let mut s = rest.strip_prefix(b"<c")?;
    if !matches!(s.first()?, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
        return None;
    }
    let mut attrs = CellAttrs::default();
    loop {
        s = s.trim_ascii_start();
        let offset = at + rest.len() - s.len();
        match s {
            [b'/', b'>', ..] => {
                return Some(CellTag {
                    attrs,
                    empty: true,
                    attrs_span: (at + 2, offset),
                    after: offset + 2,
                });
            }
            [b'>', ..] => {
                return Some(CellTag {
                    attrs,
                    empty: false,
                    attrs_span: (at + 2, offset),
                    after: offset + 1,
                });
            }
            _ => {}
        }
        let name_len = s.iter().position(|&b| !NAME_BYTE[usize::from(b)])?;
        let (name, tail) = s.split_at(name_len);
        let tail = tail
            .trim_ascii_start()
            .strip_prefix(b"=")?
            .trim_ascii_start();
        let (&quote, tail) = tail.split_first()?;
        if name.is_empty() || (quote != b'"' && quote != b'\'') {
            return None;
        }
        let value_len = tail.iter().position(|&b| b == quote)?;
        attrs.note(name, &tail[..value_len]);
        s = &tail[value_len + 1..];
    }
}

/// Bytes the plain form allows in an attribute name.
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.');
        b += 1;
    }
    table
};

/// Past the run of empty plain cells starting at `from`, when what they would tell does not
/// matter: `Ok` with the offset of the next cell that has a reference, or of the `</row>` or
/// `</sheetData>` that ends the run. Empty cells only place a following cell that has no
/// reference, and a row's end forgets them.
///
/// Every `<` of well-formed XML starts markup, so the run's tags are found with memchr between
/// `from` and the next end tag, and each is checked to be a plain cell ending in `/>`. Anything
/// else gives `Err` with the offset searched to, and the caller reads the run tag by tag.
pub(super) fn empty_run_end(xml: &[u8], from: usize) -> Result<usize, usize> {
    let rest = xml.get(from..).unwrap_or_default();
    let Some(end_tag) = memchr::memmem::find(rest, b"</") else {
        return Err(xml.len());
    };
    let give_up = Err(from + end_tag);
    let run = &rest[..end_tag];
    let mut starts = memchr::memchr_iter(b'<', run).peekable();
    while let Some(start) = starts.next() {
        let next = starts.peek().copied().unwrap_or(run.len());
        let tag = &run[start..next];
        let is_cell = tag.starts_with(b"<c")
            && matches!(tag.get(2), Some(b' ' | b'\t' | b'\r' | b'\n' | b'/'));
        if !is_cell {
            return give_up;
        }
        if !tag.trim_ascii_end().ends_with(b"/>") {
            // A cell with a value (or text after an empty one): it needs its reference.
            return match plain_cell_tag(xml, from + start) {
                Some(cell) if cell.attrs.has_reference() && !cell.empty => Ok(from + start),
                _ => give_up,
            };
        }
    }
    let closing = &rest[end_tag + 2..];
    let Some(gt) = memchr::memchr(b'>', closing) else {
        return give_up;
    };
    let name = &closing[..gt];
    let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
    if local == b"row" || local == b"sheetData" {
        Ok(from + end_tag)
    } else {
        give_up
    }
}

#[cfg(test)]
mod tests {
    use super::super::tags::next_tag;
    use super::*;
    use crate::checks::data::testgen::Rng;

    /// What the general lexer and attribute reader make of the same tag.
    fn general(xml: &[u8]) -> Option<(CellAttrs<'_>, bool, (usize, usize), usize)> {
        let (tag, after) = next_tag(xml, 0)?;
        if tag.local != b"c" || tag.end {
            return None;
        }
        let from = tag.attrs.as_ptr() as usize - xml.as_ptr() as usize;
        Some((
            CellAttrs::of(&tag),
            tag.empty,
            (from, from + tag.attrs.len()),
            after,
        ))
    }

    #[test]
    fn plain_cells_read_as_the_general_lexer_reads_them() {
        for xml in [
            &br#"<c r="B5" s="164" t="n" />"#[..],
            br#"<c r="A1" t="s"><v>3</v></c>"#,
            br#"<c/>"#,
            br#"<c>"#,
            br#"<c	r = 'C9'  s="1"/>"#,
            br#"<c r="A1" x14ac:foo="a>b" t="str">"#,
            br#"<c r="A1" r="B2"/>"#,
        ] {
            let fast = plain_cell_tag(xml, 0).expect("plain form");
            let (attrs, empty, span, after) = general(xml).expect("a cell");
            assert_eq!(
                (fast.attrs, fast.empty, fast.attrs_span, fast.after),
                (attrs, empty, span, after),
                "{}",
                String::from_utf8_lossy(xml)
            );
        }
    }

    #[test]
    fn anything_else_is_left_to_the_general_lexer() {
        for xml in [
            &br#"<col min="1"/>"#[..],
            br#"<x:c r="A1"/>"#,
            br#"<c r=A1/>"#,
            br#"<c r="A1"/ >"#,
            br#"<c r"x"="1"/>"#,
            br#"<c r="A1"#,
            br#"<c"#,
        ] {
            assert!(
                plain_cell_tag(xml, 0).is_none(),
                "{}",
                String::from_utf8_lossy(xml)
            );
        }
    }

    #[test]
    fn random_tags_never_disagree() {
        let pieces: [&[u8]; 12] = [
            b"<c", b" ", b"r", b"=", b"\"", b"'", b"A1", b"/", b">", b"s", b"\t", b"x:",
        ];
        let mut rng = Rng::new(5);
        for _ in 0..50_000 {
            let mut xml = Vec::new();
            for _ in 0..rng.below(14) {
                let piece: &&[u8] = rng.pick(&pieces);
                xml.extend_from_slice(piece);
            }
            if let Some(fast) = plain_cell_tag(&xml, 0) {
                let (attrs, empty, span, after) =
                    general(&xml).expect("the general lexer reads it too");
                assert_eq!(
                    (fast.attrs, fast.empty, fast.attrs_span, fast.after),
                    (attrs, empty, span, after),
                    "{}",
                    String::from_utf8_lossy(&xml)
                );
            }
        }
    }
}
