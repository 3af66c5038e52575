#!/usr/bin/env python3
"""PyTorch eager reference of an enas child network (issue #15, part 2).

Reads the JSON that `enas arch show --space ID [--space-options TEXT] --ir-json ARCH` prints (the resolved, pruned
child graph), builds the very same network in PyTorch eager mode and times training steps on random data, the way
`enas bench backend` times its repeated child:

    forward, softmax cross-entropy (+ weighted auxiliary heads), backward,
    gradient of lambda * sum(w^2) added (lambda = 1e-4), global-norm clipping at 5,
    SGD with TensorFlow-form Nesterov momentum 0.9, learning rate 0.01.

Op semantics follow the Java backends (plugins/backend-pytorch EagerChild): NCHW; TensorFlow SAME padding (the odd
element at the bottom/right: the conv's own padding when symmetric, else an explicit pad); average pooling over the
real elements only; batch norm with batch statistics (moving averages updated with decay 0.9, epsilon 1e-5);
factorized reduction = two 1x1 stride-2 convolutions, the second on the input shifted by one pixel, concatenated, then
batch norm; depthwise convolution with groups = C. Images only: Embedding, Highway and TiedDense (the language model)
are out of scope and name themselves in the error.

GFLOP/s counts the graph's forward FLOPs per example (Op.flops, as dumped) times 3 (forward and backward) times the
batch, per second: exactly what BackendBench counts.
"""

import argparse
import json
import math
import os
import platform
import sys
import time
import warnings

# torch warns at import when numpy is missing; the reference does not use numpy
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

FORMAT = "enas-ir-json/1"
WEIGHT_DECAY = 1e-4
CLIP_BOUND = 5.0
MOMENTUM = 0.9
LEARNING_RATE = 0.01
BN_DECAY = 0.9
BN_EPSILON = 1e-5
OUT_OF_SCOPE = {"Embedding", "Highway", "TiedDense"}


def same_padding(size, window, stride):
    """TensorFlow SAME padding along one axis: (before, after), the odd element after."""
    out = (size + stride - 1) // stride
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def pad4(x, window, stride):
    """F.pad order (left, right, top, bottom) for SAME padding of NCHW x."""
    top, bottom = same_padding(x.shape[2], window, stride)
    left, right = same_padding(x.shape[3], window, stride)
    return left, right, top, bottom


def conv(x, w, kernel, stride, dilation, padding, groups):
    window = (kernel - 1) * dilation + 1
    if padding == "SAME":
        l, r, t, b = pad4(x, window, stride)
        if l == r and t == b:
            return F.conv2d(x, w, None, stride, (t, l), dilation, groups)
        x = F.pad(x, (l, r, t, b))
    elif padding != "VALID":
        raise ValueError("unknown padding " + padding)
    return F.conv2d(x, w, None, stride, 0, dilation, groups)


