#!/usr/bin/env python3
"""Rebuild the project's Keras reference data (Tests/Reference/) from real Keras.

usage: generate.py [--out DIR] [--random N] [--seed S] [--fixture NAME MODEL.py]...

Reads the model sources kept in Tests/Reference/ and asks Keras again what
they give, writing into DIR (default: Tests/Reference itself):

  keras-summaries.json   every case's `source`, and what Keras reports for it:
                         each layer's name, class, output shape and parameter
                         count, the three totals, or {"error": ...} where
                         Keras refuses the model.
  fixtures/NAME/         model.py, weights.safetensors and input.safetensors
                         as they are (so the numbers stay comparable), and a
                         fresh expected.safetensors: every layer's output in
                         inference mode and, for models without dropout, the
                         training-mode loss and every trainable weight's
                         gradient.

--random N appends N random summary cases drawn with --seed S (ids
case-S-000 …). --fixture NAME MODEL.py adds a fixture from a Keras source
file, with weights, input and labels drawn with --seed S. Compare a
regenerated folder with the committed one with compare.py.
"""
import argparse, json, os, random, shutil, sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
import numpy as np
import keras
import tensorflow as tf
from safetensors.numpy import load_file, save_file

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REFERENCE = os.path.join(ROOT, "Tests", "Reference")
BATCH = 3


class _Offline:
    """Whole example files load data and train; here those calls return small stand-ins at once."""

    def __enter__(self):
        rng = np.random.default_rng(0)
        def load(shape, classes=10):
            def load_data(*args, **kwargs):
                x = lambda n: (rng.random((n,) + shape) * 255).astype("uint8")
                y = lambda n: rng.integers(0, classes, n).astype("uint8")
                return (x(8), y(8)), (x(4), y(4))
            return load_data
        self.saved = []
        patches = [(keras.datasets.mnist, "load_data", load((28, 28))),
                   (keras.datasets.fashion_mnist, "load_data", load((28, 28))),
                   (keras.datasets.cifar10, "load_data", load((32, 32, 3))),
                   (keras.Model, "fit", lambda self, *a, **k: None),
                   (keras.Model, "evaluate", lambda self, *a, **k: [0.0, 0.0]),
                   (keras.Model, "summary", lambda self, *a, **k: None)]
        for owner, name, value in patches:
            self.saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)
        return self

    def __exit__(self, *exc):
        for owner, name, value in self.saved:
            setattr(owner, name, value)


def build(source):
    """The model a Keras source expression or file builds, with fresh layer names."""
    keras.backend.clear_session()
    scope = {"keras": keras, "layers": keras.layers}
    source = source.strip()
    if source.startswith("keras.Sequential"):
        return eval(source, scope)
    with _Offline():
        exec(source, scope)
    return scope["model"]


def connections(layer):
    """Keras' "Connected to" for a layer of a functional model: `conv2d[0][0]`, …"""
    out = []
    for node in layer._inbound_nodes:
        for t in node.input_tensors:
            h = t._keras_history
            out.append(f"{h.operation.name}[{h.node_index}][{h.tensor_index}]")
    return out


# MARK: - Summaries

def summarize(source):
    """What Keras reports for a model, or the error with which it refuses it."""
    try:
        model = build(source)
    except Exception as e:  # Keras refuses the model: keep its reason
        return {"error": f"{type(e).__name__}: {e}"}
    count = lambda ws: int(sum(int(np.prod(w.shape)) for w in ws))
    functional = not isinstance(model, keras.Sequential)
    def row(l):
        r = {"name": l.name, "type": type(l).__name__,
             "output_shape": [None if d is None else int(d) for d in l.output.shape],
             "params": int(l.count_params())}
        if functional:
            r["connected_to"] = connections(l)
        return r
    return {
        "layers": [row(l) for l in model.layers],
        "total_params": int(model.count_params()),
        "trainable_params": count(model.trainable_weights),
        "non_trainable_params": count(model.non_trainable_weights),
    }


