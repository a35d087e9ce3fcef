"""An independent reference of NSA, FSA+NSA (Guo & Barbu, Algs. 1 and 2) and CPNA ("Finding
deep local optima using network pruning", Alg. 1) in PyTorch, written from the papers.

It shares no code with Optima. What it takes from Optima is only the settings a run used
(the papers leave them out): Adam as torch.optim.Adam with coupled L2 weight decay on every
parameter, binary cross-entropy on the logit (mean over the batch), the schedules' starts,
windows and μ, and three choices of Optima's that a reader of the papers has to make anyway:

- a removed node or feature is held at zero by a mask (with its Adam moments), which gives
  the same outputs and updates as removing it from the matrices;
- CPNA removes what pruning disconnected at the end of an epoch on the iteration clock, and
  right after the pruning step on the epoch clock (the paper: "we could remove it"): a
  feature or node with no outgoing connection, and a node with no incoming one, whose
  constant output relu(b_j) is first added into the next layer's biases;
- ties in a ranking go to the lower position (a node's or feature's number; for connections
  the input-major position i * out + j).

R independent runs train side by side (the cells' initialisations): every tensor has a
leading run axis, each run has its own batch order, and the loss is the sum of the runs'
losses, so each run's gradient, Adam update and pruning are its own. W[l] is [R, out, in]
(nn.Linear's layout per run), b[l] is [R, out].

The schedule (both papers, with [.] the integer part):
    count_e = target + [(initial - target) * max(0, (N - 2 e1) / (2 e1 mu + N))],  e1 = max(0, e - start)
"""
import math


def annealed_count(initial, target, start, length, mu, e):
    e1 = max(0.0, e - start)
    return target + math.floor((initial - target) * max(0.0, (length - 2 * e1) / (2 * e1 * mu + length)))


def keep_largest(scores, live, keep):
    """Boolean mask of the `keep` largest scores among `live` (one run; ties: the lower position)."""
    import torch
    candidates = torch.nonzero(live).flatten()
    order = torch.argsort(scores[candidates], descending=True, stable=True)
    kept = torch.zeros_like(live)
    kept[candidates[order[:keep]]] = True
    return kept


class MaskedNet:
    """R ReLU networks whose removed weights, biases, nodes and features are held at zero."""

    def __init__(self, runs, dtype):
        """`runs`: per run, per layer {"weights": [out][in], "bias": [out]}."""
        import torch
        depth = len(runs[0])
        self.W = [torch.tensor([r[l]["weights"] for r in runs], dtype=dtype).requires_grad_() for l in range(depth)]
        self.b = [torch.tensor([r[l]["bias"] for r in runs], dtype=dtype).requires_grad_() for l in range(depth)]
        self.Wm = [torch.ones_like(w, dtype=torch.bool) for w in self.W]
        self.bm = [torch.ones_like(b, dtype=torch.bool) for b in self.b]
        self.features = torch.ones(self.W[0].shape[0], self.W[0].shape[2], dtype=torch.bool)
        self.nodes = [torch.ones(w.shape[0], w.shape[1], dtype=torch.bool) for w in self.W[:-1]]
        self.pruned_connections = False
        self.masked = False          # nothing removed yet: the masks need no applying

    @property
    def runs(self):
        return self.W[0].shape[0]

    @property
    def params(self):
        return self.W + self.b

    @property
    def masks(self):
        return self.Wm + self.bm

    def forward(self, x):
        """x: [R, B, p] -> logits [R, B, outputs]."""
        import torch
        h = x
        for l in range(len(self.W)):
            h = torch.baddbmm(self.b[l][:, None, :], h, self.W[l].transpose(1, 2))
            if l < len(self.W) - 1:
                h = torch.relu(h)
        return h

    def normalize(self):
        """Eq. 3 for every hidden layer, first to last: w_j <- w_j/|w_j|, b_j <- b_j/|w_j|, and
        node j's outgoing weights times |w_j|. Zero-norm nodes are left as they are."""
        import torch
        with torch.no_grad():
            for l in range(len(self.W) - 1):
                norms = self.W[l].norm(dim=2)
                scale = torch.where(norms > 0, norms, torch.ones_like(norms))
                self.W[l].div_(scale[:, :, None])
                self.b[l].div_(scale)
                self.W[l + 1].mul_(scale[:, None, :])

    def remove_nodes(self, r, l, gone, opt):
        """Removes the nodes of run r's hidden layer l where `gone` is True: incoming, bias, outgoing."""
        self.nodes[l][r] &= ~gone
        self.Wm[l][r][gone, :] = False
        self.bm[l][r][gone] = False
        self.Wm[l + 1][r][:, gone] = False
        self.masked = True
        self.apply_masks(opt)

    def remove_features(self, r, gone, opt):
        self.features[r] &= ~gone
        self.Wm[0][r][:, gone] = False
        self.masked = True
        self.apply_masks(opt)

    def apply_masks(self, opt):
        """Zeroes what the masks removed, and its Adam moments (a removed weight never returns)."""
        import torch
        if not self.masked:
            return
        with torch.no_grad():
            for p, m in zip(self.params, self.masks):
                p.mul_(m)
                state = opt.state.get(p, {})
                for key in ("exp_avg", "exp_avg_sq"):
                    if key in state:
                        state[key].mul_(m)

    def kept(self, r):
        """Run r's kept features, nodes and (once a single connection went) connections, as
        lists in original numbering, the way the differential trace states them."""
        import torch
        out = {"features": torch.nonzero(self.features[r]).flatten().tolist(),
               "nodes": [torch.nonzero(n[r]).flatten().tolist() for n in self.nodes]}
        out["connections"] = ([sorted(map(tuple, torch.nonzero(m[r].t()).tolist())) for m in self.Wm]
                              if self.pruned_connections else None)
        return out


