//! GitHub org mode against a fake GitHub on loopback (wiremock): listing and pagination,
//! filters, GHES prefixes, every fault the client must survive, the HTTP cache, and parity
//! with auditing the same files locally. Nothing here goes online, and no test sleeps for a
//! rate limit: waits are recorded by an injected sleeper.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::fake_github::{FakeGitHub, FakeRepo, commit_sha, json_template, serve};
use openly::model::Report;
use openly::source::github::{ReadPlan, RetryPolicy, Sleeper, Token};
use openly::{AuditOptions, Target};
use wiremock::ResponseTemplate;

const ORG: &str = "nhs-test";

struct Run {
    report: Report,
    waits: Vec<Duration>,
}

fn options(api: &str, cache: Option<&Path>, waits: Arc<Mutex<Vec<Duration>>>) -> AuditOptions {
    let mut options = AuditOptions {
        jobs: 8,
        ..AuditOptions::default()
    };
    options.github.api_url = api.to_string();
    options.github.owners = vec![ORG.into()];
    options.github.cache_dir = cache.map(Path::to_path_buf);
    options.github.token = Token::new("test-token");
    let sleeper: Sleeper = Arc::new(move |duration| {
        waits.lock().unwrap().push(duration);
        Box::pin(async {})
    });
    // Long enough that a test machine busy with other tests never times out an answer that
    // is merely slow (a retry would change the request counts the tests assert).
    options.github.policy = RetryPolicy {
        timeout: Duration::from_secs(30),
        backoff: Duration::from_millis(1),
        sleeper,
        ..RetryPolicy::default()
    };
    options
}

fn run_with(api: &str, targets: &[Target], tweak: impl FnOnce(&mut AuditOptions)) -> Run {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let mut options = options(api, None, waits.clone());
    tweak(&mut options);
    let pack = common::default_pack();
    let report = openly::audit(targets, &pack, &options).unwrap();
    let waits = waits.lock().unwrap().clone();
    Run { report, waits }
}

fn run(api: &str) -> Run {
    run_with(api, &[], |_| {})
}

fn names(report: &Report) -> Vec<String> {
    report.repos.iter().map(|r| r.name.clone()).collect()
}

fn error_of<'a>(report: &'a Report, name: &str) -> Option<&'a str> {
    report
        .repos
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("{name} missing from {:?}", names(report)))
        .error
        .as_deref()
}

fn repos(count: usize) -> Vec<FakeRepo> {
    (0..count)
        .map(|i| FakeRepo::new(&format!("repo-{i:04}")))
        .collect()
}

#[test]
fn an_org_of_1000_repos_is_read_in_at_most_3_requests_each_with_the_default_playbook() {
    let mut all = repos(1000);
    // Enough files that one blob request per file would show: 12 more per repository.
    for repo in &mut all {
        for j in 0..12 {
            repo.files.push((
                format!("src/module_{j}.py"),
                format!("x = {j}\n").into_bytes(),
            ));
        }
    }
    let (fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, all));
    let run = run(&api);
    assert_eq!(run.report.repos.len(), 1000);
    assert_eq!(
        run.report.summary.errored, 0,
        "{:?}",
        run.report.repos[0].error
    );
    let listed = names(&run.report);
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "repos are reported in name order");
    assert_eq!(listed[0], format!("{ORG}/repo-0000"));
    let c = &fake.counts;
    let get = |counter: &std::sync::atomic::AtomicU64| counter.load(Ordering::SeqCst);
    assert_eq!(get(&c.listing), 10, "100 repos a page");
    // Every repository: one commit-SHA lookup and one tarball (a 302 to codeload); no tree,
    // no blob, whatever the number of files.
    assert_eq!(get(&c.commit_sha), 1000);
    assert_eq!(get(&c.tarball), 1000);
    assert_eq!(get(&c.codeload), 1000);
    assert_eq!((get(&c.tree), get(&c.blobs), get(&c.other)), (0, 0, 0));
    assert_eq!(
        get(&c.rate_limit),
        1,
        "the quota is read once, before the run"
    );
    assert_eq!(c.per_repo.lock().unwrap().len(), 1000);
    let most = c.max_per_repo();
    assert!(most <= 3, "{most} requests for one repository");
    let visibility = run.report.repos[0]
        .metadata
        .as_ref()
        .unwrap()
        .visibility
        .clone();
    assert_eq!(visibility.as_deref(), Some("public"));
    assert!(run.report.repos[0].source.commit.is_some());
}

