//! Streaming scan of running text (code, prose, config, reports) for NHS
//! numbers, NI numbers and secrets.
//!
//! Text is read in large chunks cut at line ends, so memory stays flat and the
//! hot loops (the digit scanner and one trigger regex) run over whole chunks
//! rather than line by line. Outside tables there is no column to vote, so NHS
//! numbers are judged per file: one valid number is weak; three or more
//! distinct valid numbers near a patient-like word are strong; a file where
//! most 10-digit numbers fail the check digit holds random ids, not NHS numbers.
//! In a text about CHI numbers, numbers in the Scottish range are CHI numbers: they
//! are listed for review, never an NHS-number alarm. CHI has no test range, so worked
//! examples (phsmethods' vignette on checking CHI numbers) cannot avoid it.

use std::io::Read;
use std::sync::LazyLock;

use super::dummy::{PREFILTER_WORDS, PrefilterHits};
use super::mask;
use super::named_number;
use super::nhs::{
    Allocation, Candidate, allocation, is_synthetic_digits, isbn_before, mod11_ok,
    scan_digit_groups,
};
use super::triggers::TriggerSearch;
use super::{Detection, FileScan, Kind, Strength, SyntheticEvidence};
use crate::checks::secrets::{self, SecretSink};

/// Chunk size for streaming; lines longer than this are cut.
const CHUNK: usize = 1 << 20;
/// Lines either side of a patient-like word that count as "near" it.
const CONTEXT_WINDOW: u64 = 10;
/// Distinct valid numbers near context needed for a strong finding.
const STRONG_MIN_NUMBERS: usize = 3;
/// Bounded evidence kept per file.
const MAX_KEPT: usize = 10_000;

/// Words that put numbers in patient context.
const CONTEXT_WORDS: &[&str] = &["nhs", "patient"];

/// Secret triggers, the patient-context words and the dummy-data prefilter words: one pass
/// over the text serves all three. Earlier words win at the same place, so a dummy word never
/// hides a secret trigger or a context word. All are lower case.
static TRIGGER_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    secrets::TRIGGER_LITERALS
        .iter()
        .chain(CONTEXT_WORDS)
        .copied()
        .chain(PREFILTER_WORDS.iter().copied())
        .collect()
});

/// [`TRIGGER_WORDS`], searched ASCII case-insensitively (see `triggers.rs` for how).
static TRIGGERS: LazyLock<TriggerSearch> = LazyLock::new(|| TriggerSearch::new(&TRIGGER_WORDS));

/// The trigger words in priority order, for tests of the search's assumptions.
#[cfg(test)]
pub(super) fn trigger_words() -> Vec<&'static str> {
    TRIGGER_WORDS.clone()
}

/// Which detectors run over a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ProseMode {
    /// NHS and NI numbers (off for text whose tables were already judged).
    pub identifiers: bool,
    pub secrets: bool,
    /// `key=value` without quotes counts as an assignment (ini, yaml, env…).
    pub config_like: bool,
}

impl Default for ProseMode {
    fn default() -> Self {
        ProseMode {
            identifiers: true,
            secrets: true,
            config_like: false,
        }
    }
}

/// Counts newlines lazily so line numbers cost nothing when nothing is found.
struct LineCursor {
    pos: usize,
    line: u64,
}

impl LineCursor {
    fn at(&mut self, text: &[u8], p: usize) -> u64 {
        if p > self.pos {
            self.line += memchr::memchr_iter(b'\n', &text[self.pos..p]).count() as u64;
            self.pos = p;
        }
        self.line
    }
}

/// `CHI` as a word (`CHI number`, `chi_check()`, `patient_chi`), not `chief` or `machine`.
static CHI_WORD: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?i-u)(?:^|[^a-z])chi(?:[^a-z]|$)").expect("regex")
});

