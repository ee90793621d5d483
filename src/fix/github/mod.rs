//! `openly fix --pr`: one pull request per GitHub repository, made without a clone. Each
//! repository is read through the same [`Source`](crate::source::Source) an audit uses and
//! planned by the same loop as a work tree ([`crate::fix::plan`]); then the changes are
//! committed through the git data API on openly's own branch `openly/fix`, and the pull
//! request from it is opened, or found by its head branch and updated in place.
//!
//! Per repository, after the reads of an audit: the branch's head (`GET git/ref`, and its
//! commit), the open pull request (`GET pulls?head=`), then, unless `--dry-run` or nothing
//! changed, the base tree (`GET git/trees`, usually cached), `POST git/trees` (text inline,
//! other bytes as `POST git/blobs`), `POST git/commits`, `POST git/refs` or a forced
//! `PATCH git/refs/heads/openly/fix`, and `POST pulls` or `PATCH pulls/N`. A branch whose
//! head commit openly did not make is never moved. A re-run whose changes and words are the
//! same sends no write at all.

pub mod api;
pub mod body;

use std::collections::HashMap;
use std::sync::Arc;

use api::{BranchHead, Pull, Repo, TreeFile};

use super::plan::{self, FixPlan, FixRequest};
use crate::audit::AuditOptions;
use crate::model::RepoErrorKind;
use crate::pack::Pack;
use crate::pack::catalog::Need;
use crate::source::Opener;
use crate::source::github::{ApiError, Deferred, GitHubTarget, PlannedRepo, Session};

/// What to fix and how.
pub struct PrRun<'a> {
    pub pack: &'a Pack,
    /// The audit's options; `options.github` says where GitHub is and which repositories.
    pub options: &'a AuditOptions,
    pub request: &'a FixRequest,
    /// Read and plan, print what would be sent, send no write.
    pub dry_run: bool,
}

/// What openly did about one repository's pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// No failing rule has a fix that applies.
    NothingToFix,
    /// `--dry-run`: nothing sent; the pull request that exists, if any.
    WouldPublish {
        existing: Option<Pull>,
    },
    Opened(Pull),
    /// The pull request was changed: its branch moved, its words, or both.
    Updated {
        pull: Pull,
        branch_moved: bool,
    },
    /// Branch and pull request were already what this run would make.
    UpToDate(Pull),
}

/// The pull request a plan makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub title: String,
    pub body: String,
    /// The default branch it merges into.
    pub base: String,
}

/// Why one repository got no pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: RepoErrorKind,
    pub message: String,
}

impl Failure {
    fn source(message: impl Into<String>) -> Self {
        Failure {
            kind: RepoErrorKind::Source,
            message: message.into(),
        }
    }

    fn api(context: &str, error: &ApiError) -> Self {
        if let Some(deferred) = Deferred::from_error(error) {
            return Failure {
                kind: RepoErrorKind::RateLimited,
                message: deferred.message(),
            };
        }
        if matches!(error, ApiError::Cancelled) {
            return Failure {
                kind: RepoErrorKind::Interrupted,
                message: "not done: the run was interrupted (Ctrl-C)".to_string(),
            };
        }
        Failure::source(format!("{context}: {error}"))
    }

    fn write(error: &api::WriteError) -> Self {
        if error.error.is_deferral() {
            return Failure::api(error.what, &error.error);
        }
        Failure::source(error.to_string())
    }
}

/// One repository's result, handed to the caller as soon as it is done.
#[derive(Debug, Clone)]
pub struct RepoFix {
    pub name: String,
    pub plan: Option<FixPlan>,
    pub proposal: Option<Proposal>,
    pub outcome: Result<Published, Failure>,
}

/// What is left of a [`RepoFix`] once reported: enough for the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub name: String,
    pub failed: Option<RepoErrorKind>,
    /// The plan had changes (whether sent or not).
    pub changes: bool,
    /// A fixable rule still fails after the plan.
    pub left: bool,
}

