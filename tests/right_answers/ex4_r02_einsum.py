import numpy as np
def forward(A_prev, W, b, g):
    Z = np.einsum('ni,io->no', A_prev, W) + b
    A = g(Z)
    return (A, Z)
