//! Reading, merging and validating rule packs. Loading never stops at the first problem: every
//! file in the chain is parsed, every rule checked, and all problems come back together with
//! file:line:col. Only a pack with no problem at all is used.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diag::Collector;
use super::fix::{FixSpec, FixValues};
use super::raw::{RawCheck, RawFixValues, RawOverride, RawPackMeta, RawRule};
use super::{Allowance, Check, Globs, Origin, Pack, PackRegex, Rule, builtin_packs, catalog};
use crate::model::Category;
use crate::model::RapLevel;
use crate::model::Severity;
use crate::model::{Diagnostic, Diagnostics};

/// Which pack to use, as chosen on the command line.
#[derive(Debug, Clone, Default)]
pub struct PackSelection {
    /// A built-in pack by name; `playbook` when absent.
    pub preset: Option<String>,
    /// A pack file that replaces the preset, unless it says `extends`.
    pub rules_file: Option<PathBuf>,
    /// A config layered over the pack for every repository, like a shared `.openly.toml`.
    pub config_file: Option<PathBuf>,
    /// An organisation's allow-list: `[[allow]]` tables only, each may name a `repo` glob.
    pub allow_list: Option<PathBuf>,
}

/// How deep `extends` chains may go before we call it a cycle.
const MAX_EXTENDS_DEPTH: usize = 16;

pub fn load_pack(selection: &PackSelection) -> Result<Pack, crate::Error> {
    let mut state = State::default();
    match &selection.rules_file {
        Some(path) => state.apply_file(path, Role::Pack, 0),
        None => {
            let preset = selection
                .preset
                .as_deref()
                .unwrap_or(builtin_packs::DEFAULT_PACK);
            state.apply_named(preset, None, 0, None);
        }
    }
    if let Some(path) = &selection.config_file {
        state.apply_file(path, Role::Config, 0);
    }
    if let Some(path) = &selection.allow_list {
        state.apply_file(path, Role::AllowList, 0);
    }
    state.finish()
}

/// Layers a repository's own `.openly.toml` over the pack in use.
pub fn load_repo_config(pack: &Pack, label: &str, text: &str) -> Result<Pack, crate::Error> {
    let mut state = State::from_pack(pack);
    state.apply_text(label, text, None, Role::Config, 0);
    state.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Pack,
    /// Repository or shared config: extends the pack in use, so `extends` makes no sense here.
    Config,
    /// An `--allow-list` file: `[[allow]]` tables and nothing else.
    AllowList,
}

#[derive(Default)]
struct State {
    name: Option<String>,
    version: Option<String>,
    description: Option<String>,
    rules: Vec<Rule>,
    allow: Vec<Allowance>,
    fix_values: FixValues,
    diagnostics: Vec<Diagnostic>,
    visited: HashSet<String>,
}

impl State {
    fn from_pack(pack: &Pack) -> Self {
        State {
            name: Some(pack.name.clone()),
            version: Some(pack.version.clone()),
            description: Some(pack.description.clone()),
            rules: pack.rules.clone(),
            allow: pack.allow.clone(),
            fix_values: pack.fix_values.clone(),
            ..State::default()
        }
    }

    fn apply_named(
        &mut self,
        name: &str,
        at: Option<Diagnostic>,
        depth: usize,
        base: Option<&Path>,
    ) {
        if let Some((file, text)) = builtin_packs::find(name) {
            self.apply_text(file, text, None, Role::Pack, depth);
            return;
        }
        // Not a built-in name: a pack file relative to the file that extends it.
        let path = base.map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
        if path.is_file() {
            self.apply_file(&path, Role::Pack, depth);
            return;
        }
        let message = format!(
            "unknown pack `{name}`: not a built-in pack ({}) and no such file",
            builtin_packs::names().join(", ")
        );
        self.diagnostics.push(match at {
            Some(mut located) => {
                located.message = message;
                located
            }
            None => Diagnostic {
                file: "--preset".to_string(),
                line: 1,
                column: 1,
                message,
            },
        });
    }

