import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum(Y * np.log(np.clip(A, 1e-12, None)))


def output_error(A, Y):
    return Y - A
