//! Reading GitHub repositories as tarballs, and running an organisation within its quota,
//! against the fake GitHub on loopback: the redirect to codeload (another port, so another
//! origin) carries no token, hostile and oversized tarballs harm nothing but their own
//! repository, a quota too small for the run defers the rest with a report still written
//! (and the re-run completes them), `--org @me` and `--user` list the right repositories, a
//! `Retry-After` HTTP date is honoured, and old GHES base64 blobs are decoded.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::fake_github::{FakeGitHub, FakeRepo, json_template};
use openly::AuditOptions;
use openly::model::Report;
use openly::source::github::{Owner, ReadPlan, RetryPolicy, Sleeper, Token};

const ORG: &str = "nhs-test";
const TOKEN: &str = "ghp_tarballTESTtoken0123456789";

struct Served {
    fake: Arc<FakeGitHub>,
    _server: wiremock::MockServer,
    api: String,
    _runtime: tokio::runtime::Runtime,
}

fn serve(fake: FakeGitHub) -> Served {
    let (fake, server, api, runtime) = common::fake_github::serve(fake);
    Served {
        fake,
        _server: server,
        api,
        _runtime: runtime,
    }
}

struct Run {
    report: Report,
    waits: Vec<Duration>,
}

fn run_with(api: &str, cache: Option<&Path>, tweak: impl FnOnce(&mut AuditOptions)) -> Run {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let mut options = AuditOptions {
        jobs: 8,
        ..AuditOptions::default()
    };
    options.github.api_url = api.to_string();
    options.github.owners = vec![ORG.into()];
    options.github.cache_dir = cache.map(Path::to_path_buf);
    options.github.token = Token::new(TOKEN);
    let recorded = waits.clone();
    let sleeper: Sleeper = Arc::new(move |duration| {
        recorded.lock().unwrap().push(duration);
        Box::pin(async {})
    });
    options.github.policy = RetryPolicy {
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(1),
        sleeper,
        ..RetryPolicy::default()
    };
    tweak(&mut options);
    let pack = common::default_pack();
    let report = openly::audit(&[], &pack, &options).unwrap();
    let waits = waits.lock().unwrap().clone();
    Run { report, waits }
}

fn error_of<'a>(report: &'a Report, name: &str) -> Option<&'a str> {
    report
        .repos
        .iter()
        .find(|r| r.name == format!("{ORG}/{name}"))
        .unwrap_or_else(|| panic!("{name} missing"))
        .error
        .as_deref()
}

fn outcome(report: &Report, repo: &str, rule: &str) -> String {
    let repo = report
        .repos
        .iter()
        .find(|r| r.name.ends_with(&format!("/{repo}")))
        .unwrap();
    repo.findings
        .iter()
        .find(|f| f.rule == rule)
        .map(|f| f.outcome.as_str().to_string())
        .unwrap_or_else(|| panic!("{rule} not in {:?}", repo.error))
}

fn verdicts(report: &Report, index: usize) -> BTreeMap<String, String> {
    report.repos[index]
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.outcome.as_str().to_string()))
        .collect()
}

#[test]
fn the_redirect_to_codeload_on_another_host_carries_no_token() {
    let mut private = FakeRepo::new("private");
    private.visibility = "private".into();
    let mut fake = FakeGitHub::new(ORG, vec![FakeRepo::new("public"), private]);
    fake.token = Some(TOKEN.to_string());
    let served = serve(fake);
    let run = run_with(&served.api, None, |_| {});
    assert_eq!(run.report.summary.audited, 2, "{:?}", run.report.repos);
    let fake = &served.fake;
    assert_eq!(fake.counts.codeload.load(Ordering::SeqCst), 2);
    assert!(
        fake.auth_seen
            .lock()
            .unwrap()
            .iter()
            .all(|a| a == &format!("Bearer {TOKEN}")),
        "the API did get the token"
    );
    assert!(!fake.auth_seen.lock().unwrap().is_empty());
    assert_eq!(
        *fake.codeload_auth_seen.lock().unwrap(),
        Vec::<String>::new(),
        "the token must not follow a redirect to another origin"
    );
    assert_ne!(
        fake.codeload_url(),
        served.api,
        "codeload is another origin"
    );
    // The recorder itself works: a request that does carry a header is seen.
    probe_with_authorization(fake.codeload_url());
    assert_eq!(
        *fake.codeload_auth_seen.lock().unwrap(),
        ["Bearer probe"],
        "codeload records what it is sent"
    );
    assert_eq!(outcome(&run.report, "private", "readme/present"), "pass");
}

