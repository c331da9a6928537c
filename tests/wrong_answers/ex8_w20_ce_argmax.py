import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum(np.log(np.clip(A.max(axis=1), 1e-12, None)))


def output_error(A, Y):
    return A - Y
