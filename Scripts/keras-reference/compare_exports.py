#!/usr/bin/env python3
"""Run `cnn-tutor export --to pytorch` for every reference model, copy the Keras
weights in, and compare the PyTorch outputs with Keras'.

usage: compare_exports.py [--bin PATH] [--only ID] [--verbose]

For each case of Tests/Reference/keras-summaries.json that Keras builds, and
each fixture's model.py, the script builds the Keras model with random weights (BatchNormalization's moving
statistics and PReLU's slopes included), exports it with cnn-tutor, runs the
exported code with torch, copies every weight into the PyTorch modules in
order (transposing kernels to PyTorch's layouts), and compares both
models' inference outputs on the same random batch (within 1e-4 relative to
1 + |value|). Prints one line per case that doesn't match and, last,
"N/M exports match".  Needs torch (a CPU wheel) beside Keras.
"""
import argparse, json, os, subprocess, sys, tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(__file__))
from generate import build  # noqa: E402


def nchw(a):
    """A channels-last array (batch first) in PyTorch's channels-first order."""
    return np.moveaxis(a, -1, 1) if a.ndim > 2 else a


def keras_axis_to_torch(axis, rank):
    """A non-negative Keras axis of a batched tensor of `rank` as PyTorch's dim."""
    if rank <= 2 or axis == 0:
        return axis
    return 1 if axis == rank - 1 else axis + 1


def broadcast_nchw(weight, axes, input_shape):
    """A weight over some Keras axes (sorted) as its NCHW broadcast shape without the batch."""
    rank = len(input_shape)
    full = [1] * rank
    for a, n in zip(axes, weight.shape):
        full[a] = n
    w = weight.reshape(full)
    return nchw(w)[0] if rank > 2 else w[0]


def weighted_modules(model):
    """PyTorch modules that hold parameters or running statistics, in order.

    A Sequential export lists them itself; a functional export's `Model` holds one
    nn.Sequential per Keras layer, in Keras' layer order."""
    groups = [model] if isinstance(model, torch.nn.Sequential) else list(model.children())
    out = []
    for group in groups:
        for m in (group if isinstance(group, torch.nn.Sequential) else [group]):
            if any(True for _ in m.parameters()) or any(True for _ in m.buffers()):
                out.append(m)
    return out


def copy_weights(kmodel, tmodel):
    """Copies every Keras weight into the matching PyTorch module."""
    modules = iter(weighted_modules(tmodel))
    for layer in kmodel.layers:
        kind = type(layer).__name__
        w = {v.name: np.asarray(v) for v in layer.weights}
        if not w or (kind == "Normalization"):
            continue
        in_shape = tuple(layer.input.shape)  # a merge layer's input is a list, but it has no weights
        set_ = lambda p, a: p.data.copy_(torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)))
        if kind in ("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"):
            # (k…, in, out) → (out, in, k…); a transposed kernel's (k…, out, in) → PyTorch's (in, out, k…).
            m = next(modules)
            k = w["kernel"]
            r = k.ndim - 2
            set_(m.weight, np.transpose(k, (r + 1, r) + tuple(range(r))))
            if "bias" in w:
                set_(m.bias, w["bias"])
        elif kind == "DepthwiseConv2D":
            m = next(modules)
            k = w["kernel"]
            k = k.reshape(k.shape[0], k.shape[1], -1)
            set_(m.weight, np.transpose(k, (2, 0, 1))[:, None])
            if "bias" in w:
                set_(m.bias, w["bias"])
        elif kind == "SeparableConv2D":
            d, p = next(modules), next(modules)
            k = w["depthwise_kernel"]
            k = k.reshape(k.shape[0], k.shape[1], -1)
            set_(d.weight, np.transpose(k, (2, 0, 1))[:, None])
            set_(p.weight, np.transpose(w["pointwise_kernel"], (3, 2, 0, 1)))
            if "bias" in w:
                set_(p.bias, w["bias"])
        elif kind == "Dense":
            m = next(modules)
            k = w["kernel"]
            if isinstance(m, torch.nn.Linear):
                set_(m.weight, k.T)
            else:
                set_(m.weight, k.T.reshape(k.shape[1], k.shape[0], *([1] * (len(in_shape) - 2))))
            if "bias" in w:
                set_(m.bias, w["bias"])
        elif kind == "BatchNormalization":
            m = next(modules)
            norm = m.norm if hasattr(m, "norm") else m
            if "gamma" in w:
                set_(m.weight, w["gamma"])
            if "beta" in w:
                set_(m.bias, w["beta"])
            set_(norm.running_mean, w["moving_mean"])
            set_(norm.running_var, w["moving_variance"])
        elif kind == "LayerNormalization":
            m = next(modules)
            if isinstance(m, torch.nn.LayerNorm):
                if "gamma" in w:
                    set_(m.weight, w["gamma"])
                if "beta" in w:
                    set_(m.bias, w["beta"])
            else:
                rank = len(in_shape)
                axes = sorted(a % rank for a in (layer.axis if isinstance(layer.axis, list) else [layer.axis]))
                if "gamma" in w:
                    set_(m.weight, broadcast_nchw(w["gamma"], axes, in_shape))
                if "beta" in w:
                    set_(m.bias, broadcast_nchw(w["beta"], axes, in_shape))
        elif kind == "PReLU":
            m = next(modules)
            a = w["alpha"]
            set_(m.weight, np.moveaxis(a, -1, 0) if a.ndim > 1 else a)
        else:
            raise ValueError(f"no rule to copy the weights of {kind}")


