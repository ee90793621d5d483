//! The maintenance analyzers (see docs/rules.md): recent activity, a named owner, a way to
//! report vulnerabilities.

use super::{AnalyzerSpec, ParamDefault, ParamSpec, ParamType};

pub(super) const ANALYZERS: &[AnalyzerSpec] = &[
    AnalyzerSpec::new(
        "maintenance-recent-activity",
        "a push (GitHub) or commit (git) within the last `months` (default 12); not-applicable for archived repositories and plain folders",
        &[ParamSpec::new(
            "months",
            ParamType::Count,
            ParamDefault::Count(12),
        )],
    ),
    AnalyzerSpec::new(
        "maintenance-owner",
        "someone is named to look after the project: CODEOWNERS, a MAINTAINERS or OWNERS file, or a README contact or maintainers section",
        &[],
    ),
    AnalyzerSpec::new(
        "maintenance-security-contact",
        "vulnerabilities can be reported privately: SECURITY.md (root, .github/ or docs/) or the organisation's policy in its .github repository",
        &[],
    ),
];
