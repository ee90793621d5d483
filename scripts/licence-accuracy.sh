#!/usr/bin/env bash
# Licence identification accuracy on outside corpora, measured through the real binary
# (`openly audit DIR --format json`, the `facts.licences` of each repository), as the figures in
# docs/licences.md were.
#
#   scripts/licence-accuracy.sh LICENSEE_DIR [CHOOSEALICENSE_DIR]
#
# LICENSEE_DIR is a plain tree of github.com/licensee/licensee (its spec/fixtures/ are 64 small
# repositories, each with licensee's expected answer in fixtures.yml); CHOOSEALICENSE_DIR a tree
# of github.com/github/choosealicense.com (default: the copy vendored in licensee). Each
# choosealicense text (front matter removed) is audited as the LICENSE of a repository of its
# own. Neither corpus is committed here: fetch them, e.g.
#   git clone --depth 1 https://github.com/licensee/licensee /tmp/licensee
#
# A case is right when the set of licences openly identifies (every source: licence files,
# README, package metadata) is the expected set: nothing missing and nothing else (a confident
# wrong id is a miss). GNU ids may be more precise than the corpus's bare ones (GPL-3.0 ->
# GPL-3.0-only or GPL-3.0-or-later); an LGPL repository may also ship the GPL text it builds on.
# Where licensee answers "other" or nothing, the expected set is our reading of the fixture
# (the JUDGED table below, with the reason). OPENLY=path/to/openly skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."

licensee=${1:?usage: scripts/licence-accuracy.sh LICENSEE_DIR [CHOOSEALICENSE_DIR]}
cal=${2:-$licensee/vendor/choosealicense.com}
[ -f "$licensee/spec/fixtures/fixtures.yml" ] || { echo "no spec/fixtures/fixtures.yml in $licensee" >&2; exit 2; }
[ -d "$cal/_licenses" ] || { echo "no _licenses/ in $cal" >&2; exit 2; }

if [ -z "${OPENLY:-}" ]; then
  cargo build --quiet
  OPENLY="$PWD/target/debug/openly"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cal"
for f in "$cal"/_licenses/*.txt; do
  key=$(basename "$f" .txt)
  mkdir -p "$work/cal/$key"
  # The text is what follows the second `---` line of the Jekyll front matter.
  awk 'n >= 2 { print } /^---[[:space:]]*$/ && n < 2 { n++ }' "$f" >"$work/cal/$key/LICENSE"
done

# Each case becomes a git repository of its own: a plain directory holding only a folder
# (`LICENSES/`) would be taken for a folder of repositories.
mkdir -p "$work/fx"
for d in "$licensee"/spec/fixtures/*/; do cp -r "$d" "$work/fx/"; done
for d in "$work"/fx/*/ "$work"/cal/*/; do
  git -C "$d" init -q && git -C "$d" add -A &&
    git -C "$d" -c user.name=corpus -c user.email=corpus@example.invalid commit -q -m corpus
done
"$OPENLY" audit "$work"/fx/*/ --format json >"$work/fixtures.json"
"$OPENLY" audit "$work"/cal/*/ --format json >"$work/cal.json"

python3 - "$licensee/spec/fixtures/fixtures.yml" "$cal/_licenses" "$work" <<'PY'
import json, os, re, sys

fixtures_yml, cal_licenses, work = sys.argv[1:4]

