"""Time the seed's models in Keras/TensorFlow on this machine's CPU.

The project's copy of ../shared/tools/tf_baseline.py: the same four model
workloads, plus the layer workloads of `cnn-tutor bench` (same shapes), so that
Scripts/bench/rounds.sh can compare every one.

usage: python tf_baseline.py [--quick] [--only NAME]
Prints one JSON line: images per second, or GFLOP/s for the layer workloads
(median of repeats).
"""
import os, sys, time, json
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import keras, tensorflow as tf

def seed_model(size, head, ch=3, classes=10, dropout=True):
    L = keras.layers
    layers = [L.Input(shape=(size, size, ch)),
              L.Conv2D(32, (3, 3), activation='relu'), L.Conv2D(32, (3, 3), activation='relu'),
              L.MaxPooling2D((2, 2), (2, 2)), L.BatchNormalization(),
              L.Conv2D(64, (3, 3), activation='relu'), L.Conv2D(64, (3, 3), activation='relu'),
              L.MaxPooling2D((2, 2), (2, 2)), L.BatchNormalization()]
    if head == "flatten":
        layers += [L.Flatten(), L.Dropout(0.3), L.Dense(64, activation='relu'),
                   L.Dense(32, activation='relu'), L.Dense(classes, activation='softmax')]
    else:
        layers += [L.GlobalAveragePooling2D(), L.Dropout(0.3), L.Dense(classes, activation='softmax')]
    return keras.Sequential(layers)

def median(xs):
    xs = sorted(xs); return xs[len(xs) // 2]

def bench_infer(size, head, batch, reps):
    m = seed_model(size, head)
    x = np.random.default_rng(0).normal(size=(batch, size, size, 3)).astype(np.float32)
    f = tf.function(lambda t: m(t, training=False), jit_compile=False)
    f(x)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(x).numpy(); ts.append(time.perf_counter() - t0)
    return batch / median(ts)

def bench_train(size, head, batch, steps, reps, ch=1):
    m = seed_model(size, head, ch=ch)
    m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch * steps, size, size, ch)).astype(np.float32)
    y = rng.integers(0, 10, (batch * steps,))
    m.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); m.fit(x, y, batch_size=batch, epochs=1, verbose=0); ts.append(time.perf_counter() - t0)
    return batch * steps / median(ts)

def bench_layer(layer, input_shape, flops, reps):
    """GFLOP/s of one Keras layer's inference on a random input (batch included)."""
    x = np.random.default_rng(3).normal(size=input_shape).astype(np.float32)
    layer(x)  # builds the weights
    f = tf.function(lambda t: layer(t, training=False), jit_compile=False)
    f(x)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(x).numpy(); ts.append(time.perf_counter() - t0)
    return flops / median(ts) / 1e9

L = keras.layers
# name: (layer, input shape with batch, flops) -- the same as cnn-tutor bench's.
layer_workloads = {
    "conv_gflops": (lambda: L.Conv2D(32, 3, use_bias=False), (1, 222, 222, 32), 2.0 * 220 * 220 * 32 * 9 * 32),
    "conv1d_gflops": (lambda: L.Conv1D(64, 3), (8, 1024, 64), 2.0 * 1022 * 3 * 64 * 64 * 8),
    "conv3d_gflops": (lambda: L.Conv3D(32, 3), (8, 16, 32, 32, 16), 2.0 * 14 * 30 * 30 * 27 * 16 * 32 * 8),
    "depthwise_gflops": (lambda: L.DepthwiseConv2D(3, padding="same"), (8, 112, 112, 64), 2.0 * 112 * 112 * 9 * 64 * 8),
    "grouped_gflops": (lambda: L.Conv2D(64, 3, groups=4, padding="same"), (8, 56, 56, 64), 2.0 * 56 * 56 * 9 * 16 * 64 * 8),
    "dilated_gflops": (lambda: L.Conv2D(64, 3, dilation_rate=2, padding="same"), (8, 56, 56, 64),
                       2.0 * 56 * 56 * 9 * 64 * 64 * 8),
}

quick = "--quick" in sys.argv
only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
res = {"tf": tf.__version__, "keras": keras.__version__, "threads": os.cpu_count()}
work = {
    "infer_gap_224_b8_img_s": lambda: bench_infer(224, "gap", 8, 3 if quick else 7),
    "infer_flatten_224_b8_img_s": lambda: bench_infer(224, "flatten", 8, 3 if quick else 7),
    "train_gap_32x32x1_b32_img_s": lambda: bench_train(32, "gap", 32, 20, 3 if quick else 5),
    "train_flatten_32x32x1_b32_img_s": lambda: bench_train(32, "flatten", 32, 20, 3 if quick else 5),
}
for name, (make, shape, flops) in layer_workloads.items():
    work[name] = lambda make=make, shape=shape, flops=flops: bench_layer(make(), shape, flops, 3 if quick else 7)
def bench_batchnorm_train(shape, reps):
    """GB/s of input through BatchNormalization in training mode (batch statistics)."""
    x = tf.constant(np.random.default_rng(6).normal(size=shape).astype(np.float32))
    layer = L.BatchNormalization()
    layer(x)
    f = tf.function(lambda t: layer(t, training=True), jit_compile=False)
    f(x)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(x).numpy(); ts.append(time.perf_counter() - t0)
    return 4.0 * np.prod(shape) / median(ts) / 1e9

work["batchnorm_train_gbs"] = lambda: bench_batchnorm_train((8, 112, 112, 64), 3 if quick else 7)
for name, run in work.items():
    if only in name:
        res[name] = run()
print(json.dumps(res))