    fn apply_file(&mut self, path: &Path, role: Role, depth: usize) {
        let label = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => self.apply_text(&label, &text, path.parent(), role, depth),
            Err(error) => self.diagnostics.push(Diagnostic {
                file: label,
                line: 1,
                column: 1,
                message: format!("cannot read: {error}"),
            }),
        }
    }

    fn apply_text(
        &mut self,
        label: &str,
        text: &str,
        base: Option<&Path>,
        role: Role,
        depth: usize,
    ) {
        if !self.visited.insert(label.to_string()) || depth > MAX_EXTENDS_DEPTH {
            self.diagnostics.push(Diagnostic {
                file: label.to_string(),
                line: 1,
                column: 1,
                message: "`extends` forms a cycle".to_string(),
            });
            return;
        }
        let mut out = Collector::new(label, text);
        let (document, syntax_errors) = DeTable::parse_recoverable(text);
        for error in &syntax_errors {
            out.at(error.span(), error.message().trim().to_string());
        }
        if !syntax_errors.is_empty() {
            self.diagnostics.append(&mut out.found);
            return;
        }
        let document = document.into_inner();
        if role == Role::AllowList {
            for (key, value) in document.iter() {
                match key.get_ref().as_ref() {
                    "allow" => super::allow::apply(&mut out, value, &mut self.allow),
                    other => out.at(
                        Some(key.span()),
                        format!(
                            "an allow-list holds only [[allow]] tables; `{other}` belongs in a rule pack or config"
                        ),
                    ),
                }
            }
            self.diagnostics.append(&mut out.found);
            return;
        }
        let meta = document
            .get("pack")
            .and_then(|value| deserialize::<RawPackMeta>(&mut out, value));
        if let Some(meta) = &meta {
            if role == Role::Config && meta.extends.is_some() {
                let span = meta.extends.as_ref().map(Spanned::span);
                out.at(
                    span,
                    "a config file always extends the pack in use; remove `extends`",
                );
            }
            if let Some(extends) = meta.extends.as_ref().filter(|_| role == Role::Pack) {
                let (line, column) = super::diag::line_col(text, extends.span().start);
                let at = Diagnostic {
                    file: label.to_string(),
                    line,
                    column,
                    message: String::new(),
                };
                // The parent must be applied first so this file's rules override it.
                self.diagnostics.append(&mut out.found);
                self.apply_named(extends.get_ref(), Some(at), depth + 1, base);
            } else if role == Role::Pack {
                // A pack without `extends` replaces whatever came before it.
                self.rules.clear();
                self.allow.clear();
            }
            if role == Role::Pack {
                self.name = meta
                    .name
                    .as_ref()
                    .map(|n| n.get_ref().clone())
                    .or(self.name.take());
                self.version = meta
                    .version
                    .as_ref()
                    .map(|v| v.get_ref().clone())
                    .or(self.version.take());
                self.description = meta.description.clone().or(self.description.take());
            }
        } else if role == Role::Pack {
            self.rules.clear();
            self.allow.clear();
        }

        for (key, value) in document.iter() {
            match key.get_ref().as_ref() {
                "pack" => {}
                "rules" => self.apply_rules(&mut out, value),
                "overrides" => self.apply_overrides(&mut out, value),
                "allow" => super::allow::apply(&mut out, value, &mut self.allow),
                "fix" => self.apply_fix_values(&mut out, value),
                other => out.at(
                    Some(key.span()),
                    format!(
                        "unknown key `{other}`; expected one of pack, rules, overrides, allow, fix"
                    ),
                ),
            }
        }
        self.diagnostics.append(&mut out.found);
    }

    fn apply_fix_values(&mut self, out: &mut Collector, value: &Spanned<DeValue>) {
        let Some(raw) = deserialize::<RawFixValues>(out, value) else {
            return;
        };
        for (field, text) in [("holder", &raw.holder), ("contact", &raw.contact)] {
            if let Some(text) = text
                && text.get_ref().trim().is_empty()
            {
                out.at(Some(text.span()), format!("`{field}` must not be empty"));
            }
        }
        if let Some(holder) = raw.holder {
            self.fix_values.holder = Some(holder.into_inner());
        }
        if let Some(contact) = raw.contact {
            self.fix_values.contact = Some(contact.into_inner());
        }
    }

    fn apply_rules(&mut self, out: &mut Collector, value: &Spanned<DeValue>) {
        let Some(items) = value.get_ref().as_array() else {
            out.at(
                Some(value.span()),
                "`rules` must be an array of tables ([[rules]])",
            );
            return;
        };
        let mut seen_here = HashSet::new();
        for item in items.iter() {
            let Some(raw) = deserialize::<RawRule>(out, item) else {
                continue;
            };
            if !seen_here.insert(raw.id.get_ref().clone()) {
                out.at(
                    Some(raw.id.span()),
                    format!("rule `{}` is defined twice in this file", raw.id.get_ref()),
                );
                continue;
            }
            if let Some(rule) = validate_rule(out, raw, item.span().start) {
                match self.rules.iter_mut().find(|r| r.id == rule.id) {
                    Some(existing) => *existing = rule,
                    None => self.rules.push(rule),
                }
            }
        }
    }

    fn apply_overrides(&mut self, out: &mut Collector, value: &Spanned<DeValue>) {
        let Some(table) = value.get_ref().as_table() else {
            out.at(
                Some(value.span()),
                "`overrides` must be a table keyed by rule id",
            );
            return;
        };
        for (key, item) in table.iter() {
            let id = key.get_ref().as_ref();
            let Some(raw) = deserialize::<RawOverride>(out, item) else {
                continue;
            };
            let Some(rule) = self.rules.iter_mut().find(|r| r.id == id) else {
                out.at(Some(key.span()), format!("override of unknown rule `{id}`"));
                continue;
            };
            if let Some(severity) = &raw.severity
                && let Some(parsed) = parse_severity(out, severity)
            {
                rule.severity = parsed;
            }
            if let Some(weight) = &raw.weight
                && check_weight(out, weight)
            {
                rule.weight = *weight.get_ref();
            }
            if let Some(requires) = &raw.requires {
                rule.requires = Some(requires.get_ref().clone()).filter(|r| !r.is_empty());
            }
            if let Some(level) = &raw.level
                && let Some(parsed) = parse_level(out, level, rule.category)
            {
                rule.level = Some(parsed).filter(|l| *l != RapLevel::None);
            }
            if let Some(params) = &raw.params {
                match &mut rule.check {
                    Check::Builtin {
                        spec,
                        params: existing,
                    } => {
                        for (k, v) in params.get_ref() {
                            existing.insert(k.clone(), v.clone());
                        }
                        for problem in catalog::validate(spec, existing) {
                            out.at(Some(params.span()), problem);
                        }
                    }
                    _ => out.at(
                        Some(params.span()),
                        "`params` applies only to builtin checks",
                    ),
                }
            }
            if let Some(fix) = &raw.fix
                && let Some(parsed) = parse_fix(out, fix)
            {
                rule.fix = Some(parsed);
            }
            if raw.enabled == Some(false) {
                let id = id.to_string();
                self.rules.retain(|r| r.id != id);
            }
        }
    }

    /// Checks what only the merged pack can show, then hands it over if nothing is wrong.
    fn finish(mut self) -> Result<Pack, crate::Error> {
        for rule in &self.rules {
            let Some(required) = &rule.requires else {
                continue;
            };
            let message = if required == &rule.id {
                Some(format!("rule `{}` requires itself", rule.id))
            } else if !self.rules.iter().any(|r| &r.id == required) {
                Some(format!(
                    "rule `{}` requires unknown rule `{required}`",
                    rule.id
                ))
            } else if requires_cycle(&self.rules, &rule.id) {
                Some(format!("rule `{}` is part of a `requires` cycle", rule.id))
            } else {
                None
            };
            if let Some(message) = message {
                self.diagnostics.push(Diagnostic {
                    file: rule.origin.file.clone(),
                    line: rule.origin.line,
                    column: rule.origin.column,
                    message,
                });
            }
        }
        if !self.diagnostics.is_empty() {
            return Err(crate::Error::Config(Diagnostics(self.diagnostics)));
        }
        Ok(Pack {
            name: self.name.unwrap_or_else(|| "custom".to_string()),
            version: self.version.unwrap_or_else(|| "0".to_string()),
            description: self.description.unwrap_or_default(),
            rules: self.rules,
            allow: self.allow,
            fix_values: self.fix_values,
        })
    }
}

