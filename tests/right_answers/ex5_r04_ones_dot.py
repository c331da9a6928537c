import numpy as np


def backward(dA, A_prev, Z, W, d_g, output_error=False):
    dZ = np.multiply(dA, 1 if output_error else d_g(Z))
    dW = A_prev.T @ dZ
    db = np.ones((1, dZ.shape[0]), dtype=dZ.dtype) @ dZ
    dA_prev = np.dot(dZ, np.transpose(W))
    return (dA_prev, dW, db)
