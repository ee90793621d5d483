//! Behaviour tests for the whole engine; unit tests of single steps sit beside them.
//!
//! The round-trip test needs the licence texts, which come from the `spdx` crate's `text`
//! feature, enabled for dev-dependencies only.

use super::*;
use crate::model::facts::licence::{DeclaredIn, LicenceFact, NOASSERTION, Scope};

fn ids(facts: &[LicenceFact]) -> Vec<&str> {
    facts.iter().map(|f| f.spdx.as_str()).collect()
}

fn text_of(id: &str) -> &'static str {
    spdx::license_id(id).expect("known id").text()
}

/// Same words, re-wrapped to 60 columns, paragraph breaks kept.
fn reflow(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let mut col = 0;
        for w in para.split_whitespace() {
            if col > 0 && col + w.len() + 1 > 60 {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(w);
            col += w.len();
        }
        out.push_str("\n\n");
    }
    out
}

/// A Markdown rendering: the title as a heading and the first word of each paragraph in bold.
fn markdown(text: &str) -> String {
    let mut out = String::new();
    let mut titled = false;
    for para in text.split("\n\n") {
        let p = para.trim();
        if p.is_empty() {
            continue;
        }
        if !titled && !p.contains('\n') && p.split_whitespace().count() <= 12 {
            out.push_str(&format!("# {p}\n\n"));
            titled = true;
            continue;
        }
        titled = true;
        match p.split_once(' ') {
            Some((first, rest)) if first.chars().all(char::is_alphanumeric) => {
                out.push_str(&format!("**{first}** {rest}\n\n"));
            }
            _ => out.push_str(&format!("{p}\n\n")),
        }
    }
    out
}

/// `found` is the licence `expected` names in the store: its current id (the store keeps some
/// texts under deprecated names), or a GNU base with "only"/"or later" decided.
fn same_licence(found: &str, expected: &str) -> bool {
    found == expected
        || found == super::current::current_id(expected)
        || found.strip_prefix(expected).is_some_and(|rest| {
            matches!(
                rest,
                "-only" | "-or-later" | "-no-invariants-only" | "-no-invariants-or-later"
            )
        })
}

fn approved(id: &str) -> bool {
    [
        id.to_owned(),
        format!("{id}-only"),
        format!("{id}-or-later"),
    ]
    .iter()
    .filter_map(|n| spdx::license_id(n))
    .any(|l| l.is_osi_approved() || l.is_fsf_free_libre())
}

#[test]
fn round_trip_store_texts() {
    let ids: Vec<&str> = store_ids()
        .into_iter()
        .filter(|id| approved(id) || id.starts_with("OGL-UK-"))
        .collect();
    assert!(ids.len() > 150, "only {} ids", ids.len());
    let mut total = 0;
    let mut misses = Vec::new();
    let mut ogl_misses = Vec::new();
    for id in &ids {
        let text = text_of(id);
        let variants = [
            ("as-is", text.to_owned()),
            (
                "copyright",
                format!("Copyright (c) 2024 NHS England\n\n{text}"),
            ),
            ("reflowed", reflow(text)),
            ("markdown", markdown(text)),
        ];
        for (how, t) in variants {
            total += 1;
            let facts = identify_file("LICENSE", &t);
            let ok = facts.len() == 1 && same_licence(&facts[0].spdx, id);
            if !ok {
                let got: Vec<String> = facts
                    .iter()
                    .map(|f| format!("{} {:.3} {:?}", f.spdx, f.confidence, f.closest))
                    .collect();
                misses.push(format!("{id} ({how}): {got:?}"));
                if id.starts_with("OGL-") {
                    ogl_misses.push(format!("{id} ({how})"));
                }
            }
        }
    }
    let accuracy = 1.0 - misses.len() as f64 / total as f64;
    log::info!("round trip: {total} texts, accuracy {accuracy:.4}, misses {misses:?}");
    assert!(ogl_misses.is_empty(), "OGL misses: {ogl_misses:?}");
    assert!(
        accuracy >= 0.98,
        "accuracy {accuracy:.4} over {total} texts; misses: {misses:#?}"
    );
}

