//! The analyzers about files in general.

use super::AnalyzerSpec;

pub(super) const ANALYZERS: &[AnalyzerSpec] = &[AnalyzerSpec::new(
    "licence-present",
    "a licence file in the root (LICENSE, LICENCE, COPYING, COPYRIGHT, with any suffix), under LICENSES/, or in a root license/ or licences/ folder",
    &[],
)];
