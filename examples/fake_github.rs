//! A fake GitHub organisation on loopback for `scripts/bench-org.sh`: N invented repositories,
//! each answer delayed to mimic network latency. Prints the API root on stdout and serves
//! until killed. `GET /__stats` returns request counts and `GET /__reset` zeroes them.

#![allow(clippy::disallowed_macros)] // a stand-alone server: printing its URL is its output

#[path = "../tests/common/fake_github.rs"]
mod fake_github;

use std::sync::Arc;
use std::time::Duration;

use fake_github::{FakeGitHub, FakeRepo};

fn main() {
    let mut repos = 1000usize;
    let mut latency_ms = 50u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--repos", Some(v)) => repos = v as usize,
            ("--latency-ms", Some(v)) => latency_ms = v,
            _ => {
                eprintln!("usage: fake_github [--repos N] [--latency-ms MS]");
                std::process::exit(2);
            }
        }
    }
    let org: Vec<FakeRepo> = (0..repos)
        .map(|i| {
            let mut repo = FakeRepo::new(&format!("service-{i:04}"));
            // A plausible small analytics repository: code, tests, config and a data folder.
            for j in 0..12 {
                repo.files.push((
                    format!("src/module_{j}.py"),
                    format!("def f{j}():\n    return {j}\n").into_bytes(),
                ));
            }
            repo.files.push((
                "tests/test_main.py".into(),
                b"def test_ok():\n    assert True\n".to_vec(),
            ));
            repo.files
                .push(("requirements.txt".into(), b"pandas==2.2.0\n".to_vec()));
            repo.files.push((
                "data/README.md".into(),
                b"# Data\n\nSynthetic only.\n".to_vec(),
            ));
            repo.files
                .push(("CONTRIBUTING.md".into(), b"# Contributing\n".to_vec()));
            repo.visibility = if i % 10 == 0 {
                "internal".into()
            } else {
                "public".into()
            };
            repo
        })
        .collect();
    let mut fake = FakeGitHub::new("bench-org", org);
    fake.latency = Duration::from_millis(latency_ms);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (_server, api) = runtime.block_on(Arc::new(fake).serve());
    println!("{api}");
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
