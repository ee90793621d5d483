//! How the repository is organised around its code: directory layout, linter and formatter
//! configuration, config files, entry points, packaging and changelogs. These are facts about
//! file names and manifests, read once per repository.

use crate::checks::paths::is_test_code as is_test_path;
use crate::checks::paths::is_vendored;
use crate::model::facts::rap::ProjectFacts;
use crate::model::facts::rap::{Language, Profile};
use crate::snapshot::Snapshot;
use crate::source::file_name;

const DATA_DIRS: &[&str] = &[
    "data",
    "outputs",
    "output",
    "results",
    "raw",
    "processed",
    "inputs",
    "input",
];

/// Where SQL pipelines keep their queries (dbt keeps models and macros).
const SQL_DIRS: &[&str] = &["sql", "queries", "models", "macros"];

const ENTRY_NAMES: &[&str] = &[
    "__main__.py",
    "main.py",
    "run.py",
    "run_pipeline.py",
    "pipeline.py",
    "create_publication.py",
    "main.r",
    "run.r",
    "run_pipeline.r",
    "pipeline.r",
    "_targets.r",
    "makefile",
    "justfile",
    "snakefile",
    "dvc.yaml",
    // `dbt build` runs every model of the project in dependency order.
    "dbt_project.yml",
];

const CONFIG_EXTENSIONS: &[&str] = &[
    "toml", "yaml", "yml", "json", "ini", "cfg", "r", "py", "sql",
];
const NOT_CONFIG: &[&str] = &[
    "setup.cfg",
    "pyproject.toml",
    "mkdocs.yml",
    "_config.yml",
    "tox.ini",
    "codecov.yml",
];

