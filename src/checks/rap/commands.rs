//! What the README says to run. A pipeline's entry point is the command its README gives in
//! the getting-started, usage or install sections (`Rscript create_report.R`, `python -m
//! waits`, `make publication`, `targets::tar_make()`, `dbt build`, `psql -f run_all.sql`), whatever the script is called, so a
//! list of conventional names is only the second source. Commands are read from code blocks
//! (fenced or indented) and inline code, and each is resolved to the file in the repository
//! that defines what runs. Install, test and tooling commands are not pipeline runs.

use std::sync::LazyLock;

use regex::Regex;

use super::super::readme::Readme;
use crate::model::facts::rap::RunCommand;
use crate::snapshot::Snapshot;

/// Heading words that open a section on running the work.
const RUN_WORDS: &[&str] = &[
    "install",
    "installation",
    "installing",
    "usage",
    "use",
    "using",
    "run",
    "running",
    "runs",
    "start",
    "started",
    "quickstart",
    "reproduce",
    "reproducing",
    "reproduction",
    "reproducibility",
    "setup",
    "set",
    "instructions",
    "execute",
    "executing",
    "execution",
    "pipeline",
    "how",
];

/// Heading words that open a section about something else, even inside a run section.
const OTHER_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "contributing",
    "contribute",
    "contributors",
    "development",
    "developing",
    "developers",
    "lint",
    "linting",
    "formatting",
    "documentation",
    "docs",
    "licence",
    "license",
    "licensing",
    "deploy",
    "deployment",
];

/// Fence languages that hold commands (an empty info string counts too).
const SHELL_FENCES: &[&str] = &[
    "sh",
    "bash",
    "shell",
    "console",
    "zsh",
    "shell-session",
    "shellsession",
    "bash-session",
    "powershell",
    "ps",
    "ps1",
    "pwsh",
    "cmd",
    "bat",
    "batch",
    "text",
    "txt",
    "none",
    "r",
    "{r}",
];

/// `python -m` modules that install, test or lint rather than run the pipeline.
const TOOL_MODULES: &[&str] = &[
    "pip",
    "venv",
    "virtualenv",
    "ensurepip",
    "pytest",
    "unittest",
    "doctest",
    "coverage",
    "tox",
    "nox",
    "build",
    "twine",
    "black",
    "ruff",
    "flake8",
    "pylint",
    "mypy",
    "isort",
    "pre_commit",
    "ipykernel",
    "jupyter",
    "notebook",
    "http.server",
    "pipx",
    "conda",
    "sphinx",
    "mkdocs",
    "pydoc",
    "json.tool",
    "spacy",
    "nltk",
];

/// `make` targets that set up, check or clean rather than run the pipeline.
const TOOL_TARGETS: &[&str] = &[
    "test",
    "tests",
    "check",
    "lint",
    "format",
    "fmt",
    "style",
    "install",
    "clean",
    "docs",
    "doc",
    "requirements",
    "deps",
    "dependencies",
    "setup",
    "venv",
    "env",
    "environment",
    "help",
    "init",
    "dev",
    "coverage",
    "hooks",
    "environments",
    "requirement",
    "unittest",
    "unittests",
    "e2e",
];

/// Prefixes that run a command inside an environment; the command after them is what runs.
const RUNNERS: &[&[&str]] = &[
    &["uv", "run"],
    &["poetry", "run"],
    &["pipenv", "run"],
    &["pdm", "run"],
    &["hatch", "run"],
    &["rye", "run"],
    &["pixi", "run"],
    &["nohup"],
    &["time"],
];