/// Accumulates findings over one file's text, chunk by chunk.
pub(super) struct ProseScanner {
    path: String,
    mode: ProseMode,
    /// Lines before the current chunk.
    line_base: u64,
    /// Fixed line number for every hit (notebook cells), if set.
    fixed_line: Option<u64>,
    candidates: usize,
    /// (line, value, whose range it is in) of each valid number.
    valid: Vec<(u64, u64, Allocation)>,
    /// The first number in a range issued to patients written as the value of an NHS number
    /// field (`NHS_NO == …`), when the file is code: (line, value).
    field_value: Option<(u64, u64)>,
    /// The text names CHI numbers (`CHI` as a word), looked for only once a valid number in
    /// the Scottish range turns up.
    chi_context: bool,
    synthetic: usize,
    first_synthetic: Option<u64>,
    context_lines: Vec<u64>,
    ni: usize,
    first_ni: Option<(u64, String)>,
    sink: SecretSink,
    /// Dummy-data prefilter words seen, for `dummy::text_signals`.
    dummy: PrefilterHits,
}

fn digits_value(d: &[u8; 10]) -> u64 {
    d.iter().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'))
}

impl ProseScanner {
    pub(super) fn new(path: &str, mode: ProseMode) -> ProseScanner {
        ProseScanner {
            path: path.to_string(),
            mode,
            line_base: 0,
            fixed_line: None,
            candidates: 0,
            valid: Vec::new(),
            field_value: None,
            chi_context: false,
            synthetic: 0,
            first_synthetic: None,
            context_lines: Vec::new(),
            ni: 0,
            first_ni: None,
            sink: SecretSink::default(),
            dummy: PrefilterHits::default(),
        }
    }

    /// Report every hit of the following chunks at `line` (e.g. a notebook
    /// cell index), or go back to counting lines with `None`.
    pub(super) fn set_fixed_line(&mut self, line: Option<u64>) {
        self.fixed_line = line;
    }

    /// Scan one chunk that ends at a line boundary (or is cut).
    pub(super) fn feed(&mut self, text: &[u8]) {
        let base = self.line_base;
        let fixed = self.fixed_line;
        if self.mode.identifiers {
            let mut cur = LineCursor {
                pos: 0,
                line: base + 1,
            };
            scan_digit_groups(text, |c| match c {
                Candidate::Ten { start, digits } => {
                    // `ISBN 0201633612`: the same check digit, but a book.
                    if isbn_before(text, start) {
                        return;
                    }
                    if !mod11_ok(&digits) {
                        self.candidates += 1;
                        return;
                    }
                    let line = fixed.unwrap_or_else(|| cur.at(text, start));
                    let value = digits_value(&digits);
                    // 2^31, 2^32 - 1 and friends are constants in code.
                    if value & (value - 1) == 0 || value & (value + 1) == 0 {
                        return;
                    }
                    if is_synthetic_digits(&digits) {
                        self.synthetic += 1;
                        self.first_synthetic.get_or_insert(line);
                    } else {
                        self.candidates += 1;
                        let allocated = allocation(&digits);
                        if self.field_value.is_none()
                            && allocated.is_patient_range()
                            && named_number::is_nhs_field_value(text, start)
                            && named_number::is_code(&self.path)
                        {
                            self.field_value = Some((line, value));
                        }
                        if self.valid.len() < MAX_KEPT {
                            self.valid.push((line, value, allocated));
                        }
                    }
                }
                Candidate::Ni { start, end } => {
                    let line = fixed.unwrap_or_else(|| cur.at(text, start));
                    self.ni += 1;
                    if self.first_ni.is_none() {
                        let s = String::from_utf8_lossy(&text[start..end]);
                        self.first_ni = Some((line, mask::mask_ni(&s)));
                    }
                }
            });
        }
        if self.mode.identifiers
            && !self.chi_context
            && self
                .valid
                .iter()
                .any(|(_, _, a)| *a == Allocation::Scotland)
        {
            self.chi_context = CHI_WORD.is_match(text);
        }
        let mut cur = LineCursor {
            pos: 0,
            line: base + 1,
        };
        let mut last_secret_line_start = usize::MAX;
        let mut last_context_line = 0u64;
        for m in TRIGGERS.hits(text) {
            let word = TRIGGER_WORDS[m.word].as_bytes();
            let is_context = word == b"nhs" || word == b"patient";
            // `nhs` wins over the dummy words that start with it (`nhs.uk`,
            // `nhsbsa.net`), so those are looked for here.
            if word == b"nhs" {
                let rest = &text[m.start..];
                for w in PREFILTER_WORDS.iter().filter(|w| w.starts_with("nhs")) {
                    if rest
                        .get(..w.len())
                        .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
                    {
                        self.dummy.note(w.as_bytes());
                    }
                }
            }
            if !is_context && PREFILTER_WORDS.iter().any(|w| w.as_bytes() == word) {
                self.dummy.note(word);
                continue;
            }
            if is_context {
                if self.mode.identifiers {
                    let line = fixed.unwrap_or_else(|| cur.at(text, m.start));
                    if line != last_context_line && self.context_lines.len() < MAX_KEPT {
                        self.context_lines.push(line);
                        last_context_line = line;
                    }
                }
                continue;
            }
            if !self.mode.secrets {
                continue;
            }
            let ls = memchr::memrchr(b'\n', &text[..m.start]).map_or(0, |p| p + 1);
            if ls == last_secret_line_start {
                continue;
            }
            last_secret_line_start = ls;
            let le = memchr::memchr(b'\n', &text[m.end..]).map_or(text.len(), |p| m.end + p);
            let line = fixed.unwrap_or_else(|| cur.at(text, ls));
            let s = crate::checks::text::lossy_utf8(&text[ls..le]);
            secrets::scan_line(
                &self.path,
                s.trim_end_matches('\r'),
                line,
                &text[le..],
                self.mode.config_like,
                &mut self.sink,
            );
        }
        self.line_base += memchr::memchr_iter(b'\n', text).count() as u64;
    }

