import numpy as np
def forward(A_prev, W, b, g):
    Z = np.array([row @ W + b[0] for row in A_prev])
    return g(Z), Z
