//! Finds the prose scanner's trigger words (secret hints, patient-context words, dummy-data
//! words) in running text, ASCII case-insensitively and leftmost-first, as fast as the bytes
//! allow.
//!
//! This pass touches every byte of every text file, so its speed is the audit's speed. A
//! case-insensitive Aho-Corasick automaton steps one byte at a time. Instead, the text is
//! lower-cased into a scratch buffer (a vectorised copy) and searched with Teddy, the SIMD
//! multi-literal searcher of the aho-corasick crate, which skips whole blocks that hold no
//! word's first bytes: about 0.55 G fewer instructions over an audit of 26 real NHS
//! repositories (docs/performance.md), with the same matches. Teddy's fingerprint is as long as
//! the shortest word, so words shorter than three bytes (the UNC-path `\\`) are found apart
//! with `memmem` and merged in by position; they share no byte with any other word, so the two
//! can never overlap and the merge is exactly the leftmost-first answer over all words.

use aho_corasick::{AhoCorasick, MatchKind, packed};

/// Words shorter than this are searched for apart (see the module note).
const SHORT: usize = 3;

/// Scratch space kept by a thread between texts (the prose scanner's chunks are 1 MiB).
const MAX_KEPT_SCRATCH: usize = 2 << 20;

thread_local! {
    /// The lower-cased copy of the text being searched: one allocation per thread, not one
    /// per file, since most files are small and page faults on fresh memory cost more than
    /// the copy.
    static FOLDED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One trigger word found: its byte span and its index in the word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub word: usize,
}

/// A compiled search for a fixed list of lower-case ASCII words.
pub(super) struct TriggerSearch {
    long: LongWords,
    /// Index in the word list of each word in `long`'s pattern order.
    long_index: Vec<usize>,
    short: Vec<(usize, memchr::memmem::Finder<'static>)>,
}

enum LongWords {
    /// SIMD, where the CPU has it (Teddy falls back to Rabin-Karp inside the crate otherwise).
    Packed(packed::Searcher),
    /// When Teddy refuses the set (too many words): the byte-at-a-time automaton.
    Automaton(AhoCorasick),
}

impl TriggerSearch {
    /// `words` must be lower-case ASCII, in priority order (earlier wins at the same place).
    pub(super) fn new(words: &[&'static str]) -> TriggerSearch {
        Self::build(words, true)
    }

    fn build(words: &[&'static str], allow_packed: bool) -> TriggerSearch {
        let mut long_index = Vec::new();
        let mut long_words = Vec::new();
        let mut short = Vec::new();
        for (index, word) in words.iter().enumerate() {
            debug_assert_eq!(
                *word,
                word.to_ascii_lowercase(),
                "trigger words are lower case"
            );
            if word.len() < SHORT {
                short.push((index, memchr::memmem::Finder::new(word.as_bytes())));
            } else {
                long_index.push(index);
                long_words.push(*word);
            }
        }
        let packed = allow_packed
            .then(|| {
                packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostFirst)
                    .builder()
                    .extend(long_words.iter())
                    .build()
            })
            .flatten();
        let long = match packed {
            Some(searcher) => LongWords::Packed(searcher),
            None => LongWords::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&long_words)
                    .expect("literal set"),
            ),
        };
        TriggerSearch {
            long,
            long_index,
            short,
        }
    }

    /// Every hit in `text`, in order of position.
    pub(super) fn hits(&self, text: &[u8]) -> Vec<Hit> {
        FOLDED.with_borrow_mut(|folded| {
            folded.clear();
            folded.extend(text.iter().map(u8::to_ascii_lowercase));
            let hits = self.hits_in_folded(folded);
            if folded.capacity() > MAX_KEPT_SCRATCH {
                *folded = Vec::new();
            }
            hits
        })
    }

    fn hits_in_folded(&self, folded: &[u8]) -> Vec<Hit> {
        let hit = |m: aho_corasick::Match| Hit {
            start: m.start(),
            end: m.end(),
            word: self.long_index[m.pattern().as_usize()],
        };
        let mut hits: Vec<Hit> = match &self.long {
            LongWords::Packed(searcher) => searcher.find_iter(folded).map(hit).collect(),
            LongWords::Automaton(automaton) => automaton.find_iter(folded).map(hit).collect(),
        };
        let long_count = hits.len();
        for (index, finder) in &self.short {
            let len = finder.needle().len();
            let mut next_free = 0;
            for start in finder.find_iter(folded) {
                // Non-overlapping, as the automaton would report them.
                if start >= next_free {
                    hits.push(Hit {
                        start,
                        end: start + len,
                        word: *index,
                    });
                    next_free = start + len;
                }
            }
        }
        if hits.len() > long_count {
            hits.sort_by_key(|hit| (hit.start, hit.word));
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The specification, written without any searcher: at each place, the first word in list
    /// order that matches ignoring ASCII case wins and the scan resumes after it.
    fn naive(words: &[&str], text: &[u8]) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let found = words.iter().enumerate().find(|(_, w)| {
                text.get(at..at + w.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(w.as_bytes()))
            });
            match found {
                Some((word, w)) => {
                    out.push(Hit {
                        start: at,
                        end: at + w.len(),
                        word,
                    });
                    at += w.len();
                }
                None => at += 1,
            }
        }
        out
    }

