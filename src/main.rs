//! The `openly` binary: parse the command line, call the library, choose the emitter, and map
//! outcomes to exit codes. Nothing else lives here.

#![allow(clippy::disallowed_macros)] // this is the output layer: the one place that writes to stdout and stderr

mod cli;
mod fix_pr;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use cli::{
    AuditArgs, Cli, ColorChoice, Command, CompareArgs, MergeArgs, PackArgs, RulesFormat, SchemaKind,
};
use openly::ci::actions::ActionsEnv;
use openly::ci::{self, PublishOptions};
use openly::gate::{self, Gates};
use openly::model::{ErrorKind, RepoErrorKind, Severity};
use openly::pack::{self, Pack, PackSelection};
use openly::report::github::escape_data;
use openly::report::{self, Format, RenderOptions};
use openly::{AuditOptions, Target};

pub(crate) const EXIT_GATE: u8 = 1;
pub(crate) const EXIT_USAGE: u8 = 2;
pub(crate) const EXIT_CONFIG: u8 = 78;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let code = match &error {
                Failure::Library(e) if e.kind() == ErrorKind::Config => EXIT_CONFIG,
                _ => EXIT_USAGE,
            };
            eprintln!("openly: {error}");
            ExitCode::from(code)
        }
    }
}

#[derive(Debug)]
pub(crate) enum Failure {
    Library(openly::Error),
    Io(io::Error),
    Usage(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Library(e) => write!(f, "{e}"),
            Failure::Io(e) => write!(f, "{e}"),
            Failure::Usage(e) => write!(f, "{e}"),
        }
    }
}

impl From<openly::Error> for Failure {
    fn from(error: openly::Error) -> Self {
        Failure::Library(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Io(error)
    }
}

fn is_broken_pipe(failure: &Failure) -> bool {
    match failure {
        Failure::Io(e) => e.kind() == io::ErrorKind::BrokenPipe,
        Failure::Library(openly::Error::Io(e)) => e.kind() == io::ErrorKind::BrokenPipe,
        _ => false,
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    env_logger::Builder::from_env(env_logger::Env::default().filter_or("OPENLY_LOG", default))
        .format_timestamp(None)
        .init();
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Audit(args) => run_audit(*args),
        Command::Rules(args) => {
            let pack = load(&args.pack)?;
            let text = match args.format {
                RulesFormat::Text => openly::docs::rules_text(&pack),
                RulesFormat::Markdown => openly::docs::rules_markdown(&pack),
                RulesFormat::Json => pretty(&openly::docs::rules_json(&pack)),
            };
            write_stdout(&text)?;
            Ok(0)
        }
        Command::Explain {
            rule,
            pack: pack_args,
        } => {
            let pack = load(&pack_args)?;
            match openly::docs::explain(&pack, &rule) {
                Some(text) => {
                    write_stdout(&text)?;
                    Ok(0)
                }
                None => {
                    let similar = openly::docs::similar_ids(&pack, &rule);
                    let hint = if similar.is_empty() {
                        "run `openly rules` to list them".to_string()
                    } else {
                        format!("did you mean {}?", similar.join(", "))
                    };
                    Err(Failure::Usage(format!(
                        "no rule `{rule}` in pack {}: {hint}",
                        pack.name
                    )))
                }
            }
        }
        Command::Init { path, force } => {
            if path.exists() && !force {
                return Err(Failure::Usage(format!(
                    "{} exists; use --force to overwrite it",
                    path.display()
                )));
            }
            openly::output::write(&path, openly::docs::INIT_TEMPLATE.as_bytes())?;
            eprintln!("wrote {}", path.display());
            Ok(0)
        }
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Report => report::json_schema(),
                SchemaKind::Compare => report::compare_schema(),
            };
            write_stdout(&pretty(&schema))?;
            Ok(0)
        }
        Command::Compare(args) => run_compare(args),
        Command::Merge(args) => run_merge(args),
        Command::Fix(args) => run_fix(args),
    }
}

