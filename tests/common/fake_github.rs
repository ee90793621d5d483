//! A fake GitHub REST API for tests and the benchmark, served by wiremock on loopback. One
//! responder computes every answer from an in-memory organisation, so an org of 1,000
//! repositories costs no per-repository mocks. It speaks the parts of the API openly uses:
//! paginated listings with `Link` headers (`/orgs/O/repos`, `/users/O/repos`, `/user/repos`),
//! repository descriptions, commit SHAs, recursive trees (optionally truncated), raw (or old
//! GHES base64) blobs, `/rate_limit`, and pull requests. Tarballs answer 302 to a second
//! loopback server, "codeload", on another port (so another origin), which builds a real
//! `.tar.gz` on the fly; a private repository's redirect carries a `?token=` as GitHub's does.
//! It sends weak ETags and answers `If-None-Match` with 304, counts what it served by kind,
//! status and repository, and can play a quota that counts down to a 403 with
//! `X-RateLimit-Remaining: 0`. Scripted faults (any `ResponseTemplate`) can be queued per
//! path. Nothing here goes online.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Debug, Clone)]
pub struct FakeRepo {
    pub name: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub archived: bool,
    pub fork: bool,
    pub visibility: String,
    pub topics: Vec<String>,
    pub pushed_at: String,
    /// No commits: commit and tree endpoints answer 409.
    pub empty: bool,
    /// The tree answer says `truncated: true` (and lists only the first file).
    pub truncated: bool,
    /// What the listing gives as `clone_url` (a local path in `--clone` tests).
    pub clone_url: Option<String>,
    /// Symbolic links: path and target, listed by the tree API and put in the tarball.
    pub symlinks: Vec<(String, String)>,
    /// Served by codeload instead of a tarball built from `files` (hostile archives).
    pub tarball: Option<Vec<u8>>,
}

impl FakeRepo {
    pub fn new(name: &str) -> Self {
        FakeRepo {
            name: name.to_string(),
            files: vec![
                (
                    "README.md".to_string(),
                    format!("# {name}\n\nAn invented repository.\n").into_bytes(),
                ),
                (
                    "LICENSE".to_string(),
                    b"MIT License\n\nCopyright (c) 2024 Someone\n".to_vec(),
                ),
            ],
            archived: false,
            fork: false,
            visibility: "public".to_string(),
            topics: Vec::new(),
            pushed_at: "2024-06-01T12:00:00Z".to_string(),
            empty: false,
            truncated: false,
            clone_url: None,
            symlinks: Vec::new(),
            tarball: None,
        }
    }

    /// A repository whose files are those under `dir` (recursively, `.git` excluded).
    pub fn from_dir(name: &str, dir: &Path) -> Self {
        let mut repo = FakeRepo::new(name);
        repo.files.clear();
        walk(dir, dir, &mut repo.files);
        repo.files.sort();
        repo
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        if entry.file_name() == ".git" {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(root, &path, out);
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, std::fs::read(&path).unwrap()));
        }
    }
}

/// What the fake served. `requests` counts every API request (codeload downloads are not
/// API requests and are counted apart, as on GitHub, where they cost no quota).
#[derive(Debug, Default)]
pub struct Counts {
    pub requests: AtomicU64,
    /// Answered 304 (free).
    pub not_modified: AtomicU64,
    /// Answered 200.
    pub ok: AtomicU64,
    /// Listing pages and `GET /repos/O/R`.
    pub listing: AtomicU64,
    pub commit_sha: AtomicU64,
    pub tree: AtomicU64,
    pub blobs: AtomicU64,
    /// `GET /repos/O/R/tarball/SHA` (the 302).
    pub tarball: AtomicU64,
    pub rate_limit: AtomicU64,
    /// Anything else (pull requests, unknown paths).
    pub other: AtomicU64,
    /// Downloads from the codeload server.
    pub codeload: AtomicU64,
    /// Requests refused with a primary rate limit.
    pub limited: AtomicU64,
    /// API requests per repository name, listing aside.
    pub per_repo: Mutex<HashMap<String, u64>>,
}

