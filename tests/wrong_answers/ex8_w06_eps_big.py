import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum(Y * np.log(A + 1e-3))


def output_error(A, Y):
    return A - Y
