"""Check your exercises, and say what is wrong when a check fails.

    python exercises/check.py          # each exercise in order, stopping at the first not done
    python exercises/check.py 5        # exercise 5 only
    python exercises/check.py --reference    # every check against the library's own code

Each check compares your function with a reference of its own written out here (the equation, a
small case worked by hand, finite differences of the loss for the backward passes), on random
inputs of several shapes, a batch of one, float32 and float64. When a wrong answer matches a known
mistake (weights transposed, g'(Z) missing or applied twice, a mean where the notes sum, db not
summed or without keepdims, your caller's array changed, the update's sign, softmax overflowing),
it says which. The library is the answer: each exercise ends by naming the file and function
that does the same.
"""
import argparse
import contextlib
import importlib
import io
import re
import sys
import time
import traceback
import types
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))          # the library: Layer_dense, Network, Utils, MNIST
from Threads import blas_threads  # noqa: E402
from Utils import relative_error  # noqa: E402 (max|a - b| over the larger of the two: as gradient_check)


class NotDone(Exception):
    """The exercise still raises NotImplementedError."""


class Mistake(Exception):
    """A wrong answer: str is what is wrong; hint (may be None) names the known mistake: a key of
    HINTS, or the words themselves."""

    def __init__(self, message, hint=None):
        super().__init__(message)
        self.hint = hint


class LearnerError(Exception):
    """The learner's code raised an exception (or could not be imported): where and what."""


HINTS = {
    "transposed": "the weights are transposed: with W of shape (n_in, n_out), Z = A_prev @ W + b, "
                  "dW = A_prev.T @ dZ and dA_prev = dZ @ W.T",
    "no_derivative": "g'(Z) is missing: a hidden layer's dZ = dA * g'(Z), element by element",
    "derivative_twice": "g'(Z) is applied a second time at the output: there dA is already dZ = A - Y "
                        "(output_error=True), so dZ = dA",
    "mean": "a mean where the notes sum: dW and db (and the output error) are sums over the batch, "
            "not divided by the batch size N",
    "db_not_summed": "db is not summed over the samples: db = dZ.sum(axis=0, keepdims=True), shape (1, n_out)",
    "db_keepdims": "db lost its row: use dZ.sum(axis=0, keepdims=True), shape (1, n_out), not (n_out,)",
    "in_place": "your function changed its caller's array in place: compute into a new array "
                "(x = x / 255.0, Z = A_prev @ W + b) instead of x /= 255.0 or +=",
    "sign": "the update has the wrong sign: gradient descent steps against the gradient, W -= learning_rate * dW",
    "softmax_overflow": "softmax overflows for large z (e^1000 is inf, and inf / inf is NaN): subtract each "
                        "row's maximum first, z - z.max(axis=-1, keepdims=True), which leaves the result unchanged",
}


# ---- the references of the checks: the equations, written out here -------------------------------

def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def d_sigmoid(z):
    return sigmoid(z) * (1 - sigmoid(z))


def relu(z):
    return np.where(z > 0, z, 0.0).astype(np.result_type(z, np.float32))


def d_relu(z):
    return (z > 0).astype(np.result_type(z, np.float32))


def tanh(z):
    return np.tanh(z)


def d_tanh(z):
    return 1 - np.tanh(z) ** 2


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


ACTIVATION_NAMES = {sigmoid: "Sigmoid", relu: "ReLU", tanh: "Tanh", softmax: "Softmax",
                    d_sigmoid: "Sigmoid", d_relu: "ReLU", d_tanh: "Tanh"}
SHAPES = [(1, 3, 3), (4, 5, 5), (7, 5, 3), (2, 1, 4)]        # (N, n_in, n_out): a batch of one, square W...