static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\([\w.-]+\)\s*)?(?:\$|%|>|PS [^>]*>|PS>|[A-Za-z]:\\[^>]*>)\s+")
        .expect("valid regex")
});
static INLINE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`([^`]+)`").expect("valid regex"));
static R_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:source|sys\.source|rmarkdown::render|render|quarto::quarto_render)\(\s*(?:file\s*=\s*)?["']([^"']+)["']"#)
        .expect("valid regex")
});
static R_TARGETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:targets::)?tar_make(?:_future|_clustermq)?\(").expect("valid regex")
});
static ENV_ASSIGNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$").expect("valid regex"));

/// A line of README code and where it came from.
struct CodeLine<'a> {
    line: u64,
    text: &'a str,
    /// Fence language, lower case; empty for unlabelled fences, indented blocks and inline code.
    fence: String,
}

/// The run commands of the README, in order.
pub fn find(snapshot: &Snapshot, readme: &Readme) -> Vec<RunCommand> {
    let lines: Vec<&str> = readme.text.lines().collect();
    let sections = run_sections(readme, &lines);
    let code = code_lines(&lines);
    let in_run: Vec<CodeLine> = code
        .iter()
        .filter(|c| sections.get(c.line as usize - 1).copied() == Some(Section::Run))
        .map(|c| CodeLine {
            line: c.line,
            text: c.text,
            fence: c.fence.clone(),
        })
        .collect();
    let scripts = declared_scripts(snapshot);
    let found = commands(snapshot, &scripts, readme, &in_run);
    if found.iter().any(|c| c.runs.is_some()) {
        return found;
    }
    // READMEs without a recognisable run section often still show the command; anything
    // outside sections about testing, development or licences is read then.
    let elsewhere: Vec<CodeLine> = code
        .into_iter()
        .filter(|c| sections.get(c.line as usize - 1).copied() != Some(Section::Other))
        .collect();
    commands(snapshot, &scripts, readme, &elsewhere)
}

fn commands(
    snapshot: &Snapshot,
    scripts: &[String],
    readme: &Readme,
    code: &[CodeLine],
) -> Vec<RunCommand> {
    let mut found = Vec::new();
    let mut cd = String::new();
    let mut previous_line = 0;
    for item in code {
        // A `cd` holds for the rest of its block only.
        if item.line != previous_line + 1 {
            cd.clear();
        }
        previous_line = item.line;
        for command in split_commands(item.text) {
            if let Some(dir) = command.strip_prefix("cd ") {
                // `cd <repository>` right after cloning lands in the root.
                let target = join(&cd, dir.trim()).unwrap_or_default();
                let prefix = format!("{target}/");
                if target.is_empty() || snapshot.files().any(|e| e.path.starts_with(&prefix)) {
                    cd = target;
                }
                continue;
            }
            let r_code = matches!(item.fence.as_str(), "r" | "{r}");
            let Some((shown, runs)) = recognise(snapshot, scripts, &cd, command, r_code) else {
                continue;
            };
            if found
                .iter()
                .any(|c: &RunCommand| c.command == shown && c.runs == runs)
            {
                continue;
            }
            found.push(RunCommand {
                path: readme.path.clone(),
                line: item.line,
                command: shown.chars().take(120).collect(),
                runs,
            });
        }
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Run,
    Other,
    Neutral,
}

/// Which kind of section each line of the README sits in: the innermost heading that says
/// decides, so "Testing" under "Usage" is not a run section.
fn run_sections(readme: &Readme, lines: &[&str]) -> Vec<Section> {
    let mut kinds = vec![Section::Neutral; lines.len()];
    let mut stack: Vec<(usize, Section)> = Vec::new();
    let mut headings = readme.outline.headings.iter().peekable();
    for (index, kind) in kinds.iter_mut().enumerate() {
        let number = index + 1;
        while let Some(heading) = headings.next_if(|h| h.line <= number) {
            let level = heading_level(lines, heading.line);
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                stack.pop();
            }
            let words: Vec<&str> = heading.normalised.split_whitespace().collect();
            let says = if words.iter().any(|w| OTHER_WORDS.contains(w)) {
                Section::Other
            } else if words.iter().any(|w| RUN_WORDS.contains(w)) {
                Section::Run
            } else {
                Section::Neutral
            };
            stack.push((level, says));
        }
        *kind = stack
            .iter()
            .rev()
            .map(|(_, s)| *s)
            .find(|s| *s != Section::Neutral)
            .unwrap_or(Section::Neutral);
    }
    kinds
}

/// ATX headings by their hashes, setext by their underline; others (bold lines, labels) nest
/// under everything.
fn heading_level(lines: &[&str], line: usize) -> usize {
    let text = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
    let hashes = text.trim_start().chars().take_while(|c| *c == '#').count();
    if hashes > 0 {
        return hashes;
    }
    match lines.get(line).map(|l| l.trim_start()) {
        Some(next) if next.starts_with('=') => 1,
        Some(next) if next.starts_with('-') => 2,
        _ => 7,
    }
}

/// Lines of code: fenced blocks (with their language), indented blocks, and inline code spans.
fn code_lines<'a>(lines: &[&'a str]) -> Vec<CodeLine<'a>> {
    let mut out = Vec::new();
    let mut fence: Option<(&str, String)> = None;
    let mut previous_blank_or_code = true;
    for (index, line) in lines.iter().enumerate() {
        let number = index as u64 + 1;
        let trimmed = line.trim();
        if let Some((marker, language)) = &fence {
            if trimmed.starts_with(marker) {
                fence = None;
            } else if language.is_empty() || SHELL_FENCES.contains(&language.as_str()) {
                out.push(CodeLine {
                    line: number,
                    text: trimmed,
                    fence: language.clone(),
                });
            }
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            let info = trimmed.trim_start_matches(['`', '~']).trim();
            let language = info
                .split([' ', ','])
                .next()
                .unwrap_or("")
                .trim_start_matches('{')
                .trim_end_matches('}')
                .to_ascii_lowercase();
            fence = Some((marker, language));
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && previous_blank_or_code && !trimmed.is_empty() {
            out.push(CodeLine {
                line: number,
                text: trimmed,
                fence: String::new(),
            });
            continue;
        }
        previous_blank_or_code = trimmed.is_empty();
        for span in INLINE_CODE.captures_iter(line) {
            if let Some(code) = span.get(1) {
                out.push(CodeLine {
                    line: number,
                    text: code.as_str().trim(),
                    fence: String::new(),
                });
            }
        }
    }
    out
}

