//! Dependency information per language and how much of it is pinned. A lock file (renv.lock,
//! poetry.lock, uv.lock, Pipfile.lock, conda-lock) pins everything; otherwise pins are counted
//! in requirements files, environment.yml, pyproject `[project] dependencies` and DESCRIPTION.

use crate::checks::paths::is_vendored;
use crate::model::facts::rap::Language;
use crate::model::facts::rap::Manifest;
use crate::snapshot::Snapshot;
use crate::source::file_name;

impl Manifest {
    pub fn summary(&self) -> String {
        if self.lock {
            format!("{} is a lock file (every version pinned)", self.path)
        } else {
            format!(
                "dependencies pinned: {}/{} in {}",
                self.pinned, self.total, self.path
            )
        }
    }
}

fn classify(path: &str) -> Option<(Language, bool)> {
    let name = file_name(path).to_ascii_lowercase();
    let top = !path.contains('/');
    let python = Language::Python;
    Some(match name.as_str() {
        "poetry.lock" | "uv.lock" | "pipfile.lock" | "pdm.lock" | "conda-lock.yml" if top => {
            (python, true)
        }
        "renv.lock" if top => (Language::R, true),
        "packrat.lock" if path == "packrat/packrat.lock" => (Language::R, true),
        "description" if top => (Language::R, false),
        "pyproject.toml" | "setup.py" | "setup.cfg" | "pipfile" if top => (python, false),
        "environment.yml" | "environment.yaml" => (python, false),
        n if n.starts_with("requirements") && n.ends_with(".txt") => (python, false),
        _ if path.starts_with("requirements/") && name.ends_with(".txt") => (python, false),
        _ => return None,
    })
}

pub fn analyze(snapshot: &Snapshot) -> Vec<Manifest> {
    let mut found = Vec::new();
    for entry in snapshot.files() {
        if is_vendored(&entry.path) {
            continue;
        }
        let Some((language, lock)) = classify(&entry.path) else {
            continue;
        };
        let text = snapshot.text(&entry.path).unwrap_or_default();
        let (total, pinned) = if lock {
            (0, 0)
        } else {
            count_pins(file_name(&entry.path), &text)
        };
        found.push(Manifest {
            path: entry.path.clone(),
            language,
            lock,
            total,
            pinned,
        });
    }
    found
}

fn count_pins(name: &str, text: &str) -> (usize, usize) {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("requirements") || lower.ends_with(".txt") {
        let requirements: Vec<&str> = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty() && !l.starts_with('-'))
            .collect();
        let pinned = requirements
            .iter()
            .filter(|l| l.contains("==") || l.contains(" @ "))
            .count();
        (requirements.len(), pinned)
    } else if lower.starts_with("environment") {
        environment_pins(text)
    } else if lower == "pyproject.toml" {
        pyproject_pins(text)
    } else if lower == "description" {
        description_pins(text)
    } else {
        (0, 0)
    }
}

fn environment_pins(text: &str) -> (usize, usize) {
    let mut in_dependencies = false;
    let (mut total, mut pinned) = (0, 0);
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') {
            in_dependencies = line.trim_start().starts_with("dependencies:");
            continue;
        }
        if let Some(item) = line.trim().strip_prefix("- ").filter(|_| in_dependencies) {
            if item.ends_with(':') {
                continue; // `- pip:` opens a nested list
            }
            total += 1;
            if item.contains('=') {
                pinned += 1;
            }
        }
    }
    (total, pinned)
}

fn pyproject_pins(text: &str) -> (usize, usize) {
    let Ok(document) = text.parse::<toml::Table>() else {
        return (0, 0);
    };
    let dependencies: Vec<String> = document
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let pinned = dependencies.iter().filter(|d| d.contains("==")).count();
    (dependencies.len(), pinned)
}

/// Imports and Depends of an R DESCRIPTION (R itself is not a package).
fn description_pins(text: &str) -> (usize, usize) {
    let mut field = String::new();
    let mut values = String::new();
    for line in text.lines() {
        if line.starts_with(char::is_whitespace) {
            if field == "Imports" || field == "Depends" {
                values.push_str(line);
            }
            continue;
        }
        if let Some((name, rest)) = line.split_once(':') {
            field = name.trim().to_string();
            if field == "Imports" || field == "Depends" {
                values.push(',');
                values.push_str(rest);
            }
        }
    }
    let packages: Vec<&str> = values
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("R ") && *p != "R" && !p.starts_with("R("))
        .collect();
    let pinned = packages.iter().filter(|p| p.contains("==")).count();
    (packages.len(), pinned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_pins() {
        let text =
            "# pinned\npandas==2.2.1\nnumpy>=1.0\n-r base.txt\n\nrequests @ https://x/y.whl\n";
        assert_eq!(count_pins("requirements.txt", text), (3, 2));
    }

    #[test]
    fn environment_and_pyproject_and_description() {
        let env =
            "name: x\ndependencies:\n  - python=3.11\n  - pandas\n  - pip:\n    - ruff==0.3\n";
        assert_eq!(count_pins("environment.yml", env), (3, 2));
        let py = "[project]\nname='x'\ndependencies = ['pandas==2.2', 'numpy>=1']\n";
        assert_eq!(count_pins("pyproject.toml", py), (2, 1));
        assert_eq!(count_pins("pyproject.toml", "not [ toml"), (0, 0));
        let desc = "Package: x\nDepends:\n    R (>= 4.1.0)\nImports:\n    dplyr (>= 1.1.0),\n    rlang\nSuggests: testthat\n";
        assert_eq!(count_pins("DESCRIPTION", desc), (2, 0));
    }

    #[test]
    fn manifests_by_name() {
        assert_eq!(classify("renv.lock"), Some((Language::R, true)));
        assert_eq!(
            classify("requirements-dev.txt"),
            Some((Language::Python, false))
        );
        assert_eq!(classify("docs/DESCRIPTION"), None);
        assert_eq!(classify("README.md"), None);
    }
}
