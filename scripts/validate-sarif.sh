#!/usr/bin/env bash
# Validates SARIF files the way GitHub code scanning will read them, offline.
#
#   scripts/validate-sarif.sh FILE...
#
# 1. Microsoft's SARIF multitool (`validate`, rule kinds Sarif and Gh), installed once from the
#    npm registry into target/tools/ (a self-contained binary; nothing is fetched when it runs).
#    It exits 0 even when it finds errors, so its own SARIF output is read instead: any error
#    fails, and so do the warnings whose subject GitHub's ingestion uses (GH_WARNINGS below).
# 2. Checks for what GitHub relies on but the multitool does not look at (it accepts an unknown
#    level, a wrong ruleIndex, a ruleId with no rule, missing partialFingerprints and two runs of
#    one category): see check_github() below.
#
# Exit status: 0 when every file passes, 1 when any fails, 2 on a usage or install problem.
set -euo pipefail

VERSION=5.7.0
# SARIF2005: tool version and informationUri; SARIF2007: paths relative to the repository root;
# SARIF2008: $schema; SARIF2012: rule metadata; SARIF2016: file URIs relative; SARIF2017: region.
GH_WARNINGS="SARIF2005 SARIF2007 SARIF2008 SARIF2012 SARIF2016 SARIF2017"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE..." >&2
  exit 2
fi
for file in "$@"; do
  if [ ! -f "$file" ]; then
    echo "validate-sarif: no such file: $file" >&2
    exit 2
  fi
done
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "validate-sarif: needs $tool (Debian: apt-get install nodejs npm)" >&2
    exit 2
  fi
done

root="$(cd "$(dirname "$0")/.." && pwd)"
tool_dir="${OPENLY_SARIF_TOOL_DIR:-$root/target/tools/sarif-multitool-$VERSION}"
case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  *) echo "validate-sarif: unsupported platform $(uname -s)" >&2; exit 2 ;;
esac
package="@microsoft/sarif-multitool-$platform"
binary="$tool_dir/node_modules/$package/Sarif.Multitool"
if [ ! -f "$binary" ]; then
  echo "validate-sarif: installing $package@$VERSION into $tool_dir"
  mkdir -p "$tool_dir"
  npm install --prefix "$tool_dir" --no-audit --no-fund --save-exact --loglevel=error \
    "@microsoft/sarif-multitool@$VERSION" "$package@$VERSION" >&2
fi
# npm 11 skips the package's own postinstall (chmod) unless scripts are allowed.
chmod u+x "$binary"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

status=0
for file in "$@"; do
  out="$scratch/$(basename "$file").validation.sarif"
  # Called directly, not through npx: the npm wrapper runs it through a shell, which splits
  # "Sarif;Gh" at the semicolon.
  if ! "$binary" validate "$file" --output "$out" --log ForceOverwrite \
    --rule-kind "Sarif;Gh" --quiet >"$scratch/stdout" 2>&1; then
    cat "$scratch/stdout" >&2
    echo "validate-sarif: the multitool failed on $file" >&2
    status=1
    continue
  fi
  if ! node - "$file" "$out" "$GH_WARNINGS" <<'NODE'
'use strict';
const fs = require('fs');
const [file, validation, ghWarnings] = process.argv.slice(2);
const problems = [];

// What the multitool found: errors always count, warnings when GitHub uses their subject.
const relied = new Set(ghWarnings.split(/\s+/).filter(Boolean));
const report = JSON.parse(fs.readFileSync(validation, 'utf8'));
// The multitool writes messages as a template id and arguments; put them together.
function messageText(run, result) {
  const m = result.message || {};
  if (m.text) return m.text;
  const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
  const rule = rules[result.ruleIndex] || rules.find((x) => x.id === result.ruleId) || {};
  const template = ((rule.messageStrings || {})[m.id] || {}).text || (m.arguments || []).join(' ');
  return template.replace(/\{(\d+)\}/g, (_, n) => (m.arguments || [])[Number(n)] ?? '');
}
for (const run of report.runs || []) {
  for (const inv of run.invocations || []) {
    for (const n of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
      if (n.level === 'error') problems.push(`multitool: ${n.message && n.message.text}`);
    }
  }
  for (const r of run.results || []) {
    const level = r.level || 'warning';
    const where = ((r.locations || [])[0] || {}).physicalLocation || {};
    const line = where.region ? `:${where.region.startLine}` : '';
    const text = messageText(run, r);
    if (level === 'error' || (level === 'warning' && relied.has(r.ruleId))) {
      problems.push(`${r.ruleId} (${level})${line}: ${text}`);
    }
  }
}