def numerical_gradient(f, x, h=1e-6):
    """(f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of the float64 array x (changed and restored)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def tolerance(dtype):
    return 1e-4 if np.dtype(dtype) == np.float32 else 1e-9


def compare(actual, expected, what, variants=(), rtol=None):
    """Raise Mistake unless actual equals expected; variants: (hint, the wrong answer a known mistake
    would give), tried when actual is wrong."""
    actual = np.asarray(actual)
    rtol = rtol or tolerance(expected.dtype)
    if actual.shape == expected.shape and np.all(np.isfinite(actual)) and relative_error(actual, expected) <= rtol:
        return
    for hint, wrong in variants:
        wrong = np.asarray(wrong)
        if wrong.shape == actual.shape and np.all(np.isfinite(actual)) and relative_error(actual, wrong) <= rtol:
            raise Mistake(f"{what} is wrong", hint)
    if actual.shape != expected.shape:
        raise Mistake(f"{what} has shape {actual.shape}, expected {expected.shape}")
    if not np.all(np.isfinite(actual)):
        raise Mistake(f"{what} holds NaN or infinite values")
    raise Mistake(f"{what} is wrong: relative error {relative_error(actual, expected):.1e} (should be below {rtol:.0e})")


def call(function, *args):
    """function(*args), with the caller's array arguments checked for changes afterwards."""
    before = [a.copy() for a in args if isinstance(a, np.ndarray)]
    result = function(*args)
    after = [a for a in args if isinstance(a, np.ndarray)]
    if any(not np.array_equal(b, a) for b, a in zip(before, after)):
        raise Mistake("an argument was changed", "in_place")
    return result


# ---- the checks, one function per exercise; each yields (what it checks, a function that checks it)

def check_batch(ns):
    def consecutive(n, size):
        data, labels = np.arange(n * 2).reshape(n, 2), np.arange(n) * 10
        got = call(lambda d, targets: list(ns.batch(d, targets, size)), data, labels)
        expected = [(data[i:i + size], labels[i:i + size]) for i in range(0, n, size)]
        if len(got) == len(expected) - 1 and n % size:
            raise Mistake(f"{len(got)} batches for {n} samples in batches of {size}",
                          "the last, shorter batch is missing: range(0, N, batch_size) reaches it, and "
                          "data[i:i + batch_size] stops at the end by itself")
        if len(got) != len(expected):
            raise Mistake(f"{len(got)} batches for {n} samples in batches of {size}, expected {len(expected)}")
        for k, ((d, l), (ed, el)) in enumerate(zip(got, expected)):
            if not (np.array_equal(d, ed) and np.array_equal(l, el)):
                raise Mistake(f"batch {k + 1} is not rows {k * size}..{min(n, (k + 1) * size) - 1} of the data "
                              f"and labels, in order")
    yield "10 samples in batches of 3: 3, 3, 3, then the last 1", lambda: consecutive(10, 3)
    yield "12 samples in batches of 4, and 5 in one batch of 32", lambda: (consecutive(12, 4), consecutive(5, 32))


def check_one_hot(ns):
    def case(labels, classes):
        labels = np.array(labels)
        got = np.asarray(call(ns.one_hot_encode, labels, classes), dtype=float)
        expected = np.eye(classes)[labels]
        if got.shape == expected.T.shape and got.shape != expected.shape and np.array_equal(got, expected.T):
            raise Mistake(f"the array has shape {got.shape}",
                          "it is transposed: one row per label, shape (N, num_classes)")
        compare(got, expected, "the one-hot array")
    yield "[0, 2, 1] with 3 classes (the notes' example)", lambda: case([0, 2, 1], 3)
    yield "one label; 10 classes, labels 9 and 0", lambda: (case([4], 5), case([9, 0, 9], 10))