def random_source(rng):
    """A random Sequential model mixing the layers cnn-tutor understands; Keras may refuse it."""
    rank = rng.choice([1, 2, 2, 2, 3])
    dims = {1: [rng.choice([16, 40, 100])], 2: [rng.choice([16, 28, 32, 64])] * 2,
            3: [rng.choice([6, 10]), rng.choice([16, 32]), rng.choice([16, 32])]}[rank]
    channels = rng.choice([1, 3, 4])
    d = f"{rank}D"
    act = lambda: rng.choice(["", ", activation='relu'", ", activation='tanh'", ", activation='swish'",
                              ", activation='sigmoid'", ", activation='gelu'"])
    pad = lambda: rng.choice(["", ", padding='same'", ", padding='valid'"])
    kernel = lambda: rng.choice([1, 3, 5])
    lines = [f"keras.layers.Input(shape=({', '.join(map(str, dims + [channels]))}))"]
    for _ in range(rng.randint(2, 8)):
        kind = rng.random()
        if kind < 0.35:
            extra = rng.choice(["", f", strides={rng.choice([1, 2])}", f", dilation_rate={rng.choice([1, 2])}",
                                ", use_bias=False"])
            lines.append(f"keras.layers.Conv{d}({rng.choice([4, 8, 16, 32])}, {kernel()}{extra}{pad()}{act()})")
        elif kind < 0.45 and rank == 2:
            layer = rng.choice(["DepthwiseConv2D", "SeparableConv2D"])
            first = f"{kernel()}, depth_multiplier={rng.choice([1, 2])}" if layer == "DepthwiseConv2D" \
                else f"{rng.choice([8, 16])}, {kernel()}"
            lines.append(f"keras.layers.{layer}({first}{pad()}{act()})")
        elif kind < 0.6:
            lines.append(f"keras.layers.{rng.choice(['Max', 'Average'])}Pooling{d}({rng.choice([2, 3])}{pad()})")
        elif kind < 0.7:
            lines.append(rng.choice(["keras.layers.BatchNormalization()", "keras.layers.LayerNormalization()"]))
        elif kind < 0.8:
            lines.append(rng.choice([f"keras.layers.Dropout({rng.choice([0.2, 0.5])})",
                                     f"keras.layers.SpatialDropout{d}(0.2)"]))
        elif kind < 0.9:
            lines.append(rng.choice(["keras.layers.ReLU()", "keras.layers.Activation('relu')",
                                     "keras.layers.Activation('softmax')"]))
        else:
            lines.append(f"keras.layers.ZeroPadding{d}({rng.choice([1, 2])})")
    if rng.random() < 0.5:
        lines.append("keras.layers.Flatten()")
    else:
        lines.append(f"keras.layers.Global{rng.choice(['Average', 'Max'])}Pooling{d}()")
    lines += [f"keras.layers.Dense({rng.choice([16, 32, 64])}, activation='relu')",
              f"keras.layers.Dense({rng.choice([2, 10, 1000])}, activation='softmax')"]
    return "keras.Sequential([\n" + ",\n".join("    " + l for l in lines) + "\n])"


def summaries(cases, out, extra, seed):
    rng = random.Random(seed)
    sources = [(c["id"], c["source"]) for c in cases]
    sources += [(f"case-{seed}-{i:03d}", random_source(rng)) for i in range(extra)]
    result = {"generator": f"keras {keras.__version__}",
              "cases": [{"id": i, "source": s, "expected": summarize(s)} for i, s in sources]}
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    refused = sum("error" in c["expected"] for c in result["cases"])
    print(f"{out}: {len(result['cases'])} cases ({refused} refused by Keras)")


# MARK: - Fixtures

def weight_key(layer, variable):
    return f"{layer.name}/{variable.name}"