impl Counts {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::SeqCst)
    }

    fn all(&self) -> [&AtomicU64; 12] {
        [
            &self.requests,
            &self.not_modified,
            &self.ok,
            &self.listing,
            &self.commit_sha,
            &self.tree,
            &self.blobs,
            &self.tarball,
            &self.rate_limit,
            &self.other,
            &self.codeload,
            &self.limited,
        ]
    }

    pub fn reset(&self) {
        for c in self.all() {
            c.store(0, Ordering::SeqCst);
        }
        self.per_repo.lock().unwrap().clear();
    }

    /// The most API requests any one repository drew, listing aside.
    pub fn max_per_repo(&self) -> u64 {
        self.per_repo
            .lock()
            .unwrap()
            .values()
            .copied()
            .max()
            .unwrap_or(0)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let per_repo = self.per_repo.lock().unwrap();
        serde_json::json!({
            "requests": Counts::get(&self.requests),
            "not_modified": Counts::get(&self.not_modified),
            "ok": Counts::get(&self.ok),
            "listing": Counts::get(&self.listing),
            "commit_sha": Counts::get(&self.commit_sha),
            "tree": Counts::get(&self.tree),
            "blobs": Counts::get(&self.blobs),
            "tarball": Counts::get(&self.tarball),
            "rate_limit": Counts::get(&self.rate_limit),
            "other": Counts::get(&self.other),
            "codeload": Counts::get(&self.codeload),
            "limited": Counts::get(&self.limited),
            "repos_touched": per_repo.len(),
            "max_per_repo": per_repo.values().copied().max().unwrap_or(0),
        })
    }
}

/// Which counter a request falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Listing,
    CommitSha,
    Tree,
    Blob,
    Tarball,
    RateLimit,
    Other,
}

/// A primary quota that counts down; `None` in [`FakeGitHub::quota`] means 5,000 that never
/// run out.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub limit: u64,
    pub remaining: u64,
    /// Unix seconds.
    pub reset: u64,
}

pub struct FakeGitHub {
    pub prefix: String,
    pub org: String,
    repos: BTreeMap<String, FakeRepo>,
    pub token: Option<String>,
    pub latency: Duration,
    /// List the organisation's repositories in reverse name order: GitHub lists by creation or
    /// push date, so nothing may depend on the listing's order.
    pub listing_reversed: bool,
    pub counts: Counts,
    faults: Mutex<HashMap<String, VecDeque<ResponseTemplate>>>,
    /// Every `Authorization` header value seen, to prove where the token went.
    pub auth_seen: Mutex<Vec<String>>,
    /// `Authorization` headers that reached codeload (there must be none).
    pub codeload_auth_seen: Mutex<Vec<String>>,
    /// The query strings `/user/repos` was asked with.
    pub user_repos_queries: Mutex<Vec<String>>,
    /// Serve blobs as old GHES does: JSON with base64 content broken into lines.
    pub base64_blobs: bool,
    pub quota: Mutex<Option<Quota>>,
    codeload_url: OnceLock<String>,
    codeload_server: Mutex<Option<MockServer>>,
}

/// The secret codeload puts in a private repository's redirect; it must appear in no log.
pub const CODELOAD_TOKEN: &str = "codeloadSECRETtoken0123456789";

impl FakeGitHub {
    pub fn new(org: &str, repos: Vec<FakeRepo>) -> Self {
        FakeGitHub {
            prefix: String::new(),
            org: org.to_string(),
            repos: repos.into_iter().map(|r| (r.name.clone(), r)).collect(),
            token: None,
            latency: Duration::ZERO,
            listing_reversed: false,
            counts: Counts::default(),
            faults: Mutex::new(HashMap::new()),
            auth_seen: Mutex::new(Vec::new()),
            codeload_auth_seen: Mutex::new(Vec::new()),
            user_repos_queries: Mutex::new(Vec::new()),
            base64_blobs: false,
            quota: Mutex::new(None),
            codeload_url: OnceLock::new(),
            codeload_server: Mutex::new(None),
        }
    }