def check_activations(ns):
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3, size=(4, 5))
    for name in ("sigmoid", "relu", "tanh", "softmax"):
        def values(name=name):
            for dtype in (np.float64, np.float32):
                compare(call(getattr(ns, name), z.astype(dtype)), globals()[name](z.astype(dtype)),
                        f"{name}(z) ({np.dtype(dtype).name})")
        yield f"{name} on a (4, 5) array, float64 and float32", values
    for name in ("d_sigmoid", "d_relu", "d_tanh"):
        def derivative(name=name):
            g = getattr(ns, name[2:])
            compare(call(getattr(ns, name), z), numerical_gradient_elementwise(g, z), f"{name}(z)")
            compare(call(getattr(ns, name), np.zeros(3)), globals()[name](np.zeros(3)), f"{name}(0)")
        yield f"{name} equals the finite difference of {name[2:]} (and the kink at 0)", derivative

    def large():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = np.asarray(call(ns.softmax, np.array([[1000.0, 0.0, -1000.0], [3.0, 3.0, 3.0]])))
        if not np.all(np.isfinite(got)):
            raise Mistake("softmax([1000, 0, -1000]) is not finite", "softmax_overflow")
        compare(got, np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]]), "softmax of [1000, 0, -1000] and [3, 3, 3]")
    yield "softmax of [1000, 0, -1000] is [1, 0, 0] (no overflow)", large

    def sigmoid_far_out():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                got = call(ns.sigmoid, np.array([-1000.0, 0.0, 1000.0]))
            except RuntimeWarning as warning:
                raise Mistake(f"sigmoid(-1000) gives a warning ({warning}): e^1000 overflows; "
                              f"1 / (1 + e^-z) = (1 + tanh(z / 2)) / 2 does not") from None
        compare(got, np.array([0.0, 0.5, 1.0]), "sigmoid([-1000, 0, 1000])")
    yield "sigmoid of -1000, 0, 1000 is 0, 0.5, 1 without a warning", sigmoid_far_out


def numerical_gradient_elementwise(g, z, h=1e-6):
    return (g(z + h) - g(z - h)) / (2 * h)


def check_forward(ns):
    rng = np.random.default_rng(4)
    for N, n_in, n_out in SHAPES:
        for dtype in (np.float64, np.float32):
            def case(N=N, n_in=n_in, n_out=n_out, dtype=dtype):
                A_prev = rng.normal(size=(N, n_in)).astype(dtype)
                W = rng.normal(size=(n_in, n_out)).astype(dtype)
                b = rng.normal(size=(1, n_out)).astype(dtype)
                for g in (relu, sigmoid):
                    A, Z = call(ns.forward, A_prev, W, b, g)
                    expected = A_prev @ W + b
                    variants = [("transposed", A_prev @ W.T + b)] if n_in == n_out else []
                    compare(Z, expected, "Z", variants + [("b is not added: Z = A_prev @ W + b", A_prev @ W)])
                    compare(A, g(expected), f"A = g(Z) with g = {g.__name__}")
            yield f"N={N}, n_in={n_in}, n_out={n_out}, {np.dtype(dtype).name}", case


