//! The structure of a Markdown file that a fix needs to insert a section safely: its lines with
//! their byte offsets, its headings with levels (ATX, setext and HTML `<hN>`), its fenced code
//! blocks, front matter, byte-order mark and line-ending style.
//!
//! The audit's README parser (`checks::readme::parse`) answers "is there a section about X" and
//! has no levels or offsets; this one answers "where may new text go", so it is stricter about
//! what may not be split: a fence, a setext paragraph, an HTML block.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::readme::parse::normalise_heading;

const BOM: &str = "\u{feff}";

/// One line: `start..end` is its text without the line ending, `next` where the next begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingStyle {
    Atx,
    Setext,
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// As the audit's parser normalises it, so synonyms match the same way.
    pub normalised: String,
    /// 0-based line of the heading's text (the first line, for multi-line setext headings).
    pub line: usize,
    /// 0-based line where text inserted before this heading must go so that it does not split
    /// the block the heading belongs to (a setext paragraph, an HTML block).
    pub block_start: usize,
    pub style: HeadingStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FenceRole {
    Outside,
    Opens,
    /// Inside the block, or its closing fence.
    Inside,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub text: &'a str,
    pub lines: Vec<Line>,
    pub headings: Vec<Heading>,
    /// Per line: its part in a fenced code block, if any.
    pub fences: Vec<FenceRole>,
    /// Per line: the first line of the run of non-blank, unfenced lines that holds it, worked
    /// out once so that a hostile file of many headings stays linear.
    runs: Vec<usize>,
    /// The line that opens a fence never closed: CommonMark runs it to the end of the file.
    pub unclosed_fence: Option<usize>,
    /// The first line after YAML front matter (0 when there is none).
    pub body_start: usize,
    /// `"\r\n"` when most lines end so, otherwise `"\n"`.
    pub newline: &'static str,
}

static ATX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$").expect("regex"));
static SETEXT_UNDERLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(=+|-+)[ \t]*$").expect("regex"));
static HTML_HEADING_OPEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*<h([1-6])(?:\s[^>]*)?>(.*)$").expect("regex"));
static HTML_HEADING_CLOSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</h[1-6]\s*>").expect("regex"));
static LIST_OR_QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>)").expect("regex"));

/// A fence opening: its character, length, and whether it is one.
fn fence_open(content: &str) -> Option<(u8, usize)> {
    // Any indentation counts, as in the audit's parser: fences nested in list items are common
    // in install steps, and calling them code errs on the side of not inserting.
    let trimmed = content.trim_start();
    let first = *trimmed.as_bytes().first()?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let run = trimmed.bytes().take_while(|b| *b == first).count();
    if run < 3 {
        return None;
    }
    // A backtick fence's info string may not hold a backtick (that is inline code).
    if first == b'`' && trimmed[run..].contains('`') {
        return None;
    }
    Some((first, run))
}

fn fence_closes(content: &str, (ch, len): (u8, usize)) -> bool {
    let trimmed = content.trim_start();
    let run = trimmed.bytes().take_while(|b| *b == ch).count();
    run >= len && trimmed[run..].trim().is_empty()
}

/// The text of an ATX heading without its closing `#` sequence.
fn atx_text(raw: &str) -> &str {
    let trimmed = raw.trim_end();
    let without = trimmed.trim_end_matches('#');
    if without.is_empty() {
        ""
    } else if without.ends_with([' ', '\t']) {
        without.trim_end()
    } else {
        trimmed
    }
}

impl<'a> Document<'a> {
    pub fn parse(text: &'a str) -> Document<'a> {
        let lines = split_lines(text);
        let newline = newline_style(text);
        let mut doc = Document {
            text,
            fences: vec![FenceRole::Outside; lines.len()],
            runs: (0..lines.len()).collect(),
            lines,
            headings: Vec::new(),
            unclosed_fence: None,
            body_start: 0,
            newline,
        };
        doc.body_start = doc.front_matter_end();
        doc.scan();
        doc
    }

    /// A line's text without its ending, or the byte-order mark on the first line.
    pub fn content(&self, index: usize) -> &'a str {
        let line = self.lines[index];
        let content = &self.text[line.start..line.end];
        if index == 0 {
            content.strip_prefix(BOM).unwrap_or(content)
        } else {
            content
        }
    }

    pub fn is_blank(&self, index: usize) -> bool {
        self.content(index).trim().is_empty()
    }

    /// The byte offset where text inserted before `line` goes (the end of the text for
    /// `line == lines.len()`), never before the byte-order mark.
    pub fn offset_of(&self, line: usize) -> usize {
        match self.lines.get(line) {
            Some(l) if line == 0 && self.text.starts_with(BOM) => l.start + BOM.len(),
            Some(l) => l.start,
            None => self.text.len(),
        }
    }

