//! The entry point: one file in, detections, synthetic-data evidence and an
//! inventory entry out. This is the only place that decides which detectors
//! see which file, so each detector stays simple and format-agnostic.

use std::io::Read;

use super::binary::{SNIFF, is_binary_head, is_binary_name};
use super::delimited::scan_delimited;
use super::dummy::{PrefilterHits, path_signals, text_signals};
use super::input::{Input, read_capped};
use super::inventory::strip_compression;
use super::markup_tables::{blank_spans, scan_html, scan_markdown};
use super::prose::{ProseMode, ProseScanner, scan_text};
use super::records::{scan_json_value, scan_ndjson};
use super::table::TableSource;
use super::yaml::yaml_value;
use super::{
    DataFile, DataKind, FileScan, ScanOptions, SyntheticEvidence, data_kind, dummy_signals,
};
use crate::checks::secrets::{env_file_detection, is_env_file};

/// Documents and JSON are parsed whole up to this size; beyond it they are
/// streamed as prose (bounded memory wins over table precision).
const WHOLE_FILE_LIMIT: u64 = 16 * 1024 * 1024;
/// Text files up to this size are also checked for dummy-data statements.
const DUMMY_TEXT_LIMIT: usize = 1024 * 1024;
/// YAML is parsed into records up to this size; beyond it, it is read as
/// prose (its value tree costs several times the file in memory).
const YAML_RECORDS_LIMIT: u64 = 4 * 1024 * 1024;
/// YAML that is configuration by its place or name: never records of people.
const CONFIG_YAML: &[&str] = &[
    ".github/",
    ".gitlab-ci",
    ".circleci/",
    "docker-compose",
    "compose.y",
    "mkdocs.y",
    "_quarto.y",
    "_pkgdown.y",
    "_bookdown.y",
    "_output.y",
    "_site.y",
    "environment.y",
    ".pre-commit",
    "codecov.y",
    ".readthedocs",
    "azure-pipelines",
    "dependabot",
    "pubspec.y",
    "chart.y",
    ".lintr",
];

const CONFIG_EXTS: &[&str] = &[
    "ini",
    "cfg",
    "conf",
    "config",
    "properties",
    "yaml",
    "yml",
    "toml",
    "env",
    "envrc",
    "renviron",
    "rprofile",
    "netrc",
    "pgpass",
    "sh",
    "bash",
    "ps1",
    "bat",
    "cmd",
];

const DOC_EXTS: &[&str] = &["md", "markdown", "rmd", "qmd", "html", "htm", "xhtml"];

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Dummy-data evidence for a text the prose scanner has read: its trigger
/// pass already noted the prefilter words, so the text is not searched again
/// unless one was seen.
fn dummy_after_scan(path: &str, text: &[u8], hits: PrefilterHits) -> Vec<SyntheticEvidence> {
    let mut found = path_signals(path);
    found.extend(text_signals(path, text, hits));
    found
}

/// Data formats whose content the engine reads; the others are only listed.
fn is_read_kind(kind: DataKind) -> bool {
    matches!(
        kind,
        DataKind::Csv
            | DataKind::Tsv
            | DataKind::TextTable
            | DataKind::Xlsx
            | DataKind::Xls
            | DataKind::Ods
            | DataKind::Json
            | DataKind::Ndjson
    )
}

fn listed_only(path: &str, size: u64, kind: DataKind) -> FileScan {
    FileScan {
        data_file: Some(DataFile {
            path: path.to_string(),
            size,
            kind,
            parsed: false,
            free_text: Vec::new(),
        }),
        synthetic: dummy_signals(path, None),
        ..FileScan::default()
    }
}

/// What is known of a file without opening it: data formats that are only
/// listed (parquet, sqlite, compressed files …) and binary files by name.
/// `None` when the content must be read ([`scan_file`]). Callers that open
/// files at a cost (git blobs are inflated whole) ask this first.
pub fn scan_unopened(path: &str, size: u64) -> Option<FileScan> {
    if is_env_file(path) {
        return None;
    }
    if let Some(kind) = data_kind(path) {
        let (_, compressed) = strip_compression(path);
        return (compressed || !is_read_kind(kind)).then(|| listed_only(path, size, kind));
    }
    is_binary_name(path).then(FileScan::default)
}

