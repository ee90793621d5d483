//! The analyzers a rule pack can name with `kind = "builtin"`. Each has a name (a public
//! contract, like rule ids), a one-line summary for the docs, a parameter validator run when
//! the pack loads, and the check itself.

use super::RepoContext;
use crate::model::Verdict;

pub struct Builtin {
    pub name: &'static str,
    pub summary: &'static str,
    /// Problems with the rule's `params`, reported at pack load time.
    pub validate: fn(&toml::Table) -> Vec<String>,
    pub run: fn(&RepoContext, &toml::Table) -> Verdict,
}

fn no_params(params: &toml::Table) -> Vec<String> {
    params
        .keys()
        .map(|key| format!("unknown parameter `{key}`: this analyzer takes none"))
        .collect()
}

pub const BUILTINS: &[Builtin] = &[Builtin {
    name: "licence-present",
    summary: "a licence file in the root (LICENSE, LICENCE, COPYING, COPYRIGHT, with any suffix) or under LICENSES/",
    validate: no_params,
    run: |context, _| super::licence::files::present(context.snapshot),
}];

/// Every analyzer: the general ones above and each concern's own list.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    BUILTINS
        .iter()
        .chain(super::rap::criteria::BUILTINS)
        .chain(super::licence::rules::BUILTINS)
        .chain(super::sensitive::BUILTINS)
}

pub fn find(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

pub fn exists(name: &str) -> bool {
    find(name).is_some()
}

pub fn names() -> Vec<&'static str> {
    all().map(|b| b.name).collect()
}

pub fn validate(name: &str, params: &toml::Table) -> Vec<String> {
    find(name).map_or_else(Vec::new, |b| (b.validate)(params))
}

pub fn run(name: &str, context: &RepoContext, params: &toml::Table) -> Verdict {
    match find(name) {
        Some(builtin) => (builtin.run)(context, params),
        None => Verdict::error(format!("unknown built-in analyzer `{name}`")),
    }
}
