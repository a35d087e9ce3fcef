#!/bin/bash
# The Slurm job array of 'optima slurm' under a real Slurm on this machine. It starts its
# own munged, slurmctld and slurmd (one node, localhost, 2 CPUs) in a temporary folder, on
# free ports and with its own munge key, so it leaves any installed Slurm alone, and stops
# them when it ends. Then:
#   1. the nsa paper at quick scale as an array of 4 shards: the merged results files, CSVs
#      and REPORT.md must equal those of a local unsharded run (timing fields excluded);
#   2. nsa/fig3 at paper scale (a quick shard ends in well under a second, too soon to be
#      killed mid-run; a paper one takes a few seconds): one task is killed mid-run with
#      'scancel --signal=KILL', requeued, and must resume from its own file, losing nothing;
#      the merged results must again equal a local unsharded run.
# It needs root and Debian's slurm-wlm and munge, which it apt-get installs when missing.
# Where it cannot run it fails, loudly (make test-slurm); OPTIMA_SKIP_SLURM=1 skips it (and
# says so). OPTIMA_SLURM_IF_POSSIBLE=1 (make test) skips it with one line where it cannot
# run (not root; no Slurm and no apt-get) and fails loudly on anything else.
# OPTIMA_SLURM_KEEP=1 keeps its folder (logs, results) for a look afterwards.
#
# Usage: Tests/slurm/run.sh [OPTIMA]   (default .build/release/optima; from the package root)
set -euo pipefail

say() { echo "test-slurm: $*"; }
if [ "${OPTIMA_SKIP_SLURM:-}" = 1 ]; then
    say "SKIPPED (OPTIMA_SKIP_SLURM=1): the Slurm job array was NOT tested" >&2
    exit 0
fi
cannot_run() {
    if [ "${OPTIMA_SLURM_IF_POSSIBLE:-}" = 1 ]; then
        say "SKIPPED: $* (make test-slurm runs it where it can)" >&2
        exit 0
    fi
    say "CANNOT RUN: $*" >&2
    say "FAILED; set OPTIMA_SKIP_SLURM=1 to skip this test knowingly" >&2
    exit 1
}

BIN=$(readlink -f "${1:-.build/release/optima}")
[ -x "$BIN" ] || cannot_run "no optima executable at ${1:-.build/release/optima} (build it first)"
[ "$(id -u)" = 0 ] || cannot_run "it starts slurmctld, slurmd and munged, which needs root"

# --- Slurm and munge, installed from Debian's packages when missing.
if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
   || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || cannot_run "Slurm and munge are not installed and there is no apt-get"
    say "installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null; }; } \
      || cannot_run "apt-get install slurm-wlm munge failed"
fi

# --- A one-node cluster in a temporary folder.
WORK=$(mktemp -d /tmp/optima-slurm.XXXXXX)
export SLURM_CONF=$WORK/slurm.conf
failed=1
cleanup() {
    if [ -f "$WORK/slurmctld.pid" ]; then scancel --quiet --user=root >/dev/null 2>&1 || true; sleep 1; fi
    for d in slurmd slurmctld munged; do
        [ -f "$WORK/$d.pid" ] && kill "$(cat "$WORK/$d.pid")" 2>/dev/null || true
    done
    if [ "$failed" = 1 ]; then
        say "FAILED; the daemons' logs and the jobs' output follow" >&2
        tail -n 20 "$WORK"/log/* "$WORK"/*/slurm/*.out >&2 2>/dev/null || true
    fi
    sleep 1
    if [ "${OPTIMA_SLURM_KEEP:-}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 20000))
while ! port_free "$port" || ! port_free $((port + 1)); do port=$((port + 2)); done

mkdir -p "$WORK/state" "$WORK/spool" "$WORK/log"
head -c 1024 /dev/urandom >"$WORK/munge.key"
chmod 400 "$WORK/munge.key"
munged --force --socket="$WORK/munge.socket" --key-file="$WORK/munge.key" --pid-file="$WORK/munged.pid" \
    --log-file="$WORK/log/munged.log" --seed-file="$WORK/munged.seed" || cannot_run "munged did not start"

# cred_expire: a requeued job may start again after 5 s rather than Slurm's default 120.
cat >"$SLURM_CONF" <<EOF
ClusterName=optimatest
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$WORK/munge.socket,cred_expire=5
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF" -c || cannot_run "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N localhost || cannot_run "slurmd did not start"
for _ in $(seq 1 60); do
    [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
    sleep 0.5
done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || cannot_run "the node did not come up: $(sinfo 2>&1 | tail -1)"
say "cluster up: one node, 2 CPUs, ports $port-$((port + 1))"

# --- Waiting for jobs and comparing results.
fail() { say "FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Waits until none of the jobs is in the queue (at most $2 seconds).
wait_jobs() {
    local deadline=$(( $(date +%s) + $2 ))
    while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "jobs $1 still queued after $2 s: $(squeue -j "$1" 2>&1 | tail -n +2)"
        sleep 0.5
    done
}
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
# A results file without its timing field, sorted by grid index (through optima merge).
canonical() {
    "$BIN" merge --out "$2" "$1" >/dev/null
    sed -E -i 's/,"seconds":[^,}]*//g' "$2"   # every one, traces included
}
# The results of RESULTS $1 equal those of RESULTS $2: every results file, CSV and report.
same_results() {
    local n=0 f
    for f in "$2"/nsa/*.jsonl; do
        [ -f "$1/nsa/$(basename "$f")" ] || fail "$1 lacks $(basename "$f")"
        canonical "$1/nsa/$(basename "$f")" "$WORK/a.jsonl"
        canonical "$f" "$WORK/b.jsonl"
        cmp -s "$WORK/a.jsonl" "$WORK/b.jsonl" || fail "$(basename "$f") differs from the unsharded run's"
        n=$((n + 1))
    done
    for f in "$2"/nsa/*.csv "$2"/nsa/REPORT.md; do
        cmp -s "$f" "$1/nsa/$(basename "$f")" || fail "$(basename "$f") differs from the unsharded run's"
    done
    [ "$n" -gt 0 ] || fail "no results files in $2"
}
# Submits with optima slurm --submit; sets ARRAY and MERGE to the job ids.
submit() {
    local out
    out=$("$BIN" slurm "$@" --submit) || fail "optima slurm $* --submit failed"
    ARRAY=$(sed -n 's/^array job \([0-9]*\) .*/\1/p' <<<"$out")
    MERGE=$(sed -n 's/.*merge job \([0-9]*\);.*/\1/p' <<<"$out")
    [ -n "$ARRAY" ] && [ -n "$MERGE" ] || fail "no job ids in: $out"
}

