//! No deprecated SPDX id can come out of the engine, whichever way it came in: every id the
//! store can produce (each entry with each kind of notice), and every id of the SPDX list, as
//! written and with a GNU `+`, through SPDX headers, package metadata and README statements.
//! The oracle is the `spdx` crate's strict parser, which rejects deprecated ids; it shares no
//! code with the mapping under test.

use super::current::NO_REPLACEMENT;
use super::identify::final_id;
use super::store::index;
use super::*;
use crate::model::facts::licence::{LicenceFact, NOASSERTION};

/// A fact's id is current: `NOASSERTION`/`NONE`, or an expression the strict parser accepts,
/// or one of the deprecated ids SPDX gives no replacement for.
fn is_current(expr: &str) -> bool {
    let kept = NO_REPLACEMENT
        .iter()
        .fold(expr.to_owned(), |e, id| e.replace(id, "MIT"));
    expr == NOASSERTION || expr == "NONE" || spdx::Expression::parse(&kept).is_ok()
}

#[test]
fn store_emits_current_ids_only() {
    let notices = [
        "",
        "This program is free software; either version 3 of the License, or (at your option) any later version.",
        "with no Invariant Sections, no Front-Cover Texts, and no Back-Cover Texts.",
        "GPL-2.0+",
    ];
    let mut bad = Vec::new();
    for v in &index().variants {
        for notice in notices {
            let id = final_id(v.name, v.kind, notice);
            if !is_current(&id) {
                bad.push(format!("{} ({:?}) -> {id}", v.name, v.kind));
            }
        }
    }
    bad.dedup();
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Every listed id as written, and GNU ids with `+`, in each place a repository declares one.
fn inputs() -> Vec<String> {
    let mut out = Vec::new();
    for l in spdx::identifiers::LICENSES.iter() {
        out.push(l.name.to_owned());
        if spdx::license_id(l.name).is_some_and(|id| id.is_gnu()) && !l.name.ends_with('+') {
            out.push(format!("{}+", l.name));
        }
    }
    out
}

fn declarations(id: &str) -> Vec<LicenceFact> {
    let mut facts = Vec::new();
    facts.extend(from_spdx_headers(
        "src/a.py",
        &format!("# SPDX-License-Identifier: {id}\n"),
    ));
    facts.extend(from_spdx_headers(
        "src/b.c",
        &format!("/* SPDX-License-Identifier: {id} OR MIT */\n"),
    ));
    facts.extend(from_package_json(
        "package.json",
        &format!("{{\"name\": \"x\", \"license\": \"{id}\"}}"),
    ));
    facts.extend(from_pyproject(
        "pyproject.toml",
        &format!("[project]\nname = \"x\"\nlicense = \"{id}\"\n"),
    ));
    facts.extend(from_setup(
        "setup.cfg",
        &format!("[metadata]\nname = x\nlicense = {id}\n"),
    ));
    facts.extend(from_setup(
        "setup.py",
        &format!("setup(license=\"{id}\")\n"),
    ));
    facts.extend(from_cargo_toml(
        "Cargo.toml",
        &format!("[package]\nname = \"x\"\nlicense = \"{id}\"\n"),
    ));
    facts.extend(from_description(
        "DESCRIPTION",
        &format!("Package: x\nLicense: {id}\n"),
    ));
    facts.extend(from_readme(
        "README.md",
        &format!(
            "# X\n\n## Licence\n\nThis code is released under the {id} licence. See \
             [{id}](https://opensource.org/licenses/{id}) and \
             [![licence](https://img.shields.io/badge/licence-{id}-blue.svg)](LICENSE).\n\n\
             SPDX-License-Identifier: {id}\n"
        ),
    ));
    facts
}

#[test]
fn declarations_emit_current_ids_only() {
    let mut bad = Vec::new();
    let mut deprecated_seen = 0;
    for id in inputs() {
        if spdx::license_id(&id).is_some_and(|l| l.is_deprecated()) {
            deprecated_seen += 1;
        }
        for f in declarations(&id) {
            if !is_current(&f.spdx) {
                bad.push(format!("{id} in {:?} -> {}", f.declared_in, f.spdx));
            }
        }
    }
    assert!(
        deprecated_seen >= 30,
        "only {deprecated_seen} deprecated inputs"
    );
    assert!(bad.is_empty(), "{} bad: {bad:#?}", bad.len());
}

#[test]
fn deprecated_declarations_are_replaced_not_dropped() {
    for (input, want) in [
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("GPL-3.0", "GPL-3.0-only"),
        ("LGPL-2.1", "LGPL-2.1-only"),
        ("AGPL-3.0", "AGPL-3.0-only"),
        ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
    ] {
        let header = from_spdx_headers("a.py", &format!("# SPDX-License-Identifier: {input}\n"));
        assert_eq!(header[0].spdx, want, "header {input}");
        let npm = from_package_json("package.json", &format!("{{\"license\": \"{input}\"}}"));
        assert_eq!(npm[0].spdx, want, "package.json {input}");
        let py = from_pyproject(
            "pyproject.toml",
            &format!("[project]\nlicense = \"{input}\"\n"),
        );
        assert_eq!(py[0].spdx, want, "pyproject {input}");
    }
    let readme = from_readme(
        "README.md",
        "## Licence\n\nSee https://opensource.org/licenses/GPL-2.0 for the terms.\n",
    );
    assert_eq!(readme[0].spdx, "GPL-2.0-only");
}