#[test]
fn archived_repos_and_forks_are_skipped_unless_asked_for() {
    let mut all = repos(4);
    all[1].archived = true;
    all[2].fork = true;
    all[3].visibility = "internal".to_string();
    let (_fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, all));
    let default = run(&api);
    assert_eq!(
        names(&default.report),
        [format!("{ORG}/repo-0000"), format!("{ORG}/repo-0003")]
    );
    let everything = run_with(&api, &[], |o| {
        o.github.filters.include_archived = true;
        o.github.filters.include_forks = true;
    });
    assert_eq!(everything.report.repos.len(), 4);
    let public = run_with(&api, &[], |o| {
        o.github.filters.visibility = openly::source::github::Visibility::Public;
    });
    assert_eq!(names(&public.report), [format!("{ORG}/repo-0000")]);
    let internal = &default.report.repos[1];
    assert_eq!(
        internal.metadata.as_ref().unwrap().visibility.as_deref(),
        Some("internal")
    );
    let json = serde_json::to_value(internal).unwrap();
    assert_eq!(json["metadata"]["visibility"], "internal");
}

#[test]
fn name_globs_and_topics_filter_the_listing() {
    let mut all = repos(5);
    all[4].topics = vec!["rap".to_string()];
    let (_fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, all));
    let run = run_with(&api, &[], |o| {
        o.github.filters.include = vec!["repo-000[0-3]".into()];
        o.github.filters.exclude = vec!["repo-0001".into()];
    });
    assert_eq!(run.report.repos.len(), 3);
    let topical = run_with(&api, &[], |o| o.github.filters.topics = vec!["RAP".into()]);
    assert_eq!(names(&topical.report), [format!("{ORG}/repo-0004")]);
}

#[test]
fn a_ghes_path_prefix_is_kept_through_pagination_and_repo_reads() {
    let mut fake = FakeGitHub::new(ORG, repos(150));
    fake.prefix = "/api/v3".to_string();
    let (fake, _server, api, _rt) = serve(fake);
    assert!(api.ends_with("/api/v3"));
    let run = run(&api);
    assert_eq!(run.report.repos.len(), 150);
    assert_eq!(
        run.report.summary.errored, 0,
        "{:?}",
        run.report.repos[0].error
    );
    assert_eq!(fake.counts.listing.load(Ordering::SeqCst), 2);
}

#[test]
fn a_bad_token_is_reported_as_401_and_the_run_records_it() {
    let mut fake = FakeGitHub::new(ORG, repos(2));
    fake.token = Some("the-right-token".to_string());
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(run.report.summary.audited, 0);
    let error = error_of(&run.report, ORG).unwrap();
    assert!(
        error.contains("401") && error.contains("GITHUB_TOKEN"),
        "{error}"
    );
}

#[test]
fn a_primary_rate_limit_waits_until_the_reset() {
    let fake = FakeGitHub::new(ORG, repos(1));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    fake.fault(
        &format!("/orgs/{ORG}/repos"),
        json_template(
            403,
            serde_json::json!({"message": "API rate limit exceeded"}),
        )
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", (now + 120).to_string().as_str()),
    );
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(run.report.summary.audited, 1);
    let wait = run.waits[0].as_secs();
    assert!((110..=125).contains(&wait), "waited {wait} s");
}

#[test]
fn secondary_limits_honour_retry_after_or_wait_a_minute() {
    let fake = FakeGitHub::new(ORG, repos(1));
    let path = format!("/orgs/{ORG}/repos");
    fake.fault(
        &path,
        json_template(
            403,
            serde_json::json!({"message": "You have exceeded a secondary rate limit"}),
        )
        .insert_header("retry-after", "7"),
    );
    fake.fault(
        &path,
        json_template(429, serde_json::json!({"message": "slow down"})),
    );
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(run.report.summary.audited, 1);
    assert_eq!(run.waits[0], Duration::from_secs(7));
    // No Retry-After: at least a minute, doubling on repeats (this is the second wait).
    assert_eq!(run.waits[1], Duration::from_secs(120));
}