    /// Read `reader` to the end in chunks cut at line ends.
    pub(super) fn feed_reader(&mut self, reader: &mut dyn Read, max_bytes: u64) {
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0usize;
        let mut total = 0u64;
        loop {
            let want =
                (CHUNK - filled).min(usize::try_from(max_bytes - total).unwrap_or(usize::MAX));
            let n = if want == 0 {
                0
            } else {
                match reader.read(&mut buf[filled..filled + want]) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        log::debug!("{}: read stopped: {e}", self.path);
                        0
                    }
                }
            };
            total += n as u64;
            filled += n;
            if n == 0 {
                if filled > 0 {
                    self.feed(&buf[..filled]);
                }
                break;
            }
            if filled < CHUNK {
                continue;
            }
            // Cut at the last newline; a chunk without one is cut as is.
            let cut = memchr::memrchr(b'\n', &buf[..filled]).map_or(filled, |p| p + 1);
            self.feed(&buf[..cut]);
            buf.copy_within(cut..filled, 0);
            filled -= cut;
        }
    }

    /// Dummy-data prefilter words seen so far.
    pub(super) fn dummy_hits(&self) -> PrefilterHits {
        self.dummy
    }

    pub(super) fn finish(mut self, out: &mut FileScan) {
        if self.synthetic > 0 {
            out.synthetic.push(SyntheticEvidence {
                path: self.path.clone(),
                line: self.first_synthetic,
                what: format!("{} NHS numbers in the 999 test range", self.synthetic),
            });
        }
        let chi = self.chi_numbers();
        if let Some(d) = self.nhs_detection() {
            out.detections.push(d);
        }
        out.detections.extend(chi);
        if let Some((line, excerpt)) = self.first_ni.take() {
            out.detections.push(Detection {
                kind: Kind::NiNumber,
                strength: Strength::Weak,
                path: self.path.clone(),
                line: Some(line),
                column: None,
                count: self.ni,
                message: format!("{} National Insurance number(s) in text", self.ni),
                fingerprint_basis: format!("{}|{}|{}", Kind::NiNumber.as_str(), self.path, excerpt),
                excerpt,
            });
        }
        out.detections.append(&mut self.sink.detections);
    }

    /// In a text about CHI numbers, its Scottish-range numbers, taken out of the NHS-number
    /// evidence and listed as a weak CHI detection.
    fn chi_numbers(&mut self) -> Option<Detection> {
        if !self.chi_context {
            return None;
        }
        let (chi, rest): (Vec<_>, Vec<_>) = self
            .valid
            .drain(..)
            .partition(|(_, _, a)| *a == Allocation::Scotland);
        self.valid = rest;
        let (first_line, first_value, _) = *chi.first()?;
        let mut distinct: Vec<u64> = chi.iter().map(|&(_, v, _)| v).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let digits = format!("{first_value:010}");
        let excerpt = mask::mask_chi_number(&digits);
        Some(Detection {
            kind: Kind::ChiNumber,
            strength: Strength::Weak,
            path: self.path.clone(),
            line: Some(first_line),
            column: None,
            count: distinct.len(),
            message: format!(
                "{} value(s) in the CHI range in a text about CHI numbers; CHI has no test range, so check they are invented",
                distinct.len()
            ),
            fingerprint_basis: format!("{}|{}|{}", Kind::ChiNumber.as_str(), self.path, excerpt),
            excerpt,
        })
    }

    fn nhs_detection(&mut self) -> Option<Detection> {
        let (first_line, first_value, _) = *self.valid.first()?;
        let total_valid = self.valid.len();
        // Mostly-invalid 10-digit numbers: random ids or timestamps, and the
        // few that pass are chance.
        if self.candidates >= 5 && total_valid * 2 < self.candidates {
            return None;
        }
        let mut distinct: Vec<(u64, u64, bool)> = self
            .valid
            .iter()
            .map(|&(l, v, a)| (v, l, a.is_patient_range()))
            .collect();
        distinct.sort_unstable();
        distinct.dedup_by_key(|(v, _, _)| *v);
        let ctx = &self.context_lines;
        // Only numbers in a range issued to patients count towards an alarm.
        let near = distinct
            .iter()
            .filter(|&&(_, line, in_range)| {
                if !in_range {
                    return false;
                }
                let lo = line.saturating_sub(CONTEXT_WINDOW);
                let i = ctx.partition_point(|&c| c < lo);
                ctx.get(i).is_some_and(|&c| c <= line + CONTEXT_WINDOW)
            })
            .count();
        // A field's value is only the field's when the Scottish-range numbers of a CHI text
        // were not taken out above.
        let field_value = self
            .field_value
            .filter(|(_, v)| distinct.iter().any(|&(d, _, _)| d == *v));
        let strong = near >= STRONG_MIN_NUMBERS || field_value.is_some();
        let (first_line, first_value) = field_value.unwrap_or((first_line, first_value));
        let digits = format!("{first_value:010}");
        let excerpt = mask::mask_nhs_number(&digits);
        Some(Detection {
            kind: Kind::NhsNumber,
            strength: if strong {
                Strength::Strong
            } else {
                Strength::Weak
            },
            path: self.path.clone(),
            line: Some(first_line),
            column: None,
            count: distinct.len(),
            message: if near < STRONG_MIN_NUMBERS && field_value.is_some() {
                "a number in a range issued to patients is written as the value of an NHS number field (a patient's identifier in the code)".to_string()
            } else if strong {
                format!(
                    "{} distinct values pass the NHS number check digit near patient context",
                    distinct.len()
                )
            } else {
                let in_range = distinct.iter().filter(|&&(_, _, r)| r).count();
                weak_nhs_message(distinct.len(), in_range, near)
            },
            fingerprint_basis: format!("{}|{}|{}", Kind::NhsNumber.as_str(), self.path, excerpt),
            excerpt,
        })
    }
}

