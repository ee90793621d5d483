//! What the analysis code itself shows: functions and classes (reuse), docstrings and roxygen
//! (documentation), logging calls, and notebook outputs. Python and R are read line by line
//! with patterns rather than parsed: the point is evidence a person can check, and a parser per
//! language would cost more than the criteria are worth.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::checks::json::Json;
use crate::model::facts::rap::{CodeByLanguage, CodeFacts, Located, NotebookFact};
use crate::model::facts::rap::{CodeFile, Container, Language, Profile};
use crate::snapshot::Snapshot;

impl CodeByLanguage {
    pub fn get(&self, language: Language) -> Option<&CodeFacts> {
        match language {
            Language::Python => Some(&self.python),
            Language::R => Some(&self.r),
            _ => None,
        }
    }
}

/// Code files larger than this are skipped by the code analysis (see `analyze`).
const MAX_CODE_FILE_SIZE: u64 = 256 * 1024;

/// At most this many code files per language are read; beyond it, every n-th file in path order.
const MAX_CODE_FILES_READ: usize = 300;

/// How many output locations the fact keeps.
const MAX_OUTPUTS: usize = 5;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid built-in regex")
}

// Names as ASCII identifiers: Unicode `\w` made each of these patterns five times dearer to
// compile, for names that real pipelines write in ASCII.
static PY_DEF: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^[ \t]*(?:async\s+)?def\s+[A-Za-z0-9_]+\s*\("));
static PY_CLASS: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*class\s+[A-Za-z0-9_]+"));
static PY_DOCSTRING: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*[rRuU]?("""|''')"#));
static PY_MAIN: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?m)^if\s+__name__\s*==\s*['"]__main__['"]\s*:"#));
static R_FUNCTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^[ \t]*`?[A-Za-z0-9_.]+`?\s*(<-|=)\s*function\s*\("));
static R_CLASS: LazyLock<Regex> = LazyLock::new(|| re(r"\b(R6Class|setRefClass|setClass)\s*\("));
static OUTPUT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\.(to_csv|to_parquet|to_excel|to_feather)\(|\b(write_csv|write\.csv|write_parquet|write_xlsx|write\.xlsx|fwrite|saveRDS)\(",
    )
});

/// Logging patterns, most telling first: the first that matches anywhere is the evidence. Each
/// comes with a literal it cannot match without: most files hold no logging at all, and the
/// line-anchored patterns have no literal prefix for the regex engine to skip ahead with (on
/// 29 MB of Python from real repositories, 175 ms of regex search against 10 ms of `contains`).
static PY_LOGGING: LazyLock<Vec<(&'static str, &'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "logging.getLogger",
            "logging.getLogger(",
            re(r"\blogging\.getLogger\("),
        ),
        (
            "logging.basicConfig",
            "logging.basicConfig(",
            re(r"\blogging\.basicConfig\("),
        ),
        (
            "loguru",
            "loguru",
            re(r"(?m)^[ \t]*(from\s+loguru\s+import|import\s+loguru)"),
        ),
        (
            "structlog",
            "structlog",
            re(r"(?m)^[ \t]*import\s+structlog|structlog\.get_logger"),
        ),
        (
            "import logging",
            "logging",
            re(r"(?m)^[ \t]*(import\s+logging|from\s+logging\s+import)"),
        ),
    ]
});
static R_LOGGING: LazyLock<Vec<(&'static str, &'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "logger",
            "log",
            re(
                r"\blogger::log_[A-Za-z0-9_]+\(|library\(\s*logger\s*\)|\blog_(info|warn|error|debug|trace)\(",
            ),
        ),
        (
            "futile.logger",
            "log",
            re(r"futile\.logger|\bflog\.(info|warn|error|debug|trace)\("),
        ),
        ("log4r", "log", re(r"\blog4r\b|\bcreate\.logger\(")),
        ("lgr", "lgr", re(r"\blgr::|library\(\s*lgr\s*\)")),
    ]
});

/// The code of a file in one language, with a flag saying whether line numbers are real.
pub fn code_text(snapshot: &Snapshot, file: &CodeFile) -> Option<(String, bool)> {
    let text = snapshot.text(&file.path)?;
    match file.container {
        Container::Script => Some((text.to_string(), true)),
        Container::Notebook => Some((notebook_code(&text)?, false)),
        Container::Document => Some((document_chunks(&text, file.language), true)),
    }
}

/// The code cells of a parsed notebook, or `None` when it has no `cells` list.
fn code_cells<'j, 'a>(notebook: &'j Json<'a>) -> Option<impl Iterator<Item = &'j Json<'a>>> {
    let cells = notebook.get("cells")?.as_array()?;
    Some(
        cells
            .iter()
            .filter(|c| c.get("cell_type").and_then(Json::as_str) == Some("code")),
    )
}

fn notebook_code(text: &str) -> Option<String> {
    let notebook = Json::parse(text.as_bytes()).ok()?;
    let sources: Vec<Cow<str>> = code_cells(&notebook)?
        .map(|c| c.get("source").map_or(Cow::Borrowed(""), Json::joined_text))
        .collect();
    Some(sources.join("\n"))
}

/// Code chunks of one language from Quarto or R Markdown, blanking the rest so line numbers hold.
fn document_chunks(text: &str, language: Language) -> String {
    let wanted = match language {
        Language::Python => "python",
        Language::Sql => "sql",
        _ => "r",
    };
    chunks_where(text, |header| {
        header.starts_with(wanted)
            && !header[wanted.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

/// Every code chunk of a Quarto or R Markdown document, whatever its language, without the
/// prose around them.
pub fn document_code(text: &str) -> String {
    chunks_where(text, |_| true)
}

/// The chunks whose `{…}` header (lower case, after the brace) `wanted` accepts; fenced blocks
/// without a brace are shown, not run.
fn chunks_where(text: &str, wanted: impl Fn(&str) -> bool) -> String {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix("```") {
            if inside {
                inside = false;
            } else {
                let header = header.trim_start_matches('`').trim_start();
                inside = header
                    .strip_prefix('{')
                    .map(|h| h.trim_start().to_ascii_lowercase())
                    .is_some_and(|h| wanted(&h));
            }
            out.push("");
            continue;
        }
        out.push(if inside { line } else { "" });
    }
    out.join("\n")
}

/// Code cells with outputs, per notebook.
pub fn notebooks(snapshot: &Snapshot, profile: &Profile) -> Vec<NotebookFact> {
    let mut seen = std::collections::BTreeSet::new();
    profile
        .files
        .iter()
        .filter(|f| f.container == Container::Notebook && seen.insert(f.path.clone()))
        .map(|f| {
            let cells_with_outputs = snapshot.text(&f.path).map_or(0, |text| {
                let Ok(notebook) = Json::parse(text.as_bytes()) else {
                    return 0;
                };
                code_cells(&notebook).map_or(0, |cells| {
                    cells
                        .filter(|c| {
                            c.get("outputs")
                                .and_then(Json::as_array)
                                .is_some_and(|o| !o.is_empty())
                        })
                        .count()
                })
            });
            NotebookFact {
                path: f.path.clone(),
                cells_with_outputs,
            }
        })
        .collect()
}

pub fn analyze(snapshot: &Snapshot, profile: &Profile) -> CodeByLanguage {
    let mut facts = CodeByLanguage::default();
    for language in [Language::Python, Language::R] {
        let target = match language {
            Language::Python => &mut facts.python,
            _ => &mut facts.r,
        };
        // Tests add nothing to this evidence (tests have their own analyzer), and files this
        // large are generated (schemas, vendored models), not evidence of how a team writes code.
        let candidates: Vec<&CodeFile> = profile
            .files
            .iter()
            .filter(|f| f.language == language && !f.is_test())
            .filter(|f| {
                snapshot
                    .entry(&f.path)
                    .is_none_or(|e| e.size <= MAX_CODE_FILE_SIZE)
            })
            .collect();
        target.files_total = candidates.len();
        let stride = candidates.len().div_ceil(MAX_CODE_FILES_READ).max(1);
        for file in candidates.iter().step_by(stride) {
            let Some((code, real_lines)) = code_text(snapshot, file) else {
                continue;
            };
            target.files_read += 1;
            scan(file, &code, real_lines, target);
        }
    }
    facts
}

/// `code.lines()`, cut at the line starts already found with memchr: `str::lines` looks for
/// each newline again, byte by byte (85 M instructions over the code of 26 real repositories).
fn lines_at<'a>(code: &'a str, starts: &[usize]) -> Vec<&'a str> {
    let mut lines = Vec::with_capacity(starts.len());
    for (index, &start) in starts.iter().enumerate() {
        match starts.get(index + 1) {
            Some(&next) => {
                let line = &code[start..next - 1];
                lines.push(line.strip_suffix('\r').unwrap_or(line));
            }
            // The text after the last newline is a line unless it is empty.
            None if start < code.len() => lines.push(&code[start..]),
            None => {}
        }
    }
    lines
}

fn scan(file: &CodeFile, code: &str, real_lines: bool, facts: &mut CodeFacts) {
    // Each pattern runs once over the whole text rather than once per line: regex literal
    // prefilters then skip most of the file, which matters on repositories with megabytes of
    // generated code.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', code.as_bytes()).map(|i| i + 1))
        .collect();
    let lines = lines_at(code, &starts);
    let line_of = |offset: usize| {
        starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    };
    let test = file.is_test();
    let located = |index: usize| Located {
        path: file.path.clone(),
        line: real_lines.then_some(index as u64 + 1),
        text: lines
            .get(index)
            .map_or("", |l| l.trim())
            .chars()
            .take(120)
            .collect(),
    };
    let (mut functions, mut documented, mut classes) = (0, 0, 0);
    match file.language {
        Language::Python => {
            for start in matching_lines(code, b"def", &PY_DEF) {
                functions += 1;
                if python_documented(&lines, line_of(start)) {
                    documented += 1;
                }
            }
            classes += matching_lines(code, b"class", &PY_CLASS).count();
            let has_main = matching_lines(code, b"__main__", &PY_MAIN).next().is_some();
            if has_main && !facts.main_guards.contains(&file.path) {
                facts.main_guards.push(file.path.clone());
            }
        }
        _ => {
            for start in matching_lines(code, b"function", &R_FUNCTION) {
                functions += 1;
                if r_documented(&lines, line_of(start)) {
                    documented += 1;
                }
            }
            classes += R_CLASS.find_iter(code).count();
        }
    }
    if !test {
        for found in OUTPUT.find_iter(code) {
            if facts.outputs.len() >= MAX_OUTPUTS {
                break;
            }
            facts.outputs.push(located(line_of(found.start())));
        }
    }
    // Helper scripts (dummy-data generators, tools) log too, but the pipeline's own code is the
    // better evidence, so a hit there replaces one in a helper.
    let helper = |path: &str| {
        ["scripts/", "tools/", "dev/", "utils/"]
            .iter()
            .any(|d| path.starts_with(d))
    };
    let replaceable = facts
        .logging
        .as_ref()
        .is_none_or(|hit| helper(&hit.path) && !helper(&file.path));
    if replaceable && !test {
        let patterns = match file.language {
            Language::Python => &*PY_LOGGING,
            _ => &*R_LOGGING,
        };
        if let Some((name, found)) = patterns
            .iter()
            .filter(|(_, needed, _)| code.contains(needed))
            .find_map(|(name, _, pattern)| pattern.find(code).map(|found| (name, found)))
        {
            let mut hit = located(line_of(found.start()));
            hit.text = (*name).to_string();
            facts.logging = Some(hit);
        }
    }
    if test {
        return;
    }
    facts.functions += functions;
    facts.documented += documented;
    facts.classes += classes;
    if (functions > 0 || classes > 0) && !facts.files_with_functions.contains(&file.path) {
        facts.files_with_functions.push(file.path.clone());
    }
}

/// The starts of the lines on which `line_pattern` (anchored with `(?m)^`, at most one match a
/// line) matches, looking only at lines holding `literal`, which the pattern cannot match
/// without. The patterns have no literal prefix for the regex engine to skip ahead with, so
/// over the whole text they ran byte by byte (a third of the RAP analysis on 26 real
/// repositories); a definition never spans lines in code that parses.
fn matching_lines<'a>(
    code: &'a str,
    literal: &'a [u8],
    line_pattern: &'a Regex,
) -> impl Iterator<Item = usize> + 'a {
    let bytes = code.as_bytes();
    let mut next_line = 0;
    memchr::memmem::find_iter(bytes, literal).filter_map(move |at| {
        if at < next_line {
            return None;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |p| p + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |p| at + p);
        next_line = end + 1;
        line_pattern.is_match(&code[start..end]).then_some(start)
    })
}

/// A docstring is the first statement after the signature, which may span several lines.
fn python_documented(lines: &[&str], def: usize) -> bool {
    let mut index = def;
    // Find the line that closes the signature (ends with `:` before any comment).
    while index < lines.len() {
        let code = lines[index].split('#').next().unwrap_or("").trim_end();
        if code.ends_with(':') {
            break;
        }
        index += 1;
    }
    lines
        .iter()
        .skip(index + 1)
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| PY_DOCSTRING.is_match(l))
}

/// Roxygen sits directly above the function, as `#'` lines; some teams write the same block
/// as the first lines of the body, docstring-style, and that documents the function as well.
fn r_documented(lines: &[&str], function: usize) -> bool {
    let roxygen = |l: &&str| l.trim_start().starts_with("#'");
    let above = lines[..function]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(roxygen);
    let Some(open) = (function..lines.len().min(function + 5)).find(|&i| lines[i].contains('{'))
    else {
        return above;
    };
    let after_brace = lines[open]
        .split_once('{')
        .map_or("", |(_, rest)| rest)
        .trim();
    let inside = if after_brace.is_empty() {
        lines[open + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(roxygen)
    } else {
        after_brace.starts_with("#'")
    };
    above || inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lines_at_cuts_as_str_lines_does(
            code in proptest::collection::vec(
                proptest::sample::select(vec!["a", "\n", "\r", "\r\n", " ", "é", "def f():"]),
                0..30,
            ).prop_map(|parts| parts.concat())
        ) {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(code.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            prop_assert_eq!(lines_at(&code, &starts), code.lines().collect::<Vec<_>>());
        }
    }

    #[test]
    fn definitions_are_found_on_their_own_line_only() {
        let code = "class A:\n    def f(self):\n        pass\n    \"\"\"\n    class\n\n    Args: x\n    \"\"\"\ndefault = 1\nasync  def g():\n    pass\n";
        let facts = facts_of("m.py", Language::Python, code);
        // `A` only: the docstring's lone "class" is not a definition.
        assert_eq!((facts.functions, facts.classes), (2, 1));
        let r = "f <- function(x) x\n# function\n`g` = function (y) {\n}\n";
        let facts = facts_of("m.R", Language::R, r);
        assert_eq!(facts.functions, 2);
    }

    fn facts_of(path: &str, language: Language, code: &str) -> CodeFacts {
        let mut facts = CodeFacts::default();
        let file = CodeFile {
            path: path.to_string(),
            language,
            container: Container::Script,
        };
        scan(&file, code, true, &mut facts);
        facts
    }

    #[test]
    fn python_functions_docstrings_and_logging() {
        let code = "import logging\nlogger = logging.getLogger(__name__)\n\n\
def load(path,\n         sep=','):\n    \"\"\"Load.\"\"\"\n    return 1\n\n\
def bare():\n    return 2\n\nclass Thing:\n    pass\n\n\
if __name__ == \"__main__\":\n    df.to_csv('out.csv')\n";
        let facts = facts_of("src/p.py", Language::Python, code);
        assert_eq!(
            (facts.functions, facts.documented, facts.classes),
            (2, 1, 1)
        );
        let logging = facts.logging.expect("logging found");
        assert_eq!(logging.text, "logging.getLogger");
        assert_eq!(logging.line, Some(2));
        assert_eq!(facts.main_guards, vec!["src/p.py".to_string()]);
        assert_eq!(facts.outputs.len(), 1);
    }

    #[test]
    fn r_functions_roxygen_and_logger() {
        let code = "#' Add one\n#' @export\nadd_one <- function(x) {\n  logger::log_info('hi')\n  x + 1\n}\n\nhelper = function(y) y\n";
        let facts = facts_of("R/a.R", Language::R, code);
        assert_eq!((facts.functions, facts.documented), (2, 1));
        assert_eq!(facts.logging.map(|l| l.text).as_deref(), Some("logger"));
    }

    #[test]
    fn roxygen_inside_the_body_documents_the_function() {
        let code = "count_rows <- function(df,\n                       col) {\n  #' @title Count rows\n  #' @param df A data frame.\n  nrow(df)\n}\n\nbare <- function(x) {\n  # a plain comment\n  x\n}\n";
        let facts = facts_of("src/a.R", Language::R, code);
        assert_eq!((facts.functions, facts.documented), (2, 1));
    }

    #[test]
    fn tests_do_not_count_as_reusable_functions() {
        let facts = facts_of(
            "tests/test_a.py",
            Language::Python,
            "def test_a():\n    pass\n",
        );
        assert_eq!(facts.functions, 0);
        assert!(facts.files_with_functions.is_empty());
    }

    #[test]
    fn quarto_chunks_keep_line_numbers() {
        let text = "# Title\n```{r}\nf <- function(x) x\n```\n```{python}\ndef g(): pass\n```\n";
        let r = document_chunks(text, Language::R);
        assert_eq!(r.lines().nth(2), Some("f <- function(x) x"));
        assert!(!r.contains("def g"));
    }

    #[test]
    fn notebook_code_and_hostile_json() {
        let nb = r#"{"cells":[{"cell_type":"code","source":["def f():\n","    pass\n"],"outputs":[{"output_type":"stream"}]},{"cell_type":"markdown","source":"x"}]}"#;
        assert_eq!(notebook_code(nb).as_deref(), Some("def f():\n    pass\n"));
        assert_eq!(notebook_code("{not json"), None);
        assert_eq!(notebook_code("[]"), None);
        assert_eq!(notebook_code(r#"{"cells": "none"}"#), None);
    }
}
