//! Evidence that a repository's data is dummy or synthetic: file names,
//! generator libraries in scripts (Faker, synthpop …), statements in READMEs,
//! and links to open datasets. The playbook asks for dummy data to be
//! published alongside code, so this is credited, not flagged.

use std::sync::LazyLock;

use regex::bytes::Regex;

use super::SyntheticEvidence;
use super::triggers::{TriggerSearch, with_ascii_lowercase};

const DUMMY_WORDS: &[&str] = &[
    "dummy",
    "synthetic",
    "synth",
    "fake",
    "sample",
    "samples",
    "example",
    "examples",
    "mock",
    "simulated",
    "fictional",
    "fictitious",
    "artificial",
    "toy",
];

/// Evidence per file is capped: a README with fifty dataset links needs one.
const MAX_EVIDENCE: usize = 10;

/// Words one of which must appear (lower-cased) before each pattern runs.
const PREFILTERS: [&[&str]; 3] = [
    &[
        "faker",
        "synth",
        "sdv",
        "mimesis",
        "wakefield",
        "charlatan",
        "fabricatr",
        "simstudy",
    ],
    &[
        "dummy",
        "synthetic",
        "fake",
        "simulated",
        "fictitious",
        "fictional",
        "artificial",
        "made up",
        "made-up",
        "randomly",
    ],
    // The open-data hosts of the link pattern: far rarer than "http".
    &[
        "nhs.uk",
        "gov.uk",
        "phe.org.uk",
        "nhsbsa.net",
        "physionet.org",
        "kaggle.com",
        "uci.edu",
        "opendata.",
    ],
];

/// Every prefilter word, ASCII case-insensitive, in one SIMD search (a case-insensitive regex
/// over these words built some 45 M instructions of lazy DFA states on 26 real repositories).
static PREFILTER: LazyLock<TriggerSearch> = LazyLock::new(|| TriggerSearch::new(&PREFILTER_WORDS));

/// Every prefilter word, lower case, longest first; shared with the prose scanner's triggers.
pub(super) static PREFILTER_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(prefilter_words);

/// What a dummy-data pattern is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// The text with ASCII letters lower-cased: the pattern is written in lower case and folds
    /// ASCII only, as `(?i-u)` would. A case-insensitive pattern with many literal branches
    /// has too many case variants for the regex crate to build a prefilter from, and its lazy
    /// DFA then stepped through every byte (54 ms against 8 ms on 25 MB of the real
    /// repositories' text); over folded text the literals prefilter the search.
    Folded,
    /// The text as it is: the pattern folds case by Unicode's rules.
    AsIs,
}

const STATEMENT: &str = "statement that data is dummy or synthetic";
const OPEN_DATA_LINK: &str = "link to an open dataset";

/// A statement that dummy data is still to come ("We are working on providing synthetic
/// data", "the synthetic dataset … is not released publicly") says the opposite of what it
/// names.
static NOT_YET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:working on|not yet|not (?:currently |publicly )?(?:available|released|provided|included|published|shared)|no (?:dummy|synthetic|fake)|(?:will|would|could|plan to|hope to|intend to) (?:be )?(?:provide|add|publish|release|create|generate)|coming soon|to ?do\b|tbc\b|unavailable)")
        .expect("valid regex")
});

