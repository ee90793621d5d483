//! The analyzers about files in general.

use super::AnalyzerSpec;

pub(super) const ANALYZERS: &[AnalyzerSpec] = &[AnalyzerSpec::new(
    "licence-present",
    "a licence file in the root (LICENSE, LICENCE, COPYING, COPYRIGHT, with any suffix) or under LICENSES/",
    &[],
)];
