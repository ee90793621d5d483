//! The NHS licence layouts in `fixtures/licence/`, audited by the real binary: which licences
//! apply to code, documentation and data, where each was declared, how confidently, and what
//! each `licence/*` rule says. These are the layouts issue 5 names; a change in any verdict
//! here is a change users will see.

mod common;

use common::{audit_json, openly};

/// One expected licence fact: scope, SPDX id, path, `declared_in`, lowest confidence.
type Fact = (&'static str, &'static str, &'static str, &'static str, f64);

const RULES: [&str; 7] = [
    "present",
    "identified",
    "approved",
    "docs-ogl",
    "crown-copyright",
    "placeholders",
    "consistent",
];

fn audit(name: &str) -> serde_json::Value {
    audit_json(&[&format!("fixtures/licence/{name}")])
}

/// Asserts the licence facts, exactly and in order, and the outcome of every licence rule.
fn check(name: &str, facts: &[Fact], outcomes: [&str; 7]) -> serde_json::Value {
    let report = audit(name);
    let repo = &report["repos"][0];
    let got = repo["facts"]["licences"]
        .as_array()
        .expect("facts.licences");
    let summary: Vec<String> = got
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["scope"], f["spdx"], f["path"], f["declared_in"], f["confidence"]
            )
        })
        .collect();
    assert_eq!(got.len(), facts.len(), "{name}: {summary:#?}");
    for (fact, (scope, spdx, path, declared_in, least)) in got.iter().zip(facts) {
        assert_eq!(fact["scope"], *scope, "{name}: {summary:#?}");
        assert_eq!(fact["spdx"], *spdx, "{name}: {summary:#?}");
        assert_eq!(fact["path"], *path, "{name}: {summary:#?}");
        assert_eq!(fact["declared_in"], *declared_in, "{name}: {summary:#?}");
        let confidence = fact["confidence"].as_f64().expect("confidence");
        assert!(
            (*least..=1.0).contains(&confidence),
            "{name}: {spdx} in {path} at {confidence}, expected at least {least}"
        );
    }
    for (rule, expected) in RULES.iter().zip(outcomes) {
        let id = format!("licence/{rule}");
        assert_eq!(
            common::outcome(&report, &id),
            expected,
            "{name}: {id}: {}",
            common::finding(&report, &id)["message"]
        );
    }
    report
}

fn message(report: &serde_json::Value, rule: &str) -> String {
    common::finding(report, rule)["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn mit_file_and_ogl_readme_statement() {
    check(
        "mit-readme-ogl",
        &[
            ("code", "MIT", "LICENSE", "file", 0.99),
            ("code", "MIT", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.95),
        ],
        ["pass"; 7],
    );
}

#[test]
fn licence_file_plus_ogl_file() {
    check(
        "licence-plus-ogl-file",
        &[
            ("code", "MIT", "LICENSE", "file", 0.99),
            ("docs", "OGL-UK-3.0", "LICENSE-OGL", "file", 0.99),
        ],
        ["pass"; 7],
    );
}

#[test]
fn r_stub_plus_licence_md() {
    let report = check(
        "r-stub",
        &[
            ("code", "MIT", "LICENSE.md", "file", 0.99),
            ("code", "MIT", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.95),
            ("code", "MIT", "DESCRIPTION", "description", 1.0),
        ],
        ["pass"; 7],
    );
    // The stub is no licence text, but it names the holder.
    let evidence = &common::finding(&report, "licence/identified")["evidence"];
    assert!(
        evidence.to_string().contains("R licence stub"),
        "{evidence}"
    );
    let crown = &common::finding(&report, "licence/crown-copyright")["evidence"];
    assert!(crown.to_string().contains("COPYRIGHT HOLDER"), "{crown}");
}

/// An R package under a licence R ships (`License: GPL (>= 2)`) has no licence file: CRAN
/// asks packages not to copy those texts, and DESCRIPTION is the grant (phsmethods). Its
/// licence is present and identified; the policy then judges GPL-2.0-or-later.
#[test]
fn r_package_under_a_licence_r_ships_needs_no_file() {
    let report = check(
        "r-gpl-description",
        &[
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.9),
            (
                "code",
                "GPL-2.0-or-later",
                "DESCRIPTION",
                "description",
                1.0,
            ),
        ],
        ["pass", "pass", "fail", "pass", "pass", "pass", "pass"],
    );
    assert_eq!(
        message(&report, "licence/present"),
        "No licence file, but DESCRIPTION declares a licence R ships"
    );
    let evidence = &common::finding(&report, "licence/present")["evidence"][0];
    assert_eq!(evidence["path"], "DESCRIPTION");
    assert_eq!(evidence["line"], 6);
    // `MIT + file LICENSE` needs the holder's file: without it, nothing is granted.
    let dir = tempfile::tempdir().unwrap();
    for name in ["DESCRIPTION", "NAMESPACE", "README.md", "R/age_band.R"] {
        let from = std::path::Path::new("fixtures/licence/r-gpl-description").join(name);
        let to = dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(from).unwrap();
        std::fs::write(to, text.replace("GPL (>= 2)", "MIT + file LICENSE")).unwrap();
    }
    let report = audit_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(common::outcome(&report, "licence/present"), "fail");
}