/// The commands on one line: prompts removed, split at `&&`, `;` and `||`.
fn split_commands(text: &str) -> Vec<&str> {
    let text = PROMPT.find(text).map_or(text, |m| &text[m.end()..]);
    let text = text.strip_prefix('!').unwrap_or(text);
    text.split("&&")
        .flat_map(|part| part.split("||"))
        .flat_map(|part| part.split(';'))
        .map(str::trim)
        .filter(|part| !part.is_empty() && !part.starts_with('#'))
        .collect()
}

/// What a command runs: the command as shown, and the file that defines the run when the
/// repository holds it. `None` when the command is not a pipeline run at all.
fn recognise(
    snapshot: &Snapshot,
    scripts: &[String],
    cd: &str,
    command: &str,
    r_code: bool,
) -> Option<(String, Option<String>)> {
    // R code runs the pipeline from an R block, inline code or `Rscript -e`/`R -e` alike.
    if r_code || command.contains('(') {
        let unprompted = command.strip_prefix("> ").unwrap_or(command);
        if let Some(runs) = r_expression(snapshot, cd, unprompted) {
            return Some((unprompted.to_string(), runs));
        }
    }
    let words = shell_words(command);
    let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
    // `VAR=value cmd` and runner prefixes (`uv run`, `poetry run`) wrap the real command.
    while words.first().is_some_and(|w| ENV_ASSIGNMENT.is_match(w)) {
        words.remove(0);
    }
    for runner in RUNNERS {
        if words.len() > runner.len() && words[..runner.len()] == **runner {
            words.drain(..runner.len());
            break;
        }
    }
    let program = words.first().copied()?;
    let args = &words[1..];
    let shown = words.join(" ");
    let runs = match program.rsplit(['/', '\\']).next().unwrap_or(program) {
        p if is_python(p) => python(snapshot, cd, args)?,
        "Rscript" | "Rscript.exe" => rscript(snapshot, cd, args)?,
        "R" | "R.exe" => r_command(snapshot, cd, args)?,
        "make" | "gmake" => {
            let target = args.iter().find(|a| !a.starts_with('-'));
            if target.is_some_and(|t| tooling_target(t) || t.contains('=')) {
                return None;
            }
            first_file(snapshot, cd, &["Makefile", "makefile", "GNUmakefile"])
        }
        "snakemake" => {
            let named = flag_value(args, &["-s", "--snakefile"]);
            match named {
                Some(file) => resolve(snapshot, cd, file),
                None => first_file(snapshot, cd, &["Snakefile", "workflow/Snakefile"]),
            }
        }
        "nextflow" if args.first() == Some(&"run") => {
            let target = args.get(1).copied().unwrap_or(".");
            if target == "." {
                first_file(snapshot, cd, &["main.nf"])
            } else {
                resolve(snapshot, cd, target)
            }
        }
        "dvc" if args.first() == Some(&"repro") => first_file(snapshot, cd, &["dvc.yaml"]),
        // `dbt build` and `dbt run` run every model in dependency order; `dbt deps`, `debug`
        // and `test` install, check and test.
        "dbt" => match args.first() {
            Some(&"build") | Some(&"run") => first_file(snapshot, cd, &["dbt_project.yml"]),
            _ => return None,
        },
        // A SQL pipeline run as one script: `psql -f run_all.sql`, `sqlcmd -i run_all.sql`.
        "psql" | "sqlcmd" | "sqlite3" | "duckdb" | "snowsql" | "mysql" => {
            let script = flag_value(args, &["-f", "--file", "-i"])
                .or_else(|| args.iter().find_map(|a| a.strip_prefix("--file=")))?;
            script
                .to_ascii_lowercase()
                .ends_with(".sql")
                .then(|| resolve(snapshot, cd, script))?
        }
        "quarto" if args.first() == Some(&"render") => match args.get(1) {
            Some(file) if !file.starts_with('-') => resolve(snapshot, cd, file),
            _ => first_file(snapshot, cd, &["_quarto.yml", "_quarto.yaml"]),
        },
        "npm" | "pnpm" | "yarn" => package_script(snapshot, cd, args)?,
        "node" => {
            let script = args.iter().find(|a| !a.starts_with('-'))?;
            let lower = script.to_ascii_lowercase();
            (lower.ends_with(".js") || lower.ends_with(".mjs") || lower.ends_with(".ts"))
                .then(|| resolve(snapshot, cd, script))?
        }
        "bash" | "sh" | "zsh" => {
            let script = args.iter().find(|a| !a.starts_with('-'))?;
            script
                .ends_with(".sh")
                .then(|| resolve(snapshot, cd, script))?
        }
        p if p.ends_with(".sh") && (program.starts_with("./") || program.starts_with(".\\")) => {
            resolve(snapshot, cd, program)
        }
        _ if program.contains(['/', '\\']) => return None,
        p if scripts.iter().any(|script| script == p) => {
            Some(format!("pyproject.toml [project.scripts] {p}"))
        }
        _ => return None,
    };
    Some((shown, runs))
}

