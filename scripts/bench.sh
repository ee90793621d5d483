#!/usr/bin/env bash
# Reproducible speed benchmarks for openly, compared with peers in the same hyperfine run.
#
#   scripts/bench.sh                 # generated 10,000-file repository vs `rg --files`
#   REAL_REPOS=DIR scripts/bench.sh  # also: a folder of real repositories (one per child
#                                    # directory: plain trees, or clones with .git as users
#                                    # have them; scripts/fetch-real-repos.sh [--clone] DIR)
#                                    # in one openly process, in one hyperfine run with ripgrep
#                                    # searching one regex over the same bytes (.git included,
#                                    # as -uuu reads it) and repolinter 0.12 run once per
#                                    # repository
#   BEFORE=REV scripts/bench.sh      # also: openly built at git revision REV against this build,
#                                    # same inputs, same rule pack file, one hyperfine run
#                                    # (a restructuring must not slow the audit down)
#   SKIP_DATA=1                      # leave out the 1 GB sensitive-data scan
#   SKIP_REPOLINTER=1                # with REAL_REPOS: only the comparison with ripgrep
#
# Needs: hyperfine and ripgrep (Debian: apt-get install hyperfine ripgrep); for the repolinter
# comparison, Node.js and npm (repolinter is installed into a scratch directory).
# Results go to stdout and, as Markdown tables, to target/bench/*.md; docs/performance.md
# records the figures measured on the project's 2-core machines.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/bench
mkdir -p "$out"
for tool in hyperfine rg; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is needed (apt-get install hyperfine ripgrep)" >&2; exit 2; }
done

echo "== building openly (release)"
cargo build --release --quiet
openly="$PWD/target/release/openly"

# A deterministic 10,000-file repository: source, docs and small data files in nested folders.
generated="$out/generated-10k"
if [ ! -f "$generated/.complete" ]; then
  rm -rf "$generated"
  python3 - "$generated" <<'PY'
import os, random, sys
root = sys.argv[1]
random.seed(42)
kinds = [(".py", "def f_{n}(x):\n    \"\"\"Return x plus {n}.\"\"\"\n    return x + {n}\n"),
         (".R", "f_{n} <- function(x) {{\n  x + {n}\n}}\n"),
         (".md", "# Note {n}\n\nThis page documents part {n} of the pipeline.\n"),
         (".sql", "SELECT region, COUNT(*) AS n_{n} FROM attendances GROUP BY region;\n"),
         (".csv", "region,month,attendances\nY56,2024-01,{n}0\nY58,2024-01,{n}1\n")]
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "README.md"), "w") as f:
    f.write("# Generated\n\nA generated repository used to benchmark openly against a plain file listing.\n")
for i in range(9999):
    ext, body = kinds[i % len(kinds)]
    d = os.path.join(root, f"pkg{i % 50:02d}", f"mod{(i // 50) % 20:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i:05d}{ext}"), "w") as f:
        f.write(body.format(n=i))
open(os.path.join(root, ".complete"), "w").close()
PY
fi
echo "== generated repository: $(find "$generated" -type f | wc -l) files"

hyperfine --warmup 2 --min-runs 10 --export-markdown "$out/listing.md" \
  -n "rg --files" "rg --files --hidden --no-ignore $generated > /dev/null" \
  -n "openly audit (foundation rules)" "$openly audit $generated --rules scripts/foundation-pack.toml --format json > /dev/null" \
  -n "openly audit (full playbook)" "$openly audit $generated --format json > /dev/null"

