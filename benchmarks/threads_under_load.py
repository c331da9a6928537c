"""BLAS threads idle and on a busy machine: prints figures, asserts nothing.

    python benchmarks/threads_under_load.py            # about five minutes on 2 cores
    python benchmarks/threads_under_load.py --quick    # fewer repeats

Times one epoch of NeuralNetwork.train for three shapes (the notes' network, the quick preset's
and the best preset's, without augmentation) with one BLAS thread, with all of them, and with the
library's own choice (Threads.py), first with the machine as it is, then beside a competing load
that this script starts itself: CPU-burning processes on all cores but one, then on every core,
each ending on its own after a bounded time and stopped when the script ends. Every time is the
median of several runs; the runs of the three choices are interleaved, and each ratio compares
runs made in the same round.
It also times what choosing costs: one decision per shape.
"""
import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import Threads  # noqa: E402
from MNIST import load_mnist  # noqa: E402
from Options import build_network  # noqa: E402

# name: (hidden sizes, output activation, batch size, images per epoch, train's extras)
SHAPES = {
    "notes (784-64-10, batch 32)": ([64], "Sigmoid", 32, 60000, {}),
    "quick (784-256-10, batch 128)": ([256], "Softmax", 128, 20000, {"optimizer": "momentum"}),
    "best (784-800-800-10, batch 256)": ([800, 800], "Softmax", 256, 6000, {"optimizer": "momentum"}),
}
BURN_SECONDS = 900          # a burner ends on its own after this long, even if this script is killed


def epoch_time(X, y, shape, threads):
    """Seconds for one epoch of train with this many BLAS threads (None: the library's choice)."""
    hidden, output, batch_size, images, extras = shape
    network = build_network(hidden, "ReLU", output, seed=0, dropout=0.2 if len(hidden) > 1 else 0.0)
    Threads.set_threads(threads)
    try:
        start = time.perf_counter()
        network.train(X[:images], y[:images], 1, batch_size, 0.0005, verbose=False, **extras)
        return time.perf_counter() - start
    finally:
        Threads.set_threads(None)


def choice_cost(shape):
    """Milliseconds one decision takes for this shape (entering blas_threads and leaving it), and what it chose."""
    hidden, output, batch_size, _, _ = shape
    layers = build_network(hidden, "ReLU", output, seed=0).layers
    start = time.perf_counter()
    with Threads.blas_threads_for(layers, batch_size) as chosen:
        threads = chosen.threads
    return 1000 * (time.perf_counter() - start), threads


def print_choice_costs(repeats, label):
    print(f"\nwhat one decision costs, {label} (medians of {repeats}; training decides at the start of each epoch)")
    for name, shape in SHAPES.items():
        costs = [choice_cost(shape) for _ in range(repeats)]
        chosen = [threads for _, threads in costs]
        print(f"  {name:<34} {statistics.median(cost for cost, _ in costs):6.2f} ms, chose {chosen}")


def start_load(cores):
    """CPU-burning processes on this many cores, each ending by itself after BURN_SECONDS."""
    burn = f"import time\nend = time.time() + {BURN_SECONDS}\nwhile time.time() < end: pass"
    burners = [subprocess.Popen([sys.executable, "-c", burn]) for _ in range(cores)]
    time.sleep(1.0)                         # let them get going
    return burners


def measure(X, y, repeats, cores, label):
    choices = {"1 thread": 1, f"all {cores}": cores, "library's choice": None}
    print(f"\n{label}: seconds per epoch (medians of {repeats}); ratio = the library's choice / the best fixed one")
    print(f"{'shape':<34} {'images':>6} " + " ".join(f"{name:>16}" for name in choices) + f" {'ratio':>6}  chose")
    for name, shape in SHAPES.items():
        times = {choice: [] for choice in choices}
        for _ in range(repeats):
            for choice, threads in choices.items():
                times[choice].append(epoch_time(X, y, shape, threads))
        fixed = list(choices)[:2]
        best = min(fixed, key=lambda choice: statistics.median(times[choice]))
        ratio = statistics.median(t / b for t, b in zip(times["library's choice"], times[best]))
        chosen = choice_cost(shape)[1]
        print(f"{name:<34} {shape[3]:>6} " + " ".join(f"{statistics.median(times[c]):>16.3f}" for c in choices)
              + f" {ratio:>6.2f}  {chosen} thread{'s' if chosen > 1 else ''}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 5")
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR or the cache)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    if Threads._variable_threads() is not None or Threads.current_threads() is None:
        sys.exit("unset OPENBLAS_NUM_THREADS, MKL_NUM_THREADS and OMP_NUM_THREADS first "
                 "(and use a NumPy whose BLAS threadpoolctl can control): the library obeys them")
    cores = min(Threads._usable_cores(), Threads._natural_threads)
    (X, y), _ = load_mnist(args.data_dir)
    print(f"{cores} cores; BLAS: {Threads._libraries()[0].internal_api} {Threads._libraries()[0].version}")

    print_choice_costs(repeats, "idle")
    measure(X, y, repeats, cores, "idle (the machine as it is)")
    for load in sorted({cores - 1, cores} - {0}):     # another job on some of the cores, then on all
        burners = start_load(load)
        try:
            label = f"beside {load} CPU-burning process{'es' if load > 1 else ''}"
            print_choice_costs(repeats, label)
            measure(X, y, repeats, cores, label)
        finally:
            for burner in burners:
                burner.kill()
                burner.wait()


if __name__ == "__main__":
    main()
