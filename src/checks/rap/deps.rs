//! Dependency manifests in every common ecosystem, and how much of each is pinned. Python
//! (requirements files, pyproject, setup.py/cfg, Pipfile, conda environments and recipes),
//! R (DESCRIPTION, renv.lock), and the ecosystems pipelines are sometimes built on
//! (package.json, Gemfile, build.gradle, pom.xml, Cargo.toml, go.mod). A manifest counts at
//! the root or in a directory, one or two levels down, that holds code: a pipeline kept in
//! `pipeline/` declares its packages there. A lock file pins everything; otherwise pins are
//! counted the way each format writes an exact version (see [`super::pins`]).

use std::collections::BTreeSet;

use super::pins;
use crate::checks::paths::{is_test_code, is_vendored};
use crate::facts::{Fact, RepoContext};
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

/// The repository's dependency manifests, found once: `rap/dependencies-declared` reads only
/// these, and the full RAP evidence shares them.
#[derive(Debug, Clone, Default)]
pub struct Manifests(pub Vec<Manifest>);

impl Fact for Manifests {
    fn compute(context: &RepoContext) -> Self {
        Manifests(analyze(context.snapshot))
    }
}

/// How deep below the root a manifest may sit and still describe the pipeline.
const MAX_DEPTH: usize = 2;

/// Directories whose manifests build something else (documentation, CI tooling).
const NOT_PIPELINE_DIRS: &[&str] = &["docs", "doc", "documentation", "site", ".github"];

/// Directories that hold manifests on behalf of their parent.
const MANIFEST_DIRS: &[&str] = &[
    "requirements",
    "conda",
    "recipe",
    "conda.recipe",
    "conda-recipe",
    "packrat",
];

/// Extensions of the code a manifest may sit beside.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "r", "sql", "ipynb", "rmd", "qmd", "js", "mjs", "ts", "rb", "java", "kt", "scala", "rs",
    "go",
];

/// The ecosystem of a manifest and whether it is a lock file, by its name.
pub(super) fn classify(name: &str, in_recipe: bool) -> Option<(Language, bool)> {
    let name = name.to_ascii_lowercase();
    let python = Language::Python;
    Some(match name.as_str() {
        "poetry.lock" | "uv.lock" | "pipfile.lock" | "pdm.lock" | "pixi.lock"
        | "conda-lock.yml" | "conda-lock.yaml" => (python, true),
        n if n.ends_with(".conda-lock.yml")
            || (n.starts_with("conda-") && n.ends_with(".lock")) =>
        {
            (python, true)
        }
        "pyproject.toml" | "setup.py" | "setup.cfg" | "pipfile" => (python, false),
        "meta.yaml" if in_recipe => (python, false),
        n if n.starts_with("environment") && (n.ends_with(".yml") || n.ends_with(".yaml")) => {
            (python, false)
        }
        n if n.starts_with("requirements") && (n.ends_with(".txt") || n.ends_with(".in")) => {
            (python, false)
        }
        "renv.lock" | "packrat.lock" => (Language::R, true),
        "description" => (Language::R, false),
        "package-lock.json"
        | "npm-shrinkwrap.json"
        | "yarn.lock"
        | "pnpm-lock.yaml"
        | "bun.lockb" => (Language::Javascript, true),
        "package.json" => (Language::Javascript, false),
        "gemfile.lock" => (Language::Ruby, true),
        "gemfile" => (Language::Ruby, false),
        "gradle.lockfile" => (Language::Java, true),
        "build.gradle" | "build.gradle.kts" | "pom.xml" => (Language::Java, false),
        "cargo.lock" => (Language::Rust, true),
        "cargo.toml" => (Language::Rust, false),
        "go.sum" => (Language::Go, true),
        "go.mod" => (Language::Go, false),
        _ => return None,
    })
}