def check_backward(ns):
    rng = np.random.default_rng(5)
    for N, n_in, n_out in SHAPES:
        for dtype in (np.float64, np.float32):
            for output_error in (False, True):
                def case(N=N, n_in=n_in, n_out=n_out, dtype=dtype, output_error=output_error):
                    A_prev = rng.normal(size=(N, n_in)).astype(dtype)
                    W = rng.normal(size=(n_in, n_out)).astype(dtype)
                    Z = rng.normal(size=(N, n_out)).astype(dtype)
                    dA = rng.normal(size=(N, n_out)).astype(dtype)
                    for d_g in (d_relu, d_sigmoid):
                        dA_prev, dW, db = call(ns.backward, dA, A_prev, Z, W, d_g, output_error)
                        dZ = dA if output_error else dA * d_g(Z)
                        wrong_dZ = dA * d_g(Z) if output_error else dA
                        wrong_hint = "derivative_twice" if output_error else "no_derivative"
                        dW_variants = [(wrong_hint, A_prev.T @ wrong_dZ), ("mean", A_prev.T @ dZ / N)]
                        compare(dW, A_prev.T @ dZ, "dW", dW_variants + ([] if n_in != n_out or N == 1 else
                                                                        [("transposed", (A_prev.T @ dZ).T)]))
                        db = np.asarray(db)
                        if N > 1 and db.shape == (N, n_out):
                            raise Mistake(f"db has shape {db.shape}", "db_not_summed")
                        if db.shape == (n_out,) and n_out > 1:
                            raise Mistake(f"db has shape {db.shape}", "db_keepdims")
                        compare(db, dZ.sum(axis=0, keepdims=True), "db",
                                [(wrong_hint, wrong_dZ.sum(axis=0, keepdims=True)),
                                 ("mean", dZ.sum(axis=0, keepdims=True) / N)])
                        compare(dA_prev, dZ @ W.T, "dA_prev",
                                [(wrong_hint, wrong_dZ @ W.T)] + ([("transposed", dZ @ W)] if n_in == n_out else []))
                yield (f"N={N}, n_in={n_in}, n_out={n_out}, {np.dtype(dtype).name}, "
                       f"{'output layer (dA is dZ)' if output_error else 'hidden layer'}"), case

    def finite_differences():
        """dW, db, dA_prev against finite differences of L = sum(g(A_prev W + b) * R): then dA = R."""
        A_prev, W, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(1, 2))
        R = rng.normal(size=(3, 2))

        def loss():
            return float(np.sum(sigmoid(A_prev @ W + b) * R))
        Z = A_prev @ W + b
        dA_prev, dW, db = ns.backward(R, A_prev.copy(), Z, W.copy(), d_sigmoid, False)
        for got, x, name in ((dW, W, "dW"), (db, b, "db"), (dA_prev, A_prev, "dA_prev")):
            numerical = numerical_gradient(loss, x)
            if np.shape(got) != numerical.shape or relative_error(np.asarray(got), numerical) > 1e-6:
                raise Mistake(f"{name} differs from the finite differences of the loss")
    yield "dW, db and dA_prev equal finite differences of the loss", finite_differences


def check_update(ns):
    rng = np.random.default_rng(6)
    for dtype in (np.float64, np.float32):
        def case(dtype=dtype):
            W, b = rng.normal(size=(4, 3)).astype(dtype), rng.normal(size=(1, 3)).astype(dtype)
            dW, db = rng.normal(size=(4, 3)).astype(dtype), rng.normal(size=(1, 3)).astype(dtype)
            W0, b0, dW0, db0 = W.copy(), b.copy(), dW.copy(), db.copy()
            ns.update(W, b, dW, db, 0.1)
            if not (np.array_equal(dW, dW0) and np.array_equal(db, db0)):
                raise Mistake("dW or db was changed", "in_place")
            if np.array_equal(W, W0) and np.array_equal(b, b0):
                raise Mistake("W and b are unchanged: change them in place, W -= learning_rate * dW "
                              "(W = W - ... makes a new array that the layer never sees)")
            compare(W, W0 - 0.1 * dW0, "W", [("sign", W0 + 0.1 * dW0),
                                             ("the learning rate is missing: W -= learning_rate * dW", W0 - dW0)])
            compare(b, b0 - 0.1 * db0, "b", [("sign", b0 + 0.1 * db0)])
        yield f"one step with learning rate 0.1 ({np.dtype(dtype).name})", case


def reference_loop(X, y, weights, epochs, batch_size, learning_rate):
    """The notes' loop written out (ReLU hidden layers, a Sigmoid output): the weights afterwards."""
    weights = [(W.copy(), b.copy()) for W, b in weights]
    Y = np.eye(weights[-1][0].shape[1])[y]
    for _ in range(epochs):
        for i in range(0, len(X), batch_size):
            A, cache = X[i:i + batch_size] / 255.0, []
            for k, (W, b) in enumerate(weights):
                Z = A @ W + b
                cache.append((A, Z))
                A = sigmoid(Z) if k == len(weights) - 1 else relu(Z)
            dZ = A - Y[i:i + batch_size]
            for k in reversed(range(len(weights))):
                A_prev, Z = cache[k]
                W, b = weights[k]
                if k < len(weights) - 1:
                    dZ = dZ * d_relu(Z)
                dW, db, dA_prev = A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T
                W -= learning_rate * dW
                b -= learning_rate * db
                dZ = dA_prev
    return weights


