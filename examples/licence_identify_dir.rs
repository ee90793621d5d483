//! Identify every file under a directory and print one tab-separated line per file:
//! `path, ids (joined with " + "), confidences, closest match, milliseconds`.
//!
//! Used to measure speed and file-level accuracy against outside corpora (licensee's fixtures,
//! choosealicense.com texts, the SPDX texts); `scripts/licence-accuracy.sh` measures the same
//! corpora per repository through the binary. See `docs/licences.md`. Prints the time to read
//! the store's index first, on stderr. The store's texts are decoded when a file first needs
//! them, so that cost lands in the figures of the files that needed them (with `--repeat 1`;
//! more repeats keep the fastest run, after the decoding). Usage: `cargo run --release
//! --example licence_identify_dir -- DIR [--all] [--repeat N]`; without `--all` only files
//! named like licence files (and `*.txt` in the top directory) are read.

// A measuring tool run by hand: printing is its output.
#![allow(clippy::disallowed_macros)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use openly::checks::licence::{identify_file, is_licence_file, is_part_licence_file, warm_up};

/// CPU time of this thread in ms, from `/proc/thread-self/schedstat`: the machine this runs on
/// is shared, and wall-clock time there measures the neighbours as much as this code.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |ns| ns / 1e6)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: licence_identify_dir DIR [--all]");
        std::process::exit(2);
    };
    let all = args.iter().any(|a| a == "--all");
    // `--repeat N`: time each file N times and keep the fastest, to see through a busy machine.
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);

    let started = Instant::now();
    let cpu = cpu_ms();
    warm_up();
    eprintln!(
        "store index: {:.1} ms wall, {:.1} ms cpu",
        started.elapsed().as_secs_f64() * 1000.0,
        cpu_ms() - cpu
    );

    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut times = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&root).unwrap_or(&path);
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wanted = all
            || is_licence_file(&name)
            || is_part_licence_file(&rel_s)
            // Corpus layouts nest whole repositories: `<repo>/LICENSES/MIT.txt`.
            || rel_s.contains("/LICENSES/")
            || (rel.components().count() == 1 && name.ends_with(".txt"));
        if !wanted {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut facts = Vec::new();
        let (mut ms, mut cpu) = (f64::MAX, f64::MAX);
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            let c = cpu_ms();
            facts = identify_file(&name, &text);
            cpu = cpu.min(cpu_ms() - c);
            ms = ms.min(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.push((ms, cpu));
        let ids: Vec<&str> = facts.iter().map(|f| f.spdx.as_str()).collect();
        let conf: Vec<String> = facts
            .iter()
            .map(|f| format!("{:.3}", f.confidence))
            .collect();
        let closest = facts
            .iter()
            .find_map(|f| f.closest.as_ref())
            .map(|c| format!("{} {:.3}", c.spdx, c.score))
            .unwrap_or_default();
        println!(
            "{rel_s}\t{}\t{}\t{closest}\t{ms:.2}",
            ids.join(" + "),
            conf.join(" + ")
        );
    }
    for (label, mut v) in [
        ("wall", times.iter().map(|t| t.0).collect::<Vec<_>>()),
        ("cpu", times.iter().map(|t| t.1).collect::<Vec<_>>()),
    ] {
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            continue;
        }
        let pct = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        eprintln!(
            "{} files, {label}: median {:.2} ms, p90 {:.2} ms, max {:.2} ms",
            v.len(),
            pct(0.5),
            pct(0.9),
            pct(1.0)
        );
    }
}