pub fn analyze(snapshot: &Snapshot, profile: &Profile) -> ProjectFacts {
    let mut facts = ProjectFacts::default();
    let project_dir = python_project_dir(snapshot);
    let in_project = |name: &str| format!("{project_dir}{name}");
    let pyproject = snapshot
        .text(&in_project("pyproject.toml"))
        .and_then(|t| t.parse::<toml::Table>().ok());
    let setup_cfg = snapshot.text(&in_project("setup.cfg")).unwrap_or_default();
    let tox = snapshot.text(&in_project("tox.ini")).unwrap_or_default();

    // Layout. A SQL pipeline (no Python or R) keeps its queries in a folder of their own.
    let sql_pipeline = profile.primary().is_empty();
    let mut code_dirs = std::collections::BTreeSet::new();
    for file in profile.files.iter().filter(|f| !f.is_test()) {
        let path = file.path.as_str();
        let top = path.split_once('/').map(|(d, _)| d);
        match top {
            None => facts.loose_code.push(path.to_string()),
            // Macro-enabled workbooks among data are templates and outputs, not scripts.
            Some(dir)
                if DATA_DIRS.contains(&dir.to_ascii_lowercase().as_str()) && !is_workbook(path) =>
            {
                facts.code_in_data.push(path.to_string());
            }
            Some("src") | Some("R") => {
                code_dirs.insert(format!("{}/", top.unwrap_or_default()));
            }
            Some(dir) if snapshot.is_file(&format!("{dir}/__init__.py")) => {
                code_dirs.insert(format!("{dir}/"));
            }
            // A Python project kept one folder down, with its own pyproject.toml.
            Some(dir) if project_dir.strip_suffix('/') == Some(dir) => {
                code_dirs.insert(format!("{dir}/"));
            }
            Some(dir)
                if sql_pipeline
                    && file.language == Language::Sql
                    && SQL_DIRS.contains(&dir.to_ascii_lowercase().as_str()) =>
            {
                code_dirs.insert(format!("{dir}/"));
            }
            _ => {}
        }
    }
    facts.code_dirs = code_dirs.into_iter().collect();
    let mut data_dirs = std::collections::BTreeSet::new();
    for entry in snapshot.files() {
        if let Some((dir, _)) = entry.path.split_once('/')
            && DATA_DIRS.contains(&dir.to_ascii_lowercase().as_str())
        {
            data_dirs.insert(format!("{dir}/"));
        }
    }
    facts.data_dirs = data_dirs.into_iter().collect();

    // Coding standards.
    for entry in snapshot.files() {
        let path = entry.path.as_str();
        let name = entry.name().to_ascii_lowercase();
        let python_tool = match name.as_str() {
            "ruff.toml" | ".ruff.toml" => Some("ruff"),
            ".flake8" => Some("flake8"),
            ".pylintrc" | "pylintrc" => Some("pylint"),
            ".pre-commit-config.yaml" => Some("pre-commit"),
            ".isort.cfg" => Some("isort"),
            _ => None,
        };
        if let Some(tool) = python_tool.filter(|_| !path.contains('/')) {
            facts.python_standards.push(format!("{path} ({tool})"));
        }
        let r_tool = match name.as_str() {
            ".lintr" => Some("lintr"),
            "_styler.r" | ".styler.r" => Some("styler"),
            _ => None,
        };
        if let Some(tool) = r_tool {
            facts.r_standards.push(format!("{path} ({tool})"));
        }
    }
    if let Some(tools) = pyproject
        .as_ref()
        .and_then(|p| p.get("tool"))
        .and_then(|t| t.as_table())
    {
        for tool in ["ruff", "black", "pylint", "flake8", "isort", "mypy"] {
            if tools.contains_key(tool) {
                facts
                    .python_standards
                    .push(format!("{project_dir}pyproject.toml [tool.{tool}]"));
            }
        }
    }
    for (file, text) in [("setup.cfg", &setup_cfg), ("tox.ini", &tox)] {
        if text.contains("[flake8]") {
            facts
                .python_standards
                .push(format!("{project_dir}{file} [flake8]"));
        }
    }
    let description = snapshot.text("DESCRIPTION").unwrap_or_default();
    if facts.r_standards.is_empty()
        && (description.contains("styler") || description.contains("lintr"))
    {
        facts
            .r_standards
            .push("DESCRIPTION (lintr/styler)".to_string());
    }

    // Config files and entry points.
    for entry in snapshot.files() {
        let path = entry.path.as_str();
        // Editor and tool folders anywhere (`src/.vscode/settings.json`) hold no pipeline
        // settings.
        if is_test_path(path) || is_vendored(path) || path.split('/').any(|p| p.starts_with('.')) {
            continue;
        }
        let name = entry.name().to_ascii_lowercase();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        let config_like = ["config", "settings", "params", "parameters"]
            .iter()
            .any(|c| named_for(stem, c, !matches!(ext, "py" | "r" | "sql")));
        // Named for the job wherever it sits (`code/00_setup-environment.R`).
        let setup_script = matches!(ext, "py" | "r") && setup_environment(stem);
        // config/, conf/, configs/, params_json/, settings/: a top-level folder of settings.
        let in_config_dir = path.split_once('/').is_some_and(|(dir, _)| {
            let dir = dir.to_ascii_lowercase();
            dir == "conf"
                || ["config", "configs", "settings", "params", "parameters"]
                    .iter()
                    .any(|word| named_for(&dir, word, false))
        });
        // Config written as code (config.py, config.R, a SQL pipeline's params.sql) is a
        // config file only in the root or a config directory: inside a package it is a module
        // that reads one.
        let code_ext = matches!(ext, "py" | "r" | "sql");
        let placed = !path.contains('/') || in_config_dir;
        // dbt_project.yml holds a dbt pipeline's paths and `vars:`, the parameters its models
        // read.
        if ((config_like && CONFIG_EXTENSIONS.contains(&ext) && (!code_ext || placed))
            || setup_script
            || (in_config_dir && !matches!(ext, "py" | "r"))
            || name == "dbt_project.yml")
            && !NOT_CONFIG.contains(&name.as_str())
        {
            facts.config_files.push(path.to_string());
        }
        // A Sphinx or MkDocs Makefile builds the documentation, not the pipeline.
        let in_docs = path.split('/').rev().skip(1).any(|dir| {
            matches!(
                dir.to_ascii_lowercase().as_str(),
                "doc" | "docs" | "documentation" | "sphinx"
            )
        });
        if ENTRY_NAMES.contains(&name.as_str()) && !in_docs {
            facts.entry_points.push(path.to_string());
        }
    }
    if let Some(scripts) = pyproject
        .as_ref()
        .and_then(|p| p.get("project"))
        .and_then(|p| p.get("scripts"))
        .and_then(|s| s.as_table())
    {
        for name in scripts.keys() {
            facts.entry_points.push(format!(
                "{project_dir}pyproject.toml [project.scripts] {name}"
            ));
        }
    }

    // Packaging.
    let python_manifest = match &pyproject {
        Some(p) if p.contains_key("project") => Some("pyproject.toml [project]"),
        Some(p) if p.get("tool").and_then(|t| t.get("poetry")).is_some() => {
            Some("pyproject.toml [tool.poetry]")
        }
        _ if snapshot.is_file(&in_project("setup.py")) => Some("setup.py"),
        _ if setup_cfg.contains("[metadata]") => Some("setup.cfg [metadata]"),
        _ => None,
    };
    if let Some(manifest) = python_manifest {
        let package_dir = snapshot
            .files()
            .filter(|e| {
                e.name() == "__init__.py"
                    && e.path.starts_with(&project_dir)
                    && !is_test_path(&e.path)
            })
            .map(|e| e.path.trim_end_matches("__init__.py").to_string())
            .min_by_key(|d| d.matches('/').count());
        if let Some(dir) = package_dir {
            facts.python_package = Some(format!("{project_dir}{manifest} with package {dir}"));
        }
    }
    if description.lines().any(|l| l.starts_with("Package:"))
        && snapshot.is_file("NAMESPACE")
        && profile.of(Language::R).any(|f| f.path.starts_with("R/"))
    {
        facts.r_package = Some("DESCRIPTION, NAMESPACE and R/".to_string());
    }

    // Changes.
    facts.changelog = snapshot
        .files()
        .filter(|e| {
            let name = e.name().to_ascii_lowercase();
            let top = !e.path.contains('/') || e.path.starts_with("docs/");
            top && [
                "changelog",
                "changes",
                "history",
                "news",
                "release_notes",
                "releases",
            ]
            .iter()
            .any(|c| name == *c || name.starts_with(&format!("{c}.")))
        })
        .map(|e| e.path.clone())
        .next();
    facts.version = pyproject
        .as_ref()
        .and_then(|p| p.get("project"))
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(|v| format!("{v} ({project_dir}pyproject.toml)"))
        .or_else(|| {
            description
                .lines()
                .find_map(|l| l.strip_prefix("Version:"))
                .map(|v| format!("{} (DESCRIPTION)", v.trim()))
        });
    facts
}