def check_train(ns, mnist):
    (train_X, train_y), (test_X, test_y) = mnist

    def small():
        X, y = np.array(train_X[:96]), np.array(train_y[:96])
        layers = [ns.Layer(784, 16, ns.relu, ns.d_relu, np.random.default_rng(0)),
                  ns.Layer(16, 10, ns.sigmoid, ns.d_sigmoid, np.random.default_rng(1))]
        start = [(layer.W.copy(), layer.b.copy()) for layer in layers]
        accuracies = call(ns.train, layers, X, y, 2, 32, 0.01)
        expected = reference_loop(X, y, start, 2, 32, 0.01)
        got = [(layer.W, layer.b) for layer in layers]
        if all(np.array_equal(W, W0) for (W, _), (W0, _) in zip(got, start)):
            raise Mistake("the weights did not change: call update_parameters for every layer after each batch")
        for k, ((W, b), (eW, eb)) in enumerate(zip(got, expected), start=1):
            if np.allclose(W, eW, rtol=1e-9, atol=1e-12) and np.allclose(b, eb, rtol=1e-9, atol=1e-12):
                continue
            unscaled = reference_loop(X * 255.0, y, start, 2, 32, 0.01)
            if np.allclose(W, unscaled[k - 1][0], rtol=1e-9):
                raise Mistake(f"layer {k}'s weights differ from the notes' loop",
                              "the pixels were not scaled: x = batch_x / 255.0, into a new array")
            raise Mistake(f"after 2 epochs on 96 images, layer {k}'s weights differ from the notes' loop "
                          f"(relative error {relative_error(W, eW):.1e}): check the order of the steps, the "
                          f"output error A - Y with output_error=True for the last layer only, and the update")
        if len(accuracies) != 2 or not all(0 <= a <= 1 for a in accuracies):
            raise Mistake(f"train should return the 2 epochs' accuracies (fractions), got {accuracies!r}")
    yield "2 epochs on 96 images end with the weights of the notes' loop, step for step", small

    def mnist_run():
        start = time.perf_counter()
        layers = [ns.Layer(784, 64, ns.relu, ns.d_relu, np.random.default_rng(0)),
                  ns.Layer(64, 10, ns.sigmoid, ns.d_sigmoid, np.random.default_rng(1))]
        ns.train(layers, train_X[:10000], train_y[:10000], 3, 32, 0.001)
        accuracy = 100 * float(np.mean(ns.predict(layers, test_X) == test_y))
        seconds = time.perf_counter() - start
        if accuracy < 88.0:
            raise Mistake(f"{accuracy:.1f}% of the test digits read right after 3 epochs on 10,000 images "
                          f"(the library's own layer and loop: 90.0%)")
        return f"{accuracy:.1f}% of the 10,000 test digits, in {seconds:.1f} s"
    yield "the notes' network, 3 epochs on 10,000 MNIST images: at least 88% on the test set", mnist_run


def check_output_error(ns):
    rng = np.random.default_rng(8)
    for N, C in ((1, 3), (5, 4), (8, 10)):
        def case(N=N, C=C):
            Z = rng.normal(scale=2, size=(N, C))
            Y = np.eye(C)[rng.integers(0, C, N)]
            A = softmax(Z)
            loss = call(ns.cross_entropy, A, Y)
            expected = -float(np.sum(Y * np.log(A)))
            compare(np.asarray(loss, dtype=float), np.asarray(expected), "cross_entropy(A, Y)",
                    [("mean", np.asarray(expected / N))])
            numerical = numerical_gradient(lambda: -float(np.sum(Y * np.log(softmax(Z)))), Z)
            compare(call(ns.output_error, A, Y), numerical, "output_error(A, Y) against finite differences",
                    [("derivative_twice", (A - Y) * A * (1 - A)), ("mean", (A - Y) / N)], rtol=1e-6)
        yield f"{N} samples, {C} classes: dL/dZ by finite differences", case


