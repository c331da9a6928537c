"""Check your exercises, and say what is wrong when a check fails.

    python exercises/check.py          # each exercise in order, stopping at the first not done
    python exercises/check.py 5        # exercise 5 only
    python exercises/check.py --reference    # every check against the library's own code

The checks come in the exercises' order: each exercise's section holds the reference it compares
with (the equation written out, a small case worked by hand, finite differences of the loss for the
backward pass), the hints for the mistakes learners make there, its checks, and the library's code
in the exercise's shape (for --reference). A failed check shows the case: the input, the expected
value beside yours, the first entry that differs, and a hint when the wrong answer is a known
mistake. The machinery that runs the checks and prints what they found is at the end of the file.
"""
import argparse
import contextlib
import importlib
import inspect
import io
import itertools
import math
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
from Utils import relative_error  # noqa: E402 (max|a - b| over the larger of the two, as gradient_check)

# Hints shared by several exercises; each exercise adds its own in its section (HINTS.update).
HINTS = {
    "dtype": "compute in the dtype you are given: a float32 array or a .astype(np.float32) inside the "
             "function drops float64's digits",
    "no_return": "your function returns None: a `return` is missing (or, for batch, a `yield`)",
    "in_place": "your function changed its caller's array in place: compute into a new array "
                "(x = x / 255.0, Z = A_prev @ W + b) instead of x /= 255.0, += or z[...] = ...",
    "transposed": "the weights are transposed: with W of shape (n_in, n_out), Z = A_prev @ W + b, "
                  "dW = A_prev.T @ dZ and dA_prev = dZ @ W.T",
    "mean": "a mean where the notes sum: dW and db (and the loss) are sums over the batch, "
            "not divided by the batch size N",
}


# ==== Exercise 1: mini-batches (ex1_batch.py; the library's Utils.batch) ==========================

def reference_batch(data, labels, size):
    return [(data[i:i + size], labels[i:i + size]) for i in range(0, len(data), size)]


HINTS.update({
    "last_batch": "the last, shorter batch is missing: range(0, N, batch_size) reaches it, and "
                  "data[i:i + batch_size] stops at the end by itself",
    "slice_end": "each batch is one row short: a slice leaves out its end, so data[i:i + batch_size] "
                 "holds batch_size rows",
    "return_not_yield": "a return inside the loop ends the function at the first batch: yield each batch "
                        "(or collect them in a list and return it after the loop)",
    "empty_batch": "the last batch is empty: range(0, N, batch_size) stops before N (range(0, N + 1, ...) "
                   "goes one step too far)",
    "step": "the batches overlap: step i by batch_size, range(0, N, batch_size), not by 1",
    "start": "the first batch must start at row 0: range(0, N, batch_size)",
    "in_order": "the batches are not in order: batch gives consecutive slices (shuffling is train's job, "
                "before the batches are cut)",
    "labels_sliced": "each batch's labels are the whole labels array: slice them as the data, "
                     "labels[i:i + batch_size]",
    "pair_order": "each batch is (data rows, labels), in that order",
    "array_split": "np.array_split(data, k) cuts the data into k pieces of nearly equal size, not into "
                   "pieces of k rows: slice data[i:i + batch_size] for i in range(0, N, batch_size)",
})


def check_batch(ns):
    def consecutive(n, size):
        data, labels = np.arange(n * 2).reshape(n, 2), np.arange(n) * 10
        def batches(d, l):              # all of them, inside call, so that a change to d or l is seen
            result = returned(ns.batch(d, l, size))
            if isinstance(result, tuple) and len(result) == 2 and np.shape(result[0]) == np.shape(d[:size]):
                raise Mistake("batch returned one pair, the first batch, not all of them", "return_not_yield")
            return list(result)
        got = call(batches, data, labels)
        expected = reference_batch(data, labels, size)
        for k, item in enumerate(got):
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise Mistake(f"batch {k + 1} is {describe(item)}: each batch is a pair (data rows, labels)")
        if got and np.array_equal(got[0][0], data[1:1 + size]):
            raise Mistake(f"batch 1 is rows 1..{size}", "start")
        sizes, expected_sizes = [len(d) for d, _ in got], [len(d) for d, _ in expected]
        what = (f"batch(data, labels, {size}) with {n} samples gave {len(got)} batches of sizes {sizes}; "
                f"expected {len(expected)}: {expected_sizes}")
        if sizes != expected_sizes:
            hint = ("last_batch" if sizes == expected_sizes[:-1] and n % size else
                    "empty_batch" if sizes == expected_sizes + [0] else
                    "slice_end" if sizes == [min(e, size - 1) for e in expected_sizes] else
                    "array_split" if sizes == [len(piece) for piece in np.array_split(data, size)] else
                    "step" if len(got) > len(expected) else None)
            raise Mistake(what, hint)
        for k, ((d, l), (ed, el)) in enumerate(zip(got, expected)):
            rows = f"rows {k * size}..{min(n, (k + 1) * size) - 1}"
            if np.array_equal(d, el) or np.array_equal(np.asarray(l), ed):
                raise Mistake(f"batch {k + 1} holds its labels first", "pair_order")
            if not np.array_equal(d, ed):
                hint = "start" if np.array_equal(d, data[k * size + 1:(k + 1) * size + 1]) else "in_order"
                raise Mistake(f"batch {k + 1} is not {rows} of the data:", hint,
                              shown=[f"expected: {one_line(ed)}", f"yours:    {one_line(d)}"])
            if np.shape(l) == labels.shape and len(labels) != len(ed):
                raise Mistake(f"batch {k + 1}'s labels have {len(labels)} entries for {len(ed)} rows", "labels_sliced")
            if not np.array_equal(l, el):
                raise Mistake(f"batch {k + 1}'s labels are not {rows} of the labels:", None,
                              shown=[f"expected: {one_line(el)}", f"yours:    {one_line(l)}"])
    yield "10 samples in batches of 3: 3, 3, 3, then the last 1", lambda: consecutive(10, 3)
    yield "12 samples in batches of 4, and 5 in one batch of 32", lambda: (consecutive(12, 4), consecutive(5, 32))


def library_batch():
    import Utils
    return types.SimpleNamespace(batch=Utils.batch)


# ==== Exercise 2: one-hot encoding (ex2_one_hot.py; the library's Utils.one_hot_encode) ============

def reference_one_hot(labels, num_classes):
    Y = np.zeros((len(labels), num_classes))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


HINTS.update({
    "classes_from_labels": "the number of columns is num_classes, the argument: labels need not hold "
                           "the largest class (a batch of 32 digits may have no 9)",
    "classes_hard_coded": "the number of columns is num_classes, the argument, not MNIST's 10",
    "float": "the docstring asks for a float array: np.zeros((N, num_classes)) is float, or convert "
             "with .astype(float)",
    "one_hot_transposed": "it is transposed: one row per label, shape (N, num_classes)",
    "off_by_one": "the labels start at 0: label 0 puts its 1 in column 0, so use labels[n] as it is",
    "whole_columns": "Y[:, labels] = 1 sets whole columns; set one entry per row, Y[np.arange(N), labels] = 1",
})


