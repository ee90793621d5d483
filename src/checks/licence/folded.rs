//! Texts folded the way the licence patterns' case-insensitive matching folds ASCII letters, so
//! that a plain substring search can show a pattern cannot match before it is compiled.
//! Compiling is the dear part: a Unicode pattern takes 0.5–3 ms, in every process, and most
//! texts hold none of the words a given pattern needs.

/// ASCII lower case, plus the two non-ASCII letters whose case folds are ASCII (KELVIN SIGN to
/// `k`, LONG S to `s`). A case-insensitive pattern can match only where each word it cannot
/// match without appears in this.
pub(super) struct CaseFolded(pub String);

impl CaseFolded {
    pub fn of(text: &str) -> CaseFolded {
        let lower = text.to_ascii_lowercase();
        if lower.is_ascii() {
            return CaseFolded(lower);
        }
        CaseFolded(lower.chars().map(fold).collect())
    }

    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// One character as the patterns' case folding sees it, for matching ASCII words.
fn fold(c: char) -> char {
    match c {
        '\u{212A}' => 'k',
        '\u{17F}' => 's',
        c => c.to_ascii_lowercase(),
    }
}

/// [`CaseFolded`], with each run of whitespace as one space. The regex crate's Unicode `\s` is
/// the White_Space property, as `char::is_whitespace` is, so a pattern's `a\s+b` can match only
/// where this holds `a b`.
pub(super) struct Squeezed(String);

impl Squeezed {
    pub fn of(text: &str) -> Squeezed {
        let mut out = String::with_capacity(text.len());
        let mut in_space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                if !in_space {
                    out.push(' ');
                }
                in_space = true;
                continue;
            }
            in_space = false;
            out.push(fold(c));
        }
        Squeezed(out)
    }

    pub fn contains(&self, phrase: &str) -> bool {
        self.0.contains(phrase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_case_variants_fold_to_their_ascii_letters() {
        // The regex engine's case folding matches these to `k` and `s`; the words must too.
        assert_eq!(CaseFolded::of("BSD ſ \u{212A}").0, "bsd s k");
        assert_eq!(Squeezed::of("BSD ſ \u{212A}").0, "bsd s k");
    }

    #[test]
    fn whitespace_runs_of_any_kind_become_one_space() {
        // Tab, newline, no-break space, em space, line separator: all `\s` to the regex crate.
        let text = "In\tno \n event\u{A0}\u{2003}shall\u{2028}THE  Holder";
        assert_eq!(Squeezed::of(text).0, "in no event shall the holder");
        let pattern = regex::Regex::new(r"^\s$").expect("regex");
        for c in ['\t', '\n', '\u{A0}', '\u{2003}', '\u{2028}'] {
            assert!(pattern.is_match(&c.to_string()), "{c:?} is \\s");
        }
    }
}
