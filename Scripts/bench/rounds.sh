#!/usr/bin/env bash
# Alternates `cnn-tutor bench --json` and the TensorFlow baseline for a number
# of rounds in one run, with the machine's load beside each, and prints the
# issue-14 table (swift / TF per workload and round, and the other goals).
#
# usage: Scripts/bench/rounds.sh [ROUNDS]      (default 3)
#   BIN=path/to/cnn-tutor   (default .build/release/cnn-tutor; build with swift build -c release)
#   PY=path/to/python       (default /work/kvenv/bin/python, with tensorflow)
#   OUT=file.jsonl          (default bench-rounds.jsonl: every JSON line of the run)
#   BENCH_ARGS="--only X"   (extra arguments for cnn-tutor bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
BIN=${BIN:-.build/release/cnn-tutor}
PY=${PY:-/work/kvenv/bin/python}
OUT=${OUT:-bench-rounds.jsonl}
: > "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "round $round: swift (load $load)" >&2
  swift_json=$("$BIN" bench --json ${BENCH_ARGS:-})
  echo "{\"round\":$round,\"side\":\"swift\",\"load\":\"$load\",\"figures\":$swift_json}" >> "$OUT"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "round $round: tensorflow (load $load)" >&2
  tf_json=$("$PY" Scripts/bench/tf_baseline.py | tail -1)
  echo "{\"round\":$round,\"side\":\"tf\",\"load\":\"$load\",\"figures\":$tf_json}" >> "$OUT"
done
"$PY" - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rounds = sorted({r["round"] for r in rows})
get = lambda rnd, side: next(r for r in rows if r["round"] == rnd and r["side"] == side)
ratios = {"infer_gap_224_b8_img_s": 1.2, "infer_flatten_224_b8_img_s": 1.2,
          "train_gap_32x32x1_b32_img_s": 2.5, "train_flatten_32x32x1_b32_img_s": 2.5}
print("| workload | " + " | ".join(f"round {r}" for r in rounds) + " | goal |")
print("|---|" + "---|" * len(rounds) + "---|")
print("| load (1/5/15 min) | " + " | ".join(get(r, "swift")["load"] + " / " + get(r, "tf")["load"] for r in rounds) + " | |")
for key, goal in ratios.items():
    cells = []
    for r in rounds:
        s, t = get(r, "swift")["figures"].get(key), get(r, "tf")["figures"].get(key)
        cells.append(f"{s:,.0f} / {t:,.0f} ({s / t:.2f}×)" if s and t else "-")
    print(f"| {key} | " + " | ".join(cells) + f" | ≥ {goal}× |")
others = [("fma_peak_gflops", ""), ("conv_gflops", ""), ("conv_efficiency", "≥ 0.75"),
          ("conv_direct_gflops", ""), ("conv_direct_efficiency", "≥ 0.75"),
          ("parse_summary_30_layers_us", "< 100"), ("parse_summary_30_layers_cold_us", ""),
          ("ui_frame_us", "< 250"), ("idle_rss_mb", ""), ("experiment_rss_mb", "")]
for key, goal in others:
    cells = [f"{get(r, 'swift')['figures'][key]:,.3f}" if key in get(r, "swift")["figures"] else "-" for r in rounds]
    print(f"| {key} | " + " | ".join(cells) + f" | {goal} |")
for key in sorted({k for r in rows if r["side"] == "tf" for k in r["figures"]} - set(ratios) - {"tf", "keras", "threads"}):
    cells = []
    for r in rounds:
        s, t = get(r, "swift")["figures"].get(key), get(r, "tf")["figures"].get(key)
        cells.append(f"{s:,.1f} / {t:,.1f} ({s / t:.2f}×)" if s and t else "-")
    print(f"| {key} | " + " | ".join(cells) + " | |")
PY
