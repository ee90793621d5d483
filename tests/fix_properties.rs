//! Properties of section insertion over generated READMEs (headings of every style, fences
//! closed and unclosed, CRLF, BOM, front matter, no final newline): it only inserts, never
//! inside a fence or above the title, a second run changes nothing, and the diff goes through
//! a real `git apply` to exactly the planned bytes. Plus the diff edge cases git is picky about.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use openly::fix::section::{SectionFix, SectionOutcome, TITLE_ANCHOR, insert_section};
use openly::fix::template::{self, Values};
use openly::fix::{ChangeSet, FixSpec, Planned, Planner, RuleFix, only_insertions};
use proptest::prelude::*;

const HEADING: &str = "Zebra notes";

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .args(["-c", "core.autocrlf=false", "-c", "core.safecrlf=false"])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap()
}

/// A scratch git work tree in which diffs are applied to files written fresh for each case.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        assert!(git(dir.path(), &["init", "-q"]).status.success());
        Scratch { dir }
    }

    /// Writes `files`, applies `diff` with `git apply` and returns every file afterwards, or
    /// git's complaint.
    fn apply(
        &self,
        files: &BTreeMap<String, Vec<u8>>,
        diff: &[u8],
    ) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let root = self.dir.path().join("tree");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        for (path, bytes) in files {
            let target = root.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
        let patch = self.dir.path().join("change.patch");
        std::fs::write(&patch, diff).unwrap();
        let patch = patch.to_string_lossy().into_owned();
        for args in [
            vec![
                "apply",
                "--check",
                "--whitespace=nowarn",
                "--directory=tree",
                &patch,
            ],
            vec!["apply", "--whitespace=nowarn", "--directory=tree", &patch],
        ] {
            let output = git(self.dir.path(), &args);
            if !output.status.success() {
                return Err(String::from_utf8_lossy(&output.stderr).into_owned());
            }
        }
        let mut after = BTreeMap::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    after.insert(relative, std::fs::read(&path).unwrap());
                }
            }
        }
        Ok(after)
    }

    /// `git apply` of the change set's diff must give exactly what the plan writes.
    fn check(&self, files: &BTreeMap<String, Vec<u8>>, changes: &ChangeSet) {
        let applied = self.apply(files, &changes.diff()).unwrap_or_else(|e| {
            panic!(
                "git apply refused: {e}\n{}",
                String::from_utf8_lossy(&changes.diff())
            )
        });
        let mut planned = files.clone();
        changes.apply_to(&mut planned);
        assert_eq!(applied, planned);
    }
}

