//! RAP evidence as reported: languages, code, tests, dependencies, CI, layout and claimed
//! levels. The analysis that fills these lives in `checks::rap`; the types are here so that
//! reports and emitters can read them without knowing the checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::rap::RapLevel;

/// Everything the RAP criteria are judged from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RapEvidence {
    pub languages: Vec<LanguageCount>,
    /// Python and R when each holds a real share of the code; mixed repositories are judged
    /// per primary language.
    pub primary: Vec<Language>,
    pub code: CodeByLanguage,
    /// SQL scripts, read when SQL is the pipeline's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<SqlFacts>,
    pub notebooks: Vec<NotebookFact>,
    pub tests: TestFacts,
    pub dependencies: Vec<Manifest>,
    pub ci: CiFacts,
    /// Job definitions an orchestrator runs (Databricks, Airflow, Prefect, Dagster, Kubernetes,
    /// Azure Data Factory, cron), with their schedules and triggers.
    #[serde(default, skip_serializing_if = "OrchestrationFacts::is_empty")]
    pub orchestration: OrchestrationFacts,
    pub project: ProjectFacts,
    /// Where the README says how to reproduce the outputs.
    pub readme_steps: Option<Located>,
    /// Commands the README's run sections give for running the pipeline, with the file each
    /// runs when it is in the repository: the entry point is what the README says to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readme_commands: Vec<RunCommand>,
    /// Links from the README to a publication.
    pub publication_links: Vec<String>,
    /// Levels the repository claims, one per place it claims one.
    pub declared: Vec<Claim>,
    #[serde(skip)]
    pub profile: Profile,
}

impl RapEvidence {
    /// Whether there is analysis code at all; documentation-only repositories are not pipelines.
    pub fn has_code(&self) -> bool {
        !self.profile.files.is_empty()
    }

