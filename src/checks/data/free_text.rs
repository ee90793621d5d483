//! Free-text columns in data files: notes, comments, reasons and other long,
//! varied text. Names, addresses and clinical details hide there even after
//! the identifier columns are gone, and no pattern can find them, so such
//! columns are only counted and listed for a person to read (`data/free-text`).
//!
//! A column is judged once it has [`MIN_VALUES`] text values, text makes up at
//! least half of it, and at least half its values are distinct
//! ([`MIN_DISTINCT_SHARE`]). It is then free text by its header (`notes`,
//! `comments`, `reason` …) when most of its values are several words, or by
//! its values alone when they are long ([`SHAPE_MIN_MEAN_CHARS`]) and varied
//! ([`SHAPE_MIN_TYPE_TOKEN_RATIO`]). Category labels and descriptions looked up
//! from codes ("Outpatient attendance", repeated) are long but not varied;
//! codes and numbers are neither.

use std::collections::HashSet;

use serde::Serialize;

/// Mean length, in bytes, of a column's text values before their shape alone
/// makes it free text: longer than any label or category name in practice,
/// shorter than one sentence of a clinical note.
pub(super) const SHAPE_MIN_MEAN_CHARS: usize = 40;
/// Distinct words over words read (type/token ratio) for free text by shape.
/// Prose stays above 0.3 over the first thousand words; a column drawn from a
/// few dozen fixed labels falls well below it.
pub(super) const SHAPE_MIN_TYPE_TOKEN_RATIO: f64 = 0.3;
/// Words read per column for the ratio: bounded memory, and the ratio is only
/// comparable between columns over a similar number of words.
const TOKEN_SAMPLE: usize = 1000;
/// Text values needed before a column is judged at all: fewer cannot show
/// whether the text varies.
const MIN_VALUES: usize = 5;
/// Values whose distinct count is kept, for the share of distinct values.
const VALUE_SAMPLE: usize = 1000;
/// Share of distinct values among the sampled ones. A description looked up
/// from a code (`gender_description`, `ethnic_category_description`) repeats a
/// handful of labels; notes and reasons rarely repeat.
const MIN_DISTINCT_SHARE: f64 = 0.5;

/// Why a column counts as free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FreeTextReason {
    /// The header names free text (`notes`, `comments`, `reason` …).
    Header,
    /// The values are long and varied.
    Shape,
}

/// One free-text column of a data file. Carries no value from the column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FreeTextColumn {
    /// The header, cleaned like every reported column name.
    pub column: String,
    /// Sheet name, JSON pointer, `table 2`; empty for a plain CSV.
    pub location: String,
    /// Non-empty text values read in the column.
    pub values: usize,
    pub reason: FreeTextReason,
}

/// Running statistics over a column's text values (not numbers, codes,
/// postcodes, names or emails, which other counters take).
#[derive(Debug, Default)]
pub(super) struct FreeTextStats {
    values: usize,
    bytes: usize,
    multi_word: usize,
    tokens: usize,
    types: HashSet<u64, Prehashed>,
    distinct: HashSet<u64, Prehashed>,
}

/// The sets hold word hashes already; SipHash over them again cost more than the word split
/// (about 70 M instructions on 26 real repositories). A multiply-and-rotate spreads the FNV bits
/// the table indexes by.
type Prehashed = std::hash::BuildHasherDefault<PrehashedHasher>;

#[derive(Default)]
struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29)
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed here; any other input still gets a usable hash.
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

