//! Full-text identification: which licence(s) a licence file holds.
//!
//! We score the (normalised) text against the trimmed store with askalono's Dice coefficient
//! over word pairs, but only against entries of similar length: Dice ≤ 2·min/(a+b), so a score
//! of 0.9 needs the two lengths within a ratio of about 0.82. That keeps a file well under 5 ms
//! instead of the 10–40 ms of scoring the whole store, with the same verdicts.
//!
//! Thresholds (see `docs/licences.md` for the measurements):
//! - [`CONFIDENCE_THRESHOLD`] = 0.9. Lightly reformatted legitimate texts score down to about
//!   0.93 and Markdown/HTML files around 0.90 before normalisation; 0.9 lost none of them. It
//!   also keeps the Open Government Licence versions apart (2.0 scores 0.90 against 3.0 and
//!   1.0 scores 0.82), which a lower threshold would not.
//! - Modified licences (a renamed MPL, an edited Apache) score 0.947–0.968, above any usable
//!   threshold, so a second test rejects a match when the text's first line is a short licence
//!   title sharing no distinctive word with the matched licence's name.
//!
//! Files holding several licences score low against each. When the whole-file score is below
//! 0.99 and the text is much longer than its best match (or matched nothing), we split it at
//! likely boundaries (titles, rules, headings, copyright notices) and identify runs of sections
//! top-down, as the `spdx` crate's `Scanner` in top-down mode does, but over sections rather
//! than every fifth line and with a cap on windows and time: the crate's scanner cannot be
//! bounded and took from 0.1 s to 156 s on our samples.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;
use spdx::detection::{LicenseType, TextData};

use super::modified::added_restriction;
use super::normalise::{
    Normalised, PLACEHOLDER_NOTICE, is_copyright_notice, needs_placeholder, normalise,
};
use super::store::{Index, Variant, index, word_count};
use crate::model::facts::licence::{ClosestMatch, DeclaredIn, LicenceFact, NOASSERTION, Scope};

/// Minimum Dice score for a full-text match. See the module docs for why.
pub const CONFIDENCE_THRESHOLD: f32 = 0.9;

/// Above this the whole file is one licence and the multi-licence search is skipped.
const CERTAIN: f32 = 0.99;

/// Slack on the Dice length bound: our word counts (whitespace tokens of the normalised lines)
/// are not exactly askalono's word pairs, which drop punctuation, titles and notices.
const BOUND_SLACK: f32 = 0.08;

/// Entries whose length bound is below this cannot reach the threshold (0.9 needs lengths
/// within a ratio of 0.82, a bound of 0.9); with slack, as above.
const LENGTH_BOUND: f32 = CONFIDENCE_THRESHOLD - BOUND_SLACK;

/// When nothing has a similar length, how many of the nearest lengths to score for the
/// closest match.
const CLOSEST_TRIES: usize = 8;

/// Only the head of a huge file is examined: no single licence is longer than this, and
/// bigger files are bundles of third-party notices.
const MAX_BYTES: usize = 128 * 1024;

/// Bounds on the multi-licence search.
const MULTI_MAX_BYTES: usize = 96 * 1024;
const MAX_SECTIONS: usize = 32;
const MAX_WINDOWS: usize = 64;
const MULTI_BUDGET: Duration = Duration::from_millis(150);
const SPLIT_FLOOR: f32 = 0.4;

/// A scored store entry.
#[derive(Clone, Copy, Debug)]
pub(super) struct Best {
    pub name: &'static str,
    pub kind: LicenseType,
    pub score: f32,
    pub words: u32,
}

/// A licence located in a text.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub spdx: String,
    pub score: f32,
    /// 0-based line of the input where the match starts.
    pub line: usize,
    pub excerpt: Option<String>,
}

/// Result of identifying a text.
pub(super) struct Outcome {
    pub found: Vec<Found>,
    pub closest: Option<ClosestMatch>,
    pub first_line: Option<(usize, String)>,
}

/// Score a sample against the store, cheaply. Dice ≤ 2·min(a,b)/(a+b) for texts of a and b
/// word pairs, so entries are visited from the most to the least similar length and the
/// search stops once that bound (with slack, since our word counts are approximate) cannot
/// beat the best score so far, or falls below what the threshold needs. The winner is the
/// highest score, ties going to the smaller id, whatever the visiting order. Only the texts
/// visited are decoded (see `store`), so the early stop is what keeps a process from paying for
/// the whole store.
pub(super) fn best_match(sample: &TextData, words: u32) -> Option<Best> {
    best_match_in(index(), sample, words)
}

