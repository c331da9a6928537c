import numpy as np


def backward(dA, A_prev, Z, W, d_g, output_error=False):
    dZ = dA if output_error else dA * d_g(Z)
    dW = (dZ.T @ A_prev).T
    db = dZ.sum(axis=0, keepdims=True)
    dA_prev = W @ dZ.T
    return dA_prev, dW, db
