//! Clean-up applied to a licence text before matching.
//!
//! The matcher compares word pairs, so markup (Markdown, HTML), a copyright notice naming the
//! holder, and line endings all cost score without changing the licence. Measured on the
//! licence texts, each step here raised Markdown, HTML and Creative Commons files by 0.01–0.08.
//! Two tempting steps are deliberately absent: dropping *every* line that starts with
//! "copyright" deletes licence clauses (ISC turns into 0BSD), and rewriting British spellings
//! lowers the Open Government Licence, which is itself British.
//!
//! Line structure is kept so that findings can cite line numbers: removed lines become blank,
//! and the only step that adds lines (splitting very long lines) records where each came from.

use std::sync::LazyLock;

use regex::Regex;

use super::folded::Squeezed;

/// A normalised text and, for each of its lines, the 0-based line of the input it came from.
pub(super) struct Normalised {
    pub text: String,
    pub line_of: Vec<usize>,
    /// Lines that were a Markdown heading or a horizontal rule: likely section boundaries in
    /// files that hold several licences.
    pub marked: Vec<bool>,
}

impl Normalised {
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }
}

/// Lines longer than this are split at sentence ends: askalono drops a first line mentioning
/// "copyright", which wipes a whole licence flattened onto one line.
const LONG_LINE: usize = 200;

pub(super) fn normalise(input: &str) -> Normalised {
    let text = input.strip_prefix('\u{feff}').unwrap_or(input);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = strip_html_comments(&text);
    let text = decode_entities(&text);
    let text = mask_holders(&text);

    let mut lines: Vec<String> = Vec::new();
    let mut line_of = Vec::new();
    let mut marked = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let (cleaned, mark) = clean_line(raw);
        for piece in split_long(&cleaned) {
            lines.push(piece.trim().to_owned());
            line_of.push(i);
            marked.push(mark);
        }
    }
    if let Some(at) = shield(&mut lines) {
        line_of.insert(at, line_of[at]);
        marked.insert(at, false);
    }
    Normalised {
        text: lines.join("\n"),
        line_of,
        marked,
    }
}

fn strip_html_comments(text: &str) -> String {
    static RX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("regex"));
    // Keep the newlines a comment spanned so that line numbers stay true.
    RX.replace_all(text, |c: &regex::Captures<'_>| {
        "\n".repeat(c[0].matches('\n').count())
    })
    .into_owned()
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&nbsp;", " ")
        .replace("&copy;", "©")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A holder: a few words, no sentence-ending or quoting punctuation.
const HOLDER: &str = r#"(?P<h>[^\n.;:"'\p{Pi}\p{Pf}](?:[^.;:"'\p{Pi}\p{Pf}]|\.[^\s]){0,70}?)"#;

fn holder_regex(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("{holder}", HOLDER)).expect("holder regex")
}

/// Each pattern with phrases it cannot match without, as they read in a squeezed text (see
/// `folded.rs`). The four took 6 ms to compile (Unicode classes under a bounded repeat), in
/// every process that identifies a licence. A single word was not enough: the Open
/// Government Licence, on most NHS repositories, names a "third party" and an
/// "obligation", and holds no holder to mask.
static HOLDER_PATTERNS: [(&[&str], LazyLock<Regex>); 4] = [
    (
        &["in no event shall ", " be liable to any party"],
        LazyLock::new(|| {
            holder_regex(
                r"(?is)\bin\s+no\s+event\s+shall\s+{holder}\s+be\s+liable\s+to\s+any\s+party\b",
            )
        }),
    ),
    (
        &["even if ", " been advised"],
        LazyLock::new(|| {
            holder_regex(r"(?is)\beven\s+if\s+{holder}\s+ha(?:s|ve)\s+been\s+advised\b")
        }),
    ),
    (
        &[" specifically disclaim", " any warrant"],
        LazyLock::new(|| {
            holder_regex(r"(?ism)^\s*{holder}\s+specifically\s+disclaims?\s+any\s+warrant")
        }),
    ),
    (
        &[" no obligation", " to provide"],
        LazyLock::new(|| {
            holder_regex(r"(?is)\band\s+{holder}\s+ha(?:s|ve)\s+no\s+obligations?\s+to\s+provide\b")
        }),
    ),
];

