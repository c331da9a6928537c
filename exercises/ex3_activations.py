"""Exercise 3: activation functions and their derivatives (notes: Layer_dense.py, "Activation";
walkthrough section 4).

Each function works element by element on an array z of any shape and returns a new array of the
same shape (never change z). Each must give finite values without a warning for z = -1000 and
z = 1000 as well as for z = 1: e^z overflows beyond z = 709, so write each function in a form that
does not overflow. Then check them:   python exercises/check.py 3
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""
import numpy as np  # noqa: F401  (you will need it)


def sigmoid(z):
    """sigmoid(z) = 1 / (1 + e^-z).  (Make z = -1000 give 0 without an overflow warning: see np.tanh.)"""
    raise NotImplementedError("write sigmoid")


def d_sigmoid(z):
    """sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)): a function of z, like all three derivatives here."""
    raise NotImplementedError("write d_sigmoid")


def relu(z):
    """relu(z) = max(0, z)."""
    raise NotImplementedError("write relu")


def d_relu(z):
    """relu'(z) = 1 where z > 0, else 0 (at the kink z = 0, take 0)."""
    raise NotImplementedError("write d_relu")


def tanh(z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z).  (Written so, it gives inf / inf = NaN at z = 1000:
    np.tanh computes it safely, and so does 2 sigmoid(2z) - 1.)"""
    raise NotImplementedError("write tanh")


def d_tanh(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    raise NotImplementedError("write d_tanh")


def softmax(z):
    """softmax(z)_i = e^(z_i) / sum_j e^(z_j), along the last axis: each row of the result sums to 1.

    z (N, C) -> (N, C). It must work for z = 1000 as well as for z = 1.
    """
    raise NotImplementedError("write softmax")
