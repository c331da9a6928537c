import numpy as np


def backward(dA, A_prev, Z, W, d_g, output_error=False):
    dZ = dA if output_error else dA * d_g(Z)
    dW = np.einsum('ni,no->io', A_prev, dZ)
    db = np.add.reduce(dZ, axis=0)[None, :]
    dA_prev = np.einsum('no,io->ni', dZ, W)
    return dA_prev, dW, db
