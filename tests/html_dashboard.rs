//! The HTML dashboard in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! driven over WebDriver). The page is built from real `openly audit --format json` output the
//! way the emitter builds it (`report::html::embed::render_page`) and loaded from a file:// URL.
//! Every expected number is computed here from the JSON, never by the page's own script.
//!
//! Without Chromium the test says so and passes; `scripts/install-test-deps.sh` installs it, and
//! `OPENLY_REQUIRE_BROWSER=1` (set by CI) turns a missing browser into a failure.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1280,1600",
];
const TAB: char = '\u{e004}';
const ENTER: char = '\u{e007}';

// ─────────────────────────── the browser ───────────────────────────

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    names.iter().find_map(|name| {
        dirs.iter()
            .chain([PathBuf::from("/usr/bin")].iter())
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// chromedriver on a free loopback port, with its own Chromium profile; both end with the guard.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
    chromium: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Option<Driver> {
    let chromium = find_program("CHROME", &["chromium", "chromium-browser"]);
    let chromedriver = find_program("CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        let message = "Chromium or chromedriver not found: run scripts/install-test-deps.sh \
                       (Debian packages chromium, chromium-driver)";
        if std::env::var_os("OPENLY_REQUIRE_BROWSER").is_some_and(|v| v == "1") {
            panic!("{message}; OPENLY_REQUIRE_BROWSER=1 makes that a failure");
        }
        #[allow(clippy::disallowed_macros)] // a skipped test must say so in the test output
        {
            eprintln!("SKIPPED html_dashboard: {message}");
        }
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
    Some(Driver {
        child,
        port,
        profile: tempfile::tempdir().unwrap(),
        chromium,
    })
}

async fn connect(driver: &Driver) -> Client {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!(
        "--user-data-dir={}",
        driver.profile.path().display()
    ));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": driver.chromium, "args": args}),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return client,
            // chromedriver needs a moment before it listens.
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no WebDriver session from chromedriver: {e}"),
        }
    }
}

// ─────────────────────────── reports and pages ───────────────────────────

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn audit_json(targets: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_openly"))
        .current_dir(root())
        .arg("audit")
        .args(targets)
        .args(["--format", "json"])
        .env_remove("OPENLY_LOG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // A fixed time keeps the README screenshot the same from run to run.
    report["generated_at"] = json!("2026-01-01T09:00:00Z");
    report
}

fn write_page(dir: &Path, name: &str, report: &Value) -> String {
    let json = serde_json::to_string_pretty(report).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, openly::report::html::embed::render_page(&json)).unwrap();
    format!("file://{}", path.display())
}

fn repos(report: &Value) -> &Vec<Value> {
    report["repos"].as_array().unwrap()
}

fn findings(repo: &Value) -> &Vec<Value> {
    repo["findings"].as_array().unwrap()
}

/// "Needs attention first", restated: a failed (not waived) secrets/* rule or personal-data
/// rule, or a repository that could not be audited.
fn needs_attention(repo: &Value) -> bool {
    const PERSONAL_DATA: [&str; 4] = [
        "data/nhs-number",
        "data/chi-number",
        "data/quasi-identifiers",
        "data/small-numbers",
    ];
    !repo["error"].is_null()
        || findings(repo).iter().any(|f| {
            f["outcome"] == "fail"
                && f["rule"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("secrets/") || PERSONAL_DATA.contains(&r))
        })
}

/// `generated_at` of the page the binary writes, fixed through SOURCE_DATE_EPOCH, as
/// `audit_json` fixes it: 2026-01-01T09:00:00Z.
const FIXED_EPOCH: &str = "1767258000";

/// The page exactly as `openly audit ARGS --format html -o FILE` writes it (ARGS: the targets
/// and any other flags).
fn write_html_page(dir: &Path, name: &str, targets: &[&str]) -> String {
    let path = dir.join(name);
    let output = Command::new(env!("CARGO_BIN_EXE_openly"))
        .current_dir(root())
        .arg("audit")
        .args(targets)
        .args(["--format", "html", "--output"])
        .arg(&path)
        .env_remove("OPENLY_LOG")
        .env("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    format!("file://{}", path.display())
}

// ─────────────────────────── page helpers ───────────────────────────

async fn load(client: &Client, url: &str) {
    client.goto(url).await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("html[data-openly-ready]"))
        .await
        .expect("the dashboard script finished drawing");
    let error = client.find(Locator::Id("load-error")).await.unwrap();
    assert!(
        !error.is_displayed().await.unwrap(),
        "{}",
        error.text().await.unwrap()
    );
}

