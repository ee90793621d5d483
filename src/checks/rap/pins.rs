//! How many of a manifest's requirements carry an exact version, in each format's own way of
//! writing one: `==` in requirements files, pyproject, setup.py and Pipfiles; a bare version in
//! package.json, Gemfiles and Poetry; `=` in conda environments; Maven and Gradle versions are
//! exact unless written as ranges; dbt's packages.yml pins by a bare version or a git
//! revision that is a tag or commit. A DESCRIPTION's `(>= 1.0)` is a floor, not a pin. Lock
//! files are not counted here: they pin everything.

use std::sync::LazyLock;

use regex::Regex;

static SETUP_PY_REQUIRES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)install_requires\s*=\s*\[(.*?)\]").expect("valid regex"));
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']([^"']+)["']"#).expect("valid regex"));
static GEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*gem\s+["'][^"']+["']((?:\s*,\s*["'][^"']*["'])*)"#).expect("valid regex")
});
static GRADLE_COORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["'][\w.\-]+:[\w.\-]+:([^"'@]+)(?:@\w+)?["']"#).expect("valid regex")
});
static POM_DEPENDENCY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<dependency>(.*?)</dependency>").expect("valid regex"));
static POM_VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<version>\s*([^<]*?)\s*</version>").expect("valid regex"));

/// (requirements, pinned) of a manifest by its file name.
pub fn count(name: &str, text: &str) -> (usize, usize) {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        n if n.starts_with("requirements") || n.ends_with(".txt") || n.ends_with(".in") => {
            requirements(text)
        }
        n if n.starts_with("environment") => environment(text),
        "meta.yaml" => recipe(text),
        "pyproject.toml" => pyproject(text),
        "setup.py" => setup_py(text),
        "setup.cfg" => setup_cfg(text),
        "pipfile" => pipfile(text),
        "description" => description(text),
        "package.json" => package_json(text),
        "gemfile" => gemfile(text),
        "pom.xml" => pom(text),
        "build.gradle" | "build.gradle.kts" => gradle(text),
        "packages.yml" | "dependencies.yml" => dbt_packages(text),
        _ => (0, 0),
    }
}

/// An exact PEP 508 requirement: `==`, `===` or a direct URL.
fn pep508_pinned(requirement: &str) -> bool {
    (requirement.contains("==") && !requirement.contains(".*")) || requirement.contains(" @ ")
}

fn tally<'a>(
    items: impl IntoIterator<Item = &'a str>,
    pinned: impl Fn(&str) -> bool,
) -> (usize, usize) {
    let (mut total, mut exact) = (0, 0);
    for item in items {
        total += 1;
        if pinned(item) {
            exact += 1;
        }
    }
    (total, exact)
}

fn requirements(text: &str) -> (usize, usize) {
    let lines = text
        .lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('-'));
    tally(lines, pep508_pinned)
}

/// Items under `dependencies:` (and its `pip:` list); `=` pins a conda package.
fn environment(text: &str) -> (usize, usize) {
    let mut in_dependencies = false;
    let mut items = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') {
            in_dependencies = line.trim_start().starts_with("dependencies:");
            continue;
        }
        if let Some(item) = line.trim().strip_prefix("- ").filter(|_| in_dependencies) {
            if item.ends_with(':') {
                continue; // `- pip:` opens a nested list
            }
            items.push(item);
        }
    }
    tally(items, |item| item.contains('='))
}

/// A conda recipe's `run:` requirements; `pkg 1.2.3` and `pkg ==1.2.3` are exact.
fn recipe(text: &str) -> (usize, usize) {
    let mut in_run = false;
    let mut items = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.ends_with(':') && !trimmed.starts_with('-') {
            in_run = trimmed == "run:";
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ").filter(|_| in_run) {
            items.push(item);
        }
    }
    tally(items, |item| {
        let version = item.split_whitespace().nth(1).unwrap_or("");
        version.starts_with("==")
            || (version.starts_with(|c: char| c.is_ascii_digit()) && !version.contains('*'))
    })
}

fn pyproject(text: &str) -> (usize, usize) {
    let Ok(document) = text.parse::<toml::Table>() else {
        return (0, 0);
    };
    let project: Vec<&str> = document
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
        .map(|items| items.iter().filter_map(|i| i.as_str()).collect())
        .unwrap_or_default();
    let (mut total, mut pinned) = tally(project, pep508_pinned);
    // Poetry writes `pandas = "2.2.1"` for an exact version and `^2.2` for a range.
    if let Some(poetry) = document
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table())
    {
        for spec in poetry
            .iter()
            .filter(|(name, _)| *name != "python")
            .map(|(_, spec)| spec)
        {
            let version = match spec {
                toml::Value::String(v) => v.as_str(),
                toml::Value::Table(t) => t.get("version").and_then(|v| v.as_str()).unwrap_or(""),
                _ => "",
            };
            total += 1;
            if exact_version(version.trim_start_matches("==")) {
                pinned += 1;
            }
        }
    }
    (total, pinned)
}

