//! `insert-section`: add a README section from a template, at the README's own heading level,
//! after the section it should follow, without touching a byte that is already there.
//!
//! A section that exists under any accepted synonym is left alone, judged by the audit's own
//! README parser so that `fix` and `audit` never disagree on whether it is there. With `within`,
//! a template can instead extend an existing section (the OGL statement under "Licence").

use crate::checks::readme::parse;

use super::markdown::Document;

/// What to insert and where. `template` is filled text that opens with an ATX heading.
#[derive(Debug, Clone, Copy)]
pub struct SectionFix<'a> {
    /// Headings (any accepted synonym) that mean the section is already there. Without
    /// `within`, the template's own heading counts too.
    pub synonyms: &'a [String],
    /// Sections to follow, first found wins; `:title` means right after the title's intro.
    pub after: &'a [String],
    /// With no `after` section found: sections to precede (the earliest in the file). None
    /// found either: the end of the file.
    pub before: &'a [String],
    pub template: &'a str,
    pub within: Option<Within<'a>>,
}

/// Extend an existing section instead of adding one, when a heading matches `synonyms`.
#[derive(Debug, Clone, Copy)]
pub struct Within<'a> {
    pub synonyms: &'a [String],
    /// Filled text appended at the end of that section; `None`: the template without its heading.
    pub template: Option<&'a str>,
}

