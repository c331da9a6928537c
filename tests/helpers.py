"""Centred finite differences, the independent reference for every gradient test."""
import numpy as np

from Utils import relative_error  # noqa: F401 (the one definition; the tests compare gradients with it)


def numerical_gradient(f, x, h=1e-5):
    """(f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored afterwards."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f()
        x[i] = original - h
        f_minus = f()
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
