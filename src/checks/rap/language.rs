//! Which analysis languages a repository is written in. RAP's first criterion is about the
//! language (open source or proprietary), and every later criterion has a Python and an R
//! form, so the profile decides which heuristics apply and lets mixed repositories be judged
//! per language. Files are classified by extension and, where the extension says little
//! (notebooks, Quarto and R Markdown, scripts without an extension), by content.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::checks::paths::{is_test_code as is_test_path, is_vendored};
use crate::model::facts::rap::{CodeFile, Container, Language, LanguageCount, Profile};
use crate::snapshot::Snapshot;

impl Language {
    /// Open-source languages satisfy RAP Baseline; the others are flagged.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Language::Sas | Language::Spss | Language::Stata | Language::Vba
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::R => "R",
            Language::Sql => "SQL",
            Language::Sas => "SAS",
            Language::Spss => "SPSS",
            Language::Stata => "Stata",
            Language::Vba => "Excel VBA",
            Language::Javascript => "JavaScript",
            Language::Ruby => "Ruby",
            Language::Java => "Java",
            Language::Rust => "Rust",
            Language::Go => "Go",
        }
    }
}

impl CodeFile {
    /// Test code counts as code but not as the pipeline's own functions.
    pub fn is_test(&self) -> bool {
        is_test_path(&self.path)
    }
}

/// Extensionless files too common to be scripts.
const NOT_SCRIPTS: &[&str] = &[
    "license",
    "licence",
    "copying",
    "readme",
    "makefile",
    "dockerfile",
    "notice",
    "authors",
    "namespace",
    "description",
    "codeowners",
    "procfile",
    "justfile",
    "snakefile",
];