#[test]
fn sso_and_missing_scope_403s_are_told_apart() {
    let fake = FakeGitHub::new(ORG, repos(2));
    fake.fault(
        &format!("/repos/{ORG}/repo-0000"),
        json_template(
            403,
            serde_json::json!({"message": "Resource protected by organization SAML enforcement."}),
        )
        .insert_header(
            "x-github-sso",
            "required; url=https://github.com/orgs/nhs-test/sso?authorization_request=x",
        ),
    );
    fake.fault(
        &format!("/repos/{ORG}/repo-0001"),
        json_template(
            403,
            serde_json::json!({"message": "Resource not accessible by integration"}),
        ),
    );
    let (_fake, _server, api, _rt) = serve(fake);
    let targets = [
        Target::parse(&format!("github:{ORG}/repo-0000")),
        Target::parse(&format!("github:{ORG}/repo-0001")),
    ];
    let run = run_with(&api, &targets, |o| o.github.owners.clear());
    let sso = error_of(&run.report, &format!("{ORG}/repo-0000")).unwrap();
    assert!(
        sso.contains("SAML single sign-on") && sso.contains("authorise"),
        "{sso}"
    );
    let scope = error_of(&run.report, &format!("{ORG}/repo-0001")).unwrap();
    assert!(scope.contains("scope"), "{scope}");
}

#[test]
fn a_repo_deleted_mid_scan_errors_alone() {
    let all = repos(3);
    let fake = FakeGitHub::new(ORG, all);
    fake.fault(
        &format!("/repos/{ORG}/repo-0001/commits/main"),
        json_template(404, serde_json::json!({"message": "Not Found"})),
    );
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(run.report.summary.audited, 2);
    let error = error_of(&run.report, &format!("{ORG}/repo-0001")).unwrap();
    assert!(
        error.contains("404") && error.contains("deleted"),
        "{error}"
    );
}

#[test]
fn server_errors_are_retried_until_success() {
    let all = repos(1);
    let tarball = format!("/repos/{ORG}/repo-0000/tarball/{}", commit_sha(&all[0]));
    let fake = FakeGitHub::new(ORG, all);
    fake.fault(&tarball, ResponseTemplate::new(500));
    fake.fault(&tarball, ResponseTemplate::new(502));
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(
        run.report.summary.audited, 1,
        "{:?}",
        run.report.repos[0].error
    );
    assert_eq!(run.waits.len(), 2, "two backoffs");
}

#[test]
fn persistent_server_errors_fail_the_repo_after_bounded_retries() {
    let all = repos(2);
    let tarball = format!("/repos/{ORG}/repo-0000/tarball/{}", commit_sha(&all[0]));
    let fake = FakeGitHub::new(ORG, all);
    for _ in 0..10 {
        fake.fault(&tarball, ResponseTemplate::new(503));
    }
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(run.report.summary.audited, 1);
    let error = error_of(&run.report, &format!("{ORG}/repo-0000")).unwrap();
    assert!(
        error.contains("server error 503") && error.contains("4 attempts"),
        "{error}"
    );
}

