//! The code behind each analyzer of the catalog (`pack::catalog`), by name. The catalog says
//! what an analyzer takes and when it runs; this says what it does. A test keeps the two lists
//! equal, so a pack can never name an analyzer without code, nor code go undeclared.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::run::Run;
use super::{licence, maintenance, rap, sensitive};

/// The analyzers about files in general.
const FILES: &[(&str, Run)] = &[("licence-present", |context, _| {
    licence::present::present(context.snapshot)
})];

static RUNNERS: LazyLock<HashMap<&'static str, Run>> = LazyLock::new(|| {
    FILES
        .iter()
        .chain(rap::criteria::RUNNERS)
        .chain(licence::rules::RUNNERS)
        .chain(sensitive::RUNNERS)
        .chain(maintenance::RUNNERS)
        .copied()
        .collect()
});

pub fn runner(name: &str) -> Option<Run> {
    RUNNERS.get(name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::catalog;

    #[test]
    fn every_declared_analyzer_has_code_and_all_code_is_declared() {
        let mut declared = catalog::names();
        declared.sort_unstable();
        let mut coded: Vec<&str> = RUNNERS.keys().copied().collect();
        coded.sort_unstable();
        assert_eq!(declared, coded);
    }
}