class Child:
    """The network of one dumped child: parameters by key, and a forward pass over the nodes in order."""

    def __init__(self, doc, generator):
        if doc.get("format") != FORMAT:
            raise ValueError("expected a %s document, got format %r" % (FORMAT, doc.get("format")))
        self.nodes = doc["nodes"]
        self.outputs = doc["outputs"]
        self.flops_per_example = int(doc["flopsPerExample"])
        self.specs = {p["key"]: p for p in doc["params"]}
        self.params = {}  # key -> tensor, in the layout the op reads (OIHW for convolutions)
        self.state = {}  # key -> non-trainable tensor (moving statistics)
        self.input_shape = None
        self.aux_weights = {}
        for n in self.nodes:
            kind = n["op"]
            f = n["fields"]
            if kind in OUT_OF_SCOPE:
                raise ValueError("op %s (node %s) is out of scope: the reference covers image children only"
                                 % (kind, n["id"]))
            if kind == "Input":
                if f["name"] != "images":
                    raise ValueError("input %r: the reference feeds images only" % f["name"])
                self.input_shape = f["shape"]
            elif kind == "Conv2d":
                self._weight(f["weights"], (3, 2, 0, 1), generator)
            elif kind == "DepthwiseConv2d":
                self._weight(f["weights"], (2, 3, 0, 1), generator)
            elif kind == "FactorizedReduce":
                self._weight(f["key"] + "/path1", (3, 2, 0, 1), generator)
                self._weight(f["key"] + "/path2", (3, 2, 0, 1), generator)
                self._batch_norm(f["key"] + "/bn")
            elif kind == "BatchNorm":
                self._batch_norm(f["key"])
            elif kind == "Dense":
                self._weight(f["key"] + "/w", None, generator)
                if f["bias"]:
                    self._weight(f["key"] + "/b", None, generator)
            elif kind == "AuxLogits":
                self.aux_weights[n["id"]] = float(f["lossWeight"])
            elif kind not in ("Pool", "Identity", "Act", "Add", "Mean", "Concat", "GlobalAvgPool", "Dropout",
                              "DropPath"):
                raise ValueError("op kind %s (node %s) is not known to this reference" % (kind, n["id"]))
        if self.input_shape is None:
            raise ValueError("the graph has no images input")
        self.classes = self.nodes[[n["id"] for n in self.nodes].index(self.outputs[0])]["shape"][-1]

    def _init(self, spec, generator):
        shape = spec["shape"]
        init = spec["init"]
        if init == "HE_NORMAL":
            fan_in = math.prod(shape[:-1])
            return torch.randn(shape, generator=generator) * math.sqrt(2.0 / fan_in)
        if init == "UNIFORM_SMALL":
            return (torch.rand(shape, generator=generator) * 2 - 1) * 0.05
        if init == "ZEROS":
            return torch.zeros(shape)
        if init == "ONES":
            return torch.ones(shape)
        raise ValueError("unknown init " + init)

    def _weight(self, key, permute, generator):
        if key in self.params:
            return
        t = self._init(self.specs[key], generator)
        if permute is not None:
            t = t.permute(*permute)
        self.params[key] = t.contiguous().requires_grad_(True)

    def _batch_norm(self, key):
        if key + "/scale" in self.params:
            return
        self._weight(key + "/scale", None, None)
        self._weight(key + "/offset", None, None)
        self.state[key + "/moving_mean"] = self._init(self.specs[key + "/moving_mean"], None)
        self.state[key + "/moving_variance"] = self._init(self.specs[key + "/moving_variance"], None)

    def trainable(self):
        return list(self.params.values())

    def _bn(self, key, x):
        return F.batch_norm(x, self.state[key + "/moving_mean"], self.state[key + "/moving_variance"],
                            self.params[key + "/scale"], self.params[key + "/offset"], True, 1 - BN_DECAY,
                            BN_EPSILON)

    def _pool(self, x, f):
        k, s = f["kernel"], f["stride"]
        if f["padding"] == "SAME":
            l, r, t, b = pad4(x, k, s)
        else:
            l = r = t = b = 0
        if f["kind"] == "MAX":
            if l == r and t == b and 2 * max(l, t) <= k:
                return F.max_pool2d(x, k, s, (t, l))
            return F.max_pool2d(F.pad(x, (l, r, t, b), value=float("-inf")), k, s)
        if l == r and t == b and 2 * max(l, t) <= k:
            return F.avg_pool2d(x, k, s, (t, l), count_include_pad=False)
        sums = F.avg_pool2d(F.pad(x, (l, r, t, b)), k, s, divisor_override=1)
        ones = torch.ones(1, 1, x.shape[2], x.shape[3], dtype=x.dtype)
        counts = F.avg_pool2d(F.pad(ones, (l, r, t, b)), k, s, divisor_override=1)
        return sums / counts

    def _factorized_reduce(self, x, key):
        p1 = F.conv2d(x, self.params[key + "/path1"], None, 2)
        shifted = F.pad(x[:, :, 1:, 1:], (0, 1, 0, 1))
        p2 = F.conv2d(shifted, self.params[key + "/path2"], None, 2)
        return self._bn(key + "/bn", torch.cat([p1, p2], 1))

    def forward(self, images, check_shapes=False):
        """The graph's outputs for NCHW images, in the order of the document's outputs."""
        v = {}
        for n in self.nodes:
            kind, f = n["op"], n["fields"]
            xs = [v[i] for i in n["inputs"]]
            x = xs[0] if xs else None
            if kind == "Input":
                y = images
            elif kind in ("Identity", "AuxLogits", "DropPath"):
                # DropPath: rate = maxDropRate * progress, and the bench trains at progress 0 (no drop)
                y = x
            elif kind == "Conv2d":
                y = conv(x, self.params[f["weights"]], f["kernel"], f["stride"], f["dilation"], f["padding"], 1)
            elif kind == "DepthwiseConv2d":
                y = conv(x, self.params[f["weights"]], f["kernel"], f["stride"], f["dilation"], "SAME", x.shape[1])
            elif kind == "Pool":
                y = self._pool(x, f)
            elif kind == "FactorizedReduce":
                y = self._factorized_reduce(x, f["key"])
            elif kind == "BatchNorm":
                y = self._bn(f["key"], x)
            elif kind == "Act":
                fn = f["fn"]
                y = {"RELU": torch.relu, "TANH": torch.tanh, "SIGMOID": torch.sigmoid,
                     "IDENTITY": lambda t: t}[fn](x)
            elif kind == "Add":
                y = xs[0]
                for t in xs[1:]:
                    y = y + t
            elif kind == "Mean":
                y = xs[0]
                for t in xs[1:]:
                    y = y + t
                if len(xs) > 1:
                    y = y * (1.0 / len(xs))
            elif kind == "Concat":
                y = xs[0] if len(xs) == 1 else torch.cat(xs, 1)
            elif kind == "GlobalAvgPool":
                y = x.mean((2, 3))
            elif kind == "Dense":
                y = x @ self.params[f["key"] + "/w"]
                if f["bias"]:
                    y = y + self.params[f["key"] + "/b"]
            elif kind == "Dropout":
                y = F.dropout(x, f["rate"], True) if f["rate"] > 0 else x
            else:
                raise ValueError("op kind %s (node %s) is not known to this reference" % (kind, n["id"]))
            if check_shapes:
                want = n["shape"]
                got = list(y.shape[1:])
                if len(want) == 3:
                    want = [want[2], want[0], want[1]]
                if got != want:
                    raise ValueError("node %s (%s): shape %s, the IR says %s" % (n["id"], kind, got, want))
            v[n["id"]] = y
        return [v[o] for o in self.outputs]

    def loss(self, images, labels):
        outs = self.forward(images)
        loss = F.cross_entropy(outs[0], labels)
        for oid, o in zip(self.outputs[1:], outs[1:]):
            if oid in self.aux_weights:
                loss = loss + self.aux_weights[oid] * F.cross_entropy(o, labels)
        return loss


