#!/usr/bin/env bash
# Reproducible speed benchmarks for openly, compared with peers in the same hyperfine run.
#
#   scripts/bench.sh                 # generated 10,000-file repository vs `rg --files`
#   REAL_REPOS=DIR scripts/bench.sh  # also: a folder of real repositories (plain trees, one per
#                                    # child directory) in one openly process vs repolinter 0.12
#                                    # run once per repository with its default ruleset
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
  -n "openly audit" "$openly audit $generated --format json > /dev/null"

if [ -n "${REAL_REPOS:-}" ]; then
  repos=$(find "$REAL_REPOS" -mindepth 1 -maxdepth 1 -type d | sort)
  count=$(echo "$repos" | wc -l)
  echo "== real repositories: $count under $REAL_REPOS"
  repolinter_dir="$out/repolinter"
  if [ ! -x "$repolinter_dir/node_modules/.bin/repolinter" ]; then
    mkdir -p "$repolinter_dir"
    npm install --silent --prefix "$repolinter_dir" repolinter@0.12 >/dev/null
  fi
  repolinter="$PWD/$repolinter_dir/node_modules/.bin/repolinter"
  # repolinter's users script it once per repository; it exits non-zero when rules fail.
  loop="for d in $(echo $repos); do $repolinter lint \"\$d\" >/dev/null 2>&1 || true; done"
  hyperfine --warmup 1 --min-runs 3 --export-markdown "$out/real.md" \
    -n "repolinter 0.12 (once per repo)" "$loop" \
    -n "openly audit (one process)" "$openly audit $REAL_REPOS --format json > /dev/null"
fi
