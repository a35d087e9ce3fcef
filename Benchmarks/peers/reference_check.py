"""The differential test's comparison: retrace one Optima pruning run in the independent
reference (reference_pruning.py) and compare.

It reads traces that `optima nsa|fsa|cpna --differential-trace FILE` wrote: the training
data, the initial weights, the settings and every epoch's batch order. From these alone it
trains its own network, then compares after every epoch the mean training loss (relative
difference within --tolerance) and the kept features, nodes and connections (equal). Prints
one JSON line per trace with the agreement, and exits 1 on any disagreement, or when a
trace has fewer than --min-epochs epochs.

    python reference_check.py TRACE.json[,TRACE.json...]... [--tolerance 1e-4] [--min-epochs 50]
                              [--dtype float32]

Traces joined by commas (runs on the same data with the same settings) train side by side
as the reference's runs axis, which checks that the runs stay apart.
"""
import argparse
import json
import sys

from pinning import pin


def pruner_for(p):
    from reference_pruning import ConnectionPruning, NodeSelection
    if p["kind"] == "nodes":
        if not p["keep_moments"] or p["feature_ranking"] != "group":
            sys.exit("reference: only kept moments and Eq. 4's group ranking are implemented")
        return NodeSelection(p["node_schedules"], p["feature_schedule"], warmup=p["warmup"], normalize=p["normalize"])
    if p["kind"] == "connections":
        if not p["keep_moments"] or p["input_ranking"] not in ("layer", "contribution"):
            sys.exit("reference: only kept moments and the layer or contribution ranking are implemented")
        windows = {l: (p["input"]["start"], p["input"]["length"]) if l == 0 else (p["output"]["start"], p["output"]["length"])
                   for l in p["layer_order"]}
        targets = {l: p["input"]["target"] if l == 0 else p["output"]["target"] for l in p["layer_order"]}
        return ConnectionPruning(p["pretrain"], windows, targets, p["layer_order"], p["mu"], clock=p["clock"],
                                 input_ranking=p["input_ranking"], normalize=p["normalize"])
    sys.exit(f"reference: pruning kind {p['kind']!r} is not implemented")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("traces", nargs="+", help="a trace, or traces joined by commas to train side by side")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="largest relative loss difference")
    ap.add_argument("--min-epochs", type=int, default=50)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    args = ap.parse_args()

    pin(1)
    import torch
    torch.set_num_threads(1)
    agree = [check(path, args) for path in args.traces]
    sys.exit(0 if all(agree) else 1)


def check(group, args):
    """Retraces the traces of `group` side by side in the reference (they must share data and
    settings); prints one comparison per trace; returns whether all agree."""
    import torch
    from reference_pruning import MaskedNet, mean_loss, train
    paths = group.split(",")
    traces = []
    for path in paths:
        with open(path) as f:
            trace = json.load(f)
        if trace.get("format") != "optima differential trace 1":
            sys.exit(f"{path}: not an optima differential trace")
        traces.append(trace)
    shared = ("train", "training", "pruning", "sizes", "task")
    if any(t[key] != traces[0][key] for t in traces for key in shared):
        sys.exit(f"{group}: traces run together must share data and settings")
    first = traces[0]
    s = first["training"]
    if first["task"] != "binary" or s["optimizer"] != "adam":
        sys.exit("reference: only binary classification with Adam is implemented")
    dtype = getattr(torch, args.dtype)
    x = torch.tensor(first["train"]["x"], dtype=torch.float32).to(dtype)
    y = torch.tensor(first["train"]["y"], dtype=torch.float32).to(dtype)
    net = MaskedNet([t["initial"] for t in traces], dtype)
    count = min(len(t["epochs"]) for t in traces)
    worst = [0.0] * len(traces)
    first_bad = [None] * len(traces)
    kept_bad = [[] for _ in traces]

    def observe(e, net):
        losses = mean_loss(net, x, y)
        for r, trace in enumerate(traces):
            ours = trace["epochs"][e - 1]
            rel = abs(losses[r] - ours["loss"]) / max(abs(ours["loss"]), 1e-30)
            worst[r] = max(worst[r], rel)
            if rel > args.tolerance and first_bad[r] is None:
                first_bad[r] = {"epoch": e, "optima": ours["loss"], "reference": losses[r]}
            kept = net.kept(r)
            theirs = ours["connections"]
            theirs = None if theirs is None else [sorted(map(tuple, layer)) for layer in theirs]
            for key, a, b in (("features", kept["features"], ours["features"]), ("nodes", kept["nodes"], ours["nodes"]),
                              ("connections", kept["connections"], theirs)):
                if a != b:
                    kept_bad[r].append({"epoch": e, "what": key})

    orders = [[t["epochs"][e]["order"] for t in traces] for e in range(count)]
    train(net, x, y, s, pruner_for(first["pruning"]), orders, observe)

    all_ok = True
    for r, (path, trace) in enumerate(zip(paths, traces)):
        final = trace["epochs"][count - 1]
        ok = first_bad[r] is None and not kept_bad[r] and count >= args.min_epochs
        all_ok &= ok
        print(json.dumps({
            "trace": path, "agree": ok, "epochs": count, "runs_side_by_side": len(traces),
            "pruning": first["pruning"]["kind"],
            "max_relative_loss_difference": float(f"{worst[r]:.3g}"), "tolerance": args.tolerance,
            "first_loss_disagreement": first_bad[r], "kept_disagreements": len(kept_bad[r]),
            "first_kept_disagreement": kept_bad[r][0] if kept_bad[r] else None,
            "final": {"features": len(final["features"]), "nodes": [len(n) for n in final["nodes"]],
                      "connections": None if final["connections"] is None else [len(c) for c in final["connections"]]},
            "dtype": args.dtype, "torch": torch.__version__,
        }), flush=True)
    return all_ok


if __name__ == "__main__":
    main()