def check_broken_network(ns, mnist):
    (train_X, train_y), (test_X, test_y) = mnist

    def run():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                network = ns.build_and_train(train_X[:10000], train_y[:10000])
        if str(network) != "784x64 ReLU -> 64x10 Sigmoid":
            raise Mistake(f"the network is {network}: keep the notes' 784x64 ReLU -> 64x10 Sigmoid")
        accuracy = network.evaluate(test_X, test_y)
        if accuracy < 88.0:
            said = "\n".join(f"          the library said: {w.message}" for w in caught
                             if w.category.__name__ == "TrainingWarning")
            raise Mistake(f"{accuracy:.1f}% of the test digits read right; 88% is possible"
                          + ("\n" + said if said else ""))
        return f"{accuracy:.1f}% of the 10,000 test digits"
    yield "the mended network reads at least 88% of the test digits", run


def check_playground(ns):
    from Playground import spirals
    X, y = spirals(seed=0)
    X_new, y_new = spirals(seed=1)

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            network = ns.build()
            if network.layers[0].n_in != 2 or network.layers[-1].n_out != 3:
                raise Mistake(f"the network is {network}: it needs 2 inputs (x1, x2) and 3 outputs (one per arm)")
            if network.input_scale != 1:
                raise Mistake(f"input_scale is {network.input_scale:g}",
                              "these inputs are coordinates in [-1, 1], not pixels: NeuralNetwork(input_scale=1)")
            network.train(X, y, 300, 30, 0.01, verbose=False)
        accuracy = network.evaluate(X_new, y_new)
        if accuracy < 95.0:
            hint = ("with no hidden layer the boundaries between classes are straight lines; spirals need "
                    "a hidden layer (16 ReLU units do it)") if len(network.layers) == 1 else \
                "a wider hidden layer (16 units or more) draws curved enough boundaries"
            raise Mistake(f"{accuracy:.1f}% of new spiral points in the right arm (95% needed)", hint)
        return f"{accuracy:.1f}% of 300 new spiral points, with {network}"
    yield "the network separates new spirals: at least 95%", run


EXERCISES = {
    1: ("ex1_batch", "mini-batches", check_batch, "Utils.py: batch", "walkthrough section 3, one-hot encoding"),
    2: ("ex2_one_hot", "one-hot encoding", check_one_hot, "Utils.py: one_hot_encode",
        "walkthrough section 4, activation functions"),
    3: ("ex3_activations", "activations and their derivatives", check_activations, "Layer_dense.py: Activation",
        "walkthrough section 5, the dense layer"),
    4: ("ex4_forward", "a dense layer's forward pass", check_forward, "Layer_dense.py: Layer_dense.Forward",
        "walkthrough section 8, Backpropagation and Gradients"),
    5: ("ex5_backward", "a dense layer's backward pass", check_backward, "Layer_dense.py: Layer_dense.BackProp",
        "walkthrough section 8, Gradient descent"),
    6: ("ex6_update", "the update", check_update, "Layer_dense.py: Layer_dense.update_parameters",
        "walkthrough section 7, the training loop"),
    7: ("ex7_train", "the training loop", check_train, "Network.py: NeuralNetwork.train",
        "walkthrough section 8, The output error"),
    8: ("ex8_output_error", "the output error", check_output_error,
        "Network.py: categorical_cross_entropy, and the output - batch_Y that train hands to backward",
        "walkthrough section 12, when training goes wrong"),
    9: ("ex9_broken_network", "a network that will not learn", check_broken_network,
        "MNIST.py: demo (the notes' recipe)", "walkthrough section 13, what hidden layers do"),
    10: ("ex10_playground", "what hidden layers do", check_playground,
         "Playground.py: playground_network, and Plots.plot_decision_boundary",
         "the README's training recipes, to take the MNIST network past 99%"),
}
NEEDS_MNIST = {7, 9}


