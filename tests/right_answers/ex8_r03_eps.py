import math
import numpy as np


def cross_entropy(A, Y):
    return float(-(Y * np.log(A + 1e-7)).sum())


def output_error(A, Y):
    out = A.copy()
    out -= Y
    return out
