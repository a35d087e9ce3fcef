"""Friedman's three regression problems (Friedman 1991; Breiman 1996), padded with noise
columns, as CSV files `optima select` reads, and the reference a researcher would reach
for: an RBF-SVR trained on the true columns alone (C, gamma, epsilon chosen by 3-fold
cross-validation on the training rows), and a random forest's importances on all columns.

  #1  y = 10 sin(pi x1 x2) + 20 (x3 - 1/2)^2 + 10 x4 + 5 x5 + N(0, 1),  x ~ U[0, 1]
  #2  y = sqrt(x1^2 + (x2 x3 - 1/(x2 x4))^2) + N(0, 125^2)
  #3  y = atan((x2 x3 - 1/(x2 x4)) / x1) + N(0, 0.1^2)
      with x1 ~ U[0, 100], x2 ~ U[40 pi, 560 pi], x3 ~ U[0, 1], x4 ~ U[1, 11]
      (written to the file as U[0, 1] columns and rescaled inside the formula).

In #2 and #3 the term 1/(x2 x4) is below 0.008 while x2 x3 reaches 1760, so x4 carries
almost no signal: a selection that drops it has not missed much.

    python friedman.py OUT_DIR [--features 100] [--train 1200] [--test 2000] [--seed 7]
writes OUT_DIR/f{1,2,3}_{train,test}.csv and prints one JSON line per problem: the true
columns (0-based), the SVR's test R2 on them, the forest's top columns and its test R2.
Needs numpy and scikit-learn.
"""
import argparse
import json
import os

import numpy as np


def friedman(kind, rows, features, rng):
    x = rng.uniform(size=(rows, features))
    if kind == 1:
        y = 10 * np.sin(np.pi * x[:, 0] * x[:, 1]) + 20 * (x[:, 2] - 0.5) ** 2 + 10 * x[:, 3] + 5 * x[:, 4]
        return x, y + rng.normal(size=rows), [0, 1, 2, 3, 4]
    x1, x2, x3, x4 = 100 * x[:, 0], 40 * np.pi + 520 * np.pi * x[:, 1], x[:, 2], 1 + 10 * x[:, 3]
    if kind == 2:
        y = np.sqrt(x1 ** 2 + (x2 * x3 - 1 / (x2 * x4)) ** 2) + rng.normal(scale=125, size=rows)
    else:
        y = np.arctan((x2 * x3 - 1 / (x2 * x4)) / x1) + rng.normal(scale=0.1, size=rows)
    return x, y, [0, 1, 2, 3]


def write(path, x, y):
    with open(path, "w") as f:
        f.write(",".join([f"x{i}" for i in range(x.shape[1])] + ["y"]) + "\n")
        for row, t in zip(x, y):
            f.write(",".join(f"{v:.6f}" for v in row) + f",{t:.6f}\n")


def main():
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.metrics import r2_score
    from sklearn.model_selection import GridSearchCV
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR

    a = argparse.ArgumentParser()
    a.add_argument("out")
    a.add_argument("--features", type=int, default=100)
    a.add_argument("--train", type=int, default=1200)
    a.add_argument("--test", type=int, default=2000)
    a.add_argument("--seed", type=int, default=7)
    args = a.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    for kind in (1, 2, 3):
        xtr, ytr, true = friedman(kind, args.train, args.features, rng)
        xte, yte, _ = friedman(kind, args.test, args.features, rng)
        write(os.path.join(args.out, f"f{kind}_train.csv"), xtr, ytr)
        write(os.path.join(args.out, f"f{kind}_test.csv"), xte, yte)
        scale = StandardScaler().fit(xtr[:, true])
        mean, sd = ytr.mean(), ytr.std()
        grid = {"C": [1, 3, 10, 30, 100], "gamma": [0.03, 0.1, 0.3, 1], "epsilon": [0.05, 0.1]}
        svr = GridSearchCV(SVR(kernel="rbf"), grid, cv=3).fit(scale.transform(xtr[:, true]), (ytr - mean) / sd)
        svr_r2 = r2_score(yte, svr.predict(scale.transform(xte[:, true])) * sd + mean)
        forest = RandomForestRegressor(500, n_jobs=2, random_state=0).fit(xtr, ytr)
        top = [int(i) for i in np.argsort(-forest.feature_importances_)[: len(true) + 3]]
        print(json.dumps({"problem": kind, "true": true, "svr_true_columns_test_r2": round(svr_r2, 4),
                          "svr_params": svr.best_params_, "forest_top": top,
                          "forest_all_columns_test_r2": round(r2_score(yte, forest.predict(xte)), 4)}))


if __name__ == "__main__":
    main()