# ---- the library's own code, in the shape of the exercises (for --reference) ----------------------

def reference_module(number):
    """The library's code behind exercise number, as a module with the exercise's functions."""
    import Layer_dense
    import Network
    import Utils
    from Layer_dense import Activation
    ns = types.SimpleNamespace()
    if number == 1:
        ns.batch = Utils.batch
    elif number == 2:
        ns.one_hot_encode = Utils.one_hot_encode
    elif number == 3:
        for name in ("sigmoid", "d_sigmoid", "relu", "d_relu", "tanh", "d_tanh", "softmax"):
            setattr(ns, name, getattr(Activation, name))
    elif number in (4, 5, 6, 7):
        def layer_for(W, name="ReLU"):
            layer = Layer_dense.Layer_dense(W.shape[0], W.shape[1], name, dtype=W.dtype)
            layer.W = W
            return layer

        def forward(A_prev, W, b, g):
            layer = layer_for(W, ACTIVATION_NAMES[g])
            layer.b = b
            return layer.Forward(A_prev), layer.Z

        def backward(dA, A_prev, Z, W, d_g, output_error=False):
            layer = layer_for(W, ACTIVATION_NAMES[d_g])
            layer.A_prev, layer.Z = A_prev, Z
            dA_prev = layer.BackProp(dA, output_error=output_error)
            return dA_prev, layer.dW, layer.db

        def update(W, b, dW, db, learning_rate):
            layer = layer_for(W)
            layer.b, layer.dW, layer.db = b, dW, db
            layer.update_parameters(learning_rate)
        ns.forward, ns.backward, ns.update = forward, backward, update
        if number == 7:
            for name in ("sigmoid", "d_sigmoid", "relu", "d_relu"):
                setattr(ns, name, globals()[name])      # names the library's layer understands

            def Layer(n_in, n_out, g, d_g, rng):
                gain = 2.0 if g is relu else 1.0
                layer = Layer_dense.Layer_dense(n_in, n_out, ACTIVATION_NAMES[g], dtype=np.float64)
                layer.W = rng.standard_normal((n_in, n_out)) * np.sqrt(gain / n_in)
                return layer

            def train(layers, data, labels, epochs, batch_size, learning_rate):
                network = Network.NeuralNetwork()
                for layer in layers:
                    network.add_layer(layer)
                return network.train(data, labels, epochs, batch_size, learning_rate, shuffle=False,
                                     verbose=False)["accuracy"]

            def predict(layers, data):
                network = Network.NeuralNetwork()
                for layer in layers:
                    network.add_layer(layer)
                return network.predict(data)
            ns.Layer, ns.train, ns.predict = Layer, train, predict
    elif number == 8:
        ns.cross_entropy = Network.categorical_cross_entropy
        ns.output_error = lambda A, Y: A - Y              # what NeuralNetwork.train hands to backward
    elif number == 10:
        from Playground import playground_network
        ns.build = lambda: playground_network([16], "ReLU", classes=3, seed=0)
    elif number == 9:
        def build_and_train(train_X, train_y):
            network = Network.NeuralNetwork(rng=0)
            network.add_layer(Layer_dense.Layer_dense(784, 64, "ReLU", rng=0))
            network.add_layer(Layer_dense.Layer_dense(64, 10, "Sigmoid", rng=1))
            network.train(train_X, train_y, 3, 32, 0.001, verbose=False)
            return network
        ns.build_and_train = build_and_train
    return ns


# ---- running the checks --------------------------------------------------------------------------

def learner_module(number, folder):
    """Import the learner's exercise file; a syntax error or an exception at import is a LearnerError."""
    name = EXERCISES[number][0]
    try:
        return importlib.import_module(name)
    except SyntaxError as error:
        raise LearnerError(f"{Path(error.filename).name}, line {error.lineno}: {error.msg}\n"
                           f"          {(error.text or '').strip()}") from None
    except NotImplementedError:
        raise NotDone() from None
    except Exception as error:
        raise LearnerError(where(error, folder)) from None


