#!/usr/bin/env bash
# Benchmark GitHub org mode against a fake organisation on loopback (never the real GitHub):
# REPOS repositories (default 1000), every answer delayed LATENCY_MS (default 50 ms), audited
# with the default playbook, which reads the content of every text file. Runs the audit twice
# with a fresh cache and reports wall time, peak RSS, API requests per repository by kind (all
# kinds but listing pages and codeload downloads, which cost no quota), the most any one
# repository drew, the files the data scan read, and the share of 304 answers on the unchanged
# re-run. Needs /usr/bin/time and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

REPOS=${REPOS:-1000}
LATENCY_MS=${LATENCY_MS:-50}
JOBS=${JOBS:-}

cargo build --release --quiet --bin openly --example fake_github

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

target/release/examples/fake_github --repos "$REPOS" --latency-ms "$LATENCY_MS" > "$work/url" &
server_pid=$!
for _ in $(seq 1 100); do
    [ -s "$work/url" ] && break
    sleep 0.1
done
api=$(head -n1 "$work/url")
[ -n "$api" ] || { echo "the fake GitHub did not start" >&2; exit 1; }

jobs_arg=()
if [ -n "$JOBS" ]; then jobs_arg=(--jobs "$JOBS"); fi

run() {
    local label=$1
    curl -fsS "$api/__reset" >/dev/null
    /usr/bin/time -v -o "$work/time-$label" \
        target/release/openly audit --org bench-org --api-url "$api" --quiet \
        --cache-dir "$work/cache" --format json --output "$work/report-$label.json" "${jobs_arg[@]}" \
        2> "$work/stderr-$label" || { cat "$work/stderr-$label" >&2; exit 1; }
    curl -fsS "$api/__stats" > "$work/stats-$label.json"
}

run first
run second

python3 - "$work" "$REPOS" "$LATENCY_MS" <<'PY'
import json, re, sys
work, repos, latency = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def time_of(label):
    text = open(f"{work}/time-{label}").read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", text).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return seconds, rss / 1024
KINDS = ("commit_sha", "tree", "blobs", "tarball", "rate_limit", "other")
print(f"fake org: {repos} repositories, {latency} ms latency per request, loopback, default playbook")
print("| run | wall s | peak RSS MB | API requests | listing | per repo (excl. listing) | "
      + " | ".join(KINDS) + " | most for one repo | codeload | files scanned per repo | 304s |")
print("|---" * (10 + len(KINDS)) + "|")
for label in ("first", "second"):
    s = json.load(open(f"{work}/stats-{label}.json"))
    wall, rss = time_of(label)
    report = json.load(open(f"{work}/report-{label}.json"))
    summary = report["summary"]
    errored = summary["errored"]
    scanned = sum(((r.get("facts") or {}).get("data") or {}).get("scanned", 0)
                  for r in report["repos"]) / max(1, repos)
    counted = sum(s[k] for k in KINDS)
    share = 100.0 * s["not_modified"] / max(1, s["requests"])
    kinds = " | ".join(f"{s[k] / repos:.3f}" for k in KINDS)
    print(f"| {label} | {wall:.1f} | {rss:.0f} | {s['requests']} | {s['listing']} | "
          f"{counted / repos:.3f} | {kinds} | {s['max_per_repo']} | {s['codeload']} | "
          f"{scanned:.1f} | {s['not_modified']} ({share:.1f}%) |"
          + (f" errored: {errored}" if errored else ""))
PY