pub(super) fn best_match_in(idx: &Index, sample: &TextData, words: u32) -> Option<Best> {
    let bound = |v: &Variant| {
        let (lo, hi) = (v.words.min(words) as f32, v.words.max(words) as f32);
        if hi == 0.0 { 0.0 } else { 2.0 * lo / (lo + hi) }
    };
    let mut order: Vec<(f32, &Variant)> = idx.variants.iter().map(|v| (bound(v), v)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: Option<Best> = None;
    for (i, (b, v)) in order.iter().enumerate() {
        let best_score = best.map_or(0.0, |x| x.score);
        // Past the length window, only a closest match is still wanted: the first few.
        if *b + BOUND_SLACK < best_score
            || (*b < LENGTH_BOUND && i >= CLOSEST_TRIES && best.is_some())
        {
            break;
        }
        let Some(data) = v.data() else {
            // Unreadable (logged): as if the store did not hold it.
            continue;
        };
        let score = sample.match_score(data);
        let better = match best {
            None => true,
            Some(x) => score > x.score || (score == x.score && v.name < x.name),
        };
        if better {
            best = Some(Best {
                name: v.name,
                kind: v.kind,
                score,
                words: v.words,
            });
        }
    }
    best
}

/// Identify the licence(s) in a text.
pub(super) fn identify_text(text: &str) -> Outcome {
    let text = truncate(text, MAX_BYTES);
    let norm = normalise(text);
    let sample = TextData::new(&norm.text);
    let words = word_count(&sample);
    let whole = if words == 0 {
        None
    } else {
        best_match(&sample, words)
    };
    let first = first_nonblank(&norm, 0, norm.line_of.len());
    let mut first_line = first.map(|(i, l)| (norm.line_of[i], excerpt(l)));

    let mut found = Vec::new();
    if let Some(b) = whole.filter(|b| accepted(b, title_of(&norm, 0, norm.line_of.len()))) {
        let lines: Vec<&str> = norm.lines().collect();
        match added_restriction(b.name, &lines) {
            // A modified licence: the fact points at what was added, not at the title.
            Some(i) => first_line = Some((norm.line_of[i], excerpt(lines[i]))),
            None => found.push(to_found(&b, &norm, 0, norm.line_of.len())),
        }
    }

    // A file of several licences scores at least the share of its largest one against it;
    // below SPLIT_FLOOR the text is not made of known licences and the search is skipped.
    let long = match whole {
        Some(b) => {
            b.score < CERTAIN
                && b.score >= SPLIT_FLOOR
                && (found.is_empty() || words as f32 > 1.3 * b.words as f32)
        }
        None => false,
    };
    // A short licence beside a long one (MIT's 170 words beside the OGL's 950) leaves the
    // file within 1.3× of the long one, whose match then clears the threshold and hides the
    // short one. Headings or rules inside the file say it is in parts, so look at them.
    let sectioned = !long
        && found.len() == 1
        && whole.is_some_and(|b| b.score < CERTAIN)
        && has_inner_boundary(&norm);
    if (long || sectioned) && text.len() <= MULTI_MAX_BYTES {
        let parts = split_search(&norm);
        let distinct = {
            let mut ids: Vec<&str> = parts.iter().map(|p| p.0.spdx.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        };
        let covered: u32 = parts.iter().map(|p| p.1).sum();
        let coverage = covered as f32 / words.max(1) as f32;
        log::debug!(
            "split search: {} parts, coverage {coverage:.2}",
            parts.len()
        );
        // One licence found in part of a text whose whole was rejected for its title is the
        // modified licence again, seen without its title.
        let retitled = whole.is_some_and(|b| b.score >= CONFIDENCE_THRESHOLD);
        // Where the whole file was accepted, the parts must cover it and include that
        // licence: a part matching something else inside one licence's text is noise.
        let confirms_whole = found
            .iter()
            .all(|w| parts.iter().any(|p| p.0.spdx == w.spdx));
        let several = distinct >= 2 && (long || (coverage >= 0.8 && confirms_whole));
        if several || (found.is_empty() && !retitled && distinct == 1 && coverage >= 0.8) {
            found = dedup(parts.into_iter().map(|p| p.0).collect());
        }
    }

    let closest = whole.filter(|b| b.score > 0.0).map(|b| ClosestMatch {
        spdx: final_id(b.name, b.kind, &norm.text),
        score: round3(b.score),
    });
    Outcome {
        found,
        closest,
        first_line,
    }
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

fn dedup(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        match out.iter_mut().find(|o| o.spdx == f.spdx) {
            Some(o) => o.score = o.score.max(f.score),
            None => out.push(f),
        }
    }
    out
}

fn to_found(b: &Best, norm: &Normalised, start: usize, end: usize) -> Found {
    let lines: Vec<&str> = norm.lines().collect();
    let window = lines[start..end].join("\n");
    let notice = if b.kind == LicenseType::Header {
        window.clone()
    } else {
        notice_part(&norm.text)
    };
    let first = first_nonblank(norm, start, end);
    Found {
        spdx: final_id(b.name, b.kind, &notice),
        score: round3(b.score),
        line: first.map_or(norm.line_of.get(start).copied().unwrap_or(0), |f| {
            norm.line_of[f.0]
        }),
        excerpt: first.map(|f| excerpt(f.1)),
    }
}

/// A match is accepted at the threshold, unless its title names another licence. Above
/// [`CERTAIN`] the words are the licence's own whatever the title says (askalono drops title
/// lines), and the modified texts the title check exists for all scored below 0.97.
fn accepted(b: &Best, title: Option<&str>) -> bool {
    b.score >= CONFIDENCE_THRESHOLD
        && (b.score >= CERTAIN || !title.is_some_and(|t| title_conflicts(t, b.name)))
}

/// The first line of a range if it stands alone as a title: followed by a blank line, or short.
fn title_of(norm: &Normalised, start: usize, end: usize) -> Option<&str> {
    let (i, line) = first_nonblank(norm, start, end)?;
    let next_blank = norm.lines().nth(i + 1).is_none_or(|l| l.trim().is_empty());
    (next_blank || line.split_whitespace().count() <= 6).then_some(line)
}

fn first_nonblank(norm: &Normalised, start: usize, end: usize) -> Option<(usize, &str)> {
    norm.lines()
        .enumerate()
        .skip(start)
        .take(end.saturating_sub(start))
        .find(|(_, l)| !l.trim().is_empty())
}

fn excerpt(line: &str) -> String {
    let t = line.trim();
    match t.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_owned(),
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(super) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

// ---------------------------------------------------------------------------------------------
// Title check

/// Words that appear in most licence titles and so say nothing about which licence it is.
const GENERIC_TITLE_WORDS: &[&str] = &[
    "license",
    "licence",
    "licenses",
    "licences",
    "licensed",
    "version",
    "public",
    "general",
    "free",
    "open",
    "source",
    "software",
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "for",
    "to",
    "v",
    "terms",
    "conditions",
    "agreement",
    "copyright",
    "notice",
    "under",
    "this",
    "international",
    "generic",
    "unported",
    "new",
    "revised",
    "only",
    "later",
    "text",
    "full",
];

/// Whether `line` is a short licence title that shares no distinctive word with the name of
/// licence `id`, which means a renamed or modified licence (measured: it rejected every
/// modified text in our samples and no legitimate one).
pub(super) fn title_conflicts(line: &str, id: &str) -> bool {
    static TITLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\blicen[cs]e\b").expect("regex"));
    let words_total = line.split_whitespace().count();
    if words_total == 0 || words_total > 10 || !TITLE.is_match(line) {
        return false;
    }
    static MODIFIED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(modified|amended|variant|derived|based\s+on|adapted)\b").expect("regex")
    });
    static ESTABLISHED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bmodified\s+bsd\b").expect("regex"));
    if MODIFIED.is_match(line) && !ESTABLISHED.is_match(line) {
        // "Modified Apache 2.0 License": the title says it is not the licence.
        return true;
    }
    let title = distinctive_words(line);
    if title.is_empty() {
        return false;
    }
    let full_name = spdx::license_id(id).map_or("", |l| l.full_name);
    let name = distinctive_words(&format!("{full_name} {}", id.replace('-', " ")));
    let joined: String = name.concat();
    // Lenient about spelling: "OpenLDAP" against "Open LDAP", "BSD-3" against "BSD".
    !title.iter().any(|w| {
        name.contains(w)
            || (w.len() >= 3 && joined.contains(w.as_str()))
            || name.iter().any(|n| n.len() >= 3 && w.contains(n.as_str()))
    })
}

fn distinctive_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !(w.starts_with('v') && w[1..].chars().all(|c| c.is_ascii_digit())))
        .filter(|w| !GENERIC_TITLE_WORDS.contains(&w.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// GNU "only" / "or later"

/// The reported id for a store entry. GNU licences are stored under their base name because
/// the licence text is the same for "only" and "or later"; the notice decides. A bare licence
/// text with no notice is reported as "-only", which is what the deprecated bare id (what
/// licensee reports, e.g. `GPL-3.0`) means in SPDX.
pub(super) fn final_id(name: &str, _kind: LicenseType, notice: &str) -> String {
    static LATER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)any\s+later\s+version|\bor[\s-]+later\b|\bv?\d(?:\.\d)?\s*\+")
            .expect("regex")
    });
    static NO_INVARIANTS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)with\s+no\s+invariant\s+sections").expect("regex"));
    let only = format!("{name}-only");
    if spdx::license_id(&only).is_none() {
        // The crate keeps some texts under deprecated names (`BSD-2-Clause-FreeBSD`).
        return super::current::current_id(name);
    }
    let mut base = name.to_owned();
    if name.starts_with("GFDL-") && NO_INVARIANTS.is_match(notice) {
        base.push_str("-no-invariants");
    }
    if LATER.is_match(notice) {
        format!("{base}-or-later")
    } else {
        format!("{base}-only")
    }
}