/// One plain HTTP/1.1 request with an `Authorization` header.
fn probe_with_authorization(base: &str) {
    use std::io::Read;
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /probe HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer probe\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
}

/// One tar member: raw name, kind, raw link target, content.
type Member<'a> = (&'a [u8], tar::EntryType, &'a [u8], &'a [u8]);

/// A gzip-compressed tar whose member names are written verbatim, as a hostile server could.
fn raw_tarball(members: &[Member]) -> Vec<u8> {
    let mut out = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (name, kind, link, data) in members {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(*kind);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        let old = header.as_old_mut();
        old.name.fill(0);
        old.name[..name.len()].copy_from_slice(name);
        old.linkname[..link.len()].copy_from_slice(link);
        header.set_cksum();
        out.append(&header, *data).unwrap();
    }
    let mut gz = out.into_inner().unwrap();
    gz.flush().unwrap();
    gz.finish().unwrap()
}

fn files_under(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            assert!(!kind.is_symlink(), "symlink created: {:?}", entry.path());
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                found.push(
                    entry
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    found
}

#[test]
fn hostile_tarball_entries_are_refused_and_nothing_lands_outside_the_cache() {
    use tar::EntryType::{Regular, Symlink};
    let mut hostile = FakeRepo::new("hostile");
    hostile.tarball = Some(raw_tarball(&[
        (
            b"top/README.md",
            Regular,
            b"",
            b"# Hostile\n\nAn invented repository.\n",
        ),
        (b"top/../escape-dotdot.txt", Regular, b"", b"out"),
        (b"/tmp/openly-escape-absolute.txt", Regular, b"", b"abs"),
        (b"top/link", Symlink, b"../../..", b""),
        (b"top/link/escape-through-link.txt", Regular, b"", b"out"),
        (b"top/etc", Symlink, b"/etc", b""),
        (b"top/etc/passwd", Regular, b"", b"root::0:0"),
    ]));
    let served = serve(FakeGitHub::new(ORG, vec![hostile, FakeRepo::new("plain")]));
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let run = run_with(&served.api, Some(&cache), |_| {});
    assert_eq!(run.report.summary.audited, 2, "{:?}", run.report.repos);
    assert_eq!(outcome(&run.report, "hostile", "readme/present"), "pass");
    let written = files_under(work.path());
    assert!(
        written.iter().all(|p| p.starts_with("cache/")),
        "{written:?}"
    );
    assert!(
        !written
            .iter()
            .any(|p| p.contains("escape") || p.ends_with("passwd")),
        "{written:?}"
    );
    assert!(!Path::new("/tmp/openly-escape-absolute.txt").exists());
}

/// Bytes no compressor can shrink, from a fixed xorshift seed.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[test]
fn a_tarball_over_a_cap_errors_that_repository_alone() {
    let mut noisy = FakeRepo::new("noisy");
    noisy.files.push(("data/blob.bin".into(), noise(300_000)));
    let mut roomy = FakeRepo::new("roomy");
    roomy
        .files
        .push(("data/zeros.bin".into(), vec![0u8; 2_000_000]));
    let served = serve(FakeGitHub::new(
        ORG,
        vec![noisy, roomy, FakeRepo::new("small")],
    ));
    let run = run_with(&served.api, None, |o| {
        o.github.tarball_limits.max_compressed = 100_000;
        o.github.tarball_limits.max_unpacked = 1_000_000;
    });
    assert_eq!(run.report.summary.audited, 1);
    let download = error_of(&run.report, "noisy").unwrap();
    assert!(
        download.contains("download cap") && download.contains("--clone"),
        "{download}"
    );
    let unpacked = error_of(&run.report, "roomy").unwrap();
    assert!(unpacked.contains("unpacks to more"), "{unpacked}");
    assert_eq!(error_of(&run.report, "small"), None);
}

#[test]
fn a_quota_too_small_defers_the_rest_with_the_report_written_and_the_rerun_completes_them() {
    let all: Vec<FakeRepo> = (0..20)
        .map(|i| FakeRepo::new(&format!("repo-{i:02}")))
        .collect();
    let served = serve(FakeGitHub::new(ORG, all));
    // 15 requests left, an hour from the reset: the listing takes one, and each repository
    // two (commit SHA and tarball), so at most 7 can be read.
    served.fake.set_quota(5000, 15, Duration::from_secs(3600));
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let max_wait =
        |o: &mut AuditOptions| o.github.policy.max_rate_limit_wait = Duration::from_secs(60);
    let first = run_with(&served.api, Some(&cache), max_wait);
    let report = &first.report;
    assert_eq!(report.repos.len(), 20, "every repository is in the report");
    let deferred: Vec<&str> = report
        .repos
        .iter()
        .filter_map(|r| r.error.as_deref())
        .collect();
    assert_eq!(report.summary.audited + deferred.len(), 20);
    assert!(report.summary.audited <= 7, "{}", report.summary.audited);
    assert!(report.summary.audited >= 1);
    for error in &deferred {
        assert!(
            error.contains("deferred by the rate limit") && error.contains("the quota resets at"),
            "{error}"
        );
    }
    assert!(
        first.waits.iter().all(|w| *w < Duration::from_secs(60)),
        "no wait beyond --max-wait: {:?}",
        first.waits
    );
    // The fake refused a few requests in flight, and nothing after the deferral was sent.
    let limited = served.fake.counts.limited.load(Ordering::SeqCst);
    assert!((1..=8).contains(&limited), "{limited} requests refused");

    // An hour later the quota is back: the re-run reads only what was deferred.
    served.fake.set_quota(5000, 5000, Duration::from_secs(3600));
    served.fake.counts.reset();
    let second = run_with(&served.api, Some(&cache), max_wait);
    assert_eq!(
        second.report.summary.audited, 20,
        "{:?}",
        second.report.repos
    );
    let c = &served.fake.counts;
    assert_eq!(
        c.tarball.load(Ordering::SeqCst) as usize,
        deferred.len(),
        "the repositories audited the first time were not downloaded again"
    );
    assert_eq!(c.commit_sha.load(Ordering::SeqCst), 20);
}

#[test]
fn org_at_me_lists_the_users_own_repositories_private_ones_included() {
    let mut private = FakeRepo::new("diary");
    private.visibility = "private".into();
    let mut fake = FakeGitHub::new("analyst", vec![FakeRepo::new("notes"), private]);
    fake.token = Some(TOKEN.to_string());
    let served = serve(fake);
    let run = run_with(&served.api, None, |o| o.github.owners = vec![Owner::Me]);
    let names: Vec<&str> = run.report.repos.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["analyst/diary", "analyst/notes"]);
    assert_eq!(run.report.summary.audited, 2, "{:?}", run.report.repos);
    let queries = served.fake.user_repos_queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 1, "{queries:?}");
    assert!(
        queries[0].contains("affiliation=owner") && queries[0].contains("visibility=all"),
        "{queries:?}"
    );
    let metadata = run.report.repos[0].metadata.as_ref().unwrap();
    assert_eq!(metadata.visibility.as_deref(), Some("private"));
}