#[test]
fn ogl_every_version_every_form() {
    for v in ["1.0", "2.0", "3.0"] {
        let id = format!("OGL-UK-{v}");
        let text = text_of(&id);
        let forms = [
            text.to_owned(),
            format!("© Crown copyright 2024\n\n{text}"),
            format!("{text}\n\n© Crown copyright 2024\n"),
            reflow(text),
            markdown(text),
            text.replace('\n', "\r\n"),
        ];
        for (n, t) in forms.iter().enumerate() {
            let facts = identify_file("LICENCE", t);
            assert_eq!(ids(&facts), [id.as_str()], "form {n}");
            assert_eq!(facts[0].scope, Scope::Docs);
        }
    }
}

#[test]
fn mit_with_holder_is_code() {
    let text = text_of("MIT").replace("<year> <copyright holders>", "2024 NHS England");
    let facts = identify_file("LICENSE", &text);
    assert_eq!(ids(&facts), ["MIT"]);
    assert_eq!(facts[0].scope, Scope::Code);
    assert_eq!(facts[0].declared_in, DeclaredIn::File);
    assert!(facts[0].confidence >= 0.99);
}

#[test]
fn gnu_only_or_later_from_the_notice() {
    let gpl = text_of("GPL-3.0-only");
    assert_eq!(ids(&identify_file("COPYING", gpl)), ["GPL-3.0-only"]);
    let notice = "This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n\n";
    let facts = identify_file("COPYING", &format!("{notice}{gpl}"));
    assert_eq!(ids(&facts), ["GPL-3.0-or-later"]);
}

#[test]
fn lgpl3_alone_is_found() {
    let lgpl = text_of("LGPL-3.0-only");
    let cut = lgpl
        .find("GNU GENERAL PUBLIC LICENSE")
        .expect("LGPL text carries the GPL");
    let facts = identify_file("COPYING.LESSER", &lgpl[..cut]);
    assert_eq!(ids(&facts), ["LGPL-3.0-only"]);
}

#[test]
fn two_licences_in_one_file() {
    let mit = text_of("MIT").replace("<year> <copyright holders>", "2024 NHS England");
    let bsd = text_of("BSD-3-Clause").replace("<year> <owner>", "2023 Someone");
    let facts = identify_file("LICENSE", &format!("{mit}\n\n{bsd}"));
    assert_eq!(ids(&facts), ["MIT", "BSD-3-Clause"], "{facts:#?}");

    let ogl = text_of("OGL-UK-3.0");
    let facts = identify_file("LICENSE", &format!("{mit}\n\n---\n\n{ogl}"));
    assert_eq!(ids(&facts), ["MIT", "OGL-UK-3.0"], "{facts:#?}");
    assert_eq!(facts[0].scope, Scope::Code);
    assert_eq!(facts[1].scope, Scope::Docs);
    assert!(facts[1].line.unwrap() > facts[0].line.unwrap());
}

#[test]
fn modified_licence_is_not_asserted() {
    // A renamed MPL with one section dropped: about 0.96, as the edited licences measured.
    let original = text_of("MPL-2.0");
    let (head, tail) = original.split_at(original.find("8. Litigation").expect("section 8"));
    let tail = &tail[tail.find("9. Miscellaneous").expect("section 9")..];
    let mpl = format!("{head}{tail}")
        .replace(
            "Mozilla Public License Version 2.0",
            "Acme Public License Version 1.0",
        )
        .replace("Mozilla Foundation", "Acme Corporation");
    let facts = identify_file("LICENSE", &mpl);
    assert_eq!(ids(&facts), [NOASSERTION], "{facts:#?}");
    let closest = facts[0].closest.as_ref().expect("closest");
    assert_eq!(closest.spdx, "MPL-2.0");
    assert!(closest.score > 0.9 && closest.score < 0.99, "{closest:?}");

    let mit = format!(
        "{}\n\nThe Software shall be used for Good, not Evil. Commercial use is prohibited \
         without the written permission of the authors. This restriction applies to every \
         copy and every derived work, and to any service built with the Software.\n",
        text_of("MIT")
    );
    let facts = identify_file("LICENSE", &mit);
    assert_eq!(ids(&facts), [NOASSERTION], "{facts:#?}");
    // The JSON licence is MIT plus "shall be used for Good, not Evil", so it is the closer.
    assert_eq!(
        facts[0].closest.as_ref().map(|c| c.spdx.as_str()),
        Some("JSON")
    );
}