    /// Plays a quota of `limit` with `remaining` left, resetting `reset_in` from now.
    pub fn set_quota(&self, limit: u64, remaining: u64, reset_in: Duration) {
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .saturating_add(reset_in)
            .as_secs();
        *self.quota.lock().unwrap() = Some(Quota {
            limit,
            remaining,
            reset,
        });
    }

    /// Where codeload serves (another port, so another origin).
    pub fn codeload_url(&self) -> &str {
        self.codeload_url.get().map(String::as_str).unwrap_or("")
    }

    /// Queues `response` for the next request to `path` (without prefix or query).
    pub fn fault(&self, path: &str, response: ResponseTemplate) {
        self.faults
            .lock()
            .unwrap()
            .entry(path.to_string())
            .or_default()
            .push_back(response);
    }

    /// Serves this fake on a fresh loopback server; returns the server and the API root.
    pub async fn serve(self: Arc<Self>) -> (MockServer, String) {
        let codeload = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(wiremock::matchers::any())
            .respond_with(CodeloadHandler(Arc::downgrade(&self)))
            .mount(&codeload)
            .await;
        let _ = self.codeload_url.set(codeload.uri());
        *self.codeload_server.lock().unwrap() = Some(codeload);
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(wiremock::matchers::any())
            .respond_with(Handler(self.clone()))
            .mount(&server)
            .await;
        let api = format!("{}{}", server.uri(), self.prefix);
        (server, api)
    }

    fn respond_to(&self, request: &Request) -> ResponseTemplate {
        // Out-of-band control for the benchmark script; not counted as API traffic.
        match request.url.path() {
            "/__stats" => {
                let mut stats = self.counts.to_json();
                stats["repos"] = serde_json::json!(self.repos.len());
                return json_template(200, stats);
            }
            "/__reset" => {
                self.counts.reset();
                return ResponseTemplate::new(204);
            }
            _ => {}
        }
        self.counts.requests.fetch_add(1, Ordering::SeqCst);
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        if let Some(auth) = &auth {
            self.auth_seen.lock().unwrap().push(auth.clone());
        }
        let full_path = request.url.path().to_string();
        // wiremock rebuilds the URL as `http://localhost/...`; the Host header has the port.
        let origin = match request.headers.get("host").and_then(|v| v.to_str().ok()) {
            Some(host) => format!("http://{host}"),
            None => request.url.origin().ascii_serialization(),
        };
        let Some(path) = full_path.strip_prefix(&self.prefix) else {
            return self.conditional(request, not_found(), Kind::Other);
        };
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let kind = kind_of(&parts);
        self.count(kind, &parts);
        if let Some(queue) = self.faults.lock().unwrap().get_mut(path)
            && let Some(response) = queue.pop_front()
        {
            return response;
        }
        if let Some(token) = &self.token {
            let ok = auth
                .as_deref()
                .is_some_and(|a| a == format!("Bearer {token}") || a == format!("token {token}"));
            if !ok {
                let denied = json(401, serde_json::json!({"message": "Bad credentials"}));
                return self.conditional(request, denied, kind);
            }
        }
        if kind != Kind::RateLimit
            && let Some(quota) = *self.quota.lock().unwrap()
            && quota.remaining == 0
        {
            self.counts.limited.fetch_add(1, Ordering::SeqCst);
            return json_template(
                403,
                serde_json::json!({"message": "API rate limit exceeded for user ID 1."}),
            )
            .insert_header("x-ratelimit-limit", quota.limit.to_string().as_str())
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", quota.reset.to_string().as_str())
            .set_delay(self.latency);
        }
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let response = match parts.as_slice() {
            ["rate_limit"] => self.rate_limit(),
            ["orgs", org, "repos"] | ["users", org, "repos"] if *org == self.org => {
                self.listing(&origin, path, &query)
            }
            ["user", "repos"] => {
                self.user_repos_queries
                    .lock()
                    .unwrap()
                    .push(request.url.query().unwrap_or("").to_string());
                if auth.is_none() {
                    json(
                        401,
                        serde_json::json!({"message": "Requires authentication"}),
                    )
                } else {
                    self.listing(&origin, path, &query)
                }
            }
            ["repos", org, name] if *org == self.org => match self.repos.get(*name) {
                Some(repo) => json(200, self.repo_json(repo)),
                None => not_found(),
            },
            ["repos", org, name, rest @ ..] if *org == self.org => {
                let Some(repo) = self.repos.get(*name) else {
                    return self.conditional(request, not_found(), kind);
                };
                self.repo_route(repo, rest)
            }
            _ => not_found(),
        };
        self.conditional(request, response, kind)
    }