/// The copyright holder named *inside* a licence's clauses ("IN NO EVENT SHALL THE UNIVERSITY
/// OF CALIFORNIA BE LIABLE TO ANY PARTY …", four times in the PostgreSQL licence) is the part
/// each project replaces with its own name; SPDX marks it as variable text, which askalono
/// ignores. A 4-word name four times over cost a short licence 0.1 of score (a PostgreSQL
/// licence naming its holder scored 0.86–0.89). Replaced by a fixed word in samples and, when
/// the store is generated, in the licence texts, so both sides compare the same thing. Newlines
/// inside a name are kept, so line numbers hold. Only disclaimer phrases that name a holder
/// and cannot be a clause of their own are touched.
pub(super) fn mask_holders(text: &str) -> String {
    let mut squeezed = Squeezed::of(text);
    let mut out = text.to_owned();
    for (phrases, rx) in &HOLDER_PATTERNS {
        if !phrases.iter().all(|p| squeezed.contains(p)) || !rx.is_match(&out) {
            continue;
        }
        out = rx
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let whole = c.get(0).expect("group 0");
                let h = c.name("h").expect("holder group");
                let newlines = "\n".repeat(h.as_str().matches('\n').count());
                format!(
                    "{}holder{newlines}{}",
                    &whole.as_str()[..h.start() - whole.start()],
                    &whole.as_str()[h.end() - whole.start()..]
                )
            })
            .into_owned();
        // The next pattern is gated on the text it will search.
        squeezed = Squeezed::of(&out);
    }
    out
}

/// Markdown and HTML markup on one line; the flag says the line was a heading or a rule.
fn clean_line(line: &str) -> (String, bool) {
    struct Rx {
        tag: Regex,
        heading: Regex,
        rule: Regex,
        image: Regex,
        link: Regex,
        refdef: Regex,
        autolink: Regex,
        strong: Regex,
        emph: Regex,
        quote: Regex,
    }
    static RX: LazyLock<Rx> = LazyLock::new(|| {
        Rx {
        // Only real HTML element names: licence texts use `<year>` and `<name of author>`
        // placeholders, which must survive.
        tag: Regex::new(
            r"(?i)</?(?:a|abbr|b|blockquote|body|br|center|code|dd|div|dl|dt|em|font|h[1-6]|head|header|hr|html|i|img|li|link|meta|ol|p|pre|section|small|span|strong|sub|sup|table|tbody|td|th|thead|title|tr|tt|u|ul)\b[^>]*>",
        )
        .expect("regex"),
        heading: Regex::new(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$").expect("regex"),
        rule: Regex::new(r"^\s{0,3}(?:[-=*_~]\s*){3,}$").expect("regex"),
        image: Regex::new(r"!\[[^\]]*\]\([^)]*\)").expect("regex"),
        link: Regex::new(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]").expect("regex"),
        refdef: Regex::new(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$").expect("regex"),
        autolink: Regex::new(r"<(https?://[^>\s]+)>").expect("regex"),
        strong: Regex::new(r"\*\*([^*]+)\*\*|__([^_]+)__").expect("regex"),
        emph: Regex::new(r"(^|[\s(])[*_]([^*_\s][^*_]*?)[*_]([\s).,;:!?]|$)").expect("regex"),
        quote: Regex::new(r"^\s{0,3}>\s?").expect("regex"),
    }
    });
    let rx = &*RX;
    if rx.rule.is_match(line) {
        return (String::new(), true);
    }
    if rx.refdef.is_match(line) {
        return (String::new(), false);
    }
    let mut s = rx.quote.replace(line, "").into_owned();
    let mut mark = false;
    if let Some(c) = rx.heading.captures(&s) {
        s = c[1].to_owned();
        mark = true;
    }
    if s.contains('<') {
        s = rx.tag.replace_all(&s, "").into_owned();
        s = rx.autolink.replace_all(&s, "$1").into_owned();
    }
    if s.contains('[') {
        s = rx.image.replace_all(&s, "").into_owned();
        s = rx
            .link
            .replace_all(&s, |c: &regex::Captures<'_>| {
                c.get(1)
                    .or_else(|| c.get(2))
                    .map_or("", |m| m.as_str())
                    .to_owned()
            })
            .into_owned();
    }
    if s.contains("**") || s.contains("__") {
        s = rx
            .strong
            .replace_all(&s, |c: &regex::Captures<'_>| {
                c.get(1)
                    .or_else(|| c.get(2))
                    .map_or("", |m| m.as_str())
                    .to_owned()
            })
            .into_owned();
    }
    if s.contains('*') || s.contains('_') {
        s = rx.emph.replace_all(&s, "$1$2$3").into_owned();
    }
    (s, mark)
}

