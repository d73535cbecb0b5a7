#!/usr/bin/env python3
"""Compare a regenerated reference folder with the committed one.

usage: compare.py NEW_DIR [OLD_DIR] [--tol 1e-5]
OLD_DIR defaults to Tests/Reference. Summaries must match exactly (same
cases, layers, shapes and counts; a refused model refused again); fixture
tensors must have the same names and shapes, and the largest
|new - old| / (1 + |old|) must stay within the tolerance. Prints one line per
difference and a closing count; exit status 0 only when everything matches.
"""
import json, os, sys
import numpy as np
from safetensors.numpy import load_file

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    args = [a for a in sys.argv[1:]]
    tol = 1e-5
    if "--tol" in args:
        i = args.index("--tol"); tol = float(args[i + 1]); del args[i:i + 2]
    if not args:
        print(__doc__); return 2
    new, old = args[0], args[1] if len(args) > 1 else os.path.join(ROOT, "Tests", "Reference")
    problems = 0
    a = {c["id"]: c for c in json.load(open(os.path.join(old, "keras-summaries.json")))["cases"]}
    b = {c["id"]: c for c in json.load(open(os.path.join(new, "keras-summaries.json")))["cases"]}
    for key in sorted(a.keys() | b.keys()):
        if key not in a or key not in b:
            print(f"summary {key}: only in {'new' if key in b else 'old'}"); problems += 1; continue
        ea, eb = a[key]["expected"], b[key]["expected"]
        if ("error" in ea) != ("error" in eb) or ("error" not in ea and ea != eb):
            print(f"summary {key}: differs"); problems += 1
    print(f"summaries: {len(a)} old, {len(b)} new, {sum(1 for k in a if k in b)} compared")
    fa, fb = os.path.join(old, "fixtures"), os.path.join(new, "fixtures")
    for name in sorted(set(os.listdir(fa)) | set(os.listdir(fb))):
        if not (os.path.isdir(os.path.join(fa, name)) and os.path.isdir(os.path.join(fb, name))):
            print(f"fixture {name}: only in one folder"); problems += 1; continue
        want = load_file(os.path.join(fa, name, "expected.safetensors"))
        got = load_file(os.path.join(fb, name, "expected.safetensors"))
        worst = 0.0
        for key in sorted(want.keys() | got.keys()):
            if key not in want or key not in got:
                print(f"fixture {name}: {key} only in {'new' if key in got else 'old'}"); problems += 1; continue
            w, g = want[key].astype(np.float64), got[key].astype(np.float64)
            if w.shape != g.shape:
                print(f"fixture {name}: {key} shape {list(g.shape)} != {list(w.shape)}"); problems += 1; continue
            err = float(np.max(np.abs(g - w) / (1 + np.abs(w)))) if w.size else 0.0
            worst = max(worst, err)
            if not err <= tol:
                print(f"fixture {name}: {key} differs by {err:.2e}"); problems += 1
        print(f"fixture {name}: {len(got)} tensors, worst {worst:.1e}")
    print("match" if problems == 0 else f"{problems} differences")
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