/// A make target or package script that sets up, checks or cleans: any of its words
/// (`create-environment`, `pre-commits`, `test_unit`) is a tooling word.
fn tooling_target(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    lower.starts_with("pre-commit")
        || lower.starts_with("precommit")
        || lower.split(['-', '_', '.', ':']).any(|word| {
            TOOL_TARGETS.contains(&word) || word.starts_with("test") || word.starts_with("lint")
        })
}

/// setup.py, setup-hooks.py, install_deps.py: scripts that prepare, not run.
fn setup_script(name: &str) -> bool {
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_ascii_lowercase();
    stem.split(['-', '_'])
        .any(|word| ["setup", "install", "hooks", "bootstrap"].contains(&word))
}

fn is_python(program: &str) -> bool {
    let name = program.trim_end_matches(".exe");
    name == "py"
        || name
            .strip_prefix("python")
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python [options] script.py` or `python [options] -m module`; `None` for tooling.
fn python(snapshot: &Snapshot, cd: &str, args: &[&str]) -> Option<Option<String>> {
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "-m" => {
                let module = rest.next()?;
                let top = module.split('.').next().unwrap_or(module);
                if TOOL_MODULES.contains(module) || TOOL_MODULES.contains(&top) {
                    return None;
                }
                return Some(python_module(snapshot, cd, module));
            }
            "-c" => return None,
            "-W" | "-X" => {
                rest.next();
            }
            a if a.starts_with('-') => {}
            script => {
                let name = script.rsplit(['/', '\\']).next().unwrap_or(script);
                if !name.ends_with(".py") || setup_script(name) {
                    return None;
                }
                return Some(resolve(snapshot, cd, script));
            }
        }
    }
    None
}

/// A module's file: its `__main__.py` for a package, or the module file, in the root, the
/// `cd` directory or `src/`.
fn python_module(snapshot: &Snapshot, cd: &str, module: &str) -> Option<String> {
    let path = module.replace('.', "/");
    let mut candidates = Vec::new();
    for base in [cd, "src"] {
        for file in [format!("{path}/__main__.py"), format!("{path}.py")] {
            candidates.push(join(base, &file)?);
        }
    }
    candidates.into_iter().find(|c| snapshot.is_file(c))
}

/// `Rscript [options] script.R [args]` or `Rscript -e "expression"`.
fn rscript(snapshot: &Snapshot, cd: &str, args: &[&str]) -> Option<Option<String>> {
    if let Some(expression) = flag_value(args, &["-e"]) {
        return r_expression(snapshot, cd, expression);
    }
    let script = args.iter().find(|a| !a.starts_with('-'))?;
    let lower = script.to_ascii_lowercase();
    (lower.ends_with(".r") || lower.ends_with(".rmd") || lower.ends_with(".qmd"))
        .then(|| resolve(snapshot, cd, script))
}

/// `R -e "expression"` and `R CMD BATCH script.R`.
fn r_command(snapshot: &Snapshot, cd: &str, args: &[&str]) -> Option<Option<String>> {
    if let Some(expression) = flag_value(args, &["-e"]) {
        return r_expression(snapshot, cd, expression);
    }
    match args {
        ["CMD", "BATCH", rest @ ..] => {
            let script = rest.iter().find(|a| !a.starts_with('-'))?;
            Some(resolve(snapshot, cd, script))
        }
        _ => None,
    }
}

/// R code that runs the pipeline: `source("x.R")`, `rmarkdown::render("x.Rmd")`,
/// `targets::tar_make()`.
fn r_expression(snapshot: &Snapshot, cd: &str, expression: &str) -> Option<Option<String>> {
    if R_TARGETS.is_match(expression) {
        return Some(first_file(snapshot, cd, &["_targets.R"]));
    }
    let file = R_SOURCE.captures(expression)?.get(1)?.as_str();
    let lower = file.to_ascii_lowercase();
    // renv/activate.R and the like set the session up; they are not the pipeline.
    if lower.starts_with("renv/") || lower.ends_with(".rprofile") {
        return None;
    }
    Some(resolve(snapshot, cd, file))
}

/// `npm run <script>`, `npm start`, `yarn <script>`: a script package.json declares, unless
/// it installs, tests or lints.
fn package_script(snapshot: &Snapshot, cd: &str, args: &[&str]) -> Option<Option<String>> {
    let name = match args {
        ["run" | "run-script", name, ..] => *name,
        ["start", ..] => "start",
        [name, ..] if !["install", "ci", "add", "i", "exec", "init"].contains(name) => *name,
        _ => return None,
    };
    if tooling_target(name) {
        return None;
    }
    let manifest = join(cd, "package.json")?;
    let package: serde_json::Value = serde_json::from_str(&snapshot.text(&manifest)?).ok()?;
    package
        .get("scripts")
        .and_then(|s| s.get(name))
        .map(|_| Some(manifest))
}

/// The console scripts the project declares (`[project.scripts]`, `[tool.poetry.scripts]`),
/// read once per README: every unrecognised program name in its code blocks is looked up, and
/// parsing the manifest for each cost 70 M instructions on 26 real repositories.
fn declared_scripts(snapshot: &Snapshot) -> Vec<String> {
    let Some(pyproject) = snapshot
        .text("pyproject.toml")
        .and_then(|text| text.parse::<toml::Table>().ok())
    else {
        return Vec::new();
    };
    let declared = |table: Option<&toml::Value>| -> Vec<String> {
        table
            .and_then(|s| s.get("scripts"))
            .and_then(|s| s.as_table())
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut names = declared(pyproject.get("project"));
    names.extend(declared(
        pyproject.get("tool").and_then(|t| t.get("poetry")),
    ));
    names
}

fn flag_value<'a>(args: &[&'a str], flags: &[&str]) -> Option<&'a str> {
    let at = args.iter().position(|a| flags.contains(a))?;
    args.get(at + 1).copied()
}

fn first_file(snapshot: &Snapshot, cd: &str, names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|name| join(cd, name))
        .find(|path| snapshot.is_file(path))
}

/// The repository path a command names, if the file is there: `./`, backslashes and quotes
/// are a README's spelling, not part of the path; case is forgiven as Windows forgives it,
/// and so is `-` for `_`.
fn resolve(snapshot: &Snapshot, cd: &str, written: &str) -> Option<String> {
    let cleaned = written.trim_matches(['"', '\'']).replace('\\', "/");
    let path = join(cd, &cleaned)?;
    if snapshot.is_file(&path) {
        return Some(path);
    }
    // READMEs drift from the code: `create_report.R` for `create-report.r`. The file is still
    // the one meant; the evidence shows both spellings.
    // Compared byte by byte: this runs over every file for each unresolved command.
    let loose = |b: u8| {
        if b == b'-' {
            b'_'
        } else {
            b.to_ascii_lowercase()
        }
    };
    let same = |candidate: &str| {
        candidate.len() == path.len()
            && candidate
                .bytes()
                .zip(path.bytes())
                .all(|(a, b)| loose(a) == loose(b))
    };
    snapshot
        .files()
        .find(|e| same(&e.path))
        .map(|e| e.path.clone())
}

/// `base/relative`, normalised; `None` when it leaves the repository.
fn join(base: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let relative = relative.trim_matches(['"', '\'']);
    if relative.starts_with('/') || relative.starts_with('~') || relative.contains(':') {
        return None;
    }
    for part in base.split('/').chain(relative.split(['/', '\\'])) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Words of a shell command, honouring single and double quotes.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::readme::parse;
    use crate::snapshot::{ReadLimits, Snapshot};
    use crate::source::local::LocalSource;

    fn run(files: &[(&str, &str)], readme: &str) -> Vec<(u64, String, Option<String>)> {
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
        let readme = Readme {
            path: "README.md".to_string(),
            text: std::sync::Arc::new(readme.to_string()),
            outline: parse::outline(readme),
        };
        find(&snapshot, &readme)
            .into_iter()
            .map(|c| (c.line, c.command, c.runs))
            .collect()
    }

    fn runs(files: &[(&str, &str)], readme: &str) -> Vec<Option<String>> {
        run(files, readme).into_iter().map(|c| c.2).collect()
    }

    #[test]
    fn python_scripts_and_modules_in_a_usage_section() {
        let files = [
            ("create_publication.py", ""),
            ("src/waits/__main__.py", ""),
            ("src/waits/__init__.py", ""),
        ];
        let readme = "# Waits\n\n## Usage\n\n```bash\n$ python create_publication.py --year 2024\npython3 -m waits\n```\n";
        assert_eq!(
            run(&files, readme),
            [
                (
                    6,
                    "python create_publication.py --year 2024".to_string(),
                    Some("create_publication.py".to_string())
                ),
                (
                    7,
                    "python3 -m waits".to_string(),
                    Some("src/waits/__main__.py".to_string())
                ),
            ]
        );
    }

    #[test]
    fn install_test_and_tool_commands_are_not_runs() {
        let files = [("main.py", ""), ("Makefile", "all:\n"), ("setup.py", "")];
        let readme = "## Installation\n\n```sh\npip install -r requirements.txt\npython -m venv .venv\npython -m pip install -e .\npython setup.py install\npython .\\git-hooks\\setup-hooks.py\nmake install\nconda env create -f environment.yml\nRscript -e \"renv::restore()\"\npytest\npython -m pytest\n```\n";
        assert_eq!(run(&files, readme), []);
    }

    #[test]
    fn r_commands_targets_and_sourced_scripts() {
        let files = [
            ("create_report.R", ""),
            ("_targets.R", ""),
            ("R/run_all.R", ""),
            ("analysis/Report.Rmd", ""),
        ];
        let readme = "## Getting started\n\n```\nRscript create_report.R\nR -e 'targets::tar_make()'\nRscript -e \"source('R/run_all.R')\"\nRscript -e \"rmarkdown::render('analysis/Report.Rmd')\"\n```\n\n```r\nsource(\"renv/activate.R\")\ntargets::tar_make()\n```\n";
        assert_eq!(
            runs(&files, readme),
            [
                Some("create_report.R".to_string()),
                Some("_targets.R".to_string()),
                Some("R/run_all.R".to_string()),
                Some("analysis/Report.Rmd".to_string()),
                Some("_targets.R".to_string()),
            ]
        );
    }

    #[test]
    fn workflow_tools_resolve_to_their_definitions() {
        let files = [
            ("Makefile", "publication:\n"),
            ("workflow/Snakefile", ""),
            ("main.nf", ""),
            ("dvc.yaml", ""),
            ("_quarto.yml", ""),
            ("run_pipeline.sh", ""),
        ];
        let readme = "## How to run\n\n```console\nmake publication\nsnakemake --cores 4\nnextflow run .\ndvc repro\nquarto render\n./run_pipeline.sh\nmake test\n```\n";
        assert_eq!(
            runs(&files, readme),
            [
                Some("Makefile".to_string()),
                Some("workflow/Snakefile".to_string()),
                Some("main.nf".to_string()),
                Some("dvc.yaml".to_string()),
                Some("_quarto.yml".to_string()),
                Some("run_pipeline.sh".to_string()),
            ]
        );
        // Without a Makefile, `make` runs nothing this repository defines.
        assert_eq!(runs(&[], "## Usage\n\n    make all\n"), [None]);
    }

    #[test]
    fn sql_pipelines_run_by_dbt_or_one_script() {
        let files = [
            ("warehouse/dbt_project.yml", ""),
            ("sql/run_all.sql", ""),
            ("sql/setup.sql", ""),
        ];
        let readme = "## Usage\n\n```console\n$ cd warehouse\n$ dbt deps\n$ dbt build --target prod\n```\n\n```sh\npsql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f sql/run_all.sql\nsqlcmd -S server -d waits -i sql/run_all.sql\npsql --file=sql/setup.sql\ndbt test\ndbt debug\n```\n";
        assert_eq!(
            runs(&files, readme),
            [
                Some("warehouse/dbt_project.yml".to_string()),
                Some("sql/run_all.sql".to_string()),
                Some("sql/run_all.sql".to_string()),
                Some("sql/setup.sql".to_string()),
            ]
        );
    }

    #[test]
    fn paths_are_resolved_as_a_shell_would() {
        let files = [
            ("pipeline/Create_Tables.py", ""),
            ("code/run.R", ""),
            ("src/steps.py", ""),
        ];
        let readme = "## Usage\n\n```powershell\nPS C:\\work> python .\\pipeline\\create_tables.py\n```\n\n```bash\ncd code && Rscript ./run.R\n```\n\n```bash\ncd src\npython steps.py\n```\n";
        assert_eq!(
            runs(&files, readme),
            [
                Some("pipeline/Create_Tables.py".to_string()),
                Some("code/run.R".to_string()),
                Some("src/steps.py".to_string()),
            ]
        );
    }

    #[test]
    fn runners_env_vars_and_inline_code() {
        let files = [
            ("main.py", ""),
            (
                "pyproject.toml",
                "[project]\nname = \"waits\"\n[project.scripts]\nmake-waits = \"waits:main\"\n",
            ),
        ];
        let readme =
            "## Usage\n\nRun `uv run python main.py` or `YEAR=2024 poetry run make-waits`.\n";
        assert_eq!(
            run(&files, readme),
            [
                (3, "python main.py".to_string(), Some("main.py".to_string())),
                (
                    3,
                    "make-waits".to_string(),
                    Some("pyproject.toml [project.scripts] make-waits".to_string())
                ),
            ]
        );
    }

    #[test]
    fn sections_about_testing_or_development_are_skipped() {
        let files = [("main.py", ""), ("scripts/dev_data.py", "")];
        let readme = "# X\n\n## Usage\n\n    python main.py\n\n### Testing\n\n    python scripts/dev_data.py\n\n## Development\n\n```\npython scripts/dev_data.py\n```\n";
        assert_eq!(runs(&files, readme), [Some("main.py".to_string())]);
    }

    #[test]
    fn commands_outside_run_sections_count_when_there_are_none_inside() {
        let files = [("build.py", "")];
        let readme = "# Bed counts\n\nThe tables are made with:\n\n```\npython build.py\n```\n";
        assert_eq!(runs(&files, readme), [Some("build.py".to_string())]);
        // A script the repository does not hold is recorded, unresolved.
        assert_eq!(
            run(&[], "## Usage\n\n`python missing.py`\n"),
            [(3, "python missing.py".to_string(), None)]
        );
    }

    #[test]
    fn package_json_scripts_and_node() {
        let files = [
            (
                "package.json",
                r#"{"scripts": {"publish-tables": "node run.js", "test": "jest"}}"#,
            ),
            ("run.js", ""),
        ];
        let readme = "## Usage\n\n```\nnpm ci\nnpm test\nnpm run publish-tables\nnode run.js\nnpm run missing\n```\n";
        assert_eq!(
            runs(&files, readme),
            [Some("package.json".to_string()), Some("run.js".to_string())]
        );
    }

    #[test]
    fn readme_drift_clone_directories_and_setup_targets() {
        let files = [
            ("create-report.r", ""),
            ("Makefile", "x:\n"),
            ("pyproject.toml", "[project.scripts]\nwaits = \"w:main\"\n"),
        ];
        let readme = "## Getting started\n\n```\ngit clone https://example.org/waits.git\ncd waits\nRscript create_report.r\nmake create-environment\nmake pre-commits\nmake test_unit\nmake e2e\nmake docs-generate\n```\n\nThe code is in `src/waits`.\n";
        assert_eq!(
            run(&files, readme),
            [(
                6,
                "Rscript create_report.r".to_string(),
                Some("create-report.r".to_string())
            )]
        );
    }

    #[test]
    fn paths_never_leave_the_repository() {
        assert_eq!(join("", "../x.py"), None);
        assert_eq!(join("code", "../x.py").as_deref(), Some("x.py"));
        assert_eq!(join("", "/etc/passwd"), None);
        assert_eq!(join("", "C:\\x.py"), None);
        assert_eq!(
            shell_words("Rscript -e \"source('a b.R')\""),
            ["Rscript", "-e", "source('a b.R')"]
        );
    }
}
