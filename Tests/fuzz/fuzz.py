#!/usr/bin/env python3
"""Fuzz test of the optima command line: generated, damaged inputs on every surface (data
files through `data describe`, `train` and `fsa`; saved models and new rows through
`predict`; cv grids; select on degenerate data; damaged study, sweep, cv and select
results files; merge; slurm's arguments), each run through the built binary and judged.

A case passes when optima exits 0 with valid output (no NaN or infinity it did not
read, no empty test set reported as one, one JSON object where --json asks for one),
exits 2 with one error line ("optima COMMAND: ...") after at most its progress lines, or
exits 1 with one line saying a training diverged. Anything else is a defect: a crash (a
signal), a hang (past --timeout), a multi-line error, raw control characters on stderr,
a NaN or an infinity in the output, an empty test set, another exit status.

Cases come from --seed alone: case i is the same on every run and machine, so
`fuzz.py --case I` replays one. The folder of a failed case is kept for inspection.
Python 3 standard library only.

    python3 Tests/fuzz/fuzz.py --optima .build/release/optima --cases 10000 --seed 1
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import surfaces  # noqa: E402

# Commands that print progress lines on stderr unless --quiet.
PROGRESS = {"train", "nsa", "fsa", "cpna", "cv", "sweep", "select", "study"}
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
# NaN or an infinity as a number is written ("nan", "inf", "-inf", "NaN", "Infinity").
NONFINITE = re.compile(rb"(?i)(?<![A-Za-z0-9_])(nan|inf|infinity)(?![A-Za-z0-9_])")
# Files a command may write into its case folder, checked for NaN as its output is.
# (A study's REPORT.md quotes the papers, whose words include "infinity".)
OUTPUTS = ["p.csv", "p", "t.csv", "saved.json", "best.json", "m.jsonl", "a", "r/*/*.csv", "c/cv.csv", "c/cv.json",
           "sel/select.csv", "sel/select.json"]


def base_material(optima, folder):
    """Data files, saved models and results files made by optima itself, by relative path."""
    def write(name, text):
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)

    colours = ["red", "green", "blue"]
    write("bin.csv", "a,b,colour,y\n" + "".join(
        "%.3f,%.3f,%s,%d\n" % (i / 40, (i * 7 % 11) / 11, colours[i % 3], int(i / 40 + (i * 7 % 11) / 11 > 0.9))
        for i in range(40)))
    write("multi.csv", "a,b,y\n" + "".join("%.3f,%.3f,%d\n" % (i / 45, (i * 5 % 9) / 9, i % 3) for i in range(45)))
    write("reg.csv", "a,b,y\n" + "".join("%.3f,%.3f,%.4f\n" % (i / 40, (i * 3 % 7) / 7, 3 * i / 40 + (i * 3 % 7) / 7)
                                         for i in range(40)))

    def run(args):
        p = subprocess.run([optima] + args + ["--quiet"], cwd=folder, capture_output=True, timeout=300)
        if p.returncode != 0:
            sys.exit("fuzz: preparing the base material failed: optima %s: %s"
                     % (" ".join(args), p.stderr.decode(errors="replace")))

    for data in ["bin", "multi", "reg"]:
        run(["train", "--data", data + ".csv", "--hidden", "4", "--epochs", "3", "--save-model", "model-%s.json" % data])
    run(["fsa", "--data", "bin.csv", "--hidden", "4", "--epochs", "5", "--keep-features", "2", "--keep-nodes", "2",
         "--save-model", "model-fsa.json"])
    for args in [surfaces.study_args(s) for s in surfaces.STUDIES] + [surfaces.SWEEP_ARGS, surfaces.CV_ARGS]:
        run(args)
        results = args[args.index("--results") + 1]
        for shard in (1, 2):
            sharded = list(args)
            sharded[args.index("--results") + 1] = "%d/%s" % (shard, results)
            run(sharded + ["--shard", "%d/2" % shard])
    run(surfaces.SELECT_ARGS)

    material = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if name.endswith((".csv", ".json", ".jsonl")):
                with open(path, "rb") as f:
                    material[os.path.relpath(path, folder)] = f.read()
    return material


def judge(case, rc, out, err, folder):
    """The defect this outcome shows, or None."""
    if rc < 0:
        return "crash (signal %s)" % signal.Signals(-rc).name
    if b"Fatal error" in err or b"Stack dump" in err:
        return "fatal error message"
    if CONTROL.search(err):
        return "raw control characters on stderr"
    command = case.argv[0]
    lines = err.decode("utf-8", "replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if rc in (1, 2):
        if not lines:
            return "exit %d without a message" % rc
        error, earlier = lines[-1], lines[:-1]
        if not (error.startswith("optima %s: " % command) or error.startswith("optima: ")):
            return "error line does not start 'optima %s: '" % command
        quiet = "--quiet" in case.argv or command not in PROGRESS
        if (quiet and earlier) or any(l.startswith("optima ") for l in earlier):
            return "multi-line error"
        if rc == 1 and "diverged" not in error:
            return "exit 1"
        return None
    if rc != 0:
        return "exit %d" % rc
    inputs = b"\n".join(list(case.files.values()) + [" ".join(case.argv).encode()])
    if not NONFINITE.search(inputs):
        for path in (p for pattern in OUTPUTS for p in glob.glob(os.path.join(folder, pattern))):
            name = os.path.relpath(path, folder)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    if NONFINITE.search(f.read()):
                        return "NaN or infinity in %s" % name
        if NONFINITE.search(out):
            return "NaN or infinity in the output"
    if re.search(rb"(?<![0-9])0 test", out + err):
        return "an empty test set reported as if it were one"
    if "--json" in case.argv:
        last = out.decode("utf-8", "replace").rstrip("\n").split("\n")[-1]
        try:
            if not isinstance(json.loads(last), dict):
                return "--json output is not one JSON object"
        except ValueError:
            return "--json output is not JSON"
    return None


class Outcome:
    def __init__(self, index, case, status, defect, err, seconds, folder):
        self.index, self.case, self.status, self.defect = index, case, status, defect
        self.err, self.seconds, self.folder = err, seconds, folder


def run_case(optima, base, work, seed, index, timeout, keep_all=False):
    rng = random.Random("%d/%d" % (seed, index))
    case = surfaces.SURFACES[index % len(surfaces.SURFACES)](rng, base)
    folder = os.path.join(work, "case-%06d" % index)
    os.makedirs(folder)
    for name, data in case.files.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    start = time.monotonic()
    try:
        p = subprocess.run([optima] + case.argv, cwd=folder, capture_output=True, timeout=timeout)
        status, err = p.returncode, p.stderr
        defect = judge(case, p.returncode, p.stdout, p.stderr, folder)
    except subprocess.TimeoutExpired as e:
        status, err, defect = "hang", e.stderr or b"", "hang (over %d s)" % timeout
    seconds = time.monotonic() - start
    if defect is None and not keep_all:
        shutil.rmtree(folder, ignore_errors=True)
    return Outcome(index, case, status, defect, err, seconds, folder)


def report(outcomes, seed, seconds, jobs):
    by_surface = collections.OrderedDict()
    for o in sorted(outcomes, key=lambda o: o.index):
        row = by_surface.setdefault(o.case.surface, collections.Counter())
        row["cases"] += 1
        row["defects"] += o.defect is not None
        row[o.status if o.status in (0, 1, 2) else "other"] += 1
    print("optima fuzz: %d cases from seed %d in %.0f s (%d at once)" % (len(outcomes), seed, seconds, jobs))
    print("%-16s %7s %7s %7s %7s %7s %8s" % ("surface", "cases", "exit 0", "exit 1", "exit 2", "other", "defects"))
    total = collections.Counter()
    for surface, row in by_surface.items():
        total.update(row)
        print("%-16s %7d %7d %7d %7d %7d %8d" % (surface, row["cases"], row[0], row[1], row[2], row["other"],
                                                 row["defects"]))
    print("%-16s %7d %7d %7d %7d %7d %8d" % ("all", total["cases"], total[0], total[1], total[2], total["other"],
                                             total["defects"]))
    for o in sorted((o for o in outcomes if o.defect), key=lambda o: o.index):
        last = o.err.decode("utf-8", "replace").strip().split("\n")[-1][:300]
        print("DEFECT case %d (%s): %s\n  optima %s\n  stderr: %s\n  files: %s"
              % (o.index, o.case.surface, o.defect, shlex.join(o.case.argv), last.encode("unicode_escape").decode(),
                 o.folder))
    return total["defects"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--optima", default=".build/release/optima", help="the optima executable")
    ap.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="the seed every case derives from (default 1)")
    ap.add_argument("--case", type=int, help="run this one case, keep its folder and show its output")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cases at once (default: the cores)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds a case may take before it counts as a hang")
    ap.add_argument("--work", help="folder for the cases (default: a new temporary folder)")
    ap.add_argument("--log", help="write one JSON line per case here: surface, command, status, last stderr line")
    args = ap.parse_args()

    optima = os.path.abspath(args.optima)
    if not os.access(optima, os.X_OK):
        sys.exit("fuzz: no optima executable at %s (build it first)" % args.optima)
    work = args.work or tempfile.mkdtemp(prefix="optima-fuzz-")
    os.makedirs(os.path.join(work, "base"), exist_ok=True)
    start = time.monotonic()
    base = base_material(optima, os.path.join(work, "base"))

    if args.case is not None:
        o = run_case(optima, base, work, args.seed, args.case, args.timeout, keep_all=True)
        print("case %d (%s): optima %s\nstatus %s, %s\nfolder %s\n--- stderr\n%s"
              % (o.index, o.case.surface, shlex.join(o.case.argv), o.status, o.defect or "no defect", o.folder,
                 o.err.decode("utf-8", "replace")))
        return 1 if o.defect else 0

    outcomes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_case, optima, base, work, args.seed, i, args.timeout) for i in range(args.cases)]
        for n, f in enumerate(concurrent.futures.as_completed(futures), 1):
            outcomes.append(f.result())
            if n % 1000 == 0:
                print("fuzz: %d/%d cases, %d defects, %.0f s" % (n, args.cases, sum(o.defect is not None for o in outcomes),
                                                              time.monotonic() - start), file=sys.stderr, flush=True)
    if args.log:
        with open(args.log, "w") as f:
            for o in sorted(outcomes, key=lambda o: o.index):
                last = o.err.decode("utf-8", "replace").strip().split("\n")[-1]
                f.write(json.dumps({"case": o.index, "surface": o.case.surface, "argv": o.case.argv, "status": o.status,
                                    "defect": o.defect, "stderr": last, "seconds": round(o.seconds, 3)}) + "\n")
    defects = report(outcomes, args.seed, time.monotonic() - start, args.jobs)
    if defects == 0 and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