#[test]
fn edge_cases_never_panic() {
    let empty = identify_file("LICENSE", "");
    assert_eq!(ids(&empty), [NOASSERTION]);
    assert!(empty[0].closest.is_none());
    let garbage: String = (0..5000u32)
        .map(|i| char::from_u32(i.wrapping_mul(2_654_435_761) % 0xD7FF).unwrap_or('x'))
        .collect();
    assert_eq!(ids(&identify_file("LICENSE", &garbage)), [NOASSERTION]);
    assert_eq!(
        ids(&identify_file("LICENSE", "\u{feff}\r\n\r\n   \n")),
        [NOASSERTION]
    );
    assert_eq!(ids(&identify_file("LICENSE", "MIT")), [NOASSERTION]);
    assert_eq!(
        ids(&identify_file("LICENSE", "<!-- unterminated")),
        [NOASSERTION]
    );
    for f in [
        from_readme,
        from_description,
        from_pyproject,
        from_setup,
        from_package_json,
        from_cargo_toml,
        from_spdx_headers,
    ] {
        let _ = f("x", &garbage);
        let _ = f("x", "");
        let _ = f("x", "[[[{{{\"");
    }
}

#[test]
fn a_megabyte_of_words_is_bounded() {
    let words = [
        "licence",
        "software",
        "permission",
        "copyright",
        "granted",
        "the",
        "data",
        "notice",
        "warranty",
        "holder",
        "NHS",
        "code",
    ];
    let mut seed: u64 = 42;
    let mut text = String::new();
    while text.len() < 1_000_000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        text.push_str(words[(seed >> 33) as usize % words.len()]);
        // `% n == 0` rather than `is_multiple_of`, which is newer than the crate's MSRV.
        text.push(if (seed >> 7).is_multiple_of(17) {
            '\n'
        } else {
            ' '
        });
        if (seed >> 7).is_multiple_of(101) {
            text.push('\n');
        }
    }
    let started = std::time::Instant::now();
    let facts = identify_file("LICENSE", &text);
    let elapsed = started.elapsed();
    assert_eq!(ids(&facts), [NOASSERTION]);
    assert!(elapsed.as_secs_f32() < 5.0, "took {elapsed:?}");
    let _ = from_readme("README.md", &text);
    assert!(started.elapsed().as_secs_f32() < 10.0);
}

#[test]
fn licence_file_names() {
    for p in [
        "LICENSE",
        "LICENCE.md",
        "license.txt",
        "COPYING",
        "COPYING.LESSER",
        "UNLICENSE",
        "COPYRIGHT",
        "LICENSE-MIT",
        "LICENCE_OGL.txt",
        "LICENSES/MIT.txt",
        "LICENSES/OGL-UK-3.0.txt",
        "./LICENSE",
        "data/LICENSE",
        "docs/LICENCE.md",
    ] {
        assert!(is_licence_file(p) || is_part_licence_file(p), "{p}");
    }
    for p in [
        "src/LICENSE",
        "licenses.py",
        "LICENSEE.md",
        "README.md",
        "license.json",
        "a/b/LICENSE",
        "LICENSE.png",
    ] {
        assert!(!is_licence_file(p) && !is_part_licence_file(p), "{p}");
    }
}

#[test]
fn scope_from_file_name() {
    let cc0 = text_of("CC0-1.0");
    let facts = identify_file("LICENSE-data", cc0);
    assert_eq!(ids(&facts), ["CC0-1.0"]);
    assert_eq!(facts[0].scope, Scope::Data);
    let facts = identify_file("LICENCE-DATA.md", text_of("ODbL-1.0"));
    assert_eq!(facts[0].scope, Scope::Data);
    let facts = identify_file("docs/LICENSE", text_of("MIT"));
    assert_eq!(facts[0].scope, Scope::Docs);
    let facts = identify_file("LICENSE", text_of("CC-BY-4.0"));
    assert_eq!(ids(&facts), ["CC-BY-4.0"]);
    assert_eq!(facts[0].scope, Scope::Docs);
}

