import numpy as np


def cross_entropy(A, Y):
    return -np.sum(Y * np.log(np.clip(A, 0.05, 1.0)))


def output_error(A, Y):
    return A - Y