if [ -n "${BEFORE:-}" ]; then
  # The other revision is built in its own worktree and target directory under target/bench,
  # so this checkout and its build are untouched.
  rev=$(git rev-parse --short "$BEFORE")
  before_dir="$out/before-$rev"
  if [ ! -x "$before_dir/target/release/openly" ]; then
    rm -rf "$before_dir"
    git worktree add --detach --force "$before_dir" "$rev" >/dev/null
    (cd "$before_dir" && cargo build --release --quiet)
  fi
  before="$PWD/$before_dir/target/release/openly"
  # Both builds read the same pack file and the same trees; the rules each build has built in
  # differ (new rules arrive), so the foundation pack is the like-for-like comparison and the
  # built-in playbook shows what users run.
  targets="$generated fixtures/org${REAL_REPOS:+ $REAL_REPOS}"
  # Like for like: the foundation pack as each build understands it, with the same rules on.
  # The older build gets no overrides of rules it does not know (it would refuse them with exit
  # 78); this build also turns off the rules the older one does not have.
  before_pack="$out/foundation-pack-$rev.toml"
  now_pack="$out/foundation-pack-now-vs-$rev.toml"
  "$before" rules --format json >"$out/rules-$rev.json"
  "$openly" rules --format json >"$out/rules-now.json"
  python3 - "$out/rules-$rev.json" "$out/rules-now.json" "$before_pack" "$now_pack" <<'PY'
import json, re, sys
before_rules, now_rules, before_pack, now_pack = sys.argv[1:5]
known = {rule["id"] for rule in json.load(open(before_rules))["rules"]}
newer = sorted({rule["id"] for rule in json.load(open(now_rules))["rules"]} - known)
lines = open("scripts/foundation-pack.toml").read().splitlines(keepends=True)
with open(before_pack, "w") as out:
    for line in lines:
        match = re.match(r'"([^"]+)" = ', line)
        if not match or match.group(1) in known:
            out.write(line)
with open(now_pack, "w") as out:
    out.writelines(lines)
    named = {m.group(1) for m in (re.match(r'"([^"]+)" = ', l) for l in lines) if m}
    for rule in newer:
        if rule not in named:
            out.write(f'"{rule}" = {{ enabled = false }}\n')
PY
  # No -i: a run that fails must stop the benchmark, not be timed.
  hyperfine --warmup 2 --min-runs 10 --export-markdown "$out/before-after-foundation.md" \
    -n "openly $rev (foundation rules)" "for t in $targets; do $before audit \$t --rules $before_pack --format json > /dev/null; done" \
    -n "openly now (the same rules)" "for t in $targets; do $openly audit \$t --rules $now_pack --format json > /dev/null; done"
  hyperfine --warmup 2 --min-runs 10 --export-markdown "$out/before-after-playbook.md" \
    -n "openly $rev (built-in playbook)" "for t in $targets; do $before audit \$t --format json > /dev/null; done" \
    -n "openly now (built-in playbook)" "for t in $targets; do $openly audit \$t --format json > /dev/null; done"
fi

if [ -n "${REAL_REPOS:-}" ]; then
  repos=$(find "$REAL_REPOS" -mindepth 1 -maxdepth 1 -type d | sort)
  count=$(echo "$repos" | wc -l)
  echo "== real repositories: $count under $REAL_REPOS ($(du -sm "$REAL_REPOS" | cut -f1) MB, $(find "$REAL_REPOS" -type f | wc -l) files)"
  # Both goals of the one-read-pass issue in one hyperfine run, so the ratios share the
  # machine's state: the whole default playbook against ripgrep searching one regex over every
  # byte of the same trees, and against repolinter 0.12 run once per repository with its default
  # ruleset, the way its users script it (it exits non-zero when rules fail).
  peers=(-n "rg -uuu -c '[0-9]{10}'" "rg -uuu -c '[0-9]{10}' $REAL_REPOS > /dev/null || true")
  if [ "${SKIP_REPOLINTER:-}" != 1 ]; then
    repolinter_dir="$out/repolinter"
    if [ ! -x "$repolinter_dir/node_modules/.bin/repolinter" ]; then
      mkdir -p "$repolinter_dir"
      npm install --silent --prefix "$repolinter_dir" repolinter@0.12 >/dev/null
    fi
    repolinter="$PWD/$repolinter_dir/node_modules/.bin/repolinter"
    loop="for d in $(echo $repos); do $repolinter lint \"\$d\" >/dev/null 2>&1 || true; done"
    peers+=(-n "repolinter 0.12 (once per repo)" "$loop")
  fi
  hyperfine --warmup 1 --min-runs 5 --export-markdown "$out/real.md" \
    "${peers[@]}" \
    -n "openly audit (one process, full playbook)" "$openly audit $REAL_REPOS --format json > /dev/null" \
    -n "openly audit (one process, foundation rules)" "$openly audit $REAL_REPOS --rules scripts/foundation-pack.toml --format json > /dev/null"