#[test]
fn serialises_as_the_report_expects() {
    let facts = identify_file("LICENSE", text_of("MIT"));
    let json = serde_json::to_value(&facts[0]).expect("json");
    assert_eq!(json["spdx"], "MIT");
    assert_eq!(json["scope"], "code");
    assert_eq!(json["declared_in"], "file");
    assert!(json.get("closest").is_none());
    let v = serde_json::to_value(DeclaredIn::PackageJson).expect("json");
    assert_eq!(v, "package-json");
    let v = serde_json::to_value(DeclaredIn::SpdxHeader).expect("json");
    assert_eq!(v, "spdx-header");
}

// ---------------------------------------------------------------------------------------------
// README

fn readme_pairs(text: &str) -> Vec<(String, Scope)> {
    from_readme("README.md", text)
        .into_iter()
        .map(|f| (f.spdx, f.scope))
        .collect()
}

#[test]
fn readme_nhs_pattern() {
    let text = "# Project\n\nSome text.\n\n## Licence\n\nUnless stated otherwise, the codebase is released under the MIT License. This covers both the codebase and any sample code in the documentation.\n\nThe documentation is [© Crown copyright](https://www.nationalarchives.gov.uk/information-management/re-using-public-sector-information/uk-government-licensing-framework/crown-copyright/) and available under the terms of the [Open Government 3.0 licence](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).\n";
    assert_eq!(
        readme_pairs(text),
        [
            ("MIT".to_owned(), Scope::Code),
            ("OGL-UK-3.0".to_owned(), Scope::Docs)
        ]
    );
    assert_eq!(crown_copyright(text).map(|c| c.0), Some(9));
}

#[test]
fn readme_phrases() {
    let cases: &[(&str, &str, Scope)] = &[
        (
            "This project is licensed under the MIT licence.",
            "MIT",
            Scope::Code,
        ),
        ("Released under the MIT License.", "MIT", Scope::Code),
        (
            "Content is available under the terms of the Open Government Licence v3.0.",
            "OGL-UK-3.0",
            Scope::Docs,
        ),
        (
            "Licensed under the Open Government Licence.",
            "OGL-UK-3.0",
            Scope::Docs,
        ),
        (
            "See <a href=\"http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/\">licence</a>.",
            "OGL-UK-2.0",
            Scope::Docs,
        ),
        (
            "[![License: MIT](https://img.shields.io/badge/License-MIT-yellow.svg)](https://opensource.org/licenses/MIT)",
            "MIT",
            Scope::Code,
        ),
        (
            "[![Licence: OGL](https://img.shields.io/badge/License-OGLv3-blue.svg)](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)",
            "OGL-UK-3.0",
            Scope::Docs,
        ),
        (
            "Licensed under the Apache License, Version 2.0 (the \"License\").",
            "Apache-2.0",
            Scope::Code,
        ),
        (
            "This program is released under the GNU GPL v3.",
            "GPL-3.0-only",
            Scope::Code,
        ),
        (
            "Distributed under the GNU General Public License v3.0 or later.",
            "GPL-3.0-or-later",
            Scope::Code,
        ),
        (
            "The text is licensed under CC BY 4.0.",
            "CC-BY-4.0",
            Scope::Docs,
        ),
        ("The data is released under CC0.", "CC0-1.0", Scope::Data),
        (
            "Licence\n=======\n\nThis work is released under the `MIT licence <https://opensource.org/licenses/MIT>`_.",
            "MIT",
            Scope::Code,
        ),
    ];
    for (text, id, scope) in cases {
        let got = readme_pairs(text);
        assert_eq!(got, [(id.to_string(), *scope)], "{text}");
    }
}

