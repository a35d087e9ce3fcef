"""The papers' contested cells, run in the independent reference alone (reference_pruning.py,
the code the differential test checks against optima), at the settings optima's studies use:

- nsa Fig. 2, at (k, n) = (3, 1000), (4, 1000), (4, 3000): FSA+NSA (H = 1024 -> 128
  nodes, p = 15 -> k features) against the NN on the true features (p = k, h in 16, 64,
  256, 1024), 10 initialisations each, epochs max(300, ceil(16000 / ceil(n/64))); at k = 4,
  n = 1000 also FSA+NSA at the paper's 300.
- nsa Table 1: p = k, n = 1000, h = 1 ... 1024, 10 initialisations; per h the best-loss
  network; the chosen h: among the h with train AUC > 0.95, the smallest whose test AUC is
  within 0.005 of the largest (optima's rule).
- cpna Table 1, 4-D row: p = 40, n = 3000, H = 2048, 300 epochs (75 dense), output-first,
  16 output and 32 input connections, pruned after every Adam step, input connections
  ranked by |w| (Alg. 1) or by contribution; and CPNA(hidden) after 75 dense epochs and
  after the 26 that Fig. 8's 1200 iterations make. Half the initialisations (5), for the
  budget.

Adam lr 1e-3, betas (0.9, 0.999), batch 64, weight decay 1e-4 (nsa) or 1e-3 (cpna), PyTorch's
default initialisation, BCE on the logit. XOR as both papers build it: a master set of
10000 x 60 uniform [-1, 1] values (the first n rows and p columns) and a separate test set
of 3000 rows, y = 1 when the product of the first k features is positive. Our own draws
(numpy seed --seed), not optima's.

Writes nsa-fig2.csv, nsa-table1.csv and cpna-table1.csv into --out and prints each row.
Runs --jobs processes side by side, one thread and one core each.

    python reference_cells.py [--out docs/reference] [--jobs 2] [--inits 10] [--seed 1]
                              [--only fig2,table1,cpna] [--scale 1.0]
"""
import argparse
import csv
import json
import math
import multiprocessing as mp
import os
import time

from pinning import pin

NSA = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-4, batch=64)
CPNA = dict(NSA, weight_decay=1e-3)
MASTER_ROWS, TEST_ROWS, MASTER_COLUMNS = 10000, 3000, 60


def nsa_epochs(n):
    return max(300, math.ceil(16000 / math.ceil(n / 64)))