/// Fixes every repository of `repos` (`owner`, `name`) and of the owners in
/// `run.options.github`, one at a time (GitHub asks for writes to be serial), calling `each`
/// as each is done. Fails only before any repository: a bad `--rule`, no token for writes,
/// a bad filter or URL.
pub fn run(
    repos: &[(String, String)],
    run: &PrRun<'_>,
    mut each: impl FnMut(&RepoFix),
) -> Result<Vec<Done>, crate::Error> {
    plan::check_rules(run.pack, run.request)?;
    let github = &run.options.github;
    if !run.dry_run && github.token.is_none() {
        return Err(crate::Error::Usage(
            "--pr writes to GitHub, so it needs a token with `contents: write` and \
             `pull-requests: write`: set GITHUB_TOKEN or GH_TOKEN, or use --token-file \
             (--dry-run works without one on public repositories)"
                .to_string(),
        ));
    }
    let mut github = github.clone();
    github.reviews |= run.pack.needs(Need::GitHubApi);
    let (session, planned) = Session::plan(repos, &github)?;
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    let mut done = Vec::new();
    for planned in planned {
        let result = fix_one(&session, planned, run, &mut names);
        each(&result);
        done.push(Done {
            name: result.name.clone(),
            failed: result.outcome.as_ref().err().map(|f| f.kind),
            changes: result.plan.as_ref().is_some_and(|p| !p.changes.is_empty()),
            left: result.plan.as_ref().is_some_and(|p| !p.left.is_empty()),
        });
    }
    Ok(done)
}

fn fix_one(
    session: &Arc<Session>,
    planned: PlannedRepo,
    run: &PrRun<'_>,
    names: &mut HashMap<String, Option<String>>,
) -> RepoFix {
    let name = planned.full_name.clone();
    let mut result = RepoFix {
        name: name.clone(),
        plan: None,
        proposal: None,
        outcome: Ok(Published::NothingToFix),
    };
    let api_repo = match &planned.repo {
        Ok(repo) => repo.clone(),
        Err(message) => {
            result.outcome = Err(Failure::source(message.clone()));
            return result;
        }
    };
    let Some((owner, repo_name)) = api_repo.owner_and_name() else {
        result.outcome = Err(Failure::source(format!(
            "`{name}` is not a GitHub repository name"
        )));
        return result;
    };
    let repo = Repo {
        owner,
        name: repo_name,
    };
    let target = GitHubTarget::new(session.clone(), planned, None);
    let source = match target.open() {
        Ok(source) => source,
        Err(error) => {
            result.outcome = Err(Failure {
                kind: error.kind,
                message: error.message,
            });
            return result;
        }
    };
    let commit = source.info().commit.clone();
    let base = source
        .info()
        .reference
        .clone()
        .or_else(|| api_repo.default_branch.clone())
        .unwrap_or_else(|| "main".to_string());
    let client = session.client();
    let display_name = if plan::needs_org_name(run.pack) {
        names
            .entry(owner.to_string())
            .or_insert_with(|| session.block_on(api::display_name(&client, owner)))
            .clone()
    } else {
        None
    };
    let values = plan::values(run.pack, repo_name, run.request, display_name.as_deref());
    let fix_plan = match plan::plan(
        &name,
        Arc::from(source),
        &values,
        run.pack,
        run.options,
        run.request,
    ) {
        Ok(fix_plan) => fix_plan,
        Err(error) => {
            let kind = match error.kind() {
                crate::model::ErrorKind::Config => RepoErrorKind::Config,
                _ => RepoErrorKind::Source,
            };
            result.outcome = Err(Failure {
                kind,
                message: error.to_string(),
            });
            return result;
        }
    };
    if fix_plan.changes.is_empty() {
        result.plan = Some(fix_plan);
        return result;
    }
    let proposal = Proposal {
        title: body::TITLE.to_string(),
        body: body::body(&fix_plan, &base),
        base,
    };
    result.outcome = match commit {
        None => Err(Failure::source(
            "the repository has no commits, so there is no branch to base a pull request on: \
             push a first commit, then run again",
        )),
        Some(commit) => session.block_on(publish(
            &client,
            repo,
            &commit,
            &fix_plan,
            &proposal,
            run.dry_run,
        )),
    };
    result.plan = Some(fix_plan);
    result.proposal = Some(proposal);
    result
}

/// Whether the branch already holds exactly this plan on exactly this base.
fn branch_is_current(head: &BranchHead, commit: &str, fix_id: &str) -> bool {
    head.fix_id() == Some(fix_id) && head.parents == [commit]
}

