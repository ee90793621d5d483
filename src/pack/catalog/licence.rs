//! The licence analyzers (see docs/licences.md).

use super::{AnalyzerSpec, ParamDefault, ParamSpec, ParamType};

pub(super) const ANALYZERS: &[AnalyzerSpec] = &[
    AnalyzerSpec::new(
        "licence-identified",
        "every licence file holds a licence text identified with confidence (not NOASSERTION); shows the closest match otherwise",
        &[],
    ),
    AnalyzerSpec::new(
        "licence-approved",
        "the code licence satisfies `allowed` (SPDX ids); licences in `exceptions` need a stated reason (needs review)",
        &[
            ParamSpec::new("allowed", ParamType::SpdxIds, ParamDefault::Unset)
                .required("the SPDX ids allowed for code, e.g. [\"MIT\"]"),
            ParamSpec::new("exceptions", ParamType::SpdxIds, ParamDefault::Unset),
        ],
    ),
    AnalyzerSpec::new(
        "licence-docs-ogl",
        "the documentation is declared under OGL-UK-3.0 (README statement, LICENCE-OGL file, …)",
        &[],
    ),
    AnalyzerSpec::new(
        "licence-crown-copyright",
        "a copyright notice names Crown copyright or one of `holders` (the publishing body)",
        &[ParamSpec::new(
            "holders",
            ParamType::Names,
            ParamDefault::Unset,
        )],
    ),
    AnalyzerSpec::new(
        "licence-placeholders",
        "no licence file has unfilled template text ([year] [fullname], YEAR: / COPYRIGHT HOLDER: left empty)",
        &[],
    ),
    AnalyzerSpec::new(
        "licence-consistent",
        "the licence files, the package metadata and the README name the same code licence",
        &[],
    ),
];