class NoPruning:
    def after_step(self, net, opt, t, steps_per_epoch):
        pass

    def after_epoch(self, net, opt, e, steps_per_epoch):
        pass


class NodeSelection(NoPruning):
    """NSA (Alg. 1), and FSA+NSA (Alg. 2) when a feature schedule is given: after every epoch
    normalise (Eq. 3), keep the h_e nodes with the largest |beta_j| (the L2 norm of the
    outgoing weights), then the p_e features with the largest r_i, r_i^2 = sum_j w_ji^2 over
    the surviving nodes (Eq. 4)."""

    def __init__(self, node_schedules, feature_schedule=None, warmup=0, normalize=True):
        self.node_schedules = node_schedules
        self.feature_schedule = feature_schedule
        self.warmup = warmup
        self.normalize = normalize

    def after_epoch(self, net, opt, e, steps_per_epoch):
        import torch
        if e <= self.warmup:
            return
        if self.normalize:
            net.normalize()
        with torch.no_grad():
            for r in range(net.runs):
                for l, s in enumerate(self.node_schedules):
                    alive = net.nodes[l][r]
                    current = int(alive.sum())
                    wanted = min(current, annealed_count(s["initial"], s["target"], s["start"], s["length"], s["mu"], e))
                    if wanted < current:
                        beta = (net.W[l + 1][r] ** 2).sum(dim=0)
                        net.remove_nodes(r, l, alive & ~keep_largest(beta, alive, wanted), opt)
                s = self.feature_schedule
                if s is not None:
                    alive = net.features[r]
                    current = int(alive.sum())
                    wanted = min(current, annealed_count(s["initial"], s["target"], s["start"], s["length"], s["mu"], e))
                    if wanted < current:
                        score = (net.W[0][r] ** 2).sum(dim=0)
                        net.remove_features(r, alive & ~keep_largest(score, alive, wanted), opt)


