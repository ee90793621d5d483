//! Command-line definitions (clap derive), apart from `main.rs` so the interface reads in one
//! place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use openly::audit::Shard;
use openly::model::Severity;
use openly::report::Format;
use openly::report::compare::CompareFormat;

const AUDIT_EXAMPLES: &str = "\
Examples:
  openly audit                                  audit the current directory
  openly audit fixtures/org                     audit every repository under a folder
  openly audit ../my-repo --ref v1.2.0          audit a git repository at a tag
  openly audit . --format json --output report.json
  openly audit fixtures/org --format html -o estate.html
                                                a dashboard for the whole estate, one file
  openly audit fixtures/org --summary           the estate overview alone
  openly audit . --format sarif -o openly.sarif for GitHub code scanning
  openly audit fixtures/org --format csv-repos  one spreadsheet row per repository
  openly audit . --preset nhs-digital --fail-on error
  openly audit . --fail-under 70                exit 1 when the score is under 70
  openly audit . --base origin/main             pull-request mode: only what the change made worse
  openly audit . --pr --format github --comment inside a GitHub Actions pull_request run
  openly audit --org nhsx --format json > estate.json
                                                every repository of a GitHub organisation
  openly audit github:nhsengland/example        one GitHub repository
  openly audit --org nhsx --shard 2/4 --format json --output part-2.json
                                                one of four parts of a CI matrix (then `openly merge`)
  openly audit . --baseline baseline.json       fail only on what is not in the baseline
  openly audit --org nhsx --allow-list allow.toml
                                                org-wide [[allow]] entries, with `repo` globs

Exit codes: 0 audited (no gate failed), 1 a gate failed, 2 usage or operational error,
78 invalid configuration or rule pack.";