fn requires_cycle(rules: &[Rule], start: &str) -> bool {
    let mut current = start;
    for _ in 0..=rules.len() {
        let Some(next) = rules
            .iter()
            .find(|r| r.id == current)
            .and_then(|r| r.requires.as_deref())
        else {
            return false;
        };
        if next == start {
            return true;
        }
        current = next;
    }
    true
}

/// Deserializes one value, recording the error (with its span) instead of stopping.
pub(super) fn deserialize<T: for<'de> Deserialize<'de>>(
    out: &mut Collector,
    value: &Spanned<DeValue>,
) -> Option<T> {
    match T::deserialize(ValueDeserializer::from(value.clone())) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            out.at(
                error.span().or(Some(value.span())),
                error.message().trim().to_string(),
            );
            None
        }
    }
}

fn parse_severity(out: &mut Collector, value: &Spanned<String>) -> Option<Severity> {
    match value.get_ref().as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        other => {
            out.at(
                Some(value.span()),
                format!("unknown severity `{other}`; expected error, warning or info"),
            );
            None
        }
    }
}

/// A rule's RAP level. `none` is accepted (overrides use it to drop a level); only `rap/`
/// rules may carry a level, since the assessment would otherwise mix unrelated policy in.
fn parse_level(
    out: &mut Collector,
    value: &Spanned<String>,
    category: Category,
) -> Option<RapLevel> {
    let Some(level) = RapLevel::parse(value.get_ref()) else {
        out.at(
            Some(value.span()),
            format!(
                "unknown RAP level `{}`; expected baseline, silver, gold or none",
                value.get_ref()
            ),
        );
        return None;
    };
    if category != Category::Rap && level != RapLevel::None {
        out.at(
            Some(value.span()),
            "only `rap/` rules can carry a RAP level",
        );
        return None;
    }
    Some(level)
}