/// Blank the leading copyright notice and, where needed, insert [`PLACEHOLDER_NOTICE`];
/// returns where it was inserted. Applied to samples and (when the store is generated) to the
/// licence texts alike, so that both sides of a comparison lose the same lines.
pub(super) fn shield(lines: &mut Vec<String>) -> Option<usize> {
    blank_leading_copyright(lines);
    let at = needs_placeholder(lines)?;
    lines.insert(at, PLACEHOLDER_NOTICE.to_owned());
    Some(at)
}

/// A notice askalono recognises and removes, inserted to shield a licence's first line.
pub(super) const PLACEHOLDER_NOTICE: &str = "Copyright (c) year copyright holders";

/// askalono removes the first line of a text (after a "... License" title) if it mentions
/// copyright. When that line is licence body ("provided that the above copyright notice …"),
/// whole paragraphs vanish: ISC then scores higher against 0BSD than against itself, and a
/// licence text stored as one line (FSFAP) is wiped entirely. The crate's own texts usually
/// start with a notice line, which is what gets removed there; giving the sample one too makes
/// both sides lose the same thing. Returns where to insert it.
pub(super) fn needs_placeholder<S: AsRef<str>>(lines: &[S]) -> Option<usize> {
    static TITLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)licen[cs]e(?:\W+version\W+\S+)?\W*$").expect("regex"));
    let line = |i: usize| lines.get(i).map_or("", |l| l.as_ref());
    if line(0).trim().is_empty() {
        // A text starting with a blank line is shielded already.
        return None;
    }
    let mut body = 0;
    if TITLE.is_match(line(0)) && line(1).trim().is_empty() {
        body = (1..lines.len()).find(|&i| !line(i).trim().is_empty())?;
    }
    let first = line(body);
    (first.to_ascii_lowercase().contains("copyright") && !is_copyright_notice(first))
        .then_some(body)
}