/// Whether an open-data link shows that the code runs on open data: read by code (a line
/// that is not a comment in a script or notebook), listed in a settings file, or named in the
/// README as the data. A
/// link in a comment, an app's help text, a report's prose or an issue form cites a source;
/// a link to a PDF is a document.
fn open_data_used(path: &str, line: &[u8], url: &[u8]) -> bool {
    let lower_url = url.to_ascii_lowercase();
    if lower_url.ends_with(b".pdf") || path.starts_with(".github/") {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.starts_with("readme") {
        return true;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let trimmed = line.trim_ascii_start();
    let comment =
        trimmed.starts_with(b"#") || trimmed.starts_with(b"--") || trimmed.starts_with(b"//");
    match ext {
        // Code that reads it, or settings that list the sources a pipeline downloads.
        "py" | "r" | "sql" | "jl" | "scala" | "sas" | "yaml" | "yml" | "json" | "toml" | "cfg"
        | "ini" => !comment,
        // Notebooks and R Markdown mix prose with code: the URL must be a quoted argument or
        // value (`read_csv("https://…")`, `url <- "https://…"`).
        "ipynb" | "rmd" | "qmd" => {
            let before = memchr::memmem::find(line, url).map_or(line, |at| &line[..at]);
            let quoted = before.ends_with(b"\"") || before.ends_with(b"'");
            let assigned = memchr::memchr(b'(', before).is_some()
                || memchr::memchr(b'=', before).is_some()
                || memchr::memmem::find(before, b"<-").is_some();
            !comment && quoted && assigned
        }
        _ => false,
    }
}

/// The line of `text` that holds `at`.
fn line_around(text: &[u8], at: usize) -> &[u8] {
    let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
    &text[start..end]
}

static PATTERNS: LazyLock<Vec<(Regex, Reads, &'static str)>> = LazyLock::new(|| {
    [
        (
            r#"(?-u)\b(?:import faker|from faker import|faker\(\)|faker\(|library\(\s*["']?(?:synthpop|wakefield|charlatan|fabricatr|simstudy|synthesizer)\b|require\(\s*["']?synthpop|synthpop::|\bsdv\.|from sdv\b|\bsynthea\b|\bmimesis\b|\bsynthcity\b|nhs-synthetic|nhssynth|synthvae|ydata[-_]synthetic|@faker-js)"#,
            Reads::Folded,
            "synthetic data generator",
        ),
        (
            // The gaps stay Unicode whitespace (a pasted no-break space).
            r"(?-u:\b)(?:dummy|synthetic|fake|simulated|fictitious|fictional|artificial|made[- ]up|randomly[- ]generated)\s+(?:(?:patient|test|example)\s+)?(?:data|datasets?|data sets?|records|patients|extracts?)(?-u:\b)",
            Reads::Folded,
            STATEMENT,
        ),
        (
            r#"(?i)https?://(?:www\.)?(?:digital\.nhs\.uk/(?:data-and-information|services/organisation-data-service)|files\.digital\.nhs\.uk|england\.nhs\.uk/statistics|data\.england\.nhs\.uk|data\.gov\.uk|fingertips\.phe\.org\.uk|(?:www\.)?ons\.gov\.uk|geoportal\.statistics\.gov\.uk|opendata\.nhsbsa\.net|physionet\.org|kaggle\.com/datasets|archive\.ics\.uci\.edu|opendata\.[a-z.]+)[^\s)"'<>\]]*"#,
            Reads::AsIs,
            OPEN_DATA_LINK,
        ),
    ]
    .into_iter()
    .map(|(p, reads, w)| (Regex::new(p).expect("regex"), reads, w))
    .collect()
});

/// Which prefilter groups a text mentions; the pattern of a group runs only
/// when its group was seen. Filled by the prose scanner's one trigger pass
/// (see `prose.rs`), or by [`PrefilterHits::of`] for callers without one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PrefilterHits([bool; 3]);

impl PrefilterHits {
    /// Notes a matched prefilter word (lower case). A longer word can hold
    /// another group's word ("synthetic" holds "synth").
    pub(super) fn note(&mut self, word: &[u8]) {
        for (group, needles) in PREFILTERS.iter().enumerate() {
            self.0[group] |= needles
                .iter()
                .any(|n| word.windows(n.len()).any(|w| w == n.as_bytes()));
        }
    }

    /// One pass of [`PREFILTER`] over `text`.
    pub(super) fn of(text: &[u8]) -> PrefilterHits {
        let mut hits = PrefilterHits::default();
        for hit in PREFILTER.hits(text) {
            hits.note(PREFILTER_WORDS[hit.word].as_bytes());
            if hits.0.iter().all(|h| *h) {
                break;
            }
        }
        hits
    }
}

/// Every prefilter word, lower case, longest first (so that in an
/// alternation a match is the longest word at its place).
fn prefilter_words() -> Vec<&'static str> {
    let mut words: Vec<&str> = PREFILTERS.iter().flat_map(|g| g.iter().copied()).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
}

/// Signals that data in or near `path` is dummy or synthetic. `text` is the
/// file's content when the caller has it (scripts, READMEs, notebooks).
pub fn dummy_signals(path: &str, text: Option<&[u8]>) -> Vec<SyntheticEvidence> {
    let mut out = path_signals(path);
    if let Some(text) = text {
        out.extend(text_signals(path, text, PrefilterHits::of(text)));
    }
    out
}

/// The path names the data as dummy, sample, synthetic …
pub(super) fn path_signals(path: &str) -> Vec<SyntheticEvidence> {
    let mut out = Vec::new();
    let lower = path.to_ascii_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let dataish = super::data_kind(path).is_some()
        || lower.ends_with(".ipynb")
        || tokens
            .iter()
            .any(|t| matches!(*t, "data" | "dataset" | "datasets"));
    if let Some(w) = tokens.iter().find(|t| DUMMY_WORDS.contains(t))
        && dataish
    {
        out.push(SyntheticEvidence {
            path: path.to_string(),
            line: None,
            what: format!("path names the data as {w}"),
        });
    }
    out
}

