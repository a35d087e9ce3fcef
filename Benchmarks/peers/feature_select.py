"""Feature-selection peers for `optima-bench select`: LassoNet's path, random-forest
importances followed by an RBF kernel machine, and Boruta followed by the same kernel
machine, on the training and test files optima reads.

Every peer standardises the inputs with the training rows' statistics, as `optima select`
does; on regression it also standardises the target on the training rows, and undoes it
before scoring (as optima does).

lassonet  LassoNetClassifier's or LassoNetRegressor's path (its defaults: one hidden layer
          of 100, Adam, the path from a dense model to none, 10 % of the training rows held
          out as its validation set); of the path's models with at most --k-max features
          (0: any number) the one with the lowest validation loss is kept and tested.
forest    RandomForestClassifier/Regressor(--trees, sqrt(p) features per split)
          importances, summed over each column's indicators; the --k highest-ranked
          columns train an RBF-SVM or SVR (scikit-learn's defaults: C = 1,
          gamma = 'scale', epsilon = 0.1).
boruta    BorutaPy (its defaults: perc 100, alpha 0.05, two-step correction, at most 100
          iterations) around the same forest, with --boruta-trees trees per iteration
          instead of its 1000 (time); the confirmed features (the tentative ones too
          when none is confirmed) train the same RBF-SVM or SVR.

Input: either whitespace files with the labels in their own files (--train-labels,
--test-labels; MADELON), or CSV files with a header and the label in the last column,
where a column holding any word is one-hot encoded over the values of both files (as
`optima select` reads them).

Prints one JSON line: method, selected (0-based encoded features), selected_columns (the
file's columns any of whose features were selected), test_accuracy and, for binary data,
test_auc (classification), or test_r2 (regression), selection_seconds (until the features
are chosen) and seconds (selection and the final model; reading the files not counted).

    python feature_select.py --method lassonet|forest|boruta --train X [--train-labels Y] \
        --test X [--test-labels Y] [--task auto|binary|multiclass|regression] [--k-max 25] \
        [--k 20] [--trees 1000] [--boruta-trees 100] [--threads 1] [--seed 0]
"""
import argparse
import csv
import json
import os
import time


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def read_whitespace(data, labels):
    import numpy as np
    x = np.loadtxt(data, dtype=np.float64, ndmin=2)
    y = np.loadtxt(labels, dtype=str, ndmin=1)
    return x, list(y), list(range(x.shape[1]))


def read_csv_pair(train, test):
    """Both CSV files encoded together: numeric columns as they are, a column with any word
    one-hot over the sorted values of both files. Returns the two matrices, the two label
    lists and, per encoded feature, the file column it came from."""
    import numpy as np
    parts = []
    for path in (train, test):
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        parts.append(rows[1:])
    width = len(parts[0][0]) - 1
    body = parts[0] + parts[1]
    blocks, column_of = [], []
    for c in range(width):
        values = [r[c] for r in body]
        parsed = [number(v) for v in values]
        if all(v is not None for v in parsed):
            blocks.append(np.array(parsed, dtype=np.float64)[:, None])
            column_of.append(c)
        else:
            levels = sorted(set(values))
            index = {v: i for i, v in enumerate(levels)}
            block = np.zeros((len(values), len(levels)))
            block[np.arange(len(values)), [index[v] for v in values]] = 1
            blocks.append(block)
            column_of += [c] * len(levels)
    x = np.hstack(blocks)
    n = len(parts[0])
    labels = [r[width] for r in body]
    return x[:n], labels[:n], x[n:], labels[n:], column_of


def encode_labels(train, test, task):
    """The task (when auto) and the targets: class numbers in sorted order of the training
    labels, or floats for regression."""
    import numpy as np
    parsed = [number(v) for v in train]
    numeric = all(v is not None for v in parsed)
    if task == "auto":
        distinct = set(train)
        integral = numeric and all(float(v).is_integer() for v in parsed)
        if numeric and (not integral or len(distinct) > 100):
            task = "regression"
        else:
            task = "binary" if len(distinct) == 2 else "multiclass"
    if task == "regression":
        return task, np.array(parsed), np.array([float(v) for v in test])
    # Numeric classes sort by value (MADELON's -1/+1), words by text.
    key = (lambda v: float(v)) if numeric else (lambda v: v)
    classes = sorted(set(train), key=key)
    index = {v: i for i, v in enumerate(classes)}
    return task, np.array([index[v] for v in train]), np.array([index[v] for v in test])


# When the features were chosen: the final model's fit and test predictions come after.
clock = {}


def kernel_machine(task, x, y, xt, selected):
    """The RBF-SVM (SVR for regression) with scikit-learn's defaults on the selected
    features: its test predictions, and decision values for the AUC on binary data."""
    clock["selected"] = time.perf_counter()
    from sklearn.svm import SVC, SVR
    if not selected:
        return None, None
    if task == "regression":
        return SVR(kernel="rbf").fit(x[:, selected], y).predict(xt[:, selected]), None
    svm = SVC(kernel="rbf").fit(x[:, selected], y)
    scores = svm.decision_function(xt[:, selected]) if task == "binary" else None
    return svm.predict(xt[:, selected]), scores


