#!/bin/bash
# The differential test (docs/reference.md): optima and the independent PyTorch reference
# (Benchmarks/peers/reference_pruning.py) train from the same initial weights on the same
# data in the same batch order, and must agree after every epoch: the training loss within
# 1e-4 (relative) over all 60 epochs, and the kept features, nodes and connections exactly.
# Cases, all on XOR k = 3, p = 15, n = 300, 64 hidden nodes, 60 epochs:
#   NSA to 8 nodes; FSA+NSA to 8 nodes and 3 features; CPNA(all) to 12 output and 24 input
#   connections as Alg. 1 writes it (|w| over the layer, pruned after every Adam step), and
#   with optima's defaults (the contribution ranking) on both clocks. The two FSA+NSA runs
#   and the two Alg. 1 runs (two seeds each) train side by side in the reference, as its
#   runs axis does for the papers' cells.
# Then a control: the same check on a trace whose first batch order was changed must fail.
#
# It needs the peers' Python with torch: $OPTIMA_PEERS_PYTHON, else .venv/bin/python in
# $OPTIMA_PEERS_DIR or ../shared/peers beside the checkout. Without one it says so in one
# line and passes. About 15 seconds.
#
# Usage: Tests/reference/run.sh [OPTIMA]   (default .build/release/optima; from the package root)
set -euo pipefail

PEERS_DIR=${OPTIMA_PEERS_DIR:-../shared/peers}
PYTHON=${OPTIMA_PEERS_PYTHON:-$PEERS_DIR/.venv/bin/python}
if ! [ -x "$PYTHON" ] || ! "$PYTHON" -c "import torch" 2>/dev/null; then
    echo "test-reference: SKIPPED: no peers' Python with torch at $PYTHON (set OPTIMA_PEERS_PYTHON); the differential test did NOT run" >&2
    exit 0
fi
BIN=$(readlink -f "${1:-.build/release/optima}" || true)
[ -n "$BIN" ] && [ -x "$BIN" ] || { echo "test-reference: no optima executable at ${1:-.build/release/optima} (build it first)" >&2; exit 1; }
PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"   # absolute; a venv's link kept

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
xor=(--data xor --k 3 --p 15 --n 300 --hidden 64 --epochs 60 --batch 64 --quiet)
cpna=(--layers all --keep-output-connections 12 --keep-input-connections 24)
"$BIN" nsa "${xor[@]}" --seed 2 --keep-nodes 8 --differential-trace "$dir/nsa.json" >/dev/null
for seed in 1 4; do
    "$BIN" fsa "${xor[@]}" --seed $seed --keep-nodes 8 --keep-features 3 --differential-trace "$dir/fsa-$seed.json" >/dev/null
    "$BIN" cpna "${xor[@]}" --seed $seed "${cpna[@]}" --input-ranking layer --clock iteration \
        --differential-trace "$dir/cpna-alg1-$seed.json" >/dev/null
done
"$BIN" cpna "${xor[@]}" --seed 3 "${cpna[@]}" --differential-trace "$dir/cpna-default.json" >/dev/null
"$BIN" cpna "${xor[@]}" --seed 3 "${cpna[@]}" --clock epoch --differential-trace "$dir/cpna-epoch.json" >/dev/null

cd Benchmarks/peers
"$PYTHON" reference_check.py "$dir/nsa.json" "$dir/fsa-1.json,$dir/fsa-4.json" \
    "$dir/cpna-alg1-1.json,$dir/cpna-alg1-4.json" "$dir/cpna-default.json" "$dir/cpna-epoch.json"

# The control: a changed batch order must show as a disagreement, or the check proves nothing.
"$PYTHON" -c '
import json, sys
t = json.load(open(sys.argv[1]))
t["epochs"][0]["order"].reverse()
json.dump(t, open(sys.argv[2], "w"))' "$dir/fsa-1.json" "$dir/control.json"
if "$PYTHON" reference_check.py "$dir/control.json" >/dev/null; then
    echo "test-reference: FAILED: a trace with a changed batch order passed the check" >&2
    exit 1
fi
echo "test-reference: optima and the reference agree (7 runs); the control with a changed batch order fails as it must"
