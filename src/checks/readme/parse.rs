//! A forgiving outline of a README in Markdown, RST, HTML or plain text: its headings and its
//! prose paragraphs, with line numbers. It only has to be good enough to answer "does this
//! README have a section about X", so it prefers recall over strict format rules.

use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    /// The heading as a user would search for it: lower case, no numbering or punctuation.
    pub normalised: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub paragraphs: Vec<Paragraph>,
}

static ATX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$").unwrap());
static HTML_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<h[1-6][^>]*>(.*?)</h[1-6]>").unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
static BOLD_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\*\*|__)([^*_]{2,60}?)(?:\*\*|__)\s*:?\s*$").unwrap());
static LABEL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z][A-Za-z /&'()-]{1,50}):\s*$").unwrap());
static NUMBERING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:\d+[.)]?)+\s+").unwrap());
static MARKDOWN_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").unwrap());

/// Characters RST allows for section adornment.
fn is_adornment(line: &str) -> bool {
    let trimmed = line.trim_end();
    let mut chars = trimmed.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    trimmed.chars().count() >= 3 && "=-~^\"'`#*+:._".contains(first) && chars.all(|c| c == first)
}

pub fn normalise_heading(text: &str) -> String {
    let text = MARKDOWN_LINK.replace_all(text, "$1");
    let text = TAG.replace_all(&text, " ");
    let lowered = text.to_lowercase();
    let unnumbered = NUMBERING.replace(lowered.trim(), "");
    let cleaned: String = unnumbered
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn outline(text: &str) -> Outline {
    let lines: Vec<&str> = text.lines().collect();
    let mut outline = Outline::default();
    let mut in_fence: Option<&str> = None;
    let mut paragraph: Vec<&str> = Vec::new();
    let mut paragraph_start = 0;
    let mut skip_next = false;

    let flush = |paragraph: &mut Vec<&str>, start: usize, outline: &mut Outline| {
        if !paragraph.is_empty() {
            outline.paragraphs.push(Paragraph {
                text: paragraph.join(" "),
                line: start,
            });
            paragraph.clear();
        }
    };

    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        if skip_next {
            skip_next = false;
            continue;
        }
        let trimmed = line.trim();
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut paragraph, paragraph_start, &mut outline);
            in_fence = Some(&trimmed[..3]);
            continue;
        }
        let next = lines.get(index + 1).copied().unwrap_or("");
        let heading = if let Some(captures) = ATX.captures(line) {
            Some(captures.get(1).map_or("", |m| m.as_str()).to_string())
        } else if !trimmed.is_empty()
            && !is_adornment(trimmed)
            && (is_adornment(next) || next.trim_start().starts_with("==="))
            && !trimmed.starts_with(['-', '*', '+', '|', '>'])
        {
            skip_next = true;
            Some(trimmed.to_string())
        } else if let Some(captures) = HTML_HEADING.captures(trimmed) {
            Some(captures[1].to_string())
        } else if !paragraph.is_empty() {
            // Labels and shouted titles only count at the start of a block; mid-paragraph they
            // are wrapped prose ("You can install it\nwith:").
            None
        } else if let Some(captures) = BOLD_LINE.captures(line) {
            Some(captures[1].to_string())
        } else if let Some(captures) = LABEL_LINE.captures(line) {
            Some(captures[1].to_string())
        } else if is_shouted_title(trimmed) {
            Some(trimmed.to_string())
        } else {
            None
        };
        if let Some(heading) = heading {
            flush(&mut paragraph, paragraph_start, &mut outline);
            let normalised = normalise_heading(&heading);
            if !normalised.is_empty() {
                outline.headings.push(Heading {
                    text: heading.trim().to_string(),
                    normalised,
                    line: number,
                });
            }
            continue;
        }
        if trimmed.is_empty() || is_adornment(trimmed) {
            flush(&mut paragraph, paragraph_start, &mut outline);
            continue;
        }
        if paragraph.is_empty() {
            paragraph_start = number;
        }
        paragraph.push(trimmed);
    }
    flush(&mut paragraph, paragraph_start, &mut outline);
    outline
}

/// Plain-text READMEs often mark sections as short upper-case lines ("INSTALLATION").
fn is_shouted_title(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let plain = line
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '&' | '-' | ':' | '\''));
    plain
        && letters.len() >= 4
        && line.len() <= 40
        && letters.iter().all(|c| c.is_uppercase())
        && line.split_whitespace().count() <= 5
}

/// Whether a paragraph is prose someone wrote, not a badge row, an image, a table or a list.
pub fn is_prose(paragraph: &Paragraph, min_words: usize) -> bool {
    let text = paragraph.text.trim_start();
    if text.starts_with(['!', '<', '|', '[', '-', '*', '>', ':', '.']) {
        return false;
    }
    let without_links = MARKDOWN_LINK.replace_all(text, "$1");
    let words = without_links
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words >= min_words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(text: &str) -> Vec<String> {
        outline(text)
            .headings
            .into_iter()
            .map(|h| h.normalised)
            .collect()
    }

    #[test]
    fn markdown_atx_and_setext_headings() {
        let text = "# Title\n\nIntro text here.\n\n## 2. Installation 🚀\n\nrun\n\nUsage\n-----\n\n```\n# not a heading\n```\n";
        assert_eq!(headings(text), ["title", "installation", "usage"]);
    }

    #[test]
    fn rst_html_bold_and_plain_text_headings() {
        assert_eq!(
            headings("Project\n=======\n\nGetting Started\n---------------\n"),
            ["project", "getting started"]
        );
        assert_eq!(
            headings("<h2 align=\"center\">Contact us</h2>\n"),
            ["contact us"]
        );
        assert_eq!(headings("**Prerequisites**\n\nPython\n"), ["prerequisites"]);
        assert_eq!(
            headings("LICENCE\n\nOGL\n\nStatus:\nbeta\n"),
            ["licence", "status"]
        );
    }

    #[test]
    fn wrapped_prose_and_badge_fragments_are_not_headings() {
        assert!(
            headings("You can install the package from CRAN\nwith:\n\n[![CRAN\nversion](x)](y)\n")
                .is_empty()
        );
    }

    #[test]
    fn paragraphs_keep_their_first_line() {
        let found =
            outline("# T\n\n[![badge](x)](y)\n\nThis tool helps analysts\nproduce tables.\n");
        assert_eq!(found.paragraphs[1].line, 5);
        assert!(is_prose(&found.paragraphs[1], 5));
        assert!(!is_prose(&found.paragraphs[0], 1));
    }
}