/// Statements, generators and open-data links in `text`, for the groups
/// `hits` says are mentioned.
pub(super) fn text_signals(path: &str, text: &[u8], hits: PrefilterHits) -> Vec<SyntheticEvidence> {
    if !hits.0.iter().any(|h| *h) {
        return Vec::new();
    }
    let wants_folded = PATTERNS
        .iter()
        .zip(hits.0)
        .any(|((_, reads, _), wanted)| wanted && *reads == Reads::Folded);
    if wants_folded {
        with_ascii_lowercase(text, |folded| signals_in(path, text, folded, hits))
    } else {
        signals_in(path, text, text, hits)
    }
}

/// [`text_signals`] with `folded`, `text` with ASCII letters lower-cased (the same length, so
/// a match's span in one is its span in the other).
fn signals_in(
    path: &str,
    text: &[u8],
    folded: &[u8],
    hits: PrefilterHits,
) -> Vec<SyntheticEvidence> {
    let mut out = Vec::new();
    // The patterns run over the bytes (Unicode-aware, as UTF-8): validating a whole file as
    // UTF-8 first cost more than the searches.
    for ((re, reads, what), wanted) in PATTERNS.iter().zip(hits.0) {
        if !wanted {
            continue;
        }
        let haystack = match reads {
            Reads::Folded => folded,
            Reads::AsIs => text,
        };
        let credited = re.find_iter(haystack).find(|m| {
            let line = line_around(text, m.start());
            match *what {
                STATEMENT => !NOT_YET.is_match(line),
                OPEN_DATA_LINK => open_data_used(path, line, &text[m.range()]),
                _ => true,
            }
        });
        if let Some(m) = credited {
            let line = memchr::memchr_iter(b'\n', &text[..m.start()]).count() as u64 + 1;
            let detail: String = if *what == STATEMENT {
                String::new()
            } else {
                let found = String::from_utf8_lossy(&text[m.range()]);
                format!(" ({})", found.chars().take(80).collect::<String>())
            };
            out.push(SyntheticEvidence {
                path: path.to_string(),
                line: Some(line),
                what: format!("{what}{detail}"),
            });
        }
        if out.len() >= MAX_EVIDENCE {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The two folded patterns as they were written before they read folded text: ASCII
    /// case-insensitive over the text as it is. They are the oracle for the folded ones.
    const CASE_INSENSITIVE: [&str; 2] = [
        r#"(?i-u)\b(?:import faker|from faker import|faker\(\)|Faker\(|library\(\s*["']?(?:synthpop|wakefield|charlatan|fabricatr|simstudy|synthesizer)\b|require\(\s*["']?synthpop|synthpop::|\bsdv\.|from sdv\b|\bsynthea\b|\bmimesis\b|\bsynthcity\b|nhs-synthetic|nhssynth|synthvae|ydata[-_]synthetic|@faker-js)"#,
        r"(?-u:\b)(?i-u:dummy|synthetic|fake|simulated|fictitious|fictional|artificial|made[- ]up|randomly[- ]generated)\s+(?:(?i-u:patient|test|example)\s+)?(?i-u:data|datasets?|data sets?|records|patients|extracts?)(?-u:\b)",
    ];

    fn folded_text_strategy() -> impl Strategy<Value = Vec<u8>> {
        // Pieces of what the patterns look for, in mixed case, with separators that are and
        // are not whitespace (a no-break space, a KELVIN SIGN after an ASCII letter) between.
        let piece = prop_oneof![
            proptest::sample::select(vec![
                "import faker",
                "from faker import",
                "faker()",
                "Faker(",
                "library(",
                "require(",
                "synthpop",
                "synthpop::",
                "sdv.",
                "from sdv",
                "synthea",
                "mimesis",
                "synthcity",
                "nhs-synthetic",
                "nhssynth",
                "SynthVAE",
                "ydata_synthetic",
                "ydata-synthetic",
                "@faker-js",
                "wakefield",
                "simstudy",
                "dummy",
                "synthetic",
                "fake",
                "made up",
                "made-up",
                "randomly generated",
                "patient",
                "test",
                "example",
                "data",
                "datasets",
                "data sets",
                "records",
                "patients",
                "extract",
                "'",
                "\"",
                "x",
                "_",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            proptest::sample::select(vec![" ", "  ", "\n", "\t", "\u{a0}", "\u{212a}", "é", ""])
                .prop_map(|s| s.as_bytes().to_vec()),
        ];
        proptest::collection::vec((piece, any::<u64>()), 0..24)
            .prop_map(crate::checks::data::testgen::in_mixed_case)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn folded_patterns_match_where_the_case_insensitive_ones_do(text in folded_text_strategy()) {
            let folded: Vec<u8> = text.iter().map(u8::to_ascii_lowercase).collect();
            let folded_patterns: Vec<&Regex> = PATTERNS
                .iter()
                .filter(|(_, reads, _)| *reads == Reads::Folded)
                .map(|(re, _, _)| re)
                .collect();
            prop_assert_eq!(folded_patterns.len(), CASE_INSENSITIVE.len());
            for (pattern, oracle) in folded_patterns.into_iter().zip(CASE_INSENSITIVE) {
                let oracle = Regex::new(oracle).unwrap();
                prop_assert_eq!(
                    pattern.find(&folded).map(|m| m.range()),
                    oracle.find(&text).map(|m| m.range()),
                    "{}", oracle.as_str()
                );
            }
        }
    }

    #[test]
    fn the_folded_patterns_find_their_samples_in_any_case() {
        // So that the property above cannot pass by both sides never matching.
        for (text, what) in [
            (
                "import numpy\nFROM FAKER IMPORT Faker\n",
                "synthetic data generator (FROM FAKER IMPORT)",
            ),
            ("fake = Faker()\n", "synthetic data generator (Faker())"),
            (
                "library(\n  'SynthPop')\n",
                "synthetic data generator (library(\n  'SynthPop)",
            ),
            (
                "All of it is Made-Up\u{a0}Patient Records.\n",
                "statement that data is dummy or synthetic",
            ),
        ] {
            let found = text_signals("f", text.as_bytes(), PrefilterHits::of(text.as_bytes()));
            assert_eq!(
                found.iter().map(|s| s.what.as_str()).collect::<Vec<_>>(),
                [what],
                "{text:?}"
            );
        }
    }

    #[test]
    fn signals() {
        assert_eq!(dummy_signals("data/dummy_patients.csv", None).len(), 1);
        assert!(dummy_signals("examples/hello.py", None).is_empty());
        let s = dummy_signals(
            "gen.py",
            Some("import os\nfrom faker import Faker\n".as_bytes()),
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].line, Some(2));
        assert_eq!(
            dummy_signals("gen.R", Some("library(synthpop)\n".as_bytes())).len(),
            1
        );
        let s = dummy_signals(
            "README.md",
            Some(
                b"This repo ships synthetic data only.\nSee https://digital.nhs.uk/data-and-information/publications/x\n",
            ),
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(dummy_signals("README.md", Some("Contact us.".as_bytes())).is_empty());
        // A word inside a longer one still counts for its own group.
        let s = dummy_signals(
            "setup.py",
            Some("install_requires=['NHS-Synthetic']\n".as_bytes()),
        );
        assert_eq!(s.len(), 1, "{s:?}");
    }

    #[test]
    fn promised_dummy_data_is_not_credited() {
        let promised = b"We use national data.\n\n[We are working on providing synthetic data](https://example.org/issues/347).\n";
        let s = dummy_signals("README.md", Some(promised));
        assert!(s.is_empty(), "{s:?}");
        let later = b"Tests need the synthetic dataset, which is not currently released.\nThis repository ships synthetic data for the demo.\n";
        let s = dummy_signals("README.md", Some(later));
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].line, Some(2), "the second statement is credited");
    }

    #[test]
    fn an_open_data_link_counts_where_code_reads_it_or_the_readme_names_it() {
        let url = "https://www.opendata.nhs.scot/dataset/x/resource/y.csv";
        let read = format!("df <- read_csv(\"{url}\")\n");
        assert_eq!(dummy_signals("code/load.R", Some(read.as_bytes())).len(), 1);
        assert_eq!(
            dummy_signals("README.md", Some(format!("Data: {url}\n").as_bytes())).len(),
            1
        );
        let comment = format!("# see {url}\nx <- 1\n");
        assert!(dummy_signals("code/load.R", Some(comment.as_bytes())).is_empty());
        let help = format!("The list comes from [the source]({url}).\n");
        assert!(dummy_signals("inst/app/help.md", Some(help.as_bytes())).is_empty());
        let form = format!("      description: read {url}\n");
        assert!(
            dummy_signals(".github/ISSUE_TEMPLATE/support.yaml", Some(form.as_bytes())).is_empty()
        );
        let chunk = format!("```{{r}}\npop <- read_csv(\"{url}\")\n```\n");
        assert_eq!(dummy_signals("report.Rmd", Some(chunk.as_bytes())).len(), 1);
        let prose = format!("Also available on [the open data platform]({url}).\n");
        assert!(dummy_signals("report.Rmd", Some(prose.as_bytes())).is_empty());
        let pdf = "x <- \"https://fingertips.phe.org.uk/documents/Tech%20Briefing.pdf\"\n";
        assert!(dummy_signals("code/setup.R", Some(pdf.as_bytes())).is_empty());
    }
}