/// Scan one file. `reader` streams the content; `size` is the size the
/// caller knows (used for limits and the inventory). Never panics and never
/// fails: unreadable or malformed content yields fewer results. Each byte is
/// read once: the first [`SNIFF`] bytes decide binary or not, then go back in
/// front of the rest for whichever reader the format needs.
pub fn scan_file(path: &str, size: u64, reader: &mut dyn Read, opts: &ScanOptions) -> FileScan {
    scan_input(path, size, Input::Stream(reader), opts)
}

/// [`scan_file`] for a file whose bytes are already in memory: they are scanned in place.
pub fn scan_bytes(path: &str, bytes: &[u8], opts: &ScanOptions) -> FileScan {
    scan_input(path, bytes.len() as u64, Input::Bytes(bytes), opts)
}

fn scan_input(path: &str, size: u64, input: Input<'_>, opts: &ScanOptions) -> FileScan {
    if let Some(out) = scan_unopened(path, size) {
        return out;
    }
    let mut out = scan_content(path, size, input, opts);
    if out.data_file.is_none() {
        // Free text is counted for data files only.
        out.free_text.clear();
    }
    out
}

fn scan_content(path: &str, size: u64, input: Input<'_>, opts: &ScanOptions) -> FileScan {
    let mut out = FileScan::default();
    let name = file_name(path);
    let ext = extension(name);

    let mut head = Vec::new();
    let mut chained;
    let (binary, mut rest) = match input {
        Input::Bytes(bytes) => (
            is_binary_head(&bytes[..bytes.len().min(SNIFF)]),
            Input::Bytes(bytes),
        ),
        Input::Stream(reader) => {
            head.reserve(SNIFF);
            if let Err(e) = (&mut *reader).take(SNIFF as u64).read_to_end(&mut head) {
                log::debug!("{path}: read failed: {e}");
                return out;
            }
            chained = (&head[..]).chain(reader);
            (is_binary_head(&head), Input::Stream(&mut chained))
        }
    };

    if is_env_file(path) {
        let bytes = rest.read_capped(opts.max_bytes.min(WHOLE_FILE_LIMIT), size);
        let text = crate::checks::text::lossy_utf8(&bytes);
        out.detections.push(env_file_detection(path, &text));
        let mode = ProseMode {
            config_like: true,
            ..ProseMode::default()
        };
        scan_text(path, &bytes, mode, &mut out);
        return out;
    }

    if let Some(kind) = data_kind(path) {
        // Spreadsheets are zip or OLE containers; a text format that starts
        // like a binary one is something else under a wrong name.
        let spreadsheet = matches!(kind, DataKind::Xlsx | DataKind::Xls | DataKind::Ods);
        if binary && !spreadsheet {
            return listed_only(path, size, kind);
        }
        let parsed = scan_data_file(path, size, kind, &mut rest, opts, &mut out);
        out.data_file = Some(DataFile {
            path: path.to_string(),
            size,
            kind,
            parsed,
            free_text: std::mem::take(&mut out.free_text),
        });
        out.synthetic.extend(dummy_signals(path, None));
        return out;
    }

    if binary {
        return out;
    }

    if ext == "ipynb" {
        let bytes = rest.read_capped(opts.max_bytes, size);
        if !super::notebook::scan_notebook(path, &bytes, opts, &mut out) {
            // Not a notebook as bytes; broken UTF-8 can still hide one, read leniently.
            out.notebook_outputs =
                super::notebook::notebook_has_outputs(&crate::checks::text::lossy_utf8(&bytes));
            scan_text(path, &bytes, ProseMode::default(), &mut out);
        }
        if bytes.len() <= 4 * DUMMY_TEXT_LIMIT {
            out.synthetic.extend(dummy_signals(path, Some(&bytes)));
        }
        return out;
    }

    let mode = ProseMode {
        config_like: CONFIG_EXTS.contains(&ext.as_str())
            || matches!(
                name,
                ".Renviron" | ".Rprofile" | ".netrc" | ".pgpass" | "credentials" | "Dockerfile"
            )
            || name.starts_with("docker-compose"),
        ..ProseMode::default()
    };

    if matches!(ext.as_str(), "yaml" | "yml")
        && size <= YAML_RECORDS_LIMIT.min(opts.max_bytes)
        && !CONFIG_YAML
            .iter()
            .any(|c| path.to_ascii_lowercase().contains(c))
    {
        let bytes = rest.read_capped(YAML_RECORDS_LIMIT.min(opts.max_bytes), size);
        let text = crate::checks::text::lossy_utf8(&bytes);
        // Contacts in configuration are published on purpose, as in documents.
        let src = TableSource {
            path: path.to_string(),
            location: String::new(),
            document: true,
            introduced_as_example: false,
        };
        let tables = scan_json_value(&src, &yaml_value(&text), opts, &mut out);
        let mode = ProseMode {
            identifiers: !tables,
            ..mode
        };
        let hits = scan_text(path, &bytes, mode, &mut out);
        if bytes.len() <= DUMMY_TEXT_LIMIT {
            out.synthetic.extend(dummy_after_scan(path, &bytes, hits));
        }
        return out;
    }

    if DOC_EXTS.contains(&ext.as_str()) && size <= WHOLE_FILE_LIMIT.min(opts.max_bytes) {
        let bytes = rest.read_capped(WHOLE_FILE_LIMIT.min(opts.max_bytes), size);
        let text = crate::checks::text::lossy_utf8(&bytes);
        let mut spans = Vec::new();
        // A pipe table needs a `|`; most prose has none, so skip the line split.
        if !ext.starts_with("htm") && ext != "xhtml" && memchr::memchr(b'|', &bytes).is_some() {
            spans.extend(scan_markdown(path, &text, opts, true, &mut out));
        }
        let src = TableSource {
            path: path.to_string(),
            location: String::new(),
            document: true,
            introduced_as_example: false,
        };
        // Line starts are only needed once a table is found.
        let nl = std::cell::OnceCell::new();
        let line_of = |off: usize| {
            let nl: &Vec<usize> =
                nl.get_or_init(|| memchr::memchr_iter(b'\n', text.as_bytes()).collect());
            nl.partition_point(|&p| p < off) as u64 + 1
        };
        spans.extend(scan_html(&src, &text, opts, &line_of, &mut out));
        // The prose pass saw every word unless tables were blanked out; a
        // table of data sources with links then needs its own prefilter pass.
        let hits = if spans.is_empty() {
            scan_text(path, &bytes, mode, &mut out)
        } else {
            scan_text(path, &blank_spans(&text, &spans), mode, &mut out);
            PrefilterHits::of(&bytes)
        };
        if bytes.len() <= DUMMY_TEXT_LIMIT {
            out.synthetic.extend(dummy_after_scan(path, &bytes, hits));
        }
        return out;
    }

    if size <= DUMMY_TEXT_LIMIT as u64 {
        let bytes = rest.read_capped(DUMMY_TEXT_LIMIT as u64, size);
        let hits = scan_text(path, &bytes, mode, &mut out);
        out.synthetic.extend(dummy_after_scan(path, &bytes, hits));
        return out;
    }
    let mut scanner = ProseScanner::new(path, mode);
    scanner.feed_reader(&mut rest, opts.max_bytes);
    scanner.finish(&mut out);
    out
}

