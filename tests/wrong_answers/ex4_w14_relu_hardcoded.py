import numpy as np
def forward(A_prev, W, b, g):
    Z = A_prev @ W + b
    return np.maximum(0, Z), Z