fn check_weight(out: &mut Collector, weight: &Spanned<f64>) -> bool {
    let ok =
        weight.get_ref().is_finite() && *weight.get_ref() >= 0.0 && *weight.get_ref() <= 1000.0;
    if !ok {
        out.at(
            Some(weight.span()),
            "weight must be a number from 0 to 1000",
        );
    }
    ok
}

fn validate_rule(out: &mut Collector, raw: RawRule, start: usize) -> Option<Rule> {
    let before = out.found.len();
    let id = raw.id.get_ref().clone();
    let category = match id.split_once('/').and_then(|(c, _)| Category::parse(c)) {
        Some(category) if super::is_valid_rule_id(&id) => Some(category),
        _ => {
            out.at(
                Some(raw.id.span()),
                format!(
                    "rule id `{id}` must be `category/kebab-name` with a category of {}",
                    Category::ALL.map(Category::as_str).join(", ")
                ),
            );
            None
        }
    };
    if let (Some(declared), Some(category)) = (&raw.category, category)
        && declared.get_ref() != category.as_str()
    {
        out.at(
            Some(declared.span()),
            format!(
                "category `{}` does not match the id's prefix `{}`",
                declared.get_ref(),
                category.as_str()
            ),
        );
    }
    let severity = parse_severity(out, &raw.severity);
    check_weight(out, &raw.weight);
    for (field, value) in [
        ("title", &raw.title),
        ("message", &raw.message),
        ("help", &raw.help),
    ] {
        if value.get_ref().trim().is_empty() {
            out.at(Some(value.span()), format!("`{field}` must not be empty"));
        }
    }
    let level = match (&raw.level, category) {
        (Some(level), Some(category)) => parse_level(out, level, category),
        _ => None,
    };
    let check = validate_check(out, raw.check);
    let fix = raw.fix.as_ref().and_then(|fix| parse_fix(out, fix));
    if out.found.len() != before {
        return None;
    }
    let (line, column) = super::diag::line_col_of(out, start);
    Some(Rule {
        id,
        category: category?,
        title: raw.title.into_inner(),
        severity: severity?,
        weight: raw.weight.into_inner(),
        message: raw.message.into_inner(),
        help: raw.help.into_inner(),
        url: raw.url.map(Spanned::into_inner),
        requires: raw
            .requires
            .map(Spanned::into_inner)
            .filter(|r| !r.is_empty()),
        level: level.filter(|l| *l != RapLevel::None),
        check: check?,
        fix,
        origin: Origin {
            file: out.file().to_string(),
            line,
            column,
        },
    })
}

/// A rule's `fix`, parsed strictly and checked against the shipped templates.
fn parse_fix(out: &mut Collector, raw: &Spanned<toml::Table>) -> Option<FixSpec> {
    let spec = match FixSpec::deserialize(toml::Value::Table(raw.get_ref().clone())) {
        Ok(spec) => spec,
        Err(error) => {
            out.at(
                Some(raw.span()),
                format!("invalid `fix`: {}", error.message()),
            );
            return None;
        }
    };
    if let Err(error) = spec.validate(&super::templates::builtin) {
        out.at(Some(raw.span()), format!("invalid `fix`: {error}"));
        return None;
    }
    Some(spec)
}

