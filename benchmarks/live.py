"""What watching costs: 10 epochs of training (batch 32, all 60,000 images) with and without
train(..., live=...), the live view drawn as a notebook gets it (a PNG of the figure, at its
default rate: Live.SHARE), for the notes' network and a wider one. Runs alternate, five each;
prints the medians, their ratio and how many drawings were made. Asserts nothing. The last
drawing is made however short the run; the first is the dearest (it makes and lays out the figure).

    python benchmarks/live.py          # about two minutes here
"""
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import Live  # noqa: E402
from MNIST import load_mnist  # noqa: E402
from Options import build_network  # noqa: E402

RUNS, EPOCHS = 5, 10


def main():
    (train_X, train_y), _ = load_mnist()
    for hidden in ([64], [256, 128]):
        measure(hidden, train_X, train_y)


def measure(hidden, train_X, train_y):
    times = {"without": [], "live": []}
    drawings, drawing = [], []
    for _ in range(RUNS):
        for kind in times:
            network = build_network(hidden, "ReLU", "Sigmoid", seed=0)
            live = False
            if kind == "live":
                view = Live.LiveView(network, train_X, train_y, -(-len(train_X) // 32), EPOCHS,
                                     show=lambda: Live.png(view.figure))
                live = view
            start = time.perf_counter()
            network.train(train_X, train_y, EPOCHS, 32, 0.001, verbose=False, live=live)
            times[kind].append(time.perf_counter() - start)
            if kind == "live":
                drawings.append(view.draws)
                drawing.append(view._spent)
    without, live = (statistics.median(times[kind]) for kind in ("without", "live"))
    print(f"784-{'-'.join(map(str, hidden))}-10, {EPOCHS} epochs (median of {RUNS}): without the live view {without:.2f} s, "
          f"with it {live:.2f} s: x{live / without:.3f} ({100 * (live / without - 1):+.1f}%), "
          f"{statistics.median(drawings):.0f} drawings taking {statistics.median(drawing):.2f} s "
          f"(Live.SHARE = {Live.SHARE})")


if __name__ == "__main__":
    main()
