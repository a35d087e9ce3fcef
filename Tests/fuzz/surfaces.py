"""One generator per surface of the command line. Each makes a case from a random.Random and
the base material (small data files, saved models, results files of a study, a sweep, a cv
grid and a select run, prepared once): the files to write into the case's folder and the
command to run there. Values are drawn from lists that mix the valid with the hostile, and
every valid size stays small, so no case trains for long."""

import json

import mutations as m

# The runs whose results files the base material holds; a case that damages one reruns the
# same command, so the keys match and the file is read back.
# Studies quick to run, with grids (nsa/fig3) and with computations of their own (the rest).
STUDIES = ["nsa/fig3", "counterexamples/theorem1", "counterexamples/prop4", "counterexamples/prop5",
           "counterexamples/fig3", "counterexamples/fig5"]


def study_args(study):
    return ["study", study, "--scale", "quick", "--results", "r", "--threads", "1"]
SWEEP_ARGS = ["sweep", "--data", "bin.csv", "--hidden", "2", "--epochs", "3", "--inits", "6", "--results", "s",
              "--threads", "1"]
CV_ARGS = ["cv", "--data", "bin.csv", "--hidden", "2,3", "--epochs", "2", "--folds", "2", "--results", "c",
           "--threads", "1"]
SELECT_ARGS = ["select", "--data", "bin.csv", "--runs", "2", "--tune-runs", "2", "--epochs", "2", "--no-tune-wide",
               "--final-folds", "2", "--final-networks", "1", "--results", "sel", "--threads", "1"]


class Case:
    def __init__(self, surface, argv, files):
        self.surface = surface
        self.argv = argv
        self.files = files          # relative path -> bytes


class Draw:
    """The random choices of one case. About half the cases are hostile: their flags mix
    values no command can use into the valid ones; the others draw valid values only, so
    that the paths past the checks (training, printing, writing) are fuzzed too."""

    def __init__(self, rng):
        self.rng = rng
        self.hostile = rng.random() < 0.5

    def one(self, good, bad=()):
        return self.rng.choice(list(good) + (list(bad) if self.hostile else []))

    def flag(self, p, name, good, bad=()):
        return [name, self.one(good, bad)] if self.rng.random() < p else []

    def toggle(self, p, name):
        return [name] if self.rng.random() < p else []

    def damage(self, p):
        """Whether to damage an input: always possible, likelier in a hostile case."""
        return self.rng.random() < (p if self.hostile else p / 2)


# Data

def random_table(rng, rows=None, task=None, sep=None):
    """A small delimited file: a header (usually), 1-5 feature columns of numbers, whole
    numbers, words or a constant, and a label column last."""
    n = rows or rng.choice([1, 2, 3, 4, 6, 10, 20, 40, 60])
    p = rng.randint(1, 5)
    kinds = [rng.choice(["float", "float", "int", "word", "const"]) for _ in range(p)]
    task = task or rng.choice(["binary", "binary", "multi", "regression", "words", "many"])
    sep = sep or rng.choice([",", ",", ",", "\t", " "])
    names = ["f%d" % j for j in range(p)] + ["y"]
    out = [sep.join(names)] if rng.random() < 0.85 else []
    for i in range(n):
        cells = []
        for k in kinds:
            cells.append({"float": "%.3f" % rng.uniform(-5, 5), "int": str(rng.randint(0, 9)),
                          "word": rng.choice(["red", "green", "blue"]), "const": "7"}[k])
        cells.append({"binary": str(i % 2), "multi": str(i % 3), "regression": "%.4f" % rng.uniform(-100, 100),
                      "words": rng.choice(["yes", "no"]) if i > 1 else ["yes", "no"][i], "many": str(i)}[task])
        out.append(sep.join(cells))
    return ("\n".join(out) + "\n").encode(), names