/// Parses a data file by kind; returns whether it was read as data.
fn scan_data_file(
    path: &str,
    size: u64,
    kind: DataKind,
    reader: &mut dyn Read,
    opts: &ScanOptions,
    out: &mut FileScan,
) -> bool {
    let src = TableSource {
        path: path.to_string(),
        location: String::new(),
        document: false,
        introduced_as_example: false,
    };
    match kind {
        DataKind::Csv | DataKind::TextTable => {
            scan_delimited(&src, reader, None, opts, out);
            true
        }
        DataKind::Tsv => {
            scan_delimited(&src, reader, Some(b'\t'), opts, out);
            true
        }
        DataKind::Xlsx | DataKind::Xls | DataKind::Ods => {
            size <= opts.max_bytes && super::spreadsheet::scan_spreadsheet(path, reader, opts, out)
        }
        DataKind::Ndjson => {
            scan_ndjson(&src, reader, opts, out);
            true
        }
        DataKind::Json => {
            if size > WHOLE_FILE_LIMIT.min(opts.max_bytes) {
                let mut s = ProseScanner::new(path, ProseMode::default());
                s.feed_reader(reader, opts.max_bytes);
                s.finish(out);
                return false;
            }
            let bytes = read_capped(reader, WHOLE_FILE_LIMIT, size);
            let tables = match crate::checks::json::Json::parse(&bytes) {
                Ok(v) => scan_json_value(&src, &v, opts, out),
                Err(_) => false,
            };
            // Config-style JSON still gets the secret and prose checks;
            // numbers in judged tables are not counted twice.
            let mode = ProseMode {
                identifiers: !tables,
                ..ProseMode::default()
            };
            scan_text(path, &bytes, mode, out);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, Strength};
    use super::*;

    fn scan(path: &str, text: &str) -> FileScan {
        scan_file(
            path,
            text.len() as u64,
            &mut text.as_bytes(),
            &ScanOptions::default(),
        )
    }

    #[test]
    fn committed_notebook_outputs_are_noted_from_memory_and_streams_alike() {
        let with =
            br#"{"cells": [{"cell_type": "code", "source": "x", "outputs": [{"text": "1"}]}]}"#;
        let without = br#"{"cells": [{"cell_type": "code", "source": "x", "outputs": []}]}"#;
        // A Latin-1 byte inside a string: not UTF-8, so only the lenient reading sees a notebook.
        let latin1 = b"{\"cells\": [{\"source\": \"caf\xe9\", \"outputs\": [{\"text\": \"1\"}]}]}";
        let opts = ScanOptions::default();
        for (bytes, expected) in [
            (&with[..], true),
            (&without[..], false),
            (&latin1[..], true),
        ] {
            let streamed = scan_file("a.ipynb", bytes.len() as u64, &mut &bytes[..], &opts);
            assert_eq!(streamed.notebook_outputs, expected, "{bytes:?}");
            assert_eq!(
                scan_bytes("a.ipynb", bytes, &opts).notebook_outputs,
                expected
            );
        }
        assert!(!scan_bytes("a.json", with, &opts).notebook_outputs);
    }

    #[test]
    fn dispatch() {
        let s = scan("data/x.csv", "nhs_number\n9434765919\n");
        assert_eq!(s.data_file.as_ref().map(|d| d.parsed), Some(true));
        assert_eq!(s.detections[0].kind, Kind::NhsNumber);
        let s = scan("x.parquet", "PAR1");
        assert_eq!(s.data_file.as_ref().map(|d| d.parsed), Some(false));
        let s = scan(".env", "DB_PASSWORD=Tr0ub4dor3\n");
        let kinds: Vec<Kind> = s.detections.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, vec![Kind::EnvFile, Kind::Password]);
        let s = scan("bin/tool", "\0\0password = \"Tr0ub4dor3\"");
        assert!(s.detections.is_empty());
        let s = scan(
            "README.md",
            "Contact jane.doe@example.org or call 0161 496 0000.\n",
        );
        assert!(s.detections.is_empty(), "{s:?}");
        let s = scan("config.yaml", "db:\n  password: Tr0ub4dor3\n");
        assert_eq!(s.detections[0].kind, Kind::Password);
        assert_eq!(s.detections[0].line, Some(2));
    }

    #[test]
    fn dummy_evidence_comes_from_the_one_prose_pass() {
        let what = |path: &str, text: &str| -> Vec<String> {
            scan(path, text)
                .synthetic
                .into_iter()
                .map(|s| s.what)
                .collect()
        };
        assert_eq!(
            what("gen.py", "import os\nfrom faker import Faker\n").len(),
            1
        );
        let readme = "# Data\n\nThis repository ships SYNTHETIC DATA only.\n";
        assert_eq!(what("README.md", readme).len(), 1);
        // Inside a table, which the prose pass does not see.
        let table = "| source | link |\n|---|---|\n| HES | https://digital.nhs.uk/data-and-information/x |\n";
        assert_eq!(
            what("README.md", table).len(),
            1,
            "{:?}",
            what("README.md", table)
        );
        assert_eq!(
            what("notes.yaml", "source: https://www.ons.gov.uk/x\n").len(),
            1
        );
        // Behind `nhs`, which the trigger pass matches first.
        let link = "source: https://digital.nhs.uk/data-and-information/x\n";
        assert_eq!(what("sources.yaml", link).len(), 1);
        // A citation in plain prose is not data the code runs on.
        assert!(what("notes.txt", link).is_empty());
        assert!(what("README.md", "Plain text, nothing here.\n").is_empty());
    }

    #[test]
    fn markdown_numbers_not_double_counted() {
        let md =
            "| nhs_number |\n|---|\n| 7860960575 |\n| 4010232137 |\n\nPatient 4505577104 here.\n";
        let s = scan("doc.md", md);
        let nhs: Vec<_> = s
            .detections
            .iter()
            .filter(|d| d.kind == Kind::NhsNumber)
            .collect();
        assert_eq!(nhs.len(), 2, "{s:?}");
        assert_eq!(nhs[0].strength, Strength::Strong);
        assert_eq!(nhs[1].strength, Strength::Weak);
        assert_eq!(nhs[1].line, Some(6));
    }
}
