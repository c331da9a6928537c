import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum((Y + 1e-12) * np.log(A + 1e-12))


def output_error(A, Y):
    return A - Y