fn word_hash(word: &[u8]) -> u64 {
    // FNV-1a over lower-cased bytes: cheap, and collisions only lower the ratio.
    word.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

impl FreeTextStats {
    /// `value` is trimmed by the caller.
    #[inline]
    pub(super) fn observe(&mut self, value: &[u8]) {
        self.values += 1;
        self.bytes += value.len();
        if self.values <= VALUE_SAMPLE {
            self.distinct.insert(word_hash(value));
        }
        // Codes, dates and single words (most cells of most tables) add one
        // type at most and never make a column free text: skip the word split.
        // Once the ratio is settled, only the multi-word share still moves.
        let spaced = value.contains(&b' ');
        if !spaced || self.tokens >= TOKEN_SAMPLE {
            if spaced {
                self.multi_word += 1;
            }
            return;
        }
        let mut words = 0usize;
        for word in value
            .split(|b| !b.is_ascii_alphanumeric() && *b < 0x80)
            .filter(|w| w.iter().any(u8::is_ascii_alphabetic) || w.iter().any(|b| *b >= 0x80))
        {
            words += 1;
            if self.tokens < TOKEN_SAMPLE {
                self.tokens += 1;
                self.types.insert(word_hash(word));
            }
        }
        if words >= 2 {
            self.multi_word += 1;
        }
    }

    /// Whether the column is free text; `non_empty` counts every value in it,
    /// text or not, `named` says whether its header names free text.
    pub(super) fn verdict(&self, non_empty: usize, named: bool) -> Option<FreeTextReason> {
        // Mostly numbers or codes: not a text column, whatever its name.
        if self.values < MIN_VALUES || self.values * 2 < non_empty {
            return None;
        }
        let sampled = self.values.min(VALUE_SAMPLE);
        if (self.distinct.len() as f64) < MIN_DISTINCT_SHARE * sampled as f64 {
            return None;
        }
        if named && self.multi_word * 2 >= self.values {
            return Some(FreeTextReason::Header);
        }
        let mean = self.bytes / self.values;
        let ratio = self.types.len() as f64 / self.tokens.max(1) as f64;
        (mean > SHAPE_MIN_MEAN_CHARS
            && self.multi_word * 5 >= self.values * 4
            && ratio >= SHAPE_MIN_TYPE_TOKEN_RATIO)
            .then_some(FreeTextReason::Shape)
    }

    pub(super) fn values(&self) -> usize {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[&str]) -> FreeTextStats {
        let mut s = FreeTextStats::default();
        for v in values {
            s.observe(v.as_bytes());
        }
        s
    }

    const NOTES: &[&str] = &[
        "Seen in clinic with her daughter; reports dizziness since the spring",
        "Telephone review, medication changed after fall at home last week",
        "Did not attend. Letter sent to the registered address, second reminder",
        "Referred on to physiotherapy for the knee, waiting list about six weeks",
        "Lives alone, neighbour helps with shopping; discussed support options",
        "Follow-up booked for March, bloods to be repeated before appointment",
    ];

    #[test]
    fn long_varied_text_is_free_text_by_shape() {
        let s = stats(NOTES);
        assert_eq!(s.verdict(NOTES.len(), false), Some(FreeTextReason::Shape));
    }

    #[test]
    fn repeated_labels_are_not_free_text_by_shape() {
        let labels: Vec<&str> = (0..40)
            .map(|i| {
                [
                    "Outpatient attendance, first appointment (consultant led)",
                    "Outpatient attendance, follow-up appointment (consultant led)",
                ][i % 2]
            })
            .collect();
        let s = stats(&labels);
        assert_eq!(s.verdict(labels.len(), false), None);
        // Named `…_description`, it is still a looked-up label, not free text.
        assert_eq!(s.verdict(labels.len(), true), None);
    }

    #[test]
    fn short_or_numeric_columns_are_not_free_text() {
        let s = stats(&["M", "F", "F", "M", "F"]);
        assert_eq!(
            s.verdict(5, true),
            None,
            "single words under a notes header"
        );
        let s = stats(&["a b", "c d", "e f"]);
        assert_eq!(
            s.verdict(30, true),
            None,
            "text is a minority of the values"
        );
        let s = stats(&NOTES[..4]);
        assert_eq!(s.verdict(4, true), None, "too few values to judge");
        // Short but varied notes under a notes header are listed.
        let short = [
            "rang back",
            "left message",
            "seen today",
            "no answer",
            "letter sent",
        ];
        assert_eq!(stats(&short).verdict(5, true), Some(FreeTextReason::Header));
        assert_eq!(stats(&short).verdict(5, false), None, "too short for shape");
    }

    #[test]
    fn thresholds_sit_where_documented() {
        // 41-byte values of fresh words: just over the mean-length bar.
        let words = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
            "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
        ];
        let mut long = Vec::new();
        for i in 0..6 {
            let mut v = String::new();
            let mut k = i * 4;
            while v.len() < SHAPE_MIN_MEAN_CHARS + 1 {
                v.push_str(words[k % words.len()]);
                v.push(' ');
                k += 1;
            }
            long.push(v.trim_end().to_string());
        }
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        let s = stats(&refs);
        assert!(s.bytes / s.values > SHAPE_MIN_MEAN_CHARS);
        assert_eq!(s.verdict(refs.len(), false), Some(FreeTextReason::Shape));
        let short: Vec<String> = long.iter().map(|v| v[..30].to_string()).collect();
        let refs: Vec<&str> = short.iter().map(String::as_str).collect();
        assert_eq!(stats(&refs).verdict(refs.len(), false), None);
    }
}
