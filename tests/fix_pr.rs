//! `openly fix --pr` from outside: the real binary against a fake GitHub on loopback. The
//! repositories are read as an audit reads them (the tarball fake of `common::fake_github`), and a small
//! stateful fake of the git data and pull-request endpoints sits in front of it, so a second
//! run sees the branch, commit and pull request the first one made. Checked: what is posted
//! (the tree's files, the pull request's body), that a re-run updates in place and an identical
//! one sends no write, that `--dry-run` sends none, that a read-only token fails clearly
//! without the token ever being printed, and that one broken repository does not stop the rest.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use common::fake_github::{FakeGitHub, FakeRepo, commit_sha, json_template};
use wiremock::matchers::method;
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

const ORG: &str = "nhs-test";
const TOKEN: &str = "ghp_fixPRsecretTOKEN0123456789abcdefXYZ";

/// A write the fake received: method, path below `/repos/ORG/`, JSON body.
#[derive(Debug, Clone)]
struct Sent {
    method: String,
    path: String,
    body: serde_json::Value,
}

#[derive(Debug, Clone)]
struct PullState {
    number: u64,
    title: String,
    body: String,
}

/// The git data and pull-request side of the fake: branches, commits and pull requests per
/// repository, changed by the writes it receives.
#[derive(Default)]
struct PrFake {
    sent: Mutex<Vec<Sent>>,
    /// Repository name to the SHA `openly/fix` points at.
    refs: Mutex<HashMap<String, String>>,
    /// Commit SHA to (message, parent).
    commits: Mutex<HashMap<String, (String, String)>>,
    pulls: Mutex<HashMap<String, PullState>>,
    /// (repository, "METHOD endpoint") answered 403, e.g. ("a", "POST git/refs").
    deny: Mutex<Vec<(String, String)>>,
}