def draw_weights(model, rng):
    """Random weights in the fixtures' ranges: BatchNormalization's variances stay positive."""
    weights = {}
    for layer in model.layers:
        for v in layer.weights:
            shape = tuple(v.shape)
            if v.name in ("moving_variance", "gamma"):
                w = rng.uniform(0.5, 1.5, shape)
            else:
                fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
                w = rng.normal(0, 1 / np.sqrt(max(fan_in, 1)), shape)
            weights[weight_key(layer, v)] = w.astype(np.float32)
    return weights


def expected_outputs(model, weights, x, labels):
    """Every layer's inference-mode output and, without dropout, the training-mode loss and gradients."""
    for layer in model.layers:
        if layer.weights:
            layer.set_weights([weights[weight_key(layer, v)] for v in layer.weights])
    run = [l for l in model.layers if not isinstance(l, keras.layers.InputLayer)]
    probe = keras.Model(model.inputs[0], [l.output for l in run])
    outputs = probe(x, training=False)
    out = {l.name: np.asarray(o, dtype=np.float32) for l, o in zip(run, outputs)}
    if any(("Dropout" in type(l).__name__ or "Noise" in type(l).__name__) for l in model.layers):
        return out  # training mode would drop or add noise at random
    with tf.GradientTape() as tape:
        y = model(x, training=True)
        loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(labels, y))
    grads = tape.gradient(loss, model.trainable_weights)
    out["loss"] = np.asarray([float(loss)], dtype=np.float32)
    owner = {id(v): l for l in model.layers for v in l.trainable_weights}
    for v, g in zip(model.trainable_weights, grads):
        out["grad/" + weight_key(owner[id(v)], v)] = np.asarray(g, dtype=np.float32)
    return out


def fixture(source_dir, out_dir, new_model=None, seed=0):
    """Writes one fixture folder: the inputs kept (or drawn for a new one) and Keras' outputs."""
    os.makedirs(out_dir, exist_ok=True)
    model_py = new_model or os.path.join(source_dir, "model.py")
    source = open(model_py).read()
    model = build(source)
    if new_model:
        rng = np.random.default_rng(seed)
        weights = draw_weights(model, rng)
        shape = (BATCH,) + tuple(int(d) for d in model.inputs[0].shape[1:])
        classes = int(model.outputs[0].shape[-1])
        inputs = {"input": rng.normal(0, 1, shape).astype(np.float32),
                  "labels": rng.integers(0, classes, BATCH).astype(np.int32)}
    else:
        weights = load_file(os.path.join(source_dir, "weights.safetensors"))
        inputs = load_file(os.path.join(source_dir, "input.safetensors"))
    out = expected_outputs(model, weights, inputs["input"], inputs["labels"])
    with open(os.path.join(out_dir, "model.py"), "w") as f:
        f.write(source)
    save_file(weights, os.path.join(out_dir, "weights.safetensors"))
    save_file(inputs, os.path.join(out_dir, "input.safetensors"))
    save_file(out, os.path.join(out_dir, "expected.safetensors"))
    print(f"{out_dir}: {len(out)} tensors{' with gradients' if 'loss' in out else ''}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=REFERENCE, help="where to write (default: Tests/Reference)")
    p.add_argument("--random", type=int, default=0, metavar="N", help="append N random summary cases")
    p.add_argument("--seed", type=int, default=0, help="seed for --random and --fixture")
    p.add_argument("--fixture", nargs=2, action="append", default=[], metavar=("NAME", "MODEL.py"))
    args = p.parse_args()
    keras.utils.set_random_seed(args.seed)
    os.makedirs(os.path.join(args.out, "fixtures"), exist_ok=True)
    with open(os.path.join(REFERENCE, "keras-summaries.json")) as f:
        cases = json.load(f)["cases"]
    summaries(cases, os.path.join(args.out, "keras-summaries.json"), args.random, args.seed)
    src = os.path.join(REFERENCE, "fixtures")
    for name in sorted(os.listdir(src)):
        if os.path.isdir(os.path.join(src, name)):
            fixture(os.path.join(src, name), os.path.join(args.out, "fixtures", name))
    for name, model_py in args.fixture:
        fixture(None, os.path.join(args.out, "fixtures", name), new_model=model_py, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
