"""Task E peer: many tiny networks, full-batch gradient descent, in JAX.

1000 initialisations of a 2-4-1 ReLU network on the 4-point XOR (the corners of the unit
square, label x1 XOR x2), binary cross-entropy on the logit, full-batch gradient descent
with learning rate 0.1 for 10 000 steps: the counterexamples paper's Table 1 workload.
All initialisations advance together with jax.vmap inside one jit (a lax.scan over the
steps), the fastest way JAX offers to train many small networks. Initial weights are
PyTorch's default (uniform +-1/sqrt(fan_in)). Prints one JSON line with total_s (wall
seconds) and cpu_s (CPU seconds of the process, every thread: on a loaded machine the wall
time also counts the time other jobs held the core).

    python jax_tiny.py [--inits 1000] [--steps 10000] [--hidden 4] [--threads 2]
"""
import argparse
import json
import os
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inits", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--hidden", type=int, default=4)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.environ.setdefault("XLA_FLAGS", f"--xla_cpu_multi_thread_eigen={'true' if args.threads > 1 else 'false'}")
    import jax
    import jax.numpy as jnp
    import numpy as np

    X = jnp.asarray([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=jnp.float32)
    Y = jnp.asarray([0, 1, 1, 0], dtype=jnp.float32)
    h = args.hidden
    rng = np.random.default_rng(args.seed)

    def init():
        b1, b2 = 1 / np.sqrt(2), 1 / np.sqrt(h)
        return (rng.uniform(-b1, b1, (2, h)).astype(np.float32), rng.uniform(-b1, b1, h).astype(np.float32),
                rng.uniform(-b2, b2, h).astype(np.float32), rng.uniform(-b2, b2, 1).astype(np.float32))

    params = [init() for _ in range(args.inits)]
    state = tuple(jnp.stack([p[i] for p in params]) for i in range(4))

    def loss(p):
        W, b, v, c = p
        z = jnp.maximum(X @ W + b, 0) @ v + c[0]
        return jnp.mean(jnp.maximum(z, 0) - z * Y + jnp.log1p(jnp.exp(-jnp.abs(z))))

    grad = jax.grad(loss)

    def train(p):
        def step(p, _):
            g = grad(p)
            return tuple(a - args.lr * b for a, b in zip(p, g)), None
        p, _ = jax.lax.scan(step, p, None, length=args.steps)
        return p, loss(p)

    run = jax.jit(jax.vmap(train))
    jax.block_until_ready(run(state))   # compile (for these shapes) outside the timing
    t0, c0 = time.perf_counter(), time.process_time()
    final, losses = run(state)
    jax.block_until_ready(final)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    losses = np.asarray(losses)
    print(json.dumps({"framework": "jax", "task": "E", "vmap": True, "inits": args.inits, "steps": args.steps,
                      "total_s": round(total, 4), "cpu_s": round(cpu, 4), "loss_min": float(losses.min()),
                      "loss_median": float(np.median(losses)), "loss_max": float(losses.max()),
                      "converged": float(np.mean(losses < 0.1))}))


if __name__ == "__main__":
    main()