fn setup_py(text: &str) -> (usize, usize) {
    let Some(list) = SETUP_PY_REQUIRES.captures(text).and_then(|c| c.get(1)) else {
        return (0, 0);
    };
    let items = QUOTED
        .captures_iter(list.as_str())
        .filter_map(|c| c.get(1).map(|m| m.as_str()));
    tally(items, pep508_pinned)
}

/// `install_requires =` and its indented continuation lines, in `[options]`.
fn setup_cfg(text: &str) -> (usize, usize) {
    let mut items = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if inside && line.starts_with(char::is_whitespace) {
            let item = line.trim();
            if !item.is_empty() && !item.starts_with('#') {
                items.push(item);
            }
            continue;
        }
        inside = false;
        if let Some((key, value)) = line.split_once('=')
            && key.trim() == "install_requires"
        {
            inside = true;
            items.extend(value.split(';').map(str::trim).filter(|v| !v.is_empty()));
        }
    }
    tally(items, pep508_pinned)
}

/// `[packages]`: `"==1.2.3"` is exact, `"*"` is anything.
fn pipfile(text: &str) -> (usize, usize) {
    let Ok(document) = text.parse::<toml::Table>() else {
        return (0, 0);
    };
    let Some(packages) = document.get("packages").and_then(|p| p.as_table()) else {
        return (0, 0);
    };
    let versions = packages.values().map(|spec| match spec {
        toml::Value::String(v) => v.as_str(),
        toml::Value::Table(t) => t.get("version").and_then(|v| v.as_str()).unwrap_or("*"),
        _ => "*",
    });
    tally(versions, |v| v.starts_with("==") && !v.contains('*'))
}

/// Imports and Depends of an R DESCRIPTION (R itself is not a package).
fn description(text: &str) -> (usize, usize) {
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
    let packages = values
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("R ") && *p != "R" && !p.starts_with("R("));
    tally(packages, |p| p.contains("=="))
}

/// A version with no range operator: `1.2.3`, not `^1.2`, `~1.2`, `>=1`, `1.x` or `*`.
fn exact_version(version: &str) -> bool {
    let version = version
        .trim()
        .trim_start_matches('=')
        .trim_start_matches('v');
    version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        && !version
            .split(['.', '-'])
            .any(|part| part == "x" || part == "X")
}

/// `dependencies` of a package.json (devDependencies build and test, they do not run).
fn package_json(text: &str) -> (usize, usize) {
    let Ok(document) = serde_json::from_str::<serde_json::Value>(text) else {
        return (0, 0);
    };
    let Some(dependencies) = document.get("dependencies").and_then(|d| d.as_object()) else {
        return (0, 0);
    };
    tally(
        dependencies.values().map(|v| v.as_str().unwrap_or("")),
        exact_version,
    )
}

/// `gem "name", "1.2.3"` is exact; `"~> 1.2"` and a bare `gem "name"` are not.
fn gemfile(text: &str) -> (usize, usize) {
    let gems: Vec<bool> = text
        .lines()
        .filter_map(|line| GEM.captures(line))
        .map(|c| {
            let versions = c.get(1).map_or("", |m| m.as_str());
            QUOTED
                .captures_iter(versions)
                .filter_map(|v| v.get(1))
                .any(|v| exact_version(v.as_str().trim_start_matches("= ")))
        })
        .collect();
    (gems.len(), gems.iter().filter(|p| **p).count())
}

/// Maven versions are exact unless written as a range or LATEST/RELEASE; a dependency with no
/// version takes its exact version from the parent's dependency management.
fn pom(text: &str) -> (usize, usize) {
    let versions: Vec<String> = POM_DEPENDENCY
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|block| {
            POM_VERSION
                .captures(block.as_str())
                .and_then(|v| v.get(1))
                .map_or(String::new(), |v| v.as_str().to_string())
        })
        .collect();
    tally(versions.iter().map(String::as_str), |v| {
        !v.contains(['[', '(', ',']) && v != "LATEST" && v != "RELEASE"
    })
}

/// `group:name:version` coordinates; `+` and `latest.release` float.
fn gradle(text: &str) -> (usize, usize) {
    let versions = GRADLE_COORDINATE
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str()));
    tally(versions, |v| {
        !v.contains(['+', '[', '(']) && !v.starts_with("latest")
    })
}

