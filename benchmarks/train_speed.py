"""Speed and memory of training on MNIST: prints figures, asserts nothing.

    python benchmarks/train_speed.py            # about three minutes; MNIST from $MNIST_DATA_DIR or the cache
    python benchmarks/train_speed.py --quick    # fewer repeats

Every time is the median of several runs; ratios compare runs made in the same process.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from Layer_dense import Layer_dense  # noqa: E402
from MNIST import load_mnist  # noqa: E402
from Network import NeuralNetwork  # noqa: E402


def median_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def library_epoch(X, y, hidden, batch_size, shuffle=False):
    """One epoch of NeuralNetwork.train on the notes' configuration (784 -> hidden ReLU -> 10 Sigmoid)."""
    network = NeuralNetwork(rng=0)
    network.add_layer(Layer_dense(784, hidden, "ReLU", rng=0))
    network.add_layer(Layer_dense(hidden, 10, "Sigmoid", rng=1))
    return lambda: network.train(X, y, 1, batch_size, 0.001, shuffle=shuffle, verbose=False)


def baseline_epoch(X, y, hidden, batch_size, shuffle=False):
    """The same math as a careful hand-written loop: in-place operations, the learning rate folded
    into dZ, no loss or accuracy bookkeeping, no input checks. shuffle: gather each batch's rows
    from a new permutation every epoch, as NeuralNetwork.train(shuffle=True) does."""
    rng = np.random.default_rng(0)
    W1 = (rng.standard_normal((784, hidden)) * np.sqrt(2 / 784)).astype(np.float32)
    b1 = np.zeros((1, hidden), np.float32)
    W2 = (rng.standard_normal((hidden, 10)) * np.sqrt(1 / hidden)).astype(np.float32)
    b2 = np.zeros((1, 10), np.float32)
    Y = np.eye(10, dtype=np.float32)[y]
    lr = np.float32(0.001)

    def epoch():
        order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
        for i in range(0, len(X), batch_size):
            rows = order[i:i + batch_size] if shuffle else slice(i, i + batch_size)
            x = np.multiply(X[rows], np.float32(1 / 255), dtype=np.float32)
            z1 = x @ W1
            z1 += b1
            a1 = np.maximum(z1, 0, out=z1)
            z2 = a1 @ W2
            z2 += b2
            a2 = np.tanh(np.multiply(z2, 0.5, out=z2), out=z2)   # sigmoid = (1 + tanh(z/2)) / 2
            a2 += 1
            a2 *= 0.5
            dz2 = np.subtract(a2, Y[rows], out=a2)
            dz2 *= lr
            da1 = dz2 @ W2.T
            np.subtract(W2, a1.T @ dz2, out=W2)
            np.subtract(b2, dz2.sum(axis=0), out=b2)
            da1 *= a1 > 0
            np.subtract(W1, x.T @ da1, out=W1)
            np.subtract(b1, da1.sum(axis=0), out=b1)
    return epoch


def torch_epoch(X, y, hidden, batch_size):
    import torch
    torch.manual_seed(0)
    # One thread, as the NumPy loops here, for a like-for-like comparison.
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.001)
    loss_function = torch.nn.BCEWithLogitsLoss(reduction="sum")
    Xt = torch.from_numpy(X.copy())     # a writable copy: load_mnist's arrays are read-only
    Yt = torch.from_numpy(np.eye(10, dtype=np.float32)[y])

    def epoch():
        for i in range(0, len(X), batch_size):
            x = Xt[i:i + batch_size].float() / 255
            optimiser.zero_grad()
            loss = loss_function(model(x), Yt[i:i + batch_size])
            loss.backward()
            optimiser.step()
    return epoch