def train_step(child, optimizer, params, images, labels):
    optimizer.zero_grad(set_to_none=True)
    loss = child.loss(images, labels)
    loss.backward()
    grads = [p.grad for p in params]
    torch._foreach_add_(grads, params, alpha=2 * WEIGHT_DECAY)  # d/dw of lambda * sum(w^2)
    torch.nn.utils.clip_grad_norm_(params, CLIP_BOUND, foreach=True)
    optimizer.step()
    return loss


def measure_peak(threads, n=2048, reps=10):
    """Achieved FP32 GFLOP/s of an n x n matmul: a practical peak for this machine and thread count."""
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    for _ in range(3):
        a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    s = (time.perf_counter() - t) / reps
    return 2.0 * n ** 3 / s / 1e9


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", help="the JSON of `enas arch show --ir-json` ('-' reads standard input)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=15, help="timed steps (default 15, as the bench runs)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peak", action="store_true", help="also measure a 2048x2048 FP32 matmul's GFLOP/s")
    args = ap.parse_args(argv)
    if args.batch <= 0 or args.steps <= 0 or args.warmup < 0:
        ap.error("--batch and --steps must be positive, --warmup not negative")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    with (sys.stdin if args.graph == "-" else open(args.graph)) as fh:
        doc = json.load(fh)
    child = Child(doc, torch.Generator().manual_seed(args.seed))
    h, w, c = child.input_shape
    images = torch.randn(args.batch, c, h, w)
    labels = torch.randint(0, child.classes, (args.batch,))
    params = child.trainable()
    optimizer = torch.optim.SGD(params, lr=LEARNING_RATE, momentum=MOMENTUM, nesterov=True, foreach=True)

    with torch.no_grad():
        child.forward(images[:2], check_shapes=True)
    for _ in range(args.warmup):
        train_step(child, optimizer, params, images, labels)
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = train_step(child, optimizer, params, images, labels)
    ms = (time.perf_counter() - t0) * 1e3 / args.steps
    if not math.isfinite(loss.item()):
        raise SystemExit("the loss is not finite: %s" % loss.item())

    flops = child.flops_per_example * 3 * args.batch
    nparams = sum(p.numel() for p in params)
    print("reference          PyTorch %s eager, CPU (%d threads), Python %s" % (
        torch.__version__, torch.get_num_threads(), platform.python_version()))
    print("space              %s {%s}" % (doc.get("space"), doc.get("options", "")))
    print("child              %s" % doc.get("architecture"))
    print("nodes              %d, %d trainable scalars" % (len(child.nodes), nparams))
    print("child FLOPs        %d forward per example (a step counts 3x: forward and backward)"
          % child.flops_per_example)
    print("batch              %d, %d timed steps after %d warm-up" % (args.batch, args.steps, args.warmup))
    print("one child repeated %.1f ms/step  %.2f steps/s  %.1f examples/s  %.1f GFLOP/s" % (
        ms, 1000 / ms, args.batch * 1000 / ms, flops / (ms * 1e6)))
    print("last loss          %.4f" % loss.item())
    if args.peak:
        print("matmul 2048 FP32   %.1f GFLOP/s" % measure_peak(args.threads))


if __name__ == "__main__":
    main()
