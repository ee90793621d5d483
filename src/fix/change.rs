//! A plan of changes to one repository, made fix by fix against an in-memory view of its files,
//! so later fixes see earlier ones (the section fixes all edit the README that `readme/present`
//! may have just created). Nothing is written here: the CLI writes `after` bytes, `--dry-run`
//! prints [`ChangeSet::diff`], and the PR flow commits the same bytes, so all three agree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::create::blocking_path;
use super::diff::file_diff;
use super::invariant::{NotAnInsertion, only_insertions};
use super::lines::append_lines;
use super::section::{SectionFix, SectionOutcome, Within, insert_section};
use super::template::{Filled, Marker, Values, fill};
use crate::pack::fix::{FixKind, FixSpec, SpecError, check_path};

/// The files of a repository as a fix sees them. The map implementation serves tests and the
/// PR flow; the CLI can implement it over a snapshot and read only the files fixes touch.
pub trait Tree {
    /// Every file's path, relative, with `/`.
    fn paths(&self) -> Vec<&str>;
    /// A file's bytes, or `None` when there is no such file.
    fn read(&self, path: &str) -> Option<Cow<'_, [u8]>>;
}

impl Tree for BTreeMap<String, Vec<u8>> {
    fn paths(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }

    fn read(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        self.get(path).map(|bytes| Cow::Borrowed(bytes.as_slice()))
    }
}

/// One planned change: what a rule's fix does to one file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub kind: FixKind,
    pub rule: String,
    /// Why the playbook asks for it (the rule's help or message), for the PR body.
    pub reason: String,
    /// The content before this change; `None` when the change creates the file.
    pub before: Option<Vec<u8>>,
    pub after: Vec<u8>,
    /// Markers the change leaves for the author.
    pub markers: Vec<Marker>,
}

/// Everything a run of fixes would change in one file: its original and final content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange<'a> {
    pub path: &'a str,
    pub before: Option<&'a [u8]>,
    pub after: &'a [u8],
    pub changes: Vec<&'a Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{path}: {source}")]
    NotAnInsertion {
        path: String,
        source: NotAnInsertion,
    },
}

/// The changes planned for one repository, in the order they were planned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    changes: Vec<Change>,
}

impl ChangeSet {
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Adds a change after checking that it only inserts.
    pub fn push(&mut self, change: Change) -> Result<(), FixError> {
        if let Some(before) = &change.before {
            only_insertions(before, &change.after).map_err(|source| FixError::NotAnInsertion {
                path: change.path.clone(),
                source,
            })?;
        }
        self.changes.push(change);
        Ok(())
    }

    /// The planned content of a path, if a change touches it.
    pub fn planned(&self, path: &str) -> Option<&[u8]> {
        self.changes
            .iter()
            .rev()
            .find(|c| c.path == path)
            .map(|c| c.after.as_slice())
    }

    /// One entry per file, in the order files were first touched.
    pub fn files(&self) -> Vec<FileChange<'_>> {
        let mut files: Vec<FileChange<'_>> = Vec::new();
        for change in &self.changes {
            match files.iter_mut().find(|f| f.path == change.path) {
                Some(file) => {
                    file.after = &change.after;
                    file.changes.push(change);
                }
                None => files.push(FileChange {
                    path: &change.path,
                    before: change.before.as_deref(),
                    after: &change.after,
                    changes: vec![change],
                }),
            }
        }
        files
    }

    /// A unified diff of every file, which `git apply` takes and which yields exactly the
    /// bytes [`ChangeSet::apply_to`] writes.
    pub fn diff(&self) -> Vec<u8> {
        self.files()
            .iter()
            .flat_map(|f| file_diff(f.path, f.before, f.after))
            .collect()
    }

    /// Every marker left, with the path that holds it.
    pub fn markers(&self) -> Vec<(&str, &Marker)> {
        self.changes
            .iter()
            .flat_map(|c| c.markers.iter().map(move |m| (c.path.as_str(), m)))
            .collect()
    }

    /// Writes the final content of every changed file into a map of files.
    pub fn apply_to(&self, files: &mut BTreeMap<String, Vec<u8>>) {
        for file in self.files() {
            files.insert(file.path.to_owned(), file.after.to_vec());
        }
    }
}