/// Reads a file named on the command line; failing to is a usage error (exit 2).
fn read_named(path: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))
}

fn read_saved(path: &std::path::Path) -> Result<openly::model::saved::SavedReport, Failure> {
    openly::model::saved::SavedReport::from_json(&read_named(path)?)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

fn use_color(choice: ColorChoice, output: Option<&std::path::Path>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            output.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn deliver(output: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), Failure> {
    match output {
        Some(path) => openly::output::write(path, bytes)?,
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
        }
    }
    Ok(())
}

/// The dashboard with the changes since `earlier`: this run is compared exactly as
/// `openly compare` would compare its saved JSON.
fn trend_emitter(
    earlier: &openly::model::saved::SavedReport,
    path: &std::path::Path,
    report: &openly::model::Report,
) -> Result<Box<dyn report::Emitter>, Failure> {
    let json = serde_json::to_string(report).map_err(io::Error::from)?;
    let now = openly::model::saved::SavedReport::from_json(&json)
        .map_err(|e| Failure::Usage(format!("this run's report: {e}")))?;
    let label = path.display().to_string();
    let comparison = openly::compare::compare(
        openly::compare::Side {
            label: &label,
            report: earlier,
        },
        openly::compare::Side {
            label: "this run",
            report: &now,
        },
    );
    for warning in &comparison.warnings {
        eprintln!("openly: warning: {warning}");
    }
    Ok(Box::new(report::html::HtmlEmitter {
        comparison: Some(comparison),
    }))
}

fn run_compare(args: CompareArgs) -> Result<u8, Failure> {
    let old = read_saved(&args.old)?;
    let new = read_saved(&args.new)?;
    let old_label = args.old.display().to_string();
    let new_label = args.new.display().to_string();
    let comparison = openly::compare::compare(
        openly::compare::Side {
            label: &old_label,
            report: &old,
        },
        openly::compare::Side {
            label: &new_label,
            report: &new,
        },
    );
    // Every format carries the warnings; stderr repeats them unless they are on the screen.
    if args.output.is_some() || !io::stdout().is_terminal() {
        for warning in &comparison.warnings {
            eprintln!("openly: warning: {warning}");
        }
    }
    let color = use_color(args.color, args.output.as_deref());
    let rendered = report::compare::render(&comparison, args.format, color);
    deliver(args.output.as_deref(), rendered.as_bytes())?;
    Ok(0)
}

fn run_merge(args: MergeArgs) -> Result<u8, Failure> {
    let mut parts = Vec::new();
    for path in &args.reports {
        let label = path.display().to_string();
        parts.push(openly::audit::merge::read_part(&label, &read_named(path)?)?);
    }
    let merged = openly::audit::merge::merge(parts)?;
    for warning in &merged.warnings {
        eprintln!("openly: warning: {warning}");
    }
    let color = use_color(args.color, args.output.as_deref());
    let mut rendered = Vec::new();
    // SARIF describes rules from the pack the shards ran; a pack openly does not know is
    // described from the findings themselves.
    let rules = pack::load_pack(&PackSelection {
        preset: Some(merged.report.rule_pack.name.clone()),
        ..PackSelection::default()
    })
    .map(|pack| openly::docs::rule_infos(&pack))
    .unwrap_or_default();
    report::emitter(args.format, &rules).emit(
        &merged.report,
        &mut rendered,
        RenderOptions {
            color,
            summary: false,
        },
    )?;
    deliver(args.output.as_deref(), &rendered)?;
    Ok(0)
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn load(args: &PackArgs) -> Result<Pack, Failure> {
    load_with(args, None)
}

fn load_with(args: &PackArgs, allow_list: Option<&std::path::Path>) -> Result<Pack, Failure> {
    Ok(pack::load_pack(&PackSelection {
        preset: args.preset.clone(),
        rules_file: args.rules.clone(),
        config_file: args.config.clone(),
        allow_list: allow_list.map(std::path::Path::to_path_buf),
    })?)
}

fn run_audit(args: AuditArgs) -> Result<u8, Failure> {
    if args.summary && !args.format.has_summary() {
        return Err(Failure::Usage(
            "--summary applies to --format text and markdown (the estate overview alone)"
                .to_string(),
        ));
    }
    let pack = load_with(&args.pack, args.allow_list.as_deref())?;
    // Read before the audit, so a wrong path fails in a second rather than after an org.
    let baseline = args.baseline.as_deref().map(read_saved).transpose()?;
    if args.compare.is_some() && args.format != Format::Html {
        return Err(Failure::Usage(
            "--compare applies to --format html (the dashboard's trends); \
             `openly compare OLD.json NEW.json` compares reports in the other formats"
                .to_string(),
        ));
    }
    let earlier = args.compare.as_deref().map(read_saved).transpose()?;
    let targets: Vec<Target> = if args.targets.is_empty() && !args.github.any() {
        vec![Target::Path(".".into())]
    } else {
        args.targets.iter().map(|t| Target::parse(t)).collect()
    };
    let (progress, github) = github_options(&args.github, reads_github(&args, &targets))?;
    let options = AuditOptions {
        reference: args.reference.clone(),
        limits: openly::snapshot::ReadLimits {
            max_file_size: args.max_file_size,
        },
        jobs: args
            .jobs
            .unwrap_or_else(|| default_jobs(&args, &targets))
            .max(1),
        repo_config: !args.no_repo_config,
        history: args.history,
        github,
        progress,
        shard: args.shard,
        interrupted: Arc::new(AtomicBool::new(false)),
        ..AuditOptions::default()
    };
    install_interrupt_handler(&options);
    let actions = ActionsEnv::from_process();
    let event = if args.pr {
        Some(actions.pull_request()?)
    } else if args.comment {
        actions.pull_request().ok()
    } else {
        None
    };
    let base = args.base.clone().or_else(|| {
        args.pr
            .then(|| event.as_ref().map(|e| e.base_sha.clone()))?
    });
    let mut report = match &base {
        Some(base) => {
            let [Target::Path(path)] = targets.as_slice() else {
                return Err(Failure::Usage(
                    "pull-request mode (--base/--pr) audits exactly one local git repository"
                        .to_string(),
                ));
            };
            openly::pr::audit_pr(path, base, args.head.as_deref(), &pack, &options)?
        }
        None if args.head.is_some() => {
            return Err(Failure::Usage("--head needs --base or --pr".to_string()));
        }
        None => openly::audit(&targets, &pack, &options)?,
    };
    if let (Some(baseline), Some(path)) = (&baseline, &args.baseline) {
        let applied = openly::audit::baseline::apply(&mut report, baseline);
        eprintln!(
            "openly: baseline {}: {} known failure{} not gated, {} new",
            path.display(),
            applied.known,
            if applied.known == 1 { "" } else { "s" },
            applied.new
        );
        for name in &applied.unmatched {
            eprintln!("openly: warning: {name} is not in the baseline; all its failures are new");
        }
    }

    let color = use_color(args.color, args.output.as_deref());
    let mut rendered = Vec::new();
    let rules = openly::docs::rule_infos(&pack);
    let emitter = match (&earlier, &args.compare) {
        (Some(earlier), Some(path)) => trend_emitter(earlier, path, &report)?,
        _ => report::emitter(args.format, &rules),
    };
    emitter.emit(
        &report,
        &mut rendered,
        RenderOptions {
            color,
            summary: args.summary,
        },
    )?;
    deliver(args.output.as_deref(), &rendered)?;

    let publish = PublishOptions {
        comment: args.comment,
        json_report: (args.format == Format::Json)
            .then(|| args.output.clone())
            .flatten(),
    };
    if let Some(notice) = ci::publish(&publish, &actions, event.as_ref(), &report)? {
        eprintln!("::notice title=openly comment::{}", escape_data(&notice));
    }

    for repo in report.repos.iter().filter(|r| r.error.is_some()) {
        eprintln!(
            "openly: {}: {}",
            repo.name,
            repo.error.as_deref().unwrap_or("")
        );
    }
    if report.summary.repos == 0 {
        if let Some(shard) = args.shard {
            // Hashing can leave a shard of a small run empty; that part is done, not broken.
            eprintln!(
                "openly: shard {}/{} holds none of the repositories",
                shard.index, shard.count
            );
            return Ok(0);
        }
        eprintln!("openly: no repositories found in the targets");
        return Ok(EXIT_USAGE);
    }
    if report.summary.audited == 0 {
        let all_config = report
            .repos
            .iter()
            .all(|r| r.error_kind == Some(RepoErrorKind::Config));
        return Ok(if all_config { EXIT_CONFIG } else { EXIT_USAGE });
    }
    let reasons = if report.pr.is_some() {
        let fail_on = args.fail_on.map_or(Severity::Error, Into::into);
        gate::check_pr(&report, fail_on, args.fail_under)
    } else {
        gate::check(
            &report,
            &Gates {
                fail_under: args.fail_under,
                fail_on: args.fail_on.map(Into::into),
            },
        )
    };
    for reason in &reasons {
        eprintln!("openly: gate failed: {reason}");
    }
    Ok(if reasons.is_empty() { 0 } else { EXIT_GATE })
}

/// The progress display and GitHub options of a run, as `openly audit` and `openly fix --pr`
/// both build them. A progress bar or lines (`show_progress`) are for audits over the network;
/// a local audit finishes before a bar helps, and fix mode prints its own line per repository.
pub(crate) fn github_options(
    args: &openly::source::github::args::GitHubArgs,
    show_progress: bool,
) -> Result<
    (
        Arc<openly::progress::Progress>,
        openly::source::github::GitHubOptions,
    ),
    Failure,
> {
    let mode = if show_progress {
        openly::progress::ProgressMode::detect(args.quiet, io::stderr().is_terminal())
    } else {
        openly::progress::ProgressMode::Hidden
    };
    let progress = Arc::new(openly::progress::Progress::new(mode));
    let github = args.to_options(progress.clone())?;
    Ok((progress, github))
}

/// GitHub runs wait on the network, not the CPU, so they get their own default.
fn default_jobs(args: &AuditArgs, targets: &[Target]) -> usize {
    if reads_github(args, targets) {
        openly::source::github::DEFAULT_JOBS
    } else {
        openly::audit::default_jobs()
    }
}

fn run_fix(args: cli::FixArgs) -> Result<u8, Failure> {
    use openly::fix::{local, summary, template};
    let pack = load(&args.pack)?;
    if args.pr {
        return run_fix_pr(&args, &pack);
    }
    let on_github = args
        .targets
        .iter()
        .any(|t| matches!(Target::parse(t), Target::GitHub { .. }));
    if on_github || args.github.any() {
        return Err(Failure::Usage(
            "fix writes to GitHub only as a pull request: add --pr (with --dry-run to see it \
             first)"
                .to_string(),
        ));
    }
    let target = match args.targets.as_slice() {
        [] => std::path::PathBuf::from("."),
        [one] => std::path::PathBuf::from(one),
        _ => {
            return Err(Failure::Usage(
                "fix writes to one local repository at a time (--pr fixes several GitHub \
                 repositories)"
                    .to_string(),
            ));
        }
    };
    let options = AuditOptions {
        repo_config: !args.no_repo_config,
        jobs: 1,
        ..AuditOptions::default()
    };
    let request = local::FixRequest {
        rules: args.only_rules.clone(),
        year: template::year_of(std::time::SystemTime::now()),
    };
    let local::LocalPlan { root, plan } = local::plan(&target, &pack, &options, &request)?;
    if plan.changes.is_empty() {
        eprint!("{}", summary::render(&plan, &plan.after, false));
        return Ok(if plan.left.is_empty() { 0 } else { EXIT_GATE });
    }
    let diff = plan.changes.diff();
    if args.dry_run {
        // stdout carries the diff alone, so `openly fix --dry-run | git apply` works.
        io::stdout().lock().write_all(&diff)?;
        eprint!("{}", summary::render(&plan, &plan.after, false));
        return Ok(EXIT_GATE);
    }
    if !args.yes {
        if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
            eprint!("{}", summary::render(&plan, &plan.after, false));
            eprintln!(
                "openly: nothing written: not in a terminal, so there is no one to ask. Review \
                 with --dry-run, then run again with --yes."
            );
            return Ok(EXIT_GATE);
        }
        io::stdout().lock().write_all(&diff)?;
        eprint!("{}", summary::render(&plan, &plan.after, false));
        eprint!(
            "Write these changes to {} file(s)? [y/N] ",
            plan.changes.files().len()
        );
        let mut answer = String::new();
        io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            eprintln!("openly: nothing written");
            return Ok(EXIT_GATE);
        }
    }
    local::write(&root, &plan.changes)?;
    let after = openly::audit::audit_source(
        &plan.name,
        Box::new(openly::source::local::LocalSource::new(&root)),
        &pack,
        &options,
    );
    write_stdout(&summary::render(&plan, &after, true))?;
    Ok(if plan.left.is_empty() { 0 } else { EXIT_GATE })
}