def forest_model(task, trees, threads, seed):
    """A forest drawing sqrt(p) candidate features per split: scikit-learn's default for
    classification. Its regressor's default (all p) costs about 30 times the time on 300
    columns, and Boruta fits one forest per iteration on twice the columns."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    kind = RandomForestRegressor if task == "regression" else RandomForestClassifier
    return kind(n_estimators=trees, max_features="sqrt", n_jobs=threads, random_state=seed)


def run_forest(args, task, x, y, xt, column_of):
    forest = forest_model(task, args.trees, args.threads, args.seed).fit(x, y)
    # Importance per file column (a categorical column's indicators summed), top k columns.
    per_column = {}
    for f, c in enumerate(column_of):
        per_column[c] = per_column.get(c, 0.0) + forest.feature_importances_[f]
    ranked = sorted(per_column, key=lambda c: -per_column[c])[:args.k]
    selected = [f for f, c in enumerate(column_of) if c in set(ranked)]
    return selected, kernel_machine(task, x, y, xt, selected)


def run_boruta(args, task, x, y, xt):
    import numpy as np
    from boruta import BorutaPy
    forest = forest_model(task, 100, args.threads, args.seed)
    boruta = BorutaPy(forest, n_estimators=args.boruta_trees, random_state=args.seed)
    boruta.fit(x, y)
    chosen = boruta.support_ if boruta.support_.any() else boruta.support_ | boruta.support_weak_
    selected = [int(i) for i in np.flatnonzero(chosen)]
    return selected, kernel_machine(task, x, y, xt, selected)


def run_lassonet(args, task, x, y, xt):
    import numpy as np
    import torch
    from lassonet import LassoNetClassifier, LassoNetRegressor
    torch.set_num_threads(args.threads)
    kind = LassoNetRegressor if task == "regression" else LassoNetClassifier
    model = kind(random_state=args.seed, torch_seed=args.seed, verbose=0)
    path = model.path(x, y, return_state_dicts=True)
    limit = args.k_max if args.k_max > 0 else x.shape[1]
    candidates = [p for p in path if 0 < int(p.selected.sum()) <= limit]
    if not candidates:
        raise SystemExit("no model on the path has between 1 and %d features" % limit)
    best = min(candidates, key=lambda p: p.val_loss)
    model.load(best.state_dict)
    selected = [int(i) for i in np.flatnonzero(best.selected.cpu().numpy())]
    predictions = model.predict(xt)
    if task == "regression":
        return selected, (np.asarray(predictions).ravel(), None)
    scores = model.predict_proba(xt)[:, 1] if task == "binary" else None
    return selected, (np.asarray(predictions).ravel(), scores)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", choices=["lassonet", "forest", "boruta"], required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--train-labels")
    ap.add_argument("--test", required=True)
    ap.add_argument("--test-labels")
    ap.add_argument("--task", choices=["auto", "binary", "multiclass", "regression"], default="auto")
    ap.add_argument("--k-max", type=int, default=25)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--trees", type=int, default=1000)
    ap.add_argument("--boruta-trees", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import numpy as np
    from sklearn.metrics import r2_score, roc_auc_score

    if args.train_labels:
        x, labels, column_of = read_whitespace(args.train, args.train_labels)
        xt, test_labels, _ = read_whitespace(args.test, args.test_labels)
    else:
        x, labels, xt, test_labels, column_of = read_csv_pair(args.train, args.test)
    task, y, yt = encode_labels(labels, test_labels, args.task)
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1
    x, xt = (x - mean) / sd, (xt - mean) / sd
    y_mean, y_sd = (y.mean(), y.std() or 1.0) if task == "regression" else (0.0, 1.0)
    fit_y = (y - y_mean) / y_sd if task == "regression" else y

    start = time.perf_counter()
    if args.method == "forest":
        selected, (predictions, scores) = run_forest(args, task, x, fit_y, xt, column_of)
    elif args.method == "boruta":
        selected, (predictions, scores) = run_boruta(args, task, x, fit_y, xt)
    else:
        selected, (predictions, scores) = run_lassonet(args, task, x, fit_y, xt)
    seconds = time.perf_counter() - start

    # LassoNet's model is its path's own: choosing the features and the model is one step.
    selection_seconds = clock.get("selected", start + seconds) - start
    result = {"method": args.method, "task": task, "selected": selected,
              "selected_columns": sorted(set(column_of[f] for f in selected)), "seconds": seconds,
              "selection_seconds": selection_seconds}
    if predictions is None:
        result["note"] = "no feature selected"
    elif task == "regression":
        result["test_r2"] = float(r2_score(yt, predictions * y_sd + y_mean))
    else:
        result["test_accuracy"] = float((predictions == yt).mean())
        if scores is not None:
            result["test_auc"] = float(roc_auc_score(yt, scores))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