#[test]
fn user_lists_a_users_repositories_without_trying_an_organisation() {
    let served = serve(FakeGitHub::new("analyst", vec![FakeRepo::new("notes")]));
    served.fake.fault(
        "/orgs/analyst/repos",
        json_template(500, serde_json::json!({"message": "must not be asked"})),
    );
    let run = run_with(&served.api, None, |o| {
        o.github.owners = vec![Owner::User("analyst".into())];
    });
    assert_eq!(run.report.summary.audited, 1, "{:?}", run.report.repos);
    assert!(run.waits.is_empty(), "no retry of an organisation listing");
}

/// `Retry-After` as an IMF-fixdate, formatted here from the civil calendar so the oracle does
/// not share the parser's code.
fn http_date(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn retry_after_given_as_an_http_date_is_waited_out() {
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(1_445_412_480)),
        "Wed, 21 Oct 2015 07:28:00 GMT"
    );
    let fake = FakeGitHub::new(ORG, vec![FakeRepo::new("one")]);
    let until = SystemTime::now() + Duration::from_secs(30);
    fake.fault(
        &format!("/orgs/{ORG}/repos"),
        json_template(
            403,
            serde_json::json!({"message": "You have exceeded a secondary rate limit"}),
        )
        .insert_header("retry-after", http_date(until).as_str()),
    );
    let served = serve(fake);
    let run = run_with(&served.api, None, |_| {});
    assert_eq!(run.report.summary.audited, 1);
    let wait = run.waits[0].as_secs();
    assert!((27..=31).contains(&wait), "waited {wait} s");
}

