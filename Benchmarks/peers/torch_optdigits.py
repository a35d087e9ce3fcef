"""Task D peer: one multi-class training on optdigits, in PyTorch on the CPU.

The same run as `optima-bench taskd`: optdigits.tra followed by optdigits.tes (64 pixel
counts, then the digit), the training rows listed in --train-rows (the 4:1 stratified split
the bench made), each feature's training range mapped onto [-1, 1] (a constant feature to
0), a 64-512-10 ReLU network (nn.Linear, PyTorch's default initialisation), softmax
cross-entropy, torch.optim.Adam(lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-3,
which is coupled L2 as ours), minibatches of 16 reshuffled every epoch, the last one short.
Written as a PyTorch user would write it. Prints one JSON line: epoch_ms_median (over
epochs 6...N, as the bench reports ours), the test accuracy and the sum of the scaled
training features, which the bench compares with its own to show that both trained on
the same data.

    python torch_optdigits.py --data DIR --train-rows FILE [--epochs 30] [--hidden 512]
                              [--batch 16] [--wd 1e-3] [--threads 1] [--seed 0]
"""
import argparse
import json
import os
import time

from pinning import pin


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder with optdigits.tra and optdigits.tes")
    ap.add_argument("--train-rows", required=True, help="file of training row numbers, one a line")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    pin(args.threads)
    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    table = np.concatenate([np.loadtxt(os.path.join(args.data, name), delimiter=",", dtype=np.float64)
                            for name in ("optdigits.tra", "optdigits.tes")])
    x_all, y_all = table[:, :-1], table[:, -1].astype(np.int64)
    rows = np.loadtxt(args.train_rows, dtype=np.int64)
    is_train = np.zeros(len(table), dtype=bool)
    is_train[rows] = True
    lo, hi = x_all[is_train].min(axis=0), x_all[is_train].max(axis=0)
    span = hi - lo
    factor = np.where(span > 0, 2 / np.where(span > 0, span, 1), 0.0)
    scaled = ((x_all - lo) * factor - np.where(span > 0, 1.0, 0.0)).astype(np.float32)
    X, Y = torch.from_numpy(scaled[is_train]), torch.from_numpy(y_all[is_train])
    Xt, Yt = torch.from_numpy(scaled[~is_train]), torch.from_numpy(y_all[~is_train])

    model = nn.Sequential(nn.Linear(X.shape[1], args.hidden), nn.ReLU(), nn.Linear(args.hidden, 10))
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=args.wd)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    n = X.shape[0]
    times = []
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        for start in range(0, n, args.batch):
            idx = perm[start:start + args.batch]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(X[idx]), Y[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        accuracy = (model(Xt).argmax(dim=1) == Yt).float().mean().item()
    steady = times[min(5, len(times) - 1):]
    print(json.dumps({"framework": "torch", "task": "D", "version": torch.__version__, "threads": args.threads,
                      "epochs": args.epochs, "train_rows": int(n),
                      "epoch_ms_median": round(1000 * float(np.median(steady)), 4),
                      "test_accuracy": round(accuracy, 4),
                      "train_feature_sum": float(scaled[is_train].astype(np.float64).sum())}))


if __name__ == "__main__":
    main()
