//! `append-lines`: add the lines a template lists to a line-based file such as `.gitignore`,
//! skipping every line the file already has, so a second run adds nothing and nothing already
//! there moves. The file keeps its line endings and ends with one.

/// The new text and the lines that were added (comments included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub text: String,
    pub added: Vec<String>,
}

/// Lines compare without surrounding whitespace or `\r`, as a reader would see them.
fn key(line: &str) -> &str {
    line.trim()
}

fn is_comment(line: &str) -> bool {
    key(line).starts_with('#')
}

fn newline_of(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    if crlf > lf { "\r\n" } else { "\n" }
}

/// Appends the template's missing lines to `existing` (`None`: the file does not exist yet).
/// The template is read in groups separated by blank lines; a group whose entries are all
/// present adds nothing, not even its comment. `None` when nothing is missing.
pub fn append_lines(existing: Option<&str>, template: &str) -> Option<Appended> {
    let present: std::collections::HashSet<&str> = existing
        .unwrap_or("")
        .lines()
        .map(key)
        .filter(|k| !k.is_empty())
        .collect();
    let template = template.replace("\r\n", "\n");
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for group in template.split("\n\n") {
        let lines: Vec<&str> = group
            .lines()
            .filter(|l| !key(l).is_empty() && !present.contains(key(l)))
            .collect();
        if lines.iter().any(|l| !is_comment(l)) {
            groups.push(lines.into_iter().map(str::trim).collect());
        }
    }
    if groups.is_empty() {
        return None;
    }
    let existing = existing.unwrap_or("");
    let newline = newline_of(existing);
    let mut text = existing.to_owned();
    if !text.is_empty() {
        if !text.ends_with('\n') {
            text.push_str(newline);
        }
        if text.lines().last().is_some_and(|l| !l.trim().is_empty()) {
            text.push_str(newline);
        }
    }
    let mut added = Vec::new();
    for (index, group) in groups.iter().enumerate() {
        if index > 0 {
            text.push_str(newline);
        }
        for line in group {
            text.push_str(line);
            text.push_str(newline);
            added.push((*line).to_owned());
        }
    }
    Some(Appended { text, added })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "# Data\n*.csv\ndata/*\n\n# Secrets\n.env\n";

    #[test]
    fn creates_the_file_when_absent() {
        let appended = append_lines(None, TEMPLATE).unwrap();
        assert_eq!(appended.text, "# Data\n*.csv\ndata/*\n\n# Secrets\n.env\n");
    }

    #[test]
    fn adds_only_missing_lines_and_skips_satisfied_groups() {
        let appended = append_lines(Some("node_modules/\n  .env  \n*.csv\n"), TEMPLATE).unwrap();
        assert_eq!(
            appended.text,
            "node_modules/\n  .env  \n*.csv\n\n# Data\ndata/*\n"
        );
        assert_eq!(appended.added, ["# Data", "data/*"]);
        assert_eq!(append_lines(Some(&appended.text), TEMPLATE), None);
    }

    #[test]
    fn keeps_crlf_and_terminates_the_last_line() {
        let appended = append_lines(Some("a\r\nb"), "c\n").unwrap();
        assert_eq!(appended.text, "a\r\nb\r\n\r\nc\r\n");
        let appended = append_lines(Some("a\n\n"), "c\n").unwrap();
        assert_eq!(appended.text, "a\n\nc\n");
    }

    #[test]
    fn an_empty_file_gets_the_lines_alone() {
        assert_eq!(append_lines(Some(""), "c\n").unwrap().text, "c\n");
    }
}