pub fn analyze(snapshot: &Snapshot) -> Vec<Manifest> {
    let code_dirs = code_dirs(snapshot);
    let mut found = Vec::new();
    for entry in snapshot.files() {
        let path = entry.path.as_str();
        let Some((place, parent)) = placement(path) else {
            continue;
        };
        let in_recipe = parent.is_some_and(|p| p != "requirements" && p != "packrat");
        let name = file_name(path);
        // Any `.txt` in a `requirements/` folder is a requirements file (base.txt, dev.txt).
        let requirements_folder = parent.is_some_and(|p| p.eq_ignore_ascii_case("requirements"))
            && (name.ends_with(".txt") || name.ends_with(".in"));
        let classified = if requirements_folder {
            Some((Language::Python, false))
        } else if let Some(lock) = dbt_manifest(snapshot, path) {
            Some((Language::Sql, lock))
        } else {
            classify(name, in_recipe)
        };
        let Some((language, lock)) = classified else {
            continue;
        };
        let beside_code = place.is_empty() || code_dirs.contains(place);
        // `packrat/packrat.lock` is the project's own lock, though packrat/ holds libraries.
        let vendored = match parent {
            Some(_) => is_vendored(&format!("{place}/{}", file_name(path))),
            None => is_vendored(path),
        };
        if !beside_code || vendored || is_test_code(path) {
            continue;
        }
        let (total, pinned) = if lock {
            (0, 0)
        } else {
            let text = manifest_text(snapshot, path).unwrap_or_default();
            let format = if requirements_folder {
                "requirements.txt"
            } else {
                name
            };
            pins::count(format, &text)
        };
        found.push(Manifest {
            path: path.to_string(),
            language,
            lock,
            total,
            pinned,
        });
    }
    found
}

/// dbt's package list (`packages.yml`, or `dependencies.yml` since dbt 1.6) and its lock
/// (`package-lock.yml`), beside the project's `dbt_project.yml`: `Some(is_lock)`. The names are
/// too common to count anywhere else.
fn dbt_manifest(snapshot: &Snapshot, path: &str) -> Option<bool> {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let lock = match name.to_ascii_lowercase().as_str() {
        "packages.yml" | "dependencies.yml" => false,
        "package-lock.yml" => true,
        _ => return None,
    };
    let project = if dir.is_empty() {
        "dbt_project.yml".to_string()
    } else {
        format!("{dir}/dbt_project.yml")
    };
    snapshot.is_file(&project).then_some(lock)
}