/// pkgdown builds the package's site into `docs/` with the root licence rendered as
/// `LICENSE.html` inside the site's navigation; NHS-R packages commit it for GitHub Pages.
/// It is no licence of the documentation's own, and no text matches it.
#[test]
fn pkgdown_site_licence_pages_are_not_licence_files() {
    let report = check(
        "r-pkgdown-site",
        &[
            ("code", "MIT", "LICENSE.md", "file", 0.99),
            ("code", "MIT", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.95),
            ("code", "MIT", "DESCRIPTION", "description", 1.0),
        ],
        ["pass"; 7],
    );
    let identified = common::finding(&report, "licence/identified").to_string();
    assert!(!identified.contains("docs/LICENSE"), "{identified}");
}

/// NHS Digital's API template says the code "is dual licensed under the MIT license and the
/// OGL" beside an MIT LICENSE: the README adds a licence, it does not contradict the file.
#[test]
fn a_dual_licence_sentence_naming_the_file_licence_is_consistent() {
    let report = audit("dual-readme-statement");
    assert_eq!(
        common::outcome(&report, "licence/consistent"),
        "pass",
        "{}",
        common::finding(&report, "licence/consistent")["message"]
    );
    let facts = report["repos"][0]["facts"]["licences"].to_string();
    assert!(facts.contains("dual licensed"), "{facts}");
}

#[test]
fn ogl_only_documentation() {
    check(
        "ogl-only-docs",
        &[
            ("docs", "OGL-UK-3.0", "LICENCE", "file", 0.99),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.9),
        ],
        [
            "pass",
            "pass",
            "not-applicable",
            "pass",
            "pass",
            "pass",
            "pass",
        ],
    );
}

#[test]
fn licence_only_in_the_readme() {
    let report = check(
        "readme-only",
        &[("code", "MIT", "README.md", "readme", 0.95)],
        [
            "fail",
            "not-applicable",
            "not-applicable",
            "fail",
            "not-applicable",
            "not-applicable",
            "not-applicable",
        ],
    );
    assert_eq!(report["repos"][0]["facts"]["licences"][0]["line"], 7);
}

#[test]
fn dual_mit_apache() {
    let report = check(
        "dual-mit-apache",
        &[
            ("code", "Apache-2.0", "LICENSE-APACHE", "file", 0.99),
            ("code", "MIT", "LICENSE-MIT", "file", 0.99),
            // "either of … at your option": the choice, not two licences.
            ("code", "Apache-2.0 OR MIT", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.9),
            ("code", "MIT OR Apache-2.0", "Cargo.toml", "cargo", 1.0),
            (
                "code",
                "MIT OR Apache-2.0",
                "src/lib.rs",
                "spdx-header",
                1.0,
            ),
        ],
        ["pass"; 7],
    );
    // The choice between the two files is the expression (the README's, declared first), and
    // MIT satisfies it.
    let evidence = common::finding(&report, "licence/approved")["evidence"].to_string();
    assert!(evidence.contains("Apache-2.0 OR MIT"), "{evidence}");
}