fn same_words(pull: &Pull, proposal: &Proposal) -> bool {
    let body = pull.body.as_deref().unwrap_or("").replace("\r\n", "\n");
    pull.title == proposal.title && body == proposal.body
}

async fn publish(
    client: &crate::source::github::client::Client,
    repo: Repo<'_>,
    commit: &str,
    fix_plan: &FixPlan,
    proposal: &Proposal,
    dry_run: bool,
) -> Result<Published, Failure> {
    let head = api::branch_head(client, repo)
        .await
        .map_err(|e| Failure::api(&format!("cannot read the branch {}", api::BRANCH), &e))?;
    if let Some(head) = &head
        && head.fix_id().is_none()
    {
        return Err(Failure::source(format!(
            "the branch {} has a commit openly did not make (its head {} has no `{}` \
             trailer), so openly leaves it alone rather than discard someone's work: merge or \
             delete that branch, then run again",
            api::BRANCH,
            head.sha.chars().take(12).collect::<String>(),
            api::TRAILER
        )));
    }
    let existing = api::open_pull(client, repo)
        .await
        .map_err(|e| Failure::api("cannot look for openly's pull request", &e))?;
    if dry_run {
        return Ok(Published::WouldPublish { existing });
    }
    let fix_id = body::fix_id(fix_plan);
    let branch_moved = match &head {
        Some(head) if branch_is_current(head, commit, &fix_id) => false,
        _ => {
            commit_changes(client, repo, commit, fix_plan, head.is_some()).await?;
            true
        }
    };
    match existing {
        Some(pull) if same_words(&pull, proposal) && !branch_moved => Ok(Published::UpToDate(pull)),
        Some(pull) if same_words(&pull, proposal) => Ok(Published::Updated { pull, branch_moved }),
        Some(pull) => {
            let pull = api::update_pull(client, repo, pull.number, &proposal.title, &proposal.body)
                .await
                .map_err(|e| Failure::write(&e))?;
            Ok(Published::Updated { pull, branch_moved })
        }
        None => {
            match api::create_pull(
                client,
                repo,
                &proposal.base,
                &proposal.title,
                &proposal.body,
            )
            .await
            {
                Ok(pull) => Ok(Published::Opened(pull)),
                // Someone (or a retry) opened it meanwhile: update that one instead.
                Err(error) if matches!(error.error, ApiError::Status(422, _)) => {
                    let found = api::open_pull(client, repo)
                        .await
                        .map_err(|e| Failure::api("cannot look for openly's pull request", &e))?;
                    let Some(pull) = found else {
                        return Err(Failure::write(&error));
                    };
                    let pull = api::update_pull(
                        client,
                        repo,
                        pull.number,
                        &proposal.title,
                        &proposal.body,
                    )
                    .await
                    .map_err(|e| Failure::write(&e))?;
                    Ok(Published::Updated { pull, branch_moved })
                }
                Err(error) => Err(Failure::write(&error)),
            }
        }
    }
}

/// Commits the plan's files on top of `commit` and points `openly/fix` at the new commit.
async fn commit_changes(
    client: &crate::source::github::client::Client,
    repo: Repo<'_>,
    commit: &str,
    fix_plan: &FixPlan,
    branch_exists: bool,
) -> Result<(), Failure> {
    let files = fix_plan.changes.files();
    let changed: Vec<&str> = files
        .iter()
        .filter(|f| f.before.is_some())
        .map(|f| f.path)
        .collect();
    let base = api::base_tree(client, repo, commit, &changed)
        .await
        .map_err(|e| Failure::api("cannot read the default branch's tree", &e))?;
    let tree_files: Vec<TreeFile> = files
        .iter()
        .map(|f| TreeFile {
            path: f.path,
            bytes: f.after,
            mode: base.modes.get(f.path).map_or("100644", String::as_str),
        })
        .collect();
    let tree = api::create_tree(client, repo, &base.sha, &tree_files)
        .await
        .map_err(|e| Failure::write(&e))?;
    let message = body::commit_message(fix_plan);
    let new_commit = api::create_commit(client, repo, &message, &tree, commit)
        .await
        .map_err(|e| Failure::write(&e))?;
    api::set_branch(client, repo, &new_commit, branch_exists)
        .await
        .map_err(|e| Failure::write(&e))
}