/// A manifest's text. `pip freeze > requirements.txt` in Windows PowerShell writes UTF-16,
/// which reads as binary; a byte-order mark says so and the text is decoded as such.
fn manifest_text(snapshot: &Snapshot, path: &str) -> Option<String> {
    if let Some(text) = snapshot.text(path) {
        return Some(text.to_string());
    }
    let limit = snapshot.limits().max_file_size;
    let bytes = snapshot.source().read(path, limit).ok()?;
    let little = match bytes.get(..2)? {
        [0xFF, 0xFE] => true,
        [0xFE, 0xFF] => false,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|pair| {
            if little {
                u16::from_le_bytes([pair[0], pair[1]])
            } else {
                u16::from_be_bytes([pair[0], pair[1]])
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// The directory a manifest describes (empty for the root) and, for manifests kept in a
/// folder of their own (`requirements/`, a conda recipe), that folder's name. `None` when the
/// manifest is too deep or in a directory that builds something else.
fn placement(path: &str) -> Option<(&str, Option<&str>)> {
    let (dir, _) = path.rsplit_once('/').unwrap_or(("", path));
    let (place, parent) = match dir
        .rsplit_once('/')
        .map_or(("", dir), |(up, last)| (up, last))
    {
        (up, last) if MANIFEST_DIRS.iter().any(|m| last.eq_ignore_ascii_case(m)) => {
            (up, Some(last))
        }
        _ => (dir, None),
    };
    let depth = if place.is_empty() {
        0
    } else {
        place.split('/').count()
    };
    let excluded = place.split('/').any(|part| {
        NOT_PIPELINE_DIRS
            .iter()
            .any(|d| part.eq_ignore_ascii_case(d))
    });
    (depth <= MAX_DEPTH && !excluded).then_some((place, parent))
}

/// Directories (up to `MAX_DEPTH` deep) with code at or below them, outside tests and
/// vendored copies.
fn code_dirs(snapshot: &Snapshot) -> BTreeSet<&str> {
    let mut dirs = BTreeSet::new();
    for entry in snapshot.files() {
        let path = entry.path.as_str();
        let is_code = path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
        if !is_code || is_vendored(path) || is_test_code(path) {
            continue;
        }
        for (index, _) in path.match_indices('/').take(MAX_DEPTH) {
            dirs.insert(&path[..index]);
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::ReadLimits;
    use crate::source::local::LocalSource;

    fn manifests(files: &[(&str, &str)]) -> Vec<(String, Language, bool, usize, usize)> {
        let dir = tempfile::tempdir().unwrap();
        for (path, content) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, content).unwrap();
        }
        let snapshot = Snapshot::new(
            Box::new(LocalSource::new(dir.path())),
            ReadLimits::default(),
        )
        .unwrap();
        analyze(&snapshot)
            .into_iter()
            .map(|m| (m.path, m.language, m.lock, m.total, m.pinned))
            .collect()
    }

    #[test]
    fn manifests_by_name() {
        assert_eq!(classify("renv.lock", false), Some((Language::R, true)));
        assert_eq!(
            classify("requirements-dev.txt", false),
            Some((Language::Python, false))
        );
        assert_eq!(
            classify("linux-64.conda-lock.yml", false),
            Some((Language::Python, true))
        );
        assert_eq!(
            classify("package-lock.json", false),
            Some((Language::Javascript, true))
        );
        assert_eq!(classify("Gemfile", false), Some((Language::Ruby, false)));
        assert_eq!(classify("pom.xml", false), Some((Language::Java, false)));
        assert_eq!(classify("meta.yaml", false), None);
        assert_eq!(classify("meta.yaml", true), Some((Language::Python, false)));
        assert_eq!(classify("README.md", false), None);
    }

    #[test]
    fn manifests_at_the_root_or_beside_the_code() {
        let found = manifests(&[
            ("pipeline/requirements.txt", "pandas==2.2.1\n"),
            ("pipeline/run.py", "x = 1\n"),
            ("analysis/r/renv.lock", "{}\n"),
            ("analysis/r/report.R", "x <- 1\n"),
            // Documentation builds, empty folders and deep copies are not the pipeline's.
            ("docs/requirements.txt", "mkdocs\n"),
            ("docs/conf.py", "x = 1\n"),
            ("tools/requirements.txt", "black\n"),
            ("a/b/c/requirements.txt", "numpy\n"),
            ("a/b/c/x.py", "x = 1\n"),
            ("node_modules/left-pad/package.json", "{}\n"),
            ("requirements/base.txt", "numpy==1.26.4\n"),
            ("conda/meta.yaml", "requirements:\n  run:\n    - python\n"),
        ]);
        assert_eq!(
            found,
            [
                ("analysis/r/renv.lock".to_string(), Language::R, true, 0, 0),
                ("conda/meta.yaml".to_string(), Language::Python, false, 1, 0),
                (
                    "pipeline/requirements.txt".to_string(),
                    Language::Python,
                    false,
                    1,
                    1
                ),
                (
                    "requirements/base.txt".to_string(),
                    Language::Python,
                    false,
                    1,
                    1
                ),
            ]
        );
    }

    #[test]
    fn packrat_keeps_its_lock_in_a_library_folder() {
        let found = manifests(&[
            ("packrat/packrat.lock", "PackratFormat: 1.4\n"),
            (
                "packrat/lib/x86_64/4.3/dplyr/DESCRIPTION",
                "Package: dplyr\n",
            ),
            ("analysis.R", "x <- 1\n"),
        ]);
        assert_eq!(
            found,
            [("packrat/packrat.lock".to_string(), Language::R, true, 0, 0)]
        );
    }

    #[test]
    fn a_utf16_requirements_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "pandas==2.2.1\r\nnumpy==1.26.4\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        std::fs::write(dir.path().join("requirements.txt"), bytes).unwrap();
        std::fs::write(dir.path().join("run.py"), "x = 1\n").unwrap();
        let snapshot = Snapshot::new(
            Box::new(LocalSource::new(dir.path())),
            ReadLimits::default(),
        )
        .unwrap();
        let found = analyze(&snapshot);
        assert_eq!((found[0].total, found[0].pinned), (2, 2));
    }

    #[test]
    fn other_ecosystems_and_their_locks() {
        let found = manifests(&[
            (
                "package.json",
                r#"{"dependencies": {"pg": "8.11.3", "knex": "^3.1.0"}}"#,
            ),
            ("package-lock.json", "{}"),
            ("queries/waits.sql", "select 1;\n"),
            ("Gemfile", "gem 'rake', '13.1.0'\ngem 'pg', '~> 1.5'\n"),
        ]);
        assert_eq!(
            found,
            [
                ("Gemfile".to_string(), Language::Ruby, false, 2, 1),
                (
                    "package-lock.json".to_string(),
                    Language::Javascript,
                    true,
                    0,
                    0
                ),
                (
                    "package.json".to_string(),
                    Language::Javascript,
                    false,
                    2,
                    1
                ),
            ]
        );
    }
}
