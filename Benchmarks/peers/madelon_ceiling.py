"""How well other classifiers do on the features `optima select` kept on MADELON: the
question behind its validation accuracy. If a tuned RBF-SVM, kNN, a forest and
scikit-learn's MLP on the same columns do no better than optima's final networks, the
limit is the 2000 training rows, not the networks.

    python madelon_ceiling.py SELECT_JSON [--data Data/madelon] [--subsets]

SELECT_JSON is the select.json `optima select` wrote (its "kept" columns, 0-based). The
inputs are standardised on the training rows. The SVM's C and gamma and kNN's k are
chosen by 5-fold cross-validation on the training rows; the forest and the MLP run with
fixed settings (500 trees; 128-128 nodes, alpha 1, three seeds averaged). Prints one JSON
line per classifier: its settings, its cross-validated accuracy where there is one, and
its validation accuracy. Needs numpy and scikit-learn; one thread.

--subsets asks whether fewer directions do better (a few minutes more): the RBF-SVM and kNN
on the first 5 and 10 principal components of the kept columns (MADELON's 20 relevant
columns span 5 informative directions), and a backward elimination that drops, one at a
time, the column whose removal gives the best 5-fold accuracy of an RBF-SVM (C 0.5, gamma
scaled to the column count), with each step's validation accuracy.
"""
import argparse
import gzip
import json
import os

from pinning import pin

pin(1)   # before numpy: the math libraries read their thread knobs once, at import

import numpy as np  # noqa: E402


def load(folder, part):
    with gzip.open(os.path.join(folder, f"madelon_{part}.data.gz"), "rt") as f:
        x = np.loadtxt(f)
    return x, np.loadtxt(os.path.join(folder, f"madelon_{part}.labels"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("select_json")
    ap.add_argument("--data", default="Data/madelon")
    ap.add_argument("--subsets", action="store_true")
    a = ap.parse_args()
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    with open(a.select_json) as f:
        kept = json.load(f)["kept"]
    x, y = load(a.data, "train")
    xv, yv = load(a.data, "valid")
    scaler = StandardScaler().fit(x[:, kept])
    train, valid = scaler.transform(x[:, kept]), scaler.transform(xv[:, kept])

    def report(name, settings, valid_accuracy, cv=None, features=None):
        line = {"classifier": name, "features": features or len(kept), "settings": settings,
                "validation_accuracy": valid_accuracy}
        if cv is not None:
            line["cv_accuracy"] = cv
        print(json.dumps(line), flush=True)

    svm = GridSearchCV(SVC(), {"C": [0.5, 1, 2, 4, 8, 16], "gamma": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]}, cv=5).fit(train, y)
    report("rbf-svm", svm.best_params_, svm.score(valid, yv), svm.best_score_)
    knn = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [3, 5, 7, 9, 11, 15, 21]}, cv=5).fit(train, y)
    report("knn", knn.best_params_, knn.score(valid, yv), knn.best_score_)
    forest = RandomForestClassifier(500, random_state=0).fit(train, y)
    report("forest", {"trees": 500}, forest.score(valid, yv))
    mlp = [MLPClassifier((128, 128), alpha=1.0, max_iter=500, random_state=s).fit(train, y).score(valid, yv) for s in range(3)]
    report("mlp", {"hidden": [128, 128], "alpha": 1.0, "seeds": 3}, float(np.mean(mlp)))
    if a.subsets:
        subsets(train, y, valid, yv, report)


def subsets(train, y, valid, yv, report):
    from sklearn.decomposition import PCA
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    for d in (5, 10):
        pca = PCA(d).fit(train)
        t, v = pca.transform(train), pca.transform(valid)
        svm = GridSearchCV(SVC(), {"C": [0.5, 1, 2, 4, 8], "gamma": [0.05, 0.1, 0.2, 0.35, 0.5, 1.0]}, cv=5).fit(t, y)
        report(f"rbf-svm on {d} principal components", svm.best_params_, svm.score(v, yv), svm.best_score_, d)
        knn = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [3, 5, 7, 9, 11, 15]}, cv=5).fit(t, y)
        report(f"knn on {d} principal components", knn.best_params_, knn.score(v, yv), knn.best_score_, d)

    def svm(cols):
        return SVC(C=0.5, gamma=0.5 * train.shape[1] / len(cols))

    columns = list(range(train.shape[1]))
    while len(columns) > 5:
        scored = [(cross_val_score(svm(rest), train[:, rest], y, cv=5).mean(), c)
                  for c in columns for rest in [[k for k in columns if k != c]]]
        cv, dropped = max(scored)
        columns.remove(dropped)
        accuracy = svm(columns).fit(train[:, columns], y).score(valid[:, columns], yv)
        report("rbf-svm, backward elimination", {"C": 0.5}, accuracy, cv, len(columns))


if __name__ == "__main__":
    main()
