import math
import numpy as np


def cross_entropy(A, Y):
    return -np.sum(Y * np.log(A))


def output_error(A, Y):
    return A - Y