/// What became of one rule's fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// A change was planned.
    Changed { path: String, markers: Vec<Marker> },
    /// Nothing to do: what the fix would add is already there.
    Unchanged { why: String },
    /// The fix cannot be made safely here; the reason says what to do by hand.
    Blocked { why: String },
}

/// A rule's fix, with what the planner needs from the rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleFix<'a> {
    pub rule: &'a str,
    pub reason: &'a str,
    pub spec: &'a FixSpec,
    /// The rule's `readme-section` headings, for an `insert-section` fix without its own.
    pub headings: &'a [String],
}

use crate::checks::readme::{README_DIRS, README_NAMES};
const MARKDOWN_EXTENSIONS: &[&str] = &[".md", ".markdown", ".rmd", ".qmd"];

/// Plans fixes against a tree, each seeing the changes planned before it.
pub struct Planner<'a, T: Tree + ?Sized> {
    tree: &'a T,
    values: &'a Values,
    templates: &'a dyn Fn(&str) -> Option<String>,
    set: ChangeSet,
}

impl<'a, T: Tree + ?Sized> Planner<'a, T> {
    /// `templates` finds a template's text by name ([`super::template::builtin`] for the
    /// shipped ones).
    pub fn new(
        tree: &'a T,
        values: &'a Values,
        templates: &'a dyn Fn(&str) -> Option<String>,
    ) -> Self {
        Planner {
            tree,
            values,
            templates,
            set: ChangeSet::default(),
        }
    }

    /// A file's content with the changes planned so far.
    pub fn current(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        match self.set.planned(path) {
            Some(bytes) => Some(Cow::Borrowed(bytes)),
            None => self.tree.read(path),
        }
    }

    fn paths(&self) -> Vec<&str> {
        let mut paths = self.tree.paths();
        for change in self.set.changes() {
            if change.before.is_none() {
                paths.push(&change.path);
            }
        }
        paths
    }

    fn filled(&self, name: &str) -> Result<Filled, FixError> {
        let text = (self.templates)(name)
            .ok_or_else(|| SpecError::from(super::template::TemplateError::Missing(name.into())))?;
        Ok(fill(name, &text, self.values).map_err(SpecError::from)?)
    }

    /// Plans one rule's fix.
    pub fn plan(&mut self, fix: RuleFix<'_>) -> Result<Planned, FixError> {
        match fix.spec {
            FixSpec::CreateFile {
                path,
                template,
                unless,
            } => self.create_file(fix, path, template, unless),
            FixSpec::AppendLines { path, template } => self.append(fix, path, template),
            FixSpec::InsertSection {
                template,
                path,
                after,
                before,
                headings,
                within,
                within_template,
            } => {
                let path = match path {
                    Some(path) => path.clone(),
                    None => match self.readme() {
                        Ok(path) => path,
                        Err(why) => return Ok(Planned::Blocked { why }),
                    },
                };
                let synonyms = if headings.is_empty() {
                    fix.headings
                } else {
                    headings.as_slice()
                };
                let place = Place {
                    synonyms,
                    after,
                    before,
                    within,
                };
                self.insert(fix, &path, template, place, within_template.as_deref())
            }
        }
    }

