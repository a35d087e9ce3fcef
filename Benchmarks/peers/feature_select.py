"""Feature-selection peers for `optima-bench select`: LassoNet, and random-forest
importances followed by an RBF-SVM, on the training and test files optima reads.

Both peers standardise with the training rows' statistics, as `optima select` does.

lassonet  LassoNetClassifier's path (its defaults: one hidden layer of 100, Adam, the
          path from a dense model to none, 10 % of the training rows held out as its
          validation set); of the path's models with at most --k-max features the one
          with the lowest validation loss is kept and tested.
forest    RandomForestClassifier(--trees) importances; the --k highest-ranked features
          train an RBF-SVM (scikit-learn's defaults, C = 1, gamma = 'scale').

Prints one JSON line: method, selected (0-based), test_accuracy, seconds (selection and
the final model; reading the files not counted).

    python feature_select.py --method lassonet|forest --train X --train-labels Y \
        --test X --test-labels Y [--k-max 25] [--k 20] [--trees 1000] [--threads 1] [--seed 0]
"""
import argparse
import json
import os
import time


def load(path):
    import numpy as np
    return np.loadtxt(path, dtype=np.float64, ndmin=2)


def labels(path):
    import numpy as np
    y = np.loadtxt(path, dtype=np.float64).ravel()
    # MADELON's labels are -1/+1; any two values map to 0/1 in sorted order.
    values = np.unique(y)
    return (y == values[-1]).astype(np.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", choices=["lassonet", "forest"], required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--train-labels", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--test-labels", required=True)
    ap.add_argument("--k-max", type=int, default=25)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--trees", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import numpy as np

    x, y = load(args.train), labels(args.train_labels)
    xt, yt = load(args.test), labels(args.test_labels)
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1
    x, xt = (x - mean) / sd, (xt - mean) / sd

    start = time.perf_counter()
    if args.method == "forest":
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.svm import SVC
        forest = RandomForestClassifier(n_estimators=args.trees, n_jobs=args.threads, random_state=args.seed)
        forest.fit(x, y)
        selected = sorted(int(i) for i in np.argsort(-forest.feature_importances_)[:args.k])
        svm = SVC(kernel="rbf").fit(x[:, selected], y)
        accuracy = float((svm.predict(xt[:, selected]) == yt).mean())
    else:
        import torch
        from lassonet import LassoNetClassifier
        torch.set_num_threads(args.threads)
        model = LassoNetClassifier(random_state=args.seed, torch_seed=args.seed, verbose=0)
        path = model.path(x, y, return_state_dicts=True)
        candidates = [p for p in path if 0 < int(p.selected.sum()) <= args.k_max]
        if not candidates:
            raise SystemExit("no model on the path has between 1 and %d features" % args.k_max)
        best = min(candidates, key=lambda p: p.val_loss)
        model.load(best.state_dict)
        selected = [int(i) for i in np.flatnonzero(best.selected.cpu().numpy())]
        accuracy = float((model.predict(xt) == yt).mean())
    seconds = time.perf_counter() - start
    print(json.dumps({"method": args.method, "selected": selected, "test_accuracy": accuracy, "seconds": seconds}))


if __name__ == "__main__":
    main()
