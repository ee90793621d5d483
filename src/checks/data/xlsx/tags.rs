//! A small XML tag lexer for the SpreadsheetML parts the workbook reader needs.
//!
//! A sheet is a flat run of `<row>` and `<c>` elements, and in publication templates most of
//! them are empty cells that carry nothing but a style (`<c r="B5" s="3"/>`). Finding the next
//! `<` with memchr and reading a tag's name and attributes in place costs a fraction of building
//! a parser event and an attribute iterator for every tag, and it is all these parts need.
//!
//! The lexer is total: any byte string gives some sequence of tags and never a panic. What it
//! does not use (declarations, processing instructions, comments, CDATA) is skipped, and a tag
//! cut off by the end of the input ends the sequence.

use std::borrow::Cow;

/// One start, end or empty-element tag.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tag<'a> {
    /// The name without its namespace prefix (`c` for both `c` and `x:c`).
    pub local: &'a [u8],
    /// The raw attribute text between the name and the closing `>` or `/>`.
    pub attrs: &'a [u8],
    /// `</name>`.
    pub end: bool,
    /// `<name/>`: a start tag with no content.
    pub empty: bool,
}

/// The next tag at or after `from`, and the offset just past its `>`.
pub(super) fn next_tag(xml: &[u8], from: usize) -> Option<(Tag<'_>, usize)> {
    let mut at = from;
    loop {
        // Tags mostly follow each other directly; memchr only for text between them.
        let lt = if xml.get(at) == Some(&b'<') {
            at
        } else {
            at + memchr::memchr(b'<', xml.get(at..)?)?
        };
        let rest = &xml[lt + 1..];
        match rest.first()? {
            b'!' => {
                let close: &[u8] = if rest.starts_with(b"!--") {
                    b"-->"
                } else if rest.starts_with(b"![CDATA[") {
                    b"]]>"
                } else {
                    b">"
                };
                at = lt + 1 + memchr::memmem::find(rest, close)? + close.len();
                continue;
            }
            b'?' => {
                at = lt + 1 + memchr::memmem::find(rest, b"?>")? + 2;
                continue;
            }
            _ => {}
        }
        let end = rest[0] == b'/';
        let name_start = lt + 1 + usize::from(end);
        let name_len = xml[name_start..]
            .iter()
            .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))?;
        let name = &xml[name_start..name_start + name_len];
        let close = tag_close(xml, name_start + name_len)?;
        let empty = !end && xml[close - 1] == b'/' && close > name_start + name_len;
        let attrs_end = if empty { close - 1 } else { close };
        let local = match name.iter().rposition(|&b| b == b':') {
            Some(colon) => &name[colon + 1..],
            None => name,
        };
        return Some((
            Tag {
                local,
                attrs: &xml[name_start + name_len..attrs_end],
                end,
                empty,
            },
            close + 1,
        ));
    }
}

/// The `>` that closes a tag whose attributes start at `from`; a `>` inside a quoted attribute
/// value does not count. A plain loop: tags are a few dozen bytes, too short for memchr's setup
/// to pay.
fn tag_close(xml: &[u8], from: usize) -> Option<usize> {
    let mut quote = 0u8;
    for (i, &b) in xml.get(from..)?.iter().enumerate() {
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'>' {
            return Some(from + i);
        } else if b == b'"' || b == b'\'' {
            quote = b;
        }
    }
    None
}

/// The raw value of the attribute named `name` (compared with its prefix, as written), if any.
pub(super) fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    Attrs { rest: attrs }
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// The raw value of the first attribute whose name has a prefix and the local part `local`
/// (`r:id`, whatever the prefix is called), if any.
pub(super) fn prefixed_attr<'a>(attrs: &'a [u8], local: &[u8]) -> Option<&'a [u8]> {
    Attrs { rest: attrs }
        .find(|(n, _)| memchr::memrchr(b':', n).is_some_and(|colon| &n[colon + 1..] == local))
        .map(|(_, v)| v)
}

/// `name="value"` pairs of a tag, raw; malformed text ends the iteration.
pub(super) struct Attrs<'a> {
    pub rest: &'a [u8],
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest;
        let start = s.iter().position(|b| !b.is_ascii_whitespace())?;
        let eq = start + s[start..].iter().position(|&b| b == b'=')?;
        let name = s[start..eq].trim_ascii_end();
        let after_eq = eq + 1 + s[eq + 1..].iter().position(|b| !b.is_ascii_whitespace())?;
        let quote = s[after_eq];
        if quote != b'"' && quote != b'\'' {
            self.rest = &[];
            return None;
        }
        let value_start = after_eq + 1;
        let value_end = value_start + s[value_start..].iter().position(|&b| b == quote)?;
        self.rest = &s[value_end + 1..];
        Some((name, &s[value_start..value_end]))
    }
}