    fn count(&self, kind: Kind, parts: &[&str]) {
        let c = &self.counts;
        let counter = match kind {
            Kind::Listing => &c.listing,
            Kind::CommitSha => &c.commit_sha,
            Kind::Tree => &c.tree,
            Kind::Blob => &c.blobs,
            Kind::Tarball => &c.tarball,
            Kind::RateLimit => &c.rate_limit,
            Kind::Other => &c.other,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        if let ["repos", _, name, _, ..] = parts {
            *c.per_repo
                .lock()
                .unwrap()
                .entry(name.to_string())
                .or_default() += 1;
        }
    }

    fn rate_limit(&self) -> Out {
        let quota = self.quota.lock().unwrap().unwrap_or(Quota {
            limit: 5000,
            remaining: 5000,
            reset: 4102444800,
        });
        let core = serde_json::json!({
            "limit": quota.limit, "remaining": quota.remaining,
            "used": quota.limit - quota.remaining.min(quota.limit), "reset": quota.reset,
        });
        json(
            200,
            serde_json::json!({"resources": {"core": core, "search": {"limit": 30, "remaining": 30, "used": 0, "reset": quota.reset}}, "rate": core}),
        )
    }

    fn repo_route(&self, repo: &FakeRepo, rest: &[&str]) -> Out {
        let empty = || {
            json(
                409,
                serde_json::json!({"message": "Git Repository is empty."}),
            )
        };
        match rest {
            ["commits", ..] => {
                if repo.empty {
                    return empty();
                }
                Out::raw(
                    200,
                    commit_sha(repo).into_bytes(),
                    "application/vnd.github.sha",
                )
            }
            ["git", "trees", sha] => {
                if repo.empty {
                    return empty();
                }
                if *sha != commit_sha(repo) {
                    return not_found();
                }
                let mut tree: Vec<serde_json::Value> = Vec::new();
                let mut dirs = std::collections::BTreeSet::new();
                let paths = repo
                    .files
                    .iter()
                    .map(|(p, _)| p)
                    .chain(repo.symlinks.iter().map(|(p, _)| p));
                for path in paths {
                    let mut prefix = String::new();
                    let parts: Vec<&str> = path.split('/').collect();
                    for part in &parts[..parts.len() - 1] {
                        if !prefix.is_empty() {
                            prefix.push('/');
                        }
                        prefix.push_str(part);
                        dirs.insert(prefix.clone());
                    }
                }
                for (path, bytes) in &repo.files {
                    tree.push(serde_json::json!({
                        "path": path, "mode": "100644", "type": "blob",
                        "sha": blob_sha(bytes), "size": bytes.len(),
                    }));
                }
                for (path, target) in &repo.symlinks {
                    tree.push(serde_json::json!({
                        "path": path, "mode": "120000", "type": "blob",
                        "sha": blob_sha(target.as_bytes()), "size": target.len(),
                    }));
                }
                for dir in dirs {
                    tree.push(serde_json::json!({"path": dir, "mode": "040000", "type": "tree", "sha": "0"}));
                }
                if repo.truncated {
                    tree.truncate(1);
                }
                json(
                    200,
                    serde_json::json!({"sha": sha, "truncated": repo.truncated, "tree": tree}),
                )
            }
            ["git", "blobs", sha] => {
                match repo.files.iter().find(|(_, bytes)| blob_sha(bytes) == *sha) {
                    Some((_, bytes)) if self.base64_blobs => json(
                        200,
                        serde_json::json!({
                            "sha": sha, "size": bytes.len(), "encoding": "base64",
                            "content": base64_lines(bytes),
                        }),
                    ),
                    Some((_, bytes)) => Out::raw(200, bytes.clone(), "application/vnd.github.raw"),
                    None => not_found(),
                }
            }
            ["tarball", sha] => {
                if repo.empty || *sha != commit_sha(repo) {
                    return not_found();
                }
                let secret = if repo.visibility == "public" {
                    String::new()
                } else {
                    format!("?token={CODELOAD_TOKEN}")
                };
                Out::raw(302, Vec::new(), "text/plain").header(
                    "location",
                    format!(
                        "{}/{}/{}/legacy.tar.gz/{sha}{secret}",
                        self.codeload_url(),
                        self.org,
                        repo.name
                    ),
                )
            }
            ["contents", path @ ..] => {
                let path = path.join("/");
                match repo.files.iter().find(|(p, _)| *p == path) {
                    Some((_, bytes)) => json(
                        200,
                        serde_json::json!({
                            "type": "file", "path": path, "size": bytes.len(),
                            "sha": blob_sha(bytes), "encoding": "base64",
                            "content": base64_lines(bytes),
                        }),
                    ),
                    None => not_found(),
                }
            }
            ["pulls"] => json(
                200,
                serde_json::json!([
                    {"number": 1, "merged_at": "2024-05-01T00:00:00Z", "user": {"login": "author"}},
                    {"number": 2, "merged_at": null, "user": {"login": "author"}},
                    {"number": 3, "merged_at": "2024-05-02T00:00:00Z", "user": {"login": "author"}}
                ]),
            ),
            ["pulls", number, "reviews"] => {
                let reviewer = if *number == "1" { "reviewer" } else { "author" };
                json(
                    200,
                    serde_json::json!([{"user": {"login": reviewer}, "state": "APPROVED"}]),
                )
            }
            _ => not_found(),
        }
    }

    /// The codeload server: a real `.tar.gz` of the repository at the requested commit, built
    /// on the fly as GitHub lays it out (a pax global header, then `org-name-sha7/…`).
    fn codeload(&self, request: &Request) -> ResponseTemplate {
        self.counts.codeload.fetch_add(1, Ordering::SeqCst);
        if let Some(auth) = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        {
            self.codeload_auth_seen
                .lock()
                .unwrap()
                .push(auth.to_string());
        }
        let path = request.url.path().trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        let [org, name, "legacy.tar.gz", sha] = parts.as_slice() else {
            return ResponseTemplate::new(404);
        };
        let Some(repo) = self.repos.get(*name).filter(|_| *org == self.org) else {
            return ResponseTemplate::new(404);
        };
        let token = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned());
        if repo.visibility != "public" && token.as_deref() != Some(CODELOAD_TOKEN) {
            return ResponseTemplate::new(404);
        }
        let body = match &repo.tarball {
            Some(bytes) => bytes.clone(),
            None => build_tarball(
                &format!("{org}-{name}-{}", &sha[..7.min(sha.len())]),
                repo,
                sha,
            ),
        };
        ResponseTemplate::new(200)
            .set_body_raw(body, "application/x-gzip")
            .set_delay(self.latency)
    }