#[test]
fn timeouts_are_retried() {
    let fake = FakeGitHub::new(ORG, repos(1));
    fake.fault(
        &format!("/repos/{ORG}/repo-0000/commits/main"),
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    );
    let (_fake, _server, api, _rt) = serve(fake);
    let started = std::time::Instant::now();
    let run = run_with(&api, &[], |options| {
        options.github.policy.timeout = Duration::from_millis(1500);
    });
    assert_eq!(
        run.report.summary.audited, 1,
        "{:?}",
        run.report.repos[0].error
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn truncated_json_bodies_are_retried() {
    let fake = FakeGitHub::new(ORG, repos(1));
    fake.fault(
        &format!("/orgs/{ORG}/repos"),
        ResponseTemplate::new(200)
            .set_body_raw(b"[{\"name\": \"repo-0".to_vec(), "application/json"),
    );
    let (_fake, _server, api, _rt) = serve(fake);
    let run = run(&api);
    assert_eq!(run.report.summary.audited, 1);
    assert_eq!(run.waits.len(), 1);
}

#[test]
fn a_pack_reading_few_files_uses_tree_and_blobs_and_a_truncated_tree_the_tarball() {
    let mut big = FakeRepo::new("big");
    big.files
        .push(("docs/guide.md".to_string(), b"# Guide\n".to_vec()));
    let mut same = big.clone();
    same.name = "same".to_string();
    big.truncated = true;
    let (fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, vec![big, same]));
    let run = run_with(&api, &[], |o| {
        o.github.read_plan = ReadPlan::only(&["README.md"]);
    });
    assert_eq!(
        run.report.summary.audited, 2,
        "{:?}",
        run.report.repos[0].error
    );
    assert_eq!(
        verdicts(&run.report.repos[0].findings),
        verdicts(&run.report.repos[1].findings)
    );
    let c = &fake.counts;
    assert_eq!(c.tree.load(Ordering::SeqCst), 2, "the plan needs the tree");
    assert_eq!(
        c.tarball.load(Ordering::SeqCst),
        1,
        "only for the truncated tree"
    );
    assert!(c.blobs.load(Ordering::SeqCst) > 0);
}

#[test]
fn an_empty_repo_is_audited_as_an_empty_tree() {
    let mut all = repos(1);
    all[0].empty = true;
    let (_fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, all));
    let run = run(&api);
    assert_eq!(
        run.report.summary.audited, 1,
        "{:?}",
        run.report.repos[0].error
    );
    assert!(run.report.repos[0].source.commit.is_none());
}

#[test]
fn an_unchanged_rerun_is_answered_by_304s_from_the_etag_cache() {
    // More than one listing page: a 304 on a page must still lead to the next one.
    let (fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, repos(150)));
    let cache = tempfile::tempdir().unwrap();
    let pack = common::default_pack();
    let waits = Arc::new(Mutex::new(Vec::new()));
    let first = openly::audit(
        &[],
        &pack,
        &options(&api, Some(cache.path()), waits.clone()),
    )
    .unwrap();
    let sent_first = fake.counts.requests.load(Ordering::SeqCst);
    assert_eq!(fake.counts.not_modified.load(Ordering::SeqCst), 0);
    fake.counts.reset();
    let second = openly::audit(&[], &pack, &options(&api, Some(cache.path()), waits)).unwrap();
    let sent = fake.counts.requests.load(Ordering::SeqCst);
    let not_modified = fake.counts.not_modified.load(Ordering::SeqCst);
    assert_eq!(second.repos.len(), 150);
    // Listing pages and commit SHAs are revalidated; unpacked trees are kept by commit SHA,
    // so no tarball is asked for again. `/rate_limit` is read fresh, and is free.
    assert_eq!(sent, 2 + 150 + 1, "first run sent {sent_first}");
    assert_eq!(fake.counts.tarball.load(Ordering::SeqCst), 0);
    assert_eq!(fake.counts.codeload.load(Ordering::SeqCst), 0);
    assert_eq!(not_modified, 2 + 150);
    assert!(
        not_modified as f64 >= 0.95 * sent as f64,
        "{not_modified} of {sent} were 304"
    );
    let strip = |r: &Report| serde_json::to_value(&r.repos).unwrap();
    assert_eq!(
        strip(&first),
        strip(&second),
        "cached answers give the same report"
    );
}

#[test]
fn review_evidence_is_fetched_only_when_asked_and_bounded() {
    let (fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, repos(1)));
    let plain = run(&api);
    assert!(
        plain.report.repos[0]
            .metadata
            .as_ref()
            .unwrap()
            .reviews
            .is_none()
    );
    let before = fake.counts.other.load(Ordering::SeqCst);
    let with = run_with(&api, &[], |o| o.github.reviews = true);
    let reviews = with.report.repos[0]
        .metadata
        .as_ref()
        .unwrap()
        .reviews
        .clone()
        .unwrap();
    assert_eq!((reviews.merged, reviews.reviewed), (2, 1));
    // One pull request listing and the reviews of the two merged ones.
    assert_eq!(fake.counts.other.load(Ordering::SeqCst) - before, 1 + 2);

    // A pack can ask instead of the flag: RAP's peer-review rule with `from-api = true`.
    let pack = common::pack_with_config(
        "[overrides]\n\"rap/peer-review\" = { params = { from-api = true } }\n",
    );
    let options = options(&api, None, Arc::new(Mutex::new(Vec::new())));
    let report = openly::audit(&[], &pack, &options).unwrap();
    let metadata = report.repos[0].metadata.as_ref().unwrap();
    assert!(
        metadata.reviews.is_some(),
        "the pack asked for review evidence"
    );
    let peer_review = report.repos[0]
        .findings
        .iter()
        .find(|f| f.rule == "rap/peer-review")
        .unwrap();
    assert_ne!(
        peer_review.outcome.as_str(),
        "needs-review",
        "{peer_review:?}"
    );
}