static SHEBANG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^#!\S*(?:/env\s+)?\S*?(python[0-9.]*|Rscript)\b").expect("valid regex")
});
static CHUNK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*```+\s*\{\s*(r|R|python|sql)\b").expect("valid regex"));
static NOTEBOOK_LANGUAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""language"\s*:\s*"([A-Za-z]+)""#).expect("valid regex"));

fn by_extension(name: &str) -> Option<(Language, Container)> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "py" | "pyw" => (Language::Python, Container::Script),
        "r" => (Language::R, Container::Script),
        "sql" => (Language::Sql, Container::Script),
        "sas" | "egp" => (Language::Sas, Container::Script),
        "sps" | "spj" => (Language::Spss, Container::Script),
        "do" | "ado" => (Language::Stata, Container::Script),
        "bas" | "vba" | "xlsm" | "xlam" => (Language::Vba, Container::Script),
        _ => return None,
    })
}

/// A macro-enabled workbook among tests or examples (`test/resources/sample.xlsm`) is what a
/// reader is tested on, not code that produces outputs; a Ruby library's fixture made its
/// RAP level "none" for Excel VBA.
fn is_fixture_workbook(path: &str) -> bool {
    super::project::is_workbook(path) && crate::checks::paths::is_test_or_example(path)
}

/// Hidden folders hold tooling, not the analysis: `.github/workflows/scripts/` (a CI helper
/// made a dbt project "Python"), `.devcontainer/`, `.ipynb_checkpoints/` (Jupyter's copies).
fn in_hidden_dir(path: &str) -> bool {
    path.rsplit_once('/')
        .is_some_and(|(dirs, _)| dirs.split('/').any(|dir| dir.starts_with('.')))
}

/// Classifies every file of the snapshot that holds analysis code.
pub fn profile(snapshot: &Snapshot) -> Profile {
    let mut files = Vec::new();
    for entry in snapshot.files() {
        let path = entry.path.as_str();
        if is_vendored(path) || in_hidden_dir(path) {
            continue;
        }
        let name = entry.name();
        let lower = name.to_ascii_lowercase();
        if let Some((language, container)) = by_extension(name) {
            if is_fixture_workbook(path) {
                continue;
            }
            files.push(CodeFile {
                path: path.to_string(),
                language,
                container,
            });
        } else if lower.ends_with(".ipynb") {
            let language = snapshot
                .text(path)
                .and_then(|text| notebook_language(&text))
                .unwrap_or(Language::Python);
            files.push(CodeFile {
                path: path.to_string(),
                language,
                container: Container::Notebook,
            });
        } else if lower.ends_with(".rmd") || lower.ends_with(".qmd") {
            let Some(text) = snapshot.text(path) else {
                continue;
            };
            for language in chunk_languages(&text) {
                files.push(CodeFile {
                    path: path.to_string(),
                    language,
                    container: Container::Document,
                });
            }
        } else if !lower.contains('.')
            && !NOT_SCRIPTS.contains(&lower.as_str())
            && entry.size < 1 << 20
            && let Some(language) = snapshot.text(path).and_then(|text| shebang_language(&text))
        {
            files.push(CodeFile {
                path: path.to_string(),
                language,
                container: Container::Script,
            });
        }
    }
    Profile { files }
}

fn notebook_language(text: &str) -> Option<Language> {
    // kernelspec and language_info both say "language"; the first one is enough.
    let found = NOTEBOOK_LANGUAGE.captures(text)?.get(1)?.as_str();
    match found.to_ascii_lowercase().as_str() {
        "python" => Some(Language::Python),
        "r" => Some(Language::R),
        "sql" => Some(Language::Sql),
        "sas" => Some(Language::Sas),
        "stata" => Some(Language::Stata),
        _ => None,
    }
}

fn chunk_languages(text: &str) -> Vec<Language> {
    let mut found: Vec<Language> = CHUNK
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| match m.as_str() {
            "python" => Language::Python,
            "sql" => Language::Sql,
            _ => Language::R,
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

fn shebang_language(text: &str) -> Option<Language> {
    let first = text.lines().next()?;
    let found = SHEBANG.captures(first)?.get(1)?.as_str();
    Some(if found == "Rscript" {
        Language::R
    } else {
        Language::Python
    })
}

impl Profile {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn counts(&self) -> Vec<LanguageCount> {
        let mut by: BTreeMap<Language, LanguageCount> = BTreeMap::new();
        for file in &self.files {
            let count = by.entry(file.language).or_insert(LanguageCount {
                language: file.language,
                files: 0,
                notebooks: 0,
                documents: 0,
                open: file.language.is_open(),
            });
            count.files += 1;
            match file.container {
                Container::Notebook => count.notebooks += 1,
                Container::Document => count.documents += 1,
                Container::Script => {}
            }
        }
        by.into_values().collect()
    }

    pub fn has(&self, language: Language) -> bool {
        self.files.iter().any(|f| f.language == language)
    }

    /// Python and R, each when it holds a real share of the pipeline (a fifth of the Python and R
    /// files, or all of them). Mixed repositories are judged per primary language; SQL is left
    /// out because it is usually driven from one of the two.
    /// SQL scripts are the pipeline: there are some outside tests, and no Python or R drives
    /// them.
    pub fn sql_pipeline(&self) -> bool {
        self.primary().is_empty()
            && self.files.iter().any(|f| {
                f.language == Language::Sql && f.container == Container::Script && !f.is_test()
            })
    }

    pub fn primary(&self) -> Vec<Language> {
        let count = |language| {
            self.files
                .iter()
                .filter(|f| f.language == language && !f.is_test())
                .count()
        };
        let (python, r) = (count(Language::Python), count(Language::R));
        let total = python + r;
        [(Language::Python, python), (Language::R, r)]
            .into_iter()
            .filter(|(_, n)| *n > 0 && *n * 5 >= total)
            .map(|(language, _)| language)
            .collect()
    }

    pub fn of(&self, language: Language) -> impl Iterator<Item = &CodeFile> {
        self.files.iter().filter(move |f| f.language == language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_content() {
        assert_eq!(by_extension("a.R"), Some((Language::R, Container::Script)));
        assert_eq!(by_extension("x.sas").map(|x| x.0), Some(Language::Sas));
        assert_eq!(by_extension("x.do").map(|x| x.0), Some(Language::Stata));
        assert_eq!(by_extension("x.sps").map(|x| x.0), Some(Language::Spss));
        assert_eq!(by_extension("book.xlsm").map(|x| x.0), Some(Language::Vba));
        assert_eq!(by_extension("data.csv"), None);
        assert_eq!(
            shebang_language("#!/usr/bin/env python3\nprint(1)"),
            Some(Language::Python)
        );
        assert_eq!(
            shebang_language("#!/usr/bin/env Rscript\n"),
            Some(Language::R)
        );
        assert_eq!(shebang_language("#!/bin/sh\n"), None);
        assert_eq!(
            chunk_languages("text\n```{r setup}\nx\n```\n```{python}\ny\n```"),
            vec![Language::Python, Language::R]
        );
        assert_eq!(
            notebook_language(r#"{"metadata": {"kernelspec": {"language": "R"}}}"#),
            Some(Language::R)
        );
    }

    #[test]
    fn test_paths_and_vendored() {
        assert!(is_test_path("tests/test_x.py"));
        assert!(is_test_path("tests/testthat/test-a.R"));
        assert!(is_test_path("pkg/test_io.py"));
        assert!(!is_test_path("src/pkg/testing_tools.py"));
    }

    #[test]
    fn tooling_in_hidden_folders_is_not_analysis_code() {
        assert!(in_hidden_dir(".github/workflows/scripts/run_job.py"));
        assert!(in_hidden_dir(
            "notebooks/.ipynb_checkpoints/a-checkpoint.ipynb"
        ));
        assert!(!in_hidden_dir("src/.hidden_name.py"));
        assert!(!in_hidden_dir("pipeline/run.py"));
        assert!(!in_hidden_dir("run.py"));
    }

    #[test]
    fn primary_languages_ignore_a_stray_file() {
        let file = |path: &str, language| CodeFile {
            path: path.to_string(),
            language,
            container: Container::Script,
        };
        let mut profile = Profile {
            files: (0..9)
                .map(|i| file(&format!("src/m{i}.py"), Language::Python))
                .collect(),
        };
        profile.files.push(file("tools/plot.R", Language::R));
        assert_eq!(profile.primary(), vec![Language::Python]);
        profile.files.push(file("R/a.R", Language::R));
        profile.files.push(file("R/b.R", Language::R));
        assert_eq!(profile.primary(), vec![Language::Python, Language::R]);
    }
}
