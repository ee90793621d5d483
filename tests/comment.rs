//! The sticky pull-request comment against a fake GitHub on loopback (wiremock): created once,
//! then edited in place with PATCH, and a read-only token (a fork's pull request) degrades to
//! the job summary without failing the run or showing the token.

mod common;

use common::{TestRepo, healthy_base, openly};
use openly::ci::comment::{self, CommentOutcome, CommentTarget, MARKER};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghs_INVENTEDtokenNEVERtoBEprinted0123";
const COMMENTS: &str = "/repos/invented-trust/bed-occupancy/issues/7/comments";

/// The fake server runs on its own runtime's threads; `comment::upsert` blocks on its own.
fn server() -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    (runtime, server)
}

fn target(server: &MockServer) -> CommentTarget {
    CommentTarget {
        api_url: server.uri(),
        repository: "invented-trust/bed-occupancy".to_string(),
        number: 7,
    }
}

#[test]
fn creates_then_updates_in_place_then_degrades_on_a_read_only_token() {
    let (runtime, server) = server();

    // 1. No comment yet: one POST creates it.
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .and(query_param("per_page", "100"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                {"id": 3, "body": "Looks good to me"}
            ])))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(COMMENTS))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(body_string_contains(MARKER))
            .and(body_string_contains("Score 80"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 42})))
            .expect(1)
            .mount(&server)
            .await;
    });
    let outcome = comment::upsert(&target(&server), TOKEN, "Score 80").unwrap();
    assert_eq!(outcome, CommentOutcome::Created { id: 42 });
    runtime.block_on(server.verify());

    // 2. The comment exists: it is edited with PATCH, and nothing new is posted.
    runtime.block_on(async {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                {"id": 3, "body": "Looks good to me"},
                {"id": 42, "body": format!("{MARKER}\nScore 80")}
            ])))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path(
                "/repos/invented-trust/bed-occupancy/issues/comments/42",
            ))
            .and(body_string_contains("Score 75"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(500))
            .expect(0)
            .mount(&server)
            .await;
    });
    let outcome = comment::upsert(&target(&server), TOKEN, "Score 75").unwrap();
    assert_eq!(outcome, CommentOutcome::Updated { id: 42 });
    runtime.block_on(server.verify());

    // 3. A fork's read-only token: listing works, creating answers 403.
    runtime.block_on(async {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(COMMENTS))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({
                "message": "Resource not accessible by integration",
                "documentation_url": "https://docs.github.com/rest"
            })))
            .expect(1)
            .mount(&server)
            .await;
    });
    let outcome = comment::upsert(&target(&server), TOKEN, "Score 75").unwrap();
    assert_eq!(
        outcome,
        CommentOutcome::ReadOnly {
            status: 403,
            message: "Resource not accessible by integration".to_string()
        }
    );
    runtime.block_on(server.verify());
}

#[test]
fn the_marker_is_found_on_a_later_page() {
    let (runtime, server) = server();
    let first_page: Vec<_> = (0..100)
        .map(|i| json!({"id": 1000 + i, "body": "chatter"}))
        .collect();
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .and(query_param("page", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(first_page))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                {"id": 7777, "body": format!("{MARKER}\nold")}
            ])))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path(
                "/repos/invented-trust/bed-occupancy/issues/comments/7777",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 7777})))
            .expect(1)
            .mount(&server)
            .await;
    });
    let outcome = comment::upsert(&target(&server), TOKEN, "new").unwrap();
    assert_eq!(outcome, CommentOutcome::Updated { id: 7777 });
    runtime.block_on(server.verify());
}

/// The binary on a fork's pull request: exit code from the gate alone, a notice on stderr,
/// the notice and report in the job summary, and the token nowhere.
#[test]
fn binary_falls_back_to_the_job_summary_on_a_fork() {
    let (runtime, server) = server();
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(COMMENTS))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({
                "message": "Resource not accessible by integration"
            })))
            .expect(1)
            .mount(&server)
            .await;
    });
    let repo = TestRepo::new();
    healthy_base(&repo);
    let base = repo.commit("Base");
    repo.write(
        "occupancy.py",
        "import csv\n\n\ndef main():\n    return 2\n",
    );
    repo.commit("Tweak");
    let temp = tempfile::tempdir().unwrap();
    let event = json!({"pull_request": {"number": 7, "base": {"sha": base, "ref": "main"}}});
    std::fs::write(temp.path().join("event.json"), event.to_string()).unwrap();
    let out = openly()
        .current_dir(repo.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", temp.path().join("event.json"))
        .env("GITHUB_STEP_SUMMARY", temp.path().join("summary.md"))
        .env("GITHUB_OUTPUT", temp.path().join("output"))
        .env("GITHUB_REPOSITORY", "invented-trust/bed-occupancy")
        .env("GITHUB_API_URL", server.uri())
        .env("GITHUB_TOKEN", TOKEN)
        .env("RUNNER_TEMP", temp.path())
        .env("OPENLY_LOG", "debug")
        .args(["audit", ".", "--pr", "--comment", "--format", "github"])
        .output()
        .unwrap();
    runtime.block_on(server.verify());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("::notice title=openly comment::"),
        "{stderr}"
    );
    assert!(stderr.contains("read-only token"), "{stderr}");
    let summary = std::fs::read_to_string(temp.path().join("summary.md")).unwrap();
    assert!(
        summary.contains("could not comment on pull request #7"),
        "{summary}"
    );
    assert!(summary.contains("No new failures"), "{summary}");
    let written = std::fs::read_to_string(temp.path().join("output")).unwrap()
        + &std::fs::read_to_string(temp.path().join("openly-report.json")).unwrap();
    for text in [&stdout, &stderr, &summary, &written] {
        assert!(!text.contains(TOKEN), "the token leaked");
    }
}

#[test]
fn binary_creates_the_comment_on_a_writable_pull_request() {
    let (runtime, server) = server();
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path(COMMENTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(COMMENTS))
            .and(body_string_contains(MARKER))
            // The dropped licence: licence/present alone (RAP does not count it again).
            .and(body_string_contains("New failures (1)"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 99})))
            .expect(1)
            .mount(&server)
            .await;
    });
    let repo = TestRepo::new();
    healthy_base(&repo);
    let base = repo.commit("Base");
    repo.remove("LICENSE");
    repo.commit("Drop the licence");
    let temp = tempfile::tempdir().unwrap();
    let event = json!({"pull_request": {"number": 7, "base": {"sha": base}}});
    std::fs::write(temp.path().join("event.json"), event.to_string()).unwrap();
    let out = openly()
        .current_dir(repo.path())
        .env("GITHUB_EVENT_PATH", temp.path().join("event.json"))
        .env("GITHUB_REPOSITORY", "invented-trust/bed-occupancy")
        .env("GITHUB_API_URL", server.uri())
        .env("GITHUB_TOKEN", TOKEN)
        .args(["audit", ".", "--pr", "--comment"])
        .output()
        .unwrap();
    runtime.block_on(server.verify());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("::notice"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
}
