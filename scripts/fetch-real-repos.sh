#!/usr/bin/env bash
# Exports the public NHS repositories listed in scripts/real-repos.txt, each at the commit
# listed there, as plain trees (no .git) into DIR/<name>: the "26 real repositories" of
# docs/performance.md, for REAL_REPOS=DIR scripts/bench.sh. Needs git and network access to
# github.com. Nothing fetched belongs in this repository: point DIR outside it.
#
#   scripts/fetch-real-repos.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/fetch-real-repos.sh DIR}
list="$(dirname "$0")/real-repos.txt"
mkdir -p "$dir"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
grep -v '^#' "$list" | while read -r repo commit; do
  name=${repo#*/}
  if [ -d "$dir/$name" ]; then
    echo "kept: $dir/$name"
    continue
  fi
  git init -q "$scratch/$name"
  git -C "$scratch/$name" fetch -q --depth 1 "https://github.com/$repo.git" "$commit"
  mkdir -p "$dir/$name"
  git -C "$scratch/$name" archive "$commit" | tar -x -C "$dir/$name"
  rm -rf "${scratch:?}/$name"
  echo "fetched: $repo at ${commit:0:12}"
done
echo "$(find "$dir" -mindepth 1 -maxdepth 1 -type d | wc -l) repositories, $(du -sm "$dir" | cut -f1) MB in $dir"