impl PrFake {
    fn writes(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    fn writes_to(&self, repo: &str) -> Vec<Sent> {
        let prefix = format!("{repo}/");
        self.writes()
            .into_iter()
            .filter(|s| s.path.starts_with(&prefix))
            .collect()
    }

    /// A branch `openly/fix` whose head openly made earlier, for other changes.
    fn preload_branch(&self, repo: &FakeRepo, message: &str) {
        let sha = format!("{:040x}", 0xdead_beef_u64 + repo.name.len() as u64);
        self.commits
            .lock()
            .unwrap()
            .insert(sha.clone(), (message.to_string(), commit_sha(repo)));
        self.refs.lock().unwrap().insert(repo.name.clone(), sha);
    }

    fn preload_pull(&self, repo: &str, number: u64, body: &str) {
        self.pulls.lock().unwrap().insert(
            repo.to_string(),
            PullState {
                number,
                title: "An older title".to_string(),
                body: body.to_string(),
            },
        );
    }

    fn answer(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        if path == format!("/users/{ORG}") {
            return json_template(
                200,
                serde_json::json!({"login": ORG, "name": "NHS Test Trust"}),
            );
        }
        let rest = path
            .strip_prefix(&format!("/repos/{ORG}/"))
            .unwrap_or_default()
            .to_string();
        let parts: Vec<&str> = rest.split('/').collect();
        let repo = parts[0].to_string();
        let verb = request.method.to_string();
        let body: serde_json::Value =
            serde_json::from_slice(&request.body).unwrap_or(serde_json::Value::Null);
        if verb != "GET" {
            self.sent.lock().unwrap().push(Sent {
                method: verb.clone(),
                path: rest.clone(),
                body: body.clone(),
            });
            let endpoint = format!("{verb} {}", parts[1..].join("/"));
            let denied = self
                .deny
                .lock()
                .unwrap()
                .iter()
                .any(|(r, e)| *r == repo && endpoint.starts_with(e.as_str()));
            if denied {
                return json_template(
                    403,
                    serde_json::json!({"message": "Resource not accessible by integration"}),
                );
            }
        }
        let fresh_sha = || format!("{:040x}", self.sent.lock().unwrap().len() as u64 + 0xabc000);
        let pull_json = |p: &PullState| {
            serde_json::json!({
                "number": p.number,
                "html_url": format!("https://github.invalid/{ORG}/{repo}/pull/{}", p.number),
                "title": p.title,
                "body": p.body,
            })
        };
        match (verb.as_str(), &parts[1..]) {
            ("GET", ["git", "ref", "heads", "openly", "fix"]) => {
                match self.refs.lock().unwrap().get(&repo) {
                    Some(sha) => json_template(
                        200,
                        serde_json::json!({"ref": "refs/heads/openly/fix", "object": {"sha": sha, "type": "commit"}}),
                    ),
                    None => json_template(404, serde_json::json!({"message": "Not Found"})),
                }
            }
            ("GET", ["git", "commits", sha]) => match self.commits.lock().unwrap().get(*sha) {
                Some((message, parent)) => json_template(
                    200,
                    serde_json::json!({"sha": sha, "message": message, "parents": [{"sha": parent}]}),
                ),
                None => json_template(404, serde_json::json!({"message": "Not Found"})),
            },
            ("GET", ["pulls"]) => {
                let head = request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == "head")
                    .map(|(_, v)| v.into_owned());
                assert_eq!(head.as_deref(), Some(format!("{ORG}:openly/fix").as_str()));
                let pulls: Vec<_> = self
                    .pulls
                    .lock()
                    .unwrap()
                    .get(&repo)
                    .map(pull_json)
                    .into_iter()
                    .collect();
                json_template(200, serde_json::json!(pulls))
            }
            ("POST", ["git", "trees"]) | ("POST", ["git", "blobs"]) => {
                json_template(201, serde_json::json!({"sha": fresh_sha()}))
            }
            ("POST", ["git", "commits"]) => {
                let sha = fresh_sha();
                let message = body["message"].as_str().unwrap_or_default().to_string();
                let parent = body["parents"][0].as_str().unwrap_or_default().to_string();
                self.commits
                    .lock()
                    .unwrap()
                    .insert(sha.clone(), (message, parent));
                json_template(201, serde_json::json!({"sha": sha}))
            }
            ("POST", ["git", "refs"]) | ("PATCH", ["git", "refs", "heads", "openly", "fix"]) => {
                let sha = body["sha"].as_str().unwrap_or_default().to_string();
                self.refs.lock().unwrap().insert(repo.clone(), sha.clone());
                json_template(
                    200,
                    serde_json::json!({"ref": "refs/heads/openly/fix", "object": {"sha": sha}}),
                )
            }
            ("POST", ["pulls"]) => {
                let pull = PullState {
                    number: 7,
                    title: body["title"].as_str().unwrap_or_default().to_string(),
                    body: body["body"].as_str().unwrap_or_default().to_string(),
                };
                let answer = pull_json(&pull);
                self.pulls.lock().unwrap().insert(repo.clone(), pull);
                json_template(201, answer)
            }
            ("PATCH", ["pulls", number]) => {
                let mut pulls = self.pulls.lock().unwrap();
                let Some(pull) = pulls
                    .get_mut(&repo)
                    .filter(|p| p.number.to_string() == *number)
                else {
                    return json_template(404, serde_json::json!({"message": "Not Found"}));
                };
                pull.title = body["title"].as_str().unwrap_or_default().to_string();
                pull.body = body["body"].as_str().unwrap_or_default().to_string();
                json_template(200, pull_json(pull))
            }
            _ => json_template(404, serde_json::json!({"message": "Not Found"})),
        }
    }
}

/// The requests the [`PrFake`] answers; everything else goes to the audit's fake.
struct PrRoutes;

impl Match for PrRoutes {
    fn matches(&self, request: &Request) -> bool {
        let path = request.url.path();
        if path == format!("/users/{ORG}") {
            return true;
        }
        if !path.starts_with(&format!("/repos/{ORG}/")) {
            return false;
        }
        request.method.as_str() != "GET"
            || path.contains("/git/ref/")
            || path.contains("/git/commits/")
            || (path.ends_with("/pulls") && request.url.query_pairs().any(|(k, _)| k == "head"))
    }
}

