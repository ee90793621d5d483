"""Score openly's report against the blind licence corpus's truth.
Usage: python3 scripts/blind/licence_score.py OUT_DIR  (reads OUT_DIR/report.json and OUT_DIR/truth.json)"""
import json,os,sys
root=sys.argv[1] if len(sys.argv)>1 else "target/blind/licence"
rep=json.load(open(os.path.join(root,'report.json'))); truth=json.load(open(os.path.join(root,'truth.json')))
repos={r['name']:r for r in rep['repos']}
ok=0; dis=[]
out=[]
for name,t in truth.items():
    r=repos.get(name)
    if r is None: out.append(f"MISSING {name}"); continue
    facts=r['facts']['licences']
    ids=sorted(set(f['spdx'] for f in facts))
    fnd={f['rule']:f for f in r['findings'] if f['rule'].startswith('licence/')}
    probs=[]
    if ids!=t['expect_ids']: probs.append(f"ids {ids} != expected {t['expect_ids']}")
    else: ok+=1
    for rule,exp in t['rules'].items():
        got=fnd[rule]['outcome']
        if got!=exp: probs.append(f"{rule}: got {got}, expected {exp} -- {fnd[rule]['message']}")
    for lid,sc in t['scopes'].items():
        scs=set(f['scope'] for f in facts if f['spdx']==lid)
        if sc not in scs: probs.append(f"scope of {lid}: {scs} expected {sc}")
    if probs:
        dis.append(name)
        out.append(f"\n### {name}  ({t['note']}) {'[debatable: '+t['debatable']+']' if t['debatable'] else ''}")
        for p in probs: out.append("  - "+p)
        out.append("  facts: "+"; ".join(f"{f['spdx']}|{f['scope']}|{f['declared_in']}|{f['path']}:{f.get('line')}|{f['confidence']:.3f}"+(f"|closest {f['closest']['spdx']} {f['closest']['score']:.3f}" if f.get('closest') else '') for f in facts))
        out.append("  outcomes: "+", ".join(f"{k.split('/')[1]}={v['outcome']}" for k,v in fnd.items()))
print(f"ids accuracy {ok}/{len(truth)}; cases with any disagreement {len(dis)}")
print("\n".join(out))