async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap()
}

async fn headline(client: &Client, key: &str) -> String {
    let css = format!("[data-headline=\"{key}\"] dd");
    client
        .find(Locator::Css(&css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn row_names(client: &Client) -> Vec<String> {
    let rows = client
        .find_all(Locator::Css("#repo-table-body tr.repo-row"))
        .await
        .unwrap();
    let mut names = Vec::new();
    for row in rows {
        names.push(row.attr("data-repo").await.unwrap().unwrap_or_default());
    }
    names
}

async fn column_header(client: &Client, label: &str) -> (Element, Element) {
    for th in client
        .find_all(Locator::Css("#repo-table-head th"))
        .await
        .unwrap()
    {
        if let Ok(button) = th.find(Locator::Css("button.sort-button")).await {
            let text = button.text().await.unwrap();
            let text: String = text
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ')
                .collect();
            if text.trim() == label {
                return (th, button);
            }
        }
    }
    panic!("no sortable column headed {label:?}");
}

async fn press(client: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.unwrap();
}

async fn active_class(client: &Client) -> String {
    js(
        client,
        "return document.activeElement ? document.activeElement.className : ''",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

const CONTRAST_CHECK: &str = include_str!("data/html/contrast-check.js");

// ─────────────────────────── the test ───────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_in_headless_chromium() {
    let Some(driver) = start_driver() else {
        return;
    };
    let client = connect(&driver).await;
    let pages = tempfile::tempdir().unwrap();
    let dir = pages.path().to_path_buf();
    let checks = client.clone();
    // The checks run as a task so that a failed assertion still closes the browser.
    let result = tokio::spawn(async move {
        estate_page(&checks, &dir).await;
        one_repository_page(&checks, &dir).await;
        trends_page(&checks, &dir).await;
        hostile_page(&checks, &dir).await;
        thousand_repositories_page(&checks, &dir).await;
    })
    .await;
    client.close().await.ok();
    if let Err(failure) = result {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn estate_page(client: &Client, pages: &Path) {
    let report = audit_json(&["fixtures/org"]);
    let url = write_html_page(pages, "estate.html", &["fixtures/org"]);
    let page = std::fs::read_to_string(pages.join("estate.html")).unwrap();
    assert!(
        page.contains("\"generated_at\":\"2026-01-01T09:00:00Z\""),
        "SOURCE_DATE_EPOCH fixes the time"
    );
    // Slimmed: the page never reads the detections or the RAP evidence.
    for heavy in ["\"detections\"", "\"synthetic\"", "\"fingerprint\""] {
        assert!(!page.contains(heavy), "{heavy} embedded in the page");
    }
    load(client, &url).await;
    let repos = repos(&report);

    // One row per repository, the same names.
    let mut names = row_names(client).await;
    assert_eq!(names.len(), repos.len(), "rows vs repos in the JSON");
    let mut expected: Vec<String> = repos
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);

    // Headline numbers against the JSON summary, and counts restated from the findings.
    let summary = &report["summary"];
    assert_eq!(
        headline(client, "repos").await,
        summary["repos"].to_string()
    );
    assert_eq!(
        headline(client, "audited").await,
        summary["audited"].to_string()
    );
    assert_eq!(
        headline(client, "errored").await,
        summary["errored"].to_string()
    );
    let mean = summary["mean_score"].as_f64().unwrap();
    assert_eq!(headline(client, "mean-score").await, format!("{mean:.1}"));
    let attention = repos.iter().filter(|r| needs_attention(r)).count();
    assert!(attention > 0, "fixtures/org has a committed .env");
    assert_eq!(headline(client, "attention").await, attention.to_string());
    let listed = client
        .find_all(Locator::Css("#attention .attention-item"))
        .await
        .unwrap();
    assert_eq!(listed.len(), attention.min(10));

    // Charts: every repository counted once in each, and the RAP bars match the JSON.
    for chart in ["scores", "licences", "rap"] {
        let css = format!("#chart-{chart}");
        let total = client.find(Locator::Css(&css)).await.unwrap();
        assert_eq!(
            total.attr("data-total").await.unwrap(),
            Some(repos.len().to_string()),
            "{chart} chart total"
        );
    }
    for level in ["none", "baseline", "silver", "gold"] {
        let count = repos.iter().filter(|r| r["rap_level"] == level).count();
        let css = format!("#chart-rap [data-bar=\"{level}\"]");
        let bar = client.find(Locator::Css(&css)).await.unwrap();
        assert_eq!(
            bar.attr("data-value").await.unwrap(),
            Some(count.to_string()),
            "{level}"
        );
    }
    let unlicensed = repos
        .iter()
        .filter(|r| {
            r["facts"]["licences"]
                .as_array()
                .is_none_or(|l| l.is_empty())
        })
        .count();
    let bar = client
        .find(Locator::Css("#chart-licences [data-bar=\"none\"]"))
        .await
        .unwrap();
    assert_eq!(
        bar.attr("data-value").await.unwrap(),
        Some(unlicensed.to_string())
    );

    // The fixtures are plain folders: maintenance rules but no push dates, so the rules
    // chart and no last-push chart.
    assert!(client.find(Locator::Id("chart-last-push")).await.is_err());
    assert!(
        client
            .find(Locator::Id("chart-maintenance-rules"))
            .await
            .is_ok()
    );

    // Exemplar: the best overall score in the JSON among repositories with no failed
    // error-severity rule comes first.
    let best = repos
        .iter()
        .filter(|r| r["score"].is_number())
        .filter(|r| {
            !findings(r)
                .iter()
                .any(|f| f["outcome"] == "fail" && f["severity"] == "error")
        })
        .max_by(|a, b| {
            a["score"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["score"].as_f64().unwrap())
        })
        .unwrap();
    let first = client
        .find(Locator::Css("#exemplars-overall li"))
        .await
        .unwrap();
    assert_eq!(
        first.attr("data-repo").await.unwrap().as_deref(),
        best["name"].as_str()
    );

    // Each category names every eligible repository tied at its top score, best overall first.
    let eligible: Vec<&Value> = repos
        .iter()
        .filter(|r| r["score"].is_number())
        .filter(|r| {
            !findings(r)
                .iter()
                .any(|f| f["outcome"] == "fail" && f["severity"] == "error")
        })
        .collect();
    let licence_score = |r: &Value| {
        r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "licence")
            .and_then(|c| c["score"].as_f64())
    };
    let top = eligible
        .iter()
        .filter_map(|r| licence_score(r))
        .fold(f64::MIN, f64::max);
    let mut tied: Vec<&Value> = eligible
        .iter()
        .copied()
        .filter(|r| licence_score(r) == Some(top))
        .collect();
    tied.sort_by(|a, b| {
        b["score"]
            .as_f64()
            .unwrap()
            .total_cmp(&a["score"].as_f64().unwrap())
            .then(a["name"].as_str().cmp(&b["name"].as_str()))
    });
    let expected: Vec<&str> = tied
        .iter()
        .take(3)
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let licence_entry = client
        .find(Locator::Css("#exemplars-category li"))
        .await
        .unwrap();
    assert!(
        licence_entry.text().await.unwrap().starts_with("Licence:"),
        "the first category is the licence"
    );
    assert_eq!(
        licence_entry.attr("data-repo").await.unwrap(),
        Some(expected.join("\n"))
    );

    // Sorting by the "Score" column: ascending, then descending, nulls last.
    let before = row_names(client).await;
    let (th, button) = column_header(client, "Score").await;
    button.click().await.unwrap();
    assert_eq!(
        th.attr("aria-sort").await.unwrap().as_deref(),
        Some("ascending")
    );
    let ascending = row_scores(client).await;
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    assert_ne!(
        row_names(client).await,
        before,
        "sorting by score changed the order"
    );
    let mut expected_scores: Vec<f64> = repos.iter().filter_map(|r| r["score"].as_f64()).collect();
    expected_scores.sort_by(f64::total_cmp);
    assert_eq!(ascending, expected_scores);
    button.click().await.unwrap();
    assert_eq!(
        th.attr("aria-sort").await.unwrap().as_deref(),
        Some("descending")
    );
    let descending = row_scores(client).await;
    assert!(
        descending.windows(2).all(|w| w[0] >= w[1]),
        "{descending:?}"
    );

    // Keyboard only: Tab from the Score header to the first row's findings button, then Enter.
    let mut reached = false;
    for _ in 0..12 {
        press(client, TAB).await;
        if active_class(client).await.contains("detail-toggle") {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached a findings button");
    let toggle = client.active_element().await.unwrap();
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    let focus_bg = toggle.css_value("background-color").await.unwrap();
    assert!(
        focus_bg.contains("255, 235, 59"),
        "focus is visible (NHS yellow), not {focus_bg}"
    );
    press(client, ENTER).await;
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    let detail_id = toggle.attr("aria-controls").await.unwrap().unwrap();
    let row = client
        .find(Locator::Css("#repo-table-body tr.repo-row"))
        .await
        .unwrap();
    let name = row.attr("data-repo").await.unwrap().unwrap();
    let repo = repos.iter().find(|r| r["name"] == name.as_str()).unwrap();
    let detail = client.find(Locator::Id(&detail_id)).await.unwrap();
    let shown = detail.find_all(Locator::Css("li.finding")).await.unwrap();
    assert_eq!(shown.len(), findings(repo).len(), "every finding of {name}");
    let locations: usize = findings(repo)
        .iter()
        .flat_map(|f| f["evidence"].as_array().into_iter().flatten())
        .filter(|e| e["path"].is_string() || e["excerpt"].is_string())
        .count();
    let shown_locations = detail.find_all(Locator::Css(".evidence li")).await.unwrap();
    assert_eq!(shown_locations.len(), locations, "every location of {name}");
    let fixes = detail
        .find_all(Locator::Css(".finding__fix"))
        .await
        .unwrap();
    let with_help = findings(repo)
        .iter()
        .filter(|f| f["help"].as_str().is_some_and(|h| !h.is_empty()))
        .count();
    assert_eq!(fixes.len(), with_help);
    // The drill-down is not a second repository row.
    assert_eq!(row_names(client).await.len(), repos.len());
    // Outcomes are words as well as colours.
    let failed = detail
        .find_all(Locator::Css("li.finding[data-outcome=\"fail\"] .badge"))
        .await
        .unwrap();
    for badge in failed {
        assert!(badge.text().await.unwrap().contains("Fail"));
    }

    // Filtering by a failed rule keeps exactly the repositories that fail it.
    let filter = client.find(Locator::Id("filter-text")).await.unwrap();
    filter.send_keys("licence/present").await.unwrap();
    let failing: Vec<&str> = repos
        .iter()
        .filter(|r| {
            findings(r)
                .iter()
                .any(|f| f["rule"] == "licence/present" && f["outcome"] == "fail")
        })
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let visible = js(
        client,
        "return Array.from(document.querySelectorAll('#repo-table-body tr.repo-row')).filter(function (r) { return !r.hidden; }).map(function (r) { return r.dataset.repo; }).sort();",
    )
    .await;
    let mut failing_sorted: Vec<&str> = failing.clone();
    failing_sorted.sort();
    assert_eq!(visible, json!(failing_sorted));
    client
        .find(Locator::Id("filter-reset"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Contrast, measured on the rendered page with a drill-down open.
    let contrast = js(client, CONTRAST_CHECK).await;
    assert!(contrast["checked"].as_u64().unwrap() > 100, "{contrast}");
    assert_eq!(contrast["bad"], json!([]), "text below WCAG AA contrast");

    // "Needs attention first" opens the worst repository's findings.
    let worst = client
        .find(Locator::Css("#attention .attention-item"))
        .await
        .unwrap();
    let worst_name = worst.attr("data-repo").await.unwrap().unwrap();
    let secrets_failed = repos
        .iter()
        .find(|r| r["name"] == worst_name.as_str())
        .map(|r| {
            findings(r).iter().any(|f| {
                f["outcome"] == "fail"
                    && f["rule"]
                        .as_str()
                        .is_some_and(|id| id.starts_with("secrets/"))
            })
        });
    assert_eq!(
        secrets_failed,
        Some(true),
        "{worst_name} first: it fails a secrets rule"
    );
    worst
        .find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let css = format!("tr.repo-row[data-repo=\"{worst_name}\"] .detail-toggle");
    let opened = client.find(Locator::Css(&css)).await.unwrap();
    assert_eq!(
        opened.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    let worst_detail = client
        .find(Locator::Id(
            &opened.attr("aria-controls").await.unwrap().unwrap(),
        ))
        .await
        .unwrap();

    // The README's pictures: the top of the page, and one drill-down.
    js(
        client,
        "window.scrollTo(0, 0); document.activeElement.blur(); return true;",
    )
    .await;
    let png = client.screenshot().await.unwrap();
    save_png(&png, "dashboard.png");
    let png = worst_detail.screenshot().await.unwrap();
    save_png(&png, "dashboard-findings.png");
}

async fn row_scores(client: &Client) -> Vec<f64> {
    let value = js(
        client,
        "return Array.from(document.querySelectorAll('#repo-table-body tr.repo-row td[data-score]')).map(function (td) { return td.dataset.score; });",
    )
    .await;
    value
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
        .collect()
}

fn save_png(png: &[u8], name: &str) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is a PNG");
    assert!(
        png.len() > 10_000,
        "{name} has content ({} bytes)",
        png.len()
    );
    let dir = root().join("docs/images");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

async fn one_repository_page(client: &Client, pages: &Path) {
    let report = audit_json(&["fixtures/org/exemplary-pipeline"]);
    let url = write_page(pages, "one.html", &report);
    load(client, &url).await;
    assert_eq!(
        row_names(client).await,
        vec!["exemplary-pipeline".to_string()]
    );
    assert_eq!(headline(client, "repos").await, "1");
    let bars = client.find_all(Locator::Css("#charts svg")).await.unwrap();
    assert!(bars.len() >= 3, "score, licence and RAP charts");
    let exemplar = client
        .find(Locator::Css("#exemplars-overall li"))
        .await
        .unwrap();
    assert_eq!(
        exemplar.attr("data-repo").await.unwrap().as_deref(),
        Some("exemplary-pipeline")
    );
}

/// `--compare OLD.json`: the headline numbers carry their change and the table a "Changed
/// since" column. The earlier report is this run's JSON edited by hand: one repository ten
/// points lower, one not there yet.
async fn trends_page(client: &Client, pages: &Path) {
    let mut old = audit_json(&["fixtures/org"]);
    old["generated_at"] = json!("2026-11-01T09:00:00Z");
    let repos = old["repos"].as_array_mut().unwrap();
    repos.retain(|r| r["name"] != "ogl-docs");
    let raised = repos
        .iter_mut()
        .find(|r| r["name"] == "no-licence")
        .unwrap();
    let now_score = raised["score"].as_f64().unwrap();
    raised["score"] = json!(now_score - 10.0);
    let scores: Vec<f64> = repos.iter().filter_map(|r| r["score"].as_f64()).collect();
    let old_mean = scores.iter().sum::<f64>() / scores.len() as f64;
    let old_mean = (old_mean * 10.0).round() / 10.0;
    let count = repos.len();
    old["summary"]["repos"] = json!(count);
    old["summary"]["audited"] = json!(count);
    old["summary"]["mean_score"] = json!(old_mean);
    let old_path = pages.join("november.json");
    std::fs::write(&old_path, serde_json::to_vec(&old).unwrap()).unwrap();

    let url = write_html_page(
        pages,
        "trends.html",
        &["fixtures/org", "--compare", old_path.to_str().unwrap()],
    );
    load(client, &url).await;

    let now = audit_json(&["fixtures/org"]);
    let new_mean = now["summary"]["mean_score"].as_f64().unwrap();
    let mean_delta = ((new_mean - old_mean) * 10.0).round() / 10.0;
    let expected_mean = match mean_delta {
        d if d > 0.0 => format!("▲ +{d:.1}"),
        d if d < 0.0 => format!("▼ {d:.1}"),
        _ => "±0".to_string(),
    };
    let delta = |key: &str| {
        let css = format!("[data-delta=\"{key}\"]");
        async move {
            client
                .find(Locator::Css(&css))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    assert_eq!(delta("mean-score").await, expected_mean);
    assert_eq!(delta("repos").await, "▲ +1");
    let changed = headline(client, "changed").await;
    assert!(changed.starts_with("1 better · 0 worse"), "{changed}");
    assert!(changed.ends_with("0 new findings, 0 fixed"), "{changed}");
    let label = js(
        client,
        "return document.querySelector('[data-headline=\"changed\"] dt').textContent;",
    )
    .await;
    assert_eq!(label, json!("Changed since 2026-11-01"));

    let (_, button) = column_header(client, "Changed since").await;
    let cell = |name: &str| {
        let script = format!(
            "var row = document.querySelector('tr.repo-row[data-repo=\"{name}\"]'); return row.querySelector('td[data-change]').textContent;"
        );
        async move { js(client, &script).await.as_str().unwrap().to_string() }
    };
    assert_eq!(cell("no-licence").await, "▲ +10.0");
    assert_eq!(cell("ogl-docs").await, "new repository");
    assert_eq!(cell("r-package").await, "±0");
    // Sorted by change, largest first: the raised repository leads, the new one (no change to
    // speak of) sorts last.
    button.click().await.unwrap();
    button.click().await.unwrap();
    let names = row_names(client).await;
    assert_eq!(names.first().map(String::as_str), Some("no-licence"));
    assert_eq!(names.last().map(String::as_str), Some("ogl-docs"));
}

/// Report strings are data: markup in names, messages and excerpts shows as text and runs nothing.
async fn hostile_page(client: &Client, pages: &Path) {
    let mut report = audit_json(&["fixtures/org/patient-extract-env"]);
    let hostile =
        "</script><script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"><!--";
    report["repos"][0]["name"] = json!(hostile);
    report["repos"][0]["findings"][0]["message"] = json!(hostile);
    report["repos"][0]["findings"][0]["url"] = json!("javascript:window.pwned=3");
    report["repos"][0]["findings"][0]["evidence"] =
        json!([{"path": hostile, "line": 1, "excerpt": hostile}]);
    let url = write_page(pages, "hostile.html", &report);
    load(client, &url).await;
    assert_eq!(row_names(client).await, vec![hostile.to_string()]);
    let toggle = client.find(Locator::Css(".detail-toggle")).await.unwrap();
    toggle.click().await.unwrap();
    let texts = js(
        client,
        "return Array.from(document.querySelectorAll('.finding__message, .evidence code')).map(function (n) { return n.textContent; });",
    )
    .await;
    assert!(
        texts
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t.as_str().is_some_and(|t| t.contains(hostile)))
            .count()
            == 3,
        "{texts}"
    );
    let pwned = js(client, "return typeof window.pwned === 'undefined' && document.querySelectorAll('img').length === 0 && Array.from(document.querySelectorAll('a')).every(function (a) { return !/^javascript:/i.test(a.getAttribute('href') || ''); });").await;
    assert_eq!(pwned, json!(true), "report strings ran as markup or script");
}

/// A thousand repositories: one row each, sortable, and drawn in reasonable time.
async fn thousand_repositories_page(client: &Client, pages: &Path) {
    let mut report = audit_json(&["fixtures/org"]);
    let templates = repos(&report).clone();
    let many: Vec<Value> = (0..1000)
        .map(|i| {
            let mut repo = templates[i % templates.len()].clone();
            repo["name"] = json!(format!("nhs-estate/repo-{i:04}"));
            // Fields later reports add: a push date and maintenance findings, on some only.
            if i % 4 == 0 {
                let days = (i * 7) % 1100;
                let pushed = chrono_free_date(days);
                repo["metadata"] = json!({"pushed_at": pushed, "archived": i % 40 == 0});
            }
            if i % 2 == 0 {
                let outcome = if i % 6 == 0 { "fail" } else { "pass" };
                repo["findings"].as_array_mut().unwrap().push(json!({
                    "rule": "maintenance/recent-activity", "category": "maintenance",
                    "title": "Pushed to in the last year", "outcome": outcome, "severity": "info",
                    "weight": 1.0, "message": "m", "help": "h", "evidence": [], "fingerprint": "0"
                }));
            }
            repo["score"] = if i % 97 == 0 {
                Value::Null
            } else {
                json!(((i * 37) % 1001) as f64 / 10.0)
            };
            repo
        })
        .collect();
    let scored: Vec<f64> = many.iter().filter_map(|r| r["score"].as_f64()).collect();
    let dated = many
        .iter()
        .filter(|r| r["metadata"]["pushed_at"].is_string())
        .count();
    let recent = many
        .iter()
        .filter(|r| {
            findings(r)
                .iter()
                .any(|f| f["rule"] == "maintenance/recent-activity" && f["outcome"] == "pass")
        })
        .count();
    let under_3_months = (0..1000)
        .filter(|i| i % 4 == 0 && (i * 7) % 1100 < 91)
        .count();
    report["summary"] = json!({
        "repos": 1000, "audited": 1000, "errored": 0,
        "mean_score": (scored.iter().sum::<f64>() / scored.len() as f64 * 10.0).round() / 10.0
    });
    report["repos"] = json!(many);
    let url = write_page(pages, "thousand.html", &report);
    let size = std::fs::metadata(pages.join("thousand.html"))
        .unwrap()
        .len();
    let started = Instant::now();
    load(client, &url).await;
    let loaded = started.elapsed();
    let html = client.find(Locator::Css("html")).await.unwrap();
    let drawn = html
        .attr("data-openly-draw-ms")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(row_names(client).await.len(), 1000);
    assert_eq!(headline(client, "repos").await, "1000");
    // The click is timed inside the page, so WebDriver's own round trips do not count.
    let sorted = js(
        client,
        "var b = document.querySelector('button.sort-button[data-sort=\"score\"]'); var t = performance.now(); b.click(); return performance.now() - t;",
    )
    .await;
    let scores = row_scores(client).await;
    assert_eq!(scores.len(), scored.len());
    assert!(scores.windows(2).all(|w| w[0] <= w[1]));
    // The maintenance picture appears once the report has the data for it.
    let last_push = client.find(Locator::Id("chart-last-push")).await.unwrap();
    assert_eq!(
        last_push.attr("data-total").await.unwrap(),
        Some(dated.to_string())
    );
    let newest = last_push
        .find(Locator::Css("[data-bar=\"push-3m\"]"))
        .await
        .unwrap();
    assert_eq!(
        newest.attr("data-value").await.unwrap(),
        Some(under_3_months.to_string())
    );
    let rule = client
        .find(Locator::Css(
            "#chart-maintenance-rules [data-bar=\"maintenance/recent-activity\"]",
        ))
        .await
        .unwrap();
    assert_eq!(
        rule.attr("data-value").await.unwrap(),
        Some(recent.to_string())
    );
    #[allow(clippy::disallowed_macros)] // the figures are worth seeing in a passing run too
    {
        eprintln!(
            "1,000 repositories: {} MB page loaded in {loaded:?}, drawn by its script in {drawn} ms, sorted by score in {:.0} ms",
            size / 1_000_000,
            sorted.as_f64().unwrap_or(f64::NAN)
        );
    }
}

/// `generated_at` (2026-01-01T09:00:00Z) minus `days`, as RFC 3339, without a date crate: the
/// days are counted back through a proleptic Gregorian calendar.
fn chrono_free_date(days: usize) -> String {
    let (mut year, mut month, mut day) = (2026i32, 1u32, 1u32);
    for _ in 0..days {
        if day > 1 {
            day -= 1;
            continue;
        }
        if month > 1 {
            month -= 1;
        } else {
            month = 12;
            year -= 1;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        day = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
    }
    format!("{year:04}-{month:02}-{day:02}T09:00:00Z")
}