/// The part of a text that can hold a GNU notice: what comes before the licence's own title,
/// or, without a title, before the licence's terms end (its appendix shows an example notice
/// with "any later version" that says nothing about this project).
fn notice_part(text: &str) -> String {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?im)^\s*(?:GNU\s+)?(?:(?:LESSER|LIBRARY|AFFERO)\s+)?GENERAL\s+PUBLIC\s+LICEN[CS]E\s*$|^\s*GNU\s+Free\s+Documentation\s+License\s*$|END\s+OF\s+TERMS\s+AND\s+CONDITIONS|How\s+to\s+Apply\s+These\s+Terms|ADDENDUM",
        )
        .expect("regex")
    });
    match TITLE.find(text) {
        Some(m) => text[..m.start()].to_owned(),
        None => text.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Several licences in one file

fn is_title_like(line: &str) -> bool {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(licen[cs]e|copyright|terms|agreement|attribution)\b").expect("regex")
    });
    let t = line.trim();
    let words = t.split_whitespace().count();
    words > 0
        && words <= 10
        && !t.ends_with('.')
        && !t.ends_with(',')
        && (RX.is_match(t)
            || t.chars().any(char::is_alphabetic) && !t.chars().any(char::is_lowercase))
}

/// Whether a heading or a rule stands inside the text, not only as its title.
fn has_inner_boundary(norm: &Normalised) -> bool {
    let Some((first, _)) = first_nonblank(norm, 0, norm.line_of.len()) else {
        return false;
    };
    norm.marked.iter().skip(first + 1).any(|&m| m)
}