/// One block of a generated README.
#[derive(Debug, Clone)]
enum Block {
    Atx(usize, &'static str, bool),
    Setext(&'static str, bool),
    Html(usize, &'static str),
    Paragraph(Vec<&'static str>),
    List(Vec<&'static str>),
    Fence(char, Vec<&'static str>),
    Break,
}

const NAMES: &[&str] = &[
    "Project title",
    "Usage",
    "Installation",
    "Data",
    "Contact us",
    "Licence",
    "Notes",
    "📊 Results",
    "1. Setup",
    "Zebra notes",
    "About",
];
const WORDS: &[&str] = &[
    "Some text here.",
    "# not a heading inside text",
    "Status: beta",
    "run `make` now",
    "<b>bold</b> words",
    "a line with trailing space ",
    "ünïcode and emoji 🚀",
    "",
];
const CODE: &[&str] = &[
    "# a comment",
    "## Zebra notes",
    "```not closing```",
    "x = 1",
    "~~~",
    "    indented",
];

fn block() -> impl Strategy<Value = Block> {
    let name = proptest::sample::select(NAMES);
    let word = proptest::sample::select(WORDS);
    let code = proptest::sample::select(CODE);
    prop_oneof![
        (1usize..=4, name.clone(), any::<bool>()).prop_map(|(l, n, c)| Block::Atx(l, n, c)),
        (name.clone(), any::<bool>()).prop_map(|(n, one)| Block::Setext(n, one)),
        (1usize..=3, name).prop_map(|(l, n)| Block::Html(l, n)),
        proptest::collection::vec(word.clone(), 1..3).prop_map(Block::Paragraph),
        proptest::collection::vec(word, 1..3).prop_map(Block::List),
        (
            proptest::sample::select(&['`', '~'][..]),
            proptest::collection::vec(code, 0..3)
        )
            .prop_map(|(c, lines)| Block::Fence(c, lines)),
        Just(Block::Break),
    ]
}

#[derive(Debug, Clone)]
struct Readme {
    blocks: Vec<Block>,
    /// The last fence is left open.
    unclosed: bool,
    crlf: bool,
    bom: bool,
    front_matter: bool,
    final_newline: bool,
    tight: bool,
}

impl Readme {
    fn render(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.front_matter {
            parts.push("---\ntitle: x\n---".into());
        }
        let last_fence = self
            .blocks
            .iter()
            .rposition(|b| matches!(b, Block::Fence(..)));
        for (index, block) in self.blocks.iter().enumerate() {
            parts.push(match block {
                Block::Atx(level, name, closed) => {
                    let hashes = "#".repeat(*level);
                    if *closed {
                        format!("{hashes} {name} {hashes}")
                    } else {
                        format!("{hashes} {name}")
                    }
                }
                Block::Setext(name, one) => {
                    format!("{name}\n{}", if *one { "=====" } else { "-----" })
                }
                Block::Html(level, name) => format!("<h{level} align=\"center\">{name}</h{level}>"),
                Block::Paragraph(lines) => lines.join("\n"),
                Block::List(items) => items
                    .iter()
                    .map(|i| format!("- {i}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::Fence(c, lines) => {
                    let fence: String = std::iter::repeat_n(*c, 3).collect();
                    let mut text = format!("{fence}text\n");
                    for line in lines {
                        // A line of the fence's own character would close it early; the
                        // generator keeps fences simple so the oracle below can track them.
                        if !line.starts_with(*c) {
                            text.push_str(line);
                            text.push('\n');
                        }
                    }
                    if !(self.unclosed && Some(index) == last_fence) {
                        text.push_str(&fence);
                    }
                    text.trim_end_matches('\n').to_owned()
                }
                Block::Break => "***".into(),
            });
        }
        let mut text = parts.join(if self.tight { "\n" } else { "\n\n" });
        if self.final_newline && !text.is_empty() {
            text.push('\n');
        }
        if self.crlf {
            text = text.replace('\n', "\r\n");
        }
        if self.bom {
            text.insert(0, '\u{feff}');
        }
        text
    }

    fn has_unclosed_fence(&self) -> bool {
        self.unclosed && self.blocks.iter().any(|b| matches!(b, Block::Fence(..)))
    }
}

fn readme() -> impl Strategy<Value = Readme> {
    (
        proptest::collection::vec(block(), 0..12),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(blocks, unclosed, crlf, bom, front_matter, final_newline, tight)| Readme {
                blocks,
                unclosed,
                crlf,
                bom,
                front_matter,
                final_newline,
                tight,
            },
        )
}

/// The lines of `text` outside fences, by a tracker independent of the engine: it only knows
/// the generator's fences (three backticks or tildes at the start of a line).
fn lines_outside_fences(text: &str) -> Vec<(usize, String)> {
    let mut open: Option<char> = None;
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r').trim_start_matches('\u{feff}');
        match open {
            Some(c) => {
                if line.starts_with(&std::iter::repeat_n(c, 3).collect::<String>())
                    && line.trim_matches(c).trim().is_empty()
                {
                    open = None;
                }
            }
            None if line.starts_with("```") && !line[3..].contains('`') => open = Some('`'),
            None if line.starts_with("~~~") => open = Some('~'),
            None => out.push((index, line.to_owned())),
        }
    }
    out
}

fn zebra(after: &[String]) -> SectionFix<'_> {
    SectionFix {
        synonyms: &[],
        after,
        before: &[],
        template: "## Zebra notes\n\nStripes.\n",
        within: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn insert_section_only_inserts_is_idempotent_and_applies(
        readme in readme(),
        anchors in proptest::collection::vec(proptest::sample::select(&["usage", "data", ":title", "notes", "missing"][..]), 0..3),
    ) {
        let old = readme.render();
        let after: Vec<String> = anchors.iter().map(|a| a.to_string()).collect();
        let outcome = insert_section(&old, &zebra(&after)).unwrap();
        let mentions_zebra = readme.blocks.iter().any(|b| matches!(b,
            Block::Atx(_, n, _) | Block::Setext(n, _) | Block::Html(_, n) if *n == HEADING));
        match outcome {
            SectionOutcome::Present { .. } => prop_assert!(mentions_zebra, "present without the heading:\n{old}"),
            SectionOutcome::Blocked { .. } => prop_assert!(readme.has_unclosed_fence(), "blocked without an open fence:\n{old}"),
            SectionOutcome::Inserted { text: new, .. } => {
                prop_assert!(only_insertions(old.as_bytes(), new.as_bytes()).is_ok(), "not an insertion:\n{old:?}\n{new:?}");
                // The new heading is outside every fence.
                let zebras = |text: &str| lines_outside_fences(text)
                    .iter()
                    .filter(|(_, l)| l.starts_with('#') && l.ends_with(HEADING))
                    .count();
                prop_assert_eq!(zebras(&new), zebras(&old) + 1, "the new heading is inside a fence:\n{}", new);
                // Never above the title: the first line stays the first line.
                let first_old = old.split('\n').next().unwrap_or("");
                prop_assert!(new.starts_with(first_old));
                // Idempotent.
                let again = insert_section(&new, &zebra(&after)).unwrap();
                prop_assert!(matches!(again, SectionOutcome::Present { .. }), "second run: {again:?}");
                // And the diff goes through git apply to the same bytes.
                let scratch = Scratch::new();
                let before: BTreeMap<String, Vec<u8>> = [("README.md".to_owned(), old.clone().into_bytes())].into();
                let diff = openly::fix::diff::file_diff("README.md", Some(old.as_bytes()), new.as_bytes());
                let applied = scratch.apply(&before, &diff);
                prop_assert!(applied.is_ok(), "git apply refused: {:?}\n{}", applied, String::from_utf8_lossy(&diff));
                prop_assert_eq!(&applied.unwrap()["README.md"], &new.into_bytes());
            }
        }
    }

    #[test]
    fn every_readme_fix_together_applies_and_a_second_run_is_empty(readme in readme()) {
        let files: BTreeMap<String, Vec<u8>> = [("README.md".to_owned(), readme.render().into_bytes())].into();
        let fixes = readme_fixes();
        let values = Values::default();
        let lookup = template::builtin;
        let rule_fixes: Vec<RuleFix> = fixes
            .iter()
            .map(|(rule, spec)| RuleFix { rule, reason: "test", spec, headings: &[] })
            .collect();
        let mut planner = Planner::new(&files, &values, &lookup);
        for planned in planner.plan_all(&rule_fixes).unwrap() {
            if let Planned::Blocked { .. } = planned {
                prop_assert!(readme.has_unclosed_fence());
            }
        }
        let changes = planner.finish();
        if !changes.is_empty() {
            Scratch::new().check(&files, &changes);
            let mut fixed = files.clone();
            changes.apply_to(&mut fixed);
            only_insertions(&files["README.md"], &fixed["README.md"]).unwrap();
            let mut again = Planner::new(&fixed, &values, &lookup);
            let outcomes = again.plan_all(&rule_fixes).unwrap();
            let again = again.finish();
            prop_assert!(
                again.is_empty(),
                "second run: {:?}\n{}",
                outcomes,
                String::from_utf8_lossy(&again.diff())
            );
        }
    }
}

fn readme_fixes() -> Vec<(String, FixSpec)> {
    let section = |template: &str,
                   after: &[&str],
                   before: &[&str],
                   within: &[&str],
                   within_template: Option<&str>| {
        FixSpec::InsertSection {
            template: template.into(),
            path: None,
            after: after.iter().map(|s| s.to_string()).collect(),
            before: before.iter().map(|s| s.to_string()).collect(),
            headings: vec![],
            within: within.iter().map(|s| s.to_string()).collect(),
            within_template: within_template.map(str::to_owned),
        }
    };
    vec![
        (
            "licence/docs-ogl".into(),
            section(
                "readme-licence",
                &["contact", "data"],
                &["disclaimer"],
                &["licence", "license"],
                Some("readme-docs-licence"),
            ),
        ),
        (
            "readme/purpose".into(),
            section("readme-about", &[TITLE_ANCHOR], &[], &[], None),
        ),
        (
            "readme/usage".into(),
            section(
                "readme-usage",
                &["installation", "about", TITLE_ANCHOR],
                &[],
                &[],
                None,
            ),
        ),
        (
            "readme/data".into(),
            section(
                "readme-data",
                &["usage"],
                &["contact", "licence"],
                &[],
                None,
            ),
        ),
        (
            "data/dummy-available".into(),
            section(
                "readme-dummy-data",
                &["usage"],
                &["contact", "licence"],
                &["data"],
                None,
            ),
        ),
        (
            "readme/disclaimer".into(),
            section("readme-disclaimer", &["licence", "license"], &[], &[], None),
        ),
    ]
}

#[test]
fn diffs_git_is_picky_about() {
    let scratch = Scratch::new();
    let files: BTreeMap<String, Vec<u8>> = [
        (
            "README.md".to_owned(),
            b"\xef\xbb\xbf# T\r\n\r\nIntro".to_vec(),
        ),
        ("docs/a b.md".to_owned(), b"# A\n\ntext".to_vec()),
        ("docs/été.md".to_owned(), "# É\n".as_bytes().to_vec()),
        (".gitignore".to_owned(), b"node_modules/\r\n*.log".to_vec()),
    ]
    .into();
    let values = Values::default();
    let lookup = |name: &str| match name {
        "empty" => Some(String::new()),
        "one-line" => Some("no newline at the end".to_owned()),
        other => template::builtin(other),
    };
    let mut planner = Planner::new(&files, &values, &lookup);
    let data = |path: Option<&str>| FixSpec::InsertSection {
        template: "readme-data".into(),
        path: path.map(str::to_owned),
        after: vec![],
        before: vec![],
        headings: vec![],
        within: vec![],
        within_template: None,
    };
    let specs = [
        data(None),
        data(Some("docs/a b.md")),
        data(Some("docs/été.md")),
        FixSpec::AppendLines {
            path: ".gitignore".into(),
            template: "gitignore-secrets".into(),
        },
        FixSpec::CreateFile {
            path: "LICENSE".into(),
            template: "mit-licence".into(),
            unless: vec![],
        },
        FixSpec::CreateFile {
            path: "docs/empty.txt".into(),
            template: "empty".into(),
            unless: vec![],
        },
        FixSpec::CreateFile {
            path: "docs/one line.txt".into(),
            template: "one-line".into(),
            unless: vec![],
        },
    ];
    for spec in &specs {
        let planned = planner
            .plan(RuleFix {
                rule: "x/y",
                reason: "test",
                spec,
                headings: &[],
            })
            .unwrap();
        assert!(
            matches!(planned, Planned::Changed { .. }),
            "{spec:?}: {planned:?}"
        );
    }
    let changes = planner.finish();
    scratch.check(&files, &changes);
    let mut fixed = files.clone();
    changes.apply_to(&mut fixed);
    assert!(fixed["README.md"].starts_with(b"\xef\xbb\xbf# T\r\n\r\nIntro\r\n\r\n## Data\r\n"));
    assert!(fixed[".gitignore"].starts_with(b"node_modules/\r\n*.log\r\n\r\n# Secrets"));
    // A diff that does not fit is refused by git: the check above can fail.
    let mut wrong = files.clone();
    wrong.insert("README.md".into(), b"# Other\n".to_vec());
    assert!(scratch.apply(&wrong, &changes.diff()).is_err());
}