def data_flags(d, names):
    return (d.flag(0.15, "--task", ["auto", "classification", "regression"], ["bogus"])
            + d.flag(0.1, "--label-column", names + ["0", "-1"], ["7", "-9", "zz", ""])
            + d.flag(0.1, "--categorical", names, ["zz", "f0,zz", ""])
            + d.flag(0.08, "--header", ["auto", "yes", "no"], ["maybe"])
            + d.flag(0.08, "--separator", ["auto", "comma", "tab", "whitespace"], ["semicolon"])
            + d.flag(0.12, "--test-fraction", ["0.2", "0.5", "0.99", "0.01", "1e-9"], ["0", "1", "-1", "nan", "abc"])
            + d.flag(0.08, "--scaling", ["minmax", "standardize", "none"], ["log"])
            + d.flag(0.05, "--input-scale", ["1", "1e30", "1e-30", "-1"], ["0", "nan"])
            + d.flag(0.05, "--split-seed", ["0", "18446744073709551615"], ["18446744073709551616", "-1", "x"]))


def training_flags(d):
    """Small networks for few epochs; in a hostile case, values no training can use too."""
    return (["--hidden", d.one(["1", "2", "4", "8", "2,2", "3,2,2"], ["0", "-1", "", "a", "2,,2", "1e3", "4,0"]),
             "--epochs", d.one(["1", "2", "3", "5"], ["0", "-1", "x", "1.5"])]
            + d.flag(0.15, "--batch", ["1", "2", "64"], ["0", "-5", "x"])
            + d.flag(0.15, "--lr", ["1e-3", "0.1", "10", "1e30", "1e-30"], ["0", "-1", "nan", "inf", "x"])
            + d.flag(0.1, "--wd", ["0", "1e-4", "1e10"], ["-1", "nan"])
            + d.flag(0.1, "--optimizer", ["adam", "sgd", "gd"], ["rmsprop"])
            + d.flag(0.08, "--seed", ["0", "7", "18446744073709551615"], ["18446744073709551616", "-1"])
            + d.flag(0.05, "--init", ["pytorch", "gaussian"], ["xavier"])
            + d.flag(0.05, "--init-w-std", ["0", "1e30", "1e-30", "1e19"], ["-1", "nan"])
            + d.flag(0.05, "--activation", ["relu", "sigmoid"], ["tanh"]))


def output_flags(d, files=True):
    good = [["--json"], ["--quiet"], ["--json", "--quiet"], []]
    return d.one(good + ([["--trace", "t.csv"], ["--save-model", "saved.json"], ["--save-model", "m"]] if files else []),
                 [["--trace", "q/"], ["--save-model", ""]] if files else [])


def data_case(d, base):
    """A data file, damaged in one case of two or more, with its flags."""
    rng = d.rng
    table, names = random_table(rng)
    if d.damage(0.7):
        table = m.mutate_text(rng, table)
    files = {"data.csv": table}
    flags = data_flags(d, names)
    if rng.random() < 0.08:
        labels, _ = random_table(rng, rows=rng.choice([2, 10, 40]))
        files["labels.txt"] = b"\n".join(line.split(b",")[-1] for line in labels.split(b"\n"))
        flags += ["--labels", "labels.txt"]
    if rng.random() < 0.08:
        files["test.csv"] = m.mutate_text(rng, table) if d.damage(0.5) else table
        flags += ["--test-data", "test.csv"]
    return files, flags


def describe(rng, base):
    d = Draw(rng)
    files, flags = data_case(d, base)
    return Case("data describe", ["data", "describe", "data.csv"] + flags + d.toggle(0.3, "--json"), files)


def train(rng, base):
    d = Draw(rng)
    files, flags = data_case(d, base)
    return Case("train", ["train", "--data", "data.csv"] + flags + training_flags(d) + output_flags(d), files)


def fsa(rng, base):
    d = Draw(rng)
    files, flags = data_case(d, base)
    keep = (["--keep-features", d.one(["1", "2", "3"], ["0", "100", "-1", "x"])]
            + ["--keep-nodes", d.one(["1", "2"], ["0", "1000", "x"])]
            + d.flag(0.1, "--mu", ["30", "1", "1e30"], ["0", "-1", "nan"])
            + d.flag(0.1, "--feature-start", ["0", "1"], ["100", "-1"])
            + d.flag(0.1, "--retrain", ["none", "fresh", "original", "both"], ["x"]))
    return Case("fsa", ["fsa", "--data", "data.csv"] + flags + training_flags(d) + keep + output_flags(d), files)


# Prediction

MODELS = ["model-bin.json", "model-multi.json", "model-reg.json", "model-fsa.json"]
MODEL_DATA = {"model-bin.json": "bin.csv", "model-multi.json": "multi.csv", "model-reg.json": "reg.csv",
              "model-fsa.json": "bin.csv"}