/// Semantic-version-like tag names (v1.2.3, 1.2, release-1.0.0).
pub fn version_tags(tags: &[String]) -> Vec<String> {
    tags.iter()
        .filter(|t| {
            let digits = t.trim_start_matches(|c: char| !c.is_ascii_digit());
            // A pre-release or build suffix (`2024.1001-alpha`, `1.2-rc1`) is still a version.
            let release = digits.split(['-', '+']).next().unwrap_or_default();
            let parts: Vec<&str> = release.split('.').collect();
            parts.len() >= 2
                && parts[..2]
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
        .cloned()
        .collect()
}

/// A macro-enabled workbook or add-in: a template or a fixture wherever it is not code.
pub(super) fn is_workbook(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".xlsm") || lower.ends_with(".xlam")
}

pub fn is_notebook(path: &str) -> bool {
    file_name(path).to_ascii_lowercase().ends_with(".ipynb")
}

/// Whether a file stem names configuration: `config`, `config_prod`, `config.local`, and (for
/// data formats only) `report_config`, named for what it configures. Runs for every file, so it
/// compares slices instead of building strings.
/// Where the Python project's manifests are: the root (`""`) when it holds one, else the one
/// folder that does (`"tool/"`: a package kept beside its model scripts and docs, as
/// `tool/pyproject.toml` with `tool/tool/__init__.py`). Several such folders are several
/// projects, none of them the repository's, and the root is kept.
fn python_project_dir(snapshot: &Snapshot) -> String {
    const MANIFESTS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg"];
    if MANIFESTS.iter().any(|m| snapshot.is_file(m)) {
        return String::new();
    }
    let mut dirs = snapshot.files().filter_map(|e| {
        let (dir, name) = e.path.split_once('/')?;
        (MANIFESTS.contains(&name) && !is_vendored(&e.path) && !dir.starts_with('.')).then_some(dir)
    });
    match dirs.next() {
        Some(first) if dirs.all(|d| d == first) => format!("{first}/"),
        _ => String::new(),
    }
}

/// Public Health Scotland's RAP convention: `setup_environment.R` (or `00_setup_environment.R`)
/// sets the dates and paths of a run and is "the only file which should require updating every
/// time the RAP process is run".
fn setup_environment(stem: &str) -> bool {
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_' || c == '-');
    matches!(
        stem,
        "setup_environment" | "setup-environment" | "set_up_environment"
    )
}

fn named_for(stem: &str, word: &str, suffix_allowed: bool) -> bool {
    let separated = |rest: &str| rest.is_empty() || rest.starts_with(['_', '-', '.']);
    if let Some(rest) = stem.strip_prefix(word)
        && separated(rest)
    {
        return true;
    }
    suffix_allowed
        && stem
            .strip_suffix(word)
            .is_some_and(|head| head.ends_with(['_', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_tags_are_semver_like() {
        let tags = [
            "v1.2.3",
            "0.4",
            "release-2.0.0",
            "latest",
            "v1",
            "2024.1001-alpha",
            "v2-beta",
        ]
        .map(String::from);
        assert_eq!(
            version_tags(&tags),
            vec!["v1.2.3", "0.4", "release-2.0.0", "2024.1001-alpha"]
        );
    }
}