fn verdicts(findings: &[openly::model::Finding]) -> BTreeMap<String, String> {
    findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                serde_json::to_value(f.outcome)
                    .unwrap()
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn the_fixture_org_gets_the_same_verdicts_from_github_as_from_disk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/org");
    let mut fixtures: Vec<FakeRepo> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| FakeRepo::from_dir(&e.file_name().to_string_lossy(), &e.path()))
        .collect();
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(fixtures.len() >= 8);
    let (_fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, fixtures));
    // The fixtures on disk are plain folders, not clones: only `rap/version-control` and
    // `maintenance/recent-activity` can tell (a GitHub repository is under version control by
    // definition and has a last push), so they are left out of this comparison; every other
    // rule, score and fact must agree.
    let pack = common::pack_with_config(
        "[overrides]\n\"rap/version-control\" = { enabled = false }\n\"maintenance/recent-activity\" = { enabled = false }\n",
    );
    let remote_options = options(&api, None, Arc::new(Mutex::new(Vec::new())));
    let remote = openly::audit(&[], &pack, &remote_options).unwrap();
    let local = openly::audit(&[Target::Path(root)], &pack, &AuditOptions::default()).unwrap();
    assert_eq!(remote.repos.len(), local.repos.len());
    for (remote, local) in remote.repos.iter().zip(&local.repos) {
        assert_eq!(remote.name, format!("{ORG}/{}", local.name));
        assert_eq!(remote.error, local.error, "{}", local.name);
        assert_eq!(
            verdicts(&remote.findings),
            verdicts(&local.findings),
            "{}",
            local.name
        );
        assert_eq!(remote.score, local.score, "{}", local.name);
        assert_eq!(
            serde_json::to_value(&remote.facts).unwrap(),
            serde_json::to_value(&local.facts).unwrap(),
            "{}",
            local.name
        );
    }
}

/// Commits the work tree of `repo` as it is, on top of HEAD.
fn commit_tree(repo: &git2::Repository, message: &str) -> git2::Oid {
    let mut index = repo.index().unwrap();
    index
        .add_all(
            ["*"],
            git2::IndexAddOption::DEFAULT | git2::IndexAddOption::FORCE,
            None,
        )
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = git2::Signature::now("Test Analyst", "analyst@example.invalid").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )
    .unwrap()
}