#[test]
fn old_ghes_base64_blobs_give_the_same_verdicts_as_raw_ones() {
    let plan = |o: &mut AuditOptions| {
        // One file read: lazy blobs, not the tarball.
        o.github.read_plan = ReadPlan::only(&["LICENSE"]);
    };
    let raw = serve(FakeGitHub::new(ORG, vec![FakeRepo::new("one")]));
    let plain = run_with(&raw.api, None, plan);
    let mut fake = FakeGitHub::new(ORG, vec![FakeRepo::new("one")]);
    fake.base64_blobs = true;
    let old = serve(fake);
    let decoded = run_with(&old.api, None, plan);
    assert!(old.fake.counts.blobs.load(Ordering::SeqCst) > 0);
    assert_eq!(old.fake.counts.tarball.load(Ordering::SeqCst), 0);
    assert_eq!(
        decoded.report.summary.audited, 1,
        "{:?}",
        decoded.report.repos
    );
    assert_eq!(outcome(&decoded.report, "one", "licence/present"), "pass");
    assert_eq!(verdicts(&plain.report, 0), verdicts(&decoded.report, 0));
}

#[test]
fn once_interrupted_a_session_opens_no_repository_and_sends_nothing() {
    use openly::source::Opener;
    use openly::source::github::{GitHubTarget, Session};
    let served = serve(FakeGitHub::new(ORG, vec![FakeRepo::new("one")]));
    let mut options = AuditOptions::default();
    options.github.api_url = served.api.clone();
    options.github.owners = vec![ORG.into()];
    options.github.cache_dir = None;
    options.github.token = Token::new(TOKEN);
    let (session, mut planned) = Session::plan(&[], &options.github).unwrap();
    assert_eq!(planned.len(), 1);
    let before = served.fake.counts.requests.load(Ordering::SeqCst);
    // What a Ctrl-C handler does, holding the options' signal from before the run.
    options.github.stop.cancel();
    assert!(session.stop_signal().is_cancelled());
    let target = GitHubTarget::new(session.clone(), planned.remove(0), None);
    let error = match target.open() {
        Ok(_) => panic!("opened after the interrupt"),
        Err(error) => error,
    };
    assert!(error.message.contains("interrupted"), "{error:?}");
    assert!(
        target.listing_metadata().is_some(),
        "the listing's metadata is kept"
    );
    assert_eq!(
        served.fake.counts.requests.load(Ordering::SeqCst),
        before,
        "no request after the interrupt"
    );
}

#[test]
fn the_read_plans_size_cap_is_the_snapshots() {
    // Repeated in the source layer, which may not import the snapshot; they must agree.
    assert_eq!(
        openly::source::github::strategy::DEFAULT_MAX_FILE_SIZE,
        openly::snapshot::DEFAULT_MAX_FILE_SIZE
    );
}
