//! Bad configuration: every problem in a pack is reported at once with file:line:col, the exit
//! code is 78 and nothing is audited. Good custom packs and repository configs take effect.

mod common;

use common::{audit_json, openly, outcome, write};
use predicates::prelude::*;

const BROKEN_PACK: &str = r#"[pack]
name = "broken"
version = "1"

[[rules]]
id = "licence/present"
title = "Licence"
severity = "fatal"
weight = 10
message = "m"
help = "h"
check = { kind = "builtin", name = "licence-present" }

[[rules]]
id = "Readme_Present"
title = "Readme"
severity = "error"
weight = 10
message = "m"
help = "h"
check = { kind = "file-exists", globs = ["README*"] }

[[rules]]
id = "hygiene/bad-regex"
title = "Bad"
severity = "warning"
weight = 1
message = "m"
help = "h"
colour = "blue"
check = { kind = "file-contains", globs = ["*.py"], pattern = "(unclosed" }

[[rules]]
id = "hygiene/needs-ghost"
title = "Needs"
severity = "warning"
weight = 1
message = "m"
help = "h"
requires = "hygiene/ghost"
check = { kind = "builtin", name = "no-such-analyzer" }

[[rules]]
id = "hygiene/orphan"
title = "Orphan"
severity = "warning"
weight = -3
message = "m"
help = "h"
requires = "hygiene/ghost"
check = { kind = "file-exists", globs = ["a"], pattern = "x" }
"#;

#[test]
fn every_mistake_in_a_pack_is_reported_with_its_location_and_exit_78() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pack.toml", BROKEN_PACK);
    let output = openly()
        .args(["audit", "fixtures/org/no-licence", "--rules"])
        .arg(dir.path().join("pack.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(78));
    assert!(output.stdout.is_empty(), "nothing is audited");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let file = dir.path().join("pack.toml").display().to_string();
    for expected in [
        format!("{file}:8:12: unknown severity `fatal`"),
        format!("{file}:15:6: rule id `Readme_Present`"),
        format!("{file}:30:1: unknown field `colour`"),
        format!("{file}:41:36: unknown built-in analyzer `no-such-analyzer`"),
        format!("{file}:47:10: weight must be a number"),
        format!("{file}:51:58: `pattern` does not apply to a `file-exists` check"),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing `{expected}` in:\n{stderr}"
        );
    }
}

#[test]
fn syntax_errors_are_located_too() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pack.toml",
        "[pack]\nname = \"x\"\n\n[[rules]]\nid = \"licence/present\nweight = 1\n",
    );
    openly()
        .args(["rules", "--rules"])
        .arg(dir.path().join("pack.toml"))
        .assert()
        .code(78)
        .stderr(predicate::str::contains("pack.toml:5:"));
}

#[test]
fn unknown_requires_is_reported_after_merging() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pack.toml",
        "[pack]\nextends = \"playbook\"\n\n[[rules]]\nid = \"hygiene/x\"\ntitle = \"t\"\nseverity = \"info\"\nweight = 1\nmessage = \"m\"\nhelp = \"h\"\nrequires = \"hygiene/ghost\"\ncheck = { kind = \"file-exists\", globs = [\"x\"] }\n",
    );
    openly()
        .args(["rules", "--rules"])
        .arg(dir.path().join("pack.toml"))
        .assert()
        .code(78)
        .stderr(predicate::str::contains(
            "pack.toml:4:1: rule `hygiene/x` requires unknown rule `hygiene/ghost`",
        ));
}

#[test]
fn a_custom_pack_that_extends_the_playbook_adds_and_overrides_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "org.toml",
        r#"[pack]
name = "acme-trust"
version = "2.1"
extends = "playbook"

[overrides]
"community/codeowners" = { enabled = false }
"readme/status" = { severity = "error", weight = 7 }

[[rules]]
id = "hygiene/no-xlsx"
title = "No spreadsheets"
severity = "warning"
weight = 2
message = "Spreadsheets are committed."
help = "Remove them."
check = { kind = "file-absent", globs = ["**/*.xlsx"] }
"#,
    );
    let pack = dir.path().join("org.toml");
    let report = audit_json(&["fixtures/org/no-licence", "--rules", pack.to_str().unwrap()]);
    assert_eq!(report["rule_pack"]["name"], "acme-trust");
    assert_eq!(outcome(&report, "hygiene/no-xlsx"), "pass");
    let status = common::finding(&report, "readme/status");
    assert_eq!(status["severity"], "error");
    assert_eq!(status["weight"], 7.0);
    let rules: Vec<&str> = report["repos"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"community/codeowners"));
    assert!(
        rules.contains(&"licence/present"),
        "extends keeps the parent's rules"
    );
}

#[test]
fn a_pack_without_extends_replaces_the_default() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "only.toml",
        "[pack]\nname = \"only\"\n\n[[rules]]\nid = \"readme/present\"\ntitle = \"README\"\nseverity = \"error\"\nweight = 1\nmessage = \"none\"\nhelp = \"add one\"\ncheck = { kind = \"file-exists\", globs = [\"README*\"] }\n",
    );
    let report = audit_json(&[
        "fixtures/org/no-licence",
        "--rules",
        dir.path().join("only.toml").to_str().unwrap(),
    ]);
    assert_eq!(report["repos"][0]["findings"].as_array().unwrap().len(), 1);
    assert_eq!(report["repos"][0]["score"], 100.0);
}

#[test]
fn a_repository_config_waives_with_a_reason_and_a_broken_one_exits_78() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# Tool\n");
    write(
        dir.path(),
        ".openly.toml",
        "[[allow]]\nrule = \"licence/present\"\nreason = \"Published under the parent project's licence.\"\n",
    );
    let report = audit_json(&[dir.path().to_str().unwrap()]);
    let licence = common::finding(&report, "licence/present");
    assert_eq!(licence["outcome"], "waived");
    assert_eq!(
        licence["waiver"],
        "Published under the parent project's licence."
    );

    write(
        dir.path(),
        ".openly.toml",
        "[[allow]]\nrule = \"licence/present\"\n\n[overrides]\n\"readme/nope\" = { weight = 1 }\n",
    );
    openly()
        .arg("audit")
        .arg(dir.path())
        .assert()
        .code(78)
        .stderr(
            predicate::str::contains(".openly.toml:1:1: an allow entry needs a `reason`").and(
                predicate::str::contains(
                    ".openly.toml:5:1: override of unknown rule `readme/nope`",
                ),
            ),
        );
}

/// A repository config that cannot be read is a configuration error like an invalid one: the
/// exit code comes from the error's kind, not from how its message starts.
#[test]
fn an_unreadable_repository_config_exits_78_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# Tool\n");
    write(
        dir.path(),
        ".openly.toml",
        b"\0\x01binary, not TOML\0".as_slice(),
    );
    let output = openly()
        .arg("audit")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(".openly.toml:1:1: cannot read"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["repos"][0]["error_kind"], "config");
    assert_eq!(report["summary"]["errored"], 1);
}

/// An unreadable `--rules` file is a configuration error too.
#[test]
fn an_unreadable_rules_file_exits_78() {
    let dir = tempfile::tempdir().unwrap();
    openly()
        .arg("audit")
        .arg("fixtures/org/no-licence")
        .arg("--rules")
        .arg(dir.path().join("missing.toml"))
        .assert()
        .code(78)
        .stderr(predicate::str::contains("missing.toml:1:1: cannot read"));
}