struct Answer(Arc<PrFake>);

impl Respond for Answer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.answer(request)
    }
}

struct Served {
    pr: Arc<PrFake>,
    server: MockServer,
    api: String,
    runtime: tokio::runtime::Runtime,
    _fake: Arc<FakeGitHub>,
}

/// A repository that lacks a licence (and much else), so there is something to fix.
fn unlicensed(name: &str) -> FakeRepo {
    let mut repo = FakeRepo::new(name);
    repo.files.retain(|(path, _)| path != "LICENSE");
    repo
}

fn serve(repos: Vec<FakeRepo>, tweak: impl FnOnce(&FakeGitHub)) -> Served {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = FakeGitHub::new(ORG, repos);
    tweak(&fake);
    let fake = Arc::new(fake);
    let (server, api) = runtime.block_on(fake.clone().serve());
    let pr = Arc::new(PrFake::default());
    runtime.block_on(
        Mock::given(PrRoutes)
            .respond_with(Answer(pr.clone()))
            // Before the audit's fake (5), after a test's own expectations (1).
            .with_priority(2)
            .mount(&server),
    );
    Served {
        pr,
        server,
        api,
        runtime,
        _fake: fake,
    }
}

fn fix(api: &str, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("openly")
        .unwrap()
        .args(["fix", "--pr", "--no-cache", "--api-url", api])
        .args(args)
        .env("GITHUB_TOKEN", TOKEN)
        .env("OPENLY_LOG", "debug")
        .env_remove("GH_TOKEN")
        .env_remove("CI")
        .output()
        .unwrap()
}

