#!/usr/bin/env python3
"""Generate invented repositories for blind-testing openly's licence identification.

Usage: python3 scripts/blind/licence_corpus.py OUT_DIR TEXTS_DIR
TEXTS_DIR holds one <id>.txt per licence: choosealicense.com's _licenses/*.txt with the YAML
front matter stripped, and ogl-uk-2.0.txt / ogl-uk-3.0.txt (the SPDX texts, as go-gitea/gitea
keeps them). Not committed: fetch them. Writes OUT_DIR/corpus/<case>/ and OUT_DIR/truth.json.
Built by an outside tester who had not seen openly's code (2026-12-07); see docs/licences.md.
"""
import json
import sys
import os
import shutil

BASE = sys.argv[1] if len(sys.argv) > 1 else "target/blind/licence"
CORPUS = os.path.join(BASE, "corpus")
TEXTS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(BASE, "texts")


def text(name):
    with open(os.path.join(TEXTS, name + ".txt"), encoding="utf-8") as f:
        return f.read().lstrip("\n")


def fill(t, year="2024", holder="NHS England"):
    return (t.replace("[year]", year).replace("[fullname]", holder))


MIT = lambda holder="NHS England": fill(text("mit"), holder=holder)
OGL3 = text("ogl-uk-3.0")
OGL2 = text("ogl-uk-2.0")

APACHE_HEADER = """Copyright 2024 NHS England

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
"""

GPL3_LATER_NOTICE = """analysis-tool: a small NHS analysis tool
Copyright (C) 2024 NHS England

This program is free software: you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation, either version 3 of the License, or
(at your option) any later version.

This program is distributed in the hope that it will be useful,
but WITHOUT ANY WARRANTY; without even the implied warranty of
MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
GNU General Public License for more details.

"""

README_HEAD = "# {name}\n\nA small tool that summarises hospital activity counts for analysts.\n\n## Usage\n\nRun `python main.py`.\n"
CODE = "def main():\n    print('hello')\n\n\nif __name__ == '__main__':\n    main()\n"

CASES = []


def case(name, files, expect_ids, rules=None, scopes=None, note="", debatable=""):
    CASES.append(dict(name=name, files=files, expect_ids=sorted(expect_ids),
                      rules=rules or {}, scopes=scopes or {}, note=note, debatable=debatable))


def readme(name, licence_section=""):
    r = README_HEAD.format(name=name)
    if licence_section:
        r += "\n## Licence\n\n" + licence_section.strip() + "\n"
    return r


P, F, NR, NA = "pass", "fail", "needs-review", "not-applicable"
ALLPASS = {"licence/present": P, "licence/identified": P, "licence/approved": P,
           "licence/docs-ogl": P, "licence/crown-copyright": P,
           "licence/placeholders": P, "licence/consistent": P}


def r(**kw):
    d = {}
    for k, v in kw.items():
        d["licence/" + k.replace("_", "-")] = v
    return d


NHS_STD = ("Unless stated otherwise, the codebase is released under the MIT License. This covers "
           "both the codebase and any sample code in the documentation.\n\n"
           "The documentation is © Crown copyright and available under the terms of the "
           "Open Government 3.0 licence.")

# ---------------------------------------------------------------- OGL forms
case("ogl-full-licence-only",
     {"LICENSE": OGL3, "README.md": readme("ogl-full-licence-only")},
     ["OGL-UK-3.0"], r(present=P, identified=P, approved=F, docs_ogl=P),
     {"OGL-UK-3.0": "docs"}, "OGL v3 full text as the only licence; code unlicensed")