fi

# ── Sensitive-data scan ──────────────────────────────────────────────────────────────────────
# A deterministic tree of mixed text and CSV (DATA_MB megabytes, 1024 by default), with decoy
# 10-digit ids and a few valid NHS numbers, scanned by the minimal preset (licence, README and
# the data/secrets rules) and, in the same hyperfine run, by ripgrep looking for 10-digit runs.
# Peak RSS of each comes from /usr/bin/time -v.
if [ "${SKIP_DATA:-}" = 1 ]; then exit 0; fi
data_mb="${DATA_MB:-1024}"
datatree="$out/data-${data_mb}mb"
if [ ! -f "$datatree/.complete" ]; then
  rm -rf "$datatree"
  python3 - "$datatree" "$data_mb" <<'PY'
import os, random, sys
root, mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
def nhs():
    while True:
        nine = random.choice("467") + "".join(random.choice("0123456789") for _ in range(8))
        c = 11 - sum(int(d) * (10 - i) for i, d in enumerate(nine)) % 11
        if c != 10:
            return nine + str(0 if c == 11 else c)
words = ("the pipeline reads monthly activity for each provider and region and writes tidy "
         "outputs for publication after suppression of small counts").split()
# Blocks are generated once and recombined, so a gigabyte takes seconds, not minutes.
prose_lines = [" ".join(random.choice(words) for _ in range(14))
               + (" ref %010d" % random.randrange(10**9, 10**10) if random.random() < 0.05 else "")
               for _ in range(5000)]
csv_rows = ["%010d,R%02d%s,2024-%02d,%d,%d" % (random.randrange(10**9, 10**10), random.randrange(100),
            random.choice("ABC"), random.randrange(1, 13), random.randrange(100, 9999), random.randrange(50, 999))
            for _ in range(20000)]
def block(lines, n, header=None):
    out, size = ([header] if header else []), 0
    start = random.randrange(len(lines))
    while size < n:
        line = lines[start % len(lines)]; start += 7
        out.append(line); size += len(line) + 1
    return "\n".join(out) + "\n"
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "README.md"), "w") as f:
    f.write("# Generated\n\nA generated tree for the sensitive-data scan benchmark.\n")
total, i, target = 0, 0, mb * 1024 * 1024
while total < target:
    d = os.path.join(root, "part%02d" % (i % 40))
    os.makedirs(d, exist_ok=True)
    if i % 3 == 0:
        size = random.choice([64, 256, 1024, 4096]) * 1024
        body, name = block(csv_rows, size, "record_id,org_code,month,attendances,admissions"), "table%05d.csv" % i
    else:
        body, name = block(prose_lines, random.choice([16, 64, 256]) * 1024), "notes%05d.md" % i
    if i % 500 == 0:  # a few patient-like rows, so the detectors have work to do
        body = "nhs_number,surname\n" + "".join("%s,Pryce\n" % nhs() for _ in range(20))
        name = "extract%05d.csv" % i
    with open(os.path.join(d, name), "w") as f:
        f.write(body)
    total += len(body); i += 1
open(os.path.join(root, ".complete"), "w").close()
PY
fi
echo "== sensitive-data scan: $(du -sm "$datatree" | cut -f1) MB in $(find "$datatree" -type f | wc -l) files"
hyperfine --warmup 1 --min-runs 3 -i --export-markdown "$out/data-scan.md" \
  -n "rg '\\b[0-9]{10}\\b'" "rg -c '\\b[0-9]{10}\\b' $datatree > /dev/null" \
  -n "openly audit --preset minimal" "$openly audit $datatree --preset minimal --no-repo-config --format json > /dev/null"
for cmd in "rg -c \\b[0-9]{10}\\b $datatree" "$openly audit $datatree --preset minimal --no-repo-config --format json"; do
  rss=$( { /usr/bin/time -v $cmd > /dev/null; } 2>&1 | awk -F': ' '/Maximum resident set size/ {print $2}')
  echo "peak RSS: $((rss / 1024)) MB  ($cmd)"
done
