//! Whether a copyright notice names an NHS body. The policy asks for "© Crown copyright or the
//! publishing NHS body", and the NHS publishes under many names: national bodies (NHS Business
//! Services Authority, NHS Blood and Transplant), trusts and boards ("… NHS Foundation Trust",
//! "NHS Greater Glasgow and Clyde"), and the health services of Scotland, Wales and Northern
//! Ireland, whose bodies do not all carry "NHS" in their names (Public Health Scotland, Digital
//! Health and Care Wales). A fixed list of English bodies failed NHSBSA and PHS repositories.

use std::sync::LazyLock;

use regex::Regex;

/// "NHS" as a word (not the NHS-R Community, a community of interest, nor `nhs-` in a URL or
/// a package name), and bodies of the four health services and their national agencies.
static NHS_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \bNHS\b(?:[^-]|$)
        | \b(?:Public\ Health\ (?:Scotland|Wales|Agency)|Healthcare\ Improvement\ Scotland
            | NHS\ National\ Services\ Scotland|National\ Services\ Scotland
            | Digital\ Health\ and\ Care\ Wales|Health\ Education\ and\ Improvement\ Wales
            | Health\ and\ Social\ Care\ (?:Northern\ Ireland|Board)|Business\ Services\ Organisation
            | National\ Institute\ for\ Health\ and\ Care\ Excellence|Care\ Quality\ Commission
            | Health\ Research\ Authority|Medicines\ and\ Healthcare\ products\ Regulatory\ Agency
            | (?:Integrated\ Care\ Board|Commissioning\ Support\ Unit|Health\ Board)\b)
        ",
    )
    .expect("valid regex")
});

/// Whether `notice` (as written: "NHS" is an upper-case acronym) names an NHS body.
pub fn names_nhs_body(notice: &str) -> bool {
    NHS_BODY.is_match(notice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_bodies_across_the_four_nations() {
        for notice in [
            "Copyright 2021 NHS Business Services Authority",
            "Copyright (c) 2025 Public Health Scotland",
            "© 2024 Random NHS Foundation Trust",
            "Copyright (c) 2023 NHS Greater Glasgow and Clyde",
            "Copyright 2022 Digital Health and Care Wales",
            "Copyright 2024 NHS",
            "Copyright (c) 2024 Example Integrated Care Board",
        ] {
            assert!(names_nhs_body(notice), "{notice}");
        }
        for notice in [
            "Copyright (c) 2020 NHS-R Community",
            "Copyright (c) 2024 Jane Example",
            "Copyright (c) 2024 phslookups authors",
            "Copyright 2024 nhs-data-tools contributors",
        ] {
            assert!(!names_nhs_body(notice), "{notice}");
        }
    }
}