#[test]
fn agpl_with_additional_terms() {
    let report = check(
        "agpl-additional-terms",
        &[("code", "AGPL-3.0-only", "LICENSE", "file", 0.99)],
        ["pass", "pass", "fail", "fail", "fail", "pass", "pass"],
    );
    let approved = message(&report, "licence/approved");
    assert!(
        approved.contains("AGPL-3.0-only") && approved.contains("allowed: MIT"),
        "{approved}"
    );
    // The FSF's notice on the licence text names nobody who owns this work.
    let crown = message(&report, "licence/crown-copyright");
    assert!(crown.starts_with("No copyright notice"), "{crown}");
}

#[test]
fn cc0_for_data() {
    check(
        "cc0-data",
        &[
            ("code", "MIT", "LICENSE", "file", 0.99),
            ("data", "CC0-1.0", "data/LICENSE", "file", 0.99),
            ("code", "MIT", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.95),
        ],
        ["pass"; 7],
    );
}

#[test]
fn metadata_disagreeing_with_an_unfilled_template() {
    let report = check(
        "template-conflict",
        &[
            ("code", "MIT", "LICENSE", "file", 0.99),
            ("code", "GPL-3.0-only", "DESCRIPTION", "description", 1.0),
        ],
        ["pass", "pass", "pass", "fail", "fail", "fail", "fail"],
    );
    let consistent = message(&report, "licence/consistent");
    assert!(
        consistent.contains("LICENSE says MIT")
            && consistent.contains("DESCRIPTION:5 says GPL-3.0-only"),
        "{consistent}"
    );
    let evidence = common::finding(&report, "licence/consistent")["evidence"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(evidence, 2, "both declarations are shown");
    let placeholders = message(&report, "licence/placeholders");
    assert!(placeholders.contains("LICENSE:3"), "{placeholders}");
}

#[test]
fn exceptions_need_a_reason_and_packs_set_their_own_list() {
    let dir = tempfile::tempdir().unwrap();
    let apache = include_str!("../fixtures/licence/dual-mit-apache/LICENSE-APACHE");
    common::write(dir.path(), "repo/LICENSE", apache);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    let target = dir.path().join("repo");
    let report = audit_json(&[target.to_str().unwrap()]);
    assert_eq!(common::outcome(&report, "licence/approved"), "needs-review");
    assert!(message(&report, "licence/approved").contains("state the reason"));

    // An organisation that allows Apache-2.0 outright.
    let pack = dir.path().join("org.toml");
    std::fs::write(
        &pack,
        "[pack]\nname = \"org\"\nversion = \"1\"\nextends = \"playbook\"\n\n[overrides]\n\"licence/approved\" = { params = { allowed = [\"MIT\", \"Apache-2.0\"] } }\n",
    )
    .unwrap();
    let report = audit_json(&[target.to_str().unwrap(), "--rules", pack.to_str().unwrap()]);
    assert_eq!(common::outcome(&report, "licence/approved"), "pass");

    // A typo in the list is a configuration error, found before anything is audited.
    std::fs::write(
        &pack,
        "[pack]\nname = \"org\"\nversion = \"1\"\nextends = \"playbook\"\n\n[overrides]\n\"licence/approved\" = { params = { allowed = [\"MTI\"] } }\n",
    )
    .unwrap();
    let output = openly()
        .args(["audit", target.to_str().unwrap(), "--rules"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("MTI"), "{stderr}");
}

#[test]
fn text_report_names_licences_by_scope() {
    let output = openly()
        .args(["audit", "fixtures/licence/cc0-data"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "licences: code MIT (LICENSE, 1.00) · data CC0-1.0 (data/LICENSE, 1.00) · docs OGL-UK-3.0 (README.md:9, readme, 0.95)"
        ),
        "{text}"
    );
}

// ───────────── round 2: licence-named files, deprecated ids, CeCILL, PostgreSQL ─────────────

#[test]
fn mit_file_named_after_its_licence_next_to_an_ogl_licence() {
    let report = check(
        "ogl-licence-mit-named",
        &[
            ("docs", "OGL-UK-3.0", "LICENSE", "file", 0.99),
            ("code", "MIT", "MIT-LICENSE.md", "file", 0.99),
            ("code", "MIT", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.9),
        ],
        ["pass"; 7],
    );
    // A source-header template, a licence checker, the dependencies' licence list and a
    // docs page about choosing licences are no licence files.
    let present = common::finding(&report, "licence/present")["evidence"].to_string();
    for not_a_licence in [
        "LICENSE_HEADER",
        "license-checker.js",
        "licenses.json",
        "docs/licence.md",
    ] {
        assert!(
            !present.contains(not_a_licence),
            "{not_a_licence}: {present}"
        );
    }
    assert!(present.contains("MIT-LICENSE.md"), "{present}");
}

#[test]
fn copying_lesser_and_ogl_txt() {
    let report = check(
        "lgpl-copying-ogl-txt",
        &[
            ("code", "GPL-3.0-only", "COPYING", "file", 0.99),
            ("code", "LGPL-3.0-only", "COPYING.LESSER", "file", 0.99),
            ("docs", "OGL-UK-3.0", "OGL.txt", "file", 0.99),
            ("code", "LGPL-3.0-only", "README.md", "readme", 0.9),
            ("docs", "OGL-UK-3.0", "README.md", "readme", 0.9),
        ],
        ["pass", "pass", "fail", "pass", "pass", "pass", "pass"],
    );
    assert!(
        message(&report, "licence/approved").contains("LGPL-3.0-only"),
        "{}",
        message(&report, "licence/approved")
    );
}

/// Every licence id in the report parses as current SPDX: the strict parser rejects
/// deprecated ids, and it is not the code that replaces them.
fn assert_current_ids(report: &serde_json::Value) {
    for fact in report["repos"][0]["facts"]["licences"]
        .as_array()
        .expect("facts.licences")
    {
        let id = fact["spdx"].as_str().expect("spdx");
        assert!(
            spdx::Expression::parse(id).is_ok(),
            "not current SPDX: {id}"
        );
    }
}

#[test]
fn deprecated_freebsd_id_everywhere_becomes_bsd_2_clause_views() {
    let report = check(
        "deprecated-ids",
        &[
            ("code", "BSD-2-Clause-Views", "LICENSE", "file", 0.95),
            ("code", "BSD-2-Clause-Views", "README.md", "readme", 0.95),
            (
                "code",
                "BSD-2-Clause-Views",
                "pyproject.toml",
                "pyproject",
                1.0,
            ),
            (
                "code",
                "BSD-2-Clause-Views",
                "package.json",
                "package-json",
                1.0,
            ),
            (
                "code",
                "BSD-2-Clause-Views",
                "src/index.js",
                "spdx-header",
                1.0,
            ),
        ],
        ["pass", "pass", "fail", "fail", "fail", "pass", "pass"],
    );
    // The excerpts still quote what the files say.
    assert_current_ids(&report);
}

#[test]
fn deprecated_gnu_ids_become_only_or_or_later() {
    let report = check(
        "deprecated-gnu",
        &[
            // A bare licence text with no notice of its own is "only".
            ("code", "GPL-3.0-only", "LICENSE", "file", 0.99),
            ("code", "GPL-3.0-or-later", "README.md", "readme", 0.9),
            (
                "code",
                "GPL-3.0-or-later",
                "DESCRIPTION",
                "description",
                1.0,
            ),
            ("code", "GPL-3.0-or-later", "R/waits.R", "spdx-header", 1.0),
        ],
        [
            "pass",
            "pass",
            "needs-review",
            "fail",
            "fail",
            "pass",
            "pass",
        ],
    );
    assert_current_ids(&report);
}

#[test]
fn french_cecill_text() {
    check(
        "cecill-french",
        &[("code", "CECILL-2.1", "LICENCE", "file", 0.99)],
        ["pass", "pass", "fail", "fail", "fail", "pass", "pass"],
    );
}

#[test]
fn postgresql_licence_naming_its_holder() {
    check(
        "postgresql-named-holder",
        &[("code", "PostgreSQL", "LICENSE", "file", 0.99)],
        ["pass", "pass", "fail", "fail", "fail", "pass", "pass"],
    );
}

/// The ids and scopes of a report's licence facts, as "scope spdx path declared_in".
fn fact_lines(report: &serde_json::Value) -> Vec<String> {
    report["repos"][0]["facts"]["licences"]
        .as_array()
        .expect("facts.licences")
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["scope"].as_str().unwrap_or_default(),
                f["spdx"].as_str().unwrap_or_default(),
                f["path"].as_str().unwrap_or_default(),
                f["declared_in"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

const MIT: &str = include_str!("../fixtures/licence/mit-readme-ogl/LICENSE");
const OGL: &str = include_str!("../fixtures/licence/licence-plus-ogl-file/LICENSE-OGL");
const APACHE: &str = include_str!("../fixtures/licence/dual-mit-apache/LICENSE-APACHE");

/// An invented repository with an MIT LICENSE, a script, and `readme` as its README.
fn audit_with_readme(readme: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "repo/LICENSE", MIT);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    common::write(dir.path(), "repo/README.md", readme);
    let target = dir.path().join("repo");
    audit_json(&[target.to_str().unwrap()])
}

/// The version a link or badge gives decides what an unversioned "Open Government Licence"
/// or "OGL" beside it means: v2 documentation must not also count as v3 and pass
/// `licence/docs-ogl`.
#[test]
fn an_unversioned_ogl_name_takes_the_version_of_its_link_or_badge() {
    for statement in [
        "Documentation © Crown copyright, [Open Government Licence](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/).",
        "[![OGL](https://img.shields.io/badge/license-OGL%20v2.0-blue)](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/)",
        "The documentation is © Crown copyright and available under the Open Government Licence: http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/",
    ] {
        let report = audit_with_readme(&format!("# tool\n\n## Licence\n\n{statement}\n"));
        let facts = fact_lines(&report);
        assert!(
            facts.contains(&"docs OGL-UK-2.0 README.md readme".to_owned()),
            "{statement}: {facts:#?}"
        );
        assert!(
            !facts.iter().any(|f| f.contains("OGL-UK-3.0")),
            "{statement}: {facts:#?}"
        );
        assert_eq!(
            common::outcome(&report, "licence/docs-ogl"),
            "fail",
            "{statement}"
        );
    }
    // With no version anywhere, the name still means the current OGL.
    let report = audit_with_readme(
        "# tool\n\n## Licence\n\nThe documentation is © Crown copyright and available under the Open Government Licence.\n",
    );
    assert_eq!(common::outcome(&report, "licence/docs-ogl"), "pass");
}

/// MIT for the code and the OGL for the documentation in one LICENSE.md, under headings and a
/// rule: both are found, though the file is barely longer than the OGL alone.
#[test]
fn two_licences_under_headings_in_one_file_are_both_found() {
    let dir = tempfile::tempdir().unwrap();
    let ogl_body = OGL.split_once('\n').map_or(OGL, |(_, body)| body);
    let file = format!(
        "# Licences\n\n## Code: MIT License\n\n{}\n---\n\n## Documentation: Open Government Licence v3.0\n\n© Crown copyright\n{ogl_body}",
        MIT.split_once('\n').map_or(MIT, |(_, body)| body)
    );
    common::write(dir.path(), "repo/LICENSE.md", file);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    let target = dir.path().join("repo");
    let report = audit_json(&[target.to_str().unwrap()]);
    let facts = fact_lines(&report);
    assert_eq!(
        facts,
        [
            "code MIT LICENSE.md file",
            "docs OGL-UK-3.0 LICENSE.md file"
        ],
        "{facts:#?}"
    );
    for rule in ["identified", "approved", "docs-ogl"] {
        let id = format!("licence/{rule}");
        assert_eq!(common::outcome(&report, &id), "pass", "{id}");
    }
}

/// "Either of the Apache License or the MIT license, at your option" beside a file for each
/// is the choice `Apache-2.0 OR MIT`, as it is in package metadata: MIT satisfies the policy.
#[test]
fn a_choice_stated_in_the_readme_is_an_expression() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "repo/LICENSE-MIT", MIT);
    common::write(dir.path(), "repo/LICENSE-APACHE", APACHE);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    common::write(
        dir.path(),
        "repo/README.md",
        "# tool\n\n## Licence\n\nLicensed under either of the Apache License, Version 2.0 or the MIT license, at your option.\n",
    );
    let target = dir.path().join("repo");
    let report = audit_json(&[target.to_str().unwrap()]);
    let facts = fact_lines(&report);
    assert!(
        facts.contains(&"code Apache-2.0 OR MIT README.md readme".to_owned()),
        "{facts:#?}"
    );
    assert_eq!(
        common::outcome(&report, "licence/approved"),
        "pass",
        "{}",
        common::finding(&report, "licence/approved")["message"]
    );
    assert_eq!(common::outcome(&report, "licence/consistent"), "pass");
}

/// A root `license/` folder holds the licence as `LICENSES/` does for REUSE; a `licenses/`
/// folder's README and its dependencies' licences are not the project's licence.
#[test]
fn licence_texts_in_a_lowercase_licence_folder() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "repo/license/MIT.txt", MIT);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    let target = dir.path().join("repo");
    let report = audit_json(&[target.to_str().unwrap()]);
    assert_eq!(common::outcome(&report, "licence/present"), "pass");
    assert_eq!(fact_lines(&report), ["code MIT license/MIT.txt file"]);
    assert_eq!(common::outcome(&report, "licence/approved"), "pass");

    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "repo/licenses/README.md",
        "Licences of the bundled fonts.\n",
    );
    common::write(dir.path(), "repo/licenses/third-party/font.txt", APACHE);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    let target = dir.path().join("repo");
    let report = audit_json(&[target.to_str().unwrap()]);
    assert_eq!(common::outcome(&report, "licence/present"), "fail");
}

/// MIT with its grant narrowed to non-commercial use scores 0.97 against MIT, but it is not
/// MIT, nor open source: it is reported as a modified licence, never approved as MIT.
#[test]
fn a_restriction_written_into_a_permissive_licence_is_not_that_licence() {
    let dir = tempfile::tempdir().unwrap();
    let modified = MIT.replace("without restriction", "for non-commercial purposes only");
    assert_ne!(
        modified, MIT,
        "the fixture's grant says \"without restriction\""
    );
    common::write(dir.path(), "repo/LICENSE", modified);
    common::write(dir.path(), "repo/main.py", "print('hello')\n");
    let target = dir.path().join("repo");
    let report = audit_json(&[target.to_str().unwrap()]);
    let facts = fact_lines(&report);
    assert!(!facts.iter().any(|f| f.contains(" MIT ")), "{facts:#?}");
    assert_eq!(common::outcome(&report, "licence/identified"), "fail");
    let why = message(&report, "licence/identified");
    assert!(
        why.contains("a modified MIT") && why.contains("non-commercial purposes only"),
        "{why}"
    );
    assert_ne!(common::outcome(&report, "licence/approved"), "pass");
}