fn validate_check(out: &mut Collector, raw: Spanned<RawCheck>) -> Option<Check> {
    let span = raw.span();
    let raw = raw.into_inner();
    let kind = raw.kind.get_ref().as_str();
    let allowed: &[&str] = match kind {
        "file-exists" | "file-absent" => &["globs"],
        "file-contains" => &["globs", "pattern"],
        "readme-section" => &["headings", "paragraph", "intro"],
        "gitignore-covers" => &["paths"],
        "builtin" => &["name", "params"],
        other => {
            out.at(
                Some(raw.kind.span()),
                format!(
                    "unknown check kind `{other}`; expected file-exists, file-absent, file-contains, readme-section, gitignore-covers or builtin"
                ),
            );
            return None;
        }
    };
    let present: [(&str, Option<std::ops::Range<usize>>); 8] = [
        ("globs", raw.globs.as_ref().map(Spanned::span)),
        ("pattern", raw.pattern.as_ref().map(Spanned::span)),
        ("headings", raw.headings.as_ref().map(Spanned::span)),
        ("paragraph", raw.paragraph.as_ref().map(Spanned::span)),
        ("intro", raw.intro.as_ref().map(Spanned::span)),
        ("paths", raw.paths.as_ref().map(Spanned::span)),
        ("name", raw.name.as_ref().map(Spanned::span)),
        ("params", raw.params.as_ref().map(Spanned::span)),
    ];
    for (field, field_span) in &present {
        if let Some(field_span) = field_span
            && !allowed.contains(field)
        {
            out.at(
                Some(field_span.clone()),
                format!("`{field}` does not apply to a `{kind}` check"),
            );
        }
    }
    let need = |out: &mut Collector, field: &str| {
        out.at(
            Some(span.clone()),
            format!("a `{kind}` check needs `{field}`"),
        );
    };
    match kind {
        "file-exists" | "file-absent" | "file-contains" => {
            let Some(globs) = &raw.globs else {
                need(out, "globs");
                return None;
            };
            let globs = compile_globs(out, globs.span(), globs.get_ref())?;
            match kind {
                "file-exists" => Some(Check::FileExists(globs)),
                "file-absent" => Some(Check::FileAbsent(globs)),
                _ => {
                    let Some(pattern) = &raw.pattern else {
                        need(out, "pattern");
                        return None;
                    };
                    let pattern = compile_regex(out, pattern)?;
                    Some(Check::FileContains { globs, pattern })
                }
            }
        }
        "readme-section" => {
            let headings: Vec<String> = raw
                .headings
                .map(Spanned::into_inner)
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.to_lowercase())
                .collect();
            let paragraph = match &raw.paragraph {
                Some(pattern) => Some(compile_regex(out, pattern)?),
                None => None,
            };
            let intro = raw.intro.is_some_and(Spanned::into_inner);
            if headings.is_empty() && paragraph.is_none() && !intro {
                need(out, "headings, paragraph or intro");
                return None;
            }
            Some(Check::ReadmeSection {
                headings,
                paragraph,
                intro,
            })
        }
        "gitignore-covers" => {
            let Some(paths) = raw.paths else {
                need(out, "paths");
                return None;
            };
            Some(Check::GitignoreCovers {
                paths: paths.into_inner(),
            })
        }
        _ => {
            let Some(name) = raw.name else {
                need(out, "name");
                return None;
            };
            let params = raw.params.map(Spanned::into_inner).unwrap_or_default();
            let Some(spec) = catalog::find(name.get_ref()) else {
                out.at(
                    Some(name.span()),
                    format!(
                        "unknown built-in analyzer `{}`; known: {}",
                        name.get_ref(),
                        catalog::names().join(", ")
                    ),
                );
                return None;
            };
            let problems = catalog::validate(spec, &params);
            for problem in &problems {
                out.at(Some(name.span()), problem.clone());
            }
            if !problems.is_empty() {
                return None;
            }
            Some(Check::Builtin { spec, params })
        }
    }
}

fn compile_regex(out: &mut Collector, pattern: &Spanned<String>) -> Option<PackRegex> {
    match PackRegex::parse(pattern.get_ref()) {
        Ok(regex) => Some(regex),
        Err(error) => {
            out.at(Some(pattern.span()), format!("invalid regex: {error}"));
            None
        }
    }
}

/// Case-insensitive globs where `*` stays within one directory, as users of `.gitignore` expect.
pub fn compile_globs(
    out: &mut Collector,
    span: std::ops::Range<usize>,
    patterns: &[String],
) -> Option<Globs> {
    if patterns.is_empty() {
        out.at(Some(span), "at least one glob is needed");
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    let mut ok = true;
    for pattern in patterns {
        match GlobBuilder::new(pattern)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(error) => {
                out.at(
                    Some(span.clone()),
                    format!("invalid glob `{pattern}`: {}", error.kind()),
                );
                ok = false;
            }
        }
    }
    let set = builder.build().ok()?;
    ok.then(|| Globs {
        patterns: patterns.to_vec(),
        set,
    })
}
