import math
import numpy as np


def cross_entropy(A, Y):
    L = 0.0
    for n in range(A.shape[0]):
        for c in range(A.shape[1]):
            if Y[n, c] == 1:
                L -= math.log(max(float(A[n, c]), 1e-12))
    return L


def output_error(A, Y):
    return np.subtract(A, Y)