#[derive(Debug, Parser)]
#[command(
    name = "openly",
    version,
    about = "Audit repositories against the NHS open-code playbook",
    long_about = "Audit repositories against the NHS open-code playbook: licence, README, community files, \
sensitive data, secrets and RAP levels. Reports are scored per category and overall.",
    after_help = "Run `openly audit --help` for examples."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More diagnostics on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit one or more repositories and print a scored report.
    #[command(after_help = AUDIT_EXAMPLES)]
    Audit(Box<AuditArgs>),
    /// List every rule of the pack in use.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why, and how to fix it.
    Explain {
        /// A rule id such as `licence/present`.
        rule: String,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Write a commented `.openly.toml` to start from.
    Init {
        /// Where to write it.
        #[arg(default_value = ".openly.toml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Scaffold what the playbook asks for (licence, README sections, community files,
    /// .gitignore lines) in a local repository, or as a pull request on GitHub repositories
    /// (--pr); never overwrites or deletes anything.
    #[command(after_help = FIX_EXAMPLES)]
    Fix(FixArgs),
    /// Compare two JSON reports: score deltas, new and fixed findings, RAP level changes,
    /// repositories added and removed, and the estate in one line.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Merge the JSON reports of a sharded run (`--shard I/N`) into the report one run gives.
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
    /// Print the JSON Schema of the `--format json` report, or of `openly compare --format json`.
    Schema {
        #[arg(value_enum, default_value_t = SchemaKind::Report)]
        which: SchemaKind,
    },
}

const COMPARE_EXAMPLES: &str = "\
Examples:
  openly compare last.json this.json
  openly compare last.json this.json --format markdown > changes.md   for a monthly issue

Reports from different openly or rule-pack versions are compared with a warning.
Exit codes: 0 compared, 2 a report cannot be read.";

const MERGE_EXAMPLES: &str = "\
Examples:
  openly merge part-1.json part-2.json part-3.json part-4.json --output estate.json
  openly merge part-*.json --format markdown

Exit codes: 0 merged, 2 the parts cannot make one report (another schema or rule pack, a
pull-request report, a shard given twice, parts that overlap).";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The audit report.
    Report,
    /// The output of `openly compare --format json`.
    Compare,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier JSON report.
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The JSON reports to merge (the shards of one run).
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

const FIX_EXAMPLES: &str = "\
Examples:
  openly fix --dry-run                  show what would change, as a diff `git apply` takes
  openly fix ../my-repo --yes           write the changes without asking
  openly fix --rule licence/present --rule readme/contact
  openly fix --preset nhs-england       Crown copyright as the licence holder
  openly fix github:nhsengland/example --pr
                                        one pull request from the branch openly/fix, no clone
  openly fix --org nhsx --pr --dry-run  what each repository's pull request would be, sending nothing

Without --yes, openly asks before writing when run in a terminal, and writes nothing
otherwise. With --pr, the token (GITHUB_TOKEN, GH_TOKEN or --token-file) needs
`contents: write` and `pull-requests: write`; a re-run updates the same pull request.
Exit codes: 0 nothing fixable left, 1 something fixable left (not written, or a fix
could not be made) or a repository got no pull request, 2 usage or operational error,
78 invalid configuration.";

#[derive(Debug, Args)]
pub struct FixArgs {
    /// The repository to fix: a local work tree (default `.`), or with --pr one or more
    /// `github:OWNER/REPO`.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Fix only this rule (repeatable); every fixable failing rule when absent.
    #[arg(long = "rule", id = "only_rule", value_name = "ID")]
    pub only_rules: Vec<String>,
    /// Print the changes as a unified diff and write nothing (with --pr: read and plan, print
    /// each pull request that would be sent, send no write).
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Write the changes without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Ignore the repository's own `.openly.toml`.
    #[arg(long)]
    pub no_repo_config: bool,
    /// Open (or update) one pull request per GitHub repository instead of writing files:
    /// `github:OWNER/REPO` targets, --org or --user.
    #[arg(long, conflicts_with = "yes")]
    pub pr: bool,
    #[command(flatten)]
    pub github: Box<openly::source::github::args::GitHubArgs>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct PackArgs {
    /// A built-in pack: playbook (default), nhs-england, nhs-digital or minimal.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// A rule pack file; it replaces the preset unless it says `extends`.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// A config layered over the pack for every repository (same format as `.openly.toml`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Directories, git repositories or `github:OWNER/REPO`; a folder of repositories audits
    /// each one. Default: `.` (unless `--org` is given)
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Text and Markdown: print only the estate overview (repositories by score, the rules
    /// that fail most, what needs attention first, exemplars), not a section per repository.
    #[arg(long)]
    pub summary: bool,
    /// Exit 1 when any repository scores under N (0–100).
    #[arg(long, value_name = "N", value_parser = parse_score)]
    pub fail_under: Option<f64>,
    /// Exit 1 when any rule at this severity or above fails.
    #[arg(long, value_name = "SEVERITY", value_enum)]
    pub fail_on: Option<GateSeverity>,
    /// Git revision to audit (branch, tag or commit); default HEAD.
    #[arg(long = "ref", value_name = "REV")]
    pub reference: Option<String>,
    /// Pull-request mode: also audit this base revision, report what head made worse or fixed,
    /// and gate only on new failures (default `--fail-on error`). Reads git objects; no checkout.
    #[arg(long, value_name = "REV", conflicts_with = "reference")]
    pub base: Option<String>,
    /// The head revision in pull-request mode; default HEAD.
    #[arg(long, value_name = "REV", conflicts_with = "reference")]
    pub head: Option<String>,
    /// Pull-request mode with the base commit from the GitHub Actions `pull_request` event
    /// (`GITHUB_EVENT_PATH`); `--base` overrides it.
    #[arg(long)]
    pub pr: bool,
    /// Create or update one sticky comment on the pull request (GitHub Actions, needs
    /// `GITHUB_TOKEN` with `pull-requests: write`; read-only tokens fall back to the job summary).
    #[arg(long)]
    pub comment: bool,
    /// Repositories audited in parallel.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest file, in bytes, read whole for text checks.
    #[arg(long, value_name = "BYTES", default_value_t = openly::snapshot::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Also scan every file version in git history for sensitive data and secrets (a file
    /// deleted later is still published). Plain directories have no history: a warning, then
    /// the tree alone is scanned.
    #[arg(long)]
    pub history: bool,
    /// Ignore each repository's own `.openly.toml`.
    #[arg(long)]
    pub no_repo_config: bool,
    /// An organisation's allow-list: `[[allow]]` tables as in `.openly.toml`, each optionally
    /// limited to repositories by a `repo` glob.
    #[arg(long, value_name = "FILE")]
    pub allow_list: Option<PathBuf>,
    /// Audit only part I of N of the repositories (by a stable hash of each name), for a CI
    /// matrix; `openly merge` joins the parts.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse, conflicts_with_all = ["base", "pr"])]
    pub shard: Option<Shard>,
    /// A JSON report to compare against: failures already in it show as `baseline` and no
    /// gate fails on them; only new ones do. Scores are unchanged.
    #[arg(long, value_name = "OLD.json", conflicts_with_all = ["base", "pr"])]
    pub baseline: Option<PathBuf>,
    /// With `--format html`: an earlier JSON report; the dashboard's headline numbers show
    /// the change since it and the repository table gains a "Changed since" column.
    #[arg(long, value_name = "OLD.json", conflicts_with_all = ["base", "pr"])]
    pub compare: Option<PathBuf>,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub github: Box<openly::source::github::args::GitHubArgs>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub pack: PackArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GateSeverity {
    Error,
    Warning,
    Info,
}

impl From<GateSeverity> for Severity {
    fn from(value: GateSeverity) -> Self {
        match value {
            GateSeverity::Error => Severity::Error,
            GateSeverity::Warning => Severity::Warning,
            GateSeverity::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_score(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err("a score is between 0 and 100".to_string())
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