/// Ctrl-C once: finish the repositories in flight, start no more, write the report (the
/// repositories not started are listed as interrupted). Ctrl-C twice: stop now.
/// `openly fix --pr`: a progress line per repository on stderr as it is done, and with
/// `--dry-run` what would be sent on stdout.
fn run_fix_pr(args: &cli::FixArgs, pack: &Pack) -> Result<u8, Failure> {
    let repos = fix_pr::targets(args)?;
    let options = fix_pr::options(args)?;
    install_interrupt_handler(&options);
    let request = fix_pr::request(args);
    let run = openly::fix::github::PrRun {
        pack,
        options: &options,
        request: &request,
        dry_run: args.dry_run,
    };
    let mut written = Ok(());
    let done = openly::fix::github::run(&repos, &run, |fixed| {
        if !args.github.quiet || fixed.outcome.is_err() {
            eprintln!(
                "openly fix: {}: {}",
                fixed.name,
                fix_pr::progress_line(fixed)
            );
        }
        if args.dry_run && written.is_ok() {
            written = io::stdout()
                .lock()
                .write_all(&fix_pr::dry_run_text(fixed))
                .and_then(|()| io::stdout().flush());
        }
    })?;
    written?;
    let (code, closing) = fix_pr::outcome(&done, args.dry_run);
    if let Some(line) = closing {
        eprintln!("{line}");
    }
    Ok(code)
}

fn install_interrupt_handler(options: &AuditOptions) {
    let interrupted = options.interrupted.clone();
    let stop = options.github.stop.clone();
    let result = ctrlc::set_handler(move || {
        if interrupted.swap(true, Ordering::SeqCst) {
            eprintln!("openly: interrupted again; stopping now");
            std::process::exit(130);
        }
        stop.cancel();
        eprintln!(
            "openly: interrupted: finishing the repositories in flight, then writing the report \
             (Ctrl-C again to stop now)"
        );
    });
    if let Err(error) = result {
        log::debug!("no Ctrl-C handler: {error}");
    }
}

fn reads_github(args: &AuditArgs, targets: &[Target]) -> bool {
    args.github.any() || targets.iter().any(|t| matches!(t, Target::GitHub { .. }))
}

fn write_stdout(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}