#[test]
fn clone_mode_mirrors_each_repository_and_reads_its_history() {
    // The "GitHub" repository is a real git repository on disk: the listing's clone_url
    // points at it, as it points at https://github.com/… in real use.
    let upstream = tempfile::tempdir().unwrap();
    let git = git2::Repository::init(upstream.path()).unwrap();
    std::fs::write(upstream.path().join("README.md"), "# Beds\n\nInvented.\n").unwrap();
    std::fs::write(
        upstream.path().join(".env"),
        "API_KEY=sk_live_4f9a8b7c6d5e4f3a2b1c\n",
    )
    .unwrap();
    let with_secret = commit_tree(&git, "Add settings");
    std::fs::remove_file(upstream.path().join(".env")).unwrap();
    let first_head = commit_tree(&git, "Remove settings");

    let mut listed = FakeRepo::new("beds");
    listed.clone_url = Some(upstream.path().display().to_string());
    let (_fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, vec![listed]));
    let clones = tempfile::tempdir().unwrap();
    let audit = |history: bool| {
        let mut options = options(&api, None, Arc::new(Mutex::new(Vec::new())));
        options.github.clone_root = Some(clones.path().to_path_buf());
        options.history = history;
        let pack = common::default_pack();
        openly::audit(&[], &pack, &options).unwrap()
    };
    let outcome = |report: &Report, rule: &str| {
        report.repos[0]
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .map(|f| f.outcome.as_str().to_string())
            .unwrap()
    };

    let report = audit(false);
    let repo = &report.repos[0];
    assert!(repo.error.is_none(), "{:?}", repo.error);
    assert_eq!(
        repo.source.commit.as_deref(),
        Some(first_head.to_string().as_str()),
        "{:?} {:?}",
        repo.source,
        repo.metadata
    );
    assert_eq!(repo.source.location, format!("github:{ORG}/beds"));
    assert_eq!(
        outcome(&report, "secrets/env-file"),
        "pass",
        "the tree has no .env"
    );
    assert!(clones.path().join(format!("{ORG}/beds.git/HEAD")).is_file());

    // A new upstream commit arrives by fetch on the next run, and history holds the secret.
    std::fs::write(upstream.path().join("LICENSE"), "MIT\n").unwrap();
    let second_head = commit_tree(&git, "Licence");
    let report = audit(true);
    assert!(
        report.repos[0].error.is_none(),
        "{:?}",
        report.repos[0].error
    );
    assert_eq!(
        report.repos[0].source.commit.as_deref(),
        Some(second_head.to_string().as_str())
    );
    assert_eq!(
        outcome(&report, "secrets/env-file"),
        "fail",
        "found in history"
    );
    let finding = report.repos[0]
        .findings
        .iter()
        .find(|f| f.rule == "secrets/env-file")
        .unwrap();
    assert!(
        finding
            .evidence
            .iter()
            .any(|e| e.commit.as_deref() == Some(with_secret.to_string().as_str())),
        "{:?}",
        finding.evidence
    );
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains("sk_live_4f9a8b7c6d5e4f3a2b1c"), "masked");
}

/// `maintenance/security-contact` from the organisation's `.github` repository: looked up once
/// per owner, only when the listing holds that repository, and named in each repository's
/// metadata; a repository with its own SECURITY.md needs no lookup to pass.
#[test]
fn an_organisation_wide_security_policy_counts_for_every_repository() {
    let mut community = FakeRepo::new(".github");
    community.files.push((
        ".github/SECURITY.md".to_string(),
        b"# Security\n\nReport vulnerabilities to security@example.invalid.\n".to_vec(),
    ));
    let mut own = FakeRepo::new("repo-own-policy");
    own.files.push((
        "SECURITY.md".to_string(),
        b"# Security\n\nEmail us.\n".to_vec(),
    ));
    let plain = FakeRepo::new("repo-plain");
    let (fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, vec![community, own, plain]));
    let before = fake.counts.other.load(Ordering::SeqCst);
    let audited = run(&api);
    assert_eq!(audited.report.summary.audited, 3);
    let outcome = |name: &str| {
        let repo = audited
            .report
            .repos
            .iter()
            .find(|r| r.name == format!("{ORG}/{name}"))
            .unwrap();
        let finding = repo
            .findings
            .iter()
            .find(|f| f.rule == "maintenance/security-contact")
            .unwrap();
        (
            finding.outcome.as_str().to_string(),
            repo.metadata
                .as_ref()
                .and_then(|m| m.security_policy.clone()),
        )
    };
    let policy = Some(format!("{ORG}/.github/.github/SECURITY.md"));
    assert_eq!(outcome("repo-plain"), ("pass".to_string(), policy.clone()));
    assert_eq!(outcome("repo-own-policy").0, "pass");
    // SECURITY.md at the root is missing, .github/SECURITY.md is found: two contents requests
    // for the whole organisation, not per repository.
    let contents = fake.counts.other.load(Ordering::SeqCst) - before;
    assert_eq!(contents, 2, "one lookup per organisation");

    // Without the .github repository nothing is looked up and the plain repository fails.
    let (fake, _server, api, _rt) = serve(FakeGitHub::new(ORG, vec![FakeRepo::new("repo-plain")]));
    let alone = run(&api);
    let repo = &alone.report.repos[0];
    let finding = repo
        .findings
        .iter()
        .find(|f| f.rule == "maintenance/security-contact")
        .unwrap();
    assert_eq!(finding.outcome.as_str(), "fail");
    assert_eq!(fake.counts.other.load(Ordering::SeqCst), 0);
}