/// Why numbers in running text are weak, in words that fit how many there are: `n` distinct
/// valid numbers, `in_range` of them issued to patients, `near` of those near patient context.
fn weak_nhs_message(n: usize, in_range: usize, near: usize) -> String {
    if n == 1 {
        return "1 value passes the NHS number check digit; one number alone is weak evidence"
            .to_string();
    }
    let why = if in_range == 0 {
        "none is in a range issued to patients".to_string()
    } else if near == 0 {
        format!(
            "{in_range} in a range issued to patients, none near patient context (the words NHS or patient)"
        )
    } else {
        format!(
            "only {near} in a range issued to patients near patient context, and it takes {STRONG_MIN_NUMBERS} to be strong evidence"
        )
    };
    format!("{n} distinct values pass the NHS number check digit; {why}")
}

/// Convenience: scan a whole in-memory text. Returns the dummy-data
/// prefilter words seen, so the caller need not search the text again.
pub(super) fn scan_text(
    path: &str,
    text: &[u8],
    mode: ProseMode,
    out: &mut FileScan,
) -> PrefilterHits {
    let mut s = ProseScanner::new(path, mode);
    for chunk in chunks_at_lines(text) {
        s.feed(chunk);
    }
    let hits = s.dummy_hits();
    s.finish(out);
    hits
}