/// dbt's `packages:` list. Hub packages pin with one bare `version: 1.1.1` (a list or `">=1"`
/// is a range); git packages with a `revision:` that is a tag or commit, not a branch; local
/// packages live in the repository and are not counted.
fn dbt_packages(text: &str) -> (usize, usize) {
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let (starts_entry, field) = match trimmed.strip_prefix("- ") {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        let Some((key, value)) = field.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).to_string();
        if starts_entry {
            entries.push((key.trim().to_string(), String::new()));
        }
        if let Some(entry) = entries.last_mut()
            && matches!(key.trim(), "version" | "revision")
        {
            entry.1 = value;
        }
    }
    let counted: Vec<bool> = entries
        .iter()
        .filter(|(kind, _)| kind != "local")
        .map(|(kind, version)| match kind.as_str() {
            "git" => git_revision_pinned(version),
            _ => exact_version(version),
        })
        .collect();
    (counted.len(), counted.iter().filter(|p| **p).count())
}

/// A tag that reads as a version (`0.9.2`, `v1.0`) or a commit hash; branch names float.
fn git_revision_pinned(revision: &str) -> bool {
    exact_version(revision)
        || (revision.len() >= 7 && revision.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_formats() {
        let text =
            "# pinned\npandas==2.2.1\nnumpy>=1.0\n-r base.txt\n\nrequests @ https://x/y.whl\n";
        assert_eq!(count("requirements.txt", text), (3, 2));
        let env =
            "name: x\ndependencies:\n  - python=3.11\n  - pandas\n  - pip:\n    - ruff==0.3\n";
        assert_eq!(count("environment.yml", env), (3, 2));
        let py = "[project]\nname='x'\ndependencies = ['pandas==2.2', 'numpy>=1']\n";
        assert_eq!(count("pyproject.toml", py), (2, 1));
        assert_eq!(count("pyproject.toml", "not [ toml"), (0, 0));
        let poetry = "[tool.poetry.dependencies]\npython = \"^3.11\"\npandas = \"2.2.1\"\nnumpy = \"^1.26\"\nrequests = { version = \"==2.31.0\" }\n";
        assert_eq!(count("pyproject.toml", poetry), (3, 2));
        let setup = "setup(\n    name='x',\n    install_requires=[\n        'pandas==2.2.1',\n        \"numpy>=1\",\n    ],\n)\n";
        assert_eq!(count("setup.py", setup), (2, 1));
        let cfg = "[options]\ninstall_requires =\n    pandas==2.2.1\n    numpy\npython_requires = >=3.10\n";
        assert_eq!(count("setup.cfg", cfg), (2, 1));
        let pipfile = "[packages]\npandas = \"==2.2.1\"\nnumpy = \"*\"\nrequests = {version = \"==2.31.0\"}\n[dev-packages]\npytest = \"*\"\n";
        assert_eq!(count("Pipfile", pipfile), (3, 2));
        let recipe = "package:\n  name: x\nrequirements:\n  host:\n    - pip\n  run:\n    - python >=3.10\n    - pandas 2.2.1\n    - numpy ==1.26.4\n";
        assert_eq!(count("meta.yaml", recipe), (3, 2));
    }

    #[test]
    fn a_description_with_versions_is_not_pinned() {
        let desc = "Package: x\nDepends:\n    R (>= 4.1.0)\nImports:\n    dplyr (>= 1.1.0),\n    rlang\nSuggests: testthat\n";
        assert_eq!(count("DESCRIPTION", desc), (2, 0));
    }

    #[test]
    fn other_ecosystems() {
        let package = r#"{"dependencies": {"pg": "8.11.3", "knex": "^3.1.0", "csv": "1.x", "dotenv": "~16.4.0"}, "devDependencies": {"jest": "29.7.0"}}"#;
        assert_eq!(count("package.json", package), (4, 1));
        assert_eq!(count("package.json", "{not json"), (0, 0));
        let gemfile = "source 'https://rubygems.org'\ngem 'rake', '13.1.0'\ngem \"pg\", \"~> 1.5\"\ngem 'csv'\n";
        assert_eq!(count("Gemfile", gemfile), (3, 1));
        let pom = "<dependencies><dependency><artifactId>a</artifactId><version>1.2.3</version></dependency><dependency><artifactId>b</artifactId><version>[1.0,2.0)</version></dependency><dependency><artifactId>c</artifactId></dependency></dependencies>";
        assert_eq!(count("pom.xml", pom), (3, 2));
        let gradle = "dependencies {\n    implementation 'org.postgresql:postgresql:42.7.1'\n    implementation \"com.google.guava:guava:33.+\"\n}\n";
        assert_eq!(count("build.gradle", gradle), (2, 1));
        let dbt = "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n  - package: calogica/dbt_expectations\n    version: [\">=0.10.0\", \"<0.11.0\"]\n  - git: \"https://github.com/dbt-labs/dbt-audit-helper.git\"\n    revision: 0.9.0\n  - git: \"https://github.com/org/macros.git\"\n    revision: main\n  - local: shared_macros\n";
        assert_eq!(count("packages.yml", dbt), (4, 2));
    }
}
