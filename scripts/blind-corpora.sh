#!/usr/bin/env bash
# The blind corpora of 2026-12-07 (docs/data.md and docs/licences.md, "blind corpus"): invented
# repositories built by outside testers who had not seen openly's code, with their expected
# answers, audited by the release build and scored.
#
#   scripts/blind-corpora.sh                # patient data: 81 invented repositories
#   LICENCE_TEXTS=DIR scripts/blind-corpora.sh
#                                           # also licences: 141 invented repositories, built
#                                           # from licence texts in DIR (see
#                                           # scripts/blind/licence_corpus.py)
#
# Needs python3 (openpyxl for the workbook cases: pip install openpyxl). Output under
# target/blind/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
openly="$PWD/target/release/openly"

out=target/blind/data
rm -rf "$out" && mkdir -p "$out"
python3 scripts/blind/data_corpus.py "$out"
"$openly" audit "$out/corpus" --format json --no-repo-config -o "$out/report.json" || true
python3 scripts/blind/data_score.py "$out" | head -5

if [ -n "${LICENCE_TEXTS:-}" ]; then
  out=target/blind/licence
  rm -rf "$out" && mkdir -p "$out"
  python3 scripts/blind/licence_corpus.py "$out" "$LICENCE_TEXTS"
  "$openly" audit "$out/corpus" --format json --no-repo-config -o "$out/report.json" || true
  python3 scripts/blind/licence_score.py "$out" | head -3
fi
