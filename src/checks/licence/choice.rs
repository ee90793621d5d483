//! A choice between licences stated in prose: "Licensed under either of the Apache License,
//! Version 2.0 or the MIT license, at your option."
//!
//! Dual licensing ships one file per licence and states the choice beside them. Package
//! metadata states it as an SPDX expression (`MIT OR Apache-2.0`), which the rules read as a
//! choice the user makes, so MIT alone satisfies an MIT-only policy. A README sentence saying
//! the same thing in words must count the same way, or a dual-licensed project is judged by its
//! least favoured licence. The wording has to be unmistakably a choice: "dual licensed under
//! the MIT license and the OGL" (NHS Digital's API template) grants both, and stays as written.

use std::sync::LazyLock;

use regex::Regex;

/// Words that make a list of licences a choice rather than a grant of all of them.
static CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bat\s+(?:your|the\s+(?:user|licensee|recipient)'?s?)\s+(?:option|choice|discretion)\b|\beither\b|\bdual[- ]?licen[cs](?:ed|ing)\b|\byou\s+(?:may|can)\s+choose\b",
    )
    .expect("regex")
});

static OR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bor\b|/").expect("regex"));
static AND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\band\b|&").expect("regex"));

/// The SPDX expression for a choice between the licences of `mentions` (id and byte offset in
/// `sentence`, in order of appearance), in the order written, or `None` when the sentence does
/// not offer one. Every two neighbouring licences must be joined by "or" and not by "and".
pub(super) fn choice_in(sentence: &str, mentions: &[(&str, usize)]) -> Option<String> {
    if !CHOICE.is_match(sentence) {
        return None;
    }
    // The first mention of each licence: a link repeating one ("MIT license (https://
    // opensource.org/licenses/MIT)") does not offer it twice.
    let mut firsts: Vec<(&str, usize)> = Vec::new();
    for &(id, at) in mentions {
        if !firsts.iter().any(|(seen, _)| *seen == id) {
            firsts.push((id, at));
        }
    }
    if firsts.len() < 2 {
        return None;
    }
    // Compound expressions stay as they are: only plain ids are joined.
    if firsts.iter().any(|(id, _)| id.contains(' ')) {
        return None;
    }
    let joined_by_or = firsts.windows(2).all(|pair| {
        let between = sentence.get(pair[0].1..pair[1].1).unwrap_or("");
        OR.is_match(between) && !AND.is_match(between)
    });
    if !joined_by_or {
        return None;
    }
    let expression = firsts
        .iter()
        .map(|(id, _)| *id)
        .collect::<Vec<_>>()
        .join(" OR ");
    spdx::Expression::parse(&expression)
        .is_ok()
        .then_some(expression)
}

#[cfg(test)]
mod tests {
    use super::super::phrases::names_in;
    use super::*;

    fn choice(sentence: &str) -> Option<String> {
        let named = names_in(sentence);
        let mentions: Vec<(&str, usize)> = named.iter().map(|n| (n.spdx.as_str(), n.at)).collect();
        choice_in(sentence, &mentions)
    }

    #[test]
    fn choices_in_words() {
        assert_eq!(
            choice("Licensed under either of the Apache License, Version 2.0 or the MIT license, at your option.").as_deref(),
            Some("Apache-2.0 OR MIT")
        );
        assert_eq!(
            choice("Dual licensed under MIT or Apache-2.0, at your option.").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            choice("Licensed under either of Apache License, Version 2.0, (LICENSE-APACHE or http://www.apache.org/licenses/LICENSE-2.0) or MIT license (LICENSE-MIT or http://opensource.org/licenses/MIT) at your option.").as_deref(),
            Some("Apache-2.0 OR MIT")
        );
    }

    #[test]
    fn grants_of_several_licences_are_no_choice() {
        // NHS Digital's API template: both apply.
        assert_eq!(
            choice(
                "This code is dual licensed under the MIT license and the OGL (Open Government License)."
            ),
            None
        );
        // No word of choice.
        assert_eq!(
            choice(
                "We considered the Apache License 2.0 or the GPL-3.0 but chose the MIT License."
            ),
            None
        );
        assert_eq!(choice("Either way, the code is MIT licensed."), None);
        assert_eq!(
            choice("You may use it under either the MIT license, and parts under Apache-2.0."),
            None
        );
    }
}