def predict_flags(d):
    return d.one([[], ["--out", "p.csv"], ["--out", "p.csv", "--json"], ["--out", "p"]],
                 [["--json"], ["--out", ""], ["--out", "q/"]])


def predict_model(rng, base):
    """A saved model, damaged: fields removed or retyped, numbers pushed to extremes, bytes cut."""
    d = Draw(rng)
    name = rng.choice(MODELS)
    text = base[name]
    op = rng.random()
    if op < 0.3:
        text = json.dumps(m.extreme_numbers(rng, json.loads(text))).encode()
    elif op < 0.85:
        text = json.dumps(m.mutate_json(rng, json.loads(text))).encode()
    else:
        text = m.mutate_text(rng, text, times=1)
    files = {"m.json": text, "new.csv": base[MODEL_DATA[name]]}
    return Case("predict model", ["predict", "--model", "m.json", "--data", "new.csv"] + predict_flags(d), files)


def predict_rows(rng, base):
    """New rows for a sound model: damaged cells, columns dropped, renamed or reordered, labels apart."""
    d = Draw(rng)
    name = rng.choice(MODELS)
    rows = base[MODEL_DATA[name]]
    lines = rows.split(b"\n")
    op = rng.choice(["mutate", "mutate", "drop-column", "rename", "reorder", "no-header", "unknown-word", "labels"])
    flags = []
    files = {"m.json": base[name]}
    if op == "mutate":
        rows = m.mutate_text(rng, rows)
    elif op in ("drop-column", "reorder", "rename", "no-header", "labels"):
        table = [l.split(b",") for l in lines if l]
        j = rng.randrange(len(table[0]))
        if op == "drop-column" or op == "labels":
            if op == "labels":
                j = len(table[0]) - 1
                files["labels.txt"] = b"\n".join(r[j] for r in table[1:]) + b"\n"
                flags += ["--labels", "labels.txt"]
            table = [r[:j] + r[j + 1:] for r in table]
        elif op == "reorder":
            k = rng.randrange(len(table[0]))
            for r in table:
                r[j], r[k] = r[k], r[j]
        elif op == "rename":
            table[0][j] = rng.choice([b"other", b"", b"y", table[0][0]])
        else:
            table = table[1:]
        rows = b"\n".join(b",".join(r) for r in table) + b"\n"
    else:
        rows = rows.replace(b"red", rng.choice([b"purple", b"", b"RED"]), 1)
    if d.damage(0.2):
        rows = m.mutate_text(rng, rows, times=1)
    files["new.csv"] = rows
    flags += d.flag(0.1, "--header", ["yes", "no", "auto"]) + d.flag(0.1, "--separator", ["comma", "tab"], ["x"])
    return Case("predict rows", ["predict", "--model", "m.json", "--data", "new.csv"] + flags + predict_flags(d), files)


# Grids and runs

def cv(rng, base):
    """A cv grid of comma-separated axes, or the base grid's results file damaged."""
    d = Draw(rng)
    if rng.random() < 0.25:
        files = {"bin.csv": base["bin.csv"], "c/cv.jsonl": m.mutate_records(rng, base["c/cv.jsonl"],
                                                                               fields=("score", "setting", "fold"))}
        return Case("cv log", CV_ARGS + output_flags(d, files=False), files)
    if rng.random() < 0.5:
        data, names = base["bin.csv"], ["a", "b", "colour", "y"]
    else:
        data, names = random_table(rng, rows=rng.choice([4, 10, 40]))
        if d.damage(0.4):
            data = m.mutate_text(rng, data)
    axes = (d.flag(0.7, "--hidden", ["2,4", "2", "1,2,3"], ["2,,4", "0,2", "a,b", ","])
            + d.flag(0.3, "--wd", ["1e-4,1e-3", "0,1"], ["-1,1", "nan,1", "x"])
            + d.flag(0.3, "--lr", ["1e-3,1e-2", "10,1e30"], ["0", "x,1"])
            + d.flag(0.2, "--batch", ["4,64", "1"], ["0,4"])
            + d.flag(0.15, "--optimizer", ["adam,sgd", "gd"], ["adam,x"])
            + d.flag(0.15, "--activation", ["relu,sigmoid"], ["x"]))
    method = d.one([[], [], ["--method", "nsa", "--keep-nodes", d.one(["1", "1,2"], ["0", "9"])],
                    ["--method", "fsa", "--keep-features", d.one(["1", "1,2"], ["0", "9"]), "--keep-nodes", "1"],
                    ["--method", "cpna"]], [["--method", "x"], ["--method", "fsa"]])
    flags = (["--epochs", d.one(["1", "2", "1,2"])] + axes + method
             + d.flag(0.5, "--folds", ["2", "3"], ["0", "1", "100", "x"])
             + d.flag(0.3, "--repeats", ["1", "2"], ["0", "-1"])
             + d.flag(0.15, "--shard", ["1/2", "2/2", "1/100"], ["3/2", "0/1", "1/0", "x"])
             + d.flag(0.15, "--threads", ["1", "2"], ["0", "-1"])
             + d.flag(0.1, "--save-model", ["best.json", "m"], ["q/"])
             + data_flags(d, names))
    return Case("cv grid", ["cv", "--data", "data.csv", "--results", "c"] + flags + output_flags(d, files=False),
                {"data.csv": data})