    /// Plans several rules' fixes in order, then retries the blocked ones while that helps: an
    /// earlier fix can unblock a later one (a section that had nowhere safe to go before the
    /// README gained a section to follow), and retrying here means a second run of `fix`
    /// finds nothing left to do. Returns each rule's final outcome, in the order given.
    pub fn plan_all(&mut self, fixes: &[RuleFix<'_>]) -> Result<Vec<Planned>, FixError> {
        let mut outcomes = fixes
            .iter()
            .map(|fix| self.plan(*fix))
            .collect::<Result<Vec<_>, _>>()?;
        loop {
            let mut progress = false;
            for (fix, outcome) in fixes.iter().zip(outcomes.iter_mut()) {
                if matches!(outcome, Planned::Blocked { .. }) {
                    *outcome = self.plan(*fix)?;
                    progress |= matches!(outcome, Planned::Changed { .. });
                }
            }
            if !progress {
                return Ok(outcomes);
            }
        }
    }

    /// Everything planned, to diff, write or commit.
    pub fn finish(self) -> ChangeSet {
        self.set
    }

    fn create_file(
        &mut self,
        fix: RuleFix<'_>,
        path: &str,
        template: &str,
        unless: &[String],
    ) -> Result<Planned, FixError> {
        check_path(path)?;
        let blocker = blocking_path(self.paths(), path, unless)
            .map_err(|e| SpecError::Glob(e.to_string()))?
            .map(str::to_owned);
        if let Some(existing) = blocker {
            return Ok(Planned::Unchanged {
                why: format!("{existing} exists and is left alone"),
            });
        }
        let filled = self.filled(template)?;
        self.record(fix, path, None, filled.text.into_bytes(), filled.markers)
    }

    fn append(
        &mut self,
        fix: RuleFix<'_>,
        path: &str,
        template: &str,
    ) -> Result<Planned, FixError> {
        check_path(path)?;
        let before = self.current(path).map(Cow::into_owned);
        let Ok(existing) = before.as_deref().map(std::str::from_utf8).transpose() else {
            return Ok(not_text(path));
        };
        let filled = self.filled(template)?;
        match append_lines(existing, &filled.text) {
            None => Ok(Planned::Unchanged {
                why: format!("{path} already has every line"),
            }),
            Some(appended) => self.record(
                fix,
                path,
                before,
                appended.text.into_bytes(),
                filled.markers,
            ),
        }
    }

    fn insert(
        &mut self,
        fix: RuleFix<'_>,
        path: &str,
        template: &str,
        place: Place<'_>,
        within_template: Option<&str>,
    ) -> Result<Planned, FixError> {
        check_path(path)?;
        let Some(before) = self.current(path).map(Cow::into_owned) else {
            return Ok(Planned::Blocked {
                why: format!("there is no {path} to add the section to"),
            });
        };
        let Ok(readme) = std::str::from_utf8(&before) else {
            return Ok(not_text(path));
        };
        let filled = self.filled(template)?;
        let within_filled = within_template.map(|t| self.filled(t)).transpose()?;
        let section = SectionFix {
            synonyms: place.synonyms,
            after: place.after,
            before: place.before,
            template: &filled.text,
            within: (!place.within.is_empty()).then_some(Within {
                synonyms: place.within,
                template: within_filled.as_ref().map(|f| f.text.as_str()),
            }),
        };
        let outcome = insert_section(readme, &section).map_err(|_| SpecError::NoHeading {
            template: template.to_owned(),
        })?;
        match outcome {
            SectionOutcome::Present { why } => Ok(Planned::Unchanged { why }),
            SectionOutcome::Blocked { why } => Ok(Planned::Blocked { why }),
            SectionOutcome::Inserted { text, into, .. } => {
                let markers = match (into, within_filled) {
                    (Some(_), Some(extra)) => extra.markers,
                    _ => filled.markers,
                };
                self.record(fix, path, Some(before), text.into_bytes(), markers)
            }
        }
    }

    fn record(
        &mut self,
        fix: RuleFix<'_>,
        path: &str,
        before: Option<Vec<u8>>,
        after: Vec<u8>,
        markers: Vec<Marker>,
    ) -> Result<Planned, FixError> {
        self.set.push(Change {
            path: path.to_owned(),
            kind: fix.spec.kind(),
            rule: fix.rule.to_owned(),
            reason: fix.reason.to_owned(),
            before,
            after,
            markers: markers.clone(),
        })?;
        Ok(Planned::Changed {
            path: path.to_owned(),
            markers,
        })
    }

    /// The README the audit would read, with planned files counted; it must be Markdown.
    fn readme(&self) -> Result<String, String> {
        let paths = self.paths();
        for dir in README_DIRS {
            for name in README_NAMES {
                let wanted = format!("{dir}{name}");
                if let Some(found) = paths.iter().find(|p| p.eq_ignore_ascii_case(&wanted)) {
                    let lower = found.to_lowercase();
                    return if MARKDOWN_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
                        Ok((*found).to_owned())
                    } else {
                        Err(format!(
                            "{found} is not Markdown, so openly cannot place a section in it; add the section by hand"
                        ))
                    };
                }
            }
        }
        Err("there is no README to add the section to (the readme/present fix creates one)".into())
    }
}

/// Where an `insert-section` fix goes, as its spec and rule say.
#[derive(Clone, Copy)]
struct Place<'a> {
    synonyms: &'a [String],
    after: &'a [String],
    before: &'a [String],
    within: &'a [String],
}

