"""What each ingredient beyond the notes buys: an ablation on a validation split. Prints, asserts nothing.

    python benchmarks/recipes.py              # about twenty-five minutes on 2 cores
    python benchmarks/recipes.py --epochs 5   # a shorter look

Trains on the first 50,000 training images and reports accuracy on the last 10,000 (the
validation split); the test set is never used here. Each row adds one ingredient to the row
above it, with the same number of epochs; the rows marked "instead" change one thing of the row
above them and are not carried on.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from Augmentation import random_affine  # noqa: E402
from MNIST import load_mnist  # noqa: E402
from Options import build_network  # noqa: E402


def elastic(images, rng):
    """random_affine with the best preset's elastic wobble."""
    return random_affine(images, rng, elastic=1.0)


# (what the row adds, network, training settings, carried on to the next rows?)
STEPS = [
    ("the notes' recipe", dict(hidden=[64], output="Sigmoid"), dict(batch_size=32, learning_rate=0.001), True),
    ("+ softmax output", dict(output="Softmax"), {}, True),
    ("+ momentum 0.9, batch 128", {}, dict(batch_size=128, learning_rate=0.0008, optimizer="momentum"), True),
    ("+ cosine schedule", {}, dict(schedule="cosine"), True),
    ("  Adam (rate 0.001) instead of momentum", {}, dict(optimizer="adam", learning_rate=0.001), False),
    ("+ width: 800-800", dict(hidden=[800, 800]), dict(batch_size=256, learning_rate=0.0006), True),
    ("+ dropout 0.3 (inputs 0.1)", dict(dropout=0.3, input_dropout=0.1), {}, True),
    ("+ augmentation: random_affine", {}, dict(transform=random_affine), True),
    ("  Adam (rate 0.0003) instead of momentum", {}, dict(optimizer="adam", learning_rate=0.0003), False),
    ("+ elastic 1.0 px, dropout 0.2 (inputs 0)", dict(dropout=0.2, input_dropout=0.0), dict(transform=elastic), True),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR or the cache)")
    parser.add_argument("--patience", type=int, default=3, help="early stopping's patience in the last row")
    args = parser.parse_args()
    (X, y), _ = load_mnist(args.data_dir)
    train, validation = (X[:50000], y[:50000]), (X[50000:], y[50000:])

    net, settings = dict(dropout=0.0, input_dropout=0.0), {}
    print(f"{args.epochs} epochs each; accuracy on the validation split (last 10,000 training images)\n")
    print(f"{'recipe':<44} {'validation':>10} {'train':>7} {'seconds':>8}")

    def run(name, net, settings, epochs, **extra):
        network = build_network(net["hidden"], "ReLU", net["output"], 0, net["dropout"], net["input_dropout"])
        start = time.perf_counter()
        history = network.train(*train, epochs, verbose=False, validation_data=validation, **settings, **extra)
        seconds = time.perf_counter() - start
        kept = history.get("best_epoch", epochs) - 1            # early stopping keeps its best epoch
        print(f"{name:<44} {100 * history['val_accuracy'][kept]:>9.2f}% {100 * history['accuracy'][kept]:>6.2f}% "
              f"{seconds:>8.1f}", flush=True)
        return history

    notes = None
    for name, net_change, settings_change, carried in STEPS:
        row_net, row_settings = {**net, **net_change}, {**settings, **settings_change}
        run(name, row_net, row_settings, args.epochs)
        notes = notes or (row_net, row_settings)
        if carried:
            net, settings = row_net, row_settings

    # Early stopping on the notes' recipe, allowed three times the epochs: where does it stop?
    history = run(f"the notes' recipe, early stopping {args.patience}", *notes, 3 * args.epochs,
                  early_stopping=args.patience)
    print(f"  (allowed {3 * args.epochs} epochs: stopped after epoch {history['stopped_epoch']} and kept "
          f"the weights of epoch {history['best_epoch']})")


if __name__ == "__main__":
    main()