def check_one_hot(ns):
    def case(labels, classes):
        labels = np.array(labels)
        shown = f"one_hot_encode({labels.tolist()}, {classes})"
        with hint_for_error("classes_from_labels", "out of bounds"):
            got = np.asarray(returned(call(ns.one_hot_encode, labels, classes)))
        expected = reference_one_hot(labels, classes)
        if got.shape == (len(labels), 10) != expected.shape:
            raise Mistake(f"{shown} has shape {got.shape}, expected {expected.shape}", "classes_hard_coded")
        if got.shape == (len(labels), labels.max() + 1) != expected.shape:
            raise Mistake(f"{shown} has shape {got.shape}, expected {expected.shape}", "classes_from_labels")
        if got.shape == expected.T.shape != expected.shape:
            raise Mistake(f"{shown} has shape {got.shape}, expected {expected.shape}", "one_hot_transposed")
        columns = np.zeros_like(expected)
        columns[:, labels] = 1.0
        compare(numeric(got), expected, shown, [("off_by_one", reference_one_hot(labels - 1, classes)),
                                                ("whole_columns", columns)])
        if got.dtype.kind != "f":
            raise Mistake(f"{shown} holds {got.dtype} values", "float")
    yield "[0, 2, 1] with 3 classes (the notes' example)", lambda: case([0, 2, 1], 3)
    yield "one label, 2, with 5 classes: more classes than the labels show", lambda: case([2], 5)
    yield "[1, 0] with 4 classes; [9, 0, 9] with 10; [11, 3] with 12", lambda: (
        case([1, 0], 4), case([9, 0, 9], 10), case([11, 3], 12))
    yield "a batch of 32 labels with 10 classes", lambda: case(np.random.default_rng(2).integers(0, 10, 32), 10)


def library_one_hot():
    import Utils
    return types.SimpleNamespace(one_hot_encode=Utils.one_hot_encode)


# ==== Exercise 3: activations and their derivatives (ex3_activations.py; Layer_dense.Activation) ===

def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))          # = 1 / (1 + e^-z), without overflowing


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


HINTS.update({
    "sigmoid_overflow": "e^-z overflows for z = -1000 (e^1000 is inf): write 1 / (1 + e^-z) as "
                        "(1 + tanh(z / 2)) / 2, which is the same function and never overflows",
    "tanh_overflow": "e^1000 is inf and inf / inf is NaN: use np.tanh(z), or 2 sigmoid(2z) - 1",
    "derivative_overflow": "the derivative overflows far from 0: write it with the function itself, "
                           "sigmoid(z) (1 - sigmoid(z)) or 1 - tanh(z)^2",
    "of_the_output": "the derivative takes z, not the activation's output: d_sigmoid(z) = sigmoid(z) "
                     "(1 - sigmoid(z)) and d_tanh(z) = 1 - tanh(z)^2, not z (1 - z) or 1 - z^2",
    "tanh_square": "tanh'(z) = 1 - tanh(z)^2: the square is missing",
    "sigmoid_factors": "sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)): both factors are sigmoid(z), not z",
    "slope_not_value": "d_relu gives relu's slope, 1 where z > 0 and 0 elsewhere, not relu(z) itself",
    "log_softmax": "that is log softmax: softmax is e^(z_i) / sum_j e^(z_j), its exponential",
    "relu_kink": "relu'(0) is taken as 0: 1 where z > 0, not z >= 0",
    "np_max": "np.max(z, 0) is the largest entry along axis 0; element by element it is np.maximum(z, 0)",
    "softmax_axis": "softmax normalises each row (one sample's C scores): sum along the last axis, "
                    "axis=-1 with keepdims=True, not axis=0",
    "softmax_all": "softmax divides by the sum over everything: each row is normalised on its own, "
                   "e.sum(axis=-1, keepdims=True)",
    "softmax_keepdims": "z.max(axis=-1) and e.sum(axis=-1) lose the axis, so (N, C) and (N,) do not "
                        "broadcast: keepdims=True keeps them (N, 1)",
    "softmax_overflow": "softmax overflows for large z (e^1000 is inf, and inf / inf is NaN): subtract each "
                        "row's maximum first, z - z.max(axis=-1, keepdims=True), which leaves the result unchanged",
    "softmax_global_max": "subtract each row's own maximum, z.max(axis=-1, keepdims=True): with the largest "
                          "of the whole array, a row far below it underflows to 0 / 0",
})
ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu, "tanh": tanh, "softmax": softmax,
               "d_sigmoid": d_sigmoid, "d_relu": d_relu, "d_tanh": d_tanh}
ACTIVATION_NAMES = {sigmoid: "Sigmoid", relu: "ReLU", tanh: "Tanh", softmax: "Softmax",
                    d_sigmoid: "Sigmoid", d_relu: "ReLU", d_tanh: "Tanh"}
FAR = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])


def check_activations(ns):
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3, size=(4, 5))
    z[0, 0] = 0.0

    def values(name):
        wrong = {"relu": [("np_max", np.max(z, 0))],
                 "softmax": [("softmax_axis", np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)),
                             ("softmax_all", np.exp(z) / np.exp(z).sum()),
                             ("log_softmax", np.log(softmax(z)))]}.get(name, [])
        for dtype in (np.float64, np.float32):
            with hint_for_error("softmax_keepdims" if name == "softmax" else None, "could not be broadcast"):
                got = returned(call(getattr(ns, name), z.astype(dtype)))
            compare(got, ACTIVATIONS[name](z.astype(dtype)), f"{name}(z) ({np.dtype(dtype).name})",
                    wrong, at=("z", z) if name != "softmax" else None)

    def derivative(name):
        g = ACTIVATIONS[name[2:]]
        wrong = {"d_sigmoid": [("of_the_output", z * (1 - z)), ("sigmoid_factors", sigmoid(z) * (1 - z))],
                 "d_tanh": [("of_the_output", 1 - z ** 2), ("tanh_square", 1 - np.tanh(z))],
                 "d_relu": [("relu_kink", (z >= 0).astype(float)), ("slope_not_value", relu(z))]}[name]
        numerical = (g(z + 1e-6) - g(z - 1e-6)) / 2e-6
        numerical[0, 0] = ACTIVATIONS[name](z)[0, 0]          # at the kink (relu), the docstring's value
        compare(numeric(returned(call(getattr(ns, name), z))), numerical, f"{name}(z) against the finite "
                f"difference of {name[2:]}", wrong, rtol=1e-6, at=("z", z))

    def far_out(name):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                got = returned(call(getattr(ns, name), FAR))
            except RuntimeWarning as warning:
                raise Mistake(f"{name}({one_line(FAR)}) gives a warning ({warning})",
                              {"sigmoid": "sigmoid_overflow", "tanh": "tanh_overflow"}.get(name,
                                                                                       "derivative_overflow"))
        got = np.asarray(numeric(got))
        if got.shape == FAR.shape and not np.all(np.isfinite(got)):
            raise Mistake(f"{name}({one_line(FAR)}) is {one_line(got)}",
                          {"sigmoid": "sigmoid_overflow", "tanh": "tanh_overflow"}.get(name, "derivative_overflow"))
        compare(got, ACTIVATIONS[name](FAR), f"{name}({one_line(FAR)})", rtol=1e-9)

    for name in ("sigmoid", "relu", "tanh", "softmax"):
        yield f"{name} on a (4, 5) array, float64 and float32", lambda name=name: values(name)
    for name in ("d_sigmoid", "d_relu", "d_tanh"):
        yield (f"{name} equals the finite difference of {name[2:]}"
               + (" (and 0 at the kink z = 0)" if name == "d_relu" else "")), lambda name=name: derivative(name)
    for name in ("sigmoid", "relu", "tanh", "d_sigmoid", "d_relu", "d_tanh"):
        yield f"{name} of -1000, -30, 0, 30, 1000: finite, without a warning", lambda name=name: far_out(name)

    def large():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = np.asarray(returned(call(ns.softmax, np.array([[1000.0, 0.0, -1000.0], [3.0, 3.0, 3.0]]))))
        if got.shape == (2, 3) and not np.all(np.isfinite(got[0])):
            raise Mistake("softmax([1000, 0, -1000]) is not finite", "softmax_overflow")
        if got.shape == (2, 3) and not np.all(np.isfinite(got[1])):
            raise Mistake("softmax([3, 3, 3]) is not finite beside a row holding 1000", "softmax_global_max")
        compare(got, np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]]),
                "softmax of the rows [1000, 0, -1000] and [3, 3, 3]")
    yield "softmax of [1000, 0, -1000] is [1, 0, 0] (no overflow), beside [3, 3, 3]", large


def library_activations():
    from Layer_dense import Activation
    return types.SimpleNamespace(**{name: getattr(Activation, name) for name in ACTIVATIONS})


