"""Make the pictures the README and the walkthrough show (they are committed; run this after changing
what they show):

    MNIST_DATA_DIR=/path/to/mnist python docs/make_pictures.py

own_digit_steps.png: each step of preprocess_digit for MNIST's first test digit on squared paper,
made as tests/photos.py makes them (seed 0).
network.png: Plots.plot_network of the playground's 2x4x3 network after 300 epochs on the spirals (seed 0),
on one point, with its gradients.
explanation.png: Plots.plot_explanation of the notes' network after 2 epochs (seed 0) on the first test digit.
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
from Layer_dense import Layer_dense  # noqa: E402
from MNIST import load_mnist  # noqa: E402
from Network import NeuralNetwork  # noqa: E402
from Playground import playground_network, spirals  # noqa: E402


def own_digit_steps(path=HERE / "own_digit_steps.png"):
    _, (test_X, _) = load_mnist()
    page = photos.grid_paper(test_X[0], np.random.default_rng(0))
    figure = Plots.plot_preprocessing("a 7 on squared paper", Draw.preprocessing_steps(page))
    figure.savefig(path, dpi=80)
    return path


def small_png(figure, path, dpi):
    """figure saved to path in at most 256 colours (a committed picture stays small)."""
    import io
    from PIL import Image         # (Pillow comes with matplotlib)
    buffer = io.BytesIO()
    figure.savefig(buffer, dpi=dpi, format="png")
    Image.open(buffer).convert("RGB").quantize(256).save(path, optimize=True)
    return path


def network_picture(path=HERE / "network.png"):
    X, y = spirals(seed=0)
    network = playground_network([4], classes=3, seed=0)
    network.train(X, y, 300, 30, 0.01, verbose=False)
    return small_png(Plots.plot_network(network, X[150], y[150], gradients=True), path, dpi=80)


def explanation_picture(path=HERE / "explanation.png"):
    (train_X, train_y), (test_X, _) = load_mnist()
    network = NeuralNetwork(rng=0)
    network.add_layer(Layer_dense(784, 64, "ReLU", rng=0))
    network.add_layer(Layer_dense(64, 10, "Sigmoid", rng=1))
    network.train(train_X, train_y, 2, 32, 0.001, verbose=False)
    return small_png(Plots.plot_explanation(network, test_X[0]), path, dpi=75)


if __name__ == "__main__":
    for make in (own_digit_steps, network_picture, explanation_picture):
        print(f"Saved {make()}")
