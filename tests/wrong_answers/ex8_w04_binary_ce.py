import math
import numpy as np


def cross_entropy(A, Y):
    A = np.clip(A, 1e-12, 1 - 1e-12)
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def output_error(A, Y):
    return A - Y