# ==== Exercise 4: a dense layer's forward pass (ex4_forward.py; Layer_dense.Forward) ===============
SHAPES = [(1, 3, 3), (4, 5, 5), (7, 5, 3), (2, 1, 4)]        # (N, n_in, n_out): a batch of one, square W...

HINTS.update({
    "shapes": "the shapes do not fit the product: with the samples as rows, Z = A_prev @ W + b, A_prev "
              "(N, n_in) times W (n_in, n_out); the notes' W a + b is one sample as a column",
    "elementwise": "* multiplies element by element; the layer needs the matrix product A_prev @ W",
    "no_bias": "b is not added: Z = A_prev @ W + b",
    "z_a_swapped": "(A, Z) are swapped: forward returns A first, then Z",
    "g_ignored": "A = g(Z) with the g passed in: the check passes relu and sigmoid",
    "return_pair": "forward returns the pair A, Z (return g(Z), Z)",
})


def check_forward(ns):
    rng = np.random.default_rng(4)

    def case(N, n_in, n_out, dtype):
        A_prev = rng.normal(size=(N, n_in)).astype(dtype)
        W = rng.normal(size=(n_in, n_out)).astype(dtype)
        b = rng.normal(size=(1, n_out)).astype(dtype)
        for g in (relu, sigmoid):
            with hint_for_error("shapes", "mismatch in its core dimension", "not aligned"), \
                    hint_for_error("elementwise", "could not be broadcast"):
                result = returned(call(ns.forward, A_prev, W, b, g))
            A, Z = pair(result, "forward", "A, Z", "return_pair")
            expected = A_prev @ W + b
            if np.shape(A) == np.shape(Z) == expected.shape and close(A, expected) and close(Z, g(expected)) \
                    and not close(A, g(expected)):
                raise Mistake("forward returned (Z, A)", "z_a_swapped")
            variants = [("transposed", A_prev @ W.T + b)] if n_in == n_out else []
            with contextlib.suppress(ValueError):
                variants.append(("elementwise", A_prev * W + b))
            compare(Z, expected, f"Z for A_prev {A_prev.shape}, W {W.shape}, b {b.shape}",
                    variants + [("no_bias", A_prev @ W)])
            other = sigmoid if g is relu else relu
            compare(A, g(expected), f"A = g(Z) with g = {g.__name__}", [("g_ignored", other(expected))])
    for N, n_in, n_out in SHAPES:
        for dtype in (np.float64, np.float32):
            yield (f"N={N}, n_in={n_in}, n_out={n_out}, {np.dtype(dtype).name}",
                   lambda N=N, n_in=n_in, n_out=n_out, dtype=dtype: case(N, n_in, n_out, dtype))


def library_layer(W, name="ReLU"):
    """The library's Layer_dense holding the weights W (for the adapters of exercises 4 to 7)."""
    import Layer_dense
    layer = Layer_dense.Layer_dense(W.shape[0], W.shape[1], name, dtype=W.dtype)
    layer.W = W
    return layer


def library_forward():
    def forward(A_prev, W, b, g):
        layer = library_layer(W, ACTIVATION_NAMES[g])
        layer.b = b
        return layer.Forward(A_prev), layer.Z
    return types.SimpleNamespace(forward=forward)


# ==== Exercise 5: a dense layer's backward pass (ex5_backward.py; Layer_dense.BackProp) ===========

HINTS.update({
    "no_derivative": "g'(Z) is missing: a hidden layer's dZ = dA * g'(Z), element by element",
    "derivative_twice": "g'(Z) is applied a second time at the output: there dA is already dZ = A - Y "
                        "(output_error=True), so dZ = dA",
    "dW_from_dA": "dW = A_prev.T @ dZ, from dZ (after g'(Z)), not from dA",
    "derivative_at_dA": "g' is taken at Z, the layer's pre-activation: dZ = dA * d_g(Z), not d_g(dA)",
    "dA_prev_from_dA": "dA_prev = dZ @ W.T, from dZ (after g'(Z)), not from dA",
    "db_not_summed": "db is not summed over the samples: db = dZ.sum(axis=0, keepdims=True), shape (1, n_out)",
    "db_keepdims": "db lost its row: use dZ.sum(axis=0, keepdims=True), shape (1, n_out), not (n_out,)",
    "db_axis": "db sums over the samples (the rows) only, one sum per unit: dZ.sum(axis=0, keepdims=True), "
               "shape (1, n_out)",
    "gradient_sign": "a gradient has the wrong sign: dW = A_prev.T @ dZ, with no minus (the minus belongs to "
                     "the update)",
    "backward_order": "backward returns (dA_prev, dW, db), in that order",
})


def check_backward(ns):
    rng = np.random.default_rng(5)

    def case(N, n_in, n_out, dtype, output_error):
        A_prev = rng.normal(size=(N, n_in)).astype(dtype)
        W = rng.normal(size=(n_in, n_out)).astype(dtype)
        Z = rng.normal(size=(N, n_out)).astype(dtype)
        dA = rng.normal(size=(N, n_out)).astype(dtype)
        for d_g in (d_relu, d_sigmoid):
            with hint_for_error("transposed", "mismatch in its core dimension", "not aligned"):
                result = returned(call(ns.backward, dA, A_prev, Z, W, d_g, output_error))
            dA_prev, dW, db = triple(result)
            dZ = dA if output_error else dA * d_g(Z)
            expected = (dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True))
            if not all(close(got, e) for got, e in zip((dA_prev, dW, db), expected)):
                for order in itertools.permutations(range(3)):
                    if order != (0, 1, 2) and all(close(result[i], expected[j]) for i, j in enumerate(order)):
                        raise Mistake(f"backward returned {', '.join(('dA_prev', 'dW', 'db')[j] for j in order)}",
                                      "backward_order")
            wrong_dZ = dA * d_g(Z) if output_error else dA
            wrong_hint = "derivative_twice" if output_error else "no_derivative"
            if not output_error and close(db, expected[2]) and close(dW, A_prev.T @ dA) and not close(dW, expected[1]):
                raise Mistake("dW is wrong, though db is right", "dW_from_dA")
            compare(dW, A_prev.T @ dZ, "dW", [(wrong_hint, A_prev.T @ wrong_dZ), ("mean", A_prev.T @ dZ / N),
                                              ("derivative_at_dA", A_prev.T @ (dA * d_g(dA))),
                                              ("gradient_sign", -(A_prev.T @ dZ)), ("transposed", (A_prev.T @ dZ).T)])
            db = np.asarray(db)
            if N > 1 and db.shape == (N, n_out):
                raise Mistake(f"db has shape {db.shape}", "db_not_summed")
            if db.shape == (n_out,) and n_out > 1:
                raise Mistake(f"db has shape {db.shape}", "db_keepdims")
            if db.shape in ((N, 1), (1, N), (), (1,)) and n_out > 1:
                raise Mistake(f"db has shape {db.shape}", "db_axis")
            compare(db, dZ.sum(axis=0, keepdims=True), "db",
                    [(wrong_hint, wrong_dZ.sum(axis=0, keepdims=True)), ("mean", dZ.sum(axis=0, keepdims=True) / N),
                     ("gradient_sign", -dZ.sum(axis=0, keepdims=True))])
            compare(dA_prev, dZ @ W.T, "dA_prev",
                    [("derivative_twice", wrong_dZ @ W.T) if output_error else ("dA_prev_from_dA", dA @ W.T),
                     ("gradient_sign", -(dZ @ W.T))]
                    + ([("transposed", dZ @ W)] if n_in == n_out else []))
    for N, n_in, n_out in SHAPES:
        for dtype in (np.float64, np.float32):
            for output_error in (False, True):
                yield (f"N={N}, n_in={n_in}, n_out={n_out}, {np.dtype(dtype).name}, "
                       f"{'output layer (dA is dZ)' if output_error else 'hidden layer'}",
                       lambda N=N, n_in=n_in, n_out=n_out, dtype=dtype, output_error=output_error:
                       case(N, n_in, n_out, dtype, output_error))

    def finite_differences():
        """dW, db, dA_prev against finite differences of L = sum(g(A_prev W + b) * R): then dA = R."""
        A_prev, W, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(1, 2))
        R = rng.normal(size=(3, 2))
        Z = A_prev @ W + b
        dA_prev, dW, db = triple(returned(ns.backward(R, A_prev.copy(), Z, W.copy(), d_sigmoid, False)))
        for got, x, name in ((dW, W, "dW"), (db, b, "db"), (dA_prev, A_prev, "dA_prev")):
            numerical = numerical_gradient(lambda: float(np.sum(sigmoid(A_prev @ W + b) * R)), x)
            compare(got, numerical, f"{name} against the finite differences of the loss", rtol=1e-6)
    yield "dW, db and dA_prev equal finite differences of the loss", finite_differences


