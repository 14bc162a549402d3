#!/bin/sh
# bench_fit_vs_scipy.sh — mixscope fit against the independent scipy
# reference (../shared/anchors/ref_fit.py: masked MSE, basin hopping around
# L-BFGS-B) on the shared SlimPajama sweep, side by side in one run.
# Prints test MREs, wall times and their ratio. Needs Debian's python3-numpy,
# python3-scipy and python3-pandas (apt-get install them; it skips otherwise).
set -eu
BIN=${MIXSCOPE_BIN:-build/mixscope}
DATA=${MIXSCOPE_SHARED_DATA:-../shared/data}/slimpajama-7dom-upto937M.csv
REF=${MIXSCOPE_REF:-../shared/anchors/ref_fit.py}
PY=/usr/bin/python3
if [ ! -r "$DATA" ] || [ ! -r "$REF" ]; then
    echo "skipped: $DATA or $REF is missing"; exit 0
fi
if ! $PY -c 'import scipy, pandas' 2>/dev/null; then
    echo "skipped: python3-scipy and python3-pandas are not installed"; exit 0
fi
now() { date +%s.%N; }
mre() { # mixscope fit JSON on stdin -> "train test" masked MRE in percent
    $PY -c 'import json,sys; m=json.load(sys.stdin)["metrics"]
t=m.get("test",{}).get("mre"); print("%.2f %s" % (100*m["train"]["mre"], "%.2f" % (100*t) if t is not None else "-"))'
}
ref_mre() { # ref_fit JSON line on stdin -> "train test" masked MRE in percent
    $PY -c 'import json,sys; r=json.loads(sys.stdin.read().strip().splitlines()[-1])
t=r.get("test_all") or r.get("val")
print("%.2f %s" % (100*r["train"]["mre"], "%.2f" % (100*t["mre"]) if t and t.get("cells", 1) else "-"))'
}
run() { # label, mixscope args, ref args
    label=$1; margs=$2; rargs=$3
    t0=$(now); out=$($BIN fit "$DATA" $margs --quiet --json | mre); t1=$(now)
    t2=$(now); ref=$($PY "$REF" "$DATA" $rargs 2>/dev/null | tail -1 | ref_mre); t3=$(now)
    ms=$(echo "$t1 - $t0" | bc -l); rs=$(echo "$t3 - $t2" | bc -l)
    printf '%s\n  mixscope: train/test MRE %s %%, %.2f s\n' "$label" "$out" "$ms"
    printf '  scipy:    train/test MRE %s %%, %.2f s\n' "$ref" "$rs"
    printf '  speed-up: %.1fx\n' "$(echo "$rs / $ms" | bc -l)"
}
run "extrapolation: train N<=310M, test 680M + 937M" "--train N<=310M" "extrapolate --train-max 310e6"
run "extrapolation: train N<=680M, test 937M" "--train N<=680M" "extrapolate --train-max 680e6"
run "whole file, default settings" "" "extrapolate --train-max 937e6"
run "one scale: 122M, 10B tokens, 20% of runs held out" "--at 122M,9.998B --val 0.2" "single"