#[test]
fn readme_ignores_unrelated_mentions() {
    assert!(readme_pairs("Built at MIT with Apache Spark.\n\nSee the LICENSE file.").is_empty());
    assert!(
        readme_pairs("[![License](https://img.shields.io/github/license/nhsengland/x)](LICENSE)")
            .is_empty()
    );
    assert!(
        readme_pairs("See LICENSE for the code and LICENSE-OGL for the documentation.").is_empty()
    );
}

#[test]
fn readme_with_code_and_docs_in_one_sentence() {
    let got =
        readme_pairs("The code is licensed under MIT and the documentation under the OGL v3.");
    assert_eq!(
        got,
        [
            ("MIT".to_owned(), Scope::Code),
            ("OGL-UK-3.0".to_owned(), Scope::Docs)
        ]
    );
}

#[test]
fn readme_holding_a_whole_licence() {
    let mit = text_of("MIT").replace("<year> <copyright holders>", "2024 NHS England");
    let text =
        format!("# Tool\n\nDoes things.\n\n## Licence\n\n{mit}\n\n## Contact\n\nEmail us.\n");
    let facts = from_readme("README.md", &text);
    assert!(
        facts
            .iter()
            .any(|f| f.spdx == "MIT" && f.scope == Scope::Code),
        "{facts:#?}"
    );

    // The same text flattened onto one line per paragraph, as READMEs often have it.
    let flat: String = mit
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    let text = format!("# Tool\n\n## License\n\n{flat}\n");
    let facts = from_readme("README.md", &text);
    assert!(facts.iter().any(|f| f.spdx == "MIT"), "{facts:#?}");
    let facts = identify_file("LICENSE", &flat.replace("\n\n", " "));
    assert_eq!(ids(&facts), ["MIT"], "one-line MIT");
}

// ---------------------------------------------------------------------------------------------
// Package metadata

#[test]
fn r_description() {
    let one = |v: &str| {
        let text = format!("Package: x\nVersion: 1.0\nLicense: {v}\nEncoding: UTF-8\n");
        let f = from_description("DESCRIPTION", &text);
        assert_eq!(f.len(), 1, "{v}");
        assert_eq!(f[0].line, Some(3));
        assert_eq!(f[0].declared_in, DeclaredIn::Description);
        f[0].spdx.clone()
    };
    assert_eq!(one("MIT + file LICENSE"), "MIT");
    assert_eq!(one("GPL-3"), "GPL-3.0-only");
    assert_eq!(one("GPL (>= 2)"), "GPL-2.0-or-later");
    assert_eq!(one("GPL-2 | GPL-3"), "GPL-2.0-only OR GPL-3.0-only");
    assert_eq!(one("LGPL-2.1"), "LGPL-2.1-only");
    assert_eq!(one("Apache License (== 2.0)"), "Apache-2.0");
    assert_eq!(one("BSD_3_clause + file LICENSE"), "BSD-3-Clause");
    assert_eq!(one("CC0"), "CC0-1.0");
    assert_eq!(one("CC BY 4.0"), "CC-BY-4.0");
    assert_eq!(one("file LICENSE"), NOASSERTION);
    let wrapped = "Package: x\nLicense: GPL-2 |\n    GPL-3\nTitle: y\n";
    assert_eq!(
        ids(&from_description("DESCRIPTION", wrapped)),
        ["GPL-2.0-only OR GPL-3.0-only"]
    );
    assert!(from_description("DESCRIPTION", "Package: x\n").is_empty());
}

#[test]
fn pyproject() {
    let pep639 = "[project]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n";
    assert_eq!(
        ids(&from_pyproject("pyproject.toml", pep639)),
        ["MIT OR Apache-2.0"]
    );
    let table = "[project]\nname = \"x\"\nlicense = {text = \"MIT License\"}\nclassifiers = [\n  \"License :: OSI Approved :: MIT License\",\n  \"Programming Language :: Python\",\n]\n";
    let f = from_pyproject("pyproject.toml", table);
    assert_eq!(ids(&f), ["MIT"]);
    assert_eq!(f[0].declared_in, DeclaredIn::Pyproject);
    let file = "[project]\nlicense = {file = \"LICENSE\"}\nclassifiers = [\"License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)\"]\n";
    assert_eq!(
        ids(&from_pyproject("pyproject.toml", file)),
        ["GPL-3.0-or-later"]
    );
    let poetry = "[tool.poetry]\nname = \"x\"\nlicense = \"BSD-3-Clause\"\n";
    assert_eq!(
        ids(&from_pyproject("pyproject.toml", poetry)),
        ["BSD-3-Clause"]
    );
    assert!(from_pyproject("pyproject.toml", "not toml [").is_empty());
}

