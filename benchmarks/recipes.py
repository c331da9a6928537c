"""What each ingredient beyond the notes buys: an ablation on a validation split. Prints, asserts nothing.

    python benchmarks/recipes.py              # about four minutes on 2 cores
    python benchmarks/recipes.py --epochs 5   # a shorter look

Trains on the first 50,000 training images and reports accuracy on the last 10,000 (the
validation split); the test set is never used here. Each row adds one ingredient to the row
above it, with the same number of epochs.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from MNIST import build_network, load_mnist  # noqa: E402

# (what the row adds, network, training settings); each row starts from the one above.
STEPS = [
    ("the notes' recipe", dict(hidden=[64], output="Sigmoid"), dict(batch_size=32, learning_rate=0.001)),
    ("+ softmax output", dict(output="Softmax"), {}),
    ("+ momentum 0.9, batch 128", {}, dict(batch_size=128, learning_rate=0.0008, momentum=0.9)),
    ("+ cosine schedule", {}, dict(schedule="cosine")),
    ("+ width: 800-800", dict(hidden=[800, 800]), dict(batch_size=256, learning_rate=0.0006)),
    ("+ dropout 0.3 (inputs 0.1)", dict(dropout=0.3, input_dropout=0.1), {}),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR or the cache)")
    args = parser.parse_args()
    (X, y), _ = load_mnist(args.data_dir)
    train, validation = (X[:50000], y[:50000]), (X[50000:], y[50000:])

    net, settings = dict(dropout=0.0, input_dropout=0.0), {}
    print(f"{args.epochs} epochs each; accuracy on the validation split (last 10,000 training images)\n")
    print(f"{'recipe':<40} {'validation':>10} {'train':>7} {'seconds':>8}")
    for name, net_change, settings_change in STEPS:
        net.update(net_change)
        settings.update(settings_change)
        network = build_network(net["hidden"], "ReLU", net["output"], 0, net["dropout"], net["input_dropout"])
        start = time.perf_counter()
        history = network.train(*train, args.epochs, verbose=False, validation_data=validation, **settings)
        seconds = time.perf_counter() - start
        print(f"{name:<40} {100 * history['val_accuracy'][-1]:>9.2f}% {100 * history['accuracy'][-1]:>6.2f}% "
              f"{seconds:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