def select(rng, base):
    """select on data too small, too even or too odd for its draws, with light settings; or a
    damaged select results file."""
    d = Draw(rng)
    light = ["--runs", d.one(["2", "3"], ["0", "1"]), "--tune-runs", d.one(["2"], ["0"]),
             "--epochs", "2", "--tune-wide-epochs", "2", "--final-networks", d.one(["1", "2"], ["0"]),
             "--threads", "1"]
    if rng.random() < 0.2:
        stage = rng.choice(["select-tune-runs.jsonl", "select-tune.jsonl", "select.jsonl", "select-final.jsonl"])
        files = {"bin.csv": base["bin.csv"]}
        for name in ["select-tune-runs.jsonl", "select-tune.jsonl", "select.jsonl", "select-final.jsonl"]:
            data = base["sel/" + name]
            files["sel/" + name] = m.mutate_records(rng, data, fields=("held_out_loss", "norms", "cv_loss", "kept")) \
                if name == stage else data
        return Case("select log", SELECT_ARGS + output_flags(d, files=False), files)
    kind = rng.choice(["tiny", "tiny", "one-class", "constant", "one-feature", "wide", "regression", "unique", "fine"])
    rows = {"tiny": rng.choice([1, 2, 3, 4, 5]), "wide": 8}.get(kind, rng.choice([6, 12, 24]))
    data, names = random_table(rng, rows=rows, task={"regression": "regression", "unique": "many"}.get(kind), sep=",")
    if kind in ("one-class", "constant"):
        lines = data.split(b"\n")
        data = b"\n".join(lines[:1] + [l.rsplit(b",", 1)[0] + b",1" if kind == "one-class" else
                                       b",".join(b"3" for _ in l.split(b",")[:-1]) + b"," + l.split(b",")[-1]
                                       for l in lines[1:] if l]) + b"\n"
    elif kind == "one-feature":
        data = b"x,y\n" + b"".join(b"%d.5,%d\n" % (i % 5, i % 2) for i in range(rng.choice([4, 10, 30])))
    elif kind == "wide":
        data = b",".join(b"f%d" % j for j in range(30)) + b",y\n" + b"".join(
            b",".join(b"%.2f" % rng.random() for _ in range(30)) + b",%d\n" % (i % 2) for i in range(8))
    flags = (light + d.toggle(0.3, "--no-tune") + d.toggle(0.2, "--no-copies")
             + d.flag(0.3, "--final-folds", ["2", "3"], ["0", "1", "50"])
             + d.toggle(0.2, "--no-final-choice")
             + d.flag(0.2, "--final-epochs", ["2"], ["0"])
             + d.flag(0.2, "--sample-fraction", ["0.5", "0.8"], ["0", "1", "1.5", "nan"])
             + d.flag(0.2, "--threshold", ["0.5", "1"], ["0", "2", "-1"])
             + d.flag(0.2, "--run-features", ["1", "2"], ["0", "100"])
             + d.flag(0.1, "--copy-r2", ["0.5", "1"], ["0", "2"])
             + d.flag(0.1, "--holdout-fraction", ["0.25", "0.5"], ["0", "0.99", "1"])
             + d.flag(0.1, "--hidden", ["4", "2,2"], ["0"])
             + data_flags(d, names))
    if "--no-final-choice" in flags and "--final-epochs" not in flags:
        flags += ["--final-epochs", "2"]
    return Case("select data", ["select", "--data", "data.csv", "--results", "sel"] + flags
                + output_flags(d, files=False), {"data.csv": data})


