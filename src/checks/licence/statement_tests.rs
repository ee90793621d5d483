//! README statements of the forms met on NHS repositories in the second round: rows of badges
//! (each badge its own statement), a README titled after data science, and every short form of
//! the Open Government Licence (statements, links, badges, the official attribution line).
//! The texts are invented in the shape of the real ones.

use super::*;
use crate::model::facts::licence::Scope;

fn pairs(text: &str) -> Vec<(String, Scope)> {
    from_readme("README.md", text)
        .into_iter()
        .map(|f| (f.spdx, f.scope))
        .collect()
}

const MIT_BADGE: &str = "[![licence: MIT](https://img.shields.io/badge/Licence-MIT-yellow.svg)](https://opensource.org/licenses/MIT \"MIT License\")";
const OGL_BADGE: &str = "[![licence: OGL3](https://img.shields.io/badge/Licence-OGL3-darkgrey \"licence: Open Government Licence 3\")](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)";

#[test]
fn each_badge_in_a_row_is_its_own_statement() {
    // A "Code Style" badge in the same row once gave the OGL badge the code scope.
    let text = format!(
        "# Quick tool\n\n\
         [![Python: 3.12](https://img.shields.io/badge/Python-3.12-blue.svg)](https://www.python.org/)\n\
         [![Code Style: Ruff](https://img.shields.io/badge/Code%20Style-Ruff-D7FF64.svg)](https://github.com/astral-sh/ruff)\n\
         {MIT_BADGE}\n{OGL_BADGE}\n\
         [![Tests](https://github.com/example/quick-tool/actions/workflows/ci.yml/badge.svg)](https://github.com/example/quick-tool/actions)\n\n\
         A tool that counts invented things.\n"
    );
    assert_eq!(
        pairs(&text),
        [
            ("MIT".to_owned(), Scope::Code),
            ("OGL-UK-3.0".to_owned(), Scope::Docs)
        ]
    );
}

#[test]
fn a_title_naming_data_science_is_no_data_heading() {
    // Under "# … Data Science" the OGL badge was taken for a data licence.
    let text = format!(
        "# [Example Trust Data Science](https://example.github.io/datascience/)\n\
         [![Release](https://img.shields.io/github/v/release/example/datascience)](https://github.com/example/datascience/releases)\n\
         {MIT_BADGE}\n{OGL_BADGE}\n\n\
         ## Licence\n\n\
         Unless stated otherwise, the codebase is released under the MIT Licence.\n\n\
         HTML and Markdown documentation is © Crown copyright and available under the terms of the Open Government 3.0 licence.\n"
    );
    assert_eq!(
        pairs(&text),
        [
            ("MIT".to_owned(), Scope::Code),
            ("OGL-UK-3.0".to_owned(), Scope::Docs)
        ]
    );
    // A section that is about data still gives the OGL the data scope.
    let data = "# Tool\n\n## Data sources\n\nThe admissions extract is © Crown copyright and available under the Open Government Licence v3.0.\n";
    assert_eq!(pairs(data), [("OGL-UK-3.0".to_owned(), Scope::Data)]);
    // "Data Engineering" as a section heading is a discipline, not data.
    let field = "# Tool\n\n## Data Engineering team\n\nOur guidance is available under the Open Government Licence v3.0.\n";
    assert_eq!(pairs(field), [("OGL-UK-3.0".to_owned(), Scope::Docs)]);
}

#[test]
fn every_short_form_of_the_ogl() {
    let docs = [
        "© Crown copyright 2024. Available under the Open Government Licence v3.0.",
        "This documentation is licensed under the OGL v3.",
        "The documentation is available under the [Open Government Licence v3.0](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
        "See the [licence](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/) for the documentation.",
        "Documentation: OGL-UK-3.0.",
        "Content is published under the Open Government Licence (OGL) version 3.",
        "The guidance is available under the terms of the Open Government 3.0 licence.",
        "[![OGL v3](https://img.shields.io/badge/licence-OGL--v3-blue)](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)",
        "<a href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\">Open Government Licence v3.0</a>",
    ];
    for text in docs {
        let got = pairs(&format!("## Licence\n\n{text}\n"));
        assert_eq!(got, [("OGL-UK-3.0".to_owned(), Scope::Docs)], "{text}");
    }
    for (text, id) in [
        (
            "Available under the Open Government Licence v2.0.",
            "OGL-UK-2.0",
        ),
        (
            "Released under the Open Government Licence v1.0.",
            "OGL-UK-1.0",
        ),
    ] {
        assert_eq!(
            pairs(&format!("## Licence\n\n{text}\n")),
            [(id.to_owned(), Scope::Docs)],
            "{text}"
        );
    }
    // The official attribution line credits reused public sector information (data), not
    // the repository's own documentation.
    let attribution = "## Sources\n\nContains public sector information licensed under the Open Government Licence v3.0.\n";
    assert_eq!(pairs(attribution), [("OGL-UK-3.0".to_owned(), Scope::Data)]);
}

#[test]
fn exact_ids_keep_their_suffixes() {
    for (text, id) in [
        ("Released under BSD-2-Clause-FreeBSD.", "BSD-2-Clause-Views"),
        ("Licensed under BSD-3-Clause-Clear.", "BSD-3-Clause-Clear"),
        ("Licensed under MIT-CMU.", "MIT-CMU"),
        (
            "See [the licence](https://spdx.org/licenses/BSD-2-Clause-Views.html).",
            "BSD-2-Clause-Views",
        ),
        ("Licensed under GPL-3.0 or later.", "GPL-3.0-or-later"),
        ("This project is MIT-licensed.", "MIT"),
    ] {
        let got = pairs(&format!("## Licence\n\n{text}\n"));
        assert_eq!(got, [(id.to_owned(), Scope::Code)], "{text}");
    }
}

#[test]
fn the_licence_text_is_no_documentation() {
    let got =
        pairs("## Licence\n\nLicensed under the MIT License; the licence text is in LICENSE.\n");
    assert_eq!(got, [("MIT".to_owned(), Scope::Code)]);
}

#[test]
fn a_licence_named_before_takes_the_subject_even_when_too_vague_to_identify() {
    // "the GNU General Public License" has no version, so it names no licence; the OGL after
    // it was given the sentence's subject, the code.
    let text = "# Tool\n\n## Licences\n\nCode in this repository is covered by the GNU General Public License and for all documentation the [Open Government License (OGL)](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/) is used.\n";
    let found = pairs(text);
    assert!(!found.is_empty(), "{found:?}");
    for (spdx, scope) in &found {
        assert_eq!(
            (spdx.as_str(), *scope),
            ("OGL-UK-3.0", Scope::Docs),
            "{found:?}"
        );
    }
    // The subject still governs a first licence with only "licensed" before it.
    let data = "# Tool\n\nThe data used to build the dataset in this package is licensed under the Open Government Licence v3.0.\n";
    assert_eq!(pairs(data), [("OGL-UK-3.0".to_owned(), Scope::Data)]);
}
