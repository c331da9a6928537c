"""Exercise 8: the output error, and why no g'(Z) is applied at the output (notes: Network.py,
"train" and "backward"; walkthrough section 8, "The output error").

With a softmax output A = softmax(Z) and the categorical cross-entropy L = -sum_n sum_c Y log A,
the chain rule through softmax's Jacobian collapses to dL/dZ = A - Y exactly. That is why the
notes' loop backpropagates `output - y` and why the output layer must not multiply it by g'(Z)
again (for a sigmoid output with binary cross-entropy the same holds).
Check it:   python exercises/check.py 8
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""
import numpy as np  # noqa: F401  (you will need it)


def cross_entropy(A, Y):
    """L = -sum_n sum_c Y_nc log A_nc, summed over the batch (a number). A, Y: (N, C).

    A perfect prediction (A = Y) has L = 0; written as it stands, NumPy computes 0 * log 0 there as
    0 * -inf = NaN. Guard the log (np.log(np.clip(A, 1e-12, None)), or A + a small epsilon up to
    1e-7), or take log A only where Y is 1."""
    raise NotImplementedError("write cross_entropy")


def output_error(A, Y):
    """dL/dZ for A = softmax(Z) and L = cross_entropy(A, Y): shape (N, C)."""
    raise NotImplementedError("write output_error")