    fn listing(&self, origin: &str, path: &str, query: &HashMap<String, String>) -> Out {
        let per_page: usize = query
            .get("per_page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30)
            .clamp(1, 100);
        let page: usize = query
            .get("page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
            .max(1);
        let mut all: Vec<&FakeRepo> = self.repos.values().collect();
        if self.listing_reversed {
            all.reverse();
        }
        let pages = all.len().div_ceil(per_page).max(1);
        let items: Vec<serde_json::Value> = all
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|r| self.repo_json(r))
            .collect();
        let mut response = json(200, serde_json::Value::Array(items));
        let link = |p: usize, rel: &str| {
            format!(
                "<{origin}{}{path}?per_page={per_page}&page={p}>; rel=\"{rel}\"",
                self.prefix
            )
        };
        let mut links = Vec::new();
        if page < pages {
            links.push(link(page + 1, "next"));
            links.push(link(pages, "last"));
        }
        if page > 1 {
            links.push(link(1, "first"));
        }
        if !links.is_empty() {
            response = response.header("link", links.join(", "));
        }
        response
    }

    fn repo_json(&self, repo: &FakeRepo) -> serde_json::Value {
        serde_json::json!({
            "name": repo.name,
            "full_name": format!("{}/{}", self.org, repo.name),
            "owner": {"login": self.org},
            "description": null,
            "topics": repo.topics,
            "default_branch": "main",
            "visibility": repo.visibility,
            "private": repo.visibility != "public",
            "archived": repo.archived,
            "fork": repo.fork,
            "pushed_at": repo.pushed_at,
            "clone_url": repo.clone_url,
            "size": repo.files.iter().map(|(_, b)| b.len()).sum::<usize>().div_ceil(1024),
        })
    }

    /// Adds rate-limit headers and a weak ETag, and answers a matching `If-None-Match` with
    /// 304; a 304 does not spend quota, as on GitHub, and neither does `/rate_limit`.
    fn conditional(&self, request: &Request, out: Out, kind: Kind) -> ResponseTemplate {
        let etag = format!("W/\"{}\"", &hex(&Sha256::digest(&out.body))[..32]);
        let matches = out.status == 200
            && kind != Kind::RateLimit
            && request
                .headers
                .get("if-none-match")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v == etag);
        if matches {
            self.counts.not_modified.fetch_add(1, Ordering::SeqCst);
        } else if out.status == 200 {
            self.counts.ok.fetch_add(1, Ordering::SeqCst);
        }
        let (limit, remaining, reset) = {
            let mut quota = self.quota.lock().unwrap();
            match quota.as_mut() {
                Some(quota) => {
                    if !matches && kind != Kind::RateLimit {
                        quota.remaining = quota.remaining.saturating_sub(1);
                    }
                    (quota.limit, quota.remaining, quota.reset)
                }
                None => {
                    let spent = Counts::get(&self.counts.requests)
                        - Counts::get(&self.counts.not_modified)
                        - Counts::get(&self.counts.rate_limit);
                    (5000, 5000u64.saturating_sub(spent), 4102444800)
                }
            }
        };
        let mut response = if matches {
            ResponseTemplate::new(304)
        } else {
            let mut response = ResponseTemplate::new(out.status).set_body_raw(out.body, out.mime);
            for (name, value) in out.headers {
                response = response.insert_header(name.as_str(), value.as_str());
            }
            response
        };
        if out.status == 200 && kind != Kind::RateLimit {
            response = response.insert_header("etag", etag.as_str());
        }
        response
            .insert_header("x-ratelimit-limit", limit.to_string().as_str())
            .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
            .insert_header("x-ratelimit-reset", reset.to_string().as_str())
            .set_delay(self.latency)
    }
}