def library_backward():
    def backward(dA, A_prev, Z, W, d_g, output_error=False):
        layer = library_layer(W, ACTIVATION_NAMES[d_g])
        layer.A_prev, layer.Z = A_prev, Z
        dA_prev = layer.BackProp(dA, output_error=output_error)
        return dA_prev, layer.dW, layer.db
    return types.SimpleNamespace(backward=backward)


# ==== Exercise 6: the update (ex6_update.py; Layer_dense.update_parameters) =========================

HINTS.update({
    "sign": "the update has the wrong sign: gradient descent steps against the gradient, W -= learning_rate * dW",
    "rebinding": "W and b are unchanged: change them in place, W -= learning_rate * dW "
                 "(W = W - ... makes a new array that the layer never sees)",
    "no_rate": "the learning rate is missing: W -= learning_rate * dW",
    "hard_coded_rate": "the step uses a fixed rate: use the learning_rate passed in (the check passes several)",
    "rate_divided": "multiply by the learning rate: W -= learning_rate * dW",
    "db_summed_again": "b -= learning_rate * db, entry by entry: db already holds one sum per unit",
    "W_forgotten": "W is not updated: W -= learning_rate * dW as well",
    "b_forgotten": "b is not updated: b -= learning_rate * db as well",
    "W_with_db": "each parameter with its own gradient: W with dW, b with db",
})


def check_update(ns):
    rng = np.random.default_rng(6)

    def case(dtype, learning_rate):
        W, b = rng.normal(size=(4, 3)).astype(dtype), rng.normal(size=(1, 3)).astype(dtype)
        dW, db = rng.normal(size=(4, 3)).astype(dtype), rng.normal(size=(1, 3)).astype(dtype)
        W0, b0, dW0, db0 = W.copy(), b.copy(), dW.copy(), db.copy()
        with hint_for_error("W_with_db", "non-broadcastable"):
            ns.update(W, b, dW, db, learning_rate)
        if not (np.array_equal(dW, dW0) and np.array_equal(db, db0)):
            raise Mistake("dW or db was changed", "in_place")
        if np.array_equal(W, W0) and np.array_equal(b, b0):
            raise Mistake("W and b are unchanged", "rebinding")
        if np.array_equal(W, W0):
            raise Mistake("W is unchanged (b was updated)", "W_forgotten")
        with np.errstate(all="ignore"):
            rate = float(np.median((W0 - W) / dW0))          # the step a fixed rate would have taken
        if relative_error(W, W0 - rate * dW0) <= 1e-4 and rate > 0 and not any(
                math.isclose(rate, fine, rel_tol=1e-3) for fine in (learning_rate, 1.0)):
            raise Mistake(f"W took a step of {rate:.3g} dW for the learning rate {learning_rate}",
                          "rate_divided" if math.isclose(rate, 1 / learning_rate, rel_tol=1e-3) else "hard_coded_rate")
        compare(W, W0 - learning_rate * dW0, "W", [("sign", W0 + learning_rate * dW0), ("no_rate", W0 - dW0),
                                                   ("hard_coded_rate", W0 - 0.1 * dW0),
                                                   ("W_with_db", W0 - learning_rate * db0)])
        if np.array_equal(b, b0):
            raise Mistake("b is unchanged", "b_forgotten")
        compare(b, b0 - learning_rate * db0, "b", [("sign", b0 + learning_rate * db0), ("no_rate", b0 - db0),
                                                   ("db_summed_again", b0 - learning_rate * db0.sum()),
                                                   ("hard_coded_rate", b0 - 0.1 * db0)])
    for dtype in (np.float64, np.float32):
        for learning_rate in (0.1, 0.01):
            yield (f"one step with learning rate {learning_rate} ({np.dtype(dtype).name})",
                   lambda dtype=dtype, learning_rate=learning_rate: case(dtype, learning_rate))


def library_update():
    def update(W, b, dW, db, learning_rate):
        layer = library_layer(W)
        layer.b, layer.dW, layer.db = b, dW, db
        layer.update_parameters(learning_rate)
    return types.SimpleNamespace(update=update)


# ==== Exercise 7: the training loop (ex7_train.py; NeuralNetwork.train) ============================

def reference_loop(X, y, weights, epochs, batch_size, learning_rate, scale=255.0, error_sign=1.0,
                   output_error="last", batch_mean=False):
    """The notes' loop written out (ReLU hidden layers, a Sigmoid output): the weights afterwards,
    each epoch's accuracy (the step-2 outputs) and the mean of its batches' accuracies (a mistake's). scale, error_sign, output_error ('last', 'first',
    'all', 'none') and batch_mean give what known mistakes give."""
    weights = [(W.copy(), b.copy()) for W, b in weights]
    Y = np.eye(weights[-1][0].shape[1])[y]
    accuracies, batch_means = [], []
    for _ in range(epochs):
        correct, fractions = 0, []
        for i in range(0, len(X), batch_size):
            A, cache = X[i:i + batch_size] / scale, []                   # 1. scale
            for k, (W, b) in enumerate(weights):                          # 2. forward
                Z = A @ W + b
                cache.append((A, Z))
                A = sigmoid(Z) if k == len(weights) - 1 else relu(Z)
            correct += int(np.sum(A.argmax(axis=1) == y[i:i + batch_size]))
            fractions.append(float(np.mean(A.argmax(axis=1) == y[i:i + batch_size])))
            dA = error_sign * (A - Y[i:i + batch_size])                   # 3. the output error
            dA = dA / len(dA) if batch_mean else dA
            for k in reversed(range(len(weights))):                       # 4. backward
                A_prev, Z = cache[k]
                W, b = weights[k]
                is_output = {"last": k == len(weights) - 1, "first": k == 0, "all": True, "none": False}[output_error]
                dZ = dA if is_output else dA * (d_sigmoid(Z) if k == len(weights) - 1 else d_relu(Z))
                dW, db, dA = A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T
                W -= learning_rate * dW                                   # 5. update
                b -= learning_rate * db
        accuracies.append(correct / len(X))
        batch_means.append(float(np.mean(fractions)))
    return weights, accuracies, batch_means