/// Splits a text into chunks of about [`CHUNK`] bytes at line ends.
fn chunks_at_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = if rest.len() <= CHUNK {
            rest.len()
        } else {
            memchr::memrchr(b'\n', &rest[..CHUNK]).map_or(CHUNK, |p| p + 1)
        };
        let (a, b) = rest.split_at(cut);
        rest = b;
        Some(a)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> FileScan {
        let mut out = FileScan::default();
        scan_text("p.py", text.as_bytes(), ProseMode::default(), &mut out);
        out
    }

    #[test]
    fn one_number_is_weak() {
        let out = run("See 943 476 5919 for details.\n");
        assert_eq!(out.detections.len(), 1);
        assert_eq!(out.detections[0].strength, Strength::Weak);
        assert_eq!(out.detections[0].line, Some(1));
    }

    /// The tester's p40: "12 value(s) pass …; one number alone is weak evidence" said one
    /// thing and its reason another. The reason now fits the count.
    #[test]
    fn the_weak_message_fits_the_count() {
        let out = run("See 943 476 5919 for details.\n");
        assert_eq!(
            out.detections[0].message,
            "1 value passes the NHS number check digit; one number alone is weak evidence"
        );
        let out = run("lookup = [7860960575, 4010232137, 4505577104]\n");
        let m = &out.detections[0].message;
        assert_eq!(out.detections[0].strength, Strength::Weak);
        assert!(!m.contains("one number alone"), "{m}");
        assert_eq!(
            m,
            "3 distinct values pass the NHS number check digit; 3 in a range issued to patients, none near patient context (the words NHS or patient)"
        );
        assert_eq!(
            weak_nhs_message(4, 0, 0),
            "4 distinct values pass the NHS number check digit; none is in a range issued to patients"
        );
        assert!(weak_nhs_message(5, 4, 2).contains("only 2 in a range"));
    }

    #[test]
    fn several_numbers_near_patient_are_strong() {
        let out = run("# patient lookup\nids = [7860960575, 4010232137,\n 4505577104]\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].strength, Strength::Strong);
        assert_eq!(out.detections[0].count, 3);
        assert_eq!(out.detections[0].line, Some(2));
    }

    #[test]
    fn out_of_range_or_isbn_numbers_are_not_alarms() {
        // 943 476 5919 passes the check digit but 9xx is not issued (changed in
        // round 2: it used to count like any valid number).
        let out = run("# patient lookup\nids = [9434765919, 4010232137,\n 4505577104]\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].strength, Strength::Weak);
        assert_eq!(out.detections[0].count, 3);
        // Introduced as ISBNs: not NHS-number candidates at all.
        let out = run("patient leaflets: ISBN 7860960575, ISBN-10: 4010232137, isbn 4505577104\n");
        assert!(out.detections.is_empty(), "{out:?}");
    }

    /// CHI numbers built here from a DDMMYY prefix and a check digit computed from the
    /// weights, not with the scanner's own check.
    fn chi_with_check(prefix: &str) -> String {
        let sum: u32 = prefix
            .bytes()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * (10 - i as u32))
            .sum();
        let check = (11 - sum % 11) % 11;
        assert!(check < 10, "{prefix}: choose another prefix");
        format!("{prefix}{check}")
    }

    #[test]
    fn chi_range_numbers_in_a_text_about_chi_are_not_nhs_numbers() {
        let chis: Vec<String> = ["010101123", "021116579", "190485123", "290296001"]
            .iter()
            .map(|p| chi_with_check(p))
            .collect();
        let text = format!(
            "## Checking CHI numbers\n\nThe patient's date of birth comes first.\n\n```r\nchi_check(c(\"{}\"))\n```\n",
            chis.join("\", \"")
        );
        let out = run(&text);
        assert_eq!(out.detections.len(), 1, "{out:?}");
        let chi = &out.detections[0];
        assert_eq!(chi.kind, Kind::ChiNumber);
        assert_eq!(chi.strength, Strength::Weak);
        assert_eq!(chi.count, 4);
        // The same numbers near a patient word with no CHI in sight stay an NHS-number alarm:
        // they are in a range issued to patients.
        let out = run(&text
            .replace("CHI", "identifier")
            .replace("chi_check", "check"));
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::NhsNumber);
        assert_eq!(out.detections[0].strength, Strength::Strong);
        // England and Wales numbers beside CHI talk are still NHS numbers.
        let out = run("patient CHI and NHS numbers: 7860960575, 4010232137, 4505577104\n");
        assert_eq!(out.detections.len(), 1, "{out:?}");
        assert_eq!(out.detections[0].kind, Kind::NhsNumber);
        assert_eq!(out.detections[0].strength, Strength::Strong);
        // `chief` and `machine` are not CHI.
        assert!(!CHI_WORD.is_match(b"the chief machine"));
        assert!(CHI_WORD.is_match(b"patient_chi"));
    }

    #[test]
    fn random_ids_are_ignored() {
        let invalid: Vec<String> = (1_000_000_000u64..)
            .map(|n| n.to_string())
            .filter(|s| !super::super::testgen::passes_check(s))
            .take(8)
            .collect();
        let text = format!("patient ids = [{}, 4010232137]", invalid.join(", "));
        assert!(run(&text).detections.is_empty());
    }

    #[test]
    fn powers_of_two_are_constants() {
        assert!(
            run("const IOC_OUT: u32 = 2147483648; // 4294967295\n")
                .detections
                .is_empty()
        );
    }

    #[test]
    fn synthetic_numbers_are_evidence() {
        let out = run("test patient 9990000018\n");
        assert!(out.detections.is_empty());
        assert_eq!(out.synthetic.len(), 1);
    }

    #[test]
    fn line_numbers_across_chunks() {
        let mut s = ProseScanner::new("x", ProseMode::default());
        s.feed(b"a\nb\n");
        s.feed(b"c\npassword = \"Tr0ub4dor3\"\n");
        let mut out = FileScan::default();
        s.finish(&mut out);
        assert_eq!(out.detections[0].line, Some(4));
    }

    #[test]
    fn reader_path_matches_slice_path() {
        let mut text = String::new();
        for i in 0..200_000 {
            text.push_str(&format!("line {i} nothing here\n"));
        }
        text.push_str("password = \"Tr0ub4dor3\"\n");
        let mut s = ProseScanner::new("x", ProseMode::default());
        s.feed_reader(&mut text.as_bytes(), u64::MAX);
        let mut out = FileScan::default();
        s.finish(&mut out);
        assert_eq!(out.detections[0].line, Some(200_001));
    }
}