    const WORDS: &[&str] = &[
        "pass",
        "secret",
        "host",
        "://",
        r"\\",
        "nhs",
        "patient",
        "nhs.uk",
        "synthetic",
        "synth",
        "made up",
        "sdv",
        "api_key",
        "apikey",
    ];

    #[test]
    fn short_words_share_no_byte_with_long_ones() {
        // The merge in `hits` is exact only then; a new short trigger word must keep it so.
        let words = crate::checks::data::prose::trigger_words();
        let short: Vec<&str> = words.iter().copied().filter(|w| w.len() < SHORT).collect();
        assert!(!short.is_empty(), "the test should see the UNC-path word");
        for s in &short {
            for w in words.iter().filter(|w| w.len() >= SHORT) {
                assert!(
                    !s.bytes().any(|b| w.as_bytes().contains(&b)),
                    "{s:?} shares a byte with {w:?}"
                );
            }
        }
        for s in &short {
            for t in &short {
                if s != t {
                    assert!(!s.bytes().any(|b| t.as_bytes().contains(&b)));
                }
            }
        }
    }

    #[test]
    fn finds_words_in_any_case_and_prefers_earlier_words() {
        let search = TriggerSearch::new(WORDS);
        let text = b"PassWord=x; see NHS.UK or \\\\\\\\server\\share; SynthVAE; Patient id";
        let hits = search.hits(text);
        assert_eq!(hits, naive(WORDS, text));
        let words: Vec<&str> = hits.iter().map(|h| WORDS[h.word]).collect();
        // `nhs` is listed before `nhs.uk`, so it wins at that place; `synth` is after
        // `synthetic`, but `SynthVAE` only holds the shorter one.
        assert_eq!(
            words,
            ["pass", "nhs", r"\\", r"\\", "synth", "patient"],
            "{hits:?}"
        );
    }

    fn text_strategy() -> impl Strategy<Value = Vec<u8>> {
        // Fragments of the words in mixed case, glued with noise, so that near misses and
        // overlaps are common; random bytes alone would almost never hit a word.
        let fragment = prop_oneof![
            proptest::sample::select(WORDS.to_vec()).prop_map(|w| w.as_bytes().to_vec()),
            proptest::sample::select(WORDS.to_vec())
                .prop_flat_map(|w| (Just(w), 0..=w.len()))
                .prop_map(|(w, cut)| w.as_bytes()[..cut].to_vec()),
            proptest::collection::vec(any::<u8>(), 0..6),
            proptest::collection::vec(proptest::sample::select(b"\\/:. _-aAsSHhnN".to_vec()), 0..6),
        ];
        proptest::collection::vec((fragment, any::<u64>()), 0..40).prop_map(|parts| {
            parts
                .into_iter()
                .flat_map(|(bytes, case)| {
                    bytes.into_iter().enumerate().map(move |(i, b)| {
                        if case >> (i % 64) & 1 == 1 {
                            b.to_ascii_uppercase()
                        } else {
                            b
                        }
                    })
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn packed_search_matches_the_specification(text in text_strategy()) {
                        let packed = TriggerSearch::new(WORDS);
            prop_assert_eq!(packed.hits(&text), naive(WORDS, &text));
            let automaton = TriggerSearch::build(WORDS, false);
            prop_assert_eq!(automaton.hits(&text), naive(WORDS, &text));
        }
    }

    #[test]
    fn the_real_word_list_matches_the_specification_on_long_text() {
        // Teddy searches blocks of 16 or 32 bytes; text far longer than a block, with words
        // across block edges, checks the block loop and not only its tail.
        let words = crate::checks::data::prose::trigger_words();
        let mut text = Vec::new();
        for (i, w) in words.iter().cycle().take(2_000).enumerate() {
            text.extend(std::iter::repeat_n(b'x', i % 37));
            if i % 3 == 0 {
                text.extend(w.to_ascii_uppercase().bytes());
            } else {
                text.extend(w.bytes());
            }
        }
        let search = TriggerSearch::new(&words);
        let hits = search.hits(&text);
        assert_eq!(hits, naive(&words, &text));
        assert!(
            hits.len() >= 2_000,
            "every planted word is found: {}",
            hits.len()
        );
    }
}
