import numpy as np


def backward(dA, A_prev, Z, W, d_g, output_error=False):
    dZ = dA.copy()
    if not output_error:
        dZ = dZ * d_g(Z)
    dW = np.zeros_like(W)
    for n in range(dZ.shape[0]):
        dW += np.outer(A_prev[n], dZ[n])
    db = np.zeros((1, dZ.shape[1]), dtype=dZ.dtype)
    for row in dZ:
        db[0] += row
    dA_prev = np.stack([W @ row for row in dZ])
    return dA_prev, dW, db
