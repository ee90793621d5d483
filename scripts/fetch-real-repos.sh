#!/usr/bin/env bash
# Fetches the public NHS repositories listed in scripts/real-repos.txt, each at the commit
# listed there, into DIR/<name>: the "26 real repositories" of docs/performance.md, for
# REAL_REPOS=DIR scripts/bench.sh. Needs git and network access to github.com. Nothing fetched
# belongs in this repository: point DIR outside it.
#
#   scripts/fetch-real-repos.sh DIR           # plain trees (no .git), as `git archive` gives them
#   scripts/fetch-real-repos.sh --clone DIR   # full clones checked out at the commit, as a user
#                                             # who clones an organisation's repositories has them
#                                             # (history and every branch under .git)
set -euo pipefail
clone=0
if [ "${1:-}" = --clone ]; then
  clone=1
  shift
fi
dir=${1:?usage: scripts/fetch-real-repos.sh [--clone] DIR}
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
  if [ "$clone" = 1 ]; then
    git clone -q "https://github.com/$repo.git" "$dir/$name"
    git -C "$dir/$name" checkout -q --detach "$commit"
  else
    git init -q "$scratch/$name"
    git -C "$scratch/$name" fetch -q --depth 1 "https://github.com/$repo.git" "$commit"
    mkdir -p "$dir/$name"
    git -C "$scratch/$name" archive "$commit" | tar -x -C "$dir/$name"
    rm -rf "${scratch:?}/$name"
  fi
  echo "fetched: $repo at ${commit:0:12}"
done
echo "$(find "$dir" -mindepth 1 -maxdepth 1 -type d | wc -l) repositories, $(du -sm "$dir" | cut -f1) MB in $dir"