    /// Whether the text ends with a line ending (an empty text does, vacuously).
    pub fn ends_with_newline(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    fn front_matter_end(&self) -> usize {
        if self.lines.is_empty() || self.content(0).trim_end() != "---" {
            return 0;
        }
        (1..self.lines.len())
            .find(|&i| matches!(self.content(i).trim_end(), "---" | "..."))
            .map_or(0, |close| close + 1)
    }

    fn scan(&mut self) {
        let mut fence: Option<((u8, usize), usize)> = None;
        let mut index = self.body_start;
        while index < self.lines.len() {
            if index > self.body_start && !self.is_blank(index - 1) && !self.fenced(index - 1) {
                self.runs[index] = self.runs[index - 1];
            }
            let content = self.content(index);
            if let Some((open, _)) = fence {
                self.fences[index] = FenceRole::Inside;
                if fence_closes(content, open) {
                    fence = None;
                }
                index += 1;
                continue;
            }
            if let Some(open) = fence_open(content) {
                self.fences[index] = FenceRole::Opens;
                fence = Some((open, index));
                index += 1;
                continue;
            }
            if let Some(heading) = self.heading_at(index) {
                self.headings.push(heading);
            }
            index += 1;
        }
        self.unclosed_fence = fence.map(|(_, line)| line);
    }

    fn heading_at(&self, index: usize) -> Option<Heading> {
        let content = self.content(index);
        if let Some(captures) = ATX.captures(content) {
            let level = captures[1].len() as u8;
            let text = atx_text(captures.get(2).map_or("", |m| m.as_str()));
            return Some(self.heading(
                level,
                text,
                index,
                self.html_block_start(index),
                HeadingStyle::Atx,
            ));
        }
        if let Some(captures) = SETEXT_UNDERLINE.captures(content)
            && let Some(start) = self.setext_paragraph_start(index)
        {
            let level = if captures[1].starts_with('=') { 1 } else { 2 };
            let text = (start..index)
                .map(|i| self.content(i).trim())
                .collect::<Vec<_>>()
                .join(" ");
            return Some(self.heading(level, &text, start, start, HeadingStyle::Setext));
        }
        if let Some(captures) = HTML_HEADING_OPEN.captures(content) {
            let level = captures[1].parse::<u8>().unwrap_or(2);
            let rest = captures.get(2).map_or("", |m| m.as_str());
            let text = HTML_HEADING_CLOSE
                .find(rest)
                .map_or(rest, |close| &rest[..close.start()]);
            return Some(self.heading(
                level,
                text,
                index,
                self.run_start(index),
                HeadingStyle::Html,
            ));
        }
        None
    }

    fn heading(
        &self,
        level: u8,
        text: &str,
        line: usize,
        block_start: usize,
        style: HeadingStyle,
    ) -> Heading {
        Heading {
            level,
            text: text.trim().to_owned(),
            normalised: normalise_heading(text),
            line,
            block_start,
            style,
        }
    }

    /// The first line of the paragraph a setext underline at `underline` belongs to, or `None`
    /// when the line above is not paragraph text (then `---` is a thematic break).
    fn setext_paragraph_start(&self, underline: usize) -> Option<usize> {
        let mut start = underline;
        while start > self.body_start {
            let above = start - 1;
            let content = self.content(above);
            if content.trim().is_empty()
                || self.fenced(above)
                || ATX.is_match(content)
                || SETEXT_UNDERLINE.is_match(content)
                || LIST_OR_QUOTE.is_match(content)
                || content.trim_start().starts_with('<')
                || self.headings.last().is_some_and(|h| h.line == above)
            {
                break;
            }
            start = above;
        }
        (start < underline).then_some(start)
    }

    /// The first line of the run of non-blank, unfenced lines holding `index`.
    fn run_start(&self, index: usize) -> usize {
        self.runs[index]
    }

    /// For an ATX heading inside an HTML block (a run that opens with a tag), the block's start.
    fn html_block_start(&self, index: usize) -> usize {
        let start = self.run_start(index);
        if start < index && self.content(start).trim_start().starts_with('<') {
            start
        } else {
            index
        }
    }

    /// The title (the first heading, when no later heading is above its level) and the level
    /// new sections take: that of the README's existing sections, one below the title when it
    /// has none, `##` in a file without headings. Never above the title.
    pub fn section_level(&self) -> (Option<usize>, u8) {
        let Some(first) = self.headings.first() else {
            return (None, 2);
        };
        let rest = &self.headings[1..];
        let lowest_rest = rest.iter().map(|h| h.level).min();
        match lowest_rest {
            None => (Some(0), (first.level + 1).min(6)),
            Some(level) if level >= first.level => (Some(0), level),
            Some(_) => (
                None,
                self.headings.iter().map(|h| h.level).min().unwrap_or(2),
            ),
        }
    }

    /// Where the section opened by heading `index` ends, when sections of `level` or above
    /// close it: the block start of the next such heading, or the end of the file.
    /// A later heading in the same block as this one (an ATX line inside the HTML block of an
    /// `<h1>`) does not end it: text put there would split the block.
    pub fn section_end(&self, index: usize, level: u8) -> usize {
        let line = self.headings[index].line;
        self.headings[index + 1..]
            .iter()
            .find(|h| h.level <= level && h.block_start > line)
            .map_or(self.lines.len(), |h| h.block_start)
    }

    /// Whether text may be inserted before `line` without landing in a fenced code block.
    pub fn can_insert_before(&self, line: usize) -> bool {
        match self.fences.get(line) {
            None => self.unclosed_fence.is_none(),
            Some(role) => line >= self.body_start && *role != FenceRole::Inside,
        }
    }

    fn fenced(&self, line: usize) -> bool {
        self.fences[line] != FenceRole::Outside
    }
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let end = if newline > start && text.as_bytes()[newline - 1] == b'\r' {
            newline - 1
        } else {
            newline
        };
        lines.push(Line {
            start,
            end,
            next: newline + 1,
        });
        start = newline + 1;
    }
    if start < text.len() {
        lines.push(Line {
            start,
            end: text.len(),
            next: text.len(),
        });
    }
    lines
}

