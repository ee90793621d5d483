//! Parameters of a built-in analyzer: checked against their declared type when the pack loads,
//! and read through [`Params`], which falls back to the declared default, so a default is
//! written down once, next to the parameter's type.

use super::{AnalyzerSpec, ParamDefault, ParamType};

/// Why `value` does not fit `ty`, as messages for the pack's diagnostics.
pub(super) fn check_value(key: &str, ty: ParamType, value: &toml::Value) -> Vec<String> {
    let single = |ok: bool, message: String| if ok { Vec::new() } else { vec![message] };
    match ty {
        ParamType::Bool => single(value.is_bool(), format!("`{key}` must be true or false")),
        ParamType::Share => single(
            number(value).is_some_and(|v| (0.0..=1.0).contains(&v)),
            format!("`{key}` must be a number from 0 to 1"),
        ),
        ParamType::Count => single(
            value.as_integer().is_some_and(|v| v >= 1),
            format!("`{key}` must be a positive integer"),
        ),
        ParamType::Choice(choices) => single(
            value.as_str().is_some_and(|v| choices.contains(&v)),
            format!("`{key}` must be one of {}", choices.join(", ")),
        ),
        ParamType::SpdxIds => each_string(key, value, |s| {
            (spdx::license_id(s).is_none() && spdx::imprecise_license_id(s).is_none()).then(|| {
                format!("`{s}` is not an SPDX licence id (see https://spdx.org/licenses/)")
            })
        }),
        ParamType::Names => each_string(key, value, |s| {
            s.trim()
                .is_empty()
                .then(|| format!("`{key}` must not hold an empty name"))
        }),
    }
}

fn number(value: &toml::Value) -> Option<f64> {
    value
        .as_float()
        .or_else(|| value.as_integer().map(|i| i as f64))
}

fn each_string(
    key: &str,
    value: &toml::Value,
    check: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let Some(items) = value.as_array() else {
        return vec![format!("`{key}` must be a list of strings")];
    };
    let mut problems = Vec::new();
    for item in items {
        match item.as_str() {
            Some(text) => problems.extend(check(text)),
            None => problems.push(format!("`{key}` must be a list of strings")),
        }
    }
    problems
}

/// A rule's validated parameters, read with the analyzer's declared defaults.
#[derive(Debug, Clone, Copy)]
pub struct Params<'a> {
    table: &'a toml::Table,
    spec: &'static AnalyzerSpec,
}

impl<'a> Params<'a> {
    pub fn new(table: &'a toml::Table, spec: &'static AnalyzerSpec) -> Self {
        Params { table, spec }
    }

    fn default(&self, name: &str) -> ParamDefault {
        debug_assert!(
            self.spec.param(name).is_some(),
            "{} declares no parameter `{name}`",
            self.spec.name
        );
        self.spec
            .param(name)
            .map_or(ParamDefault::Unset, |p| p.default)
    }

    pub fn flag(&self, name: &str) -> bool {
        match self.table.get(name).and_then(toml::Value::as_bool) {
            Some(value) => value,
            None => matches!(self.default(name), ParamDefault::Bool(true)),
        }
    }

    pub fn share(&self, name: &str) -> f64 {
        match self.table.get(name).and_then(number) {
            Some(value) => value,
            None => match self.default(name) {
                ParamDefault::Share(value) => value,
                _ => 0.0,
            },
        }
    }

    pub fn count(&self, name: &str) -> Option<u64> {
        match self.table.get(name).and_then(toml::Value::as_integer) {
            Some(value) => Some(value.max(0) as u64),
            None => match self.default(name) {
                ParamDefault::Count(value) => Some(value),
                _ => None,
            },
        }
    }

    pub fn choice(&self, name: &str) -> &'a str {
        match self.table.get(name).and_then(toml::Value::as_str) {
            Some(value) => value,
            None => match self.default(name) {
                ParamDefault::Choice(value) => value,
                _ => "",
            },
        }
    }

    /// A list parameter; empty when unset.
    pub fn strings(&self, name: &str) -> Vec<String> {
        let _ = self.default(name);
        self.table
            .get(name)
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.table.contains_key(name)
    }
}