fn text(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_no_token(output: &std::process::Output) {
    let (stdout, stderr) = text(output);
    assert!(!stdout.contains(TOKEN), "token on stdout");
    assert!(!stderr.contains(TOKEN), "token on stderr");
}

fn posted_tree_file(sent: &[Sent], file: &str) -> Option<String> {
    sent.iter()
        .filter(|s| s.method == "POST" && s.path.ends_with("/git/trees"))
        .flat_map(|s| s.body["tree"].as_array().cloned().unwrap_or_default())
        .find(|entry| entry["path"] == file)
        .and_then(|entry| entry["content"].as_str().map(String::from))
}

fn endpoints(sent: &[Sent]) -> Vec<String> {
    sent.iter()
        .map(|s| {
            let rest = s.path.split_once('/').map_or("", |(_, r)| r);
            format!("{} {rest}", s.method)
        })
        .collect()
}

#[test]
fn a_first_run_opens_one_pull_request_per_repository_with_the_planned_files() {
    let served = serve(vec![unlicensed("alpha"), unlicensed("beta")], |_| {});
    let output = fix(&served.api, &["--org", ORG]);
    let (stdout, stderr) = text(&output);
    assert_no_token(&output);
    for repo in ["alpha", "beta"] {
        let sent = served.pr.writes_to(repo);
        assert_eq!(
            endpoints(&sent),
            [
                "POST git/trees",
                "POST git/commits",
                "POST git/refs",
                "POST pulls"
            ],
            "{repo}: {stderr}"
        );
        let licence = posted_tree_file(&sent, "LICENSE").expect("LICENSE in the posted tree");
        assert!(licence.contains("MIT License"), "{licence}");
        assert!(
            licence.contains("NHS Test Trust"),
            "the holder is the org's name: {licence}"
        );
        let tree = &sent[0].body;
        assert_eq!(tree["base_tree"], commit_sha_of(repo).as_str());
        let commit = &sent[1].body;
        assert_eq!(commit["parents"][0], commit_sha_of(repo).as_str());
        assert!(
            commit["message"]
                .as_str()
                .unwrap()
                .contains("Openly-Fix-Id:")
        );
        assert_eq!(sent[2].body["ref"], "refs/heads/openly/fix");
        let pull = &sent[3].body;
        assert_eq!(pull["head"], "openly/fix");
        assert_eq!(pull["base"], "main");
        let body = pull["body"].as_str().unwrap();
        assert!(body.contains("`licence/present`"), "{body}");
        assert!(body.contains("- `LICENSE` (new file)"), "{body}");
        assert!(
            stderr.contains(&format!("openly fix: {ORG}/{repo}: opened pull request #7")),
            "{stderr}"
        );
    }
    assert!(
        stdout.is_empty(),
        "nothing on stdout without --dry-run: {stdout}"
    );
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

fn commit_sha_of(name: &str) -> String {
    commit_sha(&unlicensed(name))
}

#[test]
fn a_re_run_updates_the_pull_request_in_place_and_an_identical_one_sends_nothing() {
    let repo = unlicensed("alpha");
    let served = serve(vec![repo.clone()], |_| {});
    served.pr.preload_branch(
        &repo,
        "Add what the open-code playbook asks for\n\nOpenly-Fix-Id: 00000000old\n",
    );
    served
        .pr
        .preload_pull("alpha", 42, "<!-- openly-fix -->\nAn older body.");
    let output = fix(&served.api, &[&format!("github:{ORG}/alpha")]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        endpoints(&served.pr.writes()),
        [
            "POST git/trees",
            "POST git/commits",
            "PATCH git/refs/heads/openly/fix",
            "PATCH pulls/42"
        ],
        "{stderr}"
    );
    let patched = &served.pr.writes()[3].body;
    assert!(
        patched["body"]
            .as_str()
            .unwrap()
            .contains("`licence/present`")
    );
    assert!(stderr.contains("updated pull request #42"), "{stderr}");

    // Again, with nothing new: the branch holds this plan and the words are the same.
    let before = served.pr.writes().len();
    let output = fix(&served.api, &[&format!("github:{ORG}/alpha")]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(served.pr.writes().len(), before, "{:?}", served.pr.writes());
    assert!(
        stderr.contains("pull request #42 is up to date"),
        "{stderr}"
    );
}

#[test]
fn a_dry_run_prints_the_pull_request_and_sends_no_write() {
    let served = serve(vec![unlicensed("alpha"), unlicensed("beta")], |_| {});
    served.runtime.block_on(async {
        for verb in ["POST", "PATCH", "PUT", "DELETE"] {
            Mock::given(method(verb))
                .respond_with(ResponseTemplate::new(500))
                .with_priority(1)
                .expect(0)
                .named(format!("no {verb} in a dry run"))
                .mount(&served.server)
                .await;
        }
    });
    let output = fix(&served.api, &["--org", ORG, "--dry-run"]);
    let (stdout, stderr) = text(&output);
    assert_no_token(&output);
    served.runtime.block_on(served.server.verify());
    assert!(served.pr.writes().is_empty());
    for repo in ["alpha", "beta"] {
        assert!(
            stdout.contains(&format!("openly fix: {ORG}/{repo}")),
            "{stdout}"
        );
        assert!(
            stderr.contains(&format!("{ORG}/{repo}: would open a pull request")),
            "{stderr}"
        );
    }
    assert!(
        stdout.contains("would open a pull request: openly/fix -> main"),
        "{stdout}"
    );
    assert!(
        stdout.contains("title: Add what the open-code playbook asks for"),
        "{stdout}"
    );
    assert!(stdout.contains("`licence/present`"), "{stdout}");
    assert!(stdout.contains("+++ b/LICENSE"), "{stdout}");
    assert_eq!(
        output.status.code(),
        Some(1),
        "a dry run leaves the fixes unmade"
    );
}

#[test]
fn a_read_only_token_fails_clearly_and_is_never_printed() {
    let served = serve(vec![unlicensed("alpha"), unlicensed("beta")], |_| {});
    served.pr.deny.lock().unwrap().extend([
        ("alpha".to_string(), "POST git/trees".to_string()),
        ("beta".to_string(), "POST git/refs".to_string()),
    ]);
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args([
            "fix",
            "--pr",
            "--no-cache",
            "-vv",
            "--org",
            ORG,
            "--api-url",
        ])
        .arg(&served.api)
        .env("GITHUB_TOKEN", TOKEN)
        .env("OPENLY_LOG", "trace")
        .env_remove("GH_TOKEN")
        .env_remove("CI")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert_no_token(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for (repo, step) in [
        ("alpha", "create the tree"),
        ("beta", "create the branch openly/fix"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("openly fix: {ORG}/{repo}: no pull request")))
            .unwrap_or_else(|| panic!("no failure line for {repo}: {stderr}"));
        assert!(line.contains(step), "{line}");
        assert!(line.contains("contents: write"), "{line}");
        assert!(line.contains("pull-requests: write"), "{line}");
    }
    assert!(
        !endpoints(&served.pr.writes())
            .iter()
            .any(|e| e == "POST pulls"),
        "no pull request without a branch"
    );
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn one_broken_repository_does_not_stop_the_others() {
    let broken = unlicensed("alpha");
    let tarball = format!("/repos/{ORG}/alpha/tarball/{}", commit_sha(&broken));
    let served = serve(vec![broken, unlicensed("beta")], |fake| {
        for _ in 0..8 {
            fake.fault(&tarball, ResponseTemplate::new(500));
        }
    });
    let output = fix(&served.api, &["--org", ORG]);
    let (_, stderr) = text(&output);
    assert_no_token(&output);
    assert!(served.pr.writes_to("alpha").is_empty());
    assert_eq!(
        endpoints(&served.pr.writes_to("beta")),
        [
            "POST git/trees",
            "POST git/commits",
            "POST git/refs",
            "POST pulls"
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("openly fix: {ORG}/alpha: no pull request")),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 2 repositories got no pull request"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}

#[test]
fn without_a_token_only_a_dry_run_is_possible() {
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args(["fix", "--pr", "--no-cache", "github:nhs-test/alpha"])
        .args(["--api-url", "http://127.0.0.1:9"])
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .output()
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("contents: write"), "{stderr}");
}

#[test]
fn github_targets_need_pr_and_pr_needs_github_targets() {
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args(["fix", "github:nhs-test/alpha", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("add --pr"));
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args(["fix", ".", "--pr", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("local path"));
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args([
            "fix",
            "fixtures/org/no-licence",
            "fixtures/org/ogl-docs",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("one local repository at a time"));
    // One local path is a work tree fix as before: its diff on stdout, nothing written.
    let output = Command::cargo_bin("openly")
        .unwrap()
        .args(["fix", "fixtures/org/no-licence", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("+++ b/LICENSE"));
}

#[test]
fn a_repository_with_an_invalid_config_exits_78_and_opens_nothing() {
    let mut broken = unlicensed("alpha");
    broken.files.push((
        ".openly.toml".to_string(),
        b"[[allow]]\nrule = 3\n".to_vec(),
    ));
    let served = serve(vec![broken], |_| {});
    let output = fix(&served.api, &["--org", ORG]);
    let (_, stderr) = text(&output);
    assert_no_token(&output);
    assert!(served.pr.writes_to("alpha").is_empty());
    assert!(stderr.contains(".openly.toml:2:"), "{stderr}");
    assert_eq!(output.status.code(), Some(78), "{stderr}");
}

#[test]
fn a_quota_that_runs_out_defers_the_rest_and_says_when() {
    let served = serve(vec![unlicensed("alpha"), unlicensed("beta")], |fake| {
        // Enough for the listing and not for both repositories, resetting in an hour.
        fake.set_quota(5000, 4, std::time::Duration::from_secs(3600));
    });
    let output = fix(&served.api, &["--org", ORG, "--max-wait", "1s"]);
    let (_, stderr) = text(&output);
    assert_no_token(&output);
    assert!(stderr.contains("rate limit"), "{stderr}");
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    let deferred = ["alpha", "beta"]
        .iter()
        .filter(|name| served.pr.writes_to(name).is_empty())
        .count();
    assert!(deferred >= 1, "{stderr}");
    assert!(
        stderr.contains("no pull request: deferred by the rate limit")
            && stderr.contains("re-run openly then"),
        "{stderr}"
    );
}