def augmentation_share(X, y, repeats):
    """How much of an epoch of the best preset's network goes to its augmentation (random_affine)."""
    import Options
    best = Options.parse_args(["--preset", "best"])
    transform = Options.augmentation(best)
    X, y = X[:20000], y[:20000]
    network = Options.build_network(best.hidden, "ReLU", "Softmax", 0, best.dropout, best.input_dropout)
    rng = np.random.default_rng(0)
    rows = {"train, no augmentation": lambda: network.train(X, y, 1, best.batch_size, best.learning_rate,
                                                            optimizer="momentum", verbose=False),
            "train with the preset's augmentation": lambda: network.train(
                X, y, 1, best.batch_size, best.learning_rate, optimizer="momentum", verbose=False, transform=transform),
            "the augmentation alone": lambda: [transform(X[i:i + best.batch_size], rng)
                                               for i in range(0, len(X), best.batch_size)]}
    times = {name: [] for name in rows}
    for _ in range(repeats):
        for name, run in rows.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    print(f"\naugmentation at the best preset's size ({'-'.join(map(str, best.hidden))}, batch {best.batch_size}), "
          f"20,000 images, medians of {repeats}")
    for name in rows:
        print(f"  {name:<40} {statistics.median(times[name]):.3f} s")
    share = statistics.median(a / t for a, t in zip(times["the augmentation alone"],
                                                     times["train with the preset's augmentation"]))
    print(f"  share of the augmented epoch spent augmenting: {100 * share:.0f}%")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7")
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR or the cache)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 11

    load_seconds = median_time(lambda: load_mnist(args.data_dir), repeats)
    (X, y), _ = load_mnist(args.data_dir)
    n = len(X)
    print(f"numpy {np.__version__}, {os.cpu_count()} cores; BLAS threads: train chooses its own (Threads.py), "
          f"the hand-written loops run on one; medians of {repeats} runs\n")
    print(f"load MNIST from gzip: {load_seconds:.3f} s\n")

    print("one epoch of 60,000 images, 784-64 ReLU -> 10 Sigmoid, float32")
    print(f"{'batch':>5}  {'implementation':<44} {'s/epoch':>8} {'images/s':>10} {'ratio':>6}")
    for batch_size in (32, 128):
        # name: (one epoch, the baseline its ratio is measured against)
        rows = {"hand-written baseline loop": (baseline_epoch(X, y, 64, batch_size), None),
                "NeuralNetwork.train(shuffle=False)": (library_epoch(X, y, 64, batch_size), "hand-written baseline loop"),
                "hand-written baseline loop, shuffled": (baseline_epoch(X, y, 64, batch_size, shuffle=True), None),
                "NeuralNetwork.train(shuffle=True), default": (library_epoch(X, y, 64, batch_size, shuffle=True),
                                                               "hand-written baseline loop, shuffled")}
        try:
            rows["PyTorch " + __import__("torch").__version__ + " (CPU, same loop)"] = \
                (torch_epoch(X, y, 64, batch_size), "hand-written baseline loop")
        except ImportError:
            pass
        # Interleave the runs so that machine noise hits every implementation alike.
        times = {name: [] for name in rows}
        for _ in range(repeats):
            for name, (epoch, _) in rows.items():
                # The loops beside train get one thread, the fastest for these small products;
                # train chooses (one thread here), the cost of choosing included.
                limit = 1 if not name.startswith("NeuralNetwork") else None
                with threadpool_limits(limits=limit, user_api="blas"):
                    start = time.perf_counter()
                    epoch()
                    times[name].append(time.perf_counter() - start)
        for name, (_, baseline) in rows.items():
            seconds = statistics.median(times[name])
            # The ratio is the median of run-by-run ratios: each run is paired with the baseline run
            # of the same round, so slow drifts of the machine's speed cancel out.
            ratio = statistics.median(t / b for t, b in zip(times[name], times[baseline or name]))
            print(f"{batch_size:>5}  {name:<44} {seconds:>8.3f} {n / seconds:>10,.0f} {ratio:>6.2f}")
    if "torch" not in sys.modules:
        print("       (PyTorch is not installed: no comparison; it is never a dependency)")
    print("""
What is left between NeuralNetwork.train and the baseline, and why it stays:
  - update_parameters is the notes' separate step W <- W - learning_rate dW, so it makes one more
    pass over each W than the baseline, which folds the learning rate into dZ before the matrix
    product and never stores dW. Keeping dW is what lets a reader (and the tests) inspect the gradient.
  - train checks each batch's output for NaN before updating (so a diverging run keeps its last good
    weights) and records the outputs for the loss and accuracy shown in the progress bar.
  - shuffle=True gathers each batch's rows from a new permutation every epoch.""")

    print("\nhow the cost grows (NeuralNetwork.train, batch 32, one epoch)")
    for hidden in (64, 256, 1024):
        seconds = median_time(library_epoch(X, y, hidden, 32), max(1, repeats // 2))
        print(f"  hidden {hidden:>5}, 60,000 images: {seconds:.3f} s/epoch")
    for size in (15000, 30000, 60000):
        seconds = median_time(library_epoch(X[:size], y[:size], 64, 32), max(1, repeats // 2))
        print(f"  hidden    64, {size:>6,} images: {seconds:.3f} s/epoch ({seconds / size * 1e6:.2f} us per image)")

    augmentation_share(X, y, max(1, repeats // 4))

    print("\nfull demo run: python MNIST.py --save-figure <tmp> (load, train 10 epochs, evaluate, save grid)")
    walls, peaks = [], []
    for _ in range(max(1, repeats // 2)):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "MNIST.py"), "--quiet", "--save-figure", "/tmp/benchmark_grid.png"]
                       + (["--data-dir", args.data_dir] if args.data_dir else []), check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)   # largest child so far, MiB
    print(f"  wall time {statistics.median(walls):.2f} s, peak memory (max RSS) {max(peaks):.0f} MiB")


if __name__ == "__main__":
    main()
