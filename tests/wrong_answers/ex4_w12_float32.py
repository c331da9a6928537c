import numpy as np
def forward(A_prev, W, b, g):
    Z = A_prev.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32)
    return g(Z), Z