def randomize(kmodel, rng):
    """Random weights, as the fixtures draw them, with PReLU slopes and BN statistics away from their defaults."""
    for layer in kmodel.layers:
        if not layer.weights or type(layer).__name__ == "Normalization":
            continue
        values = []
        for v in layer.weights:
            shape = tuple(v.shape)
            if v.name in ("moving_variance", "gamma"):
                values.append(rng.uniform(0.5, 1.5, shape))
            else:
                fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
                values.append(rng.normal(0, 1 / np.sqrt(max(fan_in, 1)), shape))
        layer.set_weights([x.astype(np.float32) for x in values])


def compare(case, binary, verbose):
    """None when the export matches Keras, else the reason."""
    kmodel = build(case["source"])
    rng = np.random.default_rng(0)
    randomize(kmodel, rng)
    x = rng.normal(0, 1, (2,) + tuple(int(d) for d in kmodel.inputs[0].shape[1:])).astype(np.float32)
    for layer in kmodel.layers:
        if type(layer).__name__ == "RandomCrop" and tuple(layer.input.shape[1:3]) != (layer.height, layer.width):
            # Keras 3.15 returns the input unchanged at inference, not the (height, width) its summary shows.
            return "Keras can't run it as its summary says: RandomCrop passes its input through at inference"
    try:
        want = np.asarray(kmodel(x, training=False))
    except Exception as e:
        return f"Keras can't run it: {type(e).__name__}: {str(e).splitlines()[0][:100]}"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(case["source"] + "\n")
        src = f.name
    try:
        p = subprocess.run([binary, "export", src, "--to", "pytorch"], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(src)
    if p.returncode != 0:
        return f"cnn-tutor export failed: {p.stderr.strip()[:160]}"
    scope = {}
    code = p.stdout.replace("print(sum(", "_count = (sum(")
    exec(compile(code, "export.py", "exec"), scope)
    tmodel = scope["model"].eval()
    copy_weights(kmodel, tmodel)
    with torch.no_grad():
        got = tmodel(torch.from_numpy(nchw(x).copy())).numpy()
    got = np.moveaxis(got, 1, -1) if got.ndim > 2 else got
    if got.shape != want.shape:
        return f"output shape {got.shape} != Keras {want.shape}"
    err = float(np.max(np.abs(got - want) / (1 + np.abs(want)))) if want.size else 0.0
    if verbose:
        print(f"{case['id']}: max error {err:.2e}")
    return None if err <= 1e-4 else f"max error {err:.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "cnn-tutor"))
    ap.add_argument("--only")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    with open(os.path.join(ROOT, "Tests", "Reference", "keras-summaries.json")) as f:
        cases = [c for c in json.load(f)["cases"] if "error" not in c["expected"]]
    fixtures = os.path.join(ROOT, "Tests", "Reference", "fixtures")
    for name in sorted(os.listdir(fixtures)):
        with open(os.path.join(fixtures, name, "model.py")) as f:
            cases.append({"id": "fixture " + name, "source": f.read()})
    if args.only:
        cases = [c for c in cases if c["id"] == args.only]
    ok = 0
    for case in cases:
        try:
            problem = compare(case, args.bin, args.verbose)
        except Exception as e:
            problem = f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
        if problem is None:
            ok += 1
        else:
            print(f"{case['id']}: {problem}")
    print(f"{ok}/{len(cases)} exports match")
    return 0 if ok == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
