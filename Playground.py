"""Two-dimensional data sets for seeing what hidden layers do, in seconds (Plots.plot_decision_boundary
draws the plane as a network divides it).

Each returns (X, y): X (N, 2) floats in about [-1, 1], y (N,) class indices; the same seed gives the
same points. The points are coordinates, not pixels, so build the network with input_scale=1:

>>> X, y = spirals(points_per_class=100, classes=3, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((300, 2), [0, 1, 2])
>>> network = playground_network([16], 'ReLU', classes=3, seed=0)
>>> str(network)
'2x16 ReLU -> 16x3 Softmax'
"""
import numpy as np

from Layer_dense import Layer_dense
from Network import NeuralNetwork


def spirals(points_per_class=100, classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class (the nnfs book's data set): no straight line, nor a few,
    separates them. Arm c: radius r from 0 to 1, angle 4 r + 2 pi c / classes + noise."""
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, points_per_class), classes)
    y = np.repeat(np.arange(classes), points_per_class)
    angle = 4 * r + 2 * np.pi * y / classes + noise * rng.standard_normal(len(r))
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)]), y


def circles(points=300, noise=0.08, seed=0):
    """A disc (class 1) inside a ring (class 0): a boundary that closes on itself."""
    rng = np.random.default_rng(seed)
    y = np.arange(points) % 2
    radius = np.where(y == 1, 0.35, 0.85) + noise * rng.standard_normal(points)
    angle = rng.uniform(0, 2 * np.pi, points)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), y


def xor(points=300, noise=0.1, seed=0):
    """Four clusters at the corners; opposite corners share a class (x1 x2 > 0 is class 1): the classic
    problem no single straight line solves."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 4, points)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]])[corners]
    X = 0.5 * signs + noise * rng.standard_normal((points, 2))
    return X, (corners < 2).astype(np.int64)


def playground_network(hidden, activation="ReLU", classes=2, seed=0):
    """2 inputs -> the hidden layer sizes given (none: a straight boundary) -> classes Softmax outputs,
    with input_scale=1 (coordinates, not pixels) and float64 weights; seeded."""
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(input_scale=1, rng=rng)
    sizes = [2, *hidden, classes]
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = i == len(sizes) - 2
        network.add_layer(Layer_dense(n_in, n_out, "Softmax" if last else activation, rng=rng, dtype=np.float64))
    return network
