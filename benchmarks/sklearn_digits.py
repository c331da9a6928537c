"""Digits from other writers: scikit-learn's 1,797 handwritten digits (43 writers, 8x8, 0..16) read by
the quick preset's network after Draw.preprocess_digit, each digit enlarged by 4x4 blocks to 32x32.
Prints figures, asserts nothing. scikit-learn is no dependency of the library: install it for this.

    pip install scikit-learn && python benchmarks/sklearn_digits.py      # about half a minute
"""
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import Draw  # noqa: E402
import Options  # noqa: E402
from MNIST import load_mnist  # noqa: E402


def main():
    from sklearn.datasets import load_digits
    warnings.simplefilter("ignore")
    digits = load_digits()
    images = [np.kron(image / 16.0, np.ones((4, 4))) for image in digits.images]      # 8x8 -> 32x32 blocks
    (train_X, train_y), _ = load_mnist()
    args = Options.parse_args(["--preset", "quick"])
    network = Options.build_network(args.hidden, args.hidden_activation, args.output_activation, 0)
    network.train(train_X, train_y, args.epochs, args.batch_size, args.learning_rate, verbose=False,
                  optimizer=Options.make_optimizer(args), schedule=args.schedule)
    read = np.array([Draw.preprocess_digit(image) for image in images])
    print(f"scikit-learn's {len(images)} digits through preprocess_digit, the quick preset's network (seed 0): "
          f"{network.evaluate(read, digits.target):.1f}%")


if __name__ == "__main__":
    main()