/// Start lines of the sections of a text.
fn section_starts(norm: &Normalised) -> Vec<usize> {
    let lines: Vec<&str> = norm.lines().collect();
    let mut starts = Vec::new();
    let mut blank_run = true;
    let mut marked_run = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            blank_run = true;
            marked_run |= norm.marked[i];
            continue;
        }
        let start = starts.is_empty()
            || marked_run
            || norm.marked[i]
            || (blank_run && (is_title_like(t) || is_copyright_notice(t)));
        if start {
            starts.push(i);
        }
        blank_run = false;
        marked_run = false;
    }
    starts
}

/// Top-down search over sections: from each start, grow the window a section at a time; once
/// the score reaches the threshold keep growing while it holds and take the best window.
/// Returns each located licence with the number of words it covers.
fn split_search(norm: &Normalised) -> Vec<(Found, u32)> {
    let started = Instant::now();
    let lines: Vec<&str> = norm.lines().collect();
    let mut starts = section_starts(norm);
    if starts.len() < 2 {
        return Vec::new();
    }
    if starts.len() > MAX_SECTIONS {
        // Keep the strongest boundaries: headings and rules first, then the earliest.
        starts.truncate(MAX_SECTIONS);
    }
    let mut bounds = starts.clone();
    bounds.push(lines.len());
    let words_of = |a: usize, b: usize| -> u32 {
        lines[a..b]
            .iter()
            .map(|l| l.split_whitespace().count() as u32)
            .sum()
    };

    let mut out = Vec::new();
    let mut windows = 0usize;
    let k = starts.len();
    let mut i = 0;
    while i < k {
        let mut best: Option<(usize, Best)> = None;
        for j in i + 1..=k {
            if windows >= MAX_WINDOWS || started.elapsed() > MULTI_BUDGET {
                log::debug!("split search stopped after {windows} windows");
                return out;
            }
            let (a, b) = (bounds[i], bounds[j]);
            if words_of(a, b) < 20 {
                continue;
            }
            windows += 1;
            let mut window: Vec<&str> = lines[a..b].to_vec();
            if let Some(at) = needs_placeholder(&window) {
                window.insert(at, PLACEHOLDER_NOTICE);
            }
            let td = TextData::new(&window.join("\n"));
            let w = word_count(&td);
            let Some(m) = best_match(&td, w) else {
                continue;
            };
            let ok = accepted(&m, title_of(norm, a, b))
                && added_restriction(m.name, &lines[a..b]).is_none();
            match (&best, ok) {
                (_, true) if best.is_none_or(|(_, bb)| m.score > bb.score) => best = Some((j, m)),
                (Some(_), false) => break,
                _ => {}
            }
            if m.score >= CERTAIN {
                // Growing further can only add foreign text.
                break;
            }
        }
        match best {
            Some((j, m)) => {
                let (a, b) = (bounds[i], bounds[j]);
                out.push((to_found(&m, norm, a, b), words_of(a, b)));
                i = j;
            }
            None => i += 1,
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/// Full-text identification of one licence file's contents. Returns every licence found
/// (several for multi-licence files). Below threshold → one entry with spdx `NOASSERTION` and
/// `closest` set (unless the file is empty).
pub fn identify_file(path: &str, text: &str) -> Vec<LicenceFact> {
    let outcome = identify_text(text);
    if outcome.found.is_empty() {
        let (line, excerpt) = match outcome.first_line {
            Some((l, e)) => (Some(l + 1), Some(e)),
            None => (None, None),
        };
        return vec![LicenceFact {
            spdx: NOASSERTION.to_owned(),
            path: path.to_owned(),
            line,
            confidence: outcome.closest.as_ref().map_or(0.0, |c| c.score),
            scope: scope_for_file(path, None),
            declared_in: DeclaredIn::File,
            closest: outcome.closest,
            excerpt,
        }];
    }
    outcome
        .found
        .into_iter()
        .map(|f| LicenceFact {
            scope: scope_for_file(path, Some(&f.spdx)),
            spdx: f.spdx,
            path: path.to_owned(),
            line: Some(f.line + 1),
            confidence: f.score,
            declared_in: DeclaredIn::File,
            closest: None,
            excerpt: f.excerpt,
        })
        .collect()
}

/// Licences that are for content rather than code.
pub(super) fn is_docs_licence(id: &str) -> bool {
    id.starts_with("OGL-") || id.starts_with("CC-BY") || id.starts_with("GFDL-")
}

/// Licences made for data.
pub(super) fn is_data_licence(id: &str) -> bool {
    id.starts_with("ODbL") || id.starts_with("ODC-") || id.starts_with("PDDL")
}

/// Scope of a licence file: its name says most ("LICENSE-data", "docs/LICENCE"), then the
/// licence itself (an OGL or CC BY file is for documentation), then the licence its name
/// gives when the text was not identified.
pub(super) fn scope_for_file(path: &str, id: Option<&str>) -> Scope {
    static DATA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(^|[^a-z])data([^a-z]|$)").expect("regex"));
    static DOCS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(^|[^a-z])(docs?|documentation)([^a-z]|$)").expect("regex")
    });
    let p = path.trim_start_matches("./");
    if DATA.is_match(p) {
        return Scope::Data;
    }
    if DOCS.is_match(p) {
        return Scope::Docs;
    }
    // An unidentified text still has the licence its name gives (`OGL.txt`, `LICENCE-OGL`).
    let named = super::files::licence_in_name(p);
    match id.or(named.as_deref()) {
        None => Scope::Unknown,
        Some(id) if is_docs_licence(id) => Scope::Docs,
        Some(id) if is_data_licence(id) => Scope::Data,
        Some(_) => Scope::Code,
    }
}
