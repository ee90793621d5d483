//! Finds the prose scanner's trigger words (secret hints, patient-context words, dummy-data
//! words) in running text, ASCII case-insensitively and leftmost-first, as fast as the bytes
//! allow.
//!
//! This pass touches every byte of every text file, so its speed is the audit's speed. A
//! case-insensitive Aho-Corasick automaton steps one byte at a time. Instead, the text is
//! lower-cased into a scratch buffer (a vectorised copy) and searched with Teddy, the SIMD
//! multi-literal searcher of the aho-corasick crate, which skips whole blocks that hold no
//! word's first bytes: about 0.55 G fewer instructions over an audit of 26 real NHS
//! repositories (docs/performance.md), with the same matches.
//!
//! Teddy's fingerprint is as long as the shortest word (at most four bytes). With the
//! three-byte words in the same set, every `dat`, `pat`, `ser`, `ope` or `fic` of ordinary text
//! (`update`, `path`, `user`, `open`, `office`) was a candidate to verify, and the search ran at
//! half the speed it does once words of four bytes and more have a set of their own with a
//! four-byte fingerprint. The few three-byte words get a second, small set, and the two answers
//! are merged into exactly the leftmost-first answer over all words (see [`merge`]). Words
//! shorter than three bytes (the UNC-path `\\`) are found apart with `memmem` and merged in by
//! position; they share no byte with any other word, so they can never overlap one.

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

/// Calls `f` with `text` with its ASCII letters lower-cased, in this thread's scratch buffer.
/// `f` must not call this again (the buffer is borrowed while it runs).
pub(super) fn with_ascii_lowercase<R>(text: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    FOLDED.with_borrow_mut(|folded| {
        folded.clear();
        folded.extend(text.iter().map(u8::to_ascii_lowercase));
        let result = f(folded);
        if folded.capacity() > MAX_KEPT_SCRATCH {
            *folded = Vec::new();
        }
        result
    })
}

/// One trigger word found: its byte span and its index in the word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub word: usize,
}

/// Words at least this long share a set searched with Teddy's longest fingerprint.
const LONG: usize = 4;

/// A compiled search for a fixed list of lower-case ASCII words.
pub(super) struct TriggerSearch {
    /// The words of [`LONG`] bytes or more, then those of [`SHORT`] up to [`LONG`] bytes: each
    /// set searched on its own, with its own fingerprint length.
    sets: Vec<WordSet>,
    short: Vec<(usize, memchr::memmem::Finder<'static>)>,
}

/// Words searched together, leftmost-first in the order of the whole list.
struct WordSet {
    searcher: WordSearcher,
    /// Index in the word list of each word in the searcher's pattern order.
    index: Vec<usize>,
}

enum WordSearcher {
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
        let mut long = Vec::new();
        let mut middle = Vec::new();
        let mut short = Vec::new();
        for (index, word) in words.iter().enumerate() {
            debug_assert_eq!(
                *word,
                word.to_ascii_lowercase(),
                "trigger words are lower case"
            );
            match word.len() {
                n if n < SHORT => {
                    short.push((index, memchr::memmem::Finder::new(word.as_bytes())));
                }
                n if n < LONG => middle.push(index),
                _ => long.push(index),
            }
        }
        let sets = [long, middle]
            .into_iter()
            .filter(|index| !index.is_empty())
            .map(|index| WordSet::new(words, index, allow_packed))
            .collect();
        TriggerSearch { sets, short }
    }

    /// Every hit in `text`, in order of position.
    pub(super) fn hits(&self, text: &[u8]) -> Vec<Hit> {
        with_ascii_lowercase(text, |folded| self.hits_in_folded(folded))
    }

    fn hits_in_folded(&self, folded: &[u8]) -> Vec<Hit> {
        let mut hits = merge(&self.sets, folded);
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

impl WordSet {
    fn new(words: &[&'static str], index: Vec<usize>, allow_packed: bool) -> WordSet {
        let patterns: Vec<&str> = index.iter().map(|&i| words[i]).collect();
        let packed = allow_packed
            .then(|| {
                packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostFirst)
                    .builder()
                    .extend(patterns.iter())
                    .build()
            })
            .flatten();
        let searcher = match packed {
            Some(searcher) => WordSearcher::Packed(searcher),
            None => WordSearcher::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&patterns)
                    .expect("literal set"),
            ),
        };
        WordSet { searcher, index }
    }

    fn hit(&self, m: aho_corasick::Match) -> Hit {
        Hit {
            start: m.start(),
            end: m.end(),
            word: self.index[m.pattern().as_usize()],
        }
    }

    /// The leftmost-first hit starting at `from` or later.
    fn find_from(&self, folded: &[u8], from: usize) -> Option<Hit> {
        let span = aho_corasick::Span::from(from..folded.len());
        let found = match &self.searcher {
            WordSearcher::Packed(searcher) => searcher.find_in(folded, span),
            WordSearcher::Automaton(automaton) => {
                automaton.find(aho_corasick::Input::new(folded).span(span))
            }
        };
        found.map(|m| self.hit(m))
    }
}

/// The leftmost-first hits over the union of `sets` (any number, none included). Each set's search gives its own leftmost
/// hit and, at that place, its earliest word; the earliest place over all sets wins, and at one
/// place the earliest word (the sets hold different words, in list order within each). The
/// search then goes on after the hit, and a set whose next hit started inside it looks again.
fn merge(sets: &[WordSet], folded: &[u8]) -> Vec<Hit> {
    let mut next: Vec<Option<Hit>> = sets.iter().map(|set| set.find_from(folded, 0)).collect();
    let mut hits = Vec::new();
    loop {
        let chosen = next
            .iter()
            .enumerate()
            .filter_map(|(set, hit)| hit.map(|hit| (set, hit)))
            .min_by_key(|(_, hit)| (hit.start, hit.word));
        let Some((chosen_set, hit)) = chosen else {
            return hits;
        };
        hits.push(hit);
        for (set, pending) in next.iter_mut().enumerate() {
            if set == chosen_set || pending.is_some_and(|p| p.start < hit.end) {
                *pending = sets[set].find_from(folded, hit.end);
            }
        }
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
        // A three-byte word after longer ones that start with it: at `synth…` the longer,
        // earlier word must win although the two are in different sets.
        "syn",
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
        proptest::collection::vec((fragment, any::<u64>()), 0..40)
            .prop_map(crate::checks::data::testgen::in_mixed_case)
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
