"""Make the pictures the README and the walkthrough show (they are committed; run this after changing
what they show):

    MNIST_DATA_DIR=/path/to/mnist python docs/make_pictures.py

own_digit_steps.png: each step of preprocess_digit for MNIST's first test digit on squared paper,
made as tests/photos.py makes them (seed 0).
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]
import Draw  # noqa: E402
import photos  # noqa: E402
import Plots  # noqa: E402
from MNIST import load_mnist  # noqa: E402


def own_digit_steps(path=HERE / "own_digit_steps.png"):
    _, (test_X, _) = load_mnist()
    page = photos.grid_paper(test_X[0], np.random.default_rng(0))
    figure = Plots.plot_preprocessing("a 7 on squared paper", Draw.preprocessing_steps(page))
    figure.savefig(path, dpi=80)
    return path


if __name__ == "__main__":
    print(f"Saved {own_digit_steps()}")