fn newline_style(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    if crlf > lf { "\r\n" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str) -> Vec<(u8, String, usize, usize)> {
        Document::parse(text)
            .headings
            .into_iter()
            .map(|h| (h.level, h.normalised, h.line, h.block_start))
            .collect()
    }

    #[test]
    fn atx_setext_and_html_headings_with_levels() {
        let text = "\u{feff}# Title #\n\nIntro\n\nUsage\n-----\n\n<h2 align=\"center\">Contact 📬</h2>\n\n### 1. Data ###\n";
        assert_eq!(
            outline(text),
            [
                (1, "title".into(), 0, 0),
                (2, "usage".into(), 4, 4),
                (2, "contact".into(), 7, 7),
                (3, "data".into(), 9, 9),
            ]
        );
    }

    #[test]
    fn fences_hide_headings_and_unclosed_fences_are_known() {
        let doc = Document::parse("# T\n\n````md\n```\n# not\n```\n````\n\n## Real\n~~~\n# open\n");
        let names: Vec<&str> = doc.headings.iter().map(|h| h.normalised.as_str()).collect();
        assert_eq!(names, ["t", "real"]);
        assert_eq!(doc.unclosed_fence, Some(9));
        assert!(!doc.can_insert_before(doc.lines.len()));
        assert!(!doc.can_insert_before(4));
        assert!(doc.can_insert_before(2));
        assert!(doc.can_insert_before(8));
    }

    #[test]
    fn thematic_breaks_lists_and_multi_line_setext() {
        let text = "Intro\n\n---\n\n- item\n---\n\nTwo line\nheading\n=====\n";
        assert_eq!(outline(text), [(1, "two line heading".into(), 7, 7)]);
    }

    #[test]
    fn html_blocks_are_not_split() {
        let text = "<div align=\"center\">\n<h1>Title</h1>\n</div>\n\n## Install\n";
        assert_eq!(
            outline(text),
            [(1, "title".into(), 1, 0), (2, "install".into(), 4, 4)]
        );
    }

    #[test]
    fn front_matter_is_not_a_heading() {
        let text = "---\ntitle: x\n---\n\n# Title\n\nText\n---\n";
        let doc = Document::parse(text);
        assert_eq!(doc.body_start, 3);
        assert_eq!(
            outline(text),
            [(1, "title".into(), 4, 4), (2, "text".into(), 6, 6)]
        );
    }

    #[test]
    fn section_levels() {
        let level = |t: &str| Document::parse(t).section_level();
        assert_eq!(level(""), (None, 2));
        assert_eq!(level("# T\n"), (Some(0), 2));
        assert_eq!(level("# T\n### A\n#### B\n"), (Some(0), 3));
        assert_eq!(level("# T\n# A\n"), (Some(0), 1));
        assert_eq!(level("## A\n# B\n"), (None, 1));
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        let doc = Document::parse("# T\r\n\r\ntext");
        assert_eq!(doc.newline, "\r\n");
        assert_eq!(doc.lines.len(), 3);
        assert_eq!(doc.content(2), "text");
        assert!(!doc.ends_with_newline());
        assert_eq!(doc.content(0), "# T");
    }
}
