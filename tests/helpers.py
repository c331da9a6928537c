"""Centred finite differences, the independent reference for every gradient test."""
import numpy as np


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


def relative_error(a, b):
    """max |a - b| / max(|a|, |b|), elementwise floor 1e-12."""
    return float(np.max(np.abs(a - b) / np.maximum(1e-12, np.maximum(np.abs(a), np.abs(b)))))