def study_log(rng, base):
    """A study's results file damaged, the study run again: its trainings' records, or its
    computations' (lists of numbers and flags that rows read back)."""
    d = Draw(rng)
    study = rng.choice(STUDIES)
    path = "r/%s.jsonl" % study
    data = base[path]
    if d.damage(0.9):
        fields = ("train_loss", "test_auc", "nodes", "init", "seconds") if study == "nsa/fig3" else \
            tuple(sorted(k for k in json.loads(data.split(b"\n")[0]) if k not in ("key", "index", "grid")))
        data = m.mutate_records(rng, data, fields=fields)
    return Case("study log", study_args(study) + output_flags(d, files=False), {path: data})


def sweep_log(rng, base):
    d = Draw(rng)
    data = base["s/sweep.jsonl"]
    if d.damage(0.9):
        data = m.mutate_records(rng, data, fields=("train_loss", "seed", "init"))
    extra = d.one([[], ["--save-model", "best.json"], ["--json"], ["--quiet"]])
    return Case("sweep log", SWEEP_ARGS + extra, {"bin.csv": base["bin.csv"], "s/sweep.jsonl": data})


def merge(rng, base):
    """The shards of a study, a sweep or a cv grid, one or more damaged, joined into a file."""
    d = Draw(rng)
    kind = rng.choice(["r/nsa/fig3.jsonl", "r/counterexamples/fig5.jsonl", "s/sweep.jsonl", "c/cv.jsonl"])
    shards = {"shard-%d.jsonl" % i: base["%d/%s" % (i, kind)] for i in (1, 2)}
    for name in sorted(shards):
        if d.damage(0.6):
            shards[name] = m.mutate_records(rng, shards[name])
    names = sorted(shards)
    if d.damage(0.1):
        names.append(rng.choice(["missing.jsonl", "shard-1.jsonl"]))
    if d.damage(0.1):
        other = rng.choice(["r/nsa/fig3.jsonl", "s/sweep.jsonl", "c/cv.jsonl"])
        shards["other.jsonl"] = base["1/" + other]
        names.append("other.jsonl")
    out = d.one(["m.jsonl", "a", "shard-1.jsonl", "sub/dir/m.jsonl", "é"], ["", "q/"])
    return Case("merge", ["merge", "--out", out] + names + d.toggle(0.3, "--json"), shards)


def slurm(rng, base):
    """slurm's arguments: studies, shard counts, names and paths (never --submit)."""
    d = Draw(rng)
    study = d.one(["nsa/fig3", "nsa/fig6", "nsa", "cpna/fig8", "counterexamples/prop4", "all"],
                  ["x/y", "", "nsa/../x", "NSA/fig3", "nsa/fig3\x1b[2J"])
    flags = (d.flag(0.6, "--shards", ["1", "4", "60", "61", "10000"], ["100000", "0", "-1", "x", "2.5"])
             + d.flag(0.3, "--cpus-per-task", ["1", "4"], ["0", "5000", "x"])
             + d.flag(0.2, "--partition", ["compute", "gpu-1"], ["a b", "x;rm", "", "é"])
             + d.flag(0.2, "--time", ["2:00:00", "1-00:00"], ["x y", "$(id)", ""])
             + d.flag(0.4, "--script", ["job.sh", "my jobs/it's.sh", "s", "a\"b.sh", "é.sh", "dir/x.sh"], ["q/", ""])
             + d.flag(0.5, "--scale", ["quick", "paper", "full"], ["huge"])
             + ["--results", d.one(["res", "res/sub"], ["res dir", "r'q", ""])]
             + d.toggle(0.3, "--json"))
    return Case("slurm", ["slurm", study] + flags, {})


SURFACES = [describe, train, fsa, predict_model, predict_rows, cv, select, study_log, sweep_log, merge, slurm]