# --- 1. The nsa paper at quick scale, 4 shards, against a local unsharded run.
"$BIN" study nsa --scale quick --results "$WORK/local-quick" --quiet
start=$(now)
submit nsa --scale quick --shards 4 --cpus-per-task 1 --results "$WORK/quick"
wait_jobs "$ARRAY,$MERGE" 180
seconds=$(since "$start")
[ "$(job_state "$MERGE")" = COMPLETED ] || fail "the merge job ended $(job_state "$MERGE")"
same_results "$WORK/quick" "$WORK/local-quick"
say "nsa --scale quick, 4 shards: array and merge job done in $seconds s wall; results equal the unsharded run's"

# --- 2. nsa/fig3 at paper scale: a task killed mid-run, requeued, resumed.
"$BIN" study nsa/fig3 --scale paper --threads 2 --results "$WORK/local-paper" --quiet
start=$(now)
submit nsa/fig3 --scale paper --shards 4 --cpus-per-task 1 --results "$WORK/paper"
victim="${ARRAY}_2"
file="$WORK/paper/shards/2/nsa/fig3.jsonl"
deadline=$(( $(date +%s) + 120 ))
until [ "$(job_state "$victim")" = RUNNING ] && [ -f "$file" ] && [ "$(wc -l <"$file")" -ge 5 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "task $victim never got going"
    sleep 0.1
done
scancel --signal=KILL "$victim"
until [ "$(job_state "$victim")" != RUNNING ]; do sleep 0.2; done
kept=$(wc -l <"$file")
total=$(sed -n 's/.*"index":\([0-9]*\).*/\1/p' "$WORK/local-paper/nsa/fig3.jsonl" | awk '$1 % 4 == 1' | wc -l)
[ "$kept" -lt "$total" ] || fail "task $victim had finished before it was killed ($kept lines)"
say "killed task $victim mid-run ($(job_state "$victim")) with $kept of $total trainings in its file; requeueing it"
# The script's requeue: scontrol requeue, then the merge job's dependency re-armed.
bash "$WORK/paper/slurm/nsa-fig3.sh" requeue "$ARRAY" "$MERGE" 2 >/dev/null
wait_jobs "$ARRAY,$MERGE" 180
[ "$(job_state "$MERGE")" = COMPLETED ] || fail "the merge job ended $(job_state "$MERGE") after the requeue"
# The kill may land between our count and the process's end, so the task may find a line
# or two more than we saw; it must find at least those, and run only what is missing.
resumed=$(sed -n "s|.*resuming, \([0-9]*\)/$total already in the results file.*|\1|p" \
    "$WORK"/paper/slurm/nsa-fig3-"$ARRAY"_2.out | head -1)
[ -n "$resumed" ] && [ "$resumed" -ge "$kept" ] || fail "the requeued task did not resume from its $kept trainings"
[ "$(wc -l <"$file")" = "$total" ] || fail "the requeued shard's file has $(wc -l <"$file") lines, not $total"
[ "$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' "$file" | sort -u | wc -l)" = "$total" ] || fail "a training ran twice"
same_results "$WORK/paper" "$WORK/local-paper"
say "nsa/fig3 --scale paper, 4 shards, task 2 killed and requeued: it resumed from $resumed of $total trainings;" \
    "done in $(since "$start") s; results equal the unsharded run's"

failed=0
say "all passed"
