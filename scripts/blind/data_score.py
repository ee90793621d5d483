#!/usr/bin/env python3
"""Score openly's report against the blind corpus's truth.
Usage: python3 scripts/blind/data_score.py OUT_DIR  (reads OUT_DIR/report.json and OUT_DIR/truth.json)"""
import json, os, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
ROOT = sys.argv[1] if len(sys.argv) > 1 else "target/blind/data"
R = json.load(open(os.path.join(ROOT, 'report.json')))
T = json.load(open(os.path.join(ROOT, 'truth.json')))
DETECT = {"data/nhs-number","data/chi-number","data/quasi-identifiers","data/small-numbers"}
def evpaths(f):
    return [e.get('path') for e in f.get('evidence', [])]
by = {os.path.basename(r['name'].rstrip('/')) if r['name'] else r['source']: r for r in R['repos']}
out = {"hits": [], "misses": [], "fp": [], "tp_findings": [], "other_data": [], "secrets": [], "weak_on_neg": []}
for name, t in sorted(T.items()):
    r = by.get(name)
    if r is None:
        print("MISSING REPO", name); continue
    fs = r['findings']
    failing = [f for f in fs if f['rule'] in DETECT and f['outcome'] == 'fail']
    for f in fs:
        if f['rule'].startswith('secrets/') and f['outcome'] == 'fail':
            out['secrets'].append((name, f['rule'], f['message'], evpaths(f)))
        if f['rule'].startswith('data/') and f['rule'] not in DETECT and f['outcome'] not in ('pass', 'not-applicable'):
            out['other_data'].append((name, f['rule'], f['outcome'], f['message'][:160], evpaths(f)[:4]))
    if t['kind'] == 'positive':
        want = t['rule']; ok_outcome = t['outcome']
        m = [f for f in fs if f['rule'] == want and f['outcome'] == ok_outcome and t['file'] in evpaths(f)]
        rf = next((f for f in fs if f['rule'] == want), None)
        if m: out['hits'].append(name)
        else: out['misses'].append((name, t['file'], t['planted'], want, rf and rf['outcome'], rf and rf['message'], rf and evpaths(rf)))
        for f in failing:
            right = (f['rule'] == want or f['rule'] in t.get('also', [])) and all(p == t['file'] for p in evpaths(f))
            (out['tp_findings'] if right else out['fp']).append((name, f['rule'], f['outcome'], f['message'], evpaths(f), t['planted']))
        for a in t.get('also', []):
            if not any(f['rule'] == a and f['outcome'] == 'fail' for f in fs):
                out['misses'].append((name, t['file'], t['planted'] + " [secondary expectation]", a, None, None, None))
    else:
        for f in failing:
            out['fp'].append((name, f['rule'], f['outcome'], f['message'], evpaths(f), t['planted']))
        for f in fs:
            if f['rule'] in DETECT and f['outcome'] != 'fail' and f.get('evidence'):
                out['weak_on_neg'].append((name, f['rule'], f['outcome'], f['message'], evpaths(f)))
npos = sum(1 for t in T.values() if t['kind'] == 'positive')
prim_hits = len(out['hits'])
print(f"primary recall: {prim_hits}/{npos} = {prim_hits/npos:.1%}")
ntp, nfp = len(out['tp_findings']), len(out['fp'])
print(f"precision (failing detection findings): {ntp}/{ntp+nfp} = {ntp/max(1,ntp+nfp):.1%}")
negs = [n for n, t in T.items() if t['kind'] == 'negative']
clean = [n for n in negs if not any(x[0] == n for x in out['fp'])]
print(f"negative repos clean: {len(clean)}/{len(negs)}")
for k in ['misses', 'fp', 'secrets', 'other_data', 'weak_on_neg']:
    print(f"\n== {k} ({len(out[k])})")
    for x in out[k]: print("  ", x)
json.dump(out, open(os.path.join(ROOT, 'score.json'), 'w'), indent=1)