# Where licensee says "other" or nothing, or is less precise than a file allows: our reading.
JUDGED = {
    "bsd-plus-patents": ({"BSD-3-Clause"}, "license.txt is BSD-3-Clause; PATENTS is a separate grant"),
    "case-sensitive": (set(), "the licence file is empty"),
    "cc-by-nc-sa": ({"CC-BY-NC-SA-4.0"}, "the full CC BY-NC-SA 4.0 text"),
    "cc-by-nd": ({"CC-BY-ND-4.0"}, "the full CC BY-ND 4.0 text"),
    "copyright-encoding": (set(), "COPYING holds a copyright line only"),
    "description-license": ({"MIT"}, "DESCRIPTION says MIT + file LICENSE; LICENSE is R's stub"),
    "fcpl-modified-mpl": (set(), "a modified MPL is not the MPL"),
    "gemspec": (set(), "no licence file; openly does not read gemspecs"),
    "license-folder": (set(), "an empty README only"),
    "licenses-dir-with-multiple-license-files": ({"MIT", "MPL-2.0"}, "LICENSES/MIT.txt and LICENSES/MPL-2.0.txt"),
    "licenses-dir-with-top-level-license": ({"Apache-2.0", "MIT"}, "LICENSE.md is Apache-2.0, LICENSES/MIT.txt MIT"),
    "multiple-license-files": ({"MIT", "MPL-2.0"}, "LICENSE is MPL-2.0, LICENSE.txt MIT"),
    "pixar-modified-apache": ({"Pixar"}, "SPDX's Pixar licence word for word (a modified Apache 2.0), not Apache-2.0"),
    "wrk-modified-apache": (set(), "a modified Apache licence is not Apache-2.0"),
    "webmock": (set(), "API responses, no licence file"),
}

def spdx_of_key(key):
    """choosealicense key -> spdx-id from its front matter."""
    path = os.path.join(cal_licenses, key + ".txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"spdx-id:\s*(\S+)", line)
            if m:
                return m.group(1)
    raise SystemExit(f"no spdx-id for {key}")

def expected_fixtures():
    out, name = {}, None
    with open(fixtures_yml, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^([A-Za-z0-9_.-]+):\s*$", line)
            if m:
                name = m.group(1)
                continue
            m = re.match(r"^\s+key:\s*(\S*)", line)
            if m and name:
                key = m.group(1)
                if name in JUDGED:
                    out[name] = JUDGED[name][0]
                elif key in ("", "other", "no-license"):
                    raise SystemExit(f"fixture {name} ({key or 'none'}) needs a JUDGED entry")
                else:
                    out[name] = {spdx_of_key(key)}
    return out

GNU_BASES = ("GPL-", "LGPL-", "AGPL-", "GFDL-")

def matches(got, exp):
    if got == exp:
        return True
    # A bare GNU id (deprecated in SPDX) is met by either precise form.
    return exp.startswith(GNU_BASES) and got.startswith(exp + "-")

def judge(got, expected):
    missing = [e for e in expected if not any(matches(g, e) for g in got)]
    lgpl3 = any(e.startswith("LGPL-3.0") for e in expected)
    extra = [g for g in got if not any(matches(g, e) for e in expected)
             and not (lgpl3 and g.startswith("GPL-3.0"))]
    return not missing and not extra, missing, extra

def got_ids(repo):
    ids = set()
    for f in (repo.get("facts") or {}).get("licences") or []:
        for part in re.split(r"\s+(?:OR|AND|WITH)\s+", f["spdx"]):
            part = part.strip("()")
            if part not in ("NOASSERTION", "NONE", ""):
                ids.add(part)
    return ids

def run(label, report_path, expected_by_name):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    right, rows = 0, []
    for repo in report["repos"]:
        name = os.path.basename(repo["source"]["location"].rstrip("/"))
        exp = expected_by_name[name]
        got = got_ids(repo)
        ok, missing, extra = judge(got, exp)
        right += ok
        rows.append((name, ok, sorted(got), sorted(exp), missing, extra))
    total = len(rows)
    print(f"{label}: {right}/{total} right ({100.0 * right / total:.1f}%)")
    for name, ok, got, exp, missing, extra in rows:
        if not ok:
            print(f"  MISS {name}: got {got or '-'}, expected {exp or '-'}"
                  f" (missing {missing or '-'}, not expected {extra or '-'})")
    return right, total

fx = run("licensee fixtures", os.path.join(work, "fixtures.json"), expected_fixtures())
cal = {os.path.basename(p)[:-4]: {spdx_of_key(os.path.basename(p)[:-4])}
       for p in os.listdir(cal_licenses) if p.endswith(".txt")}
cl = run("choosealicense texts", os.path.join(work, "cal.json"), cal)
right, total = fx[0] + cl[0], fx[1] + cl[1]
print(f"total: {right}/{total} right ({100.0 * right / total:.1f}%)")
PY