def jobs(only, inits):
    """(kind, cell settings) of every batched run, the longest first. Fig. 2's true-feature
    NN at n = 1000 is Table 1's trainings (the same p = k, n and epochs)."""
    out = []
    if "cpna" in only:
        for variant, pretrain in (("all-layer", 75), ("all-contribution", 75), ("hidden", 75), ("hidden", 26)):
            out.append(("cpna", dict(k=4, p=40, n=3000, H=2048, variant=variant, output=16, input=32, epochs=300,
                                     pretrain=pretrain, inits=max(1, inits // 2))))
    if "table1" in only or "fig2" in only:
        for k in (3, 4, 5) if "table1" in only else (3, 4):
            for hs in ((1024,), (512,), (128, 256), (1, 2, 4, 8, 16, 32, 64)):
                out.append(("dense", dict(item="table1", k=k, n=1000, hs=hs, epochs=nsa_epochs(1000))))
    if "fig2" in only:
        for k, n in ((3, 1000), (4, 1000), (4, 3000)):
            out.append(("fsa", dict(k=k, p=15, n=n, H=1024, h=128, epochs=nsa_epochs(n))))
        out.append(("fsa", dict(k=4, p=15, n=1000, H=1024, h=128, epochs=300)))
        for hs in ((1024,), (256,), (16, 64)):
            out.append(("dense", dict(item="fig2", k=4, n=3000, hs=hs, epochs=nsa_epochs(3000))))
    return out


def xor(seed, k, p, n):
    import numpy as np
    rng = np.random.default_rng(seed)
    train = rng.uniform(-1, 1, (MASTER_ROWS, MASTER_COLUMNS))[:n, :p]
    test = rng.uniform(-1, 1, (TEST_ROWS, MASTER_COLUMNS))[:, :p]
    label = lambda x: (np.prod(x[:, :k], axis=1) > 0).astype(np.float32)
    return train.astype(np.float32), label(train), test.astype(np.float32), label(test)


def auc(scores, labels):
    """Area under the ROC curve (the Mann-Whitney statistic; ties count a half)."""
    import numpy as np
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(labels) > 0.5
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]
    pos, neg = y.sum(), (~y).sum()
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def initial_runs(widths, p, width, seed):
    """One PyTorch default initialisation per run of a p-h-1 network (h = widths[r]), padded
    with zero nodes to `width`; the padding is removed before training."""
    import torch
    runs = []
    for r, h in enumerate(widths):
        torch.manual_seed(seed * 100003 + r)
        first, second = torch.nn.Linear(p, h), torch.nn.Linear(h, 1)
        W0 = torch.zeros(width, p)
        W0[:h] = first.weight.detach()
        b0 = torch.zeros(width)
        b0[:h] = first.bias.detach()
        W1 = torch.zeros(1, width)
        W1[:, :h] = second.weight.detach()
        runs.append([{"weights": W0.tolist(), "bias": b0.tolist()},
                     {"weights": W1.tolist(), "bias": second.bias.detach().tolist()}])
    return runs


def batch_orders(runs, n, epochs, seed):
    import torch
    gens = [torch.Generator().manual_seed(seed * 7919 + r) for r in range(runs)]
    for _ in range(epochs):
        yield torch.stack([torch.randperm(n, generator=g) for g in gens])


def run_job(job, inits, seed, scale):
    import torch
    from reference_pruning import ConnectionPruning, MaskedNet, NodeSelection, NoPruning, mean_loss, train
    kind, c = job
    inits = c.get("inits", inits)
    epochs = max(4, round(c["epochs"] * scale))
    if kind == "dense":
        k, p, widths = c["k"], c["k"], [h for h in c["hs"] for _ in range(inits)]
        width, settings = max(c["hs"]), NSA
        pruner = NoPruning()
    elif kind == "fsa":
        k, p, widths, width, settings = c["k"], c["p"], [c["H"]] * inits, c["H"], NSA
        pruner = NodeSelection([dict(initial=c["H"], target=c["h"], start=epochs / 4, length=3 * epochs / 4, mu=30)],
                               dict(initial=p, target=k, start=0.6 * epochs, length=0.4 * epochs, mu=30))
    else:
        k, p, widths, width, settings = c["k"], c["p"], [c["H"]] * inits, c["H"], CPNA
        pretrain = round(c["pretrain"] * scale)
        rest = epochs - pretrain
        if c["variant"] == "hidden":
            windows, order = {1: (pretrain, rest)}, [1]
        else:
            windows, order = {1: (pretrain, rest / 2), 0: (pretrain + rest / 2, rest / 2)}, [1, 0]
        pruner = ConnectionPruning(pretrain, windows, {1: c["output"], 0: c["input"]}, order, 30, clock="iteration",
                                   input_ranking="contribution" if c["variant"] == "all-contribution" else "layer")
    x, y, xt, yt = (torch.from_numpy(a) for a in xor(seed, k, p, c["n"]))
    net = MaskedNet(initial_runs(widths, p, width, seed + hash_job(job)), torch.float32)
    if width > min(widths):
        opt_free = type("NoOptimizer", (), {"state": {}})()
        for r, h in enumerate(widths):
            gone = torch.arange(width) >= h
            if gone.any():
                net.remove_nodes(r, 0, gone, opt_free)
    started = time.perf_counter()
    train(net, x, y, settings, pruner, batch_orders(len(widths), c["n"], epochs, seed + hash_job(job)), lambda e, n: None)
    losses = mean_loss(net, x, y)
    with torch.no_grad():
        train_scores = net.forward(x.expand(net.runs, *x.shape)).squeeze(2)
        test_scores = net.forward(xt.expand(net.runs, *xt.shape)).squeeze(2)
    runs = []
    for r, h in enumerate(widths):
        kept = net.kept(r)
        run = dict(h=h, loss=losses[r], train_auc=auc(train_scores[r], y), test_auc=auc(test_scores[r], yt),
                   features=kept["features"])
        if kind == "cpna":
            inputs = net.Wm[0][r].sum(dim=1)
            alive = net.nodes[0][r]
            run["inputs_per_node"] = sorted(inputs[alive].tolist(), reverse=True)
            run["nodes_with_all_k"] = int((net.Wm[0][r][:, :k].all(dim=1) & alive).sum())
        runs.append(run)
    return dict(kind=kind, cell=c, epochs=epochs, runs=runs, seconds=time.perf_counter() - started)


def hash_job(job):
    """A seed offset of the job's own, stable from run to run (Python's hash() is salted)."""
    text = json.dumps(job, sort_keys=True)
    return sum((i + 1) * ord(ch) for i, ch in enumerate(text)) % 1_000_003


def worker_init(cores):
    pin(1, first_core=cores.get())
    import torch
    torch.set_num_threads(1)


def worker(args):
    return run_job(*args)


def mean(xs):
    return sum(xs) / len(xs)


def sd(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / max(1, len(xs) - 1))


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"wrote {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="docs/reference")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--inits", type=int, default=10, help="per cell (CPNA: half)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="fig2,table1,cpna")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every epoch count (a smoke test: 0.02)")
    args = ap.parse_args()
    todo = jobs(args.only.split(","), args.inits)
    cores = mp.get_context("spawn").Queue()
    for i in range(args.jobs):
        cores.put(i)
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(args.jobs, initializer=worker_init, initargs=(cores,)) as pool:
        results = []
        for r in pool.imap_unordered(worker, [(j, args.inits, args.seed, args.scale) for j in todo]):
            print(json.dumps({"kind": r["kind"], "cell": r["cell"], "epochs": r["epochs"], "seconds": round(r["seconds"], 1),
                              "mean_test_auc": round(mean([x["test_auc"] for x in r["runs"]]), 4)}), flush=True)
            results.append(r)
    os.makedirs(args.out, exist_ok=True)
    wall = time.perf_counter() - started
    note = (f"# reference_cells.py --only {args.only}, --inits {args.inits} --seed {args.seed} --scale {args.scale}, "
            f"{args.jobs} processes, {wall / 60:.1f} min wall")
    print(note)

    if "fig2" in args.only:
        rows = []
        fig2_cells = {(3, 1000), (4, 1000), (4, 3000)}
        for r in sorted((r for r in results if r["kind"] in ("fsa", "dense") and (r["cell"]["k"], r["cell"]["n"]) in fig2_cells),
                        key=lambda r: (r["cell"]["k"], r["cell"]["n"], r["kind"], r["epochs"])):
            c = r["cell"]
            by_h = {}
            for run in r["runs"]:
                if r["kind"] == "fsa" or run["h"] in (16, 64, 256, 1024):
                    by_h.setdefault(run["h"], []).append(run)
            for h, rs in sorted(by_h.items()):
                auc_ = [x["test_auc"] for x in rs]
                true = sum(x["features"] == list(range(c["k"])) for x in rs) if r["kind"] == "fsa" else ""
                rows.append([c["k"], c.get("p", c["k"]), c["n"], "fsa+nsa" if r["kind"] == "fsa" else "plain",
                             f"{c['H']}->{c['h']}" if r["kind"] == "fsa" else h, r["epochs"], len(rs),
                             f"{mean([x['loss'] for x in rs]):.4f}", f"{mean(auc_):.4f}", f"{sd(auc_):.4f}", true])
        rows.sort(key=lambda row: (row[0], row[2], row[3], row[5], int(str(row[4]).split("-")[0])))
        write(os.path.join(args.out, "nsa-fig2.csv"), ["k", "p", "n", "method", "h", "epochs", "inits", "mean_train_loss",
              "mean_test_auc", "sd_test_auc", "runs_with_true_features"], rows)
    if "table1" in args.only:
        rows = []
        per_k = {}
        for r in (r for r in results if r["cell"].get("item") == "table1"):
            for run in r["runs"]:
                per_k.setdefault(r["cell"]["k"], {}).setdefault(run["h"], []).append(run)
        for k, hs in sorted(per_k.items()):
            best = {h: min(rs, key=lambda x: x["loss"]) for h, rs in hs.items()}
            eligible = {h: b for h, b in best.items() if b["train_auc"] > 0.95}
            top = max((b["test_auc"] for b in eligible.values()), default=None)
            chosen = min((h for h, b in eligible.items() if b["test_auc"] >= top - 0.005), default=None)
            for h, b in sorted(best.items()):
                rows.append([k, 1000, h, len(hs[h]), f"{b['loss']:.4f}", f"{b['train_auc']:.4f}", f"{b['test_auc']:.4f}",
                             "yes" if h == chosen else ""])
        write(os.path.join(args.out, "nsa-table1.csv"), ["k", "n", "h", "inits", "best_train_loss", "train_auc",
              "test_auc", "chosen"], rows)
    if "cpna" in args.only:
        rows = []
        for r in sorted((r for r in results if r["kind"] == "cpna"), key=lambda r: (r["cell"]["variant"], -r["cell"]["pretrain"])):
            c, rs = r["cell"], r["runs"]
            auc_ = [100 * x["test_auc"] for x in rs]
            spread = [len(x["inputs_per_node"]) and mean(x["inputs_per_node"]) for x in rs] if c["variant"] != "hidden" else []
            rows.append([c["k"], c["p"], c["n"], c["H"], c["variant"], r["epochs"], c["pretrain"], len(rs), f"{max(auc_):.2f}",
                         f"{mean(auc_):.2f}", f"{sd(auc_):.2f}",
                         f"{mean(spread):.2f}" if spread else "",
                         sum(x["nodes_with_all_k"] > 0 for x in rs) if spread else ""])
        write(os.path.join(args.out, "cpna-table1.csv"), ["k", "p", "n", "H", "variant", "epochs", "pretrain", "inits", "best_test_auc",
              "mean_test_auc", "sd_test_auc", "mean_inputs_per_node", "runs_with_a_node_seeing_all_k"], rows)
    # One line per --only, so a partial re-run keeps the others' budgets.
    path = os.path.join(args.out, "budget.txt")
    kept = [l for l in open(path).read().splitlines() if f"--only {args.only}," not in l] if os.path.exists(path) else []
    with open(path, "w") as f:
        f.write("\n".join(kept + [note]) + "\n")


if __name__ == "__main__":
    main()
