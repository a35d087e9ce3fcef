#!/bin/bash
# Checks the built command line from the outside: every command answers --help, every
# --json run prints exactly one line on stdout and it is one JSON object, and a bad flag
# is a one-line error with exit status 2. Tiny runs only; about a second in all.
#
# Usage: Tests/cli_flags.sh [OPTIMA]   (default .build/release/optima; run from the package root)
set -u
BIN=${1:-.build/release/optima}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# One line of stdout, a JSON object.
json_run() {
    local out
    out=$("$BIN" "$@" --json 2>"$TMP/err") || { fail "optima $* --json: exit $? ($(head -1 "$TMP/err"))"; return; }
    python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 1, f"{len(lines)} lines on stdout"
assert isinstance(json.loads(lines[0]), dict), "not a JSON object"
' <<<"$out" 2>"$TMP/err" || fail "optima $* --json: $(tail -1 "$TMP/err")"
}

# Exit status 2 and one line on stderr.
usage_error() {
    "$BIN" "$@" >/dev/null 2>"$TMP/err"
    local rc=$?
    [ $rc -eq 2 ] || fail "optima $*: exit $rc, expected 2"
    [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "optima $*: $(wc -l <"$TMP/err") lines on stderr, expected 1"
}

for c in train nsa fsa cpna predict cv sweep data merge study slurm; do
    "$BIN" "$c" --help >"$TMP/help" || fail "optima $c --help: exit $?"
    grep -q -- "--help" "$TMP/help" || fail "optima $c --help does not list --help"
done
"$BIN" train -h >/dev/null || fail "optima train -h"

tiny=(--data xor --k 2 --p 4 --n 100 --hidden 8 --epochs 4 --quiet)
json_run train "${tiny[@]}"
json_run train "${tiny[@]}" --recipe cpna-table1
json_run nsa "${tiny[@]}" --keep-nodes 2 --retrain both
json_run fsa "${tiny[@]}" --keep-nodes 2
json_run cpna "${tiny[@]}" --keep-output-connections 3 --keep-input-connections 6
json_run cpna "${tiny[@]}" --nodes --keep-nodes 2
json_run sweep "${tiny[@]}" --inits 2 --threads 1 --results "$TMP/sweep"
[ -f "$TMP/sweep/sweep.jsonl" ] || fail "sweep --results DIR did not write DIR/sweep.jsonl"
json_run merge --out "$TMP/merged.jsonl" "$TMP/sweep/sweep.jsonl"
json_run cv "${tiny[@]}" --hidden 8,4 --wd 1e-4,1e-3 --folds 2 --threads 1 --results "$TMP/cv"
[ -f "$TMP/cv/cv.csv" ] && [ -f "$TMP/cv/cv.svg" ] || fail "cv --results DIR did not write DIR/cv.csv and DIR/cv.svg"
json_run train "${tiny[@]}" --save-model "$TMP/model.json"
printf 'x0,x1,x2,x3\n0,1,0,1\n1,1,0,0\n' >"$TMP/new.csv"
json_run predict --model "$TMP/model.json" --data "$TMP/new.csv" --out "$TMP/pred.csv"
[ "$(wc -l <"$TMP/pred.csv")" -eq 3 ] || fail "predict --out did not write a header and one row per input row"
json_run data list
json_run data describe xor
if [ -d Data/mnist ]; then json_run data describe mnist; fi

usage_error train --no-such-flag
usage_error train --epochs many
usage_error train --optimizer adamw
usage_error train --init-w-std 0.5
usage_error cpna --nodes --keep-output-connections 3
usage_error sweep --seed 3
usage_error cv --folds 1
usage_error cv --wd 1e-3,
usage_error cv --data xor4 --folds 3
usage_error train --data car --test-data "$TMP/none.csv"
usage_error sweep --results "$TMP/x.jsonl"
usage_error data list --view fac
usage_error merge "$TMP/sweep/sweep.jsonl"
usage_error slurm nsa/nosuch
usage_error slurm nsa --shards 0
usage_error predict --data "$TMP/new.csv"
printf '0,1,0\n' >"$TMP/narrow.csv"
usage_error predict --model "$TMP/model.json" --data "$TMP/narrow.csv"
head -c 100 "$TMP/model.json" >"$TMP/truncated.json"
usage_error predict --model "$TMP/truncated.json" --data "$TMP/new.csv"

if [ $failures -eq 0 ]; then echo "cli_flags: all passed"; else echo "cli_flags: $failures failed"; exit 1; fi