#[test]
fn setup_files() {
    let cfg = "[metadata]\nname = x\nlicense = MIT\nclassifiers =\n    License :: OSI Approved :: MIT License\n    Programming Language :: Python :: 3\n";
    let f = from_setup("setup.cfg", cfg);
    assert_eq!(ids(&f), ["MIT"]);
    assert_eq!(f[0].line, Some(3));
    let py = "setup(\n    name='x',\n    license=\"Apache License 2.0\",\n    classifiers=['License :: OSI Approved :: Apache Software License'],\n)\n";
    assert_eq!(ids(&from_setup("setup.py", py)), ["Apache-2.0"]);
}

#[test]
fn package_json() {
    let f = from_package_json("package.json", "{\"name\": \"x\",\n \"license\": \"MIT\"}");
    assert_eq!(ids(&f), ["MIT"]);
    assert_eq!(f[0].line, Some(2));
    assert_eq!(f[0].declared_in, DeclaredIn::PackageJson);
    // npm's brackets around the whole expression go: Cargo's same choice has none, and one
    // choice must be one value in the report.
    let f = from_package_json("package.json", "{\"license\": \"(MIT OR Apache-2.0)\"}");
    assert_eq!(ids(&f), ["MIT OR Apache-2.0"]);
    let f = from_package_json("package.json", "{\"license\": \"UNLICENSED\"}");
    assert_eq!(ids(&f), ["NONE"]);
    let f = from_package_json(
        "package.json",
        "{\"license\": \"SEE LICENSE IN LICENCE.md\"}",
    );
    assert!(f.is_empty());
    let f = from_package_json(
        "package.json",
        "{\"licenses\": [{\"type\": \"MIT\"}, {\"type\": \"Apache-2.0\"}]}",
    );
    assert_eq!(ids(&f), ["MIT", "Apache-2.0"]);
}

#[test]
fn cargo_toml() {
    let f = from_cargo_toml(
        "Cargo.toml",
        "[package]\nname = \"x\"\nlicense = \"MIT/Apache-2.0\"\n",
    );
    assert_eq!(ids(&f), ["MIT OR Apache-2.0"]);
    assert_eq!(f[0].declared_in, DeclaredIn::Cargo);
    let f = from_cargo_toml("Cargo.toml", "[workspace.package]\nlicense = \"MIT\"\n");
    assert_eq!(ids(&f), ["MIT"]);
}

#[test]
fn spdx_headers() {
    let src = "#!/usr/bin/env python\n# SPDX-License-Identifier: MIT\nimport os\n";
    let f = from_spdx_headers("a.py", src);
    assert_eq!(ids(&f), ["MIT"]);
    assert_eq!(f[0].line, Some(2));
    assert_eq!(f[0].declared_in, DeclaredIn::SpdxHeader);
    let c = "/* SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note */\n";
    assert_eq!(
        ids(&from_spdx_headers("a.c", c)),
        ["GPL-2.0-or-later WITH Linux-syscall-note"]
    );
    let late = format!("{}// SPDX-License-Identifier: MIT\n", "x\n".repeat(30));
    assert!(from_spdx_headers("a.rs", &late).is_empty());
    let bracketed = "// SPDX-License-Identifier: (MIT OR Apache-2.0)\n";
    assert_eq!(
        ids(&from_spdx_headers("a.rs", bracketed)),
        ["MIT OR Apache-2.0"]
    );
    let bad = "// SPDX-License-Identifier: Not A Licence\n";
    assert_eq!(ids(&from_spdx_headers("a.rs", bad)), [NOASSERTION]);
}