HINTS.update({
    "unscaled": "the pixels were not scaled: x = batch_x / 255.0, into a new array",
    "error_sign": "the output error is A - Y (the output minus the one-hot labels), not Y - A",
    "output_error_everywhere": "output_error=True for the last layer only: the hidden layers need their g'(Z)",
    "output_error_never": "the last layer's BackProp needs output_error=True: A - Y is already its dZ",
    "output_error_first": "output_error=True belongs to the last layer (the output), the first one in the "
                          "backward loop: the layers' own list runs the other way",
    "epochs_off_by_one": "the loop runs one epoch too few: for epoch in range(epochs)",
    "read_only": "batch_x /= 255.0 changes the caller's pixels (MNIST's arrays are read-only, and an integer "
                 "array cannot hold 0..1): x = batch_x / 255.0 makes a new array",
    "backward_loop_order": "the backward loop goes from the last layer to the first: "
                           "for layer in reversed(layers)",
    "not_reset": "the count of right answers goes on from one epoch into the next: set it to 0 at the start "
                 "of each epoch",
    "integer_division": "// is integer division (0 for a fraction below 1): correct / len(data)",
    "percent": "train returns fractions (0.9), not percentages (90)",
    "per_batch": "the accuracy is the count over the whole epoch divided by the number of samples, "
                 "not a mean of the batches' fractions or a count over the number of batches",
    "after_the_epoch": "count the right answers from the outputs of step 2, during the epoch, batch by batch: "
                       "a prediction after the epoch measures the network at its end",
    "whole_list": "train returns the list of every epoch's accuracy, not only the last",
    "per_epoch_list": "one accuracy per epoch: append after the loop over the batches, not inside it",
    "rounded": "return the accuracies as they are: round them only where you print them",
    "hard_coded": "use the arguments given: the check passes other epochs, batch sizes and learning rates",
})


def check_train(ns, mnist):
    (train_X, train_y), (test_X, test_y) = mnist

    def small(epochs, batch_size, learning_rate):
        X, y = train_X[:96], train_y[:96]
        layers = [ns.Layer(784, 16, ns.relu, ns.d_relu, np.random.default_rng(0)),
                  ns.Layer(16, 10, ns.sigmoid, ns.d_sigmoid, np.random.default_rng(1))]
        start = [(layer.W.copy(), layer.b.copy()) for layer in layers]
        with hint_for_error("read_only", "read-only", "Cannot cast ufunc"), \
                hint_for_error("backward_loop_order", "mismatch in its core dimension", "not aligned",
                               "could not be broadcast", inside="BackProp"):
            accuracies = returned(call(ns.train, layers, X, y, epochs, batch_size, learning_rate))
        expected, expected_accuracies, batch_means = reference_loop(X, y, start, epochs, batch_size, learning_rate)
        got = [(layer.W, layer.b) for layer in layers]
        if all(np.array_equal(W, W0) for (W, _), (W0, _) in zip(got, start)):
            raise Mistake("the weights did not change: call update_parameters for every layer after each batch")
        # float32 pixels (x = batch_x.astype(np.float32) / 255) differ by 1e-8: right answers too
        for k, ((W, b), (eW, eb)) in enumerate(zip(got, expected), start=1):
            if relative_error(W, eW) <= 1e-6 and relative_error(b, eb) <= 1e-6:
                continue
            for hint, options in (("unscaled", {"scale": 1.0}), ("error_sign", {"error_sign": -1.0}),
                                  ("output_error_everywhere", {"output_error": "all"}),
                                  ("output_error_never", {"output_error": "none"}),
                                  ("output_error_first", {"output_error": "first"}),
                                  ("mean", {"batch_mean": True}), ("mean", {"learning_rate": learning_rate / batch_size}),
                                  ("epochs_off_by_one", {"epochs": epochs - 1})):
                settings = {"epochs": epochs, "learning_rate": learning_rate, **options}
                if relative_error(W, reference_loop(X, y, start, batch_size=batch_size, **settings)[0][k - 1][0]) <= 1e-6:
                    raise Mistake(f"layer {k}'s weights differ from the notes' loop", hint)
            for fixed in itertools.product({epochs, 2}, {batch_size, 32}, {learning_rate, 0.01}):
                if fixed != (epochs, batch_size, learning_rate) and relative_error(
                        W, reference_loop(X, y, start, *fixed)[0][k - 1][0]) <= 1e-6:
                    raise Mistake(f"layer {k}'s weights are those of {fixed[0]} epochs in batches of {fixed[1]} "
                                  f"with the learning rate {fixed[2]}", "hard_coded")
            raise Mistake(f"after {epochs} epochs on 96 images in batches of {batch_size}, layer {k}'s weights "
                          f"differ from the notes' loop (relative error {relative_error(W, eW):.1e}): check the "
                          f"order of the steps (forward, A - Y, backward from the last layer, update after each "
                          f"batch) and that the batches are taken in order")
        check_accuracies(ns, layers, X, y, accuracies, expected_accuracies, batch_size, batch_means)

    def earlier():
        """Exercises 1, 2, 4, 5 and 6 as train uses them: their own checks, so that a mistake there is
        not blamed on train."""
        for number, checker in ((1, check_batch), (2, check_one_hot), (4, check_forward), (5, check_backward),
                                (6, check_update)):
            for what, check in checker(ns):
                try:
                    check()
                except Mistake as mistake:
                    raise Mistake(f"exercise {number} ({EXERCISES[number][0]}.py), which train uses, does not pass "
                                  f"its check ({what}: {mistake})", f"mend exercise {number} first: python "
                                  f"exercises/check.py {number}") from None
    yield "exercises 1, 2, 4, 5 and 6, which train uses, pass their checks", earlier
    yield "2 epochs on 96 images, batches of 32, rate 0.01: the weights and accuracies of the notes' loop", \
        lambda: small(2, 32, 0.01)
    yield "1 epoch on 96 images, batches of 40 (the last 16), rate 0.05: the same", lambda: small(1, 40, 0.05)

    def mnist_run():
        start = time.perf_counter()
        layers = [ns.Layer(784, 64, ns.relu, ns.d_relu, np.random.default_rng(0)),
                  ns.Layer(64, 10, ns.sigmoid, ns.d_sigmoid, np.random.default_rng(1))]
        ns.train(layers, train_X[:10000], train_y[:10000], 3, 32, 0.001)
        accuracy = 100 * float(np.mean(ns.predict(layers, test_X) == test_y))
        seconds = time.perf_counter() - start
        if accuracy < 88.0:
            raise Mistake(f"{accuracy:.1f}% of the test digits read right after 3 epochs on 10,000 images "
                          f"(the library's own layer and loop: {TRAIN_REFERENCE_ACCURACY}%)")
        return f"{accuracy:.1f}% of the 10,000 test digits, in {seconds:.1f} s"
    yield "the notes' network, 3 epochs on 10,000 MNIST images: at least 88% on the test set", mnist_run


TRAIN_REFERENCE_ACCURACY = 89.5       # check.py --reference, exercise 7 (seeds 0 and 1, as the check builds it)