/// Whether a line is part of a copyright notice (holder, year, rights reserved).
pub(super) fn is_copyright_notice(line: &str) -> bool {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^\s*(?:
                (?:portions\s+|parts\s+)?copyright\s*(?:\(c\)|©|\d{4}|[\[<{]|crown|\w+\s+\d{4})
              | ©
              | \(c\)\s*(?:\d{4}|[\[<{]|crown)
              | all\s+rights\s+reserved\.?\s*$
              | crown\s+copyright
            )",
        )
        .expect("regex")
    });
    RX.is_match(line)
}

/// Blank the copyright notice at the head of the text (possibly several lines, with short
/// continuation lines), but stop at the first line of licence body so clauses survive.
fn blank_leading_copyright(lines: &mut [String]) {
    let mut previous_was_notice = false;
    for line in lines.iter_mut() {
        let t = line.trim();
        if t.is_empty() {
            previous_was_notice = false;
            continue;
        }
        let words = t.split_whitespace().count();
        if is_copyright_notice(t) {
            line.clear();
            previous_was_notice = true;
        } else if previous_was_notice && words <= 6 {
            // "Copyright (c) 2020 Foo Ltd,\n    Bar and contributors"
            line.clear();
        } else if words <= 12 && !t.ends_with('.') || words <= 4 {
            // A title or version line; keep looking for a notice below it.
            previous_was_notice = false;
        } else {
            break;
        }
    }
}

fn split_long(line: &str) -> Vec<&str> {
    if line.len() <= LONG_LINE {
        return vec![line];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b';' | b':') && bytes.get(i + 1) == Some(&b' ') && i + 1 - start >= 40
        {
            out.push(&line[start..=i]);
            start = i + 1;
        }
    }
    out.push(&line[start..]);
    // "Copyright (c) 2024 NHS England Permission is hereby granted …": part the notice from
    // the licence sentence run into it, or the notice blanking would take both.
    static STARTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s(?:Permission|Redistribution|Licensed|Everyone|THE SOFTWARE|This|You|Anyone|Subject|All rights reserved)\b")
            .expect("regex")
    });
    let mut parted = Vec::with_capacity(out.len());
    for piece in out {
        match STARTER.find(piece) {
            Some(m) if is_copyright_notice(piece) && m.start() > 0 => {
                parted.push(&piece[..m.start()]);
                parted.push(&piece[m.start()..]);
            }
            _ => parted.push(piece),
        }
    }
    parted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_line_numbers() {
        let n = normalise(
            "\u{feff}# MIT License\r\n\r\n<!-- a\ncomment -->\nCopyright (c) 2024 NHS England\r\n\r\nPermission is **hereby** granted.",
        );
        let lines: Vec<&str> = n.lines().collect();
        assert_eq!(lines[0], "MIT License");
        assert_eq!(lines[4], "", "copyright notice blanked");
        assert_eq!(lines[6], "Permission is hereby granted.");
        assert_eq!(n.line_of[6], 6);
    }

    #[test]
    fn keeps_clauses_that_mention_copyright() {
        let text = "ISC License\n\nCopyright (c) 2020 A\n\nPermission to use, copy, modify, and/or distribute this software for any purpose\nwith or without fee is hereby granted, provided that the above copyright notice\nand this permission notice appear in all copies.\n\nCopyright notice lines later stay.";
        let n = normalise(text);
        assert!(n.text.contains("provided that the above copyright notice"));
        assert!(n.text.contains("Copyright notice lines later stay."));
        assert!(!n.text.contains("2020 A"));
    }

    #[test]
    fn markdown_and_html() {
        let n = normalise(
            "## Licence\n\nSee [the licence](https://example.org) and <b>this</b> _text_.\n---\n[x]: https://x",
        );
        let lines: Vec<&str> = n.lines().collect();
        assert_eq!(lines[0], "Licence");
        assert_eq!(lines[2], "See the licence and this text.");
        assert_eq!(lines[3], "");
        assert_eq!(lines[4], "");
    }

    #[test]
    fn placeholders_survive() {
        let n = normalise(
            "line one is long enough to be body text of the licence, yes.\nCopyright (C) <year>  <name of author>",
        );
        assert!(n.text.contains("<name of author>"));
    }

    /// Disclaimers as licences write them, with the spacing, case and letters the patterns'
    /// `\s` and case folding allow.
    const HOLDER_SAMPLES: &[&str] = &[
        "IN NO EVENT SHALL THE UNIVERSITY OF CALIFORNIA BE LIABLE TO ANY PARTY FOR DIRECT",
        "In no event shall\n  the Regents\tbe liable to\u{A0}any party",
        "in  no event ſhall NHS England be liable to any PARTY",
        "EVEN IF THE UNIVERSITY OF CALIFORNIA HAS BEEN ADVISED OF THE POSSIBILITY",
        "even if such Contributor has been\u{2003}advised of the possibility",
        "even if the authors HAVE\tbeen advised",
        "THE UNIVERSITY OF CALIFORNIA SPECIFICALLY DISCLAIMS ANY WARRANTIES",
        "notice.\n   Acme Ltd specifically disclaim any warranty",
        "AND THE UNIVERSITY OF CALIFORNIA HAS NO OBLIGATIONS TO PROVIDE MAINTENANCE",
        "and the authors have no obligation\nto provide support",
        "and Acme\u{212A}ids Ltd has no obligations to provide updates",
    ];

    #[test]
    fn a_holder_pattern_is_never_skipped_where_it_matches() {
        // Every sample against every pattern, gate or not; each pattern must match a sample.
        let mut matched = [false; 4];
        for sample in HOLDER_SAMPLES {
            let squeezed = Squeezed::of(sample);
            for (index, (phrases, rx)) in HOLDER_PATTERNS.iter().enumerate() {
                if rx.is_match(sample) {
                    matched[index] = true;
                    assert!(
                        phrases.iter().all(|p| squeezed.contains(p)),
                        "pattern {index} matches {sample:?} but its phrases {phrases:?} are not all there"
                    );
                }
            }
        }
        assert_eq!(matched, [true; 4]);
    }

    #[test]
    fn holders_in_disclaimers_are_masked() {
        let masked = mask_holders(
            "IN NO EVENT SHALL THE UNIVERSITY OF\nCALIFORNIA BE LIABLE TO ANY PARTY FOR DIRECT\n\
             damages. AND THE UNIVERSITY OF CALIFORNIA HAS NO OBLIGATIONS TO PROVIDE MAINTENANCE.",
        );
        assert_eq!(
            masked,
            "IN NO EVENT SHALL holder\n BE LIABLE TO ANY PARTY FOR DIRECT\n\
             damages. AND holder HAS NO OBLIGATIONS TO PROVIDE MAINTENANCE."
        );
        // The Open Government Licence names a third party and an obligation: nothing to mask.
        let ogl = "rights of any third party. The Licensor has no obligation to you.";
        assert_eq!(mask_holders(ogl), ogl);
    }

    #[test]
    fn long_lines_are_split() {
        let long = format!(
            "Copyright (c) 2020 Someone. {}",
            "Permission is granted to do things. ".repeat(10)
        );
        let n = normalise(&long);
        assert!(n.line_of.len() > 1);
        assert!(n.line_of.iter().all(|&l| l == 0));
    }
}