fn kind_of(parts: &[&str]) -> Kind {
    match parts {
        ["rate_limit"] => Kind::RateLimit,
        ["orgs", _, "repos"] | ["users", _, "repos"] | ["user", "repos"] | ["repos", _, _] => {
            Kind::Listing
        }
        ["repos", _, _, "commits", ..] => Kind::CommitSha,
        ["repos", _, _, "git", "trees", _] => Kind::Tree,
        ["repos", _, _, "git", "blobs", _] => Kind::Blob,
        ["repos", _, _, "tarball", _] => Kind::Tarball,
        _ => Kind::Other,
    }
}

/// A gzip-compressed tar of `repo` under `top/`, with the pax global header `git archive`
/// writes first.
pub fn build_tarball(top: &str, repo: &FakeRepo, sha: &str) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let comment = format!("52 comment={sha}\n");
    let mut global = tar::Header::new_ustar();
    global.set_entry_type(tar::EntryType::XGlobalHeader);
    global.set_size(comment.len() as u64);
    global.set_path("pax_global_header").unwrap();
    global.set_cksum();
    builder.append(&global, comment.as_bytes()).unwrap();
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_size(0);
    dir.set_mode(0o775);
    dir.set_cksum();
    builder
        .append_data(&mut dir, format!("{top}/"), std::io::empty())
        .unwrap();
    for (path, bytes) in &repo.files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{top}/{path}"), bytes.as_slice())
            .unwrap();
    }
    for (path, target) in &repo.symlinks {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        header.set_mode(0o777);
        builder
            .append_link(&mut header, format!("{top}/{path}"), target)
            .unwrap();
    }
    let mut gz = builder.into_inner().unwrap();
    gz.flush().unwrap();
    gz.finish().unwrap()
}