def check_accuracies(ns, layers, X, y, accuracies, expected, batch_size, batch_means):
    """The accuracies train returned against each epoch's count of right step-2 answers over N."""
    try:
        got = np.asarray(accuracies, dtype=float)
    except (TypeError, ValueError):
        raise Mistake(f"train returned {describe(accuracies)}: a list of each epoch's accuracy") from None
    expected = np.array(expected)
    shown = [f"expected: {one_line(expected)}", f"yours:    {one_line(got)}"]
    what = f"train returned the accuracies {one_line(got)}"
    if got.shape != expected.shape:
        n_batches = math.ceil(len(X) / batch_size)
        hint = "whole_list" if got.shape == () else "per_epoch_list" if got.shape == (n_batches * len(expected),) \
            else None
        raise Mistake(f"{what}: one per epoch, {len(expected)} of them", hint, shown)
    if np.allclose(got, expected, rtol=0, atol=1e-12):
        return
    n_batches = math.ceil(len(X) / batch_size)
    counts = expected * len(X)
    final = float(np.mean(ns.predict(layers, X) == y))
    for hint, wrong in (("not_reset", np.cumsum(counts) / len(X)), ("integer_division", counts // len(X)),
                        ("percent", 100 * expected), ("per_batch", counts / n_batches),
                        ("per_batch", np.array(batch_means)), ("rounded", np.round(expected, 2)),
                        ("per_batch", counts / batch_size), ("after_the_epoch", np.full(len(expected), final))):
        if np.allclose(got, wrong, rtol=0, atol=1e-9) and (hint != "after_the_epoch" or len(expected) == 1):
            raise Mistake(what, hint, shown)
    if len(expected) > 1 and np.isclose(got[-1], final, rtol=0, atol=1e-12):
        raise Mistake(what, "after_the_epoch", shown)
    raise Mistake(f"{what}, not each epoch's fraction of right answers in step 2", None, shown)


def library_train():
    import Network
    ns = types.SimpleNamespace(**vars(library_batch()), **vars(library_one_hot()), **vars(library_forward()),
                               **vars(library_backward()), **vars(library_update()))
    for name in ("sigmoid", "d_sigmoid", "relu", "d_relu"):
        setattr(ns, name, ACTIVATIONS[name])          # names the library's layer understands

    def Layer(n_in, n_out, g, d_g, rng):
        gain = 2.0 if g is relu else 1.0
        layer = library_layer(np.zeros((n_in, n_out)), ACTIVATION_NAMES[g])
        layer.W = rng.standard_normal((n_in, n_out)) * np.sqrt(gain / n_in)
        return layer

    def network_of(layers):
        network = Network.NeuralNetwork()
        for layer in layers:
            network.add_layer(layer)
        return network

    ns.Layer = Layer
    ns.train = lambda layers, data, labels, epochs, batch_size, learning_rate: network_of(layers).train(
        data, labels, epochs, batch_size, learning_rate, shuffle=False, verbose=False)["accuracy"]
    ns.predict = lambda layers, data: network_of(layers).predict(data)
    return ns


# ==== Exercise 8: the output error (ex8_output_error.py; Network.categorical_cross_entropy) =========

def reference_cross_entropy(A, Y):
    """L = -sum_n sum_c Y log A, with 0 log 0 = 0 (a perfect prediction has the loss 0)."""
    return -float(np.sum(np.log(A[Y == 1])))


HINTS.update({
    "loss_sign": "L = -sum Y log A: log A is negative for A < 1, so the minus makes the loss positive",
    "loss_without_Y": "only the label's entry counts: multiply by Y, -sum(Y * log A)",
    "log10": "the notes' log is the natural one, np.log (np.log10 and np.log2 scale the loss)",
    "binary": "that is the binary cross-entropy of sigmoid outputs; softmax pairs with -sum Y log A alone",
    "per_sample": "the loss is one number: sum over the samples as well as the classes",
    "log_of_zero": "a perfect prediction has A = 0 where Y = 0: log 0 is -inf (with a warning), and 0 * log 0 is "
                   "NaN in NumPy: guard the log (np.log(np.clip(A, 1e-12, None)), or A + 1e-7), or take log A "
                   "only at the labels, -np.log(A[Y == 1])",
    "guard_too_large": "the guard on the log is too large: it changes the loss of a confident wrong answer; "
                       "clip or add at most 1e-7",
    "error_sign": "the output error is A - Y (the output minus the one-hot labels), not Y - A",
    "dL_dA": "-Y / A is dL/dA, the gradient with respect to the output; the output error is dL/dZ, through "
             "softmax: A - Y",
})


def check_output_error(ns):
    rng = np.random.default_rng(8)

    def case(N, C, dtype):
        Z = rng.normal(scale=2, size=(N, C))
        Y = np.eye(C)[rng.integers(0, C, N)]
        A = softmax(Z).astype(dtype)
        shown = f"cross_entropy(A, Y) for {N} samples and {C} classes ({np.dtype(dtype).name})"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss = np.asarray(numeric(returned(call(ns.cross_entropy, A, Y))), dtype=float)
        expected = reference_cross_entropy(A.astype(float), Y)
        # a log guarded by an epsilon up to 1e-7 (or clipped there) changes each term by up to 1e-7 / A
        guard = float(np.sum(1.0001e-7 / A[Y == 1].astype(float))) + (1e-6 if dtype == np.float32 else 1e-12) * expected
        if loss.shape == () and abs(float(loss) - expected) <= guard:
            pass
        else:
            logs = np.log(A.astype(float))
            with np.errstate(all="ignore"):
                binary = -float(np.sum(Y * logs + (1 - Y) * np.log1p(-A.astype(float))))
            compare(loss, np.asarray(expected), shown, [("mean", np.asarray(expected / N)),
                                                        ("mean", np.asarray(expected / C)),
                                                        ("loss_sign", np.asarray(-expected)),
                                                        ("loss_without_Y", np.asarray(-float(np.sum(logs)))),
                                                        ("log10", np.asarray(expected / np.log(10))),
                                                        ("log10", np.asarray(expected / np.log(2))),
                                                        ("binary", np.asarray(binary)),
                                                        ("per_sample", -np.sum(Y * logs, axis=1))], rtol=1e-5)
        numerical = numerical_gradient(lambda: reference_cross_entropy(softmax(Z), Y), Z)
        A = softmax(Z)
        compare(returned(call(ns.output_error, A, Y)), numerical, "output_error(A, Y) against finite differences",
                [("derivative_twice", (A - Y) * A * (1 - A)), ("mean", (A - Y) / N), ("error_sign", Y - A),
                 ("dL_dA", -Y / A)], rtol=1e-6)
    def confident_and_wrong():
        A = np.array([[1e-5, 1 - 1e-5 - 1e-9, 1e-9], [0.2, 0.3, 0.5]])
        Y = np.eye(3)[[0, 2]]
        loss = np.asarray(numeric(returned(call(ns.cross_entropy, A, Y))), dtype=float)
        expected = reference_cross_entropy(A, Y)
        if loss.shape == () and abs(float(loss) - expected) <= 1.0001e-7 / 1e-5 + 1.0001e-7 / 0.5:
            return                                       # right, or guarded by an epsilon up to 1e-7
        if loss.shape == () and 0 < expected - float(loss) < expected / 2:
            raise Mistake(f"cross_entropy when the label's output is 1e-5 is {float(loss):.6g}, expected "
                          f"{expected:.6g}", "guard_too_large")
        compare(loss, np.asarray(expected), "cross_entropy when the label's output is 1e-5", rtol=1e-6)
    for N, C, dtype in ((1, 3, np.float64), (5, 4, np.float64), (8, 10, np.float64), (6, 10, np.float32)):
        yield (f"{N} sample{'s' * (N > 1)}, {C} classes ({np.dtype(dtype).name}): the loss, and dL/dZ by finite differences",
               lambda N=N, C=C, dtype=dtype: case(N, C, dtype))

    def perfect():
        A = Y = np.eye(3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loss = np.asarray(numeric(returned(call(ns.cross_entropy, A, Y))), dtype=float)
        if (loss.shape == () and not np.isfinite(loss)) or any(w.category is RuntimeWarning for w in caught):
            raise Mistake(f"cross_entropy(A, Y) of a perfect prediction (A = Y = the 3x3 identity) is {float(loss)}",
                          "log_of_zero")
        if not (loss.shape == () and abs(float(loss)) <= 3 * 1.0001e-7):        # an epsilon up to 1e-7 is right
            compare(loss, np.asarray(0.0), "cross_entropy of a perfect prediction (A = Y = the 3x3 identity)")
    yield "a perfect prediction (A = Y) has the loss 0, not NaN, and no warning", perfect
    yield "a confident wrong prediction (1e-5 at the label) has the loss -log(1e-5) - log(0.5)", confident_and_wrong


def library_output_error():
    import Network
    return types.SimpleNamespace(cross_entropy=Network.categorical_cross_entropy,
                                 output_error=lambda A, Y: A - Y)     # what NeuralNetwork.train hands to backward


# ==== Exercise 9: a network that will not learn (ex9_broken_network.py; MNIST.demo) ===============

def check_broken_network(ns, mnist):
    (train_X, train_y), (test_X, test_y) = mnist

    def run():
        import Network
        largest = []                                     # what the network was trained on, by its largest input
        original = Network.NeuralNetwork.train

        schedules = []                                   # (epochs, batch_size) of each call

        def recording_train(self, data, labels, epochs, batch_size, *args, **kwargs):
            largest.append(float(np.max(data)))
            schedules.append((epochs, batch_size))
            return original(self, data, labels, epochs, batch_size, *args, **kwargs)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                Network.NeuralNetwork.train = recording_train
                try:
                    network = returned(ns.build_and_train(train_X[:10000], train_y[:10000]))
                finally:
                    Network.NeuralNetwork.train = original
        if str(network) != "784x64 ReLU -> 64x10 Sigmoid":
            raise Mistake(f"the network is {network}: keep the notes' 784x64 ReLU -> 64x10 Sigmoid")
        if schedules != [(3, 32)]:
            raise Mistake(f"train was called {len(schedules)} time{'s' * (len(schedules) != 1)} with (epochs, "
                          f"batch_size) {', '.join(map(str, schedules))}: keep the notes' schedule, one call "
                          f"with 3 epochs in batches of 32")
        if largest[-1] > 1 and network.input_scale == 1:
            raise Mistake(f"the network was trained on inputs up to {largest[-1]:g} with input_scale=1",
                          "unscaled_pixels")
        pixels = test_X / 255.0 if largest and largest[-1] <= 1 else test_X       # as it was trained
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            accuracy = network.evaluate(pixels, test_y)
        fed = "pixels 0..1, as it was trained" if pixels is not test_X else "raw pixels 0..255"
        if accuracy < 88.0:
            said = "\n".join(f"          the library said: {w.message}" for w in caught
                             if w.category.__name__ == "TrainingWarning")
            raise Mistake(f"{accuracy:.1f}% of the test digits ({fed}) read right; 88% is possible"
                          + ("\n" + said if said else ""))
        return f"{accuracy:.1f}% of the 10,000 test digits ({fed})"
    yield "the mended network reads at least 88% of the test digits", run


def library_broken_network():
    import Layer_dense
    import Network

    def build_and_train(train_X, train_y):
        network = Network.NeuralNetwork(rng=0)
        network.add_layer(Layer_dense.Layer_dense(784, 64, "ReLU", rng=0))
        network.add_layer(Layer_dense.Layer_dense(64, 10, "Sigmoid", rng=1))
        network.train(train_X, train_y, 3, 32, 0.001, verbose=False)
        return network
    return types.SimpleNamespace(build_and_train=build_and_train)


# ==== Exercise 10: what hidden layers do (ex10_playground.py; Playground.py) =======================

HINTS.update({
    "unscaled_pixels": "with input_scale=1 the network takes its inputs as they come: pixels 0..255 need "
                       "scaling to 0..1 once, by the network (the default input_scale) or by you (/ 255.0)",
})


HINTS.update({
    "playground_scale": "these inputs are coordinates in [-1, 1], not pixels: NeuralNetwork(input_scale=1)",
    "playground_output": "the exercise asks for a Softmax output layer: one of three classes per point, "
                         "probabilities that sum to 1",
    "no_hidden_layer": "with no hidden layer the boundaries between classes are straight lines; spirals need "
                       "a hidden layer (16 ReLU units do it)",
    "narrow": "a wider hidden layer draws curved enough boundaries (16 units do it)",
})


def check_playground(ns):
    from Playground import spirals
    X, y = spirals(seed=0)
    X_new, y_new = spirals(seed=1)

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            network = returned(ns.build())
            if network.layers[0].n_in != 2 or network.layers[-1].n_out != 3:
                raise Mistake(f"the network is {network}: it needs 2 inputs (x1, x2) and 3 outputs (one per arm)")
            if network.layers[-1].activation != "Softmax":
                raise Mistake(f"the output layer is {network.layers[-1].activation}", "playground_output")
            if network.input_scale != 1:
                raise Mistake(f"input_scale is {network.input_scale:g}", "playground_scale")
            network.train(X, y, 300, 30, 0.01, verbose=False)
        accuracy = network.evaluate(X_new, y_new)
        if accuracy < 95.0:
            widest = max(layer.n_out for layer in network.layers[:-1]) if len(network.layers) > 1 else 0
            raise Mistake(f"{accuracy:.1f}% of new spiral points in the right arm (95% needed)",
                          "no_hidden_layer" if len(network.layers) == 1 else "narrow" if widest < 16 else None)
        return f"{accuracy:.1f}% of 300 new spiral points, with {network}"
    yield "the network separates new spirals: at least 95%", run


def library_playground():
    from Playground import playground_network
    return types.SimpleNamespace(build=lambda: playground_network([16], "ReLU", classes=3, seed=0))


# ==== The exercises, in order ======================================================================
# number: (file, title, checks, the library's code in the exercise's shape, the library's version, read next)

EXERCISES = {
    1: ("ex1_batch", "mini-batches", check_batch, library_batch, "Utils.py: batch",
        "walkthrough section 3, one-hot encoding"),
    2: ("ex2_one_hot", "one-hot encoding", check_one_hot, library_one_hot, "Utils.py: one_hot_encode",
        "walkthrough section 4, activation functions"),
    3: ("ex3_activations", "activations and their derivatives", check_activations, library_activations,
        "Layer_dense.py: Activation", "walkthrough section 5, the dense layer"),
    4: ("ex4_forward", "a dense layer's forward pass", check_forward, library_forward,
        "Layer_dense.py: Layer_dense.Forward", "walkthrough section 8, Backpropagation and Gradients"),
    5: ("ex5_backward", "a dense layer's backward pass", check_backward, library_backward,
        "Layer_dense.py: Layer_dense.BackProp", "walkthrough section 8, Gradient descent"),
    6: ("ex6_update", "the update", check_update, library_update, "Layer_dense.py: Layer_dense.update_parameters",
        "walkthrough section 7, the training loop"),
    7: ("ex7_train", "the training loop", check_train, library_train, "Network.py: NeuralNetwork.train",
        "walkthrough section 8, The output error"),
    8: ("ex8_output_error", "the output error", check_output_error, library_output_error,
        "Network.py: categorical_cross_entropy, and the output - batch_Y that train hands to backward",
        "walkthrough section 12, when training goes wrong"),
    9: ("ex9_broken_network", "a network that will not learn", check_broken_network, library_broken_network,
        "MNIST.py: demo (the notes' recipe)", "walkthrough section 13, what hidden layers do"),
    10: ("ex10_playground", "what hidden layers do", check_playground, library_playground,
         "Playground.py: playground_network, and Plots.plot_decision_boundary",
         "the README's training recipes, to take the MNIST network past 99%"),
}
NEEDS_MNIST = {7, 9}


# ==== The machinery: comparing, showing the case, naming the learner's line, running =============

class NotDone(Exception):
    """The exercise still raises NotImplementedError."""


class Mistake(Exception):
    """A wrong answer: str is what is wrong; hint (may be None) names the known mistake (a key of
    HINTS, or the words themselves); shown: lines that show the case."""

    def __init__(self, message, hint=None, shown=()):
        super().__init__(message)
        self.hint, self.shown = hint, list(shown)


class LearnerError(Exception):
    """The learner's code raised an exception (or could not be imported): where and what."""


def tolerance(dtype):
    return 1e-4 if np.dtype(dtype) == np.float32 else 1e-9


def one_line(array, precision=4):
    """A small array on one line, as NumPy prints it."""
    return np.array2string(np.asarray(array), precision=precision, separator=", ", threshold=30,
                           max_line_width=10 ** 6).replace("\n", "")


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def numeric(value):
    """value as a float array when it holds numbers (or booleans), else as it is."""
    try:
        array = np.asarray(value)
    except ValueError:
        return value
    return array if array.dtype.kind == "f" else array.astype(float) if array.dtype.kind in "biu" else value


def close(a, b):
    a, b = np.asarray(numeric(a)), np.asarray(b)
    return a.shape == b.shape and a.dtype.kind == "f" and bool(np.all(np.isfinite(a))) and \
        relative_error(a, b) <= 1e-4


def difference(actual, expected, at=None):
    """Lines that show where actual and expected differ: the first entry, and both in full when small."""
    lines = []
    wrong = ~np.isclose(actual, expected, rtol=1e-6, atol=1e-12, equal_nan=False)
    if wrong.any():
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        where = f" (where {at[0]} = {np.asarray(at[1])[index]:.4g})" if at is not None else ""
        lines.append(f"first difference at {list(index)}{where}: yours {actual[index]:.6g}, "
                     f"expected {expected[index]:.6g} ({int(wrong.sum())} of {wrong.size} entries differ)")
    if expected.size <= 12:
        lines += [f"expected: {one_line(expected)}", f"yours:    {one_line(actual)}"]
    return lines


def compare(actual, expected, what, variants=(), rtol=None, at=None):
    """Raise Mistake unless actual equals expected; variants: (hint, the wrong answer a known mistake
    would give), tried when actual is wrong. at: (name, array) shown at the first difference."""
    actual = numeric(actual)
    if not isinstance(actual, np.ndarray):
        raise Mistake(f"{what} is {describe(actual)}, expected an array of shape {expected.shape}")
    expected = np.asarray(expected)
    rtol = rtol or tolerance(expected.dtype)
    finite = bool(np.all(np.isfinite(actual)))
    if actual.shape == expected.shape and finite and relative_error(actual, expected) <= rtol:
        return
    if actual.shape == expected.shape and finite and expected.dtype == np.float64 and \
            relative_error(actual, expected) <= 1e-5:
        raise Mistake(f"{what} agrees with the float64 answer only as far as float32 can: relative error "
                      f"{relative_error(actual, expected):.1e} (should be below {rtol:.0e})", "dtype")
    for hint, wrong in variants:
        wrong = np.asarray(wrong)
        if wrong.shape == actual.shape and finite and relative_error(actual, wrong) <= max(rtol, 1e-6):
            raise Mistake(f"{what} is wrong", hint, difference(actual, expected, at) if
                          actual.shape == expected.shape else [])
    if actual.shape != expected.shape:
        raise Mistake(f"{what} has shape {actual.shape}, expected {expected.shape}")
    if not finite:
        raise Mistake(f"{what} holds NaN or infinite values", None, difference(actual, expected, at))
    raise Mistake(f"{what} is wrong: relative error {relative_error(actual, expected):.1e} "
                  f"(should be below {rtol:.0e})", None, difference(actual, expected, at))


def call(function, *args):
    """function(*args), with the caller's array arguments checked for changes afterwards."""
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    result = function(*args)
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    for k, (old, new) in enumerate(zip(before, args)):
        if old is not None and not np.array_equal(old, new):
            name = names[k] if k < len(names) and not names[k].startswith("_") else f"argument {k + 1}"
            raise Mistake(f"{name} was changed in place", "in_place")
    return result


def returned(result):
    """result, unless the learner's function returned None (a forgotten return)."""
    if result is None:
        raise Mistake("the function returned None", "no_return")
    return result


def pair(result, function, names, hint):
    """The two values a function returns (forward's A, Z)."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return result
    raise Mistake(f"{function} returned {describe(result)}; it returns the pair {names}", hint)


def triple(result):
    """backward's (dA_prev, dW, db)."""
    if isinstance(result, (tuple, list)) and len(result) == 3:
        return result
    raise Mistake(f"backward returned {describe(result)}; it returns the three arrays dA_prev, dW, db")


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


@contextlib.contextmanager
def hint_for_error(hint, *texts, inside=None):
    """A learner's exception whose message holds one of texts (raised inside the function named
    inside, if given) is given hint, a known mistake's."""
    try:
        yield
    except Exception as error:
        here = inside is None or any(frame.name == inside for frame in traceback.extract_tb(error.__traceback__))
        if hint and here and not hasattr(error, "check_hint") and any(text in str(error) for text in texts):
            error.check_hint = hint
        raise


def learner_frames(error, folder):
    """The traceback's frames in the learner's files (the exercises, not this checker)."""
    return [f for f in traceback.extract_tb(error.__traceback__)
            if Path(f.filename).parent == folder and Path(f.filename).name != Path(__file__).name]


def where(error, folder, module_name):
    """'ValueError: ...' and where: the line of the exercise checked, and the innermost learner line
    when that is in another exercise."""
    frames = learner_frames(error, folder)
    own = [f for f in frames if Path(f.filename).stem == module_name]
    places = [("at", own[0])] if own else []
    if frames and frames[-1] is not (own[0] if own else None):
        places.append(("inside" if own else "at", frames[-1]))
    lines = [f"{type(error).__name__}: {error}"]
    for word, frame in places:
        lines.append(f"{word} {Path(frame.filename).name}, line {frame.lineno}, in {frame.name}: "
                     f"{(frame.line or '').strip()}")
    if not frames:
        lines.append("(in the checker, with what your function returned: see its docstring for what it returns)")
    return "\n          ".join(lines)


def needed_exercise(error, folder, module_name):
    """The number of the earlier exercise whose NotImplementedError this is, or None."""
    frames = learner_frames(error, folder)
    if frames and Path(frames[-1].filename).stem != module_name:
        names = {name: number for number, (name, *_) in EXERCISES.items()}
        return names.get(Path(frames[-1].filename).stem)
    return None


def run_check(check, folder, module_name):
    """One check: ('passed', note, None) / ('not done', needed, None) / ('failed', message, hint, shown)."""
    try:
        note = check()
    except NotImplementedError as error:
        return ("not done", needed_exercise(error, folder, module_name), None, [])
    except Mistake as mistake:
        return ("failed", str(mistake), mistake.hint, mistake.shown)
    except Exception as error:
        return ("failed", "your code raised " + where(error, folder, module_name), getattr(error, "check_hint", None),
                [])
    return ("passed", note, None, [])


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
        raise LearnerError(where(error, folder, name)) from None


def run_exercise(number, folder, reference, mnist_loader, out):
    """Print a line per check of exercise number; return 'done', 'not done' or 'failed'."""
    module_name, title, checker, library, library_name, next_reading = EXERCISES[number]
    source = "the library's code" if reference else f"exercises/{module_name}.py"
    print(f"Exercise {number}: {title} ({source})", file=out)
    try:
        ns = library() if reference else learner_module(number, folder)
    except NotDone:
        print("  not done yet: the file still raises NotImplementedError", file=out)
        return "not done"
    except LearnerError as error:
        print(f"  FAILED  the file cannot be imported: {error}", file=out)
        return "failed"
    if number in NEEDS_MNIST:
        from MNIST import MNISTError
        try:
            arguments = (ns, mnist_loader())
        except MNISTError as error:
            print(f"  cannot check it without MNIST: {str(error).splitlines()[0]}", file=out)
            print(f"  {str(error).splitlines()[-1]}", file=out)
            return "failed"
    else:
        arguments = (ns,)
    for what, check in checker(*arguments):
        status, message, hint, shown = run_check(check, folder, module_name)
        if status == "not done":
            if message is not None:
                name = EXERCISES[message][0]
                print(f"  not done yet: {what}: it uses exercise {message}, which still raises "
                      f"NotImplementedError; write {name}.py first (python exercises/check.py {message})", file=out)
            else:
                print(f"  not done yet: {what}", file=out)
            return "not done"
        if status == "failed":
            print(f"  FAILED  {what}: {message}", file=out)
            for line in shown:
                print(f"          {line}", file=out)
            if hint:
                print(f"          hint: {HINTS.get(hint, hint)}", file=out)
            return "failed"
        print(f"  passed  {what}" + (f": {message}" if isinstance(message, str) else ""), file=out)
    print(f"  Exercise {number} done. The library's version: {library_name}. Read next: {next_reading}.", file=out)
    return "done"


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


MNIST_LOADED = {}          # by folder, read once per process (read-only arrays: nothing can change them)


def run_all(args, folder, out):
    """The exercises args asks for, in order; exit status 0 only if each is done."""
    def mnist():
        from MNIST import default_data_dir, load_mnist
        folder = str(default_data_dir())
        if folder not in MNIST_LOADED:
            MNIST_LOADED[folder] = load_mnist()
        return MNIST_LOADED[folder]
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
