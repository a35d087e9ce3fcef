"""Task F peer: an MNIST MLP trained in PyTorch on the CPU, as a PyTorch user writes it.

The same run as `optima-bench mnist`: the vendored MNIST training images (Data/mnist,
pixels / 255), a 784-h-h-10 ReLU network (nn.Linear, PyTorch's default initialisation),
softmax cross-entropy, torch.optim.Adam(lr 1e-4, foreach=True), minibatches of 200 from a
random permutation per epoch. Prints one JSON line: epoch_s_median over the epochs after
the first, the training loss, and the sum of the training pixels, which the bench compares
with its own to show that both trained on the same data.

    python torch_mnist.py --data DIR [--hidden 256] [--epochs 3] [--batch 200] [--threads 1]
"""
import argparse
import gzip
import json
import os
import time

from pinning import pin


def idx(path):
    import numpy as np
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder with the MNIST IDX files (gzip)")
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    pin(args.threads)
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x = torch.from_numpy(idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    h = args.hidden
    model = torch.nn.Sequential(torch.nn.Linear(784, h), torch.nn.ReLU(), torch.nn.Linear(h, h), torch.nn.ReLU(),
                                torch.nn.Linear(h, 10))
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, foreach=True)
    loss_fn = torch.nn.CrossEntropyLoss()
    times = []
    for _ in range(args.epochs):
        start = time.perf_counter()
        for b in torch.randperm(len(x)).split(args.batch):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[b]), y[b])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        train_loss = float(loss_fn(model(x), y))
    later = sorted(times[1:] or times)
    print(json.dumps({"framework": "torch", "task": "F", "hidden": h, "epoch_s_median": later[len(later) // 2],
                      "train_loss": train_loss, "train_pixel_sum": float(x.sum())}))


if __name__ == "__main__":
    main()