/// The anchor that names the title section.
pub const TITLE_ANCHOR: &str = ":title";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionOutcome {
    /// Nothing to do: the section (or the text) is already there.
    Present { why: String },
    /// The new text of the file.
    Inserted {
        text: String,
        /// 1-based line where the inserted text starts (after any blank line put before it).
        line: usize,
        /// The heading level used, or the level of the section extended.
        level: u8,
        /// The heading of the section extended, with `within`.
        into: Option<String>,
    },
    /// The fix cannot be made safely; the reason says what to do by hand.
    Blocked { why: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectionError {
    #[error("a section template must open with a Markdown heading (`## Name`)")]
    NoHeading,
}

pub use crate::checks::readme::heading_matches;

/// Synonyms normalised once, as headings are.
fn normalised(synonyms: &[String]) -> Vec<String> {
    synonyms
        .iter()
        .map(|s| parse::normalise_heading(s))
        .collect()
}

fn matches_any(normalised: &str, synonyms: &[String]) -> bool {
    synonyms.iter().any(|s| heading_matches(normalised, s))
}

/// A template's heading: its level, its text, and the rest of the template.
fn split_template(template: &str) -> Result<(u8, &str, &str), SectionError> {
    let (first, rest) = template.split_once('\n').unwrap_or((template, ""));
    let first = first.trim_end_matches('\r');
    let hashes = first.bytes().take_while(|b| *b == b'#').count();
    let text = first[hashes..].trim();
    if !(1..=6).contains(&hashes) || text.is_empty() || !first[hashes..].starts_with(' ') {
        return Err(SectionError::NoHeading);
    }
    Ok((hashes as u8, text, rest))
}

/// Moves every ATX heading of a template (outside its fences) by `shift` levels, within 1..=6.
fn relevel(text: &str, shift: i16) -> String {
    if shift == 0 {
        return text.to_owned();
    }
    let doc = Document::parse(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    for heading in doc
        .headings
        .iter()
        .filter(|h| h.style == super::markdown::HeadingStyle::Atx)
    {
        let line = doc.lines[heading.line];
        let content = &text[line.start..line.end];
        let indent = content.len() - content.trim_start().len();
        let hashes = content[indent..].bytes().take_while(|b| *b == b'#').count();
        let level = (hashes as i16 + shift).clamp(1, 6) as usize;
        out.push_str(&text[copied..line.start + indent]);
        out.push_str(&"#".repeat(level));
        copied = line.start + indent + hashes;
    }
    out.push_str(&text[copied..]);
    out
}

/// Text with its line endings made `newline`, ending with exactly one.
fn with_newlines(text: &str, newline: &str) -> String {
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    let mut out = lines.join(newline);
    out.push_str(newline);
    out
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inserts `block` (lines ending in the file's newline) before line `at`, with a blank line on
/// each side where there is none, and only ever adding bytes.
fn insert_at(doc: &Document, at: usize, block: &str) -> (String, usize) {
    let newline = doc.newline;
    let offset = doc.offset_of(at);
    let mut inserted = String::new();
    let mut line = at;
    if at == doc.lines.len() {
        if !doc.ends_with_newline() {
            inserted.push_str(newline);
        }
        if at > doc.body_start && !doc.is_blank(at - 1) {
            inserted.push_str(newline);
            line += 1;
        }
    } else if at > doc.body_start && !doc.is_blank(at - 1) {
        inserted.push_str(newline);
        line += 1;
    }
    inserted.push_str(block);
    if at < doc.lines.len() && !doc.is_blank(at) {
        inserted.push_str(newline);
    }
    let mut text = String::with_capacity(doc.text.len() + inserted.len());
    text.push_str(&doc.text[..offset]);
    text.push_str(&inserted);
    text.push_str(&doc.text[offset..]);
    (text, line + 1)
}

/// Plans one section insertion into a Markdown README.
pub fn insert_section(readme: &str, fix: &SectionFix) -> Result<SectionOutcome, SectionError> {
    let (template_level, template_heading, template_body) = split_template(fix.template)?;
    let doc = Document::parse(readme);
    let body = readme.strip_prefix('\u{feff}').unwrap_or(readme);
    let outline = parse::outline(body);

    let mut synonyms: Vec<String> = fix.synonyms.to_vec();
    // Extending a section: its heading is the place to write, not a sign the text is there.
    if fix.within.is_none() {
        synonyms.push(template_heading.to_owned());
    }
    let synonyms = normalised(&synonyms);
    if let Some(found) = outline
        .headings
        .iter()
        .find(|h| matches_any(&h.normalised, &synonyms))
    {
        return Ok(SectionOutcome::Present {
            why: format!(
                "the README has a \"{}\" section (line {})",
                found.text, found.line
            ),
        });
    }

    if let Some(within) = fix.within {
        let extra = within.template.unwrap_or(template_body);
        if squash(body).contains(&squash(extra)) {
            return Ok(SectionOutcome::Present {
                why: "the README already says this".to_owned(),
            });
        }
        if let Some(outcome) =
            extend_section(&doc, &outline, within.synonyms, extra, template_level)
        {
            return Ok(outcome);
        }
    }

    let (title, level) = doc.section_level();
    let at = anchor(&doc, title, level, fix.after, fix.before);
    if !doc.can_insert_before(at) {
        return Ok(blocked(&doc, at));
    }
    let block = with_newlines(
        &relevel(fix.template, level as i16 - template_level as i16),
        doc.newline,
    );
    let (text, line) = insert_at(&doc, at, &block);
    Ok(SectionOutcome::Inserted {
        text,
        line,
        level,
        into: None,
    })
}

/// Appends `extra` at the end of the first section whose heading matches `synonyms`; `None`
/// when there is no such section.
fn extend_section(
    doc: &Document,
    outline: &parse::Outline,
    synonyms: &[String],
    extra: &str,
    template_level: u8,
) -> Option<SectionOutcome> {
    // The audit's outline also counts bold lines and labels as headings; find the section the
    // way it does, then take its level and extent from the Markdown structure when it has one.
    let synonyms = normalised(synonyms);
    let found = outline
        .headings
        .iter()
        .find(|h| matches_any(&h.normalised, &synonyms))?;
    let line = found.line - 1;
    let (level, end) = match doc.headings.iter().position(|h| h.line == line) {
        // The section's own text ends at its first subsection: the added text belongs to the
        // section, not to whatever subsection happens to come last.
        Some(index) => (doc.headings[index].level, doc.section_end(index, 6)),
        None => {
            let next = outline
                .headings
                .iter()
                .map(|h| h.line - 1)
                .chain(doc.headings.iter().map(|h| h.block_start))
                .filter(|l| *l > line)
                .min()
                .unwrap_or(doc.lines.len());
            (doc.section_level().1, next)
        }
    };
    if !doc.can_insert_before(end) {
        return Some(blocked(doc, end));
    }
    // Subheadings in the extra text sit one level below the section they join.
    let block = with_newlines(
        &relevel(extra, level as i16 + 1 - (template_level as i16 + 1)),
        doc.newline,
    );
    let (text, at) = insert_at(doc, end, &block);
    Some(SectionOutcome::Inserted {
        text,
        line: at,
        level,
        into: Some(found.text.clone()),
    })
}

/// The line to insert before: the end of the first `after` section found, else the start of
/// the earliest `before` section in the file (at the new section's level or above, never the
/// title), else the end of the file.
fn anchor(
    doc: &Document,
    title: Option<usize>,
    level: u8,
    after: &[String],
    before: &[String],
) -> usize {
    for wanted in after {
        if wanted == TITLE_ANCHOR {
            // Right after the title's own text: before the first heading of any level.
            if let Some(index) = title {
                return doc.section_end(index, 6);
            }
            continue;
        }
        let wanted = parse::normalise_heading(wanted);
        if let Some(index) = doc
            .headings
            .iter()
            .position(|h| heading_matches(&h.normalised, &wanted))
        {
            // After the whole section, subsections included; a deeper anchor closes at the
            // new section's level, since a section cannot sit inside a sibling.
            let closing = doc.headings[index].level.min(level);
            return doc.section_end(index, closing);
        }
    }
    // Before the earliest of them, so the new section precedes every section it should.
    let before: Vec<String> = before.iter().map(|b| parse::normalise_heading(b)).collect();
    let title_line = title.map(|t| doc.headings[t].line);
    doc.headings
        .iter()
        .enumerate()
        .find(|(index, h)| {
            Some(*index) != title
                && title_line.is_none_or(|line| h.block_start > line)
                && h.level <= level
                && before.iter().any(|b| heading_matches(&h.normalised, b))
        })
        .map_or(doc.lines.len(), |(_, h)| h.block_start)
}

fn blocked(doc: &Document, at: usize) -> SectionOutcome {
    let fence = doc.unclosed_fence.map_or(at, |l| l) + 1;
    SectionOutcome::Blocked {
        why: format!(
            "the place for the section is inside a code block that is never closed (opened on line {fence}); close it, then run fix again"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn insert(readme: &str, template: &str, synonyms: &[&str], after: &[&str]) -> SectionOutcome {
        let synonyms = strings(synonyms);
        let after = strings(after);
        insert_section(
            readme,
            &SectionFix {
                synonyms: &synonyms,
                after: &after,
                before: &[],
                template,
                within: None,
            },
        )
        .unwrap()
    }

    fn inserted(outcome: SectionOutcome) -> String {
        match outcome {
            SectionOutcome::Inserted { text, .. } => text,
            other => panic!("expected an insertion, got {other:?}"),
        }
    }

    const DATA: &str = "## Data\n\nTODO(openly): say what data.\n";

    #[test]
    fn goes_after_the_named_section_at_the_readmes_level() {
        let readme = "# Tool\n\nIntro.\n\n### Install\n\npip install\n\n### Usage\n\nrun\n";
        let text = inserted(insert(
            readme,
            DATA,
            &["data"],
            &["installation", "install"],
        ));
        assert_eq!(
            text,
            "# Tool\n\nIntro.\n\n### Install\n\npip install\n\n### Data\n\nTODO(openly): say what data.\n\n### Usage\n\nrun\n"
        );
    }

    #[test]
    fn first_anchor_found_wins_and_subsections_stay_with_their_parent() {
        let readme = "# T\n\n## Usage\n\n### Example\n\nx\n\n## Licence\n\nMIT\n";
        let text = inserted(insert(readme, DATA, &["data"], &["missing", "usage"]));
        assert_eq!(
            text,
            "# T\n\n## Usage\n\n### Example\n\nx\n\n## Data\n\nTODO(openly): say what data.\n\n## Licence\n\nMIT\n"
        );
    }

    #[test]
    fn after_the_title_intro() {
        let readme = "# T\n\nBadges\n## Install\n";
        let about = "## About\n\nTODO(openly): what.\n";
        let text = inserted(insert(readme, about, &["about"], &[TITLE_ANCHOR]));
        assert_eq!(
            text,
            "# T\n\nBadges\n\n## About\n\nTODO(openly): what.\n\n## Install\n"
        );
    }

    #[test]
    fn before_a_later_section_when_no_earlier_one_exists() {
        let synonyms = strings(&["data"]);
        let after = strings(&["usage"]);
        let before = strings(&["contact", "licence"]);
        let fix = SectionFix {
            synonyms: &synonyms,
            after: &after,
            before: &before,
            template: DATA,
            within: None,
        };
        let readme = "# Licence tool\n\nIntro\n\n## Licence\n\n### Fonts\n\n## Contact\n";
        let text = inserted(insert_section(readme, &fix).unwrap());
        assert_eq!(
            text,
            "# Licence tool\n\nIntro\n\n## Data\n\nTODO(openly): say what data.\n\n## Licence\n\n### Fonts\n\n## Contact\n"
        );
    }

    #[test]
    fn never_between_a_title_and_a_heading_in_its_html_block() {
        let text = inserted(insert(
            "<h1 align=\"center\">Tool</h1>\n# Tool\nIntro",
            DATA,
            &["data"],
            &[TITLE_ANCHOR],
        ));
        assert_eq!(
            text,
            "<h1 align=\"center\">Tool</h1>\n# Tool\nIntro\n\n# Data\n\nTODO(openly): say what data.\n"
        );
    }

    #[test]
    fn a_synonym_anywhere_means_present() {
        for readme in [
            "# T\n\n## Data sources\n",
            "# T\n\n**Datasets**\n\nx\n",
            "Data\n====\n",
            "<h3>📊 Data</h3>\n",
        ] {
            assert!(
                matches!(
                    insert(readme, DATA, &["data", "datasets"], &[]),
                    SectionOutcome::Present { .. }
                ),
                "{readme}"
            );
        }
        // "metadata" is not "data".
        assert!(matches!(
            insert("# T\n\n## Metadata\n", DATA, &["data"], &[]),
            SectionOutcome::Inserted { .. }
        ));
    }

    #[test]
    fn crlf_no_final_newline_and_bom() {
        let text = inserted(insert("\u{feff}# T\r\n\r\nIntro", DATA, &["data"], &[]));
        assert_eq!(
            text,
            "\u{feff}# T\r\n\r\nIntro\r\n\r\n## Data\r\n\r\nTODO(openly): say what data.\r\n"
        );
    }

    #[test]
    fn never_inside_an_unclosed_fence() {
        let outcome = insert("# T\n\n```\ncode\n", DATA, &["data"], &[]);
        assert!(matches!(outcome, SectionOutcome::Blocked { .. }));
        // A heading-looking line in a fence is not a section to follow.
        let text = inserted(insert(
            "# T\n\n```\n## Usage\n```\n\nMore\n",
            DATA,
            &["data"],
            &["usage"],
        ));
        assert!(text.ends_with("More\n\n## Data\n\nTODO(openly): say what data.\n"));
    }

    #[test]
    fn setext_sections_and_html_titles() {
        let text = inserted(insert(
            "Title\n=====\n\nUsage\n-----\nrun\n\nLast\n----\n",
            DATA,
            &["data"],
            &["usage"],
        ));
        assert_eq!(
            text,
            "Title\n=====\n\nUsage\n-----\nrun\n\n## Data\n\nTODO(openly): say what data.\n\nLast\n----\n"
        );
        let text = inserted(insert(
            "<p align=\"center\">\n<h1>T</h1>\n</p>\n",
            DATA,
            &["data"],
            &[],
        ));
        assert!(text.ends_with("</p>\n\n## Data\n\nTODO(openly): say what data.\n"));
    }

    #[test]
    fn within_extends_an_existing_section_once() {
        let template = "## Licence\n\nUnder MIT.\n\nDocs under OGL.\n";
        let ogl = "Docs under OGL.\n";
        let synonyms = strings(&["licence", "license"]);
        let fix = SectionFix {
            synonyms: &[],
            after: &[],
            before: &[],
            template,
            within: Some(Within {
                synonyms: &synonyms,
                template: Some(ogl),
            }),
        };
        // The licence heading is not a "present" synonym here: only the statement counts.
        let readme = "# T\n\n## Licence\n\nApache-2.0\n\n## Contact\n\nus\n";
        let text = inserted(insert_section(readme, &fix).unwrap());
        assert_eq!(
            text,
            "# T\n\n## Licence\n\nApache-2.0\n\nDocs under OGL.\n\n## Contact\n\nus\n"
        );
        assert!(matches!(
            insert_section(&text, &fix).unwrap(),
            SectionOutcome::Present { .. }
        ));
        // Before the section's subsections, not inside the last one.
        let readme = "# T\n\n## Licence\n\nMIT\n\n### Fonts\n\nOFL\n";
        let text = inserted(insert_section(readme, &fix).unwrap());
        assert_eq!(
            text,
            "# T\n\n## Licence\n\nMIT\n\nDocs under OGL.\n\n### Fonts\n\nOFL\n"
        );
        // No licence section: the whole template becomes one.
        let text = inserted(insert_section("# T\n", &fix).unwrap());
        assert_eq!(text, "# T\n\n## Licence\n\nUnder MIT.\n\nDocs under OGL.\n");
    }

    #[test]
    fn template_subheadings_follow_the_level() {
        let template = "## Dummy data\n\nHow.\n\n### Steps\n\n1. x\n";
        let text = inserted(insert("# T\n\n### Usage\n", template, &[], &[]));
        assert!(
            text.ends_with("### Dummy data\n\nHow.\n\n#### Steps\n\n1. x\n"),
            "{text}"
        );
    }

    #[test]
    fn a_template_without_a_heading_is_an_error() {
        let result = insert_section(
            "# T\n",
            &SectionFix {
                synonyms: &[],
                after: &[],
                before: &[],
                template: "text\n",
                within: None,
            },
        );
        assert_eq!(result, Err(SectionError::NoHeading));
    }
}