/// The character data from `from` up to the next `<`, and where it ends.
pub(super) fn text_at(xml: &[u8], from: usize) -> (&[u8], usize) {
    let rest = xml.get(from..).unwrap_or_default();
    let len = memchr::memchr(b'<', rest).unwrap_or(rest.len());
    (&rest[..len], from + len)
}

/// Character data or an attribute value as text: XML's entity and character references
/// resolved, then Office's `_xHHHH_` escapes (control characters in strings). Invalid UTF-8
/// and references that name no character become U+FFFD; unknown entities stay as written.
pub(super) fn unescape(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let text = if text.contains('&') {
        Cow::Owned(resolve_references(&text))
    } else {
        text
    };
    if text.contains("_x") {
        resolve_office_escapes(&text)
    } else {
        text.into_owned()
    }
}

fn resolve_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..semi];
        let resolved = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name.strip_prefix('#').map(|number| {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse::<u32>().ok(),
                };
                code.and_then(char::from_u32)
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            }),
        };
        match resolved {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `_x000D_` → CR: how Office stores characters XML cannot hold. A surrogate pair written as two
/// escapes becomes its character; a lone surrogate becomes U+FFFD.
fn resolve_office_escapes(text: &str) -> String {
    fn escape_at(s: &str) -> Option<u16> {
        let body = s.strip_prefix("_x")?.get(..5)?;
        let (hex, underscore) = body.split_at(4);
        if underscore != "_" || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u16::from_str_radix(hex, 16).ok()
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let here = &rest[at..];
        let Some(unit) = escape_at(here) else {
            out.push_str("_x");
            rest = &here[2..];
            continue;
        };
        rest = &here[7..];
        let c = match unit {
            0xD800..=0xDBFF => match escape_at(rest) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    rest = &rest[7..];
                    char::from_u32(
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            _ => char::from_u32(u32::from(unit)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(xml: &str) -> Vec<(String, bool, bool, String)> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some((t, next)) = next_tag(xml.as_bytes(), at) {
            out.push((
                String::from_utf8_lossy(t.local).into_owned(),
                t.end,
                t.empty,
                String::from_utf8_lossy(t.attrs).trim().to_string(),
            ));
            at = next;
        }
        out
    }

    #[test]
    fn names_kinds_and_attributes() {
        let got = tags(
            r#"<?xml version="1.0"?><!-- a <c> in a comment --><x:row r="2"><c r="A2" s="3"/><c t='s' note="a>b"><v>7</v></c></x:row>"#,
        );
        let want = [
            ("row", false, false, r#"r="2""#),
            ("c", false, true, r#"r="A2" s="3""#),
            ("c", false, false, r#"t='s' note="a>b""#),
            ("v", false, false, ""),
            ("v", true, false, ""),
            ("c", true, false, ""),
            ("row", true, false, ""),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1, g.2, g.3.as_str()), w);
        }
    }

    #[test]
    fn attributes_by_name_and_by_prefixed_local_name() {
        let a = br#" name="A &amp; B" sheetId="4" r:id="rId9""#;
        assert_eq!(attr(a, b"sheetId"), Some(&b"4"[..]));
        assert_eq!(attr(a, b"id"), None);
        assert_eq!(prefixed_attr(a, b"id"), Some(&b"rId9"[..]));
        assert_eq!(unescape(attr(a, b"name").unwrap()), "A & B");
    }

    #[test]
    fn truncated_or_hostile_input_ends_quietly() {
        for xml in [
            "<c r=\"A1",
            "<",
            "<!-- open",
            "<?pi",
            "<c a=\"x\" b",
            "<\u{0}",
            "</",
        ] {
            assert!(tags(xml).is_empty(), "{xml:?}");
        }
        assert_eq!(
            Attrs {
                rest: b" a=b c=\"d\""
            }
            .count(),
            0
        );
    }

    #[test]
    fn references_and_office_escapes() {
        assert_eq!(
            unescape(b"a &lt;b&gt; &#65;&#x42; &bogus; & x"),
            "a <b> AB &bogus; & x"
        );
        assert_eq!(unescape(b"line_x000D__x000A_end"), "line\r\nend");
        assert_eq!(
            unescape(b"_xD83D__xDE00_ _xD800_ _x12"),
            "\u{1F600} \u{FFFD} _x12"
        );
        assert_eq!(unescape(b"&#xFFFFFF;"), "\u{FFFD}");
    }
}
