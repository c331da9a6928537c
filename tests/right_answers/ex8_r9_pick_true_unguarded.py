import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum(np.log(np.sum(A * Y, axis=1)))


def output_error(A, Y):
    return A - Y
