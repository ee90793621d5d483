//! Every built-in analyzer a pack can name with `kind = "builtin"`, declared once as data: its
//! name (a public contract, like rule ids), a one-line summary for the docs, its parameters
//! with their types and defaults, the phase it runs in, and the evidence it needs beyond the
//! files. The pack loader validates parameters from these specs, the engine schedules by
//! phase, and a GitHub run asks the pack what it needs; none of them knows an analyzer by name.
//! The checks themselves live in `checks/`, whose registry maps each name to its code.

mod data;
mod files;
mod licence;
mod maintenance;
mod params;
mod rap;

pub use params::Params;

/// When an analyzer runs within one repository's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Reads the repository's facts; most analyzers.
    Evidence,
    /// Reads what the evidence rules concluded (the assessed RAP level), so runs after them.
    Judgement,
}

/// Evidence an analyzer can ask for that the files alone do not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Requests to the GitHub API beyond reading files: merged pull requests and their reviews,
    /// tags. Costs quota, so it is fetched only when a rule asks.
    GitHubApi,
}

/// The type of a parameter, which decides how it is validated and read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamType {
    Bool,
    /// A number from 0 to 1.
    Share,
    /// A positive integer.
    Count,
    Choice(&'static [&'static str]),
    /// A list of SPDX licence ids.
    SpdxIds,
    /// A list of non-empty names.
    Names,
}

/// A parameter's value when the pack does not set it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDefault {
    /// No default: the analyzer treats the parameter as unset.
    Unset,
    Bool(bool),
    Share(f64),
    Count(u64),
    Choice(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub ty: ParamType,
    pub default: ParamDefault,
    /// Required parameters say what to give in their error; optional ones are `None`.
    pub required: Option<&'static str>,
    /// When set to true, the analyzer needs this evidence.
    pub needs_when_true: Option<Need>,
    /// One value serves every rule that sets it (the data scan runs once per repository), so
    /// the largest value any enabled rule sets is used.
    pub shared: bool,
}

impl ParamSpec {
    pub const fn new(name: &'static str, ty: ParamType, default: ParamDefault) -> Self {
        ParamSpec {
            name,
            ty,
            default,
            required: None,
            needs_when_true: None,
            shared: false,
        }
    }

    pub const fn required(mut self, what: &'static str) -> Self {
        self.required = Some(what);
        self
    }

    pub const fn needs_when_true(mut self, need: Need) -> Self {
        self.needs_when_true = Some(need);
        self
    }

    pub const fn shared(mut self) -> Self {
        self.shared = true;
        self
    }
}

#[derive(Debug, PartialEq)]
pub struct AnalyzerSpec {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [ParamSpec],
    pub phase: Phase,
}

impl AnalyzerSpec {
    pub const fn new(
        name: &'static str,
        summary: &'static str,
        params: &'static [ParamSpec],
    ) -> Self {
        AnalyzerSpec {
            name,
            summary,
            params,
            phase: Phase::Evidence,
        }
    }

    pub const fn in_phase(mut self, phase: Phase) -> Self {
        self.phase = phase;
        self
    }

    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Every analyzer, in the order the docs list them.
pub fn all() -> impl Iterator<Item = &'static AnalyzerSpec> {
    files::ANALYZERS
        .iter()
        .chain(rap::ANALYZERS)
        .chain(licence::ANALYZERS)
        .chain(data::ANALYZERS)
        .chain(maintenance::ANALYZERS)
}

pub fn find(name: &str) -> Option<&'static AnalyzerSpec> {
    all().find(|spec| spec.name == name)
}

pub fn names() -> Vec<&'static str> {
    all().map(|spec| spec.name).collect()
}

/// Every problem with a rule's `params`, one message each, in the order of the table.
pub fn validate(spec: &AnalyzerSpec, params: &toml::Table) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in params {
        let Some(param) = spec.param(key) else {
            problems.push(if spec.params.is_empty() {
                format!("unknown parameter `{key}`: this analyzer takes none")
            } else {
                let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
                format!("unknown parameter `{key}`; expected {}", known.join(", "))
            });
            continue;
        };
        problems.extend(params::check_value(key, param.ty, value));
    }
    for param in spec.params {
        if let Some(what) = param.required
            && !params.contains_key(param.name)
        {
            problems.push(format!("`{}` is required: {what}", param.name));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let names = names();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "duplicate analyzer names");
        for name in names {
            assert!(
                name.split('-')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase())),
                "{name}"
            );
        }
    }

    #[test]
    fn unknown_mistyped_and_missing_params_are_all_reported() {
        let approved = find("licence-approved").unwrap();
        let table: toml::Table =
            "allowed = [\"MIT\"]\nexceptions = [\"Apache-2.0\", \"GPL-3.0-only\"]"
                .parse()
                .unwrap();
        assert!(validate(approved, &table).is_empty());
        let bad: toml::Table = "allowed = [\"Nope\"]\nextra = 1".parse().unwrap();
        assert_eq!(
            validate(approved, &bad).len(),
            2,
            "{:?}",
            validate(approved, &bad)
        );
        assert_eq!(validate(approved, &toml::Table::new()).len(), 1);

        let holders = find("licence-crown-copyright").unwrap();
        let good: toml::Table = "holders = [\"Example Trust\"]".parse().unwrap();
        assert!(validate(holders, &good).is_empty());
        let not_a_list: toml::Table = "holders = \"x\"".parse().unwrap();
        assert_eq!(validate(holders, &not_a_list).len(), 1);

        let review = find("rap-peer-review").unwrap();
        let wrong: toml::Table = "from-api = 1\nmin-reviewed = 2.0".parse().unwrap();
        assert_eq!(
            validate(review, &wrong),
            [
                "`from-api` must be true or false",
                "`min-reviewed` must be a number from 0 to 1"
            ]
        );
        let none = find("rap-tidy-data").unwrap();
        let extra: toml::Table = "x = 1".parse().unwrap();
        assert_eq!(
            validate(none, &extra),
            ["unknown parameter `x`: this analyzer takes none"]
        );
    }

    #[test]
    fn defaults_match_their_types() {
        for spec in all() {
            for param in spec.params {
                let ok = matches!(
                    (param.ty, param.default),
                    (_, ParamDefault::Unset)
                        | (ParamType::Bool, ParamDefault::Bool(_))
                        | (ParamType::Share, ParamDefault::Share(_))
                        | (ParamType::Count, ParamDefault::Count(_))
                        | (ParamType::Choice(_), ParamDefault::Choice(_))
                );
                assert!(ok, "{}: {}", spec.name, param.name);
                if let (ParamType::Choice(choices), ParamDefault::Choice(value)) =
                    (param.ty, param.default)
                {
                    assert!(choices.contains(&value), "{}: {}", spec.name, param.name);
                }
            }
        }
    }
}