def where(error, folder):
    """'ex4_forward.py, line 17, in forward: ValueError: ...' for the learner's innermost frame."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).parent == folder]
    place = ""
    if frames:
        frame = frames[-1]
        place = f"{Path(frame.filename).name}, line {frame.lineno}, in {frame.name}: "
        if frame.line:
            place += f"\n          {frame.line}\n          "
    return f"{place}{type(error).__name__}: {error}"


def run_check(check, folder):
    """One check: ('passed', note) / ('not done', None) / ('failed', message, hint)."""
    try:
        note = check()
    except NotDone:
        return ("not done", None, None)
    except NotImplementedError:
        return ("not done", None, None)
    except Mistake as mistake:
        return ("failed", str(mistake), mistake.hint)
    except Exception as error:
        return ("failed", "your code raised " + where(error, folder), None)
    return ("passed", note, None)


def run_exercise(number, folder, reference, mnist_loader, out):
    """Print a line per check of exercise number; return 'done', 'not done' or 'failed'."""
    module_name, title, checker, library, next_reading = EXERCISES[number]
    source = "the library's code" if reference else f"exercises/{module_name}.py"
    print(f"Exercise {number}: {title} ({source})", file=out)
    try:
        ns = reference_module(number) if reference else learner_module(number, folder)
    except NotDone:
        print("  not done yet: the file still raises NotImplementedError", file=out)
        return "not done"
    except LearnerError as error:
        print(f"  FAILED  the file cannot be imported: {error}", file=out)
        return "failed"
    arguments = (ns, mnist_loader()) if number in NEEDS_MNIST else (ns,)
    outcome = "done"
    for what, check in checker(*arguments):
        status, message, hint = run_check(check, folder)
        if status == "not done":
            print(f"  not done yet: {what}", file=out)
            return "not done"
        if status == "failed":
            print(f"  FAILED  {what}: {message}", file=out)
            if hint:
                print(f"          hint: {HINTS.get(hint, hint)}", file=out)
            outcome = "failed"
            break
        print(f"  passed  {what}" + (f": {message}" if isinstance(message, str) else ""), file=out)
    if outcome == "done":
        print(f"  Exercise {number} done. The library's version: {library}. Read next: {next_reading}.", file=out)
    return outcome


def main(argv=None, out=None):
    """Run the checks; exit status 0 only if every exercise run is done."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", nargs="?", type=int, choices=sorted(EXERCISES),
                        help="the exercise to check (default: each in order, up to the first not done)")
    parser.add_argument("--reference", action="store_true",
                        help="check the library's own code instead of the exercises (for teachers and tests)")
    parser.add_argument("--folder", type=Path, default=HERE, help=argparse.SUPPRESS)   # the tests' copies
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    for name in [name for name in sys.modules if re.fullmatch(r"ex\d+_\w+", name)]:
        del sys.modules[name]               # the exercises are imported afresh, from folder
    sys.path.insert(0, str(folder))
    try:
        # The exercises' matrices are the notes' size or smaller: one BLAS thread computes them
        # fastest, on an idle machine or a busy one (Threads.py); the library's train chooses its own.
        with blas_threads(32, 784, 64):
            return run_all(args, folder, out)
    finally:
        sys.path.remove(str(folder))


def run_all(args, folder, out):
    """The exercises args asks for, in order; exit status 0 only if each is done."""
    cache = {}

    def mnist():
        if "data" not in cache:
            from MNIST import load_mnist
            cache["data"] = load_mnist()
        return cache["data"]
    numbers = [args.number] if args.number else sorted(EXERCISES)
    outcomes = []
    for number in numbers:
        outcomes.append(run_exercise(number, folder, args.reference, mnist, out))
        if outcomes[-1] != "done" and not args.reference:
            break
    if all(outcome == "done" for outcome in outcomes) and len(outcomes) == len(numbers):
        print("All checked exercises are done." if not args.reference else "The library passes every check.", file=out)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
