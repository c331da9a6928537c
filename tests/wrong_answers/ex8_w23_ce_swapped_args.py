import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum(A * np.log(np.clip(Y, 1e-12, None)))


def output_error(A, Y):
    return A - Y