/// Base64 in 60-character lines, as the contents and blob APIs send it.
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    let mut lined = String::new();
    for (i, c) in out.chars().enumerate() {
        if i > 0 && i % 60 == 0 {
            lined.push('\n');
        }
        lined.push(c);
    }
    lined.push('\n');
    lined
}

/// A response before conditional handling, whose body is still readable for the ETag.
pub struct Out {
    status: u16,
    body: Vec<u8>,
    mime: &'static str,
    headers: Vec<(String, String)>,
}

impl Out {
    fn raw(status: u16, body: Vec<u8>, mime: &'static str) -> Self {
        Out {
            status,
            body,
            mime,
            headers: Vec::new(),
        }
    }

    fn header(mut self, name: &str, value: String) -> Self {
        self.headers.push((name.to_string(), value));
        self
    }
}

struct Handler(Arc<FakeGitHub>);

impl Respond for Handler {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond_to(request)
    }
}

/// Weak, so the fake (which owns the codeload server) can be dropped with its API server.
struct CodeloadHandler(Weak<FakeGitHub>);

impl Respond for CodeloadHandler {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.0.upgrade() {
            Some(fake) => fake.codeload(request),
            None => ResponseTemplate::new(503),
        }
    }
}

fn json(status: u16, body: serde_json::Value) -> Out {
    Out::raw(status, body.to_string().into_bytes(), "application/json")
}

/// A JSON answer for scripted faults.
pub fn json_template(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), "application/json")
}

fn not_found() -> Out {
    json(404, serde_json::json!({"message": "Not Found"}))
}

pub fn blob_sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))[..40].to_string()
}

pub fn commit_sha(repo: &FakeRepo) -> String {
    let mut hasher = Sha256::new();
    hasher.update(repo.name.as_bytes());
    for (path, bytes) in &repo.files {
        hasher.update(path.as_bytes());
        hasher.update(blob_sha(bytes).as_bytes());
    }
    hex(&hasher.finalize())[..40].to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Serves `fake` on loopback from a runtime of its own, for tests that call openly's blocking
/// API. Keep every part alive for the test: dropping the server or the runtime stops the fake.
pub fn serve(fake: FakeGitHub) -> (Arc<FakeGitHub>, MockServer, String, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = Arc::new(fake);
    let (server, api) = runtime.block_on(fake.clone().serve());
    (fake, server, api, runtime)
}
