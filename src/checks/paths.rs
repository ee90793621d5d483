//! What a path says about a file before anyone reads it, in one place so that every concern
//! classifies the same file the same way: code copied in from other projects, test code, test
//! or example material (where invented credentials are expected), and analysis code.

/// Directories that hold other projects' code or build output: installed environments,
/// vendored libraries, lock-step copies. Their files are neither the repository's own code
/// (RAP) nor its licence declarations (licence headers name other projects' licences).
const VENDORED_DIRS: &[&str] = &[
    "node_modules",
    "vendor",
    "third_party",
    "third-party",
    "external",
    "venv",
    ".venv",
    "site-packages",
    "renv",
    "packrat",
    "dist",
    "build",
    ".tox",
    ".nox",
    "__pypackages__",
    // dbt installs the packages a project depends on here.
    "dbt_packages",
];

/// Analysis code by its extension: Python, R and SQL scripts, notebooks, R Markdown and Quarto.
/// RAP evidence reads these whole (up to a sample per language), so the data scan and the
/// licence-header scan read them through the snapshot's cache and the three share one read;
/// other files are not kept in memory for them.
pub fn is_analysis_code(path: &str) -> bool {
    const EXTENSIONS: &[&str] = &["py", "pyw", "r", "sql", "ipynb", "rmd", "qmd"];
    crate::source::file_name(path)
        .rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// Whether the file sits in a vendored or generated directory (any directory of its path,
/// matched whole and case-insensitively; `env/lib` is a virtual environment too).
pub fn is_vendored(path: &str) -> bool {
    let mut dirs = path.split('/').rev().skip(1).peekable();
    let mut child: Option<&str> = None;
    while let Some(dir) = dirs.next() {
        if VENDORED_DIRS.iter().any(|v| dir.eq_ignore_ascii_case(v)) {
            return true;
        }
        if dir.eq_ignore_ascii_case("env") && child.is_some_and(|c| c.eq_ignore_ascii_case("lib")) {
            return true;
        }
        child = Some(dir);
        let _ = dirs.peek();
    }
    false
}

/// Whether the file is test code: under a `tests/`, `test/` or `testthat/` directory, or named
/// like a test (`test_*`, `test-*`, `*_test.py`, `conftest.py`).
pub fn is_test_code(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    lower.starts_with("tests/")
        || lower.starts_with("test/")
        || lower.contains("/tests/")
        || lower.contains("/test/")
        || lower.contains("/testthat/")
        || name.starts_with("test_")
        || name.starts_with("test-")
        || name.ends_with("_test.py")
        || name == "conftest.py"
}

/// Whether the file is test code or test and example material (fixtures, samples, mocks,
/// examples), where invented credentials and data are expected. Wider than [`is_test_code`]:
/// a secret in `examples/` is not an alarm, but `examples/` is not where RAP looks for tests.
pub fn is_test_or_example(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split(['/', '\\']).peekable();
    while let Some(part) = parts.next() {
        let is_file = parts.peek().is_none();
        if !is_file
            && matches!(
                part,
                "test"
                    | "tests"
                    | "testing"
                    | "testdata"
                    | "test_data"
                    | "fixtures"
                    | "fixture"
                    | "__tests__"
                    | "spec"
                    | "specs"
                    | "mocks"
                    | "__mocks__"
                    | "examples"
                    | "example"
                    | "samples"
                    | "sample"
            )
        {
            return true;
        }
        if is_file {
            let stem = part.split('.').next().unwrap_or(part);
            // `mockExceptions.json`, `fake_users.json`, `dummy-patients.csv`: named for what
            // they are, as a `mocks/` directory is; `docker-compose.env.example` and
            // `settings.py.template` are templates, as `.env.example` is.
            let template = part.rsplit_once('.').is_some_and(|(_, ext)| {
                matches!(ext, "example" | "sample" | "template" | "tpl" | "dist")
            });
            return template
                || ["mock", "fake", "dummy"]
                    .iter()
                    .any(|w| stem.starts_with(w))
                || stem.starts_with("test_")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || stem.ends_with("_spec")
                || part.contains(".test.")
                || part.contains(".spec.");
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_directories_are_matched_whole_at_any_depth() {
        assert!(is_vendored("node_modules/x/index.js"));
        assert!(is_vendored("app/vendor/lib.go"));
        assert!(is_vendored("renv/library/R-4.3/x.R"));
        assert!(is_vendored("app/.venv/lib/a.py"));
        assert!(is_vendored("env/lib/python3.11/a.py"));
        assert!(is_vendored("Build/out.js"));
        assert!(!is_vendored("src/vendor.py"));
        assert!(!is_vendored("src/env.py"));
        assert!(!is_vendored("env/settings.py"));
        assert!(!is_vendored("building/a.py"));
    }

    #[test]
    fn test_and_example_material_by_directory_or_name() {
        for yes in [
            "tests/fixtures/people.csv",
            "src/__mocks__/api.json",
            "examples/cohort.csv",
            "src/test_data.py",
            "application/Web/app/data/mockExceptions.json",
            "data/fake_users.json",
            "data/dummy-patients.csv",
            "docker-compose.env.example",
            "config/settings.py.template",
        ] {
            assert!(is_test_or_example(yes), "{yes}");
        }
        for no in [
            "data/patients.csv",
            "data/extract_mock.csv",
            "src/latest.py",
            "reports/contest.csv",
            "docs/example.md",
            "data/sample_size.csv",
        ] {
            assert!(!is_test_or_example(no), "{no}");
        }
    }

    #[test]
    fn test_code_by_directory_or_name() {
        assert!(is_test_code("tests/test_a.py"));
        assert!(is_test_code("pkg/tests/helpers.py"));
        assert!(is_test_code("tests/testthat/test-a.R"));
        assert!(is_test_code("src/conftest.py"));
        assert!(is_test_code("src/model_test.py"));
        assert!(!is_test_code("src/contest.py"));
        assert!(!is_test_code("src/latest.py"));
    }
}