fn not_text(path: &str) -> Planned {
    Planned::Blocked {
        why: format!("{path} is not UTF-8 text, so openly leaves it alone"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::template::builtin;

    fn tree(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    fn spec(toml_text: &str) -> FixSpec {
        #[derive(serde::Deserialize)]
        struct Rule {
            fix: FixSpec,
        }
        toml::from_str::<Rule>(toml_text).unwrap().fix
    }

    fn fix<'a>(rule: &'a str, spec: &'a FixSpec) -> RuleFix<'a> {
        RuleFix {
            rule,
            reason: "the playbook asks for it",
            spec,
            headings: &[],
        }
    }

    #[test]
    fn later_fixes_see_earlier_ones_and_files_merge_per_path() {
        let files = tree(&[("src/x.py", "print()\n")]);
        let values = Values {
            repo: Some("beds".into()),
            ..Values::default()
        };
        let lookup = builtin;
        let mut planner = Planner::new(&files, &values, &lookup);
        let readme =
            spec(r#"fix = { kind = "create-file", path = "README.md", template = "readme" }"#);
        let about = spec(
            r#"fix = { kind = "insert-section", template = "readme-about", after = [":title"] }"#,
        );
        let usage = spec(r#"fix = { kind = "insert-section", template = "readme-usage" }"#);
        // The section fixes come first and are blocked until the README exists.
        let outcomes = planner
            .plan_all(&[
                fix("readme/purpose", &about),
                fix("readme/present", &readme),
                fix("readme/usage", &usage),
            ])
            .unwrap();
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, Planned::Changed { .. })),
            "{outcomes:?}"
        );
        let changes = planner.finish();
        let files_changed = changes.files();
        assert_eq!(files_changed.len(), 1);
        assert_eq!(files_changed[0].before, None);
        assert_eq!(files_changed[0].changes.len(), 3);
        let text = String::from_utf8(files_changed[0].after.to_vec()).unwrap();
        assert!(text.starts_with("# beds\n\n## About\n"), "{text}");
        assert!(text.contains("\n## Usage\n"));
        assert_eq!(changes.markers().len(), 2);
        // One new-file diff, however many fixes touched the file.
        let diff = String::from_utf8(changes.diff()).unwrap();
        assert_eq!(diff.matches("diff --git").count(), 1);
        assert!(diff.contains("--- /dev/null\n"));
    }

    #[test]
    fn existing_files_are_left_alone_and_say_why() {
        let files = tree(&[("licence.md", "MIT\n"), ("README.rst", "Title\n=====\n")]);
        let values = Values::default();
        let lookup = builtin;
        let mut planner = Planner::new(&files, &values, &lookup);
        let licence =
            spec(r#"fix = { kind = "create-file", path = "LICENSE", template = "mit-licence" }"#);
        let data = spec(r#"fix = { kind = "insert-section", template = "readme-data" }"#);
        assert_eq!(
            planner.plan(fix("licence/present", &licence)).unwrap(),
            Planned::Unchanged {
                why: "licence.md exists and is left alone".into()
            }
        );
        assert!(matches!(
            planner.plan(fix("readme/data", &data)).unwrap(),
            Planned::Blocked { why } if why.contains("not Markdown")
        ));
        assert!(planner.finish().is_empty());
    }

    #[test]
    fn a_change_that_is_not_an_insertion_is_refused() {
        let mut set = ChangeSet::default();
        let refused = set.push(Change {
            path: "README.md".into(),
            kind: FixKind::InsertSection,
            rule: "readme/data".into(),
            reason: String::new(),
            before: Some(b"# Title\n".to_vec()),
            after: b"# Other\n".to_vec(),
            markers: vec![],
        });
        assert!(matches!(refused, Err(FixError::NotAnInsertion { .. })));
        assert!(set.is_empty());
    }

    #[test]
    fn non_utf8_files_are_left_alone() {
        let mut files = tree(&[]);
        files.insert(".gitignore".into(), vec![0xff, 0xfe, b'\n']);
        let values = Values::default();
        let lookup = builtin;
        let mut planner = Planner::new(&files, &values, &lookup);
        let ignore = spec(
            r#"fix = { kind = "append-lines", path = ".gitignore", template = "gitignore-data" }"#,
        );
        assert!(matches!(
            planner
                .plan(fix("hygiene/gitignore-data", &ignore))
                .unwrap(),
            Planned::Blocked { .. }
        ));
    }
}
