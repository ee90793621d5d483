//! A fake GitHub REST API for tests and the benchmark, served by wiremock on loopback. One
//! responder computes every answer from an in-memory organisation, so an org of 1,000
//! repositories costs no per-repository mocks. It speaks the parts of the API openly uses:
//! paginated listings with `Link` headers, repository descriptions, commit SHAs, recursive
//! trees (optionally truncated), raw blobs, tarballs behind a redirect, and pull requests; it
//! sends weak ETags and answers `If-None-Match` with 304, and counts what it served. Scripted
//! faults (any `ResponseTemplate`) can be queued per path. Nothing here goes online.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

#[derive(Debug, Default)]
pub struct Counts {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
    pub listing: AtomicU64,
    pub blobs: AtomicU64,
    pub other: AtomicU64,
}

impl Counts {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::SeqCst)
    }
    pub fn reset(&self) {
        for c in [
            &self.requests,
            &self.not_modified,
            &self.listing,
            &self.blobs,
            &self.other,
        ] {
            c.store(0, Ordering::SeqCst);
        }
    }
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
}

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
        }
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
                let c = &self.counts;
                return json_template(
                    200,
                    serde_json::json!({
                        "requests": Counts::get(&c.requests),
                        "not_modified": Counts::get(&c.not_modified),
                        "listing": Counts::get(&c.listing),
                        "blobs": Counts::get(&c.blobs),
                        "other": Counts::get(&c.other),
                        "repos": self.repos.len(),
                    }),
                );
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
        if let Some(rest) = full_path.strip_prefix("/codeload/") {
            return self.conditional(request, self.codeload(rest));
        }
        let Some(path) = full_path.strip_prefix(&self.prefix) else {
            return self.conditional(request, not_found());
        };
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
                return self.conditional(request, denied);
            }
        }
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let response = match parts.as_slice() {
            ["orgs", org, "repos"] | ["users", org, "repos"] if *org == self.org => {
                self.counts.listing.fetch_add(1, Ordering::SeqCst);
                self.listing(&origin, path, &query)
            }
            ["repos", org, name] if *org == self.org => match self.repos.get(*name) {
                Some(repo) => {
                    self.counts.listing.fetch_add(1, Ordering::SeqCst);
                    json(200, self.repo_json(repo))
                }
                None => not_found(),
            },
            ["repos", org, name, rest @ ..] if *org == self.org => {
                let Some(repo) = self.repos.get(*name) else {
                    return self.conditional(request, not_found());
                };
                self.repo_route(&origin, repo, rest)
            }
            _ => not_found(),
        };
        self.conditional(request, response)
    }

    fn repo_route(&self, origin: &str, repo: &FakeRepo, rest: &[&str]) -> Out {
        let empty = || {
            json(
                409,
                serde_json::json!({"message": "Git Repository is empty."}),
            )
        };
        match rest {
            ["commits", ..] => {
                self.counts.other.fetch_add(1, Ordering::SeqCst);
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
                self.counts.other.fetch_add(1, Ordering::SeqCst);
                if repo.empty {
                    return empty();
                }
                if *sha != commit_sha(repo) {
                    return not_found();
                }
                let mut tree: Vec<serde_json::Value> = Vec::new();
                let mut dirs = std::collections::BTreeSet::new();
                for (path, bytes) in &repo.files {
                    let mut prefix = String::new();
                    for part in path
                        .split('/')
                        .collect::<Vec<_>>()
                        .iter()
                        .rev()
                        .skip(1)
                        .rev()
                    {
                        if !prefix.is_empty() {
                            prefix.push('/');
                        }
                        prefix.push_str(part);
                        dirs.insert(prefix.clone());
                    }
                    tree.push(serde_json::json!({
                        "path": path, "mode": "100644", "type": "blob",
                        "sha": blob_sha(bytes), "size": bytes.len(),
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
                self.counts.blobs.fetch_add(1, Ordering::SeqCst);
                match repo.files.iter().find(|(_, bytes)| blob_sha(bytes) == *sha) {
                    Some((_, bytes)) => Out::raw(200, bytes.clone(), "application/vnd.github.raw"),
                    None => not_found(),
                }
            }
            ["tarball", sha] => {
                self.counts.other.fetch_add(1, Ordering::SeqCst);
                Out::raw(302, Vec::new(), "text/plain").header(
                    "location",
                    format!("{origin}/codeload/{}/{}/tar.gz/{sha}", self.org, repo.name),
                )
            }
            ["pulls"] => {
                self.counts.other.fetch_add(1, Ordering::SeqCst);
                json(
                    200,
                    serde_json::json!([
                        {"number": 1, "merged_at": "2024-05-01T00:00:00Z", "user": {"login": "author"}},
                        {"number": 2, "merged_at": null, "user": {"login": "author"}},
                        {"number": 3, "merged_at": "2024-05-02T00:00:00Z", "user": {"login": "author"}}
                    ]),
                )
            }
            ["pulls", number, "reviews"] => {
                self.counts.other.fetch_add(1, Ordering::SeqCst);
                let reviewer = if *number == "1" { "reviewer" } else { "author" };
                json(
                    200,
                    serde_json::json!([{"user": {"login": reviewer}, "state": "APPROVED"}]),
                )
            }
            _ => not_found(),
        }
    }

    fn codeload(&self, rest: &str) -> Out {
        let parts: Vec<&str> = rest.split('/').collect();
        let [org, name, "tar.gz", sha] = parts.as_slice() else {
            return not_found();
        };
        let Some(repo) = self.repos.get(*name).filter(|_| *org == self.org) else {
            return not_found();
        };
        let top = format!("{org}-{name}-{}", &sha[..7.min(sha.len())]);
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        for (path, bytes) in &repo.files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, format!("{top}/{path}"), bytes.as_slice())
                .unwrap();
        }
        let mut gz = builder.into_inner().unwrap();
        gz.flush().unwrap();
        let body = gz.finish().unwrap();
        Out::raw(200, body, "application/x-gzip")
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
        })
    }

    /// Adds rate-limit headers and a weak ETag, and answers a matching `If-None-Match` with
    /// 304; a 304 does not spend quota, as on GitHub.
    fn conditional(&self, request: &Request, out: Out) -> ResponseTemplate {
        let etag = format!("W/\"{}\"", &hex(&Sha256::digest(&out.body))[..32]);
        let matches = out.status == 200
            && request
                .headers
                .get("if-none-match")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v == etag);
        if matches {
            self.counts.not_modified.fetch_add(1, Ordering::SeqCst);
        }
        let spent = Counts::get(&self.counts.requests) - Counts::get(&self.counts.not_modified);
        let mut response = if matches {
            ResponseTemplate::new(304)
        } else {
            let mut response = ResponseTemplate::new(out.status).set_body_raw(out.body, out.mime);
            for (name, value) in out.headers {
                response = response.insert_header(name.as_str(), value.as_str());
            }
            response
        };
        if out.status == 200 {
            response = response.insert_header("etag", etag.as_str());
        }
        response
            .insert_header("x-ratelimit-limit", "5000")
            .insert_header(
                "x-ratelimit-remaining",
                5000u64.saturating_sub(spent).to_string().as_str(),
            )
            .insert_header("x-ratelimit-reset", "4102444800")
            .set_delay(self.latency)
    }
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