class ConnectionPruning(NoPruning):
    """CPNA (Alg. 1): dense pre-training, then normalise layer by layer (Eq. 3) and keep each
    pruned layer's M_e connections of largest |w| (Eq. 2), e counted in Adam steps
    (clock "iteration", as Alg. 1 loops) or in epochs. A layer's M_e starts from its live
    connections when its own pruning starts. `input_ranking` "contribution" ranks the input
    layer by |w_ij| times node j's outgoing norm instead (Optima's default; not the paper's)."""

    def __init__(self, pretrain, windows, targets, layer_order, mu, clock="iteration",
                 input_ranking="layer", normalize=True):
        self.pretrain = pretrain
        self.windows = windows          # layer -> (start, length), in epochs
        self.targets = targets          # layer -> connections kept at the end
        self.layer_order = layer_order
        self.mu = mu
        self.clock = clock
        self.input_ranking = input_ranking
        self.normalize = normalize
        self.initial = {}               # (run, layer) -> (initial, target)

    def prune(self, net, opt, t, unit):
        """Prunes at time t, counted in 1/unit epochs. Returns whether any connection went."""
        import torch
        if t <= self.pretrain * unit:
            return False
        if self.normalize:
            net.normalize()
        pruned = False
        with torch.no_grad():
            for r in range(net.runs):
                for l in self.layer_order:
                    start, length = self.windows[l]
                    if t <= start * unit:
                        continue
                    W, Wm = net.W[l][r], net.Wm[l][r]
                    live_mask = Wm.t().flatten()            # input-major positions
                    live = int(live_mask.sum())
                    if (r, l) not in self.initial:
                        self.initial[(r, l)] = (live, min(live, self.targets[l]))
                    initial, target = self.initial[(r, l)]
                    wanted = annealed_count(initial, target, start * unit, length * unit, self.mu, t)
                    if wanted >= live:
                        continue
                    magnitude = W.abs()
                    if l == 0 and self.input_ranking == "contribution":
                        magnitude = magnitude * net.W[1][r].norm(dim=0)[:, None]
                    kept = keep_largest(magnitude.t().flatten(), live_mask, wanted)
                    Wm &= kept.reshape(W.shape[1], W.shape[0]).t()
                    W.mul_(Wm)     # before the next layer's ranking reads it
                    pruned = True
            if pruned:
                net.pruned_connections = net.masked = True
                net.apply_masks(opt)
        return pruned

    def after_step(self, net, opt, t, steps_per_epoch):
        if self.clock == "iteration":
            self.prune(net, opt, t, steps_per_epoch)

    def after_epoch(self, net, opt, e, steps_per_epoch):
        if self.clock == "epoch":
            if self.prune(net, opt, e, 1):
                remove_disconnected(net, opt)
        elif net.pruned_connections:
            remove_disconnected(net, opt)


def remove_disconnected(net, opt):
    """Removes, until none is left, the features without a live outgoing connection, the nodes
    without one, and the nodes without a live incoming connection (a constant relu(b_j): it is
    first added into the next layer's biases). A layer is never emptied."""
    import torch
    with torch.no_grad():
        for r in range(net.runs):
            while True:
                changed = False
                plans = []
                for l in range(len(net.nodes)):
                    alive = net.nodes[l][r]
                    useful = alive & net.Wm[l + 1][r].any(dim=0)
                    fed = useful & net.Wm[l][r].any(dim=1)
                    plans.append((alive & ~fed, useful & ~fed) if fed.any() else None)
                for l, plan in enumerate(plans):
                    if plan is None:
                        continue
                    gone, constant = plan
                    for j in torch.nonzero(constant).flatten().tolist():
                        net.b[l + 1][r].add_(torch.relu(net.b[l][r][j]) * net.W[l + 1][r][:, j])
                    if gone.any():
                        net.remove_nodes(r, l, gone, opt)
                        changed = True
                dead = net.features[r] & ~net.Wm[0][r].any(dim=0)
                if dead.any() and not torch.equal(dead, net.features[r]):
                    net.remove_features(r, dead, opt)
                    changed = True
                if not changed:
                    break


def train(net, x, y, settings, pruner, orders, observe):
    """Trains the R runs of `net` with Adam: epoch e's batches are cut from orders[e-1][r] for
    run r. Calls the pruner after every step and every epoch, then `observe(epoch, net)`."""
    import torch
    import torch.nn.functional as F
    opt = torch.optim.Adam(net.params, lr=settings["lr"], betas=(settings["beta1"], settings["beta2"]),
                           eps=settings["eps"], weight_decay=settings["weight_decay"])
    batch = settings["batch"]
    n = x.shape[0]
    steps_per_epoch = (n + batch - 1) // batch
    t = 0
    for e, order in enumerate(orders, start=1):
        order = torch.as_tensor(order)
        for start in range(0, n, batch):
            rows = order[:, start:start + batch]
            opt.zero_grad(set_to_none=True)
            z = net.forward(x[rows]).squeeze(2)
            # Each run's mean over its batch; the sum keeps the runs' gradients apart.
            F.binary_cross_entropy_with_logits(z, y[rows], reduction="none").mean(dim=1).sum().backward()
            opt.step()
            net.apply_masks(opt)
            t += 1
            pruner.after_step(net, opt, t, steps_per_epoch)
        pruner.after_epoch(net, opt, e, steps_per_epoch)
        observe(e, net)


def mean_loss(net, x, y):
    """Each run's mean binary cross-entropy on the logit over all rows, the logits in the
    network's precision and the mean in float64 (as the differential trace records it)."""
    import torch
    import torch.nn.functional as F
    with torch.no_grad():
        z = net.forward(x.expand(net.runs, *x.shape)).squeeze(2).double()
        return F.binary_cross_entropy_with_logits(z, y.double().expand_as(z), reduction="none").mean(dim=1).tolist()