// What GitHub relies on that the multitool does not check.
function checkGithub(log) {
  const out = [];
  const levels = new Set(['none', 'note', 'warning', 'error']);
  if (log.version !== '2.1.0') out.push(`version is ${JSON.stringify(log.version)}, not "2.1.0"`);
  if (typeof log.$schema !== 'string' || !log.$schema) out.push('no $schema');
  const runs = Array.isArray(log.runs) ? log.runs : [];
  if (runs.length === 0) out.push('no runs');
  if (runs.length > 20) out.push(`${runs.length} runs: GitHub rejects a file with more than 20`);
  const categories = new Map();
  runs.forEach((run, i) => {
    const at = `runs[${i}]`;
    const driver = (run.tool && run.tool.driver) || {};
    if (!driver.name) out.push(`${at}.tool.driver.name is missing`);
    const category = `${driver.name}\u0000${(run.automationDetails && run.automationDetails.id) || ''}`;
    if (categories.has(category)) {
      out.push(`${at} has the same tool and automationDetails.id as runs[${categories.get(category)}]: GitHub rejects two runs of one category in a file`);
    } else {
      categories.set(category, i);
    }
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    if (rules.length > 25000) out.push(`${at}: ${rules.length} rules, over GitHub's 25,000`);
    const ids = new Map();
    rules.forEach((rule, k) => {
      const rat = `${at}.tool.driver.rules[${k}]`;
      if (!rule.id) out.push(`${rat}.id is missing`);
      else if (ids.has(rule.id)) out.push(`${rat}.id ${rule.id} repeats rules[${ids.get(rule.id)}]`);
      else ids.set(rule.id, k);
      const level = rule.defaultConfiguration && rule.defaultConfiguration.level;
      if (level !== undefined && !levels.has(level)) out.push(`${rat}.defaultConfiguration.level ${JSON.stringify(level)} is not none/note/warning/error`);
      for (const key of ['shortDescription', 'fullDescription']) {
        const text = rule[key] && rule[key].text;
        if (typeof text === 'string' && text.length > 1024) out.push(`${rat}.${key}.text is over GitHub's 1,024 characters`);
      }
      if (typeof rule.name === 'string' && rule.name.length > 255) out.push(`${rat}.name is over 255 characters`);
      if (!rule.help || !rule.help.text) out.push(`${rat}.help.text is missing`);
      const props = rule.properties || {};
      if (Array.isArray(props.tags) && props.tags.length > 20) out.push(`${rat}: ${props.tags.length} tags, over GitHub's 20`);
      if (props['security-severity'] !== undefined) {
        const s = props['security-severity'];
        const n = Number(s);
        if (typeof s !== 'string' || !(n > 0 && n <= 10)) out.push(`${rat}.properties.security-severity ${JSON.stringify(s)} is not a string from 0.1 to 10.0`);
      }
      if (props.precision !== undefined && !['very-high', 'high', 'medium', 'low'].includes(props.precision)) out.push(`${rat}.properties.precision ${JSON.stringify(props.precision)} is not very-high/high/medium/low`);
    });
    const results = Array.isArray(run.results) ? run.results : null;
    if (!results) { out.push(`${at}.results is missing`); return; }
    if (results.length > 25000) out.push(`${at}: ${results.length} results, over GitHub's 25,000`);
    results.forEach((r, k) => {
      const rat = `${at}.results[${k}]`;
      if (!r.ruleId) out.push(`${rat}.ruleId is missing`);
      else if (!ids.has(r.ruleId)) out.push(`${rat}.ruleId ${r.ruleId} is not in tool.driver.rules`);
      if (r.ruleIndex !== undefined && (!rules[r.ruleIndex] || rules[r.ruleIndex].id !== r.ruleId)) out.push(`${rat}.ruleIndex ${r.ruleIndex} does not point at rule ${r.ruleId}`);
      if (r.level !== undefined && !levels.has(r.level)) out.push(`${rat}.level ${JSON.stringify(r.level)} is not none/note/warning/error`);
      if (!r.message || typeof r.message.text !== 'string' || !r.message.text.trim()) out.push(`${rat}.message.text is missing or empty`);
      const locations = Array.isArray(r.locations) ? r.locations : [];
      if (locations.length === 0) out.push(`${rat} has no locations: GitHub shows no alert without one`);
      if (locations.length > 10) out.push(`${rat} has ${locations.length} locations; GitHub reads the first only and allows 10`);
      const physical = (locations[0] || {}).physicalLocation || {};
      const uri = physical.artifactLocation && physical.artifactLocation.uri;
      if (locations.length && (typeof uri !== 'string' || !uri)) out.push(`${rat}.locations[0] has no artifactLocation.uri`);
      if (typeof uri === 'string' && (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/'))) out.push(`${rat}.locations[0] uri ${uri} is not relative to the repository root`);
      if (locations.length && !(physical.region && Number.isInteger(physical.region.startLine) && physical.region.startLine >= 1)) out.push(`${rat}.locations[0] has no region.startLine`);
      const fp = r.partialFingerprints || {};
      if (typeof fp.primaryLocationLineHash !== 'string' || !fp.primaryLocationLineHash) out.push(`${rat}.partialFingerprints.primaryLocationLineHash is missing: GitHub would see duplicate alerts`);
      (r.suppressions || []).forEach((s, j) => {
        if (!s.justification || !String(s.justification).trim()) out.push(`${rat}.suppressions[${j}].justification is missing`);
      });
    });
  });
  return out;
}

let log;
try {
  log = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (err) {
  problems.push(`not JSON: ${err.message}`);
}
if (log) problems.push(...checkGithub(log).map((p) => `github: ${p}`));

if (problems.length) {
  for (const p of problems) console.error(`${file}: ${p}`);
  process.exit(1);
}
console.log(`${file}: valid SARIF 2.1.0 for GitHub code scanning`);
NODE
  then
    status=1
  fi
done
exit "$status"