    /// The highest claimed level.
    pub fn declared_level(&self) -> Option<RapLevel> {
        self.declared.iter().map(|c| c.level).max()
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    Python,
    R,
    Sql,
    Sas,
    Spss,
    Stata,
    Vba,
    /// Ecosystems that only ever appear as dependency manifests (package.json, Gemfile,
    /// build.gradle, Cargo.toml, go.mod): the code profile never classifies code as these.
    Javascript,
    Ruby,
    Java,
    Rust,
    Go,
}

/// How the code is held: the heuristics read each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Container {
    Script,
    Notebook,
    /// Quarto or R Markdown: prose with code chunks.
    Document,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFile {
    pub path: String,
    pub language: Language,
    pub container: Container,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LanguageCount {
    pub language: Language,
    /// Files holding code in this language (a notebook or document counts once per language).
    pub files: usize,
    pub notebooks: usize,
    pub documents: usize,
    pub open: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub files: Vec<CodeFile>,
}

/// A line of code that proves something, for evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Located {
    pub path: String,
    /// Absent for notebooks, whose cells have no stable line numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CodeFacts {
    /// Functions defined outside tests.
    pub functions: usize,
    /// Of those, how many have a docstring or roxygen block.
    pub documented: usize,
    pub classes: usize,
    /// Files (outside tests) that define at least one function or class.
    pub files_with_functions: Vec<String>,
    pub logging: Option<Located>,
    /// Files that guard a script entry (`if __name__ == "__main__":`).
    pub main_guards: Vec<String>,
    /// Where outputs are written (to_csv, write_csv, …), for the tidy-data reviewer.
    pub outputs: Vec<Located>,
    /// Code files read for this evidence, and how many there are: large repositories are
    /// judged on an evenly spread sample so an audit's cost stays bounded.
    pub files_read: usize,
    pub files_total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotebookFact {
    pub path: String,
    /// Code cells that still carry outputs.
    pub cells_with_outputs: usize,
}

/// What SQL scripts show: header comments, reusable definitions, linter configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SqlFacts {
    /// SQL scripts outside tests, and how many of them were read.
    pub files: usize,
    pub files_read: usize,
    /// Of those read, how many open with a comment saying what they do.
    pub commented: usize,
    /// Views, functions, procedures, macros and dbt models (`ref`/`source`) defined.
    pub definitions: usize,
    pub files_with_definitions: Vec<String>,
    /// sqlfluff configuration, as "path (sqlfluff)".
    pub standards: Vec<String>,
    /// The first sign that the pipeline keeps a record of what it did: `RAISE LOG`, `WITH
    /// LOG`, dbt's `log()` or an insert into a log table in the SQL, a runner script writing a
    /// log file, or a dbt project (dbt logs every model it runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging: Option<Located>,
    /// The dbt project file, when dbt builds the pipeline: a dbt project is SQL's package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dbt_project: Option<String>,
}

/// Per language, so a mixed repository can be judged for each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CodeByLanguage {
    pub python: CodeFacts,
    pub r: CodeFacts,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TestFacts {
    /// Every file under a test location, sorted; the report shows the count only.
    #[serde(skip)]
    pub files: Vec<String>,
    pub count: usize,
    /// Test code files per language.
    pub python_files: usize,
    pub r_files: usize,
    /// Frameworks in use, by name.
    pub frameworks: Vec<String>,
    /// The directory most tests are in (`tests/`, `tests/testthat/`).
    pub dir: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Manifest {
    pub path: String,
    /// The ecosystem: Python or R for analysis code (conda environments serve both; they are
    /// listed under Python), or another ecosystem for projects built around one.
    pub language: Language,
    pub lock: bool,
    /// Declared requirements and how many of them carry an exact version.
    pub total: usize,
    pub pinned: usize,
}

/// A command from the README that runs the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RunCommand {
    /// The README it was read from.
    pub path: String,
    pub line: u64,
    /// The command as written (prompt and runner prefixes removed).
    pub command: String,
    /// The file that defines what runs (a script, a package's `__main__.py`, a Makefile,
    /// `_targets.R`), when the repository holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CiFacts {
    pub files: Vec<String>,
    pub test_steps: Vec<Located>,
    pub schedules: Vec<Located>,
    pub events: Vec<Located>,
    /// Jobs that call a workflow kept in another repository (`uses: org/actions/.github/
    /// workflows/checks.yaml@v2`), whose steps these files cannot show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reusable: Vec<Located>,
    /// Schedules of workflows that look after the repository (clean-ups, security scans,
    /// template syncs), which say nothing of when the pipeline runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub housekeeping: Vec<Located>,
}

/// A pipeline run by an orchestrator rather than from a script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OrchestrationFacts {
    /// Job definitions: a Databricks job, an Airflow DAG, a Prefect deployment or flow, a
    /// Dagster job, a Kubernetes CronJob.
    pub jobs: Vec<Located>,
    /// Schedules: a cron or quartz expression, an interval, a schedule trigger.
    pub schedules: Vec<Located>,
    /// Triggers on new data: file arrival, table updates, datasets, sensors, storage events.
    pub events: Vec<Located>,
}

impl OrchestrationFacts {
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty() && self.schedules.is_empty() && self.events.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectFacts {
    /// Directories that hold the pipeline's code (`src/`, `R/`, a package directory).
    pub code_dirs: Vec<String>,
    /// Code files (outside tests) that sit in the root or in a data or output directory.
    pub loose_code: Vec<String>,
    /// Data and output directories, which should hold no code.
    pub data_dirs: Vec<String>,
    /// Code files inside data or output directories.
    pub code_in_data: Vec<String>,
    /// Linter and formatter configuration, as "path (tool)".
    pub python_standards: Vec<String>,
    pub r_standards: Vec<String>,
    pub config_files: Vec<String>,
    pub entry_points: Vec<String>,
    pub python_package: Option<String>,
    pub r_package: Option<String>,
    pub changelog: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Claim {
    pub level: RapLevel,
    /// Where the claim was found: a path, or `topic`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub text: String,
}