case("mit-nhs-standard-wording",
     {"LICENSE": MIT("Crown Copyright (NHS England)"),
      "README.md": readme("mit-nhs-standard-wording", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"},
     "NHS standard README wording; MIT 'Copyright (c) 2024 Crown Copyright (NHS England)'")

for nm, sentence in [
    ("ogl-stmt-open-government-3-licence",
     "This documentation is © Crown copyright and available under the terms of the Open Government 3.0 licence."),
    ("ogl-stmt-v3-0", "The documentation is © Crown copyright and available under the Open Government Licence v3.0."),
    ("ogl-stmt-oglv3", "Documentation is © Crown copyright and licensed under OGLv3."),
    ("ogl-stmt-ogl-3", "Our documentation is © Crown copyright and released under OGL 3."),
    ("ogl-stmt-version-3", "© Crown copyright. The documentation in this repository is published under the Open Government Licence (OGL) version 3."),
    ("ogl-stmt-spdx-id", "Documentation: © Crown copyright, OGL-UK-3.0."),
    ("ogl-stmt-link-only",
     "© Crown copyright. The documentation is licensed as described [here](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)."),
    ("ogl-stmt-bare-url",
     "© Crown copyright. Documentation licence: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    ("ogl-badge-linked",
     "[![License: OGL v3.0](https://img.shields.io/badge/License-OGL%20v3.0-blue.svg)](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)\n\n© Crown copyright"),
    ("ogl-badge-image-only",
     "![OGL-3.0](https://img.shields.io/badge/licence-OGL--3.0-green)\n\n© Crown copyright"),
    ("ogl-stmt-uk-ogl",
     "Documentation © Crown copyright, available under the UK Open Government Licence, version 3.0."),
]:
    case(nm, {"LICENSE": MIT(), "README.md": readme(nm, "The code is released under the MIT License.\n\n" + sentence)},
         ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "README OGL v3 wording: " + sentence)

case("ogl-stmt-unversioned",
     {"LICENSE": MIT(), "README.md": readme("ogl-stmt-unversioned",
      "The code is MIT licensed. The documentation is © Crown copyright and available under the Open Government Licence.")},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, approved=P, crown_copyright=P, consistent=P),
     {}, "unversioned 'Open Government Licence'", debatable="no version stated; docs say it is read as OGL-UK-3.0 at 0.6")

case("ogl-v2-statement",
     {"LICENSE": MIT(), "README.md": readme("ogl-v2-statement",
      "The code is released under the MIT License.\n\nThe documentation is © Crown copyright and available under the terms of the Open Government Licence v2.0.")},
     ["MIT", "OGL-UK-2.0"], r(present=P, identified=P, approved=P, docs_ogl=F, crown_copyright=P, placeholders=P, consistent=P),
     {"OGL-UK-2.0": "docs"}, "OGL v2 in README must not satisfy docs-ogl")

case("ogl-v2-link",
     {"LICENSE": MIT(), "README.md": readme("ogl-v2-link",
      "Documentation © Crown copyright, [Open Government Licence](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/).")},
     ["MIT", "OGL-UK-2.0"], r(present=P, approved=P, docs_ogl=F),
     {}, "OGL v2 link only")

case("ogl-v1-statement",
     {"LICENSE": MIT(), "README.md": readme("ogl-v1-statement",
      "The documentation is © Crown copyright and available under the Open Government Licence v1.0.")},
     ["MIT", "OGL-UK-1.0"], r(present=P, docs_ogl=F), {}, "OGL v1")

case("ogl-v2-full-file",
     {"LICENSE": MIT(), "LICENCE-OGL.md": OGL2, "README.md": readme("ogl-v2-full-file")},
     ["MIT", "OGL-UK-2.0"], r(present=P, identified=P, approved=P, docs_ogl=F, placeholders=P),
     {"OGL-UK-2.0": "docs"}, "full OGL v2 text in LICENCE-OGL.md")

case("dual-sentence-code-mit-docs-ogl",
     {"LICENSE": MIT("NHS England"), "README.md": readme("dual-sentence-code-mit-docs-ogl",
      "The code is released under the MIT licence and the documentation under the Open Government Licence v3.0, © Crown copyright.")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs", "MIT": "code"}, "one-sentence dual")

case("licence-ogl-md-file",
     {"LICENSE": MIT(), "LICENCE-OGL.md": OGL3, "README.md": readme("licence-ogl-md-file")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "LICENCE-OGL.md full text")

case("ogl-txt-file",
     {"LICENSE": MIT(), "OGL.txt": OGL3, "README.md": readme("ogl-txt-file")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "OGL.txt")

case("license-docs-file",
     {"LICENSE": MIT(), "LICENSE-docs": OGL3, "README.md": readme("license-docs-file")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "LICENSE-docs holding OGL")

case("docs-licence-ogl-subdir",
     {"LICENSE": MIT(), "docs/LICENCE": OGL3, "README.md": readme("docs-licence-ogl-subdir"), "docs/index.md": "# Docs\n"},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "docs/LICENCE with OGL; rules.md names docs/LICENCE explicitly")

case("mit-and-ogl-in-one-file",
     {"LICENSE.md": "# Licences\n\n## Code: MIT License\n\n" + MIT().split("\n", 1)[1] +
      "\n---\n\n## Documentation: Open Government Licence v3.0\n\n© Crown copyright\n\n" + OGL3.split("\n", 1)[1],
      "README.md": readme("mit-and-ogl-in-one-file")},
     ["MIT", "OGL-UK-3.0"], r(present=P, approved=P, docs_ogl=P, crown_copyright=P, placeholders=P),
     {}, "both licences in one LICENSE.md with headings")

# ---------------------------------------------------------------- file names
case("british-licence-plain",
     {"LICENCE": MIT(), "README.md": readme("british-licence-plain", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "LICENCE (British)")

case("british-licence-md",
     {"LICENCE.md": "# MIT Licence\n\n" + MIT().split("\n", 1)[1].replace("THE SOFTWARE IS PROVIDED", "**THE SOFTWARE IS PROVIDED"),
      "README.md": readme("british-licence-md", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, approved=P, docs_ogl=P, placeholders=P), {},
     "LICENCE.md Markdown MIT (title 'MIT Licence', stray bold marker)")

case("lowercase-licence-txt-isc",
     {"licence.txt": fill(text("isc")), "README.md": readme("lowercase-licence-txt-isc")},
     ["ISC"], r(present=P, identified=P, approved=F, crown_copyright=P, placeholders=P), {}, "licence.txt lowercase, ISC")

case("mit-license-md-named",
     {"MIT-LICENSE.md": MIT(), "README.md": readme("mit-license-md-named")},
     ["MIT"], r(present=P, identified=P, approved=P, docs_ogl=F, placeholders=P), {}, "MIT-LICENSE.md only")

case("dual-license-mit-apache-files",
     {"LICENSE-MIT": MIT(), "LICENSE-APACHE": text("apache-2.0"),
      "README.md": readme("dual-license-mit-apache-files",
                          "Licensed under either of the Apache License, Version 2.0 or the MIT license, at your option.")},
     ["MIT", "Apache-2.0"], r(present=P, identified=P, approved=P, placeholders=P, consistent=P), {},
     "LICENSE-MIT + LICENSE-APACHE, README 'either ... at your option'")

case("copying-gpl3-bare",
     {"COPYING": text("gpl-3.0"), "README.md": readme("copying-gpl3-bare")},
     ["GPL-3.0-only"], r(present=P, identified=P, approved=NR, placeholders=P), {}, "COPYING with bare GPL-3.0 text")

case("copying-gpl3-or-later-notice",
     {"COPYING": GPL3_LATER_NOTICE + text("gpl-3.0"), "README.md": readme("copying-gpl3-or-later-notice")},
     ["GPL-3.0-or-later"], r(present=P, identified=P, approved=NR, crown_copyright=P, placeholders=P), {},
     "COPYING with 'or any later version' notice before the text")

case("copying-lesser-lgpl21-only",
     {"COPYING.LESSER": text("lgpl-2.1"), "README.md": readme("copying-lesser-lgpl21-only")},
     ["LGPL-2.1-only"], r(present=P, identified=P, approved=F, placeholders=P), {}, "COPYING.LESSER LGPL-2.1 alone")

case("unlicense-file",
     {"UNLICENSE": text("unlicense"), "README.md": readme("unlicense-file")},
     ["Unlicense"], r(present=P, identified=P, approved=F, placeholders=P), {}, "UNLICENSE")

case("license-rst-bsd3",
     {"LICENSE.rst": "BSD 3-Clause License\n====================\n\n" + fill(text("bsd-3-clause")).split("\n", 2)[2],
      "README.md": readme("license-rst-bsd3")},
     ["BSD-3-Clause"], r(present=P, identified=P, approved=F, crown_copyright=P, placeholders=P), {},
     "LICENSE.rst with rst title underline")

case("docs-subfolder-license-txt-only",
     {"docs/LICENSE.txt": MIT(), "README.md": readme("docs-subfolder-license-txt-only"), "docs/index.md": "# Docs\n"},
     ["MIT"], r(present=F), {"MIT": "docs"},
     "only licence is docs/LICENSE.txt (MIT)", debatable="licences.md says docs/ licence files get docs scope and don't satisfy present")

case("license-dir-lowercase",
     {"license/MIT.txt": MIT(), "README.md": readme("license-dir-lowercase")},
     ["MIT"], r(present=P, identified=P, approved=P), {},
     "licence in license/ directory (not REUSE LICENSES/)", debatable="only LICENSES/ is documented; a human reader would call this MIT")

case("reuse-licenses-dir",
     {"LICENSES/MIT.txt": MIT(), "LICENSES/CC-BY-4.0.txt": text("cc-by-4.0"),
      "main.py": "# SPDX-FileCopyrightText: 2024 NHS England\n# SPDX-License-Identifier: MIT\n" + CODE,
      "docs/index.md.license": "SPDX-FileCopyrightText: 2024 NHS England\nSPDX-License-Identifier: CC-BY-4.0\n",
      "docs/index.md": "# docs\n",
      "README.md": readme("reuse-licenses-dir")},
     ["MIT", "CC-BY-4.0"], r(present=P, identified=P, approved=P, docs_ogl=F), {}, "REUSE layout")

# ---------------------------------------------------------------- texts
case("apache-full",
     {"LICENSE": text("apache-2.0"), "README.md": readme("apache-full", "Apache-2.0, because we build on an Apache project.")},
     ["Apache-2.0"], r(present=P, identified=P, approved=NR, placeholders=P, consistent=P), {},
     "full Apache text, appendix placeholders must not count")

case("apache-short-header",
     {"LICENSE": APACHE_HEADER, "README.md": readme("apache-short-header")},
     ["Apache-2.0"], r(present=P, identified=P, approved=NR, crown_copyright=P, placeholders=P), {},
     "Apache standard header as the LICENSE", debatable="a header notice instead of the licence text; arguably not 'the licence text'")

case("bsd-3-clause", {"LICENSE": fill(text("bsd-3-clause")), "README.md": readme("bsd-3-clause")},
     ["BSD-3-Clause"], r(present=P, identified=P, approved=F, crown_copyright=P, placeholders=P), {}, "")
case("bsd-2-clause", {"LICENSE": fill(text("bsd-2-clause")), "README.md": readme("bsd-2-clause")},
     ["BSD-2-Clause"], r(present=P, identified=P, approved=F, crown_copyright=P, placeholders=P), {}, "")
case("isc", {"LICENSE": fill(text("isc")), "README.md": readme("isc")},
     ["ISC"], r(present=P, identified=P, approved=F, placeholders=P), {}, "")
case("mpl-2.0", {"LICENSE": text("mpl-2.0"), "README.md": readme("mpl-2.0")},
     ["MPL-2.0"], r(present=P, identified=P, approved=F, placeholders=P), {}, "")
case("0bsd", {"LICENSE": fill(text("0bsd")), "README.md": readme("0bsd")},
     ["0BSD"], r(present=P, identified=P, approved=F, placeholders=P), {}, "")
case("mit-0", {"LICENSE": fill(text("mit-0")), "README.md": readme("mit-0")},
     ["MIT-0"], r(present=P, identified=P, approved=F, placeholders=P), {}, "MIT-0 is not MIT")
case("cc0-code", {"LICENSE": text("cc0-1.0"), "README.md": readme("cc0-code")},
     ["CC0-1.0"], r(present=P, identified=P, approved=F, placeholders=P), {}, "")
case("cc-by-4.0-only", {"LICENSE": text("cc-by-4.0"), "README.md": readme("cc-by-4.0-only")},
     ["CC-BY-4.0"], r(present=P, identified=P, approved=F, docs_ogl=F, placeholders=P), {},
     "CC-BY-4.0 as the only licence, with code")
case("eupl-1.2", {"LICENSE": text("eupl-1.2"), "README.md": readme("eupl-1.2")},
     ["EUPL-1.2"], r(present=P, identified=P, approved=F, placeholders=P), {}, "")
case("gpl-2.0-header-deprecated",
     {"COPYING": text("gpl-2.0"), "main.py": "# SPDX-License-Identifier: GPL-2.0\n" + CODE, "README.md": readme("gpl-2.0-header-deprecated")},
     ["GPL-2.0-only"], r(present=P, identified=P, approved=F, consistent=P), {}, "deprecated GPL-2.0 in header -> GPL-2.0-only")

case("mit-placeholder-left",
     {"LICENSE": text("mit"), "README.md": readme("mit-placeholder-left", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, approved=P, placeholders=F, consistent=P), {},
     "MIT with [year] [fullname]")

case("mit-angle-placeholder",
     {"LICENSE": text("mit").replace("[year] [fullname]", "<year> <copyright holders>"), "README.md": readme("mit-angle-placeholder")},
     ["MIT"], r(present=P, identified=P, approved=P, crown_copyright=F, placeholders=F), {}, "MIT with <year> <copyright holders>")

case("mit-jinja-placeholder",
     {"LICENSE": text("mit").replace("[year] [fullname]", "{{ cookiecutter.year }} {{ cookiecutter.author }}"), "README.md": readme("mit-jinja-placeholder")},
     ["MIT"], r(present=P, identified=P, approved=P, crown_copyright=F, placeholders=F), {}, "cookiecutter placeholder")

case("mit-extra-clause",
     {"LICENSE": MIT().replace("The above copyright notice",
      "The Software may not be used for commercial purposes without the prior written permission of the copyright holders.\n\nThe above copyright notice"),
      "README.md": readme("mit-extra-clause")},
     ["NOASSERTION"], r(present=P, identified=F), {},
     "MIT with a non-commercial clause inserted", debatable="a modified licence; a fuzzy matcher may still call it MIT at >=0.9")

case("mit-other-holder",
     {"LICENSE": MIT("Jane Smith"), "README.md": readme("mit-other-holder")},
     ["MIT"], r(present=P, identified=P, approved=P, crown_copyright=F, placeholders=P), {}, "holder is a person")

case("mit-nhs-digital-symbol",
     {"LICENSE": MIT().replace("Copyright (c) 2024 NHS England", "Copyright © 2023 NHS Digital"), "README.md": readme("mit-nhs-digital-symbol")},
     ["MIT"], r(present=P, identified=P, approved=P, crown_copyright=P, placeholders=P), {}, "© NHS Digital")

# ---------------------------------------------------------------- metadata
case("pyproject-only-string",
     {"pyproject.toml": '[project]\nname = "tool"\nversion = "0.1.0"\nlicense = "MIT"\n', "README.md": readme("pyproject-only-string")},
     ["MIT"], r(present=F), {}, "pyproject license = \"MIT\" and no file")

case("pyproject-table-text",
     {"LICENSE": MIT(), "pyproject.toml": '[project]\nname = "tool"\nversion = "0.1.0"\nlicense = {text = "MIT"}\n',
      "README.md": readme("pyproject-table-text", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "license = {text = \"MIT\"}")

case("pyproject-classifier-only",
     {"LICENSE": MIT(), "pyproject.toml": '[project]\nname = "tool"\nversion = "0.1.0"\nclassifiers = [\n  "License :: OSI Approved :: MIT License",\n  "Programming Language :: Python :: 3",\n]\n',
      "README.md": readme("pyproject-classifier-only")},
     ["MIT"], r(present=P, identified=P, approved=P, consistent=P), {}, "classifier")

case("setup-cfg-mit",
     {"LICENSE": MIT(), "setup.cfg": "[metadata]\nname = tool\nversion = 0.1\nlicense = MIT\nlicense_files = LICENSE\n",
      "README.md": readme("setup-cfg-mit")},
     ["MIT"], r(present=P, approved=P, consistent=P), {}, "setup.cfg")

case("r-description-stub",
     {"LICENSE": "YEAR: 2024\nCOPYRIGHT HOLDER: NHS England\n", "LICENSE.md": "# MIT License\n\n" + MIT().split("\n", 1)[1],
      "DESCRIPTION": "Package: tool\nTitle: Tool\nVersion: 0.1.0\nLicense: MIT + file LICENSE\n", "R/tool.R": "f <- function() 1\n",
      "README.md": readme("r-description-stub", "The documentation is © Crown copyright and available under the Open Government Licence v3.0.")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "R CRAN stub + LICENSE.md")

case("r-description-gpl3-no-file",
     {"DESCRIPTION": "Package: tool\nTitle: Tool\nVersion: 0.1.0\nLicense: GPL-3\n", "R/tool.R": "f <- function() 1\n",
      "README.md": readme("r-description-gpl3-no-file")},
     ["GPL-3.0-only"], r(present=P, approved=NR), {}, "R GPL-3 in DESCRIPTION only",
     debatable="R 'GPL-3' id maps to GPL-3.0-only per SPDX/R conventions")

case("r-stub-empty",
     {"LICENSE": "YEAR: \nCOPYRIGHT HOLDER: \n", "LICENSE.md": "# MIT License\n\n" + text("mit").split("\n", 1)[1].replace("[year] [fullname]", "2024 NHS England"),
      "DESCRIPTION": "Package: tool\nTitle: Tool\nVersion: 0.1.0\nLicense: MIT + file LICENSE\n", "R/tool.R": "f <- function() 1\n",
      "README.md": readme("r-stub-empty")},
     ["MIT"], r(present=P, approved=P, placeholders=F), {}, "empty CRAN stub")

case("package-json-mit",
     {"LICENSE": MIT(), "package.json": json.dumps({"name": "tool", "version": "1.0.0", "license": "MIT"}, indent=2),
      "index.js": "console.log('hi');\n", "README.md": readme("package-json-mit")},
     ["MIT"], r(present=P, approved=P, consistent=P), {}, "")

case("package-json-unlicensed-vs-mit",
     {"LICENSE": MIT(), "package.json": json.dumps({"name": "tool", "version": "1.0.0", "license": "UNLICENSED"}, indent=2),
      "index.js": "console.log('hi');\n", "README.md": readme("package-json-unlicensed-vs-mit")},
     ["MIT", "NONE"], r(present=P, consistent=F), {}, "package.json UNLICENSED vs MIT file",
     debatable="UNLICENSED means proprietary in npm; contradicts MIT")

case("cargo-dual",
     {"LICENSE-MIT": MIT(), "LICENSE-APACHE": text("apache-2.0"),
      "Cargo.toml": '[package]\nname = "tool"\nversion = "0.1.0"\nlicense = "MIT OR Apache-2.0"\n', "src/main.rs": "fn main() {}\n",
      "README.md": readme("cargo-dual")},
     ["MIT", "Apache-2.0", "MIT OR Apache-2.0"], r(present=P, identified=P, approved=P, consistent=P), {}, "Cargo dual")

case("spdx-headers-only",
     {"src/a.py": "# SPDX-License-Identifier: MIT\n" + CODE, "src/b.py": "# SPDX-License-Identifier: MIT\n" + CODE,
      "README.md": readme("spdx-headers-only")},
     ["MIT"], r(present=F), {}, "SPDX headers only")

case("deprecated-pyproject-gpl3",
     {"COPYING": text("gpl-3.0"), "pyproject.toml": '[project]\nname = "tool"\nversion = "0.1.0"\nlicense = "GPL-3.0"\n',
      "README.md": readme("deprecated-pyproject-gpl3")},
     ["GPL-3.0-only"], r(present=P, identified=P, approved=NR, consistent=P), {}, "deprecated GPL-3.0 in pyproject")

case("deprecated-lgpl21-plus-package-json",
     {"COPYING.LESSER": text("lgpl-2.1"), "package.json": json.dumps({"name": "tool", "version": "1.0.0", "license": "LGPL-2.1+"}, indent=2),
      "index.js": "console.log('hi');\n", "README.md": readme("deprecated-lgpl21-plus-package-json")},
     ["LGPL-2.1-only", "LGPL-2.1-or-later"], r(present=P, identified=P, approved=F, consistent=P), {},
     "LGPL-2.1+ in package.json", debatable="file text alone says -only; metadata says or-later")

case("deprecated-bsd2-freebsd-setup",
     {"LICENSE": fill(text("bsd-2-clause")), "setup.cfg": "[metadata]\nname = tool\nlicense = BSD-2-Clause-FreeBSD\n",
      "README.md": readme("deprecated-bsd2-freebsd-setup")},
     ["BSD-2-Clause", "BSD-2-Clause-Views"], r(present=P, identified=P, approved=F), {},
     "deprecated BSD-2-Clause-FreeBSD in setup.cfg must come out as BSD-2-Clause-Views")

case("conflict-mit-file-gpl-pyproject",
     {"LICENSE": MIT(), "pyproject.toml": '[project]\nname = "tool"\nversion = "0.1.0"\nlicense = "GPL-3.0-or-later"\n',
      "README.md": readme("conflict-mit-file-gpl-pyproject")},
     ["MIT", "GPL-3.0-or-later"], r(present=P, identified=P, consistent=F), {}, "LICENSE MIT vs pyproject GPL")

case("conflict-mit-file-apache-readme",
     {"LICENSE": MIT(), "README.md": readme("conflict-mit-file-apache-readme", "This project is licensed under the Apache License 2.0.")},
     ["MIT", "Apache-2.0"], r(present=P, identified=P, consistent=F), {}, "LICENSE MIT vs README Apache")

case("readme-only-ogl-no-file",
     {"README.md": readme("readme-only-ogl-no-file", "This documentation is © Crown copyright and available under the terms of the Open Government 3.0 licence.")},
     ["OGL-UK-3.0"], r(present=F, docs_ogl=P), {}, "OGL only in README, no licence file")

case("readme-cc-by-docs",
     {"LICENSE": MIT(), "README.md": readme("readme-cc-by-docs", "Code: MIT. Documentation is licensed under CC BY 4.0.")},
     ["MIT", "CC-BY-4.0"], r(present=P, approved=P, docs_ogl=F, consistent=P), {"CC-BY-4.0": "docs"}, "docs under CC BY")

case("readme-licence-heading-with-ogl-in-docs-dir-readme",
     {"LICENSE": MIT(), "README.md": readme("readme-licence-heading-with-ogl-in-docs-dir-readme"),
      "docs/README.md": "# Docs\n\nThis documentation is © Crown copyright and available under the Open Government Licence v3.0.\n"},
     ["MIT"], r(present=P, approved=P), {}, "OGL only in docs/README.md (not root README)",
     debatable="a reader might count docs/README.md; openly documents only the root README")


# ================================================================ batch 2
for nm, sentence in [
    ("ogl-stmt-american-spelling", "Documentation © Crown copyright, available under the Open Government License v3.0."),
    ("ogl-stmt-ogl-dash-3-0", "Documentation © Crown copyright, licensed OGL-3.0."),
    ("ogl-stmt-ogl3-nospace", "Docs are © Crown copyright under OGL3."),
    ("ogl-stmt-v-dot-3", "Documentation is © Crown copyright and published under the Open Government Licence v.3.0."),
    ("ogl-stmt-html-link", 'Documentation © Crown copyright, available under the <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">Open Government Licence v3.0</a>.'),
    ("ogl-link-text-ogl", "Documentation © Crown copyright, available under the [OGL](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3)."),
    ("ogl-badge-row-with-mit-badge",
     "[![MIT License](https://img.shields.io/badge/License-MIT-yellow.svg)](LICENSE) [![OGL v3](https://img.shields.io/badge/Docs-OGL%20v3-blue.svg)](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)\n\n© Crown copyright"),
]:
    case(nm, {"LICENSE": MIT(), "README.md": readme(nm, "The code is released under the MIT License.\n\n" + sentence)},
         ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "README OGL v3 wording: " + sentence)

case("ogl-v2-link-versioned-text",
     {"LICENSE": MIT(), "README.md": readme("ogl-v2-link-versioned-text",
      "Documentation © Crown copyright, [Open Government Licence v2.0](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/).")},
     ["MIT", "OGL-UK-2.0"], r(present=P, approved=P, docs_ogl=F), {}, "OGL v2 link with versioned text")

case("ogl-v2-badge",
     {"LICENSE": MIT(), "README.md": readme("ogl-v2-badge",
      "[![OGL](https://img.shields.io/badge/license-OGL%20v2.0-blue)](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/)")},
     ["MIT", "OGL-UK-2.0"], r(present=P, approved=P, docs_ogl=F), {}, "OGL v2 badge")

case("ogl-v2-spdx-in-readme",
     {"LICENSE": MIT(), "README.md": readme("ogl-v2-spdx-in-readme", "Documentation: OGL-UK-2.0.")},
     ["MIT", "OGL-UK-2.0"], r(present=P, approved=P, docs_ogl=F), {}, "OGL-UK-2.0 id")

case("ogl-data-only-statement",
     {"LICENSE": MIT(), "README.md": readme("ogl-data-only-statement",
      "The code is released under the MIT License.\n\nThe data in the `data/` folder is © Crown copyright and available under the Open Government Licence v3.0.")},
     ["MIT", "OGL-UK-3.0"], r(present=P, approved=P, docs_ogl=F), {"OGL-UK-3.0": "data"}, "OGL only for data")

case("ogl-data-sources-heading",
     {"LICENSE": MIT(), "README.md": README_HEAD.format(name="ogl-data-sources-heading") +
      "\n## Data sources\n\nHospital Episode Statistics summaries from NHS England, licensed under the Open Government Licence v3.0.\n\n## Licence\n\nMIT.\n"},
     ["MIT", "OGL-UK-3.0"], r(present=P, approved=P, docs_ogl=F), {"OGL-UK-3.0": "data"}, "OGL under a Data sources heading")

case("ogl-full-markdown-crown",
     {"LICENSE": MIT(), "LICENCE-OGL.md": "# Open Government Licence v3.0\n\n© Crown copyright 2024\n\n" +
      "\n".join(("* " + l if l and l[0].islower() else l) for l in OGL3.split("\n")[1:]),
      "README.md": readme("ogl-full-markdown-crown")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "Markdown-bulleted OGL with © Crown copyright")

case("ogl-full-crlf-bom",
     {"LICENSE": MIT(), "LICENCE-OGL": "\ufeff" + OGL3.replace("\n", "\r\n"), "README.md": readme("ogl-full-crlf-bom", "Documentation © Crown copyright.")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "OGL with BOM + CRLF")

case("copyright-notice-file",
     {"LICENSE": MIT(), "COPYRIGHT": "Copyright © 2024 Crown copyright (NHS England). All rights reserved.\n",
      "README.md": readme("copyright-notice-file", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "COPYRIGHT file holding only a notice",
     debatable="licences.md lists COPYRIGHT* as licence files; a notice-only file holds no licence")

for nm, holder, exp in [
    ("holder-dhsc-full", "Department of Health and Social Care", P),
    ("holder-ukhsa-full", "UK Health Security Agency", P),
    ("holder-phe-full", "Public Health England", P),
    ("holder-crown-copyright-caps", "CROWN COPYRIGHT", P),
    ("holder-nhs-england-and-improvement", "NHS England and NHS Improvement", P),
    ("holder-not-nhs", "Acme Analytics Ltd (on behalf of NHS England)", None),
]:
    rr = r(present=P, identified=P, approved=P)
    if exp: rr["licence/crown-copyright"] = exp
    case(nm, {"LICENSE": MIT(holder), "README.md": readme(nm)}, ["MIT"], rr, {}, "MIT holder " + holder,
         debatable="holders default list uses abbreviations (DHSC, UKHSA, PHE)" if "full" in nm else "")

case("empty-license-file",
     {"LICENSE": "", "README.md": readme("empty-license-file")},
     [], r(identified=F), {}, "empty LICENSE", debatable="an empty LICENSE is no licence: present or identified should fail")

case("license-one-liner-mit",
     {"LICENSE": "MIT License\n\nCopyright (c) 2024 NHS England\n", "README.md": readme("license-one-liner-mit")},
     ["MIT"], r(identified=F), {}, "LICENSE with title + copyright only (no terms)",
     debatable="names MIT but holds no text; identified should fail (or flag)")

case("bsd3-nhs-named",
     {"LICENSE": fill(text("bsd-3-clause")).replace("the copyright holder nor the names of its", "NHS England nor the names of its"),
      "README.md": readme("bsd3-nhs-named")},
     ["BSD-3-Clause"], r(present=P, identified=P, approved=F), {}, "BSD-3 with holder named in clause 3")

case("apache-appendix-filled",
     {"LICENSE": text("apache-2.0").replace("Copyright [yyyy] [name of copyright owner]", "Copyright 2024 NHS England"),
      "README.md": readme("apache-appendix-filled")},
     ["Apache-2.0"], r(present=P, identified=P, approved=NR, placeholders=P), {}, "Apache with filled appendix")

case("gpl2-or-later-notice",
     {"COPYING": GPL3_LATER_NOTICE.replace("version 3", "version 2") + text("gpl-2.0"), "README.md": readme("gpl2-or-later-notice")},
     ["GPL-2.0-or-later"], r(present=P, identified=P, approved=F), {}, "GPL-2 with or-later notice")

case("agpl3", {"LICENSE": text("agpl-3.0"), "README.md": readme("agpl3")},
     ["AGPL-3.0-only"], r(present=P, identified=P, approved=F), {}, "")
case("lgpl3-lesser-alone", {"COPYING.LESSER": text("lgpl-3.0"), "README.md": readme("lgpl3-lesser-alone")},
     ["LGPL-3.0-only"], r(present=P, identified=P, approved=F), {}, "")
for lic, sid in [("zlib", "Zlib"), ("bsl-1.0", "BSL-1.0"), ("epl-2.0", "EPL-2.0"), ("upl-1.0", "UPL-1.0"),
                 ("bsd-3-clause-clear", "BSD-3-Clause-Clear"), ("bsd-4-clause", "BSD-4-Clause"), ("artistic-2.0", "Artistic-2.0"),
                 ("wtfpl", "WTFPL"), ("ms-pl", "MS-PL"), ("cc-by-sa-4.0", "CC-BY-SA-4.0"), ("blueoak-1.0.0", "BlueOak-1.0.0"), ("mulanpsl-2.0", "MulanPSL-2.0")]:
    case("text-" + lic, {"LICENSE.txt": fill(text(lic)), "README.md": readme("text-" + lic)}, [sid],
         r(present=P, identified=P, approved=F), {}, "choosealicense " + lic)

case("data-odbl",
     {"LICENSE": MIT(), "data/LICENSE": text("odbl-1.0"), "data/x.csv": "a,b\n1,2\n", "README.md": readme("data-odbl", NHS_STD)},
     ["MIT", "ODbL-1.0", "OGL-UK-3.0"], ALLPASS, {"ODbL-1.0": "data"}, "ODbL in data/")

case("docs-and-root-mit",
     {"LICENSE": MIT(), "docs/LICENSE.txt": MIT(), "docs/index.md": "# docs\n", "README.md": readme("docs-and-root-mit")},
     ["MIT"], r(present=P, identified=P, approved=P, docs_ogl=F), {}, "MIT at root and in docs/")

case("poetry-name-apache",
     {"LICENSE": text("apache-2.0"), "pyproject.toml": '[tool.poetry]\nname = "tool"\nversion = "0.1.0"\nlicense = "Apache 2.0"\n',
      "README.md": readme("poetry-name-apache")},
     ["Apache-2.0"], r(present=P, identified=P, consistent=P), {}, "poetry 'Apache 2.0' name")

case("setup-py-gplv3-name",
     {"COPYING": text("gpl-3.0"), "setup.py": "from setuptools import setup\nsetup(name='tool', version='0.1', license='GNU GPLv3')\n",
      "README.md": readme("setup-py-gplv3-name")},
     ["GPL-3.0-only"], r(present=P, identified=P, consistent=P), {}, "setup.py license='GNU GPLv3'",
     debatable="'GNU GPLv3' does not say only/or-later")

case("package-json-or-expression",
     {"LICENSE-MIT": MIT(), "LICENSE-APACHE": text("apache-2.0"),
      "package.json": json.dumps({"name": "tool", "version": "1.0.0", "license": "(MIT OR Apache-2.0)"}, indent=2),
      "index.js": "1;\n", "README.md": readme("package-json-or-expression")},
     ["MIT", "Apache-2.0", "MIT OR Apache-2.0"], r(present=P, approved=P, consistent=P), {}, "package.json (MIT OR Apache-2.0)")

case("package-json-legacy-object",
     {"LICENSE": MIT(), "package.json": json.dumps({"name": "tool", "version": "1.0.0", "license": {"type": "MIT", "url": "https://opensource.org/licenses/MIT"}}, indent=2),
      "index.js": "1;\n", "README.md": readme("package-json-legacy-object")},
     ["MIT"], r(present=P, approved=P, consistent=P), {}, "legacy license object")

case("description-cc0",
     {"LICENSE": text("cc0-1.0"), "DESCRIPTION": "Package: tool\nVersion: 0.1\nLicense: CC0\n", "R/a.R": "1\n", "README.md": readme("description-cc0")},
     ["CC0-1.0"], r(present=P, identified=P, approved=F, consistent=P), {}, "DESCRIPTION CC0")

case("spdx-header-with-exception",
     {"LICENSE": text("apache-2.0"), "src/a.py": "# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception\n" + CODE, "README.md": readme("spdx-header-with-exception")},
     ["Apache-2.0", "Apache-2.0 WITH LLVM-exception"], r(present=P, identified=P, consistent=P), {}, "header with WITH exception")

case("readme-considered-apache",
     {"LICENSE": MIT(), "README.md": readme("readme-considered-apache",
      "We considered the Apache License 2.0 but chose the MIT License for simplicity. The documentation is © Crown copyright and available under the Open Government Licence v3.0.")},
     ["MIT", "OGL-UK-3.0"], r(present=P, approved=P, consistent=P), {}, "README mentions a rejected licence",
     debatable="prose reading is hard; Apache is named but not chosen")

case("readme-mit-copyright-short",
     {"LICENSE": MIT(), "README.md": readme("readme-mit-copyright-short", "MIT © NHS England")},
     ["MIT"], r(present=P, approved=P, consistent=P), {}, "'MIT © NHS England'")

case("ogl-readme-code-block-example",
     {"LICENSE": MIT(), "README.md": readme("ogl-readme-code-block-example",
      "The code is MIT licensed. To license your own documentation, projects made from this template should add:\n\n```\nThe documentation is © Crown copyright and available under the terms of the Open Government Licence v3.0.\n```")},
     ["MIT"], r(present=P, approved=P), {}, "OGL statement only inside a fenced example",
     debatable="the statement is a template example, not this repo's declaration")

case("ogl-licence-with-readme-code-mit-no-file",
     {"LICENCE": OGL3, "README.md": readme("ogl-licence-with-readme-code-mit-no-file",
      "The code is released under the MIT License. The documentation is © Crown copyright and available under the Open Government Licence v3.0.")},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, docs_ogl=P), {}, "OGL LICENCE file, README says code MIT but no MIT file",
     debatable="approved/consistent unclear")

# ================================================================ batch 3
case("ogl-v2-bare-link-unversioned-text",
     {"LICENSE": MIT(), "README.md": readme("ogl-v2-bare-link-unversioned-text",
      "The documentation is © Crown copyright and available under the Open Government Licence: http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/")},
     ["MIT", "OGL-UK-2.0"], r(present=P, approved=P, docs_ogl=F), {}, "unversioned name + v2 URL")

case("mit-apache-one-file",
     {"LICENSE": "MIT License\n\n" + MIT().split("\n", 1)[1] + "\n---\n\n" + text("apache-2.0"),
      "README.md": readme("mit-apache-one-file", "Dual licensed under MIT or Apache-2.0, at your option.")},
     ["MIT", "Apache-2.0"], r(present=P), {}, "MIT and Apache texts in one LICENSE")

case("mit-license-with-ogl-statement-appended",
     {"LICENSE": MIT() + "\n---\n\nThe documentation is © Crown copyright and available under the terms of the Open Government Licence v3.0.\n",
      "README.md": readme("mit-license-with-ogl-statement-appended")},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, approved=P, docs_ogl=P), {}, "OGL statement appended to MIT LICENSE",
     debatable="statement inside a licence file rather than README")

case("ogl-stmt-hard-wrapped",
     {"LICENSE": MIT(), "README.md": readme("ogl-stmt-hard-wrapped",
      "Unless stated otherwise, the codebase is released under the MIT License. The documentation\nis © Crown copyright and available under the terms of the Open Government\n3.0 licence.")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "statement wrapped across lines")

case("readme-licence-table",
     {"LICENSE": MIT(), "README.md": readme("readme-licence-table",
      "| Part | Licence |\n|---|---|\n| Code | MIT |\n| Documentation | © Crown copyright, Open Government Licence v3.0 |")},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {"OGL-UK-3.0": "docs"}, "two-row licence table")

case("readme-rst-ogl",
     {"LICENSE": MIT(), "README.rst": "analysis\n========\n\nA small tool that summarises hospital activity counts.\n\nLicence\n-------\n\nThe code is MIT licensed. The documentation is © Crown copyright and available under the terms of the Open Government Licence v3.0.\n"},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "README.rst")

case("readme-lowercase-ogl",
     {"LICENSE": MIT(), "readme.md": readme("readme-lowercase-ogl", NHS_STD)},
     ["MIT", "OGL-UK-3.0"], ALLPASS, {}, "readme.md lowercase")

case("reuse-mit-and-ogl",
     {"LICENSES/MIT.txt": MIT(), "LICENSES/OGL-UK-3.0.txt": OGL3, "README.md": readme("reuse-mit-and-ogl")},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, approved=P, docs_ogl=P), {"OGL-UK-3.0": "docs"}, "REUSE MIT + OGL")

case("spdx-header-lgpl21-plus",
     {"LICENSE": MIT(), "src/a.py": "# SPDX-License-Identifier: LGPL-2.1+\n" + CODE, "README.md": readme("spdx-header-lgpl21-plus")},
     ["MIT", "LGPL-2.1-or-later"], r(present=P, consistent=F), {}, "deprecated header LGPL-2.1+ vs MIT file",
     debatable="whether a single file's header counts for consistent")

case("crown-html-entity-readme",
     {"LICENSE": MIT("Jane Smith"), "README.md": readme("crown-html-entity-readme",
      "The documentation is &copy; Crown copyright and available under the Open Government Licence v3.0.")},
     ["MIT", "OGL-UK-3.0"], r(present=P, docs_ogl=P, crown_copyright=P), {}, "&copy; entity")

case("license-code-license-docs",
     {"LICENSE-CODE": MIT(), "LICENSE-DOCS.md": OGL3, "README.md": readme("license-code-license-docs")},
     ["MIT", "OGL-UK-3.0"], r(present=P, identified=P, approved=P, docs_ogl=P), {"OGL-UK-3.0": "docs", "MIT": "code"}, "scope-named files")

case("licence-ogl-holding-mit",
     {"LICENSE": MIT(), "LICENCE-OGL.md": MIT(), "README.md": readme("licence-ogl-holding-mit")},
     ["MIT"], r(present=P, docs_ogl=F), {}, "LICENCE-OGL.md that actually holds MIT")

case("gpl3-readme-gplv3-statement",
     {"COPYING": text("gpl-3.0"), "README.md": readme("gpl3-readme-gplv3-statement", "This project is licensed under the GNU General Public License v3.0 only.")},
     ["GPL-3.0-only"], r(present=P, approved=NR, consistent=P), {}, "GPL v3.0 only statement")

# ================================================================ batch 4
case("mit-noncommercial-in-grant",
     {"LICENSE": MIT().replace("in the Software without restriction", "in the Software for non-commercial purposes only"),
      "README.md": readme("mit-noncommercial-in-grant")},
     ["NOASSERTION"], r(present=P, identified=F), {}, "MIT grant changed to 'for non-commercial purposes only'",
     debatable="small textual change, big legal change")

case("bsd3-plus-no-military-clause",
     {"LICENSE": fill(text("bsd-3-clause")).replace("THIS SOFTWARE IS PROVIDED",
      "4. This software may not be used in any military application or weapons system.\n\nTHIS SOFTWARE IS PROVIDED"),
      "README.md": readme("bsd3-plus-no-military-clause")},
     ["NOASSERTION"], r(present=P, identified=F), {}, "BSD-3 with an extra restrictive clause 4")


def main():
    if os.path.exists(CORPUS):
        shutil.rmtree(CORPUS)
    for c in CASES:
        root = os.path.join(CORPUS, c["name"])
        files = dict(c["files"])
        if not any(k.endswith((".py", ".js", ".rs", ".R")) for k in files):
            files["main.py"] = CODE
        for rel, content in files.items():
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8") as f:
                f.write(content)
    truth = {c["name"]: {k: c[k] for k in ("expect_ids", "rules", "scopes", "note", "debatable")} for c in CASES}
    with open(os.path.join(BASE, "truth.json"), "w") as f:
        json.dump(truth, f, indent=2, ensure_ascii=False)
    print(len(CASES), "cases")


if __name__ == "__main__":
    main()
