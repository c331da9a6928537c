import numpy as np


def backward(dA, A_prev, Z, W, d_g, output_error=False):
    dZ = dA
    dW = A_prev.T @ dZ
    db = dZ.sum(axis=0, keepdims=True)
    dA_prev = dZ @ W.T
    return dA_prev, dW, db
